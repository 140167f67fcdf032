//! The rules, one file each.

mod dropped_keys;
mod growth;

pub(crate) use growth::Leak;
pub(crate) mod guarded_map_escapes_lock;
pub(crate) mod inconsistent_map_locking;
pub(crate) mod lock_precondition_unmet;
pub(crate) mod map_capacity_unhinted;
pub(crate) mod map_cleared_by_delete_loop;
pub(crate) mod map_shared_with_goroutine;
pub(crate) mod map_write_under_read_lock;
pub(crate) mod oversized_map_value;
pub(crate) mod sync_map_load_then_store;
pub(crate) mod unbounded_field_map;
pub(crate) mod unbounded_package_map;

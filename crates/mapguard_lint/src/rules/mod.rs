//! The rules, one file each.

mod growth;
pub(crate) mod map_capacity_unhinted;
pub(crate) mod map_cleared_by_delete_loop;
pub(crate) mod oversized_map_value;
pub(crate) mod sync_map_load_then_store;
pub(crate) mod unbounded_field_map;
pub(crate) mod unbounded_package_map;

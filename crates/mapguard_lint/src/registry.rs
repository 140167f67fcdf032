//! The one list of rules. Adding a rule: its file in `rules/`, one line here, a fixture folder.

use crate::rule::{Rule, RuleInfo};
use crate::rules;
use crate::suppression::{MalformedSuppression, UnusedSuppression};

/// Every rule that checks packages, in code order.
pub static RULES: &[&dyn Rule] = &[
    &rules::inconsistent_map_locking::InconsistentMapLocking,
    &rules::map_write_under_read_lock::MapWriteUnderReadLock,
    &rules::guarded_map_escapes_lock::GuardedMapEscapesLock,
    &rules::map_shared_with_goroutine::MapSharedWithGoroutine,
    &rules::lock_precondition_unmet::LockPreconditionUnmet,
    &rules::unbounded_package_map::UnboundedPackageMap,
    &rules::unbounded_field_map::UnboundedFieldMap,
    &rules::map_cleared_by_delete_loop::MapClearedByDeleteLoop,
    &rules::oversized_map_value::OversizedMapValue,
    &rules::map_capacity_unhinted::MapCapacityUnhinted,
    &rules::sync_map_load_then_store::SyncMapLoadThenStore,
];

/// Rules reported by the framework itself rather than by a check.
pub static FRAMEWORK_RULES: &[&RuleInfo] = &[&UnusedSuppression::INFO, &MalformedSuppression::INFO];

/// Every rule's metadata, framework rules first, in code order.
pub fn all_rules() -> Vec<&'static RuleInfo> {
    let mut all: Vec<&'static RuleInfo> = FRAMEWORK_RULES.to_vec();
    all.extend(RULES.iter().map(|r| r.info()));
    all.sort_by_key(|r| r.code);
    all
}

/// Finds a rule by code (`MG301`, any case) or name.
pub fn find(query: &str) -> Option<&'static RuleInfo> {
    all_rules()
        .into_iter()
        .find(|r| r.code.eq_ignore_ascii_case(query) || r.name == query)
}

/// Whether a selector (`ALL`, a code prefix, a code or a name) matches at least one rule.
pub fn matches_any_rule(selector: &str) -> bool {
    all_rules()
        .into_iter()
        .any(|r| crate::settings::selects(selector, r))
}

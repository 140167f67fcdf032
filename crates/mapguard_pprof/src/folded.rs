//! Folded stacks of map memory only, for flame graphs (`inferno`'s input format):
//! `root;...;leaf;[map[string]int group array] 12345`.

use std::collections::BTreeMap;

use crate::attribute::{Attribution, Role};
use crate::profile::HeapProfile;

/// One folded line per distinct stack of map samples, with the attribution's ranked value.
/// The synthetic last frame names the map type and part.
pub fn map_stacks(profile: &HeapProfile, attribution: &Attribution) -> Vec<String> {
    let Ok(space) = profile.value_index(attribution.sample) else {
        return Vec::new();
    };
    let mut folded: BTreeMap<String, i64> = BTreeMap::new();
    for (sample, role) in profile.samples.iter().zip(&attribution.roles) {
        let Role::Map { report, part } = *role else {
            continue;
        };
        let value = profile.sample_value(sample, space);
        if value <= 0 {
            continue;
        }
        let names: Vec<&str> = profile
            .stack(sample)
            .map(|f| profile.function(f).name.as_str())
            .collect();
        let mut line = names
            .iter()
            .rev()
            .copied()
            .map(sanitize)
            .collect::<Vec<_>>()
            .join(";");
        let r = &attribution.maps[report];
        let what = format!(
            "[{} {}]",
            r.map_type.as_deref().unwrap_or("map"),
            part.map_or("memory", |p| p.label())
        );
        if !line.is_empty() {
            line.push(';');
        }
        line.push_str(&sanitize(&what));
        let total = folded.entry(line).or_default();
        *total = total.saturating_add(value);
    }
    folded
        .into_iter()
        .map(|(stack, v)| format!("{stack} {v}"))
        .collect()
}

/// Folded format separators cannot appear inside frame names.
fn sanitize(name: &str) -> String {
    name.replace(';', ":").replace('\n', " ")
}

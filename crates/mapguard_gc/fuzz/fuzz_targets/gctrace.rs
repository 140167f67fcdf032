//! gctrace logs: line parser, cut-line rejoining, restart splitting, analysis. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(parsed) = mapguard_gc::parse::gctrace_line::parse(data) {
        assert!(parsed.whole_groups_end <= data.len());
    }
    if let Ok(series) = mapguard_gc::read_gctrace(data) {
        let _ = mapguard_gc::analyze(&series);
    }
});

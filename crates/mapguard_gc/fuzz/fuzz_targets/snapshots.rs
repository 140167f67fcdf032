//! expvar JSON and Prometheus text: parsing and analysis of snapshot series. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mapguard_gc::SourceKind;

fuzz_target!(|data: &[u8]| {
    for kind in [SourceKind::Expvar, SourceKind::Prometheus] {
        if let Ok(series) = mapguard_gc::read_text(kind, data) {
            let _ = mapguard_gc::analyze(&series);
        }
    }
});

//! What `mapguard gc` does with any input: detect, read, analyse, draw. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(series) = mapguard_gc::read_stream(data, mapguard_gc::InputFormat::Auto) {
        let report = mapguard_gc::analyze(&series);
        let _ = mapguard_gc::plot::svg(&report, "fuzz");
    }
});

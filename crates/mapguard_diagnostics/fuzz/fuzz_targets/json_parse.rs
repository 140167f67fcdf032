//! Reading a JSON report back (json::parse) on arbitrary input: errors, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = mapguard_diagnostics::render::json::parse(text);
    }
});

//! `//go:build` headers and file names: evaluation must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mapguard_go::BuildContext;

fuzz_target!(|data: &[u8]| {
    let ctx = BuildContext::default();
    let _ = ctx.matches_header(data);
    if let Ok(name) = std::str::from_utf8(data) {
        let _ = ctx.matches_file_name(name);
    }
});

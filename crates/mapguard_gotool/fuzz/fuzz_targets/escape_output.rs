//! Any text as `go build -gcflags=-m=2` output: parsing never panics, and every verdict's
//! file name comes from the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let report = mapguard_gotool::parse_escape_output(&text);
    for escape in &report.escapes {
        assert!(
            text.contains(&escape.position.file),
            "{:?}",
            escape.position
        );
    }
});

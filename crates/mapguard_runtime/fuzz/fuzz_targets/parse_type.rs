//! Any text: parse_type never panics; what it accepts prints back to text that parses to the same
//! type; layout never panics on any architecture.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mapguard_runtime::types::{Arch, NoTypes, StdTypes, layout, parse_type};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(ty) = parse_type(text) else {
        return;
    };
    let printed = ty.to_string();
    let again = parse_type(&printed).unwrap_or_else(|e| panic!("{printed:?} does not re-parse: {e}"));
    assert_eq!(again.to_string(), printed, "printing is not stable");
    for arch in Arch::ALL {
        let _ = layout(&ty, arch, &NoTypes);
        let _ = layout(&ty, arch, &StdTypes);
    }
});

//! Any Go-ish source: SourceTypes::parse never panics, and sizing whatever it declares never
//! panics or loops (recursive and mutually recursive declarations included).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mapguard_runtime::types::{Arch, GoType, SourceTypes, layout};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let types = SourceTypes::parse(text);
    // Size every identifier that appears, declared or not.
    for word in text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .take(64)
    {
        let _ = layout(&GoType::Named(word.to_owned()), Arch::Amd64, &types);
        let _ = layout(&GoType::Named(word.to_owned()), Arch::I386, &types);
    }
});

//! apply_fixes on arbitrary text and edits: never panics, and the result never contains an edit
//! that overlaps another.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mapguard_diagnostics::{Edit, Fix, TextRange, apply_fixes};

fuzz_target!(|data: &[u8]| {
    let Some((&count, rest)) = data.split_first() else {
        return;
    };
    let count = usize::from(count % 8);
    if rest.len() < count * 3 {
        return;
    }
    let (edits, text) = rest.split_at(count * 3);
    let source = String::from_utf8_lossy(text).into_owned();
    let len = source.len() as u32;
    let fixes: Vec<Fix> = edits
        .chunks(3)
        .map(|chunk| {
            let a = u32::from(chunk[0]) * (len + 2) / 255;
            let b = u32::from(chunk[1]) * (len + 2) / 255;
            let edit = Edit::replacement(
                TextRange::new(a.min(b), a.max(b)),
                "é".repeat(usize::from(chunk[2] % 3)),
            );
            if chunk[2] & 0x80 == 0 {
                Fix::safe_edit("s", edit)
            } else {
                Fix::unsafe_edit("u", edit)
            }
        })
        .collect();
    let refs: Vec<&Fix> = fixes.iter().collect();
    for allow_unsafe in [false, true] {
        let result = apply_fixes(&source, &refs, allow_unsafe);
        assert_eq!(
            result.applied + result.skipped + result.unsafe_skipped + result.invalid,
            fixes.len()
        );
        assert_eq!(result.applied_fixes.len(), result.applied);
        if result.applied == 0 {
            assert_eq!(result.output, source);
        }
    }
});

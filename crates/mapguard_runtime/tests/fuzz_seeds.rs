//! Replays the fuzz seed corpus (fuzz/seeds/, including inputs that once crashed) with the fuzz
//! targets' properties, so regressions show up in `cargo test` without nightly.

use std::path::PathBuf;

use mapguard_runtime::types::{Arch, GoType, NoTypes, SourceTypes, layout, parse_type};

fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            (path.display().to_string(), std::fs::read(&path).unwrap())
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seeds in {}", dir.display());
    out
}

#[test]
fn parse_type_seeds_print_back_stably() {
    for (name, data) in seeds("parse_type") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        let Ok(ty) = parse_type(text) else { continue };
        let printed = ty.to_string();
        let again = parse_type(&printed).unwrap_or_else(|e| panic!("{name}: {printed:?}: {e}"));
        assert_eq!(again.to_string(), printed, "{name}");
        for arch in Arch::ALL {
            let _ = layout(&ty, arch, &NoTypes);
        }
    }
}

#[test]
fn source_type_seeds_size_without_looping() {
    for (_, data) in seeds("source_types") {
        let text = String::from_utf8_lossy(&data);
        let types = SourceTypes::parse(&text);
        for word in ["A", "B", "C", "S", "U", "x"] {
            let _ = layout(&GoType::Named(word.into()), Arch::Amd64, &types);
        }
    }
}

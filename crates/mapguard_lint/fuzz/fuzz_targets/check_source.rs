//! Any bytes as Go source (split into two files of one package): loading, indexing and every
//! rule must not panic, whatever the tree looks like.
#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use mapguard_go::index::Index;
use mapguard_go::{BuildContext, load_sources};
use mapguard_lint::{Settings, check};

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0xff).unwrap_or(data.len());
    let (first, second) = data.split_at(split);
    let files = vec![
        (PathBuf::from("/nonexistent/fuzz/a.go"), first.to_vec()),
        (PathBuf::from("/nonexistent/fuzz/b.go"), second.get(1..).unwrap_or_default().to_vec()),
    ];
    let program = load_sources(files, Path::new("/nonexistent"), &BuildContext::default());
    let index = Index::build(&program);
    let settings = Settings::default();
    let _ = check(&program, &index, &|_| &settings);
});

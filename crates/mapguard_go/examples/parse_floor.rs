//! The floor for `bench/check.sh`: walk, read and parse with tree-sitter every `.go` file that
//! `mapguard check ./...` would load under a directory (in parallel, as check does), and nothing
//! else: no index, no rules, no output.

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".to_string());
    let program = mapguard_go::load(
        &["./...".to_string()],
        std::path::Path::new(&dir),
        &mapguard_go::LoadOptions::default(),
    );
    let files: usize = program.packages.iter().map(|p| p.files.len()).sum();
    std::hint::black_box(files);
}

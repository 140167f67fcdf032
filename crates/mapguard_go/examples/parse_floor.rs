//! The floor for `bench/check.sh`: read and parse with tree-sitter-go every `.go` file that
//! `mapguard check ./...` would parse under a directory (the same selection, the same parser, in
//! parallel as check does), and nothing else: no conversion, no index, no rules, no output.
//!
//! Usage: `parse_floor DIR [--keep]`. By default each tree is dropped once parsed (the bare cost
//! of parsing); with `--keep` every tree is kept until the end, as a tool that parses everything
//! before analysing it does.

use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| ".".to_string());
    let keep = args.next().is_some_and(|a| a == "--keep");
    let options = mapguard_go::LoadOptions::default();
    let candidates = mapguard_go::load::candidates(
        &["./...".to_string()],
        std::path::Path::new(&dir),
        &options,
        &mut Vec::new(),
    );
    let trees: Vec<tree_sitter::Tree> = candidates
        .par_iter()
        .filter_map(|candidate| {
            let bytes = std::fs::read(&candidate.path).ok()?;
            if !mapguard_go::load::is_loaded(&bytes, candidate.explicit, &options.build) {
                return None;
            }
            let tree = mapguard_go::syntax::parse_tree_sitter(&bytes)?;
            keep.then_some(tree)
        })
        .collect();
    std::hint::black_box(trees.len());
}

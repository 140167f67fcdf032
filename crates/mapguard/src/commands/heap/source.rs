//! Adapts `mapguard_go`'s map sites (tree-sitter source index) into `mapguard_pprof`'s
//! [`SiteTable`], with the named types of every loaded file for sizing map types.

use std::path::{Path, PathBuf};

use anyhow::bail;
use mapguard_go::LoadOptions;
use mapguard_go::index::Index;
use mapguard_go::sites::{SiteKind as GoSiteKind, map_sites};
use mapguard_pprof::{MapSite, SiteKind, SiteTable};
use mapguard_runtime::types::SourceTypes;

/// The source index of `--source DIR`.
pub(crate) struct Sources {
    pub(crate) root: PathBuf,
    pub(crate) table: SiteTable,
    pub(crate) files: usize,
    pub(crate) typed: usize,
}

/// Loads every package under `dir` and collects its map sites.
pub(crate) fn load(dir: &Path) -> anyhow::Result<Sources> {
    if !dir.is_dir() {
        bail!("--source {}: not a directory", dir.display());
    }
    let root = dir.canonicalize()?;
    let program = mapguard_go::load(&["./...".to_owned()], &root, &LoadOptions::default());
    let files: usize = program.packages.iter().map(|p| p.files.len()).sum();
    if files == 0 {
        bail!("--source {}: no Go files found", dir.display());
    }
    let index = Index::build(&program);
    let mut table = SiteTable::new();
    let mut typed = 0;
    for site in map_sites(&program, &index) {
        let path = site.path.strip_prefix(&root).unwrap_or(&site.path);
        let map_type = site
            .map_type
            .map(|t| t.to_string())
            .filter(|t| !t.contains('?'));
        typed += usize::from(map_type.is_some());
        table.insert(
            &path.to_string_lossy(),
            site.line,
            MapSite {
                kind: kind(site.kind),
                map_type,
                name: None,
            },
        );
    }
    for package in &program.packages {
        for file in &package.files {
            table.add_types(SourceTypes::parse(&file.text));
        }
    }
    Ok(Sources {
        root,
        table,
        files,
        typed,
    })
}

fn kind(kind: GoSiteKind) -> SiteKind {
    match kind {
        GoSiteKind::Make => SiteKind::Make,
        GoSiteKind::Literal => SiteKind::Literal,
        GoSiteKind::Assign => SiteKind::Assign,
        GoSiteKind::Clear => SiteKind::Clear,
        GoSiteKind::Clone => SiteKind::Clone,
    }
}

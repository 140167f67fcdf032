//! The source lines that make, write, clear or clone maps: what attribution joins samples with.
//!
//! This crate never reads Go source. The caller fills a [`MapSiteIndex`] (the binary adapts
//! `mapguard_go`'s source index; tests use a [`SiteTable`] filled by hand).

use std::collections::HashMap;

use mapguard_runtime::types::{GoType, SourceTypes, StdTypes, TypeResolver};

/// What a map site does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// `make(map[K]V[, hint])`.
    Make,
    /// A composite literal `map[K]V{...}`.
    Literal,
    /// `m[k] = v`, `m[k] op= v`, `m[k]++`.
    Assign,
    /// `clear(m)`.
    Clear,
    /// `maps.Clone(m)` and friends.
    Clone,
    /// Another map operation (e.g. a map filled through reflect by a call on this line).
    Other,
}

impl SiteKind {
    /// Whether this operation can allocate a new map header (`hmap` / `maps.Map`).
    pub fn creates_map(self) -> bool {
        matches!(self, Self::Make | Self::Literal | Self::Clone | Self::Other)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Make => "make",
            Self::Literal => "literal",
            Self::Assign => "assign",
            Self::Clear => "clear",
            Self::Clone => "clone",
            Self::Other => "other",
        }
    }
}

/// A map operation at one source line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MapSite {
    pub kind: SiteKind,
    /// The map's type expression as written or inferred (`map[string]int`, `map[UserID]*User`),
    /// when known.
    pub map_type: Option<String>,
    /// A stable identity of the map when known (a package var `cache`, a field path
    /// `(*Server).sessions`, a local `fill.m`): sites with the same name are reported as one map.
    pub name: Option<String>,
}

/// Looks up the map operation at a source position.
pub trait MapSiteIndex {
    /// The map site at `line` of `file`, where `file` is the path as the profile records it
    /// (usually absolute, from the build machine). Implementations match by path suffix.
    fn site_at(&self, file: &str, line: u32) -> Option<MapSite>;

    /// Definitions of named types used in map types (defaults to a few standard-library types).
    fn types(&self) -> &dyn TypeResolver {
        &StdTypes
    }
}

/// A [`MapSiteIndex`] filled by hand: sites keyed by a relative path (`pkg/file.go`) and line.
/// A profile path matches when it ends with the site's path on a `/` boundary; the longest match
/// wins.
#[derive(Debug, Default, Clone)]
pub struct SiteTable {
    by_base: HashMap<String, Vec<(String, u32, MapSite)>>,
    types: FileTypes,
}

/// Named types from Go files, then the standard-library types mapguard knows.
#[derive(Debug, Default, Clone)]
struct FileTypes(Vec<SourceTypes>);

impl TypeResolver for FileTypes {
    fn resolve(&self, name: &str) -> Option<GoType> {
        // A source index may qualify a `main` package's type by its directory (`app.T`) while the
        // file declares it in package `main`: fall back to the bare name.
        let bare = name.rsplit_once('.').map(|(_, n)| n);
        self.0
            .iter()
            .find_map(|t| t.resolve(name))
            .or_else(|| StdTypes.resolve(name))
            .or_else(|| bare.and_then(|n| self.0.iter().find_map(|t| t.resolve(n))))
    }

    fn resolve_const(&self, name: &str) -> Option<u64> {
        self.0.iter().find_map(|t| t.resolve_const(name))
    }
}

impl SiteTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the site at `path:line` (`path` relative to the module root, `/`-separated).
    pub fn insert(&mut self, path: &str, line: u32, site: MapSite) {
        let path = path.trim_start_matches("./").replace('\\', "/");
        let base = basename(&path).to_owned();
        self.by_base
            .entry(base)
            .or_default()
            .push((path, line, site));
    }

    /// Adds the named types and constants declared in one Go file (for sizing map types).
    pub fn add_types(&mut self, types: SourceTypes) {
        self.types.0.push(types);
    }

    pub fn len(&self) -> usize {
        self.by_base.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl MapSiteIndex for SiteTable {
    fn site_at(&self, file: &str, line: u32) -> Option<MapSite> {
        let file = file.replace('\\', "/");
        let candidates = self.by_base.get(basename(&file))?;
        candidates
            .iter()
            .filter(|(path, l, _)| *l == line && path_suffix_matches(&file, path))
            .max_by_key(|(path, _, _)| path.len())
            .map(|(_, _, site)| site.clone())
    }

    fn types(&self) -> &dyn TypeResolver {
        &self.types
    }
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `/home/u/app/pkg/a.go` ends with `pkg/a.go` on a component boundary.
fn path_suffix_matches(full: &str, suffix: &str) -> bool {
    full == suffix
        || full
            .strip_suffix(suffix)
            .is_some_and(|head| head.ends_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(kind: SiteKind) -> MapSite {
        MapSite {
            kind,
            map_type: Some("map[string]int".into()),
            name: None,
        }
    }

    #[test]
    fn matches_profile_paths_by_suffix() {
        let mut t = SiteTable::new();
        t.insert("cmd/app/main.go", 10, site(SiteKind::Make));
        t.insert("main.go", 10, site(SiteKind::Assign));
        assert_eq!(
            t.site_at("/build/src/cmd/app/main.go", 10).unwrap().kind,
            SiteKind::Make
        );
        assert_eq!(
            t.site_at("/build/src/main.go", 10).unwrap().kind,
            SiteKind::Assign
        );
        assert!(t.site_at("/build/src/xmain.go", 10).is_none());
        assert!(t.site_at("/build/src/cmd/app/main.go", 11).is_none());
    }
}

//! Map sites: every source line that makes, grows, clears or clones a map, with the map's type.
//! Heap-profile attribution joins a sample's leaf `file:line` with these.

use std::path::PathBuf;

use crate::index::{AccessKind, FuncScope, Index, Type, map_accesses};
use crate::load::Program;
use crate::syntax::{self, Node};

/// What a line does to a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SiteKind {
    /// `make(map[K]V, …)`.
    Make,
    /// A map composite literal `map[K]V{…}` (or of a named map type).
    Literal,
    /// `m[k] = v`, `m[k] op= v`, `m[k]++`, `maps.Copy(m, …)`: may grow the map.
    Assign,
    /// `clear(m)`.
    Clear,
    /// `maps.Clone(m)`.
    Clone,
}

/// One map site.
#[derive(Debug, Clone)]
pub struct MapSite {
    pub path: PathBuf,
    /// 1-based line.
    pub line: u32,
    pub kind: SiteKind,
    /// The map's type, when the index can tell.
    pub map_type: Option<Type>,
}

/// Every map site of every loaded package, in file and line order.
pub fn map_sites(program: &Program, index: &Index) -> Vec<MapSite> {
    let mut sites = Vec::new();
    for package in &program.packages {
        let Some(pkg) = index.package(&package.import_path) else {
            continue;
        };
        for (file_index, file) in package.files.iter().enumerate() {
            for decl in syntax::named_children(file.tree.root_node()) {
                let scope = FuncScope::new(index, pkg, file_index, &file.text, decl);
                collect(&scope, decl, &file.path, index, &mut sites);
            }
        }
    }
    sites.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    sites
}

fn collect(
    scope: &FuncScope<'_>,
    decl: Node<'_>,
    path: &std::path::Path,
    index: &Index,
    sites: &mut Vec<MapSite>,
) {
    let mut push = |node: Node<'_>, kind, map_type: Option<Type>| {
        sites.push(MapSite {
            path: path.to_path_buf(),
            line: syntax::line(node),
            kind,
            map_type,
        });
    };
    for node in syntax::descendants(decl) {
        match node.kind() {
            "call_expression" => {
                let Some(function) = node.child_by_field_name("function") else {
                    continue;
                };
                let name = syntax::text(function, scope.src);
                let first = node
                    .child_by_field_name("arguments")
                    .and_then(|a| syntax::named_children(a).next());
                if name == "make" {
                    if let Some(ty) = first
                        .map(|t| scope.type_from_node(t))
                        .filter(|t| index.map_types(t).is_some())
                    {
                        push(node, SiteKind::Make, Some(ty));
                    }
                } else if name == "maps.Clone"
                    && let Some(ty) = first
                        .and_then(|m| scope.type_of(m))
                        .filter(|t| index.map_types(t).is_some())
                {
                    push(node, SiteKind::Clone, Some(ty));
                }
            }
            "composite_literal" => {
                if let Some(ty) = node
                    .child_by_field_name("type")
                    .map(|t| scope.type_from_node(t))
                    && index.map_types(&ty).is_some()
                {
                    push(node, SiteKind::Literal, Some(ty));
                }
            }
            _ => {}
        }
    }
    for access in map_accesses(scope, decl) {
        let kind = match access.kind {
            AccessKind::Insert | AccessKind::Update | AccessKind::CopyInto => SiteKind::Assign,
            AccessKind::Clear => SiteKind::Clear,
            _ => continue,
        };
        push(access.node, kind, access.map_type);
    }
}

//! Keeping the map-related verdicts and joining them to the source: which expression or
//! variable the compiler meant, whether it is a map (by the semantic index, so named map types
//! count), and the source line.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use mapguard_go::index::{FuncScope, Index};
use mapguard_go::syntax::{self, Node};
use mapguard_go::{BuildContext, LoadOptions, Program};
use mapguard_gotool::{Escape, EscapeKind, EscapeReport, Position};

use super::compiler::Compiled;

/// How a verdict concerns a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum MapRole {
    /// `make(map[K]V…)` (or of a named map type).
    Make,
    /// A map composite literal.
    Literal,
    /// A variable or parameter of map type (moved to heap, leaking, captured).
    Variable,
    /// A value that escapes because it is stored as a map key.
    Key,
    /// A value that escapes because it is stored as a map value.
    Value,
}

/// One map-related verdict, joined to the source.
pub(super) struct MapEscape<'r> {
    pub(super) escape: &'r Escape,
    /// The file as shown: relative to the directory go ran in when inside it.
    pub(super) path: String,
    pub(super) role: MapRole,
    /// The map's type, when the index can tell.
    pub(super) map_type: Option<String>,
    /// A closure captures the map (a `captured by a closure` step, or a capture verdict).
    pub(super) captured: bool,
    /// The source line, without its line break.
    pub(super) line_text: Option<String>,
}

impl MapEscape<'_> {
    pub(super) fn on_heap(&self) -> bool {
        self.escape.kind != EscapeKind::DoesNotEscape
    }
}

/// The map-related verdicts of `report`, in file and line order. Relative compiler paths are
/// relative to `dir`, where go ran.
pub(super) fn map_escapes<'r>(report: &'r EscapeReport, dir: &Path) -> Vec<MapEscape<'r>> {
    let sources = Sources::load(report, dir);
    let mut found: Vec<MapEscape<'r>> = report
        .escapes
        .iter()
        .filter_map(|escape| classify(escape, &sources, dir))
        .collect();
    found.sort_by(|a, b| {
        (&a.path, a.escape.position.line, a.escape.position.column).cmp(&(
            &b.path,
            b.escape.position.line,
            b.escape.position.column,
        ))
    });
    found
}

/// Compile errors worth reporting: only when the build failed (saved output cannot tell).
pub(super) fn compile_errors(report: &EscapeReport, compiled: &Compiled) -> Vec<String> {
    let Some(failure) = &compiled.failure else {
        if report.escapes.is_empty() && compiled.text.lines().any(|l| !l.trim().is_empty()) {
            return vec![
                "input has no escape-analysis lines (expected `go build -gcflags=-m=2` output)"
                    .to_string(),
            ];
        }
        return Vec::new();
    };
    let mut errors: Vec<String> = report
        .other
        .iter()
        .map(|(position, message)| format!("{position}: {message}"))
        .collect();
    errors.push(failure.clone());
    errors
}

/// The packages of every file the output names, parsed and indexed.
struct Sources {
    program: Program,
    index: Index,
    /// Absolute path → (package, file) in `program`.
    files: HashMap<PathBuf, (usize, usize)>,
}

impl Sources {
    fn load(report: &EscapeReport, dir: &Path) -> Sources {
        let dirs: BTreeSet<PathBuf> = report
            .escapes
            .iter()
            .map(|e| resolve(dir, &e.position.file))
            .filter(|p| p.is_file())
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        let patterns: Vec<String> = dirs
            .iter()
            .map(|d| d.to_string_lossy().into_owned())
            .collect();
        let env = |name: &str, default: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| default.to_string())
        };
        let options = LoadOptions {
            build: BuildContext {
                goos: env("GOOS", "linux"),
                goarch: env("GOARCH", "amd64"),
                tags: Vec::new(),
                tests: true,
            },
            exclude: Vec::new(),
        };
        let program = if patterns.is_empty() {
            Program::default()
        } else {
            mapguard_go::load(&patterns, dir, &options)
        };
        let index = Index::build(&program);
        let mut files = HashMap::new();
        for (p, package) in program.packages.iter().enumerate() {
            for (f, file) in package.files.iter().enumerate() {
                files.insert(normalize(&file.path), (p, f));
            }
        }
        Sources {
            program,
            index,
            files,
        }
    }
}

fn classify<'r>(escape: &'r Escape, sources: &Sources, dir: &Path) -> Option<MapEscape<'r>> {
    let absolute = resolve(dir, &escape.position.file);
    let path = match absolute.strip_prefix(dir) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => escape.position.file.clone(),
    };
    let steps = || escape.flows.iter().flat_map(|f| &f.steps);
    let captured = matches!(
        escape.kind,
        EscapeKind::CapturedByValue | EscapeKind::CapturedByRef
    ) || steps().any(|s| s.reason == "captured by a closure");
    let source = sources.files.get(&absolute).map(|&(p, f)| {
        let package = &sources.program.packages[p];
        (package, f, &package.files[f])
    });

    let mut role = None;
    let mut map_type = None;
    if let Some((package, file_index, file)) = source
        && let Some(offset) = offset_of(&file.text, &escape.position)
        && let Some(pkg) = sources.index.package(&package.import_path)
    {
        let root = file.tree.root_node();
        if let Some(node) = root.named_descendant_for_byte_range(offset, offset) {
            let decl = top_level(node);
            let scope = FuncScope::new(&sources.index, pkg, file_index, &file.text, decl);
            if let Some((found_role, ty)) = subject_map(&scope, &sources.index, node, escape) {
                role = Some(found_role);
                map_type = ty;
            }
            if role.is_none() {
                role = stored_in_map(escape, sources, dir);
            }
        }
    }
    if role.is_none() {
        role = textual_role(escape);
    }
    let role = role?;
    let line_text = source.and_then(|(_, _, file)| {
        file.text
            .lines()
            .nth(escape.position.line.checked_sub(1)? as usize)
            .map(|l| l.trim_end_matches('\r').to_string())
    });
    Some(MapEscape {
        escape,
        path,
        role,
        map_type,
        captured,
        line_text,
    })
}

/// The subject itself is a map: an allocation expression or a variable of map type.
fn subject_map(
    scope: &FuncScope<'_>,
    index: &Index,
    node: Node<'_>,
    escape: &Escape,
) -> Option<(MapRole, Option<String>)> {
    // The compiler puts `make(…)` at its `(` and `T{…}` at its `{`.
    let offset = node.start_byte();
    for current in ancestors(node) {
        let starts_here = |field: &str| {
            current.start_byte() == offset
                || current
                    .child_by_field_name(field)
                    .is_some_and(|c| c.start_byte() == offset)
        };
        let role = match current.kind() {
            "call_expression" if starts_here("arguments") => MapRole::Make,
            "composite_literal" if starts_here("body") => MapRole::Literal,
            "identifier"
                if current.start_byte() == offset
                    && syntax::text(current, scope.src) == escape.subject =>
            {
                MapRole::Variable
            }
            kind if kind.ends_with("_statement") || kind.ends_with("declaration") => break,
            _ => continue,
        };
        let ty = written_type(scope, current).or_else(|| scope.type_of(current))?;
        let is_map = index.map_types(&ty).is_some();
        return is_map.then(|| (role, Some(ty.to_string())));
    }
    None
}

/// The type written in `make(T, …)` or `T{…}`.
fn written_type(scope: &FuncScope<'_>, node: Node<'_>) -> Option<mapguard_go::index::Type> {
    let type_node = match node.kind() {
        "composite_literal" => node.child_by_field_name("type")?,
        "call_expression" => {
            let function = node.child_by_field_name("function")?;
            if syntax::text(function, scope.src) != "make" {
                return None;
            }
            let arguments = node.child_by_field_name("arguments")?;
            syntax::named_children(arguments).next()?
        }
        _ => return None,
    };
    Some(scope.type_from_node(type_node))
}

/// A value that escapes because a flow stores it into a map: `key of map put`, or an
/// assignment `m[k] = v` to a map.
fn stored_in_map(escape: &Escape, sources: &Sources, dir: &Path) -> Option<MapRole> {
    for step in escape.flows.iter().flat_map(|f| &f.steps) {
        if step.reason == "key of map put" {
            return Some(MapRole::Key);
        }
        if step.reason == "value of map put" {
            return Some(MapRole::Value);
        }
        if step.reason != "assign" {
            continue;
        }
        let Some(at) = &step.at else { continue };
        let Some(&(p, f)) = sources.files.get(&resolve(dir, &at.file)) else {
            continue;
        };
        let package = &sources.program.packages[p];
        let file = &package.files[f];
        let (Some(offset), Some(pkg)) = (
            offset_of(&file.text, at),
            sources.index.package(&package.import_path),
        ) else {
            continue;
        };
        let Some(node) = file
            .tree
            .root_node()
            .descendant_for_byte_range(offset, offset)
        else {
            continue;
        };
        let Some(assignment) = ancestors(node).find(|n| n.kind() == "assignment_statement") else {
            continue;
        };
        let scope = FuncScope::new(&sources.index, pkg, f, &file.text, top_level(assignment));
        let targets: Vec<Node<'_>> = syntax::field_children(assignment, "left")
            .into_iter()
            .flat_map(|lhs| {
                if lhs.kind() == "expression_list" {
                    syntax::named_children(lhs).collect()
                } else {
                    vec![lhs]
                }
            })
            .collect();
        let into_map = targets.iter().any(|lhs| {
            lhs.kind() == "index_expression"
                && lhs
                    .child_by_field_name("operand")
                    .and_then(|m| scope.type_of(m))
                    .is_some_and(|ty| sources.index.map_types(&ty).is_some())
        });
        if into_map {
            return Some(MapRole::Value);
        }
    }
    None
}

/// Without source: `make(map[…` and `map[…]…{…}` subjects, and stores into maps.
fn textual_role(escape: &Escape) -> Option<MapRole> {
    let steps = || escape.flows.iter().flat_map(|f| &f.steps);
    if escape.subject.starts_with("make(map[") {
        Some(MapRole::Make)
    } else if escape.subject.starts_with("map[") {
        Some(MapRole::Literal)
    } else if steps().any(|s| s.reason == "key of map put") {
        Some(MapRole::Key)
    } else if steps().any(|s| s.reason == "value of map put") {
        Some(MapRole::Value)
    } else {
        None
    }
}

fn ancestors(node: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    std::iter::successors(Some(node), |n| n.parent())
}

/// The declaration directly under the file's root that contains `node`.
fn top_level(node: Node<'_>) -> Node<'_> {
    ancestors(node)
        .find(|n| n.parent().is_some_and(|p| p.parent().is_none()))
        .unwrap_or(node)
}

/// Byte offset of a 1-based line and byte column.
fn offset_of(text: &str, position: &Position) -> Option<usize> {
    let line_index = usize::try_from(position.line.checked_sub(1)?).ok()?;
    let column = usize::try_from(position.column.checked_sub(1)?).ok()?;
    let line_start = if line_index == 0 {
        0
    } else {
        text.match_indices('\n').nth(line_index - 1)?.0 + 1
    };
    let offset = line_start + column;
    (offset < text.len()).then_some(offset)
}

fn resolve(dir: &Path, file: &str) -> PathBuf {
    normalize(&dir.join(file))
}

/// Removes `.` and `..` components without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

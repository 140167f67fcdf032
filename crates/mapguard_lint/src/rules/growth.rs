//! Shared by MG201 and MG202: which maps of a package leak.
//!
//! A map only grows when some function adds keys to it and no function in the package deletes
//! from it, clears it, replaces it, or hands it to code that could. Writes in `init`,
//! constructors, registration functions and tests do not count as growth; nor do writes whose
//! key set is bounded (enum or constant keys) or guarded by a `len(m)` limit.
//!
//! Most maps that only grow are bounded by what their keys can be, which the code does not
//! say: on eleven large projects, 9 of 63 judged were leaks. A growing map leaks when the code
//! shows its keys come and go: a sibling map drops the same keys ([`dropped_key`]).

use std::collections::HashMap;

use mapguard_go::index::{AccessKind, MapAccess, MapRef, Type};
use mapguard_go::syntax::{self, Node};

use super::dropped_keys::{dropped_key, ending_deletes};
use crate::context::{FunctionFacts, PackageContext};

/// A map that only grows while a sibling drops the same keys: (function, access) indices of the
/// write to report and of the sibling's `delete`.
pub(crate) struct Leak {
    target: MapRef,
    write: (usize, usize),
    delete: (usize, usize),
}

/// A leaking map, with the write to report and the sibling's `delete` that shows it.
pub(crate) struct GrowingMap<'c, 'a> {
    pub(crate) target: MapRef,
    pub(crate) function: &'c FunctionFacts<'a>,
    pub(crate) write: &'c MapAccess<'a>,
    pub(crate) deleting: &'c FunctionFacts<'a>,
    pub(crate) delete: &'c MapAccess<'a>,
}

#[derive(Default)]
struct Evidence {
    /// Growing writes: (function, access) indices.
    growing: Vec<(usize, usize)>,
    bounded: bool,
}

/// The maps of this package (package vars or fields of its types) that leak.
/// Computed once per package and shared by MG201 and MG202.
pub(crate) fn growing_maps<'c, 'a>(ctx: &'c PackageContext<'a>) -> Vec<GrowingMap<'c, 'a>> {
    let functions = ctx.functions();
    ctx.growing_cell()
        .get_or_init(|| find_growing(ctx))
        .iter()
        .map(|leak| GrowingMap {
            target: leak.target.clone(),
            function: &functions[leak.write.0],
            write: &functions[leak.write.0].accesses[leak.write.1],
            deleting: &functions[leak.delete.0],
            delete: &functions[leak.delete.0].accesses[leak.delete.1],
        })
        .collect()
}

impl GrowingMap<'_, '_> {
    /// `T.field` or `name` of the sibling whose `delete` shows the leak.
    pub(crate) fn sibling(&self) -> String {
        match &self.delete.target {
            MapRef::Field {
                type_name, field, ..
            } => format!("{type_name}.{field}"),
            MapRef::Global { name, .. } | MapRef::Local { name, .. } => name.clone(),
        }
    }

    /// Adds the message's tail and the sibling's `delete` as a related location.
    pub(crate) fn explain(
        &self,
        ctx: &PackageContext<'_>,
        message: String,
    ) -> mapguard_diagnostics::Diagnostic {
        let message = format!(
            "{message}, while {} in {} drops the same keys from {}",
            self.delete_text(ctx),
            self.deleting.display_name(),
            self.sibling()
        );
        let delete = self.delete.node;
        ctx.diagnostic(self.function.file, self.write.node, message)
            .with_related(
                ctx.location_of_range(self.deleting.file, delete.start_byte(), delete.end_byte()),
                format!("the same keys are deleted from {} here", self.sibling()),
            )
    }

    fn delete_text(&self, ctx: &PackageContext<'_>) -> String {
        let text = syntax::text(self.delete.node, &ctx.file(self.deleting.file).text);
        squash_spaces(text)
    }
}

fn squash_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn find_growing(ctx: &PackageContext<'_>) -> Vec<Leak> {
    let functions = ctx.functions();
    let mut evidence: HashMap<MapRef, Evidence> = HashMap::new();
    for (f, function) in functions.iter().enumerate() {
        let src = ctx.file(function.file).text.as_str();
        for (a, access) in function.accesses.iter().enumerate() {
            if !is_own_unexported(ctx, &access.target) {
                continue;
            }
            let entry = evidence.entry(access.target.clone()).or_default();
            if access.kind.shrinks() && !is_lazy_init(access, src) {
                entry.bounded = true;
            } else if access.kind.grows() && counts_as_growth(ctx, function, access, src) {
                entry.growing.push((f, a));
            }
        }
    }
    evidence.retain(|_, e| !e.bounded && !e.growing.is_empty());
    if !evidence.is_empty() {
        mark_escapes(ctx, &mut evidence);
    }
    let position = |(f, a): (usize, usize)| {
        (
            functions[f].file,
            functions[f].accesses[a].node.start_byte(),
        )
    };
    evidence.retain(|_, e| !e.bounded);
    if evidence.is_empty() {
        return Vec::new();
    }
    let deletes = ending_deletes(ctx);
    let mut out: Vec<Leak> = evidence
        .into_iter()
        .filter_map(|(target, mut e)| {
            e.growing.sort_by_key(|&w| position(w));
            let dropped = dropped_key(ctx, &deletes, &target, &e.growing)?;
            Some(Leak {
                target,
                write: dropped.write,
                delete: dropped.delete,
            })
        })
        .collect();
    out.sort_by_key(|leak| position(leak.write));
    out
}

/// Unexported package vars and fields of this package: code elsewhere cannot shrink them.
fn is_own_unexported(ctx: &PackageContext<'_>, target: &MapRef) -> bool {
    let (pkg, name) = match target {
        MapRef::Global { pkg, name } => (pkg, name.split('.').next().unwrap_or(name)),
        MapRef::Field { pkg, field, .. } => (pkg, field.as_str()),
        MapRef::Local { .. } => return false,
    };
    *pkg == ctx.pkg.path && name.starts_with(|c: char| c.is_lowercase() || c == '_')
}

/// `if m == nil { m = make(…) }`: lazy initialisation, not a reset.
fn is_lazy_init(access: &MapAccess<'_>, src: &str) -> bool {
    if access.kind != AccessKind::Replace {
        return false;
    }
    let map = squash(syntax::text(access.map_expr, src));
    let mut current = access.node.parent();
    while let Some(node) = current {
        if node.kind() == "if_statement" {
            let condition = node
                .child_by_field_id(syntax::FIELDS.condition)
                .map(|c| squash(syntax::text(c, src)));
            return condition.is_some_and(|c| c == format!("{map}==nil"));
        }
        if matches!(
            node.kind(),
            "function_declaration" | "method_declaration" | "func_literal"
        ) {
            return false;
        }
        current = node.parent();
    }
    false
}

/// Whether a growing write counts: not in init, a constructor, a test file or a registration
/// function, and not bounded by its key set or a length check.
fn counts_as_growth(
    ctx: &PackageContext<'_>,
    function: &FunctionFacts<'_>,
    access: &MapAccess<'_>,
    src: &str,
) -> bool {
    !(function.is_init_or_constructor()
        || ctx.file(function.file).is_test
        || is_registration(function, access, src)
        || bounded_write(ctx, function, access, src))
}

/// A function that panics on a duplicate key: the set of keys is the set of registrations.
fn is_registration(function: &FunctionFacts<'_>, access: &MapAccess<'_>, src: &str) -> bool {
    let panics = syntax::descendants(function.node).any(|n| {
        n.kind() == "call_expression"
            && n.child_by_field_id(syntax::FIELDS.function)
                .is_some_and(|f| syntax::text(f, src) == "panic")
    });
    panics
        && function
            .accesses
            .iter()
            .any(|a| a.target == access.target && a.kind == AccessKind::Read)
}

fn bounded_write(
    ctx: &PackageContext<'_>,
    function: &FunctionFacts<'_>,
    access: &MapAccess<'_>,
    src: &str,
) -> bool {
    bounded_key_type(ctx, access)
        || constant_key(ctx, function, access)
        || length_checked(function, access, src)
}

/// Key types with few values: bool, 8-bit integers, and named types with declared constants.
fn bounded_key_type(ctx: &PackageContext<'_>, access: &MapAccess<'_>) -> bool {
    let Some((key, _)) = access
        .map_type
        .as_ref()
        .and_then(|t| ctx.index.map_types(t))
    else {
        return false;
    };
    match key {
        Type::Named { pkg, name } if pkg.is_empty() => {
            matches!(name.as_str(), "bool" | "int8" | "uint8" | "byte")
        }
        Type::Named { pkg, name } => ctx
            .index
            .package(pkg)
            .is_some_and(|p| p.enum_size(name) > 0),
        _ => false,
    }
}

/// `stats["logins"]++`: a literal or package constant key.
fn constant_key(
    ctx: &PackageContext<'_>,
    function: &FunctionFacts<'_>,
    access: &MapAccess<'_>,
) -> bool {
    let Some(key) = index_key(access) else {
        return false;
    };
    let src = ctx.file(function.file).text.as_str();
    match key.kind() {
        "interpreted_string_literal" | "raw_string_literal" | "int_literal" | "rune_literal" => {
            true
        }
        "identifier" => {
            let name = syntax::text(key, src);
            function
                .scope
                .local(name, key.start_byte() as u32)
                .is_none()
                && ctx.pkg.consts.contains_key(name)
        }
        _ => false,
    }
}

/// The key expression of `m[k] = …`, `m[k]++`, `m[k] op= …`.
pub(super) fn index_key<'t>(access: &MapAccess<'t>) -> Option<Node<'t>> {
    let parent = access.map_expr.parent()?;
    (parent.kind() == "index_expression")
        .then(|| parent.child_by_field_id(syntax::FIELDS.index))
        .flatten()
}

/// A comparison of `len(m)` in the writing function before the write.
fn length_checked(function: &FunctionFacts<'_>, access: &MapAccess<'_>, src: &str) -> bool {
    let map = squash(syntax::text(access.map_expr, src));
    let needle = format!("len({map})");
    syntax::descendants(function.node)
        .take_while(|n| n.start_byte() < access.node.start_byte())
        .filter(|n| n.kind() == "binary_expression")
        .any(|n| {
            let op = n
                .child_by_field_id(syntax::FIELDS.operator)
                .map_or("", |o| syntax::text(o, src));
            matches!(op, "<" | "<=" | ">" | ">=" | "==")
                && squash(syntax::text(n, src)).contains(&needle)
        })
}

/// Maps used as values (passed to calls, aliased, returned, captured into other structures)
/// may be shrunk by code this analysis does not follow: mark them bounded.
///
/// Only the maps still growing matter, and an expression can only name one through its last
/// name (`sessions`, `s.items`), so functions whose text has none of those names are skipped.
fn mark_escapes(ctx: &PackageContext<'_>, evidence: &mut HashMap<MapRef, Evidence>) {
    let k = &*syntax::KINDS;
    let mut names: Vec<String> = evidence.keys().map(|t| last_name(t).to_string()).collect();
    names.sort();
    names.dedup();
    for function in ctx.functions() {
        let src = ctx.file(function.file).text.as_str();
        let text = &src[function.node.byte_range()];
        if !names.iter().any(|n| text.contains(n.as_str())) {
            continue;
        }
        syntax::walk_with_ancestors(function.node, |node, ancestors| {
            let id = node.kind_id();
            let last = if id == k.identifier {
                node
            } else if id == k.selector_expression {
                match syntax::field(node, syntax::FIELDS.field) {
                    Some(field) => field,
                    None => return,
                }
            } else {
                return;
            };
            let last = syntax::text(last, src);
            if !names.iter().any(|n| n == last) || !escapes(ancestors, src) {
                return;
            }
            if let Some(target) = function.scope.map_ref(node)
                && let Some(entry) = evidence.get_mut(&target)
            {
                entry.bounded = true;
            }
        });
    }
}

/// The name an expression denoting the map ends with: the variable or the field.
fn last_name(target: &MapRef) -> &str {
    match target {
        MapRef::Global { name, .. } | MapRef::Local { name, .. } => {
            name.rsplit('.').next().unwrap_or(name)
        }
        MapRef::Field { field, .. } => field,
    }
}

/// Whether an expression is used as a value that leaves the map's own operations.
/// `ancestors` are the expression's, nearest last.
fn escapes(ancestors: &[Node<'_>], src: &str) -> bool {
    let Some(&parent) = ancestors.last() else {
        return false;
    };
    let grandparent = ancestors.len().checked_sub(2).map(|i| ancestors[i]);
    match parent.kind() {
        "argument_list" => {
            let call = grandparent;
            let function = call
                .and_then(|c| c.child_by_field_id(syntax::FIELDS.function))
                .map_or("", |f| syntax::text(f, src));
            !matches!(
                function,
                "len"
                    | "delete"
                    | "clear"
                    | "maps.Copy"
                    | "maps.Clone"
                    | "maps.Keys"
                    | "maps.Values"
                    | "maps.All"
            )
        }
        "return_statement" | "expression_list" => {
            let stmt = if parent.kind() == "expression_list" {
                grandparent
            } else {
                Some(parent)
            };
            stmt.is_some_and(|s| match s.kind() {
                "return_statement" => true,
                "short_var_declaration" | "assignment_statement" | "var_spec" => {
                    s.child_by_field_id(syntax::FIELDS.right)
                        .or_else(|| s.child_by_field_id(syntax::FIELDS.value))
                        == Some(parent)
                }
                _ => false,
            })
        }
        "keyed_element" | "literal_element" | "send_statement" => true,
        "unary_expression" => parent
            .child_by_field_id(syntax::FIELDS.operator)
            .is_some_and(|o| syntax::text(o, src) == "&"),
        _ => false,
    }
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

//! Map operations in a function body: where a map is made, written, deleted from, cleared,
//! replaced or read — the facts every map rule starts from.

use super::scope::{FuncScope, MapRef};
use super::types::Type;
use crate::syntax::{self, Node};

/// What an operation does to a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccessKind {
    /// `m[k] = v`: may add a key.
    Insert,
    /// `m[k] += v`, `m[k]++`: may add a key (with the zero value).
    Update,
    /// `delete(m, k)`.
    Delete,
    /// `clear(m)`.
    Clear,
    /// `m = …`: the variable or field gets another map (or nil).
    Replace,
    /// `maps.Copy(m, src)`: adds src's keys.
    CopyInto,
    /// `m[k]`, `v, ok := m[k]`, `len(m)`, `range m`.
    Read,
}

impl AccessKind {
    /// Whether the operation can add keys.
    pub fn grows(self) -> bool {
        matches!(
            self,
            AccessKind::Insert | AccessKind::Update | AccessKind::CopyInto
        )
    }

    /// Whether the operation removes keys or drops the map.
    pub fn shrinks(self) -> bool {
        matches!(
            self,
            AccessKind::Delete | AccessKind::Clear | AccessKind::Replace
        )
    }

    pub fn is_write(self) -> bool {
        !matches!(self, AccessKind::Read)
    }
}

/// One operation on an identified map.
#[derive(Debug, Clone)]
pub struct MapAccess<'t> {
    pub target: MapRef,
    pub kind: AccessKind,
    /// The map expression (`s.items` in `s.items[k] = v`).
    pub map_expr: Node<'t>,
    /// The whole statement or expression performing the operation.
    pub node: Node<'t>,
    /// The map's type, when known.
    pub map_type: Option<Type>,
}

/// Collects the operations on maps the index can identify, in source order.
pub fn map_accesses<'t>(scope: &FuncScope<'_>, body: Node<'t>) -> Vec<MapAccess<'t>> {
    let mut candidates = Vec::new();
    syntax::walk_with_ancestors(body, |node, ancestors| {
        collect_candidate(node, ancestors, &mut candidates);
    });
    accesses_of(scope, &candidates)
}

/// Remembers `node` (with its ancestors, nearest last) when it may be a map operation, so that
/// a walk made for another purpose can gather what [`map_accesses`] would look at.
pub(crate) fn collect_candidate<'t>(
    node: Node<'t>,
    ancestors: &[Node<'t>],
    candidates: &mut Vec<Node<'t>>,
) {
    let k = &*syntax::KINDS;
    let id = node.kind_id();
    if id == k.assignment_statement
        || id == k.inc_statement
        || id == k.dec_statement
        || id == k.call_expression
        || id == k.range_clause
        || (id == k.index_expression && !is_written(ancestors))
    {
        candidates.push(node);
    }
}

/// The map operations of nodes gathered by [`collect_candidate`], in their order.
pub(crate) fn accesses_of<'t>(
    scope: &FuncScope<'_>,
    candidates: &[Node<'t>],
) -> Vec<MapAccess<'t>> {
    let k = &*syntax::KINDS;
    let f = &*syntax::FIELDS;
    let mut out = Vec::new();
    for &node in candidates {
        let id = node.kind_id();
        if id == k.assignment_statement {
            assignment(scope, node, &mut out);
        } else if id == k.inc_statement || id == k.dec_statement {
            if let Some(target) = syntax::named_children(node).next() {
                index_write(scope, target, node, AccessKind::Update, &mut out);
            }
        } else if id == k.call_expression {
            call(scope, node, &mut out);
        } else if id == k.index_expression {
            if let Some(operand) = syntax::field(node, f.operand) {
                push(scope, operand, node, AccessKind::Read, &mut out);
            }
        } else if id == k.range_clause
            && let Some(right) = syntax::field(node, f.right)
        {
            push(scope, right, node, AccessKind::Read, &mut out);
        }
    }
    out
}

/// Whether an index expression (whose ancestors are given, nearest last) is the target of an
/// assignment or `++`/`--`.
fn is_written(ancestors: &[Node<'_>]) -> bool {
    let Some(&parent) = ancestors.last() else {
        return false;
    };
    let k = &*syntax::KINDS;
    let id = parent.kind_id();
    if id == k.inc_statement || id == k.dec_statement {
        return true;
    }
    id == k.expression_list && ancestors.len() >= 2 && {
        let stmt = ancestors[ancestors.len() - 2];
        stmt.kind_id() == k.assignment_statement
            && syntax::field(stmt, syntax::FIELDS.left) == Some(parent)
    }
}

fn push<'t>(
    scope: &FuncScope<'_>,
    map_expr: Node<'t>,
    node: Node<'t>,
    kind: AccessKind,
    out: &mut Vec<MapAccess<'t>>,
) {
    let Some(map_type) = scope.type_of(map_expr) else {
        return;
    };
    if scope.index.map_types(&map_type).is_none() {
        return;
    }
    if let Some(target) = scope.storage_ref(map_expr) {
        out.push(MapAccess {
            target,
            kind,
            map_expr,
            node,
            map_type: Some(map_type),
        });
    }
}

fn index_write<'t>(
    scope: &FuncScope<'_>,
    target: Node<'t>,
    stmt: Node<'t>,
    kind: AccessKind,
    out: &mut Vec<MapAccess<'t>>,
) {
    let target = strip_parens(target);
    if target.kind_id() == syntax::KINDS.index_expression
        && let Some(operand) = target.child_by_field_id(syntax::FIELDS.operand)
    {
        push(scope, operand, stmt, kind, out);
    }
}

fn strip_parens(mut node: Node<'_>) -> Node<'_> {
    while node.kind_id() == syntax::KINDS.parenthesized_expression {
        match syntax::named_children(node).next() {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

fn assignment<'t>(scope: &FuncScope<'_>, stmt: Node<'t>, out: &mut Vec<MapAccess<'t>>) {
    let Some(left) = stmt.child_by_field_id(syntax::FIELDS.left) else {
        return;
    };
    let operator = stmt
        .child_by_field_id(syntax::FIELDS.operator)
        .map_or("=", |o| syntax::text(o, scope.src));
    let kind = if operator == "=" {
        AccessKind::Insert
    } else {
        AccessKind::Update
    };
    for target in syntax::named_children(left) {
        let target = strip_parens(target);
        if target.kind_id() == syntax::KINDS.index_expression {
            index_write(scope, target, stmt, kind, out);
        } else if operator == "=" {
            push(scope, target, stmt, AccessKind::Replace, out);
        }
    }
}

fn call<'t>(scope: &FuncScope<'_>, call: Node<'t>, out: &mut Vec<MapAccess<'t>>) {
    let Some(function) = call.child_by_field_id(syntax::FIELDS.function) else {
        return;
    };
    let Some(first) = call
        .child_by_field_id(syntax::FIELDS.arguments)
        .and_then(|a| syntax::named_children(a).next())
    else {
        return;
    };
    let at = u32::try_from(call.start_byte()).unwrap_or(0);
    let name = syntax::text(function, scope.src);
    let builtin = |n: &str| {
        function.kind_id() == syntax::KINDS.identifier && name == n && scope.local(n, at).is_none()
    };
    if builtin("delete") {
        push(scope, first, call, AccessKind::Delete, out);
    } else if builtin("clear") {
        push(scope, first, call, AccessKind::Clear, out);
    } else if builtin("len") {
        push(scope, first, call, AccessKind::Read, out);
    } else if function.kind_id() == syntax::KINDS.selector_expression {
        let (Some(pkg), Some(field)) = (
            function.child_by_field_id(syntax::FIELDS.operand),
            function.child_by_field_id(syntax::FIELDS.field),
        ) else {
            return;
        };
        let is_maps = pkg.kind_id() == syntax::KINDS.identifier
            && scope.import_path(syntax::text(pkg, scope.src), at) == Some("maps");
        match (is_maps, syntax::text(field, scope.src)) {
            (true, "Copy") => push(scope, first, call, AccessKind::CopyInto, out),
            (true, "DeleteFunc") => push(scope, first, call, AccessKind::Delete, out),
            (true, "Clone" | "Keys" | "Values" | "All" | "Equal" | "EqualFunc") => {
                push(scope, first, call, AccessKind::Read, out)
            }
            _ => {}
        }
    }
}

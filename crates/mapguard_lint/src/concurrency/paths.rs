//! Naming locks and the paths maps and locks are reached through, so that a lock taken at one
//! place and an access made at another can be matched: `s.mu` and `s.items` share the base `s`.

use std::collections::HashMap;

use mapguard_go::index::{FuncScope, Index, MapRef, Type};
use mapguard_go::syntax::{self, Node};

pub(crate) fn lock_path(
    scope: &FuncScope<'_>,
    index: &Index,
    expr: Node<'_>,
    src: &str,
    aliases: &HashMap<u32, (String, MapRef)>,
) -> Option<(String, MapRef)> {
    let ty = scope.type_of(expr)?;
    if is_lock_type(&ty) {
        if let Some(MapRef::Local { decl, name }) = scope.storage_ref(expr) {
            // An alias of another lock (`mu := &s.mu`), or a mutex local to the function.
            return Some(
                aliases
                    .get(&decl)
                    .cloned()
                    .unwrap_or((String::new(), MapRef::Local { decl, name })),
            );
        }
        let reference = scope.storage_ref(expr)?;
        return Some((base_path(scope, expr, src), reference));
    }
    // A struct embedding a mutex: `c.Lock()` locks `c.Mutex`.
    if let Type::Struct(fields) = index.underlying(ty.pointee()) {
        let embedded = fields.iter().find(|f| f.embedded && is_lock_type(&f.ty))?;
        let Type::Named { pkg, name } = ty.pointee() else {
            return None;
        };
        let reference = MapRef::Field {
            pkg: pkg.clone(),
            type_name: name.clone(),
            field: embedded.name.clone(),
        };
        return Some((squash(syntax::text(expr, src)), reference));
    }
    None
}

/// `sync.Mutex`, `sync.RWMutex`, `sync.Locker` and pointers to them.
pub(crate) fn is_lock_type(ty: &Type) -> bool {
    match ty.pointee() {
        Type::Named { pkg, name } if pkg == "sync" => {
            matches!(name.as_str(), "Mutex" | "RWMutex" | "Locker")
        }
        // Wrappers of sync's mutexes in other packages (`syncs.Mutex`, go-deadlock's
        // `deadlock.RWMutex`): their fields are out of sight, their names are not.
        Type::Named { pkg, name } => !pkg.is_empty() && name.ends_with("Mutex"),
        _ => false,
    }
}

/// The path a field is reached through, with promoted fields' embedded steps spelled out, so
/// that `t.set` and `t.nameSpace.mu` share the base `t.nameSpace` when `set` and `mu` are
/// promoted from an embedded `*nameSpace`. Empty for package variables.
pub(crate) fn base_path(scope: &FuncScope<'_>, expr: Node<'_>, src: &str) -> String {
    let mut base = base_of(expr, src);
    if expr.kind() != "selector_expression" {
        return base;
    }
    let (Some(operand), Some(field)) = (
        expr.child_by_field_name("operand"),
        expr.child_by_field_name("field"),
    ) else {
        return base;
    };
    if let Some(found) = scope.type_of(operand).and_then(|ty| {
        scope
            .index
            .field(&ty, syntax::text(field, src))
            .map(|f| f.via)
    }) {
        for step in found {
            base.push('.');
            base.push_str(&step);
        }
    }
    base
}

/// The base path of a selector (`s` in `s.mu`, `c.shard` in `c.shard.mu`); empty otherwise.
pub(crate) fn base_of(expr: Node<'_>, src: &str) -> String {
    if expr.kind() == "selector_expression" {
        return expr
            .child_by_field_name("operand")
            .map(|o| squash(syntax::text(o, src)))
            .unwrap_or_default();
    }
    String::new()
}

pub(crate) fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_start_matches('*')
        .trim_start_matches('&')
        .to_string()
}

/// A lock as messages show it: `s.mu`, or `codecsMu` for a package variable.
pub(crate) fn lock_text(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

/// The identifier a selector and index chain starts from (`s` in `s.shard.items[k]`), if the
/// chain starts from one.
pub(crate) fn root_identifier(expr: Node<'_>) -> Option<Node<'_>> {
    let mut root = expr;
    while matches!(root.kind(), "selector_expression" | "index_expression") {
        root = root.child_by_field_name("operand")?;
    }
    (root.kind() == "identifier").then_some(root)
}

/// `Lock`, `RLock`, `Unlock`, `RUnlock`: whether the call acquires, and whether in write mode.
pub(crate) fn lock_method(name: &str) -> Option<(bool, bool)> {
    match name {
        "Lock" => Some((true, true)),
        "RLock" => Some((true, false)),
        "Unlock" => Some((false, true)),
        "RUnlock" => Some((false, false)),
        _ => None,
    }
}

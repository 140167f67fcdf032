//! Evidence that a map which only grows is a leak rather than a bounded table: the code removes
//! the same keys from a sibling map and forgets this one.
//!
//! A map that is never deleted from is usually bounded by what its keys can be (tiers, plugin
//! types, configured targets, the servers of one config generation), and nothing in the code
//! says which. A sibling says it: when `Remove(id)` deletes `s.conns[id]` but `s.lastSeen[id]`
//! is only ever added to, ids come and go, and `lastSeen` keeps every one. Siblings are maps of
//! the same owner (fields of one struct type, or package-level maps of one package) with the
//! same key type, the keys match by name (`id`, `c.id`, `req.ID`), and the `delete` is where a
//! key's life ends: in a function named for it (`Remove`, `unregister`, `onClose`, `evictOld`;
//! see [`ENDS`]), not in a lookup that drops a stale entry on the way.

use mapguard_go::index::{AccessKind, MapAccess, MapRef, Type};
use mapguard_go::syntax::{self, Node};

use super::growth::index_key;
use crate::context::PackageContext;

/// A `delete` of a sibling map with the key of a growing write.
pub(crate) struct DroppedKey {
    /// The growing write whose key the sibling drops: (function, access) indices.
    pub(crate) write: (usize, usize),
    /// The sibling's `delete`: (function, access) indices.
    pub(crate) delete: (usize, usize),
}

/// A `delete(m, key)` in a function that ends a key's life.
pub(crate) struct EndingDelete {
    target: MapRef,
    /// (function, access) indices.
    at: (usize, usize),
    key: String,
    key_type: Option<Type>,
}

/// Every `delete` of the package with a named key in a function named for an end, found once
/// and matched against each growing map.
pub(crate) fn ending_deletes(ctx: &PackageContext<'_>) -> Vec<EndingDelete> {
    let mut out = Vec::new();
    for (f, function) in ctx.functions().iter().enumerate() {
        if !function.decl.is_some_and(|d| ends_a_life(&d.name)) {
            continue;
        }
        let src = ctx.file(function.file).text.as_str();
        for (a, access) in function.accesses.iter().enumerate() {
            if access.kind != AccessKind::Delete {
                continue;
            }
            let Some(key) = deleted_key(access).and_then(|k| key_name(k, src)) else {
                continue;
            };
            out.push(EndingDelete {
                target: access.target.clone(),
                at: (f, a),
                key,
                key_type: key_type(ctx, access),
            });
        }
    }
    out
}

/// The first growing write of `target` (in `writes` order) whose key a sibling map deletes.
pub(crate) fn dropped_key(
    ctx: &PackageContext<'_>,
    deletes: &[EndingDelete],
    target: &MapRef,
    writes: &[(usize, usize)],
) -> Option<DroppedKey> {
    let siblings: Vec<&EndingDelete> = deletes
        .iter()
        .filter(|d| is_sibling(ctx, &d.target, target))
        .collect();
    if siblings.is_empty() {
        return None;
    }
    let functions = ctx.functions();
    writes.iter().find_map(|&(f, a)| {
        let access = &functions[f].accesses[a];
        let src = ctx.file(functions[f].file).text.as_str();
        let key = key_name(index_key(access)?, src)?;
        let ty = key_type(ctx, access);
        siblings
            .iter()
            .find(|d| {
                d.key.eq_ignore_ascii_case(&key)
                    && (ty.is_none() || d.key_type.is_none() || d.key_type == ty)
            })
            .map(|d| DroppedKey {
                write: (f, a),
                delete: d.at,
            })
    })
}

/// Words of a function name that say something ends there.
const ENDS: &[&str] = &[
    "remove",
    "delete",
    "del",
    "unregister",
    "deregister",
    "close",
    "closed",
    "evict",
    "expire",
    "drop",
    "forget",
    "release",
    "cleanup",
    "clean",
    "purge",
    "prune",
    "disconnect",
    "logout",
    "stop",
    "cancel",
    "finish",
    "done",
    "gc",
    "reap",
    "kill",
    "destroy",
    "unsubscribe",
    "detach",
    "leave",
    "shutdown",
    "unload",
    "unwatch",
    "untrack",
    "free",
    "dispose",
    "revoke",
    "invalidate",
    "teardown",
    "terminate",
    "exit",
    "expunge",
    "discard",
    "retire",
];

/// Whether a function's name has a word of [`ENDS`] (`removePeer`, `OnClose`, `gc_expired`).
fn ends_a_life(name: &str) -> bool {
    camel_words(name).any(|w| ENDS.contains(&w.as_str()))
}

/// The lowercased words of a Go name: `removePeerByID` → remove, peer, by, id.
fn camel_words(name: &str) -> impl Iterator<Item = String> + '_ {
    let mut words = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let boundary = c == '_'
            || (c.is_uppercase()
                && i > 0
                && (chars[i - 1].is_lowercase()
                    || chars.get(i + 1).is_some_and(|n| n.is_lowercase())));
        if boundary && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if c != '_' {
            word.extend(c.to_lowercase());
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.into_iter()
}

/// Another map of the same owner: a field of the same struct type, or a package-level map
/// declared in the same file of the same package (a package's maps in different files are
/// usually different state).
fn is_sibling(ctx: &PackageContext<'_>, other: &MapRef, target: &MapRef) -> bool {
    if other == target {
        return false;
    }
    match (other, target) {
        (
            MapRef::Field { pkg, type_name, .. },
            MapRef::Field {
                pkg: p,
                type_name: t,
                ..
            },
        ) => pkg == p && type_name == t,
        (MapRef::Global { pkg, name }, MapRef::Global { pkg: p, name: n }) => {
            // `byID.items` and `byName` are two maps; `byID` and `byID.items` are not siblings.
            let (var, other_var) = (name.split('.').next(), n.split('.').next());
            let file = |var: Option<&str>| ctx.pkg.vars.get(var?).map(|v| v.site.file);
            pkg == p && var != other_var && file(var).is_some() && file(var) == file(other_var)
        }
        _ => false,
    }
}

/// The key of `delete(m, k)`.
fn deleted_key<'t>(access: &MapAccess<'t>) -> Option<Node<'t>> {
    let arguments = access.map_expr.parent()?;
    (arguments.kind() == "argument_list")
        .then(|| syntax::named_children(arguments).nth(1))
        .flatten()
}

/// What a key is called: a variable (`id`) or the last field of a selector (`c.id`, `req.ID`).
fn key_name(key: Node<'_>, src: &str) -> Option<String> {
    let name = match key.kind() {
        "identifier" => key,
        "selector_expression" => key.child_by_field_id(syntax::FIELDS.field)?,
        _ => return None,
    };
    let name = syntax::text(name, src);
    (name != "_").then(|| name.to_string())
}

fn key_type(ctx: &PackageContext<'_>, access: &MapAccess<'_>) -> Option<Type> {
    let (key, _) = ctx.index.map_types(access.map_type.as_ref()?)?;
    (*key != Type::Unknown).then(|| key.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_end_a_life() {
        for name in [
            "Remove",
            "removePeer",
            "DeleteAllocationBucket",
            "OnClose",
            "gc_expired",
            "evictOld",
            "handleDisconnect",
            "UnregisterDomain",
        ] {
            assert!(ends_a_life(name), "{name}");
        }
        for name in [
            "GetUser",
            "StubDispenserForType",
            "Add",
            "lookup",
            "Deleted2",
            "Closer",
            "Delegate",
            "modelessDone2",
        ] {
            assert!(!ends_a_life(name), "{name}");
        }
        assert_eq!(
            camel_words("removePeerByID").collect::<Vec<_>>(),
            ["remove", "peer", "by", "id"]
        );
        assert_eq!(
            camel_words("HTTPServerClose").collect::<Vec<_>>(),
            ["http", "server", "close"]
        );
    }
}

//! Lock contracts: what a function's doc or name says its callers must hold.
//!
//! Docs phrase it many ways: "caller must hold mu", "must be called with mu held", "mu must be
//! held", "Lock should be held.", "Write lock needs to be held.", "Lock held on entry.", "Assumes
//! the lock is held.", `+checklocks:mu`. A negated phrase ("must not be held", "not held on
//! entry") is the opposite contract and cancels one implied by a `…Locked` name; so does a
//! `…Locked` function that takes the lock itself.

use std::sync::LazyLock;

use mapguard_go::index::{FuncDecl, MapRef, Type};
use mapguard_go::syntax::{self, Node};
use regex::Regex;

use super::locks::{Held, is_lock_type};
use crate::context::{FunctionFacts, PackageContext};

/// What a function's name or doc says about locks its callers must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Contract {
    /// The lock named by the doc (`mu`, `s.statsMu` → `statsMu`), if any.
    pub(crate) lock: Option<String>,
}

/// Phrases that name the lock.
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        (?:caller|callers)\s+(?:must\s+|should\s+)?(?:hold|holds|have\s+locked)\s+(?:the\s+)?(?:\w+\.)?(?P<a>\w+)
      | must\s+be\s+called\s+with\s+(?:the\s+)?(?:\w+\.)?(?P<b>\w+)\s+(?:held|locked)
      | (?:\w+\.)?(?P<c>\w+)\s+(?:lock\s+)?(?:must|should|needs\s+to)\s+be\s+(?:held|locked)
      | \+checklocks:(?:\w+\.)?(?P<d>\w+)
      | requires\s+(?:\w+\.)?(?P<e>\w+)\s+(?:to\s+be\s+)?(?:held|locked)
      | (?:with|while)\s+(?:\w+\.)?(?P<f>\w+)\s+(?:is\s+)?(?:held|locked)",
    )
    .expect("valid regex")
});

/// Phrases that say a lock is held without naming it. They must read as a requirement (a modal
/// verb, "on entry", "assumes", or a terse "Lock held."), not as a description of the code
/// ("the lock is held only inside the loop").
static UNNAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?imx)
        \blocks?\s+(?:should|must|needs?\s+to)\s+be\s+held
      | ^\s*(?://)?\s*(?:[\w.]+\s+){0,2}locks?\s+(?:is\s+|are\s+)?held\s*(?:\.|$|by\s+the\s+caller|on\s+entry)
      | \bheld\s+on\s+entry
      | \blocks?\s+(?:is\s+|are\s+)?assumed\s+(?:to\s+be\s+)?(?:held|locked)
      | \bassumes?\s+(?:that\s+)?(?:the\s+)?(?:\w+\s+)?(?:lock|mutex)\s+(?:is\s+)?(?:held|locked)
      | \b(?:must|should)\s+be\s+called\s+(?:with|while|under)\s+(?:the\s+)?(?:\w+\s+)?(?:lock|mutex)",
    )
    .expect("valid regex")
});

/// The lock contract of a function: documented, or implied by a `…Locked` name.
pub(crate) fn contract(function: &FunctionFacts<'_>) -> Option<Contract> {
    let decl = function.decl?;
    let contract = declared_contract(decl)?;
    // A `…Locked` name without a doc, on a function that locks for itself: "Locked" describes
    // what it does, not what it needs.
    let documented = decl
        .doc
        .as_deref()
        .is_some_and(|d| NAMED.is_match(d) || UNNAMED.is_match(d));
    if !documented && locks_itself(function) {
        return None;
    }
    Some(contract)
}

/// The lock contract a declaration's doc or name states.
pub(crate) fn declared_contract(decl: &FuncDecl) -> Option<Contract> {
    if let Some(doc) = decl.doc.as_deref().filter(|doc| may_state_contract(doc)) {
        if let Some(caps) = NAMED
            .captures(doc)
            .filter(|c| !negated(doc, c.get(0).map_or(0, |m| m.start())))
        {
            let lock = ["a", "b", "c", "d", "e", "f"]
                .iter()
                .find_map(|g| caps.name(g))
                .map(|m| m.as_str().to_string());
            let generic = lock.as_deref().is_some_and(|l| {
                matches!(
                    l.to_ascii_lowercase().as_str(),
                    "lock"
                        | "locks"
                        | "mutex"
                        | "write"
                        | "read"
                        | "both"
                        | "client"
                        | "server"
                        | "the"
                        | "this"
                        | "that"
                        | "its"
                        | "all"
                        | "any"
                )
            });
            return Some(Contract {
                lock: if generic { None } else { lock },
            });
        }
        if let Some(found) = UNNAMED.find(doc) {
            if negated(doc, found.start()) {
                return None;
            }
            return Some(Contract { lock: None });
        }
    }
    (decl.name.ends_with("Locked") && decl.name != "Locked").then_some(Contract { lock: None })
}

/// Whether the doc says the function runs only during initialisation ("This function should be
/// used in init().", "must be called from init", "only call during initialization"): it
/// prepares package state before anything runs concurrently.
pub(crate) fn init_only(decl: &FuncDecl) -> bool {
    static INIT_ONLY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?ix)
            \b(?:used|called|invoked|run)\s+(?:only\s+)?(?:in|from|during|at)\s+(?:an?\s+|the\s+)?
              (?:init\b|init\(\)|package\s+init|initiali[sz]ation|init\s+time|program\s+start)
          | \bonly\s+(?:be\s+)?(?:called|used)\s+(?:in|from|during)\s+(?:an?\s+)?init\b",
        )
        .expect("valid regex")
    });
    decl.doc
        .as_deref()
        .is_some_and(|doc| INIT_ONLY.find_iter(doc).any(|m| !negated(doc, m.start())))
}

/// Whether the doc's lock sentences name one of the parameters ("`client` lock must be held"):
/// the contract is about a lock reached through an argument, not the receiver's.
pub(crate) fn names_a_parameter(decl: &FuncDecl) -> bool {
    let Some(doc) = decl.doc.as_deref() else {
        return false;
    };
    doc.split(['.', '\n'])
        .filter(|sentence| {
            let lower = sentence.to_ascii_lowercase();
            lower.contains("held") || lower.contains("lock")
        })
        .any(|sentence| {
            sentence
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|word| decl.params.iter().any(|(p, _)| p.len() > 1 && p == word))
        })
}

/// Whether a doc has a word every phrase of [`NAMED`] and [`UNNAMED`] contains (most docs have
/// none, and this is cheaper than running the two expressions).
fn may_state_contract(doc: &str) -> bool {
    doc.as_bytes().windows(4).any(|w| {
        let w = [w[0] | 0x20, w[1] | 0x20, w[2] | 0x20, w[3] | 0x20];
        &w == b"held" || &w == b"hold" || &w == b"lock" || &w == b"mute"
    })
}

/// Whether the sentence around a match says "not" ("must not be held", "not held on entry").
fn negated(doc: &str, at: usize) -> bool {
    let start = doc[..at].rfind(['.', '\n']).map_or(0, |i| i + 1);
    let end = doc[at..].find('.').map_or(doc.len(), |i| at + i);
    let sentence = doc[start..end].to_ascii_lowercase();
    let sentence = format!(" {} ", sentence.trim_start_matches(['/', ' ', '\t']));
    [" not ", "n't ", " never ", " no ", " without "]
        .iter()
        .any(|w| sentence.contains(w))
}

/// Whether the function body calls `Lock`/`RLock` itself.
pub(crate) fn locks_itself(function: &FunctionFacts<'_>) -> bool {
    let Some(body) = function.node.child_by_field_name("body") else {
        return false;
    };
    let src = function.scope.src;
    syntax::descendants(body).any(|call: Node<'_>| {
        call.kind() == "call_expression"
            && call
                .child_by_field_name("function")
                .and_then(|f| f.child_by_field_name("field"))
                .is_some_and(|m| matches!(syntax::text(m, src), "Lock" | "RLock"))
    })
}

/// The lock a contract requires, as (lock, base path, name shown). For a method, `receiver` is
/// its type and the path it is reached through (the operand at a call, the receiver's name
/// inside the method): the field the doc names — a mutex, or a field whose type embeds one
/// (`c.in` for "c.in must be locked") — or a package mutex it names; with no name, the
/// receiver's only mutex. For a function, the package mutex the doc names, or the one that
/// guards the package maps `callee` uses. A name that resolves to none of these is not judged.
pub(crate) fn required_lock(
    ctx: &PackageContext<'_>,
    callee: &FunctionFacts<'_>,
    receiver: Option<(Type, String)>,
    contract: &Contract,
) -> Option<(MapRef, String, String)> {
    match receiver {
        Some((ty, base)) => receiver_lock(ctx, &ty, base, contract.lock.as_deref()),
        None => match contract.lock.as_deref() {
            Some(named) => global_lock(ctx, named).map(|(lock, name)| (lock, String::new(), name)),
            // A `…Locked` function without a doc: the lock that guards (by annotation or layout)
            // the package maps it uses, when that is one lock.
            None => {
                let mut guards = callee
                    .accesses
                    .iter()
                    .filter(|a| matches!(a.target, MapRef::Global { .. }))
                    .filter_map(|a| super::guards::declared_guard(ctx, &a.target))
                    .map(|g| g.lock);
                let lock = guards.next()?;
                if guards.any(|other| other != lock) {
                    return None;
                }
                let MapRef::Global { name, .. } = &lock else {
                    return None;
                };
                let name = name.clone();
                Some((lock, String::new(), name))
            }
        },
    }
}

/// The lock a function with a contract holds on entry, named through its own receiver.
pub(crate) fn entry_lock(ctx: &PackageContext<'_>, function: &FunctionFacts<'_>) -> Option<Held> {
    let contract = contract(function)?;
    let decl = function.decl?;
    let receiver = decl
        .receiver
        .as_ref()
        .map(|r| (Type::named(&ctx.pkg.path, &r.type_name), r.name.clone()));
    let (lock, base, _) = required_lock(ctx, function, receiver, &contract)?;
    Some(Held {
        base,
        lock,
        write: true,
    })
}

fn global_lock(ctx: &PackageContext<'_>, name: &str) -> Option<(MapRef, String)> {
    let var = ctx.pkg.vars.get(name)?;
    var.ty.as_ref().is_some_and(is_lock_type).then(|| {
        (
            MapRef::Global {
                pkg: ctx.pkg.path.clone(),
                name: name.to_string(),
            },
            name.to_string(),
        )
    })
}

/// The lock a method's contract refers to, as (lock, base path, name shown): the field the doc
/// names — a mutex, or a field whose type embeds one (`c.in` for "c.in must be locked") — or a
/// package-level mutex it names; with no name, the receiver's only mutex. A name that resolves to
/// none of these is not judged.
fn receiver_lock(
    ctx: &PackageContext<'_>,
    ty: &Type,
    base: String,
    named: Option<&str>,
) -> Option<(MapRef, String, String)> {
    let Type::Named {
        pkg,
        name: type_name,
    } = ty.pointee().clone()
    else {
        return None;
    };
    let Type::Struct(fields) = ctx.index.underlying(ty.pointee()) else {
        return None;
    };
    let field_lock = |field: &str| MapRef::Field {
        pkg: pkg.clone(),
        type_name: type_name.clone(),
        field: field.to_string(),
    };
    match named {
        Some(named) => {
            if let Some(field) = fields.iter().find(|f| f.name == named) {
                if is_lock_type(&field.ty) {
                    return Some((field_lock(&field.name), base, field.name.clone()));
                }
                // A field whose type embeds a mutex: `c.in.Lock()` locks `c.in`.
                let Type::Named {
                    pkg: inner_pkg,
                    name: inner,
                } = field.ty.pointee()
                else {
                    return None;
                };
                let Type::Struct(inner_fields) = ctx.index.underlying(field.ty.pointee()) else {
                    return None;
                };
                let embedded = inner_fields
                    .iter()
                    .find(|f| f.embedded && is_lock_type(&f.ty))?;
                let lock = MapRef::Field {
                    pkg: inner_pkg.clone(),
                    type_name: inner.clone(),
                    field: embedded.name.clone(),
                };
                return Some((
                    lock,
                    format!("{base}.{}", field.name),
                    embedded.name.clone(),
                ));
            }
            global_lock(ctx, named).map(|(lock, name)| (lock, String::new(), name))
        }
        None => {
            // Only an unambiguous receiver: one mutex, counting fields whose type embeds one
            // (`in, out halfConn` beside `handshakeMutex` make three candidates).
            let holds_lock = |f: &&mapguard_go::index::Field| {
                is_lock_type(&f.ty)
                    || matches!(ctx.index.underlying(f.ty.pointee()), Type::Struct(inner) if inner.iter().any(|i| i.embedded && is_lock_type(&i.ty)))
            };
            let mut candidates = fields.iter().filter(holds_lock);
            let only = candidates.next()?;
            if candidates.next().is_some() || !is_lock_type(&only.ty) {
                return None;
            }
            Some((field_lock(&only.name), base, only.name.clone()))
        }
    }
}

#[cfg(test)]
mod tests {
    use mapguard_go::index::{DeclSite, FuncDecl};

    use super::declared_contract;

    fn decl(name: &str, doc: &str) -> FuncDecl {
        FuncDecl {
            name: name.to_string(),
            receiver: None,
            params: Vec::new(),
            results: Vec::new(),
            site: DeclSite {
                file: 0,
                offset: 0,
                line: 1,
            },
            range: (0, 0),
            doc: (!doc.is_empty()).then(|| doc.to_string()),
        }
    }

    fn lock(name: &str, doc: &str) -> Option<Option<String>> {
        declared_contract(&decl(name, doc)).map(|c| c.lock)
    }

    #[test]
    fn contract_phrases_as_written_in_real_code() {
        for doc in [
            "// trackPending does x.\n// Lock should be held.",
            "// Write lock needs to be held.",
            "// Lock held on entry.",
            "// Client lock held on entry",
            "// Assume lock is held",
            "// Assumes write lock is held.",
            "// Both locks should be held.",
            "// Lock is held on entry.",
            "// Must be called with the lock held.",
            "// Handed to a goroutine started while the lock is held.\n// Lock held.",
        ] {
            assert_eq!(lock("f", doc), Some(None), "{doc}");
        }
        assert_eq!(
            lock("f", "// caller must hold s.mu"),
            Some(Some("mu".into()))
        );
        assert_eq!(
            lock("f", "// statsMu must be held."),
            Some(Some("statsMu".into()))
        );
        assert_eq!(lock("f", "// +checklocks:mu"), Some(Some("mu".into())));
        assert_eq!(
            lock("f", "// jsa.usageMu lock should be held."),
            Some(Some("usageMu".into()))
        );
    }

    #[test]
    fn descriptions_and_negations_are_not_contracts() {
        for doc in [
            "// The lock is held only inside the loop body.",
            "// A handler registered while the lock is held runs later without it.",
            "// Handed to a goroutine started while the lock is held.",
            "// Client lock must not be held on entry",
            "// mu must not be held.",
            "// No lock held on entry.",
        ] {
            assert_eq!(lock("f", doc), None, "{doc}");
        }
        assert_eq!(
            lock("mergeLocked", "// Client lock must not be held on entry"),
            None
        );
        assert_eq!(lock("evictLocked", ""), Some(None));
        assert_eq!(lock("Locked", ""), None);
    }
}

//! Lock contracts: what a function's doc or name says its callers must hold.
//!
//! Docs phrase it many ways: "caller must hold mu", "must be called with mu held", "mu must be
//! held", "Lock should be held.", "Write lock needs to be held.", "Lock held on entry.", "Assumes
//! the lock is held.", `+checklocks:mu`. A negated phrase ("must not be held", "not held on
//! entry") is the opposite contract and cancels one implied by a `…Locked` name; so does a
//! `…Locked` function that takes the lock itself.

use std::sync::LazyLock;

use mapguard_go::index::FuncDecl;
use mapguard_go::syntax::{self, Node};
use regex::Regex;

use crate::context::FunctionFacts;

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
    if let Some(doc) = decl.doc.as_deref() {
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

/// Whether the sentence around a match says "not" ("must not be held", "not held on entry").
fn negated(doc: &str, at: usize) -> bool {
    let start = doc[..at].rfind(['.', '\n']).map_or(0, |i| i + 1);
    let end = doc[at..].find('.').map_or(doc.len(), |i| at + i);
    let sentence = doc[start..end].to_ascii_lowercase();
    sentence.contains(" not ") || sentence.contains("n't ") || sentence.contains(" never ")
}

/// Whether the function body calls `Lock`/`RLock` itself.
fn locks_itself(function: &FunctionFacts<'_>) -> bool {
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

use mapguard_go::index::MapRef;
use mapguard_go::syntax::{self, Node};

use crate::concurrency::locks::{State, squash};
use crate::concurrency::{
    self, contract, declared_contract, fresh, locks_itself, names_a_parameter, required_lock,
};
use crate::context::{FunctionFacts, PackageContext};
use crate::declare_rule;
use crate::rule::{Rule, RuleInfo};

declare_rule! {
    /// ## What it does
    /// Finds a call to a function that requires a lock held — its name ends in `Locked`, or its
    /// doc says so ("caller must hold mu", "must be called with mu held", "mu must be held",
    /// `+checklocks:mu`) — made without holding that lock.
    ///
    /// The required lock is the one the doc names, or for a `…Locked` method the receiver's only
    /// mutex (a type with several mutexes and no doc is not judged). For a `…Locked` helper that
    /// writes maps, a read lock is not enough. Only helpers that use a package map or a map
    /// field are judged: mapguard is about the locks that protect maps. Helpers that take the
    /// lock themselves (`if shouldLock { s.mu.Lock() }`) and contracts about an argument's lock
    /// ("`client` lock must be held") are not judged; nor are calls from tests, constructors
    /// and code not shown to run concurrently (see MG101).
    ///
    /// ## Why is this bad?
    /// The helper skips locking because its callers promised to do it. A caller that forgets
    /// runs the helper's map accesses unlocked, racing every other method: `fatal error:
    /// concurrent map writes`. Callers inside other lock-contract functions are not judged (their
    /// own callers are).
    ///
    /// ## Example
    /// ```go
    /// // evictLocked drops expired entries. c.mu must be held.
    /// func (c *Cache) evictLocked() { … }
    ///
    /// func (c *Cache) Sweep() {
    ///     c.evictLocked()
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// func (c *Cache) Sweep() {
    ///     c.mu.Lock()
    ///     defer c.mu.Unlock()
    ///     c.evictLocked()
    /// }
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    pub struct LockPreconditionUnmet;
    code = "MG105", name = "lock-precondition-unmet", summary = "a function that requires a lock is called without it",
    severity = Error, fixable = false, test_severity = Warning,
}

impl Rule for LockPreconditionUnmet {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, ctx: &PackageContext<'_>) {
        let facts = concurrency::facts(ctx);
        let functions = ctx.functions();
        for (ci, (caller, locks)) in functions.iter().zip(&facts.locks).enumerate() {
            // A `…Locked` caller runs under some lock its name promises (possibly not the one it
            // locks itself): its callers are judged instead.
            let locked_name = caller.decl.is_some_and(|d| d.name.ends_with("Locked"));
            if locked_name || facts.contracts[ci].is_some() || fresh::is_constructor(ctx, caller) {
                continue;
            }
            let src = ctx.file(caller.file).text.as_str();
            for (call, state) in &locks.call_states {
                let State::Known(_) = state else { continue };
                // Cheap first: only calls of functions that declare a contract.
                if facts
                    .graph
                    .callee(ci, *call)
                    .is_none_or(|(callee, _)| facts.declared[*callee].is_none())
                {
                    continue;
                }
                // Only calls shown to run concurrently with other code (see MG101).
                if !(facts.exposure.exposed[ci]
                    || locks.detached_calls.contains(&call.start_byte()))
                {
                    continue;
                }
                let Some(required) = requirement(ctx, caller, *call, src) else {
                    continue;
                };
                // A value this function made and has not shared needs no lock yet.
                if call
                    .child_by_field_name("function")
                    .is_some_and(|f| fresh::is_fresh(ctx, caller, f, src))
                {
                    continue;
                }
                let held = state.holding(&required.base, &required.lock);
                let enough = held.is_some_and(|h| h.write || !required.write);
                if enough {
                    continue;
                }
                let lock_text = concurrency::locks::lock_text(&required.base, &required.name);
                let mode = if held.is_some() {
                    " (write-locked: it writes maps)"
                } else {
                    ""
                };
                let message = format!("{} requires {lock_text} held{mode}", required.callee_text);
                let diagnostic = ctx.diagnostic(caller.file, *call, message).with_related(
                    ctx.location(required.callee.file, required.callee.node),
                    "the lock contract is declared here",
                );
                ctx.push(diagnostic);
            }
        }
    }
}

struct Required<'c, 'a> {
    callee: &'c FunctionFacts<'a>,
    callee_text: String,
    base: String,
    lock: MapRef,
    name: String,
    write: bool,
}

/// The lock a call requires, when the callee has a contract and the lock is known.
fn requirement<'c, 'a>(
    ctx: &'c PackageContext<'a>,
    caller: &FunctionFacts<'_>,
    call: Node<'_>,
    src: &str,
) -> Option<Required<'c, 'a>> {
    let function = call.child_by_field_name("function")?;
    let (receiver, decl) = match function.kind() {
        "selector_expression" => {
            let operand = function.child_by_field_name("operand")?;
            let method = syntax::text(function.child_by_field_name("field")?, src);
            let ty = caller.scope.type_of(operand)?;
            (Some((operand, ty.clone())), ctx.index.method(&ty, method)?)
        }
        "identifier" => {
            let name = syntax::text(function, src);
            if caller.scope.local(name, call.start_byte() as u32).is_some() {
                return None;
            }
            (None, ctx.pkg.funcs.get(name)?)
        }
        _ => return None,
    };
    // The contract first: the search for the callee's facts is only for functions that have one.
    let contract = declared_contract(decl)?;
    let callee = ctx
        .functions()
        .iter()
        .find(|f| f.decl.is_some_and(|d| std::ptr::eq(d, decl)))?;
    // Only contracts that protect maps: the callee must use a package map, or a map field
    // reached through its receiver (a `…Locked` helper working on a parameter's maps needs the
    // parameter's lock, not the receiver's).
    let receiver_name = decl.receiver.as_ref().map(|r| r.name.as_str());
    let callee_src = ctx.file(callee.file).text.as_str();
    if !callee.accesses.iter().any(|a| match &a.target {
        MapRef::Global { .. } => true,
        MapRef::Field { .. } => receiver_name.is_none_or(|r| {
            let base = concurrency::locks::base_of(a.map_expr, callee_src);
            base == r || base.starts_with(&format!("{r}."))
        }),
        MapRef::Local { .. } => false,
    }) {
        return None;
    }
    // A helper that takes the lock itself (`…Locked` doing its own locking, or `if shouldLock
    // { s.Lock() }`) does not require it unconditionally; a contract about an argument's lock
    // ("`client` lock must be held") is not about the receiver's.
    if contract_cancelled(callee) || locks_itself(callee) || names_a_parameter(decl) {
        return None;
    }
    let callee_text = squash(syntax::text(function, src));
    // Writes to its own fields or package maps need the write lock; writes to locals do not.
    let write = callee
        .accesses
        .iter()
        .any(|a| a.kind.is_write() && !matches!(a.target, MapRef::Local { .. }));
    let (lock, base, name) = required_lock(
        ctx,
        callee,
        receiver.map(|(operand, ty)| (ty, squash(syntax::text(operand, src)))),
        &contract,
    )?;
    Some(Required {
        callee,
        callee_text,
        base,
        lock,
        name,
        write,
    })
}

/// A contract the declaration implies but the body contradicts (it takes the lock itself).
fn contract_cancelled(callee: &FunctionFacts<'_>) -> bool {
    contract(callee).is_none()
}

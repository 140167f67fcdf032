//! Which functions run concurrently with the rest of the program: the evidence an unlocked access
//! needs before it is a finding. Not being able to rule a race out is not enough.
//!
//! Roots: exported functions and methods (other packages call them, from any goroutine),
//! functions handed out as values by the package's code (handlers, callbacks), and functions
//! launched by `go f()`. A function called by an exposed function, at a call whose lock state is
//! known, is exposed too. Tests, `init`, constructors and `sync.Once` initialisers are barriers:
//! they prepare values before sharing them, and what they call is not exposed through them.

use std::collections::VecDeque;

use super::callers::{CallGraph, ValueUse, is_unexported};
use super::locks::{LockFacts, State};
use crate::context::PackageContext;

/// Whether each function (by index into `ctx.functions()`) may run concurrently.
pub(super) fn exposed(
    ctx: &PackageContext<'_>,
    graph: &CallGraph,
    locks: &[LockFacts<'_>],
    value_uses: &[ValueUse],
    barrier: &[bool],
) -> Vec<bool> {
    let functions = ctx.functions();
    let mut exposed: Vec<bool> = functions
        .iter()
        .zip(value_uses)
        .zip(barrier)
        .map(|((f, used), &barrier)| {
            let exported = f.decl.is_some_and(|d| !is_unexported(&d.name));
            !barrier && (exported || *used == ValueUse::InCode)
        })
        .collect();
    // `go f()` anywhere outside tests: f runs beside whatever launched it.
    for (ci, (caller, facts)) in functions.iter().zip(locks).enumerate() {
        if ctx.file(caller.file).is_test {
            continue;
        }
        for (call, _) in &facts.call_states {
            if facts.detached_calls.contains(&call.start_byte())
                && let Some(&(callee, _)) = graph.callee(ci, *call)
                && !barrier[callee]
            {
                exposed[callee] = true;
            }
        }
    }
    let mut queue: VecDeque<usize> = (0..functions.len()).filter(|&i| exposed[i]).collect();
    while let Some(ci) = queue.pop_front() {
        for (call, state) in &locks[ci].call_states {
            if !matches!(state, State::Known(_)) {
                continue;
            }
            if let Some(&(callee, _)) = graph.callee(ci, *call)
                && !barrier[callee]
                && !exposed[callee]
            {
                exposed[callee] = true;
                queue.push_back(callee);
            }
        }
    }
    exposed
}

//! Which functions run concurrently with the rest of the program: the evidence an unlocked access
//! needs before it is a finding. Not being able to rule a race out is not enough.
//!
//! Roots: exported functions and methods (other packages call them, from any goroutine),
//! functions handed out as values by the package's code (handlers, callbacks), and functions
//! launched by `go f()`. A function called by an exposed function, at a call whose lock state is
//! known, is exposed too. Tests, `init`, constructors, functions documented as init-only and
//! `sync.Once` initialisers are barriers: they prepare values before sharing them, and what they
//! call is not exposed through them. `sort` and `heap` interface methods are not roots: those
//! packages call them in place, under their caller's locks.

use std::collections::VecDeque;

use mapguard_go::index::FuncDecl;
use mapguard_go::syntax;

use super::callers::{CallGraph, ValueUse, is_unexported};
use super::locks::{LockFacts, State};
use crate::context::PackageContext;

/// By function (index into `ctx.functions()`): whether it may run concurrently with other code,
/// and whether it may run concurrently with itself (reached from an exported function, a value
/// handed out, or a goroutine launched in a loop).
#[derive(Debug, Clone, Default)]
pub(crate) struct Exposure {
    pub(crate) exposed: Vec<bool>,
    pub(crate) reentrant: Vec<bool>,
}

/// Computes [`Exposure`] from the current lock facts.
pub(super) fn exposure(
    ctx: &PackageContext<'_>,
    graph: &CallGraph,
    locks: &[LockFacts<'_>],
    value_uses: &[ValueUse],
    barrier: &[bool],
) -> Exposure {
    let functions = ctx.functions();
    let api: Vec<bool> = functions
        .iter()
        .zip(value_uses)
        .zip(barrier)
        .map(|((f, used), &barrier)| {
            let exported = f
                .decl
                .is_some_and(|d| !is_unexported(&d.name) && !sorts_or_heaps(ctx, d));
            !barrier && (exported || *used == ValueUse::InCode)
        })
        .collect();
    let mut launched = vec![false; functions.len()];
    let mut launched_in_loop = vec![false; functions.len()];
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
                launched[callee] = true;
                launched_in_loop[callee] |= facts
                    .launches
                    .iter()
                    .any(|l| l.in_loop && syntax::is_within(*call, l.node));
            }
        }
    }
    let roots =
        |extra: &[bool]| -> Vec<bool> { api.iter().zip(extra).map(|(a, e)| *a || *e).collect() };
    Exposure {
        exposed: reach(graph, locks, barrier, roots(&launched)),
        reentrant: reach(graph, locks, barrier, roots(&launched_in_loop)),
    }
}

/// The functions reachable from `roots` through calls with a known lock state.
fn reach(
    graph: &CallGraph,
    locks: &[LockFacts<'_>],
    barrier: &[bool],
    roots: Vec<bool>,
) -> Vec<bool> {
    let mut exposed = roots;
    let mut queue: VecDeque<usize> = (0..exposed.len()).filter(|&i| exposed[i]).collect();
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

/// A `sort.Interface` or `heap.Interface` method (`Len`, `Less`, `Swap`, `Push`, `Pop` of a type
/// that has the first three): `sort` and `container/heap` call it in place, under whatever locks
/// their caller holds, so its export says nothing about concurrency.
fn sorts_or_heaps(ctx: &PackageContext<'_>, decl: &FuncDecl) -> bool {
    let Some(receiver) = &decl.receiver else {
        return false;
    };
    let has = |name: &str| {
        ctx.pkg
            .methods
            .contains_key(&(receiver.type_name.clone(), name.to_string()))
    };
    matches!(decl.name.as_str(), "Len" | "Less" | "Swap" | "Push" | "Pop")
        && has("Len")
        && has("Less")
        && has("Swap")
}

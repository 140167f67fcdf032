//! Shared by MG101–MG105: the lock state at every map access and call, each map's guard, and
//! which accesses are judged at all (constructors, `init`, fresh values, lock-contract functions
//! and closures run by unknown code are not).

mod callers;
mod contract;
pub(crate) mod fresh;
pub(crate) mod guards;
pub(crate) mod locks;
mod paths;
mod state;

use std::collections::HashMap;

use mapguard_go::index::MapRef;

use crate::context::{FunctionFacts, PackageContext};
pub(crate) use contract::{contract, declared_contract, required_lock};
use guards::Guard;
use locks::{Held, LockFacts, State};

/// One access to a package map (package var or field of this package's types).
#[derive(Debug, Clone)]
pub(crate) struct AccessSite {
    /// Index into `PackageContext::functions()`.
    pub(crate) function: usize,
    /// Index into that function's `accesses`.
    pub(crate) access: usize,
    pub(crate) target: MapRef,
    /// The path the map is reached through (`s` for `s.items`; empty for package vars).
    pub(crate) base: String,
    pub(crate) state: State,
    /// Whether the access writes the map.
    pub(crate) is_write: bool,
    /// Whether the access counts as evidence and can be a finding.
    pub(crate) judged: bool,
}

impl AccessSite {
    /// Whether the access holds `lock` through its own base (in write mode when `write`).
    pub(crate) fn holds(&self, lock: &MapRef, write: bool) -> bool {
        self.state
            .holding(&self.base, lock)
            .is_some_and(|h| h.write || !write)
    }
}

/// The concurrency facts of one package.
pub(crate) struct ConcurrencyFacts<'a> {
    pub(crate) locks: Vec<LockFacts<'a>>,
    pub(crate) sites: Vec<AccessSite>,
    pub(crate) guards: HashMap<MapRef, Guard>,
}

/// Computes (once per package) the lock state at every access and every map's guard.
pub(crate) fn facts<'c, 'a>(ctx: &'c PackageContext<'a>) -> &'c ConcurrencyFacts<'a> {
    ctx.concurrency_cell().get_or_init(|| build(ctx))
}

fn build<'a>(ctx: &PackageContext<'a>) -> ConcurrencyFacts<'a> {
    let functions = ctx.functions();
    let analyze = |f: &FunctionFacts<'a>, entry: Vec<Held>| {
        locks::analyze(f, &ctx.file(f.file).text, ctx.index, entry)
    };
    // A function whose contract says a lock is held runs with it held.
    let contracted: Vec<Vec<Held>> = functions
        .iter()
        .map(|f| contract::entry_lock(ctx, f).into_iter().collect())
        .collect();
    let mut locks: Vec<LockFacts<'a>> = functions
        .iter()
        .zip(&contracted)
        .map(|(f, entry)| analyze(f, entry.clone()))
        .collect();
    // Unexported helpers called only with a lock held run with it held; rounds follow helpers of
    // helpers until nothing changes (bounded: entries only depend on callers' states).
    let mut entries = contracted.clone();
    let reachable_anywhere = callers::reachable_anywhere(ctx);
    for _ in 0..8 {
        let inferred = callers::entry_locks(ctx, &locks, &reachable_anywhere);
        let next: Vec<Vec<Held>> = contracted
            .iter()
            .zip(inferred)
            .map(|(declared, mut inferred)| {
                inferred.retain(|h| !declared.contains(h));
                declared.iter().cloned().chain(inferred).collect()
            })
            .collect();
        if next == entries {
            break;
        }
        for (i, entry) in next.iter().enumerate() {
            if *entry != entries[i] {
                locks[i] = analyze(&functions[i], entry.clone());
            }
        }
        entries = next;
    }
    let once = callers::once_initializers(ctx);
    let mut sites = Vec::new();
    for (fi, (function, facts)) in functions.iter().zip(&locks).enumerate() {
        let src = ctx.file(function.file).text.as_str();
        // Tests poke the values they built from the test goroutine; they race only when the
        // test itself starts goroutines.
        let quiet_test = ctx.file(function.file).is_test && !fresh::spawns_goroutines(function);
        let excluded = function.is_init_or_constructor()
            || contract(function).is_some()
            || quiet_test
            || once[fi];
        for (ai, access) in function.accesses.iter().enumerate() {
            if !is_package_map(ctx, &access.target) {
                continue;
            }
            let state = facts
                .access_states
                .get(&ai)
                .cloned()
                .unwrap_or(State::Unknown);
            let base = locks::base_path(&function.scope, access.map_expr, src);
            let fresh = fresh::is_fresh(ctx, function, access.map_expr, src);
            sites.push(AccessSite {
                function: fi,
                access: ai,
                target: access.target.clone(),
                is_write: access.kind.is_write(),
                judged: !excluded && !fresh && state.is_known(),
                base,
                state,
            });
        }
    }
    let mut facts = ConcurrencyFacts {
        locks,
        sites,
        guards: HashMap::new(),
    };
    facts.guards = guards::infer(ctx, &facts);
    facts
}

/// Package variables and fields of this package's types.
fn is_package_map(ctx: &PackageContext<'_>, target: &MapRef) -> bool {
    match target {
        MapRef::Global { pkg, .. } | MapRef::Field { pkg, .. } => *pkg == ctx.pkg.path,
        MapRef::Local { .. } => false,
    }
}

//! Shared by MG101–MG105: the lock state at every map access and call, each map's guard, and
//! which accesses are judged at all (constructors, `init`, fresh values, lock-contract functions
//! and closures run by unknown code are not).

pub(crate) mod callers;
pub(crate) mod contract;
pub(crate) mod exposure;
pub(crate) mod fresh;
pub(crate) mod guards;
pub(crate) mod locks;
mod paths;
mod state;

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use mapguard_go::index::{AccessKind, MapAccess, MapRef};

use crate::context::{FunctionFacts, PackageContext};
pub(crate) use contract::{
    contract, declared_contract, locks_itself, names_a_parameter, required_lock,
};
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
    /// Whether the access is shown to run concurrently with other code (see `exposure`): only
    /// such accesses can be findings.
    pub(crate) exposed: bool,
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
    /// By function: locks held at one of its call sites or more, in the function's names.
    pub(crate) held_by_some_caller: Vec<Vec<Held>>,
    /// By function: whether it is shown to run concurrently with other code or with itself.
    pub(crate) exposure: exposure::Exposure,
    /// By function: the lock contract its doc or name declares (see `declared_contract`).
    pub(crate) declared: Vec<Option<contract::Contract>>,
    /// By function: its contract, unless its body cancels it (see `contract`).
    pub(crate) contracts: Vec<Option<contract::Contract>>,
    pub(crate) graph: callers::CallGraph,
}

impl ConcurrencyFacts<'_> {
    /// Whether some caller of the site's function calls it holding `lock` on the site's base: the
    /// function is written to run under the lock, and an unlocked call is the caller's mistake.
    pub(crate) fn called_under(&self, site: &AccessSite, lock: &MapRef) -> bool {
        self.held_by_some_caller[site.function]
            .iter()
            .any(|h| h.base == site.base && h.lock == *lock)
    }
}

/// Computes (once per package) the lock state at every access and every map's guard.
pub(crate) fn facts<'c, 'a>(ctx: &'c PackageContext<'a>) -> &'c ConcurrencyFacts<'a> {
    ctx.concurrency_cell().get_or_init(|| build(ctx))
}

fn build<'a>(ctx: &PackageContext<'a>) -> ConcurrencyFacts<'a> {
    if !uses_locks_or_goroutines(ctx) {
        return ConcurrencyFacts {
            locks: Vec::new(),
            sites: Vec::new(),
            guards: HashMap::new(),
            held_by_some_caller: Vec::new(),
            exposure: exposure::Exposure::default(),
            graph: callers::CallGraph::empty(),
            declared: Vec::new(),
            contracts: Vec::new(),
        };
    }
    let functions = ctx.functions();
    let names = locks::PackageNames::new(ctx);
    let analyze = |f: &FunctionFacts<'a>, entry: Vec<Held>| {
        locks::analyze(f, &ctx.file(f.file).text, ctx.index, &names, entry)
    };
    // A function whose contract says a lock is held runs with it held.
    let declared: Vec<Option<contract::Contract>> = functions
        .iter()
        .map(|f| f.decl.and_then(declared_contract))
        .collect();
    let contracts: Vec<Option<contract::Contract>> = functions
        .iter()
        .zip(&declared)
        .map(|(f, d)| d.as_ref().and_then(|_| contract(f)))
        .collect();
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
    let graph = callers::CallGraph::new(ctx, &locks, &names.function_names);
    let once = callers::once_initializers(ctx);
    let value_uses = callers::value_uses(ctx, &locks);
    let reachable_anywhere = callers::reachable_anywhere(ctx, &value_uses);
    let barrier: Vec<bool> = functions
        .iter()
        .zip(&once)
        .map(|(f, &once)| {
            ctx.file(f.file).is_test
                || fresh::is_constructor(ctx, f)
                || once
                || f.decl.is_some_and(contract::init_only)
        })
        .collect();
    let mut entries = contracted.clone();
    let mut exposure;
    let mut held_by_some_caller;
    let mut round = 0;
    loop {
        exposure = exposure::exposure(ctx, &graph, &locks, &value_uses, &barrier);
        let callers =
            callers::entry_locks(ctx, &graph, &locks, &reachable_anywhere, &exposure.exposed);
        held_by_some_caller = callers.somewhere;
        let next: Vec<Vec<Held>> = contracted
            .iter()
            .zip(callers.entry)
            .map(|(declared, mut inferred)| {
                inferred.retain(|h| !declared.contains(h));
                declared.iter().cloned().chain(inferred).collect()
            })
            .collect();
        round += 1;
        if next == entries || round == 8 {
            break;
        }
        for (i, entry) in next.iter().enumerate() {
            if *entry != entries[i] {
                locks[i] = analyze(&functions[i], entry.clone());
            }
        }
        entries = next;
    }
    // A function handed out as a value runs wherever its holder calls it, whatever its direct
    // callers hold.
    for (held, used) in held_by_some_caller.iter_mut().zip(&value_uses) {
        if *used == callers::ValueUse::InCode {
            held.clear();
        }
    }
    let mut sites = Vec::new();
    for (fi, (function, facts)) in functions.iter().zip(&locks).enumerate() {
        let src = ctx.file(function.file).text.as_str();
        // Tests poke the values they built from the test goroutine; they race only when the
        // test itself starts goroutines.
        let quiet_test = ctx.file(function.file).is_test && !fresh::spawns_goroutines(function);
        // Setup code (constructors, `init`-only functions, `sync.Once` initialisers) and
        // lock-contract functions are not judged; tests are judged only where they spawn
        // goroutines.
        let setup = barrier[fi] && !ctx.file(function.file).is_test;
        let excluded = setup || contracts[fi].is_some() || quiet_test;
        // `s.m = make(…)` without a lock on `s`: the function sets the map up; later accesses
        // through the same path in it reach a map nobody else has yet.
        let mut replaced: Vec<(&MapRef, String, usize)> = Vec::new();
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
            let start = access.node.start_byte();
            let after_replace = replaced
                .iter()
                .any(|(t, b, at)| *t == &access.target && *b == base && *at < start);
            if access.kind == AccessKind::Replace
                && !replaced_with_nil(access, src)
                && let State::Known(held) = &state
                && !held.iter().any(|h| h.base == base)
            {
                replaced.push((&access.target, base.clone(), start));
            }
            let fresh = after_replace || fresh::is_fresh(ctx, function, access.map_expr, src);
            sites.push(AccessSite {
                function: fi,
                access: ai,
                target: access.target.clone(),
                is_write: access.kind.is_write(),
                judged: !excluded
                    && !fresh
                    && state.is_known()
                    && !facts.opaque_accesses.contains(&ai),
                exposed: exposure.exposed[fi] || facts.detached_accesses.contains(&ai),
                base,
                state,
            });
        }
    }
    let mut facts = ConcurrencyFacts {
        locks,
        sites,
        guards: HashMap::new(),
        held_by_some_caller,
        exposure,
        graph,
        declared,
        contracts,
    };
    facts.guards = guards::infer(ctx, &facts);
    facts
}

/// Whether any file of the package takes a lock (`Lock(`, `RLock(`, `TryLock(`) or launches a
/// goroutine: without either, no concurrency rule can fire, and the analysis is skipped.
fn uses_locks_or_goroutines(ctx: &PackageContext<'_>) -> bool {
    static GO_STATEMENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?m)^\s*go\s|\.(?:Go|TryGo|Submit)\(").expect("valid regex"));
    ctx.files()
        .iter()
        .any(|f| f.text.contains("Lock(") || GO_STATEMENT.is_match(&f.text))
}

/// Whether an access is `m = nil` (dropping the map, not setting one up).
pub(crate) fn replaced_with_nil(access: &MapAccess<'_>, src: &str) -> bool {
    let statement = access.node;
    let (Some(left), Some(right)) = (
        statement.child_by_field_name("left"),
        statement.child_by_field_name("right"),
    ) else {
        return false;
    };
    mapguard_go::syntax::named_children(left)
        .position(|n| n == access.map_expr)
        .and_then(|i| mapguard_go::syntax::named_children(right).nth(i))
        .is_some_and(|value| mapguard_go::syntax::text(value, src) == "nil")
}

/// Package variables and fields of this package's types.
fn is_package_map(ctx: &PackageContext<'_>, target: &MapRef) -> bool {
    match target {
        MapRef::Global { pkg, .. } | MapRef::Field { pkg, .. } => *pkg == ctx.pkg.path,
        MapRef::Local { .. } => false,
    }
}

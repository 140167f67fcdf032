use mapguard_go::index::{AccessKind, MapRef};

use crate::concurrency::{self, AccessSite, ConcurrencyFacts, locks::State};
use crate::context::PackageContext;
use crate::declare_rule;
use crate::rule::{Rule, RuleInfo};

declare_rule! {
    /// ## What it does
    /// Finds an access to a map (a struct field or package variable) made without the lock that
    /// guards it elsewhere, in code shown to run concurrently with other code.
    ///
    /// A lock guards a map when an annotation says so (`// guarded by mu`, `// protected by mu`,
    /// `// +checklocks:mu`), when the map is declared below the mutex in the same block of fields
    /// (the Go convention "mu protects the fields below it", until a blank line or another
    /// mutex) and some access holds it, or when a clear majority (at least 3 of 4) of at least
    /// four of the map's accesses hold it. The message names the evidence.
    ///
    /// Not being able to prove an access safe is not enough: the access must be in code that
    /// runs concurrently — an exported function or method (other packages call it from any
    /// goroutine), a function the package hands out as a value (a handler, a callback), a
    /// goroutine, or a function such code calls at a point where the lock state is known. Tests,
    /// `init`, constructors (`New…`, or any function that builds and returns a value of its
    /// package's types) and `sync.Once` initialisers prepare values before sharing them; what
    /// they do is not judged, nor what they call. A helper that some caller calls with the
    /// guard held is taken to need it (an unlocked call is then the caller's mistake), unless the
    /// package hands it out as a value. `s.m = make(…)` sets a map up rather than writing one
    /// (`s.m = nil` is reported: it drops the map under its users). Accesses in functions whose
    /// name ends in `Locked` or whose doc says the caller holds the lock (MG105 checks their
    /// callers), on values the function allocated itself, and in closures run by unknown code
    /// are not judged.
    ///
    /// ## Why is this bad?
    /// Go maps are not safe for concurrent use. One unlocked access beside locked writers is a
    /// data race, and the runtime detects some of them and kills the process: `fatal error:
    /// concurrent map writes`, `concurrent map read and map write`, `concurrent map iteration and
    /// map write`. The race detector finds it only if the race happens under test.
    ///
    /// ## Example
    /// ```go
    /// type Server struct {
    ///     mu       sync.Mutex
    ///     sessions map[string]*Session
    /// }
    ///
    /// func (s *Server) Logout(id string) {
    ///     delete(s.sessions, id) // no s.mu
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// func (s *Server) Logout(id string) {
    ///     s.mu.Lock()
    ///     defer s.mu.Unlock()
    ///     delete(s.sessions, id)
    /// }
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: where the critical section should end is a design decision.
    pub struct InconsistentMapLocking;
    code = "MG101", name = "inconsistent-map-locking", summary = "a map accessed without the lock that guards it elsewhere",
    severity = Error, fixable = false, test_severity = Warning,
}

impl Rule for InconsistentMapLocking {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, ctx: &PackageContext<'_>) {
        let facts = concurrency::facts(ctx);
        let functions = ctx.functions();
        for site in facts.sites.iter().filter(|s| s.judged && s.exposed) {
            let Some(guard) = facts.guards.get(&site.target) else {
                continue;
            };
            if !site.state.is_known() || site.state.holding(&site.base, &guard.lock).is_some() {
                continue; // held (a write under only the read lock is MG102's)
            }
            let function = &functions[site.function];
            let access = &function.accesses[site.access];
            // `s.m = make(…)` sets a map up rather than writing one (`s.m = nil` tears it down
            // under its users); and a function some callers call under the guard is written to
            // run under it.
            let src = ctx.file(function.file).text.as_str();
            let launch = facts.locks[site.function].in_goroutine.get(&site.access);
            if !reached_through_shared_root(function, access.map_expr, launch, src)
                || (access.kind == AccessKind::Replace
                    && !concurrency::replaced_with_nil(access, src))
                || facts.called_under(site, &guard.lock)
                || shielded(facts, site, &guard.lock)
            {
                continue;
            }
            // A read under a lock that every write of the map holds is ordered with the writes
            // (maps written under both of two locks, read under either).
            if !access.kind.is_write() && holds_a_lock_of_every_write(facts, site) {
                continue;
            }
            let shown = concurrency::locks::squash(mapguard_go::syntax::text(access.map_expr, src));
            let lock = concurrency::locks::lock_text(&site.base, &guard.name);
            let verb = if access.kind.is_write() {
                "written"
            } else {
                "read"
            };
            let message = format!(
                "{shown} is guarded by {lock} ({}) but {verb} here without it",
                guard.evidence
            );
            let mut diagnostic = ctx.diagnostic(function.file, access.node, message);
            if let Some(held) = facts
                .sites
                .iter()
                .find(|s| s.target == site.target && s.holds(&guard.lock, false))
            {
                let f = &functions[held.function];
                diagnostic = diagnostic.with_related(
                    ctx.location(f.file, f.accesses[held.access].node),
                    format!("{lock} is held here"),
                );
            }
            ctx.push(diagnostic);
        }
    }
}

/// Whether the map is reached from the receiver, a parameter or a package variable (the values
/// a function is given or shares), or from a local a goroutine captures (shared with it). Other
/// locals (`for _, acc := range opts.Accounts`, `r, ok := x.(*Rule)`) may be copies,
/// configuration values or values not shared yet; the analysis cannot tell, so it stays silent.
fn reached_through_shared_root(
    function: &crate::context::FunctionFacts<'_>,
    expr: mapguard_go::syntax::Node<'_>,
    launch: Option<&mapguard_go::syntax::Node<'_>>,
    src: &str,
) -> bool {
    let Some(root) = concurrency::locks::root_identifier(expr) else {
        return false;
    };
    let name = mapguard_go::syntax::text(root, src);
    function
        .scope
        .local(name, root.start_byte() as u32)
        .is_none_or(|local| {
            local.is_param || launch.is_some_and(|l| (local.decl as usize) < l.start_byte())
        })
}

/// Whether the access runs in a goroutine launched while the spawner holds `lock`, which it
/// keeps until it has waited for the goroutine.
fn shielded(facts: &ConcurrencyFacts<'_>, site: &AccessSite, lock: &MapRef) -> bool {
    let locks = &facts.locks[site.function];
    locks
        .in_goroutine
        .get(&site.access)
        .and_then(|launch| locks.shields.get(&launch.start_byte()))
        .is_some_and(|held| held.iter().any(|h| h.base == site.base && h.lock == *lock))
}

/// Whether the read holds a lock that every write of its map made by concurrently running code
/// holds too: through the read's own path (`s.mu`), or the very same path (`m.targetsMtx` held
/// around `prov.subs` in the methods of `m`).
fn holds_a_lock_of_every_write(facts: &ConcurrencyFacts<'_>, read: &AccessSite) -> bool {
    let State::Known(held) = &read.state else {
        return false;
    };
    let writes: Vec<&AccessSite> = facts
        .sites
        .iter()
        .filter(|s| s.judged && s.exposed && s.target == read.target && s.is_write)
        .collect();
    !writes.is_empty()
        && held.iter().any(|h| {
            writes.iter().all(|w| {
                (h.base == read.base && w.holds(&h.lock, false))
                    || matches!(&w.state, State::Known(list) if list.iter().any(|o| o.base == h.base && o.lock == h.lock))
            })
        })
}

use mapguard_go::index::MapRef;

use crate::concurrency::{self, AccessSite, ConcurrencyFacts, locks::State};
use crate::context::PackageContext;
use crate::declare_rule;
use crate::rule::{Rule, RuleInfo};

declare_rule! {
    /// ## What it does
    /// Finds a map write (assignment, `op=`, `++`/`--`, `delete`, `clear`, `maps.Copy` into it)
    /// made while only the read side (`RLock`) of the map's `sync.RWMutex` is held, where
    /// another holder of the read lock can run beside it: the writing function runs concurrently
    /// with itself (it is exported, handed out as a handler or callback, or runs in goroutines
    /// launched in a loop), or the map is used by concurrently running code outside the
    /// writer's own call chain. One background goroutine writing under `RLock` only to keep
    /// `Close` (which takes `Lock`) out is not reported.
    ///
    /// ## Why is this bad?
    /// `RLock` lets many readers in at once. Two of them writing the map at the same time is
    /// `fatal error: concurrent map writes`, and a writer beside readers is `concurrent map read
    /// and map write`. The code looks locked, so reviews miss it.
    ///
    /// ## Example
    /// ```go
    /// func (c *Cache) Get(k string) *object {
    ///     c.mu.RLock()
    ///     defer c.mu.RUnlock()
    ///     c.hits[k]++
    ///     return c.objects[k]
    /// }
    /// ```
    ///
    /// Use instead: take `c.mu.Lock()` for the write, or count with `atomic` values stored in
    /// the map at creation, or move the write after `RUnlock` under `Lock`.
    ///
    /// ## Fix safety
    /// No automatic fix.
    pub struct MapWriteUnderReadLock;
    code = "MG102", name = "map-write-under-read-lock", summary = "a map written while only RLock is held",
    severity = Error, fixable = false, test_severity = Warning,
}

impl Rule for MapWriteUnderReadLock {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, ctx: &PackageContext<'_>) {
        let facts = concurrency::facts(ctx);
        let functions = ctx.functions();
        for site in facts.sites.iter().filter(|s| s.judged) {
            let function = &functions[site.function];
            let access = &function.accesses[site.access];
            if !access.kind.is_write() {
                continue;
            }
            let State::Known(held) = &site.state else {
                continue;
            };
            // With a known guard, only its read side counts; without one, a read lock of the
            // map's own struct counts unless a write lock of that struct is held too.
            // Another lock of the same value held for writing serialises the write.
            if held.iter().any(|h| h.base == site.base && h.write) {
                continue;
            }
            let read_only = match facts.guards.get(&site.target) {
                Some(guard) => held
                    .iter()
                    .find(|h| h.base == site.base && h.lock == guard.lock)
                    .filter(|h| !h.write),
                None => {
                    let sibling = |h: &&concurrency::locks::Held| {
                        h.base == site.base && same_owner(&site.target, &h.lock)
                    };
                    if held.iter().filter(sibling).any(|h| h.write) {
                        None
                    } else {
                        held.iter().filter(sibling).find(|h| !h.write)
                    }
                }
            };
            let Some(lock) = read_only else { continue };
            if !(site.exposed && can_meet_a_reader(facts, site)) {
                continue;
            }
            let src = ctx.file(function.file).text.as_str();
            let shown = concurrency::locks::squash(mapguard_go::syntax::text(access.map_expr, src));
            let name = match &lock.lock {
                MapRef::Field { field, .. } => field.clone(),
                MapRef::Global { name, .. } | MapRef::Local { name, .. } => name.clone(),
            };
            let lock_text = concurrency::locks::lock_text(&lock.base, &name);
            let message = format!("map {shown} written while only {lock_text}.RLock is held");
            ctx.push(
                ctx.diagnostic(function.file, access.node, message)
                    .with_help(format!("take {lock_text}.Lock() to write")),
            );
        }
    }
}

/// Whether a lock is a field of the same struct type as the map.
fn same_owner(map: &MapRef, lock: &MapRef) -> bool {
    matches!((map, lock), (MapRef::Field { pkg, type_name, .. }, MapRef::Field { pkg: lp, type_name: lt, .. }) if pkg == lp && type_name == lt)
}

/// Whether another holder of the read lock can run beside the write: the writing function runs
/// concurrently with itself (reached from an exported function, a handler, a goroutine launched
/// in a loop), or the map is used by concurrently running code elsewhere (not the writer itself
/// nor a function it calls or is called by, which run under the same critical section).
fn can_meet_a_reader(facts: &ConcurrencyFacts<'_>, write: &AccessSite) -> bool {
    let writer = write.function;
    let in_loop_goroutine = facts.locks[writer]
        .in_goroutine
        .get(&write.access)
        .is_some_and(|launch| {
            facts.locks[writer]
                .launches
                .iter()
                .any(|l| l.node == *launch && l.in_loop)
        });
    if in_loop_goroutine
        || (facts.exposure.reentrant[writer]
            && !facts.locks[writer]
                .detached_accesses
                .contains(&write.access))
    {
        return true;
    }
    facts.sites.iter().any(|other| {
        other.target == write.target
            && other.judged
            && other.exposed
            && other.function != writer
            && !facts.graph.calls(writer, other.function)
            && !facts.graph.calls(other.function, writer)
    })
}

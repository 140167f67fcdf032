use mapguard_go::index::{AccessKind, MapAccess, MapRef};
use mapguard_go::syntax::{self, Node};

use crate::concurrency::locks::{Held, Launch, LockFacts, State, squash};
use crate::concurrency::{self};
use crate::context::{FunctionFacts, PackageContext};
use crate::declare_rule;
use crate::rule::{Rule, RuleInfo};

declare_rule! {
    /// ## What it does
    /// Finds a map written inside a goroutine (`go` with a function literal or a method value,
    /// `sync.WaitGroup.Go`, `errgroup.Group.Go`) while other goroutines launched by the same
    /// loop or statement list, or the spawning function after the launch, also use it, with no
    /// lock common to both sides. The spawner's own writes to such a map after the launch are
    /// reported too.
    ///
    /// Uses ordered after the goroutines (after `wg.Wait()`, `g.Wait()` or a channel receive)
    /// do not count; a map made inside the goroutine, a clone handed to it, and `sync.Map` are
    /// not shared.
    ///
    /// ## Why is this bad?
    /// Goroutines run in parallel. Two of them writing one map, or one writing while another
    /// reads, is a data race that the runtime turns into `fatal error: concurrent map writes`
    /// (it cannot be recovered). Distinct keys do not help: the map's internal state is shared.
    ///
    /// ## Example
    /// ```go
    /// results := make(map[string]Page, len(urls))
    /// for _, u := range urls {
    ///     wg.Add(1)
    ///     go func() {
    ///         defer wg.Done()
    ///         results[u] = fetch(u)
    ///     }()
    /// }
    /// wg.Wait()
    /// ```
    ///
    /// Use instead: guard the map with a mutex taken on both sides, send results on a channel
    /// and let one goroutine write, or fill a slice by index and build the map after `Wait`.
    ///
    /// ## Fix safety
    /// No automatic fix.
    pub struct MapSharedWithGoroutine;
    code = "MG104", name = "map-shared-with-goroutine", summary = "a map written by a goroutine while other goroutines or its spawner use it without a common lock",
    severity = Error, fixable = false, test_severity = Warning,
}

impl Rule for MapSharedWithGoroutine {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, ctx: &PackageContext<'_>) {
        let facts = concurrency::facts(ctx);
        for (function, locks) in ctx.functions().iter().zip(&facts.locks) {
            if !locks.launches.is_empty() {
                check_function(ctx, function, locks, &facts.locks);
            }
        }
    }
}

/// One use of a map in the spawning function or one of its goroutines.
struct Use<'a, 't> {
    /// The map and the path it is reached through.
    identity: (MapRef, String),
    access: &'a MapAccess<'t>,
    /// The function whose file holds the access (the spawner, or a method run as a goroutine).
    owner: &'a FunctionFacts<'t>,
    state: State,
    /// The launch (start byte) whose goroutine makes the access; `None` for the spawner.
    goroutine: Option<usize>,
}

fn check_function<'a>(
    ctx: &PackageContext<'a>,
    function: &FunctionFacts<'a>,
    locks: &LockFacts<'a>,
    all_locks: &[LockFacts<'a>],
) {
    let src = ctx.file(function.file).text.as_str();
    let mut uses: Vec<Use<'_, 'a>> = Vec::new();
    for (i, access) in function.accesses.iter().enumerate() {
        let goroutine = locks.in_goroutine.get(&i).copied();
        let literal = goroutine
            .and_then(|g| locks.launches.iter().find(|l| l.node == g))
            .and_then(|l| l.body);
        let Some(identity) = identity(function, access, goroutine.map(|_| literal), src) else {
            continue;
        };
        let state = locks
            .access_states
            .get(&i)
            .cloned()
            .unwrap_or(State::Unknown);
        uses.push(Use {
            identity,
            access,
            owner: function,
            state,
            goroutine: goroutine.map(|g| g.start_byte()),
        });
    }
    uses.extend(method_value_goroutines(
        ctx, function, locks, all_locks, src,
    ));

    let mut reported = std::collections::HashSet::new();
    let in_test = ctx.file(function.file).is_test;
    for launch in &locks.launches {
        // A test's server loop (`for { c, _ := ln.Accept(); go serve(c) }`) runs as many
        // goroutines as the test makes connections: the test decides, not the loop.
        let launch = &Launch {
            in_loop: launch.in_loop && !(in_test && in_endless_loop(launch.node, function.node)),
            ..launch.clone()
        };
        let id = launch.node.start_byte();
        let order_point = sync_points(function, locks, launch, src)
            .into_iter()
            .find(|&p| p > launch.node.end_byte())
            .unwrap_or(usize::MAX);
        let in_goroutine = |u: &&Use<'_, 'a>| u.goroutine == Some(id);
        let others_of = |g: &Use<'_, 'a>| -> Vec<&Use<'_, 'a>> {
            uses.iter()
                .filter(|u| u.identity == g.identity)
                .filter(|u| match u.goroutine {
                    Some(other) => other != id,
                    None => {
                        u.access.node.start_byte() > launch.node.end_byte()
                            && u.access.node.start_byte() < order_point
                    }
                })
                .collect()
        };
        for used in uses.iter().filter(in_goroutine) {
            let others = others_of(used);
            let name = display(
                &used.identity,
                used.access,
                ctx.file(used.owner.file).text.as_str(),
            );
            // Lock states the analysis could not follow make the rule silent, not suspicious.
            let known = used.state.is_known() && others.iter().all(|u| u.state.is_known());
            if mutates(used.access)
                && known
                && (launch.in_loop || !others.is_empty())
                && !common_lock(used, &others, launch.in_loop)
            {
                let who = if launch.in_loop {
                    "goroutines launched by the same loop write it too"
                } else if others.iter().any(|u| u.goroutine.is_some()) {
                    "another goroutine uses it"
                } else {
                    "the spawner uses it after the launch"
                };
                if reported.insert((used.owner.file, used.access.node.start_byte())) {
                    let message = format!(
                        "map {name} is written by a goroutine while {who}, with no common lock"
                    );
                    let mut diagnostic = ctx.diagnostic(used.owner.file, used.access.node, message);
                    if let Some(other) = others.first() {
                        diagnostic = diagnostic.with_related(
                            ctx.location(other.owner.file, other.access.node),
                            "also used here",
                        );
                    }
                    ctx.push(diagnostic);
                }
            }
            // The spawner's writes after the launch race with whatever the goroutine does.
            for write in others
                .iter()
                .filter(|u| u.goroutine.is_none() && mutates(u.access))
            {
                if !(write.state.is_known() && used.state.is_known())
                    || common_lock(write, &[used], false)
                    || !reported.insert((write.owner.file, write.access.node.start_byte()))
                {
                    continue;
                }
                let message = format!(
                    "map {name} is written by the spawner while a goroutine it launched uses it, with no common lock"
                );
                let diagnostic = ctx
                    .diagnostic(write.owner.file, write.access.node, message)
                    .with_related(
                        ctx.location(used.owner.file, used.access.node),
                        "the goroutine uses it here",
                    );
                ctx.push(diagnostic);
            }
        }
    }
}

/// Which map an access uses, across the spawner and its goroutines: a local map captured by a
/// goroutine (or bound to a goroutine literal's parameter), a package map, or a field through a
/// captured path. Maps made inside the goroutine are its own.
fn identity(
    function: &FunctionFacts<'_>,
    access: &MapAccess<'_>,
    goroutine: Option<Option<Node<'_>>>,
    src: &str,
) -> Option<(MapRef, String)> {
    let base = concurrency::locks::base_path(&function.scope, access.map_expr, src);
    let MapRef::Local { decl, .. } = &access.target else {
        return Some((access.target.clone(), base));
    };
    let Some(literal) = goroutine else {
        return Some((access.target.clone(), base));
    };
    let literal = literal?;
    let declared_inside = (literal.start_byte()..literal.end_byte()).contains(&(*decl as usize));
    if !declared_inside {
        return Some((access.target.clone(), base));
    }
    // A parameter of the goroutine's literal: the argument it is bound to.
    let params = literal.child_by_field_name("parameters")?;
    let names: Vec<Node<'_>> = syntax::named_children(params)
        .flat_map(|p| syntax::field_children(p, "name"))
        .collect();
    let position = names.iter().position(|n| n.start_byte() as u32 == *decl)?;
    let call = literal.parent().filter(|p| p.kind() == "call_expression")?;
    let argument = syntax::named_children(call.child_by_field_name("arguments")?).nth(position)?;
    let outer = function.scope.map_ref(argument)?;
    Some((outer, concurrency::locks::base_of(argument, src)))
}

/// `go x.method(…)`: the method's writes to fields of its receiver run in the goroutine.
fn method_value_goroutines<'a, 'c>(
    ctx: &'c PackageContext<'a>,
    function: &FunctionFacts<'a>,
    locks: &LockFacts<'a>,
    all_locks: &[LockFacts<'a>],
    src: &str,
) -> Vec<Use<'c, 'a>> {
    let mut out = Vec::new();
    for launch in locks
        .launches
        .iter()
        .filter(|l| l.body.is_none() && l.node.kind() == "go_statement")
    {
        let Some(call) = syntax::named_children(launch.node).next() else {
            continue;
        };
        let Some(selector) = call
            .child_by_field_name("function")
            .filter(|f| f.kind() == "selector_expression")
        else {
            continue;
        };
        let (Some(operand), Some(method)) = (
            selector.child_by_field_name("operand"),
            selector.child_by_field_name("field"),
        ) else {
            continue;
        };
        let Some(ty) = function.scope.type_of(operand) else {
            continue;
        };
        let Some(decl) = ctx.index.method(&ty, syntax::text(method, src)) else {
            continue;
        };
        let Some((callee_index, callee)) = ctx
            .functions()
            .iter()
            .enumerate()
            .find(|(_, f)| f.decl.is_some_and(|d| std::ptr::eq(d, decl)))
        else {
            continue;
        };
        let receiver = decl
            .receiver
            .as_ref()
            .map(|r| r.name.clone())
            .unwrap_or_default();
        let callee_src = ctx.file(callee.file).text.as_str();
        let base = squash(syntax::text(operand, src));
        for (i, access) in callee.accesses.iter().enumerate() {
            if matches!(access.target, MapRef::Field { .. })
                && concurrency::locks::base_of(access.map_expr, callee_src) == receiver
            {
                // The method's own locking, with its receiver's paths named as the spawner
                // names them (`l.mu` in the method is `c.lessor.mu` at `go c.lessor.loop()`).
                let state = match all_locks[callee_index].access_states.get(&i) {
                    Some(State::Known(held)) => State::known(
                        held.iter()
                            .filter_map(|h| {
                                let rest = h.base.strip_prefix(receiver.as_str())?;
                                (rest.is_empty() || rest.starts_with('.')).then(|| Held {
                                    base: format!("{base}{rest}"),
                                    ..h.clone()
                                })
                            })
                            .collect(),
                    ),
                    _ => State::Unknown,
                };
                out.push(Use {
                    identity: (access.target.clone(), base.clone()),
                    access,
                    owner: callee,
                    state,
                    goroutine: Some(launch.node.start_byte()),
                });
            }
        }
    }
    out
}

/// Positions in the spawner after which a launch's goroutine is done: `Wait()` calls, and
/// receives from a channel that the goroutine closes or sends on.
fn sync_points(
    function: &FunctionFacts<'_>,
    locks: &LockFacts<'_>,
    launch: &Launch<'_>,
    src: &str,
) -> Vec<usize> {
    let inside_goroutine = |n: Node<'_>| {
        locks
            .launches
            .iter()
            .any(|l| l.body.is_some_and(|b| syntax::is_within(n, b)))
    };
    let signalled: Vec<String> = launch
        .body
        .map(|body| {
            syntax::descendants(body)
                .filter_map(|n| match n.kind() {
                    "send_statement" => n
                        .child_by_field_name("channel")
                        .map(|c| squash(syntax::text(c, src))),
                    "call_expression"
                        if n.child_by_field_name("function")
                            .is_some_and(|f| syntax::text(f, src) == "close") =>
                    {
                        n.child_by_field_name("arguments")
                            .and_then(|a| syntax::named_children(a).next())
                            .map(|c| squash(syntax::text(c, src)))
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut points: Vec<usize> = syntax::descendants(function.node)
        .filter(|n| !inside_goroutine(*n))
        .filter(|n| {
            let wait = n.kind() == "call_expression"
                && n.child_by_field_name("function")
                    .is_some_and(|f| syntax::text(f, src).ends_with(".Wait"));
            let receive = n.kind() == "unary_expression"
                && n.child_by_field_name("operator")
                    .is_some_and(|o| syntax::text(o, src) == "<-")
                && n.child_by_field_name("operand")
                    .is_some_and(|c| signalled.contains(&squash(syntax::text(c, src))));
            wait || receive
        })
        .map(|n| n.start_byte())
        .collect();
    points.sort_unstable();
    points
}

/// Whether one lock (same path) is held by the write and by every other use.
fn common_lock(write: &Use<'_, '_>, others: &[&Use<'_, '_>], siblings_in_loop: bool) -> bool {
    let State::Known(held) = &write.state else {
        return false;
    };
    held.iter().any(|h: &Held| {
        let every_other = others
            .iter()
            .all(|u| u.state.holding(&h.base, &h.lock).is_some());
        every_other && (siblings_in_loop || !others.is_empty())
    })
}

fn display(identity: &(MapRef, String), access: &MapAccess<'_>, src: &str) -> String {
    match &identity.0 {
        MapRef::Local { name, .. } | MapRef::Global { name, .. } if identity.1.is_empty() => {
            let shown = squash(syntax::text(access.map_expr, src));
            if shown == *name { name.clone() } else { shown }
        }
        _ => squash(syntax::text(access.map_expr, src)),
    }
}

/// A write to the map itself; assigning the variable (`m = f()`) is not one.
fn mutates(access: &MapAccess<'_>) -> bool {
    access.kind.is_write() && access.kind != AccessKind::Replace
}

/// Whether the innermost loop around a launch is `for { … }`, with no condition or range.
fn in_endless_loop(launch: Node<'_>, root: Node<'_>) -> bool {
    let mut node = launch;
    while let Some(parent) = node.parent() {
        if parent == root {
            return false;
        }
        if parent.kind() == "for_statement" {
            return syntax::named_children(parent).all(|c| c.kind() == "block");
        }
        node = parent;
    }
    false
}

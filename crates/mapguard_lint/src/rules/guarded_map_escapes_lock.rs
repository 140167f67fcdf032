use std::collections::{HashMap, HashSet};

use mapguard_go::index::{AccessKind, MapRef};
use mapguard_go::syntax::{self, Node};

use crate::concurrency::{self, locks::squash};
use crate::context::{FunctionFacts, PackageContext};
use crate::declare_rule;
use crate::rule::{Rule, RuleInfo};

declare_rule! {
    /// ## What it does
    /// Finds a guarded map itself leaving its critical section: returned by a getter, stored
    /// in a struct, composite literal, package variable or slice, sent on a channel, or passed
    /// to a goroutine.
    ///
    /// ## Why is this bad?
    /// The lock protects the map only while it is held. A caller that gets the map itself
    /// reads or ranges over it with no lock, while writers keep changing it under the lock:
    /// `concurrent map iteration and map write`. The lock around the getter makes the code look
    /// safe.
    ///
    /// Passing the map to an ordinary call under the lock (encoding it, formatting it) is not an
    /// escape; returning a map that was swapped out of the field under the lock (`old := c.m;
    /// c.m = make(…)`) transfers ownership and is not reported either.
    ///
    /// ## Example
    /// ```go
    /// func (r *Registry) Instances() map[string][]Instance {
    ///     r.mu.RLock()
    ///     defer r.mu.RUnlock()
    ///     return r.instances
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// func (r *Registry) Instances() map[string][]Instance {
    ///     r.mu.RLock()
    ///     defer r.mu.RUnlock()
    ///     return maps.Clone(r.instances)
    /// }
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: `maps.Clone` is shallow, and callers may rely on seeing later updates.
    pub struct GuardedMapEscapesLock;
    code = "MG103", name = "guarded-map-escapes-lock", summary = "a guarded map itself is returned, stored or sent out of its critical section",
    severity = Warning, fixable = false, test_severity = Info,
}

impl Rule for GuardedMapEscapesLock {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, ctx: &PackageContext<'_>) {
        let facts = concurrency::facts(ctx);
        // Only maps that concurrently running code writes: handing out a map nobody writes
        // after setup (a registry filled in `init`) races with nothing.
        let written: HashSet<&MapRef> = facts
            .sites
            .iter()
            .filter(|s| s.judged && s.exposed && s.is_write)
            .filter(|s| ctx.functions()[s.function].accesses[s.access].kind != AccessKind::Replace)
            .map(|s| &s.target)
            .collect();
        let guards: HashMap<MapRef, concurrency::guards::Guard> = facts
            .guards
            .iter()
            .filter(|(target, _)| written.contains(target))
            .map(|(target, guard)| (target.clone(), guard.clone()))
            .collect();
        if guards.is_empty() {
            return;
        }
        let names: HashSet<&str> = guards
            .keys()
            .filter_map(|m| match m {
                MapRef::Field { field, .. } => Some(field.as_str()),
                MapRef::Global { name, .. } => Some(name.as_str()),
                MapRef::Local { .. } => None,
            })
            .collect();
        for (fi, function) in ctx.functions().iter().enumerate() {
            // A lock-contract helper returns the map to a caller that holds the lock.
            if concurrency::fresh::is_constructor(ctx, function) || facts.contracts[fi].is_some() {
                continue;
            }
            let src = ctx.file(function.file).text.as_str();
            // Only functions that mention a guarded map by name can hand one out.
            let text = &src[function.node.byte_range()];
            if !names.iter().any(|n| text.contains(n)) {
                continue;
            }
            check_function(ctx, function, src, (&guards, &facts.guards), &names);
        }
    }
}

/// `guards`: the guards of the maps judged here, and of every map (for where one is moved to).
fn check_function(
    ctx: &PackageContext<'_>,
    function: &FunctionFacts<'_>,
    src: &str,
    (guards, all_guards): (
        &HashMap<MapRef, concurrency::guards::Guard>,
        &HashMap<MapRef, concurrency::guards::Guard>,
    ),
    names: &HashSet<&str>,
) {
    // Locals holding a guarded map (`labels := r.labels`), by declaration offset.
    let mut aliases: HashMap<u32, (MapRef, String)> = HashMap::new();
    let mut alias_names: HashSet<String> = HashSet::new();
    // Locals holding a struct that holds a guarded map (`ev := Snapshot{Health: c.health}`).
    let mut holders: HashMap<u32, Holder<'_>> = HashMap::new();
    // A struct holding the map leaves a critical section only where there is one.
    let locks = concurrency::locks_itself(function);
    let reported = std::cell::RefCell::new(std::collections::HashSet::new());
    let report = |node: Node<'_>, shown: &str, what: &str| {
        if !reported.borrow_mut().insert(node.start_byte()) {
            return; // one finding per escaping map expression
        }
        let message = match what {
            "returned" => format!("{} returns guarded map {shown}", function.display_name()),
            other => format!("guarded map {shown} escapes its lock: {other}"),
        };
        let help = format!("hand out a copy made under the lock: maps.Clone({shown})");
        ctx.push(ctx.diagnostic(function.file, node, message).with_help(help));
    };
    for node in syntax::descendants(function.node) {
        // Cheap first: the expression's last name must be a guarded map's or an alias's.
        let last = match node.kind() {
            "identifier" => syntax::text(node, src),
            "selector_expression" => node
                .child_by_field_name("field")
                .map_or("", |f| syntax::text(f, src)),
            _ => continue,
        };
        if !names.contains(last) && !alias_names.contains(last) && holders.is_empty() {
            continue;
        }
        // A holder local leaving the function takes the map with it.
        if let Some(holder) = holder_of(function, node, src, &holders) {
            if let Some(Escape::Out(_) | Escape::Stored(_)) = escape(function, node, src)
                && locks
            {
                report(
                    holder.map_node,
                    &holder.shown,
                    "stored in a value that leaves the critical section",
                );
            }
            continue;
        }
        let Some((target, shown)) = guarded(function, node, src, guards, &aliases) else {
            continue;
        };
        let Some(how) = escape(function, node, src) else {
            continue;
        };
        if transfers_ownership(function, &target, node) {
            continue;
        }
        match how {
            Escape::Alias(name) => {
                alias_names.insert(syntax::text(name, src).to_string());
                aliases.insert(name.start_byte() as u32, (target, shown));
            }
            Escape::Out(what) => report(node, &shown, what),
            Escape::Stored(destination) => {
                // Another field the same lock guards (`s.readers = s.writers` under `s.mu`)
                // keeps the map behind its lock.
                let same_guard = function.scope.map_ref(destination).is_some_and(|d| {
                    all_guards.get(&d).map(|g| &g.lock) == Some(&guards[&target].lock)
                        && concurrency::locks::base_of(destination, src)
                            == concurrency::locks::base_of(node, src)
                });
                if !same_guard {
                    report(node, &shown, "stored outside the critical section");
                }
            }
            Escape::Held(literal, holder) => {
                let guard = &guards[&target];
                if stores_lock(
                    literal,
                    &concurrency::locks::base_of(node, src),
                    &guard.name,
                    src,
                ) {
                    continue; // the map travels with its lock
                }
                match holder {
                    Some(name) => {
                        holders.insert(
                            name.start_byte() as u32,
                            Holder {
                                shown,
                                map_node: node,
                                field: literal_key(node, src),
                            },
                        );
                    }
                    None if locks => report(node, &shown, "stored in a composite literal"),
                    None => {}
                }
            }
        }
    }
    // A holder (or alias) used after the guard is unlocked: the map is read with no lock.
    for (decl, holder) in &holders {
        if locks && used_after_unlock(function, *decl, holder.field.as_deref(), src) {
            report(
                holder.map_node,
                &holder.shown,
                "stored in a value used after the unlock",
            );
        }
    }
}

/// A local holding a struct that holds a guarded map.
struct Holder<'t> {
    shown: String,
    /// The guarded map expression inside the literal.
    map_node: Node<'t>,
    /// The field of the literal the map is stored in (`Cons` in `T{Cons: s.cons}`).
    field: Option<String>,
}

/// The key of the keyed element a literal's value sits in (`Cons` for `s.cons` in
/// `T{Cons: s.cons}`).
fn literal_key(value: Node<'_>, src: &str) -> Option<String> {
    let mut node = value;
    while let Some(parent) = node.parent() {
        if parent.kind() == "keyed_element" {
            let key = syntax::named_children(parent).next()?;
            return (key != node && !syntax::is_within(value, key))
                .then(|| syntax::text(key, src).trim().to_string());
        }
        if parent.kind() == "literal_value" {
            return None;
        }
        node = parent;
    }
    None
}

fn holder_of<'h, 't>(
    function: &FunctionFacts<'_>,
    node: Node<'_>,
    src: &str,
    holders: &'h HashMap<u32, Holder<'t>>,
) -> Option<&'h Holder<'t>> {
    if node.kind() != "identifier" || holders.is_empty() {
        return None;
    }
    let local = function
        .scope
        .local(syntax::text(node, src), node.start_byte() as u32)?;
    if local.decl as usize == node.start_byte() {
        return None;
    }
    holders.get(&local.decl)
}

/// Whether a literal also stores the lock that guards the map (`&T{m: d.m, mu: d.mu}`).
fn stores_lock(literal: Node<'_>, base: &str, lock: &str, src: &str) -> bool {
    let wanted = if base.is_empty() {
        lock.to_string()
    } else {
        format!("{base}.{lock}")
    };
    syntax::descendants(literal).any(|n| {
        matches!(n.kind(), "selector_expression" | "identifier")
            && concurrency::locks::squash(syntax::text(n, src)) == wanted
    })
}

/// Whether the local declared at `decl` is used after an explicit `Unlock`/`RUnlock` that
/// follows its declaration. A read of another field (`ps.ID` when the map is in `ps.Cons`)
/// does not reach the map.
fn used_after_unlock(
    function: &FunctionFacts<'_>,
    decl: u32,
    field: Option<&str>,
    src: &str,
) -> bool {
    let name_node = function
        .node
        .descendant_for_byte_range(decl as usize, decl as usize);
    let Some(name) = name_node.map(|n| syntax::text(n, src)) else {
        return false;
    };
    let unlock = syntax::descendants(function.node)
        .filter(|n| n.start_byte() > decl as usize && n.kind() == "call_expression")
        .filter(|n| n.parent().is_none_or(|p| p.kind() != "defer_statement"))
        .find(|n| {
            n.child_by_field_name("function")
                .and_then(|f| f.child_by_field_name("field"))
                .is_some_and(|m| matches!(syntax::text(m, src), "Unlock" | "RUnlock"))
        });
    let Some(unlock) = unlock else { return false };
    let other_field = |n: Node<'_>| {
        let Some(field) = field else { return false };
        n.parent().is_some_and(|p| {
            p.kind() == "selector_expression"
                && p.child_by_field_name("operand") == Some(n)
                && p.child_by_field_name("field")
                    .is_some_and(|f| syntax::text(f, src) != field)
        })
    };
    syntax::descendants(function.node).any(|n| {
        n.start_byte() > unlock.end_byte()
            && n.kind() == "identifier"
            && syntax::text(n, src) == name
            && function
                .scope
                .local(name, n.start_byte() as u32)
                .is_some_and(|l| l.decl == decl)
            && !other_field(n)
    })
}

/// The guarded map an expression denotes, directly or through an alias local.
fn guarded(
    function: &FunctionFacts<'_>,
    node: Node<'_>,
    src: &str,
    guards: &HashMap<MapRef, concurrency::guards::Guard>,
    aliases: &HashMap<u32, (MapRef, String)>,
) -> Option<(MapRef, String)> {
    // Only whole expressions: not the `r` of `r.labels`, not `labels` of a selector's field.
    if node.parent().is_some_and(|p| {
        p.kind() == "selector_expression" && p.child_by_field_name("operand") == Some(node)
    }) {
        return None;
    }
    let reference = function.scope.map_ref(node)?;
    if let MapRef::Local { decl, .. } = &reference {
        return aliases.get(decl).cloned();
    }
    guards
        .contains_key(&reference)
        .then(|| (reference, squash(syntax::text(node, src))))
}

enum Escape<'t> {
    /// Assigned to a new local: follow it.
    Alias(Node<'t>),
    /// Stored in a composite literal (the literal) that is kept in a local (`Some`), or that
    /// itself escapes (`None`).
    Held(Node<'t>, Option<Node<'t>>),
    /// Leaves the function or its lock, described.
    Out(&'static str),
    /// Stored in a field or element (the assignment's target).
    Stored(Node<'t>),
}

/// How an expression used as a value escapes, if it does.
fn escape<'t>(function: &FunctionFacts<'_>, node: Node<'t>, src: &str) -> Option<Escape<'t>> {
    let parent = node.parent()?;
    match parent.kind() {
        "expression_list" => {
            let stmt = parent.parent()?;
            match stmt.kind() {
                "return_statement" => Some(Escape::Out("returned")),
                "short_var_declaration" | "var_spec"
                    if stmt
                        .child_by_field_name("right")
                        .or_else(|| stmt.child_by_field_name("value"))
                        == Some(parent) =>
                {
                    let index = syntax::named_children(parent).position(|n| n == node)?;
                    let left = stmt
                        .child_by_field_name("left")
                        .map(syntax::named_children)
                        .map(|mut it| it.nth(index));
                    let name = left
                        .flatten()
                        .or_else(|| syntax::field_children(stmt, "name").get(index).copied())?;
                    Some(Escape::Alias(name))
                }
                "assignment_statement" if stmt.child_by_field_name("right") == Some(parent) => {
                    let index = syntax::named_children(parent).position(|n| n == node)?;
                    let target = stmt
                        .child_by_field_name("left")
                        .and_then(|l| syntax::named_children(l).nth(index))?;
                    match target.kind() {
                        "selector_expression" | "index_expression" => Some(Escape::Stored(target)),
                        "identifier" if syntax::text(target, src) == "_" => None,
                        "identifier"
                            if function
                                .scope
                                .local(syntax::text(target, src), target.start_byte() as u32)
                                .is_some() =>
                        {
                            Some(Escape::Alias(target))
                        }
                        "identifier" => Some(Escape::Out("stored in a package variable")),
                        _ => None,
                    }
                }
                _ => None,
            }
        }
        "return_statement" => Some(Escape::Out("returned")),
        "keyed_element" | "literal_element" => literal_escape(function, parent, src),
        "send_statement" => (parent.child_by_field_name("value") == Some(node))
            .then_some(Escape::Out("sent on a channel")),
        "argument_list" => {
            let call = parent.parent()?;
            let function = call
                .child_by_field_name("function")
                .map_or("", |f| syntax::text(f, src));
            if call.parent().is_some_and(|g| g.kind() == "go_statement") {
                Some(Escape::Out("passed to a goroutine"))
            } else if function == "append" && syntax::named_children(parent).next() != Some(node) {
                Some(Escape::Out("appended to a slice"))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A map stored in a composite literal escapes when the literal does; a literal kept in a local
/// is followed; a literal passed to a call under the lock (`json.Marshal(&T{m: s.m})`) is not.
fn literal_escape<'t>(
    function: &FunctionFacts<'_>,
    element: Node<'t>,
    src: &str,
) -> Option<Escape<'t>> {
    let mut literal = element;
    while literal.kind() != "composite_literal" {
        literal = literal.parent()?;
    }
    let holder = match literal.parent() {
        Some(p) if p.kind() == "unary_expression" => p,
        _ => literal,
    };
    match escape(function, holder, src)? {
        Escape::Out(_) | Escape::Stored(_) => Some(Escape::Held(literal, None)),
        Escape::Alias(name) => Some(Escape::Held(literal, Some(name))),
        Escape::Held(outer, kept) => Some(Escape::Held(outer, kept)),
    }
}

/// `old := c.m; c.m = make(…); return old`: the field was replaced in this function.
fn transfers_ownership(function: &FunctionFacts<'_>, target: &MapRef, _at: Node<'_>) -> bool {
    function
        .accesses
        .iter()
        .any(|a| a.target == *target && a.kind == AccessKind::Replace)
}

//! Locks a function can assume held on entry: those held at every call site in the package.
//!
//! Only unexported functions qualify (exported ones may be called from anywhere), and only when
//! every use of the function is a direct call: a method value or function value handed to other
//! code may run without the lock. Locks are translated from the caller's path to the callee's:
//! `s.shard.mu` held at `s.shard.lookup()` is `recv.mu` inside `lookup`.

use std::collections::HashMap;

use mapguard_go::index::FuncDecl;
use mapguard_go::syntax::{self, Node};

use super::locks::{Held, LockFacts, State, squash};
use crate::context::{FunctionFacts, PackageContext};

/// Every direct call of a package function or method, resolved once: by caller, the call's
/// start byte → (callee index, receiver path at the call).
pub(crate) struct CallGraph {
    calls: Vec<HashMap<usize, (usize, Option<String>)>>,
}

impl CallGraph {
    /// A graph without calls, for packages the analysis skips.
    pub(super) fn empty() -> Self {
        Self { calls: Vec::new() }
    }

    /// `names`: the package's function and method names (calls of other names cannot resolve).
    pub(super) fn new(
        ctx: &PackageContext<'_>,
        locks: &[LockFacts<'_>],
        names: &std::collections::HashSet<String>,
    ) -> Self {
        let functions = ctx.functions();
        let by_decl = decl_indices(ctx);
        let calls = functions
            .iter()
            .zip(locks)
            .map(|(caller, facts)| {
                let src = ctx.file(caller.file).text.as_str();
                facts
                    .call_states
                    .iter()
                    .filter_map(|(call, _)| {
                        let callee = call.child_by_field_id(syntax::FIELDS.function)?;
                        let text = syntax::text(callee, src);
                        let last = text.rsplit('.').next().unwrap_or(text).trim();
                        if !names.contains(last) {
                            return None;
                        }
                        let resolved = resolve(ctx, caller, *call, src, &by_decl)?;
                        Some((call.start_byte(), resolved))
                    })
                    .collect()
            })
            .collect();
        Self { calls }
    }

    /// The strongly connected component of every function (functions that call each other,
    /// directly or through others, share one), by Tarjan's algorithm without recursion.
    pub(super) fn components(&self, count: usize) -> Vec<usize> {
        let edges: Vec<Vec<usize>> = (0..count)
            .map(|f| {
                let mut out: Vec<usize> = self
                    .calls
                    .get(f)
                    .map(|c| c.values().map(|(callee, _)| *callee).collect())
                    .unwrap_or_default();
                out.sort_unstable();
                out.dedup();
                out
            })
            .collect();
        let mut index = vec![usize::MAX; count];
        let mut low = vec![0; count];
        let mut on_stack = vec![false; count];
        let mut stack = Vec::new();
        let mut component = vec![usize::MAX; count];
        let mut next_index = 0;
        let mut next_component = 0;
        for root in 0..count {
            if index[root] != usize::MAX {
                continue;
            }
            // (node, position in its edge list)
            let mut work = vec![(root, 0)];
            index[root] = next_index;
            low[root] = next_index;
            next_index += 1;
            stack.push(root);
            on_stack[root] = true;
            while let Some(&mut (node, ref mut at)) = work.last_mut() {
                if let Some(&next) = edges[node].get(*at) {
                    *at += 1;
                    if index[next] == usize::MAX {
                        index[next] = next_index;
                        low[next] = next_index;
                        next_index += 1;
                        stack.push(next);
                        on_stack[next] = true;
                        work.push((next, 0));
                    } else if on_stack[next] {
                        low[node] = low[node].min(index[next]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[node]);
                }
                if low[node] == index[node] {
                    while let Some(member) = stack.pop() {
                        on_stack[member] = false;
                        component[member] = next_component;
                        if member == node {
                            break;
                        }
                    }
                    next_component += 1;
                }
            }
        }
        component
    }

    /// Whether `a` calls `b` directly.
    pub(crate) fn calls(&self, a: usize, b: usize) -> bool {
        self.calls[a].values().any(|(callee, _)| *callee == b)
    }

    /// The callee and receiver path of a call in `caller`, if it names a package function.
    pub(crate) fn callee(&self, caller: usize, call: Node<'_>) -> Option<&(usize, Option<String>)> {
        self.calls[caller].get(&call.start_byte())
    }
}

/// Locks callers hold when they call each function (by index into `ctx.functions()`).
pub(super) struct CallerLocks {
    /// Locks the function can assume held on entry.
    pub(super) entry: Vec<Vec<Held>>,
    /// Locks held at one call site or more: a function some callers call under a lock is
    /// written to run under it.
    pub(super) somewhere: Vec<Vec<Held>>,
}

/// The entry locks of every function: for a function that runs concurrently (`exposed`), the
/// locks held at every call from concurrently running code; for others, at every call.
/// `reachable_anywhere` marks functions that may run without their callers' locks (see
/// [`reachable_anywhere`]); it does not change between rounds.
pub(super) fn entry_locks(
    ctx: &PackageContext<'_>,
    graph: &CallGraph,
    locks: &[LockFacts<'_>],
    reachable_anywhere: &[bool],
    exposed: &[bool],
) -> CallerLocks {
    let functions = ctx.functions();
    let mut held: Vec<Option<Vec<Held>>> = vec![None; functions.len()];
    let mut somewhere: Vec<Vec<Held>> = vec![Vec::new(); functions.len()];
    let mut poisoned = reachable_anywhere.to_vec();
    // Calls within a cycle (recursion, helpers calling each other) say nothing about the locks
    // the cycle is entered with: only calls from outside it constrain a function's entry.
    let components = graph.components(functions.len());
    for (ci, (caller, facts)) in functions.iter().zip(locks).enumerate() {
        let src = ctx.file(caller.file).text.as_str();
        for (call, state) in &facts.call_states {
            let Some((callee, base)) = graph.callee(ci, *call) else {
                continue;
            };
            let callee = *callee;
            let detached = facts.detached_calls.contains(&call.start_byte());
            if components[ci] == components[callee] && !detached {
                continue;
            }
            // A concurrently running function's entry comes from the calls that run
            // concurrently too, not from constructors or tests preparing a value.
            let counted =
                !exposed[callee] || exposed[ci] || (detached && !ctx.file(caller.file).is_test);
            let State::Known(list) = state else {
                if counted && !exposed[callee] {
                    poisoned[callee] = true;
                }
                continue;
            };
            let translated = translate(list, base.as_ref(), functions[callee].decl, *call, src);
            for h in &translated {
                if !somewhere[callee].contains(h) {
                    somewhere[callee].push(h.clone());
                }
            }
            if !counted {
                continue;
            }
            held[callee] = Some(match held[callee].take() {
                None => translated,
                Some(previous) => previous
                    .into_iter()
                    .filter(|h| translated.contains(h))
                    .collect(),
            });
        }
    }
    // A member of a cycle called only from inside it is entered the way the cycle is: with the
    // locks held wherever the cycle is entered from outside (on the same receiver names).
    let mut entered: HashMap<usize, Vec<Held>> = HashMap::new();
    for (f, h) in held.iter().enumerate() {
        if let Some(h) = h {
            entered
                .entry(components[f])
                .and_modify(|common| common.retain(|x| h.contains(x)))
                .or_insert_with(|| h.clone());
        }
    }
    for (f, h) in held.iter_mut().enumerate() {
        if h.is_none() {
            *h = entered.get(&components[f]).cloned();
        }
    }
    let entry = held
        .into_iter()
        .zip(poisoned)
        .map(|(h, p)| if p { Vec::new() } else { h.unwrap_or_default() })
        .collect();
    CallerLocks { entry, somewhere }
}

/// Locks held at a call site, renamed to the callee's names: the receiver, and every argument
/// that is a plain path, bound to its parameter. Locks reached through other paths are dropped.
fn translate(
    list: &[Held],
    receiver_path: Option<&String>,
    decl: Option<&FuncDecl>,
    call: Node<'_>,
    src: &str,
) -> Vec<Held> {
    let mut bindings: Vec<(String, String)> = Vec::new();
    if let (Some(actual), Some(receiver)) = (receiver_path, decl.and_then(|d| d.receiver.as_ref()))
    {
        bindings.push((actual.clone(), receiver.name.clone()));
    }
    if let (Some(args), Some(decl)) = (call.child_by_field_name("arguments"), decl) {
        for (argument, (param, _)) in syntax::named_children(args).zip(&decl.params) {
            if !param.is_empty() && matches!(argument.kind(), "identifier" | "selector_expression")
            {
                bindings.push((squash(syntax::text(argument, src)), param.clone()));
            }
        }
    }
    list.iter()
        .filter_map(|h| {
            if h.base.is_empty() {
                return Some(h.clone());
            }
            bindings.iter().find_map(|(actual, formal)| {
                let rest = h.base.strip_prefix(actual.as_str())?;
                (rest.is_empty() || rest.starts_with('.')).then(|| Held {
                    base: format!("{formal}{rest}"),
                    ..h.clone()
                })
            })
        })
        .collect()
}

pub(super) fn is_unexported(name: &str) -> bool {
    name.starts_with(|c: char| c.is_lowercase() || c == '_')
}

/// The function a call invokes (index) and, for a method, the receiver path at the call.
fn resolve(
    ctx: &PackageContext<'_>,
    caller: &FunctionFacts<'_>,
    call: Node<'_>,
    src: &str,
    by_decl: &HashMap<*const FuncDecl, usize>,
) -> Option<(usize, Option<String>)> {
    let function = call.child_by_field_name("function")?;
    let decl = named_function(ctx, caller, function, src)?;
    let receiver = function
        .child_by_field_name("operand")
        .filter(|_| function.kind() == "selector_expression")
        .map(|operand| squash(syntax::text(operand, src)));
    Some((*by_decl.get(&(decl as *const FuncDecl))?, receiver))
}

/// Functions that may run without their callers' locks: exported ones (called from other
/// packages) and ones used as values (method values, function values) anywhere in the package.
pub(super) fn reachable_anywhere(ctx: &PackageContext<'_>, value_used: &[ValueUse]) -> Vec<bool> {
    ctx.functions()
        .iter()
        .zip(value_used)
        .map(|(f, used)| f.decl.is_none_or(|d| !is_unexported(&d.name)) || *used != ValueUse::None)
        .collect()
}

/// Where a function is used as a value (a method value or function value handed to other code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum ValueUse {
    None,
    /// Only in test files.
    InTests,
    /// Passed to a call that may run it in place (`sort.Slice(xs, s.less)`) or later.
    Passed,
    /// Stored, returned or registered to run later (`mux.HandleFunc(p, s.serve)`) by the
    /// package's own code: it runs wherever its holder calls it.
    InCode,
}

/// How each function is used as a value, from the references the lock walk noted.
pub(super) fn value_uses(ctx: &PackageContext<'_>, locks: &[LockFacts<'_>]) -> Vec<ValueUse> {
    let functions = ctx.functions();
    let by_decl = decl_indices(ctx);
    let mut uses = vec![ValueUse::None; functions.len()];
    for (caller, facts) in functions.iter().zip(locks) {
        let in_test = ctx.file(caller.file).is_test;
        let src = ctx.file(caller.file).text.as_str();
        for node in &facts.value_refs {
            let decl = named_function(ctx, caller, *node, src);
            let Some(&index) = decl.and_then(|d| by_decl.get(&(d as *const FuncDecl))) else {
                continue;
            };
            let usage = match (in_test, passed_to_a_call(*node, src)) {
                (true, _) => ValueUse::InTests,
                (false, true) => ValueUse::Passed,
                (false, false) => ValueUse::InCode,
            };
            uses[index] = uses[index].max(usage);
        }
    }
    uses
}

/// Whether a function value is an argument of a call not known to run it later. A constructor
/// (`NewMetricsGroup(path, load)`) or a registration (`RegisterHook(h)`) keeps it for later.
fn passed_to_a_call(value: Node<'_>, src: &str) -> bool {
    let Some(list) = value
        .parent()
        .filter(|p| p.kind_id() == syntax::KINDS.argument_list)
    else {
        return false;
    };
    list.parent()
        .and_then(|call| call.child_by_field_id(syntax::FIELDS.function))
        .is_none_or(|callee| {
            let callee = syntax::text(callee, src);
            let method = callee.rsplit('.').next().unwrap_or(callee);
            let keeps = ["New", "new", "Register", "register"]
                .iter()
                .any(|prefix| method.starts_with(prefix));
            !(keeps || super::locks::runs_later(callee, method))
        })
}

/// Functions run by `sync.Once.Do(f)` (`once.Do(s.init)`): initialisation, not judged.
pub(super) fn once_initializers(ctx: &PackageContext<'_>) -> Vec<bool> {
    let functions = ctx.functions();
    let by_decl = decl_indices(ctx);
    let mut once = vec![false; functions.len()];
    for caller in functions {
        let src = ctx.file(caller.file).text.as_str();
        if !src[caller.node.byte_range()].contains(".Do(") {
            continue;
        }
        for call in syntax::descendants(caller.node).filter(|n| n.kind() == "call_expression") {
            let Some(function) = call
                .child_by_field_name("function")
                .filter(|f| f.kind() == "selector_expression")
            else {
                continue;
            };
            let is_do = function
                .child_by_field_name("field")
                .is_some_and(|m| syntax::text(m, src) == "Do");
            let on_once = function
                .child_by_field_name("operand")
                .and_then(|o| caller.scope.type_of(o))
                .is_some_and(|t| t.pointee().is_named("sync", "Once"));
            if !(is_do && on_once) {
                continue;
            }
            let Some(argument) = call
                .child_by_field_name("arguments")
                .and_then(|a| syntax::named_children(a).next())
            else {
                continue;
            };
            let decl = named_function(ctx, caller, argument, src);
            if let Some(&index) = decl.and_then(|d| by_decl.get(&(d as *const FuncDecl))) {
                once[index] = true;
            }
        }
    }
    once
}

/// Index of each function's declaration, for looking functions up by what an expression names.
fn decl_indices(ctx: &PackageContext<'_>) -> HashMap<*const FuncDecl, usize> {
    ctx.functions()
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.decl.map(|d| (d as *const FuncDecl, i)))
        .collect()
}

/// The package function or method an expression names: `f` (not shadowed by a local) or `x.m`.
fn named_function<'c>(
    ctx: &'c PackageContext<'_>,
    caller: &FunctionFacts<'_>,
    expr: Node<'_>,
    src: &str,
) -> Option<&'c FuncDecl> {
    match expr.kind() {
        "selector_expression" => {
            let operand = expr.child_by_field_name("operand")?;
            let field = expr.child_by_field_name("field")?;
            let ty = caller.scope.type_of(operand)?;
            ctx.index.method(&ty, syntax::text(field, src))
        }
        "identifier" => {
            let name = syntax::text(expr, src);
            if caller.scope.local(name, expr.start_byte() as u32).is_some() {
                return None;
            }
            ctx.pkg.funcs.get(name)
        }
        _ => None,
    }
}

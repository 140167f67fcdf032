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

/// The entry locks of every function (by index into `ctx.functions()`).
/// `reachable_anywhere` marks functions that may run without their callers' locks (see
/// [`reachable_anywhere`]); it does not change between rounds.
pub(super) fn entry_locks(
    ctx: &PackageContext<'_>,
    locks: &[LockFacts<'_>],
    reachable_anywhere: &[bool],
) -> Vec<Vec<Held>> {
    let functions = ctx.functions();
    let by_decl = decl_indices(ctx);
    let mut held: Vec<Option<Vec<Held>>> = vec![None; functions.len()];
    let mut poisoned = reachable_anywhere.to_vec();
    for (caller, facts) in functions.iter().zip(locks) {
        let src = ctx.file(caller.file).text.as_str();
        for (call, state) in &facts.call_states {
            let Some((callee, base)) = resolve(ctx, caller, *call, src, &by_decl) else {
                continue;
            };
            let State::Known(list) = state else {
                poisoned[callee] = true;
                continue;
            };
            // Paths at the call site and the names they have inside the callee: the receiver,
            // and every argument that is a plain path, bound to its parameter.
            let decl = functions[callee].decl;
            let mut bindings: Vec<(String, String)> = Vec::new();
            if let (Some(actual), Some(receiver)) = (&base, decl.and_then(|d| d.receiver.as_ref()))
            {
                bindings.push((actual.clone(), receiver.name.clone()));
            }
            if let (Some(args), Some(decl)) = (call.child_by_field_name("arguments"), decl) {
                for (argument, (param, _)) in syntax::named_children(args).zip(&decl.params) {
                    if !param.is_empty()
                        && matches!(argument.kind(), "identifier" | "selector_expression")
                    {
                        bindings.push((squash(syntax::text(argument, src)), param.clone()));
                    }
                }
            }
            let translated: Vec<Held> = list
                .iter()
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
                .collect();
            held[callee] = Some(match held[callee].take() {
                None => translated,
                Some(previous) => previous
                    .into_iter()
                    .filter(|h| translated.contains(h))
                    .collect(),
            });
        }
    }
    held.into_iter()
        .zip(poisoned)
        .map(|(h, p)| if p { Vec::new() } else { h.unwrap_or_default() })
        .collect()
}

fn is_unexported(name: &str) -> bool {
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
pub(super) fn reachable_anywhere(ctx: &PackageContext<'_>) -> Vec<bool> {
    let functions = ctx.functions();
    let by_decl = decl_indices(ctx);
    let mut poisoned: Vec<bool> = functions
        .iter()
        .map(|f| f.decl.is_none_or(|d| !is_unexported(&d.name)))
        .collect();
    for caller in functions {
        poison_values(
            ctx,
            caller,
            ctx.file(caller.file).text.as_str(),
            &by_decl,
            &mut poisoned,
        );
    }
    poisoned
}

/// Functions used as values (not called directly) may run anywhere: no entry locks for them.
fn poison_values(
    ctx: &PackageContext<'_>,
    caller: &FunctionFacts<'_>,
    src: &str,
    by_decl: &HashMap<*const FuncDecl, usize>,
    poisoned: &mut [bool],
) {
    // Only names of this package's functions and methods can refer to them.
    let names: std::collections::HashSet<&str> = ctx
        .pkg
        .funcs
        .keys()
        .map(String::as_str)
        .chain(ctx.pkg.methods.keys().map(|(_, m)| m.as_str()))
        .collect();
    syntax::walk_with_ancestors(caller.node, |node, ancestors| {
        let called = ancestors.last().is_some_and(|p| {
            p.kind() == "call_expression" && p.child_by_field_name("function") == Some(node)
        });
        if called {
            return;
        }
        let last = match node.kind() {
            "selector_expression" => node
                .child_by_field_name("field")
                .map_or("", |f| syntax::text(f, src)),
            "identifier" => syntax::text(node, src),
            _ => return,
        };
        // Only names of this package's functions and methods can refer to them (cheap first).
        if !names.contains(last) {
            return;
        }
        let decl = named_function(ctx, caller, node, src);
        if let Some(index) = decl.and_then(|d| by_decl.get(&(d as *const FuncDecl))) {
            poisoned[*index] = true;
        }
    });
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

//! Values not shared yet: made by this function (`&T{…}`, `new(T)`, `make`, or a `New…`/`new…`/
//! `init…` constructor call) and not captured by a goroutine it starts. Accesses through them
//! race with nothing.

use mapguard_go::syntax::{self, Node};

use crate::context::FunctionFacts;

/// Whether the value an expression reaches a map through (`s` in `s.items`) is fresh.
pub(crate) fn is_fresh(function: &FunctionFacts<'_>, expr: Node<'_>, src: &str) -> bool {
    let mut base = expr;
    while matches!(base.kind(), "selector_expression" | "index_expression") {
        match base.child_by_field_name("operand") {
            Some(operand) => base = operand,
            None => return false,
        }
    }
    if base.kind() != "identifier" || base == expr {
        return false;
    }
    let name = syntax::text(base, src);
    let Some(local) = function.scope.local(name, base.start_byte() as u32) else {
        return false;
    };
    if local.is_param {
        return false;
    }
    let Some(value) = initializer(function.node, local.decl as usize) else {
        return false;
    };
    allocates(value, src) && !captured_by_goroutine(function, name, src)
}

/// The value a `:=` declaration gives the name declared at `decl`.
fn initializer(root: Node<'_>, decl: usize) -> Option<Node<'_>> {
    let name = root.descendant_for_byte_range(decl, decl)?;
    let list = name.parent().filter(|p| p.kind() == "expression_list")?;
    let statement = list
        .parent()
        .filter(|d| d.kind() == "short_var_declaration")?;
    let position = syntax::named_children(list).position(|n| n == name)?;
    syntax::named_children(statement.child_by_field_name("right")?).nth(position)
}

/// `T{…}`, `&T{…}`, `new(T)`, `make(…)`, or a call of a constructor-named function.
fn allocates(value: Node<'_>, src: &str) -> bool {
    let inner = if value.kind() == "unary_expression" {
        value.child_by_field_name("operand").unwrap_or(value)
    } else {
        value
    };
    match inner.kind() {
        "composite_literal" => true,
        "call_expression" => inner.child_by_field_name("function").is_some_and(|f| {
            let callee = syntax::text(f, src);
            let name = callee.rsplit('.').next().unwrap_or(callee);
            matches!(name, "new" | "make")
                || ["New", "new", "init", "make", "Make"]
                    .iter()
                    .any(|p| constructor_name(name, p))
        }),
        _ => false,
    }
}

/// `newServer`, `NewServer`, `initBlock`: the prefix followed by an upper-case letter or nothing.
fn constructor_name(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| c.is_uppercase()))
}

/// Whether a goroutine launched in this function mentions the local.
fn captured_by_goroutine(function: &FunctionFacts<'_>, name: &str, src: &str) -> bool {
    syntax::descendants(function.node)
        .filter(|n| is_launch(*n, src))
        .any(|launch| {
            syntax::descendants(launch)
                .any(|n| n.kind() == "identifier" && syntax::text(n, src) == name)
        })
}

/// Whether the function starts goroutines (`go`, `…Go(…)`, `t.Parallel()`).
pub(crate) fn spawns_goroutines(function: &FunctionFacts<'_>) -> bool {
    let src = function.scope.src;
    syntax::descendants(function.node).any(|n| is_launch(n, src))
}

fn is_launch(node: Node<'_>, src: &str) -> bool {
    match node.kind() {
        "go_statement" => true,
        "call_expression" => node
            .child_by_field_name("function")
            .and_then(|f| f.child_by_field_name("field"))
            .is_some_and(|m| matches!(syntax::text(m, src), "Go" | "TryGo" | "Parallel")),
        _ => false,
    }
}

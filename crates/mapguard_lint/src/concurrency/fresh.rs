//! Values not shared yet: made by this function (`&T{…}`, `new(T)`, `make`, or a `New…`/`new…`/
//! `init…` constructor call) and not captured by a goroutine it starts. Accesses through them
//! race with nothing.

use mapguard_go::index::Type;
use mapguard_go::syntax::{self, Node};

use crate::context::{FunctionFacts, PackageContext};

/// Whether the value an expression reaches a map through (`s` in `s.items`) is fresh.
pub(crate) fn is_fresh(
    ctx: &PackageContext<'_>,
    function: &FunctionFacts<'_>,
    expr: Node<'_>,
    src: &str,
) -> bool {
    let Some(base) = super::paths::root_identifier(expr).filter(|b| *b != expr) else {
        return false;
    };
    let name = syntax::text(base, src);
    let Some(local) = function.scope.local(name, base.start_byte() as u32) else {
        return false;
    };
    if local.is_param {
        return false;
    }
    let at = base.start_byte();
    let Some(value) = latest_assignment(function, name, local.decl as usize, at, src)
        .or_else(|| initializer(function.node, local.decl as usize))
    else {
        return false;
    };
    (allocates(value, src) || factory_call(ctx, function, value, src))
        && !captured_by_goroutine(function, name, src)
}

/// The value last assigned to a local by `name = …` between its declaration and `at`, in
/// source order (`cfg = &gatewayCfg{…}; cfg.addURLs(…)`).
fn latest_assignment<'t>(
    function: &FunctionFacts<'t>,
    name: &str,
    decl: usize,
    at: usize,
    src: &str,
) -> Option<Node<'t>> {
    let between = src.get(decl..at)?;
    if !between.contains(&format!("{name} =")) && !between.contains(&format!("{name}=")) {
        return None;
    }
    let mut latest = None;
    for statement in syntax::descendants(function.node) {
        if statement.start_byte() >= at {
            break;
        }
        if statement.kind() != "assignment_statement"
            || statement.start_byte() <= decl
            || statement.end_byte() > at
            || statement
                .child_by_field_name("operator")
                .is_none_or(|o| syntax::text(o, src) != "=")
        {
            continue;
        }
        let (Some(left), Some(right)) = (
            statement.child_by_field_name("left"),
            statement.child_by_field_name("right"),
        ) else {
            continue;
        };
        if let Some(position) = syntax::named_children(left)
            .position(|n| n.kind() == "identifier" && syntax::text(n, src) == name)
        {
            latest = syntax::named_children(right).nth(position);
        }
    }
    latest
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

/// A call of a function or method of this package every `return` of which hands back a new
/// value (`nt := t.copy(nil)` where `copy` returns `&Template{…}`).
fn factory_call(
    ctx: &PackageContext<'_>,
    function: &FunctionFacts<'_>,
    value: Node<'_>,
    src: &str,
) -> bool {
    if value.kind() != "call_expression" {
        return false;
    }
    let Some(callee) = value.child_by_field_name("function") else {
        return false;
    };
    let decl = match callee.kind() {
        "identifier" => ctx.pkg.funcs.get(syntax::text(callee, src)),
        "selector_expression" => callee
            .child_by_field_name("operand")
            .zip(callee.child_by_field_name("field"))
            .and_then(|(operand, field)| {
                let ty = function.scope.type_of(operand)?;
                ctx.index.method(&ty, syntax::text(field, src))
            }),
        _ => None,
    };
    let Some(decl) = decl else { return false };
    let Some(facts) = ctx
        .functions()
        .iter()
        .find(|f| f.decl.is_some_and(|d| std::ptr::eq(d, decl)))
    else {
        return false;
    };
    let body_src = ctx.file(facts.file).text.as_str();
    let mut returns = syntax::descendants(facts.node)
        .filter(|n| n.kind() == "return_statement")
        .peekable();
    returns.peek().is_some()
        && returns.all(|ret| {
            let first = syntax::named_children(ret).next().and_then(|list| {
                if list.kind() == "expression_list" {
                    syntax::named_children(list).next()
                } else {
                    Some(list)
                }
            });
            first.is_some_and(|e| {
                allocates(e, body_src)
                    || (e.kind() == "identifier" && is_fresh_local(facts, e, body_src))
            })
        })
}

/// A local of `function` initialised by an allocation (inside a factory: `t := &T{}; …; return t`).
fn is_fresh_local(function: &FunctionFacts<'_>, ident: Node<'_>, src: &str) -> bool {
    let Some(local) = function
        .scope
        .local(syntax::text(ident, src), ident.start_byte() as u32)
    else {
        return false;
    };
    !local.is_param
        && initializer(function.node, local.decl as usize).is_some_and(|v| allocates(v, src))
}

/// `newServer`, `NewServer`, `initBlock`: the prefix followed by an upper-case letter or nothing.
fn constructor_name(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| c.is_uppercase()))
}

/// Whether a goroutine launched in this function mentions the local.
fn captured_by_goroutine(function: &FunctionFacts<'_>, name: &str, src: &str) -> bool {
    if !spawns_goroutines(function) {
        return false;
    }
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
    let text = &src[function.node.byte_range()];
    let may_launch = text.contains("go ")
        || text.contains("go\t")
        || text.contains("Go(")
        || text.contains("Parallel(");
    may_launch && syntax::descendants(function.node).any(|n| is_launch(n, src))
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

/// `init`, a `New…`-style constructor, or a function without a receiver that builds and returns
/// a value of one of the package's own types whatever its name (`func Open(dir string) (*DB,
/// error) { db := &DB{…}; …; return db, nil }`): it prepares a value before sharing it.
pub(crate) fn is_constructor(ctx: &PackageContext<'_>, function: &FunctionFacts<'_>) -> bool {
    if function.is_init_or_constructor() {
        return true;
    }
    let Some(decl) = function.decl.filter(|d| d.receiver.is_none()) else {
        return false;
    };
    let own: Vec<&str> = decl
        .results
        .iter()
        .filter_map(|t| match t.pointee() {
            Type::Named { pkg, name } if *pkg == ctx.pkg.path => Some(name.as_str()),
            _ => None,
        })
        .collect();
    if own.is_empty() {
        return false;
    }
    let src = function.scope.src;
    syntax::descendants(function.node).any(|n| {
        n.kind() == "composite_literal"
            && n.child_by_field_name("type")
                .is_some_and(|t| own.contains(&syntax::text(t, src)))
    })
}

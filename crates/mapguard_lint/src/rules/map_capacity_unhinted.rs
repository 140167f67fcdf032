use mapguard_diagnostics::{Edit, Fix, TextRange};
use mapguard_go::index::Type;
use mapguard_go::syntax::{self, Node};

use crate::context::{FunctionFacts, PackageContext};
use crate::declare_rule;
use crate::rule::{Rule, RuleInfo};

declare_rule! {
    /// ## What it does
    /// Finds a local map made without a size hint and then filled, one entry per iteration, by a
    /// loop over a slice, array, map or integer whose length is known before the loop starts.
    ///
    /// ## Why is this bad?
    /// Without a hint the map starts with room for 8 entries and grows by doubling: each growth
    /// allocates a new table and moves every entry, and in the classic runtime the old and new
    /// arrays are both live until the move finishes. With `make(map[K]V, n)` the runtime allocates
    /// the final size once.
    ///
    /// ## Example
    /// ```go
    /// byID := make(map[int64]*User)
    /// for _, u := range users {
    ///     byID[u.ID] = u
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// byID := make(map[int64]*User, len(users))
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the hint only changes the initial allocation. Loops that may stop early or skip
    /// elements (`break`, `return`, `continue`, inserts under `if`) are not flagged, since the hint
    /// could then over-allocate.
    pub struct MapCapacityUnhinted;
    code = "MG402", name = "map-capacity-unhinted", summary = "a map filled in a loop of known length is made without a size hint",
    severity = Info, fixable = true,
}

impl Rule for MapCapacityUnhinted {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, ctx: &PackageContext<'_>) {
        for function in ctx.functions() {
            let src = ctx.file(function.file).text.as_str();
            for &decl in &function.declarations {
                if let Some(found) = unhinted_fill(function, decl, src) {
                    report(ctx, function.file, &found, src);
                }
            }
        }
    }
}

struct Found<'t> {
    name: &'t str,
    /// `make(…)` or the empty composite literal.
    creation: Node<'t>,
    ranged: Node<'t>,
    /// The hint to insert: `len(X)` or `n`.
    hint: String,
}

fn report(ctx: &PackageContext<'_>, file: usize, found: &Found<'_>, src: &str) {
    let ranged = syntax::text(found.ranged, src);
    let edit = if found.creation.kind() == "call_expression" {
        let args = found
            .creation
            .child_by_field_id(syntax::FIELDS.arguments)
            .expect("make has arguments");
        Edit::insertion(args.end_byte() as u32 - 1, format!(", {}", found.hint))
    } else {
        let ty = found
            .creation
            .child_by_field_id(syntax::FIELDS.r#type)
            .map_or("", |t| syntax::text(t, src));
        let range = TextRange::new(
            found.creation.start_byte() as u32,
            found.creation.end_byte() as u32,
        );
        Edit::replacement(range, format!("make({ty}, {})", found.hint))
    };
    let fix = Fix::safe_edit(format!("add the size hint {}", found.hint), edit);
    let message = format!(
        "map {} is filled in a loop over {ranged} without a size hint",
        found.name
    );
    ctx.push(ctx.diagnostic(file, found.creation, message).with_fix(fix));
}

/// A declaration `m := make(map…)` / `var m = map…{}` followed by a loop that fills it.
fn unhinted_fill<'t>(
    function: &FunctionFacts<'_>,
    decl: Node<'t>,
    src: &'t str,
) -> Option<Found<'t>> {
    let (name, value) = single_binding(decl)?;
    let unhinted = match value.kind() {
        "call_expression" => {
            syntax::text(value.child_by_field_id(syntax::FIELDS.function)?, src) == "make"
                && syntax::named_children(value.child_by_field_id(syntax::FIELDS.arguments)?)
                    .count()
                    == 1
        }
        "composite_literal" => value
            .child_by_field_id(syntax::FIELDS.body)
            .is_some_and(|b| syntax::named_children(b).next().is_none()),
        _ => false,
    };
    if !unhinted
        || function
            .scope
            .type_of(value)
            .is_none_or(|t| function.scope.index.map_types(&t).is_none())
    {
        return None;
    }
    let name_text = syntax::text(name, src);
    // The statements after the declaration in its block, up to the first that uses the map.
    let mut next = decl.next_named_sibling();
    while let Some(statement) = next {
        next = statement.next_named_sibling();
        if statement.kind() == "comment" || !mentions(statement, name_text, src) {
            continue;
        }
        if statement.kind() != "for_statement" {
            return None;
        }
        let (ranged, hint) = known_length_range(function, statement, src)?;
        return fills_every_iteration(statement, name_text, src).then_some(Found {
            name: name_text,
            creation: value,
            ranged,
            hint,
        });
    }
    None
}

/// The one name and value of `x := v`, `var x = v`.
fn single_binding(decl: Node<'_>) -> Option<(Node<'_>, Node<'_>)> {
    let (names, values) = if decl.kind() == "short_var_declaration" {
        (
            syntax::named_children(decl.child_by_field_id(syntax::FIELDS.left)?)
                .collect::<Vec<_>>(),
            syntax::named_children(decl.child_by_field_id(syntax::FIELDS.right)?)
                .collect::<Vec<_>>(),
        )
    } else {
        let specs: Vec<Node<'_>> = syntax::named_children(decl)
            .filter(|n| n.kind() == "var_spec")
            .collect();
        let [spec] = specs.as_slice() else {
            return None;
        };
        (
            syntax::field_children(*spec, "name"),
            syntax::named_children(spec.child_by_field_id(syntax::FIELDS.value)?).collect(),
        )
    };
    match (names.as_slice(), values.as_slice()) {
        ([name], [value]) => Some((*name, *value)),
        _ => None,
    }
}

fn mentions(node: Node<'_>, name: &str, src: &str) -> bool {
    syntax::descendants(node).any(|n| n.kind() == "identifier" && syntax::text(n, src) == name)
}

/// The ranged expression of a `for … range X` whose length is known, and the hint for it.
fn known_length_range<'t>(
    function: &FunctionFacts<'_>,
    for_stmt: Node<'t>,
    src: &str,
) -> Option<(Node<'t>, String)> {
    let clause = syntax::named_children(for_stmt).find(|n| n.kind() == "range_clause")?;
    let ranged = clause.child_by_field_id(syntax::FIELDS.right)?;
    let named = syntax::descendants(ranged).all(|n| {
        matches!(
            n.kind(),
            "identifier" | "field_identifier" | "selector_expression" | "."
        )
    });
    if !named {
        return None;
    }
    let ty = function.scope.type_of(ranged)?;
    let text = syntax::text(ranged, src);
    match function.scope.index.underlying(ty.pointee()) {
        Type::Slice(_) | Type::Map { .. } | Type::Array { .. } => {
            Some((ranged, format!("len({text})")))
        }
        Type::Named { pkg, name }
            if pkg.is_empty() && (name.starts_with("int") || name.starts_with("uint")) =>
        {
            Some((ranged, text.to_string()))
        }
        _ => None,
    }
}

/// The loop body inserts with a plain `m[k] = v` at its top level, may not stop or skip early,
/// and uses the map nowhere else.
fn fills_every_iteration(for_stmt: Node<'_>, name: &str, src: &str) -> bool {
    let Some(body) = for_stmt.child_by_field_id(syntax::FIELDS.body) else {
        return false;
    };
    let exits = syntax::descendants(body).any(|n| {
        matches!(
            n.kind(),
            "break_statement" | "continue_statement" | "return_statement" | "goto_statement"
        ) && !inside_nested_func(n, body)
    });
    if exits {
        return false;
    }
    let mut inserts = 0;
    for statement in syntax::block_items(body) {
        if is_plain_insert(statement, name, src) {
            inserts += 1;
        } else if mentions(statement, name, src) {
            return false;
        }
    }
    inserts == 1
}

fn inside_nested_func(node: Node<'_>, within: Node<'_>) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        if n == within {
            return false;
        }
        if n.kind() == "func_literal" {
            return true;
        }
        current = n.parent();
    }
    false
}

/// `m[k] = v` where neither `k` nor `v` mentions `m`.
fn is_plain_insert(statement: Node<'_>, name: &str, src: &str) -> bool {
    if statement.kind() != "assignment_statement"
        || statement
            .child_by_field_id(syntax::FIELDS.operator)
            .is_none_or(|o| syntax::text(o, src) != "=")
    {
        return false;
    }
    let (Some(left), Some(right)) = (
        statement.child_by_field_id(syntax::FIELDS.left),
        statement.child_by_field_id(syntax::FIELDS.right),
    ) else {
        return false;
    };
    let targets: Vec<Node<'_>> = syntax::named_children(left).collect();
    let [target] = targets.as_slice() else {
        return false;
    };
    if target.kind() != "index_expression" {
        return false;
    }
    let operand_is_map = target
        .child_by_field_id(syntax::FIELDS.operand)
        .is_some_and(|o| o.kind() == "identifier" && syntax::text(o, src) == name);
    let key_mentions = target
        .child_by_field_id(syntax::FIELDS.index)
        .is_some_and(|k| mentions(k, name, src));
    operand_is_map && !key_mentions && !mentions(right, name, src)
}

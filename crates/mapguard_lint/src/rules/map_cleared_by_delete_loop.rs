use mapguard_diagnostics::{Edit, Fix, TextRange};
use mapguard_go::syntax::{self, Node};

use crate::context::PackageContext;
use crate::declare_rule;
use crate::rule::{Rule, RuleInfo};

declare_rule! {
    /// ## What it does
    /// Finds `for k := range m { delete(m, k) }` loops that empty a map, in modules whose go.mod
    /// says Go 1.21 or later, where the builtin `clear(m)` exists.
    ///
    /// ## Why is this bad?
    /// The loop says in three lines what `clear(m)` says in one. The compiler already turns this
    /// exact loop into a map clear, so the rewrite is about clarity, not speed; `clear` also
    /// removes NaN keys, which a delete loop cannot. Neither form shrinks the map: its buckets or
    /// groups stay allocated (see MG302); assign a new map to release them.
    ///
    /// ## Example
    /// ```go
    /// for k := range w.counts {
    ///     delete(w.counts, k)
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// clear(w.counts)
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the loop body is exactly the delete, the map expression has no side effects, and a
    /// comment on the `for` line is kept. Loops with other statements or comments are not flagged.
    pub struct MapClearedByDeleteLoop;
    code = "MG301", name = "map-cleared-by-delete-loop", summary = "a loop deletes every key of a map where clear(m) says so directly",
    severity = Info, fixable = true,
}

impl Rule for MapClearedByDeleteLoop {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, ctx: &PackageContext<'_>) {
        if !ctx.go_version.at_least(1, 21) {
            return;
        }
        for (file_index, file) in ctx.files().iter().enumerate() {
            if !file.text.contains("delete(") {
                continue;
            }
            for node in
                syntax::keyword_nodes(file.tree.root_node(), &file.text, "for", "for_statement")
            {
                if let Some(found) = delete_loop(node, &file.text) {
                    let map = syntax::text(found.map, &file.text);
                    let mut replacement = format!("clear({map})");
                    if let Some(comment) = found.trailing_comment {
                        replacement.push(' ');
                        replacement.push_str(syntax::text(comment, &file.text));
                    }
                    let range = TextRange::new(node.start_byte() as u32, node.end_byte() as u32);
                    let fix = Fix::safe_edit(
                        format!("replace the loop with clear({map})"),
                        Edit::replacement(range, replacement),
                    );
                    let header_end = found.body_start;
                    let diagnostic = ctx.diagnostic(
                        file_index,
                        node,
                        format!("loop deletes every key of {map}; clear({map}) says so directly"),
                    );
                    let mut diagnostic = diagnostic.with_fix(fix);
                    diagnostic.location =
                        ctx.location_of_range(file_index, node.start_byte(), header_end);
                    ctx.push(diagnostic);
                }
            }
        }
    }
}

struct DeleteLoop<'t> {
    map: Node<'t>,
    trailing_comment: Option<Node<'t>>,
    body_start: usize,
}

fn delete_loop<'t>(node: Node<'t>, src: &str) -> Option<DeleteLoop<'t>> {
    let clause = syntax::named_children(node).find(|n| n.kind() == "range_clause")?;
    let declares = (0..clause.child_count())
        .filter_map(|i| clause.child(i))
        .any(|c| c.kind() == ":=");
    if !declares {
        return None;
    }
    let left: Vec<Node<'t>> =
        syntax::named_children(clause.child_by_field_id(syntax::FIELDS.left)?).collect();
    let key = syntax::text(*left.first()?, src);
    if left.len() > 2 || left.get(1).is_some_and(|v| syntax::text(*v, src) != "_") {
        return None;
    }
    let map = clause.child_by_field_id(syntax::FIELDS.right)?;
    if !is_pure(map) {
        return None;
    }
    let body = node.child_by_field_id(syntax::FIELDS.body)?;
    let header_row = body.start_position().row;
    let mut statements = Vec::new();
    let mut trailing_comment = None;
    for child in syntax::block_items(body) {
        if child.kind() == "comment" {
            if child.start_position().row == header_row && trailing_comment.is_none() {
                trailing_comment = Some(child);
                continue;
            }
            return None;
        }
        statements.push(child);
    }
    let [statement] = statements.as_slice() else {
        return None;
    };
    let call = syntax::named_children(*statement)
        .next()
        .filter(|_| statement.kind() == "expression_statement")?;
    if call.kind() != "call_expression"
        || syntax::text(call.child_by_field_id(syntax::FIELDS.function)?, src) != "delete"
    {
        return None;
    }
    let args: Vec<Node<'t>> =
        syntax::named_children(call.child_by_field_id(syntax::FIELDS.arguments)?).collect();
    let [target, deleted] = args.as_slice() else {
        return None;
    };
    let same_map = normalized(syntax::text(*target, src)) == normalized(syntax::text(map, src));
    (same_map && deleted.kind() == "identifier" && syntax::text(*deleted, src) == key).then_some(
        DeleteLoop {
            map,
            trailing_comment,
            body_start: body.start_byte(),
        },
    )
}

/// Identifiers, selectors and index expressions over them: evaluating twice is harmless.
fn is_pure(node: Node<'_>) -> bool {
    syntax::descendants(node).all(|n| {
        matches!(
            n.kind(),
            "identifier"
                | "field_identifier"
                | "selector_expression"
                | "index_expression"
                | "parenthesized_expression"
                | "int_literal"
                | "interpreted_string_literal"
                | "raw_string_literal"
                | "."
                | "["
                | "]"
                | "("
                | ")"
                | "\""
                | "interpreted_string_literal_content"
        )
    })
}

fn normalized(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

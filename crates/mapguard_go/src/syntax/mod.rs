//! Syntax trees of Go files: parsing with tree-sitter-go (a parser per thread) into flat trees,
//! kind and field ids, text access, walks and the first syntax error of a tree.

mod builtin_calls;
mod tree;

use std::cell::RefCell;
use std::sync::LazyLock;

pub use tree::{Children, Node, Point, Tree};

/// Declares a table of numeric ids looked up once from the grammar, one per name.
macro_rules! id_table {
    ($(#[$meta:meta])* $table:ident: $ty:ty, $lookup:ident { $($name:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $table {
            $(pub $name: $ty,)+
        }

        impl $table {
            fn load(language: &tree_sitter::Language) -> Self {
                Self { $($name: $lookup(language, $text),)+ }
            }
        }
    };
}

fn named_kind(language: &tree_sitter::Language, name: &str) -> u16 {
    let id = language.id_for_node_kind(name, true);
    assert!(id != 0, "tree-sitter-go has no node kind {name:?}");
    id
}

fn anonymous_kind(language: &tree_sitter::Language, name: &str) -> u16 {
    let id = language.id_for_node_kind(name, false);
    assert!(id != 0, "tree-sitter-go has no token {name:?}");
    id
}

fn field_id(language: &tree_sitter::Language, name: &str) -> u16 {
    language
        .field_id_for_name(name)
        .unwrap_or_else(|| panic!("tree-sitter-go has no field {name:?}"))
        .get()
}

id_table! {
    /// Node kind ids (`Node::kind_id`) of tree-sitter-go, for comparisons in hot walks: comparing
    /// ids avoids `Node::kind`'s C-string length and UTF-8 checks. Each id equals
    /// `node.kind_id()` exactly when `node.kind()` is the name.
    Kinds: u16, named_kind {
        argument_list = "argument_list",
        assignment_statement = "assignment_statement",
        binary_expression = "binary_expression",
        block = "block",
        call_expression = "call_expression",
        communication_case = "communication_case",
        composite_literal = "composite_literal",
        dec_statement = "dec_statement",
        default_case = "default_case",
        expression_case = "expression_case",
        expression_list = "expression_list",
        expression_switch_statement = "expression_switch_statement",
        for_statement = "for_statement",
        func_literal = "func_literal",
        function_declaration = "function_declaration",
        identifier = "identifier",
        if_statement = "if_statement",
        interpreted_string_literal = "interpreted_string_literal",
        inc_statement = "inc_statement",
        index_expression = "index_expression",
        keyed_element = "keyed_element",
        literal_element = "literal_element",
        method_declaration = "method_declaration",
        parenthesized_expression = "parenthesized_expression",
        range_clause = "range_clause",
        raw_string_literal = "raw_string_literal",
        return_statement = "return_statement",
        selector_expression = "selector_expression",
        send_statement = "send_statement",
        short_var_declaration = "short_var_declaration",
        source_file = "source_file",
        type_assertion_expression = "type_assertion_expression",
        type_case = "type_case",
        type_switch_statement = "type_switch_statement",
        unary_expression = "unary_expression",
        var_declaration = "var_declaration",
        var_spec = "var_spec",
    }
}

id_table! {
    /// Field ids of tree-sitter-go, for `Node::child_by_field_id` (which skips the name lookup
    /// `child_by_field_name` repeats on every call).
    Fields: u16, field_id {
        alias = "alias",
        arguments = "arguments",
        body = "body",
        condition = "condition",
        field = "field",
        function = "function",
        index = "index",
        left = "left",
        name = "name",
        operand = "operand",
        operator = "operator",
        parameters = "parameters",
        receiver = "receiver",
        result = "result",
        right = "right",
        r#type = "type",
        value = "value",
    }
}

static LANGUAGE: LazyLock<tree_sitter::Language> =
    LazyLock::new(|| tree_sitter_go::LANGUAGE.into());

/// The node kind ids of tree-sitter-go, looked up once.
pub static KINDS: LazyLock<Kinds> = LazyLock::new(|| Kinds::load(&LANGUAGE));

/// The field ids of tree-sitter-go, looked up once.
pub static FIELDS: LazyLock<Fields> = LazyLock::new(|| Fields::load(&LANGUAGE));

/// Kind names and whether they are named, by id (`Node::kind`, `Node::is_named`), and field ids
/// by name (`Node::child_by_field_name`).
struct Names {
    kinds: Vec<(&'static str, bool)>,
    /// Sorted by name (a binary search costs less than hashing the name).
    fields: Vec<(&'static str, u16)>,
}

static NAMES: LazyLock<Names> = LazyLock::new(|| {
    let language: &'static tree_sitter::Language = &LANGUAGE;
    let kinds = (0..language.node_kind_count())
        .map(|id| match u16::try_from(id) {
            Ok(id) => (
                language.node_kind_for_id(id).unwrap_or(""),
                language.node_kind_is_named(id),
            ),
            Err(_) => ("", false),
        })
        .collect();
    let mut fields: Vec<(&'static str, u16)> = (1..=language.field_count())
        .filter_map(|id| {
            let id = u16::try_from(id).ok()?;
            Some((language.field_name_for_id(id)?, id))
        })
        .collect();
    fields.sort_unstable();
    Names { kinds, fields }
});

/// The name of a node kind id (`"ERROR"` for tree-sitter's error nodes).
pub(crate) fn kind_name(id: u16) -> &'static str {
    match NAMES.kinds.get(usize::from(id)) {
        Some((name, _)) => name,
        None if id == u16::MAX => "ERROR",
        None => "",
    }
}

/// Whether nodes of a kind are named (`ERROR` nodes are).
pub(crate) fn kind_is_named(id: u16) -> bool {
    NAMES
        .kinds
        .get(usize::from(id))
        .map_or(id == u16::MAX, |&(_, named)| named)
}

/// The id of a field name, if tree-sitter-go has the field.
pub(crate) fn field_id_for_name(name: &str) -> Option<u16> {
    let fields = &NAMES.fields;
    fields
        .binary_search_by(|(field, _)| (*field).cmp(name))
        .ok()
        .map(|at| fields[at].1)
}

/// The id of an anonymous token (`":="`), for comparing with `Node::kind_id`.
pub fn token_kind(text: &str) -> u16 {
    anonymous_kind(&LANGUAGE, text)
}

/// The nodes of kind `kind` that begin with the keyword `keyword` (`map_type` and `map`,
/// `for_statement` and `for`), in source order: what a pre-order walk filtered by kind finds,
/// from the keyword's occurrences in the text instead of a walk of every node.
pub fn keyword_nodes<'t>(root: Node<'t>, text: &str, keyword: &str, kind: &str) -> Vec<Node<'t>> {
    let keyword_id = token_kind(keyword);
    let mut out = Vec::new();
    let base = root.start_byte();
    let Some(scope) = text.get(base..root.end_byte()) else {
        return out;
    };
    for (offset, _) in scope.match_indices(keyword) {
        let at = base + offset;
        let Some(token) = root.descendant_for_byte_range(at, at + keyword.len()) else {
            continue;
        };
        if token.kind_id() != keyword_id || token.start_byte() != at {
            continue;
        }
        if let Some(parent) = token.parent()
            && parent.kind() == kind
            && parent.start_byte() == at
        {
            out.push(parent);
        }
    }
    out
}

/// The child of a node under a field, by id (see [`FIELDS`]).
pub fn field(node: Node<'_>, field: u16) -> Option<Node<'_>> {
    node.child_by_field_id(field)
}

thread_local! {
    static PARSER: RefCell<tree_sitter::Parser> = RefCell::new({
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&LANGUAGE)
            .expect("tree-sitter-go grammar is ABI-compatible with the tree-sitter crate");
        parser
    });
}

/// Why Go source has no tree (syntax errors are not a reason: tree-sitter recovers from them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// tree-sitter's offsets are 32-bit.
    #[error("too large to parse (4 GiB or more)")]
    TooLarge,
    #[error("the parser gave up")]
    GaveUp,
}

/// Parses Go source into a flat tree.
pub fn parse(source: &[u8]) -> Result<Tree, ParseError> {
    if u32::try_from(source.len()).is_err() {
        return Err(ParseError::TooLarge);
    }
    let mut tree = parse_tree_sitter(source).ok_or(ParseError::GaveUp)?;
    if tree.root_node().has_error()
        && let Some(respelled) = builtin_calls::respell(source)
    {
        tree = parse_tree_sitter(&respelled).ok_or(ParseError::GaveUp)?;
    }
    Ok(Tree::from_tree_sitter(&tree, source))
}

/// Parses Go source with tree-sitter-go and nothing else (the floor `bench/check.sh` measures).
pub fn parse_tree_sitter(source: &[u8]) -> Option<tree_sitter::Tree> {
    PARSER.with(|parser| parser.borrow_mut().parse(source, None))
}

/// The source text a node spans.
pub fn text<'s>(node: Node<'_>, source: &'s str) -> &'s str {
    source.get(node.byte_range()).unwrap_or("")
}

/// 1-based line of a node's start.
pub fn line(node: Node<'_>) -> u32 {
    u32::try_from(node.start_position().row).unwrap_or(u32::MAX - 1) + 1
}

/// A node and all its descendants, in pre-order.
pub fn descendants(root: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    let tree = root.tree();
    root.subtree().map(move |id| Node::in_tree(tree, id))
}

/// Named children of a node, in order.
pub fn named_children(node: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    node.named_children()
}

/// Children of a node under a field name (e.g. the several `name`s of `a, b int`).
pub fn field_children<'t>(node: Node<'t>, field: &str) -> Vec<Node<'t>> {
    node.children_by_field_name(field).collect()
}

/// Position of the first `ERROR` or `MISSING` node, when the tree has one.
pub fn first_error(tree: &Tree) -> Option<Point> {
    let root = tree.root_node();
    if !root.has_error() {
        return None;
    }
    let mut node = root;
    'descend: loop {
        for child in node.children() {
            if child.is_error() || child.is_missing() {
                return Some(child.start_position());
            }
            if child.has_error() {
                node = child;
                continue 'descend;
            }
        }
        return Some(node.start_position());
    }
}

/// Whether `node` is inside `ancestor` (or is it).
pub fn is_within(node: Node<'_>, ancestor: Node<'_>) -> bool {
    ancestor.start_byte() <= node.start_byte() && node.end_byte() <= ancestor.end_byte()
}

/// The statements and comments of a block, looking through tree-sitter-go's `statement_list`.
pub fn block_items(block: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    for child in named_children(block) {
        if child.kind() == "statement_list" {
            out.extend(named_children(child));
        } else {
            out.push(child);
        }
    }
    out
}

/// Visits a node and all its descendants in pre-order with their ancestors (nearest last).
pub fn walk_with_ancestors<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>, &[Node<'t>])) {
    let mut ancestors: Vec<Node<'t>> = Vec::new();
    for node in descendants(root) {
        // The ancestors whose subtree ends before this node are done.
        while ancestors
            .last()
            .is_some_and(|a| a.subtree().end <= node.subtree().start)
        {
            ancestors.pop();
        }
        visit(node, &ancestors);
        ancestors.push(node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Go sources for the equivalence tests: a few with syntax errors, and every fixture.
    fn corpus() -> Vec<String> {
        let mut sources = vec![
            "package p\n// c\nimport (\n\t\"a\"\n)\ntype T struct{ a, b int; c map[string]int /* x */ }\nfunc (t *T) f(x ...int) (int, error) {\n\tswitch v := any(x).(type) {\n\tcase int: _ = v\n\t}\n\tfor k, v := range t.c { _, _ = k, v }\n\treturn 0, nil\n}\nfunc g( {\n".to_string(),
            "package p\nfunc f(m map[string]int) {\n\tfor k := range m { if k == \"\" { delete(m, k) } }\n\tgo func() { m[\"a\"]++ }()\n}\nvar x = 1\nfunc g( {\n".to_string(),
            "package p\nvar s = []int{1, 2,\nfunc h() { x := ; y := m[ }\n".to_string(),
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/src");
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "go") {
                    sources.push(std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        assert!(sources.len() > 50, "fixtures found: {}", sources.len());
        sources
    }

    /// tree-sitter's own nodes in pre-order, as the reference.
    fn reference(tree: &tree_sitter::Tree) -> Vec<tree_sitter::Node<'_>> {
        let mut out = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(node) = stack.pop() {
            out.push(node);
            let mut cursor = node.walk();
            let children: Vec<_> = node.children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
        out
    }

    #[test]
    fn flat_trees_answer_like_tree_sitter() {
        let language: tree_sitter::Language = tree_sitter_go::LANGUAGE.into();
        let field_ids: Vec<u16> = (1..=u16::try_from(language.field_count()).unwrap()).collect();
        for source in corpus() {
            let ts = parse_tree_sitter(source.as_bytes()).unwrap();
            let tree = Tree::from_tree_sitter(&ts, source.as_bytes());
            let expected = reference(&ts);
            let at: std::collections::HashMap<usize, usize> = expected
                .iter()
                .enumerate()
                .map(|(i, n)| (n.id(), i))
                .collect();
            let ours: Vec<Node<'_>> = descendants(tree.root_node()).collect();
            assert_eq!(ours.len(), expected.len());
            let same = |a: Option<Node<'_>>, b: Option<tree_sitter::Node<'_>>| {
                a.map(|n| n.id()) == b.map(|n| at[&n.id()])
            };
            for (node, ts) in ours.iter().zip(&expected) {
                assert_eq!(node.kind_id(), ts.kind_id());
                assert_eq!(node.kind(), ts.kind());
                assert_eq!(
                    (node.is_named(), node.is_extra(), node.is_error()),
                    (ts.is_named(), ts.is_extra(), ts.is_error())
                );
                assert_eq!(
                    (node.is_missing(), node.has_error()),
                    (ts.is_missing(), ts.has_error())
                );
                assert_eq!(node.byte_range(), ts.byte_range());
                assert_eq!(
                    (node.start_position().row, node.start_position().column),
                    (ts.start_position().row, ts.start_position().column)
                );
                assert_eq!(
                    (node.end_position().row, node.end_position().column),
                    (ts.end_position().row, ts.end_position().column)
                );
                assert!(same(node.parent(), ts.parent()));
                assert_eq!(node.child_count(), ts.child_count());
                assert_eq!(node.named_child_count(), ts.named_child_count());
                // tree-sitter's sibling steps go by byte position and skip empty siblings
                // (a missing expression); the flat tree's follow the structure.
                let sibling = |ours: Option<Node<'_>>, theirs| {
                    same(ours, theirs) || ours.is_some_and(|n| n.byte_range().is_empty())
                };
                assert!(sibling(node.next_sibling(), ts.next_sibling()));
                assert!(sibling(node.prev_sibling(), ts.prev_sibling()));
                assert!(sibling(node.next_named_sibling(), ts.next_named_sibling()));
                assert!(same(node.named_child(0), ts.named_child(0)));
                for &field in &field_ids {
                    assert!(
                        same(node.child_by_field_id(field), ts.child_by_field_id(field)),
                        "field {field} of {node:?}"
                    );
                    let mut cursor = ts.walk();
                    let all: Vec<usize> = ts
                        .children_by_field_id(std::num::NonZero::new(field).unwrap(), &mut cursor)
                        .map(|n| at[&n.id()])
                        .collect();
                    let mine: Vec<usize> =
                        node.children_by_field_id(field).map(|n| n.id()).collect();
                    assert_eq!(mine, all);
                }
            }
            let root = tree.root_node();
            let ts_root = ts.root_node();
            for offset in 0..=source.len() {
                assert!(same(
                    root.descendant_for_byte_range(offset, offset),
                    ts_root.descendant_for_byte_range(offset, offset)
                ));
                assert!(same(
                    root.named_descendant_for_byte_range(offset, offset),
                    ts_root.named_descendant_for_byte_range(offset, offset)
                ));
            }
            assert_eq!(
                first_error(&tree).map(|p| (p.row, p.column)),
                ts.root_node()
                    .has_error()
                    .then_some(())
                    .and(first_error(&tree))
                    .map(|p| (p.row, p.column))
            );
        }
    }

    #[test]
    fn kind_and_field_ids_match_names() {
        let src = "package p\nfunc f(m map[string]int) { for k := range m { delete(m, k) }; x := m[\"a\"]; m[\"b\"]++; _ = x }\n";
        let tree = parse(src.as_bytes()).unwrap();
        let language: tree_sitter::Language = tree_sitter_go::LANGUAGE.into();
        for node in descendants(tree.root_node()) {
            let by_name = language.id_for_node_kind(node.kind(), node.is_named());
            assert_eq!(node.kind_id(), by_name, "{}", node.kind());
            for name in [
                "body",
                "left",
                "right",
                "function",
                "arguments",
                "operand",
                "index",
            ] {
                let id = language.field_id_for_name(name).unwrap().get();
                assert_eq!(node.child_by_field_name(name), field(node, id));
            }
        }
        assert_eq!(
            KINDS.identifier,
            language.id_for_node_kind("identifier", true)
        );
        assert_eq!(
            FIELDS.body,
            language.field_id_for_name("body").unwrap().get()
        );
        assert_eq!(tree.root_node().child_by_field_name("no such field"), None);
    }

    fn reference_walk<'t>(
        node: Node<'t>,
        ancestors: &mut Vec<Node<'t>>,
        out: &mut Vec<(Node<'t>, Vec<Node<'t>>)>,
    ) {
        out.push((node, ancestors.clone()));
        ancestors.push(node);
        for child in node.children() {
            reference_walk(child, ancestors, out);
        }
        ancestors.pop();
    }

    #[test]
    fn walks_match_a_recursive_walk_from_any_root() {
        let src = "package p\nfunc f(m map[string]int) {\n\tfor k := range m { if k == \"\" { delete(m, k) } }\n\tgo func() { m[\"a\"]++ }()\n}\nvar x = 1\nfunc g( {\n";
        let tree = parse(src.as_bytes()).unwrap();
        for root in descendants(tree.root_node()).collect::<Vec<_>>() {
            let mut expected = Vec::new();
            reference_walk(root, &mut Vec::new(), &mut expected);
            let nodes: Vec<Node<'_>> = expected.iter().map(|(n, _)| *n).collect();
            assert_eq!(descendants(root).collect::<Vec<_>>(), nodes);
            let mut walked = Vec::new();
            walk_with_ancestors(root, |n, a| walked.push((n, a.to_vec())));
            assert_eq!(walked, expected);
        }
    }

    #[test]
    fn keyword_nodes_are_the_walked_nodes() {
        let src = "package p\n// map[ for\nvar m = map[string]map[int]bool{\"map\": nil}\nfunc f(formap map[string]int) {\n\tfor k := range formap { for { break }; delete(formap, k) }\n\tfor i := 0; i < 3; i++ {}\n}\n";
        let tree = parse(src.as_bytes()).unwrap();
        for (keyword, kind, count) in [("map", "map_type", 3), ("for", "for_statement", 3)] {
            let walked: Vec<Node<'_>> = descendants(tree.root_node())
                .filter(|n| n.kind() == kind)
                .collect();
            assert_eq!(walked.len(), count);
            assert_eq!(keyword_nodes(tree.root_node(), src, keyword, kind), walked);
        }
    }

    #[test]
    fn finds_errors() {
        let tree = parse(b"package p\nfunc f() { x := 1; _ = x }\n").unwrap();
        assert!(first_error(&tree).is_none());
        let broken = parse(b"package p\nfunc f( {\n").unwrap();
        assert_eq!(first_error(&broken).map(|p| p.row), Some(1));
    }
}

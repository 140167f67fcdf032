//! A thin layer over tree-sitter-go: parsing with a per-thread parser, text access, iterative walks
//! and the first syntax error of a tree.

use std::cell::RefCell;
use std::sync::LazyLock;

pub use tree_sitter::{Node, Point, Tree};

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

fn language() -> tree_sitter::Language {
    tree_sitter_go::LANGUAGE.into()
}

/// The node kind ids of tree-sitter-go, looked up once.
pub static KINDS: LazyLock<Kinds> = LazyLock::new(|| Kinds::load(&language()));

/// The field ids of tree-sitter-go, looked up once.
pub static FIELDS: LazyLock<Fields> = LazyLock::new(|| Fields::load(&language()));

/// The id of an anonymous token (`":="`), for comparing with `Node::kind_id`.
pub fn token_kind(text: &str) -> u16 {
    anonymous_kind(&language(), text)
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
            .set_language(&tree_sitter_go::LANGUAGE.into())
            .expect("tree-sitter-go grammar is ABI-compatible with the tree-sitter crate");
        parser
    });
}

/// Parses Go source. Returns `None` only if tree-sitter gives up (it recovers from syntax errors).
pub fn parse(source: &[u8]) -> Option<Tree> {
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

/// Pre-order iterator over a node and all its descendants, without recursion.
pub fn descendants(root: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    let mut cursor = root.walk();
    // How far below `root` the cursor is; `None` once the walk is over.
    let mut depth = Some(0usize);
    std::iter::from_fn(move || {
        let level = depth?;
        let node = cursor.node();
        if cursor.goto_first_child() {
            depth = Some(level + 1);
            return Some(node);
        }
        let mut level = level;
        loop {
            if level == 0 {
                depth = None;
                return Some(node);
            }
            if cursor.goto_next_sibling() {
                depth = Some(level);
                return Some(node);
            }
            if !cursor.goto_parent() {
                depth = None;
                return Some(node);
            }
            level -= 1;
        }
    })
}

/// Named children of a node, in order (with a cursor: `Node::named_child(i)` counts from the
/// first child on every call).
pub fn named_children(node: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    let mut cursor = node.walk();
    let mut started = false;
    let mut done = false;
    std::iter::from_fn(move || {
        while !done {
            let moved = if started {
                cursor.goto_next_sibling()
            } else {
                started = true;
                cursor.goto_first_child()
            };
            if !moved {
                done = true;
            } else if cursor.node().is_named() {
                return Some(cursor.node());
            }
        }
        None
    })
}

/// Children of a node under a field name (e.g. the several `name`s of `a, b int`).
pub fn field_children<'t>(node: Node<'t>, field: &str) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.children_by_field_name(field, &mut cursor).collect()
}

/// Position of the first `ERROR` or `MISSING` node, when the tree has one.
pub fn first_error(tree: &Tree) -> Option<Point> {
    let root = tree.root_node();
    if !root.has_error() {
        return None;
    }
    let mut node = root;
    'descend: loop {
        for child in (0..node.child_count()).filter_map(|i| node.child(i)) {
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

/// Visits a node and all its descendants in pre-order with their ancestors (nearest last),
/// without `Node::parent` (which tree-sitter answers by descending from the root, O(depth)).
pub fn walk_with_ancestors<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>, &[Node<'t>])) {
    let mut cursor = root.walk();
    let mut ancestors: Vec<Node<'t>> = Vec::new();
    loop {
        let node = cursor.node();
        visit(node, &ancestors);
        if cursor.goto_first_child() {
            ancestors.push(node);
            continue;
        }
        loop {
            // The cursor is at the root exactly when no ancestor is left.
            if ancestors.is_empty() {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            ancestors.pop();
        }
    }
}

/// The nodes of a subtree in pre-order with their depths, recorded once during a walk: later
/// walks of the subtree or of any node in it read the list instead of moving a tree cursor,
/// which costs more than anything the visits do. Build it with [`NodeList::push`] from a
/// [`walk_with_ancestors`] (depth = number of ancestors).
#[derive(Debug, Default, Clone)]
pub struct NodeList<'t> {
    nodes: Vec<(Node<'t>, u32)>,
}

impl<'t> NodeList<'t> {
    /// An empty list with room for about the nodes of `bytes` of Go source (one per 8 bytes).
    pub fn for_source_len(bytes: usize) -> Self {
        NodeList {
            nodes: Vec::with_capacity(bytes / 8 + 16),
        }
    }

    /// Records the next node of a pre-order walk, `depth` levels below the walk's root.
    pub fn push(&mut self, node: Node<'t>, depth: usize) {
        self.nodes
            .push((node, u32::try_from(depth).unwrap_or(u32::MAX)));
    }

    /// Every recorded node, in pre-order.
    pub fn nodes(&self) -> impl Iterator<Item = Node<'t>> + '_ {
        self.nodes.iter().map(|(n, _)| *n)
    }

    /// Where `root` is in the list (pre-order keeps start bytes non-decreasing).
    fn position(&self, root: Node<'t>) -> Option<usize> {
        let start = root.start_byte();
        let first = self.nodes.partition_point(|(n, _)| n.start_byte() < start);
        self.nodes[first..]
            .iter()
            .take_while(|(n, _)| n.start_byte() == start)
            .position(|(n, _)| *n == root)
            .map(|i| first + i)
    }

    /// The entries of `root`'s subtree, `root` first; `None` when `root` was not recorded.
    fn subtree(&self, root: Node<'t>) -> Option<&[(Node<'t>, u32)]> {
        let at = self.position(root)?;
        let depth = self.nodes[at].1;
        let len = self.nodes[at + 1..]
            .iter()
            .take_while(|(_, d)| *d > depth)
            .count();
        Some(&self.nodes[at..=at + len])
    }

    /// [`descendants`] of a node, from the list when the node was recorded (one pass: the
    /// subtree ends at the first entry no deeper than `root`).
    pub fn descendants(&self, root: Node<'t>) -> Box<dyn Iterator<Item = Node<'t>> + '_> {
        match self.position(root) {
            Some(at) => {
                let depth = self.nodes[at].1;
                Box::new(
                    std::iter::once(root).chain(
                        self.nodes[at + 1..]
                            .iter()
                            .take_while(move |(_, d)| *d > depth)
                            .map(|(n, _)| *n),
                    ),
                )
            }
            None => Box::new(descendants(root)),
        }
    }

    /// [`walk_with_ancestors`] of a node, from the list when the node was recorded.
    pub fn walk_with_ancestors(
        &self,
        root: Node<'t>,
        mut visit: impl FnMut(Node<'t>, &[Node<'t>]),
    ) {
        let Some(entries) = self.subtree(root) else {
            walk_with_ancestors(root, visit);
            return;
        };
        let base = entries[0].1;
        let mut ancestors: Vec<Node<'t>> = Vec::new();
        for &(node, depth) in entries {
            ancestors.truncate((depth - base) as usize);
            visit(node, &ancestors);
            ancestors.push(node);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_children_are_the_indexed_named_children() {
        let src = "package p\n// c\nimport (\n\t\"a\"\n)\ntype T struct{ a, b int; c map[string]int /* x */ }\nfunc (t *T) f(x ...int) (int, error) {\n\tswitch v := any(x).(type) {\n\tcase int: _ = v\n\t}\n\tfor k, v := range t.c { _, _ = k, v }\n\treturn 0, nil\n}\nfunc g( {\n";
        let tree = parse(src.as_bytes()).unwrap();
        let mut nodes = 0;
        for node in descendants(tree.root_node()) {
            let indexed: Vec<Node<'_>> = (0..node.named_child_count())
                .filter_map(|i| node.named_child(u32::try_from(i).ok()?))
                .collect();
            assert_eq!(named_children(node).collect::<Vec<_>>(), indexed);
            nodes += 1;
        }
        assert!(nodes > 50);
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
    }

    fn reference_walk<'t>(
        node: Node<'t>,
        ancestors: &mut Vec<Node<'t>>,
        out: &mut Vec<(Node<'t>, Vec<Node<'t>>)>,
    ) {
        out.push((node, ancestors.clone()));
        ancestors.push(node);
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.children(&mut cursor).collect();
        for child in children {
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
    fn node_lists_walk_like_the_cursor() {
        let src = "package p\nfunc f(m map[string]int) {\n\tfor k := range m { if k == \"\" { delete(m, k) } }\n\tgo func() { m[\"a\"]++; _ = struct{}{} }()\n}\nvar x = 1\nfunc g( {\n";
        let tree = parse(src.as_bytes()).unwrap();
        let mut list = NodeList::default();
        walk_with_ancestors(tree.root_node(), |n, a| list.push(n, a.len()));
        for root in descendants(tree.root_node()).collect::<Vec<_>>() {
            assert_eq!(
                list.descendants(root).collect::<Vec<_>>(),
                descendants(root).collect::<Vec<_>>()
            );
            let (mut listed, mut walked) = (Vec::new(), Vec::new());
            list.walk_with_ancestors(root, |n, a| listed.push((n, a.to_vec())));
            walk_with_ancestors(root, |n, a| walked.push((n, a.to_vec())));
            assert_eq!(listed, walked);
        }
        // A node outside the list falls back to the cursor.
        let other = parse(b"package q\nvar y = 2\n").unwrap();
        assert_eq!(
            list.descendants(other.root_node()).count(),
            descendants(other.root_node()).count()
        );
    }

    #[test]
    fn walks_every_node_and_finds_errors() {
        let src = "package p\nfunc f() { x := 1; _ = x }\n";
        let tree = parse(src.as_bytes()).unwrap();
        let count = descendants(tree.root_node()).count();
        let mut manual = 0;
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            manual += 1;
            let mut c = n.walk();
            stack.extend(n.children(&mut c));
        }
        assert_eq!(count, manual);
        assert!(first_error(&tree).is_none());
        let broken = parse(b"package p\nfunc f( {\n").unwrap();
        assert!(first_error(&broken).is_some());
    }
}

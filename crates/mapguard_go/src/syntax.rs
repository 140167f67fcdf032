//! A thin layer over tree-sitter-go: parsing with a per-thread parser, text access, iterative walks
//! and the first syntax error of a tree.

use std::cell::RefCell;

pub use tree_sitter::{Node, Point, Tree};

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
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let node = cursor.node();
        if cursor.goto_first_child() {
            return Some(node);
        }
        loop {
            if cursor.node() == root {
                done = true;
                return Some(node);
            }
            if cursor.goto_next_sibling() {
                return Some(node);
            }
            if !cursor.goto_parent() {
                done = true;
                return Some(node);
            }
        }
    })
}

/// Named children of a node.
pub fn named_children(node: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    (0..node.named_child_count()).filter_map(move |i| node.named_child(u32::try_from(i).ok()?))
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
            if cursor.node() == root {
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

#[cfg(test)]
mod tests {
    use super::*;

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

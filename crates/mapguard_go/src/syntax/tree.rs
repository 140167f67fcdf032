//! A parsed file as a flat array of nodes in pre-order, converted once from tree-sitter's tree.
//!
//! Rules walk every function several times; tree-sitter answers each step (`kind_id`, `parent`,
//! a cursor move) by chasing pointers through its subtrees, which cost more than the walks' own
//! work. Here a node is an index: its subtree is the contiguous range up to `end`, its first
//! child is the next node, its next sibling is where its subtree ends. The tree-sitter tree is
//! dropped after the conversion, and the flat tree takes about a third of its memory.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Range;

/// A row and byte column, both 0-based (as tree-sitter counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Point {
    pub row: usize,
    pub column: usize,
}

const NAMED: u8 = 1;
const EXTRA: u8 = 2;
const ERROR: u8 = 4;
const MISSING: u8 = 8;
const HAS_ERROR: u8 = 16;
const NO_PARENT: u32 = u32::MAX;

/// One node: 20 bytes.
#[derive(Debug, Clone, Copy)]
struct Raw {
    kind: u16,
    /// The field the node has in its parent (0: none).
    field: u8,
    flags: u8,
    start: u32,
    end: u32,
    parent: u32,
    /// One past the last node of the subtree.
    subtree_end: u32,
}

/// The syntax tree of one file.
#[derive(Clone)]
pub struct Tree {
    nodes: Vec<Raw>,
    /// Byte offset of the start of each line.
    lines: Vec<u32>,
}

impl Tree {
    /// Converts a tree-sitter tree of `source` with one cursor walk.
    pub(crate) fn from_tree_sitter(tree: &tree_sitter::Tree, source: &[u8]) -> Tree {
        let mut nodes: Vec<Raw> = Vec::with_capacity(source.len() / 3 + 1);
        let mut open: Vec<u32> = Vec::new();
        // Error and missing nodes only occur in trees with errors: most trees skip asking.
        let errors = tree.root_node().has_error();
        let mut cursor = tree.walk();
        loop {
            let node = cursor.node();
            let id = index(nodes.len());
            let kind = node.kind_id();
            let field = cursor.field_id().map_or(0, |f| f.get());
            let mut flags = flag(super::kind_is_named(kind), NAMED) | flag(node.is_extra(), EXTRA);
            if errors {
                flags |= flag(node.is_error(), ERROR)
                    | flag(node.is_missing(), MISSING)
                    | flag(node.has_error(), HAS_ERROR);
            }
            nodes.push(Raw {
                kind,
                field: u8::try_from(field).expect("tree-sitter-go has fewer than 256 fields"),
                flags,
                start: index(node.start_byte()),
                end: index(node.end_byte()),
                parent: open.last().copied().unwrap_or(NO_PARENT),
                subtree_end: id + 1,
            });
            if cursor.goto_first_child() {
                open.push(id);
                continue;
            }
            loop {
                if open.is_empty() {
                    let lines = std::iter::once(0)
                        .chain(newlines(source).map(|at| index(at + 1)))
                        .collect();
                    return Tree { nodes, lines };
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                cursor.goto_parent();
                let closed = open.pop().expect("an open ancestor") as usize;
                nodes[closed].subtree_end = index(nodes.len());
            }
        }
    }

    pub fn root_node(&self) -> Node<'_> {
        Node { tree: self, id: 0 }
    }

    fn point(&self, byte: u32) -> Point {
        let row = self.lines.partition_point(|&start| start <= byte) - 1;
        Point {
            row,
            column: (byte - self.lines[row]) as usize,
        }
    }
}

fn newlines(source: &[u8]) -> impl Iterator<Item = usize> + '_ {
    source
        .iter()
        .enumerate()
        .filter_map(|(i, &b)| (b == b'\n').then_some(i))
}

fn flag(set: bool, bit: u8) -> u8 {
    if set { bit } else { 0 }
}

fn index(n: usize) -> u32 {
    u32::try_from(n).expect("Go files are smaller than 4 GiB")
}

/// A node of a [`Tree`], with the methods of `tree_sitter::Node` that mapguard uses.
#[derive(Clone, Copy)]
pub struct Node<'t> {
    tree: &'t Tree,
    id: u32,
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && std::ptr::eq(self.tree, other.tree)
    }
}

impl Eq for Node<'_> {}

impl Hash for Node<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
        std::ptr::hash(self.tree, state);
    }
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (start, end) = (self.start_position(), self.end_position());
        write!(
            f,
            "{{{} ({}, {}) - ({}, {})}}",
            self.kind(),
            start.row,
            start.column,
            end.row,
            end.column
        )
    }
}

impl<'t> Node<'t> {
    fn raw(&self) -> &'t Raw {
        &self.tree.nodes[self.id as usize]
    }

    fn at(&self, id: u32) -> Node<'t> {
        Node {
            tree: self.tree,
            id,
        }
    }

    fn has(&self, bit: u8) -> bool {
        self.raw().flags & bit != 0
    }

    /// The node's index in its tree's pre-order, unique within the tree.
    pub fn id(&self) -> usize {
        self.id as usize
    }

    /// The range of pre-order indexes of the node's subtree (the node first).
    pub(crate) fn subtree(&self) -> Range<u32> {
        self.id..self.raw().subtree_end
    }

    pub(crate) fn tree(&self) -> &'t Tree {
        self.tree
    }

    pub(crate) fn in_tree(tree: &'t Tree, id: u32) -> Node<'t> {
        Node { tree, id }
    }

    pub fn kind_id(&self) -> u16 {
        self.raw().kind
    }

    pub fn kind(&self) -> &'static str {
        super::kind_name(self.raw().kind)
    }

    pub fn is_named(&self) -> bool {
        self.has(NAMED)
    }

    pub fn is_extra(&self) -> bool {
        self.has(EXTRA)
    }

    pub fn is_error(&self) -> bool {
        self.has(ERROR)
    }

    pub fn is_missing(&self) -> bool {
        self.has(MISSING)
    }

    pub fn has_error(&self) -> bool {
        self.has(HAS_ERROR)
    }

    pub fn start_byte(&self) -> usize {
        self.raw().start as usize
    }

    pub fn end_byte(&self) -> usize {
        self.raw().end as usize
    }

    pub fn byte_range(&self) -> Range<usize> {
        self.start_byte()..self.end_byte()
    }

    pub fn start_position(&self) -> Point {
        self.tree.point(self.raw().start)
    }

    pub fn end_position(&self) -> Point {
        self.tree.point(self.raw().end)
    }

    pub fn parent(&self) -> Option<Node<'t>> {
        let parent = self.raw().parent;
        (parent != NO_PARENT).then(|| self.at(parent))
    }

    /// The children in order, anonymous ones included.
    pub fn children(&self) -> Children<'t> {
        Children {
            tree: self.tree,
            next: self.id + 1,
            end: self.raw().subtree_end,
        }
    }

    /// The named children in order.
    pub fn named_children(&self) -> impl Iterator<Item = Node<'t>> + use<'t> {
        self.children().filter(Node::is_named)
    }

    pub fn child_count(&self) -> u32 {
        index(self.children().count())
    }

    pub fn child(&self, i: u32) -> Option<Node<'t>> {
        self.children().nth(i as usize)
    }

    pub fn named_child_count(&self) -> usize {
        self.named_children().count()
    }

    pub fn named_child(&self, i: u32) -> Option<Node<'t>> {
        self.named_children().nth(i as usize)
    }

    pub fn next_sibling(&self) -> Option<Node<'t>> {
        let parent = self.parent()?;
        let next = self.raw().subtree_end;
        (next < parent.raw().subtree_end).then(|| self.at(next))
    }

    pub fn next_named_sibling(&self) -> Option<Node<'t>> {
        let mut node = self.next_sibling()?;
        while !node.is_named() {
            node = node.next_sibling()?;
        }
        Some(node)
    }

    pub fn prev_sibling(&self) -> Option<Node<'t>> {
        self.parent()?
            .children()
            .take_while(|c| c.id < self.id)
            .last()
    }

    pub fn prev_named_sibling(&self) -> Option<Node<'t>> {
        self.parent()?
            .children()
            .take_while(|c| c.id < self.id)
            .filter(Node::is_named)
            .last()
    }

    /// The first child under a field, by id (`syntax::FIELDS`).
    pub fn child_by_field_id(&self, field: u16) -> Option<Node<'t>> {
        self.children().find(|c| u16::from(c.raw().field) == field)
    }

    pub fn child_by_field_name(&self, field: &str) -> Option<Node<'t>> {
        self.child_by_field_id(super::field_id_for_name(field)?)
    }

    pub fn children_by_field_id(&self, field: u16) -> impl Iterator<Item = Node<'t>> + use<'t> {
        self.children()
            .filter(move |c| u16::from(c.raw().field) == field)
    }

    pub fn children_by_field_name(&self, field: &str) -> impl Iterator<Item = Node<'t>> + use<'t> {
        // Field 0 is "no field": an unknown name matches nothing.
        let id = super::field_id_for_name(field).unwrap_or(u16::MAX);
        self.children_by_field_id(id)
    }

    /// The smallest node that spans `start..end`, as `tree_sitter::Node::descendant_for_byte_range`.
    pub fn descendant_for_byte_range(&self, start: usize, end: usize) -> Option<Node<'t>> {
        self.descendant_spanning(start, end, false)
    }

    /// The smallest named node that spans `start..end`.
    pub fn named_descendant_for_byte_range(&self, start: usize, end: usize) -> Option<Node<'t>> {
        self.descendant_spanning(start, end, true)
    }

    fn descendant_spanning(&self, start: usize, end: usize, named: bool) -> Option<Node<'t>> {
        if start > end {
            return None;
        }
        let mut node = *self;
        let mut found = *self;
        'descend: loop {
            for child in node.children() {
                let (child_start, child_end) = (child.start_byte(), child.end_byte());
                if child_end < end {
                    continue;
                }
                let empty = child_start == child_end;
                if if empty {
                    child_end < start
                } else {
                    child_end <= start
                } {
                    continue;
                }
                if start < child_start {
                    break;
                }
                node = child;
                if !named || child.is_named() {
                    found = child;
                }
                continue 'descend;
            }
            return Some(found);
        }
    }
}

/// The children of a node, by hopping from subtree end to subtree end.
pub struct Children<'t> {
    tree: &'t Tree,
    next: u32,
    end: u32,
}

impl<'t> Iterator for Children<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        if self.next >= self.end {
            return None;
        }
        let node = Node::in_tree(self.tree, self.next);
        self.next = node.raw().subtree_end;
        Some(node)
    }
}

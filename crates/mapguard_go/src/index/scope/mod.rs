//! One function's locals and expression typing: "what type is this expression", "which map is it".

mod locals;
mod typing;

use std::collections::HashMap;

use super::Index;
use super::access::{self, MapAccess};
use super::package::{FileImports, PackageIndex, literal_type};
use super::types::{self, NameResolver, Type};
use crate::syntax::{self, Node};

/// A local variable, parameter or receiver.
#[derive(Debug, Clone)]
pub struct Local {
    pub name: String,
    pub ty: Option<Type>,
    /// Byte offset of the declaring identifier.
    pub decl: u32,
    /// Byte range in which the name is visible.
    pub scope: (u32, u32),
    pub is_param: bool,
}

/// The identity of a map, stable across functions: what rules group accesses by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MapRef {
    /// A package-level variable (`pkg` is its import path).
    Global { pkg: String, name: String },
    /// A field of a named struct type, whichever value it is reached through.
    Field {
        pkg: String,
        type_name: String,
        field: String,
    },
    /// A local variable (identified by its declaration offset within the file).
    Local { name: String, decl: u32 },
}

impl MapRef {
    /// How the map is named in messages: `sessions`, `Cache.items`, `m`.
    pub fn display(&self) -> String {
        match self {
            MapRef::Global { name, .. } | MapRef::Local { name, .. } => name.clone(),
            MapRef::Field {
                type_name, field, ..
            } => format!("{type_name}.{field}"),
        }
    }
}

/// Types and map identities inside one function body (closures included).
pub struct FuncScope<'a> {
    pub index: &'a Index,
    pub package: &'a PackageIndex,
    pub src: &'a str,
    imports: &'a FileImports,
    locals: Vec<Local>,
    /// Indices into `locals` by name.
    by_name: HashMap<&'a str, Vec<usize>>,
}

struct PackageNames<'a> {
    package: &'a PackageIndex,
    imports: &'a FileImports,
}

impl NameResolver for PackageNames<'_> {
    fn import(&self, alias: &str) -> Option<String> {
        self.imports.by_name.get(alias).cloned()
    }
    fn declares_type(&self, name: &str) -> bool {
        self.package.types.contains_key(name)
    }
    fn package_path(&self) -> &str {
        &self.package.path
    }
    fn const_int(&self, name: &str) -> Option<u64> {
        self.package.consts.get(name).and_then(|c| c.value)
    }
}

impl<'a> FuncScope<'a> {
    /// Builds the scope of a function or method declaration (or a package-level func literal).
    pub fn new(
        index: &'a Index,
        package: &'a PackageIndex,
        file: usize,
        src: &'a str,
        decl: Node<'_>,
    ) -> Self {
        Self::with_visitor(index, package, file, src, decl, |_, _| {})
    }

    /// Builds the scope of a declaration and, in the same walk, the map operations of its body
    /// (what [`super::map_accesses`] returns for the `body` field).
    pub fn with_accesses<'t>(
        index: &'a Index,
        package: &'a PackageIndex,
        file: usize,
        src: &'a str,
        decl: Node<'t>,
    ) -> (Self, Vec<MapAccess<'t>>) {
        let mut accesses = AccessCollector::new(decl);
        let scope = Self::with_visitor(index, package, file, src, decl, |node, ancestors| {
            accesses.visit(node, ancestors);
        });
        let found = accesses.finish(&scope);
        (scope, found)
    }

    /// Builds the scope of a declaration in one walk, which also shows every node of the
    /// declaration (pre-order, ancestors nearest last) to `visit`: one walk for all per-function facts.
    pub fn with_visitor<'t>(
        index: &'a Index,
        package: &'a PackageIndex,
        file: usize,
        src: &'a str,
        decl: Node<'t>,
        visit: impl FnMut(Node<'t>, &[Node<'t>]),
    ) -> Self {
        let imports = &package.imports[file];
        let mut scope = FuncScope {
            index,
            package,
            src,
            imports,
            locals: Vec::new(),
            by_name: HashMap::new(),
        };
        scope.collect(decl, visit);
        scope
    }

    /// Converts a type node written in this file.
    pub fn type_from_node(&self, node: Node<'_>) -> Type {
        types::from_node(node, self.src, &self.names())
    }

    fn names(&self) -> PackageNames<'a> {
        PackageNames {
            package: self.package,
            imports: self.imports,
        }
    }

    pub fn locals(&self) -> &[Local] {
        &self.locals
    }

    /// The local visible at `at` under `name`, innermost first.
    pub fn local(&self, name: &str, at: u32) -> Option<&Local> {
        self.by_name
            .get(name)?
            .iter()
            .map(|&i| &self.locals[i])
            .filter(|l| l.decl <= at && l.scope.0 <= at && at < l.scope.1)
            .max_by_key(|l| l.decl)
    }

    /// Whether a package name (import) is meant by `name` at `at` (not shadowed by a local).
    pub fn import_path(&self, name: &str, at: u32) -> Option<&'a str> {
        if self.local(name, at).is_some() {
            return None;
        }
        self.imports.by_name.get(name).map(String::as_str)
    }
}

/// Gathers, from a walk over a function or method declaration (see [`FuncScope::with_visitor`]),
/// the map operations of its body: what [`super::map_accesses`] finds, without a walk of its own.
pub struct AccessCollector<'t> {
    body: Option<Node<'t>>,
    candidates: Vec<Node<'t>>,
}

impl<'t> AccessCollector<'t> {
    pub fn new(decl: Node<'t>) -> Self {
        AccessCollector {
            body: syntax::field(decl, syntax::FIELDS.body),
            candidates: Vec::new(),
        }
    }

    /// Whether `node` (with ancestors from the declaration down, nearest last) is in the body.
    /// Returns its ancestors from the body down.
    pub fn in_body<'s>(&self, node: Node<'t>, ancestors: &'s [Node<'t>]) -> Option<&'s [Node<'t>]> {
        let body = self.body?;
        // The body is a child of the declaration: below it, ancestors start `[decl, body, …]`.
        if node == body {
            Some(&[])
        } else if ancestors.get(1) == Some(&body) {
            Some(&ancestors[1..])
        } else {
            None
        }
    }

    pub fn visit(&mut self, node: Node<'t>, ancestors: &[Node<'t>]) {
        if let Some(inside) = self.in_body(node, ancestors) {
            access::collect_candidate(node, inside, &mut self.candidates);
        }
    }

    /// The map operations, once the scope is complete.
    pub fn finish(self, scope: &FuncScope<'_>) -> Vec<MapAccess<'t>> {
        access::accesses_of(scope, &self.candidates)
    }
}

/// Converts a type node written anywhere in file `file` of `package`, resolving names at package scope.
pub fn resolve_type_node(package: &PackageIndex, file: usize, src: &str, node: Node<'_>) -> Type {
    let names = PackageNames {
        package,
        imports: &package.imports[file],
    };
    types::from_node(node, src, &names)
}

fn is_function(node: Node<'_>) -> bool {
    let k = &*syntax::KINDS;
    let id = node.kind_id();
    id == k.function_declaration || id == k.method_declaration || id == k.func_literal
}

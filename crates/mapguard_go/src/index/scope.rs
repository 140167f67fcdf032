//! One function's locals and expression typing: "what type is this expression", "which map is it".

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
        let imports = &package.imports[file];
        let mut scope = FuncScope {
            index,
            package,
            src,
            imports,
            locals: Vec::new(),
            by_name: HashMap::new(),
        };
        scope.collect(decl, |_, _| {});
        scope
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

    /// Adds a local named by `name`, text of this function's source.
    fn push_local(&mut self, name: &'a str, local: Local) {
        self.by_name
            .entry(name)
            .or_default()
            .push(self.locals.len());
        self.locals.push(local);
    }

    /// Whether a package name (import) is meant by `name` at `at` (not shadowed by a local).
    pub fn import_path(&self, name: &str, at: u32) -> Option<&'a str> {
        if self.local(name, at).is_some() {
            return None;
        }
        self.imports.by_name.get(name).map(String::as_str)
    }

    fn add(&mut self, name: Node<'_>, ty: Option<Type>, scope: Node<'_>, is_param: bool) {
        let text = syntax::text(name, self.src);
        if text == "_" || text.is_empty() {
            return;
        }
        let end = u32::try_from(scope.end_byte()).unwrap_or(u32::MAX);
        let start = u32::try_from(name.start_byte()).unwrap_or(0);
        self.push_local(
            text,
            Local {
                name: text.to_string(),
                ty,
                decl: start,
                scope: (start, end),
                is_param,
            },
        );
    }

    /// Walks a declaration once, adding its locals, and shows each node to `visit` after.
    fn collect<'t>(&mut self, decl: Node<'t>, mut visit: impl FnMut(Node<'t>, &[Node<'t>])) {
        let k = &*syntax::KINDS;
        syntax::walk_with_ancestors(decl, |node, ancestors| {
            let id = node.kind_id();
            if id == k.function_declaration || id == k.method_declaration || id == k.func_literal {
                self.collect_signature(node);
            } else if id == k.short_var_declaration {
                self.collect_short_var(node, Self::enclosing_scope(node, ancestors));
            } else if id == k.var_spec && ancestors.iter().any(|a| is_function(*a)) {
                // Package-level specs are in the package index, not here.
                self.collect_var_spec(node, Self::enclosing_scope(node, ancestors));
            } else if id == k.range_clause {
                self.collect_range(node, ancestors.last().copied().unwrap_or(node));
            } else if id == k.type_switch_statement {
                self.collect_type_switch(node);
            }
            visit(node, ancestors);
        });
    }

    fn collect_signature(&mut self, func: Node<'_>) {
        let names = self.names();
        let mut params = Vec::new();
        for field in ["receiver", "parameters", "result"] {
            let Some(list) = func
                .child_by_field_name(field)
                .filter(|l| l.kind() == "parameter_list")
            else {
                continue;
            };
            for decl in syntax::named_children(list) {
                let ty = decl.child_by_field_name("type").map(|t| {
                    let ty = types::from_node(t, self.src, &names);
                    if decl.kind() == "variadic_parameter_declaration" {
                        Type::Slice(Box::new(ty))
                    } else {
                        ty
                    }
                });
                params.extend(
                    syntax::field_children(decl, "name")
                        .into_iter()
                        .map(|n| (n, ty.clone())),
                );
            }
        }
        for (name, ty) in params {
            self.add(name, ty, func, true);
        }
    }

    /// The block in which a declaration inside `node` is visible.
    fn enclosing_scope<'t>(node: Node<'t>, ancestors: &[Node<'t>]) -> Node<'t> {
        let k = &*syntax::KINDS;
        ancestors
            .iter()
            .rev()
            .find(|a| {
                let id = a.kind_id();
                id == k.block
                    || id == k.if_statement
                    || id == k.for_statement
                    || id == k.expression_case
                    || id == k.default_case
                    || id == k.type_case
                    || id == k.communication_case
                    || id == k.expression_switch_statement
                    || id == k.type_switch_statement
                    || id == k.func_literal
                    || id == k.source_file
            })
            .copied()
            .unwrap_or(node)
    }

    fn collect_short_var(&mut self, node: Node<'_>, scope: Node<'_>) {
        let (Some(left), Some(right)) = (
            syntax::field(node, syntax::FIELDS.left),
            syntax::field(node, syntax::FIELDS.right),
        ) else {
            return;
        };
        let names: Vec<Node<'_>> = syntax::named_children(left).collect();
        let values: Vec<Node<'_>> = syntax::named_children(right).collect();
        let at = u32::try_from(node.start_byte()).unwrap_or(0);
        let types = self.assigned_types(&names, &values);
        for (name, ty) in names.into_iter().zip(types) {
            // `a, err := …` redeclares `err` when it already exists in this scope: keep the old one.
            let text = syntax::text(name, self.src);
            let redeclared = self.local(text, at).is_some_and(|l| {
                l.scope.1 == u32::try_from(scope.end_byte()).unwrap_or(0) && !l.is_param
            });
            if !redeclared {
                self.add(name, ty, scope, false);
            }
        }
    }

    /// Types given to `names` by `values` (one value per name, or one multi-valued call).
    fn assigned_types(&self, names: &[Node<'_>], values: &[Node<'_>]) -> Vec<Option<Type>> {
        if values.len() == names.len() {
            return values.iter().map(|v| self.type_of(*v)).collect();
        }
        let Some(value) = values.first() else {
            return vec![None; names.len()];
        };
        let multi: Vec<Option<Type>> = match value.kind() {
            "call_expression" => self.call_results(*value).into_iter().map(Some).collect(),
            "index_expression" => vec![self.type_of(*value), Some(Type::named("", "bool"))],
            "type_assertion_expression" => {
                vec![self.type_of(*value), Some(Type::named("", "bool"))]
            }
            "unary_expression" => vec![self.type_of(*value), Some(Type::named("", "bool"))],
            _ => Vec::new(),
        };
        (0..names.len())
            .map(|i| multi.get(i).cloned().flatten())
            .collect()
    }

    fn collect_var_spec(&mut self, spec: Node<'_>, scope: Node<'_>) {
        let declared = spec
            .child_by_field_name("type")
            .map(|t| self.type_from_node(t));
        let names = syntax::field_children(spec, "name");
        let values: Vec<Node<'_>> = spec
            .child_by_field_name("value")
            .map(|l| syntax::named_children(l).collect())
            .unwrap_or_default();
        let inferred = if declared.is_none() {
            self.assigned_types(&names, &values)
        } else {
            vec![None; names.len()]
        };
        for (name, ty) in names.into_iter().zip(inferred) {
            self.add(name, declared.clone().or(ty), scope, false);
        }
    }

    fn collect_range(&mut self, clause: Node<'_>, scope: Node<'_>) {
        let Some(left) = syntax::field(clause, syntax::FIELDS.left) else {
            return;
        };
        // Only `:=` declares; `k, v = range m` assigns existing variables.
        let declares = (0..clause.child_count())
            .filter_map(|i| clause.child(i))
            .any(|c| c.kind() == ":=");
        if !declares {
            return;
        }
        let ranged = clause
            .child_by_field_name("right")
            .and_then(|r| self.type_of(r));
        let (key, value) = match ranged.as_ref().map(|t| self.index.underlying(t).clone()) {
            Some(Type::Map { key, value }) => (Some(*key), Some(*value)),
            Some(Type::Slice(elem) | Type::Array { elem, .. }) => {
                (Some(Type::named("", "int")), Some(*elem))
            }
            Some(Type::Pointer(inner)) => match self.index.underlying(&inner).clone() {
                Type::Array { elem, .. } => (Some(Type::named("", "int")), Some(*elem)),
                _ => (None, None),
            },
            Some(Type::Named { pkg, name }) if pkg.is_empty() && name == "string" => {
                (Some(Type::named("", "int")), Some(Type::named("", "rune")))
            }
            Some(Type::Named { pkg, name })
                if pkg.is_empty() && name.starts_with("int") || name.starts_with("uint") =>
            {
                (Some(Type::named(&pkg, &name)), None)
            }
            Some(Type::Chan(elem)) => (Some(*elem), None),
            _ => (None, None),
        };
        let mut names = syntax::named_children(left);
        if let Some(k) = names.next() {
            self.add(k, key, scope, false);
        }
        if let Some(v) = names.next() {
            self.add(v, value, scope, false);
        }
    }

    fn collect_type_switch(&mut self, node: Node<'_>) {
        // `switch v := x.(type)`: each case sees `v` with the case's type when it names one.
        let Some(alias) = node.child_by_field_name("alias") else {
            return;
        };
        let alias = syntax::named_children(alias).next().unwrap_or(alias);
        for case in syntax::named_children(node).filter(|n| n.kind() == "type_case") {
            let listed: Vec<Node<'_>> = syntax::field_children(case, "type");
            let ty = (listed.len() == 1).then(|| self.type_from_node(listed[0]));
            let start = u32::try_from(case.start_byte()).unwrap_or(0);
            let end = u32::try_from(case.end_byte()).unwrap_or(0);
            let name = syntax::text(alias, self.src);
            self.push_local(
                name,
                Local {
                    name: name.to_string(),
                    ty,
                    decl: start,
                    scope: (start, end),
                    is_param: false,
                },
            );
        }
    }

    /// The type of an expression, when the index can tell.
    pub fn type_of(&self, expr: Node<'_>) -> Option<Type> {
        let k = &*syntax::KINDS;
        let f = &*syntax::FIELDS;
        let at = u32::try_from(expr.start_byte()).unwrap_or(0);
        let id = expr.kind_id();
        if id == k.identifier {
            let name = syntax::text(expr, self.src);
            if let Some(local) = self.local(name, at) {
                return local.ty.clone();
            }
            self.package_value(self.package, name)
        } else if id == k.selector_expression {
            let operand = syntax::field(expr, f.operand)?;
            let field = syntax::text(syntax::field(expr, f.field)?, self.src);
            if operand.kind_id() == k.identifier
                && let Some(path) = self.import_path(syntax::text(operand, self.src), at)
            {
                return self
                    .index
                    .package(path)
                    .and_then(|p| self.package_value(p, field));
            }
            let base = self.type_of(operand)?;
            if let Some(found) = self.index.field(&base, field) {
                return Some(found.field.ty.clone());
            }
            self.index.method(&base, field).map(|m| Type::Func {
                params: Vec::new(),
                results: m.results.clone(),
            })
        } else if id == k.index_expression {
            let operand = self.type_of(syntax::field(expr, f.operand)?)?;
            match self.index.underlying(operand.pointee()).clone() {
                Type::Map { value, .. } => Some(*value),
                Type::Slice(elem) | Type::Array { elem, .. } => Some(*elem),
                Type::Named { pkg, name } if pkg.is_empty() && name == "string" => {
                    Some(Type::named("", "byte"))
                }
                _ => None,
            }
        } else if id == k.call_expression {
            self.call_results(expr).into_iter().next()
        } else if id == k.composite_literal || id == k.type_assertion_expression {
            syntax::field(expr, f.r#type).map(|t| self.type_from_node(t))
        } else if id == k.unary_expression {
            let operand = syntax::field(expr, f.operand)?;
            let op = syntax::text(syntax::field(expr, f.operator)?, self.src);
            let inner = self.type_of(operand)?;
            match op {
                "&" => Some(Type::Pointer(Box::new(inner))),
                "*" => match inner {
                    Type::Pointer(t) => Some(*t),
                    _ => None,
                },
                "<-" => match self.index.underlying(&inner).clone() {
                    Type::Chan(elem) => Some(*elem),
                    _ => None,
                },
                _ => Some(inner),
            }
        } else if id == k.parenthesized_expression {
            self.type_of(syntax::named_children(expr).next()?)
        } else if id == k.func_literal {
            Some(Type::Func {
                params: Vec::new(),
                results: syntax::field(expr, f.result)
                    .map(|r| types::result_types(r, self.src, &self.names()))
                    .unwrap_or_default(),
            })
        } else if id == k.interpreted_string_literal || id == k.raw_string_literal {
            Some(Type::named("", "string"))
        } else {
            literal_type(expr, self.src, &self.names())
        }
    }

    fn package_value(&self, package: &PackageIndex, name: &str) -> Option<Type> {
        if let Some(var) = package.vars.get(name) {
            return var.ty.clone();
        }
        if let Some(c) = package.consts.get(name) {
            return c.ty.clone();
        }
        package.funcs.get(name).map(|f| Type::Func {
            params: Vec::new(),
            results: f.results.clone(),
        })
    }

    /// The result types of a call (conversions and builtins included).
    pub fn call_results(&self, call: Node<'_>) -> Vec<Type> {
        let Some(function) = syntax::field(call, syntax::FIELDS.function) else {
            return Vec::new();
        };
        let args: Vec<Node<'_>> = syntax::field(call, syntax::FIELDS.arguments)
            .map(|a| syntax::named_children(a).collect())
            .unwrap_or_default();
        let at = u32::try_from(call.start_byte()).unwrap_or(0);
        let k = &*syntax::KINDS;
        if function.kind_id() == k.identifier {
            let name = syntax::text(function, self.src);
            if self.local(name, at).is_none() {
                match name {
                    "make" => {
                        return args
                            .first()
                            .map(|t| self.type_from_node(*t))
                            .into_iter()
                            .collect();
                    }
                    "new" => {
                        return args
                            .first()
                            .map(|t| Type::Pointer(Box::new(self.type_from_node(*t))))
                            .into_iter()
                            .collect();
                    }
                    "len" | "cap" | "copy" => return vec![Type::named("", "int")],
                    "append" => {
                        return args
                            .first()
                            .and_then(|a| self.type_of(*a))
                            .into_iter()
                            .collect();
                    }
                    _ => {}
                }
                if self.package.types.contains_key(name) {
                    return vec![Type::named(&self.package.path, name)];
                }
                if let Some(func) = self.package.funcs.get(name) {
                    return func.results.clone();
                }
            }
        }
        if function.kind_id() == k.selector_expression
            && let (Some(operand), Some(field)) = (
                syntax::field(function, syntax::FIELDS.operand),
                syntax::field(function, syntax::FIELDS.field),
            )
        {
            let field = syntax::text(field, self.src);
            if operand.kind_id() == k.identifier
                && let Some(path) = self.import_path(syntax::text(operand, self.src), at)
            {
                let Some(package) = self.index.package(path) else {
                    return Vec::new();
                };
                if package.types.contains_key(field) {
                    return vec![Type::named(path, field)];
                }
                return package
                    .funcs
                    .get(field)
                    .map(|f| f.results.clone())
                    .unwrap_or_default();
            }
            if let Some(receiver) = self.type_of(operand)
                && let Some(method) = self.index.method(&receiver, field)
            {
                return method.results.clone();
            }
        }
        if matches!(
            function.kind(),
            "parenthesized_expression" | "parenthesized_type" | "pointer_type" | "generic_type"
        ) {
            let inner = syntax::named_children(function).next().unwrap_or(function);
            if inner.kind() == "pointer_type" || inner.kind() == "unary_expression" {
                return vec![self.type_from_node(inner)];
            }
        }
        if let Some(Type::Func { results, .. }) = self.type_of(function) {
            return results;
        }
        // A conversion to a type written as a type node (`[]byte(s)`, `map[string]int(m)`).
        if matches!(
            function.kind(),
            "slice_type" | "map_type" | "array_type" | "qualified_type" | "type_identifier"
        ) {
            return vec![self.type_from_node(function)];
        }
        Vec::new()
    }

    /// Which map an expression denotes, if it is a map the index can name.
    pub fn map_ref(&self, expr: Node<'_>) -> Option<MapRef> {
        let ty = self.type_of(expr)?;
        self.index.map_types(&ty)?;
        self.storage_ref(expr)
    }

    /// The variable or field an expression names, whatever its type.
    pub fn storage_ref(&self, expr: Node<'_>) -> Option<MapRef> {
        let k = &*syntax::KINDS;
        let f = &*syntax::FIELDS;
        let at = u32::try_from(expr.start_byte()).unwrap_or(0);
        let id = expr.kind_id();
        if id == k.parenthesized_expression {
            self.storage_ref(syntax::named_children(expr).next()?)
        } else if id == k.identifier {
            let name = syntax::text(expr, self.src);
            if let Some(local) = self.local(name, at) {
                return Some(MapRef::Local {
                    name: name.to_string(),
                    decl: local.decl,
                });
            }
            self.package
                .vars
                .contains_key(name)
                .then(|| MapRef::Global {
                    pkg: self.package.path.clone(),
                    name: name.to_string(),
                })
        } else if id == k.selector_expression {
            let operand = syntax::field(expr, f.operand)?;
            let field = syntax::text(syntax::field(expr, f.field)?, self.src);
            if operand.kind_id() == k.identifier
                && let Some(path) = self.import_path(syntax::text(operand, self.src), at)
            {
                let package = self.index.package(path)?;
                return package.vars.contains_key(field).then(|| MapRef::Global {
                    pkg: path.to_string(),
                    name: field.to_string(),
                });
            }
            let base = self.type_of(operand)?;
            let found = self.index.field(&base, field)?;
            match found.owner {
                Some((pkg, type_name)) => Some(MapRef::Field {
                    pkg,
                    type_name,
                    field: field.to_string(),
                }),
                // A field of an anonymous struct held in a package variable: `cache.items`.
                None => match self.storage_ref(operand)? {
                    MapRef::Global { pkg, name } => Some(MapRef::Global {
                        pkg,
                        name: format!("{name}.{field}"),
                    }),
                    _ => None,
                },
            }
        } else {
            None
        }
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

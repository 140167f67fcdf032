//! The package-level declarations of one package: types, vars, consts, functions and methods.

use std::collections::{HashMap, HashSet};

use super::types::{self, NameResolver, Type};
use crate::load::Package;
use crate::syntax::{self, Node};

/// Where a declaration is: file index within its package and byte offset of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeclSite {
    pub file: usize,
    pub offset: u32,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct TypeDecl {
    pub name: String,
    /// The type on the right of `type Name …` (for an alias, the aliased type).
    pub ty: Type,
    pub site: DeclSite,
    /// The comment lines above the spec (or, for a spec without one, above the declaration).
    pub doc: Option<String>,
}

#[derive(Debug, Clone)]
pub struct VarDecl {
    pub name: String,
    /// Declared type, or the type inferred from the initializer when simple (`make`, literals).
    pub ty: Option<Type>,
    pub site: DeclSite,
    /// Byte range of the initializer expression, when present.
    pub init: Option<(u32, u32)>,
}

#[derive(Debug, Clone)]
pub struct ConstDecl {
    pub name: String,
    pub ty: Option<Type>,
    pub value: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Receiver {
    pub name: String,
    pub type_name: String,
    pub pointer: bool,
}

#[derive(Debug, Clone)]
pub struct FuncDecl {
    pub name: String,
    pub receiver: Option<Receiver>,
    pub params: Vec<(String, Type)>,
    pub results: Vec<Type>,
    pub site: DeclSite,
    /// Byte range of the whole declaration in its file.
    pub range: (u32, u32),
    /// The doc comment lines directly above the declaration.
    pub doc: Option<String>,
}

impl FuncDecl {
    /// `Name` or `(*T).Name`, as Go prints methods.
    pub fn display_name(&self) -> String {
        match &self.receiver {
            Some(r) if r.pointer => format!("(*{}).{}", r.type_name, self.name),
            Some(r) => format!("{}.{}", r.type_name, self.name),
            None => self.name.clone(),
        }
    }
}

/// Imports of one file: package name → import path.
#[derive(Debug, Clone, Default)]
pub struct FileImports {
    pub by_name: HashMap<String, String>,
}

/// All package-level declarations of one package.
#[derive(Debug, Clone, Default)]
pub struct PackageIndex {
    pub path: String,
    pub name: String,
    pub types: HashMap<String, TypeDecl>,
    pub vars: HashMap<String, VarDecl>,
    pub consts: HashMap<String, ConstDecl>,
    pub funcs: HashMap<String, FuncDecl>,
    /// Methods keyed by (receiver type name, method name).
    pub methods: HashMap<(String, String), FuncDecl>,
    pub imports: Vec<FileImports>,
}

impl PackageIndex {
    /// Number of constants declared with the named type `type_name` (an enum's size).
    pub fn enum_size(&self, type_name: &str) -> usize {
        self.consts
            .values()
            .filter(|c| matches!(&c.ty, Some(Type::Named { name, .. }) if name == type_name))
            .count()
    }

    /// Every function and method.
    pub fn all_funcs(&self) -> impl Iterator<Item = &FuncDecl> {
        self.funcs.values().chain(self.methods.values())
    }
}

/// Builds the index of one package. Two passes: names first, so that types referring to types
/// declared later in the package (or in another file) resolve.
pub fn index_package(package: &Package) -> PackageIndex {
    let mut index = PackageIndex {
        path: package.import_path.clone(),
        name: package.name.clone(),
        ..Default::default()
    };
    let mut type_names = HashSet::new();
    let mut const_values: HashMap<String, u64> = HashMap::new();
    for file in &package.files {
        for decl in syntax::named_children(file.tree.root_node()) {
            if decl.kind() == "type_declaration" {
                for spec in syntax::named_children(decl) {
                    if let Some(name) = spec.child_by_field_name("name") {
                        type_names.insert(syntax::text(name, &file.text).to_string());
                    }
                }
            }
            if decl.kind() == "const_declaration" {
                collect_const_values(decl, &file.text, &mut const_values);
            }
        }
    }

    let path = index.path.clone();
    for (file_index, file) in package.files.iter().enumerate() {
        let imports = file_imports(file.tree.root_node(), &file.text);
        let resolver = FileResolver {
            imports: &imports,
            types: &type_names,
            path: &path,
            consts: &const_values,
            type_params: Vec::new(),
        };
        let root = file.tree.root_node();
        // Every child, anonymous ones included: a declaration's doc comment is read from the
        // siblings before it (`Node::prev_sibling` would search from the first child each time).
        let children: Vec<Node<'_>> = root.children().collect();
        for (at, &decl) in children.iter().enumerate() {
            if !decl.is_named() {
                continue;
            }
            match decl.kind() {
                "type_declaration" => index_types(
                    decl,
                    &children[..at],
                    file_index,
                    &file.text,
                    &resolver,
                    &mut index,
                ),
                "var_declaration" => {
                    index_vars(decl, file_index, &file.text, &resolver, &mut index)
                }
                "const_declaration" => {
                    index_consts(decl, &file.text, &resolver, &const_values, &mut index)
                }
                "function_declaration" | "method_declaration" => {
                    if let Some(func) =
                        index_func(decl, &children[..at], file_index, &file.text, &resolver)
                    {
                        match &func.receiver {
                            Some(r) => {
                                index
                                    .methods
                                    .insert((r.type_name.clone(), func.name.clone()), func);
                            }
                            None if func.name == "init" || func.name == "_" => {}
                            None => {
                                index.funcs.insert(func.name.clone(), func);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        index.imports.push(imports);
    }
    index
}

/// Name resolution inside one file of the package being indexed.
pub(super) struct FileResolver<'a> {
    pub(super) imports: &'a FileImports,
    pub types: &'a HashSet<String>,
    pub path: &'a str,
    pub consts: &'a HashMap<String, u64>,
    pub type_params: Vec<String>,
}

impl NameResolver for FileResolver<'_> {
    fn import(&self, alias: &str) -> Option<String> {
        self.imports.by_name.get(alias).cloned()
    }
    fn declares_type(&self, name: &str) -> bool {
        self.types.contains(name)
    }
    fn package_path(&self) -> &str {
        self.path
    }
    fn const_int(&self, name: &str) -> Option<u64> {
        self.consts.get(name).copied()
    }
    fn is_type_param(&self, name: &str) -> bool {
        self.type_params.iter().any(|p| p == name)
    }
}

/// The imports of a file, by the name they are used under.
pub fn file_imports(root: Node<'_>, src: &str) -> FileImports {
    let mut imports = FileImports::default();
    for decl in syntax::named_children(root).filter(|n| n.kind() == "import_declaration") {
        for spec in syntax::descendants(decl).filter(|n| n.kind() == "import_spec") {
            let Some(path_node) = spec.child_by_field_name("path") else {
                continue;
            };
            let path = syntax::text(path_node, src)
                .trim_matches(|c| c == '"' || c == '`')
                .to_string();
            let name = match spec.child_by_field_name("name") {
                Some(n) => syntax::text(n, src).to_string(),
                None => default_import_name(&path),
            };
            if name != "_" && name != "." {
                imports.by_name.insert(name, path);
            }
        }
    }
    imports
}

/// The package name an import path is used under by convention: the last element, skipping a
/// `/vN` major-version suffix and a `.vN` gopkg.in suffix.
pub fn default_import_name(path: &str) -> String {
    let mut parts = path.rsplit('/');
    let mut last = parts.next().unwrap_or(path);
    if last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit()) {
        last = parts.next().unwrap_or(last);
    }
    let last = last.split('.').next().unwrap_or(last);
    last.strip_prefix("go-").unwrap_or(last).replace('-', "_")
}

fn site(node: Node<'_>, file: usize) -> DeclSite {
    DeclSite {
        file,
        offset: u32::try_from(node.start_byte()).unwrap_or(0),
        line: syntax::line(node),
    }
}

fn index_types(
    decl: Node<'_>,
    before: &[Node<'_>],
    file: usize,
    src: &str,
    resolver: &FileResolver<'_>,
    index: &mut PackageIndex,
) {
    let decl_doc = doc_comment(decl, before, src);
    let group: Vec<Node<'_>> = decl.children().collect();
    for (at, &spec) in group.iter().enumerate() {
        if !matches!(spec.kind(), "type_spec" | "type_alias") {
            continue;
        }
        let (Some(name), Some(ty)) = (
            spec.child_by_field_name("name"),
            spec.child_by_field_name("type"),
        ) else {
            continue;
        };
        let type_params = type_param_names(spec, src);
        let local = FileResolver {
            type_params,
            ..*resolver
        };
        let name_text = syntax::text(name, src).to_string();
        let ty = types::from_node(ty, src, &local);
        index.types.insert(
            name_text.clone(),
            TypeDecl {
                name: name_text,
                ty,
                site: site(name, file),
                doc: doc_comment(spec, &group[..at], src).or_else(|| decl_doc.clone()),
            },
        );
    }
}

fn type_param_names(node: Node<'_>, src: &str) -> Vec<String> {
    node.child_by_field_name("type_parameters")
        .map(|list| {
            syntax::descendants(list)
                .filter(|n| n.kind() == "type_parameter_declaration")
                .flat_map(|d| syntax::field_children(d, "name"))
                .map(|n| syntax::text(n, src).to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn index_vars(
    decl: Node<'_>,
    file: usize,
    src: &str,
    resolver: &FileResolver<'_>,
    index: &mut PackageIndex,
) {
    for spec in specs(decl, src, "var", "var_spec", Some("var_spec_list")) {
        let declared = spec
            .child_by_field_name("type")
            .map(|t| types::from_node(t, src, resolver));
        let values: Vec<Node<'_>> = spec
            .child_by_field_name("value")
            .map(|list| syntax::named_children(list).collect())
            .unwrap_or_default();
        for (i, name) in syntax::field_children(spec, "name").into_iter().enumerate() {
            let value = values.get(i).copied();
            let ty = declared
                .clone()
                .or_else(|| value.and_then(|v| literal_type(v, src, resolver)));
            let init = value.map(|v| {
                (
                    u32::try_from(v.start_byte()).unwrap_or(0),
                    u32::try_from(v.end_byte()).unwrap_or(0),
                )
            });
            let name_text = syntax::text(name, src).to_string();
            if name_text != "_" {
                index.vars.insert(
                    name_text.clone(),
                    VarDecl {
                        name: name_text,
                        ty,
                        site: site(name, file),
                        init,
                    },
                );
            }
        }
    }
}

/// The type of an initializer that needs no scope: `make(T…)`, `new(T)`, `T{…}`, `&T{…}`.
pub(super) fn literal_type(expr: Node<'_>, src: &str, names: &dyn NameResolver) -> Option<Type> {
    match expr.kind() {
        "composite_literal" => expr
            .child_by_field_name("type")
            .map(|t| types::from_node(t, src, names)),
        "unary_expression"
            if expr
                .child_by_field_name("operator")
                .is_some_and(|o| syntax::text(o, src) == "&") =>
        {
            let operand = expr.child_by_field_name("operand")?;
            literal_type(operand, src, names).map(|t| Type::Pointer(Box::new(t)))
        }
        "call_expression" => {
            let function = syntax::text(expr.child_by_field_name("function")?, src);
            let first = syntax::named_children(expr.child_by_field_name("arguments")?).next()?;
            match function {
                "make" => Some(types::from_node(first, src, names)),
                "new" => Some(Type::Pointer(Box::new(types::from_node(first, src, names)))),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The specs of a `var` or `const` declaration, as `descendants(decl)` filtered by `spec`
/// finds them (in order). A declaration whose text holds its keyword only once has no nested
/// declarations (say, in a function literal of an initializer), so its specs are its children
/// or its spec list's: its initializers, which can be large tables, need no walk.
fn specs<'t>(
    decl: Node<'t>,
    src: &str,
    keyword: &str,
    spec: &str,
    list: Option<&str>,
) -> Vec<Node<'t>> {
    if decl.has_error() || syntax::text(decl, src).matches(keyword).nth(1).is_some() {
        return syntax::descendants(decl)
            .filter(|n| n.kind() == spec)
            .collect();
    }
    let mut out = Vec::new();
    for child in syntax::named_children(decl) {
        if child.kind() == spec {
            out.push(child);
        } else if list.is_some_and(|l| child.kind() == l) {
            out.extend(syntax::named_children(child).filter(|n| n.kind() == spec));
        }
    }
    out
}

fn collect_const_values(decl: Node<'_>, src: &str, values: &mut HashMap<String, u64>) {
    for spec in specs(decl, src, "const", "const_spec", None) {
        let Some(list) = spec.child_by_field_name("value") else {
            continue;
        };
        let exprs: Vec<Node<'_>> = syntax::named_children(list).collect();
        for (i, name) in syntax::field_children(spec, "name").into_iter().enumerate() {
            let value = exprs
                .get(i)
                .and_then(|e| types::eval_const(*e, src, &|n| values.get(n).copied()));
            if let Some(v) = value {
                values.insert(syntax::text(name, src).to_string(), v);
            }
        }
    }
}

fn index_consts(
    decl: Node<'_>,
    src: &str,
    resolver: &FileResolver<'_>,
    values: &HashMap<String, u64>,
    index: &mut PackageIndex,
) {
    // In a const block, a spec without type and value repeats the previous spec's (iota enums).
    let mut last_type: Option<Type> = None;
    for spec in specs(decl, src, "const", "const_spec", None) {
        let has_value = spec.child_by_field_name("value").is_some();
        let ty = match spec.child_by_field_name("type") {
            Some(t) => Some(types::from_node(t, src, resolver)),
            None if has_value => None,
            None => last_type.clone(),
        };
        last_type = ty.clone();
        for name in syntax::field_children(spec, "name") {
            let name = syntax::text(name, src).to_string();
            let value = values.get(&name).copied();
            index.consts.insert(
                name.clone(),
                ConstDecl {
                    name,
                    ty: ty.clone(),
                    value,
                },
            );
        }
    }
}

fn index_func(
    decl: Node<'_>,
    before: &[Node<'_>],
    file: usize,
    src: &str,
    resolver: &FileResolver<'_>,
) -> Option<FuncDecl> {
    let name = decl.child_by_field_name("name")?;
    let mut type_params = type_param_names(decl, src);
    let receiver = decl.child_by_field_name("receiver").and_then(|list| {
        let param = syntax::named_children(list).find(|n| n.kind() == "parameter_declaration")?;
        let mut ty = param.child_by_field_name("type")?;
        let pointer = ty.kind() == "pointer_type";
        if pointer {
            ty = syntax::named_children(ty).next()?;
        }
        if ty.kind() == "generic_type" {
            if let Some(args) = ty.child_by_field_name("type_arguments") {
                type_params
                    .extend(syntax::named_children(args).map(|a| syntax::text(a, src).to_string()));
            }
            ty = ty.child_by_field_name("type")?;
        }
        let recv_name = param
            .child_by_field_name("name")
            .map(|n| syntax::text(n, src).to_string())
            .unwrap_or_default();
        Some(Receiver {
            name: recv_name,
            type_name: syntax::text(ty, src).to_string(),
            pointer,
        })
    });
    let local = FileResolver {
        type_params,
        ..*resolver
    };
    let params = decl
        .child_by_field_name("parameters")
        .map(|p| types::parameters(p, src, &local))
        .unwrap_or_default();
    let results = decl
        .child_by_field_name("result")
        .map(|r| types::result_types(r, src, &local))
        .unwrap_or_default();
    Some(FuncDecl {
        name: syntax::text(name, src).to_string(),
        receiver,
        params,
        results,
        site: site(name, file),
        range: (
            u32::try_from(decl.start_byte()).unwrap_or(0),
            u32::try_from(decl.end_byte()).unwrap_or(0),
        ),
        doc: doc_comment(decl, before, src),
    })
}

/// The comment lines directly above a declaration; `before` are the siblings preceding it.
fn doc_comment(decl: Node<'_>, before: &[Node<'_>], src: &str) -> Option<String> {
    let mut lines = Vec::new();
    let mut expected_row = decl.start_position().row;
    for node in before.iter().rev() {
        if node.kind() != "comment" || node.end_position().row + 1 != expected_row {
            break;
        }
        lines.push(syntax::text(*node, src).to_string());
        expected_row = node.start_position().row;
    }
    lines.reverse();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_the_walked_specs() {
        let src = "package p\nvar a = 1\nvar (\n\tb, c = 2, 3\n\td = []int{1, 2}\n)\nvar e = func() int { var f = 4; return f }()\nvar variable = 5\nconst g = 6\nconst (\n\th = iota\n\ti\n)\nconst j = len(\"const\")\n";
        let tree = syntax::parse(src.as_bytes()).unwrap();
        let mut checked = 0;
        for decl in syntax::named_children(tree.root_node()) {
            let (keyword, spec, list) = match decl.kind() {
                "var_declaration" => ("var", "var_spec", Some("var_spec_list")),
                "const_declaration" => ("const", "const_spec", None),
                _ => continue,
            };
            let walked: Vec<Node<'_>> = syntax::descendants(decl)
                .filter(|n| n.kind() == spec)
                .collect();
            assert_eq!(specs(decl, src, keyword, spec, list), walked);
            checked += walked.len();
        }
        assert_eq!(checked, 10);
    }
}

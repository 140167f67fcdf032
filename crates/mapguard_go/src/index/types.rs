//! Go types as the index models them: enough structure to follow fields, maps, pointers and
//! results, resolved to the package that declares each named type.

use crate::syntax::{self, Node};

/// A type expression with named types resolved to their declaring package.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    /// A declared or predeclared type: `pkg` is an import path, empty for predeclared types.
    Named {
        pkg: String,
        name: String,
    },
    Pointer(Box<Type>),
    Slice(Box<Type>),
    /// `len` is `None` when the length is not a literal or known constant.
    Array {
        len: Option<u64>,
        elem: Box<Type>,
    },
    Map {
        key: Box<Type>,
        value: Box<Type>,
    },
    Chan(Box<Type>),
    Func {
        params: Vec<Type>,
        results: Vec<Type>,
    },
    Struct(Vec<Field>),
    Interface {
        empty: bool,
    },
    /// Type parameters, generic instantiations and anything else not modelled.
    Unknown,
}

/// A struct field. Embedded fields are named after their type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    pub name: String,
    pub ty: Type,
    pub embedded: bool,
    /// 1-based line of the declaration.
    pub line: u32,
    /// Byte offset of the field's name (or embedded type) in its file.
    pub offset: u32,
    /// The comment on the field's line or on the lines just above it, if any.
    pub comment: Option<String>,
}

const PREDECLARED: &[&str] = &[
    "any",
    "bool",
    "byte",
    "comparable",
    "complex64",
    "complex128",
    "error",
    "float32",
    "float64",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "rune",
    "string",
    "uint",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "uintptr",
];

impl Type {
    pub fn named(pkg: &str, name: &str) -> Type {
        Type::Named {
            pkg: pkg.to_string(),
            name: name.to_string(),
        }
    }

    /// Whether this is the named type `pkg.name` (e.g. `sync.Mutex`).
    pub fn is_named(&self, pkg: &str, name: &str) -> bool {
        matches!(self, Type::Named { pkg: p, name: n } if p == pkg && n == name)
    }

    /// The type with one level of pointer removed.
    pub fn pointee(&self) -> &Type {
        match self {
            Type::Pointer(inner) => inner,
            other => other,
        }
    }

    pub fn is_predeclared(name: &str) -> bool {
        PREDECLARED.contains(&name)
    }
}

impl std::fmt::Display for Type {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Type::Named { pkg, name } if pkg.is_empty() => write!(f, "{name}"),
            Type::Named { pkg, name } => {
                write!(f, "{}.{name}", pkg.rsplit('/').next().unwrap_or(pkg))
            }
            Type::Pointer(t) => write!(f, "*{t}"),
            Type::Slice(t) => write!(f, "[]{t}"),
            Type::Array { len: Some(n), elem } => write!(f, "[{n}]{elem}"),
            Type::Array { len: None, elem } => write!(f, "[?]{elem}"),
            Type::Map { key, value } => write!(f, "map[{key}]{value}"),
            Type::Chan(t) => write!(f, "chan {t}"),
            Type::Func { .. } => write!(f, "func(…)"),
            Type::Struct(fields) if fields.is_empty() => write!(f, "struct{{}}"),
            Type::Struct(_) => write!(f, "struct{{…}}"),
            Type::Interface { empty: true } => write!(f, "any"),
            Type::Interface { .. } => write!(f, "interface{{…}}"),
            Type::Unknown => write!(f, "?"),
        }
    }
}

/// Resolves names while converting syntax to [`Type`]: what a bare identifier and a qualified
/// `pkg.T` refer to in one file.
pub trait NameResolver {
    /// The import path for a package name used in this file.
    fn import(&self, alias: &str) -> Option<String>;
    /// Whether `name` is a type declared in the current package (else predeclared or unknown).
    fn declares_type(&self, name: &str) -> bool;
    /// The current package's import path.
    fn package_path(&self) -> &str;
    /// The value of an integer constant usable as an array length.
    fn const_int(&self, name: &str) -> Option<u64>;
    /// Whether `name` is a type parameter in scope.
    fn is_type_param(&self, _name: &str) -> bool {
        false
    }
}

/// Converts a type node to a [`Type`].
pub fn from_node(node: Node<'_>, src: &str, names: &dyn NameResolver) -> Type {
    let child = |field: &str| node.child_by_field_name(field);
    let convert = |n: Option<Node<'_>>| n.map_or(Type::Unknown, |n| from_node(n, src, names));
    match node.kind() {
        "type_identifier" | "identifier" => {
            let name = syntax::text(node, src);
            if names.is_type_param(name) {
                Type::Unknown
            } else if names.declares_type(name) {
                Type::named(names.package_path(), name)
            } else if Type::is_predeclared(name) {
                Type::named("", name)
            } else {
                Type::Unknown
            }
        }
        "qualified_type" => {
            let package = child("package").map(|n| syntax::text(n, src)).unwrap_or("");
            let name = child("name").map(|n| syntax::text(n, src)).unwrap_or("");
            names
                .import(package)
                .map_or(Type::Unknown, |path| Type::named(&path, name))
        }
        "pointer_type" => Type::Pointer(Box::new(convert(syntax::named_children(node).next()))),
        "slice_type" => Type::Slice(Box::new(convert(child("element")))),
        "array_type" | "implicit_length_array_type" => {
            let len = child("length").and_then(|n| array_len(n, src, names));
            Type::Array {
                len,
                elem: Box::new(convert(child("element"))),
            }
        }
        "map_type" => Type::Map {
            key: Box::new(convert(child("key"))),
            value: Box::new(convert(child("value"))),
        },
        "channel_type" => Type::Chan(Box::new(convert(child("value")))),
        "function_type" => Type::Func {
            params: child("parameters")
                .map(|p| parameter_types(p, src, names))
                .unwrap_or_default(),
            results: child("result")
                .map(|r| result_types(r, src, names))
                .unwrap_or_default(),
        },
        "struct_type" => Type::Struct(struct_fields(node, src, names)),
        "interface_type" => Type::Interface {
            empty: node.named_child_count() == 0,
        },
        "parenthesized_type" => convert(syntax::named_children(node).next()),
        "negated_type" | "generic_type" | "type_elem" | "union_type" => Type::Unknown,
        _ => Type::Unknown,
    }
}

fn array_len(node: Node<'_>, src: &str, names: &dyn NameResolver) -> Option<u64> {
    eval_const(node, src, &|name| names.const_int(name))
}

/// Evaluates an integer constant expression: literals, named constants, `+ - * / % << >> & |`
/// and parentheses.
pub(super) fn eval_const(
    node: Node<'_>,
    src: &str,
    lookup: &dyn Fn(&str) -> Option<u64>,
) -> Option<u64> {
    match node.kind() {
        "int_literal" => parse_int_literal(syntax::text(node, src)),
        "identifier" => lookup(syntax::text(node, src)),
        "parenthesized_expression" => eval_const(syntax::named_children(node).next()?, src, lookup),
        "binary_expression" => {
            let left = eval_const(node.child_by_field_name("left")?, src, lookup)?;
            let right = eval_const(node.child_by_field_name("right")?, src, lookup)?;
            match syntax::text(node.child_by_field_name("operator")?, src) {
                "+" => left.checked_add(right),
                "-" => left.checked_sub(right),
                "*" => left.checked_mul(right),
                "/" => left.checked_div(right),
                "%" => left.checked_rem(right),
                "<<" => u32::try_from(right).ok().and_then(|r| left.checked_shl(r)),
                ">>" => u32::try_from(right).ok().and_then(|r| left.checked_shr(r)),
                "&" => Some(left & right),
                "|" => Some(left | right),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Parses a Go integer literal (decimal, hex, octal, binary, with `_`).
pub fn parse_int_literal(text: &str) -> Option<u64> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        u64::from_str_radix(hex, 16).ok()
    } else if let Some(bin) = lower.strip_prefix("0b") {
        u64::from_str_radix(bin, 2).ok()
    } else if let Some(oct) = lower.strip_prefix("0o") {
        u64::from_str_radix(oct, 8).ok()
    } else if lower.len() > 1 && lower.starts_with('0') {
        u64::from_str_radix(&lower[1..], 8).ok()
    } else {
        lower.parse().ok()
    }
}

/// The types of a parameter list, one per declared name (`a, b int` gives two).
pub(super) fn parameter_types(list: Node<'_>, src: &str, names: &dyn NameResolver) -> Vec<Type> {
    parameters(list, src, names)
        .into_iter()
        .map(|(_, ty)| ty)
        .collect()
}

/// `(name, type)` pairs of a parameter list; unnamed parameters have an empty name.
pub(super) fn parameters(
    list: Node<'_>,
    src: &str,
    names: &dyn NameResolver,
) -> Vec<(String, Type)> {
    let mut out = Vec::new();
    for decl in syntax::named_children(list) {
        if !matches!(
            decl.kind(),
            "parameter_declaration" | "variadic_parameter_declaration"
        ) {
            continue;
        }
        let mut ty = decl
            .child_by_field_name("type")
            .map_or(Type::Unknown, |t| from_node(t, src, names));
        if decl.kind() == "variadic_parameter_declaration" {
            ty = Type::Slice(Box::new(ty));
        }
        let declared = syntax::field_children(decl, "name");
        if declared.is_empty() {
            out.push((String::new(), ty));
        } else {
            out.extend(
                declared
                    .into_iter()
                    .map(|n| (syntax::text(n, src).to_string(), ty.clone())),
            );
        }
    }
    out
}

/// The result types of a function: a single type or a parameter list.
pub(super) fn result_types(result: Node<'_>, src: &str, names: &dyn NameResolver) -> Vec<Type> {
    if result.kind() == "parameter_list" {
        parameter_types(result, src, names)
    } else {
        vec![from_node(result, src, names)]
    }
}

fn struct_fields(node: Node<'_>, src: &str, names: &dyn NameResolver) -> Vec<Field> {
    let Some(list) = syntax::named_children(node).find(|n| n.kind() == "field_declaration_list")
    else {
        return Vec::new();
    };
    let mut fields = Vec::new();
    for decl in syntax::named_children(list).filter(|n| n.kind() == "field_declaration") {
        let Some(type_node) = decl.child_by_field_name("type") else {
            continue;
        };
        let ty = from_node(type_node, src, names);
        let comment = field_comment(decl, src);
        let declared = syntax::field_children(decl, "name");
        if declared.is_empty() {
            // Embedded: `sync.Mutex`, `*Base`; the field is named after the type.
            let name = match ty.pointee() {
                Type::Named { name, .. } => name.clone(),
                _ => syntax::text(type_node, src)
                    .trim_start_matches('*')
                    .rsplit('.')
                    .next()
                    .unwrap_or("")
                    .to_string(),
            };
            fields.push(Field {
                name,
                ty,
                embedded: true,
                line: syntax::line(decl),
                offset: u32::try_from(type_node.start_byte()).unwrap_or(0),
                comment,
            });
        } else {
            for name in declared {
                fields.push(Field {
                    name: syntax::text(name, src).to_string(),
                    ty: ty.clone(),
                    embedded: false,
                    line: syntax::line(decl),
                    offset: u32::try_from(name.start_byte()).unwrap_or(0),
                    comment: comment.clone(),
                });
            }
        }
    }
    fields
}

/// A trailing comment on the declaration's line, or comment lines directly above it.
fn field_comment(decl: Node<'_>, src: &str) -> Option<String> {
    let mut parts = Vec::new();
    let mut prev = decl.prev_sibling();
    let mut expected_row = decl.start_position().row;
    while let Some(node) = prev.filter(|n| n.kind() == "comment") {
        if node.end_position().row + 1 != expected_row {
            break;
        }
        parts.push(syntax::text(node, src).to_string());
        expected_row = node.start_position().row;
        prev = node.prev_sibling();
    }
    parts.reverse();
    if let Some(next) = decl
        .next_sibling()
        .filter(|n| n.kind() == "comment" && n.start_position().row == decl.end_position().row)
    {
        parts.push(syntax::text(next, src).to_string());
    }
    (!parts.is_empty()).then(|| parts.join("\n"))
}

use mapguard_go::index::{Index, Type, resolve_type_node};
use mapguard_go::syntax::{self, Node};
use mapguard_runtime::types::{
    Arch, ArrayLen, Basic, ChanDir, Field, GoType, StdTypes, TypeResolver, layout,
};

use crate::context::PackageContext;
use crate::declare_rule;
use crate::rule::{Rule, RuleInfo};

/// Keys and values larger than this are stored out of line (`abi.MapMaxKeyBytes`/`MapMaxElemBytes`).
const MAX_INLINE_BYTES: u64 = 128;

declare_rule! {
    /// ## What it does
    /// Finds map types whose key or value is larger than 128 bytes, where the map is declared
    /// or created (struct fields, variables, `type T map…`, `make`, map literals).
    ///
    /// ## Why is this bad?
    /// The Go runtime stores keys and values of up to 128 bytes inline, in the bucket (classic
    /// maps) or group slot (Swiss tables). A larger key or value is stored out of line: every
    /// insert allocates a separate object for it and the slot holds a pointer. That is one extra
    /// heap allocation per entry, more GC scanning, and worse locality; for value types just over
    /// the limit it also rounds up to the next size class.
    ///
    /// ## Example
    /// ```go
    /// type Session struct { /* 192 bytes of fields */ }
    /// var byID = make(map[string]Session)
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// var byID = make(map[string]*Session)
    /// ```
    /// (one allocation per entry either way, but explicit, shareable, and cheaper to move), or
    /// shrink the value below 129 bytes. `mapguard size` shows both layouts' bytes.
    ///
    /// ## Fix safety
    /// No automatic fix: switching to pointers changes value semantics.
    pub struct OversizedMapValue;
    code = "MG401", name = "oversized-map-value", summary = "map keys or values over 128 bytes are stored out of line, one allocation per entry",
    severity = Info, fixable = false,
}

impl Rule for OversizedMapValue {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, ctx: &PackageContext<'_>) {
        let resolver = IndexTypes { index: ctx.index };
        for (file_index, file) in ctx.files().iter().enumerate() {
            if !file.text.contains("map[") {
                continue;
            }
            for node in syntax::keyword_nodes(file.tree.root_node(), &file.text, "map", "map_type")
            {
                if !declares_or_creates(node) {
                    continue;
                }
                let Type::Map { key, value } =
                    resolve_type_node(ctx.pkg, file_index, &file.text, node)
                else {
                    continue;
                };
                let size = |t: &Type| {
                    to_go_type(t)
                        .and_then(|g| layout(&g, Arch::Amd64, &resolver).ok())
                        .map(|l| l.size)
                };
                let (Some(key_size), Some(value_size)) = (size(&key), size(&value)) else {
                    continue;
                };
                let mut parts = Vec::new();
                if key_size > MAX_INLINE_BYTES {
                    parts.push(format!("keys of {key_size} bytes"));
                }
                if value_size > MAX_INLINE_BYTES {
                    parts.push(format!("values of {value_size} bytes"));
                }
                if parts.is_empty() {
                    continue;
                }
                let per_entry = if parts.len() == 2 {
                    "two extra allocations per entry"
                } else {
                    "one extra allocation per entry"
                };
                let shown: String = syntax::text(node, &file.text)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let shown = if shown.len() > 60 {
                    format!("{}…", &shown[..shown.floor_char_boundary(57)])
                } else {
                    shown
                };
                let message = format!(
                    "{shown} stores {} out of line: {per_entry}",
                    parts.join(" and ")
                );
                ctx.push(
                    ctx.diagnostic(file_index, node, message)
                        .with_help("store pointers, or shrink the type to 128 bytes or less"),
                );
            }
        }
    }
}

/// Whether a map type node is where a map is declared or created, not a parameter or result.
fn declares_or_creates(node: Node<'_>) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            "field_declaration" | "var_spec" | "type_spec" | "type_alias" | "composite_literal" => {
                return true;
            }
            "argument_list" => return is_make(n, node),
            "parameter_declaration"
            | "variadic_parameter_declaration"
            | "parameter_list"
            | "function_declaration"
            | "method_declaration"
            | "func_literal"
            | "type_assertion_expression"
            | "block" => return false,
            _ => current = n.parent(),
        }
    }
    false
}

/// Whether `map_type` is (inside) the type argument of `make`: the only call whose first
/// argument is a map type node (a conversion has the type as its function instead).
fn is_make(arguments: Node<'_>, map_type: Node<'_>) -> bool {
    arguments
        .named_child(0)
        .is_some_and(|first| first.kind() == "map_type" && syntax::is_within(map_type, first))
}

/// Sizes named types from the module index, and a few standard-library types by definition.
struct IndexTypes<'a> {
    index: &'a Index,
}

impl TypeResolver for IndexTypes<'_> {
    fn resolve(&self, name: &str) -> Option<GoType> {
        let slash = name.rfind('/').map_or(0, |i| i + 1);
        let dot = slash + name[slash..].find('.')?;
        let (pkg, type_name) = (&name[..dot], &name[dot + 1..]);
        match self.index.type_decl(pkg, type_name) {
            Some(decl) => to_go_type(&decl.ty),
            None => StdTypes.resolve(&format!("{}.{type_name}", &pkg[slash.min(pkg.len())..])),
        }
    }
}

/// Converts the index's type to the runtime model's; `None` when a part is unknown.
fn to_go_type(ty: &Type) -> Option<GoType> {
    Some(match ty {
        Type::Named { pkg, name } if pkg.is_empty() => match name.as_str() {
            "string" => GoType::String,
            "any" => GoType::any(),
            "error" => GoType::error(),
            other => GoType::Basic(Basic::from_name(other)?),
        },
        Type::Named { pkg, name } if pkg == "unsafe" && name == "Pointer" => {
            GoType::Basic(Basic::UnsafePointer)
        }
        Type::Named { pkg, name } => GoType::Named(format!("{pkg}.{name}")),
        Type::Pointer(inner) => GoType::Pointer(Box::new(
            to_go_type(inner).unwrap_or(GoType::Basic(Basic::Uintptr)),
        )),
        Type::Slice(elem) => GoType::Slice(Box::new(
            to_go_type(elem).unwrap_or(GoType::Basic(Basic::Uintptr)),
        )),
        Type::Array { len, elem } => GoType::Array {
            len: ArrayLen::Lit((*len)?),
            elem: Box::new(to_go_type(elem)?),
        },
        Type::Map { key, value } => GoType::Map {
            key: Box::new(to_go_type(key).unwrap_or(GoType::Basic(Basic::Uintptr))),
            value: Box::new(to_go_type(value).unwrap_or(GoType::Basic(Basic::Uintptr))),
        },
        Type::Chan(elem) => GoType::Chan {
            dir: ChanDir::Both,
            elem: Box::new(to_go_type(elem).unwrap_or(GoType::Basic(Basic::Uintptr))),
        },
        Type::Func { .. } => GoType::Func {
            signature: String::new(),
        },
        Type::Struct(fields) => GoType::Struct {
            fields: fields
                .iter()
                .map(|f| {
                    Some(Field {
                        name: (!f.embedded).then(|| f.name.clone()),
                        ty: to_go_type(&f.ty)?,
                        tag: None,
                    })
                })
                .collect::<Option<Vec<_>>>()?,
        },
        Type::Interface { empty } => GoType::Interface {
            elems: if *empty {
                Vec::new()
            } else {
                vec!["method".to_string()]
            },
        },
        Type::Unknown => return None,
    })
}

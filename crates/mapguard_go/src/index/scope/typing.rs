//! The type of an expression in a function, and the map or variable it denotes.

use super::*;

impl FuncScope<'_> {
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

    /// The type `new`'s operand allocates: a type, or since Go 1.26 an expression's type.
    /// (`new(v)` parses as a type name either way; a local of that name makes it a value.)
    fn new_operand(&self, operand: Node<'_>) -> Type {
        let at = u32::try_from(operand.start_byte()).unwrap_or(0);
        if operand.kind() == "type_identifier"
            && let Some(local) = self.local(syntax::text(operand, self.src), at)
        {
            return local.ty.clone().unwrap_or(Type::Unknown);
        }
        match self.type_from_node(operand) {
            Type::Unknown => self.type_of(operand).unwrap_or(Type::Unknown),
            known => known,
        }
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
                            .map(|t| Type::Pointer(Box::new(self.new_operand(*t))))
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
                if Type::is_predeclared(name) {
                    return vec![Type::named("", name)];
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

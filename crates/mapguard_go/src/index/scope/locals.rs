//! The locals of a function: parameters, `:=` and `var` declarations, range and type-switch
//! variables, with the types the index can give them.

use super::*;

impl<'a> FuncScope<'a> {
    /// Adds a local named by `name`, text of this function's source.
    fn push_local(&mut self, name: &'a str, local: Local) {
        self.by_name
            .entry(name)
            .or_default()
            .push(self.locals.len());
        self.locals.push(local);
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
    pub(super) fn collect<'t>(
        &mut self,
        decl: Node<'t>,
        mut visit: impl FnMut(Node<'t>, &[Node<'t>]),
    ) {
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
}

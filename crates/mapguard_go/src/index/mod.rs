//! The semantic index: what a type checker would tell the rules about maps, built from syntax.
//!
//! [`Index`] holds the package-level declarations of every loaded package, so types from other
//! packages of the module resolve. [`FuncScope`] adds a function's locals and answers "what type
//! is this expression" and "which map is this".

mod access;
mod package;
mod scope;
mod types;

use std::collections::HashMap;

use rayon::prelude::*;

pub use access::{AccessKind, MapAccess, map_accesses};
pub use package::{
    ConstDecl, DeclSite, FileImports, FuncDecl, PackageIndex, Receiver, TypeDecl, VarDecl,
    default_import_name, file_imports, index_package,
};
pub use scope::{AccessCollector, FuncScope, Local, MapRef, resolve_type_node};
pub use types::{Field, NameResolver, Type, from_node, parse_int_literal};

use crate::load::Program;

/// Package-level declarations of every loaded package, by import path.
#[derive(Debug, Default)]
pub struct Index {
    packages: HashMap<String, PackageIndex>,
}

/// A field found on a type, possibly through embedded fields.
#[derive(Debug, Clone)]
pub struct FieldRef<'a> {
    /// The named struct type that declares the field (`None` for an anonymous struct).
    pub owner: Option<(String, String)>,
    pub field: &'a Field,
    /// The embedded fields the selector goes through to reach it (`["nameSpace"]` for `t.set`
    /// when `set` is promoted from an embedded `*nameSpace`).
    pub via: Vec<String>,
}

impl Index {
    /// Indexes every package of a program, in parallel.
    pub fn build(program: &Program) -> Index {
        // Largest packages first, so that no big one is left running alone at the end; then
        // back in program order, where a later package of the same import path wins.
        let mut order: Vec<usize> = (0..program.packages.len()).collect();
        order.sort_by_cached_key(|&i| {
            let files = &program.packages[i].files;
            std::cmp::Reverse(files.iter().map(|f| f.text.len()).sum::<usize>())
        });
        let mut indexed: Vec<(usize, PackageIndex)> = order
            .into_par_iter()
            .with_max_len(1)
            .map(|i| (i, index_package(&program.packages[i])))
            .collect();
        indexed.sort_by_key(|(i, _)| *i);
        let packages = indexed
            .into_iter()
            .map(|(i, index)| (program.packages[i].import_path.clone(), index))
            .collect();
        Index { packages }
    }

    pub fn package(&self, path: &str) -> Option<&PackageIndex> {
        self.packages.get(path)
    }

    pub fn type_decl(&self, pkg: &str, name: &str) -> Option<&TypeDecl> {
        self.packages.get(pkg)?.types.get(name)
    }

    /// The underlying type: named types followed to their definition. Predeclared and unknown
    /// named types (e.g. from the standard library) are returned as they are.
    pub fn underlying<'t>(&'t self, ty: &'t Type) -> &'t Type {
        let mut current = ty;
        for _ in 0..16 {
            match current {
                Type::Named { pkg, name } => match self.type_decl(pkg, name) {
                    Some(decl) => current = &decl.ty,
                    None => return current,
                },
                _ => return current,
            }
        }
        current
    }

    /// Key and value types when `ty` is a map (after following names).
    pub fn map_types<'t>(&'t self, ty: &'t Type) -> Option<(&'t Type, &'t Type)> {
        match self.underlying(ty) {
            Type::Map { key, value } => Some((key, value)),
            _ => None,
        }
    }

    /// Finds a field of a struct type (or pointer to one), searching embedded fields
    /// breadth-first as Go's selector rules do.
    pub fn field<'t>(&'t self, ty: &'t Type, name: &str) -> Option<FieldRef<'t>> {
        let mut level: Vec<(&Type, Vec<String>)> = vec![(ty, Vec::new())];
        for _ in 0..6 {
            let mut next = Vec::new();
            for (candidate, via) in level {
                let base = candidate.pointee();
                let owner = match base {
                    Type::Named { pkg, name } => Some((pkg.clone(), name.clone())),
                    _ => None,
                };
                if let Type::Struct(fields) = self.underlying(base) {
                    if let Some(field) = fields.iter().find(|f| f.name == name) {
                        return Some(FieldRef { owner, field, via });
                    }
                    for embedded in fields.iter().filter(|f| f.embedded) {
                        let mut path = via.clone();
                        path.push(embedded.name.clone());
                        next.push((&embedded.ty, path));
                    }
                }
            }
            if next.is_empty() {
                return None;
            }
            level = next;
        }
        None
    }

    /// Finds a method declared on a named type (or its pointer), or promoted from an embedded field.
    pub fn method(&self, ty: &Type, name: &str) -> Option<&FuncDecl> {
        let mut level: Vec<&Type> = vec![ty];
        for _ in 0..6 {
            let mut next = Vec::new();
            for candidate in level {
                if let Type::Named {
                    pkg,
                    name: type_name,
                } = candidate.pointee()
                    && let Some(m) = self
                        .packages
                        .get(pkg)
                        .and_then(|p| p.methods.get(&(type_name.clone(), name.to_string())))
                {
                    return Some(m);
                }
                if let Type::Struct(fields) = self.underlying(candidate.pointee()) {
                    next.extend(fields.iter().filter(|f| f.embedded).map(|f| &f.ty));
                }
            }
            if next.is_empty() {
                return None;
            }
            level = next;
        }
        None
    }
}

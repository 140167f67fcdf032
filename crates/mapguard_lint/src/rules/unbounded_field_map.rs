use std::collections::HashSet;

use mapguard_go::index::{MapRef, Type};

use super::growth::growing_maps;
use crate::context::PackageContext;
use crate::declare_rule;
use crate::rule::{Rule, RuleInfo};

declare_rule! {
    /// ## What it does
    /// Finds an unexported map field of a long-lived type that methods add keys to but that
    /// nothing in the package ever deletes from, clears or replaces.
    ///
    /// ## Why is this bad?
    /// Servers, caches, hubs and registries live as long as the process. A map field that gains a
    /// key per request, connection or subscriber and never loses one grows without bound, and Go
    /// maps never shrink. A type counts as long-lived when it holds a mutex (it is shared between
    /// goroutines), when a package-level variable holds it, or when it is a field of another
    /// long-lived type.
    ///
    /// ## Example
    /// ```go
    /// type Cache struct {
    ///     mu    sync.Mutex
    ///     items map[string]entry
    /// }
    ///
    /// func (c *Cache) Put(k string, e entry) {
    ///     c.mu.Lock()
    ///     defer c.mu.Unlock()
    ///     c.items[k] = e
    /// }
    /// ```
    ///
    /// Use instead: evict (`delete(c.items, k)` on expiry or past a size limit), or use a
    /// bounded cache.
    ///
    /// ## Fix safety
    /// No automatic fix: the right bound depends on the program.
    pub struct UnboundedFieldMap;
    code = "MG202", name = "unbounded-field-map", summary = "a map field of a long-lived type that only grows",
    severity = Warning, fixable = false,
}

impl Rule for UnboundedFieldMap {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, ctx: &PackageContext<'_>) {
        let long_lived = long_lived_types(ctx);
        for growing in growing_maps(ctx) {
            let MapRef::Field {
                type_name, field, ..
            } = &growing.target
            else {
                continue;
            };
            if !long_lived.contains(type_name.as_str()) {
                continue;
            }
            let message = format!(
                "map field {type_name}.{field} only grows: entries are added in {} but never deleted, cleared or replaced",
                growing.function.display_name()
            );
            let mut diagnostic = ctx.diagnostic(growing.function.file, growing.write.node, message);
            let declared = ctx.pkg.types.get(type_name).and_then(|t| match &t.ty {
                Type::Struct(fields) => fields
                    .iter()
                    .find(|f| f.name == *field)
                    .map(|f| (t.site.file, f.offset as usize)),
                _ => None,
            });
            if let Some((file, offset)) = declared {
                diagnostic = diagnostic.with_related(
                    ctx.location_of_range(file, offset, offset + field.len()),
                    "declared here",
                );
            }
            ctx.push(diagnostic);
        }
    }
}

/// Types of this package that hold a mutex, are held by a package variable, or are fields of
/// such types.
fn long_lived_types<'a>(ctx: &PackageContext<'a>) -> HashSet<&'a str> {
    let own = |ty: &Type| match ty.pointee() {
        Type::Named { pkg, name } if *pkg == ctx.pkg.path => ctx
            .pkg
            .types
            .get_key_value(name.as_str())
            .map(|(k, _)| k.as_str()),
        _ => None,
    };
    let mut set: HashSet<&'a str> = HashSet::new();
    for (name, decl) in &ctx.pkg.types {
        if let Type::Struct(fields) = &decl.ty {
            let has_mutex = fields.iter().any(|f| {
                let t = f.ty.pointee();
                t.is_named("sync", "Mutex") || t.is_named("sync", "RWMutex")
            });
            if has_mutex {
                set.insert(name.as_str());
            }
        }
    }
    for var in ctx.pkg.vars.values() {
        if let Some(name) = var.ty.as_ref().and_then(&own) {
            set.insert(name);
        }
    }
    loop {
        let before = set.len();
        let current: Vec<&str> = set.iter().copied().collect();
        for name in current {
            if let Some(Type::Struct(fields)) = ctx.pkg.types.get(name).map(|t| &t.ty) {
                set.extend(fields.iter().filter_map(|f| own(&f.ty)));
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

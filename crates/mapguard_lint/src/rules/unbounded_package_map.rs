use mapguard_go::index::MapRef;

use super::growth::growing_maps;
use crate::context::PackageContext;
use crate::declare_rule;
use crate::rule::{Rule, RuleInfo};

declare_rule! {
    /// ## What it does
    /// Finds an unexported package-level map that functions add keys to but that nothing in the
    /// package ever deletes from, clears or replaces, while a sibling package-level map keyed the
    /// same way loses those keys: `logout(token)` deletes `sessions[token]` and forgets
    /// `sessionIPs[token]`.
    ///
    /// ## Why is this bad?
    /// A package-level map lives as long as the process. If every request, connection or tenant
    /// adds a key and nothing removes one, the map is a memory leak with a slope: it holds every
    /// key ever seen, and Go maps never shrink, so even a later cleanup keeps the peak's buckets.
    ///
    /// Most package maps that are never deleted from are registries and memo tables bounded by
    /// what their keys can be: reported alone, 2 of 23 in eleven large projects were leaks. The
    /// rule therefore reports a map only when the code shows its keys come and go: a sibling
    /// package-level map with the same key type deletes the same key (by name) in a function
    /// named for an end (`logout`, `removeWorker`, `expireLease`). Writes in `init`,
    /// constructors, test files and registration functions (which panic on a duplicate) are not
    /// growth; nor are maps keyed by an enum, by constants, or guarded by a `len(m)` limit; a
    /// map passed to other code, which might delete from it, is left alone.
    ///
    /// ## Example
    /// ```go
    /// var (
    ///     sessions   = map[string]*Session{}
    ///     sessionIPs = map[string]string{}
    /// )
    ///
    /// func login(token, user, ip string) {
    ///     sessions[token] = &Session{User: user}
    ///     sessionIPs[token] = ip // never deleted
    /// }
    ///
    /// func logout(token string) {
    ///     delete(sessions, token)
    /// }
    /// ```
    ///
    /// Use instead: delete from every map keyed by the token (`delete(sessionIPs, token)` in
    /// `logout`), or keep one map of structs.
    ///
    /// ## Fix safety
    /// No automatic fix: which function should delete is the program's choice.
    pub struct UnboundedPackageMap;
    code = "MG201", name = "unbounded-package-map", summary = "a package-level map that only grows while a sibling map drops the same keys",
    severity = Warning, fixable = false,
}

impl Rule for UnboundedPackageMap {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, ctx: &PackageContext<'_>) {
        for growing in growing_maps(ctx) {
            let MapRef::Global { name, .. } = &growing.target else {
                continue;
            };
            let message = format!(
                "package-level map {name} only grows: entries are added in {} but never deleted, cleared or replaced",
                growing.function.display_name()
            );
            let mut diagnostic = growing.explain(ctx, message);
            let var = name.split('.').next().unwrap_or(name);
            if let Some(decl) = ctx.pkg.vars.get(var) {
                let offset = decl.site.offset as usize;
                diagnostic = diagnostic.with_related(
                    ctx.location_of_range(decl.site.file, offset, offset + var.len()),
                    "declared here",
                );
            }
            ctx.push(diagnostic);
        }
    }
}

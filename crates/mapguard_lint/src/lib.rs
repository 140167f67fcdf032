//! The rule framework (Rule trait, registry, suppression, settings) and the map-hazard rules.
//!
//! [`check`] runs every enabled rule over every package of a loaded program, in parallel, and
//! returns findings with suppressions applied. Nothing here prints.

mod concurrency;
pub mod context;
pub mod registry;
pub mod rule;
mod rules;
pub mod settings;
mod suppression;

use mapguard_diagnostics::{Diagnostic, sort_diagnostics};
use mapguard_go::index::Index;
use mapguard_go::{Package, Program};
use rayon::prelude::*;

pub use context::PackageContext;
pub use registry::{all_rules, find};
pub use rule::{Rule, RuleInfo};
pub use settings::{ConfigError, Settings};

/// Runs the enabled rules over every package. `settings` gives each package its module's settings.
pub fn check<'s>(
    program: &Program,
    index: &Index,
    settings: &(dyn Fn(&Package) -> &'s Settings + Sync),
) -> Vec<Diagnostic> {
    // Largest packages first, one at a time per worker: a big package started last would leave
    // the other cores idle while it finishes.
    let mut order: Vec<&Package> = program.packages.iter().collect();
    order.sort_by_cached_key(|p| {
        std::cmp::Reverse(p.files.iter().map(|f| f.text.len()).sum::<usize>())
    });
    let mut diagnostics: Vec<Diagnostic> = order
        .into_par_iter()
        .with_max_len(1)
        .flat_map_iter(|package| check_package(program, index, package, settings(package)))
        .collect();
    sort_diagnostics(&mut diagnostics);
    diagnostics
}

fn check_package(
    program: &Program,
    index: &Index,
    package: &Package,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let Some(pkg) = index.package(&package.import_path) else {
        return Vec::new();
    };
    let ctx = PackageContext::new(package, index, pkg, program.go_version(package), settings);
    for rule in registry::RULES
        .iter()
        .filter(|r| settings.enabled(r.info()))
    {
        ctx.run(*rule);
    }
    let enabled = |code: &str| registry::find(code).is_some_and(|r| settings.enabled(r));
    let found = std::mem::take(&mut *ctx.found_mut());
    let mut kept = suppression::apply(&ctx, found, &enabled);
    kept.retain(|d| {
        !settings.exclude.iter().any(|ex| {
            package
                .files
                .iter()
                .any(|f| f.display == d.location.path && f.path.starts_with(ex))
        })
    });
    kept
}

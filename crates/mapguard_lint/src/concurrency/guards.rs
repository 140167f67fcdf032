//! Which lock guards a map: an annotation, the "mu protects the fields below it" layout
//! convention, or a clear majority of the map's accesses holding it.

use std::collections::HashMap;
use std::sync::LazyLock;

use mapguard_go::index::{MapRef, Type};
use regex::Regex;

use super::locks::{State, is_lock_type};
use super::{AccessSite, ConcurrencyFacts};
use crate::context::PackageContext;

/// How a guard was inferred; shown in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Evidence {
    Annotation,
    Layout { mutex: String },
    Majority { locked: usize, total: usize },
}

impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Evidence::Annotation => write!(f, "annotation"),
            Evidence::Layout { mutex } => write!(f, "declared below {mutex}"),
            Evidence::Majority { locked, total } => {
                write!(f, "{locked} of {total} accesses hold it")
            }
        }
    }
}

/// A map's guard.
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    /// The lock: a field of the map's owner type, or a package variable.
    pub(crate) lock: MapRef,
    /// The lock's name as written after the base: `mu`, `RWMutex`, `codecsMu`.
    pub(crate) name: String,
    pub(crate) evidence: Evidence,
}

/// Minimum judged accesses, and the share of them that must hold a lock, for a majority guard
/// (GCatch uses 4 and 0.75; gVisor's checklocks suggests annotations at 0.9).
const MIN_ACCESSES: usize = 4;
const MIN_SHARE: f64 = 0.75;

static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:guarded|protected)\s+by\s+(?:\w+\.)?(\w+)|\+checklocks:(?:\w+\.)?(\w+)")
        .expect("valid regex")
});
static BLANK_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\n[ \t]*\r?\n").expect("valid regex"));

/// Infers the guard of every map of this package that has accesses.
pub(crate) fn infer(
    ctx: &PackageContext<'_>,
    facts: &ConcurrencyFacts<'_>,
) -> HashMap<MapRef, Guard> {
    let mut by_map: HashMap<&MapRef, Vec<&AccessSite>> = HashMap::new();
    for site in &facts.sites {
        by_map.entry(&site.target).or_default().push(site);
    }
    let mut guards = HashMap::new();
    for (target, sites) in by_map {
        let declared = declared_guard(ctx, target);
        let guard = match declared {
            // An annotation or the layout convention, confirmed by the accesses: the mutex is
            // held somewhere, and no other lock of the struct is held more often (a long field
            // list can put a special-purpose mutex above a map that another lock guards; a
            // comment can outlive a change of lock).
            Some(guard) => {
                let counts = held_counts(ctx, target, &sites);
                let own = counts.get(&guard.lock).copied().unwrap_or(0);
                if own == 0 || counts.values().any(|&n| n > own) {
                    majority_guard(ctx, target, &sites)
                } else {
                    Some(guard)
                }
            }
            None => majority_guard(ctx, target, &sites),
        };
        if let Some(guard) = guard {
            guards.insert(target.clone(), guard);
        }
    }
    guards
}

/// Annotation or layout evidence from the declaration.
pub(crate) fn declared_guard(ctx: &PackageContext<'_>, target: &MapRef) -> Option<Guard> {
    match target {
        MapRef::Field {
            pkg,
            type_name,
            field,
        } => {
            let decl = ctx.index.type_decl(pkg, type_name)?;
            let Type::Struct(fields) = &decl.ty else {
                return None;
            };
            let position = fields.iter().position(|f| f.name == *field)?;
            let this = &fields[position];
            if let Some(name) = this.comment.as_deref().and_then(annotated_lock) {
                // "protected by s.mu" naming a lock of another type (the struct has no such
                // field) says nothing this analysis can check.
                if !fields.iter().any(|f| f.name == name) {
                    return None;
                }
                let lock = MapRef::Field {
                    pkg: pkg.clone(),
                    type_name: type_name.clone(),
                    field: name.clone(),
                };
                return Some(Guard {
                    lock,
                    name,
                    evidence: Evidence::Annotation,
                });
            }
            let file = ctx.files().get(decl.site.file)?;
            // The nearest mutex above, with no blank line and no other mutex in between.
            let mutex = fields[..position]
                .iter()
                .rev()
                .find(|f| is_lock_type(&f.ty))?;
            let between = file.text.get(mutex.offset as usize..this.offset as usize)?;
            if BLANK_LINE.is_match(between) {
                return None;
            }
            let lock = MapRef::Field {
                pkg: pkg.clone(),
                type_name: type_name.clone(),
                field: mutex.name.clone(),
            };
            Some(Guard {
                lock,
                name: mutex.name.clone(),
                evidence: Evidence::Layout {
                    mutex: mutex.name.clone(),
                },
            })
        }
        MapRef::Global { pkg, name } if *pkg == ctx.pkg.path => {
            let var = ctx.pkg.vars.get(name)?;
            let file = ctx.files().get(var.site.file)?;
            if let Some(lock) = line_comment(&file.text, var.site.offset as usize)
                .as_deref()
                .and_then(annotated_lock)
            {
                if !ctx.pkg.vars.contains_key(&lock) {
                    return None;
                }
                return Some(Guard {
                    lock: MapRef::Global {
                        pkg: pkg.clone(),
                        name: lock.clone(),
                    },
                    name: lock,
                    evidence: Evidence::Annotation,
                });
            }
            // A mutex declared above in the same `var ( … )` block, no blank line between.
            let mutex = ctx
                .pkg
                .vars
                .values()
                .filter(|v| {
                    v.site.file == var.site.file
                        && v.site.offset < var.site.offset
                        && v.ty.as_ref().is_some_and(is_lock_type)
                })
                .max_by_key(|v| v.site.offset)?;
            let between = file
                .text
                .get(mutex.site.offset as usize..var.site.offset as usize)?;
            if BLANK_LINE.is_match(between) || between.contains(')') || between.contains("var ") {
                return None;
            }
            let lock = MapRef::Global {
                pkg: pkg.clone(),
                name: mutex.name.clone(),
            };
            Some(Guard {
                lock,
                name: mutex.name.clone(),
                evidence: Evidence::Layout {
                    mutex: mutex.name.clone(),
                },
            })
        }
        _ => None,
    }
}

/// The lock an annotation names; "not guarded by mu" is not an annotation.
fn annotated_lock(comment: &str) -> Option<String> {
    ANNOTATION.captures_iter(comment).find_map(|caps| {
        let start = caps.get(0)?.start();
        let before = comment[..start].trim_end().to_ascii_lowercase();
        if before.ends_with("not") || before.ends_with("n't") || before.ends_with("never") {
            return None;
        }
        caps.get(1)
            .or_else(|| caps.get(2))
            .map(|m| m.as_str().to_string())
    })
}

/// The comment on a declaration's line or the comment lines directly above it.
fn line_comment(text: &str, offset: usize) -> Option<String> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let mut comments = Vec::new();
    if let Some(i) = text[offset..line_end].find("//") {
        comments.push(&text[offset + i..line_end]);
    }
    let mut above = &text[..line_start];
    while let Some(line) = above
        .strip_suffix('\n')
        .map(|rest| (rest, rest.rfind('\n').map_or(0, |i| i + 1)))
    {
        let (rest, start) = line;
        let candidate = rest[start..].trim();
        if !candidate.starts_with("//") {
            break;
        }
        comments.push(candidate);
        above = &rest[..start];
    }
    (!comments.is_empty()).then(|| comments.join("\n"))
}

/// How many of the map's judged accesses hold each candidate lock.
fn held_counts<'s>(
    ctx: &PackageContext<'_>,
    target: &MapRef,
    sites: &[&'s AccessSite],
) -> HashMap<&'s MapRef, usize> {
    let mut counts: HashMap<&MapRef, usize> = HashMap::new();
    for site in sites.iter().filter(|s| s.judged) {
        if let State::Known(held) = &site.state {
            for h in held
                .iter()
                .filter(|h| h.base == site.base && is_candidate(ctx, target, &h.lock))
            {
                *counts.entry(&h.lock).or_default() += 1;
            }
        }
    }
    counts
}

/// A lock held at a clear majority of the map's judged accesses.
fn majority_guard(
    ctx: &PackageContext<'_>,
    target: &MapRef,
    sites: &[&AccessSite],
) -> Option<Guard> {
    let judged: Vec<&&AccessSite> = sites
        .iter()
        .filter(|s| s.judged && matches!(s.state, State::Known(_)))
        .collect();
    if judged.len() < MIN_ACCESSES {
        return None;
    }
    // Of the locks held often enough, the one writes hold in write mode: a lock only ever
    // read-locked around writes (one that keeps `Flush` out) does not serialise them.
    let write_holds = |lock: &MapRef| {
        judged
            .iter()
            .filter(|s| s.is_write && s.holds(lock, true))
            .count()
    };
    let (lock, locked) = held_counts(ctx, target, sites)
        .into_iter()
        .filter(|(_, n)| *n as f64 / judged.len() as f64 >= MIN_SHARE)
        .max_by_key(|(lock, n)| (write_holds(lock), *n))?;
    let name = match lock {
        MapRef::Field { field, .. } => field.clone(),
        MapRef::Global { name, .. } | MapRef::Local { name, .. } => name.clone(),
    };
    Some(Guard {
        lock: lock.clone(),
        name,
        evidence: Evidence::Majority {
            locked,
            total: judged.len(),
        },
    })
}

/// A lock that could guard the map: a sibling field of the same struct, or a package variable.
fn is_candidate(_ctx: &PackageContext<'_>, target: &MapRef, lock: &MapRef) -> bool {
    match (target, lock) {
        (
            MapRef::Field { pkg, type_name, .. },
            MapRef::Field {
                pkg: lp,
                type_name: lt,
                ..
            },
        ) => pkg == lp && type_name == lt,
        (_, MapRef::Global { .. }) => true,
        _ => false,
    }
}

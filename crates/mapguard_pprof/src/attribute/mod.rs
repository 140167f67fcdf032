//! Which maps hold the memory: each sample's leaf line joined with a [`MapSiteIndex`], its `bytes`
//! label checked against the allocation sizes the map type can produce.
//!
//! A sample is map memory when
//! - a map runtime frame survived at the top of its stack (godeltaprof-style profiles), or its leaf
//!   is one of the runtime's map functions linknamed elsewhere (`reflect.mapassign*`,
//!   `reflect.makemap`, `maps.clone`) — then the first non-standard-library frame is its site; or
//! - its leaf line is a map site of the index and, when the map's type is known, the object size
//!   is one the type's map can allocate (`mapguard_runtime`'s [`MapModel::allocation_sizes`]).
//!   Other allocations on such a line are reported as the line's value bytes.
//!
//! Sizes that only per-map singletons produce (header, directory, `mapextra`) are accepted at a
//! write line only while their object count is plausible next to the line's arrays and tables;
//! otherwise they are the line's values (a key string and a directory can both be 16 bytes).

mod models;
mod report;

use std::collections::HashMap;

use mapguard_runtime::map::{AllocKind, Counted};
use mapguard_runtime::types::{Arch, StdTypes, TypeResolver};
use mapguard_runtime::version::{GoVersion, Target};

use crate::error::DecodeError;
use crate::frames;
use crate::profile::{Frame, HeapProfile, Sample};
use crate::sample::SampleKind;
use crate::sites::{MapSite, MapSiteIndex};

pub use models::Models;
pub use report::{Amount, Attribution, MapReport, PartAmount, Role, SiteRef, Unchecked};

/// How to attribute.
#[derive(Clone, Copy)]
pub struct Options<'a> {
    /// The value to rank by; the object/space pair of its family is reported.
    pub sample: SampleKind,
    /// The Go release and map implementation that wrote the profile; `None` infers it from the
    /// allocation sizes at typed sites (Go 1.26 Swiss vs Go 1.23 classic), defaulting to 1.26.
    pub target: Option<Target>,
    /// Source lines that operate on maps; `None` attributes only what the stacks themselves prove.
    pub index: Option<&'a dyn MapSiteIndex>,
    /// Estimate each map's entry count ([`MapReport::entries`], inuse samples only). The search
    /// over the size model costs milliseconds per map; callers that never show entries skip it.
    pub entries: bool,
}

/// The Go releases tried when the profile's Go version is not given.
pub fn candidate_targets() -> [Target; 2] {
    [
        Target::new(GoVersion::new(26), Arch::Amd64),
        Target::new(GoVersion::new(23), Arch::Amd64),
    ]
}

/// Attributes the heap memory of `profile` to maps.
pub fn attribute(profile: &HeapProfile, options: &Options<'_>) -> Result<Attribution, DecodeError> {
    let bytes_at = profile.value_index(options.sample.space())?;
    let objects_at = profile.value_index(options.sample.objects())?;
    let (located, sites) = locate_all(profile, options.index);
    let resolver = options
        .index
        .map_or(&StdTypes as &dyn TypeResolver, |i| i.types());
    let (target, inferred) = match options.target {
        Some(t) => (t, false),
        None => {
            // alloc_space never drops to zero, so it ranks versions even when maps were freed.
            let score_at = profile
                .value_index(SampleKind::AllocSpace)
                .unwrap_or(bytes_at);
            (
                infer_target(profile, &located, &sites, resolver, score_at),
                true,
            )
        }
    };
    let mut models = Models::new(target, resolver);
    let mut att = Attribution::new(options.sample, target, inferred);
    att.total = Amount {
        bytes: profile.total(bytes_at),
        objects: profile.total(objects_at),
    };

    // First pass: a role per sample; singleton-only sizes wait for the second pass.
    let mut pending = Vec::new();
    let mut anchors: HashMap<Frame, i64> = HashMap::new();
    // The report of each map-site frame (the same for every sample there).
    let mut site_reports: HashMap<Frame, usize> = HashMap::new();
    att.roles = Vec::with_capacity(profile.samples.len());
    for (n, (sample, loc)) in profile.samples.iter().zip(&located).enumerate() {
        let amount = Amount {
            bytes: profile.sample_value(sample, bytes_at),
            objects: profile.sample_value(sample, objects_at),
        };
        let role = match loc {
            Located::NotMap => Role::Other,
            Located::Unchecked(frame) => {
                att.unchecked.add(amount, *frame);
                Role::Other
            }
            Located::MapEvidence { frame, via, site } => {
                let site = site.map(|s| &sites[s]);
                let part = site.and_then(|s| {
                    models
                        .part_of(s, sample.bytes, true)
                        .and_then(|k| k.first().copied())
                });
                let report = att.report_for(profile, *frame, site, Some(via.as_str()));
                att.add_map(report, *frame, amount, part);
                Role::Map { report, part }
            }
            Located::Site { frame, site } => {
                let site = &sites[*site];
                let report = *site_reports
                    .entry(*frame)
                    .or_insert_with(|| att.report_for(profile, *frame, Some(site), None));
                match classify_size(&mut models, site, sample) {
                    SizeMatch::Map(part) => {
                        if part.is_some_and(|p| !is_singleton(p)) {
                            let anchor = anchors.entry(*frame).or_default();
                            *anchor = anchor.saturating_add(amount.objects);
                        }
                        att.add_map(report, *frame, amount, part);
                        Role::Map { report, part }
                    }
                    SizeMatch::Singleton(part) => {
                        pending.push((n, report, *frame, amount, part));
                        Role::Other
                    }
                    SizeMatch::Value => {
                        att.add_value(report, *frame, amount);
                        Role::Value { report }
                    }
                }
            }
        };
        att.roles.push(role);
    }
    for (n, report, frame, amount, part) in pending {
        let anchor = anchors.get(&frame).copied().unwrap_or(0).max(1);
        att.roles[n] = if amount.objects <= anchor {
            att.add_map(report, frame, amount, Some(part));
            Role::Map {
                report,
                part: Some(part),
            }
        } else {
            att.add_value(report, frame, amount);
            Role::Value { report }
        };
    }
    att.finish(
        &mut models,
        options.entries && options.sample.is_inuse(),
        Counted::Total,
    );
    Ok(att)
}

/// Where a sample's memory goes, before sizes are checked.
enum Located {
    /// Not at a map site (or no map evidence).
    NotMap,
    /// At a user line, but there is no source index to tell whether it is a map site.
    Unchecked(Frame),
    /// The stack proves a map allocation (`via` is the proving function; `site` indexes the
    /// sites [`locate_all`] returns).
    MapEvidence {
        frame: Frame,
        via: String,
        site: Option<usize>,
    },
    /// The leaf line is a map site.
    Site { frame: Frame, site: usize },
}

/// Where each sample's memory goes, and the map sites the answers refer to (each looked up once).
fn locate_all(
    profile: &HeapProfile,
    index: Option<&dyn MapSiteIndex>,
) -> (Vec<Located>, Vec<MapSite>) {
    let mut sites = Vec::new();
    let mut site_of: HashMap<Frame, Option<usize>> = HashMap::new();
    let mut lookup = |frame: Frame| -> Option<usize> {
        let index = index?;
        *site_of.entry(frame).or_insert_with(|| {
            let f = profile.function(frame);
            let site = index.site_at(&f.file, frame.line)?;
            sites.push(site);
            Some(sites.len() - 1)
        })
    };
    // Whether each function is in the standard library, decided once per function.
    let mut std = vec![None; profile.functions.len()];
    let mut is_std = |frame: Frame| -> bool {
        *std[frame.function as usize]
            .get_or_insert_with(|| frames::is_std(&profile.function(frame).name))
    };
    let located = profile
        .samples
        .iter()
        .map(|sample| locate(profile, sample, index.is_some(), &mut lookup, &mut is_std))
        .collect();
    (located, sites)
}

fn locate(
    profile: &HeapProfile,
    sample: &Sample,
    have_index: bool,
    lookup: &mut impl FnMut(Frame) -> Option<usize>,
    is_std: &mut impl FnMut(Frame) -> bool,
) -> Located {
    let mut stack = profile.stack(sample);
    let Some(leaf) = stack.next() else {
        return Located::NotMap;
    };
    let leaf_name = profile.function(leaf).name.as_str();
    let evidence = if frames::is_runtime(leaf_name) {
        let mut via = frames::is_map_runtime(leaf_name).then(|| leaf_name.to_owned());
        let mut user = None;
        for frame in stack.by_ref() {
            let name = profile.function(frame).name.as_str();
            if !frames::is_runtime(name) {
                user = Some(frame);
                break;
            }
            if via.is_none() && frames::is_map_runtime(name) {
                via = Some(name.to_owned());
            }
        }
        match (via, user) {
            (Some(via), Some(user)) => Some((user, via)),
            _ => return Located::NotMap,
        }
    } else if frames::is_map_leaf(leaf_name) {
        let mut last = leaf;
        let user = stack
            .inspect(|f| last = *f)
            .find(|f| !is_std(*f))
            .unwrap_or(last);
        Some((user, leaf_name.to_owned()))
    } else {
        None
    };
    match evidence {
        Some((frame, via)) => Located::MapEvidence {
            frame,
            via,
            site: lookup(frame),
        },
        None if !have_index => {
            if is_std(leaf) {
                Located::NotMap
            } else {
                Located::Unchecked(leaf)
            }
        }
        None => match lookup(leaf) {
            Some(site) => Located::Site { frame: leaf, site },
            None => Located::NotMap,
        },
    }
}

enum SizeMatch {
    /// Map memory; the part when the type is known.
    Map(Option<AllocKind>),
    /// Only per-map singleton parts have this size: decided by object counts.
    Singleton(AllocKind),
    /// Not a size this map allocates at this kind of site.
    Value,
}

fn classify_size(models: &mut Models<'_>, site: &MapSite, sample: &Sample) -> SizeMatch {
    if site.map_type.is_none() {
        return SizeMatch::Map(None);
    }
    let Some(kinds) = models.part_of(site, sample.bytes, site.kind.creates_map()) else {
        // The type could not be modelled (unknown named type): sizes cannot be checked.
        return if models.has_model(site) {
            SizeMatch::Value
        } else {
            SizeMatch::Map(None)
        };
    };
    match kinds.iter().find(|k| !is_singleton(**k)) {
        Some(&k) => SizeMatch::Map(Some(k)),
        None => match kinds.first() {
            Some(&k) if site.kind.creates_map() => SizeMatch::Map(Some(k)),
            Some(&k) => SizeMatch::Singleton(k),
            None => SizeMatch::Value,
        },
    }
}

/// Parts a map allocates at most once per map (at a time).
fn is_singleton(kind: AllocKind) -> bool {
    matches!(
        kind,
        AllocKind::Header
            | AllocKind::MapExtra
            | AllocKind::Directory
            | AllocKind::SmallGroup
            | AllocKind::OverflowList
    )
}

/// The candidate target whose allocation sizes explain the most bytes at typed sites.
fn infer_target(
    profile: &HeapProfile,
    located: &[Located],
    sites: &[MapSite],
    resolver: &dyn TypeResolver,
    score_at: usize,
) -> Target {
    let mut best = (candidate_targets()[0], -1i64);
    for target in candidate_targets() {
        let mut models = Models::new(target, resolver);
        let mut matched = 0i64;
        for (sample, loc) in profile.samples.iter().zip(located) {
            if let Located::Site { site, .. } = loc
                && let site = &sites[*site]
                && site.map_type.is_some()
                && models
                    .part_of(site, sample.bytes, site.kind.creates_map())
                    .is_some_and(|k| !k.is_empty())
            {
                matched = matched.saturating_add(profile.sample_value(sample, score_at).max(0));
            }
        }
        if matched > best.1 {
            best = (target, matched);
        }
    }
    best.0
}

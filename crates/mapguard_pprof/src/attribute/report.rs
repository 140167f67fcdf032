//! The result of attribution: maps ranked by memory, with their sites, parts and entry estimates.

use std::collections::{BTreeMap, HashMap, HashSet};

use mapguard_runtime::map::{AllocKind, Counted, EntryEstimate};
use mapguard_runtime::version::Target;
use serde::Serialize;

use super::models::Models;
use crate::profile::{Frame, HeapProfile};
use crate::sample::SampleKind;
use crate::sites::{MapSite, SiteKind};

/// Bytes and objects of one sample family (inuse or alloc).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Amount {
    pub bytes: i64,
    pub objects: i64,
}

impl Amount {
    fn add(&mut self, other: Amount) {
        self.bytes = self.bytes.saturating_add(other.bytes);
        self.objects = self.objects.saturating_add(other.objects);
    }

    /// The amount `sample` ranks by.
    pub fn value(&self, sample: SampleKind) -> i64 {
        if sample.is_space() {
            self.bytes
        } else {
            self.objects
        }
    }
}

/// What attribution decided for one sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Not map memory (or not known to be).
    Other,
    /// Map memory of `maps[report]`, of the given part when the type is known.
    Map {
        report: usize,
        part: Option<AllocKind>,
    },
    /// Allocated on a map site's line, but not by the map (the value or key being stored).
    Value { report: usize },
}

/// One line of a map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteRef {
    pub file: String,
    pub line: u32,
    pub function: String,
    /// The operation, when the source index knows the line.
    pub kind: Option<SiteKind>,
    pub map: Amount,
    pub values: Amount,
    #[serde(skip)]
    frame: Option<Frame>,
}

/// Memory of one map part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartAmount {
    pub part: AllocKind,
    pub label: &'static str,
    pub bytes: i64,
    pub objects: i64,
}

/// One map (all sites with the same name) or one map site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapReport {
    /// Stable key across profiles: `name` plus type, or `file:line`.
    pub key: String,
    pub name: Option<String>,
    pub map_type: Option<String>,
    /// The stack frame that proves map memory without source (`reflect.mapassign_faststr0`,
    /// `maps.clone`, `internal/runtime/maps.newarray`), if any.
    pub via: Option<String>,
    pub sites: Vec<SiteRef>,
    /// Map structure and out-of-line keys/values.
    pub map: Amount,
    /// Other allocations on the map's lines (values and keys being stored).
    pub values: Amount,
    /// Map bytes by part (known when the type is).
    pub parts: Vec<PartAmount>,
    /// Entries that explain `map.bytes` (inuse only, typed maps only, assuming one map).
    pub entries: Option<EntryEstimate>,
}

/// Allocations at user lines that could not be checked for map operations (no source index).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Unchecked {
    pub amount: Amount,
    pub lines: usize,
    #[serde(skip)]
    seen: HashSet<Frame>,
}

impl Unchecked {
    pub(super) fn add(&mut self, amount: Amount, frame: Frame) {
        self.amount.add(amount);
        if self.seen.insert(frame) {
            self.lines += 1;
        }
    }
}

/// Which maps hold a profile's memory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribution {
    pub sample: SampleKind,
    #[serde(serialize_with = "target_string")]
    pub target: Target,
    /// Whether `target` was inferred from allocation sizes (else given).
    pub target_inferred: bool,
    /// The whole profile, in the sample's family.
    pub total: Amount,
    /// All map memory.
    pub map_total: Amount,
    /// Maps, largest first by the sample type.
    pub maps: Vec<MapReport>,
    pub unchecked: Unchecked,
    /// One role per profile sample.
    #[serde(skip)]
    pub roles: Vec<Role>,
    #[serde(skip)]
    keys: HashMap<String, usize>,
}

fn target_string<S: serde::Serializer>(t: &Target, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_string())
}

impl Attribution {
    pub(super) fn new(sample: SampleKind, target: Target, target_inferred: bool) -> Self {
        Self {
            sample,
            target,
            target_inferred,
            total: Amount::default(),
            map_total: Amount::default(),
            maps: Vec::new(),
            unchecked: Unchecked::default(),
            roles: Vec::new(),
            keys: HashMap::new(),
        }
    }

    /// The report index for a map at `frame`.
    pub(super) fn report_for(
        &mut self,
        profile: &HeapProfile,
        frame: Frame,
        site: Option<&MapSite>,
        via: Option<&str>,
    ) -> usize {
        let function = profile.function(frame);
        let map_type = site.and_then(|s| s.map_type.clone());
        let name = site.and_then(|s| s.name.clone());
        let key = match &name {
            Some(name) => format!("{name} {}", map_type.as_deref().unwrap_or("map")),
            None => format!("{}:{}", function.file, frame.line),
        };
        let index = *self.keys.entry(key.clone()).or_insert_with(|| {
            self.maps.push(MapReport {
                key,
                name,
                map_type: map_type.clone(),
                via: None,
                sites: Vec::new(),
                map: Amount::default(),
                values: Amount::default(),
                parts: Vec::new(),
                entries: None,
            });
            self.maps.len() - 1
        });
        let report = &mut self.maps[index];
        if report.via.is_none() {
            report.via = via.map(str::to_owned);
        }
        if report.map_type.is_none() {
            report.map_type = map_type;
        }
        if !report.sites.iter().any(|s| s.frame == Some(frame)) {
            report.sites.push(SiteRef {
                file: function.file.clone(),
                line: frame.line,
                function: function.name.clone(),
                kind: site.map(|s| s.kind),
                map: Amount::default(),
                values: Amount::default(),
                frame: Some(frame),
            });
        }
        index
    }

    pub(super) fn add_map(
        &mut self,
        report: usize,
        frame: Frame,
        amount: Amount,
        part: Option<AllocKind>,
    ) {
        self.map_total.add(amount);
        let r = &mut self.maps[report];
        r.map.add(amount);
        if let Some(part) = part {
            match r.parts.iter_mut().find(|p| p.part == part) {
                Some(p) => {
                    p.bytes = p.bytes.saturating_add(amount.bytes);
                    p.objects = p.objects.saturating_add(amount.objects);
                }
                None => r.parts.push(PartAmount {
                    part,
                    label: part.label(),
                    bytes: amount.bytes,
                    objects: amount.objects,
                }),
            }
        }
        self.add_to_site(report, frame, amount, true);
    }

    pub(super) fn add_value(&mut self, report: usize, frame: Frame, amount: Amount) {
        self.maps[report].values.add(amount);
        self.add_to_site(report, frame, amount, false);
    }

    fn add_to_site(&mut self, report: usize, frame: Frame, amount: Amount, map: bool) {
        let site = self.maps[report]
            .sites
            .iter_mut()
            .find(|s| s.frame == Some(frame));
        if let Some(site) = site {
            if map {
                site.map.add(amount);
            } else {
                site.values.add(amount);
            }
        }
    }

    /// Sorts maps and parts, and estimates entry counts when `estimate` (inuse values only).
    pub(super) fn finish(&mut self, models: &mut Models<'_>, estimate: bool, counted: Counted) {
        let sample = self.sample;
        for r in &mut self.maps {
            r.parts
                .sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.part.cmp(&b.part)));
            r.sites
                .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            if estimate
                && r.map.bytes > 0
                && let Some(model) = r.map_type.as_deref().and_then(|t| models.model(t))
            {
                // The header is made by `make` on another line when this is a write site.
                let header = if r.parts.iter().any(|p| p.part == AllocKind::Header) {
                    0
                } else {
                    model.footprint(0, None).header
                };
                r.entries =
                    model.estimate_entries((r.map.bytes as u64).saturating_add(header), counted);
            }
        }
        self.maps
            .retain(|r| r.map.objects != 0 || r.map.bytes != 0 || r.values.bytes != 0);
        self.maps.sort_by(|a, b| {
            b.map
                .value(sample)
                .cmp(&a.map.value(sample))
                .then_with(|| a.key.cmp(&b.key))
        });
        // Roles refer to report indices; remap them after sorting.
        let order: HashMap<&str, usize> = self
            .maps
            .iter()
            .enumerate()
            .map(|(i, r)| (r.key.as_str(), i))
            .collect();
        let old: HashMap<usize, usize> = self
            .keys
            .iter()
            .filter_map(|(k, &old)| order.get(k.as_str()).map(|&new| (old, new)))
            .collect();
        for role in &mut self.roles {
            *role = match *role {
                Role::Map { report, part } => match old.get(&report) {
                    Some(&report) => Role::Map { report, part },
                    None => Role::Other,
                },
                Role::Value { report } => match old.get(&report) {
                    Some(&report) => Role::Value { report },
                    None => Role::Other,
                },
                Role::Other => Role::Other,
            };
        }
        self.keys = order.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    }

    /// Map bytes by part over all maps (for summaries).
    pub fn parts_total(&self) -> BTreeMap<&'static str, i64> {
        let mut out = BTreeMap::new();
        for r in &self.maps {
            for p in &r.parts {
                let total = out.entry(p.label).or_default();
                *total = p.bytes.saturating_add(*total);
            }
        }
        out
    }
}

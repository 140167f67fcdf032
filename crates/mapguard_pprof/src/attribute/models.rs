//! Map models per type expression, cached: which parts of a map allocate objects of a given size.

use std::collections::HashMap;

use mapguard_runtime::map::{AllocKind, MapModel};
use mapguard_runtime::types::{TypeResolver, parse_type};
use mapguard_runtime::version::Target;

use crate::sites::MapSite;

/// Largest entry count whose allocation sizes are enumerated (far above any real map).
const MAX_ENTRIES: u64 = 1 << 40;

struct Sizes {
    model: MapModel,
    by_size: HashMap<u64, Vec<AllocKind>>,
}

/// Cached [`MapModel`]s for the map types of one attribution.
pub struct Models<'a> {
    target: Target,
    resolver: &'a dyn TypeResolver,
    cache: HashMap<String, Option<Sizes>>,
}

impl<'a> Models<'a> {
    pub fn new(target: Target, resolver: &'a dyn TypeResolver) -> Self {
        Self {
            target,
            resolver,
            cache: HashMap::new(),
        }
    }

    fn sizes(&mut self, map_type: &str) -> Option<&Sizes> {
        let (target, resolver) = (self.target, self.resolver);
        self.cache
            .entry(map_type.to_owned())
            .or_insert_with(|| {
                let ty = parse_type(map_type).ok()?;
                let (key, value) = ty.as_map()?;
                let model = MapModel::for_types(key, value, target, resolver).ok()?;
                let mut by_size: HashMap<u64, Vec<AllocKind>> = HashMap::new();
                for a in model.allocation_sizes(MAX_ENTRIES) {
                    let kinds = by_size.entry(a.bytes).or_default();
                    if !kinds.contains(&a.kind) {
                        kinds.push(a.kind);
                    }
                }
                Some(Sizes { model, by_size })
            })
            .as_ref()
    }

    /// The model of a map type, when it can be built.
    pub fn model(&mut self, map_type: &str) -> Option<MapModel> {
        self.sizes(map_type).map(|s| s.model)
    }

    /// Whether the site's type has a model.
    pub fn has_model(&mut self, site: &MapSite) -> bool {
        site.map_type
            .as_deref()
            .is_some_and(|t| self.sizes(t).is_some())
    }

    /// The parts of the site's map that allocate objects of `bytes` (header only where a map is
    /// created), or `None` when the type has no model or the sample has no size.
    pub fn part_of(
        &mut self,
        site: &MapSite,
        bytes: Option<i64>,
        creates_map: bool,
    ) -> Option<Vec<AllocKind>> {
        let size = u64::try_from(bytes?).ok()?;
        let sizes = self.sizes(site.map_type.as_deref()?)?;
        let mut kinds = sizes.by_size.get(&size).cloned().unwrap_or_default();
        if !creates_map {
            kinds.retain(|k| *k != AllocKind::Header);
        }
        Some(kinds)
    }
}

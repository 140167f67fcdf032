//! Memory models of Go maps: the classic bucket map and the Swiss table.
//!
//! Build a [`MapModel`] from a [`MapShape`] (the layout of one `map[K]V`) and a
//! [`Target`](crate::version::Target) (Go release, architecture, implementation), then ask:
//!
//! - [`MapModel::footprint`]: live bytes after inserting `n` distinct keys into
//!   `make(map[K]V, hint)`, broken down by [`Footprint`] part. This is what `runtime.MemStats`'
//!   `HeapAlloc` grows by and what an inuse heap profile attributes to the map (the map is assumed
//!   to escape to the heap).
//! - [`MapModel::growth_steps`]: the entry counts at which the structure grows, with bytes there.
//! - [`MapModel::after_delete`], [`MapModel::after_clear`], [`MapModel::after_reassign`]: what is
//!   still held after deleting entries, after `clear(m)`, and after `m = make(map[K]V)`.
//! - [`MapModel::allocation_sizes`]: every object size (as a heap profile records it: size class
//!   with malloc header, or whole pages) a map of this type can allocate, labelled by
//!   [`AllocKind`]. Use it to recognise map allocations in heap profiles.
//! - [`MapModel::estimate_entries`]: the inverse, entry counts that explain an observed byte total.
//!
//! Where the runtime is random (classic overflow buckets, Swiss table splits), figures are expected
//! values from the binomial distribution of keys over buckets or hash prefixes (for hinted Swiss
//! maps and classic overflow counts, the most likely configuration), and [`Footprint::exact`] says
//! whether the answer is deterministic.
//!
//! ```
//! use mapguard_runtime::map::{AllocKind, Counted, MapModel};
//! use mapguard_runtime::types::{Arch, NoTypes, parse_type};
//! use mapguard_runtime::version::{GoVersion, Target};
//!
//! let ty = parse_type("map[int64]int64").unwrap();
//! let (k, v) = ty.as_map().unwrap();
//! let go126 = Target::new(GoVersion::new(26), Arch::Amd64);
//! let model = MapModel::for_types(k, v, go126, &NoTypes).unwrap();
//!
//! // make(map[int64]int64, 1e6) filled: 2048 tables of 1024 slots (runtime-anchors §8).
//! assert_eq!(model.footprint(1_000_000, Some(1_000_000)).total(), 37_832_752);
//!
//! // A heap-profile sample of 18,432 bytes at a line that grows this map is a full table's groups
//! // (or the 2048-entry directory): both are sizes this map type allocates.
//! let kinds: Vec<AllocKind> = model
//!     .allocation_sizes(1_000_000)
//!     .into_iter()
//!     .filter(|a| a.bytes == 18_432)
//!     .map(|a| a.kind)
//!     .collect();
//! assert_eq!(kinds, [AllocKind::GroupArray, AllocKind::Directory]);
//!
//! // And 18,520 bytes of map storage means one 1024-slot table: 449..=896 entries.
//! let e = model.estimate_entries(18_520, Counted::Structure).unwrap();
//! assert_eq!((e.low, e.high), (449, 896));
//! ```

mod classic;
mod estimate;
mod shape;
mod swiss;

use serde::Serialize;

pub use estimate::{Counted, EntryEstimate};
pub use shape::{MAX_INLINE_BYTES, MapShape, SLOTS};

use crate::alloc::Allocator;
use crate::types::{GoType, SizeError, TypeResolver};
use crate::version::{MapImpl, Target};
use shape::RuntimeStructs;

/// Live bytes of one map, by part. Every figure is in consumed bytes (size classes and pages).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Footprint {
    /// `hmap` (classic) or `maps.Map` (Swiss).
    pub header: u64,
    /// Classic: the current bucket array (with its preallocated overflow buckets).
    /// Swiss: the group arrays of every table, or the single group of a small map.
    pub buckets: u64,
    /// Classic: heap-allocated overflow buckets beyond the preallocated ones, plus (for noscan
    /// buckets) the `[]*bmap` list that keeps them alive.
    pub overflow: u64,
    /// Classic, mid-growth only: the old bucket array and its overflow buckets, alive until
    /// evacuation finishes.
    pub old_buckets: u64,
    /// Classic: `mapextra`.
    pub extra: u64,
    /// Swiss: the `table` structs.
    pub tables: u64,
    /// Swiss: the table directory (`[]*table`).
    pub directory: u64,
    /// Objects holding out-of-line keys (keys over 128 bytes), one per live entry.
    pub out_of_line_keys: u64,
    /// Objects holding out-of-line values (values over 128 bytes), one per live entry.
    pub out_of_line_values: u64,
    /// Whether the figure is certain (no random overflow or split counts involved).
    pub exact: bool,
    /// What the structure looks like.
    pub structure: Structure,
}

impl Footprint {
    /// Everything the map holds.
    pub fn total(&self) -> u64 {
        self.map_structure() + self.out_of_line_keys + self.out_of_line_values
    }

    /// The map's own structure, without out-of-line keys and values.
    pub fn map_structure(&self) -> u64 {
        self.header
            + self.buckets
            + self.overflow
            + self.old_buckets
            + self.extra
            + self.tables
            + self.directory
    }
}

/// The shape of the map's storage at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Structure {
    /// Only the header (no entries and no hint above 8).
    #[default]
    Empty,
    /// Classic: `2^b` buckets plus preallocated overflow, `buckets` slots in the array.
    Buckets {
        b: u32,
        buckets: u64,
        /// Expected overflow buckets in use (preallocated or not).
        expected_overflow: f64,
        /// Probability the map is still evacuating its previous array.
        growing: f64,
    },
    /// Swiss small map: one group of 8 slots, no table.
    SmallGroup,
    /// Swiss: tables under a directory.
    Tables {
        /// Expected number of tables.
        tables: f64,
        /// Capacity (slots) of the first table; 1024 for every table once tables split.
        capacity: u64,
        /// Expected directory length.
        directory_len: f64,
    },
}

/// One point where a map grows while filling.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GrowthStep {
    /// Entries after the insert that caused the step.
    pub entries: u64,
    /// The footprint right after it (classic: including the old array still being evacuated).
    pub footprint: Footprint,
    /// What happened.
    pub event: GrowthEvent,
}

/// What changed at a [`GrowthStep`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GrowthEvent {
    /// `make` with a hint allocated storage before any insert.
    Preallocated,
    /// Classic: the first insert allocated bucket 0.
    FirstBucket,
    /// Classic: the bucket array doubled to `2^b` buckets.
    Doubled { b: u32 },
    /// Swiss: the first insert allocated the small map's group.
    SmallGroup,
    /// Swiss: the only table grew to `capacity` slots (from the small group at 9 entries).
    TableGrew { capacity: u64 },
    /// Swiss: tables are splitting; about `tables` tables of 1024 slots.
    Split { tables: f64 },
    /// The requested entry count.
    Requested,
}

/// Which part of a map an allocation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AllocKind {
    /// `hmap` / `maps.Map` (from `make` or the first insert of a `map[K]V{}` literal).
    Header,
    /// Classic `mapextra`.
    MapExtra,
    /// Classic bucket array (`makeBucketArray`), at `make` with a hint or on growth.
    BucketArray,
    /// Classic overflow bucket allocated one at a time (`newoverflow`).
    OverflowBucket,
    /// Classic noscan maps: the `[]*bmap` slice header and backing arrays listing overflow buckets.
    OverflowList,
    /// Swiss small map's single group.
    SmallGroup,
    /// Swiss group array of one table.
    GroupArray,
    /// Swiss `table` struct.
    Table,
    /// Swiss table directory.
    Directory,
    /// One out-of-line key (key over 128 bytes).
    OutOfLineKey,
    /// One out-of-line value (value over 128 bytes).
    OutOfLineValue,
}

impl AllocKind {
    /// A short human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Header => "header",
            Self::MapExtra => "mapextra",
            Self::BucketArray => "bucket array",
            Self::OverflowBucket => "overflow bucket",
            Self::OverflowList => "overflow list",
            Self::SmallGroup => "small-map group",
            Self::GroupArray => "group array",
            Self::Table => "table",
            Self::Directory => "directory",
            Self::OutOfLineKey => "out-of-line key",
            Self::OutOfLineValue => "out-of-line value",
        }
    }
}

/// One object size a map can allocate, as a heap profile records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allocation {
    /// Consumed bytes (size class incl. malloc header, or whole pages).
    pub bytes: u64,
    pub kind: AllocKind,
    /// Classic bucket arrays: log2 of the bucket count. Swiss directories: log2 of the length.
    pub b: Option<u32>,
    /// Swiss group arrays: table capacity in slots.
    pub capacity: Option<u64>,
    /// Entries the owner holds while this object is current, when filled without a hint:
    /// classic bucket array → whole-map entries `(low, high)`; Swiss group array → entries of that
    /// table. `None` when it does not bound the count (headers, overflow buckets, ...).
    pub entries: Option<(u64, u64)>,
}

/// A map type on a target: the entry point for every figure. See the module docs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapModel {
    pub shape: MapShape,
    pub target: Target,
    alloc: Allocator,
    structs: RuntimeStructs,
}

impl MapModel {
    /// The model of maps of `shape` built by `target`. The shape's architecture is used.
    pub fn new(shape: MapShape, target: Target) -> Self {
        let target = Target {
            arch: shape.arch,
            ..target
        };
        let classic_clear_seq = target.map_impl == MapImpl::Classic && target.go.minor >= 24;
        Self {
            shape,
            target,
            alloc: Allocator::new(target.go, target.arch),
            structs: RuntimeStructs::new(target.arch, classic_clear_seq),
        }
    }

    /// The model of `map[key]value` on `target`, sizing named types through `resolver`.
    pub fn for_types(
        key: &GoType,
        value: &GoType,
        target: Target,
        resolver: &dyn TypeResolver,
    ) -> Result<Self, SizeError> {
        let shape = MapShape::for_types(key, value, target.arch, resolver)?;
        Ok(Self::new(shape, target))
    }

    /// The allocator rounding this model uses.
    pub fn allocator(&self) -> Allocator {
        self.alloc
    }

    /// Live bytes after inserting `n` distinct keys into `make(map[K]V, hint)` (`hint: None` for
    /// `make(map[K]V)` or a literal). Without a hint, a classic map that has just doubled still
    /// holds its old array (see [`Footprint::old_buckets`]).
    pub fn footprint(&self, n: u64, hint: Option<u64>) -> Footprint {
        let mut f = match self.target.map_impl {
            MapImpl::Classic => classic::footprint(self, n, hint),
            MapImpl::Swiss => swiss::footprint(self, n, hint),
        };
        self.add_out_of_line(&mut f, n);
        f
    }

    /// Footprints where the structure grows while inserting up to `upto` entries, ending with
    /// `upto` itself.
    pub fn growth_steps(&self, upto: u64, hint: Option<u64>) -> Vec<GrowthStep> {
        let mut steps = match self.target.map_impl {
            MapImpl::Classic => classic::growth_steps(self, upto, hint),
            MapImpl::Swiss => swiss::growth_steps(self, upto, hint),
        };
        for step in &mut steps {
            self.add_out_of_line(&mut step.footprint, step.entries);
        }
        steps.push(GrowthStep {
            entries: upto,
            footprint: self.footprint(upto, hint),
            event: GrowthEvent::Requested,
        });
        steps
    }

    /// After inserting `n` entries and deleting `deleted` of them: nothing shrinks; only the
    /// deleted entries' out-of-line objects are freed (runtime `mapdelete` / `table.Delete`).
    pub fn after_delete(&self, n: u64, hint: Option<u64>, deleted: u64) -> Footprint {
        let mut f = self.footprint(n, hint);
        f.out_of_line_keys = 0;
        f.out_of_line_values = 0;
        self.add_out_of_line(&mut f, n - deleted.min(n));
        f
    }

    /// After inserting `n` entries and calling `clear(m)`. Classic `mapclear` keeps the bucket
    /// array and `mapextra` but drops overflow buckets and any old array; Swiss `Clear` keeps every
    /// table and the directory. Out-of-line objects are freed.
    pub fn after_clear(&self, n: u64, hint: Option<u64>) -> Footprint {
        let mut f = self.footprint(n, hint);
        f.out_of_line_keys = 0;
        f.out_of_line_values = 0;
        if self.target.map_impl == MapImpl::Classic {
            f.overflow = 0;
            f.old_buckets = 0;
        }
        f
    }

    /// After `m = make(map[K]V)`: the old map is garbage; only the new header remains.
    pub fn after_reassign(&self) -> Footprint {
        self.footprint(0, None)
    }

    /// Every object size a map of this type can allocate while holding up to `max_entries`
    /// entries, sorted by size then kind. Sizes repeat across kinds (a classic map's first bucket
    /// and an overflow bucket are the same size).
    pub fn allocation_sizes(&self, max_entries: u64) -> Vec<Allocation> {
        let mut out = match self.target.map_impl {
            MapImpl::Classic => classic::allocation_sizes(self, max_entries),
            MapImpl::Swiss => swiss::allocation_sizes(self, max_entries),
        };
        if self.shape.key_indirect {
            out.push(simple(
                self.alloc
                    .consumed(self.shape.key.size, !self.shape.key.has_pointers),
                AllocKind::OutOfLineKey,
            ));
        }
        if self.shape.value_indirect {
            out.push(simple(
                self.alloc
                    .consumed(self.shape.value.size, !self.shape.value.has_pointers),
                AllocKind::OutOfLineValue,
            ));
        }
        out.sort_by_key(|a| (a.bytes, a.kind));
        out.dedup();
        out
    }

    /// Entry counts whose predicted bytes (map filled without a hint, no old array) best explain
    /// `observed` bytes. `counted` says whether `observed` includes out-of-line keys and values.
    pub fn estimate_entries(&self, observed: u64, counted: Counted) -> Option<EntryEstimate> {
        estimate::estimate(self, observed, counted)
    }

    /// Bytes of one out-of-line key plus one out-of-line value (0 when both are inline).
    pub fn out_of_line_per_entry(&self) -> u64 {
        let s = &self.shape;
        let key = if s.key_indirect {
            self.alloc.consumed(s.key.size, !s.key.has_pointers)
        } else {
            0
        };
        let value = if s.value_indirect {
            self.alloc.consumed(s.value.size, !s.value.has_pointers)
        } else {
            0
        };
        key + value
    }

    fn add_out_of_line(&self, f: &mut Footprint, live: u64) {
        let s = &self.shape;
        if s.key_indirect {
            f.out_of_line_keys = live * self.alloc.consumed(s.key.size, !s.key.has_pointers);
        }
        if s.value_indirect {
            f.out_of_line_values = live * self.alloc.consumed(s.value.size, !s.value.has_pointers);
        }
    }

    pub(crate) fn structs(&self) -> RuntimeStructs {
        self.structs
    }
}

fn simple(bytes: u64, kind: AllocKind) -> Allocation {
    Allocation {
        bytes,
        kind,
        b: None,
        capacity: None,
        entries: None,
    }
}

/// Rounds an expected byte count to whole bytes.
fn round(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        x.round() as u64
    } else {
        0
    }
}

//! Go heap profiles for mapguard: which maps hold the memory, and which keep growing.
//!
//! The layers, bottom up:
//! - [`input`]: profile bytes from a file, stdin or an `http(s)` URL, with a size cap and timeout.
//! - [`decode`]: gzip or raw `profile.proto` (prost, [`proto`]) or the legacy `debug=1` text format,
//!   with a cap on the uncompressed size, into a [`HeapProfile`].
//! - [`sites`]: the [`MapSiteIndex`] trait, the source lines that make, write, clear or clone maps
//!   (filled from Go source by the caller; this crate never parses Go).
//! - [`attribute`]: each sample's leaf line joined with the index, its `bytes` label checked
//!   against the allocation sizes the map type can produce (`mapguard_runtime`'s size model).
//! - [`compare`]: `--base` diffs and series: growth, slope, leak-suspect verdicts.
//! - [`emit`] and [`folded`]: a pprof profile of the map samples only, and folded stacks for a
//!   flame graph.
//!
//! Go's `runtime/pprof` strips every leading `runtime.` and `internal/runtime/` frame from heap
//! profile stacks, so a map's allocations show up at the user line that made or wrote the map;
//! see `shared/research/runtime-anchors.md` §3–4. Nothing here prints.

pub mod attribute;
pub mod compare;
pub mod decode;
pub mod emit;
mod error;
pub mod folded;
pub mod frames;
pub mod input;
mod legacy;
mod profile;
pub mod proto;
mod sample;
pub mod sites;
mod wire;

pub use error::{DecodeError, InputError};
pub use profile::{Format, Frame, HeapProfile, Sample, ValueType};
pub use sample::{SampleKind, UnknownSampleKind};
pub use sites::{MapSite, MapSiteIndex, SiteKind, SiteTable};

//! Go runtime facts for mapguard: how big Go types are, how the allocator rounds objects, and exact
//! memory models of Go maps (the classic bucket map of Go ≤ 1.23 and the Swiss table of Go 1.24+).
//!
//! The layers, bottom up:
//! - [`types`]: Go type expressions ([`types::parse_type`]), [`types::Arch`], and [`types::layout`]
//!   (size, alignment, pointer-ness) with a [`types::TypeResolver`] for named types.
//! - [`alloc`]: the size-class table, the malloc header and page rounding ([`alloc::Allocator`]).
//! - [`version`]: Go versions and which map implementation they use ([`version::Target`]).
//! - [`map`]: [`map::MapShape`] (bucket/group/slot layout of one `map[K]V`) and [`map::MapModel`]
//!   (bytes for n entries, growth steps, deletes, heap-profile allocation sizes, inverse estimates).
//!
//! Every number traces to Go source; the sources are cited next to the code and in
//! `shared/research/runtime-anchors.md`. Nothing here prints.

pub mod alloc;
pub mod map;
mod stats;
pub mod types;
pub mod version;

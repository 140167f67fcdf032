//! pprof's `profile.proto` (package `perftools.profiles`) as prost messages.
//!
//! The code in `proto/perftools.profiles.rs` is generated from `../proto/profile.proto`
//! (google/pprof b9395ee) and checked in, so building needs no `protoc`. To regenerate after
//! updating the `.proto` (pure Rust, protox + prost-build):
//! `cargo run --manifest-path crates/mapguard_pprof/regen/Cargo.toml`

#![allow(missing_docs, clippy::all, unreachable_pub)]

include!("proto/perftools.profiles.rs");

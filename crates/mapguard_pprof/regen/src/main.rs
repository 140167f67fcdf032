//! Regenerates the checked-in prost code for pprof's profile.proto without a protoc binary:
//! protox parses the .proto in pure Rust, prost-build turns the descriptor set into Rust.
//!
//! Run from the repository root:
//! `cargo run --manifest-path crates/mapguard_pprof/regen/Cargo.toml`

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let proto_dir = crate_dir.join("proto");
    let out_dir = crate_dir.join("src").join("proto");
    let descriptors = protox::compile([proto_dir.join("profile.proto")], [&proto_dir])?;
    prost_build::Config::new()
        .out_dir(&out_dir)
        .compile_fds(descriptors)?;
    Ok(())
}

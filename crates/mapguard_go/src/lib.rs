//! Loading Go packages, parsing them with tree-sitter, and the semantic index rules query.
//!
//! Reading Go source never needs a Go toolchain: packages are selected the way the go command
//! selects them (patterns, build constraints, `_test.go`, generated files) and indexed without a
//! type checker. When a type cannot be resolved the index says so, and rules stay silent.

mod error;
pub mod index;
pub mod load;
pub mod sites;
pub mod syntax;

pub use error::LoadError;
pub use load::{
    BuildContext, GoVersion, LoadOptions, Module, Package, Program, SourceFile, load, load_sources,
};

//! Parsers for the go command's tool interfaces, with no Go toolchain and no tree-sitter inside:
//!
//! - [`vetcfg`]: the JSON unit description `go vet -vettool=PROG` hands to `PROG` for each
//!   package (`$WORK/bNNN/vet.cfg`);
//! - [`escape`]: the compiler's escape-analysis diagnostics from `go build -gcflags=-m=2`,
//!   with their explanation chains (`flow: … ← …`, `from … (reason) at …`).
//!
//! Nothing here prints.

pub mod escape;
pub mod vetcfg;

pub use escape::{Escape, EscapeKind, EscapeReport, Flow, FlowStep, Position, parse_escape_output};
pub use vetcfg::{VetConfig, VetConfigError};

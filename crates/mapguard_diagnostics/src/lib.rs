//! Diagnostics: findings, fixes and their renderers (text, JSON, SARIF, GitHub). Knows nothing of Go.
//!
//! Rules build [`Diagnostic`]s with [`Location`]s computed from a [`LineIndex`]; the binary hands
//! them to one of the renderers in [`render`] together with the [`InputError`]s of inputs that could
//! not be read. [`apply_fixes`] applies the [`Fix`]es of a file.

mod diagnostic;
mod fix;
mod input_error;
mod line_index;
mod location;
pub mod render;
mod rule_meta;
mod source;
mod summary;
mod text_range;

pub use diagnostic::{Diagnostic, Related, Severity, sort_diagnostics};
pub use fix::{Applicability, Edit, Fix, FixResult, apply_fixes};
pub use input_error::InputError;
pub use line_index::{LineCol, LineIndex};
pub use location::Location;
pub use rule_meta::RuleMeta;
pub use source::{NoSources, SourceMap, SourceProvider};
pub use summary::Summary;
pub use text_range::TextRange;

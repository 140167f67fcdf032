//! The four sample types of a Go heap profile and how to find them in a profile.

use std::fmt;
use std::str::FromStr;

/// Which heap-profile value to rank by (`--sample`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SampleKind {
    /// Bytes live at the last GC (the default for `/debug/pprof/heap`).
    #[default]
    InuseSpace,
    /// Objects live at the last GC.
    InuseObjects,
    /// Bytes allocated since the program started.
    AllocSpace,
    /// Objects allocated since the program started.
    AllocObjects,
}

/// A `--sample` value that is none of the four heap sample types.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown sample type {0:?} (expected inuse_space, inuse_objects, alloc_space or alloc_objects)"
)]
pub struct UnknownSampleKind(pub String);

impl SampleKind {
    pub const ALL: [SampleKind; 4] = [
        Self::AllocObjects,
        Self::AllocSpace,
        Self::InuseObjects,
        Self::InuseSpace,
    ];

    /// The sample type name Go writes (`inuse_space`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::InuseSpace => "inuse_space",
            Self::InuseObjects => "inuse_objects",
            Self::AllocSpace => "alloc_space",
            Self::AllocObjects => "alloc_objects",
        }
    }

    /// The space type of the same family (`inuse_objects` → `inuse_space`).
    pub fn space(self) -> Self {
        match self {
            Self::InuseSpace | Self::InuseObjects => Self::InuseSpace,
            Self::AllocSpace | Self::AllocObjects => Self::AllocSpace,
        }
    }

    /// The object-count type of the same family.
    pub fn objects(self) -> Self {
        match self {
            Self::InuseSpace | Self::InuseObjects => Self::InuseObjects,
            Self::AllocSpace | Self::AllocObjects => Self::AllocObjects,
        }
    }

    /// Whether values are bytes (else object counts).
    pub fn is_space(self) -> bool {
        matches!(self, Self::InuseSpace | Self::AllocSpace)
    }

    /// Whether values count live memory (else cumulative allocation).
    pub fn is_inuse(self) -> bool {
        matches!(self, Self::InuseSpace | Self::InuseObjects)
    }
}

impl fmt::Display for SampleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for SampleKind {
    type Err = UnknownSampleKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| UnknownSampleKind(s.to_owned()))
    }
}

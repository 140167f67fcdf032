//! Go releases and which map implementation each one builds.

use std::fmt;
use std::str::FromStr;

use crate::types::Arch;

/// A Go release `1.minor[.patch]`. mapguard models 1.19 through 1.27.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GoVersion {
    pub minor: u32,
    pub patch: Option<u32>,
}

/// The oldest and newest minor release modelled.
pub const OLDEST_MINOR: u32 = 19;
pub const NEWEST_MINOR: u32 = 27;

impl GoVersion {
    /// `1.minor`.
    pub fn new(minor: u32) -> Self {
        Self { minor, patch: None }
    }

    /// Whether small/medium pointer-holding objects over 512 B (128 B on 32-bit) carry an 8-byte
    /// malloc header: Go 1.22+ (allocheaders), go1.23.5 src/runtime/msize.go.
    pub fn has_malloc_header(self) -> bool {
        self.minor >= 22
    }

    /// The map implementation this release uses by default.
    pub fn default_map_impl(self) -> MapImpl {
        if self.minor >= 24 {
            MapImpl::Swiss
        } else {
            MapImpl::Classic
        }
    }
}

impl fmt::Display for GoVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.patch {
            Some(p) => write!(f, "go1.{}.{p}", self.minor),
            None => write!(f, "go1.{}", self.minor),
        }
    }
}

/// Why a `--go` value was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("invalid Go version {0:?}: expected 1.N or 1.N.P, e.g. 1.23 or go1.26.1")]
    Syntax(String),
    #[error("unsupported Go version {0:?}: mapguard models Go 1.19 through 1.27")]
    Unsupported(String),
    #[error("Go version {0:?}: noswissmap exists only in Go 1.24 and 1.25")]
    NoSwissUnavailable(String),
}

impl FromStr for GoVersion {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let bare = text.strip_prefix("go").unwrap_or(text);
        let mut parts = bare.split('.');
        let syntax = || VersionError::Syntax(s.to_owned());
        let major: u32 = parts
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or_else(syntax)?;
        let minor: u32 = parts
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or_else(syntax)?;
        let patch = match parts.next() {
            Some(p) => Some(p.parse::<u32>().map_err(|_| syntax())?),
            None => None,
        };
        if parts.next().is_some() {
            return Err(syntax());
        }
        if major != 1 || !(OLDEST_MINOR..=NEWEST_MINOR).contains(&minor) {
            return Err(VersionError::Unsupported(s.to_owned()));
        }
        Ok(Self { minor, patch })
    }
}

/// The two map implementations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MapImpl {
    /// Buckets of 8 with overflow chains (runtime/map.go), Go ≤ 1.23 and 1.24/1.25 with
    /// `GOEXPERIMENT=noswissmap`.
    Classic,
    /// Swiss tables (internal/runtime/maps), Go 1.24+.
    Swiss,
}

impl fmt::Display for MapImpl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Classic => "classic",
            Self::Swiss => "swiss",
        })
    }
}

/// What a model is computed for: a Go release, an architecture and the map implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Target {
    pub go: GoVersion,
    pub arch: Arch,
    pub map_impl: MapImpl,
}

impl Target {
    /// The default implementation of `go` on `arch`.
    pub fn new(go: GoVersion, arch: Arch) -> Self {
        Self {
            go,
            arch,
            map_impl: go.default_map_impl(),
        }
    }

    /// Go 1.24/1.25 built with `GOEXPERIMENT=noswissmap` (classic maps with a 56-byte hmap).
    pub fn noswissmap(go: GoVersion, arch: Arch) -> Result<Self, VersionError> {
        if !(24..=25).contains(&go.minor) {
            return Err(VersionError::NoSwissUnavailable(go.to_string()));
        }
        Ok(Self {
            go,
            arch,
            map_impl: MapImpl::Classic,
        })
    }

    /// Parses `--go` text: `1.N[.P]`, optionally prefixed `go`, optionally suffixed `+noswissmap`.
    pub fn parse(text: &str, arch: Arch) -> Result<Self, VersionError> {
        match text.strip_suffix("+noswissmap") {
            Some(version) => Self::noswissmap(version.parse()?, arch),
            None => Ok(Self::new(text.parse()?, arch)),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let experiment = if self.map_impl == MapImpl::Classic && self.go.minor >= 24 {
            "+noswissmap"
        } else {
            ""
        };
        write!(f, "{}{experiment} {}/{}", self.go, self.map_impl, self.arch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_versions_and_rejects_unknown_ones() {
        assert_eq!("1.23".parse::<GoVersion>().unwrap(), GoVersion::new(23));
        assert_eq!("go1.26.8".parse::<GoVersion>().unwrap().patch, Some(8));
        assert!(matches!(
            "1.5".parse::<GoVersion>(),
            Err(VersionError::Unsupported(_))
        ));
        assert!(matches!(
            "2.0".parse::<GoVersion>(),
            Err(VersionError::Unsupported(_))
        ));
        assert!(matches!(
            "banana".parse::<GoVersion>(),
            Err(VersionError::Syntax(_))
        ));
        assert!(matches!(
            "1.2x".parse::<GoVersion>(),
            Err(VersionError::Syntax(_))
        ));
        assert_eq!(
            Target::parse("1.24+noswissmap", Arch::Amd64)
                .unwrap()
                .map_impl,
            MapImpl::Classic
        );
        assert!(Target::parse("1.26+noswissmap", Arch::Amd64).is_err());
        assert_eq!(
            Target::parse("1.24", Arch::Amd64).unwrap().map_impl,
            MapImpl::Swiss
        );
    }
}

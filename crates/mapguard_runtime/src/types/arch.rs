//! Target architectures and their word sizes.

use std::fmt;
use std::str::FromStr;

/// A GOARCH mapguard can size types for: two 64-bit and two 32-bit targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    #[default]
    Amd64,
    Arm64,
    /// GOARCH=386.
    I386,
    Arm,
}

impl Arch {
    /// Every supported architecture.
    pub const ALL: [Arch; 4] = [Arch::Amd64, Arch::Arm64, Arch::I386, Arch::Arm];

    /// `goarch.PtrSize`: 8 or 4.
    pub fn ptr_size(self) -> u64 {
        match self {
            Self::Amd64 | Self::Arm64 => 8,
            Self::I386 | Self::Arm => 4,
        }
    }

    /// `RegSize`: the alignment of 64-bit integers, `float64` and `complex128` (4 on 32-bit targets).
    pub fn reg_size(self) -> u64 {
        self.ptr_size()
    }

    /// The GOARCH spelling.
    pub fn goarch(self) -> &'static str {
        match self {
            Self::Amd64 => "amd64",
            Self::Arm64 => "arm64",
            Self::I386 => "386",
            Self::Arm => "arm",
        }
    }

    /// Bytes of address space a heap can use: 2^48 on 64-bit targets, 2^32 on 32-bit ones.
    pub fn address_space(self) -> u64 {
        match self.ptr_size() {
            8 => 1 << 48,
            _ => 1 << 32,
        }
    }

    /// The largest value of Go's `int` on this target (map counts are `int`).
    pub fn max_int(self) -> u64 {
        match self.ptr_size() {
            8 => i64::MAX as u64,
            _ => i32::MAX as u64,
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.goarch())
    }
}

/// The error for an architecture name mapguard does not model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown architecture {0:?}: expected amd64, arm64, 386 or arm")]
pub struct UnknownArch(pub String);

impl FromStr for Arch {
    type Err = UnknownArch;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "amd64" | "x86_64" | "x86-64" => Ok(Self::Amd64),
            "arm64" | "aarch64" => Ok(Self::Arm64),
            "386" | "i386" | "x86" => Ok(Self::I386),
            "arm" | "armv7" | "armv6" => Ok(Self::Arm),
            _ => Err(UnknownArch(s.to_owned())),
        }
    }
}

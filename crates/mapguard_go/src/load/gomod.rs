//! The parts of `go.mod` mapguard reads: the module path and the `go` directive (the language version).

use std::path::{Path, PathBuf};

use crate::LoadError;

/// A Go language version such as `1.21` (patch levels are kept but rarely matter to rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GoVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl GoVersion {
    pub const fn new(major: u32, minor: u32) -> Self {
        Self {
            major,
            minor,
            patch: 0,
        }
    }

    /// The version assumed when no go.mod says otherwise: the newest language mapguard knows.
    pub const LATEST: GoVersion = GoVersion::new(1, 26);

    /// Parses `1.21`, `1.21.3`, `1.21rc1` or `go1.22`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().trim_start_matches("go");
        let mut parts = text.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor_text = parts.next()?;
        let minor_digits: String = minor_text
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let minor = minor_digits.parse().ok()?;
        let patch = parts
            .next()
            .and_then(|p| {
                p.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .ok()
            })
            .unwrap_or(0);
        Some(Self {
            major,
            minor,
            patch,
        })
    }

    pub fn at_least(self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) >= (major, minor)
    }
}

impl std::fmt::Display for GoVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if self.patch > 0 {
            write!(f, ".{}", self.patch)?;
        }
        Ok(())
    }
}

/// A Go module: its root directory, path and language version.
#[derive(Debug, Clone)]
pub struct Module {
    pub root: PathBuf,
    pub path: String,
    pub go_version: GoVersion,
}

impl Module {
    /// Finds the go.mod governing `dir` (walking up) and reads it; `Ok(None)` when there is none.
    pub fn find(dir: &Path) -> Result<Option<Module>, LoadError> {
        for ancestor in dir.ancestors() {
            let candidate = ancestor.join("go.mod");
            if candidate.is_file() {
                return Module::read(&candidate).map(Some);
            }
        }
        Ok(None)
    }

    /// Reads one go.mod file.
    pub fn read(go_mod: &Path) -> Result<Module, LoadError> {
        let text = std::fs::read(go_mod).map_err(|err| LoadError::io(go_mod, &err))?;
        let text =
            String::from_utf8(text).map_err(|_| LoadError::invalid(go_mod, "not valid UTF-8"))?;
        let (path, go_version) =
            parse_go_mod(&text).map_err(|msg| LoadError::invalid(go_mod, msg))?;
        Ok(Module {
            root: go_mod.parent().unwrap_or(Path::new(".")).to_path_buf(),
            path,
            go_version: go_version.unwrap_or(GoVersion::new(1, 16)),
        })
    }
}

/// Extracts `module` and `go` from go.mod text. Unknown directives are skipped, as the go command
/// does for directives newer than itself; a missing `module` line is an error.
pub fn parse_go_mod(text: &str) -> Result<(String, Option<GoVersion>), String> {
    let mut module = None;
    let mut go = None;
    let mut in_block = false;
    for (number, raw) in text.lines().enumerate() {
        let line = raw.split("//").next().unwrap_or("").trim();
        if in_block {
            if line.starts_with(')') {
                in_block = false;
            }
            continue;
        }
        if line.ends_with('(') {
            in_block = true;
            continue;
        }
        let mut words = line.split_whitespace();
        match words.next() {
            Some("module") => {
                let path = words.next().ok_or_else(|| {
                    format!("line {}: module directive without a path", number + 1)
                })?;
                module = Some(path.trim_matches('"').to_string());
            }
            Some("go") => {
                let version = words.next().unwrap_or("");
                go = Some(GoVersion::parse(version).ok_or_else(|| {
                    format!("line {}: invalid go version {version:?}", number + 1)
                })?);
            }
            _ => {}
        }
    }
    let module = module.ok_or("no module directive")?;
    Ok((module, go))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_module_and_go_version_and_skips_unknown_directives() {
        let text = "// comment\nmodule example.com/x // trailing\n\ngo 1.22.3\ntoolchain go1.23.0\nfrobnicate on\nrequire (\n\tgolang.org/x/sync v0.7.0\n)\nignore ./tmp\n";
        let (module, go) = parse_go_mod(text).unwrap();
        assert_eq!(module, "example.com/x");
        assert_eq!(
            go,
            Some(GoVersion {
                major: 1,
                minor: 22,
                patch: 3
            })
        );
    }

    #[test]
    fn rejects_go_mod_without_module() {
        assert!(parse_go_mod("go 1.21\n").unwrap_err().contains("no module"));
        assert!(
            parse_go_mod("module m\ngo banana\n")
                .unwrap_err()
                .contains("invalid go version")
        );
    }

    #[test]
    fn version_ordering() {
        assert!(GoVersion::parse("1.21rc2").unwrap().at_least(1, 21));
        assert!(!GoVersion::parse("go1.20").unwrap().at_least(1, 21));
    }
}

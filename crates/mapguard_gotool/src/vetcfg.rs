//! The `vet.cfg` unit description (Go's `cmd/go/internal/work.vetConfig`, read by
//! `golang.org/x/tools/go/analysis/unitchecker`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

/// One package to analyse, as the go command describes it. Unknown fields are ignored so newer
/// go commands keep working; fields the go command may omit default to empty.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VetConfig {
    /// The package's ID, e.g. `fmt [fmt.test]`; the key of the `-json` output.
    #[serde(rename = "ID")]
    pub id: String,
    /// `gc` or `gccgo`.
    pub compiler: String,
    /// The package directory.
    pub dir: PathBuf,
    pub import_path: String,
    /// Absolute paths of the package's Go files, build constraints already applied.
    pub go_files: Vec<PathBuf>,
    pub non_go_files: Vec<PathBuf>,
    pub ignored_files: Vec<PathBuf>,
    pub module_path: String,
    pub module_version: String,
    /// Import path as written → resolved package path (vendoring).
    pub import_map: BTreeMap<String, String>,
    /// Package path → compiler export data. Unused by mapguard (it reads source).
    pub package_file: BTreeMap<String, PathBuf>,
    pub standard: BTreeMap<String, bool>,
    pub package_vetx: BTreeMap<String, PathBuf>,
    /// Only facts are wanted (a dependency of the packages named on the command line).
    pub vetx_only: bool,
    /// Where the facts file goes; the go command caches it.
    pub vetx_output: Option<PathBuf>,
    /// Go 1.26+: write what would go to standard output (the `-json` tree) to this file.
    pub stdout: Option<PathBuf>,
    /// The language version, e.g. `go1.22`.
    pub go_version: String,
    pub fix_archive: Option<PathBuf>,
    pub succeed_on_typecheck_failure: bool,
}

/// Why a `vet.cfg` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum VetConfigError {
    #[error("invalid vet config JSON at line {line} column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("vet config names no Go files (package {import_path:?})")]
    NoFiles { import_path: String },
    #[error("vet config GoFiles entry {0:?} is not an absolute path")]
    RelativeFile(PathBuf),
}

impl VetConfig {
    /// Parses and checks a `vet.cfg`'s bytes. A unit that is not facts-only must name at least
    /// one Go file, and every Go file must be absolute (the go command always writes them so).
    pub fn parse(bytes: &[u8]) -> Result<VetConfig, VetConfigError> {
        let config: VetConfig =
            serde_json::from_slice(bytes).map_err(|err| VetConfigError::Json {
                line: err.line(),
                column: err.column(),
                message: strip_position(&err.to_string()),
            })?;
        if config.vetx_only {
            return Ok(config);
        }
        if config.go_files.is_empty() {
            return Err(VetConfigError::NoFiles {
                import_path: config.import_path,
            });
        }
        if let Some(relative) = config.go_files.iter().find(|f| !f.is_absolute()) {
            return Err(VetConfigError::RelativeFile(relative.clone()));
        }
        Ok(config)
    }

    /// The Go language version as `(major, minor)`, from `GoVersion` (`go1.22`, `go1.22.3`).
    pub fn language_version(&self) -> Option<(u32, u32)> {
        let rest = self.go_version.strip_prefix("go")?;
        let mut parts = rest.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().unwrap_or("0").parse().ok()?;
        Some((major, minor))
    }
}

/// serde_json appends " at line L column C"; the error variant carries those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL: &str = r#"{
	"ID": "example.com/m",
	"Compiler": "gc",
	"Dir": "/tmp/vx/m",
	"ImportPath": "example.com/m",
	"GoFiles": [
		"/tmp/vx/m/a.go",
		"/tmp/vx/m/a_test.go"
	],
	"NonGoFiles": [],
	"IgnoredFiles": [],
	"ModulePath": "example.com/m",
	"ModuleVersion": "",
	"ImportMap": {
		"example.com/m/sub": "example.com/m/sub",
		"testing": "testing"
	},
	"PackageFile": {
		"example.com/m/sub": "/tmp/go-build4195456289/b075/_pkg_.a"
	},
	"Standard": {
		"testing": true
	},
	"PackageVetx": {},
	"VetxOnly": false,
	"VetxOutput": "/tmp/go-build4195456289/b001/vet.out",
	"Stdout": "/tmp/go-build4195456289/b001/vet.stdout",
	"GoVersion": "go1.24",
	"FixArchive": "",
	"SucceedOnTypecheckFailure": false
}
"#;

    #[test]
    fn parses_a_config_written_by_go_1_26() {
        let config = VetConfig::parse(REAL.as_bytes()).unwrap();
        assert_eq!(config.id, "example.com/m");
        assert_eq!(config.go_files.len(), 2);
        assert_eq!(config.module_path, "example.com/m");
        assert!(!config.vetx_only);
        assert_eq!(
            config.stdout.as_deref(),
            Some(std::path::Path::new(
                "/tmp/go-build4195456289/b001/vet.stdout"
            ))
        );
        assert_eq!(config.language_version(), Some((1, 24)));
        assert_eq!(config.import_map["testing"], "testing");
    }

    #[test]
    fn rejects_bad_configs_with_a_reason() {
        let err = VetConfig::parse(b"{\"GoFiles\": [").unwrap_err();
        assert!(matches!(err, VetConfigError::Json { line: 1, .. }), "{err}");
        let err = VetConfig::parse(br#"{"ImportPath":"p","GoFiles":[]}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "vet config names no Go files (package \"p\")"
        );
        let err = VetConfig::parse(br#"{"GoFiles":["a.go"]}"#).unwrap_err();
        assert!(matches!(err, VetConfigError::RelativeFile(_)));
        let err = VetConfig::parse(br#"{"GoFiles":"a.go"}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
        // Facts-only units need no files.
        assert!(VetConfig::parse(br#"{"VetxOnly":true}"#).is_ok());
    }
}

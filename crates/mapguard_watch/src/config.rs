//! Targets and settings: a TOML file (`--config`) merged with command-line targets and flags.
//!
//! ```toml
//! interval = "10s"          # time between scrapes of one target
//! timeout = "5s"            # per attempt, per target (default: the interval, at most 30s)
//! retries = 2               # extra attempts after a failure, with backoff
//! window = 10               # scrapes a leak verdict looks at
//!
//! [retention]
//! max_age = "7d"
//! max_size = "256MiB"
//!
//! [[target]]
//! url = "http://127.0.0.1:6060"
//! name = "api"                       # default: host:port
//! source = "/src/api"                # Go module root for map attribution
//! labels = { env = "prod" }
//! memstats = "/metrics"              # or "/debug/vars" (default), or "none"
//! heap = "/debug/pprof/heap?gc=1"    # default "/debug/pprof/heap"
//! timeout = "2s"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::error::WatchError;

/// Largest heap profile accepted from a target, compressed or not.
pub const DEFAULT_MAX_PROFILE_BYTES: u64 = 64 << 20;
/// Largest memstats document (`/debug/vars` or `/metrics`) accepted.
pub const DEFAULT_MAX_MEMSTATS_BYTES: u64 = 8 << 20;

/// One service to scrape, fully resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Unique name, the `target` label.
    pub name: String,
    /// Base URL without a trailing slash, e.g. `http://127.0.0.1:6060`.
    pub base_url: String,
    /// Full URL of the heap profile.
    pub heap_url: String,
    /// Full URL of expvar or Prometheus memstats; `None` to skip.
    pub memstats_url: Option<String>,
    /// Extra labels for `/metrics`.
    pub labels: BTreeMap<String, String>,
    /// Go module root for map attribution.
    pub source: Option<PathBuf>,
    /// Timeout of one attempt.
    pub timeout: Duration,
    /// Extra attempts after a failed one.
    pub retries: u32,
}

/// What history keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Retention {
    /// Scrapes older than this are deleted.
    pub max_age: Duration,
    /// Oldest scrapes are deleted while the live data exceeds this many bytes.
    pub max_bytes: u64,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            max_age: Duration::from_secs(7 * 24 * 3600),
            max_bytes: 256 << 20,
        }
    }
}

/// Everything a watch run needs besides the database path and listen address.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub interval: Duration,
    pub window: usize,
    pub retention: Retention,
    pub targets: Vec<Target>,
    pub max_profile_bytes: u64,
    pub max_memstats_bytes: u64,
}

/// The config file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub interval: Option<String>,
    pub timeout: Option<String>,
    pub retries: Option<u32>,
    pub window: Option<usize>,
    pub retention: Option<FileRetention>,
    #[serde(default, rename = "target")]
    pub targets: Vec<FileTarget>,
}

/// `[retention]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRetention {
    pub max_age: Option<String>,
    pub max_size: Option<String>,
}

/// One `[[target]]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileTarget {
    pub url: String,
    pub name: Option<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    pub source: Option<PathBuf>,
    pub memstats: Option<String>,
    pub heap: Option<String>,
    pub timeout: Option<String>,
    pub retries: Option<u32>,
}

impl FileConfig {
    /// Reads and parses a config file; relative `source` paths are taken from the file's folder.
    pub fn read(path: &Path) -> Result<Self, WatchError> {
        let text = std::fs::read_to_string(path).map_err(|source| WatchError::ConfigIo {
            path: path.to_owned(),
            source,
        })?;
        let mut config = Self::parse(&text)
            .map_err(|e| WatchError::Config(format!("{}: {e}", path.display())))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        for t in &mut config.targets {
            if let Some(src) = &t.source
                && src.is_relative()
            {
                t.source = Some(dir.join(src));
            }
        }
        Ok(config)
    }

    /// Parses config text.
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.message().to_owned())
    }
}

/// Command-line values that override or add to the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Positional targets (base URLs).
    pub targets: Vec<String>,
    pub interval: Option<Duration>,
    pub timeout: Option<Duration>,
    /// `--source` for command-line targets (and file targets without their own).
    pub source: Option<PathBuf>,
}

/// Parses a duration such as `10s`, `500ms`, `2m`, `7d`.
pub fn parse_duration(what: &str, text: &str) -> Result<Duration, WatchError> {
    let d = humantime::parse_duration(text.trim())
        .map_err(|e| WatchError::Config(format!("{what} {text:?}: {e}")))?;
    if d.is_zero() {
        return Err(WatchError::Config(format!(
            "{what} {text:?}: must be above zero"
        )));
    }
    Ok(d)
}

/// Parses a size such as `256MiB`, `1GB`, `4096`.
pub fn parse_size(what: &str, text: &str) -> Result<u64, WatchError> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let bad = || WatchError::Config(format!("{what} {text:?}: expected a size like 256MiB"));
    let n: u64 = num.parse().map_err(|_| bad())?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "kib" | "k" => 1 << 10,
        "mb" => 1_000_000,
        "mib" | "m" => 1 << 20,
        "gb" => 1_000_000_000,
        "gib" | "g" => 1 << 30,
        _ => return Err(bad()),
    };
    n.checked_mul(mult).filter(|&b| b > 0).ok_or_else(bad)
}

impl Settings {
    /// Merges the file (if any) and the command line. Errors name the offending value.
    pub fn resolve(file: FileConfig, cli: &Overrides) -> Result<Self, WatchError> {
        let interval = match (cli.interval, &file.interval) {
            (Some(d), _) => d,
            (None, Some(t)) => parse_duration("interval", t)?,
            (None, None) => Duration::from_secs(10),
        };
        let default_timeout = match (cli.timeout, &file.timeout) {
            (Some(d), _) => d,
            (None, Some(t)) => parse_duration("timeout", t)?,
            (None, None) => interval.min(Duration::from_secs(30)),
        };
        let default_retries = file.retries.unwrap_or(2);
        let window = file.window.unwrap_or(10);
        if window < 3 {
            return Err(WatchError::Config(format!(
                "window {window}: a leak verdict needs at least 3 scrapes"
            )));
        }
        let mut retention = Retention::default();
        if let Some(r) = &file.retention {
            if let Some(age) = &r.max_age {
                retention.max_age = parse_duration("retention.max_age", age)?;
            }
            if let Some(size) = &r.max_size {
                retention.max_bytes = parse_size("retention.max_size", size)?;
            }
        }
        let mut targets = Vec::new();
        for t in file.targets {
            let timeout = match &t.timeout {
                Some(text) => parse_duration("target timeout", text)?,
                None => default_timeout,
            };
            targets.push(target(
                &t.url,
                t.name,
                t.labels,
                t.source.or_else(|| cli.source.clone()),
                t.heap.as_deref(),
                t.memstats.as_deref(),
                timeout,
                t.retries.unwrap_or(default_retries),
            )?);
        }
        for url in &cli.targets {
            targets.push(target(
                url,
                None,
                BTreeMap::new(),
                cli.source.clone(),
                None,
                None,
                default_timeout,
                default_retries,
            )?);
        }
        if targets.is_empty() {
            return Err(WatchError::Config(
                "no targets: give base URLs (http://127.0.0.1:6060) or --config with [[target]]"
                    .to_owned(),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for t in &targets {
            if !seen.insert(t.name.clone()) {
                return Err(WatchError::Config(format!(
                    "target name {:?} is used twice; give each [[target]] a distinct name",
                    t.name
                )));
            }
        }
        Ok(Self {
            interval,
            window,
            retention,
            targets,
            max_profile_bytes: DEFAULT_MAX_PROFILE_BYTES,
            max_memstats_bytes: DEFAULT_MAX_MEMSTATS_BYTES,
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn target(
    url: &str,
    name: Option<String>,
    labels: BTreeMap<String, String>,
    source: Option<PathBuf>,
    heap: Option<&str>,
    memstats: Option<&str>,
    timeout: Duration,
    retries: u32,
) -> Result<Target, WatchError> {
    let base = url.trim_end_matches('/');
    let rest = base
        .strip_prefix("http://")
        .or_else(|| base.strip_prefix("https://"))
        .ok_or_else(|| {
            WatchError::Config(format!(
                "target {url:?}: expected an http:// or https:// base URL"
            ))
        })?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Err(WatchError::Config(format!("target {url:?}: no host")));
    }
    for key in labels.keys() {
        let valid = key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid || matches!(key.as_str(), "target" | "site" | "map_type") {
            return Err(WatchError::Config(format!(
                "target {url:?}: label {key:?} is not a valid Prometheus label name or is reserved"
            )));
        }
    }
    let join = |path: &str| {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_owned()
        } else {
            format!("{base}/{}", path.trim_start_matches('/'))
        }
    };
    let memstats_url = match memstats {
        Some("none") => None,
        Some(path) => Some(join(path)),
        None => Some(join("/debug/vars")),
    };
    Ok(Target {
        name: name.unwrap_or_else(|| host.to_owned()),
        base_url: base.to_owned(),
        heap_url: join(heap.unwrap_or("/debug/pprof/heap")),
        memstats_url,
        labels,
        source,
        timeout,
        retries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_and_cli_targets_resolve() {
        let file = FileConfig::parse(
            r#"
interval = "2s"
[retention]
max_age = "1h"
max_size = "10MiB"
[[target]]
url = "http://10.0.0.1:6060/"
name = "api"
labels = { env = "prod" }
memstats = "/metrics"
heap = "/debug/pprof/heap?gc=1"
timeout = "500ms"
"#,
        )
        .unwrap();
        let cli = Overrides {
            targets: vec!["http://127.0.0.1:7070".into()],
            ..Overrides::default()
        };
        let s = Settings::resolve(file, &cli).unwrap();
        assert_eq!(s.interval, Duration::from_secs(2));
        assert_eq!(s.retention.max_age, Duration::from_secs(3600));
        assert_eq!(s.retention.max_bytes, 10 << 20);
        let api = &s.targets[0];
        assert_eq!(api.name, "api");
        assert_eq!(api.heap_url, "http://10.0.0.1:6060/debug/pprof/heap?gc=1");
        assert_eq!(
            api.memstats_url.as_deref(),
            Some("http://10.0.0.1:6060/metrics")
        );
        assert_eq!(api.timeout, Duration::from_millis(500));
        let cli_target = &s.targets[1];
        assert_eq!(cli_target.name, "127.0.0.1:7070");
        assert_eq!(
            cli_target.memstats_url.as_deref(),
            Some("http://127.0.0.1:7070/debug/vars")
        );
        assert_eq!(cli_target.timeout, Duration::from_secs(2));
    }

    #[test]
    fn bad_values_are_named() {
        let err = Settings::resolve(FileConfig::default(), &Overrides::default()).unwrap_err();
        assert!(err.to_string().contains("no targets"));
        let err = FileConfig::parse("intervall = \"1s\"").unwrap_err();
        assert!(err.contains("intervall"), "{err}");
        let file = FileConfig::parse("interval = \"soon\"\n[[target]]\nurl=\"http://a\"").unwrap();
        let err = Settings::resolve(file, &Overrides::default()).unwrap_err();
        assert!(err.to_string().contains("interval \"soon\""), "{err}");
        let cli = Overrides {
            targets: vec!["localhost:6060".into()],
            ..Overrides::default()
        };
        let err = Settings::resolve(FileConfig::default(), &cli).unwrap_err();
        assert!(err.to_string().contains("http://"), "{err}");
        let cli = Overrides {
            targets: vec!["http://a:1".into(), "http://a:1/".into()],
            ..Overrides::default()
        };
        let err = Settings::resolve(FileConfig::default(), &cli).unwrap_err();
        assert!(err.to_string().contains("used twice"), "{err}");
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("s", "256MiB").unwrap(), 256 << 20);
        assert_eq!(parse_size("s", "4096").unwrap(), 4096);
        assert!(parse_size("s", "lots").is_err());
        assert!(parse_size("s", "0").is_err());
    }
}

//! The flags mapguard declares to `go vet` (`-flags`), and reading them back when forwarded.

use std::process::ExitCode;

use serde::Serialize;

/// One entry of the `-flags` list, as `cmd/go/internal/vet/vetflag.go` decodes it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct FlagInfo {
    name: &'static str,
    bool: bool,
    usage: &'static str,
}

const FLAGS: [FlagInfo; 4] = [
    FlagInfo {
        name: "json",
        bool: true,
        usage: "emit JSON output",
    },
    FlagInfo {
        name: "c",
        bool: false,
        usage: "display offending line with this many lines of context (default -1)",
    },
    FlagInfo {
        name: "select",
        bool: false,
        usage: "mapguard: only run these rules (codes, code prefixes or names, comma-separated)",
    },
    FlagInfo {
        name: "ignore",
        bool: false,
        usage: "mapguard: do not run these rules (codes, code prefixes or names, comma-separated)",
    },
];

#[allow(clippy::print_stdout)]
pub(super) fn print_flag_list() -> ExitCode {
    match serde_json::to_string(&FLAGS) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(_) => ExitCode::from(2),
    }
}

/// The forwarded flags mapguard understands; others (`-unsafeptr=false`, analyzer flags of
/// other tools) are ignored, as unitchecker-based tools ignore flags they did not declare.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct UnitFlags {
    pub(super) json: bool,
    /// Context lines around each finding in plain output; negative for none.
    pub(super) context: i64,
    pub(super) select: Vec<String>,
    pub(super) ignore: Vec<String>,
}

pub(super) fn parse(flags: &[String]) -> UnitFlags {
    let mut parsed = UnitFlags {
        context: -1,
        ..UnitFlags::default()
    };
    for flag in flags {
        let flag = flag.trim_start_matches('-');
        let (name, value) = match flag.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (flag, None),
        };
        match name {
            "json" => parsed.json = value.is_none_or(|v| v == "true" || v == "1"),
            "c" => parsed.context = value.and_then(|v| v.parse().ok()).unwrap_or(-1),
            "select" => parsed.select = list(value),
            "ignore" => parsed.ignore = list(value),
            _ => {}
        }
    }
    parsed
}

fn list(value: Option<&str>) -> Vec<String> {
    value
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_forwarded_flags_and_skips_unknown_ones() {
        let flags: Vec<String> = ["-json", "-c=3", "-select=MG2,MG301", "-unsafeptr=false"]
            .iter()
            .map(ToString::to_string)
            .collect();
        let parsed = parse(&flags);
        assert!(parsed.json);
        assert_eq!(parsed.context, 3);
        assert_eq!(parsed.select, ["MG2", "MG301"]);
        assert!(parsed.ignore.is_empty());
        assert!(!parse(&["-json=false".to_string()]).json);
        assert_eq!(parse(&[]).context, -1);
    }
}

//! Reading and decoding every input; a bad one becomes an error line and the rest go on.

use std::path::Path;

use mapguard_pprof::HeapProfile;
use mapguard_pprof::decode::decode_heap;
use mapguard_pprof::input::{self, Limits};

use mapguard_pprof::attribute::Attribution;

/// One decoded profile and the name it was given on the command line.
pub(crate) struct Loaded {
    pub(crate) label: String,
    pub(crate) profile: HeapProfile,
}

/// File names a directory contributes: profiles as Go tools name them.
const PROFILE_SUFFIXES: [&str; 7] = [".pb.gz", ".pb", ".gz", ".pprof", ".prof", ".heap", ".txt"];

/// Decodes every input in order (a directory's profiles by name); errors are collected.
pub(crate) fn load_all(specs: &[String], limits: Limits, errors: &mut Vec<String>) -> Vec<Loaded> {
    let mut out = Vec::new();
    for spec in specs {
        let path = Path::new(spec);
        if spec != "-" && !input::is_url(spec) && path.is_dir() {
            match directory_profiles(path) {
                Ok(files) if files.is_empty() => errors.push(format!(
                    "{spec}: no profiles in this directory (looked for {})",
                    PROFILE_SUFFIXES.join(", ")
                )),
                Ok(files) => {
                    for file in files {
                        load_one(&file, limits, errors, &mut out);
                    }
                }
                Err(err) => errors.push(format!("{spec}: cannot read directory: {err}")),
            }
        } else {
            load_one(spec, limits, errors, &mut out);
        }
    }
    out
}

fn load_one(spec: &str, limits: Limits, errors: &mut Vec<String>, out: &mut Vec<Loaded>) {
    let label = if spec == "-" { "<stdin>" } else { spec };
    let data = match input::read(spec, limits) {
        Ok(data) => data,
        Err(err) => {
            errors.push(format!("{label}: {err}"));
            return;
        }
    };
    match decode_heap(&data, limits.max_bytes) {
        Ok(profile) => out.push(Loaded {
            label: label.to_owned(),
            profile,
        }),
        Err(err) => errors.push(format!("{label}: {err}")),
    }
}

fn directory_profiles(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !entry.file_type()?.is_file() {
            continue;
        }
        if PROFILE_SUFFIXES.iter().any(|s| name.ends_with(s)) {
            files.push(entry.path().to_string_lossy().into_owned());
        }
    }
    files.sort();
    Ok(files)
}

/// Orders profiles by collection time when every profile has one (legacy text has none: then the
/// command-line order stands).
pub(crate) fn order_by_time(profiles: &mut [(Loaded, Attribution)]) {
    if profiles.iter().all(|(l, _)| l.profile.time_nanos > 0) {
        profiles.sort_by_key(|(l, _)| l.profile.time_nanos);
    }
}

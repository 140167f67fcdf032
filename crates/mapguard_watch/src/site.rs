//! Site labels: `file.go:line` relative to the module root, as `mapguard heap` shows them.

use std::path::Path;

use mapguard_pprof::attribute::{MapReport, SiteRef};

/// `pkg/file.go:12`: relative to `root` when inside it, else the last two path components.
pub fn site_ref(site: &SiteRef, root: Option<&Path>) -> String {
    let path = Path::new(&site.file);
    let shown = match root.and_then(|r| path.strip_prefix(r).ok()) {
        Some(rel) => rel.to_string_lossy().into_owned(),
        None => {
            let parts: Vec<&str> = site.file.rsplit('/').take(2).collect();
            parts.into_iter().rev().collect::<Vec<_>>().join("/")
        }
    };
    format!("{shown}:{}", site.line)
}

/// The label of one map: its first site (`+N` more when it has several), else its key.
pub fn map_label(sites: &[SiteRef], key: &str, root: Option<&Path>) -> String {
    match sites {
        [] => key.to_owned(),
        [one] => site_ref(one, root),
        [first, rest @ ..] => format!("{} (+{})", site_ref(first, root), rest.len()),
    }
}

/// The label of a map report.
pub fn report_label(report: &MapReport, root: Option<&Path>) -> String {
    map_label(&report.sites, &report.key, root)
}

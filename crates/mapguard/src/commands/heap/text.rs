//! The human-readable report: a ranked table of maps, or a table of trends for several profiles.

use std::io::Write as _;
use std::path::Path;

use mapguard_pprof::attribute::{Attribution, MapReport, SiteRef};
use mapguard_pprof::compare::{Comparison, Trend, Verdict};
use mapguard_runtime::map::AllocKind;

use super::Run;

/// Prints the report for one profile, or the comparison of several.
#[allow(clippy::print_stdout)]
pub(crate) fn print(run: &Run<'_>) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let root = run.source.map(|s| s.root.as_path());
    match (&run.comparison, run.profiles.last()) {
        (Some(cmp), _) => comparison(&mut out, cmp, run.args.top, root)?,
        (None, Some((loaded, att))) => {
            writeln!(out, "{}", headline(&loaded.label, att))?;
            table(&mut out, att, run.args.top, root)?;
        }
        (None, None) => {}
    }
    for note in notes(run) {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}

/// One line per input error, on stderr.
#[allow(clippy::print_stderr)]
pub(crate) fn print_errors(errors: &[String]) {
    for e in errors {
        eprintln!("mapguard: {e}");
    }
}

/// What could not be attributed and why, and what was assumed.
pub(crate) fn notes(run: &Run<'_>) -> Vec<String> {
    let mut notes = Vec::new();
    let Some((_, att)) = run.profiles.last() else {
        return notes;
    };
    if run.source.is_none() && att.unchecked.amount.bytes > 0 {
        notes.push(format!(
            "{} ({:.1}% of the heap) at {} user lines not attributed: without --source, mapguard \
             cannot tell which lines make or write maps, because Go's heap profiles strip the \
             runtime's map frames; only reflect, maps.Clone and kept runtime map frames were \
             attributed. Re-run with --source DIR (the Go module root).",
            bytes(att.unchecked.amount.bytes),
            percent(att.unchecked.amount.bytes, att.total.bytes),
            att.unchecked.lines
        ));
    }
    if let Some(source) = run.source {
        let matched = att
            .maps
            .iter()
            .any(|m| m.sites.iter().any(|s| s.kind.is_some()));
        if !matched {
            notes.push(format!(
                "no profile line matched a map site under --source {}: is it the module that was \
                 profiled? (paths are matched by their ending)",
                source.root.display()
            ));
        }
        let untyped = source.table.len() - source.typed;
        if untyped > 0 {
            notes.push(format!(
                "{untyped} of {} map sites in the source have no known map type: allocations on \
                 those lines count as map memory without a size check",
                source.table.len()
            ));
        }
    }
    let typed_match = att
        .maps
        .iter()
        .any(|m| m.map_type.is_some() && m.sites.iter().any(|s| s.kind.is_some()));
    if att.target_inferred && typed_match {
        notes.push(format!(
            "Go version not given: allocation sizes fit {} best (set it with --go)",
            att.target
        ));
    }
    notes
}

fn headline(label: &str, att: &Attribution) -> String {
    format!(
        "{label} ({}): heap {} in {} objects; maps hold {} ({:.1}%) in {} objects",
        att.sample,
        bytes(att.total.bytes),
        att.total.objects,
        bytes(att.map_total.bytes),
        percent(att.map_total.bytes, att.total.bytes),
        att.map_total.objects
    )
}

fn table(
    out: &mut impl std::io::Write,
    att: &Attribution,
    top: usize,
    root: Option<&Path>,
) -> std::io::Result<()> {
    let maps: Vec<&MapReport> = att
        .maps
        .iter()
        .filter(|m| m.map.bytes > 0 || m.map.objects > 0)
        .take(top)
        .collect();
    if maps.is_empty() {
        return writeln!(out, "no map memory found");
    }
    writeln!(
        out,
        "{:>3}  {:<32} {:<28} {:>11} {:>8} {:>11}  EST. ENTRIES",
        "#", "SITE", "MAP TYPE", "MAP BYTES", "OBJECTS", "VALUE BYTES"
    )?;
    for (i, m) in maps.iter().enumerate() {
        writeln!(
            out,
            "{:>3}  {:<32} {:<28} {:>11} {:>8} {:>11}  {}",
            i + 1,
            site_label(m, root),
            m.map_type.as_deref().unwrap_or("?"),
            bytes(m.map.bytes),
            m.map.objects,
            bytes(m.values.bytes),
            entries(m)
        )?;
        writeln!(out, "     {}", details(m, root))?;
    }
    let hidden = att
        .maps
        .iter()
        .filter(|m| m.map.bytes > 0)
        .count()
        .saturating_sub(maps.len());
    if hidden > 0 {
        writeln!(out, "     ... {hidden} more (--top N)")?;
    }
    Ok(())
}

fn comparison(
    out: &mut impl std::io::Write,
    cmp: &Comparison,
    top: usize,
    root: Option<&Path>,
) -> std::io::Result<()> {
    let first = cmp.profiles.first();
    let last = cmp.profiles.last();
    if let (Some(first), Some(last)) = (first, last) {
        writeln!(
            out,
            "{} profiles ({}), {} → {}: heap {} → {}, maps {} → {}",
            cmp.profiles.len(),
            cmp.sample,
            first.label,
            last.label,
            bytes(first.total.bytes),
            bytes(last.total.bytes),
            bytes(first.map_total.bytes),
            bytes(last.map_total.bytes)
        )?;
    }
    let shown: Vec<&Trend> = cmp
        .trends
        .iter()
        .filter(|t| t.growth != 0 || t.verdict == Verdict::LeakSuspect)
        .take(top)
        .collect();
    if shown.is_empty() {
        return writeln!(out, "no map changed");
    }
    let space = cmp.sample.is_space();
    let amount = |v: i64| if space { bytes(v) } else { v.to_string() };
    writeln!(
        out,
        "{:<13} {:<32} {:<28} {:>11} {:>11} {:>12}",
        "VERDICT", "SITE", "MAP TYPE", "FIRST", "LAST", "GROWTH"
    )?;
    for t in shown {
        let site = t
            .sites
            .first()
            .map_or_else(|| t.key.clone(), |s| site_ref(s, root));
        writeln!(
            out,
            "{:<13} {:<32} {:<28} {:>11} {:>11} {:>12}",
            verdict(t.verdict),
            site,
            t.map_type.as_deref().unwrap_or("?"),
            amount(t.values.first().copied().unwrap_or(0)),
            amount(t.values.last().copied().unwrap_or(0)),
            signed(t.growth, space)
        )?;
        let slope = match t.slope_per_second {
            Some(s) => format!("{}/min", signed((s * 60.0) as i64, space)),
            None => format!("{}/profile", signed(t.slope_per_profile as i64, space)),
        };
        writeln!(
            out,
            "              {}; slope {slope}; grew in {} of {} steps{}; {:.1}% of the newest heap",
            t.values
                .iter()
                .map(|&v| amount(v))
                .collect::<Vec<_>>()
                .join(" → "),
            t.evidence.increases,
            t.evidence.profiles.saturating_sub(1),
            if t.evidence.monotonic {
                ", never shrank"
            } else {
                ""
            },
            t.evidence.share_of_heap * 100.0
        )?;
    }
    if cmp.profiles.len() < 3 {
        writeln!(out, "leak verdicts need at least 3 profiles")?;
    }
    Ok(())
}

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::LeakSuspect => "LEAK SUSPECT",
        Verdict::Grew => "grew",
        Verdict::Unchanged => "unchanged",
        Verdict::Shrank => "shrank",
    }
}

fn site_label(m: &MapReport, root: Option<&Path>) -> String {
    match m.sites.as_slice() {
        [] => m.key.clone(),
        [one] => site_ref(one, root),
        [first, rest @ ..] => format!("{} (+{})", site_ref(first, root), rest.len()),
    }
}

fn details(m: &MapReport, root: Option<&Path>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for s in &m.sites {
        let kind = s.kind.map_or("", |k| k.label());
        parts.push(
            format!("{kind} {} in {}", site_ref(s, root), s.function)
                .trim()
                .to_owned(),
        );
    }
    let mut text = parts.join(", ");
    if let Some(via) = &m.via {
        text.push_str(&format!("; via {via}"));
    }
    if !m.parts.is_empty() {
        let p: Vec<String> = m
            .parts
            .iter()
            .filter(|p| p.bytes > 0)
            .map(|p| format!("{} {}", p.label, bytes(p.bytes)))
            .collect();
        if !p.is_empty() {
            text.push_str(&format!("; {}", p.join(", ")));
        }
    }
    text
}

fn entries(m: &MapReport) -> String {
    // A line that only made the header says nothing about the entries (they grow elsewhere).
    let header_only = m
        .parts
        .iter()
        .all(|p| matches!(p.part, AllocKind::Header | AllocKind::MapExtra) || p.bytes == 0);
    match m.entries {
        _ if header_only => "-".to_owned(),
        Some(e) if e.low == e.high => format!("~{}", e.low),
        Some(e) => format!("{}–{}", e.low, e.high),
        None => "-".to_owned(),
    }
}

/// `pkg/file.go:12`, relative to `--source` when inside it, else the last two path components.
fn site_ref(s: &SiteRef, root: Option<&Path>) -> String {
    let path = Path::new(&s.file);
    let shown = match root.and_then(|r| path.strip_prefix(r).ok()) {
        Some(rel) => rel.to_string_lossy().into_owned(),
        None => {
            let parts: Vec<&str> = s.file.rsplit('/').take(2).collect();
            parts.into_iter().rev().collect::<Vec<_>>().join("/")
        }
    };
    format!("{shown}:{}", s.line)
}

fn percent(part: i64, whole: i64) -> f64 {
    if whole > 0 {
        part as f64 * 100.0 / whole as f64
    } else {
        0.0
    }
}

/// IEC units: `512 B`, `1.5 KiB`, `3.25 MiB`.
pub(crate) fn bytes(n: i64) -> String {
    let abs = n.unsigned_abs() as f64;
    let sign = if n < 0 { "-" } else { "" };
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = abs;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{sign}{abs} B")
    } else {
        format!("{sign}{value:.2} {}", units[unit])
    }
}

fn signed(n: i64, space: bool) -> String {
    let body = if space {
        bytes(n.abs())
    } else {
        n.abs().to_string()
    };
    match n.signum() {
        1 => format!("+{body}"),
        -1 => format!("-{body}"),
        _ => body,
    }
}

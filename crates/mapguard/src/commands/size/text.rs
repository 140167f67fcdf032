//! Human-readable `mapguard size` output: models side by side.

use std::fmt::Write as _;

use mapguard_runtime::map::GrowthEvent;

use super::report::{FootprintReport, ModelReport, Report, describe_structure};

/// `1234567` → `1,234,567`.
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn bytes(n: u64) -> String {
    format!("{} B", thousands(n))
}

fn human(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// Table rows (label, one cell per model), printed with columns as wide as their widest cell.
#[derive(Default)]
struct Table {
    rows: Vec<(String, Vec<String>)>,
}

impl Table {
    fn render(&self, out: &mut String) {
        let width = self
            .rows
            .iter()
            .flat_map(|(_, cells)| cells.iter().map(|c| c.chars().count()))
            .max()
            .unwrap_or(0)
            .max(24)
            + 2;
        for (label, cells) in &self.rows {
            let _ = write!(out, "  {label:<22}");
            for cell in cells {
                let _ = write!(out, "{cell:>width$}");
            }
            out.push('\n');
        }
    }
}

fn row(table: &mut Table, label: &str, cells: &[String]) {
    table.rows.push((label.to_owned(), cells.to_vec()));
}

pub(super) fn render(r: &Report) -> String {
    let mut out = String::new();
    let hint = r
        .hint
        .map_or("no hint".to_owned(), |h| format!("hint {}", thousands(h)));
    let _ = writeln!(
        out,
        "{} on {}: {} entries, {hint}",
        r.map_type,
        r.arch,
        thousands(r.entries)
    );
    for (what, o) in [("key", &r.key), ("value", &r.value)] {
        let place = if o.out_of_line {
            "over 128 B: stored out of line, one allocation per entry"
        } else {
            "stored inline"
        };
        let _ = writeln!(
            out,
            "  {what:<6}{} ({} B, align {}), {place}",
            o.ty, o.size, o.align
        );
    }
    out.push('\n');
    let models = &r.models;
    let mut table = Table::default();
    let heads: Vec<String> = models
        .iter()
        .map(|m| format!("{} {}", m.go, m.implementation))
        .collect();
    row(&mut table, "", &heads);
    let cells = |f: &dyn Fn(&ModelReport) -> String| models.iter().map(f).collect::<Vec<_>>();
    row(
        &mut table,
        "total",
        &cells(&|m| {
            let t = m.footprint.total;
            let approx = if m.footprint.parts.exact { "" } else { "~" };
            if t < 1024 {
                format!("{approx}{}", bytes(t))
            } else {
                format!("{approx}{} ({})", bytes(t), human(t))
            }
        }),
    );
    row(
        &mut table,
        "per entry",
        &cells(&|m| {
            m.bytes_per_entry
                .map_or("-".to_owned(), |b| format!("{b:.2} B"))
        }),
    );
    let part = |name: &str, get: &dyn Fn(&FootprintReport) -> u64, out: &mut Table| {
        if models.iter().any(|m| get(&m.footprint) > 0) {
            let cell = |m: &ModelReport| match get(&m.footprint) {
                0 => "-".to_owned(),
                v => bytes(v),
            };
            row(out, name, &cells(&cell));
        }
    };
    part("  header", &|f| f.parts.header, &mut table);
    part("  buckets / groups", &|f| f.parts.buckets, &mut table);
    part("  overflow buckets", &|f| f.parts.overflow, &mut table);
    part(
        "  old buckets (growing)",
        &|f| f.parts.old_buckets,
        &mut table,
    );
    part("  mapextra", &|f| f.parts.extra, &mut table);
    part("  tables", &|f| f.parts.tables, &mut table);
    part("  directory", &|f| f.parts.directory, &mut table);
    part(
        "  out-of-line keys",
        &|f| f.parts.out_of_line_keys,
        &mut table,
    );
    part(
        "  out-of-line values",
        &|f| f.parts.out_of_line_values,
        &mut table,
    );
    if let Some(d) = models.first().and_then(|m| m.after_delete.as_ref()) {
        let label = format!("after deleting {:.0}%", d.fraction * 100.0);
        row(
            &mut table,
            &label,
            &cells(&|m| {
                m.after_delete
                    .as_ref()
                    .map_or("-".into(), |d| bytes(d.footprint.total))
            }),
        );
    }
    row(
        &mut table,
        "after clear(m)",
        &cells(&|m| bytes(m.after_clear.total)),
    );
    row(
        &mut table,
        "after m = make(...)",
        &cells(&|m| bytes(m.after_reassign.total)),
    );
    if models.iter().any(|m| m.pointer_value.is_some()) {
        row(
            &mut table,
            "as map[K]*V",
            &cells(&|m| {
                m.pointer_value
                    .as_ref()
                    .map_or("-".into(), |p| bytes(p.total))
            }),
        );
    }
    table.render(&mut out);
    out.push('\n');
    for m in models {
        let _ = writeln!(
            out,
            "{} {}: {}",
            m.go,
            m.implementation,
            describe_structure(m)
        );
        if !m.footprint.parts.exact {
            let _ = writeln!(
                out,
                "  (expected value: overflow chains or table splits depend on the hash seed)"
            );
        }
        let _ = writeln!(out, "  growth (entries -> bytes):");
        for s in &m.growth {
            let _ = writeln!(
                out,
                "    {:>14} -> {:>16}  {}",
                thousands(s.entries),
                bytes(s.total),
                event(&s.event)
            );
        }
        if let Some(p) = &m.pointer_value {
            let _ = writeln!(
                out,
                "  as {}: {} map + {} in {} separate values = {}{}",
                p.map_type,
                bytes(p.map_bytes),
                bytes(p.value_objects),
                thousands(r.entries),
                bytes(p.total),
                p.bytes_per_entry
                    .map_or(String::new(), |b| format!(" ({b:.2} B per entry)"))
            );
            if let (Some(after), Some(d)) = (p.after_delete, &m.after_delete) {
                let _ = writeln!(
                    out,
                    "    after deleting {:.0}%: {} (inline values: {})",
                    d.fraction * 100.0,
                    bytes(after),
                    bytes(d.footprint.total)
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "\nDeletes and clear(m) never shrink a Go map; reassigning with make lets the old storage be collected."
    );
    out
}

fn event(e: &GrowthEvent) -> String {
    match e {
        GrowthEvent::Preallocated => "make allocates for the hint".to_owned(),
        GrowthEvent::FirstBucket => "first insert allocates bucket 0".to_owned(),
        GrowthEvent::Doubled { b } => {
            format!("buckets double to 2^{b} (old array kept while evacuating)")
        }
        GrowthEvent::SmallGroup => "first insert allocates the small-map group".to_owned(),
        GrowthEvent::TableGrew { capacity } => format!("table grows to {capacity} slots"),
        GrowthEvent::Split { tables } => format!("tables split: ~{tables:.0} tables of 1024 slots"),
        GrowthEvent::Requested => "requested size".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_thousands_and_units() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(human(37_832_752), "36.1 MiB");
    }
}

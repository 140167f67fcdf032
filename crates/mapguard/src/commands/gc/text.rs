//! The text summary of a GC report.

use std::io::{self, Write};

use mapguard_gc::human::{bytes, duration, pause};
use mapguard_gc::sparkline::sparkline;
use mapguard_gc::{Report, SegmentReport, SourceKind, TimeBase, VerdictKind};

const SPARK_WIDTH: usize = 48;

pub(crate) fn write_report(out: &mut impl Write, name: &str, report: &Report) -> io::Result<()> {
    let source = match report.source {
        SourceKind::Gctrace => "gctrace",
        SourceKind::Expvar => "expvar snapshots",
        SourceKind::Prometheus => "Prometheus scrapes",
    };
    let unit = match report.source {
        SourceKind::Gctrace => "GC cycles",
        _ => "snapshots",
    };
    writeln!(out, "{name} ({source}, {} {unit})", report.samples)?;
    let v = &report.verdict;
    let kind = match v.kind {
        VerdictKind::Leak => "LEAK",
        VerdictKind::NoLeak => "no leak",
        VerdictKind::Inconclusive => "inconclusive",
    };
    let confidence = format!("{:?}", v.confidence).to_lowercase();
    writeln!(out, "  verdict   {kind} ({confidence} confidence)")?;
    writeln!(out, "            {}", v.summary)?;
    for line in &v.evidence {
        writeln!(out, "            - {line}")?;
    }
    for segment in &report.segments {
        if report.segments.len() > 1 {
            writeln!(
                out,
                "  segment {} ({} {}–{}): {}",
                segment.index + 1,
                origin_unit(report.source),
                segment.first_origin,
                segment.last_origin,
                segment.verdict.summary
            )?;
        }
        write_segment(out, report, segment)?;
    }
    if !report.notes.is_empty() {
        writeln!(out, "  notes")?;
        for note in &report.notes {
            writeln!(out, "            - {}", note.message)?;
        }
    }
    Ok(())
}

fn write_segment(out: &mut impl Write, report: &Report, s: &SegmentReport) -> io::Result<()> {
    if let Some(h) = &s.heap_summary {
        let values: Vec<f64> = s.heap.iter().map(|p| p.bytes).collect();
        writeln!(
            out,
            "  {:<9} {}  {} → {} (min {}, median {}, max {})",
            match s.heap_measure {
                mapguard_gc::HeapMeasure::LiveHeap => "live heap",
                mapguard_gc::HeapMeasure::HeapGoal => "heap goal",
            },
            sparkline(&values, SPARK_WIDTH),
            bytes(h.first_bytes),
            bytes(h.last_bytes),
            bytes(h.min_bytes),
            bytes(h.median_bytes),
            bytes(h.max_bytes)
        )?;
    }
    if let Some(p) = &s.pauses {
        writeln!(
            out,
            "  pauses    {} STW{}: p50 {}, p90 {}, p99 {}, max {}, total {}",
            p.count,
            if p.approximate {
                " (interval means)"
            } else {
                ""
            },
            pause(p.p50_secs),
            pause(p.p90_secs),
            pause(p.p99_secs),
            pause(p.max_secs),
            pause(p.total_secs)
        )?;
    }
    if let Some(summary) = &s.exported_pause_summary {
        let qs: Vec<String> = summary
            .quantiles
            .iter()
            .map(|(q, v)| format!("q{q} {}", pause(*v)))
            .collect();
        writeln!(out, "            go_gc_duration_seconds: {}", qs.join(", "))?;
    }
    let window = if report.time_base == TimeBase::FileOrder {
        format!("{} samples (no clock in the input)", s.samples)
    } else {
        duration(s.duration_secs)
    };
    match (s.gc_per_minute, s.mean_gc_interval_secs) {
        (Some(rate), Some(interval)) => writeln!(
            out,
            "  GC rate   {rate:.1} per minute (every {}), {} cycles over {window}{}",
            duration(interval),
            s.gc_cycles.unwrap_or(0),
            forced(s.forced_cycles)
        )?,
        _ => writeln!(
            out,
            "  GC rate   {} cycles over {window}{}",
            s.gc_cycles.map_or("?".to_owned(), |c| c.to_string()),
            forced(s.forced_cycles)
        )?,
    }
    if let Some(cpu) = &s.gc_cpu {
        let window = cpu
            .window_percent
            .map_or(String::new(), |w| format!(", {w:.1}% within this window"));
        writeln!(
            out,
            "  GC CPU    {:.1}% since the process started{window}",
            cpu.since_start_percent
        )?;
    }
    Ok(())
}

fn forced(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" ({n} forced)")
    }
}

fn origin_unit(source: SourceKind) -> &'static str {
    match source {
        SourceKind::Gctrace => "lines",
        SourceKind::Expvar => "documents",
        SourceKind::Prometheus => "scrapes",
    }
}

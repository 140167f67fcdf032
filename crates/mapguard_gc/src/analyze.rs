//! From a [`Series`] to a [`Report`]: segments, pauses, GC rate and CPU, heap trend, verdict.

use crate::heatmap;
use crate::human;
use crate::model::{Series, SourceKind, TimeBase};
use crate::report::{
    Confidence, GcCpu, HeapMeasure, HeapPoint, HeapSummary, MemStatsModel, PauseStats, Report,
    SCHEMA_VERSION, SegmentReport, Verdict, VerdictKind,
};
use crate::segments::{self, Part};
use crate::stats::quantile::{median, weighted_quantiles};
use crate::verdict::{self, VerdictOptions};

/// A heap goal this large means the GC was off (`GOGC=off`, `debug.SetGCPercent(-1)`): no goal.
const GC_OFF_GOAL: f64 = (1u64 << 60) as f64;

/// Heap points kept per segment in the report.
const MAX_HEAP_POINTS: usize = 600;

/// Analyses a series with the default thresholds.
pub fn analyze(series: &Series) -> Report {
    analyze_with(series, VerdictOptions::default())
}

/// Analyses a series with explicit verdict thresholds.
pub fn analyze_with(series: &Series, opts: VerdictOptions) -> Report {
    let (parts, split_notes) = segments::split(series);
    let mut notes = series.notes.clone();
    notes.extend(split_notes);

    let mut segments = Vec::with_capacity(parts.len());
    let mut heat_points = Vec::new();
    let mut axis_end = 0.0f64;
    let series_start = parts
        .first()
        .and_then(|p| p.times.first())
        .copied()
        .unwrap_or(0.0);
    // Which part each sample (and so each pause) belongs to; skipped duplicates belong to none.
    let mut part_of = vec![usize::MAX; series.samples.len()];
    for (index, part) in parts.iter().enumerate() {
        for &sample in &part.samples {
            part_of[sample] = index;
        }
    }
    let mut pauses_by_part: Vec<Vec<&crate::model::Pause>> = vec![Vec::new(); parts.len()];
    for pause in &series.pauses {
        if let Some(&index) = part_of.get(pause.sample)
            && index != usize::MAX
        {
            pauses_by_part[index].push(pause);
        }
    }
    for (index, part) in parts.iter().enumerate() {
        let first_time = part.times[0];
        // Where this part starts on the shared elapsed axis, and how its times map onto it.
        let (elapsed_start, zero) = match series.time_base {
            TimeBase::ProcessStart => (axis_end, 0.0),
            TimeBase::Unix | TimeBase::FileOrder => {
                ((first_time - series_start).max(axis_end), first_time)
            }
        };
        let to_axis = |t: f64| elapsed_start + (t - zero).max(0.0);
        let mut pause_entries = Vec::with_capacity(pauses_by_part[index].len());
        for pause in &pauses_by_part[index] {
            pause_entries.push((pause.seconds, pause.weight));
            heat_points.push((to_axis(pause.time_secs), pause.seconds, pause.weight));
        }
        let place = Place {
            index,
            elapsed_start,
            to_axis: &to_axis,
            part_of: &part_of,
        };
        let segment = segment_report(series, part, &place, pause_entries, opts);
        axis_end = axis_end.max(elapsed_start + (part.times[part.times.len() - 1] - zero).max(0.0));
        segments.push(segment);
    }
    let verdict = overall(&segments);
    Report {
        schema_version: SCHEMA_VERSION,
        source: series.source,
        time_base: series.time_base,
        samples: series.samples.len(),
        verdict,
        pause_heatmap: heatmap::build(&heat_points, axis_end),
        segments,
        notes,
    }
}

/// Where a part sits: its number, its start on the shared elapsed axis, the mapping of its times
/// onto that axis, and which part every sample belongs to.
struct Place<'a> {
    index: usize,
    elapsed_start: f64,
    to_axis: &'a dyn Fn(f64) -> f64,
    part_of: &'a [usize],
}

fn segment_report(
    series: &Series,
    part: &Part,
    place: &Place<'_>,
    mut pause_entries: Vec<(f64, u32)>,
    opts: VerdictOptions,
) -> SegmentReport {
    let Place {
        index,
        elapsed_start,
        to_axis,
        part_of,
    } = *place;
    let samples: Vec<_> = part.samples.iter().map(|&i| &series.samples[i]).collect();
    let first = samples[0];
    let last = samples[samples.len() - 1];
    let (t_first, t_last) = (part.times[0], part.times[part.times.len() - 1]);
    let duration = t_last - t_first;
    let x_is_seconds = series.time_base != TimeBase::FileOrder;

    let counted = match (first.gc_count, last.gc_count) {
        (Some(a), Some(b)) if b >= a => Some(b - a),
        _ => None,
    };
    let gc_cycles = if series.source == SourceKind::Gctrace {
        Some(samples.len() as u64)
    } else {
        counted
    };
    let (gc_per_minute, mean_gc_interval_secs) = match counted {
        Some(c) if c > 0 && duration > 0.0 && x_is_seconds => {
            (Some(c as f64 / duration * 60.0), Some(duration / c as f64))
        }
        _ => (None, None),
    };

    let pauses = pause_stats(&mut pause_entries, series.source == SourceKind::Prometheus);
    let exported_pause_summary = series
        .pause_summaries
        .iter()
        .rev()
        .find(|(i, _)| part_of.get(*i) == Some(&index))
        .map(|(_, s)| s.clone());

    let gc_cpu = last.gc_cpu_fraction.map(|f| {
        let window_percent = match (series.time_base, first.gc_cpu_fraction) {
            (TimeBase::ProcessStart, Some(f0)) if last.time_secs > first.time_secs => Some(
                ((f * last.time_secs - f0 * first.time_secs) / (last.time_secs - first.time_secs)
                    * 100.0)
                    .clamp(0.0, 100.0),
            ),
            _ => None,
        };
        GcCpu {
            since_start_percent: f * 100.0,
            window_percent,
        }
    });

    // One heap point per distinct GC cycle, of the live heap when the input has it.
    let with_live = samples
        .iter()
        .filter(|s| s.live_heap_bytes.is_some())
        .count();
    let measure = if with_live * 2 >= samples.len() && with_live > 0 {
        HeapMeasure::LiveHeap
    } else {
        HeapMeasure::HeapGoal
    };
    let mut points = Vec::new();
    let mut axis_points = Vec::new();
    let mut seen_cycle = None;
    for (k, s) in samples.iter().enumerate() {
        if s.gc_count.is_some() && s.gc_count == seen_cycle {
            continue;
        }
        seen_cycle = s.gc_count;
        let goal = s.heap_goal_bytes.filter(|g| *g < GC_OFF_GOAL);
        let value = match measure {
            HeapMeasure::LiveHeap => s.live_heap_bytes,
            HeapMeasure::HeapGoal => goal,
        };
        if let Some(v) = value.filter(|v| v.is_finite()) {
            let x = if x_is_seconds {
                part.times[k]
            } else {
                k as f64
            };
            points.push((x, v));
            axis_points.push(HeapPoint {
                elapsed_secs: to_axis(part.times[k]),
                bytes: v,
                goal_bytes: goal,
            });
        }
    }
    let heap_summary = summarize(&points);
    let decision = verdict::decide(measure, &points, x_is_seconds, opts);
    let (full, late, mut verdict) = (decision.full, decision.late, decision.verdict);
    if measure == HeapMeasure::HeapGoal && verdict.kind != VerdictKind::Inconclusive {
        verdict.evidence.push(
            "the input has no live-heap figure, so the trend is on the heap goal (NextGC), which the runtime sets to live heap × (1 + GOGC/100) plus roots, at least 4 MB".to_owned(),
        );
    }
    let memstats_model = memstats_model(&samples);
    if let Some(m) = memstats_model {
        verdict.evidence.push(model_sentence(&m));
    }

    SegmentReport {
        index,
        first_origin: first.origin,
        last_origin: last.origin,
        start_secs: t_first,
        elapsed_start_secs: elapsed_start,
        duration_secs: duration,
        samples: samples.len(),
        gc_cycles,
        forced_cycles: samples.iter().filter(|s| s.forced).count(),
        gc_per_minute,
        mean_gc_interval_secs,
        pauses,
        exported_pause_summary,
        gc_cpu,
        heap_measure: measure,
        heap_summary,
        heap: thin(axis_points),
        trend: full,
        late_trend: late,
        verdict,
        memstats_model,
    }
}

fn pause_stats(entries: &mut Vec<(f64, u32)>, approximate: bool) -> Option<PauseStats> {
    let count: u64 = entries.iter().map(|(_, w)| u64::from(*w)).sum();
    let total: f64 = entries.iter().map(|(s, w)| s * f64::from(*w)).sum();
    let q = weighted_quantiles(entries, &[0.5, 0.9, 0.99, 1.0])?;
    Some(PauseStats {
        count,
        p50_secs: q[0],
        p90_secs: q[1],
        p99_secs: q[2],
        max_secs: q[3],
        total_secs: total,
        approximate,
    })
}

fn summarize(points: &[(f64, f64)]) -> Option<HeapSummary> {
    let ys: Vec<f64> = points.iter().map(|p| p.1).collect();
    Some(HeapSummary {
        first_bytes: *ys.first()?,
        last_bytes: *ys.last()?,
        min_bytes: ys.iter().copied().fold(f64::INFINITY, f64::min),
        median_bytes: median(&ys)?,
        max_bytes: ys.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        points: ys.len(),
    })
}

fn memstats_model(samples: &[&crate::model::Sample]) -> Option<MemStatsModel> {
    let with = |s: &&&crate::model::Sample| {
        s.mallocs.is_some() && s.frees.is_some() && s.gc_count.is_some()
    };
    let first = samples.iter().find(with)?;
    let last = samples.iter().rev().find(with)?;
    let live =
        |s: &crate::model::Sample| s.mallocs.unwrap_or(0) as i64 - s.frees.unwrap_or(0) as i64;
    let delta = live(last) - live(first);
    let cycles = last.gc_count?.saturating_sub(first.gc_count?);
    let per_gc = (cycles > 0).then(|| delta as f64 / cycles as f64);
    let inuse = match (first.heap_inuse_bytes, last.heap_inuse_bytes) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    Some(MemStatsModel {
        live_objects_delta: delta,
        gc_cycles: cycles,
        live_objects_per_gc: per_gc,
        heap_inuse_delta_bytes: inuse,
        model_flags_leak: per_gc.is_some_and(|p| p > 5000.0)
            || inuse.is_some_and(|d| d > 10.0 * 1024.0 * 1024.0),
    })
}

fn model_sentence(m: &MemStatsModel) -> String {
    let per_gc = m
        .live_objects_per_gc
        .map_or(String::new(), |p| format!(" ({p:+.0} per GC)"));
    let inuse = m.heap_inuse_delta_bytes.map_or(String::new(), |d| {
        format!(
            ", HeapInuse {}{}",
            if d >= 0.0 { "+" } else { "" },
            human::bytes(d)
        )
    });
    format!(
        "MemStats model: live objects (Mallocs − Frees) {:+} over {} GC cycles{per_gc}{inuse}; its rule (> 5000 objects per GC or > 10 MB HeapInuse growth) {}",
        m.live_objects_delta,
        m.gc_cycles,
        if m.model_flags_leak {
            "flags a leak"
        } else {
            "does not flag a leak"
        }
    )
}

fn thin(points: Vec<HeapPoint>) -> Vec<HeapPoint> {
    if points.len() <= MAX_HEAP_POINTS {
        return points;
    }
    let step = (points.len() - 1) as f64 / (MAX_HEAP_POINTS - 1) as f64;
    (0..MAX_HEAP_POINTS)
        .map(|i| points[((i as f64 * step).round() as usize).min(points.len() - 1)])
        .collect()
}

/// The series' verdict: a leaking segment wins; else the segment with the most points decides.
fn overall(segments: &[SegmentReport]) -> Verdict {
    let leak = segments
        .iter()
        .filter(|s| s.verdict.kind == VerdictKind::Leak)
        .min_by(|a, b| {
            a.verdict
                .p_value
                .unwrap_or(1.0)
                .total_cmp(&b.verdict.p_value.unwrap_or(1.0))
        });
    let chosen = leak.or_else(|| {
        segments
            .iter()
            .max_by_key(|s| s.heap_summary.map_or(0, |h| h.points))
    });
    let Some(chosen) = chosen else {
        return Verdict {
            kind: VerdictKind::Inconclusive,
            confidence: Confidence::Low,
            p_value: None,
            growth_bytes_per_hour: None,
            summary: "inconclusive: no samples".to_owned(),
            evidence: Vec::new(),
        };
    };
    let mut verdict = chosen.verdict.clone();
    if segments.len() > 1 {
        verdict.evidence.insert(
            0,
            format!(
                "the series has {} segments (the process restarted); this verdict is segment {}'s",
                segments.len(),
                chosen.index + 1
            ),
        );
    }
    verdict
}

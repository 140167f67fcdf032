//! Splitting a series where the process restarted, and keeping time monotone within a part.

use crate::model::{Note, Series, SourceKind};

/// One run of the process inside a series: sample indices in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Indices into `Series::samples`.
    pub samples: Vec<usize>,
    /// Each sample's time, never earlier than the one before it.
    pub times: Vec<f64>,
}

/// Splits `series` where a counter went back (a restart) and clamps a clock that went backwards.
/// Returns the parts and one note per split, clock step back or dropped duplicate.
pub fn split(series: &Series) -> (Vec<Part>, Vec<Note>) {
    let mut parts: Vec<Part> = Vec::new();
    let mut notes = Vec::new();
    let mut current = Part {
        samples: Vec::new(),
        times: Vec::new(),
    };
    let unit = unit_name(series.source);
    for (index, sample) in series.samples.iter().enumerate() {
        let Some(&prev_index) = current.samples.last() else {
            current.samples.push(index);
            current.times.push(sample.time_secs);
            continue;
        };
        let prev = &series.samples[prev_index];
        let prev_time = *current.times.last().unwrap_or(&prev.time_secs);
        let went_back =
            |a: Option<u64>, b: Option<u64>| matches!((a, b), (Some(a), Some(b)) if b < a);
        let gc_back = went_back(prev.gc_count, sample.gc_count);
        let allocs_back = went_back(prev.mallocs, sample.mallocs);
        let same_cycle = series.source == SourceKind::Gctrace && prev.gc_count == sample.gc_count;
        let restart = gc_back || allocs_back || (same_cycle && sample.time_secs < prev.time_secs);
        if restart {
            let what = if gc_back {
                format!(
                    "GC count went from {} to {}",
                    prev.gc_count.unwrap_or(0),
                    sample.gc_count.unwrap_or(0)
                )
            } else if allocs_back {
                format!(
                    "Mallocs went from {} to {}",
                    prev.mallocs.unwrap_or(0),
                    sample.mallocs.unwrap_or(0)
                )
            } else {
                format!("gc {} started again", sample.gc_count.unwrap_or(0))
            };
            notes.push(Note {
                at: sample.origin,
                message: format!(
                    "{unit} {}: counters reset ({what}): the process restarted; the series is split here",
                    sample.origin
                ),
            });
            parts.push(std::mem::replace(
                &mut current,
                Part {
                    samples: vec![index],
                    times: vec![sample.time_secs],
                },
            ));
            continue;
        }
        if same_cycle {
            notes.push(Note {
                at: sample.origin,
                message: format!(
                    "{unit} {}: gc {} appears twice; the repeat is skipped",
                    sample.origin,
                    sample.gc_count.unwrap_or(0)
                ),
            });
            continue;
        }
        let mut time = sample.time_secs;
        if time < prev_time {
            notes.push(Note {
                at: sample.origin,
                message: format!(
                    "{unit} {}: clock went backwards ({} s after {} s) while counters went on; kept input order and treated it as no time passing",
                    sample.origin,
                    trim(time),
                    trim(prev_time)
                ),
            });
            time = prev_time;
        }
        current.samples.push(index);
        current.times.push(time);
    }
    if !current.samples.is_empty() {
        parts.push(current);
    }
    (parts, notes)
}

fn unit_name(source: SourceKind) -> &'static str {
    match source {
        SourceKind::Gctrace => "line",
        SourceKind::Expvar => "document",
        SourceKind::Prometheus => "scrape",
    }
}

fn trim(secs: f64) -> String {
    format!("{secs:.3}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Sample, TimeBase};

    fn series(points: &[(f64, u64)]) -> Series {
        let mut s = Series::new(SourceKind::Gctrace, TimeBase::ProcessStart);
        for (i, &(t, n)) in points.iter().enumerate() {
            s.samples.push(Sample {
                time_secs: t,
                gc_count: Some(n),
                origin: i + 1,
                ..Sample::default()
            });
        }
        s
    }

    #[test]
    fn a_counter_reset_splits_the_series() {
        let (parts, notes) = split(&series(&[(1.0, 1), (2.0, 2), (0.5, 1), (1.0, 2)]));
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].samples, vec![2, 3]);
        assert!(notes[0].message.contains("split"), "{notes:?}");
    }

    #[test]
    fn a_clock_going_backwards_is_clamped_not_split() {
        let (parts, notes) = split(&series(&[(1.0, 1), (3.0, 2), (2.0, 3), (4.0, 4)]));
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].times, vec![1.0, 3.0, 3.0, 4.0]);
        assert!(
            notes[0].message.contains("clock went backwards"),
            "{notes:?}"
        );
    }

    #[test]
    fn a_repeated_gc_line_is_skipped() {
        let (parts, notes) = split(&series(&[(1.0, 1), (2.0, 2), (2.0, 2), (3.0, 3)]));
        assert_eq!(parts[0].samples, vec![0, 1, 3]);
        assert_eq!(notes.len(), 1);
    }
}

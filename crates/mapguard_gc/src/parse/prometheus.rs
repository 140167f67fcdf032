//! Prometheus text exposition from client_golang's Go collector (`go_memstats_*`,
//! `go_gc_duration_seconds`, opt-in `go_gc_heap_live_bytes`), one scrape per file or many
//! scrapes in one file.
//!
//! Inside one file a new scrape starts when a sample's timestamp changes or when a series seen in
//! the current scrape appears again. A scrape's time is its timestamp, else
//! `go_memstats_last_gc_time_seconds`, else its position in file order.

use std::collections::HashSet;

use crate::model::{Pause, PauseSummary, Sample, Series, TimeBase};

/// The values of one scrape that mapguard reads.
#[derive(Debug, Default)]
struct Scrape {
    timestamp_ms: Option<i64>,
    seen: HashSet<String>,
    values: usize,
    heap_alloc: Option<f64>,
    heap_inuse: Option<f64>,
    next_gc: Option<f64>,
    live: Option<f64>,
    last_gc: Option<f64>,
    mallocs: Option<f64>,
    frees: Option<f64>,
    gc_cpu_fraction: Option<f64>,
    gc_cpu_secs: Option<f64>,
    total_cpu_secs: Option<f64>,
    pause_quantiles: Vec<(f64, f64)>,
    pause_sum: Option<f64>,
    pause_count: Option<f64>,
}

/// Reader state carried across files of one series.
#[derive(Debug, Default)]
pub(crate) struct PromReader {
    scrapes: usize,
    any_timestamp: bool,
    any_last_gc: bool,
}

impl PromReader {
    /// Adds the scrapes in `text` to `series`. With `one_scrape` (a file per scrape) the whole text
    /// is one scrape. Returns the number of scrapes read.
    pub(crate) fn read(&mut self, text: &[u8], one_scrape: bool, series: &mut Series) -> usize {
        let before = self.scrapes;
        let mut current = Scrape::default();
        for (index, raw) in text.split(|&b| b == b'\n').enumerate() {
            let Ok(line) = std::str::from_utf8(raw) else {
                series.note(
                    index + 1,
                    format!("line {} is not UTF-8; skipped", index + 1),
                );
                continue;
            };
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value, timestamp)) = split_sample(line) else {
                continue;
            };
            let starts_new = !one_scrape
                && current.values > 0
                && (current.seen.contains(key)
                    || (timestamp.is_some() && timestamp != current.timestamp_ms));
            if starts_new {
                self.finish(std::mem::take(&mut current), series);
            }
            current.seen.insert(key.to_owned());
            current.timestamp_ms = current.timestamp_ms.or(timestamp);
            if record(&mut current, key, value) {
                current.values += 1;
            }
        }
        if current.values > 0 {
            self.finish(current, series);
        }
        self.scrapes - before
    }

    /// Sets the series' time base once every scrape is in: timestamps, else last-GC times, else order.
    pub(crate) fn time_base(&self) -> TimeBase {
        if self.any_timestamp || self.any_last_gc {
            TimeBase::Unix
        } else {
            TimeBase::FileOrder
        }
    }

    fn finish(&mut self, scrape: Scrape, series: &mut Series) {
        self.scrapes += 1;
        let at = self.scrapes;
        self.any_timestamp |= scrape.timestamp_ms.is_some();
        self.any_last_gc |= scrape.last_gc.is_some();
        let time_secs = scrape
            .timestamp_ms
            .map(|ms| ms as f64 / 1000.0)
            .or(scrape.last_gc)
            .unwrap_or(at as f64);
        let count = scrape.pause_count.map(|c| c as u64);
        // GC CPU share: the old collector's gauge, else opt-in cpu-classes counters (since start).
        let cpu_fraction =
            scrape
                .gc_cpu_fraction
                .or_else(|| match (scrape.gc_cpu_secs, scrape.total_cpu_secs) {
                    (Some(gc), Some(total)) if total > 0.0 => Some(gc / total),
                    _ => None,
                });
        let previous = series.samples.last().cloned();
        if let (Some(sum), Some(count)) = (scrape.pause_sum, count) {
            let (prev_sum, prev_count) = match &previous {
                Some(p) if p.gc_count.is_some_and(|c| c <= count) => series
                    .pause_summaries
                    .last()
                    .map_or((0.0, 0), |(_, s)| (s.sum_secs, s.count)),
                _ => (0.0, 0),
            };
            let new = count - prev_count.min(count);
            if new > 0 {
                series.pauses.push(Pause {
                    time_secs: scrape.last_gc.unwrap_or(time_secs),
                    seconds: ((sum - prev_sum) / new as f64).max(0.0),
                    weight: u32::try_from(new).unwrap_or(u32::MAX),
                    sample: series.samples.len(),
                });
            }
            series.pause_summaries.push((
                series.samples.len(),
                PauseSummary {
                    quantiles: scrape.pause_quantiles.clone(),
                    sum_secs: sum,
                    count,
                },
            ));
        }
        series.samples.push(Sample {
            time_secs,
            gc_count: count,
            live_heap_bytes: scrape.live,
            heap_goal_bytes: scrape.next_gc,
            heap_alloc_bytes: scrape.heap_alloc,
            heap_inuse_bytes: scrape.heap_inuse,
            mallocs: scrape.mallocs.map(|v| v as u64),
            frees: scrape.frees.map(|v| v as u64),
            gc_cpu_fraction: cpu_fraction,
            forced: false,
            origin: at,
        });
    }
}

/// Stores a value the analysis uses; returns whether `key` was one of them.
fn record(s: &mut Scrape, key: &str, value: f64) -> bool {
    let slot = match key {
        "go_memstats_heap_alloc_bytes" => &mut s.heap_alloc,
        "go_memstats_heap_inuse_bytes" => &mut s.heap_inuse,
        "go_memstats_next_gc_bytes" => &mut s.next_gc,
        "go_gc_heap_live_bytes" => &mut s.live,
        "go_memstats_last_gc_time_seconds" => &mut s.last_gc,
        "go_memstats_mallocs_total" => &mut s.mallocs,
        "go_memstats_frees_total" => &mut s.frees,
        "go_memstats_gc_cpu_fraction" => &mut s.gc_cpu_fraction,
        "go_cpu_classes_gc_total_cpu_seconds_total" => &mut s.gc_cpu_secs,
        "go_cpu_classes_total_cpu_seconds_total" => &mut s.total_cpu_secs,
        "go_gc_duration_seconds_sum" => &mut s.pause_sum,
        "go_gc_duration_seconds_count" => &mut s.pause_count,
        _ => {
            if let Some(q) = key
                .strip_prefix("go_gc_duration_seconds{quantile=\"")
                .and_then(|rest| rest.strip_suffix("\"}"))
                .and_then(|q| q.parse::<f64>().ok())
            {
                s.pause_quantiles.push((q, value));
                return true;
            }
            return false;
        }
    };
    *slot = Some(value);
    true
}

/// Splits `name{labels} value [timestamp]` into (series key, value, timestamp in ms).
fn split_sample(line: &str) -> Option<(&str, f64, Option<i64>)> {
    let key_end = match line.find('{') {
        Some(open) if open < line.find(' ').unwrap_or(usize::MAX) => {
            open + line[open..].find('}')? + 1
        }
        _ => line.find([' ', '\t'])?,
    };
    let key = &line[..key_end];
    let mut rest = line[key_end..].split_whitespace();
    let value = parse_value(rest.next()?)?;
    let timestamp = match rest.next() {
        Some(t) => Some(t.parse::<i64>().ok()?),
        None => None,
    };
    Some((key, value, timestamp))
}

fn parse_value(text: &str) -> Option<f64> {
    match text {
        "+Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        "NaN" => Some(f64::NAN),
        _ => text.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceKind;

    const SCRAPE: &str = "# HELP go_gc_duration_seconds A summary.\n# TYPE go_gc_duration_seconds summary\n\
go_gc_duration_seconds{quantile=\"0\"} 0.0002\ngo_gc_duration_seconds{quantile=\"1\"} 0.0004\n\
go_gc_duration_seconds_sum 0.0012\ngo_gc_duration_seconds_count 4\ngo_memstats_heap_alloc_bytes 3.1e+06\n\
go_memstats_next_gc_bytes 4.194304e+06\ngo_memstats_last_gc_time_seconds 1.7e+09\ngo_memstats_mallocs_total 100\n\
go_memstats_frees_total 40\ngo_info{version=\"go1.26.8\"} 1\n";

    #[test]
    fn splits_repeated_series_into_scrapes_in_file_order() {
        let second = SCRAPE
            .replace("_count 4", "_count 6")
            .replace("_sum 0.0012", "_sum 0.0020")
            .replace("1.7e+09", "1.7000001e+09");
        let text = format!("{SCRAPE}{second}");
        let mut s = Series::new(SourceKind::Prometheus, TimeBase::Unix);
        let mut r = PromReader::default();
        assert_eq!(r.read(text.as_bytes(), false, &mut s), 2);
        assert_eq!(r.time_base(), TimeBase::Unix);
        assert_eq!(s.samples[1].gc_count, Some(6));
        assert_eq!(s.samples[0].heap_goal_bytes, Some(4_194_304.0));
        assert_eq!(s.samples[0].mallocs, Some(100));
        assert_eq!(s.pauses.len(), 2);
        assert_eq!(s.pauses[1].weight, 2);
        assert!((s.pauses[1].seconds - 0.0004).abs() < 1e-12);
        assert_eq!(
            s.pause_summaries[0].1.quantiles,
            vec![(0.0, 0.0002), (1.0, 0.0004)]
        );
    }

    #[test]
    fn a_new_timestamp_starts_a_new_scrape() {
        let text = "go_memstats_next_gc_bytes 10 1000\ngo_memstats_heap_alloc_bytes 5 1000\n\
go_memstats_next_gc_bytes 20 2000\n";
        let mut s = Series::new(SourceKind::Prometheus, TimeBase::Unix);
        let mut r = PromReader::default();
        assert_eq!(r.read(text.as_bytes(), false, &mut s), 2);
        assert_eq!(s.samples[1].time_secs, 2.0);
        assert_eq!(s.samples[1].heap_goal_bytes, Some(20.0));
    }

    #[test]
    fn split_sample_reads_labels_values_and_timestamps() {
        assert_eq!(
            split_sample("a{b=\"c d\"} 1.5 17"),
            Some(("a{b=\"c d\"}", 1.5, Some(17)))
        );
        assert_eq!(split_sample("a 2"), Some(("a", 2.0, None)));
        assert_eq!(split_sample("a"), None);
        assert_eq!(split_sample("a x"), None);
    }
}

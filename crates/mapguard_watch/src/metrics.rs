//! `/metrics`: the current state in OpenMetrics/Prometheus text, through `prometheus-client`.
//!
//! Gauges are rebuilt from [`State`] on every request (sites that vanish leave no stale
//! series); scrape counters and duration histograms live in [`Telemetry`] for the whole run.

use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::config::Target;
use crate::daemon::State;
use crate::scrape::Scrape;
use mapguard_pprof::compare::Verdict;

/// Content type of [`render`]'s output.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
/// Content type of [`to_text_format`]'s output (Prometheus text exposition 0.0.4).
pub const TEXT_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Rewrites OpenMetrics text as Prometheus text format 0.0.4, for clients that do not accept
/// OpenMetrics (`promtool check metrics`, curl): a counter family `x` is named `x_total` in its
/// `HELP` and `TYPE` lines, and `# EOF` is dropped. Samples are the same in both formats.
pub fn to_text_format(openmetrics: &str) -> String {
    let counters: std::collections::HashSet<&str> = openmetrics
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|rest| rest.strip_suffix(" counter"))
        .collect();
    let mut out = String::with_capacity(openmetrics.len());
    for line in openmetrics.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        let meta = ["# HELP ", "# TYPE "]
            .into_iter()
            .find_map(|p| line.strip_prefix(p).map(|rest| (p, rest)));
        match meta {
            Some((prefix, rest)) => {
                let (name, tail) = rest.split_once(' ').unwrap_or((rest, ""));
                if counters.contains(name) {
                    out.push_str(&format!("{prefix}{name}_total {tail}"));
                } else {
                    out.push_str(line);
                }
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// Most map sites exported per target (largest first), to bound the response.
pub const MAX_SITES_PER_TARGET: usize = 50;

type Labels = Vec<(String, String)>;

fn duration_histogram() -> Histogram {
    // 5 ms .. ~41 s.
    Histogram::new(exponential_buckets(0.005, 2.0, 14))
}

/// Counters and histograms that accumulate over the run.
#[derive(Debug)]
pub struct Telemetry {
    durations: Family<Labels, Histogram, fn() -> Histogram>,
    scrapes: Family<Labels, Counter>,
}

impl Default for Telemetry {
    fn default() -> Self {
        Self::new()
    }
}

impl Telemetry {
    /// Empty telemetry.
    pub fn new() -> Self {
        Self {
            durations: Family::new_with_constructor(duration_histogram),
            scrapes: Family::default(),
        }
    }

    /// Counts one scrape of `target` and records its duration.
    pub fn observe(&self, target: &Target, scrape: &Scrape) {
        let labels = target_labels(target);
        self.durations
            .get_or_create(&labels)
            .observe(scrape.duration.as_secs_f64());
        let mut with_result = labels;
        let result = if scrape.result.is_ok() { "ok" } else { "error" };
        with_result.push(("result".to_owned(), result.to_owned()));
        self.scrapes.get_or_create(&with_result).inc();
    }
}

/// The labels every series of `target` carries: `target` and the configured labels.
pub fn target_labels(target: &Target) -> Labels {
    let mut labels = vec![("target".to_owned(), target.name.clone())];
    labels.extend(target.labels.iter().map(|(k, v)| (k.clone(), v.clone())));
    labels
}

/// Renders every metric.
pub fn render(state: &State, telemetry: &Telemetry) -> String {
    let map_bytes = Family::<Labels, Gauge>::default();
    let growth = Family::<Labels, Gauge<f64, AtomicU64>>::default();
    let suspect = Family::<Labels, Gauge>::default();
    let heap = Family::<Labels, Gauge>::default();
    let map_total = Family::<Labels, Gauge>::default();
    let heap_alloc = Family::<Labels, Gauge<f64, AtomicU64>>::default();
    let up = Family::<Labels, Gauge>::default();
    let last = Family::<Labels, Gauge<f64, AtomicU64>>::default();
    let window = Family::<Labels, Gauge>::default();
    for ts in &state.targets {
        let labels = target_labels(&ts.target);
        up.get_or_create(&labels).set(i64::from(ts.up));
        if let Some(ms) = ts.last_scrape_ms {
            last.get_or_create(&labels).set(ms as f64 / 1000.0);
        }
        if let Some(b) = ts.heap_inuse_bytes {
            heap.get_or_create(&labels).set(b);
        }
        if let Some(b) = ts.map_inuse_bytes {
            map_total.get_or_create(&labels).set(b);
        }
        if let Some(b) = ts.memstats.as_ref().and_then(|m| m.heap_alloc_bytes) {
            heap_alloc.get_or_create(&labels).set(b);
        }
        window
            .get_or_create(&labels)
            .set(i64::try_from(ts.window_len).unwrap_or(i64::MAX));
        let mut sites: Vec<_> = ts.sites.iter().collect();
        sites.sort_by_key(|s| std::cmp::Reverse(s.bytes));
        for s in sites.into_iter().take(MAX_SITES_PER_TARGET) {
            let mut l = labels.clone();
            l.push(("site".to_owned(), s.site.clone()));
            l.push((
                "map_type".to_owned(),
                s.map_type.clone().unwrap_or_default(),
            ));
            map_bytes.get_or_create(&l).set(s.bytes);
            if let Some(g) = s.growth_per_hour {
                growth.get_or_create(&l).set(g);
            }
            suspect
                .get_or_create(&l)
                .set(i64::from(s.verdict == Verdict::LeakSuspect));
        }
    }
    let mut registry = Registry::default();
    registry.register(
        "mapguard_map_inuse_bytes",
        "Heap bytes in use by a map site (heap profile inuse_space)",
        map_bytes,
    );
    registry.register(
        "mapguard_map_growth_bytes_per_hour",
        "Least-squares growth of a map site over the verdict window",
        growth,
    );
    registry.register(
        "mapguard_leak_suspect",
        "1 when a map site grew in every scrape of the window and holds a noticeable share of the heap",
        suspect,
    );
    registry.register(
        "mapguard_heap_inuse_bytes",
        "Heap bytes in use in the newest profile (inuse_space)",
        heap,
    );
    registry.register(
        "mapguard_map_total_inuse_bytes",
        "Heap bytes in use attributed to maps in the newest profile",
        map_total,
    );
    registry.register(
        "mapguard_go_heap_alloc_bytes",
        "runtime.MemStats.HeapAlloc from the newest memstats scrape",
        heap_alloc,
    );
    registry.register(
        "mapguard_target_up",
        "1 when the newest scrape of the target succeeded",
        up,
    );
    registry.register(
        "mapguard_last_scrape_timestamp_seconds",
        "When the newest scrape of the target started, Unix seconds",
        last,
    );
    registry.register(
        "mapguard_verdict_window_scrapes",
        "Scrapes in the leak-verdict window",
        window,
    );
    registry.register(
        "mapguard_scrape_duration_seconds",
        "Duration of a scrape (profile, attribution, memstats)",
        telemetry.durations.clone(),
    );
    registry.register(
        "mapguard_scrapes",
        "Scrapes by result",
        telemetry.scrapes.clone(),
    );
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = encode(&mut out, &registry);
    out
}

#[cfg(test)]
mod tests {
    use super::to_text_format;

    #[test]
    fn counters_get_their_total_name_in_text_format() {
        let om = "# HELP a_bytes Bytes.\n# TYPE a_bytes gauge\na_bytes{t=\"x\"} 1\n\
                  # HELP s Scrapes.\n# TYPE s counter\ns_total{t=\"x\"} 3\n# EOF\n";
        assert_eq!(
            to_text_format(om),
            "# HELP a_bytes Bytes.\n# TYPE a_bytes gauge\na_bytes{t=\"x\"} 1\n\
             # HELP s_total Scrapes.\n# TYPE s_total counter\ns_total{t=\"x\"} 3\n"
        );
    }
}

//! One scrape of one target: the heap profile attributed to map sites, plus memstats.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use mapguard_pprof::attribute::{self, Attribution, Options};
use mapguard_pprof::decode::decode_heap;
use mapguard_pprof::{MapSiteIndex, SampleKind};

use crate::config::Target;
use crate::fetch::{self, FetchError, FetchOptions};
use crate::site;

/// Map bytes of one site label in one scrape.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteBytes {
    /// `file.go:line`, relative to the module root when `source` is known.
    pub site: String,
    pub map_type: Option<String>,
    pub bytes: i64,
    pub objects: i64,
}

/// The memstats figures watch keeps (from `/debug/vars` or client_golang's `/metrics`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Memstats {
    pub heap_alloc_bytes: Option<f64>,
    pub heap_inuse_bytes: Option<f64>,
    pub live_heap_bytes: Option<f64>,
    pub heap_goal_bytes: Option<f64>,
    pub gc_count: Option<u64>,
    pub gc_cpu_fraction: Option<f64>,
}

/// What a successful scrape produced.
#[derive(Debug, Clone)]
pub struct ScrapeData {
    /// When Go wrote the profile (nanoseconds since the epoch), else the scrape time.
    pub profile_time_nanos: i64,
    /// `inuse_space` of the whole profile.
    pub heap_inuse_bytes: i64,
    /// `inuse_space` attributed to maps.
    pub map_inuse_bytes: i64,
    /// Per site label, largest first.
    pub sites: Vec<SiteBytes>,
    /// The attribution, for leak verdicts over a window (per-sample roles dropped).
    pub attribution: Attribution,
    pub memstats: Option<Memstats>,
    /// Memstats could not be read (the heap scrape still counts).
    pub memstats_error: Option<String>,
}

/// One scrape of one target, successful or not.
#[derive(Debug, Clone)]
pub struct Scrape {
    /// Index of the target in [`crate::config::Settings::targets`].
    pub target: usize,
    pub started_unix_ms: i64,
    pub duration: Duration,
    pub result: Result<ScrapeData, String>,
}

/// Caps and backoff for one scrape.
#[derive(Debug, Clone, Copy)]
pub struct ScrapeLimits {
    pub max_profile_bytes: u64,
    pub max_memstats_bytes: u64,
    /// First retry wait; bounded so retries end within the interval.
    pub backoff: Duration,
}

/// Milliseconds since the Unix epoch.
pub fn now_unix_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Scrapes `target` once: fetch and attribute the heap profile, then fetch memstats.
pub fn scrape(
    index: usize,
    target: &Target,
    sites: Option<&dyn MapSiteIndex>,
    limits: ScrapeLimits,
) -> Scrape {
    let started_unix_ms = now_unix_ms();
    let clock = Instant::now();
    let result = heap(target, sites, limits, started_unix_ms).map(|mut data| {
        if let Some(url) = &target.memstats_url {
            match memstats(target, url, limits) {
                Ok(m) => data.memstats = Some(m),
                Err(e) => data.memstats_error = Some(e),
            }
        }
        data
    });
    Scrape {
        target: index,
        started_unix_ms,
        duration: clock.elapsed(),
        result,
    }
}

fn options(target: &Target, max_bytes: u64, backoff: Duration) -> FetchOptions {
    FetchOptions {
        timeout: target.timeout,
        max_bytes,
        retries: target.retries,
        backoff,
    }
}

fn heap(
    target: &Target,
    index: Option<&dyn MapSiteIndex>,
    limits: ScrapeLimits,
    started_unix_ms: i64,
) -> Result<ScrapeData, String> {
    let url = &target.heap_url;
    let body = fetch::get(
        url,
        options(target, limits.max_profile_bytes, limits.backoff),
    )
    .map_err(|e| format!("{url}: {e}"))?;
    let profile =
        decode_heap(&body, limits.max_profile_bytes).map_err(|e| format!("{url}: {e}"))?;
    drop(body);
    let options = Options {
        sample: SampleKind::InuseSpace,
        target: None,
        index,
        // Watch shows bytes, growth and verdicts, not entry counts.
        entries: false,
    };
    let mut attribution =
        attribute::attribute(&profile, &options).map_err(|e| format!("{url}: {e}"))?;
    attribution.roles = Vec::new();
    let root = target.source.as_deref();
    Ok(ScrapeData {
        profile_time_nanos: if profile.time_nanos > 0 {
            profile.time_nanos
        } else {
            started_unix_ms.saturating_mul(1_000_000)
        },
        heap_inuse_bytes: attribution.total.bytes,
        map_inuse_bytes: attribution.map_total.bytes,
        sites: site_bytes(&attribution, root),
        attribution,
        memstats: None,
        memstats_error: None,
    })
}

/// Sums map bytes per site label (two maps can share a first site), largest first.
pub fn site_bytes(attribution: &Attribution, root: Option<&Path>) -> Vec<SiteBytes> {
    let mut by_label: BTreeMap<String, SiteBytes> = BTreeMap::new();
    for report in &attribution.maps {
        let label = site::report_label(report, root);
        let entry = by_label.entry(label.clone()).or_insert_with(|| SiteBytes {
            site: label,
            map_type: report.map_type.clone(),
            bytes: 0,
            objects: 0,
        });
        entry.bytes += report.map.bytes;
        entry.objects += report.map.objects;
    }
    let mut out: Vec<SiteBytes> = by_label.into_values().collect();
    out.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.site.cmp(&b.site)));
    out
}

fn memstats(target: &Target, url: &str, limits: ScrapeLimits) -> Result<Memstats, String> {
    let opts = options(target, limits.max_memstats_bytes, limits.backoff);
    let (url, body) = match fetch::get(url, opts) {
        Ok(body) => (url.to_owned(), body),
        // No expvar: client_golang's /metrics carries the same figures.
        Err(FetchError::Status(404)) if url.ends_with("/debug/vars") => {
            let metrics = format!("{}/metrics", target.base_url);
            let body = fetch::get(&metrics, opts).map_err(|e| format!("{metrics}: {e}"))?;
            (metrics, body)
        }
        Err(e) => return Err(format!("{url}: {e}")),
    };
    let kind = mapguard_gc::detect(&body).map_err(|e| format!("{url}: {e}"))?;
    let series = mapguard_gc::read_text(kind, &body).map_err(|e| format!("{url}: {e}"))?;
    let sample = series
        .samples
        .last()
        .ok_or_else(|| format!("{url}: no Go memstats in the response"))?;
    Ok(Memstats {
        heap_alloc_bytes: sample.heap_alloc_bytes,
        heap_inuse_bytes: sample.heap_inuse_bytes,
        live_heap_bytes: sample.live_heap_bytes,
        heap_goal_bytes: sample.heap_goal_bytes,
        gc_count: sample.gc_count,
        gc_cpu_fraction: sample.gc_cpu_fraction,
    })
}

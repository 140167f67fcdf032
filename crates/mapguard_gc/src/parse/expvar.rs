//! expvar `/debug/vars` snapshots: `{"cmdline": […], "memstats": {…MemStats…}, …}`, one document
//! per snapshot, concatenated, as JSON Lines, or one per file. A bare MemStats object is accepted too.
//!
//! expvar carries no clock: each snapshot is placed at its `LastGC` (Unix ns of the last GC's end),
//! the moment its `NextGC` was set. Pauses come from the `PauseNs`/`PauseEnd` rings (256 entries).

use serde::Deserialize;
use serde_json::Value;

use crate::model::{Pause, Sample, Series};

/// The `runtime.MemStats` fields mapguard reads (Go field names, as expvar writes them).
#[derive(Debug, Deserialize)]
struct MemStats {
    #[serde(rename = "HeapAlloc")]
    heap_alloc: u64,
    #[serde(rename = "HeapInuse", default)]
    heap_inuse: Option<u64>,
    #[serde(rename = "NextGC")]
    next_gc: u64,
    #[serde(rename = "LastGC", default)]
    last_gc: u64,
    #[serde(rename = "Mallocs", default)]
    mallocs: Option<u64>,
    #[serde(rename = "Frees", default)]
    frees: Option<u64>,
    #[serde(rename = "NumGC")]
    num_gc: u64,
    #[serde(rename = "PauseNs", default)]
    pause_ns: Vec<u64>,
    #[serde(rename = "PauseEnd", default)]
    pause_end: Vec<u64>,
    #[serde(rename = "GCCPUFraction", default)]
    gc_cpu_fraction: Option<f64>,
}

/// Adds the snapshots in `text` to `series`. Returns how many documents were read; documents
/// without MemStats and text that is not JSON become notes (numbered from `first_doc`).
pub(crate) fn read_documents(text: &[u8], first_doc: usize, series: &mut Series) -> usize {
    let mut docs = 0;
    let stream = serde_json::Deserializer::from_slice(text).into_iter::<Value>();
    for item in stream {
        let at = first_doc + docs;
        docs += 1;
        let value = match item {
            Ok(v) => v,
            Err(err) => {
                series.note(
                    at,
                    format!("document {at} is not valid JSON ({err}); stopped reading this input"),
                );
                break;
            }
        };
        let stats = value.get("memstats").unwrap_or(&value);
        match MemStats::deserialize(stats) {
            Ok(ms) => push(series, &ms, at),
            Err(err) => series.note(
                at,
                format!("document {at} has no usable memstats ({err}); skipped"),
            ),
        }
    }
    docs
}

fn push(series: &mut Series, ms: &MemStats, at: usize) {
    let previous = series.samples.last().and_then(|s| s.gc_count);
    // New cycles since the last snapshot (all of them after a restart or at the start).
    let first_new = match previous {
        Some(prev) if prev <= ms.num_gc => prev + 1,
        _ => 1,
    };
    let ring = ms.pause_ns.len().min(ms.pause_end.len()) as u64;
    if ring > 0 && ms.num_gc >= first_new {
        let oldest_kept = ms.num_gc.saturating_sub(ring - 1).max(1);
        if previous.is_some() && first_new < oldest_kept {
            series.note(
                at,
                format!(
                    "{} GC pauses before document {at} fell out of MemStats' {ring}-entry ring between snapshots",
                    oldest_kept - first_new
                ),
            );
        }
        for cycle in first_new.max(oldest_kept)..=ms.num_gc {
            let slot = ((cycle + ring - 1) % ring) as usize;
            series.pauses.push(Pause {
                time_secs: ms.pause_end[slot] as f64 / 1e9,
                seconds: ms.pause_ns[slot] as f64 / 1e9,
                weight: 1,
                sample: series.samples.len(),
            });
        }
    }
    series.samples.push(Sample {
        time_secs: ms.last_gc as f64 / 1e9,
        gc_count: Some(ms.num_gc),
        live_heap_bytes: None,
        heap_goal_bytes: Some(ms.next_gc as f64),
        heap_alloc_bytes: Some(ms.heap_alloc as f64),
        heap_inuse_bytes: ms.heap_inuse.map(|v| v as f64),
        mallocs: ms.mallocs,
        frees: ms.frees,
        gc_cpu_fraction: ms.gc_cpu_fraction,
        forced: false,
        origin: at,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SourceKind, TimeBase};

    fn doc(num_gc: u64, last_gc_s: u64) -> String {
        let mut pause_ns = vec![0u64; 256];
        let mut pause_end = vec![0u64; 256];
        for gc in 1..=num_gc {
            pause_ns[((gc + 255) % 256) as usize] = gc * 1000;
            pause_end[((gc + 255) % 256) as usize] = gc * 1_000_000_000;
        }
        format!(
            r#"{{"cmdline":["x"],"memstats":{{"HeapAlloc":10,"HeapInuse":20,"NextGC":4194304,"LastGC":{},"Mallocs":5,"Frees":3,"NumGC":{num_gc},"PauseNs":{:?},"PauseEnd":{:?},"GCCPUFraction":0.01}}}}"#,
            last_gc_s * 1_000_000_000,
            pause_ns,
            pause_end
        )
    }

    #[test]
    fn reads_json_lines_and_pause_rings_without_double_counting() {
        let text = format!("{}\n{}\n{}\n", doc(3, 3), doc(3, 3), doc(300, 300));
        let mut s = Series::new(SourceKind::Expvar, TimeBase::Unix);
        assert_eq!(read_documents(text.as_bytes(), 1, &mut s), 3);
        assert_eq!(s.samples.len(), 3);
        assert_eq!(s.samples[2].gc_count, Some(300));
        assert_eq!(s.samples[2].time_secs, 300.0);
        // 3 pauses from the first document, none new in the second, the last 256 of the third.
        assert_eq!(s.pauses.len(), 3 + 256);
        assert_eq!(s.pauses[3].seconds, 45_000.0 / 1e9);
        assert!(s.notes[0].message.contains("41 GC pauses"), "{:?}", s.notes);
    }

    #[test]
    fn bad_documents_become_notes() {
        let text = format!("{{\"cmdline\":[]}}\n{}\nnot json", doc(1, 1));
        let mut s = Series::new(SourceKind::Expvar, TimeBase::Unix);
        read_documents(text.as_bytes(), 1, &mut s);
        assert_eq!(s.samples.len(), 1);
        assert_eq!(s.notes.len(), 2, "{:?}", s.notes);
    }
}

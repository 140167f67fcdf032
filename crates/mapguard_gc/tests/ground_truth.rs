//! Parsed values against what the Go service reported about itself (runtime.ReadMemStats, written
//! to memstats.json with the GC frozen after the last scrape). Fixtures: testdata/gc/generate.sh.

use std::path::{Path, PathBuf};

use mapguard_gc::{InputFormat, Series, read_path};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/gc/fixtures")
}

fn truth(run: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(run).join("memstats.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn read(run: &str, file: &str) -> Series {
    read_path(&fixtures().join(run).join(file), InputFormat::Auto)
        .unwrap_or_else(|e| panic!("{run}/{file}: {e}"))
}

const RUNS: [&str; 6] = [
    "steady-gogc50",
    "steady-gogc100",
    "steady-gogc200",
    "leak-gogc50",
    "leak-gogc100",
    "leak-gogc200",
];

#[test]
fn gctrace_cycles_pauses_and_live_heap_match_memstats() {
    for run in RUNS {
        let t = truth(run);
        let s = read(run, "gctrace.log");
        let num_gc = t["NumGC"].as_u64().unwrap();
        assert_eq!(
            s.samples.len() as u64,
            num_gc,
            "{run}: one gc line per cycle"
        );
        assert_eq!(s.samples.last().unwrap().gc_count, Some(num_gc), "{run}");
        assert_eq!(
            s.samples.iter().filter(|x| x.forced).count() as u64,
            t["NumForcedGC"].as_u64().unwrap(),
            "{run}"
        );
        // gctrace's STW figure is the wall time of sweep termination plus mark termination, each
        // printed to 2 significant digits; PauseNs is the runtime's exact STW time. They agree to
        // rounding for nearly every cycle; the phase clock occasionally includes a little more or
        // less than the stopped time, so allow 2% of cycles off by up to half.
        let first = t["FirstPausedCycle"].as_u64().unwrap();
        let pauses = t["PausesNs"].as_array().unwrap();
        let mut off = 0;
        for (k, expected) in pauses.iter().enumerate() {
            let cycle = first + k as u64;
            let index = s
                .samples
                .iter()
                .position(|x| x.gc_count == Some(cycle))
                .unwrap();
            let got = s.pauses.iter().find(|p| p.sample == index).unwrap().seconds;
            let want = expected.as_f64().unwrap() / 1e9;
            if (got - want).abs() > want * 0.06 + 10e-6 {
                off += 1;
                assert!(
                    (got - want).abs() <= want * 0.5,
                    "{run}: gc {cycle} pause {got} s vs PauseNs {want} s"
                );
            }
        }
        assert!(
            off * 50 <= pauses.len(),
            "{run}: {off} of {} pauses off by > 6%",
            pauses.len()
        );
        // The last cycle's marked bytes, which gctrace prints >> 20.
        let live = t["LiveHeapBytes"].as_u64().unwrap();
        let last_live = s.samples.last().unwrap().live_heap_bytes.unwrap();
        assert_eq!(last_live, ((live >> 20) << 20) as f64, "{run}");
        // gctrace prints int(GCCPUFraction·100) at each cycle's end.
        let cpu = t["GCCPUFraction"].as_f64().unwrap() * 100.0;
        let last_cpu = s.samples.last().unwrap().gc_cpu_fraction.unwrap() * 100.0;
        assert!((last_cpu - cpu).abs() <= 1.0, "{run}: {last_cpu} vs {cpu}");
    }
}

#[test]
fn expvar_snapshots_match_memstats() {
    for (run, file) in [("steady-gogc100", "vars.jsonl"), ("leak-gogc50", "vars")] {
        let t = truth(run);
        let s = read(run, file);
        assert_eq!(
            s.samples.len() as u64,
            t["Samples"].as_u64().unwrap(),
            "{run}"
        );
        let num_gc = t["NumGC"].as_u64().unwrap();
        assert_eq!(s.samples.last().unwrap().gc_count, Some(num_gc), "{run}");
        // Fewer than 256 cycles: the PauseNs rings together hold every pause exactly once.
        assert!(num_gc < 256);
        assert_eq!(s.pauses.len() as u64, num_gc, "{run}");
        let total_ns: u64 = s
            .pauses
            .iter()
            .map(|p| (p.seconds * 1e9).round() as u64)
            .sum();
        assert_eq!(total_ns, t["PauseTotalNs"].as_u64().unwrap(), "{run}");
        let want: Vec<u64> = t["PausesNs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        let got: Vec<u64> = s
            .pauses
            .iter()
            .map(|p| (p.seconds * 1e9).round() as u64)
            .collect();
        assert_eq!(got, want, "{run}: pauses in cycle order");
        let last = s.samples.last().unwrap();
        assert!(last.mallocs.unwrap() <= t["Mallocs"].as_u64().unwrap());
        assert!(s.notes.is_empty(), "{run}: {:?}", s.notes);
    }
}

#[test]
fn prometheus_scrapes_match_memstats() {
    for (run, file) in [
        ("steady-gogc100", "metrics.prom"),
        ("leak-gogc50", "metrics"),
    ] {
        let t = truth(run);
        let s = read(run, file);
        assert_eq!(
            s.samples.len() as u64,
            t["Samples"].as_u64().unwrap(),
            "{run}/{file}"
        );
        let num_gc = t["NumGC"].as_u64().unwrap();
        assert_eq!(s.samples.last().unwrap().gc_count, Some(num_gc), "{run}");
        let (_, summary) = s.pause_summaries.last().unwrap();
        let total = t["PauseTotalNs"].as_f64().unwrap() / 1e9;
        assert!((summary.sum_secs - total).abs() < total * 1e-9, "{run}");
        let weight: u64 = s.pauses.iter().map(|p| u64::from(p.weight)).sum();
        assert_eq!(weight, num_gc, "{run}: every pause counted once");
        let max = t["PausesNs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .max()
            .unwrap();
        let q1 = summary.quantiles.iter().find(|(q, _)| *q == 1.0).unwrap().1;
        assert!(
            (q1 - max as f64 / 1e9).abs() < 1e-9,
            "{run}: quantile 1 is the longest pause"
        );
    }
    // With client_golang's opt-in GC metrics the live heap is exported exactly.
    let s = read("leak-gogc50", "metrics");
    let live = truth("leak-gogc50")["LiveHeapBytes"].as_f64().unwrap();
    assert_eq!(s.samples.last().unwrap().live_heap_bytes, Some(live));
}

//! The SQLite history against real Go heap profiles (testdata/heap/profiles/go1.26/series: four
//! profiles while the `sessions` map leaks).

use std::path::{Path, PathBuf};
use std::time::Duration;

use mapguard_pprof::attribute::{self, Options};
use mapguard_pprof::compare::Verdict;
use mapguard_pprof::decode::decode_heap;
use mapguard_pprof::{HeapProfile, MapSite, SampleKind, SiteKind, SiteTable};
use mapguard_watch::WatchError;
use mapguard_watch::config::Retention;
use mapguard_watch::scrape::{self, Memstats, Scrape, ScrapeData};
use mapguard_watch::store::{SCHEMA_VERSION, Store};
use mapguard_watch::verdict::Window;

fn series_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/heap/profiles/go1.26/series")
}

fn profile(n: usize) -> HeapProfile {
    let data = std::fs::read(series_dir().join(format!("heap-{n}.pb.gz"))).unwrap();
    decode_heap(&data, 1 << 30).unwrap()
}

/// The map sites of testdata/heap/mapsprog/main.go's leaking `sessions` map, as
/// `mapguard heap --source` finds them.
fn sessions_index() -> SiteTable {
    let mut table = SiteTable::new();
    for (line, kind) in [(108, SiteKind::Make), (111, SiteKind::Assign)] {
        table.insert(
            "mapsprog/main.go",
            line,
            MapSite {
                kind,
                map_type: Some("map[string][]byte".into()),
                name: Some("sessions".into()),
            },
        );
    }
    table
}

fn scrape_of(n: usize, started_unix_ms: i64) -> Scrape {
    let p = profile(n);
    let index = sessions_index();
    let options = Options {
        sample: SampleKind::InuseSpace,
        target: None,
        index: Some(&index),
        entries: true,
    };
    let attribution = attribute::attribute(&p, &options).unwrap();
    Scrape {
        target: 0,
        started_unix_ms,
        duration: Duration::from_millis(12),
        result: Ok(ScrapeData {
            profile_time_nanos: p.time_nanos,
            heap_inuse_bytes: attribution.total.bytes,
            map_inuse_bytes: attribution.map_total.bytes,
            sites: scrape::site_bytes(&attribution, None),
            attribution,
            memstats: Some(Memstats {
                heap_alloc_bytes: Some(1e6 * n as f64),
                gc_count: Some(n as u64),
                ..Memstats::default()
            }),
            memstats_error: None,
        }),
    }
}

fn failed(started_unix_ms: i64) -> Scrape {
    Scrape {
        target: 0,
        started_unix_ms,
        duration: Duration::from_secs(5),
        result: Err("http://127.0.0.1:1/debug/pprof/heap: timed out after 5s".into()),
    }
}

#[test]
fn scrapes_survive_an_unclosed_connection() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let mut store = Store::open(&db).unwrap();
    for n in 1..=4 {
        store
            .record("svc", "http://svc", &scrape_of(n, 1_000 * n as i64))
            .unwrap();
    }
    store.record("svc", "http://svc", &failed(5_000)).unwrap();
    // Never closed: no checkpoint, the WAL holds everything, as after kill -9.
    std::mem::forget(store);

    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.scrape_count().unwrap(), 5);
    assert_eq!(store.targets().unwrap(), ["svc"]);

    let heap = store.heap_series("svc", 100).unwrap();
    assert_eq!(heap.len(), 4);
    // The profile's own inuse_space total (heap-4.pb.gz.totals: 5836600 bytes).
    assert_eq!(heap[3].heap_inuse_bytes, 5_836_600);
    assert_eq!(heap[3].heap_alloc_bytes, Some(4e6));
    assert!(heap.windows(2).all(|w| w[0].started_ms < w[1].started_ms));

    let errors = store.recent_errors("svc", 10).unwrap();
    assert_eq!(errors.len(), 1);
    assert!(!errors[0].ok);
    assert!(errors[0].error.as_deref().unwrap().contains("timed out"));

    // The leaking map's site grows scrape by scrape.
    let top = match &scrape_of(4, 0).result {
        Ok(data) => data.sites[0].site.clone(),
        Err(e) => panic!("{e}"),
    };
    let points = store.site_series("svc", &top, 100).unwrap();
    assert_eq!(points.len(), 4);
    assert!(
        points.windows(2).all(|w| w[0].bytes <= w[1].bytes),
        "{points:?}"
    );
    assert!(points[3].bytes > points[0].bytes);

    let reader = Store::open_reader(&db).unwrap();
    assert_eq!(reader.scrape_count().unwrap(), 5);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    drop(Store::open(&db).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let err = Store::open(&db).unwrap_err();
    assert!(matches!(err, WatchError::SchemaTooNew { .. }), "{err}");
    assert!(err.to_string().contains("newer"), "{err}");
}

#[test]
fn not_a_database_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    std::fs::write(
        &db,
        b"this is not sqlite, just text that is long enough to have a header",
    )
    .unwrap();
    let err = Store::open(&db).unwrap_err();
    assert!(err.to_string().contains("h.db"), "{err}");
}

#[test]
fn retention_by_age_then_size() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let mut store = Store::open(&db).unwrap();
    let hour: i64 = 3_600_000;
    for i in 0..10_i64 {
        store
            .record(
                "svc",
                "http://svc",
                &scrape_of(1 + (i % 4) as usize, i * hour),
            )
            .unwrap();
    }
    let retention = Retention {
        max_age: Duration::from_secs(5 * 3600),
        max_bytes: 1 << 30,
    };
    // Now = 10h: scrapes at 0h..4h are older than 5h.
    let pruned = store.prune(&retention, 10 * hour).unwrap();
    assert_eq!(pruned.by_age, 5);
    assert_eq!(store.scrape_count().unwrap(), 5);
    let before = store.data_bytes().unwrap();
    let limit = before - 1;
    let retention = Retention {
        max_age: Duration::from_secs(100 * 3600),
        max_bytes: limit,
    };
    let pruned = store.prune(&retention, 10 * hour).unwrap();
    assert!(pruned.by_size >= 1, "{pruned:?}");
    let left = store.scrape_count().unwrap();
    assert!(
        store.data_bytes().unwrap() <= limit || left == 0,
        "{left} left"
    );
    // The newest scrapes are the ones kept.
    let kept = store.recent_scrapes("svc", 100).unwrap();
    assert!(kept.iter().all(|s| s.started_ms >= 5 * hour));
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn the_leaking_map_becomes_a_suspect_after_three_scrapes() {
    let mut window = Window::new(10);
    for n in 1..=2 {
        let s = scrape_of(n, 0);
        let data = s.result.unwrap();
        window.push(data.profile_time_nanos, data.attribution);
    }
    assert!(
        window
            .statuses(None)
            .iter()
            .all(|s| s.verdict != Verdict::LeakSuspect)
    );
    for n in 3..=4 {
        let data = scrape_of(n, 0).result.unwrap();
        window.push(data.profile_time_nanos, data.attribution);
    }
    let statuses = window.statuses(None);
    let suspects: Vec<_> = statuses
        .iter()
        .filter(|s| s.verdict == Verdict::LeakSuspect)
        .collect();
    assert!(!suspects.is_empty(), "{statuses:#?}");
    assert!(suspects[0].growth_per_hour.unwrap() > 0.0);
    assert!(suspects[0].evidence.monotonic);
}

//! The daemon end to end: leak flagged in /metrics and the dashboard, history across kill -9,
//! stalled targets, escaping, `--once`, bad config.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::time::Duration;

use mapguard_watch::store::Store;

use crate::support::*;

#[test]
fn a_leaking_map_is_flagged_in_metrics_and_dashboard_and_history_survives_kill_9() {
    let svc = Service::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.db");
    let config = write_config(
        dir.path(),
        &format!(
            r#"interval = "300ms"
[[target]]
url = "{}"
name = "svc"
heap = "/debug/pprof/heap?gc=1"
source = "{}"
labels = {{ env = "ci" }}
"#,
            svc.url,
            service_src().display()
        ),
    );
    let watch = Watcher::with_config(dir.path(), &config, &db);
    let site = format!("main.go:{}", leak_line());
    let labels = [
        ("target", "svc"),
        ("env", "ci"),
        ("site", site.as_str()),
        ("map_type", "map[int64][256]byte"),
    ];
    let mut entries = 0;
    let metrics = watch.wait_for(
        90,
        || {
            svc.get("/leak?n=4000");
            entries += 4000;
        },
        |m| sample(m, "mapguard_leak_suspect", &labels) == Some(1.0),
    );
    // The map holds at least its values (out of line, 256 bytes each) and no more than the heap.
    let map_bytes = sample(&metrics, "mapguard_map_inuse_bytes", &labels).unwrap();
    let heap_alloc = sample(
        &metrics,
        "mapguard_go_heap_alloc_bytes",
        &[("target", "svc")],
    )
    .unwrap();
    assert!(
        map_bytes >= 0.5 * 256.0 * f64::from(entries),
        "{map_bytes} for {entries} entries"
    );
    assert!(
        map_bytes <= heap_alloc * 1.5,
        "{map_bytes} > heap {heap_alloc}"
    );
    assert!(sample(&metrics, "mapguard_map_growth_bytes_per_hour", &labels).unwrap() > 0.0);
    assert_eq!(
        sample(&metrics, "mapguard_target_up", &[("target", "svc")]),
        Some(1.0)
    );
    assert!(sample(&metrics, "mapguard_scrapes_total", &[("result", "ok")]).unwrap() >= 3.0);
    assert!(metrics.contains("mapguard_scrape_duration_seconds_bucket{"));

    let page = watch.get("/");
    assert!(page.contains("Leak suspects"), "{page}");
    assert!(page.contains(&format!("<code>{site}</code>")));
    assert!(page.contains("<polyline"));
    let stderr = std::fs::read_to_string(&watch.stderr).unwrap();
    assert!(
        stderr.contains(&format!("svc: leak suspect {site}")),
        "{stderr}"
    );

    // Requests are capped: no bodies, no other methods, no huge targets.
    let (status, _) = raw_request(
        &watch.url,
        "POST / HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc",
    );
    assert_eq!(status, 405);
    let (status, _) = http_get(&watch.url, &format!("/?q={}", "a".repeat(4096)));
    assert_eq!(status, 414);
    assert_eq!(http_get(&watch.url, "/nope").0, 404);
    // A 1 MiB header is refused (hyper's header buffer) and the server goes on.
    let mut stream = TcpStream::connect(watch.url.trim_start_matches("http://")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let big = format!(
        "GET / HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\n\r\n",
        "a".repeat(1 << 20)
    );
    let _ = stream.write_all(big.as_bytes());
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    let reply = String::from_utf8_lossy(&reply);
    assert!(
        reply.is_empty() || reply.starts_with("HTTP/1.1 431"),
        "{}",
        &reply[..reply.len().min(200)]
    );
    assert_eq!(http_get(&watch.url, "/healthz").0, 200);

    // Every mapguard series the generated rules and dashboard use is one watch exports.
    for generator in ["alert-rules", "dashboard"] {
        let out = Command::new(MAPGUARD).arg(generator).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        for name in text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| w.starts_with("mapguard_") && w.len() > "mapguard_".len())
        {
            assert!(
                metrics.contains(&format!("\n{name}{{")),
                "{generator} uses {name}"
            );
        }
    }

    // kill -9 mid-run: the history is intact and keeps every committed scrape.
    let mut watch = watch;
    watch.child.kill().unwrap();
    watch.child.wait().unwrap();
    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let scrapes = store.scrape_count().unwrap();
    assert!(scrapes >= 3, "{scrapes}");
    let points = store.site_series("svc", &site, 1000).unwrap();
    assert!(points.last().unwrap().bytes > points.first().unwrap().bytes);
}

#[test]
fn a_stalled_target_does_not_delay_the_others() {
    let fast = Service::start();
    let slow = Service::start();
    slow.get("/stall?ms=5000");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.db");
    let watch = Watcher::start(
        dir.path(),
        &[
            &fast.url,
            &slow.url,
            "--interval",
            "300ms",
            "--timeout",
            "700ms",
            "--db",
            db.to_str().unwrap(),
        ],
    );
    let fast_name = fast.url.trim_start_matches("http://");
    let slow_name = slow.url.trim_start_matches("http://");
    let metrics = watch.wait_for(
        60,
        || {},
        |m| {
            sample(
                m,
                "mapguard_scrapes_total",
                &[("target", slow_name), ("result", "error")],
            )
            .is_some()
        },
    );
    // While the slow target used up its timeout and retries, the fast one kept its interval.
    let fast_ok = sample(
        &metrics,
        "mapguard_scrapes_total",
        &[("target", fast_name), ("result", "ok")],
    )
    .unwrap();
    assert!(fast_ok >= 4.0, "{fast_ok} fast scrapes\n{metrics}");
    assert_eq!(
        sample(&metrics, "mapguard_target_up", &[("target", slow_name)]),
        Some(0.0)
    );
    let page = watch.get("/");
    assert!(page.contains("Recent scrape errors"), "{page}");
    assert!(page.contains("timed out"), "{page}");
}

/// Serves `profile` at /debug/pprof/heap (and 404 elsewhere) on loopback; returns the base URL.
fn fake_target(profile: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let (status, body) = if request.starts_with("GET /debug/pprof/heap") {
                ("200 OK", profile.as_str())
            } else {
                ("404 Not Found", "not found\n")
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[test]
fn profile_strings_are_escaped_in_the_dashboard() {
    let svc = Service::start();
    svc.get("/leak?n=20000");
    // Go's own debug=1 text profile, with a function name no Go compiler would accept.
    let profile = svc
        .get("/debug/pprof/heap?gc=1&debug=1")
        .replace("main.leak+", "main.leak<script>alert(1)</script>+");
    assert!(profile.contains("<script>"));
    let target = fake_target(profile);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &format!(
            "interval = \"300ms\"\n[[target]]\nurl = \"{target}\"\nname = \"x<b>y\"\nmemstats = \"none\"\nsource = \"{}\"\n",
            service_src().display()
        ),
    );
    let db = dir.path().join("history.db");
    let watch = Watcher::with_config(dir.path(), &config, &db);
    watch.wait_for(30, || {}, |m| m.contains("mapguard_map_inuse_bytes{"));
    let page = watch.get("/");
    assert!(
        page.contains("main.leak&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(page.contains("x&lt;b&gt;y"));
    assert!(!page.contains("<script"), "{page}");
    assert!(!page.contains("<b>"));
}

#[test]
fn once_against_a_dead_target_names_it_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://{}", free_address());
    let out = Command::new(MAPGUARD)
        .args(["watch", &url, "--once", "--timeout", "1s", "--db"])
        .arg(dir.path().join("h.db"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!("{url}/debug/pprof/heap")),
        "{stderr}"
    );
    // The failed scrape is history too.
    let store = Store::open(&dir.path().join("h.db")).unwrap();
    assert_eq!(store.scrape_count().unwrap(), 1);
}

#[test]
fn once_reports_the_map_sites_of_a_live_service() {
    let svc = Service::start();
    svc.get("/leak?n=20000");
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(MAPGUARD)
        .args(["watch", &svc.url, "--once", "--source"])
        .arg(service_src())
        .arg("--db")
        .arg(dir.path().join("h.db"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(&format!("main.go:{}  map[int64][256]byte", leak_line())),
        "{stdout}"
    );
}

#[test]
fn bad_config_and_flags_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[[target]]\nurl = \"http://a\"\nbogus = 1\n");
    let out = Command::new(MAPGUARD)
        .args(["watch", "--once", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("watch.toml") && stderr.contains("bogus"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    let out = Command::new(MAPGUARD)
        .args([
            "watch",
            "http://127.0.0.1:1",
            "--interval",
            "often",
            "--once",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("--interval \"often\"")
    );

    let out = Command::new(MAPGUARD)
        .args(["watch", "--once"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("no targets")
    );
}

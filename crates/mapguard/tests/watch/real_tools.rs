//! Checks with the real tools: promtool, a Prometheus server, headless Chromium (Debian
//! packages `prometheus` and `chromium`, installed by `.ci/run`).

use std::io::Write;
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn promtool_accepts_the_metrics_page() {
    if !have("promtool") {
        return;
    }
    let svc = Service::start();
    let dir = tempfile::tempdir().unwrap();
    let watch = watch_service(dir.path(), &svc);
    let metrics = watch.wait_for(
        30,
        || {
            svc.get("/leak?n=4000");
        },
        |m| m.contains("mapguard_map_inuse_bytes{"),
    );
    let mut check = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    check
        .stdin
        .take()
        .unwrap()
        .write_all(metrics.as_bytes())
        .unwrap();
    let out = check.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A real Prometheus server scrapes watch (and the Go service itself), loads the generated
/// alert rules, and answers PromQL over its HTTP API.
#[test]
fn prometheus_scrapes_watch_and_evaluates_the_rules() {
    if !have("prometheus") {
        return;
    }
    let svc = Service::start();
    let dir = tempfile::tempdir().unwrap();
    let watch = watch_service(dir.path(), &svc);
    let rules = Command::new(MAPGUARD).arg("alert-rules").output().unwrap();
    std::fs::write(dir.path().join("rules.yml"), rules.stdout).unwrap();
    let config = dir.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: [\"{}\"]\n\
             scrape_configs:\n  - job_name: mapguard\n    static_configs: [{{targets: [\"{}\"]}}]\n\
             \x20 - job_name: go\n    static_configs: [{{targets: [\"{}\"]}}]\n",
            dir.path().join("rules.yml").display(),
            watch.url.trim_start_matches("http://"),
            svc.url.trim_start_matches("http://"),
        ),
    )
    .unwrap();
    let listen = free_address();
    let prometheus = Command::new("prometheus")
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.path().join("data").display()
        ))
        .arg(format!("--web.listen-address={listen}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    struct Kill(Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _prometheus = Kill(prometheus);
    let base = format!("http://{listen}");
    let query = |promql: &str| -> serde_json::Value {
        let encoded: String = promql
            .bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        match TcpStream::connect(&listen) {
            Ok(_) => {
                let (status, body) = http_get(&base, &format!("/api/v1/query?query={encoded}"));
                if status == 200 {
                    serde_json::from_str(&body).unwrap()
                } else {
                    serde_json::Value::Null
                }
            }
            Err(_) => serde_json::Value::Null,
        }
    };
    let site = format!("main.go:{}", leak_line());
    let deadline = Instant::now() + Duration::from_secs(120);
    let result = loop {
        svc.get("/leak?n=4000");
        let v = query("mapguard_leak_suspect == 1");
        let found = v["data"]["result"].as_array().and_then(|r| {
            r.iter()
                .find(|s| s["metric"]["site"] == site.as_str())
                .cloned()
        });
        if let Some(series) = found {
            break series;
        }
        assert!(
            Instant::now() < deadline,
            "no leak series in Prometheus: {v}"
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(result["metric"]["job"], "mapguard");
    assert_eq!(result["metric"]["map_type"], "map[int64][256]byte");
    // client_golang's own series arrive beside watch's.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let go = query("go_memstats_heap_alloc_bytes");
        if go["data"]["result"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
        {
            break;
        }
        let (_, targets) = http_get(&base, "/api/v1/targets");
        assert!(Instant::now() < deadline, "{go}\n{targets}");
        std::thread::sleep(Duration::from_millis(500));
    }
    // The generated rules load and evaluate without errors.
    let (status, body) = http_get(&base, "/api/v1/rules");
    assert_eq!(status, 200);
    let rules: serde_json::Value = serde_json::from_str(&body).unwrap();
    let all: Vec<&serde_json::Value> = rules["data"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rules"].as_array().unwrap())
        .collect();
    assert_eq!(all.len(), 4, "{body}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, body) = http_get(&base, "/api/v1/rules");
        let rules: serde_json::Value = serde_json::from_str(&body).unwrap();
        let healths: Vec<String> = rules["data"]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["rules"].as_array().unwrap())
            .map(|r| r["health"].as_str().unwrap_or("").to_owned())
            .collect();
        if healths.iter().all(|h| h == "ok") {
            break;
        }
        assert!(
            healths.iter().all(|h| h != "err") && Instant::now() < deadline,
            "{body}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// Headless Chromium (Debian `chromium`) loads the dashboard of a leaking service: the charts are
/// in the rendered page, no console message or CSP violation is logged, and a screenshot is saved
/// to `$CARGO_TARGET_TMPDIR/watch-dashboard.png`.
#[test]
fn chromium_renders_the_dashboard_without_console_errors() {
    if !have("chromium") {
        return;
    }
    let svc = Service::start();
    let dir = tempfile::tempdir().unwrap();
    let watch = watch_service(dir.path(), &svc);
    watch.wait_for(
        60,
        || {
            svc.get("/leak?n=4000");
        },
        |m| sample(m, "mapguard_leak_suspect", &[("target", "svc")]) == Some(1.0),
    );
    let chromium = |extra: &[String]| {
        let out = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--enable-logging=stderr",
                "--v=0",
                "--window-size=1280,1800",
            ])
            .arg(format!(
                "--user-data-dir={}",
                dir.path().join("chromium").display()
            ))
            .args(extra)
            .arg(format!("{}/", watch.url))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stderr}");
        for bad in [":CONSOLE(", "Refused to", "Uncaught"] {
            assert!(!stderr.contains(bad), "{bad} in Chromium's log:\n{stderr}");
        }
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("watch-dashboard.png");
    let _ = std::fs::remove_file(&shot);
    // The service keeps leaking while Chromium loads the page, so the verdict stands.
    let leaking = std::sync::atomic::AtomicBool::new(true);
    let dom = std::thread::scope(|scope| {
        scope.spawn(|| {
            while leaking.load(std::sync::atomic::Ordering::Relaxed) {
                svc.get("/leak?n=2000");
                std::thread::sleep(Duration::from_millis(300));
            }
        });
        let dom = chromium(&["--dump-dom".to_owned()]);
        chromium(&[format!("--screenshot={}", shot.display())]);
        leaking.store(false, std::sync::atomic::Ordering::Relaxed);
        dom
    });
    assert!(dom.contains("Leak suspects"), "{dom}");
    assert!(dom.matches("<polyline").count() >= 3, "{dom}");
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "{} bytes",
        png.len()
    );
}

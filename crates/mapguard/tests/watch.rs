//! `mapguard watch`, `alert-rules` and `dashboard` end to end, against the Go service in
//! testdata/watch (net/http/pprof, expvar, client_golang; leaks into a map on demand), built
//! with the machine's `go`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use mapguard_watch::store::Store;

const MAPGUARD: &str = env!("CARGO_BIN_EXE_mapguard");

fn service_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/watch")
}

/// The line of testdata/watch/main.go that stores into the leaking map.
fn leak_line() -> usize {
    let text = std::fs::read_to_string(service_src().join("main.go")).unwrap();
    1 + text
        .lines()
        .position(|l| l.contains("leaked[next] ="))
        .expect("the leaking assignment")
}

/// Builds the Go service once per test binary.
fn service_binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mapguard-watch-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("leaksvc");
        let status = Command::new("go")
            .args(["build", "-o"])
            .arg(&out)
            .arg(".")
            .current_dir(service_src())
            .status()
            .expect("go is on PATH");
        assert!(status.success(), "go build testdata/watch failed");
        out
    })
    .clone()
}

/// A running Go service on loopback.
struct Service {
    child: Child,
    url: String,
}

impl Service {
    fn start() -> Self {
        let mut child = Command::new(service_binary())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .expect("the service prints its address")
            .to_owned();
        Self { child, url }
    }

    fn get(&self, path: &str) -> String {
        let (status, body) = http_get(&self.url, path);
        assert_eq!(status, 200, "{path}: {body}");
        body
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running `mapguard watch`.
struct Watcher {
    child: Child,
    url: String,
    stderr: PathBuf,
}

impl Watcher {
    fn start(dir: &Path, args: &[&str]) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let listen = format!("127.0.0.1:{port}");
        let stderr = dir.join("watch.stderr");
        let child = Command::new(MAPGUARD)
            .arg("watch")
            .args(args)
            .args(["--listen", &listen, "--duration", "180s"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        let url = format!("http://{listen}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(&listen).is_err() {
            assert!(Instant::now() < deadline, "watch did not start listening");
            std::thread::sleep(Duration::from_millis(100));
        }
        Self { child, url, stderr }
    }

    fn get(&self, path: &str) -> String {
        let (status, body) = http_get(&self.url, path);
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    /// Polls `/metrics` until `pred` holds (or fails after `secs`), calling `step` between polls.
    fn wait_for(&self, secs: u64, mut step: impl FnMut(), pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let metrics = self.get("/metrics");
            if pred(&metrics) {
                return metrics;
            }
            assert!(
                Instant::now() < deadline,
                "condition not met; metrics:\n{metrics}\nstderr:\n{}",
                std::fs::read_to_string(&self.stderr).unwrap_or_default()
            );
            step();
            std::thread::sleep(Duration::from_millis(300));
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.0 GET: (status, body).
fn http_get(base: &str, path: &str) -> (u16, String) {
    raw_request(base, &format!("GET {path} HTTP/1.0\r\nHost: test\r\n\r\n"))
}

fn raw_request(base: &str, request: &str) -> (u16, String) {
    let addr = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_owned());
    (status, body)
}

/// The value of the first sample of `name` whose labels contain every `labels` pair.
fn sample(metrics: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    metrics.lines().find_map(|line| {
        let rest = line.strip_prefix(name)?;
        if !rest.starts_with('{') {
            return None;
        }
        let (set, value) = rest.rsplit_once("} ")?;
        labels
            .iter()
            .all(|(k, v)| set.contains(&format!("{k}=\"{v}\"")))
            .then(|| value.trim().parse().ok())?
    })
}

fn write_config(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("watch.toml");
    std::fs::write(&path, body).unwrap();
    path
}

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
    let watch = Watcher::start(
        dir.path(),
        &[
            "--config",
            config.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ],
    );
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
    let watch = Watcher::start(
        dir.path(),
        &[
            "--config",
            config.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ],
    );
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
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
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

#[test]
fn alert_rules_are_valid_for_promtool_when_installed() {
    let out = Command::new(MAPGUARD)
        .args(["alert-rules", "--leak-for", "45m"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rules = String::from_utf8(out.stdout).unwrap();
    for alert in [
        "MapguardMapLeakSuspect",
        "GoLiveHeapGrowing",
        "GoGCPauseP99High",
    ] {
        assert!(rules.contains(&format!("- alert: {alert}\n")), "{rules}");
    }
    assert!(rules.contains("for: 45m"));
    let bad = Command::new(MAPGUARD)
        .args(["alert-rules", "--leak-for", "soon"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.yml");
    std::fs::write(&file, &rules).unwrap();
    match Command::new("promtool")
        .arg("check")
        .arg("rules")
        .arg(&file)
        .output()
    {
        Ok(check) => assert!(
            check.status.success(),
            "promtool check rules:\n{}{}",
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        ),
        // promtool (Debian package `prometheus`) is not installed by .ci/run.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("promtool: {e}"),
    }
}

#[test]
fn grafana_dashboard_is_json_with_a_query_per_panel() {
    let out = Command::new(MAPGUARD).arg("dashboard").output().unwrap();
    assert!(out.status.success());
    let dash: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let panels = dash["panels"].as_array().unwrap();
    assert!(panels.len() >= 5);
    for p in panels {
        let targets = p["targets"].as_array().unwrap();
        assert!(!targets.is_empty(), "{p}");
        assert!(
            targets
                .iter()
                .all(|t| t["expr"].as_str().is_some_and(|e| !e.is_empty()))
        );
    }
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("go_gc_duration_seconds") && text.contains("mapguard_leak_suspect"));
}

/// Whether `tool` runs; the Prometheus tests need Debian's `prometheus` package (promtool and
/// the server), which `.ci/run` does not install yet.
#[allow(clippy::print_stderr)]
fn have(tool: &str) -> bool {
    let found = Command::new(tool).arg("--version").output().is_ok();
    if !found {
        eprintln!("{tool} is not installed (Debian package `prometheus`); this check is skipped");
    }
    found
}

/// Watches `svc` every 300 ms with `?gc=1` profiles and `--source testdata/watch`.
fn watch_service(dir: &Path, svc: &Service) -> Watcher {
    let config = write_config(
        dir,
        &format!(
            "interval = \"300ms\"\n[[target]]\nurl = \"{}\"\nname = \"svc\"\n\
             heap = \"/debug/pprof/heap?gc=1\"\nsource = \"{}\"\n",
            svc.url,
            service_src().display()
        ),
    );
    let db = dir.join("history.db");
    Watcher::start(
        dir,
        &[
            "--config",
            config.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ],
    )
}

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
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
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

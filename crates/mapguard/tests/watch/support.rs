//! Shared by the watch tests: the Go test service, a running `mapguard watch`, HTTP helpers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub(crate) const MAPGUARD: &str = env!("CARGO_BIN_EXE_mapguard");

pub(crate) fn service_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/watch")
}

/// The line of testdata/watch/main.go that stores into the leaking map.
pub(crate) fn leak_line() -> usize {
    let text = std::fs::read_to_string(service_src().join("main.go")).unwrap();
    1 + text
        .lines()
        .position(|l| l.contains("leaked[next] ="))
        .expect("the leaking assignment")
}

/// Builds the Go service once per test binary.
pub(crate) fn service_binary() -> PathBuf {
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
pub(crate) struct Service {
    pub(crate) child: Child,
    pub(crate) url: String,
}

impl Service {
    pub(crate) fn start() -> Self {
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

    pub(crate) fn get(&self, path: &str) -> String {
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
pub(crate) struct Watcher {
    pub(crate) child: Child,
    pub(crate) url: String,
    pub(crate) stderr: PathBuf,
}

/// A loopback address with a port free right now.
pub(crate) fn free_address() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("127.0.0.1:{port}")
}

impl Watcher {
    /// `mapguard watch --config CONFIG --db DB`.
    pub(crate) fn with_config(dir: &Path, config: &Path, db: &Path) -> Self {
        Self::start(
            dir,
            &[
                "--config",
                config.to_str().unwrap(),
                "--db",
                db.to_str().unwrap(),
            ],
        )
    }

    pub(crate) fn start(dir: &Path, args: &[&str]) -> Self {
        let listen = free_address();
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

    pub(crate) fn get(&self, path: &str) -> String {
        let (status, body) = http_get(&self.url, path);
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    /// Polls `/metrics` until `pred` holds (or fails after `secs`), calling `step` between polls.
    pub(crate) fn wait_for(
        &self,
        secs: u64,
        mut step: impl FnMut(),
        pred: impl Fn(&str) -> bool,
    ) -> String {
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
pub(crate) fn http_get(base: &str, path: &str) -> (u16, String) {
    raw_request(base, &format!("GET {path} HTTP/1.0\r\nHost: test\r\n\r\n"))
}

pub(crate) fn raw_request(base: &str, request: &str) -> (u16, String) {
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
pub(crate) fn sample(metrics: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
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

pub(crate) fn write_config(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("watch.toml");
    std::fs::write(&path, body).unwrap();
    path
}

/// Whether `tool` runs; the Prometheus tests need Debian's `prometheus` package (promtool and
/// the server), which `.ci/run` does not install yet.
#[allow(clippy::print_stderr)]
pub(crate) fn have(tool: &str) -> bool {
    let found = Command::new(tool).arg("--version").output().is_ok();
    if !found {
        eprintln!("{tool} is not installed (Debian package `prometheus`); this check is skipped");
    }
    found
}

/// Watches `svc` every 300 ms with `?gc=1` profiles and `--source testdata/watch`.
pub(crate) fn watch_service(dir: &Path, svc: &Service) -> Watcher {
    let config = write_config(
        dir,
        &format!(
            "interval = \"300ms\"\n[[target]]\nurl = \"{}\"\nname = \"svc\"\n\
             heap = \"/debug/pprof/heap?gc=1\"\nsource = \"{}\"\n",
            svc.url,
            service_src().display()
        ),
    );
    Watcher::with_config(dir, &config, &dir.join("history.db"))
}

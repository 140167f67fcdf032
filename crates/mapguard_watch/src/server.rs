//! The HTTP side: `/` (dashboard), `/metrics`, `/healthz`, on a few worker threads.
//!
//! Only `GET` and `HEAD` without a body are served; request targets over
//! [`MAX_REQUEST_TARGET`] bytes are refused, and every response is bounded by the dashboard's
//! and `/metrics`' own limits.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server};

use crate::daemon::{SharedState, lock};
use crate::error::WatchError;
use crate::metrics::{self, Telemetry};
use crate::scrape::now_unix_ms;
use crate::store::Store;
use crate::{dashboard, html};

/// Longest request target (path and query) served.
pub const MAX_REQUEST_TARGET: usize = 2048;
const WORKERS: usize = 4;

/// A running server; [`ServerHandle::stop`] ends it.
#[derive(Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
}

impl ServerHandle {
    /// The bound address (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the workers and waits for them.
    pub fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        for w in self.workers {
            let _ = w.join();
        }
    }
}

struct Shared {
    state: SharedState,
    telemetry: Arc<Telemetry>,
    store: Option<Mutex<Store>>,
}

/// Binds `listen` and serves the dashboard and metrics from `state`, with history read from
/// the database at `db`.
pub fn serve(
    listen: &str,
    state: SharedState,
    telemetry: Arc<Telemetry>,
    db: &Path,
) -> Result<ServerHandle, WatchError> {
    let server = Server::http(listen).map_err(|e| WatchError::Listen {
        addr: listen.to_owned(),
        message: e.to_string(),
    })?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| WatchError::Listen {
            addr: listen.to_owned(),
            message: "not an IP address".to_owned(),
        })?;
    let server = Arc::new(server);
    let shared = Arc::new(Shared {
        state,
        telemetry,
        store: Store::open_reader(db).ok().map(Mutex::new),
    });
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for i in 0..WORKERS {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&shared);
        let stop = Arc::clone(&stop);
        let worker = thread::Builder::new()
            .name(format!("http-{i}"))
            .spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(250)) {
                        handle(request, &shared);
                    }
                }
            })
            .map_err(|e| WatchError::Listen {
                addr: listen.to_owned(),
                message: e.to_string(),
            })?;
        workers.push(worker);
    }
    Ok(ServerHandle {
        addr,
        stop,
        workers,
    })
}

fn header(name: &str, value: &str) -> Header {
    // Names and values here are fixed ASCII.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|()| {
        Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).unwrap_or_else(|()| unreachable!())
    })
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn handle(request: Request, shared: &Shared) {
    let response = route(&request, shared);
    let response = response
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

fn route(request: &Request, shared: &Shared) -> Response<std::io::Cursor<Vec<u8>>> {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return text(405, "only GET and HEAD\n").with_header(header("Allow", "GET, HEAD"));
    }
    if request.body_length().is_some_and(|n| n > 0) {
        return text(413, "requests carry no body\n");
    }
    let url = request.url();
    if url.len() > MAX_REQUEST_TARGET {
        return text(414, "request target too long\n");
    }
    let path = url.split('?').next().unwrap_or("/");
    match path {
        "/" | "/index.html" => {
            let state = lock(&shared.state);
            let store = shared
                .store
                .as_ref()
                .map(|s| s.lock().unwrap_or_else(PoisonError::into_inner));
            let page = dashboard::render(&state, store.as_deref(), now_unix_ms());
            Response::from_string(page)
                .with_header(header("Content-Type", "text/html; charset=utf-8"))
                .with_header(header(
                    "Content-Security-Policy",
                    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
                ))
        }
        "/metrics" => {
            let body = {
                let state = lock(&shared.state);
                metrics::render(&state, &shared.telemetry)
            };
            // OpenMetrics for Prometheus (it asks for it), text format 0.0.4 for everyone else.
            let openmetrics = request.headers().iter().any(|h| {
                h.field.equiv("Accept") && h.value.as_str().contains("application/openmetrics-text")
            });
            if openmetrics {
                Response::from_string(body)
                    .with_header(header("Content-Type", metrics::CONTENT_TYPE))
            } else {
                Response::from_string(metrics::to_text_format(&body))
                    .with_header(header("Content-Type", metrics::TEXT_CONTENT_TYPE))
            }
        }
        "/healthz" => text(200, "ok\n"),
        _ => text(404, &format!("not found: {}\n", html::escape(path))),
    }
}

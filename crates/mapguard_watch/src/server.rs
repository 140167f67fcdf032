//! The HTTP side: `/` (dashboard), `/metrics`, `/healthz`, served by axum (hyper, HTTP/1) on a
//! single-threaded tokio runtime in its own thread; the scrapers and the writer stay on plain
//! threads.
//!
//! Request size is capped by hyper's HTTP/1 header buffer (about 400 KiB, at most 100 headers);
//! only `GET` and `HEAD` without a body are served, and request targets over
//! [`MAX_REQUEST_TARGET`] bytes are refused. Every response is bounded by the dashboard's and
//! `/metrics`' own limits.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::oneshot;

use crate::daemon::{SharedState, lock};
use crate::error::WatchError;
use crate::metrics::{self, Telemetry};
use crate::scrape::now_unix_ms;
use crate::store::Store;
use crate::{dashboard, html};

/// Longest request target (path and query) served.
pub const MAX_REQUEST_TARGET: usize = 2048;

const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

/// A running server; [`ServerHandle::stop`] ends it.
#[derive(Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    shutdown: oneshot::Sender<()>,
    thread: JoinHandle<()>,
}

impl ServerHandle {
    /// The bound address (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops serving and waits for open requests to finish.
    pub fn stop(self) {
        let _ = self.shutdown.send(());
        let _ = self.thread.join();
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
    let err = |message: String| WatchError::Listen {
        addr: listen.to_owned(),
        message,
    };
    let listener = std::net::TcpListener::bind(listen).map_err(|e| err(e.to_string()))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| err(e.to_string()))?;
    let addr = listener.local_addr().map_err(|e| err(e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|e| err(e.to_string()))?;
    let shared = Arc::new(Shared {
        state,
        telemetry,
        store: Store::open_reader(db).ok().map(Mutex::new),
    });
    let (shutdown, stopped) = oneshot::channel::<()>();
    let thread = thread::Builder::new()
        .name("http".to_owned())
        .spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                let app = Router::new().fallback(route).with_state(shared);
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
        })
        .map_err(|e| err(e.to_string()))?;
    Ok(ServerHandle {
        addr,
        shutdown,
        thread,
    })
}

fn text(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn route(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let mut response = respond(shared, &method, &uri, &headers).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn respond(shared: Arc<Shared>, method: &Method, uri: &Uri, headers: &HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n".into());
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let has_body = headers
        .get(header::CONTENT_LENGTH)
        .is_some_and(|v| v.as_bytes() != b"0")
        || headers.contains_key(header::TRANSFER_ENCODING);
    if has_body {
        return text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "requests carry no body\n".into(),
        );
    }
    let target_len = uri.path_and_query().map_or(0, |p| p.as_str().len());
    if target_len > MAX_REQUEST_TARGET {
        return text(StatusCode::URI_TOO_LONG, "request target too long\n".into());
    }
    match uri.path() {
        "/" | "/index.html" => {
            // SQLite reads block: off the async thread.
            let page = tokio::task::spawn_blocking(move || {
                let state = lock(&shared.state);
                let store = shared
                    .store
                    .as_ref()
                    .map(|s| s.lock().unwrap_or_else(PoisonError::into_inner));
                dashboard::render(&state, store.as_deref(), now_unix_ms())
            })
            .await
            .unwrap_or_else(|_| "dashboard failed\n".to_owned());
            (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CONTENT_SECURITY_POLICY, CSP),
                ],
                page,
            )
                .into_response()
        }
        "/metrics" => {
            let body = {
                let state = lock(&shared.state);
                metrics::render(&state, &shared.telemetry)
            };
            // OpenMetrics for Prometheus (it asks for it), text format 0.0.4 for everyone else.
            let openmetrics = headers.get_all(header::ACCEPT).iter().any(|v| {
                v.to_str()
                    .is_ok_and(|s| s.contains("application/openmetrics-text"))
            });
            if openmetrics {
                ([(header::CONTENT_TYPE, metrics::CONTENT_TYPE)], body).into_response()
            } else {
                (
                    [(header::CONTENT_TYPE, metrics::TEXT_CONTENT_TYPE)],
                    Body::from(metrics::to_text_format(&body)),
                )
                    .into_response()
            }
        }
        "/healthz" => text(StatusCode::OK, "ok\n".into()),
        path => text(
            StatusCode::NOT_FOUND,
            format!("not found: {}\n", html::escape(path)),
        ),
    }
}

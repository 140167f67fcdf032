//! HTTP GET with a timeout, a response-size cap, and retries with exponential backoff.

use std::time::Duration;

/// Why a fetch failed (after all attempts).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    #[error("HTTP status {0}")]
    Status(u16),
    #[error("response larger than {0} bytes")]
    TooLarge(u64),
    #[error("{0}")]
    Http(String),
}

impl FetchError {
    /// Whether another attempt could succeed (a 4xx other than 408/429 will not).
    pub fn retryable(&self) -> bool {
        match self {
            Self::Status(s) => *s >= 500 || *s == 408 || *s == 429,
            Self::TooLarge(_) => false,
            Self::Timeout(_) | Self::Http(_) => true,
        }
    }
}

/// How to fetch one URL.
#[derive(Debug, Clone, Copy)]
pub struct FetchOptions {
    /// Timeout of one attempt (connect, headers and body).
    pub timeout: Duration,
    /// Most bytes accepted.
    pub max_bytes: u64,
    /// Extra attempts after a retryable failure.
    pub retries: u32,
    /// Wait before the first retry; doubled for each later one.
    pub backoff: Duration,
}

/// Fetches `url`, retrying retryable failures `retries` times with doubling backoff.
pub fn get(url: &str, options: FetchOptions) -> Result<Vec<u8>, FetchError> {
    let mut wait = options.backoff;
    let mut attempt = 0;
    loop {
        match get_once(url, options) {
            Ok(body) => return Ok(body),
            Err(err) if err.retryable() && attempt < options.retries => {
                attempt += 1;
                std::thread::sleep(wait);
                wait = wait.saturating_mul(2);
            }
            Err(err) => return Err(err),
        }
    }
}

fn get_once(url: &str, options: FetchOptions) -> Result<Vec<u8>, FetchError> {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .build();
    let agent = ureq::Agent::new_with_config(config);
    let timeout = |_| FetchError::Timeout(options.timeout);
    let mut response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::Timeout(t) => timeout(t),
        other => FetchError::Http(other.to_string()),
    })?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(FetchError::Status(status));
    }
    response
        .body_mut()
        .with_config()
        .limit(options.max_bytes)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::Timeout(t) => timeout(t),
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(options.max_bytes),
            other => FetchError::Http(other.to_string()),
        })
}

//! Reading profile bytes from a file, stdin (`-`) or an `http(s)://` URL, never more than a cap.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use crate::error::InputError;

/// Limits for reading one input.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most bytes read from the source (compressed size).
    pub max_bytes: u64,
    /// Whole-request timeout for URLs.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: crate::decode::DEFAULT_MAX_BYTES,
            timeout: Duration::from_secs(30),
        }
    }
}

/// Whether `spec` names a URL rather than a file.
pub fn is_url(spec: &str) -> bool {
    spec.starts_with("http://") || spec.starts_with("https://")
}

/// Reads `spec`: `-` for stdin, an `http(s)://` URL, or a file path.
pub fn read(spec: &str, limits: Limits) -> Result<Vec<u8>, InputError> {
    if spec == "-" {
        return read_capped(std::io::stdin().lock(), limits.max_bytes);
    }
    if is_url(spec) {
        return fetch(spec, limits);
    }
    let file = std::fs::File::open(Path::new(spec))?;
    read_capped(file, limits.max_bytes)
}

fn read_capped(reader: impl Read, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    let mut out = Vec::new();
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut out)?;
    if out.len() as u64 > max_bytes {
        return Err(InputError::TooLarge { limit: max_bytes });
    }
    Ok(out)
}

fn fetch(url: &str, limits: Limits) -> Result<Vec<u8>, InputError> {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(limits.timeout))
        .http_status_as_error(false)
        .build();
    let agent = ureq::Agent::new_with_config(config);
    let timeout = |_| InputError::Timeout {
        seconds: limits.timeout.as_secs_f64(),
    };
    let mut response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::Timeout(t) => timeout(t),
        other => InputError::Http(other.to_string()),
    })?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(InputError::HttpStatus { status });
    }
    let body = response
        .body_mut()
        .with_config()
        .limit(limits.max_bytes.saturating_add(1))
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::Timeout(t) => timeout(t),
            ureq::Error::BodyExceedsLimit(_) => InputError::TooLarge {
                limit: limits.max_bytes,
            },
            other => InputError::Http(other.to_string()),
        })?;
    if body.len() as u64 > limits.max_bytes {
        return Err(InputError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    Ok(body)
}

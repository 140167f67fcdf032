//! Errors for reading and decoding profiles. Each message is one line that says what is wrong;
//! the caller prefixes the input's name.

/// Why profile bytes could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("larger than the --max-bytes limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("HTTP status {status}")]
    HttpStatus { status: u16 },
    #[error("timed out after {seconds:.1} s")]
    Timeout { seconds: f64 },
    #[error("HTTP request failed: {0}")]
    Http(String),
}

/// Why bytes are not a usable Go heap profile.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("corrupt or truncated gzip data: {0}")]
    Gzip(std::io::Error),
    #[error("uncompressed profile is larger than the --max-bytes limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("not a pprof profile (neither profile.proto nor the legacy text format): {0}")]
    NotProfile(String),
    #[error("invalid profile: {0}")]
    Invalid(String),
    #[error("legacy text profile, line {line}: {message}")]
    Legacy { line: usize, message: String },
    #[error("not a heap profile: its sample types are {found}")]
    NotHeap { found: String },
    #[error("the profile has no samples")]
    NoSamples,
    #[error("the profile has no sample type {wanted} (it has {found})")]
    MissingSampleType { wanted: String, found: String },
}

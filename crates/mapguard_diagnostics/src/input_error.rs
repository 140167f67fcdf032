//! An input that could not be checked at all (unreadable file, missing path, bad config).

use serde::{Deserialize, Serialize};

/// A one-line error about one input: `path: message`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InputError {
    /// The input, displayed as the user would type it.
    pub path: String,
    /// What is wrong with it, lowercase, no trailing period.
    pub message: String,
}

impl InputError {
    /// An error about `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for InputError {}

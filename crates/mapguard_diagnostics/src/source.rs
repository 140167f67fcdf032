//! Access to file text for renderers that show code or convert columns.

use std::collections::HashMap;

/// Supplies the text of a file by its displayed path (the [`Location::path`](crate::Location)).
pub trait SourceProvider {
    /// The file's text, or `None` if it is not available (the renderer then degrades gracefully).
    fn source(&self, path: &str) -> Option<&str>;
}

/// No sources: renderers print header lines only.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSources;

impl SourceProvider for NoSources {
    fn source(&self, _path: &str) -> Option<&str> {
        None
    }
}

/// Sources kept in a map from displayed path to text.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: HashMap<String, String>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces a file's text.
    pub fn insert(&mut self, path: impl Into<String>, text: impl Into<String>) {
        self.files.insert(path.into(), text.into());
    }
}

impl SourceProvider for SourceMap {
    fn source(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }
}

impl<S: std::hash::BuildHasher> SourceProvider for HashMap<String, String, S> {
    fn source(&self, path: &str) -> Option<&str> {
        self.get(path).map(String::as_str)
    }
}

impl<S: std::hash::BuildHasher> SourceProvider for HashMap<&str, &str, S> {
    fn source(&self, path: &str) -> Option<&str> {
        self.get(path).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_find_by_displayed_path() {
        let mut owned = SourceMap::new();
        owned.insert("a.go", "package a");
        let borrowed: HashMap<&str, &str> = HashMap::from([("b.go", "package b")]);
        assert_eq!(owned.source("a.go"), Some("package a"));
        assert_eq!(borrowed.source("b.go"), Some("package b"));
        assert_eq!(borrowed.source("a.go"), None);
        assert_eq!(NoSources.source("a.go"), None);
    }
}

//! Expanding one pattern into candidate `.go` files: `./...` walks (skipping what the go command
//! skips), a directory is one package, a `.go` file is itself.

use std::path::{Path, PathBuf};

use super::LoadOptions;
use crate::LoadError;

/// A `.go` file a pattern selects, before its contents are read.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    /// Named on the command line: build constraints do not exclude it.
    pub explicit: bool,
}

pub(super) fn expand(
    pattern: &str,
    cwd: &Path,
    options: &LoadOptions,
) -> Result<Vec<Candidate>, LoadError> {
    let (base, recursive) = match pattern.strip_suffix("...") {
        Some(prefix) => (prefix.trim_end_matches('/'), true),
        None => (pattern, false),
    };
    let base = if base.is_empty() { "." } else { base };
    let root = normalize(&cwd.join(base));
    let metadata =
        std::fs::metadata(&root).map_err(|err| LoadError::io(Path::new(pattern), &err))?;

    if metadata.is_file() {
        if root.extension().and_then(|e| e.to_str()) != Some("go") {
            return Err(LoadError::invalid(Path::new(pattern), "not a .go file"));
        }
        return Ok(vec![Candidate {
            path: root,
            explicit: true,
        }]);
    }

    let files = if recursive {
        walk_tree(&root, options)
    } else {
        package_files(&root, options)
    };
    if files.is_empty() {
        let what = if recursive {
            "matched no Go files"
        } else {
            "no Go files in directory"
        };
        return Err(LoadError::invalid(Path::new(pattern), what));
    }
    Ok(files
        .into_iter()
        .map(|path| Candidate {
            path,
            explicit: false,
        })
        .collect())
}

fn package_files(dir: &Path, options: &LoadOptions) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| is_candidate_file(p, options))
        .collect();
    files.sort();
    files
}

fn walk_tree(root: &Path, options: &LoadOptions) -> Vec<PathBuf> {
    let root_owned = root.to_path_buf();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .parents(true)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(true)
        .filter_entry(move |entry| {
            let path = entry.path();
            if path == root_owned || !entry.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            let name = entry.file_name().to_string_lossy();
            let skipped = name.starts_with('.')
                || name.starts_with('_')
                || name == "testdata"
                || name == "vendor";
            // A nested module is a different module: `./...` stops at it, as the go command does.
            !skipped && !path.join("go.mod").is_file()
        })
        .build();
    let mut files: Vec<PathBuf> = walker
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|p| is_candidate_file(p, options))
        .collect();
    files.sort();
    files
}

fn is_candidate_file(path: &Path, options: &LoadOptions) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with('.') || name.starts_with('_') || !options.build.matches_file_name(name) {
        return false;
    }
    !options.exclude.iter().any(|ex| path.starts_with(ex))
}

/// Removes `.` and `..` components without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

//! Turning command-line patterns into parsed Go packages, the way the go command selects them.

mod constraint;
mod gomod;
mod walk;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use constraint::BuildContext;
pub use gomod::{GoVersion, Module, parse_go_mod};
pub use walk::Candidate;

use crate::LoadError;
use crate::syntax::{self, Tree};

/// One parsed Go file.
pub struct SourceFile {
    pub path: PathBuf,
    /// The path as shown to users (relative to the working directory when inside it).
    pub display: String,
    pub text: String,
    pub tree: Tree,
    pub is_test: bool,
}

/// Files of one directory sharing a package clause (`p` and `p_test` are two packages).
pub struct Package {
    pub dir: PathBuf,
    pub name: String,
    /// Import path (module path + directory); external test packages end in `_test`.
    pub import_path: String,
    /// Index into [`Program::modules`], if the package belongs to a module.
    pub module: Option<usize>,
    pub files: Vec<SourceFile>,
}

/// Something about an input worth telling the user that does not stop the run.
#[derive(Debug, Clone)]
pub struct LoadWarning {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Everything loaded for one run.
#[derive(Default)]
pub struct Program {
    pub modules: Vec<Module>,
    pub packages: Vec<Package>,
    pub errors: Vec<LoadError>,
    pub warnings: Vec<LoadWarning>,
}

impl Program {
    /// Go version rules should assume for a package.
    pub fn go_version(&self, package: &Package) -> GoVersion {
        package
            .module
            .map_or(GoVersion::LATEST, |m| self.modules[m].go_version)
    }
}

/// Options for [`load`].
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub build: BuildContext,
    /// Paths (relative to a module root, or absolute) whose files are skipped; glob-free prefixes.
    pub exclude: Vec<PathBuf>,
}

/// Loads the packages matched by `patterns` (`./...`, `dir/...`, directories, `.go` files),
/// relative to `cwd`. Bad inputs become entries in [`Program::errors`]; the rest still loads.
pub fn load(patterns: &[String], cwd: &Path, options: &LoadOptions) -> Program {
    let mut program = Program::default();
    let candidates = candidates(patterns, cwd, options, &mut program.errors);
    let results: Vec<Result<Option<Loaded>, LoadError>> = candidates
        .par_iter()
        .map(|candidate| read_and_parse(candidate, cwd, &options.build))
        .collect();

    let mut loaded = Vec::new();
    for result in results {
        match result {
            Ok(Some(file)) => loaded.push(file),
            Ok(None) => {}
            Err(err) => program.errors.push(err),
        }
    }
    assemble(&mut program, loaded);
    program
}

/// The `.go` files `patterns` select, sorted and without duplicates, before reading them (which
/// may still leave a file out: see [`is_loaded`]). Patterns that match nothing add to `errors`.
pub fn candidates(
    patterns: &[String],
    cwd: &Path,
    options: &LoadOptions,
    errors: &mut Vec<LoadError>,
) -> Vec<Candidate> {
    let mut candidates: Vec<Candidate> = Vec::new();
    for pattern in patterns {
        match walk::expand(pattern, cwd, options) {
            Ok(found) => candidates.extend(found),
            Err(err) => errors.push(err),
        }
    }
    candidates.sort_by(|a, b| a.path.cmp(&b.path));
    candidates.dedup_by(|a, b| a.path == b.path);
    candidates
}

/// Whether [`load`] parses a candidate with these contents: its build constraints hold (or it
/// was named explicitly), it is text and it is not generated.
pub fn is_loaded(bytes: &[u8], explicit: bool, build: &BuildContext) -> bool {
    selection(bytes, explicit, build) == Selection::Parse
}

/// What [`load`] does with a candidate's contents.
#[derive(PartialEq)]
enum Selection {
    /// Build constraints exclude it, or it is generated.
    Skip,
    /// It has NUL bytes: an input error.
    Binary,
    Parse,
}

fn selection(bytes: &[u8], explicit: bool, build: &BuildContext) -> Selection {
    if !explicit && !build.matches_header(bytes) {
        Selection::Skip
    } else if bytes.contains(&0) {
        Selection::Binary
    } else if is_generated(bytes) {
        Selection::Skip
    } else {
        Selection::Parse
    }
}

/// Loads files given in memory (path and contents), as `load` would load them from disk:
/// each is checked, parsed and grouped into packages. For editors, `go vet` configs and fuzzing.
pub fn load_sources(files: Vec<(PathBuf, Vec<u8>)>, cwd: &Path, build: &BuildContext) -> Program {
    let mut program = Program::default();
    let results: Vec<Result<Option<Loaded>, LoadError>> = files
        .into_par_iter()
        .map(|(path, bytes)| parse_source(&path, bytes, true, cwd, build))
        .collect();
    let mut loaded = Vec::new();
    for result in results {
        match result {
            Ok(Some(file)) => loaded.push(file),
            Ok(None) => {}
            Err(err) => program.errors.push(err),
        }
    }
    assemble(&mut program, loaded);
    program
}

struct Loaded {
    file: SourceFile,
    package_name: String,
    warning: Option<LoadWarning>,
}

fn read_and_parse(
    candidate: &Candidate,
    cwd: &Path,
    build: &BuildContext,
) -> Result<Option<Loaded>, LoadError> {
    let path = &candidate.path;
    let bytes = std::fs::read(path).map_err(|err| LoadError::io(path, &err))?;
    parse_source(path, bytes, candidate.explicit, cwd, build)
}

/// Checks, decodes and parses one file's bytes.
fn parse_source(
    path: &Path,
    bytes: Vec<u8>,
    explicit: bool,
    cwd: &Path,
    build: &BuildContext,
) -> Result<Option<Loaded>, LoadError> {
    match selection(&bytes, explicit, build) {
        Selection::Skip => return Ok(None),
        Selection::Binary => {
            return Err(LoadError::invalid(
                path,
                "not a Go source file (contains NUL bytes)",
            ));
        }
        Selection::Parse => {}
    }
    let text = String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        LoadError::invalid(path, format!("invalid UTF-8 at byte {offset}"))
    })?;
    let tree =
        syntax::parse(text.as_bytes()).map_err(|err| LoadError::invalid(path, err.to_string()))?;
    let display = display_path(path, cwd);
    let Some(package_name) = package_name(&tree, &text) else {
        return Err(LoadError::invalid(path, "no package clause"));
    };
    let warning = syntax::first_error(&tree).map(|point| LoadWarning {
        path: display.clone(),
        line: u32::try_from(point.row).unwrap_or(0) + 1,
        column: u32::try_from(point.column).unwrap_or(0) + 1,
        message: "syntax error".to_string(),
    });
    let is_test = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with("_test.go"));
    Ok(Some(Loaded {
        file: SourceFile {
            path: path.to_path_buf(),
            display,
            text,
            tree,
            is_test,
        },
        package_name,
        warning,
    }))
}

/// `// Code generated … DO NOT EDIT.` before the package clause (the Go convention).
fn is_generated(bytes: &[u8]) -> bool {
    for line in bytes.split(|&b| b == b'\n').take(200) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.starts_with(b"// Code generated ") && line.ends_with(b" DO NOT EDIT.") {
            return true;
        }
        if line.starts_with(b"package ") {
            return false;
        }
    }
    false
}

fn package_name(tree: &Tree, text: &str) -> Option<String> {
    let root = tree.root_node();
    let clause = syntax::named_children(root).find(|n| n.kind() == "package_clause")?;
    let name = syntax::named_children(clause).find(|n| n.kind() == "package_identifier")?;
    Some(syntax::text(name, text).to_string())
}

/// Shows paths relative to the working directory when they are inside it.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let shown = path.strip_prefix(cwd).unwrap_or(path);
    let text = shown.to_string_lossy();
    if text.is_empty() {
        ".".to_string()
    } else {
        text.into_owned()
    }
}

fn assemble(program: &mut Program, loaded: Vec<Loaded>) {
    let mut module_roots: Vec<PathBuf> = Vec::new();
    // Packages by directory and name, as indices into `program.packages`.
    let mut by_dir: HashMap<(PathBuf, String), usize> = HashMap::new();
    for item in loaded {
        if let Some(warning) = item.warning {
            program.warnings.push(warning);
        }
        let dir = item
            .file
            .path
            .parent()
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let key = (dir, item.package_name);
        if let Some(&existing) = by_dir.get(&key) {
            program.packages[existing].files.push(item.file);
            continue;
        }
        let (dir, package_name) = key;
        by_dir.insert((dir.clone(), package_name.clone()), program.packages.len());
        let module = match Module::find(&dir) {
            Ok(Some(module)) => {
                let index = module_roots
                    .iter()
                    .position(|r| *r == module.root)
                    .unwrap_or_else(|| {
                        module_roots.push(module.root.clone());
                        program.modules.push(module);
                        module_roots.len() - 1
                    });
                Some(index)
            }
            Ok(None) => None,
            Err(err) => {
                if !program.errors.iter().any(|e| e.path == err.path) {
                    program.errors.push(err);
                }
                None
            }
        };
        let import_path = import_path(module.map(|m| &program.modules[m]), &dir, &package_name);
        program.packages.push(Package {
            dir,
            name: package_name,
            import_path,
            module,
            files: vec![item.file],
        });
    }
}

fn import_path(module: Option<&Module>, dir: &Path, package_name: &str) -> String {
    let base = match module {
        Some(module) => match dir.strip_prefix(&module.root) {
            Ok(rel) if rel.as_os_str().is_empty() => module.path.clone(),
            Ok(rel) => format!(
                "{}/{}",
                module.path,
                rel.to_string_lossy().replace('\\', "/")
            ),
            Err(_) => dir.to_string_lossy().into_owned(),
        },
        None => dir.to_string_lossy().into_owned(),
    };
    let last = base.rsplit('/').next().unwrap_or("");
    if package_name.ends_with("_test") && last != package_name {
        format!("{base}_test")
    } else {
        base
    }
}

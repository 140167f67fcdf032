//! Loading one vet unit: exactly the cfg's Go files (the go command already applied build
//! constraints), plus the packages of the same module they import, transitively, so that types
//! from other packages resolve as they do for `mapguard check`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use mapguard_go::index::file_imports;
use mapguard_go::{BuildContext, LoadOptions, Module, Program};

/// The files to read for a unit: its `GoFiles`, except that cgo's rewritten copies in the
/// build's work directory (`$WORK/bNNN/x.cgo1.go`, generated, `//line`-mapped to `x.go`) are
/// replaced by the package's own `x.go`, as `mapguard check` reads it.
pub(super) fn source_files(go_files: &[PathBuf], package_dir: &Path) -> Vec<PathBuf> {
    go_files
        .iter()
        .map(|file| {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            match name.strip_suffix(".cgo1.go") {
                Some(stem) if file.parent() != Some(package_dir) => {
                    let original = package_dir.join(format!("{stem}.go"));
                    if original.is_file() {
                        original
                    } else {
                        file.clone()
                    }
                }
                _ => file.clone(),
            }
        })
        .collect()
}

/// The unit's packages and their in-module dependencies, and which packages are the unit's.
pub(super) struct UnitProgram {
    pub(super) program: Program,
    /// Import paths of the packages made of the cfg's files.
    pub(super) targets: HashSet<String>,
    /// Load errors about the cfg's own files, one line each.
    pub(super) errors: Vec<String>,
}

pub(super) fn load(go_files: &[PathBuf]) -> UnitProgram {
    let options = load_options();
    // An empty working directory keeps every shown path absolute, as go vet expects.
    let no_cwd = Path::new("");
    let patterns: Vec<String> = go_files
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let mut program = mapguard_go::load(&patterns, no_cwd, &options);
    let errors = program
        .errors
        .drain(..)
        .map(|e| format!("{}: {}", e.path.display(), e.message))
        .collect();
    let targets: HashSet<String> = program
        .packages
        .iter()
        .map(|p| p.import_path.clone())
        .collect();

    let mut loaded_dirs: HashSet<PathBuf> = HashSet::new();
    let mut scanned = 0;
    while scanned < program.packages.len() {
        let mut dirs: Vec<PathBuf> = Vec::new();
        for package in &program.packages[scanned..] {
            let Some(module) = package.module.map(|m| &program.modules[m]) else {
                continue;
            };
            for file in &package.files {
                let imports = file_imports(file.tree.root_node(), &file.text);
                for path in imports.by_name.values() {
                    if let Some(dir) = module_dir(module, path)
                        && loaded_dirs.insert(dir.clone())
                    {
                        dirs.push(dir);
                    }
                }
            }
        }
        scanned = program.packages.len();
        if dirs.is_empty() {
            break;
        }
        let patterns: Vec<String> = dirs
            .iter()
            .filter(|d| d.is_dir())
            .map(|d| d.to_string_lossy().into_owned())
            .collect();
        let dependencies = mapguard_go::load(&patterns, no_cwd, &options);
        merge(&mut program, dependencies);
    }
    UnitProgram {
        program,
        targets,
        errors,
    }
}

/// The directory of an import path inside `module`, if it is one of the module's packages.
fn module_dir(module: &Module, import_path: &str) -> Option<PathBuf> {
    if import_path == module.path {
        return Some(module.root.clone());
    }
    let rest = import_path
        .strip_prefix(module.path.as_str())?
        .strip_prefix('/')?;
    Some(module.root.join(rest))
}

/// Adds `from`'s packages that `into` does not have yet (by import path), remapping modules.
/// Load errors of dependencies are dropped: they are context, not what go vet asked about.
fn merge(into: &mut Program, from: Program) {
    let Program {
        modules, packages, ..
    } = from;
    for mut package in packages {
        if into
            .packages
            .iter()
            .any(|p| p.import_path == package.import_path)
        {
            continue;
        }
        package.module = package.module.map(|m| {
            let module = &modules[m];
            into.modules
                .iter()
                .position(|existing| existing.root == module.root)
                .unwrap_or_else(|| {
                    into.modules.push(module.clone());
                    into.modules.len() - 1
                })
        });
        into.packages.push(package);
    }
}

/// The build context of `mapguard check`'s defaults: `$GOOS`/`$GOARCH` (else linux/amd64),
/// test files included. It only selects dependency files; the unit's files are taken as given.
fn load_options() -> LoadOptions {
    let env = |name: &str, default: &str| {
        std::env::var(name)
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| default.to_string())
    };
    LoadOptions {
        build: BuildContext {
            goos: env("GOOS", "linux"),
            goarch: env("GOARCH", "amd64"),
            tags: Vec::new(),
            tests: true,
        },
        exclude: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cgo_rewrites_map_back_to_the_package_files() {
        let package = tempfile::tempdir().unwrap();
        let work = tempfile::tempdir().unwrap();
        std::fs::write(package.path().join("user.go"), "package user\n").unwrap();
        let files = vec![
            package.path().join("plain.go"),
            work.path().join("user.cgo1.go"),
            work.path().join("_cgo_gotypes.go"),
            work.path().join("gone.cgo1.go"),
        ];
        let mapped = source_files(&files, package.path());
        assert_eq!(
            mapped,
            vec![
                package.path().join("plain.go"),
                package.path().join("user.go"),
                work.path().join("_cgo_gotypes.go"),
                work.path().join("gone.cgo1.go"),
            ]
        );
    }
}

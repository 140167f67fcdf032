//! Getting the compiler's escape analysis: `go build -gcflags=-m=2` (an argument vector, never a
//! shell), or saved output from a file or stdin.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

/// What the compiler printed, and whether the build failed.
pub(super) struct Compiled {
    pub(super) text: String,
    /// `go build`'s failure, when it failed (compile errors are also in `text`).
    pub(super) failure: Option<String>,
}

/// Runs `go build -gcflags=-m=2 -o <null> PKG…` in `dir`. The go command replays the compiler's
/// output from its build cache, so a warm cache gives the same diagnostics.
pub(super) fn run_go_build(packages: &[String], dir: &Path) -> anyhow::Result<Compiled> {
    let null = if cfg!(windows) { "NUL" } else { "/dev/null" };
    let mut command = Command::new("go");
    command
        .args(["build", "-gcflags=-m=2", "-o", null])
        .args(if packages.is_empty() {
            vec!["./...".to_string()]
        } else {
            packages.to_vec()
        })
        .current_dir(dir);
    let output = match command.output() {
        Ok(output) => output,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => bail!(
            "go: not found on PATH; `mapguard escape` runs `go build -gcflags=-m=2` (or reads saved output with --input FILE)"
        ),
        Err(err) => {
            return Err(err).with_context(|| format!("running go build in {}", dir.display()));
        }
    };
    let text = String::from_utf8_lossy(&output.stderr).into_owned();
    let failure = (!output.status.success()).then(|| {
        let first = text
            .lines()
            .find(|l| !l.starts_with('#') && !l.trim().is_empty())
            .unwrap_or("no output");
        format!("go build failed ({}): {first}", output.status)
    });
    Ok(Compiled { text, failure })
}

/// Reads saved compiler output from a file, or stdin for `-`.
pub(super) fn read_saved(input: &str) -> anyhow::Result<Compiled> {
    let bytes = if input == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).context("stdin")?;
        bytes
    } else {
        std::fs::read(input).with_context(|| input.to_string())?
    };
    if bytes.contains(&0) {
        bail!("{input}: not compiler output (contains NUL bytes)");
    }
    Ok(Compiled {
        text: String::from_utf8_lossy(&bytes).into_owned(),
        failure: None,
    })
}

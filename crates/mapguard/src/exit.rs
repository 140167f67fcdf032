//! Exit codes shared by every command: 0 clean, 1 findings (or a verdict asked to fail), 2 error.

use std::process::ExitCode;

/// What a command concluded, independent of how it printed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExitStatus {
    /// Nothing to report.
    Success,
    /// Findings were reported (or `--fail-on-*` tripped).
    Failure,
    /// Usage or input error; other inputs were still processed.
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Success => ExitCode::from(0),
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

/// Prints a fatal error as one line and returns exit code 2. A closed stdout pipe is not an error.
#[allow(clippy::print_stderr)]
pub(crate) fn report_error(err: &anyhow::Error) -> ExitCode {
    let broken_pipe = err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return ExitCode::from(0);
    }
    let message = err
        .chain()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ");
    eprintln!("mapguard: {message}");
    ExitCode::from(2)
}

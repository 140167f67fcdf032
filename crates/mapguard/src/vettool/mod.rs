//! `go vet -vettool=$(command -v mapguard)`: the unitchecker protocol the go command speaks to
//! a vet tool. The go command runs
//!
//! - `mapguard -flags` to learn which flags the tool accepts ([`flags`]),
//! - `mapguard -V=full` for a tool ID that keys its vet cache ([`version`]),
//! - `mapguard [flags] $WORK/bNNN/vet.cfg` once per package, in the package directory ([`unit`]).
//!
//! These argv shapes are recognised before clap sees the command line.

mod flags;
mod program;
mod report;
mod unit;
mod version;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

/// What the go command asked for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Invocation {
    /// `-flags`: print the JSON flag list.
    Flags,
    /// `-V=full`: print the version line with the build ID.
    Version,
    /// `[flags] path/vet.cfg`: analyse one package.
    Unit { flags: Vec<String>, config: PathBuf },
}

/// Recognises the go command's vet-tool invocations in `args` (without the program name).
/// Every other command line belongs to clap: its subcommands never start with `-` and never
/// end in `.cfg` after only flags.
pub(crate) fn detect(args: &[OsString]) -> Option<Invocation> {
    let (last, before) = args.split_last()?;
    let last_text = last.to_str()?;
    if before.is_empty() {
        match last_text {
            "-flags" | "--flags" => return Some(Invocation::Flags),
            "-V=full" | "--V=full" => return Some(Invocation::Version),
            _ => {}
        }
    }
    if !last_text.ends_with(".cfg") || last_text.starts_with('-') {
        return None;
    }
    let flags: Option<Vec<String>> = before
        .iter()
        .map(|a| {
            a.to_str()
                .filter(|s| s.starts_with('-'))
                .map(str::to_string)
        })
        .collect();
    Some(Invocation::Unit {
        flags: flags?,
        config: PathBuf::from(last),
    })
}

/// Runs one vet-tool invocation and returns the exit code the go command expects.
pub(crate) fn run(invocation: Invocation) -> ExitCode {
    match invocation {
        Invocation::Flags => flags::print_flag_list(),
        Invocation::Version => version::print_version(),
        Invocation::Unit { flags, config } => unit::run(&flags, &config),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn recognises_the_go_commands_argv_shapes() {
        assert_eq!(detect(&args(&["-flags"])), Some(Invocation::Flags));
        assert_eq!(detect(&args(&["-V=full"])), Some(Invocation::Version));
        assert_eq!(
            detect(&args(&["-json", "-c=2", "/tmp/b001/vet.cfg"])),
            Some(Invocation::Unit {
                flags: vec!["-json".into(), "-c=2".into()],
                config: PathBuf::from("/tmp/b001/vet.cfg"),
            })
        );
        assert_eq!(
            detect(&args(&["vet.cfg"])),
            Some(Invocation::Unit {
                flags: vec![],
                config: PathBuf::from("vet.cfg"),
            })
        );
    }

    #[test]
    fn leaves_subcommands_to_clap() {
        assert_eq!(detect(&args(&[])), None);
        assert_eq!(detect(&args(&["check", "./..."])), None);
        assert_eq!(detect(&args(&["check", "x.cfg"])), None);
        assert_eq!(detect(&args(&["-V"])), None);
        assert_eq!(detect(&args(&["--help"])), None);
    }
}

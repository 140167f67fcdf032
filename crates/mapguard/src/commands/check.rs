//! `mapguard check`: static map-hazard rules over Go packages.

use clap::Args;

use crate::exit::ExitStatus;

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Package patterns as the go command takes them.
    #[arg(default_value = "./...")]
    pub(crate) patterns: Vec<String>,
}

pub(crate) fn run(args: CheckArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("check is not built yet (patterns: {:?})", args.patterns)
}

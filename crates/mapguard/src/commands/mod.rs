//! One module per subcommand; each exposes `run(args) -> anyhow::Result<ExitStatus>`.

pub(crate) mod check;
pub(crate) mod size;
pub(crate) mod gc;

//! One module per subcommand; each exposes `run(args) -> anyhow::Result<ExitStatus>`.

pub(crate) mod alert_rules;
pub(crate) mod check;
pub(crate) mod dashboard;
pub(crate) mod escape;
pub(crate) mod gc;
pub(crate) mod heap;
pub(crate) mod rules;
pub(crate) mod size;
pub(crate) mod watch;

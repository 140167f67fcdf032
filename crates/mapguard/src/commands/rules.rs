//! `mapguard rules` (the rule list) and `mapguard explain CODE` (one rule's documentation).

use std::io::Write;

use clap::Args;

use crate::exit::ExitStatus;

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Print the list as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// A rule code (MG301) or name (map-cleared-by-delete-loop).
    pub(crate) rule: String,
}

pub(crate) fn list(args: &RulesArgs) -> anyhow::Result<ExitStatus> {
    let rules = mapguard_lint::all_rules();
    let mut out = std::io::stdout().lock();
    if args.json {
        let metas: Vec<_> = rules.iter().map(|r| r.meta()).collect();
        serde_json::to_writer_pretty(&mut out, &metas)?;
        writeln!(out)?;
        return Ok(ExitStatus::Success);
    }
    for rule in rules {
        let fix = if rule.fixable { " (fix)" } else { "" };
        writeln!(
            out,
            "{}  {:<28} {:<8} {}{fix}",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.summary
        )?;
    }
    Ok(ExitStatus::Success)
}

pub(crate) fn explain(args: &ExplainArgs) -> anyhow::Result<ExitStatus> {
    let Some(rule) = mapguard_lint::find(&args.rule) else {
        anyhow::bail!("unknown rule {:?} (see `mapguard rules`)", args.rule);
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "# {} {}\n", rule.code, rule.name)?;
    writeln!(out, "{}\n", rule.summary)?;
    let fix = if rule.fixable {
        "yes (`mapguard check --fix`)"
    } else {
        "no"
    };
    writeln!(
        out,
        "Default severity: {}. Fix available: {fix}.\n",
        rule.severity.as_str()
    )?;
    write!(
        out,
        "{}",
        rule.docs
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    )?;
    writeln!(out)?;
    Ok(ExitStatus::Success)
}

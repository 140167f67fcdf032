//! `mapguard size`: predicted memory of a Go map — total, per entry, growth, deletes — for the
//! classic bucket map (Go ≤ 1.23) and Swiss tables (Go 1.24+), from `mapguard_runtime`'s model.

mod input;
mod report;
mod text;

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use mapguard_runtime::map::MapModel;
use mapguard_runtime::types::{
    ChainResolver, GoType, SizeError, SourceTypes, StdTypes, TypeMap, layout, parse_type,
};
use mapguard_runtime::version::{GoVersion, Target};

use crate::exit::ExitStatus;

#[derive(Debug, Args)]
pub(crate) struct SizeArgs {
    /// The map type, as written in Go: 'map[string]*Session', 'map[int64]struct{}'.
    #[arg(value_name = "TYPE")]
    pub(crate) map_type: String,

    /// Number of entries (e.g. 1000000, 1_000_000, 1e6).
    #[arg(
        short = 'n',
        long = "entries",
        value_name = "N",
        allow_hyphen_values = true
    )]
    pub(crate) entries: String,

    /// The size hint given to make(map[K]V, H); default: none.
    #[arg(long, value_name = "H", allow_hyphen_values = true)]
    pub(crate) hint: Option<String>,

    /// Model one Go release (1.19–1.27, `+noswissmap` for classic maps on 1.24/1.25);
    /// default: Go 1.23 (classic) and Go 1.26 (Swiss) side by side.
    #[arg(long = "go", value_name = "VERSION")]
    pub(crate) go: Option<String>,

    /// Target architecture: amd64, arm64, 386 or arm.
    #[arg(long, value_name = "ARCH", default_value = "amd64")]
    pub(crate) arch: String,

    /// Also show what remains after deleting this fraction of the entries (0.9 or 90%).
    #[arg(long, value_name = "FRACTION", allow_hyphen_values = true)]
    pub(crate) deleted: Option<String>,

    /// Size of a named type: Name=BYTES, or Name=BYTES:noptr for a type without pointers.
    #[arg(long = "size", value_name = "Name=BYTES")]
    pub(crate) sizes: Vec<String>,

    /// Go source file whose type and const declarations define named types.
    #[arg(long = "types", value_name = "FILE.go")]
    pub(crate) types: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

pub(crate) fn run(args: SizeArgs) -> anyhow::Result<ExitStatus> {
    let arch = input::arch(&args.arch)?;
    let targets = match &args.go {
        Some(text) => vec![Target::parse(text, arch).map_err(|e| anyhow::anyhow!("--go: {e}"))?],
        None => vec![
            Target::new(GoVersion::new(23), arch),
            Target::new(GoVersion::new(26), arch),
        ],
    };
    let n = input::count("-n", &args.entries)?;
    let hint = args
        .hint
        .as_deref()
        .map(|h| input::count("--hint", h))
        .transpose()?;
    let deleted = args.deleted.as_deref().map(input::fraction).transpose()?;

    let mut overrides = TypeMap::default();
    for s in &args.sizes {
        input::size_override(&mut overrides, s, arch)?;
    }
    let mut status = ExitStatus::Success;
    let mut sources = Vec::new();
    for path in &args.types {
        let src =
            std::fs::read_to_string(path).with_context(|| format!("--types {}", path.display()))?;
        let types = SourceTypes::parse(&src);
        for e in &types.errors {
            warn(&format!(
                "{}:{}: {} (declaration skipped)",
                path.display(),
                e.line,
                e.message
            ));
            status = ExitStatus::Error;
        }
        sources.push(types);
    }
    let mut chain = ChainResolver::new().with(&overrides);
    for s in &sources {
        chain = chain.with(s);
    }
    let chain = chain.with(&StdTypes);

    let ty = parse_type(&args.map_type)
        .map_err(|e| anyhow::anyhow!("type {:?}: cannot parse: {e}", args.map_type))?;
    let Some((key, value)) = ty.as_map() else {
        bail!(
            "type {:?}: not a map type (expected map[K]V)",
            args.map_type
        );
    };
    let sized = |t: &GoType| layout(t, arch, &chain).map_err(|e| explain(&args.map_type, &e));
    let (key_layout, value_layout) = (sized(key)?, sized(value)?);

    let mut models = Vec::new();
    for target in targets {
        let model = MapModel::for_types(key, value, target, &chain)
            .map_err(|e| explain(&args.map_type, &e))?;
        check_feasible(&model, n, "-n", &args.entries, None)?;
        if let (Some(h), Some(text)) = (hint, &args.hint) {
            check_feasible(&model, 0, "--hint", text, Some(h))?;
        }
        models.push(report::model_report(&model, key, value, n, hint, deleted));
    }
    let shape = MapModel::for_types(key, value, Target::new(GoVersion::new(26), arch), &chain)
        .map_err(|e| explain(&args.map_type, &e))?
        .shape;
    let report = report::Report {
        map_type: ty.to_string(),
        arch: arch.to_string(),
        entries: n,
        hint,
        key: report::operand(key, key_layout, shape.key_indirect),
        value: report::operand(value, value_layout, shape.value_indirect),
        models,
    };
    let rendered = match args.format {
        Format::Text => text::render(&report),
        Format::Json => serde_json::to_string_pretty(&report)? + "\n",
    };
    std::io::stdout().lock().write_all(rendered.as_bytes())?;
    Ok(status)
}

/// Rejects entry counts no Go program on this target could reach.
fn check_feasible(
    model: &MapModel,
    n: u64,
    flag: &str,
    text: &str,
    hint: Option<u64>,
) -> anyhow::Result<()> {
    let arch = model.target.arch;
    let count = hint.unwrap_or(n);
    if count > arch.max_int() {
        bail!("{flag} {text}: more entries than Go's int holds on {arch}");
    }
    // A cheap lower bound first (one slot per entry), then the model itself.
    let slot = model.shape.slot.size.max(1);
    let too_big = |bytes: u64| bytes > arch.address_space();
    if too_big(count.saturating_mul(slot)) || too_big(model.footprint(n, hint).total()) {
        let space = match arch.ptr_size() {
            8 => format!("{} TiB", arch.address_space() >> 40),
            _ => format!("{} GiB", arch.address_space() >> 30),
        };
        bail!(
            "{flag} {text}: a map this large needs more than the {space} address space of {arch}"
        );
    }
    Ok(())
}

fn explain(map_type: &str, e: &SizeError) -> anyhow::Error {
    match e {
        SizeError::UnknownType(name) => anyhow::anyhow!(
            "type {map_type:?}: unknown type `{name}`: give its size with --size {name}=BYTES or its declaration with --types FILE.go"
        ),
        SizeError::Generic(name) => anyhow::anyhow!(
            "type {map_type:?}: generic type `{name}` cannot be sized from its name: give its size with --size '{name}=BYTES'"
        ),
        other => anyhow::anyhow!("type {map_type:?}: {other}"),
    }
}

#[allow(clippy::print_stderr)]
fn warn(message: &str) {
    eprintln!("mapguard: {message}");
}

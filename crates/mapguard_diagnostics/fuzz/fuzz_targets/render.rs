//! Every renderer, on arbitrary source text and arbitrary (possibly stale or out-of-range)
//! locations, related locations and fixes: none may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mapguard_diagnostics::render::sarif::SarifOptions;
use mapguard_diagnostics::render::text::TextOptions;
use mapguard_diagnostics::render::{Report, ToolInfo, github, json, sarif, text};
use mapguard_diagnostics::{
    Diagnostic, Edit, Fix, InputError, LineIndex, Location, Severity, SourceMap, TextRange,
};

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let (header, rest) = data.split_at(8);
    let source = String::from_utf8_lossy(rest).into_owned();
    let index = LineIndex::new(&source);
    let offset =
        |byte: u8| (u32::from(byte) * source.len() as u32 / 255).min(source.len() as u32 + 3);
    let range = |a: u8, b: u8| {
        let (a, b) = (offset(a), offset(b));
        TextRange::new(a.min(b), a.max(b))
    };
    // Locations computed against the text, and one whose range was computed against another text.
    let here = Location::new("a.go", &index, range(header[0], header[1]));
    let related = Location::new("a.go", &index, range(header[2], header[3]));
    let mut stale = Location::new("b.go", &index, range(header[4], header[5]));
    stale.range = TextRange::new(
        stale.range.start.saturating_add(u32::from(header[6])),
        stale.range.end + 300,
    );
    let fix = Fix::safe_edits(
        "fix",
        vec![
            Edit::replacement(range(header[6], header[7]), "x\ny"),
            Edit::insertion(offset(header[1]), "z"),
        ],
    );
    let diagnostics = vec![
        Diagnostic::new("MG301", "r", Severity::Info, "m", here.clone())
            .with_related(related, "r")
            .with_related(stale.clone(), "s")
            .with_fix(fix)
            .with_help("h"),
        Diagnostic::new("MG101", "r", Severity::Error, "m\nx", stale),
    ];
    let errors = vec![InputError::new("c%:,.go", "bad\r\n")];
    let report = Report {
        diagnostics: &diagnostics,
        errors: &errors,
        rules: &[],
    };
    let mut sources = SourceMap::new();
    sources.insert("a.go", source.clone());
    sources.insert("b.go", source.chars().rev().collect::<String>());
    let mut out = Vec::new();
    for options in [
        TextOptions::default(),
        TextOptions {
            color: true,
            unicode: true,
            ..TextOptions::default()
        },
    ] {
        text::render(&mut out, &report, &sources, &options).unwrap();
    }
    json::render(&mut out, &report, &ToolInfo::mapguard()).unwrap();
    sarif::render(
        &mut out,
        &report,
        &ToolInfo::mapguard(),
        &sources,
        &SarifOptions::default(),
    )
    .unwrap();
    github::render(&mut out, &report).unwrap();
});

//! Hand-built findings shared by the renderer tests: fixes safe and unsafe, related locations in
//! the same and another file, tab-indented and multi-byte lines, an empty file, a missing source.

#![allow(dead_code, unreachable_pub)]

use mapguard_diagnostics::{
    Diagnostic, Edit, Fix, InputError, LineIndex, Location, RuleMeta, Severity, SourceMap,
    TextRange,
};

pub const CACHE_GO: &str = "package cache

import \"sync\"

type Cache struct {
\tmu    sync.Mutex
\titems map[string][]byte
}

func (c *Cache) Reset() {
\tc.mu.Lock()
\tfor k := range c.items {
\t\tdelete(c.items, k)
\t}
\tc.mu.Unlock()
}

func (c *Cache) Peek(k string) []byte {
\treturn c.items[k]
}
";

pub const SERVER_GO: &str = "package cache

// Größe counts entries — “per tenant” 😀.
type Entry struct{ Name string; Payload [256]byte }

var byTenant = map[string]Entry{}

func fill(names []string) map[string]int {
\tm := map[string]int{}
\tfor i, n := range names {
\t\tm[n] = i
\t}
\treturn m
}

func use() { c.items[\"k\"] = nil }
";

pub const EMPTY_GO: &str = "";

/// The byte range of the `nth` occurrence (0-based) of `needle` in `source`.
pub fn find(source: &str, needle: &str, nth: usize) -> TextRange {
    let start = source
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in source"))
        .0;
    TextRange::new(start as u32, (start + needle.len()) as u32)
}

/// A range from the start of `from` to the end of `to`.
pub fn span(source: &str, from: &str, to: &str) -> TextRange {
    let start = find(source, from, 0).start;
    let end = source[start as usize..].find(to).unwrap() + start as usize + to.len();
    TextRange::new(start, end as u32)
}

pub fn sources() -> SourceMap {
    let mut sources = SourceMap::new();
    sources.insert("internal/cache/cache.go", CACHE_GO);
    sources.insert("internal/cache/server.go", SERVER_GO);
    sources.insert("internal/cache/empty.go", EMPTY_GO);
    sources
}

pub fn diagnostics() -> Vec<Diagnostic> {
    let cache = LineIndex::new(CACHE_GO);
    let server = LineIndex::new(SERVER_GO);
    let cache_go = "internal/cache/cache.go";
    let server_go = "internal/cache/server.go";

    let loop_range = span(CACHE_GO, "for k := range c.items", "\t}");
    let clear = Diagnostic::new(
        "MG301",
        "map-cleared-by-delete-loop",
        Severity::Info,
        "map `c.items` is cleared by a delete loop",
        Location::new(cache_go, &cache, loop_range),
    )
    .with_fix(Fix::safe_edit(
        "Replace the loop with `clear(c.items)`",
        Edit::replacement(loop_range, "clear(c.items)"),
    ));

    let unlocked = Diagnostic::new(
        "MG101",
        "inconsistent-map-locking",
        Severity::Error,
        "`c.items` is read without `c.mu`, which guards it elsewhere",
        Location::new(cache_go, &cache, find(CACHE_GO, "c.items[k]", 0)),
    )
    .with_related(
        Location::new(cache_go, &cache, find(CACHE_GO, "c.mu.Lock()", 0)),
        "`c.mu` is held here",
    )
    .with_related(
        Location::new(cache_go, &cache, find(CACHE_GO, "mu    sync.Mutex", 0)),
        "`mu` declared here",
    )
    .with_related(
        Location::new(server_go, &server, find(SERVER_GO, "c.items[\"k\"]", 0)),
        "written here without `c.mu`",
    )
    .with_help("hold `c.mu` while reading `c.items`");

    let oversized = Diagnostic::new(
        "MG401",
        "oversized-map-value",
        Severity::Warning,
        "map value `Entry` is 272 bytes; values over 128 bytes are stored out of line",
        Location::new(server_go, &server, find(SERVER_GO, "map[string]Entry", 0)),
    )
    .with_related(
        Location::new(server_go, &server, find(SERVER_GO, "Größe", 0)),
        "“per tenant” Größe 😀",
    );

    let unhinted_range = find(SERVER_GO, "map[string]int{}", 0);
    let unhinted = Diagnostic::new(
        "MG402",
        "map-capacity-unhinted",
        Severity::Info,
        "map `m` is filled in a loop over `names` without a size hint",
        Location::new(server_go, &server, unhinted_range),
    )
    .with_fix(Fix::unsafe_edit(
        "Add the size hint `len(names)`",
        Edit::replacement(unhinted_range, "make(map[string]int, len(names))"),
    ));

    let empty = Diagnostic::new(
        "MG000",
        "syntax-error",
        Severity::Warning,
        "syntax error: expected `package` clause",
        Location::from_source("internal/cache/empty.go", EMPTY_GO, TextRange::empty(0)),
    );

    let gone = Diagnostic::new(
        "MG201",
        "unbounded-package-map",
        Severity::Error,
        "package map `sessions` grows and is never deleted from",
        Location {
            path: "internal/gone/gone.go".to_owned(),
            range: TextRange::new(40, 48),
            start: mapguard_diagnostics::LineCol::new(4, 5),
            end: mapguard_diagnostics::LineCol::new(4, 13),
        },
    )
    .with_related(
        Location {
            path: "internal/gone/handler.go".to_owned(),
            range: TextRange::new(100, 120),
            start: mapguard_diagnostics::LineCol::new(9, 2),
            end: mapguard_diagnostics::LineCol::new(9, 22),
        },
        "inserted here, in `handle`",
    )
    .with_help("delete entries when sessions end, or bound the map");

    vec![clear, unlocked, oversized, unhinted, empty, gone]
}

pub fn errors() -> Vec<InputError> {
    vec![
        InputError::new(
            "cmd/tool/x.go",
            "not a Go source file: invalid UTF-8 at byte 17",
        ),
        InputError::new(
            "./missing/...",
            "directory does not exist, \"quoted\": 100% gone",
        ),
    ]
}

pub fn rules() -> Vec<RuleMeta> {
    let rule = |code: &str, name: &str, summary: &str, severity, fixable| RuleMeta {
        code: code.to_owned(),
        name: name.to_owned(),
        summary: summary.to_owned(),
        docs: format!(
            "## What it does\n{summary}.\n\n## Why is this bad?\nIt costs memory.\n\n## Example\n```go\nfor k := range m {{\n\tdelete(m, k)\n}}\n```\n"
        ),
        default_severity: severity,
        fixable,
    };
    vec![
        rule(
            "MG101",
            "inconsistent-map-locking",
            "A map accessed without the lock that guards it elsewhere",
            Severity::Error,
            false,
        ),
        rule(
            "MG201",
            "unbounded-package-map",
            "A package-level map that only grows",
            Severity::Error,
            false,
        ),
        rule(
            "MG301",
            "map-cleared-by-delete-loop",
            "A map cleared by deleting every key in a loop",
            Severity::Info,
            true,
        ),
        rule(
            "MG401",
            "oversized-map-value",
            "Map keys or values over 128 bytes",
            Severity::Warning,
            false,
        ),
        rule(
            "MG402",
            "map-capacity-unhinted",
            "A map filled in a loop of known length without a size hint",
            Severity::Info,
            true,
        ),
    ]
}

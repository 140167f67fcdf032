//! One `GODEBUG=gctrace=1` line, Go 1.19–1.27 (runtime/mgc.go `print("gc ", memstats.numgc, …)`):
//!
//! ```text
//! gc 1 @0.000s 14%[ (checking for goroutine leaks)]: 0.083+25+0.21 ms clock, 0.16+0.059/7.2/18+0.42 ms cpu,
//!    15->17->16 MB, 15 MB goal, 0 MB stacks, 0 MB globals, 2 P[ (forced)]
//! ```
//!
//! The parser works on bytes without allocating. A line cut short keeps every field group read
//! before the cut, and says where the last whole group ended so a continuation can be rejoined.

/// The fields of one gctrace line. Groups after the header are `None` when the line was cut before them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GcLine {
    /// `gc N`: the cycle number (`memstats.numgc`).
    pub number: u64,
    /// `@secs s`: seconds since the process started.
    pub at_secs: f64,
    /// `pct%`: GC CPU share since the process started, percent.
    pub cpu_percent: u32,
    /// ` (checking for goroutine leaks)` (Go 1.26+ goroutine-leak experiment).
    pub leak_check: bool,
    /// Wall clock, ms: STW sweep termination, concurrent mark, STW mark termination.
    pub clock_ms: Option<[f64; 3]>,
    /// CPU, ms: STW sweep termination, assist, background, idle, STW mark termination.
    pub cpu_ms: Option<[f64; 5]>,
    /// MiB: heap at GC start, at mark termination, marked live.
    pub heap_mib: Option<[u64; 3]>,
    /// MiB: heap goal.
    pub goal_mib: Option<u64>,
    /// MiB: stack scan (Go 1.18+).
    pub stacks_mib: Option<u64>,
    /// MiB: globals scan (Go 1.18+).
    pub globals_mib: Option<u64>,
    /// `P`: GOMAXPROCS during the cycle.
    pub procs: Option<u32>,
    /// ` (forced)`: started by `runtime.GC()`.
    pub forced: bool,
}

impl GcLine {
    /// The line was read to its final `P` field.
    pub fn is_complete(&self) -> bool {
        self.procs.is_some()
    }

    /// Stop-the-world time of the cycle in ms: sweep termination plus mark termination.
    pub fn stw_ms(&self) -> Option<f64> {
        self.clock_ms.map(|c| c[0] + c[2])
    }
}

/// The result of reading one line from the start of a `gc N @` match.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedLine {
    /// Everything read.
    pub line: GcLine,
    /// Bytes (from the match start) that end at the last whole field group: where a cut line's
    /// continuation would join.
    pub whole_groups_end: usize,
}

/// Finds the start of a gctrace record in `line`: `gc <digits> @`, at the start or after other output.
pub fn find_start(line: &[u8]) -> Option<usize> {
    if line.starts_with(b"gc ") && looks_like_start(&line[3..]) {
        return Some(0);
    }
    let mut from = 0;
    while let Some(pos) = memchr::memmem::find(&line[from..], b"gc ") {
        let at = from + pos;
        if looks_like_start(&line[at + 3..]) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn looks_like_start(rest: &[u8]) -> bool {
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && rest[digits..].starts_with(b" @")
}

/// Parses a record starting at `gc `. Returns `None` unless at least the header
/// (`gc N @secs s pct%`) is present.
pub fn parse(text: &[u8]) -> Option<ParsedLine> {
    let mut c = Cursor { s: text, i: 0 };
    c.lit(b"gc ")?;
    let number = c.uint()?;
    c.lit(b" @")?;
    let at_secs = c.decimal()?;
    c.lit(b"s ")?;
    let cpu_percent = u32::try_from(c.uint()?).ok()?;
    c.lit(b"%")?;
    let mut line = GcLine {
        number,
        at_secs,
        cpu_percent,
        ..GcLine::default()
    };
    line.leak_check = c.lit(b" (checking for goroutine leaks)").is_some();
    let mut end = c.i;
    let _ = parse_groups(&mut c, &mut line, &mut end);
    Some(ParsedLine {
        line,
        whole_groups_end: end,
    })
}

/// Reads the groups after the header; stops (keeping what was read) at the first mismatch.
fn parse_groups(c: &mut Cursor<'_>, line: &mut GcLine, end: &mut usize) -> Option<()> {
    c.lit(b": ")?;
    let a = c.decimal()?;
    c.lit(b"+")?;
    let b = c.decimal()?;
    c.lit(b"+")?;
    let cc = c.decimal()?;
    c.lit(b" ms clock, ")?;
    line.clock_ms = Some([a, b, cc]);
    *end = c.i;

    let d = c.decimal()?;
    c.lit(b"+")?;
    let e = c.decimal()?;
    c.lit(b"/")?;
    let f = c.decimal()?;
    c.lit(b"/")?;
    let g = c.decimal()?;
    c.lit(b"+")?;
    let h = c.decimal()?;
    c.lit(b" ms cpu, ")?;
    line.cpu_ms = Some([d, e, f, g, h]);
    *end = c.i;

    let h0 = c.uint()?;
    c.lit(b"->")?;
    let h1 = c.uint()?;
    c.lit(b"->")?;
    let h2 = c.uint()?;
    c.lit(b" MB, ")?;
    line.heap_mib = Some([h0, h1, h2]);
    *end = c.i;

    let goal = c.uint()?;
    c.lit(b" MB goal, ")?;
    line.goal_mib = Some(goal);
    *end = c.i;

    // Go 1.18+ prints stacks and globals; older runtimes go straight to `N P`.
    let mut n = c.uint()?;
    if c.lit(b" MB stacks, ").is_some() {
        line.stacks_mib = Some(n);
        *end = c.i;
        let g = c.uint()?;
        c.lit(b" MB globals, ")?;
        line.globals_mib = Some(g);
        *end = c.i;
        n = c.uint()?;
    }
    c.lit(b" P")?;
    line.procs = Some(u32::try_from(n).ok()?);
    line.forced = c.lit(b" (forced)").is_some();
    *end = c.i;
    Some(())
}

/// A byte cursor with the few number forms gctrace prints.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn lit(&mut self, lit: &[u8]) -> Option<()> {
        if self.s[self.i..].starts_with(lit) {
            self.i += lit.len();
            Some(())
        } else {
            None
        }
    }

    fn uint(&mut self) -> Option<u64> {
        let start = self.i;
        let mut v: u64 = 0;
        while let Some(&b) = self.s.get(self.i) {
            if !b.is_ascii_digit() {
                break;
            }
            v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
            self.i += 1;
        }
        (self.i > start).then_some(v)
    }

    /// `12`, `0.083`, `7.2`: digits with an optional fraction (gctrace never prints exponents).
    fn decimal(&mut self) -> Option<f64> {
        let whole = self.uint()?;
        let mut value = whole as f64;
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            let start = self.i;
            let frac = self.uint()?;
            let digits = self.i - start;
            value += frac as f64 / pow10(digits);
        }
        Some(value)
    }
}

fn pow10(n: usize) -> f64 {
    const TABLE: [f64; 10] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
    TABLE
        .get(n)
        .copied()
        .unwrap_or_else(|| 10f64.powi(i32::try_from(n).unwrap_or(i32::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GO126: &str = "gc 1 @0.000s 14%: 0.083+25+0.21 ms clock, 0.16+0.059/7.2/18+0.42 ms cpu, 15->17->16 MB, 15 MB goal, 0 MB stacks, 0 MB globals, 2 P";
    const GO123_FORCED: &str = "gc 2 @0.121s 3%: 0.021+16+0.008 ms clock, 0.042+0/0.25/16+0.016 ms cpu, 30->30->30 MB, 35 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)";

    #[test]
    fn reads_every_field_of_a_go_1_26_line() {
        let p = parse(GO126.as_bytes()).unwrap();
        let l = p.line;
        assert_eq!(l.number, 1);
        assert_eq!(l.at_secs, 0.0);
        assert_eq!(l.cpu_percent, 14);
        assert_eq!(l.clock_ms, Some([0.083, 25.0, 0.21]));
        assert_eq!(l.cpu_ms, Some([0.16, 0.059, 7.2, 18.0, 0.42]));
        assert_eq!(l.heap_mib, Some([15, 17, 16]));
        assert_eq!(l.goal_mib, Some(15));
        assert_eq!(l.stacks_mib, Some(0));
        assert_eq!(l.globals_mib, Some(0));
        assert_eq!(l.procs, Some(2));
        assert!(!l.forced && !l.leak_check && l.is_complete());
        assert_eq!(p.whole_groups_end, GO126.len());
        assert!((l.stw_ms().unwrap() - 0.293).abs() < 1e-12);
    }

    #[test]
    fn reads_forced_and_goroutine_leak_check_markers() {
        let l = parse(GO123_FORCED.as_bytes()).unwrap().line;
        assert!(l.forced);
        assert_eq!(l.at_secs, 0.121);
        let leak = GO126.replace("14%:", "14% (checking for goroutine leaks):");
        let l = parse(leak.as_bytes()).unwrap().line;
        assert!(l.leak_check && l.is_complete());
    }

    #[test]
    fn reads_pre_1_18_lines_without_stacks_and_globals() {
        let old = "gc 7 @1.5s 1%: 0.01+1.2+0.02 ms clock, 0.04+0.1/1/2+0.08 ms cpu, 4->4->2 MB, 5 MB goal, 4 P";
        let l = parse(old.as_bytes()).unwrap().line;
        assert_eq!(l.procs, Some(4));
        assert_eq!(l.stacks_mib, None);
    }

    #[test]
    fn keeps_the_groups_before_a_cut() {
        let cut = &GO126[..GO126.find("15->").unwrap() + 3];
        let p = parse(cut.as_bytes()).unwrap();
        assert!(!p.line.is_complete());
        assert!(p.line.cpu_ms.is_some());
        assert_eq!(p.line.heap_mib, None);
        assert_eq!(&GO126[p.whole_groups_end..p.whole_groups_end + 4], "15->");
    }

    #[test]
    fn finds_records_after_other_output() {
        let line = format!("12:00:01 served 3 requestsgc 9 not this; {GO126}");
        let at = find_start(line.as_bytes()).unwrap();
        assert_eq!(&line[at..], GO126);
        assert_eq!(find_start(b"gc tuning: gc 12 mentioned"), None);
        assert_eq!(find_start(b""), None);
    }
}

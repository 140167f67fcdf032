//! A whole gctrace log: gc lines among application output, cut lines rejoined or kept in part.

use std::io::BufRead;

use super::gctrace_line::{self, GcLine};
use crate::error::GcError;
use crate::model::{Pause, Sample, Series, SourceKind, TimeBase};

const MIB: f64 = 1024.0 * 1024.0;

/// Longest gc record considered when rejoining a cut one (real records are under 200 bytes).
const MAX_RECORD: usize = 512;

/// Reads a gctrace log (stderr of a program run with `GODEBUG=gctrace=1`).
///
/// Lines that are not gc lines are counted and skipped. A gc record cut short by other output is
/// rejoined with the next line when that completes it; otherwise its fields before the cut are
/// kept and a note says so. Errors only when no gc line was found or reading failed.
pub fn read_gctrace(mut reader: impl BufRead) -> Result<Series, GcError> {
    let mut series = Series::new(SourceKind::Gctrace, TimeBase::ProcessStart);
    let mut buf = Vec::with_capacity(256);
    let mut pending: Option<Pending> = None;
    let mut line_no = 0usize;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|source| GcError::Io {
                path: "<gctrace>".into(),
                source,
            })?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let line = trim_eol(&buf);
        let start = gctrace_line::find_start(line);
        if let Some(p) = pending.take() {
            if start != Some(0)
                && let Some(joined) = rejoin(&p, line)
            {
                series.note(
                    p.line_no,
                    format!(
                        "gc {} was split by other output; rejoined with line {line_no}",
                        joined.number
                    ),
                );
                push(&mut series, &joined, p.line_no);
                continue;
            }
            keep_cut(&mut series, &p);
        }
        let Some(start) = start else { continue };
        let Some(parsed) = gctrace_line::parse(&line[start..]) else {
            continue;
        };
        if parsed.line.is_complete() {
            push(&mut series, &parsed.line, line_no);
        } else {
            pending = Some(Pending {
                line: parsed.line,
                text: line[start..line.len().min(start + MAX_RECORD)].to_vec(),
                whole_groups_end: parsed.whole_groups_end,
                line_no,
            });
        }
    }
    if let Some(p) = pending.take() {
        keep_cut(&mut series, &p);
    }
    series.units_read = line_no;
    if series.samples.is_empty() {
        return Err(if line_no == 0 {
            GcError::Empty
        } else {
            GcError::NothingFound {
                what: "gctrace lines (`gc N @…s …%: …`; was the program run with GODEBUG=gctrace=1?)",
                units: line_no,
                unit_name: "lines",
            }
        });
    }
    Ok(series)
}

/// A gc record cut before its end, waiting to see whether the next line completes it.
struct Pending {
    line: GcLine,
    /// The line from `gc ` on: the record's front, then whatever output cut into it.
    text: Vec<u8>,
    whole_groups_end: usize,
    line_no: usize,
}

/// Completes a cut record with the next line. The runtime writes a gctrace line piece by piece,
/// so another writer's line can land between two pieces: the record's front is `text[..p]` for
/// some `p` past the last whole field group. The shortest front that makes a complete record wins.
fn rejoin(p: &Pending, next: &[u8]) -> Option<GcLine> {
    let mut joined = Vec::with_capacity(p.text.len() + next.len());
    let next = &next[..next.len().min(MAX_RECORD)];
    for end in p.whole_groups_end..=p.text.len() {
        joined.clear();
        joined.extend_from_slice(&p.text[..end]);
        joined.extend_from_slice(next);
        if let Some(parsed) = gctrace_line::parse(&joined)
            && parsed.line.is_complete()
        {
            return Some(parsed.line);
        }
    }
    None
}

fn keep_cut(series: &mut Series, p: &Pending) {
    let missing = match (&p.line.clock_ms, &p.line.heap_mib) {
        (None, _) => "pauses and heap sizes",
        (Some(_), None) => "heap sizes",
        (Some(_), Some(_)) => "its last fields",
    };
    series.note(
        p.line_no,
        format!(
            "gc {} line is cut short; kept the fields before the cut, missing {missing}",
            p.line.number
        ),
    );
    push(series, &p.line, p.line_no);
}

fn push(series: &mut Series, line: &GcLine, line_no: usize) {
    let mib = |v: u64| v as f64 * MIB;
    series.samples.push(Sample {
        time_secs: line.at_secs,
        gc_count: Some(line.number),
        live_heap_bytes: line.heap_mib.map(|h| mib(h[2])),
        heap_goal_bytes: line.goal_mib.map(mib),
        heap_alloc_bytes: line.heap_mib.map(|h| mib(h[0])),
        heap_inuse_bytes: None,
        mallocs: None,
        frees: None,
        gc_cpu_fraction: Some(f64::from(line.cpu_percent) / 100.0),
        forced: line.forced,
        origin: line_no,
    });
    if let Some(stw) = line.stw_ms() {
        let end = line.clock_ms.map_or(line.at_secs, |c| {
            line.at_secs + (c[0] + c[1] + c[2]) / 1000.0
        });
        series.pauses.push(Pause {
            time_secs: end,
            seconds: stw / 1000.0,
            weight: 1,
            sample: series.samples.len() - 1,
        });
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    const L1: &str = "gc 1 @0.026s 0%: 0.36+0.47+0.007 ms clock, 0.72+0/0.24/0.25+0.014 ms cpu, 3->3->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P";
    const L2: &str = "gc 2 @0.060s 0%: 0.26+0.45+0.003 ms clock, 0.53+0.13/0.084/0.21+0.007 ms cpu, 3->3->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P";

    fn read(text: &str) -> Series {
        read_gctrace(text.as_bytes()).unwrap()
    }

    #[test]
    fn skips_application_output_between_gc_lines() {
        let s = read(&format!("starting\n{L1}\n12:00:00 served 3\r\n{L2}\n"));
        assert_eq!(s.samples.len(), 2);
        assert_eq!(s.samples[1].gc_count, Some(2));
        assert_eq!(s.samples[1].live_heap_bytes, Some(MIB));
        assert_eq!(s.samples[1].origin, 4);
        assert_eq!(s.pauses.len(), 2);
        assert!((s.pauses[0].seconds - 0.000367).abs() < 1e-12);
        assert!(s.notes.is_empty());
        assert_eq!(s.units_read, 4);
    }

    #[test]
    fn rejoins_a_record_split_by_other_output() {
        let cut = L2.find("3->").unwrap() + 1;
        let text = format!("{L1}\n{}12:00:00 app line\n{}\n", &L2[..cut], &L2[cut..]);
        let s = read(&text);
        assert_eq!(s.samples.len(), 2);
        assert_eq!(s.samples[1].live_heap_bytes, Some(MIB));
        assert!(s.notes[0].message.contains("rejoined"), "{:?}", s.notes);
    }

    #[test]
    fn keeps_the_front_of_a_line_cut_at_end_of_file() {
        let cut = L2.find("3->").unwrap() + 2;
        let s = read(&format!("{L1}\n{}", &L2[..cut]));
        assert_eq!(s.samples.len(), 2);
        assert_eq!(s.samples[1].live_heap_bytes, None);
        assert_eq!(s.pauses.len(), 2);
        assert!(s.notes[0].message.contains("cut short"), "{:?}", s.notes);
    }

    #[test]
    fn no_gc_lines_is_an_error_that_says_what_was_read() {
        let err = read_gctrace(&b"hello\nworld\n"[..]).unwrap_err();
        assert!(err.to_string().contains("2 lines"), "{err}");
        assert!(matches!(read_gctrace(&b""[..]), Err(GcError::Empty)));
    }
}

//! Reading inputs: format detection, files, folders, streams.

mod expvar;
mod gctrace;
pub mod gctrace_line;
mod prometheus;

use std::fs;
use std::io::{BufReader, Cursor, Read};
use std::path::Path;

use serde::Serialize;

use crate::error::GcError;
use crate::model::{Series, SourceKind, TimeBase};
pub use gctrace::read_gctrace;

/// How many leading bytes format detection looks at.
const SNIFF_BYTES: usize = 64 * 1024;

/// The input formats mapguard reads; `Auto` detects from content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputFormat {
    /// Detect from the content.
    #[default]
    Auto,
    /// `GODEBUG=gctrace=1` output.
    Gctrace,
    /// expvar `/debug/vars` JSON.
    Expvar,
    /// Prometheus text exposition.
    Prometheus,
}

/// Detects the format of `head` (the first bytes of an input). Errors on empty or binary input.
pub fn detect(head: &[u8]) -> Result<SourceKind, GcError> {
    if head.iter().all(u8::is_ascii_whitespace) {
        return Err(GcError::Empty);
    }
    if let Some(offset) = memchr::memchr(0, &head[..head.len().min(8192)]) {
        return Err(GcError::Binary { offset });
    }
    let trimmed = head.trim_ascii_start();
    let json = trimmed.starts_with(b"{");
    let memstats = memchr::memmem::find(head, b"\"memstats\"").is_some()
        || memchr::memmem::find(head, b"\"NumGC\"").is_some();
    if json && memstats {
        return Ok(SourceKind::Expvar);
    }
    let mut lines = head.split(|&b| b == b'\n');
    // gc lines among structured (JSON) or plain application logs.
    if lines
        .clone()
        .any(|line| gctrace_line::find_start(line).is_some())
    {
        return Ok(SourceKind::Gctrace);
    }
    let prometheus = lines.any(|line| {
        line.starts_with(b"# TYPE ")
            || line.starts_with(b"# HELP ")
            || line.starts_with(b"go_memstats_")
            || line.starts_with(b"go_gc_")
    });
    Ok(if prometheus {
        SourceKind::Prometheus
    } else if json {
        SourceKind::Expvar
    } else {
        SourceKind::Gctrace
    })
}

/// Reads one input from a stream (gctrace is read line by line; JSON and Prometheus text whole).
pub fn read_stream(mut reader: impl Read, format: InputFormat) -> Result<Series, GcError> {
    let io = |source| GcError::Io {
        path: "<input>".into(),
        source,
    };
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    (&mut reader)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io)?;
    let kind = resolve(format, &head)?;
    match kind {
        SourceKind::Gctrace => read_gctrace(BufReader::with_capacity(
            1 << 16,
            Cursor::new(head).chain(reader),
        )),
        _ => {
            reader.read_to_end(&mut head).map_err(io)?;
            read_text(kind, &head)
        }
    }
}

/// Reads a file, or a folder of files (one snapshot or log per file, in name order), as one series.
pub fn read_path(path: &Path, format: InputFormat) -> Result<Series, GcError> {
    let io = |source| GcError::Io {
        path: path.to_owned(),
        source,
    };
    if !path.is_dir() {
        return read_stream(fs::File::open(path).map_err(io)?, format);
    }
    let mut files: Vec<_> = fs::read_dir(path)
        .map_err(io)?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    files.sort();
    read_folder(&files, format)
}

/// Reads already-loaded text of a known kind.
pub fn read_text(kind: SourceKind, text: &[u8]) -> Result<Series, GcError> {
    match kind {
        SourceKind::Gctrace => read_gctrace(text),
        SourceKind::Expvar => {
            let mut series = Series::new(SourceKind::Expvar, TimeBase::Unix);
            series.units_read = expvar::read_documents(text, 1, &mut series);
            finish_snapshots(series, "expvar memstats documents", "documents")
        }
        SourceKind::Prometheus => {
            let mut series = Series::new(SourceKind::Prometheus, TimeBase::Unix);
            let mut reader = prometheus::PromReader::default();
            series.units_read = reader.read(text, false, &mut series);
            series.time_base = reader.time_base();
            finish_snapshots(
                series,
                "Go runtime metrics (go_memstats_*, go_gc_*)",
                "scrapes",
            )
        }
    }
}

fn read_folder(files: &[std::path::PathBuf], format: InputFormat) -> Result<Series, GcError> {
    let mut kind: Option<SourceKind> = None;
    let mut series: Option<Series> = None;
    let mut prom = prometheus::PromReader::default();
    let mut skipped = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let name = file.display().to_string();
        let text = match fs::read(file) {
            Ok(text) => text,
            Err(err) => {
                skipped.push((index + 1, format!("{name}: {err}; skipped")));
                continue;
            }
        };
        let this = match resolve(format, &text[..text.len().min(SNIFF_BYTES)]) {
            Ok(k) => k,
            Err(err) => {
                skipped.push((index + 1, format!("{name}: {err}; skipped")));
                continue;
            }
        };
        if kind.is_some_and(|k| k != this) {
            skipped.push((
                index + 1,
                format!("{name}: a different format from the folder's first file; skipped"),
            ));
            continue;
        }
        kind = Some(this);
        let s = series.get_or_insert_with(|| Series::new(this, TimeBase::Unix));
        match this {
            SourceKind::Expvar => {
                let first = s.units_read + 1;
                s.units_read += expvar::read_documents(&text, first, s);
            }
            SourceKind::Prometheus => s.units_read += prom.read(&text, false, s),
            SourceKind::Gctrace => match read_gctrace(text.as_slice()) {
                Ok(part) => {
                    s.time_base = TimeBase::ProcessStart;
                    s.units_read += part.units_read;
                    s.samples.extend(part.samples);
                    s.pauses.extend(part.pauses);
                    s.notes.extend(part.notes.into_iter().map(|mut n| {
                        n.message = format!("{name}: {}", n.message);
                        n
                    }));
                }
                Err(err) => skipped.push((index + 1, format!("{name}: {err}; skipped"))),
            },
        }
    }
    let Some(mut series) = series else {
        return Err(GcError::NothingFound {
            what: "readable gctrace, expvar or Prometheus files",
            units: files.len(),
            unit_name: "files",
        });
    };
    if series.source == SourceKind::Prometheus {
        series.time_base = prom.time_base();
    }
    for (at, message) in skipped {
        series.note(at, message);
    }
    let (what, unit) = match series.source {
        SourceKind::Gctrace => ("gctrace lines", "lines"),
        SourceKind::Expvar => ("expvar memstats documents", "documents"),
        SourceKind::Prometheus => ("Go runtime metrics (go_memstats_*, go_gc_*)", "scrapes"),
    };
    finish_snapshots(series, what, unit)
}

fn resolve(format: InputFormat, head: &[u8]) -> Result<SourceKind, GcError> {
    let detected = detect(head)?;
    Ok(match format {
        InputFormat::Auto => detected,
        InputFormat::Gctrace => SourceKind::Gctrace,
        InputFormat::Expvar => SourceKind::Expvar,
        InputFormat::Prometheus => SourceKind::Prometheus,
    })
}

fn finish_snapshots(
    series: Series,
    what: &'static str,
    unit_name: &'static str,
) -> Result<Series, GcError> {
    if series.samples.is_empty() {
        Err(GcError::NothingFound {
            what,
            units: series.units_read,
            unit_name,
        })
    } else {
        Ok(series)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format_and_refuses_empty_and_binary() {
        assert_eq!(detect(b"  {\"memstats\":{}}").unwrap(), SourceKind::Expvar);
        assert_eq!(
            detect(b"# HELP go_goroutines x\n").unwrap(),
            SourceKind::Prometheus
        );
        assert_eq!(
            detect(b"go_memstats_heap_alloc_bytes 1\n").unwrap(),
            SourceKind::Prometheus
        );
        assert_eq!(
            detect(b"app\ngc 1 @0.1s 0%: ...").unwrap(),
            SourceKind::Gctrace
        );
        assert!(matches!(detect(b" \n"), Err(GcError::Empty)));
        assert!(matches!(
            detect(b"\x7fELF\x02\x01\x00\x00"),
            Err(GcError::Binary { offset: 6 })
        ));
    }
}

//! The legacy text heap format that `/debug/pprof/heap?debug=1` serves (go1.26 runtime/pprof
//! pprof.go:631-751):
//!
//! ```text
//! heap profile: <inuse_objs>: <inuse_bytes> [<alloc_objs>: <alloc_bytes>] @ heap/<2*MemProfileRate>
//! <inuse_objs>: <inuse_bytes> [<alloc_objs>: <alloc_bytes>] @ 0xpc 0xpc ...
//! #    0xpc    func+0xoff    file:line
//! ```
//!
//! Values in the text are sampled counts; like pprof (profile/legacy_profile.go), each row is
//! un-sampled with `scale = 1/(1 - exp(-avgSize/rate))`. The `#` lines carry the symbolized
//! frames (runtime frames already hidden); the raw PCs are ignored.

use std::collections::HashMap;

use crate::error::DecodeError;
use crate::profile::{Format, Frame, Function, HeapProfile, SampleArena, ValueType};

/// Whether `text` starts like a Go legacy heap profile.
pub(crate) fn looks_like_legacy(data: &[u8]) -> bool {
    let start = data
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(data.len());
    data[start..].starts_with(b"heap profile:")
}

pub(crate) fn parse(data: &[u8]) -> Result<HeapProfile, DecodeError> {
    let text = std::str::from_utf8(data).map_err(|e| DecodeError::Legacy {
        line: 1 + data[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count(),
        message: "not UTF-8 text".to_owned(),
    })?;
    let mut builder = Builder::default();
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end()));
    let (header_no, header) = lines
        .by_ref()
        .find(|(_, l)| !l.trim().is_empty())
        .ok_or_else(|| legacy(1, "empty input"))?;
    let rate = parse_header(header).map_err(|m| legacy(header_no, m))?;
    // `#` frame lines extend the stack of the record above them.
    let mut in_record = false;
    for (no, line) in lines {
        let trimmed = line.trim_start();
        if trimmed.starts_with("# runtime.MemStats") {
            break;
        }
        if let Some(frame) = trimmed.strip_prefix('#') {
            if in_record {
                let frame = parse_frame(frame).map_err(|m| legacy(no, m))?;
                let loc = builder.location(frame);
                builder.samples.push_location(loc)?;
            }
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        let (values, bytes) = parse_record(trimmed, rate).map_err(|m| legacy(no, m))?;
        builder.samples.push(&values, bytes)?;
        in_record = true;
    }
    let kind = |k: &str, u: &str| ValueType {
        kind: k.to_owned(),
        unit: u.to_owned(),
    };
    Ok(HeapProfile {
        format: Format::LegacyText,
        sample_types: vec![
            kind("alloc_objects", "count"),
            kind("alloc_space", "bytes"),
            kind("inuse_objects", "count"),
            kind("inuse_space", "bytes"),
        ],
        period_type: Some(kind("space", "bytes")),
        period: rate,
        time_nanos: 0,
        duration_nanos: 0,
        functions: builder.functions,
        frames: builder.frames,
        locations: builder.locations,
        samples: builder.samples.samples,
        stacks: builder.samples.stacks,
        values: builder.samples.values,
    })
}

fn legacy(line: usize, message: impl Into<String>) -> DecodeError {
    DecodeError::Legacy {
        line,
        message: message.into(),
    }
}

/// `heap profile: 1: 2 [3: 4] @ heap/2` → the sampling rate (half the number after `heap/`).
fn parse_header(line: &str) -> Result<i64, String> {
    let rest = line
        .trim()
        .strip_prefix("heap profile:")
        .ok_or("expected `heap profile:` header")?;
    let (counts, tail) = rest.split_once('@').ok_or("header has no `@ heap/RATE`")?;
    parse_counts(counts)?;
    let tail = tail.trim();
    let kind = tail.split('/').next().unwrap_or("");
    if kind != "heap" {
        return Err(format!(
            "unsupported legacy profile kind {kind:?} (only Go's heap)"
        ));
    }
    let rate = match tail.split_once('/') {
        Some((_, r)) if !r.is_empty() => {
            r.parse::<i64>()
                .map_err(|_| format!("bad sampling rate {r:?}"))?
                / 2
        }
        _ => 1,
    };
    Ok(rate)
}

/// `a: b [c: d]` → (a, b, c, d).
fn parse_counts(text: &str) -> Result<[i64; 4], String> {
    let cleaned = text.replace(['[', ']', ':'], " ");
    let numbers: Vec<i64> = cleaned
        .split_whitespace()
        .map(|n| n.parse::<i64>().map_err(|_| format!("bad count {n:?}")))
        .collect::<Result<_, _>>()?;
    match numbers.as_slice() {
        &[a, b, c, d] if a >= 0 && b >= 0 && c >= 0 && d >= 0 => Ok([a, b, c, d]),
        _ => Err(format!(
            "expected `objects: bytes [objects: bytes]`, got {:?}",
            text.trim()
        )),
    }
}

/// A record line → its four un-sampled values and the object size.
fn parse_record(line: &str, rate: i64) -> Result<([i64; 4], Option<i64>), String> {
    let (counts, _pcs) = line
        .split_once('@')
        .ok_or("expected `objects: bytes [objects: bytes] @ pcs`")?;
    let [inuse_objs, inuse_bytes, alloc_objs, alloc_bytes] = parse_counts(counts)?;
    let bytes = if alloc_objs > 0 {
        Some(alloc_bytes / alloc_objs)
    } else if inuse_objs > 0 {
        Some(inuse_bytes / inuse_objs)
    } else {
        None
    };
    let (ao, ab) = unsample(alloc_objs, alloc_bytes, rate);
    let (io, ib) = unsample(inuse_objs, inuse_bytes, rate);
    Ok(([ao, ab, io, ib], bytes))
}

/// pprof's `scaleHeapSample` (profile/legacy_profile.go) and Go's `scaleHeapSample`.
fn unsample(count: i64, size: i64, rate: i64) -> (i64, i64) {
    if count == 0 || size == 0 {
        return (0, 0);
    }
    if rate <= 1 {
        return (count, size);
    }
    let avg = size as f64 / count as f64;
    let scale = 1.0 / (1.0 - (-avg / rate as f64).exp());
    ((count as f64 * scale) as i64, (size as f64 * scale) as i64)
}

/// `\t0x4a1b2c\tmain.f+0x2c\t\t/src/main.go:12` → (function, file, line).
fn parse_frame(text: &str) -> Result<(String, String, u32), String> {
    let mut fields = text.split('\t').map(str::trim).filter(|f| !f.is_empty());
    let _pc = fields.next().ok_or("empty frame line")?;
    let func = fields.next().ok_or("frame line has no function")?;
    let position = fields.next().unwrap_or("");
    let name = match func.rfind("+0x") {
        Some(i) => &func[..i],
        None => func,
    };
    let (file, line) = match position.rsplit_once(':') {
        Some((file, line)) => (
            file,
            line.parse::<u32>()
                .map_err(|_| format!("bad line number in {position:?}"))?,
        ),
        None => (position, 0),
    };
    Ok((name.to_owned(), file.to_owned(), line))
}

#[derive(Default)]
struct Builder {
    functions: Vec<Function>,
    function_index: HashMap<(String, String), u32>,
    frames: Vec<Frame>,
    locations: Vec<Vec<u32>>,
    location_index: HashMap<Frame, u32>,
    samples: SampleArena,
}

impl Builder {
    /// The location (one frame) for a symbolized `#` line.
    fn location(&mut self, (name, file, line): (String, String, u32)) -> u32 {
        let next = self.functions.len() as u32;
        let functions = &mut self.functions;
        let function = *self
            .function_index
            .entry((name.clone(), file.clone()))
            .or_insert_with(|| {
                functions.push(Function { name, file });
                next
            });
        let frame = Frame { function, line };
        let next = self.locations.len() as u32;
        let (frames, locations) = (&mut self.frames, &mut self.locations);
        *self.location_index.entry(frame).or_insert_with(|| {
            frames.push(frame);
            locations.push(vec![(frames.len() - 1) as u32]);
            next
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsamples_like_pprof() {
        assert_eq!(unsample(1, 48, 1), (1, 48));
        assert_eq!(unsample(0, 48, 512 * 1024), (0, 0));
        // avg 1 MiB at rate 512 KiB: scale = 1/(1-e^-2) = 1.1565...
        assert_eq!(unsample(2, 2 << 20, 512 * 1024), (2, 2_425_393));
    }

    #[test]
    fn parses_a_small_profile() {
        let text = "heap profile: 1: 48 [2: 96] @ heap/2\n\
            1: 48 [2: 96] @ 0x1 0x2\n\
            #\t0x1\tmain.fill+0x2c\t\t/src/app/main.go:12\n\
            #\t0x2\tmain.main+0x10\t\t/src/app/main.go:30\n\
            \n\
            # runtime.MemStats\n# Alloc = 1\n";
        let p = parse(text.as_bytes()).unwrap();
        assert_eq!(p.samples.len(), 1);
        assert_eq!(p.sample_values(&p.samples[0]), [2, 96, 1, 48]);
        assert_eq!(p.samples[0].bytes, Some(48));
        let frames: Vec<_> = p.stack(&p.samples[0]).collect();
        assert_eq!(p.function(frames[0]).name, "main.fill");
        assert_eq!(frames[0].line, 12);
        assert_eq!(p.function(frames[1]).file, "/src/app/main.go");
    }

    #[test]
    fn rejects_garbage_records_with_the_line_number() {
        let text = "heap profile: 1: 48 [2: 96] @ heap/2\nnonsense here\n";
        let err = parse(text.as_bytes()).unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
    }
}

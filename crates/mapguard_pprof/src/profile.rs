//! The decoded heap profile: sample types, interned functions and frames, and samples whose stacks
//! are lists of locations (each location one or more frames, inlined callees first).

use std::collections::HashMap;

use crate::error::DecodeError;
use crate::proto;
use crate::sample::SampleKind;
use crate::wire::LiteProfile;

/// Where the profile came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// gzip or raw `profile.proto` (what `/debug/pprof/heap` serves).
    Proto,
    /// The legacy text format (`/debug/pprof/heap?debug=1`).
    LegacyText,
}

/// A sample type or period type: `inuse_space`/`bytes`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ValueType {
    pub kind: String,
    pub unit: String,
}

impl std::fmt::Display for ValueType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.kind, self.unit)
    }
}

/// A function: its full name (`pkg/path.(*T).Method`) and source file as the binary recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    pub file: String,
}

/// One source position in a stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Frame {
    /// Index into [`HeapProfile::functions`].
    pub function: u32,
    pub line: u32,
}

/// One sample: a stack (location indices, leaf first), one value per sample type, and the
/// object size from the `bytes` label Go puts on every heap sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub locations: Vec<u32>,
    pub values: Vec<i64>,
    pub bytes: Option<i64>,
}

/// A decoded Go heap profile.
#[derive(Debug, Clone, PartialEq)]
pub struct HeapProfile {
    pub format: Format,
    pub sample_types: Vec<ValueType>,
    pub period_type: Option<ValueType>,
    pub period: i64,
    /// Collection time, nanoseconds since the Unix epoch (0 when unknown, as in the text format).
    pub time_nanos: i64,
    pub duration_nanos: i64,
    pub functions: Vec<Function>,
    pub frames: Vec<Frame>,
    /// Frames of each location (indices into `frames`), inlined callees first.
    pub locations: Vec<Vec<u32>>,
    pub samples: Vec<Sample>,
}

impl HeapProfile {
    /// The value index of `kind`, or why the profile does not have it.
    pub fn value_index(&self, kind: SampleKind) -> Result<usize, DecodeError> {
        self.sample_types
            .iter()
            .position(|t| t.kind == kind.name())
            .ok_or_else(|| DecodeError::MissingSampleType {
                wanted: kind.name().to_owned(),
                found: self.describe_sample_types(),
            })
    }

    /// `a/b, c/d` for messages.
    pub fn describe_sample_types(&self) -> String {
        if self.sample_types.is_empty() {
            return "none".to_owned();
        }
        let names: Vec<String> = self.sample_types.iter().map(ToString::to_string).collect();
        names.join(", ")
    }

    /// Sum of one value over all samples.
    pub fn total(&self, index: usize) -> i64 {
        self.samples
            .iter()
            .map(|s| s.values.get(index).copied().unwrap_or(0))
            .fold(0i64, i64::saturating_add)
    }

    /// The frames of a sample, leaf first (inlined frames expanded).
    pub fn stack<'a>(&'a self, sample: &'a Sample) -> impl Iterator<Item = Frame> + 'a {
        sample
            .locations
            .iter()
            .flat_map(|&loc| self.locations[loc as usize].iter())
            .map(|&f| self.frames[f as usize])
    }

    /// The function of a frame.
    pub fn function(&self, frame: Frame) -> &Function {
        &self.functions[frame.function as usize]
    }

    /// Checks that this is a heap profile with samples.
    pub(crate) fn check_heap(&self) -> Result<(), DecodeError> {
        let heap = self
            .sample_types
            .iter()
            .any(|t| t.kind.parse::<SampleKind>().is_ok());
        if !heap {
            return Err(DecodeError::NotHeap {
                found: self.describe_sample_types(),
            });
        }
        if self.samples.is_empty() {
            return Err(DecodeError::NoSamples);
        }
        Ok(())
    }

    /// Converts a decoded `profile.proto` message, checking every cross-reference.
    pub(crate) fn from_proto(p: LiteProfile) -> Result<Self, DecodeError> {
        let strings = &p.string_table;
        let string = |i: i64| -> Result<&str, DecodeError> {
            usize::try_from(i)
                .ok()
                .and_then(|i| strings.get(i))
                .map(String::as_str)
                .ok_or_else(|| DecodeError::Invalid(format!("string index {i} out of range")))
        };
        if p.sample_type.is_empty() && p.sample.is_empty() && p.location.is_empty() {
            return Err(DecodeError::NotProfile(
                "no sample types, samples or locations".to_owned(),
            ));
        }
        if strings.first().is_some_and(|s| !s.is_empty()) {
            return Err(DecodeError::Invalid(
                "string_table[0] is not empty".to_owned(),
            ));
        }
        let value_type = |v: &proto::ValueType| -> Result<ValueType, DecodeError> {
            Ok(ValueType {
                kind: string(v.r#type)?.to_owned(),
                unit: string(v.unit)?.to_owned(),
            })
        };
        let sample_types = p
            .sample_type
            .iter()
            .map(value_type)
            .collect::<Result<Vec<_>, _>>()?;
        let period_type = p.period_type.as_ref().map(value_type).transpose()?;

        let mut functions = Vec::with_capacity(p.function.len());
        let mut function_index = HashMap::with_capacity(p.function.len());
        for f in &p.function {
            let index = u32::try_from(functions.len()).map_err(|_| too_many("functions"))?;
            if function_index.insert(f.id, index).is_some() {
                return Err(DecodeError::Invalid(format!(
                    "duplicate function id {}",
                    f.id
                )));
            }
            functions.push(Function {
                name: string(f.name)?.to_owned(),
                file: string(f.filename)?.to_owned(),
            });
        }

        let mut frames = Vec::new();
        let mut frame_index: HashMap<Frame, u32> = HashMap::new();
        let mut locations = Vec::with_capacity(p.location.len());
        let mut location_index = HashMap::with_capacity(p.location.len());
        for loc in &p.location {
            let index = u32::try_from(locations.len()).map_err(|_| too_many("locations"))?;
            if location_index.insert(loc.id, index).is_some() {
                return Err(DecodeError::Invalid(format!(
                    "duplicate location id {}",
                    loc.id
                )));
            }
            let mut ids = Vec::with_capacity(loc.line.len());
            for line in &loc.line {
                let function = *function_index.get(&line.function_id).ok_or_else(|| {
                    DecodeError::Invalid(format!(
                        "location {} refers to missing function {}",
                        loc.id, line.function_id
                    ))
                })?;
                let frame = Frame {
                    function,
                    line: u32::try_from(line.line).unwrap_or(0),
                };
                let next = u32::try_from(frames.len()).map_err(|_| too_many("frames"))?;
                let id = *frame_index.entry(frame).or_insert_with(|| {
                    frames.push(frame);
                    next
                });
                ids.push(id);
            }
            locations.push(ids);
        }

        let bytes_key = strings.iter().position(|s| s == "bytes");
        let mut samples = Vec::with_capacity(p.sample.len());
        for (n, s) in p.sample.into_iter().enumerate() {
            if s.value.len() != sample_types.len() {
                return Err(DecodeError::Invalid(format!(
                    "sample {n} has {} values for {} sample types",
                    s.value.len(),
                    sample_types.len()
                )));
            }
            if s.id_overflow {
                return Err(DecodeError::Invalid(format!(
                    "sample {n} has a location id above 2^32 (not supported)"
                )));
            }
            let mut locs = s.location_id;
            for id in &mut locs {
                *id = location_index
                    .get(&u64::from(*id))
                    .copied()
                    .ok_or_else(|| {
                        DecodeError::Invalid(format!("sample {n} refers to missing location {id}"))
                    })?;
            }
            locs.shrink_to_fit();
            let bytes = s
                .label
                .iter()
                .find(|l| bytes_key.is_some_and(|k| l.key == k as i64) && l.str == 0)
                .map(|l| l.num);
            samples.push(Sample {
                locations: locs,
                values: s.value,
                bytes,
            });
        }

        Ok(Self {
            format: Format::Proto,
            sample_types,
            period_type,
            period: p.period,
            time_nanos: p.time_nanos,
            duration_nanos: p.duration_nanos,
            functions,
            frames,
            locations,
            samples,
        })
    }
}

fn too_many(what: &str) -> DecodeError {
    DecodeError::Invalid(format!("too many {what}"))
}

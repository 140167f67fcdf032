//! The decoded heap profile: sample types, interned functions and frames, and samples whose stacks
//! are lists of locations (each location one or more frames, inlined callees first).

use std::collections::HashMap;

use crate::error::DecodeError;
use crate::proto;
use crate::sample::SampleKind;
use crate::wire::{self, NO_LOCATION, WireProfile};

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
/// object size from the `bytes` label Go puts on every heap sample. The stack and values live in
/// the profile's flat arrays: read them with [`HeapProfile::sample_locations`] and
/// [`HeapProfile::sample_values`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    locations: Span,
    values: Span,
    pub bytes: Option<i64>,
}

/// A range of one of the profile's flat arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Most stack entries reserved up front (their count is only bounded until samples are read).
const MAX_RESERVE: usize = 1 << 26;

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
    /// The stacks of all samples back to back (indices into `locations`).
    pub(crate) stacks: Vec<u32>,
    /// The values of all samples back to back.
    pub(crate) values: Vec<i64>,
}

/// Collects samples into a profile's flat arrays.
#[derive(Debug, Default)]
pub(crate) struct SampleArena {
    pub samples: Vec<Sample>,
    pub stacks: Vec<u32>,
    pub values: Vec<i64>,
}

impl SampleArena {
    /// Adds a sample with no stack yet; [`Self::push_location`] extends the last one's stack.
    pub(crate) fn push(&mut self, values: &[i64], bytes: Option<i64>) -> Result<(), DecodeError> {
        let at = |len: usize| u32::try_from(len).map_err(|_| too_many("stack entries"));
        let stack = at(self.stacks.len())?;
        let start = at(self.values.len())?;
        self.values.extend_from_slice(values);
        self.samples.push(Sample {
            locations: Span {
                start: stack,
                end: stack,
            },
            values: Span {
                start,
                end: at(self.values.len())?,
            },
            bytes,
        });
        Ok(())
    }

    /// Appends a location to the last sample's stack.
    pub(crate) fn push_location(&mut self, location: u32) -> Result<(), DecodeError> {
        let end = u32::try_from(self.stacks.len() + 1).map_err(|_| too_many("stack entries"))?;
        if let Some(last) = self.samples.last_mut() {
            self.stacks.push(location);
            last.locations.end = end;
        }
        Ok(())
    }
}

impl HeapProfile {
    /// The location indices of a sample's stack, leaf first.
    pub fn sample_locations(&self, sample: &Sample) -> &[u32] {
        &self.stacks[sample.locations.range()]
    }

    /// A sample's values, one per sample type.
    pub fn sample_values(&self, sample: &Sample) -> &[i64] {
        &self.values[sample.values.range()]
    }

    /// One value of a sample (0 when the index is out of range).
    pub fn sample_value(&self, sample: &Sample, index: usize) -> i64 {
        self.sample_values(sample).get(index).copied().unwrap_or(0)
    }

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
            .map(|s| self.sample_value(s, index))
            .fold(0i64, i64::saturating_add)
    }

    /// The frames of a sample, leaf first (inlined frames expanded).
    pub fn stack<'a>(&'a self, sample: &'a Sample) -> impl Iterator<Item = Frame> + 'a {
        self.sample_locations(sample)
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
    pub(crate) fn from_wire(p: WireProfile<'_>) -> Result<Self, DecodeError> {
        let strings = &p.string_table;
        let string = |i: i64| -> Result<&str, DecodeError> {
            usize::try_from(i)
                .ok()
                .and_then(|i| strings.get(i))
                .copied()
                .ok_or_else(|| DecodeError::Invalid(format!("string index {i} out of range")))
        };
        if p.sample_type.is_empty() && p.samples.is_empty() && p.location.is_empty() {
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
        let mut function_index = IdIndex::new(p.function.iter().map(|f| f.id), p.function.len());
        for f in &p.function {
            let index = u32::try_from(functions.len()).map_err(|_| too_many("functions"))?;
            if !function_index.insert(f.id, index)? {
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
        let mut location_index = IdIndex::new(p.location.iter().map(|l| l.id), p.location.len());
        for loc in &p.location {
            let index = u32::try_from(locations.len()).map_err(|_| too_many("locations"))?;
            if !location_index.insert(loc.id, index)? {
                return Err(DecodeError::Invalid(format!(
                    "duplicate location id {}",
                    loc.id
                )));
            }
            let mut ids = Vec::with_capacity(loc.line.len());
            for line in &loc.line {
                let function = function_index.get(line.function_id).ok_or_else(|| {
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

        let bytes_key = strings
            .iter()
            .position(|s| *s == "bytes")
            .and_then(|k| i64::try_from(k).ok());
        // Every location id takes at least one byte of its sample's message.
        let id_bound: usize = p.samples.iter().map(|s| s.len()).sum();
        let mut stacks = Vec::with_capacity(id_bound.min(MAX_RESERVE));
        let mut values = Vec::with_capacity(
            (p.samples.len().saturating_mul(sample_types.len())).min(MAX_RESERVE),
        );
        let mut samples = Vec::with_capacity(p.samples.len());
        let at = |len: usize| u32::try_from(len).map_err(|_| too_many("stack entries"));
        for (n, body) in p.samples.iter().enumerate() {
            let (stack_start, values_start) = (at(stacks.len())?, at(values.len())?);
            let read = match &location_index {
                // Unknown and oversized ids miss the table or hit a free slot: NO_LOCATION.
                IdIndex::Dense(table) => wire::read_sample(
                    body,
                    bytes_key,
                    |id| {
                        usize::try_from(id)
                            .ok()
                            .and_then(|i| table.get(i))
                            .map_or(NO_LOCATION, |&i| i)
                    },
                    &mut stacks,
                    &mut values,
                )?,
                IdIndex::Sparse(_) => wire::read_sample(
                    body,
                    bytes_key,
                    |id| location_index.get(id).unwrap_or(NO_LOCATION),
                    &mut stacks,
                    &mut values,
                )?,
            };
            let count = values.len() - values_start as usize;
            if count != sample_types.len() {
                return Err(DecodeError::Invalid(format!(
                    "sample {n} has {count} values for {} sample types",
                    sample_types.len()
                )));
            }
            if read.unknown_id {
                return Err(unknown_location(n, body, &location_index));
            }
            samples.push(Sample {
                locations: Span {
                    start: stack_start,
                    end: at(stacks.len())?,
                },
                values: Span {
                    start: values_start,
                    end: at(values.len())?,
                },
                bytes: read.bytes,
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
            stacks,
            values,
        })
    }
}

/// Ids of functions or locations → their indices. Go numbers them 1..=n, so a table indexed by
/// id serves; ids far apart (other writers may) fall back to a hash map.
enum IdIndex {
    Dense(Vec<u32>),
    Sparse(HashMap<u64, u32>),
}

impl IdIndex {
    /// Marks a free slot of the dense table (the same value as [`NO_LOCATION`]).
    const FREE: u32 = NO_LOCATION;

    fn new(ids: impl Iterator<Item = u64>, count: usize) -> Self {
        let max = ids.max().unwrap_or(0);
        let dense_limit = (count as u64).saturating_mul(4).saturating_add(1024);
        match usize::try_from(max) {
            Ok(max) if (max as u64) <= dense_limit => Self::Dense(vec![Self::FREE; max + 1]),
            _ => Self::Sparse(HashMap::with_capacity(count)),
        }
    }

    /// Records `id → index`; false when the id was already there.
    fn insert(&mut self, id: u64, index: u32) -> Result<bool, DecodeError> {
        match self {
            Self::Dense(table) => {
                if index == Self::FREE {
                    return Err(too_many("ids"));
                }
                // `new` sized the table for the largest id.
                let Some(slot) = usize::try_from(id).ok().and_then(|i| table.get_mut(i)) else {
                    return Err(DecodeError::Invalid(format!("id {id} out of range")));
                };
                let fresh = *slot == Self::FREE;
                *slot = index;
                Ok(fresh)
            }
            Self::Sparse(map) => Ok(map.insert(id, index).is_none()),
        }
    }

    /// The index of `id`; ids above `u32::MAX` have none (see [`unknown_location`]).
    #[inline]
    fn get(&self, id: u64) -> Option<u32> {
        if id > u64::from(u32::MAX) {
            return None;
        }
        match self {
            Self::Dense(table) => usize::try_from(id)
                .ok()
                .and_then(|i| table.get(i))
                .copied()
                .filter(|&i| i != Self::FREE),
            Self::Sparse(map) => map.get(&id).copied(),
        }
    }
}

/// Why sample `n` has a location id without a location: an id above 2^32 (legal, but never
/// written by Go), else the first missing id.
fn unknown_location(n: usize, body: &[u8], index: &IdIndex) -> DecodeError {
    let mut ids = Vec::new();
    let reread = wire::read_sample(
        body,
        None,
        |id| {
            ids.push(id);
            0
        },
        &mut Vec::new(),
        &mut Vec::new(),
    );
    if reread.is_ok() && ids.iter().any(|&id| id > u64::from(u32::MAX)) {
        return DecodeError::Invalid(format!(
            "sample {n} has a location id above 2^32 (not supported)"
        ));
    }
    match ids.iter().find(|&&id| index.get(id).is_none()) {
        Some(id) => DecodeError::Invalid(format!("sample {n} refers to missing location {id}")),
        None => DecodeError::Invalid(format!("sample {n} refers to a missing location")),
    }
}

fn too_many(what: &str) -> DecodeError {
    DecodeError::Invalid(format!("too many {what}"))
}

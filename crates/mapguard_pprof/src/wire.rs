//! A decode-only reader of `profile.proto` that keeps big profiles cheap. [`WireProfile::decode`]
//! borrows strings and sample messages from the input and skips fields heap analysis does not use
//! (mappings, comments, drop/keep frames); once locations are known, [`read_sample`] decodes each
//! sample straight into the caller's flat arrays with location ids already turned into indices
//! (no allocation per sample). Small messages (sample types, locations, functions, labels) are
//! decoded with prost, so their merge rules are protobuf's.

use prost::Message;
use prost::encoding::{
    DecodeContext, WireType, check_wire_type, decode_key, decode_varint, int64, message, skip_field,
};

use crate::error::DecodeError;
use crate::proto::{Function, Label, Location, ValueType};

/// The parts of `perftools.profiles.Profile` heap analysis reads (same tags).
#[derive(Debug, Default)]
pub(crate) struct WireProfile<'a> {
    pub sample_type: Vec<ValueType>,
    /// The undecoded `Sample` messages, for [`read_sample`].
    pub samples: Vec<&'a [u8]>,
    pub location: Vec<Location>,
    pub function: Vec<Function>,
    pub string_table: Vec<&'a str>,
    pub time_nanos: i64,
    pub duration_nanos: i64,
    pub period_type: Option<ValueType>,
    pub period: i64,
}

/// What [`read_sample`] found besides the stack and values it appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct SampleRead {
    /// The `num` of the first numeric label whose key is `bytes`.
    pub bytes: Option<i64>,
    /// Some location id had no index (its slot in the stack holds [`NO_LOCATION`]).
    pub unknown_id: bool,
}

/// What a location lookup returns for an id with no location.
pub(crate) const NO_LOCATION: u32 = u32::MAX;

fn not_profile(e: prost::DecodeError) -> DecodeError {
    DecodeError::NotProfile(e.to_string())
}

/// The body of a length-delimited field, advancing `buf` past it.
fn delimited<'a>(buf: &mut &'a [u8]) -> Result<&'a [u8], DecodeError> {
    let len = decode_varint(buf).map_err(not_profile)?;
    let len = usize::try_from(len)
        .ok()
        .filter(|&l| l <= buf.len())
        .ok_or_else(|| {
            DecodeError::NotProfile(
                "failed to decode Protobuf message: buffer underflow".to_owned(),
            )
        })?;
    let (body, rest) = buf.split_at(len);
    *buf = rest;
    Ok(body)
}

/// One varint; the one- and two-byte cases (ids and most values) without a call.
#[inline(always)]
fn varint(buf: &mut &[u8]) -> Result<u64, DecodeError> {
    let bytes: &[u8] = buf;
    match *bytes {
        [b0, ref rest @ ..] if b0 < 0x80 => {
            *buf = rest;
            Ok(u64::from(b0))
        }
        [b0, b1, ref rest @ ..] if b1 < 0x80 => {
            *buf = rest;
            Ok(u64::from(b0 & 0x7f) | (u64::from(b1) << 7))
        }
        _ => decode_varint(buf).map_err(not_profile),
    }
}

impl<'a> WireProfile<'a> {
    /// Decodes a serialized (uncompressed) `Profile` message.
    pub(crate) fn decode(mut buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut p = Self::default();
        let ctx = DecodeContext::default;
        while !buf.is_empty() {
            let (tag, wire_type) = decode_key(&mut buf).map_err(not_profile)?;
            let field = |t: &str, e: prost::DecodeError| {
                DecodeError::NotProfile(format!("Profile.{t}: {e}"))
            };
            match tag {
                1 => message::merge_repeated(wire_type, &mut p.sample_type, &mut buf, ctx())
                    .map_err(|e| field("sample_type", e))?,
                2 => {
                    check_wire_type(WireType::LengthDelimited, wire_type)
                        .map_err(|e| field("sample", e))?;
                    p.samples.push(delimited(&mut buf)?);
                }
                4 => message::merge_repeated(wire_type, &mut p.location, &mut buf, ctx())
                    .map_err(|e| field("location", e))?,
                5 => message::merge_repeated(wire_type, &mut p.function, &mut buf, ctx())
                    .map_err(|e| field("function", e))?,
                6 => {
                    check_wire_type(WireType::LengthDelimited, wire_type)
                        .map_err(|e| field("string_table", e))?;
                    let body = delimited(&mut buf)?;
                    let s = std::str::from_utf8(body).map_err(|_| {
                        DecodeError::NotProfile(
                            "Profile.string_table: invalid string value: data is not UTF-8 encoded"
                                .to_owned(),
                        )
                    })?;
                    p.string_table.push(s);
                }
                9 => int64::merge(wire_type, &mut p.time_nanos, &mut buf, ctx())
                    .map_err(|e| field("time_nanos", e))?,
                10 => int64::merge(wire_type, &mut p.duration_nanos, &mut buf, ctx())
                    .map_err(|e| field("duration_nanos", e))?,
                11 => message::merge(
                    wire_type,
                    p.period_type.get_or_insert_with(ValueType::default),
                    &mut buf,
                    ctx(),
                )
                .map_err(|e| field("period_type", e))?,
                12 => int64::merge(wire_type, &mut p.period, &mut buf, ctx())
                    .map_err(|e| field("period", e))?,
                _ => skip_field(wire_type, tag, &mut buf, ctx()).map_err(not_profile)?,
            }
        }
        Ok(p)
    }
}

/// Decodes one `Sample` message: its location ids, turned into indices by `location`
/// ([`NO_LOCATION`] for an unknown id), onto `stack`, its values onto `values`.
pub(crate) fn read_sample(
    mut buf: &[u8],
    bytes_key: Option<i64>,
    mut location: impl FnMut(u64) -> u32,
    stack: &mut Vec<u32>,
    values: &mut Vec<i64>,
) -> Result<SampleRead, DecodeError> {
    let mut read = SampleRead::default();
    while !buf.is_empty() {
        let (tag, wire_type) = decode_key(&mut buf).map_err(not_profile)?;
        match (tag, wire_type) {
            (1, WireType::LengthDelimited) => {
                let packed = delimited(&mut buf)?;
                read.unknown_id |= read_ids(packed, &mut location, stack)?;
            }
            (1, _) => {
                check_wire_type(WireType::Varint, wire_type).map_err(not_profile)?;
                let index = location(varint(&mut buf)?);
                read.unknown_id |= index == NO_LOCATION;
                stack.push(index);
            }
            (2, WireType::LengthDelimited) => {
                let mut packed = delimited(&mut buf)?;
                while !packed.is_empty() {
                    values.push(varint(&mut packed)? as i64);
                }
            }
            (2, _) => {
                check_wire_type(WireType::Varint, wire_type).map_err(not_profile)?;
                values.push(varint(&mut buf)? as i64);
            }
            (3, _) => {
                check_wire_type(WireType::LengthDelimited, wire_type).map_err(not_profile)?;
                let label = Label::decode(delimited(&mut buf)?).map_err(not_profile)?;
                if read.bytes.is_none() && label.str == 0 && Some(label.key) == bytes_key {
                    read.bytes = Some(label.num);
                }
            }
            _ => skip_field(wire_type, tag, &mut buf, DecodeContext::default())
                .map_err(not_profile)?,
        }
    }
    Ok(read)
}

/// Appends packed location ids, mapped by `location`, to `stack`; true when one was unknown.
/// Every stack entry of a profile passes here, so the one- and two-byte ids Go writes are decoded
/// in line, with the slice position and the vector in locals the compiler keeps in registers.
fn read_ids(
    packed: &[u8],
    location: &mut impl FnMut(u64) -> u32,
    stack: &mut Vec<u32>,
) -> Result<bool, DecodeError> {
    let mut out = std::mem::take(stack);
    // At most one id per byte.
    out.reserve(packed.len());
    let mut unknown = false;
    let mut at = 0;
    let result = loop {
        let id = match (packed.get(at), packed.get(at + 1)) {
            (None, _) => break Ok(unknown),
            (Some(&b0), _) if b0 < 0x80 => {
                at += 1;
                u64::from(b0)
            }
            (Some(&b0), Some(&b1)) if b1 < 0x80 => {
                at += 2;
                u64::from(b0 & 0x7f) | (u64::from(b1) << 7)
            }
            _ => {
                let mut rest = &packed[at..];
                match decode_varint(&mut rest) {
                    Ok(id) => {
                        at = packed.len() - rest.len();
                        id
                    }
                    Err(e) => break Err(not_profile(e)),
                }
            }
        };
        let index = location(id);
        unknown |= index == NO_LOCATION;
        out.push(index);
    };
    *stack = out;
    result
}

#[cfg(test)]
mod tests {
    use prost::Message;

    use super::*;
    use crate::proto;

    /// Each sample's stack (ids doubled, 0 for id 7) and values, and what else was read.
    fn samples(p: &WireProfile<'_>) -> Vec<(Vec<u32>, Vec<i64>, SampleRead)> {
        let location = |id: u64| {
            if id == 7 || id > 100_000 {
                NO_LOCATION
            } else {
                id as u32 * 2
            }
        };
        p.samples
            .iter()
            .map(|body| {
                let (mut stack, mut values) = (Vec::new(), Vec::new());
                let read = read_sample(body, Some(1), location, &mut stack, &mut values).unwrap();
                (stack, values, read)
            })
            .collect()
    }

    #[test]
    fn reads_packed_and_unpacked_location_ids() {
        let full = proto::Profile {
            sample: vec![
                proto::Sample {
                    location_id: vec![1, 2, 300, 70_000],
                    value: vec![5, -7],
                    label: vec![
                        proto::Label {
                            key: 1,
                            str: 4,
                            ..Default::default()
                        },
                        proto::Label {
                            key: 1,
                            num: 48,
                            ..Default::default()
                        },
                    ],
                },
                proto::Sample {
                    location_id: vec![4, 7, 8],
                    value: vec![1],
                    ..Default::default()
                },
            ],
            string_table: vec![String::new(), "bytes".to_owned()],
            time_nanos: 9,
            ..Default::default()
        };
        let encoded = full.encode_to_vec();
        let p = WireProfile::decode(&encoded).unwrap();
        let read = samples(&p);
        assert_eq!(read[0].0, vec![2, 4, 600, 140_000]);
        assert_eq!(read[0].1, vec![5, -7]);
        assert_eq!(read[0].2.bytes, Some(48));
        assert_eq!(read[1].0, vec![8, NO_LOCATION, 16]);
        assert!(read[1].2.unknown_id && !read[0].2.unknown_id);
        assert_eq!(p.string_table, ["", "bytes"]);
        assert_eq!(p.time_nanos, 9);
        // Unpacked encoding (Go writes stacks of one or two frames that way).
        let unpacked = [0x12, 0x04, 0x08, 0x04, 0x08, 0x05];
        assert_eq!(
            samples(&WireProfile::decode(&unpacked).unwrap())[0].0,
            vec![8, 10]
        );
        let too_big = [0x12, 0x06, 0x08, 0x80, 0x80, 0x80, 0x80, 0x10];
        let p = WireProfile::decode(&too_big).unwrap();
        assert!(samples(&p)[0].2.unknown_id);
        let fixed32 = [0x12, 0x05, 0x0d, 0x01, 0x00, 0x00, 0x00];
        let p = WireProfile::decode(&fixed32).unwrap();
        let (mut stack, mut values) = (Vec::new(), Vec::new());
        assert!(read_sample(p.samples[0], None, |_| 0, &mut stack, &mut values).is_err());
        // A packed id cut off after its first byte.
        let (mut stack, mut values) = (Vec::new(), Vec::new());
        let cut = [0x0a, 0x02, 0x01, 0x80];
        assert!(read_sample(&cut, None, |_| 0, &mut stack, &mut values).is_err());
        let truncated = [0x12, 0x09, 0x08];
        assert!(WireProfile::decode(&truncated).is_err());
        let bad_utf8 = [0x32, 0x01, 0xff];
        assert!(WireProfile::decode(&bad_utf8).is_err());
    }
}

//! A one-pass, decode-only reader of `profile.proto` that keeps big profiles cheap: strings are
//! borrowed from the input, sample stacks, values and `str == 0` labels go into three flat arrays
//! (no allocation per sample), location ids are read as `u32`, and fields heap analysis does not
//! use (mappings, comments, drop/keep frames) are skipped. Small messages (sample types,
//! locations, functions, labels) are decoded with prost, so their merge rules are protobuf's.

use prost::Message;
use prost::encoding::{
    DecodeContext, WireType, check_wire_type, decode_key, decode_varint, int64, message, skip_field,
};

use crate::error::DecodeError;
use crate::proto::{Function, Label, Location, ValueType};

/// One sample as offsets into [`WireProfile`]'s flat arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WireSample {
    /// `ids[ids_start..ids_end]`: location ids, leaf first.
    pub ids_start: u32,
    pub ids_end: u32,
    pub values_start: u32,
    pub values_end: u32,
    pub labels_start: u32,
    pub labels_end: u32,
}

/// The parts of `perftools.profiles.Profile` heap analysis reads (same tags).
#[derive(Debug, Default)]
pub(crate) struct WireProfile<'a> {
    pub sample_type: Vec<ValueType>,
    pub samples: Vec<WireSample>,
    /// Location ids of all samples, back to back.
    pub ids: Vec<u32>,
    /// Values of all samples, back to back.
    pub values: Vec<i64>,
    /// `(key, num)` of every numeric label (`str == 0`) of all samples, back to back.
    pub labels: Vec<(i64, i64)>,
    /// The first sample with a location id above `u32::MAX` (legal, never written by Go).
    pub id_overflow: Option<usize>,
    pub location: Vec<Location>,
    pub function: Vec<Function>,
    pub string_table: Vec<&'a str>,
    pub time_nanos: i64,
    pub duration_nanos: i64,
    pub period_type: Option<ValueType>,
    pub period: i64,
}

/// Offsets into the flat arrays are `u32`; a profile needing more is refused.
fn offset(len: usize) -> Result<u32, DecodeError> {
    u32::try_from(len).map_err(|_| DecodeError::Invalid("too many stack entries".to_owned()))
}

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
    let bytes: &'_ [u8] = buf;
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
                    let body = delimited(&mut buf)?;
                    p.sample(body)?;
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

    /// Appends one `Sample` message to the flat arrays.
    fn sample(&mut self, mut buf: &[u8]) -> Result<(), DecodeError> {
        let ids_start = offset(self.ids.len())?;
        let values_start = offset(self.values.len())?;
        let labels_start = offset(self.labels.len())?;
        while !buf.is_empty() {
            let (tag, wire_type) = decode_key(&mut buf).map_err(not_profile)?;
            match (tag, wire_type) {
                (1, WireType::LengthDelimited) => {
                    let mut packed = delimited(&mut buf)?;
                    // At most one id per byte.
                    self.ids.reserve(packed.len());
                    while !packed.is_empty() {
                        let id = varint(&mut packed)?;
                        self.push_id(id);
                    }
                }
                (1, _) => {
                    check_wire_type(WireType::Varint, wire_type).map_err(not_profile)?;
                    let id = varint(&mut buf)?;
                    self.push_id(id);
                }
                (2, WireType::LengthDelimited) => {
                    let mut packed = delimited(&mut buf)?;
                    self.values.reserve(packed.len());
                    while !packed.is_empty() {
                        self.values.push(varint(&mut packed)? as i64);
                    }
                }
                (2, _) => {
                    check_wire_type(WireType::Varint, wire_type).map_err(not_profile)?;
                    self.values.push(varint(&mut buf)? as i64);
                }
                (3, _) => {
                    check_wire_type(WireType::LengthDelimited, wire_type).map_err(not_profile)?;
                    let label = Label::decode(delimited(&mut buf)?).map_err(not_profile)?;
                    if label.str == 0 {
                        self.labels.push((label.key, label.num));
                    }
                }
                _ => skip_field(wire_type, tag, &mut buf, DecodeContext::default())
                    .map_err(not_profile)?,
            }
        }
        self.samples.push(WireSample {
            ids_start,
            ids_end: offset(self.ids.len())?,
            values_start,
            values_end: offset(self.values.len())?,
            labels_start,
            labels_end: offset(self.labels.len())?,
        });
        Ok(())
    }

    fn push_id(&mut self, id: u64) {
        match u32::try_from(id) {
            Ok(id) => self.ids.push(id),
            Err(_) => {
                self.id_overflow.get_or_insert(self.samples.len());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use prost::Message;

    use super::*;
    use crate::proto;

    fn ids(p: &WireProfile<'_>, n: usize) -> Vec<u32> {
        let s = p.samples[n];
        p.ids[s.ids_start as usize..s.ids_end as usize].to_vec()
    }

    #[test]
    fn reads_packed_and_unpacked_location_ids() {
        let full = proto::Profile {
            sample: vec![
                proto::Sample {
                    location_id: vec![1, 2, 300],
                    value: vec![5, -7],
                    label: vec![
                        proto::Label {
                            key: 3,
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
                    location_id: vec![4],
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
        assert_eq!(ids(&p, 0), vec![1, 2, 300]);
        let s = p.samples[0];
        assert_eq!(
            p.values[s.values_start as usize..s.values_end as usize],
            [5, -7]
        );
        assert_eq!(
            p.labels[s.labels_start as usize..s.labels_end as usize],
            [(1, 48)]
        );
        assert_eq!(ids(&p, 1), vec![4]);
        assert_eq!(p.string_table, ["", "bytes"]);
        assert_eq!(p.time_nanos, 9);
        // Unpacked encoding (Go writes stacks of one or two frames that way).
        let unpacked = [0x12, 0x04, 0x08, 0x04, 0x08, 0x05];
        let p = WireProfile::decode(&unpacked).unwrap();
        assert_eq!(ids(&p, 0), vec![4, 5]);
        let too_big = [0x12, 0x06, 0x08, 0x80, 0x80, 0x80, 0x80, 0x10];
        assert_eq!(WireProfile::decode(&too_big).unwrap().id_overflow, Some(0));
        let fixed32 = [0x12, 0x05, 0x0d, 0x01, 0x00, 0x00, 0x00];
        assert!(WireProfile::decode(&fixed32).is_err());
        let truncated = [0x12, 0x09, 0x08];
        assert!(WireProfile::decode(&truncated).is_err());
        let bad_utf8 = [0x32, 0x01, 0xff];
        assert!(WireProfile::decode(&bad_utf8).is_err());
    }
}

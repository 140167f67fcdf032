//! A decode-only view of `profile.proto` that keeps memory low on big profiles: sample location
//! ids are read straight into `u32`s (later rewritten in place into location indices) instead of
//! `u64`s, and fields mapguard does not use (mappings, comments, drop/keep frames) are skipped.

use prost::bytes::{Buf, BufMut};
use prost::encoding::{
    DecodeContext, WireType, check_wire_type, decode_varint, int64, merge_loop, message, skip_field,
};

use crate::proto::{Function, Label, Location, ValueType};

/// The parts of `perftools.profiles.Profile` heap analysis reads (same tags).
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct LiteProfile {
    #[prost(message, repeated, tag = "1")]
    pub sample_type: Vec<ValueType>,
    #[prost(message, repeated, tag = "2")]
    pub sample: Vec<LiteSample>,
    #[prost(message, repeated, tag = "4")]
    pub location: Vec<Location>,
    #[prost(message, repeated, tag = "5")]
    pub function: Vec<Function>,
    #[prost(string, repeated, tag = "6")]
    pub string_table: Vec<String>,
    #[prost(int64, tag = "9")]
    pub time_nanos: i64,
    #[prost(int64, tag = "10")]
    pub duration_nanos: i64,
    #[prost(message, optional, tag = "11")]
    pub period_type: Option<ValueType>,
    #[prost(int64, tag = "12")]
    pub period: i64,
}

/// `perftools.profiles.Sample` with 32-bit location ids (packed or not on the wire).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct LiteSample {
    pub location_id: Vec<u32>,
    /// A location id did not fit 32 bits (legal, but never written by Go); rejected later.
    pub id_overflow: bool,
    pub value: Vec<i64>,
    pub label: Vec<Label>,
}

impl prost::Message for LiteSample {
    fn encode_raw(&self, buf: &mut impl BufMut) {
        // Decode-only type; encoding mirrors the wire format for completeness.
        let ids: Vec<u64> = self.location_id.iter().map(|&i| u64::from(i)).collect();
        prost::encoding::uint64::encode_packed(1, &ids, buf);
        int64::encode_packed(2, &self.value, buf);
        for label in &self.label {
            message::encode(3, label, buf);
        }
    }

    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), prost::DecodeError> {
        match tag {
            1 => merge_ids(wire_type, self, buf, ctx),
            2 => int64::merge_repeated(wire_type, &mut self.value, buf, ctx),
            3 => message::merge_repeated(wire_type, &mut self.label, buf, ctx),
            _ => skip_field(wire_type, tag, buf, ctx),
        }
    }

    fn encoded_len(&self) -> usize {
        let ids: Vec<u64> = self.location_id.iter().map(|&i| u64::from(i)).collect();
        prost::encoding::uint64::encoded_len_packed(1, &ids)
            + int64::encoded_len_packed(2, &self.value)
            + message::encoded_len_repeated(3, &self.label)
    }

    fn clear(&mut self) {
        self.location_id.clear();
        self.id_overflow = false;
        self.value.clear();
        self.label.clear();
    }
}

fn push_id(sample: &mut LiteSample, id: u64) {
    match u32::try_from(id) {
        Ok(id) => sample.location_id.push(id),
        Err(_) => sample.id_overflow = true,
    }
}

fn merge_ids(
    wire_type: WireType,
    sample: &mut LiteSample,
    buf: &mut impl Buf,
    ctx: DecodeContext,
) -> Result<(), prost::DecodeError> {
    if wire_type == WireType::LengthDelimited {
        return merge_loop(sample, buf, ctx, |sample, buf, _| {
            push_id(sample, decode_varint(buf)?);
            Ok(())
        });
    }
    check_wire_type(WireType::Varint, wire_type)?;
    push_id(sample, decode_varint(buf)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use prost::Message;

    use super::*;
    use crate::proto;

    #[test]
    fn reads_packed_and_unpacked_location_ids() {
        let full = proto::Profile {
            sample: vec![
                proto::Sample {
                    location_id: vec![1, 2, 300],
                    value: vec![5, -7],
                    ..Default::default()
                },
                proto::Sample {
                    location_id: vec![4],
                    value: vec![1],
                    ..Default::default()
                },
            ],
            time_nanos: 9,
            ..Default::default()
        };
        let lite = LiteProfile::decode(full.encode_to_vec().as_slice()).unwrap();
        assert_eq!(lite.sample[0].location_id, vec![1, 2, 300]);
        assert_eq!(lite.sample[0].value, vec![5, -7]);
        assert_eq!(lite.sample[1].location_id, vec![4]);
        assert_eq!(lite.time_nanos, 9);
        // Unpacked encoding (Go writes stacks of one or two frames that way).
        let unpacked = [0x12, 0x04, 0x08, 0x04, 0x08, 0x05];
        let lite = LiteProfile::decode(unpacked.as_slice()).unwrap();
        assert_eq!(lite.sample[0].location_id, vec![4, 5]);
        let too_big = [0x12, 0x06, 0x08, 0x80, 0x80, 0x80, 0x80, 0x10];
        assert!(LiteProfile::decode(too_big.as_slice()).unwrap().sample[0].id_overflow);
        let fixed32 = [0x12, 0x05, 0x0d, 0x01, 0x00, 0x00, 0x00];
        assert!(LiteProfile::decode(fixed32.as_slice()).is_err());
    }
}

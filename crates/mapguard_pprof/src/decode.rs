//! Bytes → [`HeapProfile`]: gzip or raw, `profile.proto` or the legacy text format, with a cap on
//! the uncompressed size against decompression bombs.

use std::io::Read;

use flate2::read::MultiGzDecoder;

use crate::error::DecodeError;
use crate::legacy;
use crate::profile::HeapProfile;
use crate::proto;
use crate::wire::WireProfile;

/// Default `--max-bytes`: 1 GiB of uncompressed profile.
pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;

/// Decodes a Go heap profile (gzip or raw; proto or legacy text) of at most `max_bytes`
/// uncompressed bytes, and checks that it is a heap profile with samples.
pub fn decode_heap(data: &[u8], max_bytes: u64) -> Result<HeapProfile, DecodeError> {
    let profile = decode(data, max_bytes)?;
    profile.check_heap()?;
    Ok(profile)
}

/// Decodes any pprof profile without checking its kind (see [`decode_heap`]).
pub fn decode(data: &[u8], max_bytes: u64) -> Result<HeapProfile, DecodeError> {
    let inflated;
    let raw: &[u8] = if is_gzip(data) {
        inflated = gunzip(data, max_bytes)?;
        &inflated
    } else {
        if data.len() as u64 > max_bytes {
            return Err(DecodeError::TooLarge { limit: max_bytes });
        }
        data
    };
    if legacy::looks_like_legacy(raw) {
        return legacy::parse(raw);
    }
    // Strings are borrowed from `raw` until the conversion copies the few it keeps.
    HeapProfile::from_wire(WireProfile::decode(raw)?)
}

/// Whether the data starts with the gzip magic `1f 8b`.
pub fn is_gzip(data: &[u8]) -> bool {
    data.starts_with(&[0x1f, 0x8b])
}

/// Inflates gzip data, refusing more than `max_bytes` of output.
pub fn gunzip(data: &[u8], max_bytes: u64) -> Result<Vec<u8>, DecodeError> {
    // The gzip trailer's ISIZE (uncompressed size mod 2^32, last member) sizes the buffer once.
    let isize = data
        .len()
        .checked_sub(4)
        .and_then(|at| data.get(at..))
        .and_then(|tail| <[u8; 4]>::try_from(tail).ok())
        .map_or(0, |b| u64::from(u32::from_le_bytes(b)));
    // Deflate expands at most ~1032:1, so a forged ISIZE cannot reserve more than that.
    let hint = if isize >= data.len() as u64 / 2 && isize <= data.len() as u64 * 1032 {
        isize
    } else {
        data.len() as u64 * 4
    };
    let mut out =
        Vec::with_capacity(usize::try_from(hint.min(max_bytes).min(1 << 30)).unwrap_or(0));
    MultiGzDecoder::new(data)
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(DecodeError::Gzip)?;
    if out.len() as u64 > max_bytes {
        return Err(DecodeError::TooLarge { limit: max_bytes });
    }
    Ok(out)
}

/// Encodes a profile message as gzip, as Go and pprof write it.
pub fn encode_gzip(profile: &proto::Profile) -> Vec<u8> {
    use prost::Message;
    use std::io::Write;
    let raw = profile.encode_to_vec();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing into a Vec cannot fail.
    let _ = gz.write_all(&raw);
    gz.finish().unwrap_or_default()
}

//! Any bytes into the heap-profile decoder (gzip/raw, proto/legacy text), then attribution,
//! folded stacks and the map-only pprof writer on whatever decodes. None may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mapguard_pprof::attribute::{self, Options};
use mapguard_pprof::{SampleKind, decode, emit, folded};

fuzz_target!(|data: &[u8]| {
    let Ok(profile) = decode::decode(data, 8 << 20) else {
        return;
    };
    for sample in SampleKind::ALL {
        let options = Options {
            sample,
            target: None,
            index: None,
            entries: true,
        };
        if let Ok(att) = attribute::attribute(&profile, &options) {
            let _ = folded::map_stacks(&profile, &att);
            let out = emit::map_profile(&profile, &att);
            let bytes = decode::encode_gzip(&out);
            let _ = decode::decode(&bytes, 8 << 20);
        }
    }
});

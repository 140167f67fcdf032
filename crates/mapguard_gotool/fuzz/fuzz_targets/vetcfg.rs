//! Any bytes as a vet.cfg: parsing returns a config or an error, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(config) = mapguard_gotool::VetConfig::parse(data) {
        let _ = config.language_version();
        assert!(config.vetx_only || !config.go_files.is_empty());
    }
});

//! A pprof profile of the map samples only, with `map_type` and `map_part` labels, that
//! `go tool pprof` opens like any heap profile.

use std::collections::HashMap;

use crate::attribute::{Attribution, Role};
use crate::profile::HeapProfile;
use crate::proto;

/// Builds a `profile.proto` of the samples attribution found to be map memory. Every sample type
/// of the input is kept; each sample carries `bytes` (numeric) and `map_type`, `map_part` and
/// `map_site` (string) labels.
pub fn map_profile(profile: &HeapProfile, attribution: &Attribution) -> proto::Profile {
    let mut b = Builder::default();
    b.string("");
    let sample_type = profile
        .sample_types
        .iter()
        .map(|t| b.value_type(&t.kind, &t.unit))
        .collect();
    let period_type = profile
        .period_type
        .as_ref()
        .map(|t| b.value_type(&t.kind, &t.unit));
    let mut samples = Vec::new();
    for (sample, role) in profile.samples.iter().zip(&attribution.roles) {
        let Role::Map { report, part } = *role else {
            continue;
        };
        let location_id = profile
            .sample_locations(sample)
            .iter()
            .map(|&loc| b.location(profile, loc))
            .collect();
        let r = &attribution.maps[report];
        let mut label = Vec::new();
        if let Some(bytes) = sample.bytes {
            label.push(proto::Label {
                key: b.string("bytes"),
                num: bytes,
                ..Default::default()
            });
        }
        let strings = [
            ("map_type", r.map_type.as_deref().unwrap_or("unknown")),
            ("map_part", part.map_or("unknown", |p| p.label())),
            ("map_site", r.key.as_str()),
        ];
        for (key, value) in strings {
            label.push(proto::Label {
                key: b.string(key),
                str: b.string(value),
                ..Default::default()
            });
        }
        samples.push(proto::Sample {
            location_id,
            value: profile.sample_values(sample).to_vec(),
            label,
        });
    }
    let comment = vec![b.string("mapguard heap: map memory only")];
    let default_sample_type = b.string(attribution.sample.name());
    proto::Profile {
        sample_type,
        sample: samples,
        mapping: Vec::new(),
        location: b.locations,
        function: b.functions,
        string_table: b.strings,
        drop_frames: 0,
        keep_frames: 0,
        time_nanos: profile.time_nanos,
        duration_nanos: profile.duration_nanos,
        period_type,
        period: profile.period,
        comment,
        default_sample_type,
        doc_url: 0,
    }
}

#[derive(Default)]
struct Builder {
    strings: Vec<String>,
    string_ids: HashMap<String, i64>,
    functions: Vec<proto::Function>,
    function_ids: HashMap<u32, u64>,
    locations: Vec<proto::Location>,
    location_ids: HashMap<u32, u64>,
}

impl Builder {
    fn string(&mut self, s: &str) -> i64 {
        if let Some(&id) = self.string_ids.get(s) {
            return id;
        }
        let id = self.strings.len() as i64;
        self.strings.push(s.to_owned());
        self.string_ids.insert(s.to_owned(), id);
        id
    }

    fn value_type(&mut self, kind: &str, unit: &str) -> proto::ValueType {
        proto::ValueType {
            r#type: self.string(kind),
            unit: self.string(unit),
        }
    }

    fn function(&mut self, profile: &HeapProfile, index: u32) -> u64 {
        if let Some(&id) = self.function_ids.get(&index) {
            return id;
        }
        let f = &profile.functions[index as usize];
        let id = self.functions.len() as u64 + 1;
        let name = self.string(&f.name);
        let filename = self.string(&f.file);
        self.functions.push(proto::Function {
            id,
            name,
            system_name: name,
            filename,
            start_line: 0,
        });
        self.function_ids.insert(index, id);
        id
    }

    fn location(&mut self, profile: &HeapProfile, index: u32) -> u64 {
        if let Some(&id) = self.location_ids.get(&index) {
            return id;
        }
        let line = profile.locations[index as usize]
            .iter()
            .map(|&frame| {
                let frame = profile.frames[frame as usize];
                proto::Line {
                    function_id: self.function(profile, frame.function),
                    line: i64::from(frame.line),
                    column: 0,
                }
            })
            .collect();
        let id = self.locations.len() as u64 + 1;
        self.locations.push(proto::Location {
            id,
            mapping_id: 0,
            address: 0,
            line,
            is_folded: false,
        });
        self.location_ids.insert(index, id);
        id
    }
}

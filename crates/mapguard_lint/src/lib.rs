//! The rule framework (Rule trait, registry, suppression, settings) and the map-hazard rules.

//! `mapguard watch`, `alert-rules` and `dashboard` end to end, against the Go service in
//! testdata/watch (net/http/pprof, expvar, client_golang; leaks into a map on demand), built
//! with the machine's `go`.

mod daemon;
mod generators;
mod real_tools;
mod support;

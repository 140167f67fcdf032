//! Statistics with no knowledge of Go: quantiles, trends, the normal tail.

pub mod normal;
pub mod quantile;
pub mod trend;

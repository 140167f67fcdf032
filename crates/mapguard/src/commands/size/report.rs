//! The figures `mapguard size` prints, computed once and rendered as text or JSON.

use mapguard_runtime::map::{Footprint, GrowthEvent, MapModel, Structure};
use mapguard_runtime::types::{GoType, Layout};
use serde::Serialize;

/// Values at least this big get the `map[K]*V` comparison.
pub(super) const LARGE_VALUE_BYTES: u64 = 64;

/// Everything reported for one map type (JSON schema: docs/commands/size.md).
#[derive(Debug, Serialize)]
pub(super) struct Report {
    #[serde(rename = "type")]
    pub(super) map_type: String,
    pub(super) arch: String,
    pub(super) entries: u64,
    pub(super) hint: Option<u64>,
    pub(super) key: Operand,
    pub(super) value: Operand,
    pub(super) models: Vec<ModelReport>,
}

/// Key or value type facts.
#[derive(Debug, Serialize)]
pub(super) struct Operand {
    #[serde(rename = "type")]
    pub(super) ty: String,
    pub(super) size: u64,
    pub(super) align: u64,
    pub(super) has_pointers: bool,
    /// Over 128 bytes: stored out of line, one allocation per entry.
    pub(super) out_of_line: bool,
}

/// One Go version's figures.
#[derive(Debug, Serialize)]
pub(super) struct ModelReport {
    pub(super) go: String,
    pub(super) implementation: String,
    /// Classic: bytes of one bucket. Swiss: bytes of one group.
    pub(super) bucket_bytes: u64,
    /// Swiss: bytes of one slot (key + value + padding).
    pub(super) slot_bytes: Option<u64>,
    pub(super) footprint: FootprintReport,
    pub(super) bytes_per_entry: Option<f64>,
    pub(super) growth: Vec<StepReport>,
    pub(super) after_delete: Option<DeleteReport>,
    pub(super) after_clear: FootprintReport,
    pub(super) after_reassign: FootprintReport,
    pub(super) pointer_value: Option<PointerValueReport>,
}

/// A footprint with its totals spelled out.
#[derive(Debug, Serialize)]
pub(super) struct FootprintReport {
    pub(super) total: u64,
    pub(super) map_structure: u64,
    #[serde(flatten)]
    pub(super) parts: Footprint,
}

impl From<Footprint> for FootprintReport {
    fn from(parts: Footprint) -> Self {
        Self {
            total: parts.total(),
            map_structure: parts.map_structure(),
            parts,
        }
    }
}

#[derive(Debug, Serialize)]
pub(super) struct StepReport {
    pub(super) entries: u64,
    pub(super) total: u64,
    pub(super) event: GrowthEvent,
}

#[derive(Debug, Serialize)]
pub(super) struct DeleteReport {
    pub(super) fraction: f64,
    pub(super) deleted: u64,
    pub(super) remaining: u64,
    pub(super) footprint: FootprintReport,
}

/// The same map storing `*V` with each value allocated separately.
#[derive(Debug, Serialize)]
pub(super) struct PointerValueReport {
    #[serde(rename = "type")]
    pub(super) map_type: String,
    /// Map bytes plus one value object per entry.
    pub(super) total: u64,
    pub(super) bytes_per_entry: Option<f64>,
    /// After deleting `--deleted` of the entries (their value objects are freed).
    pub(super) after_delete: Option<u64>,
    pub(super) map_bytes: u64,
    pub(super) value_objects: u64,
}

pub(super) fn operand(ty: &GoType, layout: Layout, out_of_line: bool) -> Operand {
    Operand {
        ty: ty.to_string(),
        size: layout.size,
        align: layout.align,
        has_pointers: layout.has_pointers,
        out_of_line,
    }
}

/// Figures of one model for `n` entries.
pub(super) fn model_report(
    model: &MapModel,
    key: &GoType,
    value: &GoType,
    n: u64,
    hint: Option<u64>,
    deleted: Option<f64>,
) -> ModelReport {
    let footprint = model.footprint(n, hint);
    let swiss = model.target.map_impl == mapguard_runtime::version::MapImpl::Swiss;
    let shape = model.shape;
    let after_delete = deleted.map(|fraction| {
        let count = ((n as f64) * fraction).round() as u64;
        DeleteReport {
            fraction,
            deleted: count,
            remaining: n - count,
            footprint: model.after_delete(n, hint, count).into(),
        }
    });
    let pointer_value = (!shape.value_indirect
        && shape.value.size >= LARGE_VALUE_BYTES
        && !matches!(value, GoType::Pointer(_)))
    .then(|| {
        let alt = MapModel::new(shape.with_pointer_value(), model.target);
        let map_bytes = alt.footprint(n, hint).total();
        let per_value = model
            .allocator()
            .consumed(shape.value.size, !shape.value.has_pointers);
        let total = map_bytes + n * per_value;
        let after_delete = deleted.map(|fraction| {
            let count = ((n as f64) * fraction).round() as u64;
            alt.after_delete(n, hint, count).total() + (n - count) * per_value
        });
        PointerValueReport {
            map_type: format!("map[{key}]*{value}"),
            total,
            bytes_per_entry: (n > 0).then(|| total as f64 / n as f64),
            after_delete,
            map_bytes,
            value_objects: n * per_value,
        }
    });
    ModelReport {
        go: model.target.go.to_string()
            + if !swiss && model.target.go.minor >= 24 {
                "+noswissmap"
            } else {
                ""
            },
        implementation: model.target.map_impl.to_string(),
        bucket_bytes: if swiss {
            shape.group.size
        } else {
            shape.bucket.size
        },
        slot_bytes: swiss.then_some(shape.slot.size),
        bytes_per_entry: (n > 0).then(|| footprint.total() as f64 / n as f64),
        footprint: footprint.into(),
        growth: model
            .growth_steps(n, hint)
            .into_iter()
            .map(|s| StepReport {
                entries: s.entries,
                total: s.footprint.total(),
                event: s.event,
            })
            .collect(),
        after_delete,
        after_clear: model.after_clear(n, hint).into(),
        after_reassign: model.after_reassign().into(),
        pointer_value,
    }
}

/// One line describing the storage shape.
pub(super) fn describe_structure(m: &ModelReport) -> String {
    match m.footprint.parts.structure {
        Structure::Empty => "header only".to_owned(),
        Structure::Buckets {
            b,
            buckets,
            expected_overflow,
            growing,
        } => {
            let mut s = format!(
                "B={b}: {buckets} bucket{} of {} B, ~{expected_overflow:.0} in overflow chains",
                if buckets == 1 { "" } else { "s" },
                m.bucket_bytes
            );
            if growing > 0.0 {
                s += &format!(
                    ", evacuating the old array ({:.0}% likely)",
                    growing * 100.0
                );
            }
            s
        }
        Structure::SmallGroup => format!("small map: 1 group of {} B", m.bucket_bytes),
        Structure::Tables {
            tables,
            capacity,
            directory_len,
        } => {
            let t = if (tables - tables.round()).abs() < 0.05 {
                format!("{tables:.0}")
            } else {
                format!("~{tables:.1}")
            };
            let plural = if t == "1" { "" } else { "s" };
            format!(
                "{t} table{plural} ({capacity} slots first), directory of ~{directory_len:.0}, groups of {} B",
                m.bucket_bytes
            )
        }
    }
}

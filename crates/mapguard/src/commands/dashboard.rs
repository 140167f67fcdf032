//! `mapguard dashboard`: a Grafana dashboard (JSON model) over mapguard watch's metrics and
//! client_golang's `go_*` metrics, for import into a fleet's Grafana.

use std::io::Write;

use clap::Args;
use serde_json::{Value, json};

use crate::exit::ExitStatus;

#[derive(Debug, Args)]
pub(crate) struct DashboardArgs {
    /// Dashboard title.
    #[arg(long, value_name = "TEXT", default_value = "Go maps (mapguard)")]
    pub(crate) title: String,
}

pub(crate) fn run(args: &DashboardArgs) -> anyhow::Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &render(&args.title))?;
    out.write_all(b"\n")?;
    Ok(ExitStatus::Success)
}

fn target(expr: &str, legend: &str, ref_id: &str) -> Value {
    json!({
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "expr": expr,
        "legendFormat": legend,
        "refId": ref_id,
    })
}

fn panel(
    id: u32,
    title: &str,
    unit: &str,
    grid: (u32, u32, u32, u32),
    targets: Vec<Value>,
) -> Value {
    let (x, y, w, h) = grid;
    json!({
        "id": id,
        "type": "timeseries",
        "title": title,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"x": x, "y": y, "w": w, "h": h},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull", "max"]}},
        "targets": targets,
    })
}

/// The dashboard JSON model.
pub(crate) fn render(title: &str) -> Value {
    let t = r#"target=~"$target""#;
    let panels = vec![
        panel(
            1,
            "Map bytes in use by site",
            "bytes",
            (0, 0, 12, 9),
            vec![target(
                &format!("topk(10, mapguard_map_inuse_bytes{{{t}}})"),
                "{{target}} {{site}} {{map_type}}",
                "A",
            )],
        ),
        panel(
            2,
            "Map growth per hour",
            "bytes",
            (12, 0, 12, 9),
            vec![target(
                &format!("topk(10, mapguard_map_growth_bytes_per_hour{{{t}}})"),
                "{{target}} {{site}}",
                "A",
            )],
        ),
        json!({
            "id": 3,
            "type": "table",
            "title": "Leak suspects",
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "gridPos": {"x": 0, "y": 9, "w": 24, "h": 6},
            "targets": [{
                "datasource": {"type": "prometheus", "uid": "${datasource}"},
                "expr": format!("mapguard_leak_suspect{{{t}}} == 1"),
                "format": "table",
                "instant": true,
                "refId": "A",
            }],
        }),
        panel(
            4,
            "Heap",
            "bytes",
            (0, 15, 12, 9),
            vec![
                target(
                    &format!("mapguard_heap_inuse_bytes{{{t}}}"),
                    "{{target}} profile in use",
                    "A",
                ),
                target(
                    &format!("mapguard_map_total_inuse_bytes{{{t}}}"),
                    "{{target}} maps",
                    "B",
                ),
                target(
                    r#"go_memstats_heap_alloc_bytes{job=~"$job"}"#,
                    "{{instance}} HeapAlloc",
                    "C",
                ),
                target(
                    r#"go_memstats_heap_inuse_bytes{job=~"$job"}"#,
                    "{{instance}} HeapInuse",
                    "D",
                ),
            ],
        ),
        panel(
            5,
            "GC pauses",
            "s",
            (12, 15, 12, 9),
            vec![
                target(
                    r#"go_gc_duration_seconds{job=~"$job"}"#,
                    "{{instance}} q{{quantile}}",
                    "A",
                ),
                target(
                    r#"histogram_quantile(0.99, sum by (job, instance, le) (rate(go_sched_pauses_total_gc_seconds_bucket{job=~"$job"}[5m])))"#,
                    "{{instance}} p99",
                    "B",
                ),
            ],
        ),
        panel(
            6,
            "GC rate",
            "ops",
            (0, 24, 12, 8),
            vec![target(
                r#"rate(go_gc_duration_seconds_count{job=~"$job"}[5m])"#,
                "{{instance}} GCs/s",
                "A",
            )],
        ),
        panel(
            7,
            "Scrapes",
            "s",
            (12, 24, 12, 8),
            vec![
                target(
                    &format!(
                        "histogram_quantile(0.99, sum by (target, le) (rate(mapguard_scrape_duration_seconds_bucket{{{t}}}[5m])))"
                    ),
                    "{{target}} p99 duration",
                    "A",
                ),
                target(&format!("mapguard_target_up{{{t}}}"), "{{target}} up", "B"),
                target(
                    &format!(r#"rate(mapguard_scrapes_total{{{t},result="error"}}[5m])"#),
                    "{{target}} errors/s",
                    "C",
                ),
            ],
        ),
    ];
    json!({
        "title": title,
        "uid": "mapguard-go-maps",
        "tags": ["go", "mapguard"],
        "timezone": "utc",
        "schemaVersion": 39,
        "version": 1,
        "editable": true,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {"list": [
            {
                "name": "datasource",
                "label": "Prometheus",
                "type": "datasource",
                "query": "prometheus",
            },
            {
                "name": "target",
                "label": "mapguard target",
                "type": "query",
                "datasource": {"type": "prometheus", "uid": "${datasource}"},
                "query": {"query": "label_values(mapguard_target_up, target)", "refId": "target"},
                "definition": "label_values(mapguard_target_up, target)",
                "includeAll": true,
                "multi": true,
                "allValue": ".*",
                "refresh": 2,
            },
            {
                "name": "job",
                "label": "Go job",
                "type": "query",
                "datasource": {"type": "prometheus", "uid": "${datasource}"},
                "query": {"query": "label_values(go_memstats_heap_alloc_bytes, job)", "refId": "job"},
                "definition": "label_values(go_memstats_heap_alloc_bytes, job)",
                "includeAll": true,
                "multi": true,
                "allValue": ".*",
                "refresh": 2,
            },
        ]},
        "panels": panels,
    })
}

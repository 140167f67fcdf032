//! The picture: heap after each GC and heap goal over time, above a pause heat map (time × pause length).

use plotters::prelude::*;

use crate::report::{HeapMeasure, Report};

const MIB: f64 = 1024.0 * 1024.0;
const WIDTH: u32 = 1000;
const HEIGHT: u32 = 720;

/// Why a picture could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the plot: {0}")]
pub struct PlotError(String);

/// Renders `report` as an SVG document. `title` names the input.
pub fn svg(report: &Report, title: &str) -> Result<String, PlotError> {
    let mut out = String::new();
    draw(report, title, &mut out).map_err(|e| PlotError(e.to_string()))?;
    Ok(out)
}

fn draw(report: &Report, title: &str, out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(out, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let (top, bottom) = root.split_vertically(430);

    let x_max = report.pause_heatmap.end_secs.max(
        report
            .segments
            .iter()
            .flat_map(|s| s.heap.iter().map(|p| p.elapsed_secs))
            .fold(0.0, f64::max),
    );
    let x_max = if x_max > 0.0 { x_max } else { 1.0 };
    let y_max = report
        .segments
        .iter()
        .flat_map(|s| {
            s.heap
                .iter()
                .map(|p| p.bytes.max(p.goal_bytes.unwrap_or(0.0)))
        })
        .fold(0.0, f64::max)
        / MIB;
    let y_max = (y_max * 1.1).max(1.0);
    let measure = report
        .segments
        .first()
        .map_or(HeapMeasure::LiveHeap, |s| s.heap_measure);

    let mut chart = ChartBuilder::on(&top)
        .caption(
            format!("{title}: {}", report.verdict.summary),
            ("sans-serif", 15),
        )
        .margin(12)
        .x_label_area_size(32)
        .y_label_area_size(64)
        .build_cartesian_2d(0f64..x_max, 0f64..y_max)?;
    chart
        .configure_mesh()
        .x_desc("elapsed (s)")
        .y_desc("MB")
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    let live_color = RGBColor(31, 119, 180);
    let goal_color = RGBColor(255, 127, 14);
    for (k, segment) in report.segments.iter().enumerate() {
        let goal: Vec<(f64, f64)> = segment
            .heap
            .iter()
            .filter_map(|p| p.goal_bytes.map(|g| (p.elapsed_secs, g / MIB)))
            .collect();
        let live: Vec<(f64, f64)> = segment
            .heap
            .iter()
            .map(|p| (p.elapsed_secs, p.bytes / MIB))
            .collect();
        if measure == HeapMeasure::LiveHeap {
            let series = chart.draw_series(LineSeries::new(goal, goal_color.stroke_width(1)))?;
            if k == 0 {
                series
                    .label("heap goal")
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], goal_color));
            }
        }
        let series = chart.draw_series(LineSeries::new(live, live_color.stroke_width(2)))?;
        if k == 0 {
            series
                .label(measure.phrase())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], live_color));
        }
        if k > 0 {
            let x = segment.elapsed_start_secs;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x, 0.0), (x, y_max)],
                RED.stroke_width(1),
            )))?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;

    let heat = &report.pause_heatmap;
    let buckets = heat.bucket_upper_secs.len();
    let peak = heat
        .counts
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let mut grid = ChartBuilder::on(&bottom)
        .caption(
            format!("stop-the-world pauses per time bin and length (darker = more, up to {peak} in a cell)"),
            ("sans-serif", 14),
        )
        .margin(12)
        .x_label_area_size(32)
        .y_label_area_size(64)
        .build_cartesian_2d(0f64..heat.end_secs, 0f64..buckets as f64)?;
    let labels: Vec<String> = heat
        .bucket_upper_secs
        .iter()
        .map(|u| u.map_or(String::new(), bucket_label))
        .collect();
    grid.configure_mesh()
        .disable_mesh()
        .x_desc("elapsed (s)")
        .y_labels(buckets + 1)
        .y_label_formatter(&|v| {
            // Label each bucket's upper edge with its bound.
            let i = v.round() as usize;
            if (v - v.round()).abs() > 1e-6 || i == 0 || i > labels.len() {
                String::new()
            } else {
                labels[i - 1].clone()
            }
        })
        .draw()?;
    let width = heat.end_secs / heat.counts.len().max(1) as f64;
    let cells = heat.counts.iter().enumerate().flat_map(|(t, row)| {
        row.iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(move |(b, &c)| {
                let x0 = heat.time_bins_secs[t];
                let level = (c as f64).ln_1p() / (peak as f64).ln_1p();
                let shade = (235.0 * (1.0 - level)) as u8;
                Rectangle::new(
                    [(x0, b as f64), (x0 + width, b as f64 + 1.0)],
                    RGBColor(255, shade, shade / 2).filled(),
                )
            })
    });
    grid.draw_series(cells)?;
    root.present()?;
    Ok(())
}

/// `≤250 µs`, `≤2.5 ms`, `≤100 ms`.
fn bucket_label(secs: f64) -> String {
    let (value, unit) = if secs < 1e-3 {
        (secs * 1e6, "µs")
    } else {
        (secs * 1e3, "ms")
    };
    let text = format!("{value:.1}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("≤{text} {unit}")
}

//! `/`: a server-rendered dashboard, one section per target: status, heap and top map sites over
//! time as inline SVG charts, leak suspects with their evidence, recent scrape errors.
//!
//! No script runs: the page is HTML and SVG only (the server also sends a CSP without
//! `script-src`), and every string from a profile, a source file or a target is escaped.

use std::fmt::Write;

use mapguard_pprof::compare::Verdict;

use crate::daemon::{State, TargetState};
use crate::html::escape;
use crate::store::Store;
use crate::verdict::SiteStatus;

/// Points per chart line (newest scrapes).
const POINTS: u32 = 360;
/// Map sites drawn per target.
const CHART_SITES: usize = 5;
/// Rows in a target's site table.
const TABLE_SITES: usize = 20;
/// Errors listed per target.
const ERRORS: u32 = 10;

const COLORS: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
];

/// One chart line.
struct Line {
    label: String,
    points: Vec<(i64, f64)>,
}

/// Renders the page. `store` supplies history for the charts; without it only the current
/// state is shown.
pub fn render(state: &State, store: Option<&Store>, now_ms: i64) -> String {
    let refresh = state.interval.as_secs().clamp(2, 60);
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"{refresh}\">\
         <link rel=\"icon\" href=\"data:,\"><title>mapguard watch</title><style>{STYLE}</style></head><body>\
         <h1>mapguard watch</h1><p class=\"muted\">{} target(s), every {:?}; page refreshes every {refresh}s.</p>",
        state.targets.len(),
        state.interval
    );
    for ts in &state.targets {
        section(&mut out, ts, store, now_ms);
    }
    out.push_str("</body></html>\n");
    out
}

fn section(out: &mut String, ts: &TargetState, store: Option<&Store>, now_ms: i64) {
    let name = &ts.target.name;
    let status = match (ts.up, ts.last_scrape_ms) {
        (_, None) => "<span class=\"badge wait\">waiting</span>",
        (true, _) => "<span class=\"badge up\">up</span>",
        (false, _) => "<span class=\"badge down\">down</span>",
    };
    let _ = write!(
        out,
        "<section class=\"target\" id=\"target-{}\"><h2>{} {status}</h2><p class=\"muted\">{}",
        escape(name),
        escape(name),
        escape(&ts.target.base_url)
    );
    for (k, v) in &ts.target.labels {
        let _ = write!(out, " <code>{}={}</code>", escape(k), escape(v));
    }
    out.push_str("</p><p>");
    if let Some(ms) = ts.last_scrape_ms {
        let _ = write!(
            out,
            "Last scrape {} ago ({:.0} ms). ",
            ago(now_ms - ms),
            ts.last_duration.map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        );
    }
    if let Some(b) = ts.heap_inuse_bytes {
        let _ = write!(out, "Heap in use {}. ", bytes(b as f64));
    }
    if let Some(b) = ts.map_inuse_bytes {
        let _ = write!(out, "Maps {}. ", bytes(b as f64));
    }
    if let Some(b) = ts.memstats.as_ref().and_then(|m| m.heap_alloc_bytes) {
        let _ = write!(out, "HeapAlloc {}. ", bytes(b));
    }
    let _ = write!(out, "Verdict window {} scrape(s).</p>", ts.window_len);
    if let Some(e) = &ts.last_error {
        let _ = write!(out, "<p class=\"error\">{}</p>", escape(e));
    }

    suspects(out, ts);

    if let Some(store) = store {
        let heap = store.heap_series(name, POINTS).unwrap_or_default();
        let mut lines = vec![
            Line {
                label: "heap in use (profile)".into(),
                points: heap
                    .iter()
                    .map(|p| (p.started_ms, p.heap_inuse_bytes as f64))
                    .collect(),
            },
            Line {
                label: "maps (profile)".into(),
                points: heap
                    .iter()
                    .map(|p| (p.started_ms, p.map_inuse_bytes as f64))
                    .collect(),
            },
        ];
        let alloc: Vec<(i64, f64)> = heap
            .iter()
            .filter_map(|p| p.heap_alloc_bytes.map(|b| (p.started_ms, b)))
            .collect();
        if !alloc.is_empty() {
            lines.push(Line {
                label: "HeapAlloc (memstats)".into(),
                points: alloc,
            });
        }
        chart(out, "Heap", "heap", &lines);

        let mut top: Vec<&SiteStatus> = ts.sites.iter().collect();
        top.sort_by_key(|s| std::cmp::Reverse(s.bytes));
        let site_lines: Vec<Line> = top
            .iter()
            .take(CHART_SITES)
            .map(|s| Line {
                label: s.site.clone(),
                points: store
                    .site_series(name, &s.site, POINTS)
                    .unwrap_or_default()
                    .iter()
                    .map(|p| (p.started_ms, p.bytes as f64))
                    .collect(),
            })
            .collect();
        chart(out, "Top map sites", "sites", &site_lines);
    }

    sites_table(out, ts);

    if let Some(store) = store {
        let errors = store.recent_errors(name, ERRORS).unwrap_or_default();
        if !errors.is_empty() {
            out.push_str("<h3>Recent scrape errors</h3><table class=\"errors\"><tr><th>when</th><th>error</th></tr>");
            for e in errors {
                let _ = write!(
                    out,
                    "<tr><td>{} ago</td><td>{}</td></tr>",
                    ago(now_ms - e.started_ms),
                    escape(e.error.as_deref().unwrap_or(""))
                );
            }
            out.push_str("</table>");
        }
    }
    out.push_str("</section>");
}

fn suspects(out: &mut String, ts: &TargetState) {
    let suspects: Vec<&SiteStatus> = ts.suspects().collect();
    if suspects.is_empty() {
        out.push_str("<p class=\"ok\">No leak suspects.</p>");
        return;
    }
    out.push_str(
        "<h3 class=\"leak\">Leak suspects</h3><table class=\"suspects\"><tr><th>site</th>\
         <th>map type</th><th>bytes</th><th>growth/h</th><th>evidence</th><th>function</th></tr>",
    );
    for s in suspects {
        let e = &s.evidence;
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td>\
             <td>grew in {} of {} steps over {} scrapes{}; {:.1}% of the heap</td><td><code>{}</code></td></tr>",
            escape(&s.site),
            escape(s.map_type.as_deref().unwrap_or("?")),
            bytes(s.bytes as f64),
            s.growth_per_hour
                .map_or("-".into(), |g| format!("{}/h", bytes(g))),
            e.increases,
            e.profiles.saturating_sub(1),
            e.profiles,
            if e.monotonic { ", never shrank" } else { "" },
            e.share_of_heap * 100.0,
            escape(&s.functions.join(", "))
        );
    }
    out.push_str("</table>");
}

fn sites_table(out: &mut String, ts: &TargetState) {
    if ts.sites.is_empty() {
        return;
    }
    let mut sites: Vec<&SiteStatus> = ts.sites.iter().collect();
    sites.sort_by_key(|s| std::cmp::Reverse(s.bytes));
    out.push_str(
        "<h3>Map sites</h3><table class=\"sites\"><tr><th>site</th><th>map type</th>\
         <th>bytes</th><th>growth/h</th><th>verdict</th><th>function</th></tr>",
    );
    for s in sites.iter().take(TABLE_SITES) {
        let verdict = match s.verdict {
            Verdict::LeakSuspect => "leak suspect",
            Verdict::Grew => "grew",
            Verdict::Unchanged => "unchanged",
            Verdict::Shrank => "shrank",
        };
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{verdict}</td><td><code>{}</code></td></tr>",
            escape(&s.site),
            escape(s.map_type.as_deref().unwrap_or("?")),
            bytes(s.bytes as f64),
            s.growth_per_hour
                .map_or("-".into(), |g| format!("{}/h", bytes(g))),
            escape(&s.functions.join(", ")),
        );
    }
    if sites.len() > TABLE_SITES {
        let _ = write!(
            out,
            "<tr><td colspan=\"6\">… {} more</td></tr>",
            sites.len() - TABLE_SITES
        );
    }
    out.push_str("</table>");
}

/// An SVG line chart with a byte y-axis and a UTC time x-axis.
fn chart(out: &mut String, title: &str, class: &str, lines: &[Line]) {
    const W: f64 = 720.0;
    const H: f64 = 220.0;
    const LEFT: f64 = 70.0;
    const RIGHT: f64 = 10.0;
    const TOP: f64 = 10.0;
    const BOTTOM: f64 = 24.0;
    let points = || lines.iter().flat_map(|l| l.points.iter());
    let _ = write!(
        out,
        "<figure class=\"chart {class}\"><figcaption>{}</figcaption>",
        escape(title)
    );
    let Some(x0) = points().map(|p| p.0).min() else {
        out.push_str("<p class=\"muted\">No data yet.</p></figure>");
        return;
    };
    let x1 = points().map(|p| p.0).max().unwrap_or(x0);
    let y1 = points().map(|p| p.1).fold(0.0_f64, f64::max).max(1.0);
    let sx = |x: i64| LEFT + (x - x0) as f64 / ((x1 - x0).max(1) as f64) * (W - LEFT - RIGHT);
    let sy = |y: f64| TOP + (1.0 - y / y1) * (H - TOP - BOTTOM);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\">\
         <line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{}\" stroke=\"#999\"/>\
         <line x1=\"{LEFT}\" y1=\"{0}\" x2=\"{}\" y2=\"{0}\" stroke=\"#999\"/>",
        H - BOTTOM,
        W - RIGHT
    );
    for frac in [0.0, 0.5, 1.0] {
        let y = sy(y1 * frac);
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{}</text>",
            LEFT - 4.0,
            y + 4.0,
            bytes(y1 * frac)
        );
    }
    let _ = write!(
        out,
        "<text x=\"{LEFT}\" y=\"{}\" font-size=\"11\">{}</text><text x=\"{}\" y=\"{0}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
        H - 6.0,
        clock(x0),
        W - RIGHT,
        clock(x1)
    );
    for (i, line) in lines.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let mut pts = String::new();
        for &(x, y) in &line.points {
            let _ = write!(pts, "{:.1},{:.1} ", sx(x), sy(y));
        }
        let _ = write!(
            out,
            "<polyline class=\"series\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{}\"><title>{}</title></polyline>",
            pts.trim_end(),
            escape(&line.label)
        );
    }
    out.push_str("</svg><ul class=\"legend\">");
    for (i, line) in lines.iter().enumerate() {
        let _ = write!(
            out,
            "<li><span style=\"color:{}\">■</span> {}</li>",
            COLORS[i % COLORS.len()],
            escape(&line.label)
        );
    }
    out.push_str("</ul></figure>");
}

/// IEC bytes: `512 B`, `1.5 KiB`.
fn bytes(n: f64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n;
    let mut u = 0;
    while v.abs() >= 1024.0 && u + 1 < units.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{v:.0} {}", units[u])
    } else {
        format!("{v:.1} {}", units[u])
    }
}

/// `HH:MM:SS` UTC of a Unix time in milliseconds.
fn clock(ms: i64) -> String {
    let s = ms.div_euclid(1000).rem_euclid(86_400);
    format!("{:02}:{:02}:{:02} UTC", s / 3600, s / 60 % 60, s % 60)
}

fn ago(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{}s", s / 60, s % 60),
        _ => format!("{}h{}m", s / 3600, s / 60 % 60),
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}\
.muted{color:#666}.badge{font-size:.6em;padding:.15em .5em;border-radius:.3em;color:#fff}\
.up{background:#2a2}.down{background:#c22}.wait{background:#888}.error{color:#b00}\
.leak{color:#b00}.ok{color:#282}table{border-collapse:collapse;margin:.5em 0}\
td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;font-size:.9em}\
figure{margin:.5em 0}.legend{list-style:none;padding:0;display:flex;gap:1em;flex-wrap:wrap;font-size:.85em}\
section.target{border-top:2px solid #eee;padding-top:.5em}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(bytes(512.0), "512 B");
        assert_eq!(bytes(1536.0), "1.5 KiB");
        assert_eq!(clock(3_723_000), "01:02:03 UTC");
        assert_eq!(ago(61_000), "1m1s");
    }

    #[test]
    fn chart_escapes_labels_and_draws_lines() {
        let mut out = String::new();
        chart(
            &mut out,
            "t",
            "sites",
            &[Line {
                label: "<script>alert(1)</script>.go:1".into(),
                points: vec![(0, 1.0), (1000, 2048.0)],
            }],
        );
        assert!(!out.contains("<script>"));
        assert!(out.contains("&lt;script&gt;"));
        assert_eq!(out.matches("<polyline").count(), 1);
    }
}

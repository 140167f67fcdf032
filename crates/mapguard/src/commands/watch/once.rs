//! `--once`: one scrape of every target, stored, then a summary on stdout.

use std::io::Write;

use mapguard_watch::daemon::{Event, RunOptions, Watch};

use crate::exit::ExitStatus;

#[allow(clippy::print_stderr)]
pub(super) fn run(watch: Watch) -> anyhow::Result<ExitStatus> {
    let mut out = String::new();
    let mut failed = false;
    let mut observer = |event: Event<'_>| {
        if let Event::Scraped {
            target,
            scrape,
            stored,
            ..
        } = event
        {
            let name = &target.target.name;
            match (&scrape.result, stored) {
                (Err(e), _) => {
                    failed = true;
                    eprintln!("mapguard watch: {name}: {e}");
                }
                (Ok(_), Err(e)) => {
                    failed = true;
                    eprintln!("mapguard watch: {name}: not stored: {e}");
                }
                (Ok(data), Ok(_)) => {
                    out.push_str(&format!(
                        "{name}: heap {} bytes in use, maps {} bytes ({:.0} ms)\n",
                        data.heap_inuse_bytes,
                        data.map_inuse_bytes,
                        scrape.duration.as_secs_f64() * 1000.0
                    ));
                    for s in data.sites.iter().take(10) {
                        out.push_str(&format!(
                            "  {:>12}  {}  {}\n",
                            s.bytes,
                            s.site,
                            s.map_type.as_deref().unwrap_or("?")
                        ));
                    }
                    if let Some(e) = &data.memstats_error {
                        eprintln!("mapguard watch: {name}: {e}");
                    }
                }
            }
        }
    };
    let summary = watch.run(
        RunOptions {
            once: true,
            duration: None,
        },
        &mut observer,
    );
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(if failed || summary.store_errors > 0 {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    })
}

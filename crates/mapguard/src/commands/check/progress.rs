//! A spinner on stderr for scans that take over a second, only on a terminal and never in CI.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub(super) struct Progress {
    bar: Option<Arc<Mutex<ProgressBar>>>,
}

impl Progress {
    /// Starts a hidden spinner that becomes visible after one second.
    pub(super) fn start(enabled: bool) -> Self {
        let wanted = enabled && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        if !wanted {
            return Self { bar: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message("loading packages");
        let shared = Arc::new(Mutex::new(bar));
        let delayed = Arc::clone(&shared);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(1));
            if let Ok(bar) = delayed.lock()
                && !bar.is_finished()
            {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(100));
            }
        });
        Self { bar: Some(shared) }
    }

    pub(super) fn message(&self, message: String) {
        if let Some(bar) = self.bar.as_ref().and_then(|b| b.lock().ok()) {
            bar.set_message(message);
        }
    }

    pub(super) fn finish(&self) {
        if let Some(bar) = self.bar.as_ref().and_then(|b| b.lock().ok()) {
            bar.finish_and_clear();
        }
    }
}

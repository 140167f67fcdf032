//! The watch loop: one scraper thread per target (a slow or dead target never delays the
//! others), one writer that commits every scrape and updates the shared [`State`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use mapguard_pprof::MapSiteIndex;
use mapguard_pprof::compare::Verdict;

use crate::config::{Settings, Target};
use crate::error::WatchError;
use crate::metrics::Telemetry;
use crate::scrape::{self, Memstats, Scrape, ScrapeLimits};
use crate::store::{Pruned, Store};
use crate::verdict::{SiteStatus, Window};

/// A source index shared by scraper threads.
pub type SharedIndex = Arc<dyn MapSiteIndex + Send + Sync>;

/// How often retention runs.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// What watch knows about one target right now.
#[derive(Debug)]
pub struct TargetState {
    pub target: Target,
    /// The newest scrape succeeded.
    pub up: bool,
    pub last_scrape_ms: Option<i64>,
    pub last_duration: Option<Duration>,
    /// The newest scrape's error or warning.
    pub last_error: Option<String>,
    pub heap_inuse_bytes: Option<i64>,
    pub map_inuse_bytes: Option<i64>,
    pub memstats: Option<Memstats>,
    /// Every map in the verdict window, largest growth first.
    pub sites: Vec<SiteStatus>,
    /// Scrapes in the verdict window.
    pub window_len: usize,
    window: Window,
}

impl TargetState {
    /// Leak suspects among [`Self::sites`].
    pub fn suspects(&self) -> impl Iterator<Item = &SiteStatus> {
        self.sites
            .iter()
            .filter(|s| s.verdict == Verdict::LeakSuspect)
    }
}

/// Everything the HTTP side shows, behind one lock.
#[derive(Debug)]
pub struct State {
    pub targets: Vec<TargetState>,
    pub interval: Duration,
}

/// The state as shared between the writer and the HTTP server.
pub type SharedState = Arc<Mutex<State>>;

/// Locks the state, ignoring poisoning (a panicked reader leaves the data intact).
pub fn lock(state: &SharedState) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the daemon tells its caller as it goes.
#[derive(Debug)]
pub enum Event<'a> {
    /// A scrape was committed (or failed to be: see `stored`).
    Scraped {
        target: &'a TargetState,
        scrape: &'a Scrape,
        /// Sites that became leak suspects with this scrape.
        new_suspects: Vec<&'a SiteStatus>,
        stored: Result<i64, &'a WatchError>,
    },
    /// Retention deleted old scrapes.
    Pruned(Pruned),
    /// Retention failed (the loop goes on).
    PruneFailed(&'a WatchError),
}

/// How long to run.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Scrape each target once, then return.
    pub once: bool,
    /// Stop after this long (`None`: run until the process ends).
    pub duration: Option<Duration>,
}

/// Counts of one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub scrapes: u64,
    pub failed: u64,
    pub store_errors: u64,
}

/// A configured watch: settings, source indexes, the database, shared state and telemetry.
pub struct Watch {
    settings: Settings,
    indexes: Vec<Option<SharedIndex>>,
    store: Store,
    state: SharedState,
    telemetry: Arc<Telemetry>,
}

impl Watch {
    /// Prepares a watch; `indexes[i]` is the source index of `settings.targets[i]`.
    pub fn new(settings: Settings, indexes: Vec<Option<SharedIndex>>, store: Store) -> Self {
        let targets = settings
            .targets
            .iter()
            .map(|t| TargetState {
                target: t.clone(),
                up: false,
                last_scrape_ms: None,
                last_duration: None,
                last_error: None,
                heap_inuse_bytes: None,
                map_inuse_bytes: None,
                memstats: None,
                sites: Vec::new(),
                window_len: 0,
                window: Window::new(settings.window),
            })
            .collect();
        let state = Arc::new(Mutex::new(State {
            targets,
            interval: settings.interval,
        }));
        Self {
            settings,
            indexes,
            store,
            state,
            telemetry: Arc::new(Telemetry::new()),
        }
    }

    /// The state the server reads.
    pub fn state(&self) -> SharedState {
        Arc::clone(&self.state)
    }

    /// Scrape counters and durations for `/metrics`.
    pub fn telemetry(&self) -> Arc<Telemetry> {
        Arc::clone(&self.telemetry)
    }

    /// Runs the scrape loop until `options` say stop.
    pub fn run(mut self, options: RunOptions, observer: &mut dyn FnMut(Event<'_>)) -> Summary {
        let (tx, rx) = mpsc::channel::<Scrape>();
        let stop = Arc::new(AtomicBool::new(false));
        let interval = self.settings.interval;
        let limits = ScrapeLimits {
            max_profile_bytes: self.settings.max_profile_bytes,
            max_memstats_bytes: self.settings.max_memstats_bytes,
            backoff: (interval / 10).clamp(Duration::from_millis(50), Duration::from_millis(500)),
        };
        for (i, target) in self.settings.targets.iter().enumerate() {
            let target = target.clone();
            let index = self.indexes.get(i).cloned().flatten();
            let tx = tx.clone();
            let stop_flag = Arc::clone(&stop);
            let once = options.once;
            let spawned = thread::Builder::new()
                .name(format!("scrape-{i}"))
                .spawn(move || {
                    scrape_loop(i, &target, index, limits, interval, once, &tx, &stop_flag);
                });
            if spawned.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
        }
        drop(tx);
        let deadline = options.duration.map(|d| Instant::now() + d);
        let mut summary = Summary::default();
        let mut last_prune = Instant::now();
        loop {
            let wait = deadline.map_or(Duration::from_millis(200), |d| {
                d.saturating_duration_since(Instant::now())
                    .min(Duration::from_millis(200))
            });
            match rx.recv_timeout(wait) {
                Ok(scrape) => self.commit(&scrape, &mut summary, observer),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {}
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                break;
            }
            if last_prune.elapsed() >= PRUNE_EVERY {
                last_prune = Instant::now();
                match self
                    .store
                    .prune(&self.settings.retention, scrape::now_unix_ms())
                {
                    Ok(p) if p.by_age + p.by_size > 0 => observer(Event::Pruned(p)),
                    Ok(_) => {}
                    Err(e) => observer(Event::PruneFailed(&e)),
                }
            }
        }
        stop.store(true, Ordering::Relaxed);
        summary
    }

    fn commit(
        &mut self,
        scrape: &Scrape,
        summary: &mut Summary,
        observer: &mut dyn FnMut(Event<'_>),
    ) {
        let target = &self.settings.targets[scrape.target];
        let stored = self.store.record(&target.name, &target.base_url, scrape);
        summary.scrapes += 1;
        summary.failed += u64::from(scrape.result.is_err());
        summary.store_errors += u64::from(stored.is_err());
        self.telemetry.observe(target, scrape);
        let mut state = lock(&self.state);
        let ts = &mut state.targets[scrape.target];
        let before: Vec<String> = ts.suspects().map(|s| s.site.clone()).collect();
        update(ts, scrape);
        let new_suspects = ts
            .suspects()
            .filter(|s| !before.contains(&s.site))
            .collect();
        observer(Event::Scraped {
            target: ts,
            scrape,
            new_suspects,
            stored: stored.as_ref().map(|id| *id),
        });
    }
}

fn update(ts: &mut TargetState, scrape: &Scrape) {
    ts.last_scrape_ms = Some(scrape.started_unix_ms);
    ts.last_duration = Some(scrape.duration);
    match &scrape.result {
        Err(e) => {
            ts.up = false;
            ts.last_error = Some(e.clone());
        }
        Ok(data) => {
            ts.up = true;
            ts.last_error.clone_from(&data.memstats_error);
            ts.heap_inuse_bytes = Some(data.heap_inuse_bytes);
            ts.map_inuse_bytes = Some(data.map_inuse_bytes);
            ts.memstats.clone_from(&data.memstats);
            ts.window
                .push(data.profile_time_nanos, data.attribution.clone());
            ts.window_len = ts.window.len();
            ts.sites = ts.window.statuses(ts.target.source.as_deref());
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn scrape_loop(
    i: usize,
    target: &Target,
    index: Option<SharedIndex>,
    limits: ScrapeLimits,
    interval: Duration,
    once: bool,
    tx: &mpsc::Sender<Scrape>,
    stop: &AtomicBool,
) {
    loop {
        let start = Instant::now();
        let index_ref = index.as_deref().map(|x| x as &dyn MapSiteIndex);
        let scrape = scrape::scrape(i, target, index_ref, limits);
        if stop.load(Ordering::Relaxed) || tx.send(scrape).is_err() || once {
            return;
        }
        let next = start + interval;
        while Instant::now() < next {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            thread::sleep(
                next.saturating_duration_since(Instant::now())
                    .min(Duration::from_millis(100)),
            );
        }
    }
}

//! The SQLite history: targets, scrapes, per-site map bytes and memstats.
//!
//! WAL journal with `synchronous=FULL`: a scrape is written in one transaction, so a killed
//! process leaves either the whole scrape or none of it, and a committed scrape survives.
//! Readers (the dashboard) use their own connection and never block the writer.

mod query;
mod retention;
mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::error::WatchError;
use crate::scrape::Scrape;

pub use query::{HeapPoint, ScrapeRow, SitePoint};
pub use retention::Pruned;
pub use schema::SCHEMA_VERSION;

/// An open history database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) the database for writing and migrates it to the current schema.
    pub fn open(path: &Path) -> Result<Self, WatchError> {
        let err = store_err(path);
        let mut conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(err)?;
        // auto_vacuum only takes effect before the first table exists.
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")
            .map_err(err)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(WatchError::Config(format!(
                "{}: cannot use a WAL journal (got {mode}); is it on a network file system?",
                path.display()
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(err)?;
        let found = schema::version(&conn).map_err(err)?;
        if found > SCHEMA_VERSION {
            return Err(WatchError::SchemaTooNew {
                path: path.to_owned(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        schema::migrate(&mut conn, found).map_err(err)?;
        Ok(Self {
            conn,
            path: path.to_owned(),
        })
    }

    /// Opens an existing database read-only (for the dashboard).
    pub fn open_reader(path: &Path) -> Result<Self, WatchError> {
        let err = store_err(path);
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(err)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(err)?;
        Ok(Self {
            conn,
            path: path.to_owned(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, WatchError> {
        schema::version(&self.conn).map_err(store_err(&self.path))
    }

    /// Writes one scrape (with its sites and memstats) in one transaction; returns its id.
    pub fn record(&mut self, target: &str, url: &str, scrape: &Scrape) -> Result<i64, WatchError> {
        self.record_inner(target, url, scrape)
            .map_err(store_err(&self.path))
    }

    fn record_inner(&mut self, target: &str, url: &str, scrape: &Scrape) -> rusqlite::Result<i64> {
        let tx = self.conn.transaction()?;
        let target_id: i64 = match tx
            .query_row("SELECT id FROM targets WHERE name = ?1", [target], |r| {
                r.get(0)
            })
            .optional()?
        {
            Some(id) => {
                tx.execute(
                    "UPDATE targets SET url = ?2 WHERE id = ?1",
                    params![id, url],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO targets (name, url) VALUES (?1, ?2)",
                    params![target, url],
                )?;
                tx.last_insert_rowid()
            }
        };
        let duration_ms = scrape.duration.as_secs_f64() * 1000.0;
        let id = match &scrape.result {
            Err(error) => {
                tx.execute(
                    "INSERT INTO scrapes (target_id, started_ms, duration_ms, ok, error)
                     VALUES (?1, ?2, ?3, 0, ?4)",
                    params![target_id, scrape.started_unix_ms, duration_ms, error],
                )?;
                tx.last_insert_rowid()
            }
            Ok(data) => {
                tx.execute(
                    "INSERT INTO scrapes (target_id, started_ms, duration_ms, ok, error,
                         profile_time_ns, heap_inuse_bytes, map_inuse_bytes)
                     VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?7)",
                    params![
                        target_id,
                        scrape.started_unix_ms,
                        duration_ms,
                        data.memstats_error,
                        data.profile_time_nanos,
                        data.heap_inuse_bytes,
                        data.map_inuse_bytes
                    ],
                )?;
                let id = tx.last_insert_rowid();
                {
                    let mut insert = tx.prepare_cached(
                        "INSERT INTO site_bytes (scrape_id, site, map_type, bytes, objects)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?;
                    for s in &data.sites {
                        insert.execute(params![id, s.site, s.map_type, s.bytes, s.objects])?;
                    }
                }
                if let Some(m) = &data.memstats {
                    tx.execute(
                        "INSERT INTO memstats (scrape_id, heap_alloc_bytes, heap_inuse_bytes,
                             live_heap_bytes, heap_goal_bytes, gc_count, gc_cpu_fraction)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![
                            id,
                            m.heap_alloc_bytes,
                            m.heap_inuse_bytes,
                            m.live_heap_bytes,
                            m.heap_goal_bytes,
                            m.gc_count.and_then(|c| i64::try_from(c).ok()),
                            m.gc_cpu_fraction
                        ],
                    )?;
                }
                id
            }
        };
        tx.commit()?;
        Ok(id)
    }

    /// `PRAGMA integrity_check`: `"ok"` for a sound database.
    pub fn integrity_check(&self) -> Result<String, WatchError> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(store_err(&self.path))?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(store_err(&self.path))?;
        Ok(rows.join("; "))
    }
}

fn store_err(path: &Path) -> impl Fn(rusqlite::Error) -> WatchError + Copy + '_ {
    move |source| WatchError::Store {
        path: path.to_owned(),
        source,
    }
}

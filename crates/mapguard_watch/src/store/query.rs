//! Reads for the dashboard and tests.

use rusqlite::params;

use super::{Store, store_err};
use crate::error::WatchError;

/// One scrape as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ScrapeRow {
    pub id: i64,
    pub started_ms: i64,
    pub duration_ms: f64,
    pub ok: bool,
    pub error: Option<String>,
}

/// Heap figures of one successful scrape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeapPoint {
    pub started_ms: i64,
    /// Profile `inuse_space` total.
    pub heap_inuse_bytes: i64,
    /// Profile `inuse_space` attributed to maps.
    pub map_inuse_bytes: i64,
    /// memstats `HeapAlloc`, when read.
    pub heap_alloc_bytes: Option<f64>,
}

/// One site's map bytes in one scrape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SitePoint {
    pub started_ms: i64,
    pub bytes: i64,
}

impl Store {
    /// Names of every target with history, sorted.
    pub fn targets(&self) -> Result<Vec<String>, WatchError> {
        self.collect("SELECT name FROM targets ORDER BY name", params![], |r| {
            r.get(0)
        })
    }

    /// Scrapes stored, all targets.
    pub fn scrape_count(&self) -> Result<i64, WatchError> {
        self.conn
            .query_row("SELECT count(*) FROM scrapes", [], |r| r.get(0))
            .map_err(store_err(&self.path))
    }

    /// Ids of every stored scrape, oldest first.
    pub fn scrape_ids(&self) -> Result<Vec<i64>, WatchError> {
        self.collect("SELECT id FROM scrapes ORDER BY id", params![], |r| {
            r.get(0)
        })
    }

    /// The newest `limit` scrapes of `target`, newest first.
    pub fn recent_scrapes(&self, target: &str, limit: u32) -> Result<Vec<ScrapeRow>, WatchError> {
        self.collect(
            "SELECT s.id, s.started_ms, s.duration_ms, s.ok, s.error FROM scrapes s
             JOIN targets t ON t.id = s.target_id WHERE t.name = ?1
             ORDER BY s.started_ms DESC, s.id DESC LIMIT ?2",
            params![target, limit],
            scrape_row,
        )
    }

    /// The newest `limit` scrapes of `target` that failed or carried a warning, newest first.
    pub fn recent_errors(&self, target: &str, limit: u32) -> Result<Vec<ScrapeRow>, WatchError> {
        self.collect(
            "SELECT s.id, s.started_ms, s.duration_ms, s.ok, s.error FROM scrapes s
             JOIN targets t ON t.id = s.target_id
             WHERE t.name = ?1 AND s.error IS NOT NULL
             ORDER BY s.started_ms DESC, s.id DESC LIMIT ?2",
            params![target, limit],
            scrape_row,
        )
    }

    /// Heap figures of the newest `limit` successful scrapes of `target`, oldest first.
    pub fn heap_series(&self, target: &str, limit: u32) -> Result<Vec<HeapPoint>, WatchError> {
        let mut points = self.collect(
            "SELECT s.started_ms, s.heap_inuse_bytes, s.map_inuse_bytes, m.heap_alloc_bytes
             FROM scrapes s JOIN targets t ON t.id = s.target_id
             LEFT JOIN memstats m ON m.scrape_id = s.id
             WHERE t.name = ?1 AND s.ok = 1
             ORDER BY s.started_ms DESC, s.id DESC LIMIT ?2",
            params![target, limit],
            |r| {
                Ok(HeapPoint {
                    started_ms: r.get(0)?,
                    heap_inuse_bytes: r.get(1)?,
                    map_inuse_bytes: r.get(2)?,
                    heap_alloc_bytes: r.get(3)?,
                })
            },
        )?;
        points.reverse();
        Ok(points)
    }

    /// Map bytes of `site` over the newest `limit` successful scrapes of `target`, oldest first
    /// (0 where the site was absent).
    pub fn site_series(
        &self,
        target: &str,
        site: &str,
        limit: u32,
    ) -> Result<Vec<SitePoint>, WatchError> {
        let mut points = self.collect(
            "SELECT s.started_ms, coalesce(b.bytes, 0) FROM scrapes s
             JOIN targets t ON t.id = s.target_id
             LEFT JOIN site_bytes b ON b.scrape_id = s.id AND b.site = ?2
             WHERE t.name = ?1 AND s.ok = 1
             ORDER BY s.started_ms DESC, s.id DESC LIMIT ?3",
            params![target, site, limit],
            |r| {
                Ok(SitePoint {
                    started_ms: r.get(0)?,
                    bytes: r.get(1)?,
                })
            },
        )?;
        points.reverse();
        Ok(points)
    }

    fn collect<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, WatchError> {
        let run = || -> rusqlite::Result<Vec<T>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            stmt.query_map(params, map)?.collect()
        };
        run().map_err(store_err(&self.path))
    }
}

fn scrape_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ScrapeRow> {
    Ok(ScrapeRow {
        id: r.get(0)?,
        started_ms: r.get(1)?,
        duration_ms: r.get(2)?,
        ok: r.get(3)?,
        error: r.get(4)?,
    })
}

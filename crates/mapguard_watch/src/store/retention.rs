//! Retention: scrapes older than the maximum age go, then the oldest while the data is too big.

use super::{Store, store_err};
use crate::config::Retention;
use crate::error::WatchError;

/// What one retention pass deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Scrapes older than the maximum age.
    pub by_age: usize,
    /// Oldest scrapes deleted to get under the size limit.
    pub by_size: usize,
}

impl Store {
    /// Bytes of live data (pages in use, free pages excluded).
    pub fn data_bytes(&self) -> Result<u64, WatchError> {
        let pragma = |name: &str| -> Result<i64, WatchError> {
            self.conn
                .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
                .map_err(store_err(&self.path))
        };
        let used = pragma("page_count")? - pragma("freelist_count")?;
        Ok(u64::try_from(used.max(0) * pragma("page_size")?).unwrap_or(0))
    }

    /// Applies `retention` as of `now_ms`; each deletion is its own transaction.
    pub fn prune(&mut self, retention: &Retention, now_ms: i64) -> Result<Pruned, WatchError> {
        let err = store_err(&self.path);
        let age_ms = i64::try_from(retention.max_age.as_millis()).unwrap_or(i64::MAX);
        let cutoff = now_ms.saturating_sub(age_ms);
        let by_age = self
            .conn
            .execute("DELETE FROM scrapes WHERE started_ms < ?1", [cutoff])
            .map_err(&err)?;
        let mut by_size = 0;
        while self.data_bytes()? > retention.max_bytes {
            let total: i64 = self
                .conn
                .query_row("SELECT count(*) FROM scrapes", [], |r| r.get(0))
                .map_err(&err)?;
            if total == 0 {
                break;
            }
            // A tenth at a time (at least one) keeps each pass short.
            let batch = (total / 10).max(1);
            by_size += self
                .conn
                .execute(
                    "DELETE FROM scrapes WHERE id IN
                     (SELECT id FROM scrapes ORDER BY started_ms, id LIMIT ?1)",
                    [batch],
                )
                .map_err(&err)?;
        }
        if by_age + by_size > 0 {
            self.conn
                .execute_batch(
                    "DELETE FROM targets WHERE id NOT IN (SELECT target_id FROM scrapes);
                                PRAGMA incremental_vacuum;",
                )
                .map_err(&err)?;
        }
        Ok(Pruned { by_age, by_size })
    }
}

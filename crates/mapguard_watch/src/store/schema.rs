//! The schema, versioned with `PRAGMA user_version`; each migration runs in its own transaction.

use rusqlite::Connection;

/// Migrations in order: `MIGRATIONS[i]` takes the schema from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[V1];

/// The newest schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const V1: &str = "
CREATE TABLE targets (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    url  TEXT NOT NULL
);
CREATE TABLE scrapes (
    id               INTEGER PRIMARY KEY,
    target_id        INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    started_ms       INTEGER NOT NULL,
    duration_ms      REAL NOT NULL,
    ok               INTEGER NOT NULL,
    error            TEXT,
    profile_time_ns  INTEGER,
    heap_inuse_bytes INTEGER,
    map_inuse_bytes  INTEGER
);
CREATE INDEX scrapes_by_target_time ON scrapes(target_id, started_ms);
CREATE INDEX scrapes_by_time ON scrapes(started_ms);
CREATE TABLE site_bytes (
    scrape_id INTEGER NOT NULL REFERENCES scrapes(id) ON DELETE CASCADE,
    site      TEXT NOT NULL,
    map_type  TEXT,
    bytes     INTEGER NOT NULL,
    objects   INTEGER NOT NULL,
    PRIMARY KEY (scrape_id, site)
) WITHOUT ROWID;
CREATE TABLE memstats (
    scrape_id        INTEGER PRIMARY KEY REFERENCES scrapes(id) ON DELETE CASCADE,
    heap_alloc_bytes REAL,
    heap_inuse_bytes REAL,
    live_heap_bytes  REAL,
    heap_goal_bytes  REAL,
    gc_count         INTEGER,
    gc_cpu_fraction  REAL
);
";

/// The schema version of an open database.
pub(crate) fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Applies the migrations after `from`, each with its version bump, in one transaction apiece.
pub(crate) fn migrate(conn: &mut Connection, from: i64) -> rusqlite::Result<()> {
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(from).unwrap_or(0))
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

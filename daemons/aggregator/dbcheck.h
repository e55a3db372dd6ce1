/*
 * daemons/aggregator/dbcheck.h — the database's checks at start (issue #17.6).
 *
 * Before the store opens DatabasePath: an existing file must pass SQLite's PRAGMA quick_check
 * (integrity_check with --check-db), else the aggregator refuses to start and says what to do
 * (restore the file from a backup, or move it away and start with --init). A missing file is
 * created only when no marker file (DatabasePath + ".created") says one existed, or with
 * --init; after the store opened, the marker is written if it is missing.
 */
#ifndef MPAVS_AGGREGATOR_DBCHECK_H
#define MPAVS_AGGREGATOR_DBCHECK_H

#include <stdbool.h>
#include <stddef.h>

/**
 * Check the database at path. In: init (--init given), full (--check-db: integrity_check).
 * Out: err (what is wrong and what to do). Returns true when the store may open it.
 */
bool agg_db_precheck(const char *path, bool init, bool full, char *err, size_t errcap);
/** Write the marker beside path if it is missing. Returns false (err set) when it cannot. */
bool agg_db_mark(const char *path, char *err, size_t errcap);

#endif

/* daemons/aggregator/dbcheck.c — see dbcheck.h. */
#include "aggregator/dbcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void marker_path(char *out, size_t cap, const char *path) { snprintf(out, cap, "%s.created", path); }

bool agg_db_precheck(const char *path, bool init, bool full, char *err, size_t errcap) {
    char marker[1100];
    marker_path(marker, sizeof marker, path);
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT) {
            snprintf(err, errcap, "database %s: %s", path, strerror(errno));
            return false;
        }
        if (!init && access(marker, F_OK) == 0) {
            snprintf(err, errcap,
                     "database %s is missing, but %s says one was created here: restore it from a backup "
                     "(with its -wal file, if any), or start once with --init to create an empty one (the "
                     "history of tasks and confirmations is then lost)",
                     path, marker);
            return false;
        }
        return true; /* a first start (or --init): the store creates it */
    }
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
    char detail[400] = "";
    bool ok = false;
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        sqlite3_stmt *q = NULL;
        rc = sqlite3_prepare_v2(db, full ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)", -1, &q, NULL);
        size_t rows = 0;
        bool only_ok = true;
        while (rc == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(q, 0);
            if (!t || strcmp(t, "ok") != 0) only_ok = false;
            size_t l = strlen(detail);
            if (l + 4 < sizeof detail) snprintf(detail + l, sizeof detail - l, "%s%s", rows ? "; " : "", t ? t : "?");
            rows++;
        }
        if (q && sqlite3_finalize(q) != SQLITE_OK) rc = SQLITE_CORRUPT;
        if (rc == SQLITE_OK && rows > 0 && only_ok) ok = true;
        else if (!detail[0]) snprintf(detail, sizeof detail, "%s", sqlite3_errmsg(db));
    } else {
        snprintf(detail, sizeof detail, "%s", db ? sqlite3_errmsg(db) : "cannot open");
    }
    sqlite3_close(db);
    if (!ok) {
        snprintf(err, errcap,
                 "database %s failed SQLite's %s (%s): stop, restore the file from a backup, or move it (and its "
                 "-wal and -shm files) away and start once with --init to begin an empty history (tasks and "
                 "confirmations it held are then unknown); see docs/aggregator.md, Storage",
                 path, full ? "integrity_check" : "quick_check", detail);
        return false;
    }
    return true;
}

bool agg_db_mark(const char *path, char *err, size_t errcap) {
    char marker[1100];
    marker_path(marker, sizeof marker, path);
    if (access(marker, F_OK) == 0) return true;
    int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        snprintf(err, errcap, "cannot create %s: %s", marker, strerror(errno));
        return false;
    }
    char line[160];
    int n = snprintf(line, sizeof line,
                     "mpavs-aggregator created its database beside this file at unix time %lld; while this file "
                     "exists it refuses to start without it (unless --init)\n",
                     (long long)time(NULL));
    bool ok = write(fd, line, (size_t)n) == n && fsync(fd) == 0;
    close(fd);
    if (!ok) snprintf(err, errcap, "cannot write %s", marker);
    return ok;
}

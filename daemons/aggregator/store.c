/* daemons/aggregator/store.c — see store.h. */
#include "aggregator/store.h"

#include "common/log.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A caller of agg_store_sigs_insert waiting for its rows to be committed (group commit). */
typedef struct sig_group_req {
    const agg_sig_row *rows;
    size_t n;
    bool ok, done;
    struct sig_group_req *next;
} sig_group_req;

struct agg_store {
    sqlite3 *db;
    pthread_mutex_t mu;
    /* group commit of admitted signatures: queue (FIFO) and whether a leader is committing */
    pthread_mutex_t gmu;
    pthread_cond_t gcv;
    sig_group_req *gq, *gq_tail;
    bool gbusy;
};

static const char *SCHEMA =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "CREATE TABLE IF NOT EXISTS tasks(type INTEGER NOT NULL, id INTEGER NOT NULL, ref_block INTEGER NOT NULL,"
    " created_ms INTEGER NOT NULL, ext TEXT NOT NULL, metadata BLOB, status INTEGER NOT NULL DEFAULT 0,"
    " digest BLOB, tx_hash BLOB, confirm_block INTEGER, gas_used INTEGER, confirmed_ms INTEGER, seq INTEGER,"
    " signers TEXT, non_signers TEXT, error TEXT, PRIMARY KEY(type, id));"
    "CREATE INDEX IF NOT EXISTS tasks_seq ON tasks(seq);"
    "CREATE TABLE IF NOT EXISTS sigs(type INTEGER NOT NULL, task_id INTEGER NOT NULL, operator_id BLOB NOT NULL,"
    " digest BLOB NOT NULL, sig BLOB NOT NULL, prover_sig BLOB NOT NULL, state BLOB NOT NULL, metadata BLOB NOT NULL,"
    " admitted_ms INTEGER NOT NULL, PRIMARY KEY(type, task_id, operator_id));"
    "CREATE TABLE IF NOT EXISTS pubkeys(address BLOB PRIMARY KEY, g1 BLOB NOT NULL, g2 BLOB NOT NULL,"
    " block INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);";

agg_store *agg_store_open(const char *path, char *errbuf, size_t errcap) {
    agg_store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(errbuf, errcap, "out of memory");
        return NULL;
    }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) !=
        SQLITE_OK) {
        snprintf(errbuf, errcap, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        sqlite3_close(s->db);
        free(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, 5000);
    char *e = NULL;
    if (sqlite3_exec(s->db, SCHEMA, NULL, NULL, &e) != SQLITE_OK) {
        snprintf(errbuf, errcap, "%s: %s", path, e ? e : "schema failed");
        sqlite3_free(e);
        sqlite3_close(s->db);
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->gmu, NULL);
    pthread_cond_init(&s->gcv, NULL);
    return s;
}

void agg_store_close(agg_store *s) {
    if (!s) return;
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->gmu);
    pthread_cond_destroy(&s->gcv);
    free(s);
}

static void db_error(agg_store *s, const char *what) {
    dlog(DLOG_ERROR, "db_error", "op=%s error=%s", what, DLOG_Q(sqlite3_errmsg(s->db)));
}

/* Prepare, or log and return NULL. */
static sqlite3_stmt *prep(agg_store *s, const char *sql) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        db_error(s, "prepare");
        return NULL;
    }
    return st;
}

/* Step a statement that returns no rows, finalize it. */
static bool run(agg_store *s, sqlite3_stmt *st, const char *what) {
    if (!st) return false;
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_error(s, what);
        return false;
    }
    return true;
}

static void bind_blob(sqlite3_stmt *st, int i, const void *p, size_t n) {
    if (p) sqlite3_bind_blob(st, i, p, (int)n, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

static void bind_text(sqlite3_stmt *st, int i, const char *t) {
    if (t) sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

bool agg_store_task_insert(agg_store *s, const agg_task_row *t, bool *inserted) {
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, "INSERT OR IGNORE INTO tasks(type,id,ref_block,created_ms,ext,metadata,status) "
                               "VALUES(?,?,?,?,?,?,?)");
    if (st) {
        sqlite3_bind_int(st, 1, t->type);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)t->id);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)t->ref_block);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)t->created_ms);
        bind_text(st, 5, t->ext ? t->ext : "null");
        bind_blob(st, 6, t->metadata, t->metadata_len);
        sqlite3_bind_int(st, 7, t->status);
    }
    bool ok = run(s, st, "task_insert");
    if (inserted) *inserted = ok && sqlite3_changes(s->db) > 0;
    pthread_mutex_unlock(&s->mu);
    return ok;
}

bool agg_store_task_status(agg_store *s, int type, uint64_t id, int status, const char *error) {
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, "UPDATE tasks SET status=?, error=? WHERE type=? AND id=?");
    if (st) {
        sqlite3_bind_int(st, 1, status);
        bind_text(st, 2, error);
        sqlite3_bind_int(st, 3, type);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)id);
    }
    bool ok = run(s, st, "task_status");
    pthread_mutex_unlock(&s->mu);
    return ok;
}

bool agg_store_task_confirmed(agg_store *s, agg_task_row *t) {
    pthread_mutex_lock(&s->mu);
    uint64_t seq = 1;
    sqlite3_stmt *q = prep(s, "SELECT COALESCE(MAX(seq),0)+1 FROM tasks");
    if (q && sqlite3_step(q) == SQLITE_ROW) seq = (uint64_t)sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    t->seq = seq;
    sqlite3_stmt *st = prep(s, "UPDATE tasks SET status=2, digest=?, tx_hash=?, confirm_block=?, gas_used=?, "
                               "confirmed_ms=?, seq=?, signers=?, non_signers=?, error=NULL WHERE type=? AND id=?");
    if (st) {
        bind_blob(st, 1, t->digest, 32);
        bind_blob(st, 2, t->tx_hash, 32);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)t->confirm_block);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)t->gas_used);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)t->confirmed_ms);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)seq);
        bind_text(st, 7, t->signers);
        bind_text(st, 8, t->non_signers);
        sqlite3_bind_int(st, 9, t->type);
        sqlite3_bind_int64(st, 10, (sqlite3_int64)t->id);
    }
    bool ok = run(s, st, "task_confirmed");
    pthread_mutex_unlock(&s->mu);
    return ok;
}

void agg_task_row_clear(agg_task_row *t) {
    free(t->ext);
    free(t->metadata);
    free(t->signers);
    free(t->non_signers);
    free(t->error);
    free(t->state);
    memset(t, 0, sizeof *t);
}

/* Insert the rows of every request of a group in one transaction (s->mu held). */
static bool sigs_insert_txn(agg_store *s, const sig_group_req *reqs) {
    bool ok = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_stmt *st = ok ? prep(s, "INSERT OR IGNORE INTO sigs(type,task_id,operator_id,digest,sig,prover_sig,"
                                    "state,metadata,admitted_ms) VALUES(?,?,?,?,?,?,?,?,?)")
                          : NULL;
    for (const sig_group_req *q = reqs; ok && st && q; q = q->next)
        for (size_t i = 0; ok && i < q->n; i++) {
            const agg_sig_row *r = &q->rows[i];
            sqlite3_reset(st);
            sqlite3_bind_int(st, 1, r->type);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)r->task_id);
            bind_blob(st, 3, r->operator_id, 32);
            bind_blob(st, 4, r->digest, 32);
            bind_blob(st, 5, r->sig, 64);
            bind_blob(st, 6, r->prover_sig, 65);
            bind_blob(st, 7, r->state ? r->state : (const uint8_t *)"", r->state_len);
            bind_blob(st, 8, r->metadata ? r->metadata : (const uint8_t *)"", r->metadata_len);
            sqlite3_bind_int64(st, 9, (sqlite3_int64)r->admitted_ms);
            if (sqlite3_step(st) != SQLITE_DONE) ok = false;
        }
    sqlite3_finalize(st);
    if (!st) ok = false;
    if (ok) ok = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
    if (!ok) {
        db_error(s, "sigs_insert");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return ok;
}

/*
 * Commit a group taken from the queue: one transaction (one fsync) for all of it; when that
 * fails, each request in its own transaction, so one bad request fails alone.
 */
static void sigs_commit_group(agg_store *s, sig_group_req *reqs) {
    pthread_mutex_lock(&s->mu);
    bool ok = sigs_insert_txn(s, reqs);
    for (sig_group_req *q = reqs; q; q = q->next) {
        if (ok || !reqs->next) {
            q->ok = ok;
            continue;
        }
        sig_group_req *next = q->next;
        q->next = NULL;
        q->ok = sigs_insert_txn(s, q);
        q->next = next;
    }
    pthread_mutex_unlock(&s->mu);
}

/*
 * Group commit (leader/follower, as verify.c batches BLS checks): a caller queues its rows; if
 * no commit is running it becomes the leader, takes every queued request and commits them in
 * one transaction; callers arriving meanwhile wait for the next group. Every caller returns
 * only after its own rows are committed (fsync'd), so admission still persists before it
 * answers; a lone caller costs one transaction as before. Rows are committed in queue order.
 */
bool agg_store_sigs_insert(agg_store *s, const agg_sig_row *rows, size_t n) {
    if (!n) return true;
    sig_group_req me = {.rows = rows, .n = n};
    pthread_mutex_lock(&s->gmu);
    if (s->gq_tail) s->gq_tail->next = &me;
    else s->gq = &me;
    s->gq_tail = &me;
    while (!me.done) {
        if (s->gbusy) {
            pthread_cond_wait(&s->gcv, &s->gmu);
            continue;
        }
        s->gbusy = true;
        sig_group_req *take = s->gq;
        s->gq = s->gq_tail = NULL;
        pthread_mutex_unlock(&s->gmu);
        sigs_commit_group(s, take);
        pthread_mutex_lock(&s->gmu);
        for (sig_group_req *q = take; q;) {
            sig_group_req *next = q->next; /* q's owner may return as soon as done is set and gmu released */
            q->done = true;
            q = next;
        }
        s->gbusy = false;
        pthread_cond_broadcast(&s->gcv);
    }
    pthread_mutex_unlock(&s->gmu);
    return me.ok;
}

static char *col_text(sqlite3_stmt *st, int i) {
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *)t) : NULL;
}

static void col_blob(sqlite3_stmt *st, int i, uint8_t *out, size_t n) {
    const void *b = sqlite3_column_blob(st, i);
    if (b && (size_t)sqlite3_column_bytes(st, i) == n) memcpy(out, b, n);
    else memset(out, 0, n);
}

#define TASK_COLS "type,id,ref_block,created_ms,ext,metadata,status,digest,tx_hash,confirm_block,gas_used," \
                  "confirmed_ms,seq,signers,non_signers,error"

static void read_task(sqlite3_stmt *st, agg_task_row *t) {
    memset(t, 0, sizeof *t);
    t->type = sqlite3_column_int(st, 0);
    t->id = (uint64_t)sqlite3_column_int64(st, 1);
    t->ref_block = (uint64_t)sqlite3_column_int64(st, 2);
    t->created_ms = (uint64_t)sqlite3_column_int64(st, 3);
    t->ext = col_text(st, 4);
    int ml = sqlite3_column_bytes(st, 5);
    const void *m = sqlite3_column_blob(st, 5);
    if (m && ml > 0 && (t->metadata = malloc((size_t)ml))) {
        memcpy(t->metadata, m, (size_t)ml);
        t->metadata_len = (size_t)ml;
    }
    t->status = sqlite3_column_int(st, 6);
    col_blob(st, 7, t->digest, 32);
    col_blob(st, 8, t->tx_hash, 32);
    t->confirm_block = (uint64_t)sqlite3_column_int64(st, 9);
    t->gas_used = (uint64_t)sqlite3_column_int64(st, 10);
    t->confirmed_ms = (uint64_t)sqlite3_column_int64(st, 11);
    t->seq = (uint64_t)sqlite3_column_int64(st, 12);
    t->signers = col_text(st, 13);
    t->non_signers = col_text(st, 14);
    t->error = col_text(st, 15);
}

static bool each_task(agg_store *s, sqlite3_stmt *st, void (*fn)(void *, const agg_task_row *), void *user) {
    if (!st) return false;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        agg_task_row t;
        read_task(st, &t);
        fn(user, &t);
        agg_task_row_clear(&t);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) db_error(s, "load_tasks");
    return rc == SQLITE_DONE;
}

bool agg_store_load_tasks(agg_store *s, void (*fn)(void *user, const agg_task_row *t), void *user,
                          uint64_t created_after_ms) {
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, "SELECT " TASK_COLS " FROM tasks WHERE status IN (0,1) OR created_ms > ? OR "
                               "id = (SELECT MAX(id) FROM tasks t2 WHERE t2.type = tasks.type) ORDER BY type, id");
    if (st) sqlite3_bind_int64(st, 1, (sqlite3_int64)created_after_ms);
    bool ok = each_task(s, st, fn, user);
    pthread_mutex_unlock(&s->mu);
    return ok;
}

/* A confirmed task's signature on its digest: where its state and metadata are kept. */
#define CONFIRMED_SIG(col)                                                                                          \
    "(SELECT " col " FROM sigs WHERE sigs.type=tasks.type AND sigs.task_id=tasks.id AND sigs.digest=tasks.digest "   \
    "LIMIT 1)"
/* TASK_COLS with the confirmed metadata in place of the expected one, then the confirmed state. */
#define CONFIRM_COLS                                                                                                \
    "type,id,ref_block,created_ms,ext,COALESCE(metadata," CONFIRMED_SIG("metadata") "),status,digest,tx_hash,"        \
    "confirm_block,gas_used,confirmed_ms,seq,signers,non_signers,error," CONFIRMED_SIG("state")

bool agg_store_confirmations(agg_store *s, const agg_confirm_query *q, void (*fn)(void *user, const agg_task_row *t),
                             void *user) {
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, q->latest ? "SELECT * FROM (SELECT " CONFIRM_COLS " FROM tasks WHERE status=2 AND "
                                           "seq > ?1 AND (?2 = 0 OR type = ?2) AND (?3 IS NULL OR COALESCE(metadata, "
                                           CONFIRMED_SIG("metadata") ") = ?3) ORDER BY seq DESC LIMIT 1)"
                                         : "SELECT " CONFIRM_COLS " FROM tasks WHERE status=2 AND seq > ?1 AND (?2 = 0 "
                                           "OR type = ?2) AND (?3 IS NULL OR COALESCE(metadata, "
                                           CONFIRMED_SIG("metadata") ") = ?3) ORDER BY seq LIMIT ?4");
    int rc = SQLITE_DONE;
    if (st) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)q->since);
        sqlite3_bind_int(st, 2, q->type);
        if (q->metadata) sqlite3_bind_blob(st, 3, q->metadata_len ? (const void *)q->metadata : "", (int)q->metadata_len,
                                           SQLITE_TRANSIENT);
        else sqlite3_bind_null(st, 3);
        if (!q->latest) sqlite3_bind_int64(st, 4, (sqlite3_int64)q->max);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            agg_task_row t;
            read_task(st, &t);
            int sl = sqlite3_column_bytes(st, 16);
            const void *sv = sqlite3_column_blob(st, 16);
            if (sv && sl > 0 && (t.state = malloc((size_t)sl))) {
                memcpy(t.state, sv, (size_t)sl);
                t.state_len = (size_t)sl;
            }
            fn(user, &t);
            agg_task_row_clear(&t);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) db_error(s, "confirmations");
    }
    pthread_mutex_unlock(&s->mu);
    return st && rc == SQLITE_DONE;
}

bool agg_store_task_counts(agg_store *s, uint64_t counts[5]) {
    memset(counts, 0, 5 * sizeof counts[0]);
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, "SELECT status, COUNT(*) FROM tasks GROUP BY status");
    int rc = SQLITE_DONE;
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int k = sqlite3_column_int(st, 0);
        if (k >= 0 && k < 5) counts[k] = (uint64_t)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->mu);
    return st && rc == SQLITE_DONE;
}

bool agg_store_load_sigs(agg_store *s, int type, uint64_t id, void (*fn)(void *user, const agg_sig_row *r),
                         void *user) {
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, "SELECT operator_id,digest,sig,prover_sig,state,admitted_ms,metadata FROM sigs WHERE type=? "
                               "AND task_id=? ORDER BY rowid");
    int rc = SQLITE_DONE;
    if (st) {
        sqlite3_bind_int(st, 1, type);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)id);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            agg_sig_row r;
            memset(&r, 0, sizeof r);
            r.type = type;
            r.task_id = id;
            col_blob(st, 0, r.operator_id, 32);
            col_blob(st, 1, r.digest, 32);
            col_blob(st, 2, r.sig, 64);
            col_blob(st, 3, r.prover_sig, 65);
            r.state = (uint8_t *)sqlite3_column_blob(st, 4);
            r.state_len = (size_t)sqlite3_column_bytes(st, 4);
            r.admitted_ms = (uint64_t)sqlite3_column_int64(st, 5);
            r.metadata = (uint8_t *)sqlite3_column_blob(st, 6);
            r.metadata_len = (size_t)sqlite3_column_bytes(st, 6);
            fn(user, &r);
        }
        sqlite3_finalize(st);
    }
    if (rc != SQLITE_DONE) db_error(s, "load_sigs");
    pthread_mutex_unlock(&s->mu);
    return st && rc == SQLITE_DONE;
}

uint64_t agg_store_meta_get(agg_store *s, const char *key, uint64_t def) {
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, "SELECT value FROM meta WHERE key=?");
    uint64_t v = def;
    if (st) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) v = (uint64_t)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&s->mu);
    return v;
}

bool agg_store_meta_set(agg_store *s, const char *key, uint64_t value) {
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, "INSERT INTO meta(key,value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET "
                               "value=excluded.value");
    if (st) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)value);
    }
    bool ok = run(s, st, "meta_set");
    pthread_mutex_unlock(&s->mu);
    return ok;
}

bool agg_store_pubkeys_save(agg_store *s, const mpavs_registry_pubkey *keys, size_t n, uint64_t scanned_to) {
    pthread_mutex_lock(&s->mu);
    bool ok = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_stmt *st = ok ? prep(s, "INSERT INTO pubkeys(address,g1,g2,block) VALUES(?,?,?,?) ON CONFLICT(address) "
                                    "DO UPDATE SET g1=excluded.g1, g2=excluded.g2, block=excluded.block WHERE "
                                    "excluded.block >= pubkeys.block")
                          : NULL;
    for (size_t i = 0; ok && st && i < n; i++) {
        uint8_t g1[64], g2[128];
        mpavs_bn254_g1_encode(g1, &keys[i].g1);
        mpavs_bn254_g2_encode(g2, &keys[i].g2);
        sqlite3_reset(st);
        bind_blob(st, 1, keys[i].address, 20);
        bind_blob(st, 2, g1, 64);
        bind_blob(st, 3, g2, 128);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)keys[i].block_number);
        if (sqlite3_step(st) != SQLITE_DONE) ok = false;
    }
    sqlite3_finalize(st);
    if (n && !st) ok = false;
    sqlite3_stmt *m = ok ? prep(s, "INSERT INTO meta(key,value) VALUES('pubkeys_scanned_to',?) ON CONFLICT(key) DO "
                                   "UPDATE SET value=excluded.value")
                         : NULL;
    if (m) {
        sqlite3_bind_int64(m, 1, (sqlite3_int64)scanned_to);
        ok = sqlite3_step(m) == SQLITE_DONE;
        sqlite3_finalize(m);
    } else {
        ok = false;
    }
    if (ok) ok = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
    if (!ok) {
        db_error(s, "pubkeys_save");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
    pthread_mutex_unlock(&s->mu);
    return ok;
}

bool agg_store_pubkeys_load(agg_store *s, mpavs_registry_pubkey **keys, size_t *n) {
    *keys = NULL;
    *n = 0;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, "SELECT address,g1,g2,block FROM pubkeys");
    bool ok = st != NULL;
    size_t cap = 0;
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            mpavs_registry_pubkey *k = realloc(*keys, cap * sizeof **keys);
            if (!k) {
                ok = false;
                break;
            }
            *keys = k;
        }
        mpavs_registry_pubkey *k = &(*keys)[*n];
        uint8_t g1[64], g2[128];
        col_blob(st, 0, k->address, 20);
        col_blob(st, 1, g1, 64);
        col_blob(st, 2, g2, 128);
        k->block_number = (uint64_t)sqlite3_column_int64(st, 3);
        if (mpavs_bn254_g1_decode(&k->g1, g1) || mpavs_bn254_g2_decode(&k->g2, g2)) continue; /* corrupt: skip */
        (*n)++;
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->mu);
    if (!ok) {
        free(*keys);
        *keys = NULL;
        *n = 0;
    }
    return ok;
}

/*
 * daemons/common/config.h — JSON configuration files with every problem reported at once.
 *
 * Load a file with dconf_load(), read typed values by dotted path ("server.listen") with the
 * dconf_* getters, and add domain checks with dconf_error(). Problems accumulate in c->errors
 * (one per line, at most DCONF_MAX_ERRORS); after reading everything, dconf_failed() says
 * whether to print c->errors and exit. Getters never abort: a missing or ill-typed value
 * records an error (when required or ill-typed) and leaves the default in place.
 */
#ifndef MPAVS_DAEMON_CONFIG_H
#define MPAVS_DAEMON_CONFIG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DCONF_MAX_ERRORS 32

typedef struct {
    json_t *root;      /* the parsed file (owned) */
    char errors[4096]; /* accumulated problems, one per line */
    size_t nerrors;
    bool nocase; /* keys matched ASCII case-insensitively (dconf_set_nocase) */
} dconf;

/** Load and parse path (≤ 1 MiB, a JSON object). Returns false (with an error recorded) if not. */
bool dconf_load(dconf *c, const char *path);
/**
 * From now on match object keys as Go's encoding/json does: an exact match wins, else the first
 * key equal ignoring ASCII case. Applies to every getter and to dconf_check_keys. Off after
 * dconf_load (exact matching, the default the prover and aggregator rely on).
 */
void dconf_set_nocase(dconf *c, bool on);
/** Object member key in obj, matched as c says (exact, or case-insensitively). Borrowed, or NULL. */
json_t *dconf_member(const dconf *c, json_t *obj, const char *key);
/** Release the parsed document. */
void dconf_free(dconf *c);
/**
 * Record a problem (printf format, "<field path>: <what is wrong>"). One problem per field: a
 * message about a field already reported (same text before the first ": ") is left out.
 */
void dconf_error(dconf *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** True when at least one problem was recorded. */
bool dconf_failed(const dconf *c);
/** The value at a dotted path, or NULL (borrowed reference). */
json_t *dconf_get(const dconf *c, const char *path);
/** A string value (borrowed, valid while c lives), or def. Records an error if ill-typed or required and missing. */
const char *dconf_str(dconf *c, const char *path, const char *def, bool required);
/** A non-negative integer (JSON number, or decimal string). Out: *out (def when absent). */
bool dconf_u64(dconf *c, const char *path, uint64_t *out, uint64_t def, bool required);
/** A boolean. Out: *out (def when absent). */
bool dconf_bool(dconf *c, const char *path, bool *out, bool def);
/**
 * Record an error for every key of the object at path (NULL = top level) not in the
 * NULL-terminated list known (catches typos).
 */
void dconf_check_keys(dconf *c, const char *path, const char *const *known);

#endif

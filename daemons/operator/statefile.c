/*
 * daemons/operator/statefile.c — the last task id signed per task type, kept across restarts:
 * {"last_signed":{"<type>":<id>,…}}. Written before each signature (tmp + fsync + rename +
 * directory fsync) so a crash never lets the operator sign a task id ≤ one it already signed.
 */
#include "operator/operator.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool op_state_load(op *o, char *msg, size_t cap) {
    json_error_t je;
    FILE *f = fopen(o->cfg.state_file, "rb");
    if (!f) {
        if (errno == ENOENT) return true;
        snprintf(msg, cap, "StateFile %s: %s", o->cfg.state_file, strerror(errno));
        return false;
    }
    json_t *j = json_loadf(f, 0, &je);
    fclose(f);
    json_t *ls = json_object_get(j, "last_signed");
    if (!json_is_object(ls)) {
        snprintf(msg, cap, "StateFile %s: not {\"last_signed\":{…}} (%s): fix or remove it", o->cfg.state_file,
                 j ? "wrong shape" : je.text);
        json_decref(j);
        return false;
    }
    for (int t = 1; t <= OP_TYPES; t++) {
        char k[4];
        snprintf(k, sizeof k, "%d", t);
        json_t *v = json_object_get(ls, k);
        if (json_is_integer(v) && json_integer_value(v) >= 0) o->last_signed[t] = (uint64_t)json_integer_value(v);
    }
    json_decref(j);
    return true;
}

static bool write_all(int fd, const char *s, size_t n) {
    while (n) {
        ssize_t k = write(fd, s, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        s += k;
        n -= (size_t)k;
    }
    return true;
}

static bool save(const char *path, const uint64_t *last) {
    char text[64 + 32 * OP_TYPES], tmp[1100];
    int n = snprintf(text, sizeof text, "{\"last_signed\":{");
    for (int t = 1; t <= OP_TYPES; t++) /* every type id, as {"1":…,"2":…,"3":…} */
        n += snprintf(text + n, sizeof text - (size_t)n, "%s\"%d\":%" PRIu64, t == 1 ? "" : ",", t, last[t]);
    n += snprintf(text + n, sizeof text - (size_t)n, "}}\n");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    bool ok = write_all(fd, text, (size_t)n) && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return false;
    }
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return true;
}

bool op_state_record(op *o, uint64_t type, uint64_t id) {
    pthread_mutex_lock(&o->lock);
    bool ok = id > o->last_signed[type];
    uint64_t last[OP_TYPES + 1];
    if (ok) {
        memcpy(last, o->last_signed, sizeof last);
        last[type] = id;
        ok = save(o->cfg.state_file, last);
        if (ok) o->last_signed[type] = id;
        else dlog(DLOG_ERROR, "state_file_failed", "path=%s error=%s action=\"not signing task %" PRIu64 "\"",
                  o->cfg.state_file, DLOG_Q(strerror(errno)), id);
    } else {
        dlog(DLOG_WARN, "task_not_signed", "type=%" PRIu64 " task_id=%" PRIu64 " reason=\"already signed up to %"
             PRIu64 "\"", type, id, o->last_signed[type]);
    }
    pthread_mutex_unlock(&o->lock);
    return ok;
}

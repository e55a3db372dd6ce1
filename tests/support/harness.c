#include "harness.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

int harness_failed_checks;
static int passed, failed;
static const char *current;

void harness_fail(const char *file, int line, const char *what) {
    harness_failed_checks++;
    fprintf(stderr, "  FAIL %s (%s:%d): %s\n", current ? current : "?", file, line, what);
}

void harness_run(const char *name, void (*fn)(void)) {
    int before = harness_failed_checks;
    current = name;
    fn();
    if (harness_failed_checks == before) {
        passed++;
        printf("ok   %s\n", name);
    } else {
        failed++;
        printf("FAIL %s\n", name);
    }
    fflush(stdout);
    current = NULL;
}

int harness_summary(void) {
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

static char pathbuf[4096];

const char *harness_path(const char *rel) {
    const char *root = getenv("MPAVS_ROOT");
    snprintf(pathbuf, sizeof pathbuf, "%s/%s", root ? root : ".", rel);
    return pathbuf;
}

const char *harness_shared(const char *rel) {
    const char *sh = getenv("MPAVS_SHARED");
    if (sh) snprintf(pathbuf, sizeof pathbuf, "%s/%s", sh, rel);
    else {
        const char *root = getenv("MPAVS_ROOT");
        snprintf(pathbuf, sizeof pathbuf, "%s/../shared/%s", root ? root : ".", rel);
    }
    return pathbuf;
}

unsigned char *harness_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    unsigned char *b = malloc(cap + 1);
    size_t r;
    while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            unsigned char *nb = realloc(b, cap * 2 + 1);
            if (!nb) { free(b); b = NULL; break; }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!b) return NULL;
    b[n] = 0;
    if (len) *len = n;
    return b;
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

long harness_unhex(unsigned char *out, size_t cap, const char *hex) {
    if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex += 2;
    size_t n = strlen(hex);
    if (n % 2 || n / 2 > cap) return -1;
    for (size_t i = 0; i < n / 2; i++) {
        int h = hexval(hex[2 * i]), l = hexval(hex[2 * i + 1]);
        if (h < 0 || l < 0) return -1;
        out[i] = (unsigned char)(h << 4 | l);
    }
    return (long)(n / 2);
}

const char *harness_hex(const unsigned char *b, size_t n) {
    static char buf[8192];
    static const char d[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < n && 2 * i + 2 < sizeof buf; i++) {
        buf[2 * i] = d[b[i] >> 4];
        buf[2 * i + 1] = d[b[i] & 15];
    }
    buf[2 * i] = 0;
    return buf;
}

void harness_walk_json(const char *dir, void (*fn)(void *arg, const char *path), void *arg) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(de->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < n; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
            harness_walk_json(p, fn, arg);
        else if (strstr(names[i], ".json"))
            fn(arg, p);
        free(names[i]);
    }
    free(names);
}

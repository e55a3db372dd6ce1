/* daemons/common/config_deployment.c — DeploymentFile (config_deployment.h). */
#include "common/config_deployment.h"

#include <string.h>
#include <sys/stat.h>

#define MAX_DEPLOYMENT_BYTES (1u << 20)

static const char ZERO_ADDRESS[] = "0x0000000000000000000000000000000000000000";

size_t dconf_apply_deployment(dconf *c, const dconf_deployment_map *map, size_t n) {
    json_t *pv = dconf_member(c, c->root, "DeploymentFile");
    if (!pv || json_is_null(pv)) return 0;
    const char *path = json_string_value(pv);
    if (!path || !*path) {
        dconf_error(c, "DeploymentFile: expected a path (the deployment.json of `mpavs avs deploy`)");
        return 0;
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_DEPLOYMENT_BYTES) {
        dconf_error(c, "DeploymentFile: %s: not a readable file of at most 1 MiB", path);
        return 0;
    }
    json_error_t je;
    json_t *d = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(d)) {
        dconf_error(c, "DeploymentFile: %s: %s", path, d ? "not a JSON object" : je.text);
        json_decref(d);
        return 0;
    }
    size_t filled = 0;
    for (size_t i = 0; i < n; i++) {
        if (dconf_member(c, c->root, map[i].config_field)) continue; /* given in the configuration: it wins */
        json_t *v = json_object_get(d, map[i].deployment_key);
        if (!v || json_is_null(v)) continue;
        const char *s = json_string_value(v);
        if (!s) {
            dconf_error(c, "DeploymentFile: %s: \"%s\" is not a string", path, map[i].deployment_key);
            continue;
        }
        if (!*s || strcmp(s, ZERO_ADDRESS) == 0) continue;
        json_t *val = json_string(s);
        if (map[i].shape == DCONF_DEP_LAYER) val = json_pack("[{s:i,s:o}]", "Version", 2, "Address", val);
        json_object_set_new(c->root, map[i].config_field, val);
        filled++;
    }
    json_decref(d);
    return filled;
}

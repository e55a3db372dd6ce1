/*
 * daemons/common/config_deployment.h — a daemon configuration's DeploymentFile: the
 * deployment.json that `mpavs avs deploy` (or `mpavs devnet deploy`) wrote, whose addresses and
 * rpcUrl fill the configuration fields the file does not give itself (fields given win).
 */
#ifndef MPAVS_DAEMON_CONFIG_DEPLOYMENT_H
#define MPAVS_DAEMON_CONFIG_DEPLOYMENT_H

#include "common/config.h"

#include <stddef.h>

/** How a deployment value becomes a configuration value. */
typedef enum {
    DCONF_DEP_STRING, /* the string itself */
    DCONF_DEP_LAYER,  /* [{"Version": 2, "Address": value}]: one attestation layer (the aggregator's) */
} dconf_deployment_shape;

/** One filled field: the deployment file's key and the configuration's top-level field. */
typedef struct {
    const char *deployment_key; /* "registryCoordinator", "rpcUrl", ... */
    const char *config_field;   /* "AVSRegistryCoordinatorAddress", ... */
    dconf_deployment_shape shape;
} dconf_deployment_map;

/**
 * If c's root has "DeploymentFile" (a path; relative paths are taken from the working directory),
 * read that file (a JSON object, ≤ 1 MiB) and, for each row of map whose config_field c lacks,
 * set it to the deployment's string value (a zero address counts as absent). Problems (unreadable
 * file, a key that is not a string) are recorded on c. Returns the number of fields filled.
 */
size_t dconf_apply_deployment(dconf *c, const dconf_deployment_map *map, size_t n);

#endif

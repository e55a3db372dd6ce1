/*
 * daemons/prover/config.h — mpavs-prover's configuration table (daemons/common/config_table.h):
 * every field of its JSON configuration with type, default, check and meaning. main.c reads
 * the values; the table drives the key rules, --print-config-template, --print-config-reference
 * and the generated section of daemons/prover/README.md.
 */
#ifndef MPAVS_PROVER_CONFIG_H
#define MPAVS_PROVER_CONFIG_H

#include "common/config_table.h"

#define PROVER_VERSION "mpavs-prover/0.1.0"

extern const dcf_table prover_config;

#endif

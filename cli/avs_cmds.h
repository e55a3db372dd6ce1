/*
 * cli/avs_cmds.h — the subcommands of `mpavs avs` (the AVS team's tools: deploy, administer,
 * inspect an AVS). Each lives in its own cli/cmd_avs_*.c file; cli/cmd_avs.c holds the table.
 */
#ifndef MPAVS_CLI_AVS_CMDS_H
#define MPAVS_CLI_AVS_CMDS_H

/** `mpavs avs networks [--json]`: the built-in network presets (EigenLayer core, DCAP). cmd_avs.c */
int cmd_avs_networks(int argc, char **argv);

#endif

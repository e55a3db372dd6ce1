/*
 * cli/avs_cmds.h — the subcommands of `mpavs avs` (the AVS team's tools: deploy, administer,
 * inspect an AVS). Each lives in its own cli/cmd_avs_*.c file; cli/cmd_avs.c holds the table.
 */
#ifndef MPAVS_CLI_AVS_CMDS_H
#define MPAVS_CLI_AVS_CMDS_H

/** `mpavs avs networks [--json]`: the built-in network presets (EigenLayer core, DCAP). cmd_avs.c */
int cmd_avs_networks(int argc, char **argv);

/* Administration transactions (cli/avs_tx.c runs them). cmd_avs_admin.c */
int cmd_avs_quorum(int argc, char **argv);
int cmd_avs_committee(int argc, char **argv);
int cmd_avs_tee_quorum(int argc, char **argv);
int cmd_avs_poa(int argc, char **argv);
int cmd_avs_role(int argc, char **argv);
int cmd_avs_liveness(int argc, char **argv);
int cmd_avs_pause(int argc, char **argv);
int cmd_avs_unpause(int argc, char **argv);
/* Attestation policies. cmd_avs_policy.c */
int cmd_avs_policy(int argc, char **argv);
int cmd_avs_allowlist(int argc, char **argv);
/** `mpavs avs status [--json]`: the AVS's whole configuration read from the chain. cmd_avs_status.c */
int cmd_avs_status(int argc, char **argv);

/** `mpavs avs deploy`: the AVS contracts on an existing EigenLayer core. cmd_avs_deploy.c */
int cmd_avs_deploy(int argc, char **argv);

/** `mpavs avs td-identity`: keccak256(MRTD || RTMR0..3 || MRCONFIGID) of a TD. cmd_avs_tdid.c */
int cmd_avs_td_identity(int argc, char **argv);

#endif

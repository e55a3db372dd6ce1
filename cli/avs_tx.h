/*
 * cli/avs_tx.h — the administration transactions of `mpavs avs` (cli/avs_tx.c runs them): a table
 * of rows (group, name, target contract, Solidity signature with parameter names), each run from
 * its positional arguments with a preview (target, function, decoded arguments, gas estimate), a
 * confirmation unless --yes, --dry-run (eth_call only, nothing sent), the fee flags, the hash of
 * the sent transaction and reverts decoded with the project's custom error names.
 */
#ifndef MPAVS_CLI_AVS_TX_H
#define MPAVS_CLI_AVS_TX_H

#include "cli.h"

#include "mpavs/sender.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The contract an administration transaction goes to. */
typedef enum {
    AVS_SERVICE_MANAGER = 1,
    AVS_REGISTRY_COORDINATOR,
    AVS_STAKE_REGISTRY,
    AVS_LIVENESS_VERIFIER,
    AVS_ATTESTATION_VERIFIER, /* TEELivenessVerifier.attestationVerifier() */
} avs_target;

/* One administration command: `mpavs avs GROUP NAME ARG...`. */
typedef struct {
    const char *name;      /* "add" */
    avs_target target;
    const char *signature; /* "addCommittee((uint256 id,string description,bytes metadata,bytes teeQuorumNumbers) committee)" */
    const char *summary;   /* one line */
    const char *usage;     /* the positionals, e.g. "ID DESCRIPTION METADATA TEE_QUORUMS"; "" for none */
    const char *detail;    /* more help (may be NULL) */
} avs_tx_spec;

/* The options every administration command takes (help text). */
extern const char AVS_TX_OPTS[];

/*
 * Run `mpavs avs GROUP …`: argv[0] is GROUP, argv[1] the row's name; the row's positionals are
 * the leaves of its signature's inputs in order (tuple components one by one; arrays in cast
 * syntax "[a, b]", tuples in arrays "(a, b)"; a bytes leaf named *QuorumNumbers also as "0,1").
 * Returns the exit code.
 */
int avs_tx_group(const char *group, const char *summary, const avs_tx_spec *rows, size_t n, int argc, char **argv);

/*
 * The signer and transaction options of AVS_TX_OPTS for a command that sends several
 * transactions itself (`avs deploy`): --private-key / --ecdsa-key-file + --password-file, the
 * fee flags (caps into *so), --dry-run, --yes, consumed from a. Out: sk (wipe after use), *me.
 * Returns 0 or an exit code after a message.
 */
int avs_signer_and_fees(cli_args *a, const char *who, uint8_t sk[32], mpavs_address *me, mpavs_sender_options *so,
                        bool *dry_run, bool *yes);

#endif

/*
 * cli/netcfg.h — where an AVS lives and how to reach it, for every command that talks to one
 * (`mpavs operator …`, `mpavs state …`): --network mainnet|hoodi|sepolia|devnet|custom, the
 * presets' addresses, a deployment file (--deployment), the address flags, --rpc-url / ETH_RPC_URL.
 */
#ifndef MPAVS_CLI_NETCFG_H
#define MPAVS_CLI_NETCFG_H

#include "cli.h"

#include "mpavs/contracts.h"
#include "mpavs/presets.h"
#include "mpavs/sender.h"

#include <stdbool.h>

#define DEFAULT_DEPLOYMENT ".devnet/deployment.json"

/* The help text of the options net_parse reads. */
#define NETWORK_OPTS                                                                                               \
    "  --network NAME        mainnet, hoodi, sepolia (built-in presets: EigenLayer core addresses; the AVS's\n"    \
    "                        on mainnet only), devnet (--deployment, default " DEFAULT_DEPLOYMENT "), or\n"        \
    "                        custom (--deployment FILE or --registry-coordinator). holesky was shut down in 2025\n"\
    "  --deployment FILE     the AVS's deployment JSON (keys as the devnet's: registryCoordinator required,\n"     \
    "                        serviceManager, stakeRegistry, delegationManager, strategy, teeLivenessVerifier, ...,\n"\
    "                        chainId, rpcUrl optional); required on hoodi and sepolia\n"                           \
    "  --rpc-url URL         AVS chain RPC (default: env ETH_RPC_URL, else the deployment's rpcUrl, else the\n"    \
    "                        preset's public endpoint)\n"                                                           \
    "  --registry-coordinator, --service-manager, --stake-registry, --delegation-manager,\n"                       \
    "  --avs-directory, --strategy-manager ADDR\n"                                                                 \
    "                        override an address (missing ones are read from the RegistryCoordinator)\n"


/* Where the AVS lives and how to reach it. */
typedef struct {
    char network[32];
    const mpavs_preset *preset;  /* mainnet/hoodi/sepolia, else NULL */
    mpavs_contracts_deployment d;   /* addresses (zeros resolved from the chain) */
    bool have_strategy;          /* d.strategy is meaningful (devnet or --strategy) */
    char rpc_url[2048];
    mpavs_address liveness_verifier;
    bool have_liveness;
    char att_rpc_url[2048];      /* "" = rpc_url */
    char profile[64];
    const char *who;             /* the command, for messages ("operator") */
} net_cfg;

/** Parse an address option value v of --name into *out. Returns 0 or exit code 2 (message: "who: --name: …"). */
int cli_address_opt(const char *who, mpavs_address *out, const char *name, const char *v);
/** Copy v into out (cap bytes). Returns 0 or exit code 2 when it does not fit. */
int cli_copy_opt(const char *who, char *out, size_t cap, const char *v, const char *what);

/**
 * Fill n from --network, --deployment, --rpc-url (or ETH_RPC_URL), --attestation-profile,
 * --attestation-rpc-url and the address flags (--registry-coordinator, --service-manager,
 * --stake-registry, --delegation-manager, --avs-directory, --strategy-manager,
 * --liveness-verifier), consumed from a. Precedence, lowest first: the preset, the deployment
 * file, the environment, the flags. who names the command in messages. Returns 0 or an exit code.
 */
int net_parse(cli_args *a, net_cfg *n, const char *who);

/**
 * Connect: rpc on n->rpc_url, check the chain id against the preset/deployment, resolve missing
 * addresses, and (with key) a sender for that key with options so. Out: *c. Returns 0 or an exit
 * code (c is then closed).
 */
int net_connect(mpavs_contracts_ctx *c, net_cfg *n, const uint8_t *key, const mpavs_sender_options *so);

/** Close what net_connect opened (its rpc and sender too). */
void net_close(mpavs_contracts_ctx *c);

#endif

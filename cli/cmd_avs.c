/*
 * cli/cmd_avs.c — `mpavs avs`: the tools of a team that runs its own multi-prover AVS. This
 * file holds the subcommand table (one row per subcommand; each is defined in its own
 * cli/cmd_avs_*.c file and declared in cli/avs_cmds.h) and `avs networks`.
 */
#include "avs_cmds.h"
#include "cli.h"
#include "commands.h"

#include "mpavs/presets.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NETWORKS_HELP                                                                                                  \
    "usage: mpavs avs networks [--json]\n\n"                                                                           \
    "The built-in network presets: chain id, EigenLayer core and Automata DCAP addresses, and the\n"                   \
    "AVS's addresses where a deployment is public (mainnet only). Other networks: --network custom\n"                  \
    "with a deployment file.\n\n"                                                                                      \
    "  --json   one JSON object: {\"networks\": [...]}\n"

static const char *const NETWORKS[] = {"mainnet", "hoodi", "sepolia"};

static json_t *preset_json(const mpavs_preset *p) {
    json_t *o = json_object();
#define S(k, v) json_object_set_new(o, k, (v) ? json_string(v) : json_null())
    json_object_set_new(o, "network", json_string(p->network));
    json_object_set_new(o, "chainId", json_integer((json_int_t)p->chain_id));
    S("delegationManager", p->delegation_manager);
    S("strategyManager", p->strategy_manager);
    S("avsDirectory", p->avs_directory);
    S("allocationManager", p->allocation_manager);
    S("rewardsCoordinator", p->rewards_coordinator);
    S("permissionController", p->permission_controller);
    S("dcapAttestation", p->dcap_attestation);
    S("pccsRouter", p->pccs_router);
    S("registryCoordinator", p->registry_coordinator);
    S("serviceManager", p->service_manager);
    S("stakeRegistry", p->stake_registry);
    S("rpcUrl", p->eth_rpc_url);
#undef S
    return o;
}

int cmd_avs_networks(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help(NETWORKS_HELP);
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    bool json = cli_flag(&a, "json");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return cli_usage_error("avs networks: takes no arguments");
    json_t *arr = json_array();
    for (size_t i = 0; i < sizeof NETWORKS / sizeof NETWORKS[0]; i++) {
        const mpavs_preset *p = mpavs_preset_by_network(NETWORKS[i]);
        if (p) json_array_append_new(arr, preset_json(p));
    }
    if (json) {
        json_t *o = json_pack("{s:o}", "networks", arr);
        char *s = json_dumps(o, JSON_COMPACT);
        if (s) puts(s);
        free(s);
        json_decref(o);
        return 0;
    }
    size_t i;
    json_t *p;
    json_array_foreach(arr, i, p) {
        printf("%s (chain id %lld)\n", json_string_value(json_object_get(p, "network")),
               (long long)json_integer_value(json_object_get(p, "chainId")));
        const char *k;
        json_t *v;
        json_object_foreach(p, k, v) {
            if (json_is_string(v) && strcmp(k, "network") != 0) printf("  %-22s %s\n", k, json_string_value(v));
        }
    }
    json_decref(arr);
    return 0;
}

/* The subcommand table: one row per subcommand. */
static const cli_command AVS_SUB[] = {
    {"networks", "the built-in network presets (EigenLayer core, DCAP entrypoints)", cmd_avs_networks},
    {"deploy", "deploy the AVS contracts on an existing EigenLayer core (roles, resume, --dry-run)", cmd_avs_deploy},
    {"status", "the AVS's configuration read from the chain (--json)", cmd_avs_status},
    {"quorum", "create quorums, operator set parameters, minimum stake, strategies", cmd_avs_quorum},
    {"committee", "add, update, remove committees; minimum thresholds; ordering", cmd_avs_committee},
    {"tee-quorum", "add, remove TEE quorums", cmd_avs_tee_quorum},
    {"policy", "per-TEE-quorum attestation policies (measurements, TCB statuses)", cmd_avs_policy},
    {"td-identity", "the TDX workload identity (keccak of MRTD, RTMR0-3, MRCONFIGID) of a TD quote", cmd_avs_td_identity},
    {"allowlist", "the AttestationVerifier's global allow-lists", cmd_avs_allowlist},
    {"poa", "the PoA operator whitelist", cmd_avs_poa},
    {"role", "state confirmer, PoA/committee managers, ejector, churn approver, metadata URI, owners", cmd_avs_role},
    {"liveness", "liveness verifier parameters (validity, block age, verifier)", cmd_avs_liveness},
    {"pause", "pause function groups", cmd_avs_pause},
    {"unpause", "unpause function groups", cmd_avs_unpause},
};

int cmd_avs(int argc, char **argv) {
    return cli_dispatch("mpavs avs", AVS_SUB, sizeof AVS_SUB / sizeof AVS_SUB[0], argc, argv);
}

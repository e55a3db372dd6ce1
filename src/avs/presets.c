/* Built-in network presets (constant tables; see mpavs/presets.h for the sources). */
#include "mpavs/presets.h"

#include <strings.h>

static const mpavs_preset_profile mainnet_profiles[] = {
    {"optimism", "0x99886d5C39c0DF3B0EAB67FcBb4CA230EF373510", NULL},
    {"automata", "0xC9D1Fe39aC6259e66B3Be0e9DE5b33F8bbCa350F", "https://rpc.ata.network"},
};

static const mpavs_preset_profile holesky_profiles[] = {
    {"holesky", "0x2E8628F6000Ef85dea615af6Da4Fd6dF4fD149e6", NULL},
    {"automata_test", "0xC9D1Fe39aC6259e66B3Be0e9DE5b33F8bbCa350F", "https://rpc.ata.network"},
    {"automata_testnet", "0xf91bFe9EB9F2B3c4Ad339168a42542Ae5f440991", "https://rpc-testnet.ata.network"},
};

static const mpavs_preset presets[] = {
    {
        .network = "mainnet",
        .chain_id = 1,
        .registry_coordinator = "0x414696E4F7f06273973E89bfD3499e8666D63Bd4",
        .operator_state_retriever = "0x91246253d3Bff9Ae19065A90dC3AB6e09EefD2B6",
        .service_manager = "0xE5445838C475A2980e6a88054ff1514230b83aEb",
        .stake_registry = "0x4A4EC1631aE79699be7dCFD3fCA395Ab89c5eFe9",
        .bls_apk_registry = "0x61D25c9b943b893747Bd33F92B62Ec8270222e6F",
        .index_registry = "0x16552d7863560Ee6903F092A901A9124a5013085",
        .avs_directory = NULL,      /* not in the reference's outputs */
        .delegation_manager = NULL, /* not in the reference's outputs */
        .default_profile = "optimism",
        .profiles = mainnet_profiles,
        .nprofiles = sizeof mainnet_profiles / sizeof mainnet_profiles[0],
        .prover_url = "https://avs-prover-mainnet1.ata.network:18232",
        .aggregator_url = "https://avs-aggregator.ata.network",
        .eth_rpc_url = "https://ethereum-rpc.publicnode.com",
        .quorum_task_types = "{\"0\":1,\"1\":2}",
    },
    {
        .network = "holesky",
        .chain_id = 17000,
        .registry_coordinator = "0x62c715575cE3Ad7C5a43aA325b881c70564f2215",
        .operator_state_retriever = "0xbfd43ac0a19c843e44491c3207ea13914818E214",
        .service_manager = "0x4665Af665df5703445645D243f0FD63eD3b9D132",
        .stake_registry = "0x5C7BbAfA3d5A3Fa0b592cDCF4b7B52261FaA99A8",
        .bls_apk_registry = "0x2b6C2584760eDbcEC42391862f97dBB872b5e2Eb",
        .index_registry = "0x158583f023ca440e79F199f037aa8b53b198F500",
        .avs_directory = "0x055733000064333CaDDbC92763c58BF0192fFeBf",
        .delegation_manager = "0xA44151489861Fe9e3055d95adC98FbD462B948e7",
        .default_profile = "holesky",
        .profiles = holesky_profiles,
        .nprofiles = sizeof holesky_profiles / sizeof holesky_profiles[0],
        .prover_url = "https://avs-prover-staging.ata.network",
        .aggregator_url = "https://avs-aggregator-staging.ata.network",
        .eth_rpc_url = "https://ethereum-holesky-rpc.publicnode.com",
        .quorum_task_types = "{\"0\":1,\"1\":2}",
    },
};

#define NPRESETS (sizeof presets / sizeof presets[0])

size_t mpavs_preset_count(void) { return NPRESETS; }

const mpavs_preset *mpavs_preset_at(size_t i) { return i < NPRESETS ? &presets[i] : NULL; }

const mpavs_preset *mpavs_preset_by_network(const char *network) {
    if (!network) return NULL;
    for (size_t i = 0; i < NPRESETS; i++)
        if (strcasecmp(presets[i].network, network) == 0) return &presets[i];
    return NULL;
}

/* s without an optional 0x/0X prefix. */
static const char *skip_0x(const char *s) {
    return (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? s + 2 : s;
}

const mpavs_preset *mpavs_preset_by_registry_coordinator(const char *addr) {
    if (!addr) return NULL;
    const char *a = skip_0x(addr);
    for (size_t i = 0; i < NPRESETS; i++)
        if (strcasecmp(skip_0x(presets[i].registry_coordinator), a) == 0) return &presets[i];
    return NULL;
}

const mpavs_preset_profile *mpavs_preset_profile_get(const mpavs_preset *p, const char *name) {
    MPAVS_REQUIRE(p != NULL);
    if (!name || !*name) name = p->default_profile;
    for (size_t i = 0; i < p->nprofiles; i++)
        if (strcasecmp(p->profiles[i].name, name) == 0) return &p->profiles[i];
    return NULL;
}

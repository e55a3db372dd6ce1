/* Built-in network presets (constant tables; see mpavs/presets.h for the sources). */
#include "mpavs/presets.h"

#include <strings.h>

static const mpavs_preset_profile mainnet_profiles[] = {
    {"optimism", "0x99886d5C39c0DF3B0EAB67FcBb4CA230EF373510", NULL},
    {"automata", "0xC9D1Fe39aC6259e66B3Be0e9DE5b33F8bbCa350F", "https://rpc.ata.network"},
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
        .delegation_manager = "0x39053D51B77DC0d36036Fc1fCc8Cb819df8Ef37A",
        .strategy_manager = "0x858646372CC42E1A627fcE94aa7A7033e7CF075A",
        .avs_directory = "0x135DDa560e946695d6f155dACaFC6f1F25C1F5AF",
        .allocation_manager = "0x948a420b8CC1d6BFd0B6087C2E7c344a2CD0bc39",
        .rewards_coordinator = "0x7750d328b314EfFa365A0402CcfD489B80B0adda",
        .permission_controller = "0x25E5F8B1E7aDf44518d35D5B2271f114e081f0E5",
        .dcap_attestation = "0x0387aB2eDAB2A138a43437e36AF63689Bb7030f4",
        .pccs_router = "0xE2Cd5aA44a0896D683684B8EA15eB54B269fC933",
        .default_profile = "optimism",
        .profiles = mainnet_profiles,
        .nprofiles = sizeof mainnet_profiles / sizeof mainnet_profiles[0],
        .prover_url = "https://avs-prover-mainnet1.ata.network:18232",
        .aggregator_url = "https://avs-aggregator.ata.network",
        .eth_rpc_url = "https://ethereum-rpc.publicnode.com",
        .quorum_task_types = "{\"0\":1,\"1\":2}",
    },
    {
        .network = "hoodi",
        .chain_id = 560048,
        .delegation_manager = "0x867837a9722C512e0862d8c2E15b8bE220E8b87d",
        .strategy_manager = "0xeE45e76ddbEDdA2918b8C7E3035cd37Eab3b5D41",
        .avs_directory = "0xD58f6844f79eB1fbd9f7091d05f7cb30d3363926",
        .allocation_manager = "0x95a7431400F362F3647a69535C5666cA0133CAA0",
        .rewards_coordinator = "0x29e8572678e0c272350aa0b4B8f304E47EBcd5e7",
        .permission_controller = "0xdcCF401fD121d8C542E96BC1d0078884422aFAD2",
        .dcap_attestation = "0xaDdeC7e85c2182202b66E331f2a4A0bBB2cEEa1F",
        .pccs_router = "0x8e480c9879F1Db31dC209e5f4d239d5126e6e07B",
        .eth_rpc_url = "https://ethereum-hoodi-rpc.publicnode.com",
        .quorum_task_types = "{\"0\":1,\"1\":2}",
    },
    {
        .network = "sepolia",
        .chain_id = 11155111,
        .delegation_manager = "0xD4A7E1Bd8015057293f0D0A557088c286942e84b",
        .strategy_manager = "0x2E3D6c0744b10eb0A4e6F679F71554a39Ec47a5D",
        .avs_directory = "0xa789c91ECDdae96865913130B786140Ee17aF545",
        .allocation_manager = "0x42583067658071247ec8CE0A516A58f682002d07",
        .rewards_coordinator = "0x5ae8152fb88c26ff9ca5C014c94fca3c68029349",
        .permission_controller = "0x44632dfBdCb6D3E21EF613B0ca8A6A0c618F5a37",
        .dcap_attestation = "0x27188ABA3a26CBb806eF4C67de9b05D7d792EC10",
        .pccs_router = "0x8e480c9879F1Db31dC209e5f4d239d5126e6e07B",
        .eth_rpc_url = "https://ethereum-sepolia-rpc.publicnode.com",
        .quorum_task_types = "{\"0\":1,\"1\":2}",
    },
};

#define NPRESETS (sizeof presets / sizeof presets[0])

size_t mpavs_preset_count(void) { return NPRESETS; }

const mpavs_preset *mpavs_preset_at(size_t i) { return i < NPRESETS ? &presets[i] : NULL; }

const char *mpavs_preset_retired(const char *network) {
    if (network && strcasecmp(network, "holesky") == 0)
        return "the Holesky testnet was shut down in 2025 (its AVS deployment is gone): use --network hoodi or "
               "--network sepolia (EigenLayer's testnets now), with the AVS's --deployment FILE";
    return NULL;
}

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
        if (presets[i].registry_coordinator && strcasecmp(skip_0x(presets[i].registry_coordinator), a) == 0)
            return &presets[i];
    return NULL;
}

const mpavs_preset_profile *mpavs_preset_profile_get(const mpavs_preset *p, const char *name) {
    MPAVS_REQUIRE(p != NULL);
    if (!name || !*name) name = p->default_profile;
    if (!name) return NULL;
    for (size_t i = 0; i < p->nprofiles; i++)
        if (strcasecmp(p->profiles[i].name, name) == 0) return &p->profiles[i];
    return NULL;
}

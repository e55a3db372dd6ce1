/*
 * mpavs/presets.h — built-in network presets: the addresses of the Multi-Prover AVS
 * deployments on Ethereum mainnet and Holesky, their attestation-layer profiles and the
 * service URLs of the reference operator-setup examples.
 *
 * Values come from the reference system (upstream utils/params.go, contracts/script/output
 * and multiprover-avs-operator-setup; ../shared/spec/upstream.md §1.8.3 and §5.6). Every
 * address is an EIP-55 checksummed "0x" string (tests/unit/test_presets.c checks them).
 *
 * Mainnet's EigenLayer AVSDirectory and DelegationManager are not part of the reference's
 * recorded outputs, so they are NULL here: pass them explicitly (mpavs operator
 * --avs-directory/--delegation-manager) or read AVSDirectory from the service manager
 * (MultiProverServiceManager.avsDirectory()). Holesky's come from eigenlayer_holesky_deploy.json.
 *
 * The tables are constant data: nothing here allocates or holds state; returned pointers
 * stay valid for the life of the process.
 */
#ifndef MPAVS_PRESETS_H
#define MPAVS_PRESETS_H

#include "mpavs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An attestation layer: where an operator's liveness proofs go (TEELivenessVerifier). */
typedef struct {
    const char *name;              /* profile name, e.g. "holesky", "automata" */
    const char *liveness_verifier; /* TEELivenessVerifier proxy address */
    const char *rpc_url;           /* RPC URL of the attestation chain; NULL = none (use the AVS chain's) */
} mpavs_preset_profile;

/** One network's preset. Strings are never NULL unless documented. */
typedef struct {
    const char *network;  /* "mainnet", "holesky" */
    uint64_t chain_id;    /* 1, 17000 */
    const char *registry_coordinator, *operator_state_retriever, *service_manager, *stake_registry,
        *bls_apk_registry, *index_registry; /* EIP-55 0x strings */
    const char *avs_directory, *delegation_manager; /* NULL when unknown (mainnet) */
    const char *default_profile;                    /* name of one of profiles[] */
    const mpavs_preset_profile *profiles;
    size_t nprofiles;
    const char *prover_url, *aggregator_url, *eth_rpc_url; /* the reference operator-setup examples */
    const char *quorum_task_types; /* JSON text, "{\"0\":1,\"1\":2}" for both */
} mpavs_preset;

/**
 * The preset of a network by name ("mainnet", "holesky"; ASCII case-insensitive).
 * Returns NULL if the name is unknown (or NULL).
 */
MPAVS_API const mpavs_preset *mpavs_preset_by_network(const char *network);

/**
 * The preset whose RegistryCoordinator is addr: "0x" optional, hex digits compared
 * case-insensitively (no checksum check). Returns NULL if no preset matches (or addr is NULL).
 */
MPAVS_API const mpavs_preset *mpavs_preset_by_registry_coordinator(const char *addr);

/**
 * A profile of preset p by name (case-insensitive); NULL or "" selects p->default_profile.
 * Returns NULL if p has no profile of that name. p must not be NULL.
 *
 * C gives a typedef and a function one namespace, so the type mpavs_preset_profile and a
 * function of the same name cannot coexist: the function is mpavs_preset_profile_get and the
 * function-like macro mpavs_preset_profile(p, name) calls it (a macro of that form expands
 * only when followed by '(', so the type name keeps working).
 */
MPAVS_API const mpavs_preset_profile *mpavs_preset_profile_get(const mpavs_preset *p, const char *name);
#define mpavs_preset_profile(p, name) mpavs_preset_profile_get((p), (name))

/**
 * The i-th preset (0 ≤ i < mpavs_preset_count()), for listing them; NULL when i is out of range.
 */
MPAVS_API const mpavs_preset *mpavs_preset_at(size_t i);

/** The number of built-in presets. */
MPAVS_API size_t mpavs_preset_count(void);

#ifdef __cplusplus
}
#endif
#endif

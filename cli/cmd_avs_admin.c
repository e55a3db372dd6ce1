/*
 * cli/cmd_avs_admin.c — `mpavs avs quorum|committee|tee-quorum|poa|role|liveness|pause|unpause …`:
 * the AVS's administration transactions (rows run by cli/avs_tx.c: preview, confirmation, --dry-run,
 * fee flags, decoded reverts). The attestation policies are in cli/cmd_avs_policy.c.
 */
#include "avs_cmds.h"
#include "avs_tx.h"

#define OSP "(uint32 maxOperatorCount,uint16 kickBIPsOfOperatorStake,uint16 kickBIPsOfTotalStake) operatorSetParams"
#define COMMITTEE "(uint256 id,string description,bytes metadata,bytes teeQuorumNumbers) committee"
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const avs_tx_spec QUORUM[] = {
    {"create", AVS_REGISTRY_COORDINATOR,
     "createQuorum(" OSP ",uint96 minimumStake,(address strategy,uint96 multiplier)[] strategyParams)",
     "create the next quorum (RegistryCoordinator owner)", "MAX_OPERATORS KICK_BIPS_OPERATOR KICK_BIPS_TOTAL MIN_STAKE STRATEGIES",
     "  STRATEGIES: [(STRATEGY,MULTIPLIER),...], e.g. \"[(0xStrategy,1000000000000000000)]\" (multiplier 1e18 = 1 share : 1 weight)"},
    {"set-params", AVS_REGISTRY_COORDINATOR, "setOperatorSetParams(uint8 quorumNumber," OSP ")",
     "set a quorum's operator set parameters", "QUORUM MAX_OPERATORS KICK_BIPS_OPERATOR KICK_BIPS_TOTAL", NULL},
    {"set-min-stake", AVS_STAKE_REGISTRY, "setMinimumStakeForQuorum(uint8 quorumNumber,uint96 minimumStake)",
     "set a quorum's minimum stake (weight)", "QUORUM MIN_STAKE", NULL},
    {"add-strategies", AVS_STAKE_REGISTRY,
     "addStrategies(uint8 quorumNumber,(address strategy,uint96 multiplier)[] strategyParams)",
     "add strategies to a quorum", "QUORUM STRATEGIES", "  STRATEGIES: \"[(0xStrategy,MULTIPLIER),...]\""},
    {"remove-strategies", AVS_STAKE_REGISTRY, "removeStrategies(uint8 quorumNumber,uint256[] indicesToRemove)",
     "remove strategies from a quorum by index", "QUORUM INDICES", "  INDICES: \"[i,...]\" (strategyParamsByIndex order)"},
    {"set-multipliers", AVS_STAKE_REGISTRY,
     "modifyStrategyParams(uint8 quorumNumber,uint256[] strategyIndices,uint96[] newMultipliers)",
     "change strategy multipliers of a quorum", "QUORUM INDICES MULTIPLIERS", NULL},
};

static const avs_tx_spec COMMITTEE_ROWS[] = {
    {"add", AVS_SERVICE_MANAGER, "addCommittee(" COMMITTEE ")", "add a committee (committee manager)",
     "ID DESCRIPTION METADATA TEE_QUORUMS",
     "  METADATA: 0x hex (\"0x\" for none); TEE_QUORUMS: the TEE quorum numbers, \"0,1\" or 0x0001.\n"
     "  Each quorum gets the default minimum threshold (50%) until `committee set-threshold`."},
    {"update", AVS_SERVICE_MANAGER, "updateCommittee(" COMMITTEE ")", "replace a committee's fields",
     "ID DESCRIPTION METADATA TEE_QUORUMS", "  Quorums it keeps keep their minimum thresholds."},
    {"remove", AVS_SERVICE_MANAGER, "removeCommittee(uint256 committeeId)", "remove a committee", "ID", NULL},
    {"set-threshold", AVS_SERVICE_MANAGER,
     "setMinimumThreshold(uint256 committeeId,uint8 quorumNumber,uint8 percentage)",
     "set the minimum signing threshold (percent) of a committee's quorum (owner)", "ID QUORUM PERCENT", NULL},
    {"set-ordering", AVS_SERVICE_MANAGER, "setCommitteeOrdering(uint256 committeeId,uint8 ordering,uint256 chainId)",
     "set how a committee orders its confirmations (owner)", "ID ORDERING CHAIN_ID",
     "  ORDERING: 0 none (latest confirmed), 1 chain block (highest block of chain CHAIN_ID)"},
};

static const avs_tx_spec TEE_QUORUM[] = {
    {"add", AVS_SERVICE_MANAGER, "addTEEQuorum((uint8 teeType,uint8 quorumNumber) teeQuorum)",
     "declare a quorum's TEE type (committee manager)", "TEE_TYPE QUORUM", "  TEE_TYPE: 1 Intel SGX, 5 Intel TDX"},
    {"remove", AVS_SERVICE_MANAGER, "removeTEEQuorum(uint8 quorumNumber)", "remove a TEE quorum (no committee may use it)",
     "QUORUM", NULL},
};

static const avs_tx_spec POA[] = {
    {"enable", AVS_SERVICE_MANAGER, "enablePoA()", "only whitelisted operators may register (PoA manager)", "", NULL},
    {"disable", AVS_SERVICE_MANAGER, "disablePoA()", "any operator may register", "", NULL},
    {"whitelist", AVS_SERVICE_MANAGER, "whitelistOperator(address operator)", "whitelist an operator", "OPERATOR", NULL},
    {"blacklist", AVS_SERVICE_MANAGER, "blacklistOperator(address operator)", "remove an operator from the whitelist",
     "OPERATOR", NULL},
};

static const avs_tx_spec ROLE[] = {
    {"state-confirmer", AVS_SERVICE_MANAGER, "setStateConfirmer(address confirmer)",
     "set the account allowed to confirm states (the aggregator's; owner)", "ADDRESS", NULL},
    {"poa-manager", AVS_SERVICE_MANAGER, "setPoAManager(address manager)", "set the PoA manager (owner)", "ADDRESS", NULL},
    {"committee-manager", AVS_SERVICE_MANAGER, "setCommitteeManager(address manager)",
     "set the committee manager (owner)", "ADDRESS", NULL},
    {"ejector", AVS_REGISTRY_COORDINATOR, "setEjector(address _ejector)", "set the RegistryCoordinator's ejector",
     "ADDRESS", NULL},
    {"churn-approver", AVS_REGISTRY_COORDINATOR, "setChurnApprover(address _churnApprover)",
     "set the RegistryCoordinator's churn approver", "ADDRESS", NULL},
    {"metadata-uri", AVS_SERVICE_MANAGER, "updateAVSMetadataURI(string metadataURI)",
     "set the AVS metadata URI in the AVSDirectory (owner)", "URI", NULL},
    {"owner-service-manager", AVS_SERVICE_MANAGER, "transferOwnership(address newOwner)",
     "transfer the service manager's ownership", "ADDRESS", "  The new owner takes effect at once: check the address."},
    {"owner-registry-coordinator", AVS_REGISTRY_COORDINATOR, "transferOwnership(address newOwner)",
     "transfer the RegistryCoordinator's ownership (also of the StakeRegistry's owner functions)", "ADDRESS", NULL},
    {"owner-liveness-verifier", AVS_LIVENESS_VERIFIER, "transferOwnership(address newOwner)",
     "transfer the TEELivenessVerifier's ownership (policies, liveness parameters)", "ADDRESS", NULL},
    {"owner-attestation-verifier", AVS_ATTESTATION_VERIFIER, "transferOwnership(address newOwner)",
     "transfer the AttestationVerifier's ownership (global allow-lists)", "ADDRESS", NULL},
};

static const avs_tx_spec LIVENESS[] = {
    {"validity", AVS_LIVENESS_VERIFIER, "changeAttestValiditySeconds(uint256 val)",
     "how long a liveness proof stays valid (seconds)", "SECONDS", NULL},
    {"max-block-diff", AVS_LIVENESS_VERIFIER, "changeMaxBlockNumberDiff(uint256 _maxBlockNumberDiff)",
     "how old a liveness proof's reference block may be (blocks)", "BLOCKS", NULL},
    {"attestation-verifier", AVS_LIVENESS_VERIFIER, "changeAttestationImpl(address _attestationAddr)",
     "point the liveness verifier at another AttestationVerifier", "ADDRESS", NULL},
};

static const avs_tx_spec PAUSE[] = {
    {"service-manager", AVS_SERVICE_MANAGER, "pause(uint256 newPausedStatus)",
     "set paused bits of the service manager (pauser)", "BITS",
     "  BITS: the new paused status, a superset of the current (bit 0 confirmState, bit 1 operator registration)"},
    {"registry-coordinator", AVS_REGISTRY_COORDINATOR, "pause(uint256 newPausedStatus)",
     "set paused bits of the RegistryCoordinator", "BITS",
     "  BITS: a superset of the current (bit 0 register, 1 update, 2 deregister)"},
    {"service-manager-all", AVS_SERVICE_MANAGER, "pauseAll()", "pause everything in the service manager", "", NULL},
    {"registry-coordinator-all", AVS_REGISTRY_COORDINATOR, "pauseAll()", "pause everything in the RegistryCoordinator",
     "", NULL},
};

static const avs_tx_spec UNPAUSE[] = {
    {"service-manager", AVS_SERVICE_MANAGER, "unpause(uint256 newPausedStatus)",
     "clear paused bits of the service manager (unpauser)", "BITS", "  BITS: the new paused status, a subset of the current (0: all)"},
    {"registry-coordinator", AVS_REGISTRY_COORDINATOR, "unpause(uint256 newPausedStatus)",
     "clear paused bits of the RegistryCoordinator", "BITS", "  BITS: a subset of the current (0: all)"},
};

int cmd_avs_quorum(int argc, char **argv) {
    return avs_tx_group("quorum", "Quorums: create, operator set parameters, minimum stake, strategies.", QUORUM,
                        N(QUORUM), argc, argv);
}
int cmd_avs_committee(int argc, char **argv) {
    return avs_tx_group("committee", "Committees: add, update, remove, minimum thresholds, ordering.", COMMITTEE_ROWS,
                        N(COMMITTEE_ROWS), argc, argv);
}
int cmd_avs_tee_quorum(int argc, char **argv) {
    return avs_tx_group("tee-quorum", "TEE quorums: the TEE type of a quorum.", TEE_QUORUM, N(TEE_QUORUM), argc, argv);
}
int cmd_avs_poa(int argc, char **argv) {
    return avs_tx_group("poa", "The proof-of-authority whitelist of operators.", POA, N(POA), argc, argv);
}
int cmd_avs_role(int argc, char **argv) {
    return avs_tx_group("role", "Roles: state confirmer, PoA and committee managers, ejector, churn approver, metadata, ownership.",
                        ROLE, N(ROLE), argc, argv);
}
int cmd_avs_liveness(int argc, char **argv) {
    return avs_tx_group("liveness", "TEELivenessVerifier parameters.", LIVENESS, N(LIVENESS), argc, argv);
}
int cmd_avs_pause(int argc, char **argv) {
    return avs_tx_group("pause", "Pause function groups (PauserRegistry pauser).", PAUSE, N(PAUSE), argc, argv);
}
int cmd_avs_unpause(int argc, char **argv) {
    return avs_tx_group("unpause", "Unpause function groups (PauserRegistry unpauser).", UNPAUSE, N(UNPAUSE), argc, argv);
}

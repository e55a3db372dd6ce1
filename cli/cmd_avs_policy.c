/*
 * cli/cmd_avs_policy.c — `mpavs avs policy …` (the per-TEE-quorum attestation policies of the
 * TEELivenessVerifier, contracts/src/avs/TEEQuorumPolicy.sol) and `mpavs avs allowlist …` (the
 * AttestationVerifier's global allow-lists): rows run by cli/avs_tx.c.
 */
#include "avs_cmds.h"
#include "avs_tx.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const avs_tx_spec POLICY[] = {
    {"set", AVS_LIVENESS_VERIFIER, "setQuorumPolicy(uint8 quorumNumber,uint8 teeType,uint16 acceptedTcbStatuses)",
     "set a quorum's TEE type and accepted TCB statuses", "QUORUM TEE_TYPE TCB_MASK",
     "  TEE_TYPE: 0 none (no policy), 1 SGX, 5 TDX; TCB_MASK: bit i = TCB status i accepted (0 UpToDate ..\n"
     "  5 OutOfDateConfigurationNeeded; 1 = UpToDate only). Changing the type starts a new epoch: every\n"
     "  liveness proof bound under the old one stops counting at once."},
    {"mrenclave", AVS_LIVENESS_VERIFIER, "setQuorumMrEnclave(uint8 quorumNumber,bytes32 mrEnclave,bool allowed)",
     "allow or revoke an SGX MRENCLAVE in a quorum", "QUORUM MRENCLAVE true|false", NULL},
    {"sgx-signer", AVS_LIVENESS_VERIFIER,
     "setQuorumSgxSigner(uint8 quorumNumber,bytes32 mrSigner,uint16 isvProdId,bool allowed,uint16 minIsvSvn)",
     "allow or revoke an SGX (MRSIGNER, ISVPRODID) with a minimum ISVSVN in a quorum",
     "QUORUM MRSIGNER ISVPRODID true|false MIN_ISVSVN", NULL},
    {"td-identity", AVS_LIVENESS_VERIFIER, "setQuorumTdIdentity(uint8 quorumNumber,bytes32 tdIdentity,bool allowed)",
     "allow or revoke a TDX workload identity in a quorum", "QUORUM TD_IDENTITY true|false",
     "  TD_IDENTITY: keccak256(MRTD || RTMR0..3 || MRCONFIGID) (the verifier's tdIdentityHash)"},
    {"required", AVS_LIVENESS_VERIFIER, "setQuorumPolicyRequired(bool required)",
     "require every liveness proof to name a quorum with a policy (submitLivenessProofV4)", "true|false", NULL},
};

static const avs_tx_spec ALLOWLIST[] = {
    {"mrenclave", AVS_ATTESTATION_VERIFIER, "setMrEnclave(bytes32 mrEnclave,bool allowed)",
     "allow or revoke an SGX MRENCLAVE globally", "MRENCLAVE true|false", NULL},
    {"mrsigner", AVS_ATTESTATION_VERIFIER, "setMrSigner(bytes32 mrSigner,bool allowed)",
     "allow or revoke an SGX MRSIGNER globally", "MRSIGNER true|false", NULL},
    {"mrtd", AVS_ATTESTATION_VERIFIER, "setMrTd(bytes mrTd,bool allowed)", "allow or revoke a TDX MRTD (48 bytes) globally",
     "MRTD true|false", NULL},
    {"enforce", AVS_ATTESTATION_VERIFIER, "setAllowListEnforced(bool enforced)",
     "enforce the global allow-lists (else any measurement passes them)", "true|false", NULL},
    {"tcb-statuses", AVS_ATTESTATION_VERIFIER, "setAcceptedTcbStatuses(uint256 mask)",
     "the TCB statuses the verifier accepts (bit i = status i)", "MASK", NULL},
    {"dcap", AVS_ATTESTATION_VERIFIER, "setDcapAttestation(address a)",
     "the DCAP attestation contract the verifier calls", "ADDRESS", NULL},
};

int cmd_avs_policy(int argc, char **argv) {
    return avs_tx_group("policy", "Per-TEE-quorum attestation policies (TEELivenessVerifier owner).", POLICY, N(POLICY),
                        argc, argv);
}
int cmd_avs_allowlist(int argc, char **argv) {
    return avs_tx_group("allowlist", "The AttestationVerifier's global allow-lists (its owner).", ALLOWLIST,
                        N(ALLOWLIST), argc, argv);
}

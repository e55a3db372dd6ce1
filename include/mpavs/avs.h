/*
 * mpavs/avs.h — the multi-prover AVS's digests and hashes, byte-exact with the
 * reference system (Automata multi-prover-avs) and its contracts.
 *
 * StateHeader digest (the BLS message and the aggregator's task key),
 * full StateHeader hash, ReportDataV2 hash and the 64-byte SGX REPORTDATA,
 * prover-address hash, PoE digest, signatory record hash, and the chain-state
 * task (type 3) metadata and state encodings; and mpavs's own signed metrics push
 * (aggregator_submitMetrics, not in the reference).
 */
#ifndef MPAVS_AVS_H
#define MPAVS_AVS_H

#include "mpavs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Task types (StateHeader identifier = committee id). */
#define MPAVS_TASK_SCROLL 1
#define MPAVS_TASK_LINEA 2
#define MPAVS_TASK_CHAIN_STATE 3

/** IMultiProverServiceManager.StateHeader. Byte fields are borrowed. */
typedef struct {
    uint64_t committee_id; /* = identifier = task type (uint256 on chain) */
    const uint8_t *metadata;
    size_t metadata_len;
    const uint8_t *state;
    size_t state_len;
    const uint8_t *quorum_numbers;
    size_t quorum_numbers_len;
    const uint8_t *quorum_thresholds; /* quorumThresholdPercentages */
    size_t quorum_thresholds_len;
    uint32_t reference_block;
} mpavs_avs_state_header;

/**
 * The signed digest: keccak256(abi.encode(ReducedStateHeader{committeeId,
 * metadata, state, referenceBlockNumber})) — quorum numbers and thresholds
 * excluded. Out: out (32 bytes). Returns 0, or -1 on allocation failure.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_avs_state_digest(uint8_t out[32], const mpavs_avs_state_header *h);

/**
 * keccak256(abi.encode(StateHeader)) over all six fields (used on chain for
 * taskIdToMetadataHash). Returns 0, or -1 on allocation failure.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_avs_state_header_hash(uint8_t out[32], const mpavs_avs_state_header *h);

/**
 * keccak256("MultiProverAVS" ‖ trim(prover_url)) where trim removes leading
 * and trailing ASCII white space (Go strings.TrimSpace on ASCII).
 */
MPAVS_API void mpavs_avs_prover_addr_hash(uint8_t out[32], const char *prover_url);

/**
 * keccak256(abi.encode(ReportDataV2{pubkey (x, y), referenceBlockNumber,
 * referenceBlockHash, proverAddressHash})): five 32-byte words.
 * In: pubkey_x, pubkey_y (the operator's BLS G1 key, 32-byte big-endian each).
 */
MPAVS_API void mpavs_avs_report_data_hash(uint8_t out[32], const uint8_t pubkey_x[32], const uint8_t pubkey_y[32],
                                          uint64_t ref_block_number, const uint8_t ref_block_hash[32],
                                          const uint8_t prover_addr_hash[32]);

/** The 64-byte SGX REPORTDATA: 12 zero bytes ‖ prover enclave address ‖ report data hash. */
MPAVS_API void mpavs_avs_report_data(uint8_t out[64], const uint8_t prover_address[20], const uint8_t data_hash[32]);

/** keccak256(batch_hash ‖ state_hash ‖ prev_state_root ‖ new_state_root ‖ withdrawal_root). */
MPAVS_API void mpavs_avs_poe_digest(uint8_t out[32], const uint8_t batch_hash[32], const uint8_t state_hash[32],
                                    const uint8_t prev_state_root[32], const uint8_t new_state_root[32],
                                    const uint8_t withdrawal_root[32]);

/** keccak256(abi.encodePacked(uint32 referenceBlockNumber, bytes32[] nonSignerPubkeyHashes)). */
MPAVS_API void mpavs_avs_signatory_record_hash(uint8_t out[32], uint32_t ref_block,
                                               const uint8_t (*non_signer_hashes)[32], size_t n);

/** Chain-state task (type 3) metadata: keccak256(abi.encodePacked(uint256 chainId, uint256 blockNumber)). */
MPAVS_API void mpavs_avs_chain_task_metadata(uint8_t out[32], uint64_t chain_id, uint64_t block_number);

/** Chain-state task (type 3) state: abi.encode(bytes32 blockHash, bytes32 stateRoot) (64 bytes). */
MPAVS_API void mpavs_avs_chain_task_state(uint8_t out[64], const uint8_t block_hash[32], const uint8_t state_root[32]);

/** The domain tag of mpavs_avs_metrics_push_digest (22 bytes, no terminator hashed). */
#define MPAVS_AVS_METRICS_PUSH_DOMAIN "mpavs.submitMetrics.v1"

/**
 * The message an operator signs with its registered BLS key (mpavs_bls_sign) for an
 * aggregator_submitMetrics push (docs/aggregator.md §4):
 *   keccak256("mpavs.submitMetrics.v1" ‖ uint256 chainId ‖ address registryCoordinator (20 bytes)
 *             ‖ uint256 timestamp ‖ keccak256(name) ‖ keccak256(metrics))
 * Every variable-length field is hashed, so no two inputs share an encoding.
 * In: chain_id (the AVS chain), registry_coordinator (the AVS's RegistryCoordinator),
 *     name/name_len (the push's "name", e.g. "0xAbC…_v0.1.0", as bytes), timestamp (unix seconds),
 *     metrics/metrics_len (the compact JSON text of the "metrics" array as the aggregator stores
 *     it: json_dumps(metrics, JSON_COMPACT) of jansson, which both sides run). metrics may be NULL when
 *     metrics_len is 0.
 * Out: out (32 bytes).
 */
MPAVS_API void mpavs_avs_metrics_push_digest(uint8_t out[32], uint64_t chain_id, const uint8_t registry_coordinator[20],
                                             const char *name, size_t name_len, uint64_t timestamp,
                                             const uint8_t *metrics, size_t metrics_len);

#ifdef __cplusplus
}
#endif
#endif

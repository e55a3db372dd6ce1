/* daemons/prover/config.c — see config.h. */
#include "prover/config.h"

static const dcf_field FIELDS[] = {
    {"listen", DCF_STRING, false, "127.0.0.1:18232", "\"127.0.0.1:18232\"", "a loopback address (127.x.x.x:port, localhost:port)",
     "Where the JSON-RPC API (and GET: the Prometheus text) listens."},
    {"log_level", DCF_STRING, false, "info", "\"info\"", "debug, info, warn or error", "Log threshold (--log-level overrides it)."},
    {"version", DCF_STRING, false, PROVER_VERSION, "\"" PROVER_VERSION "\"", NULL, "What prover_metadata reports as version."},
    {"server", DCF_OBJECT, false, NULL, NULL, NULL, "HTTP server limits."},
    {"server.body_limit", DCF_UINT, false, "4194304", "4194304", "1 KiB..256 MiB", "Largest request body (bytes)."},
    {"server.workers", DCF_UINT, false, "4", "4", "1..64", "HTTP worker threads."},
    {"server.max_batch", DCF_UINT, false, "8", "8", "1..1000", "Most requests in one JSON-RPC batch."},
    {"attestation", DCF_OBJECT, true, NULL, NULL, NULL, "Where the attestation quotes come from."},
    {"attestation.provider", DCF_STRING, true, NULL, "\"devnet\"", "devnet, gramine or tdx", "The TEE attestation provider."},
    {"attestation.devnet_ca_dir", DCF_STRING, false, NULL, "\"./devnet-ca\"", "required for devnet",
     "devnet: the attestation CA made by `mpavs attest devnet-ca` (DEVNET ONLY)."},
    {"attestation.mr_enclave", DCF_STRING, false, NULL, "null", "0x + 64 hex digits",
     "devnet: the MRENCLAVE put in the quotes."},
    {"attestation.mr_signer", DCF_STRING, false, NULL, "null", "0x + 64 hex digits", "devnet: the MRSIGNER put in the quotes."},
    {"attestation.debug", DCF_BOOL, false, "false", "false", NULL, "devnet: the debug flag put in the quotes."},
    {"attestation.dir", DCF_STRING, false, "/dev/attestation (gramine), /sys/kernel/config/tsm/report (tdx)", "null", NULL,
     "The provider's device directory."},
    {"chain", DCF_OBJECT, false, NULL, NULL, NULL, "The proven chain (type-3 tasks); without it only Scroll/Linea forwarding works."},
    {"chain.rpc_url", DCF_STRING, true, NULL, "\"http://127.0.0.1:8545\"", "an http:// or https:// URL", "The chain's JSON-RPC endpoint."},
    {"chain.chain_id", DCF_UINT, true, NULL, "31337", "eth_chainId must agree", "The chain's id."},
    {"chain.checkpoint_number", DCF_UINT, true, NULL, "0", NULL, "A trusted block number headers are verified from."},
    {"chain.checkpoint_hash", DCF_STRING, true, NULL, "\"0x<32-byte hash of the checkpoint block>\"", "0x + 64 hex digits",
     "That block's hash."},
    {"chain.max_headers", DCF_UINT, false, "100000", "100000", "≥ 1", "Most headers verified for one proof."},
    {"external_prover", DCF_OBJECT, false, NULL, NULL, NULL, "Provers that Scroll (1) and Linea (2) tasks are forwarded to."},
    {"external_prover.scroll", DCF_STRING, false, NULL, "null", NULL, "JSON-RPC URL for Scroll tasks (else they fail with 'skip')."},
    {"external_prover.linea", DCF_STRING, false, NULL, "null", NULL, "JSON-RPC URL for Linea tasks (else they fail with 'skip')."},
};

const dcf_table prover_config = {"mpavs-prover", FIELDS, sizeof FIELDS / sizeof FIELDS[0]};

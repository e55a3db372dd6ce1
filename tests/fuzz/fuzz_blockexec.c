/*
 * libFuzzer target for block import (mpavs_blockexec_execute) from random RLP.
 * Input: one byte choosing the rules (even: Cancun, odd: Prague), then a block encoding. A block
 * that decodes has its header fixed up to be a valid child of a fixed parent (parent hash,
 * number, timestamp, gas limit, base fee, excess blob gas, fork fields, transactions root), so
 * that the transactions, withdrawals and comparisons run on a small state with contracts.
 * Properties: no crash, hang or sanitizer report; the result is one of the enum's values; a
 * refusal names a field; an accepted block used at most its gas limit and the state root it
 * reports is the state's; when the sink was not written the state is unchanged.
 */
#include "mpavs/blockexec.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int root_of(void *ctx, uint8_t root[32]) { return mpavs_evm_memstate_root(root, ctx) != MPAVS_EVM_OK; }

static mpavs_evm_memstate *small_state(void) {
    mpavs_evm_memstate *ms = mpavs_evm_memstate_create();
    if (!ms) abort();
    /* a contract that stores CALLDATALOAD(0) at slot NUMBER, logs it and returns; a rich EOA */
    static const uint8_t code[] = {0x60, 0x00, 0x35, 0x43, 0x55, 0x60, 0x20, 0x60, 0x00, 0xa0, 0x00};
    uint8_t c[20] = {0}, sk[32];
    c[19] = 0xcc;
    memset(sk, 0x01, 32); /* the rich account's key (the seed corpus signs with it) */
    mpavs_address e;
    mpavs_ecdsa_ctx *ecdsa = mpavs_ecdsa_ctx_create();
    if (!ecdsa || mpavs_ecdsa_seckey_to_address(ecdsa, &e, sk)) abort();
    mpavs_ecdsa_ctx_destroy(ecdsa);
    mpavs_u256 bal = mpavs_u256_from_u64(UINT64_MAX), zero = mpavs_u256_from_u64(0);
    if (mpavs_evm_memstate_set_account(ms, c, 1, &zero, code, sizeof code) ||
        mpavs_evm_memstate_set_account(ms, e.bytes, 0, &bal, NULL, 0))
        abort();
    return ms;
}

static void parent_header(mpavs_block_header *p, bool prague) {
    memset(p, 0, sizeof *p);
    p->gas_limit = 30000000;
    p->gas_used = 15000000;
    p->timestamp = 1000;
    p->has_base_fee = true;
    p->base_fee_per_gas = mpavs_u256_from_u64(7);
    p->has_withdrawals_root = true;
    p->has_blob_gas = true;
    p->has_requests_hash = prague;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    bool prague = data[0] & 1;
    mpavs_block b;
    if (mpavs_block_decode(&b, data + 1, size - 1) != MPAVS_BLOCK_OK) return 0;
    mpavs_block_header parent;
    parent_header(&parent, prague);
    mpavs_block_header *h = &b.header;
    if (mpavs_block_header_hash(h->parent_hash, &parent) != MPAVS_BLOCK_OK) abort();
    h->number = 1;
    if (h->timestamp <= parent.timestamp || h->timestamp > parent.timestamp + 1000000) h->timestamp = parent.timestamp + 12;
    h->gas_limit = parent.gas_limit;
    if (h->gas_used > h->gas_limit) h->gas_used = h->gas_limit;
    h->difficulty = mpavs_u256_from_u64(0);
    memset(h->nonce, 0, 8);
    h->has_base_fee = true;
    if (mpavs_chain_expected_base_fee(&h->base_fee_per_gas, &parent) != MPAVS_CHAIN_OK) abort();
    h->has_withdrawals_root = b.has_withdrawals;
    h->has_blob_gas = true;
    h->blob_gas_used = (h->blob_gas_used % 7) * 131072;
    h->excess_blob_gas = 0;
    h->has_requests_hash = prague;
    mpavs_block_ommers_hash(h->ommers_hash, &b);
    if (mpavs_block_transactions_root(h->transactions_root, &b) != MPAVS_BLOCK_OK) abort();
    if (b.has_withdrawals && mpavs_block_withdrawals_root(h->withdrawals_root, &b) != MPAVS_BLOCK_OK) abort();

    mpavs_evm_memstate *ms = small_state();
    uint8_t before[32], after[32];
    if (mpavs_evm_memstate_root(before, ms) != MPAVS_EVM_OK) abort();
    mpavs_evm_schedule s;
    memset(&s, 0, sizeof s);
    s.active[MPAVS_EVM_CANCUN] = true;
    s.active[MPAVS_EVM_PRAGUE] = prague;
    mpavs_blockexec_chain chain;
    mpavs_blockexec_chain_init(&chain, 1, &s);
    if (data[0] & 2) chain.flags = MPAVS_BLOCKEXEC_ANVIL_BLOB_TX_ROOT | MPAVS_BLOCKEXEC_KEEP_TOUCHED_EMPTY; /* anvil's rules */
    mpavs_blockexec_state st;
    memset(&st, 0, sizeof st);
    mpavs_evm_memstate_source(&st.source, ms);
    mpavs_evm_memstate_sink(&st.sink, ms);
    st.root = root_of;
    st.root_ctx = ms;
    mpavs_ecdsa_ctx *ecdsa = mpavs_ecdsa_ctx_create();
    if (!ecdsa) abort();
    mpavs_blockexec_refusal why;
    mpavs_blockexec_stats stats;
    int r = mpavs_blockexec_execute(&why, &stats, ecdsa, &chain, &parent, &b, &st, NULL, NULL);
    if (r < MPAVS_BLOCKEXEC_OK || r > MPAVS_BLOCKEXEC_ERR_NOMEM) abort();
    if (!memchr(why.field, 0, sizeof why.field) || !memchr(why.expected, 0, sizeof why.expected) ||
        !memchr(why.actual, 0, sizeof why.actual))
        abort();
    if ((r == MPAVS_BLOCKEXEC_INVALID || r == MPAVS_BLOCKEXEC_UNPROVABLE) && !why.field[0]) abort();
    if (r == MPAVS_BLOCKEXEC_OK) {
        if (stats.gas_used > h->gas_limit || !stats.sink_written || memcmp(stats.state_root, h->state_root, 32)) abort();
    }
    if (mpavs_evm_memstate_root(after, ms) != MPAVS_EVM_OK) abort();
    if (!stats.sink_written && memcmp(before, after, 32)) abort();
    if (stats.sink_written && memcmp(after, stats.state_root, 32)) abort();
    mpavs_ecdsa_ctx_destroy(ecdsa);
    mpavs_evm_memstate_destroy(ms);
    mpavs_block_clear(&b);
    return 0;
}

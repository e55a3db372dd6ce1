/*
 * libFuzzer target for the interpreter: the input is bytecode run as the code of the called
 * account (and, from byte 0, the fork and the gas). Properties: no crash, no hang (gas bounds
 * the work: at most ~1M gas per run), the gas used never exceeds the gas limit, the result is
 * either an included transaction or an unsupported precompile, and the committed state has a root.
 */
#include "mpavs/evm.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    mpavs_evm_fork fork = (mpavs_evm_fork)(data[0] % MPAVS_EVM_FORK_COUNT);
    uint64_t gas = 21000 + (uint64_t)data[1] * 4000;
    const uint8_t *code = data + 2;
    size_t code_len = size - 2;
    static const uint8_t sender[20] = {0xaa, [19] = 0x01};
    static const uint8_t target[20] = {0xbb, [19] = 0x02};
    mpavs_evm_memstate *ms = mpavs_evm_memstate_create();
    if (!ms) abort();
    mpavs_u256 rich = mpavs_u256_from_u64(UINT64_MAX), some = mpavs_u256_from_u64(1000);
    if (mpavs_evm_memstate_set_account(ms, sender, 0, &rich, NULL, 0) ||
        mpavs_evm_memstate_set_account(ms, target, 1, &some, code, code_len))
        abort();
    mpavs_evm_source src;
    mpavs_evm_memstate_source(&src, ms);
    mpavs_evm_state *st = mpavs_evm_state_create(&src);
    if (!st) abort();
    mpavs_evm_block blk;
    memset(&blk, 0, sizeof blk);
    blk.fork = fork;
    blk.number = 10;
    blk.timestamp = 1000;
    blk.gas_limit = 30000000;
    blk.base_fee = mpavs_u256_from_u64(1);
    blk.blob_base_fee = mpavs_u256_from_u64(1);
    blk.chain_id = 1;
    mpavs_evm_tx tx;
    memset(&tx, 0, sizeof tx);
    tx.type = 2;
    memcpy(tx.sender, sender, 20);
    memcpy(tx.to, target, 20);
    tx.gas_limit = gas;
    tx.max_fee = mpavs_u256_from_u64(2);
    tx.max_priority_fee = mpavs_u256_from_u64(1);
    tx.value = mpavs_u256_from_u64(1);
    tx.data = code; /* the code doubles as calldata */
    tx.data_len = code_len;
    mpavs_evm_tx_result res;
    int r = mpavs_evm_execute_tx(st, &res, &blk, &tx);
    if (r == MPAVS_EVM_OK) {
        if (res.gas_used > gas) abort();
        mpavs_evm_sink sink;
        mpavs_evm_memstate_sink(&sink, ms);
        uint8_t root[32];
        if (mpavs_evm_state_commit(st, &sink) || mpavs_evm_memstate_root(root, ms)) abort();
    } else if (r != MPAVS_EVM_ERR_UNSUPPORTED_PRECOMPILE && r != MPAVS_EVM_ERR_TX_INTRINSIC_GAS) {
        abort();
    }
    mpavs_evm_tx_result_clear(&res);
    mpavs_evm_state_destroy(st);
    mpavs_evm_memstate_destroy(ms);
    return 0;
}

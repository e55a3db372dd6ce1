/*
 * libFuzzer target for the EVM precompiles (src/evm/precompile*.c). Input: byte 0 selects the
 * precompile (0x01–0x09, 0x100) and the fork, bytes 1–3 the gas limit (20 bits: up to 2^20, which bounds BLAKE2F rounds), the rest is
 * the call's input. Invariants: the status is SUCCESS or FAILURE (never UNSUPPORTED for these,
 * NOMEM only on allocation failure); gas_used <= the gas limit, all of it on FAILURE; FAILURE
 * and an empty output carry no buffer; the same call twice gives the same result.
 */
#include "evm/precompile.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 4) return 0;
    static const unsigned pcs[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 0x100};
    unsigned pc = pcs[(data[0] & 0x0f) % 10];
    mpavs_evm_fork fork = (mpavs_evm_fork)((data[0] >> 4) % 3);
    if (pc == 0x100) fork = MPAVS_EVM_OSAKA;
    uint64_t gas = (((uint64_t)data[1] << 16) | ((uint64_t)data[2] << 8) | data[3]) & 0xfffff;
    const uint8_t *in = data + 4;
    size_t len = size - 4;
    uint8_t addr[20] = {0};
    addr[18] = (uint8_t)(pc >> 8);
    addr[19] = (uint8_t)pc;

    evm_pc_result a, b;
    evm_precompile_run(&a, fork, addr, in, len, gas);
    if (a.status == EVM_PC_UNSUPPORTED) abort();
    if (a.gas_used > gas) abort();
    if (a.status == EVM_PC_FAILURE && (a.gas_used != gas || a.out || a.out_len)) abort();
    if ((a.out == NULL) != (a.out_len == 0)) abort();
    evm_precompile_run(&b, fork, addr, in, len, gas);
    if (a.status != b.status || a.gas_used != b.gas_used || a.out_len != b.out_len ||
        (a.out_len && memcmp(a.out, b.out, a.out_len) != 0))
        abort();
    free(a.out);
    free(b.out);
    return 0;
}

/* 0x100 P256VERIFY — not yet implemented (work in progress on branch evm-pc). */
#include "evm/precompile_each.h"

evm_pc_status evm_pc_p256verify(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                                uint64_t gas_limit) {
    res->status = EVM_PC_UNSUPPORTED;
    return res->status;
}

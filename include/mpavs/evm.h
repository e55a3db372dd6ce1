/*
 * mpavs/evm.h — the Ethereum Virtual Machine of libmpavs (Cancun, Prague and Osaka rules).
 *
 * This header is being filled in by the EVM engine work (issue "EVM engine"): the fork
 * enumeration below is fixed first because the interpreter, the precompiles and the block
 * executor all key their rules on it.
 */
#ifndef MPAVS_EVM_H
#define MPAVS_EVM_H

#include "mpavs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The upgrades whose execution rules the engine implements, in activation order. */
typedef enum {
    MPAVS_EVM_CANCUN = 0, /**< Dencun execution layer: EIP-1153, 4844, 5656, 6780, 7516. */
    MPAVS_EVM_PRAGUE = 1, /**< Pectra: EIP-2537, 2935, 6110, 7002, 7251, 7623, 7685, 7691, 7702. */
    MPAVS_EVM_OSAKA = 2,  /**< Fusaka: EIP-7823, 7825, 7883, 7918, 7934, 7939, 7951. */
} mpavs_evm_fork;

#ifdef __cplusplus
}
#endif
#endif

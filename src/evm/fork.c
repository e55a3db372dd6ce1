/* src/evm/fork.c — fork names, the fork schedule, blob parameters, result names. */
#include "mpavs/evm.h"

#include <gmp.h>
#include <strings.h>

static const char *const FORK_NAMES[MPAVS_EVM_FORK_COUNT] = {"Cancun", "Prague", "Osaka"};

const char *mpavs_evm_fork_name(mpavs_evm_fork fork) {
    return (unsigned)fork < MPAVS_EVM_FORK_COUNT ? FORK_NAMES[fork] : "unknown fork";
}

int mpavs_evm_fork_parse(mpavs_evm_fork *fork, const char *name) {
    for (int i = 0; i < MPAVS_EVM_FORK_COUNT; i++) {
        if (!strcasecmp(name, FORK_NAMES[i])) {
            *fork = (mpavs_evm_fork)i;
            return MPAVS_EVM_OK;
        }
    }
    return MPAVS_EVM_ERR_FORK;
}

int mpavs_evm_fork_at(mpavs_evm_fork *fork, const mpavs_evm_schedule *s, uint64_t number, uint64_t timestamp) {
    int found = -1;
    for (int i = 0; i < MPAVS_EVM_FORK_COUNT; i++)
        if (s->active[i] && number >= s->block[i] && timestamp >= s->time[i]) found = i;
    if (found < 0) return MPAVS_EVM_ERR_FORK;
    *fork = (mpavs_evm_fork)found;
    return MPAVS_EVM_OK;
}

size_t mpavs_evm_max_blobs_per_tx(mpavs_evm_fork fork) {
    switch (fork) {
    case MPAVS_EVM_CANCUN: return 6;
    case MPAVS_EVM_PRAGUE: return 9;
    default: return 6; /* EIP-7594: at most 6 blobs per transaction from Osaka on */
    }
}

void mpavs_evm_blob_base_fee(mpavs_u256 *fee, mpavs_evm_fork fork, uint64_t excess) {
    mpavs_evm_blob_base_fee_fraction(fee, fork == MPAVS_EVM_CANCUN ? 3338477 : 5007716, excess);
}

void mpavs_evm_blob_base_fee_fraction(mpavs_u256 *fee, uint64_t fraction, uint64_t excess) {
    MPAVS_REQUIRE(fee != NULL && fraction > 0);
    /* e^178 > 2^256: beyond that the fee does not fit and saturates */
    if (excess / fraction >= 178) {
        for (int i = 0; i < 4; i++) fee->w[i] = UINT64_MAX;
        return;
    }
    mpz_t out, acc, num, den;
    mpz_inits(out, acc, num, den, NULL);
    mpz_set_ui(acc, fraction); /* factor 1 * denominator */
    mpz_set_ui(num, excess);
    for (unsigned long i = 1; mpz_sgn(acc) > 0; i++) {
        mpz_add(out, out, acc);
        mpz_mul(acc, acc, num);
        mpz_set_ui(den, fraction);
        mpz_mul_ui(den, den, i);
        mpz_fdiv_q(acc, acc, den);
    }
    mpz_fdiv_q_ui(out, out, fraction);
    for (int i = 0; i < 4; i++) fee->w[i] = 0;
    if (mpz_sizeinbase(out, 2) > 256) {
        for (int i = 0; i < 4; i++) fee->w[i] = UINT64_MAX;
    } else {
        size_t count;
        mpz_export(fee->w, &count, -1, 8, 0, 0, out);
    }
    mpz_clears(out, acc, num, den, NULL);
}

const char *mpavs_evm_strerror(int r) {
    switch (r) {
    case MPAVS_EVM_OK: return "ok";
    case MPAVS_EVM_ERR_NOMEM: return "out of memory";
    case MPAVS_EVM_ERR_SOURCE: return "state source failed (missing account, slot or code)";
    case MPAVS_EVM_ERR_UNSUPPORTED_PRECOMPILE: return "unsupported precompile";
    case MPAVS_EVM_ERR_FORK: return "unknown or inactive fork";
    case MPAVS_EVM_ERR_TX_TYPE: return "transaction type not allowed or malformed";
    case MPAVS_EVM_ERR_TX_NONCE: return "transaction nonce does not match the sender's";
    case MPAVS_EVM_ERR_TX_INTRINSIC_GAS: return "gas limit below intrinsic gas";
    case MPAVS_EVM_ERR_TX_GAS_LIMIT: return "gas limit above the block gas limit or the transaction cap";
    case MPAVS_EVM_ERR_TX_FEE_CAP: return "fee cap below base fee or priority fee above fee cap";
    case MPAVS_EVM_ERR_TX_BALANCE: return "insufficient funds for gas * price + value";
    case MPAVS_EVM_ERR_TX_SENDER_CODE: return "sender has deployed code (EIP-3607)";
    case MPAVS_EVM_ERR_TX_INITCODE_SIZE: return "initcode exceeds 49152 bytes (EIP-3860)";
    case MPAVS_EVM_ERR_TX_BLOB: return "invalid blob transaction (count, version or blob fee)";
    case MPAVS_EVM_ERR_TX_AUTH_LIST: return "invalid set-code transaction (empty list or no target)";
    default: return "unknown evm result";
    }
}

/*
 * Header validation against the parent (Cancun, Prague, Osaka), the EIP-1559 base fee and the
 * EIP-4844 / EIP-7691 / EIP-7918 blob gas rules, and the names and formatting of refusals.
 * The arithmetic that can exceed 64 bits (base fee, blob base fee) is done with GMP.
 */
#include "mpavs/chain.h"
#include "mpavs/hex.h"

#include <gmp.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define GAS_LIMIT_ADJUSTMENT_FACTOR 1024u
#define GAS_LIMIT_MINIMUM 5000u
#define GAS_LIMIT_MAXIMUM 0x7fffffffffffffffULL
#define ELASTICITY_MULTIPLIER 2u
#define BASE_FEE_MAX_CHANGE_DENOMINATOR 8u
#define MAX_EXTRA_DATA 32u

/* keccak256(rlp([])): the ommers hash of every post-Merge block. */
static const uint8_t EMPTY_OMMERS_HASH[32] = {0x1d, 0xcc, 0x4d, 0xe8, 0xde, 0xc7, 0x5d, 0x7a, 0xab, 0x85, 0xb5,
                                              0x67, 0xb6, 0xcc, 0xd4, 0x1a, 0xd3, 0x12, 0x45, 0x1b, 0x94, 0x8a,
                                              0x74, 0x13, 0xf0, 0xa1, 0x42, 0xfd, 0x40, 0xd4, 0x93, 0x47};

const char *mpavs_chain_strerror(int r) {
    switch (r) {
    case MPAVS_CHAIN_OK: return "ok";
    case MPAVS_CHAIN_ERR_PARENT: return "chain: the parent header cannot have children (gas limit below 2)";
    case MPAVS_CHAIN_ERR_OVERFLOW: return "chain: a value derived from the parent overflows";
    case MPAVS_CHAIN_ERR_RECEIPT: return "chain: receipt cannot be encoded (type above 0x7f or more than 4 topics)";
    case MPAVS_CHAIN_ERR_SPACE: return "chain: output buffer too small";
    case MPAVS_CHAIN_ERR_NOMEM: return "chain: out of memory";
    default: return "chain: unknown error";
    }
}

const char *mpavs_chain_field_name(mpavs_chain_field f) {
    switch (f) {
    case MPAVS_CHAIN_FIELD_NONE: return "none";
    case MPAVS_CHAIN_FIELD_PARENT_HASH: return "parentHash";
    case MPAVS_CHAIN_FIELD_OMMERS_HASH: return "sha3Uncles";
    case MPAVS_CHAIN_FIELD_NUMBER: return "number";
    case MPAVS_CHAIN_FIELD_GAS_LIMIT: return "gasLimit";
    case MPAVS_CHAIN_FIELD_GAS_USED: return "gasUsed";
    case MPAVS_CHAIN_FIELD_TIMESTAMP: return "timestamp";
    case MPAVS_CHAIN_FIELD_EXTRA_DATA: return "extraData";
    case MPAVS_CHAIN_FIELD_DIFFICULTY: return "difficulty";
    case MPAVS_CHAIN_FIELD_NONCE: return "nonce";
    case MPAVS_CHAIN_FIELD_BASE_FEE: return "baseFeePerGas";
    case MPAVS_CHAIN_FIELD_WITHDRAWALS_ROOT: return "withdrawalsRoot";
    case MPAVS_CHAIN_FIELD_BLOB_GAS_USED: return "blobGasUsed";
    case MPAVS_CHAIN_FIELD_EXCESS_BLOB_GAS: return "excessBlobGas";
    case MPAVS_CHAIN_FIELD_PARENT_BEACON_ROOT: return "parentBeaconBlockRoot";
    case MPAVS_CHAIN_FIELD_REQUESTS_HASH: return "requestsHash";
    case MPAVS_CHAIN_FIELD_LOGS_BLOOM: return "logsBloom";
    case MPAVS_CHAIN_FIELD_RECEIPTS_ROOT: return "receiptsRoot";
    case MPAVS_CHAIN_FIELD_TRANSACTIONS_ROOT: return "transactionsRoot";
    }
    return "unknown";
}

char *mpavs_chain_refusal_format(char *buf, size_t cap, const mpavs_chain_refusal *why) {
    MPAVS_REQUIRE(buf != NULL && cap > 0 && why != NULL);
    snprintf(buf, cap, "%s: expected %s, got %s", mpavs_chain_field_name(why->field), why->expected,
             why->actual);
    return buf;
}

void mpavs_chain_blob_params_default(mpavs_chain_blob_params *p, mpavs_evm_fork fork) {
    MPAVS_REQUIRE(p != NULL);
    if (fork == MPAVS_EVM_CANCUN) *p = (mpavs_chain_blob_params){3, 6, 3338477};
    else *p = (mpavs_chain_blob_params){6, 9, 5007716};
}

/* ---- GMP helpers ---- */

static void mpz_from_u256(mpz_t z, const mpavs_u256 *a) {
    uint8_t b[32];
    mpavs_u256_to_be32(b, a);
    mpz_import(z, 32, 1, 1, 1, 0, b);
}

/* *a = z if z < 2^256 (returns true), else all ones (returns false). */
static bool mpz_to_u256(mpavs_u256 *a, const mpz_t z) {
    uint8_t b[32];
    if (mpz_sizeinbase(z, 2) > 256) {
        memset(b, 0xff, 32);
        *a = mpavs_u256_from_be32(b);
        return false;
    }
    memset(b, 0, 32);
    size_t n = (mpz_sizeinbase(z, 2) + 7) / 8;
    if (mpz_sgn(z)) mpz_export(b + 32 - n, NULL, 1, 1, 1, 0, z);
    *a = mpavs_u256_from_be32(b);
    return true;
}

static void mpz_set_u64(mpz_t z, uint64_t v) { mpz_import(z, 1, 1, sizeof v, 0, 0, &v); }

int mpavs_chain_expected_base_fee(mpavs_u256 *fee, const mpavs_chain_header *parent) {
    MPAVS_REQUIRE(fee != NULL && parent != NULL);
    uint64_t target = parent->gas_limit / ELASTICITY_MULTIPLIER;
    if (target == 0) return MPAVS_CHAIN_ERR_PARENT;
    mpz_t base, delta;
    mpz_inits(base, delta, NULL);
    if (parent->has_base_fee) mpz_from_u256(base, &parent->base_fee_per_gas);
    uint64_t used = parent->gas_used;
    if (used > target) {
        mpz_set_u64(delta, used - target);
        mpz_mul(delta, delta, base);
        mpz_fdiv_q_ui(delta, delta, target);
        mpz_fdiv_q_ui(delta, delta, BASE_FEE_MAX_CHANGE_DENOMINATOR);
        if (mpz_cmp_ui(delta, 1) < 0) mpz_set_ui(delta, 1);
        mpz_add(base, base, delta);
    } else if (used < target) {
        mpz_set_u64(delta, target - used);
        mpz_mul(delta, delta, base);
        mpz_fdiv_q_ui(delta, delta, target);
        mpz_fdiv_q_ui(delta, delta, BASE_FEE_MAX_CHANGE_DENOMINATOR);
        mpz_sub(base, base, delta); /* delta <= base / 8 */
    }
    bool fits = mpz_to_u256(fee, base);
    mpz_clears(base, delta, NULL);
    return fits ? MPAVS_CHAIN_OK : MPAVS_CHAIN_ERR_OVERFLOW;
}

/*
 * fake_exponential(1, numerator, denominator) of EIP-4844 into out, stopping once the running sum
 * exceeds cap * denominator (the result is then > cap and out = that partial value). The terms
 * grow by numerator / (denominator * i) and shrink once i exceeds that ratio, so the loop runs
 * either until the sum passes the cap or about e * ratio + log2(sum) times, both bounded when
 * the cap is 2^256: a larger ratio passes the cap within a few hundred terms.
 */
static bool fake_exponential(mpz_t out, uint64_t numerator, uint64_t denominator, const mpz_t cap) {
    mpz_t acc, limit, num, den;
    mpz_inits(acc, limit, num, den, NULL);
    mpz_set_u64(num, numerator);
    mpz_set_u64(den, denominator);
    mpz_set(acc, den); /* factor 1 * denominator */
    mpz_mul(limit, cap, den);
    mpz_set_ui(out, 0);
    bool capped = false;
    for (uint64_t i = 1; mpz_sgn(acc) > 0; i++) {
        mpz_add(out, out, acc);
        if (mpz_cmp(out, limit) > 0) {
            capped = true;
            break;
        }
        mpz_mul(acc, acc, num);
        mpz_fdiv_q(acc, acc, den);
        mpz_fdiv_q_ui(acc, acc, i);
    }
    mpz_fdiv_q(out, out, den);
    mpz_clears(acc, limit, num, den, NULL);
    return !capped;
}

int mpavs_chain_blob_base_fee(mpavs_u256 *fee, uint64_t excess_blob_gas, uint64_t update_fraction) {
    MPAVS_REQUIRE(fee != NULL && update_fraction != 0);
    mpz_t out, cap;
    mpz_inits(out, cap, NULL);
    mpz_setbit(cap, 256);
    mpz_sub_ui(cap, cap, 1);
    bool exact = fake_exponential(out, excess_blob_gas, update_fraction, cap);
    bool fits = exact && mpz_to_u256(fee, out);
    if (!fits) mpz_to_u256(fee, cap);
    mpz_clears(out, cap, NULL);
    return fits ? MPAVS_CHAIN_OK : MPAVS_CHAIN_ERR_OVERFLOW;
}

int mpavs_chain_expected_excess_blob_gas(uint64_t *excess, const mpavs_chain_rules *rules,
                                         const mpavs_chain_header *parent) {
    MPAVS_REQUIRE(excess != NULL && rules != NULL && parent != NULL);
    MPAVS_REQUIRE(rules->blob.update_fraction != 0 && rules->blob.max >= rules->blob.target);
    *excess = 0;
    uint64_t p_excess = parent->has_blob_gas ? parent->excess_blob_gas : 0;
    uint64_t p_used = parent->has_blob_gas ? parent->blob_gas_used : 0;
    unsigned __int128 sum = (unsigned __int128)p_excess + p_used;
    unsigned __int128 target = (unsigned __int128)rules->blob.target * MPAVS_CHAIN_GAS_PER_BLOB;
    if (sum < target) return MPAVS_CHAIN_OK;
    unsigned __int128 r = sum - target;
    if (rules->fork >= MPAVS_EVM_OSAKA) {
        /* EIP-7918: while execution costs more than the blobs, excess grows only by the used share */
        mpz_t lhs, rhs, cap;
        mpz_inits(lhs, rhs, cap, NULL);
        if (parent->has_base_fee) mpz_from_u256(lhs, &parent->base_fee_per_gas);
        mpz_mul_ui(lhs, lhs, MPAVS_CHAIN_BLOB_BASE_COST);
        mpz_setbit(cap, 300); /* above any BLOB_BASE_COST * base fee (< 2^269) */
        fake_exponential(rhs, p_excess, rules->blob.update_fraction, cap);
        mpz_mul_ui(rhs, rhs, MPAVS_CHAIN_GAS_PER_BLOB);
        bool reserve = mpz_cmp(lhs, rhs) > 0;
        mpz_clears(lhs, rhs, cap, NULL);
        if (reserve) {
            if (rules->blob.max == 0) return MPAVS_CHAIN_ERR_OVERFLOW;
            r = (unsigned __int128)p_excess +
                (unsigned __int128)p_used * (rules->blob.max - rules->blob.target) / rules->blob.max;
        }
    }
    if (r > UINT64_MAX) return MPAVS_CHAIN_ERR_OVERFLOW;
    *excess = (uint64_t)r;
    return MPAVS_CHAIN_OK;
}

/* ---- the header checks ---- */

static bool refuse(mpavs_chain_refusal *why, mpavs_chain_field f, const char *actual, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool refuse(mpavs_chain_refusal *why, mpavs_chain_field f, const char *actual, const char *fmt, ...) {
    why->field = f;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why->expected, sizeof why->expected, fmt, ap);
    va_end(ap);
    snprintf(why->actual, sizeof why->actual, "%s", actual);
    return false;
}

static const char *u64s(char buf[24], uint64_t v) {
    snprintf(buf, 24, "%" PRIu64, v);
    return buf;
}

static const char *hexs(char *buf, size_t cap, const uint8_t *b, size_t n) {
    if (mpavs_hex_encode(buf, cap, b, n, true) != MPAVS_HEX_OK) snprintf(buf, cap, "?");
    return buf;
}

static bool all_zero(const uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (b[i]) return false;
    return true;
}

/* Presence of a fork-dependent field: required from `since`, absent before. */
static bool presence(mpavs_chain_refusal *why, mpavs_chain_field f, bool has, bool required) {
    if (has == required) return true;
    return refuse(why, f, has ? "present" : "absent", "%s", required ? "present" : "absent");
}

int mpavs_chain_validate_header(bool *ok, mpavs_chain_refusal *why, const mpavs_chain_rules *rules,
                                const mpavs_chain_header *h, const mpavs_chain_header *parent,
                                const uint8_t parent_hash[32]) {
    MPAVS_REQUIRE(ok != NULL && rules != NULL && h != NULL && parent != NULL && parent_hash != NULL);
    mpavs_chain_refusal scratch;
    if (!why) why = &scratch;
    memset(why, 0, sizeof *why);
    *ok = false;
    char a[96], e[96];

    if (memcmp(h->parent_hash, parent_hash, 32) != 0) {
        refuse(why, MPAVS_CHAIN_FIELD_PARENT_HASH, hexs(a, sizeof a, h->parent_hash, 32), "%s",
               hexs(e, sizeof e, parent_hash, 32));
        return MPAVS_CHAIN_OK;
    }
    if (parent->number == UINT64_MAX || h->number != parent->number + 1) {
        refuse(why, MPAVS_CHAIN_FIELD_NUMBER, u64s(a, h->number), "%" PRIu64 " (parent + 1)",
               parent->number + 1);
        return MPAVS_CHAIN_OK;
    }
    if (h->timestamp < parent->timestamp || (h->timestamp == parent->timestamp && !rules->equal_timestamp)) {
        refuse(why, MPAVS_CHAIN_FIELD_TIMESTAMP, u64s(a, h->timestamp), "> %" PRIu64 " (the parent's)",
               parent->timestamp);
        return MPAVS_CHAIN_OK;
    }
    uint64_t pl = parent->gas_limit, delta = pl / GAS_LIMIT_ADJUSTMENT_FACTOR;
    if (h->gas_limit > GAS_LIMIT_MAXIMUM || h->gas_limit < GAS_LIMIT_MINIMUM ||
        (unsigned __int128)h->gas_limit >= (unsigned __int128)pl + delta || h->gas_limit <= pl - delta) {
        refuse(why, MPAVS_CHAIN_FIELD_GAS_LIMIT, u64s(a, h->gas_limit),
               "in (%" PRIu64 ", %" PRIu64 "), >= %u", pl - delta, pl + delta, GAS_LIMIT_MINIMUM);
        return MPAVS_CHAIN_OK;
    }
    if (h->gas_used > h->gas_limit) {
        refuse(why, MPAVS_CHAIN_FIELD_GAS_USED, u64s(a, h->gas_used), "<= %" PRIu64 " (gasLimit)", h->gas_limit);
        return MPAVS_CHAIN_OK;
    }
    if (h->extra_data_len > MAX_EXTRA_DATA) {
        refuse(why, MPAVS_CHAIN_FIELD_EXTRA_DATA, u64s(a, h->extra_data_len), "at most %u bytes", MAX_EXTRA_DATA);
        return MPAVS_CHAIN_OK;
    }
    if (memcmp(h->ommers_hash, EMPTY_OMMERS_HASH, 32) != 0) {
        refuse(why, MPAVS_CHAIN_FIELD_OMMERS_HASH, hexs(a, sizeof a, h->ommers_hash, 32), "%s (no ommers)",
               hexs(e, sizeof e, EMPTY_OMMERS_HASH, 32));
        return MPAVS_CHAIN_OK;
    }
    if (!mpavs_u256_is_zero(&h->difficulty)) {
        if (mpavs_u256_to_dec(a, sizeof a, &h->difficulty) != 0) snprintf(a, sizeof a, "non-zero");
        refuse(why, MPAVS_CHAIN_FIELD_DIFFICULTY, a, "0");
        return MPAVS_CHAIN_OK;
    }
    if (!all_zero(h->nonce, sizeof h->nonce)) {
        refuse(why, MPAVS_CHAIN_FIELD_NONCE, hexs(a, sizeof a, h->nonce, 8), "0x0000000000000000");
        return MPAVS_CHAIN_OK;
    }

    /* the fields of the fork: all of ours have base fee, withdrawals, blob gas and the beacon root
     * (one flag: block.h decodes Cancun's three fields together) */
    bool prague = rules->fork >= MPAVS_EVM_PRAGUE;
    if (!presence(why, MPAVS_CHAIN_FIELD_BASE_FEE, h->has_base_fee, true) ||
        !presence(why, MPAVS_CHAIN_FIELD_WITHDRAWALS_ROOT, h->has_withdrawals_root, true) ||
        !presence(why, MPAVS_CHAIN_FIELD_BLOB_GAS_USED, h->has_blob_gas, true) ||
        !presence(why, MPAVS_CHAIN_FIELD_REQUESTS_HASH, h->has_requests_hash, prague))
        return MPAVS_CHAIN_OK;

    mpavs_u256 fee;
    int r = mpavs_chain_expected_base_fee(&fee, parent);
    if (r != MPAVS_CHAIN_OK) return r;
    if (mpavs_u256_cmp(&fee, &h->base_fee_per_gas) != 0) {
        if (mpavs_u256_to_dec(e, sizeof e, &fee) != 0 || mpavs_u256_to_dec(a, sizeof a, &h->base_fee_per_gas) != 0)
            snprintf(a, sizeof a, "?");
        refuse(why, MPAVS_CHAIN_FIELD_BASE_FEE, a, "%s", e);
        return MPAVS_CHAIN_OK;
    }

    uint64_t max_blob_gas = rules->blob.max * MPAVS_CHAIN_GAS_PER_BLOB;
    if (h->blob_gas_used % MPAVS_CHAIN_GAS_PER_BLOB != 0 || h->blob_gas_used > max_blob_gas) {
        refuse(why, MPAVS_CHAIN_FIELD_BLOB_GAS_USED, u64s(a, h->blob_gas_used),
               "a multiple of %u, <= %" PRIu64, MPAVS_CHAIN_GAS_PER_BLOB, max_blob_gas);
        return MPAVS_CHAIN_OK;
    }
    uint64_t excess;
    r = mpavs_chain_expected_excess_blob_gas(&excess, rules, parent);
    if (r != MPAVS_CHAIN_OK) return r;
    if (h->excess_blob_gas != excess) {
        refuse(why, MPAVS_CHAIN_FIELD_EXCESS_BLOB_GAS, u64s(a, h->excess_blob_gas), "%" PRIu64, excess);
        return MPAVS_CHAIN_OK;
    }
    *ok = true;
    return MPAVS_CHAIN_OK;
}

int mpavs_chain_validate_child(bool *ok, mpavs_chain_refusal *why, const mpavs_chain_rules *rules,
                               const mpavs_chain_header *h, const mpavs_chain_header *parent) {
    MPAVS_REQUIRE(ok != NULL && parent != NULL);
    uint8_t ph[32];
    *ok = false;
    if (mpavs_block_header_hash(ph, parent) != MPAVS_BLOCK_OK) return MPAVS_CHAIN_ERR_PARENT;
    return mpavs_chain_validate_header(ok, why, rules, h, parent, ph);
}

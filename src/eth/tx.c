/*
 * Transactions of types 0 (legacy, EIP-155), 1 (EIP-2930), 2 (EIP-1559),
 * 3 (EIP-4844) and 4 (EIP-7702): encode, hash, sign, parse, recover, the
 * authorizations of type 4 and the static validity rules.
 */
#include "mpavs/tx.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"

#include <string.h>

const char *mpavs_tx_strerror(int r) {
    switch (r) {
    case MPAVS_TX_OK: return "ok";
    case MPAVS_TX_ERR_RLP: return "tx: malformed RLP";
    case MPAVS_TX_ERR_TYPE: return "tx: unsupported transaction type";
    case MPAVS_TX_ERR_FIELDS: return "tx: wrong number of fields";
    case MPAVS_TX_ERR_FIELD: return "tx: malformed field";
    case MPAVS_TX_ERR_ACCESS_LIST: return "tx: malformed access list";
    case MPAVS_TX_ERR_V: return "tx: invalid v / y parity";
    case MPAVS_TX_ERR_SIGNATURE: return "tx: invalid signature";
    case MPAVS_TX_ERR_UNSIGNED: return "tx: transaction is not signed";
    case MPAVS_TX_ERR_SECKEY: return "tx: invalid secret key";
    case MPAVS_TX_ERR_SPACE: return "tx: output buffer too small";
    case MPAVS_TX_ERR_CREATE: return "tx: blob and set-code transactions cannot create contracts";
    case MPAVS_TX_ERR_BLOB_HASHES: return "tx: malformed, missing or wrongly versioned blob hashes";
    case MPAVS_TX_ERR_AUTH_LIST: return "tx: malformed or empty authorization list";
    case MPAVS_TX_ERR_CHAIN_ID: return "tx: wrong chain id";
    case MPAVS_TX_ERR_NONCE_MAX: return "tx: nonce 2^64-1";
    case MPAVS_TX_ERR_FEE_ORDER: return "tx: max priority fee above max fee";
    case MPAVS_TX_ERR_FEE_OVERFLOW: return "tx: gas times fee cap overflows 256 bits";
    case MPAVS_TX_ERR_INITCODE: return "tx: init code longer than 49152 bytes";
    case MPAVS_TX_ERR_TYPE_FORK: return "tx: transaction type not accepted by the fork";
    default: return "tx: unknown error";
    }
}

void mpavs_tx_init(mpavs_tx *tx, int type) {
    MPAVS_REQUIRE(tx != NULL);
    memset(tx, 0, sizeof *tx);
    tx->type = type;
}

/* ------------------------------------------------------------ encoding sink */

/* Bytes go to a buffer, a keccak sponge, or nowhere (counting only). */
typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t len;
    mpavs_keccak_ctx *k;
    bool overflow;
} sink;

static void put(sink *s, const void *p, size_t n) {
    if (s->k) mpavs_keccak_update(s->k, p, n);
    if (s->buf) {
        if (s->overflow || n > s->cap - s->len)
            s->overflow = true;
        else if (n)
            memcpy(s->buf + s->len, p, n);
    }
    s->len += n;
}

static void put_str(sink *s, const uint8_t *p, size_t n) {
    if (!(n == 1 && p[0] < 0x80)) {
        uint8_t h[9];
        put(s, h, mpavs_rlp_encode_header(h, false, n));
    }
    put(s, p, n);
}

static void put_u64(sink *s, uint64_t v) {
    uint8_t b[8];
    size_t k = 0;
    for (int i = 7; i >= 0; i--) {
        uint8_t x = (uint8_t)(v >> (8 * i));
        if (k || x) b[k++] = x;
    }
    put_str(s, b, k);
}

static void put_u256(sink *s, const mpavs_u256 *v) {
    uint8_t b[32];
    size_t k;
    mpavs_u256_to_be_min(b, &k, v);
    put_str(s, b, k);
}

static void put_int_be32(sink *s, const uint8_t x[32]) { /* r, s: strip leading zeros */
    size_t i = 0;
    while (i < 32 && x[i] == 0) i++;
    put_str(s, x + i, 32 - i);
}

static const uint8_t EMPTY_LIST = 0xc0;

enum { SIGNING, SIGNED };

static bool has_fee_cap(int type) { return type >= MPAVS_TX_TYPE_EIP1559; }

static void put_list_or_empty(sink *s, const uint8_t *rlp, size_t len) {
    if (rlp && len)
        put(s, rlp, len);
    else
        put(s, &EMPTY_LIST, 1);
}

static void fields(sink *s, const mpavs_tx *tx, int mode) {
    bool typed = tx->type != MPAVS_TX_TYPE_LEGACY;
    if (typed) put_u64(s, tx->chain_id);
    put_u64(s, tx->nonce);
    if (has_fee_cap(tx->type)) {
        put_u256(s, &tx->max_priority_fee_per_gas);
        put_u256(s, &tx->max_fee_per_gas);
    } else {
        put_u256(s, &tx->gas_price);
    }
    put_u64(s, tx->gas_limit);
    put_str(s, tx->to.bytes, tx->has_to ? 20 : 0);
    put_u256(s, &tx->value);
    put_str(s, tx->data, tx->data_len);
    if (typed) {
        put_list_or_empty(s, tx->access_list_rlp, tx->access_list_rlp_len);
        if (tx->type == MPAVS_TX_TYPE_EIP4844) {
            put_u256(s, &tx->max_fee_per_blob_gas);
            put_list_or_empty(s, tx->blob_hashes_rlp, tx->blob_hashes_rlp_len);
        } else if (tx->type == MPAVS_TX_TYPE_EIP7702) {
            put_list_or_empty(s, tx->authorization_list_rlp, tx->authorization_list_rlp_len);
        }
        if (mode == SIGNED) put_u64(s, tx->sig.recid);
    } else if (mode == SIGNING) {
        if (tx->chain_id) {
            put_u64(s, tx->chain_id);
            put_u64(s, 0);
            put_u64(s, 0);
        }
    } else { /* legacy v = 35 + 2 chainId + parity (or 27 + parity) */
        mpavs_u256 v = mpavs_u256_from_u64(tx->chain_id), t;
        if (tx->chain_id) {
            mpavs_u256_add(&v, &v, &v);
            t = mpavs_u256_from_u64(35u + tx->sig.recid);
        } else {
            t = mpavs_u256_from_u64(27u + tx->sig.recid);
        }
        mpavs_u256_add(&v, &v, &t);
        put_u256(s, &v);
    }
    if (mode == SIGNED) {
        put_int_be32(s, tx->sig.r);
        put_int_be32(s, tx->sig.s);
    }
}

static void encode(sink *s, const mpavs_tx *tx, int mode) {
    sink count = {0};
    fields(&count, tx, mode);
    if (tx->type != MPAVS_TX_TYPE_LEGACY) {
        uint8_t t = (uint8_t)tx->type;
        put(s, &t, 1);
    }
    uint8_t h[9];
    put(s, h, mpavs_rlp_encode_header(h, true, count.len));
    fields(s, tx, mode);
}

static bool is_list_rlp(const uint8_t *rlp, size_t len) {
    mpavs_rlp_item it;
    return !rlp || !len || (mpavs_rlp_decode(&it, rlp, len) == MPAVS_RLP_OK && it.is_list);
}

static int check_buildable(const mpavs_tx *tx) {
    if (tx->type < MPAVS_TX_TYPE_LEGACY || tx->type > MPAVS_TX_TYPE_EIP7702) return MPAVS_TX_ERR_TYPE;
    MPAVS_REQUIRE(tx->data != NULL || tx->data_len == 0);
    if (tx->type != MPAVS_TX_TYPE_LEGACY && !is_list_rlp(tx->access_list_rlp, tx->access_list_rlp_len))
        return MPAVS_TX_ERR_ACCESS_LIST;
    if (tx->type >= MPAVS_TX_TYPE_EIP4844 && !tx->has_to) return MPAVS_TX_ERR_CREATE;
    if (tx->type == MPAVS_TX_TYPE_EIP4844 && !is_list_rlp(tx->blob_hashes_rlp, tx->blob_hashes_rlp_len))
        return MPAVS_TX_ERR_BLOB_HASHES;
    if (tx->type == MPAVS_TX_TYPE_EIP7702 &&
        !is_list_rlp(tx->authorization_list_rlp, tx->authorization_list_rlp_len))
        return MPAVS_TX_ERR_AUTH_LIST;
    return MPAVS_TX_OK;
}

int mpavs_tx_signing_hash(uint8_t out[32], const mpavs_tx *tx) {
    MPAVS_REQUIRE(out != NULL && tx != NULL);
    int r = check_buildable(tx);
    if (r) return r;
    mpavs_keccak_ctx k;
    mpavs_keccak256_init(&k);
    sink s = {.k = &k};
    encode(&s, tx, SIGNING);
    mpavs_keccak_final(&k, out);
    return MPAVS_TX_OK;
}

int mpavs_tx_sign(const mpavs_ecdsa_ctx *ctx, mpavs_tx *tx, const uint8_t seckey[32]) {
    MPAVS_REQUIRE(ctx != NULL && tx != NULL && seckey != NULL);
    uint8_t h[32];
    int r = mpavs_tx_signing_hash(h, tx);
    if (r) return r;
    tx->is_signed = false;
    if (mpavs_ecdsa_sign(ctx, &tx->sig, h, seckey) != MPAVS_ECDSA_OK) return MPAVS_TX_ERR_SECKEY;
    tx->is_signed = true;
    return MPAVS_TX_OK;
}

size_t mpavs_tx_encoded_size_max(const mpavs_tx *tx) {
    MPAVS_REQUIRE(tx != NULL);
    /* 14 fields of at most 33+9 bytes, list header 9, type byte 1, plus the variable parts */
    return 14 * 42 + 10 + tx->data_len + 9 + tx->access_list_rlp_len + tx->blob_hashes_rlp_len +
           tx->authorization_list_rlp_len + 3;
}

int mpavs_tx_serialize(uint8_t *out, size_t cap, size_t *len, const mpavs_tx *tx) {
    MPAVS_REQUIRE(out != NULL && len != NULL && tx != NULL);
    *len = 0;
    int r = check_buildable(tx);
    if (r) return r;
    if (!tx->is_signed) return MPAVS_TX_ERR_UNSIGNED;
    sink s = {.buf = out, .cap = cap};
    encode(&s, tx, SIGNED);
    if (s.overflow) return MPAVS_TX_ERR_SPACE;
    *len = s.len;
    return MPAVS_TX_OK;
}

int mpavs_tx_hash(uint8_t out[32], const mpavs_tx *tx) {
    MPAVS_REQUIRE(out != NULL && tx != NULL);
    int r = check_buildable(tx);
    if (r) return r;
    if (!tx->is_signed) return MPAVS_TX_ERR_UNSIGNED;
    mpavs_keccak_ctx k;
    mpavs_keccak256_init(&k);
    sink s = {.k = &k};
    encode(&s, tx, SIGNED);
    mpavs_keccak_final(&k, out);
    return MPAVS_TX_OK;
}

/* ------------------------------------------------------------ parsing */

static int get_u64(uint64_t *v, mpavs_rlp_iter *it) {
    mpavs_rlp_item x;
    if (mpavs_rlp_next(it, &x)) return MPAVS_TX_ERR_FIELDS;
    return mpavs_rlp_get_u64(v, &x) ? MPAVS_TX_ERR_FIELD : MPAVS_TX_OK;
}

static int get_u256(mpavs_u256 *v, mpavs_rlp_iter *it) {
    mpavs_rlp_item x;
    if (mpavs_rlp_next(it, &x)) return MPAVS_TX_ERR_FIELDS;
    return mpavs_rlp_get_u256(v, &x) ? MPAVS_TX_ERR_FIELD : MPAVS_TX_OK;
}

static int get_be32(uint8_t out[32], mpavs_rlp_iter *it) {
    mpavs_u256 v;
    int r = get_u256(&v, it);
    if (r) return r;
    mpavs_u256_to_be32(out, &v);
    return MPAVS_TX_OK;
}

/* [[address(20), [key(32), ...]], ...] */
static int check_access_list(mpavs_tx *tx, const mpavs_rlp_item *list) {
    if (!list->is_list) return MPAVS_TX_ERR_ACCESS_LIST;
    mpavs_rlp_iter it, e, k;
    mpavs_rlp_item entry, addr, keys, key;
    int r;
    if (mpavs_rlp_iter_init(&it, list)) return MPAVS_TX_ERR_ACCESS_LIST;
    while ((r = mpavs_rlp_next(&it, &entry)) == MPAVS_RLP_OK) {
        if (mpavs_rlp_iter_init(&e, &entry) || mpavs_rlp_next(&e, &addr) ||
            mpavs_rlp_next(&e, &keys) || !mpavs_rlp_iter_done(&e) || addr.is_list ||
            addr.len != 20 || mpavs_rlp_iter_init(&k, &keys))
            return MPAVS_TX_ERR_ACCESS_LIST;
        tx->access_list_addresses++;
        while ((r = mpavs_rlp_next(&k, &key)) == MPAVS_RLP_OK) {
            if (key.is_list || key.len != 32) return MPAVS_TX_ERR_ACCESS_LIST;
            tx->access_list_keys++;
        }
        if (r != MPAVS_RLP_ERR_END) return MPAVS_TX_ERR_ACCESS_LIST;
    }
    return r == MPAVS_RLP_ERR_END ? MPAVS_TX_OK : MPAVS_TX_ERR_ACCESS_LIST;
}

/* [hash(32), ...] */
static int check_blob_hashes(mpavs_tx *tx, const mpavs_rlp_item *list) {
    if (!list->is_list) return MPAVS_TX_ERR_BLOB_HASHES;
    mpavs_rlp_iter it;
    mpavs_rlp_item h;
    int r;
    if (mpavs_rlp_iter_init(&it, list)) return MPAVS_TX_ERR_BLOB_HASHES;
    while ((r = mpavs_rlp_next(&it, &h)) == MPAVS_RLP_OK) {
        if (h.is_list || h.len != 32) return MPAVS_TX_ERR_BLOB_HASHES;
        tx->blob_hash_count++;
    }
    return r == MPAVS_RLP_ERR_END ? MPAVS_TX_OK : MPAVS_TX_ERR_BLOB_HASHES;
}

/* One authorization tuple [chainId, address, nonce, yParity, r, s] into a (may be NULL). */
static int parse_authorization(mpavs_tx_authorization *a, const mpavs_rlp_item *item) {
    mpavs_tx_authorization tmp;
    if (!a) a = &tmp;
    memset(a, 0, sizeof *a);
    mpavs_rlp_iter it;
    mpavs_rlp_item x;
    uint64_t y;
    mpavs_u256 v;
    if (!item->is_list || mpavs_rlp_iter_init(&it, item)) return MPAVS_TX_ERR_AUTH_LIST;
    if (mpavs_rlp_next(&it, &x) || mpavs_rlp_get_u256(&a->chain_id, &x)) return MPAVS_TX_ERR_AUTH_LIST;
    if (mpavs_rlp_next(&it, &x) || x.is_list || x.len != 20) return MPAVS_TX_ERR_AUTH_LIST;
    memcpy(a->address.bytes, x.p, 20);
    if (mpavs_rlp_next(&it, &x) || mpavs_rlp_get_u64(&a->nonce, &x)) return MPAVS_TX_ERR_AUTH_LIST;
    if (mpavs_rlp_next(&it, &x) || mpavs_rlp_get_u64(&y, &x) || y > 255) return MPAVS_TX_ERR_AUTH_LIST;
    a->y_parity = (uint8_t)y;
    if (mpavs_rlp_next(&it, &x) || mpavs_rlp_get_u256(&v, &x)) return MPAVS_TX_ERR_AUTH_LIST;
    mpavs_u256_to_be32(a->r, &v);
    if (mpavs_rlp_next(&it, &x) || mpavs_rlp_get_u256(&v, &x)) return MPAVS_TX_ERR_AUTH_LIST;
    mpavs_u256_to_be32(a->s, &v);
    return mpavs_rlp_iter_done(&it) ? MPAVS_TX_OK : MPAVS_TX_ERR_AUTH_LIST;
}

static int check_auth_list(mpavs_tx *tx, const mpavs_rlp_item *list) {
    if (!list->is_list) return MPAVS_TX_ERR_AUTH_LIST;
    mpavs_rlp_iter it;
    mpavs_rlp_item e;
    int r;
    if (mpavs_rlp_iter_init(&it, list)) return MPAVS_TX_ERR_AUTH_LIST;
    while ((r = mpavs_rlp_next(&it, &e)) == MPAVS_RLP_OK) {
        if (parse_authorization(NULL, &e)) return MPAVS_TX_ERR_AUTH_LIST;
        tx->authorization_count++;
    }
    return r == MPAVS_RLP_ERR_END ? MPAVS_TX_OK : MPAVS_TX_ERR_AUTH_LIST;
}

static size_t field_count(int type) {
    static const size_t counts[] = {9, 11, 12, 14, 13};
    return counts[type];
}

static int parse_fields(mpavs_tx *tx, const mpavs_rlp_item *top) {
    mpavs_rlp_iter it;
    mpavs_rlp_item x;
    int r;
    size_t n;
    bool typed = tx->type != MPAVS_TX_TYPE_LEGACY;
    if (!top->is_list) return MPAVS_TX_ERR_RLP;
    if (mpavs_rlp_list_count(&n, top)) return MPAVS_TX_ERR_RLP;
    if (n != field_count(tx->type)) return MPAVS_TX_ERR_FIELDS;
    if (mpavs_rlp_iter_init(&it, top)) return MPAVS_TX_ERR_RLP;
    if (typed && (r = get_u64(&tx->chain_id, &it))) return r;
    if ((r = get_u64(&tx->nonce, &it))) return r;
    if (has_fee_cap(tx->type)) {
        if ((r = get_u256(&tx->max_priority_fee_per_gas, &it)) || (r = get_u256(&tx->max_fee_per_gas, &it)))
            return r;
    } else if ((r = get_u256(&tx->gas_price, &it))) {
        return r;
    }
    if ((r = get_u64(&tx->gas_limit, &it))) return r;
    if (mpavs_rlp_next(&it, &x)) return MPAVS_TX_ERR_FIELDS;
    if (x.is_list || (x.len != 0 && x.len != 20)) return MPAVS_TX_ERR_FIELD;
    tx->has_to = x.len == 20;
    if (tx->has_to) memcpy(tx->to.bytes, x.p, 20);
    if (!tx->has_to && tx->type >= MPAVS_TX_TYPE_EIP4844) return MPAVS_TX_ERR_CREATE;
    if ((r = get_u256(&tx->value, &it))) return r;
    if (mpavs_rlp_next(&it, &x)) return MPAVS_TX_ERR_FIELDS;
    if (x.is_list) return MPAVS_TX_ERR_FIELD;
    tx->data = x.len ? x.p : NULL;
    tx->data_len = x.len;
    if (typed) {
        if (mpavs_rlp_next(&it, &x)) return MPAVS_TX_ERR_FIELDS;
        if ((r = check_access_list(tx, &x))) return r;
        tx->access_list_rlp = x.raw;
        tx->access_list_rlp_len = x.raw_len;
        if (tx->type == MPAVS_TX_TYPE_EIP4844) {
            if ((r = get_u256(&tx->max_fee_per_blob_gas, &it))) return r;
            if (mpavs_rlp_next(&it, &x)) return MPAVS_TX_ERR_FIELDS;
            if ((r = check_blob_hashes(tx, &x))) return r;
            tx->blob_hashes_rlp = x.raw;
            tx->blob_hashes_rlp_len = x.raw_len;
        } else if (tx->type == MPAVS_TX_TYPE_EIP7702) {
            if (mpavs_rlp_next(&it, &x)) return MPAVS_TX_ERR_FIELDS;
            if ((r = check_auth_list(tx, &x))) return r;
            tx->authorization_list_rlp = x.raw;
            tx->authorization_list_rlp_len = x.raw_len;
        }
        uint64_t parity;
        if ((r = get_u64(&parity, &it))) return r == MPAVS_TX_ERR_FIELD ? MPAVS_TX_ERR_V : r;
        if (parity > 1) return MPAVS_TX_ERR_V;
        tx->sig.recid = (uint8_t)parity;
    } else {
        mpavs_u256 v;
        if ((r = get_u256(&v, &it))) return r == MPAVS_TX_ERR_FIELD ? MPAVS_TX_ERR_V : r;
        mpavs_u256 c35 = mpavs_u256_from_u64(35);
        if (mpavs_u256_bits(&v) <= 5 && (v.w[0] == 27 || v.w[0] == 28)) {
            tx->chain_id = 0;
            tx->sig.recid = (uint8_t)(v.w[0] - 27);
        } else if (mpavs_u256_cmp(&v, &c35) >= 0) {
            mpavs_u256_sub(&v, &v, &c35);
            tx->sig.recid = (uint8_t)(v.w[0] & 1);
            mpavs_u256_shr(&v, &v, 1);
            if (mpavs_u256_bits(&v) > 64 || mpavs_u256_is_zero(&v)) return MPAVS_TX_ERR_V;
            tx->chain_id = v.w[0];
        } else {
            return MPAVS_TX_ERR_V;
        }
    }
    if ((r = get_be32(tx->sig.r, &it)) || (r = get_be32(tx->sig.s, &it))) return r;
    tx->is_signed = true;
    return MPAVS_TX_OK;
}

int mpavs_tx_parse(mpavs_tx *tx, const uint8_t *raw, size_t len) {
    MPAVS_REQUIRE(tx != NULL && (raw != NULL || len == 0));
    mpavs_tx_init(tx, MPAVS_TX_TYPE_LEGACY);
    if (len == 0) return MPAVS_TX_ERR_RLP;
    mpavs_rlp_item top;
    int r;
    if (raw[0] >= 0xc0) {
        r = mpavs_rlp_decode(&top, raw, len);
    } else if (raw[0] >= MPAVS_TX_TYPE_EIP2930 && raw[0] <= MPAVS_TX_TYPE_EIP7702) {
        tx->type = raw[0];
        r = mpavs_rlp_decode(&top, raw + 1, len - 1);
    } else if (raw[0] < 0x80) {
        return MPAVS_TX_ERR_TYPE;
    } else {
        return MPAVS_TX_ERR_RLP;
    }
    if (r) return MPAVS_TX_ERR_RLP;
    r = parse_fields(tx, &top);
    if (r) {
        int type = tx->type;
        mpavs_tx_init(tx, type);
    }
    return r;
}

int mpavs_tx_sender(const mpavs_ecdsa_ctx *ctx, mpavs_address *from, const mpavs_tx *tx) {
    MPAVS_REQUIRE(ctx != NULL && from != NULL && tx != NULL);
    memset(from, 0, sizeof *from);
    if (!tx->is_signed) return MPAVS_TX_ERR_UNSIGNED;
    uint8_t h[32];
    int r = mpavs_tx_signing_hash(h, tx);
    if (r) return r;
    if (mpavs_ecdsa_recover_address(ctx, from, &tx->sig, h) != MPAVS_ECDSA_OK)
        return MPAVS_TX_ERR_SIGNATURE;
    return MPAVS_TX_OK;
}

/* ------------------------------------------------------------ type 3 and 4 parts */

int mpavs_tx_blob_hash(uint8_t out[32], const mpavs_tx *tx, size_t i) {
    MPAVS_REQUIRE(out && tx);
    memset(out, 0, 32);
    if (i >= tx->blob_hash_count || !tx->blob_hashes_rlp) return MPAVS_TX_ERR_BLOB_HASHES;
    mpavs_rlp_item list;
    if (mpavs_rlp_decode_item(&list, tx->blob_hashes_rlp, tx->blob_hashes_rlp_len) || !list.is_list ||
        list.len < 33 * (i + 1))
        return MPAVS_TX_ERR_BLOB_HASHES;
    const uint8_t *p = list.p + 33 * i; /* each item is 0xa0 ‖ 32 bytes (checked by mpavs_tx_parse) */
    if (p[0] != 0xa0) return MPAVS_TX_ERR_BLOB_HASHES;
    memcpy(out, p + 1, 32);
    return MPAVS_TX_OK;
}

int mpavs_tx_authorizations(mpavs_tx_authorization *out, size_t cap, size_t *count, const mpavs_tx *tx) {
    MPAVS_REQUIRE(count && tx && (out || cap == 0));
    *count = 0;
    if (!tx->authorization_list_rlp || !tx->authorization_list_rlp_len) return MPAVS_TX_OK;
    mpavs_rlp_item list, e;
    mpavs_rlp_iter it;
    int r;
    if (mpavs_rlp_decode(&list, tx->authorization_list_rlp, tx->authorization_list_rlp_len) ||
        mpavs_rlp_iter_init(&it, &list))
        return MPAVS_TX_ERR_AUTH_LIST;
    while ((r = mpavs_rlp_next(&it, &e)) == MPAVS_RLP_OK) {
        if (*count == cap) return MPAVS_TX_ERR_SPACE;
        if (parse_authorization(&out[*count], &e)) return MPAVS_TX_ERR_AUTH_LIST;
        (*count)++;
    }
    return r == MPAVS_RLP_ERR_END ? MPAVS_TX_OK : MPAVS_TX_ERR_AUTH_LIST;
}

/* keccak256(0x05 ‖ rlp([chainId, address, nonce])) */
static void authorization_hash(uint8_t h[32], const mpavs_tx_authorization *a) {
    sink count = {0};
    put_u256(&count, &a->chain_id);
    put_str(&count, a->address.bytes, 20);
    put_u64(&count, a->nonce);
    mpavs_keccak_ctx k;
    mpavs_keccak256_init(&k);
    sink s = {.k = &k};
    const uint8_t magic = 0x05;
    put(&s, &magic, 1);
    uint8_t hdr[9];
    put(&s, hdr, mpavs_rlp_encode_header(hdr, true, count.len));
    put_u256(&s, &a->chain_id);
    put_str(&s, a->address.bytes, 20);
    put_u64(&s, a->nonce);
    mpavs_keccak_final(&k, h);
}

int mpavs_tx_authority(const mpavs_ecdsa_ctx *ctx, mpavs_address *authority,
                       const mpavs_tx_authorization *auth) {
    MPAVS_REQUIRE(ctx && authority && auth);
    memset(authority, 0, sizeof *authority);
    if (auth->y_parity > 1) return MPAVS_TX_ERR_SIGNATURE;
    uint8_t h[32];
    authorization_hash(h, auth);
    mpavs_ecdsa_sig sig;
    memcpy(sig.r, auth->r, 32);
    memcpy(sig.s, auth->s, 32);
    sig.recid = auth->y_parity;
    if (mpavs_ecdsa_recover_address(ctx, authority, &sig, h) != MPAVS_ECDSA_OK) {
        memset(authority, 0, sizeof *authority);
        return MPAVS_TX_ERR_SIGNATURE;
    }
    return MPAVS_TX_OK;
}

int mpavs_tx_authorization_sign(const mpavs_ecdsa_ctx *ctx, mpavs_tx_authorization *auth,
                                const uint8_t seckey[32]) {
    MPAVS_REQUIRE(ctx && auth && seckey);
    uint8_t h[32];
    authorization_hash(h, auth);
    mpavs_ecdsa_sig sig;
    if (mpavs_ecdsa_sign(ctx, &sig, h, seckey) != MPAVS_ECDSA_OK) return MPAVS_TX_ERR_SECKEY;
    memcpy(auth->r, sig.r, 32);
    memcpy(auth->s, sig.s, 32);
    auth->y_parity = sig.recid;
    return MPAVS_TX_OK;
}

size_t mpavs_tx_authorization_encode(uint8_t out[MPAVS_TX_AUTHORIZATION_MAX],
                                     const mpavs_tx_authorization *a) {
    MPAVS_REQUIRE(out && a);
    sink count = {0};
    put_u256(&count, &a->chain_id);
    put_str(&count, a->address.bytes, 20);
    put_u64(&count, a->nonce);
    put_u64(&count, a->y_parity);
    put_int_be32(&count, a->r);
    put_int_be32(&count, a->s);
    sink s = {.buf = out, .cap = MPAVS_TX_AUTHORIZATION_MAX};
    uint8_t hdr[9];
    put(&s, hdr, mpavs_rlp_encode_header(hdr, true, count.len));
    put_u256(&s, &a->chain_id);
    put_str(&s, a->address.bytes, 20);
    put_u64(&s, a->nonce);
    put_u64(&s, a->y_parity);
    put_int_be32(&s, a->r);
    put_int_be32(&s, a->s);
    MPAVS_REQUIRE(!s.overflow);
    return s.len;
}

/* ------------------------------------------------------------ static validity */

int mpavs_tx_validate_static(const mpavs_tx *tx, uint64_t chain_id, int max_type) {
    MPAVS_REQUIRE(tx != NULL);
    if (tx->type > max_type) return MPAVS_TX_ERR_TYPE_FORK;
    if (tx->type != MPAVS_TX_TYPE_LEGACY || tx->chain_id != 0)
        if (tx->chain_id != chain_id) return MPAVS_TX_ERR_CHAIN_ID;
    if (tx->nonce == UINT64_MAX) return MPAVS_TX_ERR_NONCE_MAX;
    const mpavs_u256 *cap = has_fee_cap(tx->type) ? &tx->max_fee_per_gas : &tx->gas_price;
    if (has_fee_cap(tx->type) && mpavs_u256_cmp(&tx->max_priority_fee_per_gas, &tx->max_fee_per_gas) > 0)
        return MPAVS_TX_ERR_FEE_ORDER;
    mpavs_u256 gas = mpavs_u256_from_u64(tx->gas_limit), prod;
    if (mpavs_u256_mul(&prod, &gas, cap)) return MPAVS_TX_ERR_FEE_OVERFLOW;
    if (!tx->has_to && tx->data_len > 49152) return MPAVS_TX_ERR_INITCODE;
    if (tx->type == MPAVS_TX_TYPE_EIP4844) {
        if (tx->blob_hash_count == 0) return MPAVS_TX_ERR_BLOB_HASHES;
        for (size_t i = 0; i < tx->blob_hash_count; i++) {
            uint8_t h[32];
            if (mpavs_tx_blob_hash(h, tx, i) || h[0] != 0x01) return MPAVS_TX_ERR_BLOB_HASHES;
        }
    }
    if (tx->type == MPAVS_TX_TYPE_EIP7702 && tx->authorization_count == 0) return MPAVS_TX_ERR_AUTH_LIST;
    return MPAVS_TX_OK;
}

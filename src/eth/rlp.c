/* RLP encoding and canonical, bounds-checked decoding (yellow paper, appendix B). */
#include "mpavs/rlp.h"

#include <string.h>

const char *mpavs_rlp_strerror(int r) {
    switch (r) {
    case MPAVS_RLP_OK: return "ok";
    case MPAVS_RLP_ERR_TRUNCATED: return "rlp: input truncated (item runs past the end)";
    case MPAVS_RLP_ERR_NONCANONICAL: return "rlp: non-canonical encoding";
    case MPAVS_RLP_ERR_TOO_BIG: return "rlp: length too big";
    case MPAVS_RLP_ERR_TRAILING: return "rlp: trailing bytes after the item";
    case MPAVS_RLP_ERR_DEPTH: return "rlp: lists nested too deeply";
    case MPAVS_RLP_ERR_EXPECTED_LIST: return "rlp: expected a list, got a byte string";
    case MPAVS_RLP_ERR_EXPECTED_STRING: return "rlp: expected a byte string, got a list";
    case MPAVS_RLP_ERR_END: return "rlp: list has fewer items than expected";
    case MPAVS_RLP_ERR_INT_LEADING_ZERO: return "rlp: integer with a leading zero byte";
    case MPAVS_RLP_ERR_INT_OVERFLOW: return "rlp: integer too large";
    case MPAVS_RLP_ERR_SPACE: return "rlp: output buffer too small";
    case MPAVS_RLP_ERR_UNBALANCED: return "rlp: unbalanced list begin/end";
    default: return "rlp: unknown error";
    }
}

/* ---------------------------------------------------------------- encoding */

static unsigned be_len(size_t n) { /* bytes needed for n > 0 */
    unsigned k = 0;
    while (n) {
        k++;
        n >>= 8;
    }
    return k;
}

size_t mpavs_rlp_encode_header(uint8_t out[9], bool is_list, size_t payload_len) {
    MPAVS_REQUIRE(out != NULL);
    uint8_t base = is_list ? 0xc0 : 0x80;
    if (payload_len < 56) {
        out[0] = (uint8_t)(base + payload_len);
        return 1;
    }
    unsigned k = be_len(payload_len);
    out[0] = (uint8_t)(base + 55 + k);
    for (unsigned i = 0; i < k; i++) out[1 + i] = (uint8_t)(payload_len >> (8 * (k - 1 - i)));
    return 1 + k;
}

size_t mpavs_rlp_bytes_size(const uint8_t *data, size_t len) {
    if (len == 1 && data[0] < 0x80) return 1;
    if (len < 56) return 1 + len;
    return 1 + be_len(len) + len;
}

void mpavs_rlp_writer_init(mpavs_rlp_writer *w, uint8_t *buf, size_t cap) {
    MPAVS_REQUIRE(w != NULL && (buf != NULL || cap == 0));
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
    w->err = MPAVS_RLP_OK;
    w->open = 0;
}

static void put(mpavs_rlp_writer *w, const uint8_t *p, size_t n) {
    if (w->err) return;
    if (n > w->cap - w->len) {
        w->err = MPAVS_RLP_ERR_SPACE;
        return;
    }
    if (n) memcpy(w->buf + w->len, p, n);
    w->len += n;
}

void mpavs_rlp_put_bytes(mpavs_rlp_writer *w, const uint8_t *data, size_t len) {
    MPAVS_REQUIRE(w != NULL && (data != NULL || len == 0));
    if (!(len == 1 && data[0] < 0x80)) {
        uint8_t h[9];
        put(w, h, mpavs_rlp_encode_header(h, false, len));
    }
    put(w, data, len);
}

void mpavs_rlp_put_u64(mpavs_rlp_writer *w, uint64_t v) {
    uint8_t b[8];
    unsigned k = 0;
    for (int i = 7; i >= 0; i--) {
        uint8_t x = (uint8_t)(v >> (8 * i));
        if (k || x) b[k++] = x;
    }
    mpavs_rlp_put_bytes(w, b, k);
}

void mpavs_rlp_put_u256(mpavs_rlp_writer *w, const mpavs_u256 *v) {
    MPAVS_REQUIRE(v != NULL);
    uint8_t b[32];
    size_t k;
    mpavs_u256_to_be_min(b, &k, v);
    mpavs_rlp_put_bytes(w, b, k);
}

void mpavs_rlp_put_raw(mpavs_rlp_writer *w, const uint8_t *rlp, size_t len) {
    MPAVS_REQUIRE(w != NULL && (rlp != NULL || len == 0));
    put(w, rlp, len);
}

void mpavs_rlp_list_begin(mpavs_rlp_writer *w, size_t *mark) {
    MPAVS_REQUIRE(w != NULL && mark != NULL);
    *mark = w->len;
    w->open++;
}

void mpavs_rlp_list_end(mpavs_rlp_writer *w, size_t mark) {
    MPAVS_REQUIRE(w != NULL);
    if (w->err) return;
    if (w->open == 0 || mark > w->len) {
        w->err = MPAVS_RLP_ERR_UNBALANCED;
        return;
    }
    w->open--;
    size_t payload = w->len - mark;
    uint8_t h[9];
    size_t hl = mpavs_rlp_encode_header(h, true, payload);
    if (hl > w->cap - w->len) {
        w->err = MPAVS_RLP_ERR_SPACE;
        return;
    }
    memmove(w->buf + mark + hl, w->buf + mark, payload);
    memcpy(w->buf + mark, h, hl);
    w->len += hl;
}

int mpavs_rlp_writer_finish(mpavs_rlp_writer *w, size_t *len) {
    MPAVS_REQUIRE(w != NULL && len != NULL);
    *len = w->len;
    if (w->err) return w->err;
    if (w->open) return MPAVS_RLP_ERR_UNBALANCED;
    return MPAVS_RLP_OK;
}

/* ---------------------------------------------------------------- decoding */

int mpavs_rlp_decode_item(mpavs_rlp_item *item, const uint8_t *in, size_t len) {
    MPAVS_REQUIRE(item != NULL && (in != NULL || len == 0));
    memset(item, 0, sizeof *item);
    if (len == 0) return MPAVS_RLP_ERR_TRUNCATED;
    uint8_t b = in[0];
    size_t hl, pl;
    bool list = b >= 0xc0;
    if (b < 0x80) { /* the byte is its own encoding */
        item->is_list = false;
        item->p = in;
        item->len = 1;
        item->raw = in;
        item->raw_len = 1;
        return MPAVS_RLP_OK;
    }
    uint8_t base = list ? 0xc0 : 0x80;
    if (b - base < 56) {
        hl = 1;
        pl = (size_t)(b - base);
    } else {
        unsigned k = (unsigned)(b - base - 55); /* 1..8 length bytes */
        if (len - 1 < k) return MPAVS_RLP_ERR_TRUNCATED;
        if (in[1] == 0) return MPAVS_RLP_ERR_NONCANONICAL;
        if (k > sizeof(size_t)) return MPAVS_RLP_ERR_TOO_BIG;
        pl = 0;
        for (unsigned i = 0; i < k; i++) pl = (pl << 8) | in[1 + i];
        if (pl < 56) return MPAVS_RLP_ERR_NONCANONICAL;
        hl = 1 + k;
    }
    if (pl > len - hl) return MPAVS_RLP_ERR_TRUNCATED;
    if (!list && pl == 1 && in[hl] < 0x80) return MPAVS_RLP_ERR_NONCANONICAL;
    item->is_list = list;
    item->p = in + hl;
    item->len = pl;
    item->raw = in;
    item->raw_len = hl + pl;
    return MPAVS_RLP_OK;
}

static int validate(const mpavs_rlp_item *list, unsigned depth) {
    if (depth > MPAVS_RLP_MAX_DEPTH) return MPAVS_RLP_ERR_DEPTH;
    const uint8_t *p = list->p;
    size_t left = list->len;
    while (left) {
        mpavs_rlp_item it;
        int r = mpavs_rlp_decode_item(&it, p, left);
        if (r) return r;
        if (it.is_list) {
            r = validate(&it, depth + 1);
            if (r) return r;
        }
        p += it.raw_len;
        left -= it.raw_len;
    }
    return MPAVS_RLP_OK;
}

int mpavs_rlp_decode(mpavs_rlp_item *item, const uint8_t *in, size_t len) {
    int r = mpavs_rlp_decode_item(item, in, len);
    if (r) return r;
    if (item->raw_len != len) return MPAVS_RLP_ERR_TRAILING;
    if (item->is_list) return validate(item, 1);
    return MPAVS_RLP_OK;
}

int mpavs_rlp_iter_init(mpavs_rlp_iter *it, const mpavs_rlp_item *list) {
    MPAVS_REQUIRE(it != NULL && list != NULL);
    it->p = list->p;
    it->left = 0;
    if (!list->is_list) return MPAVS_RLP_ERR_EXPECTED_LIST;
    it->left = list->len;
    return MPAVS_RLP_OK;
}

int mpavs_rlp_next(mpavs_rlp_iter *it, mpavs_rlp_item *item) {
    MPAVS_REQUIRE(it != NULL && item != NULL);
    if (it->left == 0) {
        memset(item, 0, sizeof *item);
        return MPAVS_RLP_ERR_END;
    }
    int r = mpavs_rlp_decode_item(item, it->p, it->left);
    if (r) return r;
    it->p += item->raw_len;
    it->left -= item->raw_len;
    return MPAVS_RLP_OK;
}

bool mpavs_rlp_iter_done(const mpavs_rlp_iter *it) {
    MPAVS_REQUIRE(it != NULL);
    return it->left == 0;
}

int mpavs_rlp_list_count(size_t *count, const mpavs_rlp_item *list) {
    MPAVS_REQUIRE(count != NULL);
    *count = 0;
    mpavs_rlp_iter it;
    int r = mpavs_rlp_iter_init(&it, list);
    if (r) return r;
    mpavs_rlp_item x;
    size_t n = 0;
    while ((r = mpavs_rlp_next(&it, &x)) == MPAVS_RLP_OK) n++;
    if (r != MPAVS_RLP_ERR_END) return r;
    *count = n;
    return MPAVS_RLP_OK;
}

static int int_bytes(const mpavs_rlp_item *item, size_t max) {
    MPAVS_REQUIRE(item != NULL);
    if (item->is_list) return MPAVS_RLP_ERR_EXPECTED_STRING;
    if (item->len > 0 && item->p[0] == 0) return MPAVS_RLP_ERR_INT_LEADING_ZERO;
    if (item->len > max) return MPAVS_RLP_ERR_INT_OVERFLOW;
    return MPAVS_RLP_OK;
}

int mpavs_rlp_get_u64(uint64_t *v, const mpavs_rlp_item *item) {
    MPAVS_REQUIRE(v != NULL);
    *v = 0;
    int r = int_bytes(item, 8);
    if (r) return r;
    uint64_t x = 0;
    for (size_t i = 0; i < item->len; i++) x = (x << 8) | item->p[i];
    *v = x;
    return MPAVS_RLP_OK;
}

int mpavs_rlp_get_u256(mpavs_u256 *v, const mpavs_rlp_item *item) {
    MPAVS_REQUIRE(v != NULL);
    *v = mpavs_u256_from_u64(0);
    int r = int_bytes(item, 32);
    if (r) return r;
    return mpavs_u256_from_be(v, item->p, item->len) == MPAVS_U256_OK ? MPAVS_RLP_OK
                                                                      : MPAVS_RLP_ERR_INT_OVERFLOW;
}

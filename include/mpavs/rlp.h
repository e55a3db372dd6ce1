/*
 * mpavs/rlp.h — Recursive Length Prefix (RLP) encoding, as defined in the
 * Ethereum yellow paper (appendix B).
 *
 * Encoding goes into a caller-provided buffer through a writer (no heap);
 * lists are opened with mpavs_rlp_list_begin() and closed with
 * mpavs_rlp_list_end(), which inserts the header in front of the payload.
 *
 * Decoding never copies: an mpavs_rlp_item points into the caller's input.
 * Every decoder is bounds-checked and accepts only the canonical encoding
 * (the one the encoder produces): a single byte below 0x80 must not be
 * wrapped, lengths below 56 must use the short form, long-form lengths must
 * not start with a zero byte. Nesting is limited to MPAVS_RLP_MAX_DEPTH.
 */
#ifndef MPAVS_RLP_H
#define MPAVS_RLP_H

#include "mpavs/common.h"
#include "mpavs/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Deepest list nesting the validating decoder accepts. */
#define MPAVS_RLP_MAX_DEPTH 64

typedef enum {
    MPAVS_RLP_OK = 0,
    MPAVS_RLP_ERR_TRUNCATED,        /* the input ends before the item it announces */
    MPAVS_RLP_ERR_NONCANONICAL,     /* a valid but non-canonical encoding (see above) */
    MPAVS_RLP_ERR_TOO_BIG,          /* a length that does not fit in size_t */
    MPAVS_RLP_ERR_TRAILING,         /* bytes after the top-level item */
    MPAVS_RLP_ERR_DEPTH,            /* lists nested deeper than MPAVS_RLP_MAX_DEPTH */
    MPAVS_RLP_ERR_EXPECTED_LIST,    /* a byte string where a list was required */
    MPAVS_RLP_ERR_EXPECTED_STRING,  /* a list where a byte string was required */
    MPAVS_RLP_ERR_END,              /* a list has fewer items than required */
    MPAVS_RLP_ERR_INT_LEADING_ZERO, /* an integer with a leading zero byte */
    MPAVS_RLP_ERR_INT_OVERFLOW,     /* an integer wider than the requested type */
    MPAVS_RLP_ERR_SPACE,            /* the output buffer is too small */
    MPAVS_RLP_ERR_UNBALANCED,       /* writer: list_end without list_begin or vice versa */
} mpavs_rlp_result;

/** Name of a result value ("input truncated", ...). Never NULL. */
MPAVS_API const char *mpavs_rlp_strerror(int r);

/* ------------------------------------------------------------------------ */
/* Encoding                                                                  */

/**
 * A writer appending RLP to a caller-provided buffer. Fields are private.
 * Errors are sticky: after the first failure every call is a no-op and
 * mpavs_rlp_writer_finish() reports it.
 */
typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t len;
    int err;
    unsigned open; /* lists begun and not yet ended */
} mpavs_rlp_writer;

/** Start writing into buf (cap bytes). Out: w. buf may be NULL when cap is 0. */
MPAVS_API void mpavs_rlp_writer_init(mpavs_rlp_writer *w, uint8_t *buf, size_t cap);

/** Append the byte string data[0..len) (data may be NULL when len is 0). In/out: w. */
MPAVS_API void mpavs_rlp_put_bytes(mpavs_rlp_writer *w, const uint8_t *data, size_t len);
/** Append an unsigned integer (minimal big-endian bytes; zero is the empty string). */
MPAVS_API void mpavs_rlp_put_u64(mpavs_rlp_writer *w, uint64_t v);
/** Append a 256-bit unsigned integer (minimal big-endian bytes). */
MPAVS_API void mpavs_rlp_put_u256(mpavs_rlp_writer *w, const mpavs_u256 *v);
/** Append already-encoded RLP (one or more complete items) verbatim. */
MPAVS_API void mpavs_rlp_put_raw(mpavs_rlp_writer *w, const uint8_t *rlp, size_t len);
/**
 * Open a list. Out: *mark (pass it to mpavs_rlp_list_end). The header is
 * written when the list is closed (the payload is moved by up to 9 bytes).
 */
MPAVS_API void mpavs_rlp_list_begin(mpavs_rlp_writer *w, size_t *mark);
/** Close the list opened with mark. In/out: w. */
MPAVS_API void mpavs_rlp_list_end(mpavs_rlp_writer *w, size_t mark);
/**
 * Finish. Out: *len = bytes written. Returns MPAVS_RLP_OK, MPAVS_RLP_ERR_SPACE
 * (the buffer was too small) or MPAVS_RLP_ERR_UNBALANCED (a list left open).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rlp_writer_finish(mpavs_rlp_writer *w, size_t *len);

/**
 * Write the header of a string (is_list false) or list (true) with a payload
 * of payload_len bytes. For a string of one byte below 0x80 there is no
 * header: do not call this for that case (see mpavs_rlp_put_bytes).
 * Out: out (at most 9 bytes). Returns the header length (1..9).
 */
MPAVS_API size_t mpavs_rlp_encode_header(uint8_t out[9], bool is_list, size_t payload_len);

/** Size of the RLP encoding of the byte string data[0..len). */
MPAVS_API size_t mpavs_rlp_bytes_size(const uint8_t *data, size_t len);

/* ------------------------------------------------------------------------ */
/* Decoding                                                                  */

/** A decoded item: its payload points into the input. */
typedef struct {
    bool is_list;       /* list or byte string */
    const uint8_t *p;   /* payload (the string's bytes, or the list's concatenated items) */
    size_t len;         /* payload length */
    const uint8_t *raw; /* the whole encoding, header included */
    size_t raw_len;
} mpavs_rlp_item;

/**
 * Decode the header of the first item of in[0..len) (not its children).
 * Out: item. Returns MPAVS_RLP_OK, _ERR_TRUNCATED (also for len 0),
 * _ERR_NONCANONICAL or _ERR_TOO_BIG. Bytes after the item are allowed; the
 * item's raw_len says how many were used.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rlp_decode_item(mpavs_rlp_item *item, const uint8_t *in,
                                                      size_t len);

/**
 * Decode in[0..len) as exactly one item and validate it recursively
 * (every nested item canonical and in bounds, depth <= MPAVS_RLP_MAX_DEPTH).
 * Out: item (the top-level item). Returns MPAVS_RLP_OK or an error
 * (_ERR_TRAILING if bytes follow the item).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rlp_decode(mpavs_rlp_item *item, const uint8_t *in,
                                                 size_t len);

/** Iterator over the items of a list. Fields are private. */
typedef struct {
    const uint8_t *p;
    size_t left;
} mpavs_rlp_iter;

/**
 * Start iterating over list's items. Out: it. Returns MPAVS_RLP_OK or
 * MPAVS_RLP_ERR_EXPECTED_LIST.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rlp_iter_init(mpavs_rlp_iter *it, const mpavs_rlp_item *list);
/**
 * Decode the next item's header. Out: item. In/out: it.
 * Returns MPAVS_RLP_OK, MPAVS_RLP_ERR_END when the list is exhausted, or a
 * decoding error (the item would overrun the list is _ERR_TRUNCATED).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rlp_next(mpavs_rlp_iter *it, mpavs_rlp_item *item);
/** True when every item of the list has been read. */
MPAVS_API bool mpavs_rlp_iter_done(const mpavs_rlp_iter *it);
/** Number of items in a list (headers are checked, children are not). Out: *count. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rlp_list_count(size_t *count, const mpavs_rlp_item *list);

/**
 * Read a byte-string item as an unsigned integer (big-endian, no leading
 * zero byte; the empty string is 0). Out: *v. Returns MPAVS_RLP_OK,
 * _ERR_EXPECTED_STRING, _ERR_INT_LEADING_ZERO or _ERR_INT_OVERFLOW (> 8 bytes).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rlp_get_u64(uint64_t *v, const mpavs_rlp_item *item);
/** As mpavs_rlp_get_u64 for 256-bit integers (at most 32 bytes). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rlp_get_u256(mpavs_u256 *v, const mpavs_rlp_item *item);

#ifdef __cplusplus
}
#endif
#endif

/*
 * mpavs/abi.h — the Solidity contract ABI: types, values, encoding and decoding.
 *
 * Types are parsed from Solidity type strings ("uint256", "(address,bytes)[]",
 * "uint8[3][]") and from signatures ("transfer(address to,uint256 amount)",
 * "Transfer(address indexed,address indexed,uint256)", cast-style
 * "balanceOf(address)(uint256)"). A signature's parameters form one tuple type.
 *
 * Values are trees of mpavs_abi_value that mirror their type. They are built
 * with the mpavs_abi_value_* constructors, parsed from cast's argument syntax,
 * or decoded from ABI bytes; mpavs_abi_value_free releases a tree.
 *
 * Decoding is strict and bounded: every offset and length is checked against
 * the input, values must be in range for their type (no dirty high bits in
 * uintN/intN/address/bool, zero padding after bytesN), and the total number of
 * decoded items and copied bytes is bounded by a multiple of the input size,
 * so hostile input cannot cause unbounded allocation.
 */
#ifndef MPAVS_ABI_H
#define MPAVS_ABI_H

#include "mpavs/common.h"
#include "mpavs/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_ABI_OK = 0,
    MPAVS_ABI_ERR_TYPE_SYNTAX,  /* a type or signature string could not be parsed */
    MPAVS_ABI_ERR_VALUE_SYNTAX, /* an argument's text does not fit its type */
    MPAVS_ABI_ERR_RANGE,        /* a number does not fit its uintN/intN type */
    MPAVS_ABI_ERR_TRUNCATED,    /* ABI data ends before the value does */
    MPAVS_ABI_ERR_OFFSET,       /* an offset or length points outside the data */
    MPAVS_ABI_ERR_DIRTY,        /* non-canonical bits (padding, bool > 1, address high bytes) */
    MPAVS_ABI_ERR_TOO_LARGE,    /* decoding would exceed the size budget for this input */
    MPAVS_ABI_ERR_TOO_DEEP,     /* nesting deeper than MPAVS_ABI_MAX_DEPTH */
    MPAVS_ABI_ERR_MISMATCH,     /* value tree does not match its type (argument count, array length) */
    MPAVS_ABI_ERR_NOMEM,        /* allocation failed */
    MPAVS_ABI_ERR_SELECTOR,     /* calldata / revert data has an unexpected selector */
    MPAVS_ABI_ERR_CHECKSUM,     /* a mixed-case address fails its EIP-55 checksum */
} mpavs_abi_result;

/** Deepest nesting of arrays and tuples accepted in types and data. */
#define MPAVS_ABI_MAX_DEPTH 32

/**
 * Largest value tree a type, or one element of a dynamic array in it, may
 * need (fixed arrays are allocated whole): types beyond it ("uint8[100000000]",
 * "uint32[88888888][]") are refused with MPAVS_ABI_ERR_TOO_LARGE when parsed.
 */
#define MPAVS_ABI_MAX_NODES (1u << 16)

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_abi_strerror(int r);

typedef enum {
    MPAVS_ABI_UINT,        /* uintN, N = size (8..256) */
    MPAVS_ABI_INT,         /* intN, N = size */
    MPAVS_ABI_ADDRESS,     /* 20 bytes */
    MPAVS_ABI_BOOL,        /* */
    MPAVS_ABI_FIXED_BYTES, /* bytesN, N = size (1..32) */
    MPAVS_ABI_BYTES,       /* dynamic bytes */
    MPAVS_ABI_STRING,      /* dynamic UTF-8 string */
    MPAVS_ABI_ARRAY,       /* T[] */
    MPAVS_ABI_FIXED_ARRAY, /* T[k], k = length */
    MPAVS_ABI_TUPLE,       /* (T1,...,Tn) */
} mpavs_abi_kind;

/** A parsed ABI type (a tree). Create with mpavs_abi_type_parse / mpavs_abi_signature_parse. */
typedef struct mpavs_abi_type {
    mpavs_abi_kind kind;
    unsigned size;                  /* bits of (u)intN, bytes of bytesN */
    size_t length;                  /* k of T[k] */
    struct mpavs_abi_type *elem;    /* element of T[] and T[k] */
    struct mpavs_abi_type **fields; /* tuple components */
    char **names;                   /* tuple component names from a signature, or NULL entries */
    bool *indexed;                  /* tuple components marked `indexed` (event signatures) */
    size_t nfields;
} mpavs_abi_type;

/**
 * Parse one Solidity type string ("uint" means uint256, "int" int256; spaces
 * around tuple components are allowed).
 * Out: *out, a new type to release with mpavs_abi_type_free.
 * Returns MPAVS_ABI_OK, _ERR_TYPE_SYNTAX, _ERR_TOO_DEEP, _ERR_TOO_LARGE or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_abi_type_parse(mpavs_abi_type **out, const char *s);

/** Release a type tree (NULL is allowed). */
MPAVS_API void mpavs_abi_type_free(mpavs_abi_type *t);

/**
 * Write the canonical form of a type ("uint256", "(address,bytes32)[]") as
 * used in selectors. Out: out (cap bytes, NUL-terminated).
 * Returns the length it needs (excluding the NUL); output is truncated when
 * that is >= cap.
 */
MPAVS_API size_t mpavs_abi_type_canonical(char *out, size_t cap, const mpavs_abi_type *t);

/** True if the type's encoding has a dynamic size (bytes, string, T[], or contains one). */
MPAVS_API bool mpavs_abi_type_is_dynamic(const mpavs_abi_type *t);

/** A parsed function, event or error signature. */
typedef struct {
    char *name;              /* "transfer" */
    mpavs_abi_type *inputs;  /* tuple of the parameters */
    mpavs_abi_type *outputs; /* tuple of cast-style return types "f(a)(b)", or NULL */
    char *canonical;         /* "transfer(address,uint256)" */
} mpavs_abi_signature;

/**
 * Parse "name(type [indexed] [name], ...)" optionally followed by a second
 * parenthesised list of output types (cast's "f(uint256)(bool)"), and an
 * optional leading "function "/"event "/"error " keyword.
 * Out: *out (release with mpavs_abi_signature_free).
 * Returns MPAVS_ABI_OK, _ERR_TYPE_SYNTAX, _ERR_TOO_DEEP, _ERR_TOO_LARGE or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_abi_signature_parse(mpavs_abi_signature **out, const char *sig);

/** Release a signature (NULL is allowed). */
MPAVS_API void mpavs_abi_signature_free(mpavs_abi_signature *s);

/** The 4-byte selector of a parsed signature: keccak256(canonical)[0:4]. */
MPAVS_API void mpavs_abi_signature_selector(uint8_t out[4], const mpavs_abi_signature *s);
/** The event topic0 of a parsed signature: keccak256(canonical). */
MPAVS_API void mpavs_abi_signature_topic(uint8_t out[32], const mpavs_abi_signature *s);
/**
 * Selector straight from a signature string (normalised first, so
 * "transfer(address, uint)" gives the selector of "transfer(address,uint256)").
 * Returns MPAVS_ABI_OK or a parse error.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_abi_selector(uint8_t out[4], const char *sig);
/** Event topic straight from a signature string. Returns MPAVS_ABI_OK or a parse error. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_abi_event_topic(uint8_t out[32], const char *sig);

/** A value: a tree shaped like its type. */
typedef struct mpavs_abi_value {
    const mpavs_abi_type *type; /* borrowed: the type must outlive the value */
    mpavs_u256 word;            /* uintN; intN in two's complement; bool as 0/1 */
    uint8_t fixed[32];          /* address in fixed[0..20]; bytesN in fixed[0..N] */
    uint8_t *data;              /* bytes and string contents (string: NUL-terminated extra) */
    size_t len;                 /* length of data */
    struct mpavs_abi_value *items; /* array elements or tuple components */
    size_t n;                      /* count of items */
} mpavs_abi_value;

/**
 * Allocate a value tree for type t with every leaf zero, every dynamic array
 * empty and every fixed array/tuple fully populated. Fill leaves in place,
 * and use mpavs_abi_value_resize for dynamic arrays.
 * Returns NULL on allocation failure. Release with mpavs_abi_value_free.
 */
MPAVS_API mpavs_abi_value *mpavs_abi_value_new(const mpavs_abi_type *t);
/** Release a value tree (NULL allowed). */
MPAVS_API void mpavs_abi_value_free(mpavs_abi_value *v);
/** Set the length of a dynamic array value to n (new elements zeroed). Returns OK or _ERR_NOMEM. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_abi_value_resize(mpavs_abi_value *v, size_t n);
/**
 * Move the tree *src into the slot dst (e.g. a tuple component): dst's old
 * contents are released, src's contents are moved and src itself is freed.
 * The types must be the same object or identical.
 */
MPAVS_API void mpavs_abi_value_move(mpavs_abi_value *dst, mpavs_abi_value *src);
/** Copy len bytes into a bytes/string value. Returns OK or _ERR_NOMEM. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_abi_value_set_bytes(mpavs_abi_value *v, const void *data, size_t len);

/**
 * Parse an argument in cast's syntax for type t: integers decimal or 0x hex
 * (a leading '-' for intN), true/false, 0x hex for address/bytes/bytesN
 * (bytesN needs exactly N bytes), strings as is (inside arrays and tuples,
 * "quoted" or bare up to the next , ] or )), arrays [a, b], tuples (a, b).
 * Out: *out (release with mpavs_abi_value_free). In: t, text.
 * Returns MPAVS_ABI_OK, _ERR_VALUE_SYNTAX, _ERR_RANGE, _ERR_CHECKSUM, _ERR_TOO_DEEP or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_abi_value_parse(mpavs_abi_value **out, const mpavs_abi_type *t,
                                                      const char *text);

/**
 * Format a value for people and scripts: integers in decimal, addresses
 * EIP-55, bytes/bytesN as 0x hex, bools true/false, arrays "[a, b]", tuples
 * "(a, b)"; a string is written as is at the top level and "quoted" (with \"
 * and \\ escaped) inside arrays and tuples.
 * Out: *out, a malloc'd NUL-terminated string. Returns OK or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_abi_value_format(char **out, const mpavs_abi_value *v);

/**
 * ABI-encode a value (a tuple value encodes as a parameter list, i.e.
 * abi.encode(a, b, ...)). Out: *out (malloc'd), *len.
 * Returns MPAVS_ABI_OK, _ERR_MISMATCH (fixed array length differs from its
 * type, etc.) or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_abi_encode(uint8_t **out, size_t *len, const mpavs_abi_value *v);

/**
 * Encode calldata: selector of sig ‖ abi encoding of args (a tuple value of sig->inputs).
 * Out: *out (malloc'd), *len. Returns as mpavs_abi_encode.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_abi_encode_call(uint8_t **out, size_t *len,
                                                      const mpavs_abi_signature *sig,
                                                      const mpavs_abi_value *args);

/**
 * Decode ABI data of type t (usually a tuple). Trailing bytes after the
 * encoding are allowed (as in Solidity's abi.decode).
 * Out: *out (release with mpavs_abi_value_free; NULL on error). In: t, data, len.
 * Returns MPAVS_ABI_OK or _ERR_TRUNCATED, _ERR_OFFSET, _ERR_DIRTY,
 * _ERR_TOO_LARGE, _ERR_TOO_DEEP, _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_abi_decode(mpavs_abi_value **out, const mpavs_abi_type *t,
                                                 const uint8_t *data, size_t len);

/**
 * Decode calldata for sig: checks the 4-byte selector, then decodes the inputs.
 * Returns as mpavs_abi_decode, or _ERR_SELECTOR / _ERR_TRUNCATED.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_abi_decode_call(mpavs_abi_value **out, const mpavs_abi_signature *sig,
                                                      const uint8_t *data, size_t len);

/**
 * Decode an event log for an event signature whose indexed parameters are
 * marked `indexed`: topics[0] must be the event topic (unless the event is
 * anonymous: pass anonymous = true); indexed static values are decoded from
 * topics, indexed dynamic values (whose topic is a hash) become bytes32
 * values holding that hash; the rest is decoded from data.
 * Out: *out, a tuple value over sig->inputs in parameter order, except that
 * hashed indexed parameters hold their 32-byte topic in fixed[] (check
 * mpavs_abi_type_is_dynamic on the field type).
 * Returns MPAVS_ABI_OK, _ERR_SELECTOR (topic0 mismatch), _ERR_TRUNCATED
 * (too few topics) or a decoding error.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_abi_decode_log(mpavs_abi_value **out, const mpavs_abi_signature *sig,
                                                     const uint8_t (*topics)[32], size_t ntopics,
                                                     const uint8_t *data, size_t len, bool anonymous);

/**
 * Explain revert data in one line: "Error(string)" gives the message,
 * "Panic(uint256)" gives "panic 0x11 (arithmetic overflow)", a custom error
 * whose selector matches one of the n signatures in errors (e.g.
 * "InsufficientStake(uint256,uint256)") gives "InsufficientStake(5, 7)";
 * anything else gives "unknown revert 0x<hex>" (empty data: "reverted without data").
 * Out: *out, malloc'd text. Returns MPAVS_ABI_OK or _ERR_NOMEM (a bad
 * custom-error signature string is skipped).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_abi_decode_revert(char **out, const uint8_t *data, size_t len,
                                                        const char *const *errors, size_t n);

#ifdef __cplusplus
}
#endif
#endif

/* src/keystore/scrypt.h — internal: scrypt (RFC 7914) without OpenSSL's n < 2^(16 r) limit. */
#ifndef MPAVS_KEYSTORE_SCRYPT_H
#define MPAVS_KEYSTORE_SCRYPT_H

#include <stddef.h>
#include <stdint.h>

/*
 * scrypt(password, salt, n, r, p) -> out[0..outlen). n must be a power of two >= 2 and the
 * caller bounds 128*n*r*p (memory). Returns 0, or -1 when out of memory / OpenSSL failed.
 * Used for the parameters OpenSSL's EVP_PBE_scrypt refuses (r = 1 or 2 with a large n),
 * which geth accepts. Every scratch buffer is wiped.
 */
int ks_scrypt(uint8_t *out, size_t outlen, const char *password, size_t password_len,
              const uint8_t *salt, size_t salt_len, uint64_t n, uint32_t r, uint32_t p);

#endif

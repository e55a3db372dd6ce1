/* eigensdk BLS key files (src/keystore/bls_keyfile.c): eigensdk's own test file, gnark's pubKey text. */
#include "harness.h"
#include "mpavs/bls.h"
#include "mpavs/keystore.h"

#include <stdlib.h>

static char *read_text(const char *rel, size_t *len) { return (char *)harness_read_file(harness_shared(rel), len); }

/* The eigensdk test key file decrypts; its pubKey is the text we would write for that key. */
TEST(eigensdk_file) {
    size_t len = 0;
    char *json = read_text("vectors/keystores/1.bls.key.json", &len);
    REQUIRE(json != NULL);
    uint8_t sk[32];
    bool match = false;
    mpavs_error err = {0};
    CHECK_EQ_INT(mpavs_keystore_bls_decrypt(sk, &match, &err, json, len, "fDUMDLmBROwlzzPXyIcy", 20),
                 MPAVS_KEYSTORE_OK);
    CHECK(match);
    mpavs_bn254_g1 pk;
    char text[200];
    REQUIRE(mpavs_bls_pubkey_g1(&pk, sk) == MPAVS_BLS_OK);
    REQUIRE(mpavs_keystore_bls_pubkey_text(text, sizeof text, &pk) == MPAVS_KEYSTORE_OK);
    CHECK(strstr(json, text) != NULL);
    /* wrong password */
    CHECK_EQ_INT(mpavs_keystore_bls_decrypt(sk, &match, &err, json, len, "fDUMDLmBROwlzzPXyIcz", 20),
                 MPAVS_KEYSTORE_ERR_MAC);
    /* the error detail names the module, the code and the reason */
    CHECK_EQ_INT(err.code, MPAVS_KEYSTORE_ERR_MAC);
    CHECK(err.module && strcmp(err.module, "keystore") == 0);
    CHECK(strstr(err.message, "wrong password") != NULL);
    free(json);
    /* an ECDSA file is not a BLS key file */
    json = read_text("vectors/keystores/1.ecdsa.key.json", &len);
    REQUIRE(json != NULL);
    CHECK_EQ_INT(mpavs_keystore_bls_decrypt(sk, NULL, &err, json, len, "EnJuncq01CiVk9UbuBYl", 20),
                 MPAVS_KEYSTORE_ERR_NOT_BLS);
    CHECK_EQ_INT(err.code, MPAVS_KEYSTORE_ERR_NOT_BLS);
    CHECK(strstr(err.message, "pubKey") != NULL);
    mpavs_error_clear(&err);
    CHECK(err.code == 0 && err.module == NULL && err.message[0] == 0);
    /* one loader for files: an unreadable path is an I/O error naming the path */
    uint8_t sk2[32];
    CHECK_EQ_INT(mpavs_keystore_bls_load(sk2, NULL, &err, "/nonexistent/k.json", "pw", 2), MPAVS_KEYSTORE_ERR_IO);
    CHECK(strstr(err.message, "/nonexistent/k.json") != NULL);
    free(json);
}

/* Round trip through our writer, and gnark's negative notation for values just below p. */
TEST(pubkey_text) {
    mpavs_bn254_g1 g, ng, p;
    char text[200];
    mpavs_bn254_g1_generator(&g);
    REQUIRE(mpavs_keystore_bls_pubkey_text(text, sizeof text, &g) == MPAVS_KEYSTORE_OK);
    CHECK_STREQ(text, "E([1,2])");
    mpavs_bn254_g1_neg(&ng, &g);
    REQUIRE(mpavs_keystore_bls_pubkey_text(text, sizeof text, &ng) == MPAVS_KEYSTORE_OK);
    CHECK_STREQ(text, "E([1,-2])");
    REQUIRE(mpavs_keystore_bls_pubkey_parse(&p, "E([1,-2])") == MPAVS_KEYSTORE_OK);
    CHECK(mpavs_bn254_g1_eq(&p, &ng));
    CHECK(mpavs_keystore_bls_pubkey_parse(&p, "E([1,3])") != MPAVS_KEYSTORE_OK);   /* not on the curve */
    CHECK(mpavs_keystore_bls_pubkey_parse(&p, "E([1,2]") != MPAVS_KEYSTORE_OK);    /* truncated */
    CHECK(mpavs_keystore_bls_pubkey_parse(&p, "E([1,-0])") != MPAVS_KEYSTORE_OK);  /* -0 */
    CHECK(mpavs_keystore_bls_pubkey_parse(&p, "E([0x1,2])") != MPAVS_KEYSTORE_OK); /* decimal only */
    CHECK(mpavs_keystore_bls_pubkey_text(text, 8, &g) != MPAVS_KEYSTORE_OK);       /* too small */
}

TEST(encrypt_decrypt) {
    uint8_t sk[32] = {0}, back[32];
    sk[31] = 7;
    char *json = NULL;
    REQUIRE(mpavs_keystore_bls_encrypt(&json, sk, "pw", 2, 4096) == MPAVS_KEYSTORE_OK);
    bool match = false;
    CHECK_EQ_INT(mpavs_keystore_bls_decrypt(back, &match, NULL, json, strlen(json), "pw", 2), MPAVS_KEYSTORE_OK);
    CHECK(match);
    CHECK_MEMEQ(back, sk, 32);
    free(json);
    uint8_t zero[32] = {0};
    CHECK(mpavs_keystore_bls_encrypt(&json, zero, "pw", 2, 4096) != MPAVS_KEYSTORE_OK);
}

int main(void) {
    RUN(eigensdk_file);
    RUN(pubkey_text);
    RUN(encrypt_decrypt);
    return harness_summary();
}

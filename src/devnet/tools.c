/*
 * src/devnet/tools.c — operator tooling on any deployment of the reference contracts: address
 * resolution from the RegistryCoordinator, deposits into any strategy, opt-out, an operator's
 * standing and liveness record, registration and confirmation events, eigensdk BLS key files.
 */
#include "devnet_internal.h"

#include "mpavs/bls.h"
#include "mpavs/keystore.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool addr_is_zero(const mpavs_address *a) {
    static const uint8_t z[20];
    return memcmp(a->bytes, z, 20) == 0;
}

/* One output of a getter "f(in)(T)": its word (uints, bool) and fixed bytes (address, bytesN). */
typedef struct {
    mpavs_u256 word;
    uint8_t fixed[32];
} dv_word;

/* eth_call sig on `to` with args (NULL: none) and keep its first output. */
static int call_word(mpavs_devnet_ctx *c, dv_word *w, const mpavs_address *to, const char *sig, const char *args,
                     const char *step) {
    mpavs_abi_value *ret = NULL;
    mpavs_abi_signature *s = NULL;
    int r = dv_call(c, to, sig, args, NULL, &ret, &s, step);
    if (!r) {
        if (ret->n < 1) {
            r = dv_fail(c, MPAVS_DEVNET_ERR_DECODE, step, "%s returned nothing", sig);
        } else {
            w->word = ret->items[0].word;
            memcpy(w->fixed, ret->items[0].fixed, 32);
        }
    }
    mpavs_abi_value_free(ret);
    mpavs_abi_signature_free(s);
    return r;
}

/* "(0x<address>)" into b (reset first). */
static void one_addr_arg(dv_str *b, const mpavs_address *a) {
    b->len = 0;
    dv_printf(b, "(");
    dv_addr(b, a);
    dv_printf(b, ")");
}

/* "(0x<32 bytes>)" into b (reset first). */
static void one_b32_arg(dv_str *b, const uint8_t v[32]) {
    b->len = 0;
    dv_printf(b, "(");
    dv_hex(b, v, 32);
    dv_printf(b, ")");
}

int mpavs_devnet_resolve_addresses(mpavs_devnet_ctx *c, mpavs_devnet_deployment *d) {
    if (addr_is_zero(&d->registry_coordinator))
        return dv_fail(c, MPAVS_DEVNET_ERR_ARG, "resolve", "no RegistryCoordinator address");
    if (!d->chain_id) {
        mpavs_rpc_error e = {0};
        int rr = mpavs_rpc_chain_id(c->rpc, &d->chain_id, &e);
        if (rr) {
            int code = dv_fail(c, MPAVS_DEVNET_ERR_RPC, "resolve", "eth_chainId: %s (%s)", mpavs_rpc_strerror(rr),
                               e.message);
            mpavs_rpc_error_clear(&e);
            return code;
        }
    }
    /* each step reads from an address an earlier step may have filled */
    const struct {
        mpavs_address *field;
        const mpavs_address *from;
        const char *sig;
    } steps[] = {
        {&d->service_manager, &d->registry_coordinator, "serviceManager()(address)"},
        {&d->stake_registry, &d->registry_coordinator, "stakeRegistry()(address)"},
        {&d->bls_apk_registry, &d->registry_coordinator, "blsApkRegistry()(address)"},
        {&d->index_registry, &d->registry_coordinator, "indexRegistry()(address)"},
        {&d->delegation_manager, &d->stake_registry, "delegation()(address)"},
        {&d->strategy_manager, &d->delegation_manager, "strategyManager()(address)"},
        {&d->avs_directory, &d->service_manager, "avsDirectory()(address)"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (!addr_is_zero(steps[i].field)) continue;
        dv_word w;
        int r = call_word(c, &w, steps[i].from, steps[i].sig, NULL, "resolve");
        if (r) return r;
        memcpy(steps[i].field->bytes, w.fixed, 20);
        if (addr_is_zero(steps[i].field))
            return dv_fail(c, MPAVS_DEVNET_ERR_DECODE, "resolve", "%s returned the zero address", steps[i].sig);
    }
    return MPAVS_DEVNET_OK;
}

int mpavs_devnet_strategy_token(mpavs_devnet_ctx *c, mpavs_address *token, uint8_t *decimals,
                                const mpavs_address *strategy) {
    dv_word w;
    int r = call_word(c, &w, strategy, "underlyingToken()(address)", NULL, "underlyingToken");
    if (r) return r;
    memcpy(token->bytes, w.fixed, 20);
    if ((r = call_word(c, &w, token, "decimals()(uint8)", NULL, "decimals"))) return r;
    *decimals = (uint8_t)w.word.w[0];
    return MPAVS_DEVNET_OK;
}

int mpavs_devnet_deposit_into(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d, const mpavs_address *strategy,
                              const mpavs_u256 *amount) {
    mpavs_devnet_deployment e = *d;
    if (strategy) {
        uint8_t dec;
        e.strategy = *strategy;
        int r = mpavs_devnet_strategy_token(c, &e.token, &dec, strategy);
        if (r) return r;
    }
    return mpavs_devnet_deposit(c, &e, amount);
}

int mpavs_devnet_operator_shares(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d, mpavs_u256 *shares,
                                 const mpavs_address *operator_addr, const mpavs_address *strategy) {
    dv_str a = {0};
    dv_printf(&a, "(");
    dv_addr(&a, operator_addr);
    dv_printf(&a, ",");
    dv_addr(&a, strategy);
    dv_printf(&a, ")");
    dv_word w;
    int r = a.oom ? dv_fail(c, MPAVS_DEVNET_ERR_NOMEM, "operatorShares", "out of memory")
                  : call_word(c, &w, &d->delegation_manager, "operatorShares(address,address)(uint256)", a.s,
                              "operatorShares");
    if (!r) *shares = w.word;
    dv_str_free(&a);
    return r;
}

int mpavs_devnet_opt_out(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d, const uint8_t *quorums,
                         size_t nquorums) {
    if (!nquorums) return dv_fail(c, MPAVS_DEVNET_ERR_ARG, "opt-out", "no quorums");
    dv_str a = {0};
    dv_printf(&a, "(");
    dv_hex(&a, quorums, nquorums);
    dv_printf(&a, ")");
    int r = a.oom ? dv_fail(c, MPAVS_DEVNET_ERR_NOMEM, "opt-out", "out of memory")
                  : dv_tx(c, &d->registry_coordinator, "deregisterOperator(bytes)", a.s, "deregisterOperator");
    dv_str_free(&a);
    return r;
}

int mpavs_devnet_operator_status(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                 mpavs_devnet_standing *st, const mpavs_address *operator_addr) {
    memset(st, 0, sizeof *st);
    dv_str a = {0};
    dv_word w;
    one_addr_arg(&a, operator_addr);
    int r = a.oom ? dv_fail(c, MPAVS_DEVNET_ERR_NOMEM, "status", "out of memory") : MPAVS_DEVNET_OK;
    if (!r && !(r = call_word(c, &w, &d->delegation_manager, "isOperator(address)(bool)", a.s, "isOperator")))
        st->is_operator = !mpavs_u256_is_zero(&w.word);
    if (!r && !(r = call_word(c, &w, &d->registry_coordinator, "getOperatorStatus(address)(uint8)", a.s,
                              "getOperatorStatus")))
        st->avs_status = (uint8_t)w.word.w[0];
    if (!r && !(r = call_word(c, &w, &d->service_manager, "isPoAEnabled()(bool)", NULL, "isPoAEnabled")))
        st->poa_enabled = !mpavs_u256_is_zero(&w.word);
    if (!r && !(r = call_word(c, &w, &d->service_manager, "isOperatorWhitelisted(address)(bool)", a.s,
                              "isOperatorWhitelisted")))
        st->whitelisted = !mpavs_u256_is_zero(&w.word);
    if (!r && !(r = call_word(c, &w, &d->registry_coordinator, "quorumCount()(uint8)", NULL, "quorumCount")))
        st->quorum_count = (uint8_t)w.word.w[0];
    if (!r) r = mpavs_devnet_operator_id(c, d, operator_addr, st->operator_id);
    static const uint8_t zero[32];
    if (!r && memcmp(st->operator_id, zero, 32) != 0) {
        one_b32_arg(&a, st->operator_id);
        if (!(r = call_word(c, &w, &d->registry_coordinator, "getCurrentQuorumBitmap(bytes32)(uint192)", a.s,
                            "getCurrentQuorumBitmap")))
            st->quorum_bitmap = w.word;
        for (unsigned q = 0; !r && q < st->quorum_count && q < MPAVS_DEVNET_MAX_QUORUMS; q++)
            if (mpavs_u256_bit(&st->quorum_bitmap, q))
                r = mpavs_devnet_current_stake(c, d, st->operator_id, (uint8_t)q, &st->stake[q]);
    }
    dv_str_free(&a);
    return r;
}

int mpavs_devnet_liveness_status(mpavs_devnet_ctx *c, mpavs_devnet_liveness *lv, const mpavs_address *verifier,
                                 const uint8_t operator_id[32]) {
    memset(lv, 0, sizeof *lv);
    dv_str a = {0};
    one_b32_arg(&a, operator_id);
    if (a.oom) return dv_fail(c, MPAVS_DEVNET_ERR_NOMEM, "liveness", "out of memory");
    mpavs_abi_value *ret = NULL;
    mpavs_abi_signature *s = NULL;
    int r = dv_call(c, verifier, "attestedProvers(bytes32)((bytes32,bytes32),uint256)", a.s, NULL, &ret, &s,
                    "attestedProvers");
    if (!r) {
        if (ret->n != 2 || mpavs_u256_bits(&ret->items[1].word) > 63)
            r = dv_fail(c, MPAVS_DEVNET_ERR_DECODE, "attestedProvers", "unexpected output");
        else
            lv->attested_at = ret->items[1].word.w[0];
    }
    mpavs_abi_value_free(ret);
    mpavs_abi_signature_free(s);
    dv_word w;
    if (!r && !(r = call_word(c, &w, verifier, "attestValiditySeconds()(uint256)", NULL, "attestValiditySeconds"))) {
        if (mpavs_u256_bits(&w.word) > 62)
            r = dv_fail(c, MPAVS_DEVNET_ERR_DECODE, "attestValiditySeconds", "value out of range");
        else
            lv->validity_seconds = w.word.w[0];
    }
    if (!r && !(r = call_word(c, &w, verifier, "attestedProverAddr(bytes32)(address)", a.s, "attestedProverAddr")))
        memcpy(lv->prover.bytes, w.fixed, 20);
    if (!r) {
        mpavs_rpc_block b = {0};
        mpavs_rpc_error e = {0};
        bool found = false;
        int rr = mpavs_rpc_get_block_by_number(c->rpc, &b, &found, &e, "latest");
        if (rr || !found)
            r = dv_fail(c, MPAVS_DEVNET_ERR_RPC, "liveness", "latest block: %s (%s)",
                        rr ? mpavs_rpc_strerror(rr) : "not found", e.message);
        else
            lv->now = b.timestamp;
        mpavs_rpc_block_clear(&b);
        mpavs_rpc_error_clear(&e);
    }
    if (!r && lv->attested_at) {
        lv->valid_until = lv->attested_at + lv->validity_seconds;
        lv->live = lv->valid_until > lv->now;
    }
    dv_str_free(&a);
    return r;
}

/* eth_getLogs of one contract and event from from_block to latest. */
static int get_logs(mpavs_devnet_ctx *c, mpavs_rpc_log **logs, size_t *n, const mpavs_address *addr,
                    const char *event, uint64_t from_block, const char *step) {
    uint8_t topic[32];
    if (mpavs_abi_event_topic(topic, event)) return dv_fail(c, MPAVS_DEVNET_ERR_ARG, step, "bad event %s", event);
    char tag[24];
    mpavs_rpc_filter f = {.from_block = mpavs_rpc_tag_number(tag, from_block), .to_block = "latest",
                          .addresses = (const uint8_t (*)[20])addr->bytes, .naddresses = 1, .ntopics = 1};
    f.topics[0] = topic;
    mpavs_rpc_error e = {0};
    int rr = mpavs_rpc_get_logs(c->rpc, logs, n, &e, &f);
    int r = MPAVS_DEVNET_OK;
    if (rr) r = dv_fail(c, MPAVS_DEVNET_ERR_RPC, step, "eth_getLogs %s: %s (%s)", event, mpavs_rpc_strerror(rr), e.message);
    mpavs_rpc_error_clear(&e);
    return r;
}

int mpavs_devnet_registrations(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                               mpavs_devnet_registration **regs, size_t *n, uint64_t from_block) {
    *regs = NULL;
    *n = 0;
    mpavs_rpc_log *logs = NULL;
    size_t nl = 0;
    int r = get_logs(c, &logs, &nl, &d->registry_coordinator, "OperatorRegistered(address,bytes32)", from_block,
                     "registrations");
    if (r) return r;
    mpavs_devnet_registration *out = nl ? calloc(nl, sizeof *out) : NULL;
    if (nl && !out) r = dv_fail(c, MPAVS_DEVNET_ERR_NOMEM, "registrations", "out of memory");
    for (size_t i = 0; !r && i < nl; i++) {
        if (logs[i].ntopics != 3) {
            r = dv_fail(c, MPAVS_DEVNET_ERR_DECODE, "registrations", "OperatorRegistered log with %zu topics",
                        logs[i].ntopics);
            break;
        }
        memcpy(out[i].operator_addr.bytes, logs[i].topics[1] + 12, 20);
        memcpy(out[i].operator_id, logs[i].topics[2], 32);
        out[i].block_number = logs[i].block_number;
        memcpy(out[i].tx_hash, logs[i].tx_hash, 32);
    }
    mpavs_rpc_logs_free(logs, nl);
    if (r) {
        free(out);
        return r;
    }
    *regs = out;
    *n = nl;
    return MPAVS_DEVNET_OK;
}

void mpavs_devnet_confirmations_free(mpavs_devnet_confirmation *cs, size_t n) {
    if (!cs) return;
    for (size_t i = 0; i < n; i++) {
        free(cs[i].metadata);
        free(cs[i].state);
    }
    free(cs);
}

/* A malloc'd copy of n bytes (at least one byte allocated); NULL when out of memory. */
static uint8_t *dup_bytes(const uint8_t *p, size_t n) {
    uint8_t *q = malloc(n ? n : 1);
    if (q && n) memcpy(q, p, n);
    return q;
}

int mpavs_devnet_confirmations(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                               mpavs_devnet_confirmation **out, size_t *n, uint64_t from_block) {
    *out = NULL;
    *n = 0;
    mpavs_rpc_log *logs = NULL;
    size_t nl = 0;
    int r = get_logs(c, &logs, &nl, &d->service_manager, "StateConfirmed(uint256,bytes,bytes)", from_block,
                     "confirmations");
    if (r) return r;
    mpavs_abi_type *t = NULL;
    mpavs_devnet_confirmation *cs = nl ? calloc(nl, sizeof *cs) : NULL;
    if ((nl && !cs) || mpavs_abi_type_parse(&t, "(bytes,bytes)"))
        r = dv_fail(c, MPAVS_DEVNET_ERR_NOMEM, "confirmations", "out of memory");
    for (size_t i = 0; !r && i < nl; i++) {
        mpavs_abi_value *v = NULL;
        mpavs_u256 id = mpavs_u256_from_be32(logs[i].topics[1]);
        if (logs[i].ntopics != 2 || mpavs_abi_decode(&v, t, logs[i].data, logs[i].data_len) ||
            mpavs_u256_bits(&id) > 64) {
            r = dv_fail(c, MPAVS_DEVNET_ERR_DECODE, "confirmations", "StateConfirmed log %zu does not decode", i);
            mpavs_abi_value_free(v);
            break;
        }
        cs[i].committee_id = id.w[0];
        cs[i].metadata = dup_bytes(v->items[0].data, v->items[0].len);
        cs[i].metadata_len = v->items[0].len;
        cs[i].state = dup_bytes(v->items[1].data, v->items[1].len);
        cs[i].state_len = v->items[1].len;
        cs[i].block_number = logs[i].block_number;
        memcpy(cs[i].tx_hash, logs[i].tx_hash, 32);
        mpavs_abi_value_free(v);
        if (!cs[i].metadata || !cs[i].state) r = dv_fail(c, MPAVS_DEVNET_ERR_NOMEM, "confirmations", "out of memory");
    }
    mpavs_abi_type_free(t);
    mpavs_rpc_logs_free(logs, nl);
    if (r) {
        mpavs_devnet_confirmations_free(cs, nl);
        return r;
    }
    *out = cs;
    *n = nl;
    return MPAVS_DEVNET_OK;
}

int mpavs_devnet_deployment_string(char *out, size_t cap, const char *path, const char *key) {
    if (cap) out[0] = 0;
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    if (!o) return MPAVS_DEVNET_ERR_IO;
    const char *v = json_string_value(json_object_get(o, key));
    int r = MPAVS_DEVNET_OK;
    if (!v) r = MPAVS_DEVNET_ERR_DECODE;
    else if (strlen(v) >= cap) r = MPAVS_DEVNET_ERR_ARG;
    else memcpy(out, v, strlen(v) + 1);
    json_decref(o);
    return r;
}

/* ---------------- eigensdk BLS key files ---------------- */

static mpavs_u256 field_p(void) {
    uint8_t pb[32];
    mpavs_bn254_modulus_p(pb);
    return mpavs_u256_from_be32(pb);
}

/* One coordinate as gnark's Text(10): "-k" when 0 < p - v <= 65535 and v != 0. */
static int coord_text(char *out, size_t cap, const uint8_t be[32]) {
    mpavs_u256 v = mpavs_u256_from_be32(be), p = field_p(), k;
    (void)mpavs_u256_sub(&k, &p, &v);
    if (!mpavs_u256_is_zero(&v) && mpavs_u256_bits(&k) <= 16 && k.w[0] <= 65535) {
        int n = snprintf(out, cap, "-%llu", (unsigned long long)k.w[0]);
        return n > 0 && (size_t)n < cap ? 0 : -1;
    }
    return mpavs_u256_to_dec(out, cap, &v) ? -1 : 0;
}

int mpavs_devnet_bls_pubkey_text(char *out, size_t cap, const mpavs_bn254_g1 *pk) {
    uint8_t e[64];
    char x[90], y[90];
    mpavs_bn254_g1_encode(e, pk);
    if (coord_text(x, sizeof x, e) || coord_text(y, sizeof y, e + 32)) return MPAVS_DEVNET_ERR_ARG;
    int n = snprintf(out, cap, "E([%s,%s])", x, y);
    return n > 0 && (size_t)n < cap ? MPAVS_DEVNET_OK : MPAVS_DEVNET_ERR_ARG;
}

/* Parse one coordinate s[0..len) ("123" or "-k") into 32 big-endian bytes below p. */
static int coord_parse(uint8_t be[32], const char *s, size_t len) {
    bool neg = len && s[0] == '-';
    if (neg) {
        s++;
        len--;
    }
    if (!len || len > 80) return -1;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9') return -1;
    mpavs_u256 v, p = field_p();
    if (mpavs_u256_parse(&v, s, len)) return -1;
    if (neg) {
        if (mpavs_u256_is_zero(&v) || mpavs_u256_cmp(&v, &p) > 0) return -1;
        (void)mpavs_u256_sub(&v, &p, &v);
    }
    if (mpavs_u256_cmp(&v, &p) >= 0) return -1;
    mpavs_u256_to_be32(be, &v);
    return 0;
}

int mpavs_devnet_bls_pubkey_parse(mpavs_bn254_g1 *pk, const char *text) {
    size_t n = strlen(text);
    if (n < 8 || strncmp(text, "E([", 3) != 0 || strcmp(text + n - 2, "])") != 0) return MPAVS_DEVNET_ERR_DECODE;
    const char *x = text + 3, *end = text + n - 2, *comma = memchr(x, ',', (size_t)(end - x));
    uint8_t e[64];
    if (!comma || coord_parse(e, x, (size_t)(comma - x)) ||
        coord_parse(e + 32, comma + 1, (size_t)(end - comma - 1)) || mpavs_bn254_g1_decode(pk, e))
        return MPAVS_DEVNET_ERR_DECODE;
    return MPAVS_DEVNET_OK;
}

int mpavs_devnet_bls_key_encrypt(char **json, const uint8_t sk[32], const char *password, size_t password_len,
                                 uint32_t scrypt_n) {
    *json = NULL;
    mpavs_bn254_g1 pk;
    char pub[200];
    if (mpavs_bls_pubkey_g1(&pk, sk) || mpavs_devnet_bls_pubkey_text(pub, sizeof pub, &pk))
        return MPAVS_DEVNET_ERR_CRYPTO;
    mpavs_keystore_options o = {.scrypt_n = scrypt_n, .pubkey = pub};
    int r = mpavs_keystore_encrypt(json, sk, 32, password, password_len, &o);
    return r == MPAVS_KEYSTORE_OK ? MPAVS_DEVNET_OK : MPAVS_DEVNET_ERR_CRYPTO;
}

int mpavs_devnet_bls_key_decrypt(uint8_t sk[32], bool *pub_matches, char *err, size_t errcap, const char *json,
                                 size_t len, const char *password, size_t password_len) {
    uint8_t secret[MPAVS_KEYSTORE_MAX_SECRET];
    size_t slen = 0;
    mpavs_keystore_info info = {0};
    int code = MPAVS_DEVNET_OK;
    memset(sk, 0, 32);
    if (pub_matches) *pub_matches = false;
    int r = mpavs_keystore_decrypt(secret, sizeof secret, &slen, &info, json, len, password, password_len);
    if (r) {
        code = r == MPAVS_KEYSTORE_ERR_MAC ? MPAVS_DEVNET_ERR_CRYPTO : MPAVS_DEVNET_ERR_DECODE;
        if (err) snprintf(err, errcap, "%s", r == MPAVS_KEYSTORE_ERR_MAC ? "wrong password (MAC mismatch)"
                                                                         : mpavs_keystore_strerror(r));
        goto out;
    }
    if (!info.pubkey || !info.pubkey[0] || slen > 32) {
        code = MPAVS_DEVNET_ERR_DECODE;
        if (err) snprintf(err, errcap, "%s", slen > 32 ? "secret longer than 32 bytes" : "no pubKey: not a BLS key file");
        goto out;
    }
    memcpy(sk + 32 - slen, secret, slen); /* fr.Element.SetBytes: big-endian, reduced mod r */
    mpavs_bn254_scalar_reduce(sk, sk);
    mpavs_bn254_g1 pk, filed;
    if (mpavs_bls_sk_check(sk) || mpavs_bls_pubkey_g1(&pk, sk)) {
        code = MPAVS_DEVNET_ERR_CRYPTO;
        if (err) snprintf(err, errcap, "secret key is zero");
        goto out;
    }
    if (pub_matches)
        *pub_matches = mpavs_devnet_bls_pubkey_parse(&filed, info.pubkey) == 0 && mpavs_bn254_g1_eq(&filed, &pk);
out:
    if (code) mpavs_wipe(sk, 32);
    mpavs_wipe(secret, sizeof secret);
    mpavs_keystore_info_clear(&info);
    return code;
}

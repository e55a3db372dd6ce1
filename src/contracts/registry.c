/* Registry state from chain: operators with stakes at a block, BLS keys from logs, their join. */
#include "mpavs/registry.h"

#include "mpavs/abi.h"

#include <stdlib.h>
#include <string.h>

const char *mpavs_registry_strerror(int r) {
    switch (r) {
    case MPAVS_REGISTRY_OK: return "ok";
    case MPAVS_REGISTRY_ERR_RPC: return "node request failed";
    case MPAVS_REGISTRY_ERR_DECODE: return "unexpected registry data";
    case MPAVS_REGISTRY_ERR_ARG: return "bad registry query";
    case MPAVS_REGISTRY_ERR_MISSING_KEY: return "operator without a registered BLS key";
    case MPAVS_REGISTRY_ERR_NOMEM: return "out of memory";
    default: return "unknown registry error";
    }
}

static const char *GET_STATE_SIG = "getOperatorState(address,bytes,uint32)((address,bytes32,uint96)[][])";

/* Calldata of getOperatorState(coordinator, quorums, block). */
static int state_calldata(uint8_t **data, size_t *len, const mpavs_abi_signature *sig, const uint8_t coordinator[20],
                          const uint8_t *quorums, size_t nq, uint32_t block) {
    mpavs_abi_value *args = mpavs_abi_value_new(sig->inputs);
    int r = args ? MPAVS_ABI_OK : MPAVS_ABI_ERR_NOMEM;
    if (!r) {
        memcpy(args->items[0].fixed, coordinator, 20);
        r = mpavs_abi_value_set_bytes(&args->items[1], quorums, nq);
        args->items[2].word = mpavs_u256_from_u64(block);
    }
    if (!r) r = mpavs_abi_encode_call(data, len, sig, args);
    mpavs_abi_value_free(args);
    return r;
}

/* Find or append the operator with this id. */
static mpavs_registry_operator *slot(mpavs_registry_operator *ops, size_t *n, const uint8_t id[32]) {
    for (size_t i = 0; i < *n; i++)
        if (!memcmp(ops[i].operator_id, id, 32)) return &ops[i];
    memset(&ops[*n], 0, sizeof ops[*n]);
    memcpy(ops[*n].operator_id, id, 32);
    return &ops[(*n)++];
}

int mpavs_registry_operator_state(mpavs_rpc *rpc, mpavs_registry_operator **ops, size_t *n, mpavs_error *err,
                                  const uint8_t retriever[20], const uint8_t coordinator[20], const uint8_t *quorums,
                                  size_t nq, uint32_t block) {
    *ops = NULL;
    *n = 0;
    if (nq == 0 || nq > MPAVS_AGG_MAX_QUORUMS) return MPAVS_REGISTRY_ERR_ARG;
    mpavs_abi_signature *sig = NULL;
    mpavs_abi_value *v = NULL;
    uint8_t *data = NULL, *ret = NULL;
    size_t len = 0, rl = 0, total = 0;
    int r = MPAVS_REGISTRY_ERR_NOMEM;
    if (mpavs_abi_signature_parse(&sig, GET_STATE_SIG) || state_calldata(&data, &len, sig, coordinator, quorums, nq, block))
        goto out;
    mpavs_rpc_callmsg m = {.to = retriever, .data = data, .data_len = len};
    if (mpavs_rpc_eth_call(rpc, &ret, &rl, err, &m, "latest") != MPAVS_RPC_OK) {
        r = MPAVS_REGISTRY_ERR_RPC;
        goto out;
    }
    r = MPAVS_REGISTRY_ERR_DECODE;
    if (mpavs_abi_decode(&v, sig->outputs, ret, rl) || v->items[0].n != nq) goto out;
    const mpavs_abi_value *per_quorum = &v->items[0];
    for (size_t q = 0; q < nq; q++) total += per_quorum->items[q].n;
    r = MPAVS_REGISTRY_ERR_NOMEM;
    *ops = calloc(total ? total : 1, sizeof **ops);
    if (!*ops) goto out;
    for (size_t q = 0; q < nq; q++) {
        const mpavs_abi_value *list = &per_quorum->items[q];
        for (size_t i = 0; i < list->n; i++) {
            const mpavs_abi_value *e = &list->items[i]; /* (address operator, bytes32 operatorId, uint96 stake) */
            mpavs_registry_operator *o = slot(*ops, n, e->items[1].fixed);
            memcpy(o->address, e->items[0].fixed, 20);
            o->stake[q] = e->items[2].word;
            o->quorum_mask |= 1ULL << q;
        }
    }
    r = MPAVS_REGISTRY_OK;
out:
    if (r) {
        free(*ops);
        *ops = NULL;
        *n = 0;
    }
    mpavs_abi_value_free(v);
    mpavs_abi_signature_free(sig);
    free(data);
    free(ret);
    return r;
}

/* NewPubkeyRegistration(address indexed operator, (uint256,uint256) pubkeyG1, (uint256[2],uint256[2]) pubkeyG2) */
static const char *NEW_PUBKEY_EVENT = "NewPubkeyRegistration(address,(uint256,uint256),(uint256[2],uint256[2]))";

static int decode_key(mpavs_registry_pubkey *k, const mpavs_rpc_log *l) {
    /* data = G1 (x, y) ‖ G2 (x.im, x.re, y.im, y.re): exactly the precompile encodings */
    if (l->ntopics != 2 || l->data_len != 192) return MPAVS_REGISTRY_ERR_DECODE;
    for (int i = 0; i < 12; i++)
        if (l->topics[1][i]) return MPAVS_REGISTRY_ERR_DECODE;
    memcpy(k->address, l->topics[1] + 12, 20);
    k->block_number = l->block_number;
    if (mpavs_bn254_g1_decode(&k->g1, l->data) || mpavs_bn254_g2_decode(&k->g2, l->data + 64))
        return MPAVS_REGISTRY_ERR_DECODE;
    return MPAVS_REGISTRY_OK;
}

int mpavs_registry_scan_pubkeys(mpavs_rpc *rpc, mpavs_registry_pubkey **keys, size_t *n, mpavs_error *err,
                                const uint8_t bls_apk_registry[20], uint64_t from_block, uint64_t to_block,
                                uint64_t window) {
    uint8_t topic0[32];
    if (mpavs_abi_event_topic(topic0, NEW_PUBKEY_EVENT)) return MPAVS_REGISTRY_ERR_NOMEM;
    if (window == 0) window = 5000;
    for (uint64_t start = from_block; start <= to_block;) {
        uint64_t end = to_block - start >= window - 1 ? start + window - 1 : to_block;
        char from[24], to[24];
        mpavs_rpc_filter f = {.from_block = mpavs_rpc_tag_number(from, start), .to_block = mpavs_rpc_tag_number(to, end),
                              .addresses = (const uint8_t(*)[20])bls_apk_registry, .naddresses = 1,
                              .topics = {topic0}, .ntopics = 1};
        mpavs_rpc_log *logs;
        size_t nl;
        if (mpavs_rpc_get_logs(rpc, &logs, &nl, err, &f) != MPAVS_RPC_OK) return MPAVS_REGISTRY_ERR_RPC;
        int r = MPAVS_REGISTRY_OK;
        if (nl) {
            mpavs_registry_pubkey *nk = realloc(*keys, (*n + nl) * sizeof *nk);
            if (!nk) r = MPAVS_REGISTRY_ERR_NOMEM;
            else {
                *keys = nk;
                for (size_t i = 0; i < nl && !r; i++)
                    if (!logs[i].removed && (r = decode_key(&nk[*n], &logs[i])) == MPAVS_REGISTRY_OK) (*n)++;
            }
        }
        mpavs_rpc_logs_free(logs, nl);
        if (r) return r;
        if (end == to_block) break;
        start = end + 1;
    }
    return MPAVS_REGISTRY_OK;
}

int mpavs_registry_join(mpavs_agg_operator *out, size_t *missing, const mpavs_registry_operator *ops, size_t n,
                        const mpavs_registry_pubkey *keys, size_t nkeys) {
    for (size_t i = 0; i < n; i++) {
        const mpavs_registry_pubkey *k = NULL;
        for (size_t j = 0; j < nkeys; j++)
            if (!memcmp(keys[j].address, ops[i].address, 20) && (!k || keys[j].block_number >= k->block_number))
                k = &keys[j];
        if (!k) {
            if (missing) *missing = i;
            return MPAVS_REGISTRY_ERR_MISSING_KEY;
        }
        memset(&out[i], 0, sizeof out[i]);
        memcpy(out[i].operator_id, ops[i].operator_id, 32);
        out[i].pk_g1 = k->g1;
        out[i].pk_g2 = k->g2;
        memcpy(out[i].stake, ops[i].stake, sizeof out[i].stake);
        out[i].quorum_mask = ops[i].quorum_mask;
    }
    return MPAVS_REGISTRY_OK;
}

/*
 * daemons/operator/nodeapi.c — EigenLayer node API v0.0.1 on NodeApiIpPortAddress:
 *   GET /eigen/node                     {"node_name","spec_version":"v0.0.1","node_version"}
 *   GET /eigen/node/health              200 healthy, 206 partially healthy, 503 unhealthy
 *   GET /eigen/node/services            {"services":[{id,name,description,status}]}
 *   GET /eigen/node/services/{id}/health  200 Up, 503 Down, 206 Initializing, 404 unknown id
 * Service status is what the operator last observed (chain calls, prover and aggregator calls,
 * the liveness loop, and the monitor thread's cheap periodic checks).
 * Node health: 503 when the operator cannot sign (AVS chain, prover or liveness Down), 200
 * when every service is Up, else 206 (aggregator or attestation chain Down, or still starting).
 */
#include "operator/operator.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *id, *name, *description;
} SVC[SVC_COUNT] = {
    {"avs-chain-rpc", "AVS chain RPC", "JSON-RPC node of the AVS chain (EthRpcUrl)"},
    {"attestation-chain-rpc", "Attestation chain RPC", "JSON-RPC node of the attestation layer (AttestationLayerRpcURL)"},
    {"prover", "TEE prover", "the operator's TEE prover (ProverURL)"},
    {"aggregator", "Aggregator", "the AVS aggregator (AggregatorURL)"},
    {"liveness", "Liveness proof", "TEELivenessVerifier proof of the BLS key bound to the prover's enclave"},
};

static const char *status_name(op_svc_status s) { return s == SVC_UP ? "Up" : s == SVC_DOWN ? "Down" : "Initializing"; }

static void json_reply(dhttp_reply *r, unsigned status, json_t *j) {
    r->status = status;
    r->content_type = "application/json";
    r->body = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
}

static unsigned node_health(op *o) {
    bool all_up = true;
    for (int i = 0; i < SVC_COUNT; i++) all_up &= op_svc_get(o, i) == SVC_UP;
    if (all_up) return 200;
    if (op_svc_get(o, SVC_AVS_RPC) == SVC_DOWN || op_svc_get(o, SVC_PROVER) == SVC_DOWN ||
        op_svc_get(o, SVC_LIVENESS) == SVC_DOWN)
        return 503;
    return 206;
}

void op_nodeapi_http(void *user, const char *path, dhttp_reply *r) {
    op *o = user;
    if (strcmp(path, "/eigen/node") == 0) {
        json_reply(r, 200, json_pack("{s:s,s:s,s:s}", "node_name", o->avs_name[0] ? o->avs_name : "MultiProverAVS",
                                     "spec_version", "v0.0.1", "node_version", "v" OP_VERSION));
        return;
    }
    if (strcmp(path, "/eigen/node/health") == 0) {
        r->status = node_health(o);
        return;
    }
    if (strcmp(path, "/eigen/node/services") == 0) {
        json_t *a = json_array();
        for (int i = 0; i < SVC_COUNT; i++)
            json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s}", "id", SVC[i].id, "name", SVC[i].name,
                                               "description", SVC[i].description, "status",
                                               status_name(op_svc_get(o, i))));
        json_reply(r, 200, json_pack("{s:o}", "services", a));
        return;
    }
    static const char pre[] = "/eigen/node/services/", suf[] = "/health";
    size_t pl = strlen(path);
    if (strncmp(path, pre, sizeof pre - 1) == 0 && pl > sizeof pre - 1 + sizeof suf - 1 &&
        strcmp(path + pl - (sizeof suf - 1), suf) == 0) {
        size_t idl = pl - (sizeof pre - 1) - (sizeof suf - 1);
        for (int i = 0; i < SVC_COUNT; i++) {
            if (strlen(SVC[i].id) == idl && strncmp(path + sizeof pre - 1, SVC[i].id, idl) == 0) {
                op_svc_status s = op_svc_get(o, i);
                r->status = s == SVC_UP ? 200 : s == SVC_DOWN ? 503 : 206;
                return;
            }
        }
    }
    r->status = 404;
    r->content_type = "text/plain; charset=utf-8";
    r->body = strdup("404 page not found\n");
}

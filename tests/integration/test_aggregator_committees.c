/*
 * Integration test: the running mpavs-aggregator picks up committees added, updated and removed on
 * chain after it started, without a restart (daemons/aggregator/committees.c). Real anvil, the
 * devnet stack (committee 3 on quorum 0), the real aggregator (no operators: the watch needs none); the
 * changes are made with the real `mpavs avs` administration commands and each is checked
 * against the chain with an eth_call of committees(id) and against the aggregator's log line
 * (committee_added / committee_updated / committee_removed), which must come from the event scan
 * (well before the 60 s full re-read).
 */
#include "harness.h"
#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static world W;
static bool up;

/* A light world: the AVS anvil with the devnet stack (no operators: the watch needs none), the
   proven chain's anvil, the aggregator. */
static void bring_up(void) {
    memset(&W, 0, sizeof W);
    long long t0 = harness_now_ms();
    snprintf(W.dir, sizeof W.dir, "/tmp/mpavs-committees-XXXXXX");
    if (!mkdtemp(W.dir)) return;
    const char *avs_args[] = {"--hardfork", "osaka", NULL}; /* mined per transaction: a quick deployment */
    const char *l2_args[] = {"--block-time", "1", "--chain-id", "31338", NULL};
    CHECK(harness_anvil_start(&W.avs, avs_args) && harness_anvil_start(&W.l2, l2_args));
    mpavs_rpc_options ro = {.timeout_ms = 10000};
    W.rpc = mpavs_rpc_create(W.avs.url, &ro);
    CHECK(W.rpc && harness_unhex(W.deployer_key, 32, ANVIL_KEY0) == 32);
    if (!W.rpc || mpavs_contracts_init(&W.deployer, W.rpc, NULL)) return;
    mpavs_error e = {0};
    mpavs_sender_options so = {.poll_interval_ms = 50};
    bool ok = mpavs_sender_create(&W.deployer.sender, &e, W.rpc, W.deployer_key, &so) == MPAVS_SENDER_OK;
    mpavs_error_clear(&e);
    mpavs_devnet_deploy_options dopt = {.artifacts_dir = harness_path("contracts/out")};
    ok = ok && mpavs_devnet_deploy(&W.deployer, &W.dep, &dopt) == 0;
    if (!ok) fprintf(stderr, "  deploy: %s\n", W.deployer.error.message);
    CHECK(ok);
    ok = ok && mpavs_devnet_deployment_save(&W.dep, world_path(&W, "deployment.json")) == 0;
    snprintf(W.agg_db, sizeof W.agg_db, "%s/aggregator.db", W.dir);
    fprintf(stderr, "  deployed in %lld ms\n", harness_now_ms() - t0);
    up = ok && world_start_aggregator(&W, 67, 2, NULL);
    fprintf(stderr, "  aggregator up at %lld ms\n", harness_now_ms() - t0);
    CHECK(up);
}

/* `mpavs avs ARGS` as the deployer (owner of everything) against the world's chain. Returns its exit code. */
static int avs(const char *args) {
    char bin[600], dep[400], log[400], cmd[2400], key[67];
    snprintf(bin, sizeof bin, "%s", harness_path("build/mpavs")); /* harness_path and world_path share static buffers */
    snprintf(dep, sizeof dep, "%s", world_path(&W, "deployment.json"));
    snprintf(log, sizeof log, "%s", world_path(&W, "avs.log"));
    snprintf(key, sizeof key, "0x%s", harness_hex(W.deployer_key, 32));
    snprintf(cmd, sizeof cmd, "%s avs %s --network custom --deployment %s --rpc-url %s --private-key %s --yes >>%s 2>&1",
             bin, args, dep, W.avs.url, key, log);
    int rc = system(cmd);
    rc = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    if (rc) { /* show what it said */
        snprintf(cmd, sizeof cmd, "tail -5 %s >&2", log);
        if (system(cmd) != 0) fprintf(stderr, "  (no avs.log)\n");
    }
    return rc;
}

/* Wait up to ms for the aggregator's log to contain want. Returns the milliseconds it took, or -1. */
static long wait_log(const char *want, long ms) {
    long long t0 = harness_now_ms();
    while (harness_now_ms() - t0 < ms) {
        size_t n = 0;
        char *log = (char *)harness_read_file(world_path(&W, "aggregator.log"), &n);
        bool found = log && strstr(log, want);
        free(log);
        if (found) return (long)(harness_now_ms() - t0);
        harness_sleep_ms(250);
    }
    return -1;
}

/* committees(id).teeQuorumNumbers on chain as "0x..", via eth_call (the oracle). */
static void committee_quorums(char *out, size_t cap, unsigned id) {
    char sm[43], cmd[1200];
    snprintf(sm, sizeof sm, "0x%s", harness_hex(W.dep.service_manager.bytes, 20));
    snprintf(cmd, sizeof cmd, "%s call --rpc-url %s %s 'committees(uint256)(uint256,string,bytes,bytes)' %u | tail -1",
             harness_path(".tools/bin/cast"), W.avs.url, sm, id);
    out[0] = 0;
    FILE *p = popen(cmd, "r");
    if (!p) return;
    if (fgets(out, (int)cap, p)) out[strcspn(out, "\n")] = 0;
    pclose(p);
}

static void pickup(void) {
    if (!up) return;
    char q[200];
    /* a second quorum with a TDX TEE type, and committee 1 on it */
    char strat[300];
    snprintf(strat, sizeof strat, "quorum create 10 11000 200 0 '[(0x%s,1000000000000000000)]'",
             harness_hex(W.dep.strategy.bytes, 20));
    CHECK(avs(strat) == 0);
    CHECK(avs(strat) == 0);
    CHECK(avs("tee-quorum add 5 1") == 0);
    CHECK(avs("tee-quorum add 5 2") == 0);
    long long t0 = harness_now_ms();
    CHECK(avs("committee add 1 'tdx committee' 0x 1") == 0);
    committee_quorums(q, sizeof q, 1);
    CHECK(strcmp(q, "0x01") == 0);
    long took = wait_log("committee_added type=1 quorums=0x01", 30000);
    CHECK(took >= 0);
    fprintf(stderr, "  committee_added logged %lld ms after the add was sent\n", (long long)(harness_now_ms() - t0));
    CHECK(harness_now_ms() - t0 < 40000); /* the event scan (every 10 s), not only the 60 s full re-read */
    /* an update that moves the committee to quorums 1 and 2 */
    CHECK(avs("committee update 1 'tdx committee' 0x 1,2") == 0);
    committee_quorums(q, sizeof q, 1);
    CHECK(strcmp(q, "0x0102") == 0);
    CHECK(wait_log("committee_updated type=1 quorums=0x0102 quorums_were=0x01", 30000) >= 0);
    /* removal; and a committee id that is no task type is reported, not used */
    CHECK(avs("committee remove 1") == 0);
    committee_quorums(q, sizeof q, 1);
    CHECK(strcmp(q, "0x") == 0);
    CHECK(avs("committee add 9 'other' 0x 2") == 0); /* quorum 2 was freed by the removal */
    CHECK(wait_log("committee_removed type=1 quorums_were=0x0102", 30000) >= 0);
    CHECK(wait_log("committee_unsupported", 30000) >= 0);
    /* the committee the aggregator started with is untouched */
    CHECK(wait_log("committee_removed type=3", 1) < 0);
    int st = 0;
    CHECK(harness_proc_alive(&W.agg, &st));
}

int main(void) {
    RUN(bring_up);
    RUN(pickup);
    world_down(&W);
    return harness_summary();
}

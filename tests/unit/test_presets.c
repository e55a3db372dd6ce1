/*
 * Network presets: every address parses and carries a valid EIP-55 checksum; every address
 * agrees with networks.md (../shared/spec/networks.md); Holesky is retired; lookups.
 */
#include "harness.h"
#include "mpavs/ecdsa.h"
#include "mpavs/presets.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* addr must be a mixed-case checksummed address that round-trips through the formatter. */
static void check_address(const char *what, const char *addr) {
    char m[160];
    bool ok = false;
    mpavs_address a;
    char back[43];
    snprintf(m, sizeof m, "%s %s", what, addr ? addr : "(null)");
    if (!addr || mpavs_address_parse(&a, addr) != MPAVS_ECDSA_OK) {
        harness_fail(__FILE__, __LINE__, m);
        return;
    }
    if (mpavs_address_checksum_verify(&ok, addr) != MPAVS_ECDSA_OK || !ok) harness_fail(__FILE__, __LINE__, m);
    mpavs_address_to_checksum(back, &a);
    if (strcmp(back, addr) != 0) harness_fail(__FILE__, __LINE__, m);
}

static void check_opt(const char *what, const char *addr) {
    if (addr) check_address(what, addr);
}

TEST(addresses_checksummed) {
    REQUIRE(mpavs_preset_count() == 3);
    for (size_t i = 0; i < mpavs_preset_count(); i++) {
        const mpavs_preset *p = mpavs_preset_at(i);
        REQUIRE(p != NULL);
        bool avs = p->registry_coordinator != NULL;
        CHECK(avs == (p->service_manager != NULL));
        check_opt("registry_coordinator", p->registry_coordinator);
        check_opt("operator_state_retriever", p->operator_state_retriever);
        check_opt("service_manager", p->service_manager);
        check_opt("stake_registry", p->stake_registry);
        check_opt("bls_apk_registry", p->bls_apk_registry);
        check_opt("index_registry", p->index_registry);
        check_address("delegation_manager", p->delegation_manager);
        check_address("strategy_manager", p->strategy_manager);
        check_address("avs_directory", p->avs_directory);
        check_address("allocation_manager", p->allocation_manager);
        check_address("rewards_coordinator", p->rewards_coordinator);
        check_address("permission_controller", p->permission_controller);
        check_address("dcap_attestation", p->dcap_attestation);
        check_address("pccs_router", p->pccs_router);
        for (size_t j = 0; j < p->nprofiles; j++) check_address(p->profiles[j].name, p->profiles[j].liveness_verifier);
        if (p->nprofiles) CHECK(mpavs_preset_profile(p, p->default_profile) != NULL);
        else CHECK(p->default_profile == NULL && mpavs_preset_profile(p, NULL) == NULL);
        CHECK_STREQ(p->quorum_task_types, "{\"0\":1,\"1\":2}");
        if (p->prover_url) CHECK(strncmp(p->prover_url, "https://", 8) == 0);
        if (p->aggregator_url) CHECK(strncmp(p->aggregator_url, "https://", 8) == 0);
        CHECK(strncmp(p->eth_rpc_url, "https://", 8) == 0);
    }
    CHECK(mpavs_preset_at(3) == NULL);
}

/* ---- networks.md ---- */

static char *networks_md(void) {
    size_t len;
    unsigned char *t = harness_read_file(harness_shared("spec/networks.md"), &len);
    if (!t) return NULL;
    char *s = realloc(t, len + 1);
    if (!s) {
        free(t);
        return NULL;
    }
    s[len] = 0;
    return s;
}

/* The n-th (0-based) address after the first occurrence of anchor in md, into out (43 bytes). */
static bool md_address(char out[43], const char *md, const char *anchor, int n) {
    const char *p = strstr(md, anchor);
    if (!p) return false;
    for (;;) {
        p = strstr(p, "0x");
        if (!p) return false;
        size_t k = 2;
        while (isxdigit((unsigned char)p[k])) k++;
        if (k == 42 && n-- == 0) {
            memcpy(out, p, 42);
            out[42] = 0;
            return true;
        }
        p += k;
    }
}

/* want (from networks.md) equals got (the preset), ignoring case. */
static void same(const char *what, const char *md, const char *anchor, int n, const char *got) {
    char want[43], m[200];
    snprintf(m, sizeof m, "%s: networks.md [%s #%d] vs preset %s", what, anchor, n, got ? got : "(null)");
    if (!md_address(want, md, anchor, n) || !got || strcasecmp(want, got) != 0) harness_fail(__FILE__, __LINE__, m);
}

TEST(agree_with_networks_md) {
    char *md = networks_md();
    REQUIRE(md != NULL);
    const mpavs_preset *m = mpavs_preset_by_network("mainnet"), *h = mpavs_preset_by_network("hoodi"),
                       *s = mpavs_preset_by_network("sepolia");
    REQUIRE(m && h && s);
    /* the core table's columns: mainnet, Sepolia, Hoodi */
    const struct {
        const char *row;
        size_t off;
    } core[] = {
        {"| DelegationManager |", offsetof(mpavs_preset, delegation_manager)},
        {"| StrategyManager |", offsetof(mpavs_preset, strategy_manager)},
        {"| AVSDirectory |", offsetof(mpavs_preset, avs_directory)},
        {"| AllocationManager |", offsetof(mpavs_preset, allocation_manager)},
        {"| RewardsCoordinator |", offsetof(mpavs_preset, rewards_coordinator)},
        {"| PermissionController |", offsetof(mpavs_preset, permission_controller)},
    };
    const mpavs_preset *cols[3] = {m, s, h};
    for (size_t i = 0; i < sizeof core / sizeof core[0]; i++)
        for (int c = 0; c < 3; c++)
            same(cols[c]->network, md, core[i].row, c, *(const char *const *)((const char *)cols[c] + core[i].off));
    same("mainnet", md, "MultiProverServiceManager", 0, m->service_manager);
    same("mainnet", md, "RegistryCoordinator\n", 0, m->registry_coordinator);
    same("mainnet", md, "StakeRegistry 0x", 0, m->stake_registry);
    same("mainnet", md, "BLSApkRegistry\n", 0, m->bls_apk_registry);
    same("mainnet", md, "IndexRegistry 0x", 0, m->index_registry);
    same("mainnet", md, "OperatorStateRetriever 0x", 0, m->operator_state_retriever);
    same("mainnet", md, "Attestation layers", 0, mpavs_preset_profile(m, "optimism")->liveness_verifier);
    same("mainnet", md, "Automata mainnet L2", 0, mpavs_preset_profile(m, "automata")->liveness_verifier);
    same("mainnet", md, "Entrypoint AutomataDcapAttestationFee", 0, m->dcap_attestation);
    same("hoodi", md, "Entrypoint AutomataDcapAttestationFee", 1, h->dcap_attestation);
    same("sepolia", md, "Entrypoint AutomataDcapAttestationFee", 2, s->dcap_attestation);
    same("mainnet", md, "PCCSRouter: mainnet", 0, m->pccs_router);
    same("hoodi", md, "PCCSRouter: mainnet", 1, h->pccs_router);
    same("sepolia", md, "PCCSRouter: mainnet", 1, s->pccs_router);
    CHECK(strstr(md, "chain id 560048") != NULL && h->chain_id == 560048);
    CHECK(strstr(md, "chain id 11155111") != NULL && s->chain_id == 11155111);
    /* "No Hoodi or Sepolia deployment of the AVS is published" */
    CHECK(strstr(md, "No Hoodi or Sepolia deployment of the AVS is published") != NULL);
    CHECK(h->registry_coordinator == NULL && s->registry_coordinator == NULL && h->nprofiles == 0 && s->nprofiles == 0);
    free(md);
}

TEST(holesky_retired) {
    CHECK(mpavs_preset_by_network("holesky") == NULL);
    const char *why = mpavs_preset_retired("HoleSky");
    REQUIRE(why != NULL);
    CHECK(strstr(why, "shut down in 2025") != NULL);
    CHECK(strstr(why, "hoodi") != NULL && strstr(why, "sepolia") != NULL);
    CHECK(mpavs_preset_retired("hoodi") == NULL);
    CHECK(mpavs_preset_retired(NULL) == NULL);
    /* the old Holesky RegistryCoordinator matches nothing */
    CHECK(mpavs_preset_by_registry_coordinator("0x62c715575cE3Ad7C5a43aA325b881c70564f2215") == NULL);
}

TEST(by_network) {
    const mpavs_preset *m = mpavs_preset_by_network("mainnet");
    const mpavs_preset *h = mpavs_preset_by_network("Hoodi");
    REQUIRE(m && h);
    CHECK_EQ_INT(m->chain_id, 1);
    CHECK_EQ_INT(h->chain_id, 560048);
    CHECK_STREQ(m->registry_coordinator, "0x414696E4F7f06273973E89bfD3499e8666D63Bd4");
    CHECK_STREQ(h->delegation_manager, "0x867837a9722C512e0862d8c2E15b8bE220E8b87d");
    CHECK(mpavs_preset_by_network("MAINNET") == m);
    CHECK(mpavs_preset_by_network("SEPOLIA") != NULL);
    CHECK(mpavs_preset_by_network("devnet") == NULL);
    CHECK(mpavs_preset_by_network("") == NULL);
    CHECK(mpavs_preset_by_network(NULL) == NULL);
}

TEST(by_registry_coordinator) {
    const mpavs_preset *m = mpavs_preset_by_network("mainnet");
    CHECK(mpavs_preset_by_registry_coordinator("0x414696E4F7f06273973E89bfD3499e8666D63Bd4") == m);
    CHECK(mpavs_preset_by_registry_coordinator("0x414696e4f7f06273973e89bfd3499e8666d63bd4") == m);
    CHECK(mpavs_preset_by_registry_coordinator("0X414696E4F7F06273973E89BFD3499E8666D63BD4") == m);
    CHECK(mpavs_preset_by_registry_coordinator("414696e4f7f06273973e89bfd3499e8666d63bd4") == m);
    CHECK(mpavs_preset_by_registry_coordinator("0x414696e4f7f06273973e89bfd3499e8666d63bd5") == NULL);
    CHECK(mpavs_preset_by_registry_coordinator("0x414696e4f7f06273973e89bfd3499e8666d63b") == NULL);
    CHECK(mpavs_preset_by_registry_coordinator("") == NULL);
    CHECK(mpavs_preset_by_registry_coordinator(NULL) == NULL);
}

TEST(profiles) {
    const mpavs_preset *m = mpavs_preset_by_network("mainnet");
    REQUIRE(m != NULL);
    const mpavs_preset_profile *d = mpavs_preset_profile(m, NULL);
    REQUIRE(d != NULL);
    CHECK_STREQ(d->name, "optimism");
    CHECK_STREQ(d->liveness_verifier, "0x99886d5C39c0DF3B0EAB67FcBb4CA230EF373510");
    CHECK(d->rpc_url == NULL);
    CHECK(mpavs_preset_profile(m, "") == d);
    const mpavs_preset_profile *a = mpavs_preset_profile(m, "Automata");
    REQUIRE(a != NULL);
    CHECK_STREQ(a->rpc_url, "https://rpc.ata.network");
    CHECK(mpavs_preset_profile(m, "holesky") == NULL);
    CHECK(mpavs_preset_profile(mpavs_preset_by_network("hoodi"), "optimism") == NULL);
}

int main(void) {
    RUN(addresses_checksummed);
    RUN(agree_with_networks_md);
    RUN(holesky_retired);
    RUN(by_network);
    RUN(by_registry_coordinator);
    RUN(profiles);
    return harness_summary();
}

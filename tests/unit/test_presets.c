/* Network presets: every address parses and carries a valid EIP-55 checksum; lookups. */
#include "harness.h"
#include "mpavs/ecdsa.h"
#include "mpavs/presets.h"

#include <stdlib.h>
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

TEST(addresses_checksummed) {
    REQUIRE(mpavs_preset_count() == 2);
    for (size_t i = 0; i < mpavs_preset_count(); i++) {
        const mpavs_preset *p = mpavs_preset_at(i);
        REQUIRE(p != NULL);
        check_address("registry_coordinator", p->registry_coordinator);
        check_address("operator_state_retriever", p->operator_state_retriever);
        check_address("service_manager", p->service_manager);
        check_address("stake_registry", p->stake_registry);
        check_address("bls_apk_registry", p->bls_apk_registry);
        check_address("index_registry", p->index_registry);
        if (p->avs_directory) check_address("avs_directory", p->avs_directory);
        if (p->delegation_manager) check_address("delegation_manager", p->delegation_manager);
        REQUIRE(p->nprofiles > 0);
        for (size_t j = 0; j < p->nprofiles; j++) check_address(p->profiles[j].name, p->profiles[j].liveness_verifier);
        CHECK(mpavs_preset_profile(p, p->default_profile) != NULL);
        CHECK_STREQ(p->quorum_task_types, "{\"0\":1,\"1\":2}");
        CHECK(strncmp(p->prover_url, "https://", 8) == 0);
        CHECK(strncmp(p->aggregator_url, "https://", 8) == 0);
        CHECK(strncmp(p->eth_rpc_url, "https://", 8) == 0);
    }
    CHECK(mpavs_preset_at(2) == NULL);
}

TEST(by_network) {
    const mpavs_preset *m = mpavs_preset_by_network("mainnet");
    const mpavs_preset *h = mpavs_preset_by_network("HoleSky");
    REQUIRE(m && h);
    CHECK_EQ_INT(m->chain_id, 1);
    CHECK_EQ_INT(h->chain_id, 17000);
    CHECK_STREQ(m->registry_coordinator, "0x414696E4F7f06273973E89bfD3499e8666D63Bd4");
    CHECK_STREQ(h->registry_coordinator, "0x62c715575cE3Ad7C5a43aA325b881c70564f2215");
    CHECK_STREQ(h->service_manager, "0x4665Af665df5703445645D243f0FD63eD3b9D132");
    CHECK_STREQ(h->avs_directory, "0x055733000064333CaDDbC92763c58BF0192fFeBf");
    CHECK(m->avs_directory == NULL && m->delegation_manager == NULL);
    CHECK(mpavs_preset_by_network("MAINNET") == m);
    CHECK(mpavs_preset_by_network("sepolia") == NULL);
    CHECK(mpavs_preset_by_network("") == NULL);
    CHECK(mpavs_preset_by_network(NULL) == NULL);
}

TEST(by_registry_coordinator) {
    const mpavs_preset *m = mpavs_preset_by_network("mainnet");
    const mpavs_preset *h = mpavs_preset_by_network("holesky");
    CHECK(mpavs_preset_by_registry_coordinator("0x414696E4F7f06273973E89bfD3499e8666D63Bd4") == m);
    CHECK(mpavs_preset_by_registry_coordinator("0x414696e4f7f06273973e89bfd3499e8666d63bd4") == m);
    CHECK(mpavs_preset_by_registry_coordinator("0X414696E4F7F06273973E89BFD3499E8666D63BD4") == m);
    CHECK(mpavs_preset_by_registry_coordinator("62c715575ce3ad7c5a43aa325b881c70564f2215") == h);
    CHECK(mpavs_preset_by_registry_coordinator("0x62c715575ce3ad7c5a43aa325b881c70564f2216") == NULL);
    CHECK(mpavs_preset_by_registry_coordinator("0x62c715575ce3ad7c5a43aa325b881c70564f22") == NULL);
    CHECK(mpavs_preset_by_registry_coordinator("") == NULL);
    CHECK(mpavs_preset_by_registry_coordinator(NULL) == NULL);
}

TEST(profiles) {
    const mpavs_preset *m = mpavs_preset_by_network("mainnet");
    const mpavs_preset *h = mpavs_preset_by_network("holesky");
    REQUIRE(m && h);
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
    d = mpavs_preset_profile(h, "");
    REQUIRE(d != NULL);
    CHECK_STREQ(d->name, "holesky");
    CHECK_STREQ(d->liveness_verifier, "0x2E8628F6000Ef85dea615af6Da4Fd6dF4fD149e6");
    const mpavs_preset_profile *t = mpavs_preset_profile(h, "automata_testnet");
    REQUIRE(t != NULL);
    CHECK_STREQ(t->liveness_verifier, "0xf91bFe9EB9F2B3c4Ad339168a42542Ae5f440991");
    CHECK_STREQ(t->rpc_url, "https://rpc-testnet.ata.network");
    CHECK(mpavs_preset_profile(h, "optimism") == NULL);
}

int main(void) {
    RUN(addresses_checksummed);
    RUN(by_network);
    RUN(by_registry_coordinator);
    RUN(profiles);
    return harness_summary();
}

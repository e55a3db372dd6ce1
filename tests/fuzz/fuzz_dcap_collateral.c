/* libFuzzer target: QuoteCollateralV3 JSON parsing (chains, CRLs, TCB info, QE identity) and the
 * PCS signed-span locator, on arbitrary bytes. */
#include "mpavs/dcap.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mpavs_dcap_collateral *c = NULL;
    mpavs_error detail = {0};
    if (mpavs_dcap_collateral_parse(&c, &detail, (const char *)data, size) == MPAVS_DCAP_OK)
        mpavs_dcap_collateral_free(c);
    size_t s, l;
    uint8_t sig[64];
    if (mpavs_dcap_pcs_signed_span(&s, &l, sig, (const char *)data, size, "tcbInfo") == MPAVS_DCAP_OK &&
        (s + l > size || l < 2 || data[s] != '{' || data[s + l - 1] != '}'))
        __builtin_trap();
    if (mpavs_dcap_pcs_signed_span(&s, &l, NULL, (const char *)data, size, "enclaveIdentity") == MPAVS_DCAP_OK && s + l > size)
        __builtin_trap();
    return 0;
}

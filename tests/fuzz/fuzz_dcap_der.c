/* libFuzzer target: the DER certificate/CRL views, the SGX-extension walk and the PEM decoder
 * (internal readers used on every quote's PCK chain and every collateral). */
#include "dcap/dcap_internal.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    dcap_cert c;
    if (dcap_cert_parse(&c, data, size)) {
        if (c.tbs.p < data || c.tbs.p + c.tbs.len > data + size || c.sig.p + c.sig.len > data + size)
            __builtin_trap();
        (void)dcap_name_cn_contains(c.subject, "SGX PCK Certificate");
        (void)dcap_name_cn_contains(c.issuer, "CA");
    }
    dcap_crl crl;
    if (dcap_crl_parse(&crl, data, size)) {
        dcap_span s = {data, size > 8 ? 8 : size};
        (void)dcap_crl_contains(&crl, s);
        (void)dcap_name_cn_contains(crl.issuer, "Processor");
    }
    uint8_t out[4096];
    size_t n = dcap_pem_decode(out, sizeof out, data, size);
    if (n > sizeof out) __builtin_trap();
    if (n) (void)dcap_cert_parse(&c, out, n);
    return 0;
}

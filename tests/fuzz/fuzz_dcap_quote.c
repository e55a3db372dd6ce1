/* libFuzzer target: the DCAP quote parser and the body accessors on arbitrary bytes. */
#include "mpavs/dcap.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mpavs_dcap_quote q;
    if (mpavs_dcap_quote_parse(&q, data, size) != MPAVS_DCAP_OK) return 0;
    /* every view must lie inside the input */
    const uint8_t *end = data + size;
    if (q.body < data || q.body + q.body_len > end || q.qe_report + 384 > end || q.qe_auth + q.qe_auth_len > end ||
        q.cert_data + q.cert_data_len > end || q.quote_len + q.trailing != size)
        __builtin_trap();
    for (int i = 0; i < 3; i++)
        if (q.pem[i] && (q.pem[i] < q.cert_data || q.pem[i] + q.pem_len[i] > q.cert_data + q.cert_data_len))
            __builtin_trap();
    volatile uint8_t sink = mpavs_dcap_report_data(&q)[63];
    sink ^= (uint8_t)mpavs_dcap_is_debug(&q);
    if (q.body_type == MPAVS_DCAP_BODY_SGX)
        sink ^= mpavs_dcap_sgx_mr_enclave(&q)[0] ^ mpavs_dcap_sgx_mr_signer(&q)[31];
    else
        sink ^= mpavs_dcap_tdx_mr_td(&q)[47];
    (void)sink;
    return 0;
}

/* The network form of blob transactions (mpavs/tx.h). */
#include "mpavs/rlp.h"
#include "mpavs/tx.h"

bool mpavs_tx_blob_network_body(const uint8_t **body, size_t *body_len, const uint8_t *raw, size_t len) {
    MPAVS_REQUIRE(body && body_len && (raw || len == 0));
    mpavs_rlp_item outer, first, it;
    mpavs_rlp_iter iter;
    if (len < 2 || raw[0] != MPAVS_TX_TYPE_EIP4844 || mpavs_rlp_decode(&outer, raw + 1, len - 1) || !outer.is_list ||
        mpavs_rlp_iter_init(&iter, &outer) || mpavs_rlp_next(&iter, &first) || !first.is_list)
        return false;
    size_t n = 1;
    while (!mpavs_rlp_iter_done(&iter)) {
        if (mpavs_rlp_next(&iter, &it) || ++n > 5) return false;
    }
    if (n < 4) return false;
    *body = first.raw;
    *body_len = first.raw_len;
    return true;
}

/* Internal declarations shared by the ABI source files (not exported). */
#ifndef MPAVS_ABI_INTERNAL_H
#define MPAVS_ABI_INTERNAL_H

#include "mpavs/abi.h"

/* Size of a type's head in the encoding (32 for dynamic types). */
size_t abi_head_size(const mpavs_abi_type *t);

#endif

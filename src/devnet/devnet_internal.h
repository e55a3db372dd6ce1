/*
 * src/devnet/devnet_internal.h — what the devnet library shares (not exported): the contracts
 * module's call helpers (src/contracts/contracts_internal.h) and contract creation from forge
 * artifacts.
 */
#ifndef MPAVS_DEVNET_INTERNAL_H
#define MPAVS_DEVNET_INTERNAL_H

#include "contracts/contracts_internal.h"
#include "mpavs/devnet.h"

/*
 * Deploy contract `name` from <dir>/<file>.sol/<name>.json with constructor arguments
 * (ctor_types "(t1,t2)" and args tuple text; both NULL for none). Out: *addr.
 */
int dv_deploy(mpavs_contracts_ctx *c, const char *dir, const char *file, const char *name, const char *ctor_types,
              const char *args, mpavs_address *addr);

#endif

/*
 * src/evm/state.h — the world state of one block (internal to libmpavs): an account cache over an
 * mpavs_evm_source, original storage values, transient storage, access sets, the journal.
 */
#ifndef MPAVS_SRC_EVM_STATE_H
#define MPAVS_SRC_EVM_STATE_H

#include "evm/map.h"
#include "mpavs/evm.h"

extern const uint8_t EVM_EMPTY_CODE_HASH[32]; /* keccak256("") */
extern const uint8_t EVM_EMPTY_TRIE_ROOT[32]; /* keccak256(rlp("")) */

typedef struct {
    mpavs_u256 cur;  /* current value */
    mpavs_u256 orig; /* value at the start of the transaction (EIP-2200) */
    bool warm;       /* in the transaction's accessed storage keys (EIP-2929) */
    bool dirty;      /* written since the state was created */
    uint32_t writes; /* writes not undone by a revert (0: every write was reverted, cur is the source's) */
} evm_slot;

typedef struct {
    uint8_t addr[20];
    bool exists;          /* the account is in the state */
    bool code_loaded;     /* code/code_len are valid for code_hash */
    bool storage_cleared; /* the source's storage no longer applies (account deleted) */
    bool warm, touched, created, destructed;
    bool accessed;        /* loaded by the execution (not only warmed) in this transaction; never undone */
    bool dirty;           /* changed since the state was created (for commit) */
    uint64_t nonce;
    mpavs_u256 balance;
    const uint8_t *code;
    size_t code_len;
    uint8_t code_hash[32];
    uint8_t storage_root[32]; /* from the source */
    evm_map slots;            /* 32-byte key -> evm_slot */
} evm_account;

typedef struct {
    uint8_t kind;
    evm_account *a;
    uint8_t key[32];
    mpavs_u256 u;
    uint64_t n;
    const uint8_t *code;
    size_t len;
    uint8_t hash[32];
    bool flag;
} evm_journal_entry;

typedef struct {
    size_t journal;
    size_t logs;
} evm_snapshot;

struct mpavs_evm_state {
    mpavs_evm_source src;
    evm_map accounts;  /* 20-byte address -> evm_account * */
    evm_map transient; /* 20-byte address || 32-byte key -> mpavs_u256 */
    evm_journal_entry *journal;
    size_t n_journal, cap_journal;
    mpavs_evm_log *logs;
    size_t n_logs, cap_logs;
    uint8_t **buffers; /* code buffers owned by the state */
    size_t n_buffers, cap_buffers;
    int err; /* sticky MPAVS_EVM_ERR_SOURCE / _NOMEM */
};

/** The account at addr (loaded from the source on first use, marked accessed), or NULL with st->err set. */
evm_account *evm_state_account(mpavs_evm_state *st, const uint8_t addr[20]);
/** The same without marking it accessed: the sender, coinbase, precompiles and access list a transaction warms. */
evm_account *evm_state_account_quiet(mpavs_evm_state *st, const uint8_t addr[20]);
/** Make sure a->code is loaded. Returns false with st->err set on failure. */
bool evm_state_code(mpavs_evm_state *st, evm_account *a);
/** The slot of a at key (loaded on first use), or NULL with st->err set. Valid until the next slot load of a. */
evm_slot *evm_state_slot(mpavs_evm_state *st, evm_account *a, const uint8_t key[32]);

/** Non-empty per EIP-161: exists and (nonce, balance or code). */
bool evm_account_alive(const evm_account *a);
/** Has code or nonce, or a non-empty storage (EIP-7610): CREATE to it collides. */
bool evm_account_collides(mpavs_evm_state *st, evm_account *a);

/* Journaled changes (false with st->err = NOMEM when the journal cannot grow). */
bool evm_set_balance(mpavs_evm_state *st, evm_account *a, const mpavs_u256 *v);
bool evm_set_nonce(mpavs_evm_state *st, evm_account *a, uint64_t n);
bool evm_set_code(mpavs_evm_state *st, evm_account *a, const uint8_t *code, size_t len); /* copies */
bool evm_set_exists(mpavs_evm_state *st, evm_account *a);
bool evm_set_storage(mpavs_evm_state *st, evm_account *a, const uint8_t key[32], const mpavs_u256 *v);
bool evm_mark_warm(mpavs_evm_state *st, evm_account *a);
bool evm_mark_slot_warm(mpavs_evm_state *st, evm_account *a, const uint8_t key[32]);
bool evm_mark_touched(mpavs_evm_state *st, evm_account *a);
bool evm_mark_created(mpavs_evm_state *st, evm_account *a);
bool evm_mark_destructed(mpavs_evm_state *st, evm_account *a);
bool evm_tstore(mpavs_evm_state *st, const uint8_t addr[20], const uint8_t key[32], const mpavs_u256 *v);
void evm_tload(mpavs_evm_state *st, mpavs_u256 *v, const uint8_t addr[20], const uint8_t key[32]);
/** Append a log (data copied). */
bool evm_add_log(mpavs_evm_state *st, const uint8_t addr[20], const uint8_t (*topics)[32], unsigned n,
                 const uint8_t *data, size_t len);

evm_snapshot evm_snapshot_take(const mpavs_evm_state *st);
/** Undo every change after snap. */
void evm_snapshot_revert(mpavs_evm_state *st, evm_snapshot snap);

/** What the end of a transaction does with the accounts it touched and left empty. */
typedef enum {
    EVM_EMPTY_KEEP = 0,           /* nothing (before EIP-161) */
    EVM_EMPTY_DELETE = 1,         /* EIP-161: a touched empty account is deleted */
    EVM_EMPTY_CREATE_ACCESSED = 2, /* anvil: an accessed absent account becomes an empty account, none is deleted */
} evm_empty_rule;

/**
 * End of a transaction: delete the accounts in `destructed`, apply `empty` (an evm_empty_rule) to
 * the touched ones, clear the warm/touched/created flags, transient storage, the journal, and set
 * every slot's original value to its current one. Logs are moved out to *logs, *n_logs (when logs
 * is NULL, dropped).
 */
void evm_state_end_tx(mpavs_evm_state *st, mpavs_evm_log **logs, size_t *n_logs, int empty);
/** Discard the journal without undoing it (e.g. after validity checks) — unused today. */

#endif

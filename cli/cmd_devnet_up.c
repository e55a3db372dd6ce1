/*
 * mpavs devnet up — the whole system on two local chains (what `make devnet` runs).
 *
 * Steps: wipe and recreate the state directory; start two anvils (AVS chain 31337 with the
 * P-256 precompile, proven chain 31338); create a devnet attestation CA; deploy the contracts
 * and register the CA's PCK key; create and onboard the operators; start one mpavs-prover per
 * operator, the aggregator and the operators; then show each confirmed state until Ctrl-C,
 * --duration or --until-confirmed. Every process it starts is stopped when it ends.
 */
#include "cli.h"
#include "devnet_up.h"

#include "mpavs/bls.h"
#include "mpavs/bn254.h"
#include "mpavs/dcap.h"
#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/keystore.h"
#include "mpavs/sender.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* anvil's dev account 0 (public test key): deployer, state confirmer and aggregator */
static const char ANVIL_KEY0[] = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
static const char MARKER[] = ".mpavs-devnet";
/* DIR/.mpavs-devnet.lock: flock()ed by the running `devnet up` for its whole life, and holding its pid
 * (emptied at a clean exit). The kernel drops the flock when the owner dies, so a lock whose pid is
 * gone is stale and taken over; a held one refuses the second start. Never wiped with the directory. */
static const char LOCK[] = ".mpavs-devnet.lock";
static int g_lock_fd = -1;

/* Signal flags: the handlers only set these; the main loop acts (CLI-owned state). */
static volatile sig_atomic_t g_stop, g_winch;
static volatile int g_cancel; /* mirrors g_stop for the sender's cancel pointer */

static void on_stop(int sig) {
    g_stop = sig;
    g_cancel = 1;
}
static void on_winch(int sig) {
    (void)sig;
    g_winch = 1;
}

static void usage(void) {
    puts("NAME\n"
         "    mpavs devnet up - run the whole multi-prover AVS on two local chains\n"
         "\n"
         "SYNOPSIS\n"
         "    mpavs devnet up [--dir DIR] [--operators N] [--duration SECONDS]\n"
         "                    [--until-confirmed N] [--no-view] [--from-logs]\n"
         "                    [--no-load] [--load-rate TX_PER_SECOND]\n"
         "\n"
         "DESCRIPTION\n"
         "    Runs the whole multi-prover AVS on two local anvil chains and shows each confirmed state.\n"
         "    `make devnet` runs it after scripts/setup and the build.\n"
         "\n"
         "      1. Locks DIR (default: .devnet at the repository root; DIR/.mpavs-devnet.lock holds the\n"
         "         running devnet's pid: a second `devnet up` on the same DIR is refused, a lock whose pid is\n"
         "         no longer running is taken over), then wipes and recreates it (a non-empty DIR is only\n"
         "         wiped if an earlier `devnet up` made it: DIR/.mpavs-devnet).\n"
         "      2. Starts the AVS chain (anvil --hardfork osaka --block-time 1 --chain-id 31337: the P-256\n"
         "         precompile verifies quotes on chain) and the proven chain (--block-time 1 --chain-id\n"
         "         31338) on free loopback ports.\n"
         "      3. Creates a DEVNET ONLY attestation CA (DIR/devnet-ca), deploys the contracts\n"
         "         (DIR/deployment.json, with rpcUrl, l2RpcUrl, l2ChainId) and registers the CA's PCK key.\n"
         "         With N >= 2 two TEE quorums: {INTEL_SGX, 0} and {INTEL_TDX, 1}, the chain-state\n"
         "         committee on both (each quorum's threshold needed), per-quorum policies (quorum 0: the\n"
         "         devnet MRENCLAVE; quorum 1: the devnet TD identity) and the devnet TD QE identity.\n"
         "      4. Creates N operators (fresh ECDSA keys funded on the AVS chain, fresh BLS keys in\n"
         "         eigensdk key files DIR/operators/opK/bls.key.json, mode 0600) and onboards each: test\n"
         "         tokens, registerAsOperator, deposit, opt-in: the first half (rounded up) to quorum 0\n"
         "         (SGX provers), the rest to quorum 1 (simulated TDX provers; N = 1: quorum 0 only).\n"
         "      5. Starts N mpavs-prover (devnet attestation: SGX v3 quotes, or TDX v4 quotes with the\n"
         "         devnet-tdx provider in quorum 1; preset anvil, re-executing every block of the\n"
         "         proven chain after its block 1),\n"
         "         mpavs-aggregator (type-3 tasks every 5 blocks of chain 31338, threshold 67%) and N\n"
         "         mpavs-operator (its quorum serves task type 3; liveness by submitLivenessProofV4 for\n"
         "         its TEE quorum), each with a config file in DIR and its\n"
         "         output in DIR/logs/<process>.log.\n"
         "      6. Sends traffic on the proven chain (unless --no-load) from anvil dev account 9\n"
         "         (0xa0Ee7A142d267C1f36714E4a8F75612F20a79720; nothing else sends there), --load-rate\n"
         "         transactions per second: plain transfers, contract deployments (CREATE and CREATE2),\n"
         "         storage writes and deletions, calls into a contract that calls another; so the provers\n"
         "         execute non-empty blocks (the sender and the workload's contracts: DIR/load.json).\n"
         "      7. Shows every confirmed state (type, task, proven block, the transactions and gas of the\n"
         "         proven blocks since the previous confirmed one, digest, signers and non-signers as\n"
         "         op1..opN, signers per quorum (\"sgx 2/2 tdx 2/2\"), confirm tx, latency from task creation in ms and in AVS blocks, marked late\n"
         "         above 2; the first confirmation also waits for the operators' first liveness proofs)\n"
         "         from the aggregator's mpavs_confirmations method (else the StateConfirmed logs, without\n"
         "         latency), and how long the first took; at the end the load and a latency summary.\n"
         "         On a terminal the view updates in place; otherwise (or with --no-view) plain lines.\n"
         "         A process that dies is shown Down with the end of its log.\n"
         "\n"
         "    Ctrl-C or SIGTERM stops every process (SIGTERM, then SIGKILL); children also die with it.\n"
         "\n"
         "OPTIONS\n"
         "      --dir DIR              state directory (default <repo>/.devnet)\n"
         "      --operators N          number of operators and provers, 1..16 (default 4)\n"
         "      --duration SECONDS     stop after this long (counted from the start)\n"
         "      --until-confirmed N    stop with exit 0 after N confirmed states; exit 1 if --duration\n"
         "                             ends first\n"
         "      --no-view              plain lines even on a terminal\n"
         "      --from-logs            read StateConfirmed logs even when the aggregator has\n"
         "                             mpavs_confirmations (no signers or latency then)\n"
         "      --no-load              no traffic on the proven chain (empty blocks)\n"
         "      --load-rate N          transactions per second on the proven chain, 1..200 (default 4;\n"
         "                             on 2 shared cores 4 provers keep within 2 AVS blocks up to about\n"
         "                             10 tx/s: above it anvil's witnesses (prestate traces) come too\n"
         "                             slowly and the latency grows without bound)\n"
         "\n"
         "EXIT STATUS\n"
         "    0 done (or stopped by a signal); 1 setup failed, --until-confirmed not reached, a devnet is\n"
         "    already running in DIR, or DIR is not empty and was not made by `devnet up`; 2 bad arguments");
}

/* ---------------- small helpers ---------------- */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("devnet up: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static bool is_file(const char *p, bool exec) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode) && (!exec || access(p, X_OK) == 0);
}
static bool is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Remove a directory tree (no symlinks followed). Returns 0 or -1. */
static int rm_tree(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode)) return unlink(path);
    DIR *d = opendir(path);
    if (!d) return -1;
    struct dirent *e;
    int r = 0;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char sub[DV_PATH * 2];
        dv_fmt(sub, sizeof sub, "%s/%s", path, e->d_name);
        if (rm_tree(sub) != 0) r = -1;
    }
    closedir(d);
    return rmdir(path) == 0 ? r : -1;
}

/* Empty but for the lock file? */
static bool dir_empty(const char *path) {
    DIR *d = opendir(path);
    if (!d) return false;
    struct dirent *e;
    bool empty = true;
    while (empty && (e = readdir(d)) != NULL)
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, LOCK);
    closedir(d);
    return empty;
}

/* Remove everything in dir but the lock file. Returns 0 or -1. */
static int wipe_contents(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    int r = 0;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, LOCK)) continue;
        char sub[DV_PATH * 2];
        dv_fmt(sub, sizeof sub, "%s/%s", dir, e->d_name);
        if (rm_tree(sub) != 0) r = -1;
    }
    closedir(d);
    return r;
}

/*
 * Take DIR's lock (DIR exists): refuse when a running `devnet up` holds it, take over a stale one
 * (its pid not running), then write our pid. Returns 0 or an exit code (message printed).
 */
static int take_lock(const char *dir) {
    char path[DV_PATH + 32], buf[32] = {0};
    dv_fmt(path, sizeof path, "%s/%s", dir, LOCK);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return cli_error("devnet up: cannot open the lock file %s: %s", path, strerror(errno));
    ssize_t got = pread(fd, buf, sizeof buf - 1, 0);
    long owner = got > 0 ? strtol(buf, NULL, 10) : 0;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            return cli_error("devnet up: a devnet is already running in %s (pid %ld, lock %s): stop it first "
                             "(Ctrl-C in its terminal, or kill %ld), or use another --dir", dir, owner, path, owner);
        return cli_error("devnet up: cannot lock %s: %s", path, strerror(e));
    }
    if (owner > 0 && owner != (long)getpid())
        say("stale lock of pid %ld (not running) in %s: taken over", owner, path);
    char mine[32];
    int len = snprintf(mine, sizeof mine, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, mine, (size_t)len, 0) != len) {
        close(fd);
        return cli_error("devnet up: cannot write the lock file %s: %s", path, strerror(errno));
    }
    g_lock_fd = fd; /* held until exit (O_CLOEXEC: the children do not inherit it) */
    return 0;
}

/* At a clean end: empty the lock file (no owner); the flock goes with the process. */
static void release_lock(void) {
    if (g_lock_fd < 0) return;
    if (ftruncate(g_lock_fd, 0) != 0) { /* a stale pid is detected at the next start anyway */
    }
    close(g_lock_fd);
    g_lock_fd = -1;
}

/*
 * Lock, wipe and recreate dir. A non-empty directory without the marker (not made by `devnet up`)
 * is never touched; a directory some running `devnet up` holds is refused before anything is wiped.
 */
static int prepare_dir(const char *dir) {
    char marker[DV_PATH + 32];
    dv_fmt(marker, sizeof marker, "%s/%s", dir, MARKER);
    if (is_dir(dir) && !dir_empty(dir) && !is_file(marker, false))
        return cli_error("devnet up: %s is not empty and was not made by `devnet up` (no %s in it); not wiping "
                         "it: pick an empty or new --dir", dir, MARKER);
    if (!is_dir(dir) && mkdir(dir, 0700) != 0)
        return cli_error("devnet up: cannot create %s: %s", dir, strerror(errno));
    int rc = take_lock(dir);
    if (rc) return rc;
    if (wipe_contents(dir) != 0) return cli_error("devnet up: cannot wipe %s: %s", dir, strerror(errno));
    static const char *const SUB[] = {"/logs", "/operators"};
    for (size_t i = 0; i < sizeof SUB / sizeof SUB[0]; i++) {
        char p[DV_PATH + 16];
        dv_fmt(p, sizeof p, "%s%s", dir, SUB[i]);
        if (mkdir(p, 0700) != 0 && errno != EEXIST) return cli_error("devnet up: cannot create %s: %s", p, strerror(errno));
    }
    return dv_write_private(marker, "made by mpavs devnet up; wiped at its next start") ? 1 : 0;
}

/* Absolute form of a path that may not exist yet. */
static void absolute(char *out, size_t cap, const char *p) {
    if (p[0] == '/') {
        dv_fmt(out, cap, "%s", p);
        return;
    }
    char cwd[DV_PATH];
    if (!getcwd(cwd, sizeof cwd)) dv_fmt(cwd, sizeof cwd, ".");
    dv_fmt(out, cap, "%s/%s", cwd, p);
}

static void resolve(char *out, const char *p) {
    char *full = realpath(p, NULL);
    dv_fmt(out, DV_PATH, "%s", full ? full : p);
    free(full);
}

/* exe_dir: where this binary is (the daemons are built next to it); root: the repository. */
static void locate(char *exe_dir, char *root) {
    char exe[DV_PATH];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) *slash = 0;
    dv_fmt(exe_dir, DV_PATH, "%s", n > 0 ? exe : ".");
    const char *env = getenv("MPAVS_ROOT");
    char cand[DV_PATH + 32];
    if (env && *env) {
        dv_fmt(root, DV_PATH, "%s", env);
        return;
    }
    dv_fmt(cand, sizeof cand, "%s/../contracts", exe_dir);
    if (is_dir(cand)) {
        dv_fmt(cand, sizeof cand, "%s/..", exe_dir);
        resolve(root, cand);
        return;
    }
    dv_fmt(cand, sizeof cand, "%s/../../contracts", exe_dir); /* build/<variant>/mpavs */
    if (is_dir(cand)) {
        dv_fmt(cand, sizeof cand, "%s/../..", exe_dir);
        resolve(root, cand);
        return;
    }
    if (!getcwd(root, DV_PATH)) dv_fmt(root, DV_PATH, ".");
}

static int parse_u64(uint64_t *out, const char *opt, const char *s, uint64_t lo, uint64_t hi) {
    char *end;
    errno = 0;
    unsigned long long v = s && *s ? strtoull(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || v < lo || v > hi || s[0] == '-')
        return cli_usage_error("devnet up: --%s: expected an integer %" PRIu64 "..%" PRIu64, opt, lo, hi);
    *out = v;
    return 0;
}

/* ---------------- the run ---------------- */

typedef struct {
    dv_net net;
    dv_proc procs[DV_MAX_PROCS];
    size_t nprocs;
    char exe_dir[DV_PATH];
    mpavs_rpc *avs, *l2;
    mpavs_ecdsa_ctx *ec;
    long long t0;
} run;

static dv_proc *new_proc(run *r, const char *name, int port) {
    dv_proc *p = &r->procs[r->nprocs++];
    memset(p, 0, sizeof *p);
    dv_fmt(p->name, sizeof p->name, "%s", name);
    dv_fmt(p->log, sizeof p->log, "%s/logs/%s.log", r->net.dir, name);
    p->port = port;
    return p;
}

static void print_tail(const dv_proc *p) {
    char tail[2048];
    dv_log_tail(tail, sizeof tail, p->log, 15);
    fprintf(stderr, "---- last lines of %s:\n%s\n----\n", p->log, tail);
}

/* Start an anvil on a free port (a few attempts: another program may take the port first). */
static int start_anvil(run *r, const char *name, uint64_t chain_id, bool osaka, char *url_out) {
    /* the platform binary itself rather than npm's node wrapper, so that PDEATHSIG reaches anvil */
    char anvil[DV_PATH + 96], cfg_out[DV_PATH];
    static const char *const CAND[] = {"node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil",
                                       "node_modules/@foundry-rs/anvil-linux-arm64/bin/anvil", "bin/anvil"};
    bool found = false;
    for (size_t i = 0; i < sizeof CAND / sizeof CAND[0] && !found; i++)
        found = dv_fmt(anvil, sizeof anvil, "%s/.tools/%s", r->net.root, CAND[i]) == 0 && is_file(anvil, true);
    if (!found) dv_fmt(anvil, sizeof anvil, "anvil");
    dv_fmt(cfg_out, sizeof cfg_out, "%s/%s.json", r->net.dir, name); /* accounts; also names DIR in ps */
    for (int attempt = 0; attempt < 4; attempt++) {
        int port = dv_free_port();
        char ps[16], cs[24];
        dv_fmt(ps, sizeof ps, "%d", port);
        dv_fmt(cs, sizeof cs, "%" PRIu64, chain_id);
        char *argv[16];
        int k = 0;
        argv[k++] = anvil;
        argv[k++] = "--host";
        argv[k++] = "127.0.0.1";
        argv[k++] = "--port";
        argv[k++] = ps;
        argv[k++] = "--chain-id";
        argv[k++] = cs;
        argv[k++] = "--block-time";
        argv[k++] = "1";
        argv[k++] = "--config-out";
        argv[k++] = cfg_out;
        if (osaka) {
            argv[k++] = "--hardfork";
            argv[k++] = "osaka";
        }
        argv[k] = NULL;
        dv_proc *p = attempt == 0 ? new_proc(r, name, port) : &r->procs[r->nprocs - 1];
        p->port = port;
        if (!dv_proc_start(p, argv)) {
            print_tail(p);
            return cli_error("devnet up: cannot start %s (%s)", name, anvil);
        }
        if (dv_wait_port(p, port, 20000, &g_cancel)) {
            dv_fmt(url_out, 64, "http://127.0.0.1:%d", port);
            return 0;
        }
        if (g_stop) return 1;
        if (p->status == DV_UP) dv_proc_stop_all(p, 1, 2000);
    }
    print_tail(&r->procs[r->nprocs - 1]);
    return cli_error("devnet up: %s did not start listening", name);
}

static int rpc_simple(mpavs_rpc *c, const char *what, const char *method, const char *params) {
    char *res = NULL;
    mpavs_error e = {0};
    int rc = mpavs_rpc_call(c, &res, &e, method, params);
    free(res);
    if (rc) {
        cli_error("devnet up: %s: %s: %s (%s)", what, method, mpavs_rpc_strerror(rc), e.message);
        mpavs_error_clear(&e);
        return 1;
    }
    return 0;
}

/* Release what open_ctx made (the rpc client stays the caller's). */
static void close_ctx(mpavs_contracts_ctx *c) {
    mpavs_sender_destroy(c->sender);
    mpavs_contracts_clear(c);
}

static int open_ctx(mpavs_contracts_ctx *c, mpavs_rpc *rpc, const uint8_t sk[32], const char *who) {
    memset(c, 0, sizeof *c);
    mpavs_error e = {0};
    mpavs_sender_options so = {.cancel = &g_cancel};
    mpavs_sender *sender = NULL;
    int rc = mpavs_sender_create(&sender, &e, rpc, sk, &so);
    if (rc) {
        cli_error("devnet up: %s: sender: %s (%s)", who, mpavs_sender_strerror(rc), e.message);
        mpavs_error_clear(&e);
        return 1;
    }
    if (mpavs_contracts_init(c, rpc, sender)) {
        cli_error("devnet up: %s: %s", who, c->error.message);
        close_ctx(c);
        return 1;
    }
    return 0;
}

/* Register the devnet CA's PCK key with the on-chain quote verifier (from a throwaway quote). */
static int register_pck(mpavs_contracts_ctx *c, const dv_net *n) {
    mpavs_dcap_devnet *ca = NULL;
    int rc = mpavs_dcap_devnet_load(&ca, n->ca_dir);
    if (rc) return cli_error("devnet up: devnet CA %s: %s", n->ca_dir, mpavs_dcap_strerror(rc));
    uint8_t rd[64] = {0}, *q = NULL;
    size_t need = 0;
    rc = mpavs_dcap_devnet_quote(ca, NULL, 0, &need, rd, NULL, NULL, false);
    if (rc == MPAVS_DCAP_ERR_BUFFER_TOO_SMALL && (q = malloc(need)) != NULL)
        rc = mpavs_dcap_devnet_quote(ca, q, need, &need, rd, NULL, NULL, false);
    mpavs_dcap_devnet_free(ca);
    int out = 0;
    if (rc || !q) out = cli_error("devnet up: devnet CA quote: %s", mpavs_dcap_strerror(rc ? rc : MPAVS_DCAP_ERR_NOMEM));
    else if (mpavs_devnet_add_pck_key_from_quote(c, &n->dep, q, need)) out = cli_error("devnet up: %s", c->error.message);
    free(q);
    return out;
}

/* eigensdk's pubKey text: "E([x,y])" in decimal. */
static int pubkey_text(char *out, size_t cap, const mpavs_bn254_g1 *pk) {
    uint8_t e[64];
    mpavs_bn254_g1_encode(e, pk);
    mpavs_u256 x = mpavs_u256_from_be32(e), y = mpavs_u256_from_be32(e + 32);
    char xs[90], ys[90];
    if (mpavs_u256_to_dec(xs, sizeof xs, &x) || mpavs_u256_to_dec(ys, sizeof ys, &y)) return -1;
    dv_fmt(out, cap, "E([%s,%s])", xs, ys);
    return 0;
}

/* Create operator i's keys and files, fund it and onboard it. */
static int onboard(run *r, mpavs_contracts_ctx *deployer, size_t i) {
    dv_net *n = &r->net;
    dv_operator *op = &n->ops[i];
    dv_fmt(op->name, sizeof op->name, "op%zu", i + 1);
    dv_fmt(op->dir, sizeof op->dir, "%s/operators/%s", n->dir, op->name);
    dv_fmt(op->bls_key_file, sizeof op->bls_key_file, "%s/bls.key.json", op->dir);
    if (mkdir(op->dir, 0700) != 0 && errno != EEXIST) return cli_error("devnet up: cannot create %s", op->dir);
    uint8_t pw[16];
    if (mpavs_ecdsa_seckey_generate(r->ec, op->ecdsa_sk) || mpavs_ecdsa_seckey_to_address(r->ec, &op->address, op->ecdsa_sk) ||
        mpavs_bls_keygen(op->bls_sk) || mpavs_random_bytes(pw, sizeof pw) ||
        mpavs_hex_encode(op->password, sizeof op->password, pw, sizeof pw, false))
        return cli_error("devnet up: %s: cannot create keys", op->name);
    mpavs_wipe(pw, sizeof pw);
    mpavs_bn254_g1 pk;
    char pub[200], *json = NULL;
    if (mpavs_bls_pubkey_g1(&pk, op->bls_sk) || pubkey_text(pub, sizeof pub, &pk))
        return cli_error("devnet up: %s: bad BLS key", op->name);
    mpavs_bls_operator_id(op->operator_id, &pk);
    mpavs_keystore_options ko = {.pubkey = pub, .scrypt_n = 1u << 14}; /* devnet: fast to decrypt */
    int kr = mpavs_keystore_encrypt(&json, op->bls_sk, 32, op->password, strlen(op->password), &ko);
    if (kr == MPAVS_KEYSTORE_OK) kr = mpavs_keystore_write_file(op->bls_key_file, json);
    free(json);
    if (kr) return cli_error("devnet up: %s: BLS key file %s: %s", op->name, op->bls_key_file, mpavs_keystore_strerror(kr));

    char addr[43], params[160];
    mpavs_address_to_checksum(addr, &op->address);
    dv_fmt(params, sizeof params, "[\"%s\",\"0x3635c9adc5dea00000\"]", addr); /* 1000 ETH */
    if (rpc_simple(r->avs, op->name, "anvil_setBalance", params)) return 1;
    mpavs_u256 stake = mpavs_u256_from_u64(1000000000000000000ull); /* 1 token each: equal stakes */
    if (mpavs_devnet_token_transfer(deployer, &n->dep, &op->address, &stake))
        return cli_error("devnet up: %s: %s", op->name, deployer->error.message);
    mpavs_contracts_ctx c;
    if (open_ctx(&c, r->avs, op->ecdsa_sk, op->name)) return 1;
    uint8_t salt[32], id[32];
    const uint8_t q0[1] = {op->quorum};
    char socket[32];
    dv_fmt(socket, sizeof socket, "devnet-%s", op->name);
    int rc = 0;
    if (mpavs_random_bytes(salt, sizeof salt)) rc = cli_error("devnet up: no randomness");
    else if (mpavs_contracts_register_as_operator(&c, &n->dep) || mpavs_contracts_deposit(&c, &n->dep, &stake) ||
             mpavs_contracts_opt_in(&c, &n->dep, op->ecdsa_sk, op->bls_sk, q0, 1, socket, salt, (uint64_t)time(NULL) + 3600) ||
             mpavs_contracts_operator_id(&c, &n->dep, &op->address, id))
        rc = cli_error("devnet up: %s: %s", op->name, c.error.message);
    else if (memcmp(id, op->operator_id, 32) != 0)
        rc = cli_error("devnet up: %s: the registry's operator id differs from keccak256(G1 key)", op->name);
    close_ctx(&c);
    return rc;
}

/* Chains, CA, contracts, operators. */
static int setup_chains_and_contracts(run *r) {
    dv_net *n = &r->net;
    int rc;
    say("starting the AVS chain and the proven chain (anvil)");
    if ((rc = start_anvil(r, "anvil-avs", 31337, true, n->avs_url))) return rc;
    if ((rc = start_anvil(r, "anvil-l2", 31338, false, n->l2_url))) return rc;
    mpavs_rpc_options ro = {.timeout_ms = 30000};
    r->avs = mpavs_rpc_create(n->avs_url, &ro);
    r->l2 = mpavs_rpc_create(n->l2_url, &ro);
    if (!r->avs || !r->l2) return cli_error("devnet up: cannot create RPC clients");
    mpavs_error e = {0};
    if (mpavs_rpc_chain_id(r->avs, &n->avs_chain_id, &e) || mpavs_rpc_chain_id(r->l2, &n->l2_chain_id, &e)) {
        mpavs_error_clear(&e);
        return cli_error("devnet up: the chains do not answer: %s", e.message);
    }
    say("AVS chain %s (chain %" PRIu64 "), proven chain %s (chain %" PRIu64 ")", n->avs_url, n->avs_chain_id,
        n->l2_url, n->l2_chain_id);

    /* instant mining while we deploy and onboard (one transaction per block otherwise) */
    if (rpc_simple(r->avs, "AVS chain", "evm_setAutomine", "[true]")) return 1;

    dv_fmt(n->ca_dir, sizeof n->ca_dir, "%s/devnet-ca", n->dir);
    int dr = mpavs_dcap_devnet_generate(n->ca_dir, (int64_t)time(NULL), false);
    if (dr) return cli_error("devnet up: devnet CA %s: %s", n->ca_dir, mpavs_dcap_strerror(dr));
    say("DEVNET ONLY attestation CA in %s", n->ca_dir);

    if (mpavs_hex_decode_exact(n->deployer_sk, 32, ANVIL_KEY0)) return cli_error("devnet up: bad dev key");
    mpavs_contracts_ctx dep;
    if (open_ctx(&dep, r->avs, n->deployer_sk, "deployer")) return 1;
    rc = 0;
    char art[DV_PATH + 32];
    dv_fmt(art, sizeof art, "%s/contracts/out", n->root);
    /* two TEE quorums (issue #15 item 5): the first half of the operators run SGX provers in quorum 0,
       the rest simulated TDX provers in quorum 1; committee 3 needs each quorum's threshold */
    n->two_quorums = n->nops >= 2;
    mpavs_keccak256(n->mr_enclave, "mpavs devnet prover enclave - DEVNET ONLY", 41);
    for (size_t i = 0; i < n->nops; i++) n->ops[i].quorum = n->two_quorums && i >= (n->nops + 1) / 2 ? 1 : 0;
    uint8_t idbuf[288] = {0}, td_id[32];
    memcpy(idbuf, n->mr_enclave, 32); /* MRTD = mr_enclave ‖ 0^16; RTMR0..3, MRCONFIGID zero */
    mpavs_keccak256(td_id, idbuf, sizeof idbuf);
    mpavs_devnet_deploy_options opt = {.artifacts_dir = art, .mr_enclave = n->mr_enclave,
                                       .tdx_quorum = n->two_quorums, .td_identity = td_id};
    long long t = dv_now_ms();
    if (mpavs_rpc_block_number(r->avs, &n->avs_start_block, &e)) {
        mpavs_error_clear(&e);
        rc = cli_error("devnet up: AVS chain: eth_blockNumber failed");
    } else if (mpavs_devnet_deploy(&dep, &n->dep, &opt)) {
        rc = cli_error("devnet up: deploy: %s%s", dep.error.message,
                       is_dir(art) ? "" : " (no contracts/out: run `make contracts` or `make devnet`)");
    } else if (dv_write_deployment(n, 0)) {
        rc = 1;
    } else {
        say("contracts deployed in %lld ms; addresses in %s/deployment.json", dv_now_ms() - t, n->dir);
        rc = register_pck(&dep, n);
    }
    for (size_t i = 0; !rc && i < n->nops; i++) {
        if (g_stop) rc = 1;
        else if (!(rc = onboard(r, &dep, i)))
            say("operator %s onboarded (quorum %u, %s prover)", n->ops[i].name, n->ops[i].quorum,
                n->ops[i].quorum == 1 ? "TDX" : "SGX");
    }
    close_ctx(&dep);
    if (rc) return rc;
    if (dv_write_deployment(n, n->nops)) return 1;
    /* one empty block: the first task's reference block (head - 1) then includes the last opt-in */
    if (rpc_simple(r->avs, "AVS chain", "evm_mine", "[]")) return 1;
    /* back to one block per second (the --block-time the chain was started with) */
    return rpc_simple(r->avs, "AVS chain", "evm_setIntervalMining", "[1]");
}

/* A process whose program is missing still gets its log file, saying so. */
static void note_absent(const dv_proc *p, const char *bin) {
    FILE *f = fopen(p->log, "a");
    if (!f) return;
    fprintf(f, "devnet up: %s not started: %s is not built\n", p->name, bin);
    fclose(f);
}

/* Start provers, aggregator, operators. Returns 0 or an exit code; *agg_present says whether
 * the aggregator program exists. */
static int start_daemons(run *r, bool *agg_present) {
    dv_net *n = &r->net;
    char bin[DV_PATH + 32], cfg[DV_PATH];
    char *argv[4];
    for (size_t i = 0; i < n->nops; i++) {
        n->prover_ports[i] = dv_free_port();
        n->ops[i].metrics_port = dv_free_port();
        n->ops[i].node_api_port = dv_free_port();
    }
    n->aggregator_port = dv_free_port();
    n->aggregator_metrics_port = dv_free_port();

    dv_fmt(bin, sizeof bin, "%s/mpavs-prover", r->exe_dir);
    if (!is_file(bin, true)) return cli_error("devnet up: %s is missing (run make)", bin);
    /* the provers' checkpoint: the proven chain's block 1 (anvil's genesis header carries the empty
       state root, so no block can be re-executed from it; any later block would refuse the first
       tasks, which the aggregator may create for blocks mined before the provers started) */
    mpavs_error e = {0};
    mpavs_rpc_block ck = {0};
    bool found = false;
    uint64_t head = 0;
    for (int i = 0; i < 100 && !g_stop && head == 0; i++) {
        if (mpavs_rpc_block_number(r->l2, &head, &e)) {
            mpavs_error_clear(&e);
            return cli_error("devnet up: the proven chain does not answer");
        }
        if (head == 0) dv_sleep_ms(100);
    }
    char tag[24];
    if (head == 0 || mpavs_rpc_get_block_by_number(r->l2, &ck, &found, &e, mpavs_rpc_tag_number(tag, 1)) || !found) {
        mpavs_error_clear(&e);
        return cli_error("devnet up: no block 1 on the proven chain");
    }
    n->l2_checkpoint_number = 1;
    memcpy(n->l2_checkpoint_hash, ck.hash, 32);
    mpavs_rpc_block_clear(&ck);
    size_t first_prover = r->nprocs;
    for (size_t i = 0; i < n->nops; i++) {
        char name[32];
        dv_fmt(name, sizeof name, "prover-%zu", i + 1);
        dv_proc *p = new_proc(r, name, n->prover_ports[i]);
        if (dv_write_prover_config(cfg, n, i)) return 1;
        argv[0] = bin, argv[1] = "--config", argv[2] = cfg, argv[3] = NULL;
        if (!dv_proc_start(p, argv)) return cli_error("devnet up: cannot start %s", bin);
    }
    for (size_t i = 0; i < n->nops; i++) {
        dv_proc *p = &r->procs[first_prover + i];
        if (!dv_wait_port(p, p->port, 30000, &g_cancel)) {
            if (g_stop) return 1;
            print_tail(p);
            return cli_error("devnet up: %s did not start listening on port %d", p->name, p->port);
        }
    }
    say("%zu provers up", n->nops);

    dv_fmt(bin, sizeof bin, "%s/mpavs-aggregator", r->exe_dir);
    dv_proc *agg = new_proc(r, "aggregator", n->aggregator_port);
    if (dv_write_aggregator_config(cfg, n)) return 1;
    *agg_present = is_file(bin, true);
    if (*agg_present) {
        argv[0] = bin, argv[1] = "--config", argv[2] = cfg, argv[3] = NULL;
        if (!dv_proc_start(agg, argv)) return cli_error("devnet up: cannot start %s", bin);
        if (!dv_wait_port(agg, agg->port, 30000, &g_cancel)) {
            if (g_stop) return 1;
            print_tail(agg);
            return cli_error("devnet up: the aggregator did not start listening on port %d", agg->port);
        }
        say("aggregator up on port %d", agg->port);
    } else {
        note_absent(agg, bin);
        say("warning: %s is not built yet: no aggregator (its config is %s)", bin, cfg);
    }

    dv_fmt(bin, sizeof bin, "%s/mpavs-operator", r->exe_dir);
    bool op_present = is_file(bin, true);
    for (size_t i = 0; i < n->nops; i++) {
        char name[32];
        dv_fmt(name, sizeof name, "operator-%zu", i + 1);
        dv_proc *p = new_proc(r, name, n->ops[i].node_api_port);
        if (dv_write_operator_config(cfg, n, i)) return 1;
        if (!op_present) {
            note_absent(p, bin);
            continue;
        }
        argv[0] = bin, argv[1] = "--config", argv[2] = cfg, argv[3] = NULL;
        if (!dv_proc_start(p, argv)) return cli_error("devnet up: cannot start %s", bin);
    }
    if (op_present) say("%zu operators started", n->nops);
    else say("warning: %s is not built yet: no operators (configs are %s/operator-*.json)", bin, n->dir);
    return 0;
}

int cmd_devnet_up(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        usage();
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *dir_opt = cli_opt(&a, "dir"), *nops_opt = cli_opt(&a, "operators");
    const char *dur_opt = cli_opt(&a, "duration"), *until_opt = cli_opt(&a, "until-confirmed");
    bool no_view = cli_flag(&a, "no-view"), from_logs = cli_flag(&a, "from-logs"), no_load = cli_flag(&a, "no-load");
    const char *rate_opt = cli_opt(&a, "load-rate");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return 2;
    uint64_t nops = 4, duration = 0, until = 0, load_rate = 4;
    int rc;
    if (rate_opt && (rc = parse_u64(&load_rate, "load-rate", rate_opt, 1, 200))) return rc;
    if (rate_opt && no_load) return cli_usage_error("devnet up: --load-rate and --no-load exclude each other");
    if (nops_opt && (rc = parse_u64(&nops, "operators", nops_opt, 1, DV_MAX_OPERATORS))) return rc;
    if (dur_opt && (rc = parse_u64(&duration, "duration", dur_opt, 1, 365ull * 86400))) return rc;
    if (until_opt && (rc = parse_u64(&until, "until-confirmed", until_opt, 1, 1000000))) return rc;

    static run R; /* large; CLI-owned */
    run *r = &R;
    memset(r, 0, sizeof *r);
    r->t0 = dv_now_ms();
    dv_net *n = &r->net;
    n->nops = (size_t)nops;
    locate(r->exe_dir, n->root);
    if (dir_opt) absolute(n->dir, sizeof n->dir, dir_opt);
    else dv_fmt(n->dir, sizeof n->dir, "%s/.devnet", n->root);
    if (strlen(n->dir) > 400 || strlen(n->root) > 400)
        return cli_usage_error("devnet up: --dir: path too long (at most 400 bytes)");
    if ((rc = prepare_dir(n->dir))) return rc;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_winch;
    sigaction(SIGWINCH, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    r->ec = mpavs_ecdsa_ctx_create();

    bool agg_present = false;
    dv_watch w;
    bool watching = false;
    dv_view v;
    dv_view_init(&v, !no_view && isatty(STDOUT_FILENO), r->t0);
    static dv_load L; /* CLI-owned */
    memset(&L, 0, sizeof L);
    rc = r->ec ? setup_chains_and_contracts(r) : cli_error("devnet up: no ECDSA context");
    if (!rc && !g_stop) rc = start_daemons(r, &agg_present);
    if (!rc && !g_stop) {
        char agg_url[48];
        dv_fmt(agg_url, sizeof agg_url, "http://127.0.0.1:%d", n->aggregator_port);
        if (dv_watch_open(&w, n, agg_present && !from_logs ? agg_url : NULL)) rc = cli_error("devnet up: cannot create RPC clients");
        else watching = true;
    }
    if (!rc && !g_stop && !no_load) {
        if (dv_load_start(&L, n, (unsigned)load_rate)) rc = 1;
        else {
            char t[400];
            dv_load_text(t, sizeof t, &L);
            say("load on the proven chain: %s", t);
            v.load = &L;
        }
    }
    if (g_stop) rc = 0; /* stopped by a signal during setup: not a failure */
    bool reached = false;
    if (!rc && !g_stop) {
        say("ready after %lld s; watching for confirmed states", (dv_now_ms() - r->t0 + 500) / 1000);
        v.source = w.source == DV_SRC_AGGREGATOR ? "mpavs_confirmations" : "StateConfirmed logs";
        dv_view_begin(&v, n, r->procs, r->nprocs);
        dv_proc *agg_proc = NULL;
        for (size_t i = 0; i < r->nprocs; i++)
            if (!strcmp(r->procs[i].name, "aggregator")) agg_proc = &r->procs[i];
        long long next_poll = 0, next_fail_poll = 0;
        dv_confirm batch[DV_KEEP_CONFIRMS];
        while (!g_stop) {
            long long now = dv_now_ms();
            if (duration && now - r->t0 >= (long long)duration * 1000) break;
            if (g_winch) {
                g_winch = 0;
                dv_view_resize(&v);
                dv_view_tick(&v, n, r->procs, r->nprocs, true);
            }
            if (dv_proc_reap(r->procs, r->nprocs) > 0) {
                for (size_t i = 0; i < r->nprocs; i++)
                    if (r->procs[i].status == DV_DOWN && !r->procs[i].reported) {
                        r->procs[i].reported = true;
                        dv_view_proc_down(&v, &r->procs[i]);
                    }
                v.dirty = true;
            }
            if (now >= next_poll) {
                next_poll = now + 500;
                size_t got = 0;
                bool agg_up = agg_proc && agg_proc->status == DV_UP;
                dv_source before = w.source;
                if (dv_watch_poll(&w, n, agg_up, batch, DV_KEEP_CONFIRMS, &got) == 0)
                    for (size_t i = 0; i < got; i++) dv_view_confirm(&v, &batch[i]);
                if (agg_up && now >= next_fail_poll) { /* expired and failed tasks, with their reasons */
                    next_fail_poll = now + 2000;
                    dv_failure fails[8];
                    size_t nf = 0;
                    if (dv_watch_failures(&w, fails, 8, &nf) == 0)
                        for (size_t i = 0; i < nf; i++) dv_view_failure(&v, &fails[i]);
                }
                if (w.source != before) {
                    v.source = "StateConfirmed logs";
                    v.dirty = true;
                    if (!v.tty) printf("the aggregator has no mpavs_confirmations: reading StateConfirmed logs\n");
                }
                if (until && v.nconfirmed >= until) {
                    reached = true;
                    break;
                }
            }
            dv_load_tick(&L, dv_now_ms());
            dv_view_tick(&v, n, r->procs, r->nprocs, false);
            dv_sleep_ms(100);
        }
        dv_view_tick(&v, n, r->procs, r->nprocs, true);
        dv_view_end(&v);
        if (until && !reached && !g_stop) rc = 1;
    }
    if (watching) dv_watch_close(&w);
    if (L.gen) {
        char t[400];
        dv_load_text(t, sizeof t, &L);
        say("load: %s", t);
    }
    if (v.nconfirmed) {
        char sum[200];
        dv_view_summary(sum, sizeof sum, &v);
        say("proven: %s", sum);
    }
    dv_load_stop(&L);
    if (g_stop) say("stopping (signal %d)", (int)g_stop);
    dv_proc_stop_all(r->procs, r->nprocs, 5000);
    size_t started = 0;
    for (size_t i = 0; i < r->nprocs; i++) started += r->procs[i].pid > 0;
    if (v.first_confirm_ms >= 0)
        say("%" PRIu64 " state%s confirmed; first state confirmed after %lld s", v.nconfirmed, v.nconfirmed == 1 ? "" : "s",
            (v.first_confirm_ms - r->t0 + 500) / 1000);
    else if (!rc)
        say("no state confirmed");
    if (until && !reached && rc == 0 && !g_stop) rc = 1;
    if (until && !reached) say("--until-confirmed %" PRIu64 " not reached (%" PRIu64 " confirmed)", until, v.nconfirmed);
    say("stopped %zu processes; state and logs kept in %s", started, n->dir);
    for (size_t i = 0; i < n->nops; i++) {
        mpavs_wipe(n->ops[i].ecdsa_sk, 32);
        mpavs_wipe(n->ops[i].bls_sk, 32);
    }
    mpavs_wipe(n->deployer_sk, 32);
    mpavs_rpc_destroy(r->avs);
    mpavs_rpc_destroy(r->l2);
    mpavs_ecdsa_ctx_destroy(r->ec);
    curl_global_cleanup();
    release_lock();
    return rc;
}

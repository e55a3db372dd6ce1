/*
 * cli/cli.h — shared plumbing of the `mpavs` command-line tool.
 *
 * Every command is a function `int cmd_xxx(int argc, char **argv)` where
 * argv[0] is the command's own name; it returns the process exit code:
 * 0 success, 1 a negative verdict or a failed operation, 2 unusable
 * arguments. Errors are one line on stderr via cli_error().
 */
#ifndef MPAVS_CLI_H
#define MPAVS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mpavs/sender.h"
#include "mpavs/u256.h"

/** One entry of a command table: name, one-line summary, handler. */
typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command;

/** Print "mpavs: <message>" and a newline on stderr. Returns 1 for convenience. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** As cli_error but returns 2 (usage error). */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * Dispatch argv[1] among a table of n subcommands (argv[0] is the parent's
 * name, for messages). Prints the table on --help/-h or when none is given.
 */
int cli_dispatch(const char *parent, const cli_command *table, size_t n, int argc, char **argv);

/** The one-line summary of the top-level command name (cli/main.c's table), or NULL. */
const char *cli_command_summary(const char *name);

/** Print the standard EXIT STATUS section of every help page (0, 1, 2 as above) on f. */
void cli_help_exit_status(FILE *f);
/**
 * Print a man-style help page (NAME, SYNOPSIS, DESCRIPTION, OPTIONS, [EXAMPLES]) on stdout,
 * adding the standard EXIT STATUS section (before EXAMPLES) when the page has none; a page that
 * starts "usage:" is reformatted as cli_help_usage does. Returns 0.
 */
int cli_help(const char *page);
/**
 * Print a help text written as "usage: SYNOPSIS\n[       SYNOPSIS\n]\nDESCRIPTION...[\noptions:\n...]
 * [\nexamples:\n...]" (printf format) as the man-style page: NAME is the command cli_dispatch
 * last ran with its table summary; a paragraph of "  --option" lines is the OPTIONS, else the
 * --options the synopsis names are; the EXIT STATUS section is the standard one. Returns 0
 * (1 out of memory).
 */
int cli_help_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Record the command being run (its whole path and one-line summary) for cli_help_usage. */
void cli_help_set_command(const char *path, const char *summary);

/** The one-line summary cli_help_set_command last recorded, or NULL. */
const char *cli_help_summary(void);

/** True if argv contains --help or -h (checked by every command). */
bool cli_wants_help(int argc, char **argv);

/** Most arguments one command line may have. */
#define CLI_MAX_ARGS 512

/** A command line being scanned: argv plus which slots options have consumed. */
typedef struct {
    int argc;
    char **argv;
    bool used[CLI_MAX_ARGS];
} cli_args;

/** Start scanning argv. Returns false (after a usage message) if argc > CLI_MAX_ARGS. */
bool cli_args_init(cli_args *a, int argc, char **argv);

/**
 * Returns the value of "--name VALUE" or "--name=VALUE" and marks the slots
 * consumed, or NULL when absent.
 */
const char *cli_opt(cli_args *a, const char *name);
/**
 * "--rpc-url URL", else the environment variable ETH_RPC_URL (Foundry's convention; ignored
 * when empty), else NULL. Every command that takes --rpc-url reads it through this.
 */
const char *cli_rpc_url(cli_args *a);
/**
 * A decimal number s ("2.5", "32") scaled by 10^decimals into *out (decimals 0: a whole
 * number); zero refused unless allow_zero. what names the option in messages.
 * Returns 0, or 2 after a usage message.
 */
int cli_parse_units(mpavs_u256 *out, const char *s, int decimals, const char *what, bool allow_zero);
/** A fee per gas: wei ("1500000000") or with a unit ("1.5gwei", "20wei"). Returns 0 or 2. */
int cli_parse_fee(mpavs_u256 *out, const char *s, const char *what);
/**
 * The transaction caps of every sending command into so: --gas-limit N, --max-fee-per-gas F,
 * --max-priority-fee-per-gas F (each else its Foundry-style environment variable ETH_GAS_LIMIT,
 * ETH_GAS_PRICE, ETH_PRIORITY_GAS_PRICE, ignored when empty) and --legacy, consumed from a. who
 * names the command in messages. Returns 0, or 2 after a usage message.
 */
int cli_tx_caps(cli_args *a, const char *who, mpavs_sender_options *so);
/**
 * v / 10^decimals as a decimal number without trailing zeros ("2.5", "0", "1000") into out
 * (decimals <= 0: v itself).
 */
void cli_fmt_units(char out[100], const mpavs_u256 *v, int decimals);
/**
 * Print a simulated transaction's gas and fee lines on stdout: "  estimated gas: N (gas limit
 * L)", then "  gas price: G gwei (legacy transaction)" or "  max fee per gas: F gwei, max
 * priority fee per gas: P gwei". e is a MPAVS_SENDER_EVENT_SIMULATED event.
 */
void cli_print_gas(const mpavs_sender_event *e);
/**
 * Ask "<question> [y/N] " on stderr and read one line of standard input. Returns 0 when the
 * answer is y or yes (any case); else prints "aborted: <refused>" on stderr and returns 1.
 */
int cli_confirm(const char *question, const char *refused);
/** cli_confirm("Proceed?", "nothing sent"): the question every sending command asks. */
int cli_ask_proceed(void);
/** True if flag "--name" is present; marks it consumed. */
bool cli_flag(cli_args *a, const char *name);
/**
 * Collect the positional arguments (those not consumed, after argv[0]) into
 * pos (capacity cap). Returns their count, or -1 if an unknown --option is
 * left or there are too many (reported with cli_usage_error).
 */
int cli_positionals(cli_args *a, char **pos, int cap);

/**
 * Read a whole file (or stdin for "-") into a malloc'd NUL-terminated buffer.
 * Returns NULL (with a message on stderr) on failure. *len gets the size.
 */
unsigned char *cli_read_file(const char *path, size_t *len);

/**
 * Read a secret (password) from a file, dropping one trailing newline.
 * Returns malloc'd string or NULL with a message. Wipe and free after use.
 */
char *cli_read_secret_file(const char *path);

/**
 * Parse 0x-prefixed hex (odd length allowed? no: even length) into a malloc'd
 * buffer. Returns NULL with a message on stderr; *len gets the byte count.
 */
uint8_t *cli_parse_hex(const char *what, const char *hex, size_t *len);

/** Print 0x + lowercase hex of n bytes and a newline on stdout. */
void cli_print_hex(const uint8_t *b, size_t n);

#endif

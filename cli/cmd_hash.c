/* mpavs keccak, mpavs sig */
#include "cli.h"
#include "commands.h"

#include "mpavs/keccak.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_keccak(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs keccak 0xHEX\n       mpavs keccak --text STRING\n\n"
                       "Prints keccak256 of the bytes (or of the UTF-8 text) as 0x + 64 hex digits.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *text = cli_opt(&a, "text");
    char *pos[1];
    int n = cli_positionals(&a, pos, 1);
    if (n < 0) return 2;
    uint8_t out[32];
    if (text) {
        if (n != 0) return cli_usage_error("keccak: give either --text STRING or 0xHEX");
        mpavs_keccak256(out, text, strlen(text));
    } else {
        if (n != 1) return cli_usage_error("keccak: expected one 0xHEX argument (or --text STRING)");
        size_t len;
        uint8_t *data = cli_parse_hex("keccak", pos[0], &len);
        if (!data) return 2;
        mpavs_keccak256(out, data, len);
        free(data);
    }
    cli_print_hex(out, 32);
    return 0;
}

int cmd_sig(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs sig \"name(type,...)\"\n\nPrints the 4-byte selector (first bytes of keccak256 of the signature).");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    char *pos[1];
    int n = cli_positionals(&a, pos, 1);
    if (n != 1) return n < 0 ? 2 : cli_usage_error("sig: expected one signature like \"transfer(address,uint256)\"");
    uint8_t out[32];
    mpavs_keccak256(out, pos[0], strlen(pos[0]));
    cli_print_hex(out, 4);
    return 0;
}

/* mpavs — the multi-prover AVS command-line tool: the top-level command table. */
#include "cli.h"
#include "commands.h"

#include "mpavs/version.h"

#include <stdio.h>
#include <string.h>

static const cli_command COMMANDS[] = {
    {"keccak", "keccak256 of hex bytes or of --text STRING", cmd_keccak},
    {"sig", "4-byte function selector of a signature", cmd_sig},
    {"wallet", "secp256k1 keys: address, new, import, decrypt (keystores)", cmd_wallet},
    {"tx", "sign / decode legacy (EIP-155) and EIP-1559 transactions", cmd_tx},
    {"abi", "ABI encode, calldata, decode (cast-compatible)", cmd_abi},
    {"rpc", "send one JSON-RPC request, print the JSON result", cmd_rpc},
    {"call", "eth_call a contract function and decode the result", cmd_call},
    {"send", "sign, send and wait for a contract transaction", cmd_send},
    {"quote", "DCAP quote verify / show / collateral (SGX, TDX)", cmd_quote},
    {"attest", "DEVNET ONLY attestation hierarchy and simulated SGX quotes", cmd_attest},
    {"bls", "BN254 BLS keys, sign/verify, hash-to-g1, precompiles 0x06-0x08", cmd_bls},
    {"devnet", "deploy the devnet contract stack; onboard operators", cmd_devnet},
    {"operator", "operator keys, register, deposit, opt-in/out, status (mainnet, hoodi, sepolia, custom, devnet)", cmd_operator},
    {"evm", "EVM engine: statetest (Ethereum state test fixtures)", cmd_evm},
    {"chain", "chain verify: re-execute blocks statelessly from a trusted block hash", cmd_chain},
    {"state", "state get / watch: the states the AVS confirmed (the consumer API)", cmd_state},
    {"avs", "run your own AVS: deploy, administer, inspect (networks, ...)", cmd_avs},
};

const char *cli_command_summary(const char *name) {
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (!strcmp(COMMANDS[i].name, name)) return COMMANDS[i].summary;
    return NULL;
}

static void usage(FILE *f) {
    fputs("NAME\n"
          "    mpavs - the multi-prover AVS command-line tool\n\n"
          "SYNOPSIS\n"
          "    mpavs <command> [options]\n"
          "    mpavs <command> --help\n"
          "    mpavs --version | --help\n\n"
          "DESCRIPTION\n"
          "    Keys, transactions, contract calls, DCAP quotes and BLS for the multi-prover AVS; operator\n"
          "    onboarding (mpavs operator) and a whole local AVS (mpavs devnet up). Commands:\n",
          f);
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        fprintf(f, "      %-12s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fputs("\nOPTIONS\n"
          "    --help      this text (every command takes --help too)\n"
          "    --version   print the version: mpavs <version> (libmpavs <version>, <build id>)\n\n"
          "EXIT STATUS\n"
          "    0 success; 1 runtime failure (a node, a file, a transaction); 2 usage or configuration error\n",
          f);
}

int main(int argc, char **argv) {
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))) {
        puts(MPAVS_VERSION_LINE("mpavs"));
        return 0;
    }
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    return cli_dispatch("mpavs", COMMANDS, sizeof COMMANDS / sizeof COMMANDS[0], argc, argv);
}

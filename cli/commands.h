/* cli/commands.h — every top-level `mpavs` command (one per line, defined in cli/cmd_*.c). */
#ifndef MPAVS_CLI_COMMANDS_H
#define MPAVS_CLI_COMMANDS_H

int cmd_keccak(int argc, char **argv); /* cmd_hash.c */
int cmd_sig(int argc, char **argv);    /* cmd_hash.c */
int cmd_abi(int argc, char **argv);    /* cmd_abi.c */
int cmd_rpc(int argc, char **argv);    /* cmd_rpc.c */
int cmd_call(int argc, char **argv);   /* cmd_rpc.c */
int cmd_send(int argc, char **argv);   /* cmd_rpc.c */
int cmd_quote(int argc, char **argv);  /* cmd_quote.c */
int cmd_attest(int argc, char **argv); /* cmd_attest.c */
int cmd_bls(int argc, char **argv);    /* cmd_bls.c */
int cmd_wallet(int argc, char **argv); /* cmd_wallet.c */
int cmd_tx(int argc, char **argv);     /* cmd_tx.c */
int cmd_devnet(int argc, char **argv); /* cmd_devnet.c */
int cmd_operator(int argc, char **argv); /* cmd_operator.c */
int cmd_evm(int argc, char **argv);      /* cmd_evm.c */
int cmd_chain(int argc, char **argv);    /* cmd_chain.c */
int cmd_state(int argc, char **argv);    /* cmd_state.c */
int cmd_avs(int argc, char **argv);      /* cmd_avs.c */

#endif

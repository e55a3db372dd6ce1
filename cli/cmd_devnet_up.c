/* mpavs devnet up — the whole system on two local chains (being written). */
#include "cli.h"
#include "devnet_up.h"

int cmd_devnet_up(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cli_error("devnet up: not implemented yet");
}

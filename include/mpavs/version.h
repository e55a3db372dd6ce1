/*
 * mpavs/version.h — the one version string of the mpavs binaries.
 *
 * Every binary (the mpavs CLI and each mpavs-<name> daemon) prints, for --version, exactly one line
 *   <program> <MPAVS_VERSION> (libmpavs <MPAVS_VERSION>, <MPAVS_BUILD_ID>)
 * e.g. "mpavs-operator 0.1.0 (libmpavs 0.1.0, v0.1.0-12-gabc1234)". MPAVS_BUILD_ID is `git describe
 * --always --dirty` at build time (the Makefile defines it for the binaries' main.c), else "unknown".
 * tests/integration/cli_consistency.sh checks the format for every binary.
 */
#ifndef MPAVS_VERSION_H
#define MPAVS_VERSION_H

/** The release of the library and the binaries (the Makefile's VERSION). */
#define MPAVS_VERSION "0.1.0"

#ifndef MPAVS_BUILD_ID
#define MPAVS_BUILD_ID "unknown"
#endif

/** The --version line of program prog (a string literal), without the newline. */
#define MPAVS_VERSION_LINE(prog) prog " " MPAVS_VERSION " (libmpavs " MPAVS_VERSION ", " MPAVS_BUILD_ID ")"

#endif

/* src/util/error.h — internal: filling an mpavs_error (include/mpavs/common.h). */
#ifndef MPAVS_UTIL_ERROR_H
#define MPAVS_UTIL_ERROR_H

#include "mpavs/common.h"

/*
 * Replace *err (NULL allowed: nothing is written) with code, module and the printf-formatted
 * message (line breaks become spaces). Returns code.
 */
int mpavs_error_set(mpavs_error *err, const char *module, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif

/* cp_error.h - the caller-owned error every fallible core function fills.
 *
 * Contract: a function that returns a failure status has written a complete,
 * NUL-terminated message into err->msg (when err is not NULL) naming the file,
 * line, field or SQL error involved. On success err is left untouched.
 */
#ifndef CP_ERROR_H
#define CP_ERROR_H

#include <stddef.h>

#define CP_ERROR_MAX 512

typedef struct CpError {
    char msg[CP_ERROR_MAX]; /* human-readable message, always NUL-terminated */
} CpError;

#if defined(__GNUC__)
#define CP_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define CP_PRINTF(fmt_index, first_arg)
#endif

/* Formats a message into err (no-op when err is NULL). Truncates safely. */
void cp_error_set(CpError *err, const char *fmt, ...) CP_PRINTF(2, 3);

#endif

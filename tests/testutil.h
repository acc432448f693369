/* testutil.h - small helpers shared by the cmocka tests. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

/* Deletes dir and everything below it (no-op when missing). */
void testutil_remove_tree(const char *dir);

#include <stddef.h>

/* 1 when the xz program can be run (the official files are stored xz-compressed). */
int testutil_xz_available(void);

/* Single-quotes path for the shell into out (cap bytes). 0, or -1 when it won't fit. */
int testutil_shell_quote(char *out, size_t cap, const char *path);

#endif

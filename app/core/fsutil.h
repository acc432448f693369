/* fsutil.h - small file-system helpers shared by core and the CLI. */
#ifndef FSUTIL_H
#define FSUTIL_H

#include <stddef.h>

#include "cp_error.h"

/* Reads a whole file into a malloc'd, NUL-terminated buffer; *len excludes the NUL.
 * Returns NULL (err filled) on failure. Refuses files over max_bytes. */
char *fs_read_file(const char *path, size_t max_bytes, size_t *len, CpError *err);

int fs_is_dir(const char *path);
int fs_is_file(const char *path);

/* mkdir -p; 0 on success, -1 with err filled. */
int fs_make_dirs(const char *path, CpError *err);

/* Lists the regular files in dir ending in suffix, sorted by name. Fills *names with
 * a malloc'd array of malloc'd strings (free with fs_free_list). Returns the count,
 * or -1 with err filled when the folder can't be read. A missing folder gives 0. */
int fs_list_files(const char *dir, const char *suffix, char ***names, CpError *err);
void fs_free_list(char **names, int count);

/* Joins a and b with one '/' into out (cap bytes). Returns 0, or -1 when it would
 * not fit. */
int fs_join(char *out, size_t cap, const char *a, const char *b);

/* A safe relative content path: non-empty, uses '/', no leading '/', no "..",
 * no backslash, no empty segments. */
int fs_is_safe_relative(const char *path);

#endif

#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void testutil_remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];
    struct stat st;
    if (!d) return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path) continue;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            testutil_remove_tree(path);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

int testutil_xz_available(void)
{
    return system("command -v xz >/dev/null 2>&1") == 0;
}

int testutil_shell_quote(char *out, size_t cap, const char *path)
{
    size_t n = 0;
    if (cap < 3) return -1;
    out[n++] = '\'';
    for (const char *p = path; *p; p++) {
        const char *piece = *p == '\'' ? "'\\''" : NULL;
        size_t plen = piece ? 4 : 1;
        if (n + plen + 2 > cap) return -1;
        if (piece) memcpy(out + n, piece, plen);
        else out[n] = *p;
        n += plen;
    }
    out[n++] = '\'';
    out[n] = '\0';
    return 0;
}

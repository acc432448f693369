#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *fs_read_file(const char *path, size_t max_bytes, size_t *len, CpError *err)
{
    char *buf = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        cp_error_set(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0) goto io_fail;
    long size = ftell(f);
    if (size < 0) goto io_fail;
    if ((unsigned long)size > max_bytes) {
        cp_error_set(err, "%s: file is %ld bytes, more than the %zu allowed", path, size,
                     max_bytes);
        goto fail;
    }
    if (fseek(f, 0, SEEK_SET) != 0) goto io_fail;
    buf = malloc((size_t)size + 1);
    if (!buf) {
        cp_error_set(err, "%s: out of memory", path);
        goto fail;
    }
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) goto io_fail;
    buf[size] = '\0';
    if (len) *len = (size_t)size;
    fclose(f);
    return buf;
io_fail:
    cp_error_set(err, "%s: read error: %s", path, strerror(errno));
fail:
    free(buf);
    fclose(f);
    return NULL;
}

int fs_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fs_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int fs_make_dirs(const char *path, CpError *err)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) {
        cp_error_set(err, "%s: folder path is empty or too long", path);
        return -1;
    }
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char saved = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0700) != 0 && errno != EEXIST) {
                cp_error_set(err, "%s: cannot create folder: %s", buf, strerror(errno));
                return -1;
            }
            buf[i] = saved;
        }
    }
    if (!fs_is_dir(path)) {
        cp_error_set(err, "%s: is not a folder", path);
        return -1;
    }
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int fs_list_files(const char *dir, const char *suffix, char ***names, CpError *err)
{
    *names = NULL;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT) return 0;
        cp_error_set(err, "%s: cannot read folder: %s", dir, strerror(errno));
        return -1;
    }
    size_t slen = strlen(suffix);
    int count = 0, cap = 0;
    char **list = NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n < slen || strcmp(e->d_name + n - slen, suffix) != 0)
            continue;
        char full[4096];
        if (fs_join(full, sizeof full, dir, e->d_name) != 0 || !fs_is_file(full)) continue;
        if (count == cap) {
            int ncap = cap ? cap * 2 : 16;
            char **grown = realloc(list, (size_t)ncap * sizeof *grown);
            if (!grown) goto oom;
            list = grown;
            cap = ncap;
        }
        list[count] = strdup(e->d_name);
        if (!list[count]) goto oom;
        count++;
    }
    closedir(d);
    if (count > 1) qsort(list, (size_t)count, sizeof *list, cmp_names);
    *names = list;
    return count;
oom:
    closedir(d);
    fs_free_list(list, count);
    cp_error_set(err, "%s: out of memory listing folder", dir);
    return -1;
}

void fs_free_list(char **names, int count)
{
    for (int i = 0; i < count; i++) free(names[i]);
    free(names);
}

int fs_join(char *out, size_t cap, const char *a, const char *b)
{
    size_t la = strlen(a);
    int slash = la > 0 && a[la - 1] != '/';
    int n = snprintf(out, cap, "%s%s%s", a, slash ? "/" : "", b);
    return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

int fs_is_safe_relative(const char *path)
{
    if (!path || !*path || path[0] == '/' || strchr(path, '\\')) return 0;
    const char *seg = path;
    for (;;) {
        const char *end = strchr(seg, '/');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);
        if (n == 0) return 0;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') return 0;
        if (n == 1 && seg[0] == '.') return 0;
        if (!end) return 1;
        seg = end + 1;
    }
}

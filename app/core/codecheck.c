#include "codecheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "jsonloc.h"

typedef struct Check {
    Content *c;
    Codebook *cb;
    int added;
    int failed;
    char (*seen)[48];     /* "file|code" already reported: once per file is enough */
    int nseen;
} Check;

/* Line and column of the first "[[code]]" (or quoted code) in the file. */
static void locate(const Content *c, const char *file, const char *code, const char *wrap_l, const char *wrap_r, int *line,
                   int *col)
{
    char path[2048], needle[64];
    CpError err;
    size_t len = 0;
    *line = *col = 0;
    if (fs_join(path, sizeof path, c->root, file) != 0) return;
    char *text = fs_read_file(path, 8u * 1024u * 1024u, &len, &err);
    if (!text) return;
    snprintf(needle, sizeof needle, "%s%s%s", wrap_l, code, wrap_r);
    const char *at = strstr(text, needle);
    if (at) jsonloc_line_col(text, len, (size_t)(at - text) + strlen(wrap_l), line, col);
    free(text);
}

static void on_code(void *user, const char *code, size_t len, const char *file)
{
    Check *k = user;
    char c[32];
    if (len >= sizeof c) len = sizeof c - 1;
    memcpy(c, code, len);
    c[len] = '\0';
    if (codebook_exists(k->cb, c, NULL, NULL)) return;
    char key[48];
    snprintf(key, sizeof key, "%.30s|%s", file, c);
    for (int i = 0; i < k->nseen; i++)
        if (!strcmp(k->seen[i], key)) return;
    if (k->nseen < 256) snprintf(k->seen[k->nseen++], sizeof k->seen[0], "%s", key);
    int line, col;
    locate(k->c, file, c, "[[", "]]", &line, &col);
    if (!line) locate(k->c, file, c, "\"", "\"", &line, &col);
    char msg[256];
    snprintf(msg, sizeof msg, "%s names no code in the active dictionaries (check it in the code book)", c);
    if (content_add_problem(k->c, file, line, col, "$", msg) != 0) k->failed = 1;
    k->added++;
}

int codecheck_content(Content *c, Codebook *cb, CpError *err)
{
    char *kp = calloc(256, 48); /* the seen list, off the stack */
    if (!kp) {
        cp_error_set(err, "out of memory");
        return -1;
    }
    Check k = {0};
    k.c = c;
    k.cb = cb;
    k.seen = (char (*)[48])kp;
    content_each_code(c, on_code, &k);
    /* expected answers must be reportable codes */
    for (int q = 0; q < c->nquizzes; q++) {
        const Quiz *quiz = &c->quizzes[q];
        for (int i = 0; i < quiz->nitems; i++) {
            const Item *it = &quiz->items[i];
            if (it->type != ITEM_CODE_ENTRY) continue;
            for (int a = 0; a < it->naccepted; a++) {
                int billable = 0;
                if (!codebook_exists(cb, it->accepted[a], NULL, &billable) || billable) continue;
                int line, col;
                locate(c, quiz->file, it->accepted[a], "\"", "\"", &line, &col);
                char path[96], msg[256];
                snprintf(path, sizeof path, "$.items[%d].codes[%d]", i, a);
                snprintf(msg, sizeof msg, "%s is a header, not a code that can be reported: an expected answer must be "
                                          "billable", it->accepted[a]);
                if (content_add_problem(c, quiz->file, line, col, path, msg) != 0) k.failed = 1;
                k.added++;
            }
        }
    }
    free(kp);
    if (k.failed) {
        cp_error_set(err, "out of memory recording code problems");
        return -1;
    }
    return k.added;
}

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "codecheck.h"

int cmd_check(CliGlobal *g, int argc, char **argv)
{
    if (argc > 0) {
        fprintf(stderr, "coderprep check: unexpected argument \"%s\"\nusage: coderprep check [--content-root DIR]\n", argv[0]);
        return 2;
    }
    CpError err;
    Content *c = content_load(g->content_root, &err);
    if (!c) {
        fprintf(stderr, "coderprep check: %s\n", err.msg);
        return 2;
    }
    /* codes named by the content, against the dictionary */
    Codebook *cb = NULL;
    if (cli_open_codebook(g, &cb, 1) == 0) {
        if (codecheck_content(c, cb, &err) < 0) fprintf(stderr, "coderprep check: %s\n", err.msg);
        codebook_close(cb);
    } else {
        fprintf(stderr, "coderprep check: codes were not checked: the dictionary could not be opened\n");
    }
    for (int i = 0; i < c->nproblems; i++) {
        char line[1024];
        content_format_problem(&c->problems[i], line, sizeof line);
        printf("%s\n", line);
    }
    int items = 0;
    for (int i = 0; i < c->nquizzes; i++) items += c->quizzes[i].nitems;
    fprintf(stderr, "%s: %d files, %d lessons, %d quizzes (%d items), %d problem%s\n", g->content_root,
            c->files_read, c->nlessons, c->nquizzes, items, c->nproblems, c->nproblems == 1 ? "" : "s");
    int rc = c->nproblems ? 1 : 0;
    content_free(c);
    return rc;
}

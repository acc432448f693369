#include <stdio.h>
#include <string.h>

#include "cases.h"
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
    CaseLibrary *lib = cases_load(g->content_root, c, &err);
    if (!lib) {
        fprintf(stderr, "coderprep check: %s\n", err.msg);
        content_free(c);
        return 2;
    }
    /* codes named by the content and the cases the templates make, against the dictionary */
    Codebook *cb = NULL;
    int keys_total = 0;
    if (cli_open_codebook(g, &cb, 1) == 0) {
        if (codecheck_content(c, cb, &err) < 0) fprintf(stderr, "coderprep check: %s\n", err.msg);
        for (int i = 0; i < cases_count(lib); i++) {
            const CaseTemplate *t = cases_at(lib, i);
            int keys = 0;
            if (case_check_template(t, cb, CASE_CHECK_SEEDS, c, &keys, &err) < 0) {
                fprintf(stderr, "coderprep check: %s: %s\n", case_template_file(t), err.msg);
                continue;
            }
            keys_total += keys;
        }
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
    fprintf(stderr, "%s: %d files, %d lessons, %d quizzes (%d items), %d case templates (%d answer keys in %d seeds each), %d problem%s\n",
            g->content_root, c->files_read, c->nlessons, c->nquizzes, items, cases_count(lib), keys_total, CASE_CHECK_SEEDS,
            c->nproblems, c->nproblems == 1 ? "" : "s");
    cases_free(lib);
    int rc = c->nproblems ? 1 : 0;
    content_free(c);
    return rc;
}

#include "cli.h"

#include <SDL.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "window.h"

static int is_content_root(const char *dir)
{
    char a[APP_PATH_MAX], b[APP_PATH_MAX];
    return fs_join(a, sizeof a, dir, "content") == 0 && fs_join(b, sizeof b, dir, "quizzes") == 0 &&
           fs_is_dir(a) && fs_is_dir(b);
}

static int find_root(char *out, size_t cap)
{
    char exe[APP_PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *candidates[4] = {0};
    char beside[APP_PATH_MAX], share[APP_PATH_MAX];
    int nc = 0;
    if (n > 0) {
        exe[n] = '\0';
        char *dir = dirname(exe);
        snprintf(beside, sizeof beside, "%s", dir);
        snprintf(share, sizeof share, "%s/../share/coderprep", dir);
        candidates[nc++] = beside;
        candidates[nc++] = share;
    }
    candidates[nc++] = CODERPREP_SOURCE_DIR;
    candidates[nc++] = CODERPREP_SHARE_DIR;
    for (int i = 0; i < nc; i++) {
        if (is_content_root(candidates[i])) {
            char real[PATH_MAX];
            const char *use = realpath(candidates[i], real) ? real : candidates[i];
            snprintf(out, cap, "%s", use);
            return 0;
        }
    }
    return -1;
}

int cli_resolve(CliGlobal *g, const char *root, const char *data)
{
    if (root) {
        if (!fs_is_dir(root)) {
            fprintf(stderr, "coderprep: --content-root %s: not a folder\n", root);
            return -1;
        }
        snprintf(g->content_root, sizeof g->content_root, "%s", root);
    } else if (find_root(g->content_root, sizeof g->content_root) != 0) {
        fprintf(stderr, "coderprep: cannot find the bundled content (looked beside the program, in %s and "
                        "in %s); pass --content-root DIR\n", CODERPREP_SOURCE_DIR, CODERPREP_SHARE_DIR);
        return -1;
    }
    if (!data) data = getenv("CODERPREP_DATA_DIR");
    if (data && *data) {
        snprintf(g->data_dir, sizeof g->data_dir, "%s", data);
    } else {
        char *pref = SDL_GetPrefPath("CoderPrep", "coderprep");
        if (!pref) {
            fprintf(stderr, "coderprep: no per-user data folder (%s); pass --data-dir DIR\n", SDL_GetError());
            return -1;
        }
        snprintf(g->data_dir, sizeof g->data_dir, "%s", pref);
        SDL_free(pref);
        size_t n = strlen(g->data_dir);
        if (n > 1 && g->data_dir[n - 1] == '/') g->data_dir[n - 1] = '\0';
    }
    return 0;
}

int cli_parse_size(const char *s, int *w, int *h)
{
    char x;
    if (sscanf(s, "%d%c%d", w, &x, h) != 3 || (x != 'x' && x != 'X') || *w < 320 || *h < 240 ||
        *w > 8192 || *h > 8192)
        return -1;
    return 0;
}

int cmd_gui(CliGlobal *g)
{
    CpError err;
    App app;
    AppConfig cfg = {g->content_root, g->data_dir, g->move_aside_broken_db, 0};
    if (app_open(&app, &cfg, &err) != 0) {
        fprintf(stderr, "coderprep: %s\n", err.msg);
        return 2;
    }
    for (int i = 0; i < app.content->nproblems; i++) {
        char line[1024];
        content_format_problem(&app.content->problems[i], line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    Window w;
    if (window_open(&w, &app, 1200, 800, 0, &err) != 0) {
        fprintf(stderr, "coderprep: %s\n", err.msg);
        app_close(&app);
        return 2;
    }
    window_run(&w);
    window_close(&w);
    app_close(&app);
    SDL_Quit();
    return 0;
}

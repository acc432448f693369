#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "window.h"

static int usage(const char *why)
{
    fprintf(stderr, "coderprep screenshot: %s\n"
                    "usage: coderprep screenshot --screen NAME [--arg ID] [--item N] [--reveal] [--size WxH]\n"
                    "                            [--theme light|dark|contrast] [--scroll PX] [--text-scale F] --out FILE.png\n",
            why);
    return 2;
}

int cmd_screenshot(CliGlobal *g, int argc, char **argv)
{
    const char *screen = NULL, *arg = NULL, *out = NULL, *theme = NULL;
    int w = 1280, h = 800, item = 0, reveal = 0, scroll = 0;
    float text_scale = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--reveal") == 0) { reveal = 1; continue; }
        if (!v) return usage("missing value after an option");
        if (strcmp(a, "--screen") == 0) screen = v;
        else if (strcmp(a, "--arg") == 0) arg = v;
        else if (strcmp(a, "--out") == 0) out = v;
        else if (strcmp(a, "--theme") == 0) theme = v;
        else if (strcmp(a, "--item") == 0) item = atoi(v);
        else if (strcmp(a, "--scroll") == 0) scroll = atoi(v);
        else if (strcmp(a, "--text-scale") == 0) text_scale = strtof(v, NULL);
        else if (strcmp(a, "--size") == 0) {
            if (cli_parse_size(v, &w, &h) != 0) return usage("--size takes WxH, e.g. 1280x800");
        } else {
            char msg[160];
            snprintf(msg, sizeof msg, "unknown option %s", a);
            return usage(msg);
        }
        i++;
    }
    if (!screen || !out) return usage("--screen and --out are required");
    ScreenId sid;
    if (app_screen_from_name(screen, &sid) != 0) return usage("unknown screen name");
    ThemeId tid = THEME_LIGHT;
    if (theme && theme_from_name(theme, &tid) != 0) return usage("--theme is light, dark or contrast");

    CpError err;
    App app;
    AppConfig cfg = {g->content_root, g->data_dir, 0, 1};
    if (app_open(&app, &cfg, &err) != 0) {
        fprintf(stderr, "coderprep screenshot: %s\n", err.msg);
        return 2;
    }
    if (theme) app.theme = tid;
    if (text_scale >= 0.8f && text_scale <= 1.6f) app.text_scale = text_scale;
    if (sid != SCREEN_PROFILES && sid != SCREEN_DATABASE && app.profile.id == 0) {
        /* no learner yet: show the screens as a new learner would see them */
        app.profile.id = -1;
        snprintf(app.profile.name, sizeof app.profile.name, "Sample learner");
    }
    int rc = 0;
    if (sid == SCREEN_DATABASE && app.store) {
        app.db_status = STORE_CORRUPT;
        snprintf(app.db_error, sizeof app.db_error, "%s/progress.db: file is not a database (example shown by screenshot)", g->data_dir);
    }
    if (sid == SCREEN_LESSON || sid == SCREEN_QUIZ) {
        if (!arg) {
            arg = sid == SCREEN_LESSON ? (app.content->nlessons ? app.content->lessons[0].id : NULL)
                                       : (app.content->nquizzes ? app.content->quizzes[0].id : NULL);
        }
        if (!arg || app_go(&app, sid, arg) != 0) {
            fprintf(stderr, "coderprep screenshot: no %s with id \"%s\"\n", screen, arg ? arg : "");
            app_close(&app);
            return 2;
        }
        if (sid == SCREEN_QUIZ) {
            if (item < 0 || item >= app.quiz.nrun) {
                fprintf(stderr, "coderprep screenshot: --item must be 0..%d\n", app.quiz.nrun - 1);
                app_close(&app);
                return 2;
            }
            app_quiz_goto(&app, item);
            if (reveal) app_quiz_reveal(&app);
        }
    } else if (sid == SCREEN_CASES) {
        app_go(&app, sid, NULL);
        if (arg) {
            /* --arg TEMPLATE[:SEED]: that case; --reveal: answered with typical mistakes and scored */
            char id[128];
            snprintf(id, sizeof id, "%s", arg);
            char *colon = strchr(id, ':');
            uint64_t seed = 1;
            if (colon) {
                *colon = '\0';
                seed = strtoull(colon + 1, NULL, 10);
            }
            if (app_case_open(&app, id, seed) != 0) {
                fprintf(stderr, "coderprep screenshot: no case template \"%s\"\n", id);
                app_close(&app);
                return 2;
            }
            app_case_fill_expected(&app, reveal);
            if (reveal) app_case_submit(&app);
        }
    } else if (sid == SCREEN_PROFILES || sid == SCREEN_DATABASE) {
        app.screen = sid;
    } else {
        app_go(&app, sid, arg); /* the code book opens --arg as a code */
    }
    Window win;
    if (window_open_offscreen(&win, &app, w, h, &err) != 0) {
        fprintf(stderr, "coderprep screenshot: %s\n", err.msg);
        app_close(&app);
        return 2;
    }
    if (scroll > 0) {
        window_draw(&win); /* lay out once so the scroll offset can be clamped */
        int *target = sid == SCREEN_LESSON ? &app.lesson.scroll : sid == SCREEN_QUIZ ? &app.quiz.scroll
                    : sid == SCREEN_HOME ? &app.home_scroll : sid == SCREEN_PROBLEMS ? &app.problems_scroll
                    : sid == SCREEN_SETTINGS ? &app.settings_scroll : &app.learn_scroll;
        *target = scroll;
    }
    if (window_save_png(&win, out, &err) != 0) {
        fprintf(stderr, "coderprep screenshot: %s\n", err.msg);
        rc = 2;
    }
    window_close(&win);
    app_close(&app);
    return rc;
}

#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codecheck.h"
#include "fsutil.h"
#include "screens.h"

static const char *const SCREEN_NAMES[SCREEN_COUNT] = {
    "profiles", "home", "learn", "lesson", "quiz", "settings", "problems", "database", "codebook", "cases"};

const char *app_screen_name(ScreenId s) { return (unsigned)s < SCREEN_COUNT ? SCREEN_NAMES[s] : "?"; }

int app_screen_from_name(const char *name, ScreenId *out)
{
    for (int i = 0; i < SCREEN_COUNT; i++)
        if (strcmp(name, SCREEN_NAMES[i]) == 0) {
            *out = (ScreenId)i;
            return 0;
        }
    return -1;
}

int64_t app_now(void) { return (int64_t)time(NULL); }

static void load_profiles(App *app)
{
    app->nprofiles = 0;
    if (!app->store) return;
    CpError err;
    size_t count = 0;
    if (store_profile_list(app->store, app->profiles, APP_MAX_PROFILES, &count, &err) != STORE_OK) {
        snprintf(app->profile_error, sizeof app->profile_error, "%s", err.msg);
        return;
    }
    app->nprofiles = count < APP_MAX_PROFILES ? count : APP_MAX_PROFILES;
}

static void load_settings(App *app)
{
    char value[64];
    CpError err;
    app->theme = THEME_LIGHT;
    app->text_scale = 1.0f;
    if (!app->store) return;
    if (store_setting_get(app->store, "theme", value, sizeof value, &err) == STORE_OK) {
        ThemeId t;
        if (theme_from_name(value, &t) == 0) app->theme = t;
    }
    if (store_setting_get(app->store, "ask_profile", value, sizeof value, &err) == STORE_OK)
        app->ask_profile = strcmp(value, "1") == 0;
    if (store_setting_get(app->store, "text_scale", value, sizeof value, &err) == STORE_OK) {
        float f = strtof(value, NULL);
        if (f >= 0.8f && f <= 1.6f) app->text_scale = f;
    }
}

static void open_store(App *app)
{
    CpError err = {{0}};
    app->store = NULL;
    app->db_status = store_open(app->db_path, &app->store, &err);
    if (app->db_status != STORE_OK) {
        snprintf(app->db_error, sizeof app->db_error, "%s", err.msg);
        if (app->cfg.move_aside_broken_db &&
            (app->db_status == STORE_CORRUPT || app->db_status == STORE_TOO_NEW) &&
            store_move_aside(app->db_path, app_now(), app->db_moved_to, sizeof app->db_moved_to,
                             &err) == STORE_OK) {
            app->db_status = store_open(app->db_path, &app->store, &err);
            if (app->db_status != STORE_OK) snprintf(app->db_error, sizeof app->db_error, "%s", err.msg);
        }
    }
}

/* codes.db: the dictionary the code book, lesson code links and code-entry feedback
 * use. Failing to open it disables those, nothing else. */
static void open_codebook(App *app)
{
    char path[APP_PATH_MAX], dir[APP_PATH_MAX];
    CpError err;
    if (fs_make_dirs(app->data_dir, &err) != 0 || fs_join(path, sizeof path, app->data_dir, "codes.db") != 0 ||
        codebook_open(path, &app->codebook, &err) != 0) {
        snprintf(app->codebook_error, sizeof app->codebook_error, "%s", err.msg);
        app->codebook = NULL;
        return;
    }
    int rebuilt;
    if (fs_join(dir, sizeof dir, app->root, "content/codes") == 0 && fs_is_dir(dir) &&
        codebook_sync_bundled(app->codebook, dir, app_now(), &rebuilt, &err) != 0)
        snprintf(app->codebook_error, sizeof app->codebook_error, "The bundled dictionary could not be built: %s", err.msg);
}

int app_open(App *app, const AppConfig *cfg, CpError *err)
{
    memset(app, 0, sizeof *app);
    app->cfg = *cfg;
    snprintf(app->root, sizeof app->root, "%s", cfg->content_root);
    snprintf(app->data_dir, sizeof app->data_dir, "%s", cfg->data_dir);
    if (fs_join(app->db_path, sizeof app->db_path, app->data_dir, "progress.db") != 0) {
        cp_error_set(err, "%s: data folder path is too long", app->data_dir);
        return -1;
    }
    app->content = content_load(app->root, err);
    if (!app->content) return -1;
    app->lesson_done = calloc((size_t)app->content->nlessons + 1, 1);
    if (!app->lesson_done) {
        cp_error_set(err, "out of memory");
        content_free(app->content);
        app->content = NULL;
        return -1;
    }
    CpError derr;
    /* case templates: a broken one is listed with the content problems */
    app->cases = cases_load(app->root, app->content, err);
    if (!app->cases) {
        content_free(app->content);
        app->content = NULL;
        return -1;
    }
    open_codebook(app);
    if (app->codebook && codecheck_content(app->content, app->codebook, &derr) < 0)
        snprintf(app->codebook_error, sizeof app->codebook_error, "%s", derr.msg);
    if (fs_make_dirs(app->data_dir, &derr) != 0) {
        app->db_status = STORE_IO;
        snprintf(app->db_error, sizeof app->db_error, "%s", derr.msg);
    } else {
        open_store(app);
    }
    app->theme = THEME_LIGHT;
    app->text_scale = 1.0f;
    app->quiz.pick_left = -1;
    for (size_t i = 0; i < sizeof app->quiz_best / sizeof app->quiz_best[0]; i++) app->quiz_best[i] = -1;
    if (!app->store) {
        app->screen = SCREEN_DATABASE;
        return 0;
    }
    load_settings(app);
    load_profiles(app);
    app->screen = SCREEN_PROFILES;
    /* Reopen the learner who studied last, unless this computer is shared and asks. */
    if (app->nprofiles > 0 && !app->ask_profile) app_select_profile(app, app->profiles[0].id);
    return 0;
}

static void leave_lesson(App *app)
{
    LessonView *lv = &app->lesson;
    if (lv->lesson && app->store && !app->cfg.read_only && app->profile.id) {
        int64_t spent = app_now() - lv->opened_at;
        CpError err;
        if (spent > 0 && spent < 6 * 3600 &&
            store_lesson_add_time(app->store, app->profile.id, lv->lesson->id, spent, &err) != STORE_OK)
            screen_store_failed(app, "reading time", &err);
    }
    lv->lesson = NULL;
}

static void finish_quiz(App *app)
{
    QuizView *qv = &app->quiz;
    if (qv->quiz && qv->attempt && app->store && !app->cfg.read_only) {
        CpError err;
        if (store_attempt_finish(app->store, qv->attempt, app_now(), &err) != STORE_OK)
            screen_store_failed(app, "quiz result", &err);
    }
    qv->attempt = 0;
}

void app_close(App *app)
{
    leave_lesson(app);
    finish_quiz(app);
    store_close(app->store);
    app->store = NULL;
    if (app->book.have_info) codebook_info_free(&app->book.info);
    free(app->book.lines);
    app->book.lines = NULL;
    app_case_close(app);
    cases_free(app->cases);
    app->cases = NULL;
    codebook_close(app->codebook);
    app->codebook = NULL;
    content_free(app->content);
    app->content = NULL;
    free(app->lesson_done);
    app->lesson_done = NULL;
}

int app_select_profile(App *app, int64_t id)
{
    for (size_t i = 0; i < app->nprofiles; i++)
        if (app->profiles[i].id == id) {
            app->profile = app->profiles[i];
            CpError err;
            if (app->store && !app->cfg.read_only) {
                store_profile_touch(app->store, id, app_now(), &err);
                char v[32];
                snprintf(v, sizeof v, "%lld", (long long)id);
                store_setting_set(app->store, "last_profile", v, &err);
            }
            app_go(app, SCREEN_HOME, NULL);
            return 0;
        }
    return -1;
}

static void start_quiz_round(App *app, const int *items, int n)
{
    QuizView *qv = &app->quiz;
    qv->nrun = n;
    memcpy(qv->run, items, (size_t)n * sizeof *items);
    for (int i = 0; i < n; i++) qv->result[i] = -1;
    qv->summary = 0;
    app_quiz_goto(app, 0);
    if (app->store && !app->cfg.read_only && app->profile.id) {
        CpError err;
        if (store_attempt_start(app->store, app->profile.id, qv->quiz->id, qv->quiz->version,
                                app_now(), &qv->attempt, &err) != STORE_OK) {
            qv->attempt = 0;
            screen_store_failed(app, "quiz attempt", &err);
        }
    }
}

void app_quiz_goto(App *app, int pos)
{
    QuizView *qv = &app->quiz;
    if (!qv->quiz || pos < 0 || pos >= qv->nrun) return;
    qv->pos = pos;
    const Item *it = &qv->quiz->items[qv->run[pos]];
    uint64_t seed = 0;
    for (const char *p = it->id; *p; p++) seed = seed * 131 + (unsigned char)*p;
    int n = it->type == ITEM_MATCHING ? it->npairs
          : it->type == ITEM_ORDERING ? it->nsequence : it->noptions;
    if (n > ITEM_MAX_OPTIONS) n = ITEM_MAX_OPTIONS;
    quiz_shuffle(qv->perm, n, seed);
    /* true/false and hotspots are shown as authored */
    quiz_answer_init(&qv->answer, it, NULL);
    qv->checked = 0;
    qv->correct = 0;
    qv->nplaced = 0;
    qv->pick_left = -1;
    qv->cursor_x = it->img_w / 2;
    qv->cursor_y = it->img_h / 2;
    qv->scroll = 0;
    qv->error[0] = '\0';
    qv->item_started_ms = SDL_GetTicks();
}

void app_quiz_reveal(App *app)
{
    QuizView *qv = &app->quiz;
    if (!qv->quiz || qv->summary) return;
    const Item *it = &qv->quiz->items[qv->run[qv->pos]];
    QuizAnswer *a = &qv->answer;
    switch (it->type) {
    case ITEM_SINGLE_CHOICE:
    case ITEM_TRUE_FALSE: a->choice = it->answer; break;
    case ITEM_MULTIPLE_RESPONSE: a->mask = it->answers_mask; break;
    case ITEM_FILL_IN:
    case ITEM_CODE_ENTRY: snprintf(a->text, sizeof a->text, "%s", it->accepted[0]); break;
    case ITEM_MATCHING:
        for (int i = 0; i < it->npairs; i++) a->match[i] = i;
        break;
    case ITEM_ORDERING:
        for (int i = 0; i < it->nsequence; i++) a->order[i] = qv->placed[i] = i;
        qv->nplaced = it->nsequence;
        break;
    case ITEM_IMAGE_HOTSPOT: {
        const Region *r = &it->regions[it->answer];
        a->x = r->is_circle ? r->cx : r->px[0];
        a->y = r->is_circle ? r->cy : r->py[0];
        a->clicked = 1;
        break;
    }
    default: break;
    }
    qv->checked = 1;
    qv->correct = quiz_grade(it, a);
}

int app_go(App *app, ScreenId screen, const char *arg)
{
    if (screen == SCREEN_CODEBOOK) {
        app->book.return_case = app->screen == SCREEN_CASES;
        app->book.return_lesson[0] = '\0';
    }
    if (screen == SCREEN_CODEBOOK && app->screen == SCREEN_LESSON && app->lesson.lesson) {
        snprintf(app->book.return_lesson, sizeof app->book.return_lesson, "%s", app->lesson.lesson->id);
        app->book.return_scroll = app->lesson.scroll;
    }
    if (screen != SCREEN_LESSON) leave_lesson(app);
    if (screen != SCREEN_QUIZ) finish_quiz(app);
    app->notice[0] = '\0';
    app->confirm_reset = 0;
    switch (screen) {
    case SCREEN_LESSON: {
        const Lesson *les = arg ? content_find_lesson(app->content, arg) : NULL;
        if (!les) return -1;
        leave_lesson(app);
        if (app->screen != SCREEN_LESSON) app->back = app->screen;
        app->lesson = (LessonView){les, 0, app_now(), 0};
        app->learn_track = les->track;
        if (app->store && app->profile.id) {
            CpError err;
            StoreLessonProgress p;
            if (store_lesson_get(app->store, app->profile.id, les->id, &p, &err) == STORE_OK)
                app->lesson.completed = p.completed_at != 0;
            if (!app->cfg.read_only &&
                store_lesson_open(app->store, app->profile.id, les->id, app_now(), &err) != STORE_OK)
                screen_store_failed(app, "lesson progress", &err);
        }
        break;
    }
    case SCREEN_QUIZ: {
        const Quiz *q = arg ? content_find_quiz(app->content, arg) : NULL;
        if (!q) return -1;
        finish_quiz(app);
        if (app->screen != SCREEN_QUIZ) app->back = app->screen;
        memset(&app->quiz, 0, sizeof app->quiz);
        app->quiz.quiz = q;
        app->learn_track = q->track;
        int n = q->nitems < APP_QUIZ_MAX_ITEMS ? q->nitems : APP_QUIZ_MAX_ITEMS;
        int *all = malloc((size_t)(n ? n : 1) * sizeof *all);
        if (!all) return -1;
        for (int i = 0; i < n; i++) all[i] = i;
        start_quiz_round(app, all, n);
        free(all);
        break;
    }
    case SCREEN_HOME:
    case SCREEN_LEARN:
        screen_refresh_progress(app);
        break;
    case SCREEN_PROFILES:
        load_profiles(app);
        break;
    case SCREEN_CODEBOOK:
        if (arg) app_book_show(app, arg);
        break;
    case SCREEN_CASES:
        app_case_load_history(app);
        break;
    default:
        break;
    }
    app->screen = screen;
    return 0;
}

void app_quiz_retry_missed(App *app)
{
    QuizView *qv = &app->quiz;
    int missed[APP_QUIZ_MAX_ITEMS], n = 0;
    for (int i = 0; i < qv->nrun; i++)
        if (qv->result[i] != 1) missed[n++] = qv->run[i];
    if (n == 0) return;
    finish_quiz(app);
    start_quiz_round(app, missed, n);
}

static void save_setting(App *app, const char *key, const char *value)
{
    CpError err;
    if (app->store && !app->cfg.read_only && store_setting_set(app->store, key, value, &err) != STORE_OK)
        screen_store_failed(app, "setting", &err);
}

void app_set_text_scale(App *app, float s)
{
    if (s < 0.8f) s = 0.8f;
    if (s > 1.6f) s = 1.6f;
    app->text_scale = s;
    char v[16];
    snprintf(v, sizeof v, "%.2f", (double)s);
    save_setting(app, "text_scale", v);
}

void app_set_ask_profile(App *app, int ask)
{
    app->ask_profile = ask != 0;
    save_setting(app, "ask_profile", ask ? "1" : "0");
}

void app_set_theme(App *app, ThemeId t)
{
    app->theme = t;
    save_setting(app, "theme", theme_get(t)->name);
}

static void shortcuts(App *app, Ui *ui)
{
    if (ui_key(ui, SDLK_EQUALS, KMOD_CTRL) || ui_key(ui, SDLK_PLUS, KMOD_CTRL) ||
        ui_key(ui, SDLK_EQUALS, KMOD_CTRL | KMOD_SHIFT) || ui_key(ui, SDLK_KP_PLUS, KMOD_CTRL))
        app_set_text_scale(app, app->text_scale + 0.1f);
    if (ui_key(ui, SDLK_MINUS, KMOD_CTRL) || ui_key(ui, SDLK_KP_MINUS, KMOD_CTRL))
        app_set_text_scale(app, app->text_scale - 0.1f);
    if (ui_key(ui, SDLK_0, KMOD_CTRL) || ui_key(ui, SDLK_KP_0, KMOD_CTRL)) app_set_text_scale(app, 1.0f);
    if (ui_key(ui, SDLK_q, KMOD_CTRL)) app->quit = 1;
    if (ui_key(ui, SDLK_ESCAPE, 0)) {
        if (app->screen == SCREEN_CODEBOOK && app->book.return_lesson[0]) {
            char id[STORE_ID_MAX];
            int scroll = app->book.return_scroll;
            snprintf(id, sizeof id, "%s", app->book.return_lesson);
            if (app_go(app, SCREEN_LESSON, id) == 0) app->lesson.scroll = scroll;
        } else if (app->screen == SCREEN_CODEBOOK && app->book.return_case) {
            app_go(app, SCREEN_CASES, NULL);
        } else if (app->screen == SCREEN_CASES && app->cv.stage != CASE_STAGE_CHOOSE) {
            app->cv.stage = CASE_STAGE_CHOOSE; /* the answer in progress is kept until another case starts */
            app_case_load_history(app);
        } else if (app->screen == SCREEN_LESSON || app->screen == SCREEN_QUIZ)
            app_go(app, app->back == SCREEN_LESSON || app->back == SCREEN_QUIZ ? SCREEN_LEARN : app->back, NULL);
        else if (app->screen != SCREEN_HOME && app->screen != SCREEN_PROFILES &&
                 app->screen != SCREEN_DATABASE && app->profile.id)
            app_go(app, SCREEN_HOME, NULL);
        ui_request_frame(ui);
    }
}

static void sidebar(App *app, Ui *ui, SDL_Rect r)
{
    const Theme *t = ui_theme(ui);
    ui_fill(ui, r, t->sidebar);
    ui_fill(ui, (SDL_Rect){r.x + r.w - 1, r.y, 1, r.h}, t->border);
    int pad = ui_px(ui, 16);
    int x = r.x + pad, y = r.y + ui_px(ui, 20), w = r.w - 2 * pad;
    /* wordmark: a small accent tile and the name */
    int tile = ui_px(ui, 28);
    ui_round(ui, (SDL_Rect){x, y, tile, tile}, ui_px(ui, 7), t->accent);
    int lh = ui_line_height(ui, TEXT_LABEL);
    ui_text(ui, x + (tile - ui_text_width(ui, TEXT_LABEL, "Cp")) / 2, y + (tile - lh) / 2, TEXT_LABEL,
            t->accent_text, "Cp");
    ui_text(ui, x + tile + ui_px(ui, 10), y + (tile - ui_line_height(ui, TEXT_H3)) / 2, TEXT_H3, t->text,
            "CoderPrep");
    y += tile + ui_px(ui, 24);

    struct { ScreenId s; const char *label; } nav[] = {
        {SCREEN_HOME, "Home"}, {SCREEN_LEARN, "Learn"}, {SCREEN_CASES, "Practice cases"}, {SCREEN_CODEBOOK, "Code book"},
        {SCREEN_SETTINGS, "Settings"}, {SCREEN_PROBLEMS, "Content problems"}};
    int bh = ui_px(ui, 40);
    for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++) {
        if (nav[i].s == SCREEN_PROBLEMS && app->content->nproblems == 0) continue;
        int on = app->screen == nav[i].s ||
                 (nav[i].s == SCREEN_LEARN && (app->screen == SCREEN_LESSON || app->screen == SCREEN_QUIZ));
        char id[32];
        snprintf(id, sizeof id, "nav-%s", app_screen_name(nav[i].s));
        SDL_Rect br = {x - ui_px(ui, 6), y, w + ui_px(ui, 12), bh};
        if (ui_row(ui, id, br, nav[i].label, on)) app_go(app, nav[i].s, NULL);
        ui_text(ui, x + ui_px(ui, 8), y + (bh - ui_line_height(ui, TEXT_BODY)) / 2, TEXT_BODY,
                on ? t->accent : t->text, nav[i].label);
        if (nav[i].s == SCREEN_PROBLEMS) {
            char n[16];
            snprintf(n, sizeof n, "%d", app->content->nproblems);
            int nw = ui_text_width(ui, TEXT_LABEL, n) + ui_px(ui, 14);
            SDL_Rect badge = {br.x + br.w - nw - ui_px(ui, 8), y + (bh - ui_px(ui, 22)) / 2, nw, ui_px(ui, 22)};
            ui_round(ui, badge, badge.h / 2, t->danger);
            ui_text(ui, badge.x + ui_px(ui, 7), badge.y + (badge.h - lh) / 2, TEXT_LABEL, t->surface, n);
        }
        y += bh + ui_px(ui, 4);
    }
    /* the learner, at the bottom, with a way to switch */
    int by = r.y + r.h - ui_px(ui, 64);
    ui_fill(ui, (SDL_Rect){r.x + pad, by - ui_px(ui, 8), w, 1}, t->border);
    ui_text(ui, x, by, TEXT_SMALL, t->muted, "Studying as");
    ui_text_fit(ui, x, by + ui_line_height(ui, TEXT_SMALL), w - ui_px(ui, 70), TEXT_LABEL, t->text,
                app->profile.name);
    int sw = ui_button_width(ui, "Switch");
    if (ui_button(ui, "switch-learner", (SDL_Rect){r.x + r.w - pad - sw, by + ui_px(ui, 2), sw, ui_px(ui, 32)},
                  "Switch", BUTTON_QUIET))
        app_go(app, SCREEN_PROFILES, NULL);
}

void app_frame(App *app, Ui *ui, int width, int height)
{
    ui_set_theme(ui, app->theme);
    ui_set_scale(ui, ui_dpi(ui), app->text_scale);
    ui_begin(ui, width, height);
    shortcuts(app, ui);
    SDL_Rect all = {0, 0, width, height};
    if (app->screen == SCREEN_DATABASE) {
        screen_database(app, ui, all);
    } else if (app->screen == SCREEN_PROFILES || app->profile.id == 0) {
        app->screen = SCREEN_PROFILES;
        screen_profiles(app, ui, all);
    } else {
        /* the rail narrows on small windows so the content keeps its room */
        int sw = ui_px(ui, 232);
        if (sw > width * 22 / 100) sw = width * 22 / 100;
        if (sw < ui_px(ui, 176)) sw = ui_px(ui, 176);
        SDL_Rect main = {sw, 0, width - sw, height};
        ScreenId before = app->screen;
        switch (app->screen) {
        case SCREEN_HOME: screen_home(app, ui, main); break;
        case SCREEN_LEARN: screen_learn(app, ui, main); break;
        case SCREEN_LESSON: screen_lesson(app, ui, main); break;
        case SCREEN_QUIZ: screen_quiz(app, ui, main); break;
        case SCREEN_SETTINGS: screen_settings(app, ui, main); break;
        case SCREEN_PROBLEMS: screen_problems(app, ui, main); break;
        case SCREEN_CODEBOOK: screen_codebook(app, ui, main); break;
        case SCREEN_CASES: screen_cases(app, ui, main); break;
        default: break;
        }
        if (app->screen == before) sidebar(app, ui, (SDL_Rect){0, 0, sw, height});
        else ui_request_frame(ui);
    }
    ui_end(ui);
}

/* ------------------------------------------------------------------ code book */

/* The Tabular view: the selected code's category and everything under it to six
 * characters (seven-character codes are the 7th-character table). */
static void add_lines(App *app, CodeSystem sys, const char *code, int depth)
{
    BookView *b = &app->book;
    CodeRef kids[256];
    int n = 0;
    CpError err;
    if (depth > 6 || codebook_children(app->codebook, sys, code, kids, 256, &n, &err) != 0) return;
    if (n > 256) n = 256;
    for (int i = 0; i < n && b->nlines < BOOK_LINES; i++) {
        int seventh = sys == SYS_ICD10CM && strlen(kids[i].code) == 7;
        if (seventh && strcmp(kids[i].code, b->selected) != 0) continue;
        BookLine *l = &b->lines[b->nlines++];
        l->depth = depth;
        snprintf(l->code, sizeof l->code, "%s", kids[i].code);
        snprintf(l->title, sizeof l->title, "%s", kids[i].title);
        l->billable = kids[i].billable;
        if (sys == SYS_ICD10CM) add_lines(app, sys, kids[i].code, depth + 1);
    }
}

static void book_load(App *app, const char *code)
{
    BookView *b = &app->book;
    CpError err;
    if (b->have_info) codebook_info_free(&b->info);
    b->have_info = 0;
    b->nlines = 0;
    b->status[0] = '\0';
    if (!app->codebook) return;
    if (codebook_lookup(app->codebook, SYS_ANY, NULL, code, &b->info, &err) != 0) {
        snprintf(b->status, sizeof b->status, "%s", err.msg);
        return;
    }
    b->have_info = 1;
    b->system = b->info.system;
    snprintf(b->selected, sizeof b->selected, "%s", b->info.code);
    if (!b->lines) b->lines = calloc(BOOK_LINES, sizeof *b->lines);
    if (!b->lines) return;
    /* the top of the printed block: the category (CM), the table (PCS) */
    const char *top = b->info.code;
    for (int i = 0; i < b->info.nancestors; i++)
        if (strlen(b->info.ancestors[i].code) == 3 && !strchr(b->info.ancestors[i].code, '-')) top = b->info.ancestors[i].code;
    if (b->system == SYS_HCPCS) return;
    CodeInfo topi;
    if (codebook_lookup(app->codebook, b->system, NULL, top, &topi, &err) == 0) {
        BookLine *l = &b->lines[b->nlines++];
        l->depth = 0;
        snprintf(l->code, sizeof l->code, "%s", topi.code);
        snprintf(l->title, sizeof l->title, "%s", topi.title);
        l->billable = topi.billable;
        codebook_info_free(&topi);
        if (b->system == SYS_ICD10CM) add_lines(app, b->system, top, 1);
    }
    b->page_scroll = 0;
}

void app_book_show(App *app, const char *code)
{
    BookView *b = &app->book;
    char norm[CODE_MAX];
    if (codebook_normalise(code, norm) != 0) snprintf(norm, sizeof norm, "%s", code);
    book_load(app, norm);
    if (!b->have_info) return;
    /* a new place drops the forward history, as a browser does */
    if (b->hlen == 0 || strcmp(b->history[b->hpos], b->selected) != 0) {
        if (b->hlen > 0) b->hpos++;
        if (b->hpos >= BOOK_HISTORY) {
            memmove(b->history[0], b->history[1], (BOOK_HISTORY - 1) * sizeof b->history[0]);
            b->hpos = BOOK_HISTORY - 1;
        }
        snprintf(b->history[b->hpos], sizeof b->history[0], "%s", b->selected);
        b->hlen = b->hpos + 1;
    }
    b->tab = 0;
}

void app_book_step(App *app, int delta)
{
    BookView *b = &app->book;
    int to = b->hpos + delta;
    if (to < 0 || to >= b->hlen) return;
    b->hpos = to;
    book_load(app, b->history[to]);
}

/* ------------------------------------------------------------------ import */

static void import_progress(void *user, const char *what, double fraction)
{
    App *app = user;
    static uint32_t last;
    snprintf(app->import_what, sizeof app->import_what, "%s", what);
    app->import_fraction = fraction;
    uint32_t now = SDL_GetTicks();
    if (app->redraw_now && (now - last > 60 || fraction >= 1.0)) { /* ~15 frames a second is plenty */
        last = now;
        app->redraw_now(app->redraw_ctx);
    }
}

/* Adds path (a file, or every .txt / .xml / .tsv file in a folder) to files. */
static int collect_import(const char *path, char files[][APP_PATH_MAX], int cap, int n)
{
    if (!fs_is_dir(path)) {
        if (n < cap) snprintf(files[n++], APP_PATH_MAX, "%s", path);
        return n;
    }
    static const char *const exts[] = {".txt", ".xml", ".tsv"};
    for (int e = 0; e < 3; e++) {
        char **names = NULL;
        CpError err;
        int k = fs_list_files(path, exts[e], &names, &err);
        for (int i = 0; i < k && n < cap; i++) fs_join(files[n++], APP_PATH_MAX, path, names[i]);
        if (k > 0) fs_free_list(names, k);
    }
    return n;
}

void app_import_codes(App *app)
{
    enum { MAXF = 16 };
    char files[MAXF][APP_PATH_MAX];
    const char *ptrs[MAXF];
    int n = 0;
    char buf[sizeof app->import_path];
    snprintf(buf, sizeof buf, "%s", app->import_path);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ') tok++;
        size_t len = strlen(tok);
        while (len > 0 && tok[len - 1] == ' ') tok[--len] = '\0';
        if (len) n = collect_import(tok, files, MAXF, n);
    }
    if (!app->codebook) {
        snprintf(app->import_result, sizeof app->import_result, "The code dictionary is not available: %s", app->codebook_error);
        return;
    }
    if (n == 0) {
        snprintf(app->import_result, sizeof app->import_result,
                 "Name the release files to import (or the folder that holds them), separated by commas.");
        return;
    }
    for (int i = 0; i < n; i++) ptrs[i] = files[i];
    ImportSummary sums[SYS_COUNT];
    int nsum = 0;
    CpError err;
    app->importing = 1;
    int rc = codebook_import(app->codebook, ptrs, n, NULL, app_now(), import_progress, app, sums, &nsum, &err);
    app->importing = 0;
    if (rc != 0) {
        snprintf(app->import_result, sizeof app->import_result, "Nothing was imported: %s", err.msg);
        return;
    }
    size_t len = 0;
    app->import_result[0] = '\0';
    for (int i = 0; i < nsum; i++)
        len += (size_t)snprintf(app->import_result + len, sizeof app->import_result - len,
                                "%s%s %s: %lld codes (%lld billable), %lld index terms in %.1f s; now active.",
                                i ? " " : "", codebook_system_name(sums[i].system), sums[i].version, (long long)sums[i].codes,
                                (long long)sums[i].billable, (long long)sums[i].index_terms, sums[i].seconds);
}

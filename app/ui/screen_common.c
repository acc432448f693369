#include <stdio.h>
#include <string.h>

#include "screens.h"

SDL_Rect screen_column(Ui *ui, SDL_Rect area, float max_pt)
{
    int margin = ui_px(ui, 40);
    if (margin > area.w / 12) margin = area.w / 12 < 12 ? 12 : area.w / 12;
    int w = area.w - 2 * margin;
    int max = ui_px(ui, max_pt);
    if (w > max) w = max;
    return (SDL_Rect){area.x + (area.w - w) / 2, area.y, w, area.h};
}

int screen_title(Ui *ui, int x, int y, int w, const char *title, const char *subtitle)
{
    const Theme *t = ui_theme(ui);
    y += ui_rich(ui, x, y, w, TEXT_H1, t->text, title, NULL, 1);
    if (subtitle && *subtitle) {
        y += ui_px(ui, 6);
        y += ui_rich(ui, x, y, w, TEXT_BODY, t->muted, subtitle, NULL, 1);
    }
    return y + ui_px(ui, 24);
}

SDL_Rect screen_card(Ui *ui, SDL_Rect r)
{
    const Theme *t = ui_theme(ui);
    ui_round_outline(ui, r, ui_px(ui, 12), 1, t->border, t->surface);
    int p = ui_px(ui, 20);
    return (SDL_Rect){r.x + p, r.y + p, r.w - 2 * p, r.h - 2 * p};
}

void screen_store_failed(App *app, const char *what, const CpError *err)
{
    snprintf(app->notice, sizeof app->notice, "Could not save the %s: %s", what, err->msg);
}

typedef struct Tally {
    App *app;
} Tally;

static void count_done(const StoreLessonProgress *p, void *user)
{
    App *app = ((Tally *)user)->app;
    if (!p->completed_at) return;
    const Lesson *les = content_find_lesson(app->content, p->lesson_id);
    if (!les) return;
    app->track_done[les->track]++;
    if (app->lesson_done) app->lesson_done[les - app->content->lessons] = 1;
}

void screen_refresh_progress(App *app)
{
    memset(app->track_lessons, 0, sizeof app->track_lessons);
    memset(app->track_done, 0, sizeof app->track_done);
    if (app->lesson_done) memset(app->lesson_done, 0, (size_t)app->content->nlessons);
    for (int i = 0; i < app->content->nlessons; i++) app->track_lessons[app->content->lessons[i].track]++;
    int nq = app->content->nquizzes;
    for (int i = 0; i < nq && i < 256; i++) app->quiz_best[i] = -1;
    app->last_kind = STORE_ACTIVITY_NONE;
    app->last_id[0] = '\0';
    if (!app->store || !app->profile.id) return;
    CpError err;
    Tally tally = {app};
    store_lesson_each(app->store, app->profile.id, count_done, &tally, &err);
    for (int i = 0; i < nq && i < 256; i++) {
        StoreAttempt a;
        if (store_attempt_best(app->store, app->profile.id, app->content->quizzes[i].id, &a, &err) == STORE_OK)
            app->quiz_best[i] = a.correct;
    }
    store_last_activity(app->store, app->profile.id, &app->last_kind, app->last_id, sizeof app->last_id, &err);
}

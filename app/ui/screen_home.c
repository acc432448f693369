#include <stdio.h>
#include <string.h>

#include "screens.h"

static int track_has_content(const App *app, Track tr)
{
    if (app->track_lessons[tr]) return 1;
    for (int i = 0; i < app->content->nquizzes; i++)
        if (app->content->quizzes[i].track == tr) return 1;
    return 0;
}

void screen_home(App *app, Ui *ui, SDL_Rect area)
{
    const Theme *t = ui_theme(ui);
    SDL_Rect col = screen_column(ui, area, 900);
    int top = ui_scroll_begin(ui, "home-scroll", area, &app->home_scroll, 1);
    int y = top + ui_px(ui, 40);
    char title[300];
    snprintf(title, sizeof title, "Welcome back, %s", app->profile.name);
    y = screen_title(ui, col.x, y, col.w, title, "Pick up where you stopped, or choose a track to study.");

    if (app->notice[0]) {
        int h = ui_plain(ui, 0, 0, col.w - ui_px(ui, 32), TEXT_SMALL, t->text, app->notice, 0);
        SDL_Rect n = {col.x, y, col.w, h + ui_px(ui, 24)};
        ui_round(ui, n, ui_px(ui, 10), t->danger_soft);
        ui_plain(ui, col.x + ui_px(ui, 16), y + ui_px(ui, 12), col.w - ui_px(ui, 32), TEXT_SMALL, t->text, app->notice, 1);
        y += n.h + ui_px(ui, 16);
    }

    /* Continue card */
    const Lesson *les = app->last_kind == STORE_ACTIVITY_LESSON ? content_find_lesson(app->content, app->last_id) : NULL;
    const Quiz *q = app->last_kind == STORE_ACTIVITY_QUIZ ? content_find_quiz(app->content, app->last_id) : NULL;
    const Lesson *first = app->content->nlessons ? &app->content->lessons[0] : NULL;
    for (int i = 0; i < app->content->nlessons && !les && !q; i++)
        if (app->content->lessons[i].track == TRACK_TERMINOLOGY) { first = &app->content->lessons[i]; break; }
    {
        const char *label = les || q ? "CONTINUE WHERE YOU LEFT OFF" : "START HERE";
        const char *name = les ? les->title : q ? q->title : first ? first->title : "No lessons are loaded";
        const char *sub = les ? content_track_title(les->track) : q ? "Quiz" : first ? content_track_title(first->track) : "";
        const char *bl = les ? "Resume lesson" : q ? "Retake quiz" : "Open lesson";
        int pad = ui_px(ui, 20), bw = ui_button_width(ui, bl), bh = ui_px(ui, 44);
        /* the button sits beside the title when both fit, else below it */
        int beside = ui_text_width(ui, TEXT_H2, name) + bw + ui_px(ui, 24) <= col.w - 2 * pad;
        int text_w = beside ? col.w - 2 * pad - bw - ui_px(ui, 20) : col.w - 2 * pad;
        int th = ui_rich(ui, 0, 0, text_w, TEXT_H2, t->text, name, NULL, 0);
        int body = ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 8) + th + ui_px(ui, 2) + ui_line_height(ui, TEXT_SMALL);
        int ch = 2 * pad + (beside ? body : body + ui_px(ui, 16) + bh);
        SDL_Rect in = screen_card(ui, (SDL_Rect){col.x, y, col.w, ch});
        ui_text(ui, in.x, in.y, TEXT_LABEL, t->accent, label);
        int ty = in.y + ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 8);
        ui_rich(ui, in.x, ty, text_w, TEXT_H2, t->text, name, NULL, 1);
        ui_text(ui, in.x, ty + th + ui_px(ui, 2), TEXT_SMALL, t->muted, sub);
        if (les || q || first) {
            SDL_Rect b = beside ? (SDL_Rect){in.x + in.w - bw, in.y + (in.h - bh) / 2, bw, bh}
                                : (SDL_Rect){in.x, in.y + body + ui_px(ui, 16), bw, bh};
            if (ui_button(ui, "continue", b, bl, BUTTON_PRIMARY)) {
                if (q) app_go(app, SCREEN_QUIZ, q->id);
                else app_go(app, SCREEN_LESSON, les ? les->id : first->id);
                ui_request_frame(ui);
            }
        }
        y += ch + ui_px(ui, 28);
    }

    ui_text(ui, col.x, y, TEXT_H2, t->text, "Your progress");
    y += ui_line_height(ui, TEXT_H2) + ui_px(ui, 12);
    int gap = ui_px(ui, 14);
    int ncol = col.w > ui_px(ui, 640) ? 2 : 1;
    int cw = (col.w - gap * (ncol - 1)) / ncol;
    int ch = ui_px(ui, 112);
    int k = 0;
    for (int tr = 0; tr < TRACK_COUNT; tr++) {
        if (!track_has_content(app, (Track)tr)) continue;
        SDL_Rect cr = {col.x + (k % ncol) * (cw + gap), y + (k / ncol) * (ch + gap), cw, ch};
        char id[48];
        snprintf(id, sizeof id, "track-card-%s", content_track_slug((Track)tr));
        ui_round_outline(ui, cr, ui_px(ui, 12), 1, t->border, t->surface);
        if (ui_row(ui, id, cr, content_track_title((Track)tr), 0)) {
            app->learn_track = (Track)tr;
            app_go(app, SCREEN_LEARN, NULL);
            ui_request_frame(ui);
        }
        int p = ui_px(ui, 18);
        ui_text_fit(ui, cr.x + p, cr.y + p, cr.w - 2 * p, TEXT_H3, t->text, content_track_title((Track)tr));
        char line[128];
        int total = app->track_lessons[tr], done = app->track_done[tr];
        int best = -1, items = 0;
        for (int i = 0; i < app->content->nquizzes && i < 256; i++)
            if (app->content->quizzes[i].track == (Track)tr && app->quiz_best[i] >= 0) {
                best = app->quiz_best[i];
                items = app->content->quizzes[i].nitems;
            }
        if (best >= 0)
            snprintf(line, sizeof line, "%d of %d lessons  \xC2\xB7  best quiz %d/%d", done, total, best, items);
        else
            snprintf(line, sizeof line, "%d of %d lesson%s completed", done, total, total == 1 ? "" : "s");
        ui_text_fit(ui, cr.x + p, cr.y + p + ui_line_height(ui, TEXT_H3) + ui_px(ui, 4), cr.w - 2 * p, TEXT_SMALL, t->muted, line);
        ui_progress(ui, (SDL_Rect){cr.x + p, cr.y + cr.h - p - ui_px(ui, 8), cr.w - 2 * p, ui_px(ui, 8)},
                    total ? (float)done / (float)total : 0.0f);
        k++;
    }
    y += ((k + ncol - 1) / ncol) * (ch + gap) + ui_px(ui, 12);

    if (app->content->nproblems > 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "%d content problem%s found: some lessons or quizzes were left out.",
                 app->content->nproblems, app->content->nproblems == 1 ? "" : "s");
        SDL_Rect n = {col.x, y, col.w, ui_px(ui, 56)};
        ui_round(ui, n, ui_px(ui, 10), t->warn_bg);
        int bw = ui_button_width(ui, "Show problems");
        ui_text_fit(ui, n.x + ui_px(ui, 16), n.y + (n.h - ui_line_height(ui, TEXT_BODY)) / 2, n.w - bw - ui_px(ui, 40), TEXT_BODY, t->text, msg);
        if (ui_button(ui, "show-problems", (SDL_Rect){n.x + n.w - bw - ui_px(ui, 10), n.y + ui_px(ui, 8), bw, n.h - ui_px(ui, 16)}, "Show problems", BUTTON_SECONDARY))
            app_go(app, SCREEN_PROBLEMS, NULL);
        y += n.h + ui_px(ui, 16);
    }
    ui_scroll_end(ui, y + ui_px(ui, 32) - top);
}

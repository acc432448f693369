#include <stdio.h>
#include <string.h>

#include "screens.h"

/* Narrow windows: the tracks as a wrapping row of chips above the lessons. Returns
 * the y below them. */
static int track_chips(App *app, Ui *ui, int x, int y, int w)
{
    const Theme *t = ui_theme(ui);
    int h = ui_px(ui, 34), gap = ui_px(ui, 8), cx = x;
    for (int tr = 0; tr < TRACK_COUNT; tr++) {
        const char *title = content_track_title((Track)tr);
        int cw = ui_text_width(ui, TEXT_SMALL, title) + ui_px(ui, 24);
        if (cx > x && cx + cw > x + w) {
            cx = x;
            y += h + gap;
        }
        char id[48];
        snprintf(id, sizeof id, "track-%s", content_track_slug((Track)tr));
        SDL_Rect r = {cx, y, cw, h};
        int on = app->learn_track == (Track)tr;
        ui_round_outline(ui, r, h / 2, 1, on ? t->accent : t->border, on ? t->accent_soft : t->surface);
        if (ui_row(ui, id, r, title, 0)) {
            app->learn_track = (Track)tr;
            app->learn_scroll = 0;
        }
        ui_text(ui, cx + ui_px(ui, 12), y + (h - ui_line_height(ui, TEXT_SMALL)) / 2, TEXT_SMALL, on ? t->accent : t->text, title);
        cx += cw + gap;
    }
    return y + h + ui_px(ui, 20);
}

void screen_learn(App *app, Ui *ui, SDL_Rect area)
{
    const Theme *t = ui_theme(ui);
    int pad = ui_px(ui, 32);
    int listw = ui_px(ui, 270);
    int narrow = area.w < ui_px(ui, 760);
    if (narrow) listw = -ui_px(ui, 16); /* no side list: the pane takes the width */
    /* track list */
    int y = area.y + ui_px(ui, 40);
    int x = area.x + pad;
    if (!narrow) {
    ui_text(ui, x, y, TEXT_H1, t->text, "Learn");
    y += ui_line_height(ui, TEXT_H1) + ui_px(ui, 20);
    ui_text(ui, x, y, TEXT_LABEL, t->muted, "TRACKS");
    y += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 8);
    int rh = ui_px(ui, 40);
    for (int tr = 0; tr < TRACK_COUNT; tr++) {
        char id[48];
        snprintf(id, sizeof id, "track-%s", content_track_slug((Track)tr));
        SDL_Rect r = {x - ui_px(ui, 8), y, listw, rh};
        int on = app->learn_track == (Track)tr;
        if (ui_row(ui, id, r, content_track_title((Track)tr), on)) {
            app->learn_track = (Track)tr;
            app->learn_scroll = 0;
        }
        ui_text_fit(ui, x, y + (rh - ui_line_height(ui, TEXT_BODY)) / 2, listw - ui_px(ui, 56), TEXT_BODY,
                    on ? t->accent : t->text, content_track_title((Track)tr));
        char n[32];
        snprintf(n, sizeof n, "%d/%d", app->track_done[tr], app->track_lessons[tr]);
        ui_text(ui, r.x + r.w - ui_px(ui, 12) - ui_text_width(ui, TEXT_SMALL, n),
                y + (rh - ui_line_height(ui, TEXT_SMALL)) / 2, TEXT_SMALL, t->muted, n);
        y += rh + ui_px(ui, 2);
    }
    }

    /* lessons and quizzes of the track */
    SDL_Rect pane = {area.x + pad + listw + ui_px(ui, 16), area.y, area.w - listw - 2 * pad - ui_px(ui, 16), area.h};
    int top = ui_scroll_begin(ui, "learn-scroll", pane, &app->learn_scroll, 1);
    int py = top + ui_px(ui, 40);
    int px = pane.x + ui_px(ui, 8), pw = pane.w - ui_px(ui, 24);
    if (narrow) {
        ui_text(ui, px, py, TEXT_H1, t->text, "Learn");
        py += ui_line_height(ui, TEXT_H1) + ui_px(ui, 16);
        py = track_chips(app, ui, px, py, pw);
    }
    py += ui_rich(ui, px, py, pw, TEXT_H2, t->text, content_track_title(app->learn_track), NULL, 1) + ui_px(ui, 16);
    int any = 0;
    for (int i = 0; i < app->content->nlessons; i++) {
        const Lesson *les = &app->content->lessons[i];
        if (les->track != app->learn_track) continue;
        any = 1;
        int done = app->lesson_done[i]; /* refreshed on navigation, not queried per frame */
        int inner_w = pw - ui_px(ui, 84);
        char mins[32];
        snprintf(mins, sizeof mins, "%d min", les->minutes);
        int title_w = inner_w - ui_text_width(ui, TEXT_SMALL, mins) - ui_px(ui, 16);
        int tth = ui_rich(ui, 0, 0, title_w, TEXT_H3, t->text, les->title, NULL, 0);
        int sh = ui_rich(ui, 0, 0, inner_w, TEXT_SMALL, t->muted, les->summary, NULL, 0);
        int h = ui_px(ui, 20) + tth + ui_px(ui, 4) + sh + ui_px(ui, 20);
        SDL_Rect r = {px, py, pw, h};
        char id[96];
        snprintf(id, sizeof id, "lesson-%s", les->id);
        ui_round_outline(ui, r, ui_px(ui, 12), 1, t->border, t->surface);
        if (ui_row(ui, id, r, les->title, 0)) {
            app_go(app, SCREEN_LESSON, les->id);
            ui_request_frame(ui);
            ui_scroll_end(ui, 0);
            return;
        }
        int mark = ui_px(ui, 26);
        SDL_Rect m = {r.x + ui_px(ui, 18), r.y + ui_px(ui, 20), mark, mark};
        if (done) {
            ui_round(ui, m, mark / 2, t->success);
            /* check mark drawn as two thick strokes */
            for (int d = -1; d <= 1; d++) {
                ui_line(ui, m.x + mark * 27 / 100, m.y + mark / 2 + d, m.x + mark * 45 / 100, m.y + mark * 68 / 100 + d, t->surface);
                ui_line(ui, m.x + mark * 45 / 100, m.y + mark * 68 / 100 + d, m.x + mark * 74 / 100, m.y + mark * 34 / 100 + d, t->surface);
            }
        } else {
            ui_round_outline(ui, m, mark / 2, 2, t->border, t->surface);
        }
        int tx = m.x + mark + ui_px(ui, 16);
        ui_rich(ui, tx, r.y + ui_px(ui, 20), title_w, TEXT_H3, t->text, les->title, NULL, 1);
        ui_text(ui, r.x + r.w - ui_px(ui, 18) - ui_text_width(ui, TEXT_SMALL, mins), r.y + ui_px(ui, 22), TEXT_SMALL, t->muted, mins);
        ui_rich(ui, tx, r.y + ui_px(ui, 20) + tth + ui_px(ui, 4), inner_w, TEXT_SMALL, t->muted, les->summary, NULL, 1);
        py += h + ui_px(ui, 10);
    }
    for (int i = 0; i < app->content->nquizzes; i++) {
        const Quiz *q = &app->content->quizzes[i];
        if (q->track != app->learn_track) continue;
        any = 1;
        py += ui_px(ui, 10);
        int h = ui_px(ui, 84);
        SDL_Rect r = {px, py, pw, h};
        ui_round(ui, r, ui_px(ui, 12), t->accent_soft);
        ui_text(ui, r.x + ui_px(ui, 20), r.y + ui_px(ui, 16), TEXT_LABEL, t->accent, "QUIZ");
        ui_text_fit(ui, r.x + ui_px(ui, 20), r.y + ui_px(ui, 16) + ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 2),
                    pw - ui_px(ui, 200), TEXT_H3, t->text, q->title);
        char info[96];
        int best = i < 256 ? app->quiz_best[i] : -1;
        if (best >= 0) snprintf(info, sizeof info, "%d questions \xC2\xB7 best %d/%d", q->nitems, best, q->nitems);
        else snprintf(info, sizeof info, "%d questions", q->nitems);
        int bw = ui_button_width(ui, "Start quiz");
        ui_text(ui, r.x + r.w - bw - ui_px(ui, 36) - ui_text_width(ui, TEXT_SMALL, info),
                r.y + (h - ui_line_height(ui, TEXT_SMALL)) / 2, TEXT_SMALL, t->muted, info);
        char id[96];
        snprintf(id, sizeof id, "quiz-%s", q->id);
        if (ui_button(ui, id, (SDL_Rect){r.x + r.w - bw - ui_px(ui, 18), r.y + (h - ui_px(ui, 40)) / 2, bw, ui_px(ui, 40)},
                      "Start quiz", BUTTON_PRIMARY)) {
            app_go(app, SCREEN_QUIZ, q->id);
            ui_request_frame(ui);
            ui_scroll_end(ui, 0);
            return;
        }
        py += h + ui_px(ui, 10);
    }
    if (!any)
        py += ui_rich(ui, px, py, pw, TEXT_BODY, t->muted,
                      "No lessons in this track yet. Lessons arrive as JSON files in content/ (see content/README.md).",
                      NULL, 1);
    ui_scroll_end(ui, py + ui_px(ui, 40) - top);
}

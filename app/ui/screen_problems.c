#include <stdio.h>
#include <string.h>

#include "screens.h"

void screen_problems(App *app, Ui *ui, SDL_Rect area)
{
    const Theme *t = ui_theme(ui);
    const Content *c = app->content;
    SDL_Rect col = screen_column(ui, area, 960);
    int top = ui_scroll_begin(ui, "problems-scroll", area, &app->problems_scroll, 1);
    char sub[300];
    if (c->nproblems)
        snprintf(sub, sizeof sub, "%d problem%s in %d files read from %s. Each file with a problem was left out; "
                 "everything else loaded. Fix the file and restart CoderPrep (or run `coderprep check`).",
                 c->nproblems, c->nproblems == 1 ? "" : "s", c->files_read, app->root);
    else
        snprintf(sub, sizeof sub, "All %d content files are valid.", c->files_read);
    int y = screen_title(ui, col.x, top + ui_px(ui, 40), col.w, "Content problems", sub);
    const char *last_file = "";
    for (int i = 0; i < c->nproblems; i++) {
        const Problem *p = &c->problems[i];
        if (strcmp(p->file, last_file) != 0) {
            if (i) y += ui_px(ui, 12);
            ui_text(ui, col.x, y, TEXT_MONO, t->text, p->file[0] ? p->file : "(content root)");
            y += ui_line_height(ui, TEXT_MONO) + ui_px(ui, 6);
            last_file = p->file;
        }
        char where[160];
        snprintf(where, sizeof where, "line %d, column %d \xC2\xB7 %s", p->line, p->col, p->path);
        int mh = ui_plain(ui, 0, 0, col.w - ui_px(ui, 32), TEXT_BODY, t->text, p->message, 0);
        int h = ui_px(ui, 12) + ui_line_height(ui, TEXT_SMALL) + ui_px(ui, 4) + mh + ui_px(ui, 12);
        SDL_Rect r = {col.x, y, col.w, h};
        if (ui_visible(ui, y, h)) {
            ui_round_outline(ui, r, ui_px(ui, 8), 1, t->border, t->surface);
            ui_fill(ui, (SDL_Rect){r.x, r.y + ui_px(ui, 8), ui_px(ui, 3), r.h - ui_px(ui, 16)}, t->danger);
            ui_text_fit(ui, r.x + ui_px(ui, 16), r.y + ui_px(ui, 12), r.w - ui_px(ui, 32), TEXT_SMALL, t->muted, where);
            ui_plain(ui, r.x + ui_px(ui, 16), r.y + ui_px(ui, 12) + ui_line_height(ui, TEXT_SMALL) + ui_px(ui, 4),
                     r.w - ui_px(ui, 32), TEXT_BODY, t->text, p->message, 1);
        }
        y += h + ui_px(ui, 8);
    }
    ui_scroll_end(ui, y + ui_px(ui, 40) - top);
}

void screen_database(App *app, Ui *ui, SDL_Rect area)
{
    const Theme *t = ui_theme(ui);
    SDL_Rect col = screen_column(ui, area, 640);
    int y = area.y + ui_px(ui, 56);
    const char *title = app->db_status == STORE_TOO_NEW ? "Your progress was saved by a newer CoderPrep"
                      : app->db_status == STORE_CORRUPT ? "Your progress file is damaged"
                                                        : "Your progress file cannot be opened";
    const char *sub = app->db_status == STORE_TOO_NEW
        ? "This version cannot read it without risking your data. Update CoderPrep, or start fresh: the "
          "old file is kept, renamed, and can be used again by the newer version."
        : app->db_status == STORE_CORRUPT
        ? "CoderPrep has not changed it. You can keep it for recovery and start fresh: the file is renamed, "
          "not deleted."
        : "CoderPrep could not open or create its progress file. Check the folder below exists and is "
          "writable, then restart.";
    y = screen_title(ui, col.x, y, col.w, title, sub);
    SDL_Rect card = {col.x, y, col.w, 0};
    int h = ui_plain(ui, 0, 0, col.w - ui_px(ui, 40), TEXT_SMALL, t->text, app->db_error, 0);
    card.h = h + ui_px(ui, 40);
    SDL_Rect in = screen_card(ui, card);
    ui_plain(ui, in.x, in.y, in.w, TEXT_SMALL, t->text, app->db_error, 1);
    y += card.h + ui_px(ui, 24);
    int bh = ui_px(ui, 44);
    if (app->db_status == STORE_CORRUPT || app->db_status == STORE_TOO_NEW) {
        int bw = ui_button_width(ui, "Keep the old file and start fresh");
        if (ui_button(ui, "move-aside", (SDL_Rect){col.x, y, bw, bh}, "Keep the old file and start fresh", BUTTON_PRIMARY)) {
            CpError err;
            if (store_move_aside(app->db_path, app_now(), app->db_moved_to, sizeof app->db_moved_to, &err) != STORE_OK) {
                snprintf(app->db_error, sizeof app->db_error, "%s", err.msg);
            } else {
                app->db_status = store_open(app->db_path, &app->store, &err);
                if (app->db_status != STORE_OK) {
                    snprintf(app->db_error, sizeof app->db_error, "%s", err.msg);
                } else {
                    snprintf(app->notice, sizeof app->notice, "The old progress file was kept as %s.", app->db_moved_to);
                    app->screen = SCREEN_PROFILES;
                    app_go(app, SCREEN_PROFILES, NULL);
                    snprintf(app->notice, sizeof app->notice, "The old progress file was kept as %s.", app->db_moved_to);
                }
            }
            ui_request_frame(ui);
        }
        int qw = ui_button_width(ui, "Quit");
        if (ui_button(ui, "quit", (SDL_Rect){col.x + bw + ui_px(ui, 10), y, qw, bh}, "Quit", BUTTON_SECONDARY))
            app->quit = 1;
    } else {
        int qw = ui_button_width(ui, "Quit");
        if (ui_button(ui, "quit", (SDL_Rect){col.x, y, qw, bh}, "Quit", BUTTON_SECONDARY)) app->quit = 1;
    }
}

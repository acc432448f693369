#include <stdio.h>
#include <string.h>

#include "screens.h"

static int section(Ui *ui, int x, int y, const char *label)
{
    ui_text(ui, x, y, TEXT_LABEL, ui_theme(ui)->muted, label);
    return y + ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 10);
}

/* Theme and text size. Returns the y below. */
static int appearance(App *app, Ui *ui, SDL_Rect col, int y)
{
    const Theme *t = ui_theme(ui);
    y = section(ui, col.x, y, "THEME");
    int rh = ui_px(ui, 34);
    for (int i = 0; i < THEME_COUNT; i++) {
        const Theme *th = theme_get((ThemeId)i);
        char id[32];
        snprintf(id, sizeof id, "theme-%s", th->name);
        if (ui_radio(ui, id, (SDL_Rect){col.x, y, ui_px(ui, 260), rh}, th->title, app->theme == (ThemeId)i)) {
            app_set_theme(app, (ThemeId)i);
            ui_request_frame(ui);
        }
        y += rh + ui_px(ui, 2);
    }
    y += ui_px(ui, 22);

    y = section(ui, col.x, y, "TEXT SIZE");
    char pct[32];
    snprintf(pct, sizeof pct, "%d%%", (int)(app->text_scale * 100.0f + 0.5f));
    int bh = ui_px(ui, 38), bx = col.x;
    int bw = ui_button_width(ui, "Smaller");
    if (ui_button(ui, "text-smaller", (SDL_Rect){bx, y, bw, bh}, "Smaller", BUTTON_SECONDARY))
        app_set_text_scale(app, app->text_scale - 0.1f);
    bx += bw + ui_px(ui, 8);
    int pw = ui_px(ui, 64);
    ui_text(ui, bx + (pw - ui_text_width(ui, TEXT_LABEL, pct)) / 2, y + (bh - ui_line_height(ui, TEXT_LABEL)) / 2,
            TEXT_LABEL, t->text, pct);
    bx += pw + ui_px(ui, 8);
    bw = ui_button_width(ui, "Larger");
    if (ui_button(ui, "text-larger", (SDL_Rect){bx, y, bw, bh}, "Larger", BUTTON_SECONDARY))
        app_set_text_scale(app, app->text_scale + 0.1f);
    bx += bw + ui_px(ui, 8);
    bw = ui_button_width(ui, "Reset");
    if (ui_button(ui, "text-reset", (SDL_Rect){bx, y, bw, bh}, "Reset", BUTTON_QUIET)) app_set_text_scale(app, 1.0f);
    y += bh + ui_px(ui, 8);
    y += ui_rich(ui, col.x, y, col.w, TEXT_SMALL, t->muted, "Shortcuts: Ctrl+= larger, Ctrl+- smaller, Ctrl+0 reset.", NULL, 1);
    return y;
}

static void reset_progress(App *app)
{
    CpError err;
    if (app->cfg.read_only) {
        snprintf(app->notice, sizeof app->notice, "Read-only session: nothing was deleted.");
    } else if (store_profile_reset(app->store, app->profile.id, &err) != STORE_OK) {
        screen_store_failed(app, "reset", &err);
    } else {
        snprintf(app->notice, sizeof app->notice, "Progress of %s was reset.", app->profile.name);
        screen_refresh_progress(app);
    }
    app->confirm_reset = 0;
}

/* The installed code versions (pick the active one) and importing a release. */
static int code_dictionary(App *app, Ui *ui, SDL_Rect col, int y)
{
    const Theme *t = ui_theme(ui);
    y = section(ui, col.x, y, "CODE DICTIONARY");
    if (!app->codebook) {
        return y + ui_plain(ui, col.x, y, col.w, TEXT_BODY, t->danger,
                            app->codebook_error[0] ? app->codebook_error : "The code dictionary is not available.", 1);
    }
    CodeVersion v[16];
    int n = 0;
    CpError err;
    if (codebook_versions(app->codebook, v, 16, &n, &err) == 0) {
        int rh = ui_px(ui, 34);
        for (int i = 0; i < n && i < 16; i++) {
            char id[64], label[160];
            snprintf(id, sizeof id, "codes-%s-%s-%s", codebook_system_slug(v[i].system), v[i].label, v[i].source);
            snprintf(label, sizeof label, "%s %s, %s: %lld codes%s", codebook_system_name(v[i].system), v[i].label,
                     !strcmp(v[i].source, "bundled") ? "teaching set" : "official release", (long long)v[i].codes,
                     v[i].index_terms ? ", with Index" : "");
            if (ui_radio(ui, id, (SDL_Rect){col.x, y, col.w, rh}, label, v[i].active) && !v[i].active) {
                if (codebook_use(app->codebook, v[i].system, v[i].label, &err) != 0)
                    snprintf(app->import_result, sizeof app->import_result, "%s", err.msg);
            }
            y += rh;
        }
    }
    y += ui_px(ui, 10);
    y += ui_plain(ui, col.x, y, col.w, TEXT_SMALL, t->muted,
                  "Import an official release: the CMS/CDC files as published (ICD-10-CM order file with its tabular and "
                  "index XML, the ICD-10-PCS order file with its tables, or the HCPCS Level II file). Give the files, or "
                  "the folder that holds them, separated by commas.", 1) + ui_px(ui, 8);
    int bh = ui_px(ui, 40);
    int bw = ui_button_width(ui, "Import");
    int enter = ui_textbox(ui, "import-path", (SDL_Rect){col.x, y, col.w - bw - ui_px(ui, 10), bh}, app->import_path,
                           sizeof app->import_path, "/path/to/release folder");
    if (ui_button(ui, "import-codes", (SDL_Rect){col.x + col.w - bw, y, bw, bh}, "Import", BUTTON_SECONDARY) || enter) {
        app_import_codes(app);
        ui_request_frame(ui);
    }
    y += bh + ui_px(ui, 8);
    if (app->importing) {
        ui_progress(ui, (SDL_Rect){col.x, y, col.w, ui_px(ui, 8)}, (float)app->import_fraction);
        y += ui_px(ui, 14);
        y += ui_plain(ui, col.x, y, col.w, TEXT_SMALL, t->muted, app->import_what, 1);
    } else if (app->import_result[0]) {
        y += ui_plain(ui, col.x, y, col.w, TEXT_SMALL, t->text, app->import_result, 1);
    }
    return y;
}

/* Shared-computer option, where progress lives, and resetting it. */
static int learners_and_data(App *app, Ui *ui, SDL_Rect col, int y)
{
    const Theme *t = ui_theme(ui);
    y = section(ui, col.x, y, "LEARNERS");
    int ask = app->ask_profile;
    if (ui_checkbox(ui, "ask-profile", (SDL_Rect){col.x, y, col.w, ui_px(ui, 34)},
                    "Ask who is studying each time CoderPrep opens", &ask))
        app_set_ask_profile(app, ask);
    y += ui_px(ui, 38);
    y += ui_rich(ui, col.x, y, col.w, TEXT_SMALL, t->muted,
                 "Turn this on when several learners share this computer; otherwise CoderPrep "
                 "reopens the learner who studied last.", NULL, 1);
    y += ui_px(ui, 30);

    y = section(ui, col.x, y, "YOUR DATA");
    char line[APP_PATH_MAX + 64];
    snprintf(line, sizeof line, "Progress is saved in: %s", app->db_path);
    y += ui_plain(ui, col.x, y, col.w, TEXT_BODY, t->text, line, 1) + ui_px(ui, 6);
    snprintf(line, sizeof line, "Lessons and quizzes are read from: %s", app->root);
    y += ui_plain(ui, col.x, y, col.w, TEXT_SMALL, t->muted, line, 1) + ui_px(ui, 30);

    y = code_dictionary(app, ui, col, y) + ui_px(ui, 30);

    y = section(ui, col.x, y, "RESET PROGRESS");
    char warn[400];
    snprintf(warn, sizeof warn, "Deletes every completed lesson, quiz attempt and answer of **%s**. The profile stays. "
                                "This cannot be undone.", app->profile.name);
    y += ui_rich(ui, col.x, y, col.w, TEXT_BODY, t->text, warn, NULL, 1) + ui_px(ui, 12);
    int bh = ui_px(ui, 38);
    if (!app->confirm_reset) {
        int bw = ui_button_width(ui, "Reset my progress...");
        if (ui_button(ui, "reset-progress", (SDL_Rect){col.x, y, bw, bh}, "Reset my progress...", BUTTON_DANGER)) {
            app->confirm_reset = 1;
            ui_focus(ui, "reset-cancel"); /* the safe choice takes the keyboard */
        }
        return y + bh;
    }
    SDL_Rect box = {col.x, y, col.w, bh + ui_px(ui, 64)};
    ui_round(ui, box, ui_px(ui, 10), t->danger_soft);
    ui_text(ui, box.x + ui_px(ui, 16), box.y + ui_px(ui, 12), TEXT_LABEL, t->text, "Delete all progress of this learner?");
    int yy = box.y + ui_px(ui, 12) + ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 10);
    int bw = ui_button_width(ui, "Yes, delete my progress");
    if (ui_button(ui, "reset-confirm", (SDL_Rect){box.x + ui_px(ui, 16), yy, bw, bh}, "Yes, delete my progress", BUTTON_DANGER))
        reset_progress(app);
    int cw = ui_button_width(ui, "Cancel");
    if (ui_button(ui, "reset-cancel", (SDL_Rect){box.x + ui_px(ui, 16) + bw + ui_px(ui, 10), yy, cw, bh}, "Cancel", BUTTON_SECONDARY))
        app->confirm_reset = 0;
    return y + box.h;
}

void screen_settings(App *app, Ui *ui, SDL_Rect area)
{
    const Theme *t = ui_theme(ui);
    SDL_Rect col = screen_column(ui, area, 720);
    int top = ui_scroll_begin(ui, "settings-scroll", area, &app->settings_scroll, 1);
    int y = screen_title(ui, col.x, top + ui_px(ui, 40), col.w, "Settings",
                         "How CoderPrep looks, who is studying, and where progress is kept.");
    if (app->notice[0]) {
        int h = ui_plain(ui, 0, 0, col.w - ui_px(ui, 32), TEXT_SMALL, t->text, app->notice, 0);
        ui_round(ui, (SDL_Rect){col.x, y, col.w, h + ui_px(ui, 24)}, ui_px(ui, 10), t->tip_bg);
        ui_plain(ui, col.x + ui_px(ui, 16), y + ui_px(ui, 12), col.w - ui_px(ui, 32), TEXT_SMALL, t->text, app->notice, 1);
        y += h + ui_px(ui, 40);
    }
    static const char *const tabs[] = {"Appearance", "Learners and data"};
    int th = ui_px(ui, 40);
    if (ui_tabs(ui, "settings-tab", (SDL_Rect){col.x, y, col.w, th}, tabs, 2, &app->settings_tab))
        app->confirm_reset = 0;
    y += th + ui_px(ui, 24);
    y = app->settings_tab == 0 ? appearance(app, ui, col, y) : learners_and_data(app, ui, col, y);
    ui_scroll_end(ui, y + ui_px(ui, 40) - top);
}

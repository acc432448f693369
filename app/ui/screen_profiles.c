#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "screens.h"

static void create_profile(App *app, Ui *ui)
{
    CpError err;
    int64_t id = 0;
    if (app->cfg.read_only) return;
    if (store_profile_create(app->store, app->new_name, app_now(), &id, &err) != STORE_OK) {
        snprintf(app->profile_error, sizeof app->profile_error, "%s", err.msg);
        app->profile_error[0] = (char)toupper((unsigned char)app->profile_error[0]); /* a sentence */
        return;
    }
    app->profile_error[0] = '\0';
    app->new_name[0] = '\0';
    app_go(app, SCREEN_PROFILES, NULL); /* reloads the list */
    app_select_profile(app, id);
    ui_request_frame(ui);
}

void screen_profiles(App *app, Ui *ui, SDL_Rect area)
{
    const Theme *t = ui_theme(ui);
    SDL_Rect col = screen_column(ui, area, 520);
    int y = area.y + ui_px(ui, 56);
    if (area.h < ui_px(ui, 600)) y = area.y + ui_px(ui, 24);
    int tile = ui_px(ui, 44);
    ui_round(ui, (SDL_Rect){col.x, y, tile, tile}, ui_px(ui, 10), t->accent);
    ui_text(ui, col.x + (tile - ui_text_width(ui, TEXT_H3, "Cp")) / 2,
            y + (tile - ui_line_height(ui, TEXT_H3)) / 2, TEXT_H3, t->accent_text, "Cp");
    y += tile + ui_px(ui, 18);
    y = screen_title(ui, col.x, y, col.w, app->nprofiles ? "Who is studying?" : "Welcome to CoderPrep",
                     app->nprofiles ? "Pick your profile. Each learner on this computer keeps their own progress."
                                    : "Medical coding and billing, one lesson at a time. Create a profile to keep "
                                      "your progress on this computer; nothing leaves it.");
    int rowh = ui_px(ui, 56);
    for (size_t i = 0; i < app->nprofiles; i++) {
        const StoreProfile *p = &app->profiles[i];
        char id[48];
        snprintf(id, sizeof id, "profile-%lld", (long long)p->id);
        SDL_Rect r = {col.x, y, col.w, rowh};
        ui_round_outline(ui, r, ui_px(ui, 10), 1, t->border, t->surface);
        if (ui_row(ui, id, r, p->name, p->id == app->profile.id)) {
            app_select_profile(app, p->id);
            ui_request_frame(ui);
            return;
        }
        int av = ui_px(ui, 32);
        SDL_Rect avatar = {r.x + ui_px(ui, 14), r.y + (rowh - av) / 2, av, av};
        ui_round(ui, avatar, av / 2, t->accent_soft);
        char initial[8] = {0};
        size_t n = 1;
        while (p->name[n] && ((unsigned char)p->name[n] & 0xC0) == 0x80) n++;
        memcpy(initial, p->name, n < sizeof initial ? n : sizeof initial - 1);
        ui_text(ui, avatar.x + (av - ui_text_width(ui, TEXT_LABEL, initial)) / 2,
                avatar.y + (av - ui_line_height(ui, TEXT_LABEL)) / 2, TEXT_LABEL, t->accent, initial);
        ui_text_fit(ui, avatar.x + av + ui_px(ui, 14), r.y + (rowh - ui_line_height(ui, TEXT_BODY)) / 2,
                    r.w - av - ui_px(ui, 60), TEXT_BODY, t->text, p->name);
        y += rowh + ui_px(ui, 8);
    }
    if (app->nprofiles) y += ui_px(ui, 16);
    ui_text(ui, col.x, y, TEXT_LABEL, t->muted, app->nprofiles ? "NEW LEARNER" : "YOUR NAME");
    y += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 8);
    int bw = ui_button_width(ui, "Create profile");
    int bh = ui_px(ui, 44);
    SDL_Rect box = {col.x, y, col.w - bw - ui_px(ui, 10), bh};
    int enter = ui_textbox(ui, "new-learner-name", box, app->new_name, sizeof app->new_name, "First name or nickname");
    if (app->nprofiles == 0 && !ui_has_focus(ui, "new-learner-name") && app->new_name[0] == '\0')
        ui_focus(ui, "new-learner-name");
    if (ui_button(ui, "create-profile", (SDL_Rect){col.x + col.w - bw, y, bw, bh}, "Create profile", BUTTON_PRIMARY) || enter)
        create_profile(app, ui);
    y += bh + ui_px(ui, 10);
    if (app->profile_error[0])
        ui_plain(ui, col.x, y, col.w, TEXT_SMALL, t->danger, app->profile_error, 1);
}

/* cmd_play.c - `coderprep play SCRIPT.json`: drives the real event loop with
 * synthetic input, the way a learner would use the trainer.
 *
 * Script: {"size": [W, H], "theme": "light", "steps": [STEP, ...]} where a STEP is
 * one of
 *   {"click": "LABEL or ID"}     click the centre of a visible widget
 *   {"type": "text"}             type text into the focused text box
 *   {"key": "Tab"}               press a key: Tab, Shift+Tab, Return, Escape, Space,
 *                                Up, Down, Left, Right, PageDown, Ctrl+=, Ctrl+-, ...
 *   {"tab_to": "LABEL or ID"}    press Tab until that widget has keyboard focus (at
 *                                most 200 presses): keyboard-only scripts
 *   {"scroll": N}                mouse wheel N notches (negative = down)
 *   {"wait": MS}                 let time pass
 *   {"expect": "LABEL or ID"}    fail unless such a widget is visible
 *   {"expect_screen": "home"}    fail unless that screen is showing
 *   {"screenshot": "FILE.png"}   save what is on screen
 * Exit 0 when every step worked, 1 at the first step that failed (named), 2 when
 * the script can't be read.
 */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fsutil.h"
#include "window.h"

static void settle(Window *w)
{
    /* handle everything queued, then any frames the UI still wants */
    while (SDL_PeepEvents(NULL, 0, SDL_PEEKEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0) window_pump(w, 0);
    window_pump(w, 0);
}

static void push(SDL_Event *e)
{
    e->common.timestamp = SDL_GetTicks();
    SDL_PushEvent(e);
}

static int parse_key(const char *spec, SDL_Keycode *key, Uint16 *mods)
{
    *mods = 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", spec);
    char *name = buf;
    for (;;) {
        if (strncmp(name, "Ctrl+", 5) == 0) { *mods |= KMOD_LCTRL; name += 5; }
        else if (strncmp(name, "Shift+", 6) == 0) { *mods |= KMOD_LSHIFT; name += 6; }
        else if (strncmp(name, "Alt+", 4) == 0) { *mods |= KMOD_LALT; name += 4; }
        else break;
    }
    if (strcmp(name, "=") == 0) { *key = SDLK_EQUALS; return 0; }
    if (strcmp(name, "-") == 0) { *key = SDLK_MINUS; return 0; }
    *key = SDL_GetKeyFromName(name);
    return *key == SDLK_UNKNOWN ? -1 : 0;
}

static int step_click(Window *w, const char *target, char *why, size_t cap)
{
    UiWidgetInfo info;
    settle(w);
    if (ui_find(w->ui, target, &info) != 0 || info.rect.w <= 0 || info.rect.h <= 0) {
        int n = snprintf(why, cap, "no visible widget has the label or id \"%s\" on screen \"%s\"; visible: ",
                         target, app_screen_name(w->app->screen));
        for (int i = 0; i < ui_widget_count(w->ui) && n > 0 && (size_t)n < cap; i++)
            n += snprintf(why + n, cap - (size_t)n, "%s\"%s\"", i ? ", " : "", ui_widget_at(w->ui, i)->id);
        return -1;
    }
    float dpi = ui_dpi(w->ui);
    int x = (int)((float)(info.rect.x + info.rect.w / 2) / dpi), y = (int)((float)(info.rect.y + info.rect.h / 2) / dpi);
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEMOTION;
    e.motion.x = x;
    e.motion.y = y;
    push(&e);
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = SDL_PRESSED;
    e.button.clicks = 1;
    e.button.x = x;
    e.button.y = y;
    push(&e);
    settle(w);
    e.type = SDL_MOUSEBUTTONUP;
    e.button.state = SDL_RELEASED;
    push(&e);
    settle(w);
    return 0;
}

static void step_type(Window *w, const char *text)
{
    size_t n = strlen(text), off = 0;
    while (off < n) {
        SDL_Event e;
        memset(&e, 0, sizeof e);
        e.type = SDL_TEXTINPUT;
        size_t take = n - off < sizeof e.text.text - 1 ? n - off : sizeof e.text.text - 1;
        while (take > 0 && off + take < n && ((unsigned char)text[off + take] & 0xC0) == 0x80) take--;
        memcpy(e.text.text, text + off, take);
        push(&e);
        off += take;
    }
    settle(w);
}

static int step_key(Window *w, const char *spec);

static int step_tab_to(Window *w, const char *target, char *why, size_t cap)
{
    UiWidgetInfo info;
    for (int presses = 0; presses <= 200; presses++) {
        settle(w);
        /* the target may be off screen until focus scrolls to it: look it up each time */
        if (ui_find(w->ui, target, &info) == 0 && ui_has_focus(w->ui, info.id)) return 0;
        step_key(w, "Tab");
    }
    snprintf(why, cap, "200 presses of Tab never focused \"%s\" on screen \"%s\"", target,
             app_screen_name(w->app->screen));
    return -1;
}

static int step_key(Window *w, const char *spec)
{
    SDL_Keycode key;
    Uint16 mods;
    if (parse_key(spec, &key, &mods) != 0) return -1;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = key;
    e.key.keysym.mod = mods;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(key);
    push(&e);
    settle(w);
    return 0;
}

int cmd_play(CliGlobal *g, int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr, "usage: coderprep play SCRIPT.json\n");
        return 2;
    }
    CpError err;
    size_t len;
    char *text = fs_read_file(argv[0], 4u * 1024u * 1024u, &len, &err);
    if (!text) {
        fprintf(stderr, "coderprep play: %s\n", err.msg);
        return 2;
    }
    cJSON *script = cJSON_ParseWithLength(text, len);
    free(text);
    const cJSON *steps = script ? cJSON_GetObjectItemCaseSensitive(script, "steps") : NULL;
    if (!cJSON_IsArray(steps)) {
        fprintf(stderr, "coderprep play: %s: expected a JSON object with a \"steps\" array\n", argv[0]);
        cJSON_Delete(script);
        return 2;
    }
    int width = 1200, height = 800;
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(script, "size");
    if (cJSON_GetArraySize(size) == 2) {
        width = cJSON_GetArrayItem(size, 0)->valueint;
        height = cJSON_GetArrayItem(size, 1)->valueint;
    }
    App app;
    AppConfig cfg = {g->content_root, g->data_dir, g->move_aside_broken_db, 0};
    if (app_open(&app, &cfg, &err) != 0) {
        fprintf(stderr, "coderprep play: %s\n", err.msg);
        cJSON_Delete(script);
        return 2;
    }
    const cJSON *theme = cJSON_GetObjectItemCaseSensitive(script, "theme");
    ThemeId tid;
    if (cJSON_IsString(theme) && theme_from_name(theme->valuestring, &tid) == 0) app.theme = tid;
    Window w;
    if (window_open(&w, &app, width, height, 1, &err) != 0) {
        fprintf(stderr, "coderprep play: %s\n", err.msg);
        app_close(&app);
        cJSON_Delete(script);
        return 2;
    }
    window_draw(&w);
    int rc = 0, n = 0;
    char why[4096];
    for (const cJSON *s = steps->child; s && rc == 0; s = s->next, n++) {
        const cJSON *v;
        why[0] = '\0';
        if ((v = cJSON_GetObjectItemCaseSensitive(s, "click")) && cJSON_IsString(v)) {
            if (step_click(&w, v->valuestring, why, sizeof why) != 0) rc = 1;
        } else if ((v = cJSON_GetObjectItemCaseSensitive(s, "tab_to")) && cJSON_IsString(v)) {
            if (step_tab_to(&w, v->valuestring, why, sizeof why) != 0) rc = 1;
        } else if ((v = cJSON_GetObjectItemCaseSensitive(s, "type")) && cJSON_IsString(v)) {
            step_type(&w, v->valuestring);
        } else if ((v = cJSON_GetObjectItemCaseSensitive(s, "key")) && cJSON_IsString(v)) {
            if (step_key(&w, v->valuestring) != 0) {
                snprintf(why, sizeof why, "unknown key \"%s\"", v->valuestring);
                rc = 1;
            }
        } else if ((v = cJSON_GetObjectItemCaseSensitive(s, "scroll")) && cJSON_IsNumber(v)) {
            SDL_Event e;
            memset(&e, 0, sizeof e);
            e.type = SDL_MOUSEMOTION;
            e.motion.x = width * 2 / 3;
            e.motion.y = height / 2;
            push(&e);
            memset(&e, 0, sizeof e);
            e.type = SDL_MOUSEWHEEL;
            e.wheel.y = v->valueint;
            push(&e);
            settle(&w);
        } else if ((v = cJSON_GetObjectItemCaseSensitive(s, "wait")) && cJSON_IsNumber(v)) {
            SDL_Delay((Uint32)v->valueint);
            settle(&w);
        } else if ((v = cJSON_GetObjectItemCaseSensitive(s, "expect")) && cJSON_IsString(v)) {
            UiWidgetInfo info;
            settle(&w);
            if (ui_find(w.ui, v->valuestring, &info) != 0) {
                snprintf(why, sizeof why, "expected a widget \"%s\" on screen \"%s\"", v->valuestring,
                         app_screen_name(app.screen));
                rc = 1;
            }
        } else if ((v = cJSON_GetObjectItemCaseSensitive(s, "expect_screen")) && cJSON_IsString(v)) {
            settle(&w);
            if (strcmp(app_screen_name(app.screen), v->valuestring) != 0) {
                snprintf(why, sizeof why, "expected screen \"%s\", showing \"%s\"", v->valuestring,
                         app_screen_name(app.screen));
                rc = 1;
            }
        } else if ((v = cJSON_GetObjectItemCaseSensitive(s, "screenshot")) && cJSON_IsString(v)) {
            settle(&w);
            if (window_save_png(&w, v->valuestring, &err) != 0) {
                snprintf(why, sizeof why, "%s", err.msg);
                rc = 1;
            }
        } else {
            snprintf(why, sizeof why, "not a step (expected click, tab_to, type, key, scroll, wait, "
                                      "expect, expect_screen or screenshot)");
            rc = 2;
        }
        if (rc) {
            char *shown = cJSON_PrintUnformatted(s);
            fprintf(stderr, "coderprep play: %s: step %d %s: %s\n", argv[0], n + 1, shown ? shown : "", why);
            free(shown);
        }
        if (app.quit) break;
    }
    if (rc == 0) fprintf(stderr, "coderprep play: %s: %d steps passed\n", argv[0], n);
    window_close(&w);
    app_close(&app);
    cJSON_Delete(script);
    SDL_Quit();
    return rc;
}

#include "ui.h"

#include <SDL_image.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "richtext.h"
#include "wrap.h"

#define MAX_KEYS 32
#define MAX_CLIP 16
#define MAX_SCROLL 8
#define LAYOUT_SLOTS 1024
#define LAYOUT_MAX_RUNS 512
#define IMAGE_SLOTS 16
#define UI_PI 3.14159265358979f

typedef struct KeyPress {
    SDL_Keycode key;
    Uint16 mods;      /* KMOD_CTRL / KMOD_SHIFT / KMOD_ALT folded to left|right */
    int used;         /* consumed by a widget or ui_key */
} KeyPress;

typedef struct FocusEntry {
    Uint32 id;
    int is_row;       /* list rows take Up/Down */
    SDL_Rect rect;    /* where it was drawn (screen) */
} FocusEntry;

typedef struct ScrollFrame {
    Uint32 id;
    SDL_Rect view;
    int *scroll;
    int primary;
    int origin;       /* content y of the region's top before scrolling */
    Uint32 focus_seen;/* keyboard-focused widget drawn inside this frame */
    SDL_Rect focus_rect;
} ScrollFrame;

/* One cached layout of rich text: spans, runs and the text they point into. */
typedef struct Layout {
    uint64_t key;             /* hash of text, width, style, px; 0 = empty */
    int lines, line_h, height;
    int nruns;
    WrapRun *runs;
    RichSpan *spans;
    int nspans;
    char *buf;                /* unescaped text the spans point into */
    unsigned last_used;
} Layout;

typedef struct ImageSlot {
    char path[512];
    int w, h;                 /* rendered size */
    SDL_Texture *tex;
    unsigned last_used;
    int failed;
} ImageSlot;

struct Ui {
    SDL_Renderer *r;
    Fonts *fonts;
    TextCache *tc;
    ThemeId theme_id;
    const Theme *t;
    float dpi, text_scale;
    int width, height;
    unsigned frame;

    /* input gathered since the last frame */
    int mx, my;
    int mouse_down, pressed, released;   /* released: a click completed */
    int press_x, press_y;
    int wheel;
    KeyPress keys[MAX_KEYS];
    int nkeys;
    char text_in[1024];        /* typed text since the last frame (a paste can be long) */
    int any_input;

    /* widget state */
    Uint32 hot, active, focus;
    int focus_by_key;          /* focus moved by keyboard this frame: scroll to it */
    FocusEntry order[UI_MAX_WIDGETS], prev_order[UI_MAX_WIDGETS];
    int norder, nprev_order;
    Uint32 pending_focus;      /* set by ui_focus before the widget exists */
    int needs_frame;

    /* text box */
    Uint32 edit_id;
    size_t caret, anchor;
    int edit_scroll;

    /* clipping and scrolling */
    SDL_Rect clip[MAX_CLIP];
    int nclip;
    ScrollFrame scrolls[MAX_SCROLL];
    int nscroll;

    /* caches */
    Layout layouts[LAYOUT_SLOTS];
    ImageSlot images[IMAGE_SLOTS];

    /* registry of this frame and the last one */
    UiWidgetInfo reg[UI_MAX_WIDGETS], prev_reg[UI_MAX_WIDGETS];
    int nreg, nprev_reg;
};

static const float STYLE_PT[TEXT_STYLE_COUNT] = {16, 13, 13, 28, 21, 17.5f, 15};
/* H1 titles are regular weight at a large size; smaller headings are bold. */
static const FontFace STYLE_FACE[TEXT_STYLE_COUNT] = {FACE_REGULAR, FACE_REGULAR, FACE_BOLD,
                                                      FACE_REGULAR, FACE_BOLD, FACE_BOLD, FACE_MONO};

static Uint32 hash_id(const char *s)
{
    Uint32 h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h ? h : 1;
}

Ui *ui_create(SDL_Renderer *r, CpError *err)
{
    Ui *ui = calloc(1, sizeof *ui);
    if (!ui) {
        cp_error_set(err, "out of memory creating the UI");
        return NULL;
    }
    ui->r = r;
    ui->fonts = fonts_open(err);
    if (!ui->fonts) goto fail;
    ui->tc = textcache_create(r, ui->fonts);
    if (!ui->tc) {
        cp_error_set(err, "out of memory creating the text cache");
        goto fail;
    }
    ui->dpi = ui->text_scale = 1.0f;
    ui_set_theme(ui, THEME_LIGHT);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    return ui;
fail:
    ui_destroy(ui);
    return NULL;
}

static void layouts_clear(Ui *ui)
{
    for (int i = 0; i < LAYOUT_SLOTS; i++) {
        Layout *l = &ui->layouts[i];
        free(l->runs);
        free(l->spans);
        free(l->buf);
        memset(l, 0, sizeof *l);
    }
}

void ui_destroy(Ui *ui)
{
    if (!ui) return;
    layouts_clear(ui);
    for (int i = 0; i < IMAGE_SLOTS; i++)
        if (ui->images[i].tex) SDL_DestroyTexture(ui->images[i].tex);
    textcache_destroy(ui->tc);
    fonts_close(ui->fonts);
    free(ui);
}

void ui_set_theme(Ui *ui, ThemeId theme)
{
    ui->theme_id = theme;
    ui->t = theme_get(theme);
    ui->needs_frame = 1;
}

ThemeId ui_theme_id(const Ui *ui) { return ui->theme_id; }
const Theme *ui_theme(const Ui *ui) { return ui->t; }
TextCache *ui_textcache(Ui *ui) { return ui->tc; }
float ui_text_scale(const Ui *ui) { return ui->text_scale; }
float ui_dpi(const Ui *ui) { return ui->dpi; }

void ui_set_scale(Ui *ui, float dpi, float text)
{
    if (dpi != ui->dpi || text != ui->text_scale) {
        ui->dpi = dpi > 0.5f ? dpi : 1.0f;
        ui->text_scale = text;
        layouts_clear(ui);
        ui->needs_frame = 1;
    }
}

int ui_px(const Ui *ui, float points)
{
    return (int)lroundf(points * ui->dpi * ui->text_scale);
}

static int style_px(const Ui *ui, TextStyle s) { return ui_px(ui, STYLE_PT[s]); }

/* ------------------------------------------------------------------ input */

void ui_input(Ui *ui, const SDL_Event *e)
{
    ui->any_input = 1;
    switch (e->type) {
    case SDL_MOUSEMOTION:
        ui->mx = (int)lroundf((float)e->motion.x * ui->dpi);
        ui->my = (int)lroundf((float)e->motion.y * ui->dpi);
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT) {
            ui->mx = ui->press_x = (int)lroundf((float)e->button.x * ui->dpi);
            ui->my = ui->press_y = (int)lroundf((float)e->button.y * ui->dpi);
            ui->mouse_down = 1;
            ui->pressed = 1;
        }
        break;
    case SDL_MOUSEBUTTONUP:
        if (e->button.button == SDL_BUTTON_LEFT) {
            ui->mx = (int)lroundf((float)e->button.x * ui->dpi);
            ui->my = (int)lroundf((float)e->button.y * ui->dpi);
            ui->mouse_down = 0;
            ui->released = 1;
        }
        break;
    case SDL_MOUSEWHEEL:
        ui->wheel += e->wheel.y;
        break;
    case SDL_KEYDOWN:
        if (ui->nkeys < MAX_KEYS) {
            Uint16 m = 0, km = e->key.keysym.mod;
            if (km & KMOD_CTRL) m |= KMOD_CTRL;
            if (km & KMOD_SHIFT) m |= KMOD_SHIFT;
            if (km & KMOD_ALT) m |= KMOD_ALT;
            ui->keys[ui->nkeys++] = (KeyPress){e->key.keysym.sym, m, 0};
        }
        break;
    case SDL_TEXTINPUT: {
        size_t n = strlen(ui->text_in);
        snprintf(ui->text_in + n, sizeof ui->text_in - n, "%s", e->text.text);
        break;
    }
    default:
        break;
    }
}

int ui_mouse_x(const Ui *ui) { return ui->mx; }
int ui_mouse_y(const Ui *ui) { return ui->my; }

/* Finds an unused press of key with mods; consumes it when take is set. */
static int key_take(Ui *ui, SDL_Keycode key, int mods, int take)
{
    for (int i = 0; i < ui->nkeys; i++) {
        KeyPress *k = &ui->keys[i];
        if (!k->used && k->key == key && k->mods == mods) {
            if (take) k->used = 1;
            return 1;
        }
    }
    return 0;
}

int ui_key(Ui *ui, SDL_Keycode key, int mods) { return key_take(ui, key, mods, 1); }

static int focus_index(const FocusEntry *list, int n, Uint32 id)
{
    for (int i = 0; i < n; i++)
        if (list[i].id == id) return i;
    return -1;
}

void ui_begin(Ui *ui, int width, int height)
{
    ui->width = width;
    ui->height = height;
    ui->frame++;
    ui->needs_frame = 0;
    ui->focus_by_key = 0;
    memcpy(ui->prev_order, ui->order, (size_t)ui->norder * sizeof *ui->order);
    ui->nprev_order = ui->norder;
    ui->norder = 0;
    memcpy(ui->prev_reg, ui->reg, (size_t)ui->nreg * sizeof *ui->reg);
    ui->nprev_reg = ui->nreg;
    ui->nreg = 0;
    ui->nclip = 0;
    ui->nscroll = 0;
    ui->hot = 0;
    if (ui->pending_focus) {
        ui->focus = ui->pending_focus;
        ui->pending_focus = 0;
        ui->focus_by_key = 1;
    }

    /* Tab / Shift+Tab and list arrows move focus through last frame's order. */
    int n = ui->nprev_order;
    if (n > 0) {
        int cur = focus_index(ui->prev_order, n, ui->focus);
        int step = 0;
        if (key_take(ui, SDLK_TAB, 0, 1)) step = 1;
        else if (key_take(ui, SDLK_TAB, KMOD_SHIFT, 1)) step = -1;
        else if (cur >= 0 && ui->prev_order[cur].is_row) {
            if (key_take(ui, SDLK_DOWN, 0, 0)) {
                int nx = cur + 1;
                if (nx < n && ui->prev_order[nx].is_row) {
                    key_take(ui, SDLK_DOWN, 0, 1);
                    ui->focus = ui->prev_order[nx].id;
                    ui->focus_by_key = 1;
                }
            } else if (key_take(ui, SDLK_UP, 0, 0)) {
                int pv = cur - 1;
                if (pv >= 0 && ui->prev_order[pv].is_row) {
                    key_take(ui, SDLK_UP, 0, 1);
                    ui->focus = ui->prev_order[pv].id;
                    ui->focus_by_key = 1;
                }
            }
        }
        if (step) {
            int next = cur < 0 ? (step > 0 ? 0 : n - 1) : (cur + step + n) % n;
            ui->focus = ui->prev_order[next].id;
            ui->focus_by_key = 1;
        }
    }
    if (ui->focus != ui->edit_id) ui->edit_id = 0;

    const Theme *t = ui->t;
    SDL_SetRenderDrawColor(ui->r, t->bg.r, t->bg.g, t->bg.b, 255);
    SDL_RenderSetClipRect(ui->r, NULL);
    SDL_RenderClear(ui->r);
}

void ui_end(Ui *ui)
{
    /* A click on nothing focusable clears focus (so Esc-less users are not stuck). */
    if (ui->released && ui->active == 0 && ui->hot == 0 && ui->focus != 0 &&
        focus_index(ui->order, ui->norder, ui->focus) >= 0 && ui->edit_id == 0) {
        /* keep focus: clicking empty space should not lose the reading position */
    }
    if (ui->released) ui->active = 0;
    if (ui->focus && focus_index(ui->order, ui->norder, ui->focus) < 0 && ui->norder > 0 &&
        !ui->pending_focus) {
        /* the focused widget vanished (screen change): nothing is focused */
        ui->focus = 0;
    }
    ui->pressed = ui->released = 0;
    ui->wheel = 0;
    ui->nkeys = 0;
    ui->text_in[0] = '\0';
    ui->any_input = 0;
    SDL_RenderSetClipRect(ui->r, NULL);
}

int ui_needs_frame(const Ui *ui) { return ui->needs_frame; }
void ui_request_frame(Ui *ui) { ui->needs_frame = 1; }

void ui_focus(Ui *ui, const char *id)
{
    ui->pending_focus = hash_id(id);
    ui->needs_frame = 1;
}

int ui_has_focus(const Ui *ui, const char *id) { return ui->focus == hash_id(id); }
void ui_clear_focus(Ui *ui) { ui->focus = 0; }

/* ------------------------------------------------------------------ drawing */

static void set_color(Ui *ui, SDL_Color c) { SDL_SetRenderDrawColor(ui->r, c.r, c.g, c.b, c.a); }

void ui_fill(Ui *ui, SDL_Rect r, SDL_Color c)
{
    set_color(ui, c);
    SDL_RenderFillRect(ui->r, &r);
}

void ui_line(Ui *ui, int x1, int y1, int x2, int y2, SDL_Color c)
{
    set_color(ui, c);
    SDL_RenderDrawLine(ui->r, x1, y1, x2, y2);
}

void ui_round(Ui *ui, SDL_Rect r, int radius, SDL_Color c)
{
    if (r.w <= 0 || r.h <= 0) return;
    if (radius * 2 > r.w) radius = r.w / 2;
    if (radius * 2 > r.h) radius = r.h / 2;
    if (radius <= 1) {
        ui_fill(ui, r, c);
        return;
    }
    /* centre cross as rectangles, corners as triangle fans */
    ui_fill(ui, (SDL_Rect){r.x + radius, r.y, r.w - 2 * radius, r.h}, c);
    ui_fill(ui, (SDL_Rect){r.x, r.y + radius, radius, r.h - 2 * radius}, c);
    ui_fill(ui, (SDL_Rect){r.x + r.w - radius, r.y + radius, radius, r.h - 2 * radius}, c);
    enum { SEG = 16 }; /* enough that small circles (radio marks) look round */
    SDL_Vertex v[4 * (SEG + 2)];
    int idx[4 * SEG * 3];
    int nv = 0, ni = 0;
    const float cxs[4] = {(float)(r.x + radius), (float)(r.x + r.w - radius),
                          (float)(r.x + r.w - radius), (float)(r.x + radius)};
    const float cys[4] = {(float)(r.y + radius), (float)(r.y + radius),
                          (float)(r.y + r.h - radius), (float)(r.y + r.h - radius)};
    const float start[4] = {UI_PI, 1.5f * UI_PI, 0.0f, 0.5f * UI_PI};
    for (int k = 0; k < 4; k++) {
        int centre = nv;
        v[nv++] = (SDL_Vertex){{cxs[k], cys[k]}, c, {0, 0}};
        for (int s = 0; s <= SEG; s++) {
            float a = start[k] + (UI_PI / 2) * (float)s / SEG;
            v[nv++] = (SDL_Vertex){{cxs[k] + cosf(a) * (float)radius, cys[k] + sinf(a) * (float)radius}, c, {0, 0}};
        }
        for (int s = 0; s < SEG; s++) {
            idx[ni++] = centre;
            idx[ni++] = centre + 1 + s;
            idx[ni++] = centre + 2 + s;
        }
    }
    SDL_RenderGeometry(ui->r, NULL, v, nv, idx, ni);
}

void ui_round_outline(Ui *ui, SDL_Rect r, int radius, int width, SDL_Color line, SDL_Color fill)
{
    ui_round(ui, r, radius, line);
    ui_round(ui, (SDL_Rect){r.x + width, r.y + width, r.w - 2 * width, r.h - 2 * width},
             radius > width ? radius - width : 0, fill);
}

static SDL_Rect intersect(SDL_Rect a, SDL_Rect b)
{
    SDL_Rect out;
    if (!SDL_IntersectRect(&a, &b, &out)) out = (SDL_Rect){a.x, a.y, 0, 0};
    return out;
}

void ui_push_clip(Ui *ui, SDL_Rect r)
{
    if (ui->nclip > 0) r = intersect(r, ui->clip[ui->nclip - 1]);
    if (ui->nclip < MAX_CLIP) ui->clip[ui->nclip++] = r;
    SDL_RenderSetClipRect(ui->r, &r);
}

void ui_pop_clip(Ui *ui)
{
    if (ui->nclip > 0) ui->nclip--;
    if (ui->nclip > 0) SDL_RenderSetClipRect(ui->r, &ui->clip[ui->nclip - 1]);
    else SDL_RenderSetClipRect(ui->r, NULL);
}

static SDL_Rect current_clip(const Ui *ui)
{
    return ui->nclip ? ui->clip[ui->nclip - 1] : (SDL_Rect){0, 0, ui->width, ui->height};
}

int ui_visible(const Ui *ui, int y, int h)
{
    SDL_Rect c = current_clip(ui);
    return y + h >= c.y && y <= c.y + c.h;
}

int ui_line_height(Ui *ui, TextStyle s)
{
    TTF_Font *f = fonts_get(ui->fonts, STYLE_FACE[s], style_px(ui, s));
    int h = f ? TTF_FontLineSkip(f) : style_px(ui, s);
    if (s == TEXT_BODY) h = (int)lroundf((float)h * 1.18f); /* airier reading text */
    return h;
}

int ui_text_width(Ui *ui, TextStyle s, const char *text)
{
    return textcache_measure(ui->tc, STYLE_FACE[s], style_px(ui, s), text, strlen(text));
}

static int draw_text_n(Ui *ui, int x, int y, FontFace face, int px, SDL_Color c, const char *text,
                       size_t len)
{
    int w, h;
    SDL_Texture *tex = textcache_get(ui->tc, face, px, c, text, len, &w, &h);
    if (!tex) return 0;
    SDL_Rect dst = {x, y, w, h};
    SDL_RenderCopy(ui->r, tex, NULL, &dst);
    return w;
}

int ui_text(Ui *ui, int x, int y, TextStyle s, SDL_Color c, const char *text)
{
    return draw_text_n(ui, x, y, STYLE_FACE[s], style_px(ui, s), c, text, strlen(text));
}

void ui_text_fit(Ui *ui, int x, int y, int max_w, TextStyle s, SDL_Color c, const char *text)
{
    size_t len = strlen(text);
    FontFace face = STYLE_FACE[s];
    int px = style_px(ui, s);
    if (textcache_measure(ui->tc, face, px, text, len) <= max_w) {
        draw_text_n(ui, x, y, face, px, c, text, len);
        return;
    }
    int ell = textcache_measure(ui->tc, face, px, "\xE2\x80\xA6", 3);
    while (len > 0 && textcache_measure(ui->tc, face, px, text, len) + ell > max_w) {
        len--;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80) len--;
    }
    int w = draw_text_n(ui, x, y, face, px, c, text, len);
    draw_text_n(ui, x + w, y, face, px, c, "\xE2\x80\xA6", 3);
}

/* ------------------------------------------------------------------ rich text */

typedef struct MeasureCtx {
    Ui *ui;
    int px;
    int mono_px;
    FontFace base;   /* the text style's own face: headings are bold throughout */
} MeasureCtx;

static FontFace face_for(int style, FontFace base)
{
    if (style & RICH_CODE) return FACE_MONO;
    if (style & RICH_STRONG) return FACE_BOLD;
    if (style & RICH_EM) return base == FACE_BOLD ? FACE_BOLD : FACE_ITALIC;
    return base;
}

static int measure_cb(void *user, int style, const char *text, size_t len)
{
    MeasureCtx *m = user;
    int w = textcache_measure(m->ui->tc, face_for(style, m->base), (style & RICH_CODE) ? m->mono_px : m->px,
                              text, len);
    if (style & RICH_CODE) w += ui_px(m->ui, 8); /* chip padding */
    return w;
}

static uint64_t layout_key(const char *text, int w, TextStyle s, int px)
{
    uint64_t h = 1469598103934665603ULL ^ ((uint64_t)(unsigned)w << 20) ^ ((uint64_t)s << 52) ^ (uint64_t)px;
    for (const char *p = text; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

static Layout *layout_get(Ui *ui, const char *markup, int w, TextStyle s)
{
    int px = style_px(ui, s);
    uint64_t key = layout_key(markup, w, s, px);
    Layout *slot = &ui->layouts[key & (LAYOUT_SLOTS - 1)];
    if (slot->key == key) {
        slot->last_used = ui->frame;
        return slot;
    }
    free(slot->runs);
    free(slot->spans);
    free(slot->buf);
    memset(slot, 0, sizeof *slot);
    size_t len = strlen(markup);
    int cap = (int)(len / 2) + 8;
    RichText rt = {calloc((size_t)cap, sizeof(RichSpan)), 0, cap, malloc(len * 2 + 2), 0, len * 2 + 2};
    WrapRun *runs = calloc(LAYOUT_MAX_RUNS, sizeof *runs);
    if (!rt.spans || !rt.buf || !runs) {
        free(rt.spans);
        free(rt.buf);
        free(runs);
        return NULL;
    }
    rich_parse(markup, &rt);
    MeasureCtx m = {ui, px, ui_px(ui, STYLE_PT[TEXT_MONO] * STYLE_PT[s] / STYLE_PT[TEXT_BODY]), STYLE_FACE[s]};
    WrapOut out = {runs, LAYOUT_MAX_RUNS, 0, 0, 0, 0};
    wrap_layout(rt.spans, rt.count, w, measure_cb, &m, &out);
    slot->key = key;
    slot->runs = runs;
    slot->nruns = out.count;
    slot->lines = out.lines;
    slot->spans = rt.spans;
    slot->nspans = rt.count;
    slot->buf = rt.buf;
    slot->line_h = ui_line_height(ui, s);
    slot->height = out.lines * slot->line_h;
    slot->last_used = ui->frame;
    return slot;
}

int ui_rich(Ui *ui, int x, int y, int w, TextStyle s, SDL_Color c, const char *markup,
            const char **link, int draw)
{
    Layout *l = layout_get(ui, markup, w, s);
    if (!l) return 0;
    if (!draw || !ui_visible(ui, y, l->height)) return l->height;
    const Theme *t = ui->t;
    int px = style_px(ui, s);
    int mono_px = ui_px(ui, STYLE_PT[TEXT_MONO] * STYLE_PT[s] / STYLE_PT[TEXT_BODY]);
    int pad = ui_px(ui, 4);
    for (int i = 0; i < l->nruns; i++) {
        const WrapRun *run = &l->runs[i];
        int ry = y + run->line * l->line_h;
        if (!ui_visible(ui, ry, l->line_h)) continue;
        int rx = x + run->x;
        if (run->style & RICH_CODE) {
            int th = l->line_h - ui_px(ui, 4);
            SDL_Rect chip = {rx, ry + (l->line_h - th) / 2, run->width, th};
            int over = SDL_PointInRect(&(SDL_Point){ui->mx, ui->my}, &chip);
            ui_round(ui, chip, ui_px(ui, 4), over && link ? t->accent_soft : t->code_bg);
            /* a code chip opens the code book: reported as "code:E11.9" */
            if (link && ui->released && over && SDL_PointInRect(&(SDL_Point){ui->press_x, ui->press_y}, &chip)) {
                static char target[40];
                snprintf(target, sizeof target, "code:%.*s", (int)run->len, run->text);
                *link = target;
                ui->needs_frame = 1;
            }
            TTF_Font *f = fonts_get(ui->fonts, FACE_MONO, mono_px);
            int fh = f ? TTF_FontHeight(f) : mono_px;
            draw_text_n(ui, rx + pad, chip.y + (chip.h - fh) / 2, FACE_MONO, mono_px, t->code_text,
                        run->text, run->len);
            continue;
        }
        SDL_Color col = (run->style & RICH_LINK) ? t->link : c;
        FontFace face = face_for(run->style, STYLE_FACE[s]);
        TTF_Font *f = fonts_get(ui->fonts, face, px);
        int fh = f ? TTF_FontHeight(f) : px;
        int ty = ry + (l->line_h - fh) / 2;
        draw_text_n(ui, rx, ty, face, px, col, run->text, run->len);
        if (run->style & RICH_LINK) {
            SDL_Rect hit = {rx, ry, run->width, l->line_h};
            int under = SDL_PointInRect(&(SDL_Point){ui->mx, ui->my}, &hit);
            ui_fill(ui, (SDL_Rect){rx, ty + fh - ui_px(ui, 2), run->width, under ? 2 : 1}, col);
            const RichSpan *sp = &l->spans[run->span];
            if (link && ui->released && SDL_PointInRect(&(SDL_Point){ui->mx, ui->my}, &hit) &&
                SDL_PointInRect(&(SDL_Point){ui->press_x, ui->press_y}, &hit)) {
                static char target[80];
                size_t n = sp->target_len < sizeof target - 1 ? sp->target_len : sizeof target - 1;
                memcpy(target, sp->target, n);
                target[n] = '\0';
                *link = target;
                ui->needs_frame = 1;
            }
        }
    }
    return l->height;
}

int ui_plain(Ui *ui, int x, int y, int w, TextStyle s, SDL_Color c, const char *text, int draw)
{
    char buf[4096];
    size_t n = 0;
    for (const char *p = text; *p && n + 3 < sizeof buf; p++) {
        if (*p == '*' || *p == '[' || *p == ']' || *p == '\\') buf[n++] = '\\';
        buf[n++] = *p;
    }
    buf[n] = '\0';
    return ui_rich(ui, x, y, w, s, c, buf, NULL, draw);
}

/* ------------------------------------------------------------------ images */

int ui_image(Ui *ui, SDL_Rect r, const char *path)
{
    ImageSlot *slot = NULL, *oldest = &ui->images[0];
    for (int i = 0; i < IMAGE_SLOTS; i++) {
        ImageSlot *s = &ui->images[i];
        if (strcmp(s->path, path) == 0 && s->w == r.w && s->h == r.h) {
            slot = s;
            break;
        }
        if (s->last_used < oldest->last_used) oldest = s;
    }
    if (!slot) {
        slot = oldest;
        if (slot->tex) SDL_DestroyTexture(slot->tex);
        memset(slot, 0, sizeof *slot);
        snprintf(slot->path, sizeof slot->path, "%s", path);
        slot->w = r.w;
        slot->h = r.h;
        SDL_Surface *surf = NULL;
        SDL_RWops *rw = SDL_RWFromFile(path, "rb");
        if (rw) {
            const char *ext = strrchr(path, '.');
            if (ext && strcasecmp(ext, ".svg") == 0) surf = IMG_LoadSizedSVG_RW(rw, r.w, r.h);
            else surf = IMG_Load_RW(rw, 0);
            SDL_RWclose(rw);
        }
        if (surf) {
            slot->tex = SDL_CreateTextureFromSurface(ui->r, surf);
            SDL_FreeSurface(surf);
        }
        slot->failed = slot->tex == NULL;
    }
    slot->last_used = ui->frame;
    if (!slot->tex) {
        ui_round_outline(ui, r, ui_px(ui, 6), 1, ui->t->border, ui->t->surface_alt);
        return -1;
    }
    SDL_SetTextureScaleMode(slot->tex, SDL_ScaleModeLinear);
    SDL_RenderCopy(ui->r, slot->tex, NULL, &r);
    return 0;
}

/* ------------------------------------------------------------------ widgets */

static void reg_add(Ui *ui, UiWidgetInfo *list, int *n, const char *id, const char *label, SDL_Rect r)
{
    if (*n >= UI_MAX_WIDGETS) return;
    UiWidgetInfo *w = &list[(*n)++];
    snprintf(w->id, sizeof w->id, "%s", id);
    snprintf(w->label, sizeof w->label, "%s", label ? label : "");
    w->rect = intersect(r, current_clip(ui));
}

void ui_register(Ui *ui, const char *id, const char *label, SDL_Rect r)
{
    if (!ui_visible(ui, r.y, r.h)) return;
    reg_add(ui, ui->reg, &ui->nreg, id, label, r);
}

/* Common behaviour of an interactive widget: registry, focus order, hover, click,
 * keyboard activation. Returns 1 when activated this frame. */
static int interact(Ui *ui, const char *id, const char *label, SDL_Rect r, int is_row,
                    Uint32 *out_id)
{
    Uint32 hid = hash_id(id);
    *out_id = hid;
    SDL_Rect vis = intersect(r, current_clip(ui));
    int visible = vis.w > 0 && vis.h > 0;
    if (ui->norder < UI_MAX_WIDGETS) ui->order[ui->norder++] = (FocusEntry){hid, is_row, r};
    if (visible) ui_register(ui, id, label, r);
    if (ui->focus == hid && ui->focus_by_key && ui->nscroll > 0) {
        ScrollFrame *sf = &ui->scrolls[ui->nscroll - 1];
        sf->focus_seen = hid;
        sf->focus_rect = r;
    }
    int activated = 0;
    SDL_Point m = {ui->mx, ui->my};
    if (visible && SDL_PointInRect(&m, &vis)) {
        ui->hot = hid;
        if (ui->pressed) {
            ui->active = hid;
            ui->focus = hid;
            ui->needs_frame = 1;
        }
        if (ui->released && ui->active == hid) {
            activated = 1;
            ui->needs_frame = 1;
        }
    }
    if (ui->focus == hid && ui->edit_id != hid &&
        (key_take(ui, SDLK_RETURN, 0, 1) || key_take(ui, SDLK_KP_ENTER, 0, 1) ||
         key_take(ui, SDLK_SPACE, 0, 1))) {
        activated = 1;
        ui->needs_frame = 1;
    }
    return activated;
}

static void focus_ring(Ui *ui, SDL_Rect r, int radius)
{
    int g = ui_px(ui, 3);
    SDL_Rect o = {r.x - g, r.y - g, r.w + 2 * g, r.h + 2 * g};
    SDL_Color c = ui->t->focus;
    /* ring = outer rounded rect minus inner, drawn as 4 thin round strips */
    int w = ui_px(ui, 2) < 2 ? 2 : ui_px(ui, 2);
    ui_round(ui, (SDL_Rect){o.x, o.y, o.w, w}, 0, c);
    ui_round(ui, (SDL_Rect){o.x, o.y + o.h - w, o.w, w}, 0, c);
    ui_round(ui, (SDL_Rect){o.x, o.y, w, o.h}, 0, c);
    ui_round(ui, (SDL_Rect){o.x + o.w - w, o.y, w, o.h}, 0, c);
    (void)radius;
}

int ui_button_width(Ui *ui, const char *label)
{
    return ui_text_width(ui, TEXT_LABEL, label) + ui_px(ui, 32);
}

int ui_button(Ui *ui, const char *id, SDL_Rect r, const char *label, ButtonKind kind)
{
    Uint32 hid;
    int hit = interact(ui, id ? id : label, label, r, 0, &hid);
    const Theme *t = ui->t;
    int hover = ui->hot == hid;
    int radius = ui_px(ui, 8);
    SDL_Color fg = t->text;
    switch (kind) {
    case BUTTON_PRIMARY: {
        SDL_Color bg = t->accent;
        if (hover) bg = (SDL_Color){(Uint8)(bg.r * 0.9), (Uint8)(bg.g * 0.9), (Uint8)(bg.b * 0.9), 255};
        ui_round(ui, r, radius, bg);
        fg = t->accent_text;
        break;
    }
    case BUTTON_SECONDARY:
        ui_round_outline(ui, r, radius, 1, hover ? t->accent : t->border, hover ? t->surface_alt : t->surface);
        fg = t->text;
        break;
    case BUTTON_QUIET:
        if (hover) ui_round(ui, r, radius, t->surface_alt);
        fg = t->link;
        break;
    case BUTTON_DANGER:
        ui_round_outline(ui, r, radius, 1, t->danger, hover ? t->danger_soft : t->surface);
        fg = t->danger;
        break;
    }
    int tw = ui_text_width(ui, TEXT_LABEL, label);
    int th = ui_line_height(ui, TEXT_LABEL);
    int tx = kind == BUTTON_QUIET && tw + ui_px(ui, 24) < r.w ? r.x + ui_px(ui, 12) : r.x + (r.w - tw) / 2;
    if (tw > r.w - ui_px(ui, 16)) ui_text_fit(ui, r.x + ui_px(ui, 8), r.y + (r.h - th) / 2, r.w - ui_px(ui, 16), TEXT_LABEL, fg, label);
    else ui_text(ui, tx, r.y + (r.h - th) / 2, TEXT_LABEL, fg, label);
    if (ui->focus == hid) focus_ring(ui, r, radius);
    return hit;
}

int ui_row(Ui *ui, const char *id, SDL_Rect r, const char *label, int selected)
{
    Uint32 hid;
    int hit = interact(ui, id, label, r, 1, &hid);
    const Theme *t = ui->t;
    if (selected) ui_round(ui, r, ui_px(ui, 8), t->accent_soft);
    else if (ui->hot == hid) ui_round(ui, r, ui_px(ui, 8), t->surface_alt);
    if (ui->focus == hid) focus_ring(ui, r, ui_px(ui, 8));
    return hit;
}

static void draw_mark(Ui *ui, SDL_Rect box, int radio, int on, SDL_Color tint)
{
    const Theme *t = ui->t;
    int radius = radio ? box.w / 2 : ui_px(ui, 4);
    ui_round_outline(ui, box, radius, ui_px(ui, 2) < 2 ? 2 : ui_px(ui, 2), on ? tint : t->muted, t->surface);
    if (on) {
        int inset = box.w / 4;
        SDL_Rect in = {box.x + inset, box.y + inset, box.w - 2 * inset, box.h - 2 * inset};
        ui_round(ui, in, radio ? in.w / 2 : ui_px(ui, 2), tint);
    }
}

int ui_choice(Ui *ui, const char *id, int x, int y, int w, const char *markup, int radio,
              int selected, SDL_Color tint, int *h)
{
    int pad = ui_px(ui, 12);
    int box = ui_px(ui, 18);
    int text_w = w - pad * 3 - box;
    int th = ui_rich(ui, 0, 0, text_w, TEXT_BODY, ui->t->text, markup, NULL, 0);
    int rh = th + pad * 2;
    if (rh < box + pad * 2) rh = box + pad * 2;
    SDL_Rect r = {x, y, w, rh};
    /* the registry label is the plain text (markup stripped is close enough) */
    Uint32 hid;
    int hit = interact(ui, id, markup, r, 1, &hid);
    const Theme *t = ui->t;
    SDL_Color border = selected ? tint : (ui->hot == hid ? t->muted : t->border);
    SDL_Color fill = selected ? t->accent_soft : (ui->hot == hid ? t->surface_alt : t->surface);
    if (tint.r != t->accent.r || tint.g != t->accent.g || tint.b != t->accent.b)
        fill = tint.r == t->success.r && tint.g == t->success.g ? t->success_soft : t->danger_soft;
    ui_round_outline(ui, r, ui_px(ui, 8), selected ? 2 : 1, border, fill);
    draw_mark(ui, (SDL_Rect){x + pad, y + (rh - box) / 2, box, box}, radio, selected, tint);
    ui_rich(ui, x + pad * 2 + box, y + pad, text_w, TEXT_BODY, t->text, markup, NULL, 1);
    if (ui->focus == hid) focus_ring(ui, r, ui_px(ui, 8));
    *h = rh;
    return hit;
}

int ui_checkbox(Ui *ui, const char *id, SDL_Rect r, const char *label, int *value)
{
    Uint32 hid;
    int hit = interact(ui, id ? id : label, label, r, 0, &hid);
    if (hit) *value = !*value;
    int box = ui_px(ui, 18);
    draw_mark(ui, (SDL_Rect){r.x, r.y + (r.h - box) / 2, box, box}, 0, *value, ui->t->accent);
    ui_text(ui, r.x + box + ui_px(ui, 10), r.y + (r.h - ui_line_height(ui, TEXT_BODY)) / 2, TEXT_BODY,
            ui->t->text, label);
    if (ui->focus == hid) focus_ring(ui, r, 4);
    return hit;
}

int ui_radio(Ui *ui, const char *id, SDL_Rect r, const char *label, int selected)
{
    Uint32 hid;
    int hit = interact(ui, id ? id : label, label, r, 1, &hid);
    int box = ui_px(ui, 18);
    draw_mark(ui, (SDL_Rect){r.x, r.y + (r.h - box) / 2, box, box}, 1, selected, ui->t->accent);
    ui_text(ui, r.x + box + ui_px(ui, 10), r.y + (r.h - ui_line_height(ui, TEXT_BODY)) / 2, TEXT_BODY,
            ui->t->text, label);
    if (ui->focus == hid) focus_ring(ui, r, 4);
    return hit;
}

int ui_tabs(Ui *ui, const char *id, SDL_Rect r, const char *const *labels, int n, int *sel)
{
    int changed = 0;
    int x = r.x;
    const Theme *t = ui->t;
    ui_fill(ui, (SDL_Rect){r.x, r.y + r.h - 1, r.w, 1}, t->border);
    for (int i = 0; i < n; i++) {
        char wid[128];
        snprintf(wid, sizeof wid, "%s:%d", id, i);
        int w = ui_text_width(ui, TEXT_LABEL, labels[i]) + ui_px(ui, 28);
        SDL_Rect tr = {x, r.y, w, r.h};
        Uint32 hid;
        if (interact(ui, wid, labels[i], tr, 0, &hid) && *sel != i) {
            *sel = i;
            changed = 1;
        }
        int on = *sel == i;
        if (ui->hot == hid && !on) ui_round(ui, (SDL_Rect){tr.x, tr.y, tr.w, tr.h - 2}, ui_px(ui, 6), t->surface_alt);
        int th = ui_line_height(ui, TEXT_LABEL);
        ui_text(ui, x + ui_px(ui, 14), r.y + (r.h - th) / 2, TEXT_LABEL, on ? t->accent : t->muted, labels[i]);
        if (on) ui_fill(ui, (SDL_Rect){tr.x, tr.y + tr.h - ui_px(ui, 3), tr.w, ui_px(ui, 3)}, t->accent);
        if (ui->focus == hid) focus_ring(ui, tr, 4);
        x += w;
    }
    return changed;
}

int ui_area(Ui *ui, const char *id, SDL_Rect r, const char *label)
{
    Uint32 hid;
    int hit = interact(ui, id, label, r, 0, &hid);
    if (ui->focus == hid) focus_ring(ui, r, 0);
    return hit;
}

void ui_progress(Ui *ui, SDL_Rect r, float fraction)
{
    if (fraction < 0) fraction = 0;
    if (fraction > 1) fraction = 1;
    ui_round(ui, r, r.h / 2, ui->t->surface_alt);
    ui_round_outline(ui, r, r.h / 2, 1, ui->t->border, ui->t->surface_alt);
    int w = (int)lroundf((float)r.w * fraction);
    if (w > 0) ui_round(ui, (SDL_Rect){r.x, r.y, w < r.h ? r.h : w, r.h}, r.h / 2, ui->t->accent);
}

/* ------------------------------------------------------------------ text box */

static size_t utf8_prev(const char *s, size_t i)
{
    if (i == 0) return 0;
    i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
    return i;
}

static size_t utf8_next(const char *s, size_t i)
{
    size_t n = strlen(s);
    if (i >= n) return n;
    i++;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    return i;
}

static void delete_range(char *buf, size_t a, size_t b)
{
    if (a > b) {
        size_t t = a;
        a = b;
        b = t;
    }
    memmove(buf + a, buf + b, strlen(buf + b) + 1);
}

static int insert_text(char *buf, size_t cap, size_t at, const char *text)
{
    size_t n = strlen(buf), add = 0;
    if (at > n) at = n; /* a caret past the end (text changed under it) inserts at the end */
    for (const char *p = text; *p; p++)
        if ((unsigned char)*p >= 0x20) add++;
    /* keep whole characters only */
    while (add > 0 && n + add + 1 > cap) add--;
    while (add > 0 && ((unsigned char)text[add] & 0xC0) == 0x80) add--;
    if (add == 0) return 0;
    memmove(buf + at + add, buf + at, n - at + 1);
    size_t k = 0;
    for (const char *p = text; *p && k < add; p++)
        if ((unsigned char)*p >= 0x20) buf[at + k++] = *p;
    return (int)add;
}

int ui_textbox(Ui *ui, const char *id, SDL_Rect r, char *buf, size_t cap, const char *placeholder)
{
    Uint32 hid = hash_id(id);
    const Theme *t = ui->t;
    int submitted = 0;
    int pad = ui_px(ui, 10);
    int px = style_px(ui, TEXT_BODY);
    int focused_before = ui->focus == hid;
    if (ui->norder < UI_MAX_WIDGETS) ui->order[ui->norder++] = (FocusEntry){hid, 0, r};
    ui_register(ui, id, placeholder ? placeholder : id, r);
    SDL_Rect vis = intersect(r, current_clip(ui));
    SDL_Point m = {ui->mx, ui->my};
    int inside = vis.w > 0 && SDL_PointInRect(&m, &vis);
    if (inside) ui->hot = hid;
    size_t len = strlen(buf);
    if (ui->focus == hid && ui->edit_id != hid) {
        ui->edit_id = hid;
        ui->caret = ui->anchor = len;
        ui->edit_scroll = 0;
    }
    /* the caller may have changed the text (cleared it after Enter): keep the caret in it */
    if (ui->edit_id == hid) {
        if (ui->caret > len) ui->caret = len;
        if (ui->anchor > len) ui->anchor = len;
    }
    if (inside && ui->pressed) {
        ui->focus = ui->edit_id = hid;
        ui->active = hid;
        /* place the caret at the click */
        int x = ui->mx - (r.x + pad) + ui->edit_scroll;
        size_t i = 0;
        while (i < len) {
            size_t nx = utf8_next(buf, i);
            int w = textcache_measure(ui->tc, FACE_REGULAR, px, buf, nx);
            if (w > x) {
                int wp = textcache_measure(ui->tc, FACE_REGULAR, px, buf, i);
                if (x - wp > w - x) i = nx;
                break;
            }
            i = nx;
        }
        ui->caret = ui->anchor = i;
        ui->needs_frame = 1;
    } else if (ui->active == hid && ui->mouse_down && ui->edit_id == hid) {
        int x = ui->mx - (r.x + pad) + ui->edit_scroll;
        size_t i = 0;
        while (i < len && textcache_measure(ui->tc, FACE_REGULAR, px, buf, utf8_next(buf, i)) <= x)
            i = utf8_next(buf, i);
        ui->caret = i;
    }
    if (ui->edit_id == hid && ui->focus == hid) {
        size_t lo = ui->caret < ui->anchor ? ui->caret : ui->anchor;
        size_t hi = ui->caret < ui->anchor ? ui->anchor : ui->caret;
        for (int k = 0; k < ui->nkeys; k++) {
            KeyPress *kp = &ui->keys[k];
            if (kp->used) continue;
            int shift = kp->mods & KMOD_SHIFT, ctrl = kp->mods & KMOD_CTRL;
            int take = 1;
            len = strlen(buf);
            switch (kp->key) {
            case SDLK_LEFT:
                ui->caret = (!shift && lo != hi) ? lo : utf8_prev(buf, ui->caret);
                if (!shift) ui->anchor = ui->caret;
                break;
            case SDLK_RIGHT:
                ui->caret = (!shift && lo != hi) ? hi : utf8_next(buf, ui->caret);
                if (!shift) ui->anchor = ui->caret;
                break;
            case SDLK_HOME:
                ui->caret = 0;
                if (!shift) ui->anchor = 0;
                break;
            case SDLK_END:
                ui->caret = len;
                if (!shift) ui->anchor = len;
                break;
            case SDLK_BACKSPACE:
                if (lo != hi) delete_range(buf, lo, hi), ui->caret = ui->anchor = lo;
                else if (ui->caret > 0) {
                    size_t p = utf8_prev(buf, ui->caret);
                    delete_range(buf, p, ui->caret);
                    ui->caret = ui->anchor = p;
                }
                break;
            case SDLK_DELETE:
                if (lo != hi) delete_range(buf, lo, hi), ui->caret = ui->anchor = lo;
                else if (ui->caret < len) delete_range(buf, ui->caret, utf8_next(buf, ui->caret));
                break;
            case SDLK_a:
                if (ctrl) ui->anchor = 0, ui->caret = len;
                else take = 0;
                break;
            case SDLK_c:
            case SDLK_x:
                if (ctrl && lo != hi) {
                    char tmp[1024];
                    size_t n = hi - lo < sizeof tmp - 1 ? hi - lo : sizeof tmp - 1;
                    memcpy(tmp, buf + lo, n);
                    tmp[n] = '\0';
                    SDL_SetClipboardText(tmp);
                    if (kp->key == SDLK_x) delete_range(buf, lo, hi), ui->caret = ui->anchor = lo;
                } else take = ctrl;
                break;
            case SDLK_v:
                if (ctrl) {
                    char *clip = SDL_GetClipboardText();
                    if (clip) {
                        if (lo != hi) delete_range(buf, lo, hi), ui->caret = lo;
                        ui->caret += (size_t)insert_text(buf, cap, ui->caret, clip);
                        ui->anchor = ui->caret;
                        SDL_free(clip);
                    }
                } else take = 0;
                break;
            case SDLK_RETURN:
            case SDLK_KP_ENTER:
                submitted = 1;
                break;
            default:
                take = 0;
            }
            if (take) {
                kp->used = 1;
                ui->needs_frame = 1;
                lo = ui->caret < ui->anchor ? ui->caret : ui->anchor;
                hi = ui->caret < ui->anchor ? ui->anchor : ui->caret;
            }
        }
        if (ui->text_in[0]) {
            if (lo != hi) delete_range(buf, lo, hi), ui->caret = lo;
            ui->caret += (size_t)insert_text(buf, cap, ui->caret, ui->text_in);
            ui->anchor = ui->caret;
            ui->text_in[0] = '\0';
            ui->needs_frame = 1;
        }
    }
    (void)focused_before;

    int focused = ui->focus == hid;
    ui_round_outline(ui, r, ui_px(ui, 8), focused ? 2 : 1, focused ? t->accent : t->border, t->surface);
    SDL_Rect inner = {r.x + pad, r.y, r.w - 2 * pad, r.h};
    ui_push_clip(ui, inner);
    int th = ui_line_height(ui, TEXT_BODY);
    TTF_Font *f = fonts_get(ui->fonts, FACE_REGULAR, px);
    int fh = f ? TTF_FontHeight(f) : px;
    int ty = r.y + (r.h - fh) / 2;
    (void)th;
    len = strlen(buf);
    if (len == 0 && placeholder && !focused) {
        ui_text(ui, inner.x, ty, TEXT_BODY, t->muted, placeholder);
    } else {
        if (ui->edit_id == hid) {
            int cx = textcache_measure(ui->tc, FACE_REGULAR, px, buf, ui->caret);
            if (cx - ui->edit_scroll > inner.w - 2) ui->edit_scroll = cx - inner.w + 2;
            if (cx - ui->edit_scroll < 0) ui->edit_scroll = cx;
            if (ui->anchor != ui->caret) {
                size_t lo = ui->caret < ui->anchor ? ui->caret : ui->anchor;
                size_t hi = ui->caret < ui->anchor ? ui->anchor : ui->caret;
                int x0 = textcache_measure(ui->tc, FACE_REGULAR, px, buf, lo);
                int x1 = textcache_measure(ui->tc, FACE_REGULAR, px, buf, hi);
                ui_fill(ui, (SDL_Rect){inner.x + x0 - ui->edit_scroll, ty, x1 - x0, fh}, t->accent_soft);
            }
        } else {
            ui->edit_scroll = ui->edit_id == hid ? ui->edit_scroll : 0;
        }
        int scroll = ui->edit_id == hid ? ui->edit_scroll : 0;
        draw_text_n(ui, inner.x - scroll, ty, FACE_REGULAR, px, t->text, buf, len);
        if (ui->edit_id == hid && focused) {
            int cx = textcache_measure(ui->tc, FACE_REGULAR, px, buf, ui->caret);
            ui_fill(ui, (SDL_Rect){inner.x + cx - scroll, ty, ui_px(ui, 2) < 1 ? 1 : ui_px(ui, 2) / 1, fh}, t->text);
        }
    }
    ui_pop_clip(ui);
    return submitted;
}

/* ------------------------------------------------------------------ scrolling */

int ui_scroll_begin(Ui *ui, const char *id, SDL_Rect viewport, int *scroll, int primary)
{
    if (ui->nscroll >= MAX_SCROLL) return viewport.y - *scroll;
    ScrollFrame *sf = &ui->scrolls[ui->nscroll++];
    memset(sf, 0, sizeof *sf);
    sf->id = hash_id(id);
    sf->view = viewport;
    sf->scroll = scroll;
    sf->primary = primary;
    sf->origin = viewport.y;
    ui_push_clip(ui, viewport);
    return viewport.y - *scroll;
}

void ui_scroll_end(Ui *ui, int content_h)
{
    if (ui->nscroll == 0) return;
    ScrollFrame *sf = &ui->scrolls[--ui->nscroll];
    ui_pop_clip(ui);
    int max = content_h - sf->view.h;
    if (max < 0) max = 0;
    int before = *sf->scroll;
    int line = ui_line_height(ui, TEXT_BODY) * 3;
    SDL_Point m = {ui->mx, ui->my};
    if (ui->wheel && SDL_PointInRect(&m, &sf->view)) {
        *sf->scroll -= ui->wheel * line;
        ui->wheel = 0;
    }
    if (sf->primary && ui->edit_id == 0) {
        int row_focus = 0;
        int fi = focus_index(ui->order, ui->norder, ui->focus);
        if (fi >= 0 && ui->order[fi].is_row) row_focus = 1;
        if (key_take(ui, SDLK_PAGEDOWN, 0, 1)) *sf->scroll += sf->view.h * 9 / 10;
        if (key_take(ui, SDLK_PAGEUP, 0, 1)) *sf->scroll -= sf->view.h * 9 / 10;
        if (!row_focus && key_take(ui, SDLK_DOWN, 0, 1)) *sf->scroll += line / 2;
        if (!row_focus && key_take(ui, SDLK_UP, 0, 1)) *sf->scroll -= line / 2;
        if (key_take(ui, SDLK_HOME, KMOD_CTRL, 1)) *sf->scroll = 0;
        if (key_take(ui, SDLK_END, KMOD_CTRL, 1)) *sf->scroll = max;
    }
    if (sf->focus_seen) {
        /* bring the keyboard-focused widget into view */
        int margin = ui_px(ui, 16);
        SDL_Rect fr = sf->focus_rect;
        if (fr.y < sf->view.y + margin) *sf->scroll -= sf->view.y + margin - fr.y;
        else if (fr.y + fr.h > sf->view.y + sf->view.h - margin)
            *sf->scroll += fr.y + fr.h - (sf->view.y + sf->view.h - margin);
    }
    if (*sf->scroll > max) *sf->scroll = max;
    if (*sf->scroll < 0) *sf->scroll = 0;
    if (*sf->scroll != before) ui->needs_frame = 1;
    if (max > 0) {
        const Theme *t = ui->t;
        int track_w = ui_px(ui, 6);
        SDL_Rect track = {sf->view.x + sf->view.w - track_w - ui_px(ui, 3), sf->view.y + ui_px(ui, 4),
                          track_w, sf->view.h - ui_px(ui, 8)};
        int thumb_h = track.h * sf->view.h / content_h;
        if (thumb_h < ui_px(ui, 32)) thumb_h = ui_px(ui, 32);
        int thumb_y = track.y + (track.h - thumb_h) * *sf->scroll / max;
        ui_round(ui, (SDL_Rect){track.x, thumb_y, track_w, thumb_h}, track_w / 2, t->border);
    }
}

/* ------------------------------------------------------------------ misc */

int ui_clicked_at(Ui *ui, SDL_Rect r, int *x, int *y)
{
    SDL_Rect vis = intersect(r, current_clip(ui));
    SDL_Point m = {ui->mx, ui->my}, p = {ui->press_x, ui->press_y};
    if (ui->released && vis.w > 0 && SDL_PointInRect(&m, &vis) && SDL_PointInRect(&p, &vis)) {
        *x = ui->mx;
        *y = ui->my;
        ui->needs_frame = 1;
        return 1;
    }
    return 0;
}

int ui_find(const Ui *ui, const char *q, UiWidgetInfo *out)
{
    const UiWidgetInfo *list = ui->reg;
    int n = ui->nreg;
    if (n == 0) {
        list = ui->prev_reg;
        n = ui->nprev_reg;
    }
    for (int i = 0; i < n; i++)
        if (strcmp(list[i].id, q) == 0 || strcmp(list[i].label, q) == 0) {
            *out = list[i];
            return 0;
        }
    size_t qn = strlen(q);
    for (int i = 0; i < n; i++)
        if (strncasecmp(list[i].label, q, qn) == 0) {
            *out = list[i];
            return 0;
        }
    return -1;
}

int ui_widget_count(const Ui *ui) { return ui->nreg; }
const UiWidgetInfo *ui_widget_at(const Ui *ui, int i) { return &ui->reg[i]; }

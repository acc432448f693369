/* ui.h - CoderPrep's small immediate-mode widget layer on the SDL renderer.
 *
 * Each frame the screens call widget functions in drawing order; a widget draws
 * itself and returns what the learner did to it this frame (clicked, changed).
 * No widget objects persist: only the ids of the hot / active / focused widget,
 * the caret of the focused text box, and caches (text textures, layouts, images).
 *
 * Ids are strings, unique within a frame (a label is used when it is unique).
 * Keyboard: Tab / Shift+Tab move focus through widgets in drawing order; Enter or
 * Space activates the focused widget; Up/Down move between rows of a list; the
 * main scroll region takes PageUp/PageDown/Home/End and arrows when no list row or
 * text box has focus.
 *
 * Coordinates are renderer pixels. ui_px converts design points (at 100% text size
 * on a 96-dpi screen) to pixels, applying HiDPI and the learner's text size.
 *
 * Every interactive widget is also entered in a registry (id, label, rectangle) so
 * `coderprep play` scripts can find and click it as a learner would.
 */
#ifndef UI_H
#define UI_H

#include <SDL.h>
#include <stddef.h>

#include "cp_error.h"
#include "fonts.h"
#include "textcache.h"
#include "theme.h"

typedef struct Ui Ui; /* opaque */

typedef enum TextStyle {
    TEXT_BODY,     /* reading text */
    TEXT_SMALL,    /* captions, metadata */
    TEXT_LABEL,    /* small bold: buttons, section labels */
    TEXT_H1,       /* screen titles */
    TEXT_H2,       /* lesson headings */
    TEXT_H3,
    TEXT_MONO,     /* codes */
    TEXT_STYLE_COUNT
} TextStyle;

typedef enum ButtonKind {
    BUTTON_PRIMARY,    /* filled accent */
    BUTTON_SECONDARY,  /* outlined */
    BUTTON_QUIET,      /* text only, for navigation */
    BUTTON_DANGER      /* destructive */
} ButtonKind;

#define UI_MAX_WIDGETS 512

typedef struct UiWidgetInfo {
    char id[96];
    char label[128];
    SDL_Rect rect;    /* on screen, clipped */
} UiWidgetInfo;

Ui *ui_create(SDL_Renderer *r, CpError *err);
void ui_destroy(Ui *ui);

void ui_set_theme(Ui *ui, ThemeId theme);
ThemeId ui_theme_id(const Ui *ui);
const Theme *ui_theme(const Ui *ui);
/* dpi: renderer pixels per window point; text: learner's text size (1.0 = 100%). */
void ui_set_scale(Ui *ui, float dpi, float text);
float ui_text_scale(const Ui *ui);
float ui_dpi(const Ui *ui);
int ui_px(const Ui *ui, float points);
TextCache *ui_textcache(Ui *ui);

/* ---- frame and input ---- */
void ui_input(Ui *ui, const SDL_Event *e);        /* feed every SDL event */
void ui_begin(Ui *ui, int width, int height);     /* renderer output size */
void ui_end(Ui *ui);
/* 1 when something changed during the frame that needs another frame to show. */
int ui_needs_frame(const Ui *ui);
void ui_request_frame(Ui *ui);
/* 1 (and consumes it) when key was pressed this frame with exactly these modifiers
 * (KMOD_CTRL, KMOD_SHIFT, or 0) and no widget took it. */
int ui_key(Ui *ui, SDL_Keycode key, int mods);
int ui_mouse_x(const Ui *ui);
int ui_mouse_y(const Ui *ui);
int ui_clicked_at(Ui *ui, SDL_Rect r, int *x, int *y); /* a click landed in r */

/* ---- drawing ---- */
void ui_fill(Ui *ui, SDL_Rect r, SDL_Color c);
void ui_round(Ui *ui, SDL_Rect r, int radius, SDL_Color c);
void ui_round_outline(Ui *ui, SDL_Rect r, int radius, int width, SDL_Color line, SDL_Color fill);
void ui_line(Ui *ui, int x1, int y1, int x2, int y2, SDL_Color c);
void ui_push_clip(Ui *ui, SDL_Rect r);
void ui_pop_clip(Ui *ui);
int ui_line_height(Ui *ui, TextStyle s);
int ui_text_width(Ui *ui, TextStyle s, const char *text);
/* Draws one line of text; returns its width. */
int ui_text(Ui *ui, int x, int y, TextStyle s, SDL_Color c, const char *text);
/* Draws text cut with "..." to fit max_w. */
void ui_text_fit(Ui *ui, int x, int y, int max_w, TextStyle s, SDL_Color c, const char *text);
/* Wrapped rich text (inline markup, see richtext.h) at x,y in width w; returns the
 * height used. When link is not NULL it receives what was clicked: a lesson id for a
 * lesson link, "code:E11.9" for a code chip (valid until the next frame). draw = 0
 * only measures. */
int ui_rich(Ui *ui, int x, int y, int w, TextStyle s, SDL_Color c, const char *markup,
            const char **link, int draw);
/* Wrapped plain text (no markup: stars and brackets show as typed), for messages,
 * file paths and names that are not lesson content. Same contract as ui_rich. */
int ui_plain(Ui *ui, int x, int y, int w, TextStyle s, SDL_Color c, const char *text, int draw);
/* An image file (SVG or PNG) scaled into r, cached. Returns 0, or -1 when it can't
 * be loaded (a placeholder frame is drawn instead). */
int ui_image(Ui *ui, SDL_Rect r, const char *path);

/* ---- widgets (return 1 when activated / changed this frame) ---- */
int ui_button(Ui *ui, const char *id, SDL_Rect r, const char *label, ButtonKind kind);
/* Width a button needs for label. */
int ui_button_width(Ui *ui, const char *label);
/* A full-width selectable row (lists); Up/Down move between rows. Draws only the
 * background and focus; the caller draws the row's content inside r. */
int ui_row(Ui *ui, const char *id, SDL_Rect r, const char *label, int selected);
int ui_checkbox(Ui *ui, const char *id, SDL_Rect r, const char *label, int *value);
int ui_radio(Ui *ui, const char *id, SDL_Rect r, const char *label, int selected);
/* Rich-text choice (check box or radio look) whose label wraps inside r.w;
 * returns 1 when clicked; *h receives the height used. */
int ui_choice(Ui *ui, const char *id, int x, int y, int w, const char *markup, int radio,
              int selected, SDL_Color tint, int *h);
int ui_tabs(Ui *ui, const char *id, SDL_Rect r, const char *const *labels, int n, int *sel);
/* Single-line text box editing buf (cap bytes). Returns 1 when Enter was pressed in
 * it. Caret, selection, mouse placement, Ctrl+A/C/X/V. */
int ui_textbox(Ui *ui, const char *id, SDL_Rect r, char *buf, size_t cap,
               const char *placeholder);
void ui_progress(Ui *ui, SDL_Rect r, float fraction);
/* An invisible focusable area (the caller draws it, e.g. an image to click on).
 * Returns 1 when clicked or activated with Enter/Space; draws only the focus ring. */
int ui_area(Ui *ui, const char *id, SDL_Rect r, const char *label);

/* ---- focus ---- */
void ui_focus(Ui *ui, const char *id);         /* give focus by id */
int ui_has_focus(const Ui *ui, const char *id);
void ui_clear_focus(Ui *ui);

/* ---- scrolling ---- */
/* Starts a vertical scroll region over viewport; content is drawn from the returned
 * y downwards. *scroll is the caller's offset (kept in screen state). primary = 1
 * lets the region take the scrolling keys. */
int ui_scroll_begin(Ui *ui, const char *id, SDL_Rect viewport, int *scroll, int primary);
/* Ends it; content_h is the height that was drawn. Draws the scroll bar. */
void ui_scroll_end(Ui *ui, int content_h);
/* 1 when the rectangle (screen coordinates) is inside the current clip; used to
 * skip drawing what is scrolled out of view. */
int ui_visible(const Ui *ui, int y, int h);

/* ---- registry (for scripted use) ---- */
/* Registers a non-widget target such as a hotspot region (label and id). */
void ui_register(Ui *ui, const char *id, const char *label, SDL_Rect r);
/* Looks up a widget of the last frame by id or label (exact, then case-insensitive
 * prefix). 0 and *out when found. */
int ui_find(const Ui *ui, const char *id_or_label, UiWidgetInfo *out);
int ui_widget_count(const Ui *ui);
const UiWidgetInfo *ui_widget_at(const Ui *ui, int i);

#endif

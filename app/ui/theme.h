/* theme.h - the three colour themes. Colours were picked for WCAG AA contrast of
 * body text on its background (high-contrast aims at AAA). */
#ifndef THEME_H
#define THEME_H

#include <SDL.h>

typedef enum ThemeId { THEME_LIGHT, THEME_DARK, THEME_CONTRAST, THEME_COUNT } ThemeId;

typedef struct Theme {
    const char *name;        /* "light", "dark", "contrast" */
    const char *title;       /* shown in Settings */
    SDL_Color bg;            /* window background */
    SDL_Color sidebar;       /* navigation rail */
    SDL_Color surface;       /* cards, panels */
    SDL_Color surface_alt;   /* hovered rows, table stripes, inputs */
    SDL_Color border;        /* hairlines */
    SDL_Color text;          /* body text */
    SDL_Color muted;         /* secondary text */
    SDL_Color accent;        /* primary buttons, selection, progress */
    SDL_Color accent_text;   /* text on accent */
    SDL_Color accent_soft;   /* selected row background */
    SDL_Color focus;         /* keyboard focus ring */
    SDL_Color link;          /* lesson links */
    SDL_Color code_bg;       /* [[code]] chips */
    SDL_Color code_text;
    SDL_Color success;       /* correct */
    SDL_Color success_soft;
    SDL_Color danger;        /* wrong */
    SDL_Color danger_soft;
    SDL_Color tip_bg;        /* callouts */
    SDL_Color warn_bg;
    SDL_Color guide_bg;
} Theme;

const Theme *theme_get(ThemeId id);
int theme_from_name(const char *name, ThemeId *out); /* 0 when known */

#endif

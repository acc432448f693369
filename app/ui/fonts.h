/* fonts.h - finding system fonts (fontconfig) and opening them at any size.
 *
 * Faces: sans regular, sans bold, sans italic, mono (for codes). Opened TTF_Fonts
 * are kept per (face, pixel size) so a text-size change costs one open per face. */
#ifndef FONTS_H
#define FONTS_H

#include <SDL_ttf.h>

#include "cp_error.h"

typedef enum FontFace { FACE_REGULAR, FACE_BOLD, FACE_ITALIC, FACE_MONO, FACE_COUNT } FontFace;

typedef struct Fonts Fonts; /* opaque */

/* Finds the faces (DejaVu Sans / Noto Sans / any sans). NULL with err when no
 * usable font exists; err says which package to install. */
Fonts *fonts_open(CpError *err);
void fonts_close(Fonts *f);

/* The font for face at px pixels (cached). NULL only on allocation failure. */
TTF_Font *fonts_get(Fonts *f, FontFace face, int px);

#endif

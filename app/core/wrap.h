/* wrap.h - word wrapping of styled text, independent of any renderer.
 *
 * The UI passes a measuring callback (SDL_ttf underneath); tests pass a fixed-width
 * one. Breaks happen only at spaces; a word wider than the line is broken between
 * characters. Consecutive words of one span on one line become one run, so the
 * renderer draws (and caches) phrases rather than single words.
 */
#ifndef WRAP_H
#define WRAP_H

#include <stddef.h>

#include "richtext.h"

/* Width in pixels of text[0..len) drawn in style (RICH_* flags). */
typedef int (*WrapMeasureFn)(void *user, int style, const char *text, size_t len);

typedef struct WrapRun {
    int style;              /* RICH_* flags of the span it came from */
    const char *text;       /* points into the span text */
    size_t len;             /* bytes */
    int x;                  /* left edge, pixels from the start of the line */
    int width;              /* measured width */
    int line;               /* 0-based line number */
    int span;               /* index of the source span (links and codes need it) */
} WrapRun;

typedef struct WrapOut {
    WrapRun *runs;   /* caller-provided */
    int cap;         /* capacity of runs */
    int count;       /* runs filled */
    int lines;       /* lines used (0 for empty text) */
    int widest;      /* widest line in pixels */
    int truncated;   /* 1 when runs ran out */
} WrapOut;

/* Lays spans out in lines of at most max_width pixels (at least one character a
 * line). */
void wrap_layout(const RichSpan *spans, int nspans, int max_width, WrapMeasureFn measure,
                 void *user, WrapOut *out);

#endif

/* textcache.h - rendered text as textures, kept in a bounded LRU cache.
 *
 * Key: (face, pixel size, colour, string). Rendering text with SDL_ttf is the most
 * expensive thing a frame does, and most frames draw the same strings again, so
 * each string is rendered once and reused until it falls out of the cache.
 * Bounds: TEXTCACHE_MAX_ENTRIES textures and TEXTCACHE_MAX_BYTES of pixels.
 */
#ifndef TEXTCACHE_H
#define TEXTCACHE_H

#include <SDL.h>
#include <stddef.h>

#include "fonts.h"

#define TEXTCACHE_MAX_ENTRIES 1024
#define TEXTCACHE_MAX_BYTES (24u * 1024u * 1024u)

typedef struct TextCache TextCache; /* opaque */

typedef struct TextCacheStats {
    int entries;         /* textures held */
    size_t bytes;        /* their pixel bytes */
    long hits, misses;   /* since creation */
} TextCacheStats;

TextCache *textcache_create(SDL_Renderer *r, Fonts *fonts);
void textcache_destroy(TextCache *tc);
/* Drops every texture (theme or renderer change). */
void textcache_clear(TextCache *tc);

/* The texture for text[0..len) (no NUL needed); w/h receive its size. NULL for
 * empty text or when rendering failed. The texture stays valid until the next
 * textcache_get call that evicts it, so draw it straight away. */
SDL_Texture *textcache_get(TextCache *tc, FontFace face, int px, SDL_Color color,
                           const char *text, size_t len, int *w, int *h);

/* Width of text in pixels without creating a texture. */
int textcache_measure(TextCache *tc, FontFace face, int px, const char *text, size_t len);

TextCacheStats textcache_stats(const TextCache *tc);

#endif

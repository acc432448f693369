#include "textcache.h"

#include <stdlib.h>
#include <string.h>

#define TC_BUCKETS 2048   /* power of two, > TEXTCACHE_MAX_ENTRIES */
#define MEASURE_SLOTS 4096

typedef struct Entry {
    uint64_t hash;            /* of the whole key */
    char *text;               /* malloc'd copy of the string */
    size_t len;
    int face, px;
    Uint32 rgba;
    SDL_Texture *tex;
    int w, h;
    struct Entry *prev, *next; /* LRU list: head = most recent */
    int bucket_next;          /* chain in the hash table (entry index), -1 ends */
    int used;
} Entry;

typedef struct Measure {
    uint64_t hash;            /* 0 = empty */
    int width;
} Measure;

struct TextCache {
    SDL_Renderer *r;
    Fonts *fonts;
    Entry entries[TEXTCACHE_MAX_ENTRIES];
    int buckets[TC_BUCKETS];  /* first entry index, -1 = empty */
    Entry *head, *tail;
    int count;
    size_t bytes;
    long hits, misses;
    Measure measures[MEASURE_SLOTS]; /* direct-mapped width cache */
};

static uint64_t hash_key(int face, int px, Uint32 rgba, const char *text, size_t len)
{
    uint64_t h = 1469598103934665603ULL ^ ((uint64_t)face << 40) ^ ((uint64_t)px << 32) ^ rgba;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)text[i];
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

TextCache *textcache_create(SDL_Renderer *r, Fonts *fonts)
{
    TextCache *tc = calloc(1, sizeof *tc);
    if (!tc) return NULL;
    tc->r = r;
    tc->fonts = fonts;
    for (int i = 0; i < TC_BUCKETS; i++) tc->buckets[i] = -1;
    return tc;
}

static void lru_unlink(TextCache *tc, Entry *e)
{
    if (e->prev) e->prev->next = e->next;
    else tc->head = e->next;
    if (e->next) e->next->prev = e->prev;
    else tc->tail = e->prev;
    e->prev = e->next = NULL;
}

static void lru_push_front(TextCache *tc, Entry *e)
{
    e->prev = NULL;
    e->next = tc->head;
    if (tc->head) tc->head->prev = e;
    tc->head = e;
    if (!tc->tail) tc->tail = e;
}

static void bucket_remove(TextCache *tc, int idx)
{
    Entry *e = &tc->entries[idx];
    int *link = &tc->buckets[e->hash & (TC_BUCKETS - 1)];
    while (*link >= 0) {
        if (*link == idx) {
            *link = e->bucket_next;
            return;
        }
        link = &tc->entries[*link].bucket_next;
    }
}

static void evict(TextCache *tc, Entry *e)
{
    int idx = (int)(e - tc->entries);
    bucket_remove(tc, idx);
    lru_unlink(tc, e);
    if (e->tex) SDL_DestroyTexture(e->tex);
    tc->bytes -= (size_t)e->w * (size_t)e->h * 4u;
    free(e->text);
    memset(e, 0, sizeof *e);
    tc->count--;
}

void textcache_clear(TextCache *tc)
{
    while (tc->tail) evict(tc, tc->tail);
    memset(tc->measures, 0, sizeof tc->measures);
}

void textcache_destroy(TextCache *tc)
{
    if (!tc) return;
    textcache_clear(tc);
    free(tc);
}

SDL_Texture *textcache_get(TextCache *tc, FontFace face, int px, SDL_Color color,
                           const char *text, size_t len, int *w, int *h)
{
    *w = *h = 0;
    if (len == 0) return NULL;
    Uint32 rgba = ((Uint32)color.r << 24) | ((Uint32)color.g << 16) | ((Uint32)color.b << 8) | color.a;
    uint64_t hash = hash_key((int)face, px, rgba, text, len);
    for (int i = tc->buckets[hash & (TC_BUCKETS - 1)]; i >= 0; i = tc->entries[i].bucket_next) {
        Entry *e = &tc->entries[i];
        if (e->hash == hash && e->len == len && e->face == (int)face && e->px == px &&
            e->rgba == rgba && memcmp(e->text, text, len) == 0) {
            lru_unlink(tc, e);
            lru_push_front(tc, e);
            tc->hits++;
            *w = e->w;
            *h = e->h;
            return e->tex;
        }
    }
    tc->misses++;
    TTF_Font *font = fonts_get(tc->fonts, face, px);
    if (!font) return NULL;
    char stackbuf[512];
    char *z = len < sizeof stackbuf ? stackbuf : malloc(len + 1);
    if (!z) return NULL;
    memcpy(z, text, len);
    z[len] = '\0';
    SDL_Surface *s = TTF_RenderUTF8_Blended(font, z, color);
    if (z != stackbuf) free(z);
    if (!s) return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(tc->r, s);
    int tw = s->w, th = s->h;
    SDL_FreeSurface(s);
    if (!tex) return NULL;
    size_t bytes = (size_t)tw * (size_t)th * 4u;
    while (tc->tail && (tc->count >= TEXTCACHE_MAX_ENTRIES || tc->bytes + bytes > TEXTCACHE_MAX_BYTES))
        evict(tc, tc->tail);
    int idx = -1;
    for (int i = 0; i < TEXTCACHE_MAX_ENTRIES; i++)
        if (!tc->entries[i].used) {
            idx = i;
            break;
        }
    Entry *e = &tc->entries[idx];
    e->text = malloc(len);
    if (!e->text) {
        SDL_DestroyTexture(tex);
        return NULL;
    }
    memcpy(e->text, text, len);
    e->len = len;
    e->hash = hash;
    e->face = (int)face;
    e->px = px;
    e->rgba = rgba;
    e->tex = tex;
    e->w = tw;
    e->h = th;
    e->used = 1;
    int b = (int)(hash & (TC_BUCKETS - 1));
    e->bucket_next = tc->buckets[b];
    tc->buckets[b] = idx;
    lru_push_front(tc, e);
    tc->count++;
    tc->bytes += bytes;
    *w = tw;
    *h = th;
    return tex;
}

int textcache_measure(TextCache *tc, FontFace face, int px, const char *text, size_t len)
{
    if (len == 0) return 0;
    uint64_t hash = hash_key((int)face, px, 0, text, len);
    Measure *m = &tc->measures[hash & (MEASURE_SLOTS - 1)];
    if (m->hash == hash) return m->width;
    TTF_Font *font = fonts_get(tc->fonts, face, px);
    if (!font) return 0;
    char stackbuf[512];
    char *z = len < sizeof stackbuf ? stackbuf : malloc(len + 1);
    if (!z) return 0;
    memcpy(z, text, len);
    z[len] = '\0';
    int w = 0, h = 0;
    TTF_SizeUTF8(font, z, &w, &h);
    if (z != stackbuf) free(z);
    m->hash = hash;
    m->width = w;
    return w;
}

TextCacheStats textcache_stats(const TextCache *tc)
{
    return (TextCacheStats){tc->count, tc->bytes, tc->hits, tc->misses};
}

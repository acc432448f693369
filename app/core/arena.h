/* arena.h - a grow-only allocator for data that lives and dies together.
 *
 * Loaded content (every string, block and item of every lesson and quiz) is
 * allocated from one Arena and released with one arena_free, so the loader needs
 * no per-field ownership rules. Allocation failure returns NULL.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;

typedef struct Arena {
    ArenaChunk *head;   /* newest chunk; older chunks hang off it */
    size_t total;       /* bytes handed out, for memory reporting */
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);                           /* frees every chunk; a may be reused */
void *arena_alloc(Arena *a, size_t size);            /* zeroed, max-aligned; NULL on OOM */
char *arena_strdup(Arena *a, const char *s);         /* NULL s gives NULL */
char *arena_strndup(Arena *a, const char *s, size_t n);

#endif

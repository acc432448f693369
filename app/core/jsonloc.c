#include "jsonloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct Walker {
    const char *s;   /* the text */
    size_t len;      /* its length */
    size_t pos;      /* current byte offset */
} Walker;

void jsonloc_line_col(const char *text, size_t len, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    if (off > len) off = len;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) { /* count characters, not continuation bytes */
            c++;
        }
    }
    *line = l;
    *col = c;
}

static void skip_ws(Walker *w)
{
    while (w->pos < w->len) {
        char ch = w->s[w->pos];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') break;
        w->pos++;
    }
}

/* Skips a string starting at '"'; returns 0 on success. */
static int skip_string(Walker *w)
{
    if (w->pos >= w->len || w->s[w->pos] != '"') return -1;
    w->pos++;
    while (w->pos < w->len) {
        char ch = w->s[w->pos++];
        if (ch == '\\') w->pos++;
        else if (ch == '"') return 0;
    }
    return -1;
}

static int skip_value(Walker *w);

static int skip_container(Walker *w, char open, char close)
{
    w->pos++; /* past open */
    skip_ws(w);
    if (w->pos < w->len && w->s[w->pos] == close) {
        w->pos++;
        return 0;
    }
    for (;;) {
        skip_ws(w);
        if (open == '{') {
            if (skip_string(w) != 0) return -1;
            skip_ws(w);
            if (w->pos >= w->len || w->s[w->pos] != ':') return -1;
            w->pos++;
            skip_ws(w);
        }
        if (skip_value(w) != 0) return -1;
        skip_ws(w);
        if (w->pos >= w->len) return -1;
        char ch = w->s[w->pos++];
        if (ch == close) return 0;
        if (ch != ',') return -1;
    }
}

static int skip_value(Walker *w)
{
    skip_ws(w);
    if (w->pos >= w->len) return -1;
    char ch = w->s[w->pos];
    if (ch == '{') return skip_container(w, '{', '}');
    if (ch == '[') return skip_container(w, '[', ']');
    if (ch == '"') return skip_string(w);
    /* number, true, false, null: up to the next delimiter */
    while (w->pos < w->len && !strchr(",]} \t\r\n", w->s[w->pos])) w->pos++;
    return 0;
}

/* Compares the JSON string at w->pos (not unescaping; our keys are plain) with
 * key[0..klen). Leaves w->pos after the string. */
static int key_equals(Walker *w, const char *key, size_t klen)
{
    size_t start = w->pos + 1;
    if (skip_string(w) != 0) return 0;
    size_t n = w->pos - 1 - start;
    return n == klen && memcmp(w->s + start, key, klen) == 0;
}

/* Moves into the member `key` of the object at w->pos. Returns 0 when found (pos
 * at the value), -1 otherwise (pos unspecified). */
static int enter_key(Walker *w, const char *key, size_t klen)
{
    skip_ws(w);
    if (w->pos >= w->len || w->s[w->pos] != '{') return -1;
    w->pos++;
    for (;;) {
        skip_ws(w);
        if (w->pos >= w->len || w->s[w->pos] == '}') return -1;
        int match = key_equals(w, key, klen);
        skip_ws(w);
        if (w->pos >= w->len || w->s[w->pos] != ':') return -1;
        w->pos++;
        skip_ws(w);
        if (match) return 0;
        if (skip_value(w) != 0) return -1;
        skip_ws(w);
        if (w->pos < w->len && w->s[w->pos] == ',') w->pos++;
        else return -1;
    }
}

static int enter_index(Walker *w, long index)
{
    skip_ws(w);
    if (w->pos >= w->len || w->s[w->pos] != '[') return -1;
    w->pos++;
    for (long i = 0;; i++) {
        skip_ws(w);
        if (w->pos >= w->len || w->s[w->pos] == ']') return -1;
        if (i == index) return 0;
        if (skip_value(w) != 0) return -1;
        skip_ws(w);
        if (w->pos < w->len && w->s[w->pos] == ',') w->pos++;
        else return -1;
    }
}

void jsonloc_find(const char *text, size_t len, const char *path, int *line, int *col)
{
    Walker w = {text, len, 0};
    skip_ws(&w);
    size_t found = w.pos; /* the innermost value reached so far */
    const char *p = path;
    if (p[0] == '$') p++;
    while (*p) {
        if (*p == '.') p++;
        int ok;
        if (*p == '[') {
            char *end;
            long idx = strtol(p + 1, &end, 10);
            if (*end != ']') break;
            ok = enter_index(&w, idx) == 0;
            p = end + 1;
        } else {
            size_t klen = strcspn(p, ".[");
            ok = enter_key(&w, p, klen) == 0;
            p += klen;
        }
        if (!ok) break;
        found = w.pos;
    }
    jsonloc_line_col(text, len, found, line, col);
}

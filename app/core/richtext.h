/* richtext.h - the inline markup of lesson and quiz text.
 *
 *   *emphasis*   **strong**   [text](lesson:ID)   [[E11.9]]   \* \[ \\ escapes
 *
 * rich_parse splits a string into styled spans. Spans point into a caller buffer
 * of unescaped text, so nothing is allocated. Unclosed markers are plain text, so
 * any string parses; rich_check reports what a content author should fix.
 */
#ifndef RICHTEXT_H
#define RICHTEXT_H

#include <stddef.h>

enum {
    RICH_EM = 1,      /* *emphasis* */
    RICH_STRONG = 2,  /* **strong** */
    RICH_LINK = 4,    /* [text](lesson:ID) */
    RICH_CODE = 8     /* [[CODE]] */
};

typedef struct RichSpan {
    int style;            /* RICH_* flags */
    const char *text;     /* into the caller's text buffer; not NUL-terminated */
    size_t len;           /* bytes */
    const char *target;   /* RICH_LINK: lesson id; RICH_CODE: the code; else NULL */
    size_t target_len;
} RichSpan;

typedef struct RichText {
    RichSpan *spans;   /* caller-provided array */
    int count;         /* spans filled */
    int cap;           /* array capacity */
    char *buf;         /* caller-provided buffer for unescaped text and targets */
    size_t buf_len;    /* bytes used */
    size_t buf_cap;    /* capacity; at least strlen(src) * 2 + 2 always suffices */
} RichText;

/* Parses src into rt (which the caller set up with spans/buf). Returns 0, or -1 when
 * spans or buffer ran out (the spans filled so far are valid). */
int rich_parse(const char *src, RichText *rt);

/* Callback for each problem rich_check finds. */
typedef void (*RichProblemFn)(void *user, const char *message);
/* Callback for each reference found: kind is RICH_LINK or RICH_CODE. */
typedef void (*RichRefFn)(void *user, int kind, const char *target, size_t len);

/* Reports unbalanced markers, malformed links and code references. Returns the
 * number of problems. */
int rich_check(const char *src, RichProblemFn on_problem, RichRefFn on_ref, void *user);

/* A code reference is well formed: ICD-10-CM (A00 .. Z99.XXXX with dot after 3
 * chars), ICD-10-PCS (7 alphanumerics), or HCPCS Level II (letter + 4 digits). */
int rich_code_is_well_formed(const char *code, size_t len);

#endif

#include "richtext.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* One scanner serves both rich_parse and rich_check, so what the checker accepts is
 * exactly what the renderer shows. */
typedef struct Scan {
    const char *src;
    RichText *rt;            /* parse output, or NULL when only checking */
    RichProblemFn on_problem;
    RichRefFn on_ref;
    void *user;
    int problems;
    int overflow;            /* parse ran out of room */
    int style;               /* current RICH_EM | RICH_STRONG */
    size_t run_start;        /* rt->buf offset where the current plain run began */
} Scan;

/* Reports "<before><detail[0..n)><after>". */
static void problem(Scan *s, const char *before, const char *detail, size_t n, const char *after)
{
    char msg[256];
    if (n > 80) n = 80;
    snprintf(msg, sizeof msg, "%s%.*s%s", before, (int)n, detail, after);
    s->problems++;
    if (s->on_problem) s->on_problem(s->user, msg);
}

static char *buf_put(Scan *s, const char *p, size_t n)
{
    RichText *rt = s->rt;
    if (rt->buf_len + n + 1 > rt->buf_cap) {
        s->overflow = 1;
        return NULL;
    }
    char *dst = rt->buf + rt->buf_len;
    memcpy(dst, p, n);
    rt->buf_len += n;
    return dst;
}

static void push_span(Scan *s, int style, const char *text, size_t len, const char *target,
                      size_t tlen)
{
    RichText *rt = s->rt;
    if (len == 0) return;
    if (rt->count >= rt->cap) {
        s->overflow = 1;
        return;
    }
    rt->spans[rt->count++] = (RichSpan){style, text, len, target, tlen};
}

/* Ends the plain run accumulated in buf since run_start. */
static void flush_run(Scan *s)
{
    if (!s->rt) return;
    size_t n = s->rt->buf_len - s->run_start;
    if (n) push_span(s, s->style, s->rt->buf + s->run_start, n, NULL, 0);
    s->run_start = s->rt->buf_len;
}

static void emit_char(Scan *s, char c)
{
    if (s->rt) buf_put(s, &c, 1);
}

/* True when an unescaped marker (1 or 2 stars) occurs in p. For a single star the
 * match must not be part of a double star. */
static int has_closer(const char *p, int stars)
{
    for (; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == '*') {
            int run = (p[1] == '*') ? 2 : 1;
            if (run == stars) return 1;
            if (run == 2) p++;
        }
    }
    return 0;
}

int rich_code_is_well_formed(const char *code, size_t len)
{
    if (len == 5 && isupper((unsigned char)code[0])) { /* HCPCS Level II: A1234 */
        for (size_t i = 1; i < 5; i++)
            if (!isdigit((unsigned char)code[i])) goto not_hcpcs;
        return 1;
    }
not_hcpcs:
    if (len == 7 && !memchr(code, '.', len)) { /* ICD-10-PCS: 7 of 0-9, A-H, J-N, P-Z */
        for (size_t i = 0; i < 7; i++) {
            char c = code[i];
            if (!(isdigit((unsigned char)c) || (isupper((unsigned char)c) && c != 'I' && c != 'O')))
                return 0;
        }
        return 1;
    }
    /* ICD-10-CM: letter, digit (or, since FY2026's QA0, a letter), alnum, then
     * optionally '.' and 1-4 alnum */
    if (len < 3 || !isupper((unsigned char)code[0]) || !isalnum((unsigned char)code[1]) ||
        !isalnum((unsigned char)code[2]))
        return 0;
    if (len == 3) return 1;
    if (code[3] != '.' || len < 5 || len > 8) return 0;
    for (size_t i = 4; i < len; i++)
        if (!(isdigit((unsigned char)code[i]) || isupper((unsigned char)code[i]))) return 0;
    return 1;
}

static void scan(Scan *s)
{
    const char *p = s->src;
    while (*p) {
        if (p[0] == '\\' && (p[1] == '*' || p[1] == '[' || p[1] == '\\' || p[1] == ']')) {
            emit_char(s, p[1]);
            p += 2;
            continue;
        }
        if (p[0] == '*') {
            int stars = p[1] == '*' ? 2 : 1;
            int flag = stars == 2 ? RICH_STRONG : RICH_EM;
            if ((s->style & flag) || has_closer(p + stars, stars)) {
                flush_run(s);
                s->style ^= flag;
            } else {
                problem(s, "unclosed ", "**", (size_t)stars, " (escape a literal star as \\*)");
                for (int i = 0; i < stars; i++) emit_char(s, '*');
            }
            p += stars;
            continue;
        }
        if (p[0] == '[' && p[1] == '[') {
            const char *end = strstr(p + 2, "]]");
            if (!end) {
                problem(s, "code reference ", p, strnlen(p, 12), "... has no closing ]]");
                emit_char(s, *p++);
                continue;
            }
            size_t n = (size_t)(end - (p + 2));
            if (!rich_code_is_well_formed(p + 2, n))
                problem(s, "[[", p + 2, n,
                        "]] is not a well-formed ICD-10-CM, ICD-10-PCS or HCPCS code "
                        "(ICD-10-CM codes take their dot, e.g. E11.9)");
            if (s->on_ref) s->on_ref(s->user, RICH_CODE, p + 2, n);
            if (s->rt) {
                flush_run(s);
                char *t = buf_put(s, p + 2, n);
                if (t) push_span(s, s->style | RICH_CODE, t, n, t, n);
                s->run_start = s->rt->buf_len;
            }
            p = end + 2;
            continue;
        }
        if (p[0] == '[') {
            const char *close = strchr(p + 1, ']');
            if (close && close[1] == '(') {
                const char *rparen = strchr(close + 2, ')');
                size_t tlen = (size_t)(close - (p + 1));
                if (rparen && strncmp(close + 2, "lesson:", 7) == 0) {
                    const char *id = close + 9;
                    size_t idlen = (size_t)(rparen - id);
                    if (tlen == 0) problem(s, "link to ", id, idlen, " has no text");
                    if (s->on_ref) s->on_ref(s->user, RICH_LINK, id, idlen);
                    if (s->rt) {
                        flush_run(s);
                        char *t = buf_put(s, p + 1, tlen);
                        char *target = buf_put(s, id, idlen);
                        if (t && target) push_span(s, s->style | RICH_LINK, t, tlen, target, idlen);
                        s->run_start = s->rt->buf_len;
                    }
                    p = rparen + 1;
                    continue;
                }
                if (rparen)
                    problem(s, "link target (", close + 2, (size_t)(rparen - (close + 2)),
                            ") must be lesson:ID");
                else
                    problem(s, "link [", p + 1, tlen, "](... has no closing parenthesis");
            }
        }
        emit_char(s, *p++);
    }
    flush_run(s);
}

int rich_parse(const char *src, RichText *rt)
{
    rt->count = 0;
    rt->buf_len = 0;
    Scan s = {.src = src, .rt = rt};
    scan(&s);
    return s.overflow ? -1 : 0;
}

int rich_check(const char *src, RichProblemFn on_problem, RichRefFn on_ref, void *user)
{
    Scan s = {.src = src, .on_problem = on_problem, .on_ref = on_ref, .user = user};
    scan(&s);
    return s.problems;
}

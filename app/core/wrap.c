#include "wrap.h"

/* A piece is a run of non-space bytes inside one span. */
typedef struct Piece {
    int span;
    const char *text;
    size_t len;
    int space_before;  /* a space separates it from the previous piece */
} Piece;

typedef struct Layout {
    const RichSpan *spans;
    WrapMeasureFn measure;
    void *user;
    int max_width;
    WrapOut *out;
    int x;              /* pen position on the current line */
    int line;
} Layout;

static size_t utf8_char_len(const char *s, size_t remaining)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    return n > remaining ? remaining : n;
}

static void new_line(Layout *L)
{
    if (L->x > L->out->widest) L->out->widest = L->x;
    L->line++;
    L->x = 0;
}

/* True when [a, b) holds nothing but spaces (a newline or tab between two words
 * must not end up inside a drawn run). */
static int only_spaces(const char *a, const char *b)
{
    for (; a < b; a++)
        if (*a != ' ') return 0;
    return 1;
}

/* Appends text at the pen, merging with the previous run when it continues it. */
static void put(Layout *L, int span, const char *text, size_t len, int width, int gap)
{
    WrapOut *o = L->out;
    WrapRun *prev = o->count ? &o->runs[o->count - 1] : NULL;
    if (prev && prev->line == L->line && prev->span == span && prev->text + prev->len <= text &&
        only_spaces(prev->text + prev->len, text)) {
        /* same span, same line: extend over the spaces between, and measure the
         * whole run again: summing rounded word widths drifts by pixels a line */
        prev->len = (size_t)(text + len - prev->text);
        prev->width = L->measure(L->user, prev->style, prev->text, prev->len);
        L->x = prev->x + prev->width;
        return;
    }
    if (o->count >= o->cap) {
        o->truncated = 1;
        return;
    }
    L->x += gap;
    o->runs[o->count++] = (WrapRun){L->spans[span].style, text, len, L->x, width, L->line, span};
    L->x += width;
}

/* Places a word made of pieces[0..n) that must not be split at a space. */
static void place_word(Layout *L, const Piece *pieces, int n)
{
    int widths[64];
    int total = 0;
    /* the word's width decides the line break; a run extended later is measured whole */
    if (n > 64) n = 64;
    for (int i = 0; i < n; i++) {
        widths[i] = L->measure(L->user, L->spans[pieces[i].span].style, pieces[i].text,
                               pieces[i].len);
        total += widths[i];
    }
    int gap = 0;
    if (L->x > 0 && pieces[0].space_before) /* a plain space, never a code chip's */
        gap = L->measure(L->user, L->spans[pieces[0].span].style & ~RICH_CODE, " ", 1);
    if (L->x > 0 && L->x + gap + total > L->max_width) {
        new_line(L);
        gap = 0;
    }
    for (int i = 0; i < n; i++) {
        const Piece *pc = &pieces[i];
        if (widths[i] > L->max_width - L->x - gap && L->x > 0) {
            /* a later part of an over-long word: start it on a fresh line */
            new_line(L);
            gap = 0;
        }
        if (widths[i] <= L->max_width - L->x - gap) {
            put(L, pc->span, pc->text, pc->len, widths[i], gap);
        } else {
            /* Too wide even for an empty line: break between characters. */
            size_t off = 0;
            int style = L->spans[pc->span].style;
            while (off < pc->len) {
                size_t take = 0;
                int w = 0;
                while (off + take < pc->len) {
                    size_t cl = utf8_char_len(pc->text + off + take, pc->len - off - take);
                    int nw = L->measure(L->user, style, pc->text + off, take + cl);
                    if (take > 0 && L->x + gap + nw > L->max_width) break;
                    take += cl;
                    w = nw;
                }
                if (take == 0) break;
                put(L, pc->span, pc->text + off, take, w, gap);
                gap = 0;
                off += take;
                if (off < pc->len) new_line(L);
            }
        }
        gap = 0;
    }
}

void wrap_layout(const RichSpan *spans, int nspans, int max_width, WrapMeasureFn measure,
                 void *user, WrapOut *out)
{
    Layout L = {spans, measure, user, max_width < 1 ? 1 : max_width, out, 0, 0};
    Piece word[64];
    int nword = 0;
    int pending_space = 0;
    int any = 0;
    out->count = 0;
    out->lines = 0;
    out->widest = 0;
    out->truncated = 0;
    for (int si = 0; si < nspans; si++) {
        const char *t = spans[si].text;
        size_t len = spans[si].len, i = 0;
        while (i < len) {
            if (t[i] == ' ' || t[i] == '\n' || t[i] == '\t') {
                pending_space = 1;
                i++;
                continue;
            }
            size_t start = i;
            while (i < len && t[i] != ' ' && t[i] != '\n' && t[i] != '\t') i++;
            if (pending_space && nword) {
                place_word(&L, word, nword);
                nword = 0;
            }
            if (nword < 64)
                word[nword++] = (Piece){si, t + start, i - start, pending_space};
            pending_space = 0;
            any = 1;
        }
    }
    if (nword) place_word(&L, word, nword);
    if (L.x > out->widest) out->widest = L.x;
    out->lines = any ? L.line + 1 : 0;
}

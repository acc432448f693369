#include "quiz.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void quiz_answer_init(QuizAnswer *a, const Item *it, const int *perm)
{
    memset(a, 0, sizeof *a);
    a->choice = -1;
    a->region = -1;
    for (int i = 0; i < ITEM_MAX_OPTIONS; i++) {
        a->match[i] = -1;
        a->order[i] = perm ? perm[i] : i;
    }
    (void)it;
}

int quiz_answer_is_complete(const Item *it, const QuizAnswer *a)
{
    switch (it->type) {
    case ITEM_SINGLE_CHOICE:
    case ITEM_TRUE_FALSE: return a->choice >= 0;
    case ITEM_MULTIPLE_RESPONSE: return a->mask != 0;
    case ITEM_FILL_IN:
    case ITEM_CODE_ENTRY: {
        for (const char *p = a->text; *p; p++)
            if (!isspace((unsigned char)*p)) return 1;
        return 0;
    }
    case ITEM_MATCHING:
        for (int i = 0; i < it->npairs; i++)
            if (a->match[i] < 0) return 0;
        return 1;
    case ITEM_ORDERING: return 1;
    case ITEM_IMAGE_HOTSPOT: return a->clicked;
    default: return 0;
    }
}

void quiz_normalise_text(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    int pending_space = 0;
    if (cap == 0) return;
    /* skip leading spaces and punctuation */
    while (*in && (isspace((unsigned char)*in) || ispunct((unsigned char)*in))) in++;
    for (; *in && n + 1 < cap; in++) {
        unsigned char c = (unsigned char)*in;
        if (isspace(c)) {
            pending_space = 1;
            continue;
        }
        if (pending_space && n > 0 && n + 2 < cap) out[n++] = ' ';
        pending_space = 0;
        out[n++] = (char)tolower(c);
    }
    /* drop trailing punctuation */
    while (n > 0 && (ispunct((unsigned char)out[n - 1]) || out[n - 1] == ' ')) n--;
    out[n] = '\0';
}

int quiz_split_codes(const char *text, char codes[][16], int max)
{
    int count = 0;
    const char *p = text;
    while (*p && count < max) {
        while (*p && (strchr(",; \t\r\n", *p))) p++;
        if (!*p) break;
        size_t n = 0;
        while (*p && !strchr(",; \t\r\n", *p)) {
            if (*p != '.' && n + 1 < 16) codes[count][n++] = (char)toupper((unsigned char)*p);
            p++;
        }
        codes[count][n] = '\0';
        if (n) count++;
    }
    return count;
}

static void strip_code(const char *in, char out[16])
{
    size_t n = 0;
    for (; *in && n + 1 < 16; in++)
        if (*in != '.') out[n++] = (char)toupper((unsigned char)*in);
    out[n] = '\0';
}

static int point_in_region(const Region *r, float x, float y)
{
    if (r->is_circle) {
        float dx = x - r->cx, dy = y - r->cy;
        return dx * dx + dy * dy <= r->r * r->r;
    }
    int inside = 0;
    for (int i = 0, k = r->npoints - 1; i < r->npoints; k = i++)
        if (((r->py[i] > y) != (r->py[k] > y)) &&
            (x < (r->px[k] - r->px[i]) * (y - r->py[i]) / (r->py[k] - r->py[i]) + r->px[i]))
            inside = !inside;
    return inside;
}

int quiz_region_at(const Item *it, float x, float y)
{
    for (int i = 0; i < it->nregions; i++)
        if (point_in_region(&it->regions[i], x, y)) return i;
    return -1;
}

static int grade_codes(const Item *it, const QuizAnswer *a)
{
    char given[QUIZ_CODES_MAX + 1][16];
    /* one more than can be expected, so an extra code is seen and makes it wrong */
    int n = quiz_split_codes(a->text, given, QUIZ_CODES_MAX + 1);
    if (n != it->naccepted) return 0;
    char want[16];
    if (it->ordered) {
        strip_code(it->accepted[0], want);
        if (strcmp(given[0], want) != 0) return 0;
    }
    for (int i = 0; i < it->naccepted; i++) {
        strip_code(it->accepted[i], want);
        int found = 0;
        for (int k = 0; k < n; k++)
            if (strcmp(given[k], want) == 0) found = 1;
        if (!found) return 0;
    }
    /* no repeats: n == naccepted and each expected found means a permutation unless
     * the learner repeated one code and missed another, which the loop rejects */
    return 1;
}

int quiz_grade(const Item *it, const QuizAnswer *a)
{
    switch (it->type) {
    case ITEM_SINGLE_CHOICE:
    case ITEM_TRUE_FALSE: return a->choice == it->answer;
    case ITEM_MULTIPLE_RESPONSE: return a->mask == it->answers_mask;
    case ITEM_FILL_IN: {
        char given[QUIZ_TEXT_MAX], want[QUIZ_TEXT_MAX];
        quiz_normalise_text(a->text, given, sizeof given);
        for (int i = 0; i < it->naccepted; i++) {
            quiz_normalise_text(it->accepted[i], want, sizeof want);
            if (strcmp(given, want) == 0) return 1;
        }
        return 0;
    }
    case ITEM_CODE_ENTRY: return grade_codes(it, a);
    case ITEM_MATCHING:
        for (int i = 0; i < it->npairs; i++)
            if (a->match[i] != i) return 0;
        return 1;
    case ITEM_ORDERING:
        for (int i = 0; i < it->nsequence; i++)
            if (a->order[i] != i) return 0;
        return 1;
    case ITEM_IMAGE_HOTSPOT:
        return a->clicked && quiz_region_at(it, a->x, a->y) == it->answer;
    default: return 0;
    }
}

static void append(char *out, size_t cap, size_t *n, const char *fmt, ...) CP_PRINTF(4, 5);
static void append(char *out, size_t cap, size_t *n, const char *fmt, ...)
{
    if (*n >= cap) return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(out + *n, cap - *n, fmt, ap);
    va_end(ap);
    if (w > 0) *n = (*n + (size_t)w < cap) ? *n + (size_t)w : cap - 1;
}

static void append_json_string(char *out, size_t cap, size_t *n, const char *s)
{
    append(out, cap, n, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') append(out, cap, n, "\\%c", c);
        else if (c < 0x20) append(out, cap, n, "\\u%04x", c);
        else append(out, cap, n, "%c", c);
    }
    append(out, cap, n, "\"");
}

void quiz_answer_describe(const Item *it, const QuizAnswer *a, char *out, size_t cap)
{
    size_t n = 0;
    if (cap == 0) return;
    out[0] = '\0';
    switch (it->type) {
    case ITEM_SINGLE_CHOICE: append(out, cap, &n, "{\"choice\":%d}", a->choice); break;
    case ITEM_TRUE_FALSE:
        append(out, cap, &n, "{\"answer\":%s}", a->choice < 0 ? "null" : a->choice ? "true" : "false");
        break;
    case ITEM_MULTIPLE_RESPONSE:
        append(out, cap, &n, "{\"choices\":[");
        for (int i = 0, first = 1; i < it->noptions; i++)
            if (a->mask & (1u << i)) {
                append(out, cap, &n, "%s%d", first ? "" : ",", i);
                first = 0;
            }
        append(out, cap, &n, "]}");
        break;
    case ITEM_FILL_IN:
    case ITEM_CODE_ENTRY:
        append(out, cap, &n, "{\"text\":");
        append_json_string(out, cap, &n, a->text);
        append(out, cap, &n, "}");
        break;
    case ITEM_MATCHING:
        append(out, cap, &n, "{\"match\":[");
        for (int i = 0; i < it->npairs; i++) append(out, cap, &n, "%s%d", i ? "," : "", a->match[i]);
        append(out, cap, &n, "]}");
        break;
    case ITEM_ORDERING:
        append(out, cap, &n, "{\"order\":[");
        for (int i = 0; i < it->nsequence; i++) append(out, cap, &n, "%s%d", i ? "," : "", a->order[i]);
        append(out, cap, &n, "]}");
        break;
    case ITEM_IMAGE_HOTSPOT: {
        int r = quiz_region_at(it, a->x, a->y);
        append(out, cap, &n, "{\"x\":%.1f,\"y\":%.1f,\"region\":", a->x, a->y);
        if (r >= 0) append_json_string(out, cap, &n, it->regions[r].id);
        else append(out, cap, &n, "null");
        append(out, cap, &n, "}");
        break;
    }
    default: break;
    }
}

void quiz_shuffle(int *perm, int n, uint64_t seed)
{
    uint64_t s = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    for (int i = 0; i < n; i++) perm[i] = i;
    for (int attempt = 0; attempt < 8; attempt++) {
        for (int i = n - 1; i > 0; i--) {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            int j = (int)(s % (uint64_t)(i + 1));
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int identity = 1;
        for (int i = 0; i < n; i++)
            if (perm[i] != i) identity = 0;
        if (!identity || n < 2) return;
    }
    /* rotate by one as a last resort */
    for (int i = 0; i < n; i++) perm[i] = (i + 1) % n;
}

/* codebook_bundled.c - building codes.db's bundled version from content/codes.
 *
 * The files are hashed (names and bytes); the bundled versions are rebuilt only
 * when the hash changes, in one transaction, so a start-up with an unchanged
 * dictionary costs one directory listing and a few reads. A problem in any file
 * fails the build with FILE:LINE:COL: PATH: message and keeps what was there.
 */
#include <cJSON.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codebook_internal.h"
#include "fsutil.h"
#include "jsonloc.h"

#define BUNDLED_LABEL "FY2026"
#define FILE_MAX_BYTES (16u * 1024u * 1024u)

typedef struct Src {
    char rel[256];        /* "icd10cm/ch04-endocrine.json" */
    char *text;
    size_t len;
} Src;

typedef struct B {
    Codebook *cb;
    CpError *err;
    const Src *src;       /* file being read */
    char path[256];       /* JSON path being read */
    int failed;
} B;

static int bfail(B *b, const char *fmt, ...) CP_PRINTF(2, 3);
static int bfail(B *b, const char *fmt, ...)
{
    if (b->failed) return -1;
    b->failed = 1;
    char msg[CP_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = 0, col = 0;
    jsonloc_find(b->src->text, b->src->len, b->path[0] ? b->path : "$", &line, &col);
    cp_error_set(b->err, "content/codes/%s:%d:%d: $%s%s: %s", b->src->rel, line, col, b->path[0] ? "." : "", b->path, msg);
    return -1;
}

static size_t push(B *b, const char *fmt, ...) CP_PRINTF(2, 3);
static size_t push(B *b, const char *fmt, ...)
{
    size_t saved = strlen(b->path);
    va_list ap;
    va_start(ap, fmt);
    char part[128];
    vsnprintf(part, sizeof part, fmt, ap);
    va_end(ap);
    snprintf(b->path + saved, sizeof b->path - saved, "%s%s", (saved && part[0] != '[') ? "." : "", part);
    return saved;
}

static void pop(B *b, size_t saved) { b->path[saved] = '\0'; }

static const char *get_s(B *b, const cJSON *o, const char *key, int required)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!required && cJSON_IsNull(j)) return NULL; /* an optional value may be null */
    if (!j) {
        if (required) {
            size_t s = push(b, "%s", key);
            bfail(b, "missing required field \"%s\" (expected a string)", key);
            pop(b, s);
        }
        return NULL;
    }
    if (!cJSON_IsString(j) || !j->valuestring[0]) {
        size_t s = push(b, "%s", key);
        bfail(b, "expected a non-empty string");
        pop(b, s);
        return NULL;
    }
    return j->valuestring;
}

static void norm_code(const char *in, char out[CODE_MAX])
{
    size_t n = 0;
    for (; *in && n + 1 < CODE_MAX; in++)
        if (*in != '.') out[n++] = *in;
    out[n] = '\0';
}

/* "E11.22": letter, digit or letter, alnum, then '.' and 1-4 alnum; upper case. */
static int cm_code_ok(const char *c)
{
    size_t n = strlen(c);
    if (n < 3 || !isupper((unsigned char)c[0]) || !isalnum((unsigned char)c[1]) || !isalnum((unsigned char)c[2])) return 0;
    if (n == 3) return 1;
    if (c[3] != '.' || n < 5 || n > 8) return 0;
    for (size_t i = 4; i < n; i++)
        if (!isdigit((unsigned char)c[i]) && !isupper((unsigned char)c[i])) return 0;
    return 1;
}

/* ---- code set shared by a system's files (for parents and index checks) ---- */

typedef struct CodeSet {
    char (*codes)[CODE_MAX];
    int n, cap;
} CodeSet;

static int set_add(CodeSet *s, const char *code)
{
    if (s->n == s->cap) {
        int ncap = s->cap ? s->cap * 2 : 1024;
        void *g = realloc(s->codes, (size_t)ncap * CODE_MAX);
        if (!g) return -1;
        s->codes = g;
        s->cap = ncap;
    }
    snprintf(s->codes[s->n++], CODE_MAX, "%s", code);
    return 0;
}

static int cmp_code(const void *a, const void *b) { return strcmp(a, b); }

static int set_has(const CodeSet *s, const char *code)
{
    return s->n && bsearch(code, s->codes, (size_t)s->n, CODE_MAX, cmp_code) != NULL;
}

/* ---- ICD-10-CM ---- */

static const char *const NOTE_JSON_KEYS[NOTE_KIND_COUNT] = {"includes", "inclusion_terms", "excludes1", "excludes2",
                                                             "code_first", "use_additional", "code_also", "notes"};

static int load_notes(B *b, Writer *w, const cJSON *owner, const char *code)
{
    const cJSON *notes = cJSON_GetObjectItemCaseSensitive(owner, "notes");
    if (!notes) return 0;
    size_t s = push(b, "notes");
    if (!cJSON_IsObject(notes)) return bfail(b, "expected an object of note lists");
    for (const cJSON *k = notes->child; k; k = k->next) {
        int kind = -1;
        for (int i = 0; i < NOTE_KIND_COUNT; i++)
            if (!strcmp(k->string, NOTE_JSON_KEYS[i])) kind = i;
        size_t s2 = push(b, "%s", k->string);
        if (kind < 0)
            return bfail(b, "unknown note kind (expected includes, inclusion_terms, excludes1, excludes2, code_first, "
                            "use_additional, code_also or notes)");
        if (!cJSON_IsArray(k)) return bfail(b, "expected an array of note strings");
        int seq = 0;
        for (const cJSON *n = k->child; n; n = n->next, seq++) {
            size_t s3 = push(b, "[%d]", seq);
            if (!cJSON_IsString(n) || !n->valuestring[0]) return bfail(b, "expected a note string");
            if (writer_note(w, code, (NoteKind)kind, seq, n->valuestring, b->err) != 0) return bfail(b, "%s", b->err->msg);
            pop(b, s3);
        }
        pop(b, s2);
    }
    pop(b, s);
    return 0;
}

/* Loads index terms under parent; index codes are checked after all files. */
static int load_terms(B *b, Writer *w, const cJSON *arr, int64_t parent, int level, int kind, const char *up)
{
    if (!arr) return 0;
    if (!cJSON_IsArray(arr)) return bfail(b, "expected an array of index terms");
    int i = 0;
    for (const cJSON *t = arr->child; t; t = t->next, i++) {
        size_t s = push(b, "[%d]", i);
        if (!cJSON_IsObject(t)) return bfail(b, "expected an index term object");
        for (const cJSON *k = t->child; k; k = k->next) {
            static const char *const ok[] = {"term", "nemod", "code", "manif", "see", "see_also", "sub"};
            int known = 0;
            for (size_t m = 0; m < sizeof ok / sizeof ok[0]; m++)
                if (!strcmp(k->string, ok[m])) known = 1;
            if (!known) {
                push(b, "%s", k->string);
                return bfail(b, "unknown field (expected term, nemod, code, manif, see, see_also or sub)");
            }
        }
        const char *term = get_s(b, t, "term", 1);
        const char *code = get_s(b, t, "code", 0);
        const char *manif = get_s(b, t, "manif", 0);
        if (b->failed) return -1;
        for (const char *c = code; c; c = c == code ? manif : NULL) {
            if (!c) continue;
            char tmp[CODE_MAX];
            snprintf(tmp, sizeof tmp, "%s", c);
            size_t n = strlen(tmp);
            if (n > 0 && tmp[n - 1] == '-') tmp[--n] = '\0';
            if (n > 0 && tmp[n - 1] == '.') tmp[--n] = '\0';
            if (!cm_code_ok(tmp)) {
                push(b, "%s", c == code ? "code" : "manif");
                return bfail(b, "\"%s\" is not an ICD-10-CM code (with its dot; an incomplete code ends in -)", c);
            }
        }
        char path[2048];
        snprintf(path, sizeof path, "%s%s%s", up, up[0] ? ", " : "", term);
        int64_t id = writer_term(w, parent, kind, level, term, get_s(b, t, "nemod", 0), code, manif, get_s(b, t, "see", 0),
                                 get_s(b, t, "see_also", 0), path, b->err);
        if (id < 0) return bfail(b, "%s", b->err->msg);
        const cJSON *sub = cJSON_GetObjectItemCaseSensitive(t, "sub");
        if (sub) {
            size_t s2 = push(b, "sub");
            if (load_terms(b, w, sub, id, level + 1, kind, path) != 0) return -1;
            pop(b, s2);
        }
        pop(b, s);
    }
    return 0;
}

/* First pass over a CM file: every code, for parents. */
static int collect_cm(B *b, const cJSON *root, CodeSet *set)
{
    const cJSON *codes = cJSON_GetObjectItemCaseSensitive(root, "codes");
    int i = 0;
    for (const cJSON *c = codes ? codes->child : NULL; c; c = c->next, i++) {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(c, "code");
        if (!cJSON_IsString(code)) continue;
        char n[CODE_MAX];
        norm_code(code->valuestring, n);
        if (set_add(set, n) != 0) return bfail(b, "out of memory");
    }
    return 0;
}

static int load_cm(B *b, Writer *w, const cJSON *root, const CodeSet *all)
{
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(root, "chapter");
    size_t s = push(b, "chapter");
    if (!cJSON_IsObject(ch)) return bfail(b, "missing the chapter object");
    const cJSON *num = cJSON_GetObjectItemCaseSensitive(ch, "number");
    if (!cJSON_IsNumber(num) || num->valueint < 1 || num->valueint > 22) {
        push(b, "number");
        return bfail(b, "expected the chapter number, 1 to 22");
    }
    char chap[8];
    snprintf(chap, sizeof chap, "%d", num->valueint);
    const char *ctitle = get_s(b, ch, "title", 1);
    if (b->failed) return -1;
    if (writer_code(w, chap, KIND_CHAPTER, 0, "", "", ctitle, b->err) != 0) return bfail(b, "%s", b->err->msg);
    if (load_notes(b, w, ch, chap) != 0) return -1;
    pop(b, s);

    /* sections: [first, last] ranges for placing categories */
    const cJSON *secs = cJSON_GetObjectItemCaseSensitive(root, "sections");
    char ranges[128][16];
    int nranges = 0, i = 0;
    s = push(b, "sections");
    if (secs && !cJSON_IsArray(secs)) return bfail(b, "expected an array of sections");
    for (const cJSON *sec = secs ? secs->child : NULL; sec; sec = sec->next, i++) {
        size_t s2 = push(b, "[%d]", i);
        const char *range = get_s(b, sec, "range", 1);
        const char *title = get_s(b, sec, "title", 1);
        if (b->failed) return -1;
        if (strlen(range) != 7 || range[3] != '-') {
            push(b, "range");
            return bfail(b, "\"%s\" is not a section range such as E08-E13", range);
        }
        if (writer_code(w, range, KIND_SECTION, 0, chap, "", title, b->err) != 0) return bfail(b, "%s", b->err->msg);
        if (load_notes(b, w, sec, range) != 0) return -1;
        if (nranges < 128) snprintf(ranges[nranges++], 16, "%s", range);
        pop(b, s2);
    }
    pop(b, s);

    const cJSON *codes = cJSON_GetObjectItemCaseSensitive(root, "codes");
    char last_section[16] = "";
    s = push(b, "codes");
    if (!cJSON_IsArray(codes) || !codes->child) return bfail(b, "expected a non-empty array of codes");
    i = 0;
    for (const cJSON *c = codes->child; c; c = c->next, i++) {
        size_t s2 = push(b, "[%d]", i);
        if (!cJSON_IsObject(c)) return bfail(b, "expected a code object");
        for (const cJSON *k = c->child; k; k = k->next) {
            static const char *const ok[] = {"code", "short", "title", "billable", "notes", "seven_chr"};
            int known = 0;
            for (size_t m = 0; m < sizeof ok / sizeof ok[0]; m++)
                if (!strcmp(k->string, ok[m])) known = 1;
            if (!known) {
                push(b, "%s", k->string);
                return bfail(b, "unknown field (expected code, short, title, billable, notes or seven_chr)");
            }
        }
        const char *code = get_s(b, c, "code", 1);
        const char *shrt = get_s(b, c, "short", 1);
        const char *title = get_s(b, c, "title", 1);
        if (b->failed) return -1;
        if (!cm_code_ok(code)) {
            push(b, "code");
            return bfail(b, "\"%s\" is not an ICD-10-CM code as the Tabular prints it (upper case, dot after the third "
                            "character)", code);
        }
        const cJSON *bill = cJSON_GetObjectItemCaseSensitive(c, "billable");
        if (!cJSON_IsBool(bill)) {
            push(b, "billable");
            return bfail(b, "expected true or false (the order file's flag)");
        }
        char n[CODE_MAX], parent[CODE_MAX] = "";
        norm_code(code, n);
        size_t len = strlen(n);
        if (len == 3) {
            /* the narrowest section whose range holds the category; categories with a
             * letter in third place (M1A, C4A) sort oddly as text, but the codes are in
             * Tabular order, so they take the section of the category before them */
            int best = -1;
            for (int r = 0; r < nranges; r++)
                if (strncmp(n, ranges[r], 3) >= 0 && strncmp(n, ranges[r] + 4, 3) <= 0 &&
                    (best < 0 || strcmp(ranges[r] + 4, ranges[best] + 4) <= 0))
                    best = r;
            if (best >= 0 && isalpha((unsigned char)n[2]) && last_section[0]) snprintf(parent, sizeof parent, "%s", last_section);
            else if (best >= 0) snprintf(parent, sizeof parent, "%s", ranges[best]);
            else if (last_section[0]) snprintf(parent, sizeof parent, "%s", last_section);
            else snprintf(parent, sizeof parent, "%s", chap);
            if (parent[0] && strchr(parent, '-')) snprintf(last_section, sizeof last_section, "%s", parent);
        } else {
            /* every ancestor is listed; an X placeholder is not a code of its own */
            for (size_t l = 3; l < len; l++) {
                char pre[CODE_MAX];
                memcpy(pre, n, l);
                pre[l] = '\0';
                if (set_has(all, pre)) snprintf(parent, sizeof parent, "%s", pre);
                else if (pre[l - 1] != 'X') {
                    char shown[CODE_MAX];
                    codebook_display(SYS_ICD10CM, pre, shown);
                    push(b, "code");
                    return bfail(b, "%s needs its ancestor %s in the file too", code, shown);
                }
            }
        }
        CodeKind kind = len == 3 ? KIND_CATEGORY : cJSON_IsTrue(bill) ? KIND_CODE : KIND_SUBCATEGORY;
        if (writer_code(w, n, kind, cJSON_IsTrue(bill), parent, shrt, title, b->err) != 0)
            return bfail(b, "%s (listed twice?)", b->err->msg);
        if (load_notes(b, w, c, n) != 0) return -1;
        const cJSON *seven = cJSON_GetObjectItemCaseSensitive(c, "seven_chr");
        if (seven) {
            size_t s3 = push(b, "seven_chr");
            if (!cJSON_IsObject(seven)) return bfail(b, "expected an object of 7th characters");
            for (const cJSON *k = seven->child; k; k = k->next) {
                if (strlen(k->string) != 1 || !isalnum((unsigned char)k->string[0]) || !cJSON_IsString(k)) {
                    push(b, "%s", k->string);
                    return bfail(b, "expected one character (A, D, S, ...) mapped to its meaning");
                }
                if (writer_seven(w, n, k->string[0], k->valuestring, b->err) != 0) return bfail(b, "%s", b->err->msg);
            }
            pop(b, s3);
        }
        pop(b, s2);
    }
    pop(b, s);
    s = push(b, "index");
    if (load_terms(b, w, cJSON_GetObjectItemCaseSensitive(root, "index"), 0, 0, 0, "") != 0) return -1;
    pop(b, s);
    return 0;
}

/* ---- ICD-10-PCS ---- */

static int axis_pair(B *b, const cJSON *j, char *value, const char **label)
{
    if (!cJSON_IsArray(j) || cJSON_GetArraySize(j) < 2 || !cJSON_IsString(j->child) || strlen(j->child->valuestring) != 1 ||
        !cJSON_IsString(j->child->next))
        return bfail(b, "expected [\"character\", \"label\"]");
    *value = j->child->valuestring[0];
    *label = j->child->next->valuestring;
    return 0;
}

static int load_pcs(B *b, Writer *w, const cJSON *root)
{
    const cJSON *tables = cJSON_GetObjectItemCaseSensitive(root, "tables");
    size_t s = push(b, "tables");
    if (!cJSON_IsArray(tables)) return bfail(b, "expected an array of tables");
    int ti = 0;
    for (const cJSON *t = tables->child; t; t = t->next, ti++) {
        size_t s2 = push(b, "[%d]", ti);
        const char *table = get_s(b, t, "table", 1);
        if (b->failed) return -1;
        if (strlen(table) != 3) return bfail(b, "table \"%s\" is not 3 characters", table);
        static const char *const axes[3] = {"section", "body_system", "operation"};
        char title[512] = "";
        for (int pos = 1; pos <= 3; pos++) {
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(t, axes[pos - 1]);
            size_t s3 = push(b, "%s", axes[pos - 1]);
            char v;
            const char *label;
            if (axis_pair(b, a, &v, &label) != 0) return -1;
            if (v != table[pos - 1]) return bfail(b, "'%c' is not character %d of table %s", v, pos, table);
            const char *def = pos == 3 && cJSON_GetArraySize(a) > 2 && cJSON_IsString(a->child->next->next)
                                  ? a->child->next->next->valuestring : NULL;
            if (writer_pcs_axis(w, table, 0, pos, v, label, def, b->err) != 0) return bfail(b, "%s", b->err->msg);
            size_t n = strlen(title);
            snprintf(title + n, sizeof title - n, "%s%s", n ? ", " : "", label);
            pop(b, s3);
        }
        /* the table is a header of the PCS hierarchy: "Medical and Surgical, Gastrointestinal System, Resection" */
        if (writer_code(w, table, KIND_TABLE, 0, "", "", title, b->err) != 0) return bfail(b, "%s (table listed twice?)", b->err->msg);
        const cJSON *rows = cJSON_GetObjectItemCaseSensitive(t, "rows");
        size_t s3 = push(b, "rows");
        if (!cJSON_IsArray(rows) || !rows->child) return bfail(b, "expected a non-empty array of rows");
        int ri = 0;
        for (const cJSON *r = rows->child; r; r = r->next, ri++) {
            size_t s4 = push(b, "[%d]", ri);
            static const char *const row_axes[4] = {"body_part", "approach", "device", "qualifier"};
            for (int pos = 4; pos <= 7; pos++) {
                const cJSON *vals = cJSON_GetObjectItemCaseSensitive(r, row_axes[pos - 4]);
                size_t s5 = push(b, "%s", row_axes[pos - 4]);
                if (!cJSON_IsArray(vals) || !vals->child) return bfail(b, "expected a non-empty array of [\"character\", \"label\"]");
                int vi = 0;
                for (const cJSON *v = vals->child; v; v = v->next, vi++) {
                    size_t s6 = push(b, "[%d]", vi);
                    char c;
                    const char *label;
                    if (axis_pair(b, v, &c, &label) != 0) return -1;
                    if (writer_pcs_axis(w, table, ri + 1, pos, c, label, NULL, b->err) != 0) return bfail(b, "%s", b->err->msg);
                    pop(b, s6);
                }
                pop(b, s5);
            }
            pop(b, s4);
        }
        pop(b, s3);
        pop(b, s2);
    }
    pop(b, s);
    const cJSON *codes = cJSON_GetObjectItemCaseSensitive(root, "codes");
    s = push(b, "codes");
    if (!cJSON_IsArray(codes)) return bfail(b, "expected an array of codes");
    sqlite3_stmt *built = NULL;
    /* a code is built by a row of its table when each of characters 4-7 is one of that
     * row's values on that axis */
    if (cb_prepare(w->cb, "SELECT 1 FROM pcs_axes r WHERE r.version_id = ?1 AND r.tbl = ?2 AND r.row > 0 "
                          "GROUP BY r.row HAVING sum((r.pos = 4 AND r.value = ?3) + (r.pos = 5 AND r.value = ?4) + "
                          "(r.pos = 6 AND r.value = ?5) + (r.pos = 7 AND r.value = ?6)) = 4 LIMIT 1", &built, b->err) != 0)
        return bfail(b, "%s", b->err->msg);
    int ci = 0, rc = 0;
    for (const cJSON *c = codes->child; c && rc == 0; c = c->next, ci++) {
        size_t s2 = push(b, "[%d]", ci);
        const char *code = get_s(b, c, "code", 1);
        const char *shrt = get_s(b, c, "short", 1);
        const char *title = get_s(b, c, "title", 1);
        if (b->failed) {
            rc = -1;
            break;
        }
        if (strlen(code) != 7) {
            rc = bfail(b, "\"%s\" is not a 7-character ICD-10-PCS code", code);
            break;
        }
        char table[4] = {code[0], code[1], code[2], '\0'}, v[4][2] = {{code[3], 0}, {code[4], 0}, {code[5], 0}, {code[6], 0}};
        sqlite3_bind_int64(built, 1, w->version);
        sqlite3_bind_text(built, 2, table, -1, SQLITE_TRANSIENT);
        for (int k = 0; k < 4; k++) sqlite3_bind_text(built, 3 + k, v[k], -1, SQLITE_TRANSIENT);
        int ok = sqlite3_step(built) == SQLITE_ROW;
        sqlite3_reset(built);
        if (!ok) {
            rc = bfail(b, "%s is not built by any row of table %s in this file", code, table);
            break;
        }
        if (writer_code(w, code, KIND_CODE, 1, table, shrt, title, b->err) != 0) {
            rc = bfail(b, "%s (listed twice?)", b->err->msg);
            break;
        }
        pop(b, s2);
    }
    sqlite3_finalize(built);
    if (rc == 0) pop(b, s);
    return rc;
}

/* ---- HCPCS ---- */

static int date_ok(const char *d) { return !d || (strlen(d) == 10 && d[4] == '-' && d[7] == '-'); }

static int load_hcpcs(B *b, Writer *w, const cJSON *root, int64_t now)
{
    char today[16];
    time_t t = (time_t)now;
    struct tm tmv;
    gmtime_r(&t, &tmv);
    strftime(today, sizeof today, "%Y-%m-%d", &tmv);
    static const char *const lists[2] = {"codes", "modifiers"};
    for (int l = 0; l < 2; l++) {
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, lists[l]);
        size_t s = push(b, "%s", lists[l]);
        if (!cJSON_IsArray(arr)) return bfail(b, "expected an array");
        int i = 0;
        for (const cJSON *c = arr->child; c; c = c->next, i++) {
            size_t s2 = push(b, "[%d]", i);
            const char *code = get_s(b, c, "code", 1);
            const char *shrt = get_s(b, c, "short", 1);
            const char *title = get_s(b, c, "title", 1);
            const char *added = get_s(b, c, "added", 0), *eff = get_s(b, c, "effective", 0), *term = get_s(b, c, "terminated", 0);
            if (b->failed) return -1;
            size_t n = strlen(code);
            if ((l == 0 && (n != 5 || !isupper((unsigned char)code[0]))) || (l == 1 && n != 2))
                return bfail(b, "\"%s\" is not a HCPCS Level II %s", code, l ? "modifier (2 characters)" : "code (letter and 4 digits)");
            if (!date_ok(added) || !date_ok(eff) || !date_ok(term)) return bfail(b, "dates are YYYY-MM-DD or null");
            int billable = !term || strcmp(term, today) >= 0;
            if (writer_code(w, code, l ? KIND_MODIFIER : KIND_CODE, billable, "", shrt, title, b->err) != 0 ||
                writer_dates(w, code, added, eff, term, b->err) != 0)
                return bfail(b, "%s (listed twice?)", b->err->msg);
            pop(b, s2);
        }
        pop(b, s);
    }
    return 0;
}

/* ------------------------------------------------------------------ sync */

static const char *const SUBDIRS[SYS_COUNT] = {"icd10cm", "icd10pcs", "hcpcs"};

static void free_srcs(Src *srcs, int n)
{
    for (int i = 0; i < n; i++) free(srcs[i].text);
    free(srcs);
}

/* Reads every file of a system; returns the count or -1. */
static int read_system(const char *dir, int sys, Src **out, uint64_t *hash, CpError *err)
{
    char sub[1024];
    *out = NULL;
    if (fs_join(sub, sizeof sub, dir, SUBDIRS[sys]) != 0) return 0;
    char **names = NULL;
    int n = fs_list_files(sub, ".json", &names, err);
    if (n <= 0) return n;
    Src *srcs = calloc((size_t)n, sizeof *srcs);
    if (!srcs) {
        fs_free_list(names, n);
        cp_error_set(err, "out of memory");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char full[2048];
        snprintf(srcs[i].rel, sizeof srcs[i].rel, "%s/%s", SUBDIRS[sys], names[i]);
        if (fs_join(full, sizeof full, sub, names[i]) != 0 ||
            !(srcs[i].text = fs_read_file(full, FILE_MAX_BYTES, &srcs[i].len, err))) {
            fs_free_list(names, n);
            free_srcs(srcs, n);
            return -1;
        }
        for (const char *p = srcs[i].rel; *p; p++) *hash = (*hash ^ (unsigned char)*p) * 1099511628211ULL;
        for (size_t k = 0; k < srcs[i].len; k++) *hash = (*hash ^ (unsigned char)srcs[i].text[k]) * 1099511628211ULL;
    }
    fs_free_list(names, n);
    *out = srcs;
    return n;
}

static int bundled_hash_matches(Codebook *cb, int sys, const char *hash)
{
    sqlite3_stmt *st = NULL;
    int same = 0;
    if (sqlite3_prepare_v2(cb->db, "SELECT content_hash FROM versions WHERE system = ?1 AND source = 'bundled'", -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, codebook_system_slug((CodeSystem)sys), -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) same = strcmp((const char *)sqlite3_column_text(st, 0), hash) == 0;
    sqlite3_finalize(st);
    return same;
}

static int official_active(Codebook *cb, int sys)
{
    sqlite3_stmt *st = NULL;
    int yes = 0;
    if (sqlite3_prepare_v2(cb->db, "SELECT 1 FROM versions WHERE system = ?1 AND active = 1 AND source <> 'bundled'", -1, &st,
                           NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, codebook_system_slug((CodeSystem)sys), -1, SQLITE_STATIC);
    yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return yes;
}

static int build_system(Codebook *cb, int sys, Src *srcs, int n, const char *hash, int64_t now, CpError *err)
{
    Writer w;
    char files[512];
    snprintf(files, sizeof files, "content/codes/%s (%d file%s)", SUBDIRS[sys], n, n == 1 ? "" : "s");
    int activate = !official_active(cb, sys);
    if (writer_begin(cb, &w, (CodeSystem)sys, BUNDLED_LABEL, "bundled", "", files, now, err) != 0) {
        writer_free(&w);
        return -1;
    }
    int rc = -1;
    CodeSet all = {0};
    cJSON **roots = calloc((size_t)n, sizeof *roots);
    B b = {cb, err, NULL, "", 0};
    if (!roots) goto done;
    for (int i = 0; i < n; i++) {
        b.src = &srcs[i];
        b.path[0] = '\0';
        roots[i] = cJSON_ParseWithLength(srcs[i].text, srcs[i].len);
        if (!roots[i]) {
            const char *at = cJSON_GetErrorPtr();
            int line, col;
            size_t off = at && at >= srcs[i].text && at <= srcs[i].text + srcs[i].len ? (size_t)(at - srcs[i].text) : 0;
            jsonloc_line_col(srcs[i].text, srcs[i].len, off, &line, &col);
            cp_error_set(err, "content/codes/%s:%d:%d: $: invalid JSON", srcs[i].rel, line, col);
            goto done;
        }
        const cJSON *sv = cJSON_GetObjectItemCaseSensitive(roots[i], "schema_version");
        const cJSON *sy = cJSON_GetObjectItemCaseSensitive(roots[i], "system");
        const cJSON *ve = cJSON_GetObjectItemCaseSensitive(roots[i], "version");
        if (!cJSON_IsNumber(sv) || sv->valueint != 1) {
            snprintf(b.path, sizeof b.path, "schema_version");
            bfail(&b, "expected schema_version 1");
            goto done;
        }
        if (!cJSON_IsString(sy) || strcmp(sy->valuestring, SUBDIRS[sys])) {
            snprintf(b.path, sizeof b.path, "system");
            bfail(&b, "expected \"%s\", the folder the file is in", SUBDIRS[sys]);
            goto done;
        }
        if (!cJSON_IsString(ve) || strcmp(ve->valuestring, BUNDLED_LABEL)) {
            snprintf(b.path, sizeof b.path, "version");
            bfail(&b, "expected \"%s\"", BUNDLED_LABEL);
            goto done;
        }
        if (sys == SYS_ICD10CM && collect_cm(&b, roots[i], &all) != 0) goto done;
    }
    if (all.n > 1) qsort(all.codes, (size_t)all.n, CODE_MAX, cmp_code);
    for (int i = 0; i < n; i++) {
        b.src = &srcs[i];
        b.path[0] = '\0';
        int r = sys == SYS_ICD10CM ? load_cm(&b, &w, roots[i], &all)
              : sys == SYS_ICD10PCS ? load_pcs(&b, &w, roots[i]) : load_hcpcs(&b, &w, roots[i], now);
        if (r != 0) goto done;
    }
    if (writer_finish(&w, activate, err) != 0) goto done;
    sqlite3_stmt *st = NULL;
    if (cb_prepare(cb, "UPDATE versions SET content_hash = ?2 WHERE id = ?1", &st, err) != 0) goto done;
    sqlite3_bind_int64(st, 1, w.version);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    int ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    if (!ok) {
        cp_error_set(err, "%s: %s", cb->path, sqlite3_errmsg(cb->db));
        goto done;
    }
    rc = 0;
done:
    for (int i = 0; roots && i < n; i++) cJSON_Delete(roots[i]);
    free(roots);
    free(all.codes);
    writer_free(&w);
    return rc;
}

int codebook_sync_bundled(Codebook *cb, const char *dir, int64_t now, int *rebuilt, CpError *err)
{
    *rebuilt = 0;
    Src *srcs[SYS_COUNT] = {0};
    int counts[SYS_COUNT] = {0};
    char hashes[SYS_COUNT][17];
    int rc = -1, need = 0;
    for (int s = 0; s < SYS_COUNT; s++) {
        uint64_t h = 1469598103934665603ULL;
        counts[s] = read_system(dir, s, &srcs[s], &h, err);
        if (counts[s] < 0) goto done;
        snprintf(hashes[s], sizeof hashes[s], "%016llx", (unsigned long long)h);
        if (counts[s] > 0 && !bundled_hash_matches(cb, s, hashes[s])) need = 1;
    }
    if (!need) {
        rc = 0;
        goto done;
    }
    if (cb_begin(cb, err) != 0) goto done;
    for (int s = 0; s < SYS_COUNT; s++) {
        if (counts[s] == 0 || bundled_hash_matches(cb, s, hashes[s])) continue;
        if (build_system(cb, s, srcs[s], counts[s], hashes[s], now, err) != 0) {
            cb_rollback(cb);
            goto done;
        }
    }
    if (cb_commit(cb, err) != 0) {
        cb_rollback(cb);
        goto done;
    }
    *rebuilt = 1;
    rc = 0;
done:
    for (int s = 0; s < SYS_COUNT; s++)
        if (counts[s] > 0) free_srcs(srcs[s], counts[s]);
    return rc;
}

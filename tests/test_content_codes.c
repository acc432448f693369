/* test_content_codes.c - every code the shipped content names exists in the official
 * CMS/CDC release files (shared/data, see its README.md).
 *
 * Reference files (read once, in the group setup, through `xz -dc`):
 *   ICD-10-CM  icd10cm/icd10cm_order_2026.txt.xz   fixed width: code (no dot) in
 *              columns 7-13, flag in column 15 (1 billable, 0 header)
 *   ICD-10-PCS icd10pcs/icd10pcs_order_2026.txt.xz same layout (1 valid code, 0 table)
 *   HCPCS II   hcpcs/hcpcs_2025_oct_anweb.tsv.xz   tab-separated with a header line;
 *              HCPC first (modifiers right-justified, "   GA"), TERM DT found by name
 *
 * A missing file or a missing xz program skips the tests (with the reason on
 * stdout); CI has the data. A failing check lists every offending code with the
 * file that names it, then fails once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "content.h"

#include "testutil.h"

#define PATH_CAP 1024
#define REASON_CAP 1024
#define KEY_CAP 8          /* longest key is 7 characters (ICD-10-CM/PCS) */
#define HCPCS_CUTOFF 20260101L /* a HCPCS code terminated before this date is not valid */

#define CM_FILE "icd10cm/icd10cm_order_2026.txt.xz"
#define PCS_FILE "icd10pcs/icd10pcs_order_2026.txt.xz"
#define HCPCS_FILE "hcpcs/hcpcs_2025_oct_anweb.tsv.xz"

/* ---- a hash set of codes (open addressing, linear probing) ---- */

typedef struct Entry {
    char key[KEY_CAP];  /* NUL-terminated; "" marks a free slot */
    int flag;           /* order files: 1 billable/valid, 0 header; HCPCS: RECID */
    long term;          /* HCPCS TERM DT as YYYYMMDD, 0 when none */
} Entry;

typedef struct CodeSet {
    Entry *slots;
    size_t cap;         /* a power of two */
    size_t count;       /* distinct keys */
    /* what the reader saw */
    size_t lines;       /* data lines (not the TSV header) */
    size_t flagged;     /* order files: lines with flag 1; HCPCS: code records (RECID 3) */
    size_t modifiers;   /* HCPCS: modifier records (RECID 7) */
    size_t terminated;  /* HCPCS: records with a TERM DT */
    size_t malformed;   /* lines that do not fit the layout */
} CodeSet;

static uint32_t key_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static Entry *set_slot(Entry *slots, size_t cap, const char *key)
{
    size_t i = key_hash(key) & (cap - 1);
    while (slots[i].key[0] && strcmp(slots[i].key, key) != 0) i = (i + 1) & (cap - 1);
    return &slots[i];
}

static const Entry *set_find(const CodeSet *s, const char *key)
{
    if (!s->slots || !key[0] || strlen(key) >= KEY_CAP) return NULL;
    const Entry *e = set_slot(s->slots, s->cap, key);
    return e->key[0] ? e : NULL;
}

/* Adds key (or returns the entry already there); NULL when out of memory or key too long. */
static Entry *set_add(CodeSet *s, const char *key, int *added)
{
    size_t len = strlen(key);
    *added = 0;
    if (len == 0 || len >= KEY_CAP) return NULL;
    if ((s->count + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 1u << 17;
        Entry *n = calloc(ncap, sizeof *n);
        if (!n) return NULL;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i].key[0]) *set_slot(n, ncap, s->slots[i].key) = s->slots[i];
        free(s->slots);
        s->slots = n;
        s->cap = ncap;
    }
    Entry *e = set_slot(s->slots, s->cap, key);
    if (!e->key[0]) {
        memcpy(e->key, key, len + 1);
        s->count++;
        *added = 1;
    }
    return e;
}

static void set_free(CodeSet *s)
{
    free(s->slots);
    memset(s, 0, sizeof *s);
}

/* ---- reading the release files ---- */

typedef struct Data {
    CodeSet cm, pcs, hcpcs;
    char skip_reason[REASON_CAP];  /* non-empty: data or xz absent, skip */
    char load_error[REASON_CAP];   /* non-empty: data present but unreadable, fail */
    Content *content;
    CpError content_err;
} Data;

static void strip_eol(char *line, ssize_t *len)
{
    while (*len > 0 && (line[*len - 1] == '\n' || line[*len - 1] == '\r')) line[--*len] = '\0';
}



typedef void (*LineFn)(CodeSet *set, char *line, size_t len, void *ctx);

/* Streams `xz -dc path` line by line (CR/LF stripped) into fn. 0 on success; else
 * writes the reason into err. */
static int read_xz(const char *path, CodeSet *set, LineFn fn, void *ctx, char *err, size_t cap)
{
    char quoted[PATH_CAP * 4 + 8];
    char cmd[sizeof quoted + 16];
    if (testutil_shell_quote(quoted, sizeof quoted, path) != 0) {
        snprintf(err, cap, "path too long: %s", path);
        return -1;
    }
    snprintf(cmd, sizeof cmd, "xz -dc %s", quoted);
    FILE *f = popen(cmd, "r");
    if (!f) {
        snprintf(err, cap, "could not run \"%s\"", cmd);
        return -1;
    }
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) >= 0) {
        strip_eol(line, &len);
        fn(set, line, (size_t)len, ctx);
    }
    free(line);
    int status = pclose(f);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, cap, "\"%s\" failed (status %d)", cmd, status);
        return -1;
    }
    return 0;
}

/* Order file line: "00002 A000    1 Short title...". */
static void order_line(CodeSet *set, char *line, size_t len, void *ctx)
{
    (void)ctx;
    char key[KEY_CAP];
    size_t n = 0;
    int added;
    if (len == 0) return;
    set->lines++;
    if (len < 15 || line[5] != ' ' || line[13] != ' ' || (line[14] != '0' && line[14] != '1')) {
        set->malformed++;
        return;
    }
    for (size_t i = 6; i < 13 && line[i] != ' '; i++) key[n++] = line[i];
    key[n] = '\0';
    Entry *e = set_add(set, key, &added);
    if (!e || !added) { /* empty, duplicate or out of memory */
        set->malformed++;
        return;
    }
    e->flag = line[14] - '0';
    if (e->flag) set->flagged++;
}

typedef struct TsvCols {
    int header_seen;
    int hcpc, recid, term; /* column indexes, -1 when absent */
} TsvCols;

/* Field number idx of a tab-separated line, into out (truncated). */
static void tsv_field(const char *line, int idx, char *out, size_t cap)
{
    const char *p = line;
    for (int i = 0; i < idx && p; i++) {
        p = strchr(p, '\t');
        if (p) p++;
    }
    out[0] = '\0';
    if (!p || idx < 0) return;
    size_t n = strcspn(p, "\t");
    if (n >= cap) n = cap - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

static void trim(char *s)
{
    size_t a = 0, n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
    while (s[a] && isspace((unsigned char)s[a])) a++;
    memmove(s, s + a, n - a + 1);
}

static void hcpcs_line(CodeSet *set, char *line, size_t len, void *ctx)
{
    TsvCols *cols = ctx;
    char field[64];
    int added;
    if (!cols->header_seen) {
        cols->header_seen = 1;
        int i = 0;
        for (const char *p = line; p; i++) {
            size_t n = strcspn(p, "\t");
            if (n == 4 && strncmp(p, "HCPC", n) == 0) cols->hcpc = i;
            if (n == 5 && strncmp(p, "RECID", n) == 0) cols->recid = i;
            if (n == 7 && strncmp(p, "TERM DT", n) == 0) cols->term = i;
            p = p[n] ? p + n + 1 : NULL;
        }
        return;
    }
    if (len == 0) return;
    set->lines++;
    if (cols->hcpc < 0) {
        set->malformed++;
        return;
    }
    tsv_field(line, cols->hcpc, field, sizeof field);
    trim(field);
    Entry *e = set_add(set, field, &added);
    if (!e) {
        set->malformed++;
        return;
    }
    if (cols->recid >= 0) {
        tsv_field(line, cols->recid, field, sizeof field);
        int recid = atoi(field);
        if (added) e->flag = recid;
        if (recid == 3) set->flagged++;
        if (recid == 7) set->modifiers++;
    }
    if (cols->term >= 0) {
        tsv_field(line, cols->term, field, sizeof field);
        trim(field);
        if (field[0]) {
            long t = strtol(field, NULL, 10);
            set->terminated++;
            if (t > 0 && (e->term == 0 || t < e->term)) e->term = t;
        }
    }
}

/* Loads one file into set; records why not in d (skip or error). 0 on success. */
static int load_file(Data *d, const char *rel, CodeSet *set, LineFn fn, void *ctx)
{
    char path[PATH_CAP];
    char why[REASON_CAP];
    snprintf(path, sizeof path, "%s/%s", SHARED_DATA_DIR, rel);
    if (access(path, R_OK) != 0) {
        snprintf(d->skip_reason, sizeof d->skip_reason,
                 "official release file %s is missing (SHARED_DATA_DIR=%s)", rel, SHARED_DATA_DIR);
        return -1;
    }
    if (read_xz(path, set, fn, ctx, why, sizeof why) != 0) {
        snprintf(d->load_error, sizeof d->load_error, "reading %s: %s", path, why);
        return -1;
    }
    return 0;
}

static int group_setup(void **state)
{
    Data *d = calloc(1, sizeof *d);
    if (!d) return -1;
    *state = d;
    d->content = content_load(SOURCE_DIR, &d->content_err);
    if (!testutil_xz_available()) {
        snprintf(d->skip_reason, sizeof d->skip_reason,
                 "the xz program is not installed (needed to read %s)", SHARED_DATA_DIR);
        return 0;
    }
    TsvCols cols = {0, -1, -1, -1};
    if (load_file(d, CM_FILE, &d->cm, order_line, NULL) != 0) return 0;
    if (load_file(d, PCS_FILE, &d->pcs, order_line, NULL) != 0) return 0;
    if (load_file(d, HCPCS_FILE, &d->hcpcs, hcpcs_line, &cols) != 0) return 0;
    if (cols.hcpc != 0 || cols.term < 0 || cols.recid < 0)
        snprintf(d->load_error, sizeof d->load_error,
                 "%s: header has HCPC at column %d, RECID at %d, TERM DT at %d "
                 "(expected HCPC first and both others present)",
                 HCPCS_FILE, cols.hcpc, cols.recid, cols.term);
    return 0;
}

static int group_teardown(void **state)
{
    Data *d = *state;
    if (!d) return 0;
    set_free(&d->cm);
    set_free(&d->pcs);
    set_free(&d->hcpcs);
    content_free(d->content);
    free(d);
    return 0;
}

/* Skips (data absent) or fails (data unreadable, content not loadable) up front. */
static Data *need_data(void **state)
{
    Data *d = *state;
    if (d->skip_reason[0]) {
        printf("SKIPPED: %s\n", d->skip_reason);
        fflush(stdout);
        skip();
    }
    if (d->load_error[0]) fail_msg("%s", d->load_error);
    return d;
}

static Data *need_content(void **state)
{
    Data *d = need_data(state);
    if (!d->content) fail_msg("content_load(%s) failed: %s", SOURCE_DIR, d->content_err.msg);
    if (d->content->nproblems > 0)
        printf("note: %d content problem(s); files with problems were not loaded and their codes "
               "are not checked here (see shipped_content_passes_check)\n",
               d->content->nproblems);
    return d;
}

/* ---- classifying a referenced code ---- */

typedef enum CodeSystem { SYS_UNKNOWN, SYS_CM, SYS_PCS, SYS_HCPCS } CodeSystem;

/* Classifies code[0..len) and writes its lookup key (dot removed) into key. */
static CodeSystem classify(const char *code, size_t len, char key[KEY_CAP])
{
    size_t n = 0;
    key[0] = '\0';
    if (len == 0 || len > KEY_CAP) return SYS_UNKNOWN; /* "E11.3211" is 8 with its dot */
    const char *dot = memchr(code, '.', len);
    if (dot || len == 3) {
        /* ICD-10-CM: letter, alnum, alnum [ '.' 1-4 alnum ] */
        if (!isupper((unsigned char)code[0]) || len < 3 || !isalnum((unsigned char)code[1]) ||
            !isalnum((unsigned char)code[2]))
            return SYS_UNKNOWN;
        if (dot && (dot != code + 3 || len < 5)) return SYS_UNKNOWN;
        for (size_t i = 0; i < len; i++) {
            if (code[i] == '.') continue;
            if (!isalnum((unsigned char)code[i])) return SYS_UNKNOWN;
            key[n++] = code[i];
        }
        key[n] = '\0';
        return SYS_CM;
    }
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)code[i])) return SYS_UNKNOWN;
    memcpy(key, code, len);
    key[len] = '\0';
    if (len == 7) return SYS_PCS;
    if (len == 5 && isupper((unsigned char)code[0]) && isdigit((unsigned char)code[1]) &&
        isdigit((unsigned char)code[2]) && isdigit((unsigned char)code[3]) &&
        isdigit((unsigned char)code[4]))
        return SYS_HCPCS;
    return SYS_UNKNOWN;
}

static const char *system_name(CodeSystem s)
{
    switch (s) {
    case SYS_CM: return "ICD-10-CM FY2026";
    case SYS_PCS: return "ICD-10-PCS FY2026";
    case SYS_HCPCS: return "HCPCS Level II Oct 2025";
    default: return "?";
    }
}

/* ---- collecting offenders (deduplicated by file, code and reason) ---- */

typedef struct Offenders {
    char **lines;
    size_t n, cap;
    size_t checked;   /* codes looked at */
} Offenders;

static void offend(Offenders *o, const char *file, const char *code, size_t len, const char *why)
{
    char buf[512];
    snprintf(buf, sizeof buf, "  %s: %.*s: %s", file ? file : "(unknown file)", (int)len, code, why);
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->lines[i], buf) == 0) return;
    if (o->n == o->cap) {
        size_t ncap = o->cap ? o->cap * 2 : 16;
        char **nl = realloc(o->lines, ncap * sizeof *nl);
        assert_non_null(nl);
        o->lines = nl;
        o->cap = ncap;
    }
    o->lines[o->n] = strdup(buf);
    assert_non_null(o->lines[o->n]);
    o->n++;
}

/* Prints every offender under title and fails once when there is any. */
static void report(Offenders *o, const char *title)
{
    size_t n = o->n;
    if (n) {
        printf("%s (%zu):\n", title, n);
        for (size_t i = 0; i < n; i++) printf("%s\n", o->lines[i]);
        fflush(stdout);
    }
    for (size_t i = 0; i < o->n; i++) free(o->lines[i]);
    free(o->lines);
    o->lines = NULL;
    o->n = o->cap = 0;
    if (n) fail_msg("%zu offending code(s) (file: code: reason) listed above", n);
}

/* ---- test 1: existence ---- */

typedef struct ExistWalk {
    const Data *d;
    Offenders off;
} ExistWalk;

static void check_exists(void *user, const char *code, size_t len, const char *file)
{
    ExistWalk *w = user;
    char key[KEY_CAP];
    char why[256];
    CodeSystem sys = classify(code, len, key);
    w->off.checked++;
    const CodeSet *set = sys == SYS_CM ? &w->d->cm : sys == SYS_PCS ? &w->d->pcs
                       : sys == SYS_HCPCS ? &w->d->hcpcs : NULL;
    if (!set) {
        offend(&w->off, file, code, len,
               "not shaped like an ICD-10-CM (with its dot), ICD-10-PCS or HCPCS Level II code");
        return;
    }
    if (!set_find(set, key)) {
        snprintf(why, sizeof why, "not in the %s release%s", system_name(sys),
                 sys == SYS_PCS && set_find(&w->d->cm, key)
                     ? " (an ICD-10-CM code written without its dot?)" : "");
        offend(&w->off, file, code, len, why);
    }
}

static void test_every_code_named_in_shipped_content_exists_in_the_official_releases(void **state)
{
    Data *d = need_content(state);
    ExistWalk w = {d, {NULL, 0, 0, 0}};
    content_each_code(d->content, check_exists, &w);
    printf("checked %zu code reference(s) in %d lesson(s) and %d quiz(zes)\n", w.off.checked,
           d->content->nlessons, d->content->nquizzes);
    assert_true(w.off.checked > 0);
    report(&w.off, "codes named in shipped content that do not exist");
}

/* ---- test 2: expected answers are billable / valid ---- */

static void test_every_expected_answer_code_is_billable_or_valid(void **state)
{
    Data *d = need_content(state);
    Offenders off = {NULL, 0, 0, 0};
    char key[KEY_CAP];
    char why[256];
    for (int i = 0; i < d->content->nquizzes; i++) {
        const Quiz *q = &d->content->quizzes[i];
        for (int k = 0; k < q->nitems; k++) {
            const Item *it = &q->items[k];
            if (it->type != ITEM_CODE_ENTRY) continue;
            for (int a = 0; a < it->naccepted; a++) {
                const char *code = it->accepted[a];
                if (!code) continue;
                size_t len = strlen(code);
                CodeSystem sys = classify(code, len, key);
                off.checked++;
                const Entry *e = sys == SYS_CM ? set_find(&d->cm, key)
                               : sys == SYS_PCS ? set_find(&d->pcs, key)
                               : sys == SYS_HCPCS ? set_find(&d->hcpcs, key) : NULL;
                if (sys == SYS_UNKNOWN)
                    snprintf(why, sizeof why, "item %s: not shaped like an ICD-10-CM, ICD-10-PCS or "
                             "HCPCS Level II code", it->id ? it->id : "?");
                else if (!e)
                    snprintf(why, sizeof why, "item %s: not in the %s release%s",
                             it->id ? it->id : "?", system_name(sys),
                             sys == SYS_PCS && set_find(&d->cm, key)
                                 ? " (an ICD-10-CM code written without its dot?)" : "");
                else if (sys == SYS_CM && e->flag != 1)
                    snprintf(why, sizeof why, "item %s: an ICD-10-CM header, not billable (needs more characters)",
                             it->id ? it->id : "?");
                else if (sys == SYS_PCS && e->flag != 1)
                    snprintf(why, sizeof why, "item %s: an ICD-10-PCS table header, not a valid code",
                             it->id ? it->id : "?");
                else if (sys == SYS_HCPCS && e->term != 0 && e->term < HCPCS_CUTOFF)
                    snprintf(why, sizeof why, "item %s: HCPCS code terminated on %ld",
                             it->id ? it->id : "?", e->term);
                else
                    continue;
                offend(&off, q->file, code, len, why);
            }
        }
    }
    printf("checked %zu expected code(s) of code-entry items\n", off.checked);
    report(&off, "expected answer codes that are not billable or valid");
}

/* ---- test 3: the reader sees the published counts ---- */

static void test_the_official_files_have_the_published_counts(void **state)
{
    Data *d = need_data(state);
    printf("ICD-10-CM: %zu lines, %zu billable; ICD-10-PCS: %zu lines, %zu valid; "
           "HCPCS: %zu records (%zu codes, %zu modifiers, %zu with TERM DT)\n",
           d->cm.lines, d->cm.flagged, d->pcs.lines, d->pcs.flagged, d->hcpcs.lines,
           d->hcpcs.flagged, d->hcpcs.modifiers, d->hcpcs.terminated);
    assert_int_equal(d->cm.malformed, 0);
    assert_int_equal(d->cm.lines, 98186);
    assert_int_equal(d->cm.count, 98186);
    assert_int_equal(d->cm.flagged, 74719);
    assert_int_equal(d->pcs.malformed, 0);
    assert_int_equal(d->pcs.lines, 80029);
    assert_int_equal(d->pcs.count, 80029);
    assert_int_equal(d->pcs.flagged, 79115);
    assert_int_equal(d->hcpcs.malformed, 0);
    assert_int_equal(d->hcpcs.lines, 8846);
    assert_int_equal(d->hcpcs.count, 8846);
    assert_int_equal(d->hcpcs.flagged, 8463);
    assert_int_equal(d->hcpcs.modifiers, 383);
    assert_int_equal(d->hcpcs.terminated, 1225);
    /* spot checks of the layout: first/last lines, a header, a modifier, a termination */
    const Entry *e;
    assert_non_null(e = set_find(&d->cm, "A00"));
    assert_int_equal(e->flag, 0);
    assert_non_null(e = set_find(&d->cm, "E119"));
    assert_int_equal(e->flag, 1);
    assert_null(set_find(&d->cm, "E11.9"));
    assert_null(set_find(&d->cm, "E34828")); /* the README's known nonexistent code */
    assert_non_null(e = set_find(&d->pcs, "0016070"));
    assert_int_equal(e->flag, 1);
    assert_non_null(e = set_find(&d->pcs, "XY0YX37"));
    assert_int_equal(e->flag, 1);
    assert_non_null(e = set_find(&d->pcs, "001"));
    assert_int_equal(e->flag, 0);
    assert_non_null(e = set_find(&d->hcpcs, "A1"));
    assert_int_equal(e->flag, 7);
    assert_non_null(e = set_find(&d->hcpcs, "J0135"));
    assert_int_equal(e->term, 20241231L);
    assert_non_null(e = set_find(&d->hcpcs, "A0021"));
    assert_int_equal(e->term, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_official_files_have_the_published_counts),
        cmocka_unit_test(test_every_code_named_in_shipped_content_exists_in_the_official_releases),
        cmocka_unit_test(test_every_expected_answer_code_is_billable_or_valid),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

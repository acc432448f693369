/* test_codebook.c - the code dictionary (app/core/codebook*.c): code strings, codes.db,
 * the bundled teaching set, official imports, versions, refusals, search and the
 * Alphabetic Index walk.
 *
 * Fixtures (tests/fixtures/codes/, see the files themselves):
 *   official/  small files in the exact CMS/CDC layouts: ICD-10-CM order file FY2026
 *              (37 lines) and FY2025 (5 lines), Tabular List, Alphabetic Index and
 *              Table of Neoplasms XML, ICD-10-PCS order file and Tables XML, HCPCS
 *              tab-separated file (Oct 2025 = FY2026). Codes and titles are real.
 *   bundled/   a content/codes-like folder (icd10cm/ch04-test.json, icd10pcs/,
 *              hcpcs/).
 *   bad/       one small broken file per kind of problem.
 * Each test works in its own mkdtemp folder under /tmp (codes.db and any copies)
 * and removes it. The official-data tests decompress shared/data with xz into that
 * folder and skip (with the reason) when the data or xz is missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codebook.h"
#include "codebook_internal.h" /* only to read PCS axes, which no public call returns */
#include "testutil.h"

#define OFF FIXTURES_DIR "/codes/official/"
#define BAD FIXTURES_DIR "/codes/bad/"
#define BUNDLED FIXTURES_DIR "/codes/bundled"

/* 2025-12-01 00:00:00 UTC: HCPCS J0135 (terminated 2024-12-31) is no longer valid. */
#define NOW ((int64_t)1764547200)

#define CM_ORDER OFF "icd10cm_order_2026.txt"
#define CM_ORDER_2025 OFF "icd10cm_order_2025.txt"
#define CM_TABULAR OFF "icd10cm_tabular_2026.xml"
#define CM_INDEX OFF "icd10cm_index_2026.xml"
#define CM_NEOPLASM OFF "icd10cm_neoplasm_2026.xml"
#define PCS_ORDER OFF "icd10pcs_order_2026.txt"
#define PCS_TABLES OFF "icd10pcs_tables_2026.xml"
#define HCPCS_TSV OFF "hcpcs_2025_oct_anweb.tsv"

static const char *const OFFICIAL_SET[] = {CM_ORDER, CM_TABULAR, CM_INDEX, CM_NEOPLASM, PCS_ORDER, PCS_TABLES, HCPCS_TSV};
#define OFFICIAL_N ((int)(sizeof OFFICIAL_SET / sizeof OFFICIAL_SET[0]))

/* Index terms in the fixtures: 24 mainTerm/term elements in the index; 4 rows in the
 * neoplasm table plus one child term per cell that holds a code (6 + 6 + 5). */
#define FIXTURE_INDEX_TERMS 45

#define assert_contains(hay, needle)                                                          \
    do {                                                                                      \
        const char *h_ = (hay), *n_ = (needle);                                               \
        if (!strstr(h_, n_)) {                                                                \
            print_error("expected \"%s\" in \"%s\"\n", n_, h_);                               \
            fail();                                                                           \
        }                                                                                     \
    } while (0)

#define assert_not_contains(hay, needle)                                                      \
    do {                                                                                      \
        const char *h_ = (hay), *n_ = (needle);                                               \
        if (strstr(h_, n_)) {                                                                 \
            print_error("did not expect \"%s\" in \"%s\"\n", n_, h_);                         \
            fail();                                                                           \
        }                                                                                     \
    } while (0)

/* ------------------------------------------------------------------ helpers */

typedef struct Ctx {
    char dir[64];     /* the test's own temp folder */
    char db[128];     /* dir/codes.db */
    Codebook *cb;
} Ctx;

typedef struct Snap {
    CodeVersion v[16];
    int n;
} Snap;

static void snap(Codebook *cb, Snap *s)
{
    CpError err = {{0}};
    memset(s, 0, sizeof *s);
    int rc = codebook_versions(cb, s->v, 16, &s->n, &err);
    if (rc != 0) print_error("codebook_versions: %s\n", err.msg);
    assert_int_equal(rc, 0);
}

static void assert_same_versions(const Snap *a, const Snap *b)
{
    assert_int_equal(a->n, b->n);
    for (int i = 0; i < a->n && i < 16; i++) {
        assert_int_equal(a->v[i].id, b->v[i].id);
        assert_string_equal(a->v[i].label, b->v[i].label);
        assert_string_equal(a->v[i].source, b->v[i].source);
        assert_int_equal(a->v[i].active, b->v[i].active);
        assert_memory_equal(&a->v[i], &b->v[i], sizeof a->v[i]);
    }
}

static const CodeVersion *find_version(const Snap *s, CodeSystem sys, const char *label, const char *source)
{
    for (int i = 0; i < s->n && i < 16; i++)
        if (s->v[i].system == sys && !strcmp(s->v[i].label, label) && !strcmp(s->v[i].source, source)) return &s->v[i];
    return NULL;
}

static int setup_empty(void **state)
{
    Ctx *c = calloc(1, sizeof *c);
    if (!c) return -1;
    snprintf(c->dir, sizeof c->dir, "/tmp/cp_codebook_XXXXXX");
    if (!mkdtemp(c->dir)) {
        free(c);
        return -1;
    }
    snprintf(c->db, sizeof c->db, "%s/codes.db", c->dir);
    CpError err = {{0}};
    if (codebook_open(c->db, &c->cb, &err) != 0) {
        print_error("codebook_open: %s\n", err.msg);
        testutil_remove_tree(c->dir);
        free(c);
        return -1;
    }
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    Ctx *c = *state;
    if (!c) return 0;
    codebook_close(c->cb);
    testutil_remove_tree(c->dir);
    free(c);
    return 0;
}

static int setup_bundled(void **state)
{
    if (setup_empty(state) != 0) return -1;
    Ctx *c = *state;
    CpError err = {{0}};
    int rebuilt = 0;
    if (codebook_sync_bundled(c->cb, BUNDLED, NOW, &rebuilt, &err) != 0) {
        print_error("codebook_sync_bundled: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int setup_official(void **state)
{
    if (setup_empty(state) != 0) return -1;
    Ctx *c = *state;
    CpError err = {{0}};
    ImportSummary sum[3];
    int nsum = 0;
    if (codebook_import(c->cb, OFFICIAL_SET, OFFICIAL_N, NULL, NOW, NULL, NULL, sum, &nsum, &err) != 0) {
        print_error("codebook_import: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int import_files(Codebook *cb, const char *const *files, int n, CpError *err)
{
    ImportSummary sum[3];
    int nsum = 0;
    memset(err, 0, sizeof *err);
    return codebook_import(cb, files, n, NULL, NOW, NULL, NULL, sum, &nsum, err);
}

static void lookup_ok(Codebook *cb, CodeSystem sys, const char *version, const char *code, CodeInfo *info)
{
    CpError err = {{0}};
    int rc = codebook_lookup(cb, sys, version, code, info, &err);
    if (rc != 0) print_error("lookup %s: %s\n", code, err.msg);
    assert_int_equal(rc, 0);
}

static int count_notes(const CodeInfo *info, NoteKind kind, const char *from)
{
    int n = 0;
    for (int i = 0; i < info->nnotes; i++)
        if (info->notes[i].kind == kind && (!from || !strcmp(info->notes[i].from, from))) n++;
    return n;
}

static const CodeNote *nth_note(const CodeInfo *info, NoteKind kind, const char *from, int nth)
{
    for (int i = 0; i < info->nnotes; i++)
        if (info->notes[i].kind == kind && !strcmp(info->notes[i].from, from) && nth-- == 0) return &info->notes[i];
    return NULL;
}

static int has_child(const CodeInfo *info, const char *code)
{
    for (int i = 0; i < info->nchildren; i++)
        if (!strcmp(info->children[i].code, code)) return 1;
    return 0;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

static void write_all(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void copy_file(const char *from, const char *to)
{
    size_t len = 0;
    char *data = read_all(from, &len);
    assert_non_null(data);
    write_all(to, data, len);
    free(data);
}

/* Copies the bundled fixture folder to dir/bundled; out gets its path. */
static void copy_bundled(const char *dir, char *out, size_t cap)
{
    char sub[256], from[512], to[512];
    snprintf(out, cap, "%s/bundled", dir);
    assert_int_equal(mkdir(out, 0700), 0);
    static const char *const files[3][2] = {
        {"icd10cm", "ch04-test.json"}, {"icd10pcs", "test.json"}, {"hcpcs", "test.json"}};
    for (int i = 0; i < 3; i++) {
        snprintf(sub, sizeof sub, "%s/%s", out, files[i][0]);
        assert_int_equal(mkdir(sub, 0700), 0);
        snprintf(from, sizeof from, "%s/%s/%s", BUNDLED, files[i][0], files[i][1]);
        snprintf(to, sizeof to, "%s/%s", sub, files[i][1]);
        copy_file(from, to);
    }
}

/* Order-file fixture counts, read independently: lines, flag-1 lines. */
static void order_counts(const char *path, int64_t *lines, int64_t *billable)
{
    FILE *fp = fopen(path, "rb");
    char line[1024];
    assert_non_null(fp);
    *lines = *billable = 0;
    while (fgets(line, sizeof line, fp)) {
        size_t n = strlen(line);
        assert_true(n >= 2 && line[n - 2] == '\r' && line[n - 1] == '\n'); /* CRLF */
        (*lines)++;
        if (line[14] == '1') (*billable)++;
    }
    fclose(fp);
}

static long long sql_count(Codebook *cb, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long n = -1;
    assert_int_equal(sqlite3_prepare_v2(cb->db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int search(Codebook *cb, const char *q, CodeSystem sys, int billable_only, int limit, SearchHit *hits)
{
    SearchOptions o = {sys, billable_only, limit};
    CpError err = {{0}};
    int n = -1;
    int rc = codebook_search(cb, q, &o, hits, &n, &err);
    if (rc != 0) print_error("search \"%s\": %s\n", q, err.msg);
    assert_int_equal(rc, 0);
    return n;
}

static int hit_index(const SearchHit *hits, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(hits[i].code, code)) return i;
    return -1;
}

/* ------------------------------------------------------------------ code strings */

static void test_normalise_accepts_every_way_a_learner_writes_a_code_and_refuses_odd_strings(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int rc;
        const char *out;
    } cases[] = {
        {"", -1, NULL},
        {"   ", -1, NULL},
        {"e11.9", 0, "E119"},
        {" E11.9 ", 0, "E119"},
        {"\tE11.22\n", 0, "E1122"},
        {"E11..9", 0, "E119"},        /* dots are removed, however many */
        {"E11.9.", 0, "E119"},
        {"E119", 0, "E119"},
        {"w21.89xa", 0, "W2189XA"},
        {"0dtj4zz", 0, "0DTJ4ZZ"},
        {"E1 19", -1, NULL},          /* an inner space is not a code */
        {"E11.900000", -1, NULL},     /* 9 characters */
        {"S72001AA", -1, NULL},       /* 8 characters */
        {"e1", 0, "E1"},              /* HCPCS modifier E1 (upper left eyelid) */
        {"LT", 0, "LT"},              /* a HCPCS modifier must normalise, or it cannot be looked up */
        {"\xC3\x84" "BC", -1, NULL},  /* "ÄBC": not letters and digits */
        {"E11-9", -1, NULL},
        {"E11.9;", -1, NULL},
        {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", -1, NULL}, /* longer than the buffer */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[CODE_MAX];
        memset(out, 'x', sizeof out);
        int rc = codebook_normalise(cases[i].in, out);
        if (rc != cases[i].rc) print_error("codebook_normalise(\"%s\") = %d, expected %d\n", cases[i].in, rc, cases[i].rc);
        assert_int_equal(rc, cases[i].rc);
        assert_non_null(memchr(out, '\0', sizeof out)); /* always terminated */
        if (cases[i].out) assert_string_equal(out, cases[i].out);
    }
}

/* codebook.h: 0 "when the result looks like a code of some system (letters and digits,
 * 3-7 characters)". Two characters are let through for HCPCS modifiers (LT, E1, A1),
 * but no system has an all-digit 2-character code (the HCPCS file has no numeric
 * modifier; numeric ones are CPT's). */
static void test_normalise_refuses_an_all_digit_two_character_string(void **state)
{
    (void)state;
    char out[CODE_MAX];
    assert_int_equal(codebook_normalise("12", out), -1);
    assert_int_equal(codebook_normalise(" 59 ", out), -1);
}

static void test_display_puts_the_dot_back_for_icd10cm_only(void **state)
{
    (void)state;
    char out[CODE_MAX];
    codebook_display(SYS_ICD10CM, "E119", out);
    assert_string_equal(out, "E11.9");
    codebook_display(SYS_ICD10CM, "E1122", out);
    assert_string_equal(out, "E11.22");
    codebook_display(SYS_ICD10CM, "W2189XA", out);
    assert_string_equal(out, "W21.89XA");
    codebook_display(SYS_ICD10CM, "E11", out);
    assert_string_equal(out, "E11");
    codebook_display(SYS_ICD10CM, "E08-E13", out); /* a section keeps its range */
    assert_string_equal(out, "E08-E13");
    codebook_display(SYS_ICD10CM, "4", out);
    assert_string_equal(out, "4");
    codebook_display(SYS_ICD10PCS, "0DTJ4ZZ", out);
    assert_string_equal(out, "0DTJ4ZZ");
    codebook_display(SYS_HCPCS, "E0114", out);
    assert_string_equal(out, "E0114");
    codebook_display(SYS_HCPCS, "LT", out);
    assert_string_equal(out, "LT");
}

static void test_guess_system_tells_cm_pcs_hcpcs_and_modifier_shapes_apart(void **state)
{
    (void)state;
    assert_int_equal(codebook_guess_system("E119"), SYS_ICD10CM);
    assert_int_equal(codebook_guess_system("I10"), SYS_ICD10CM);
    assert_int_equal(codebook_guess_system("C4A"), SYS_ICD10CM);
    assert_int_equal(codebook_guess_system("W2189XA"), SYS_ICD10CM);
    assert_int_equal(codebook_guess_system("S72001A"), SYS_ICD10CM);
    assert_int_equal(codebook_guess_system("0DTJ4ZZ"), SYS_ICD10PCS);
    assert_int_equal(codebook_guess_system("BW03ZZZ"), SYS_ICD10PCS);  /* imaging: letter, letter */
    assert_int_equal(codebook_guess_system("XW033E5"), SYS_ICD10PCS);  /* new technology */
    assert_int_equal(codebook_guess_system("E0114"), SYS_HCPCS);       /* letter + 4 digits */
    assert_int_equal(codebook_guess_system("A0425"), SYS_HCPCS);
    assert_int_equal(codebook_guess_system("LT"), SYS_HCPCS);          /* modifier */
    assert_int_equal(codebook_guess_system("A1"), SYS_HCPCS);
    CodeSystem s;
    assert_int_equal(codebook_system_parse("ICD-10-CM", &s), 0);
    assert_int_equal(s, SYS_ICD10CM);
    assert_int_equal(codebook_system_parse("pcs", &s), 0);
    assert_int_equal(s, SYS_ICD10PCS);
    assert_int_equal(codebook_system_parse("HCPCS Level II", &s), 0);
    assert_int_equal(s, SYS_HCPCS);
    assert_int_equal(codebook_system_parse("cpt", &s), -1);
}

/* ------------------------------------------------------------------ opening */

static void test_open_creates_a_fresh_dictionary_and_reopening_keeps_its_versions(void **state)
{
    Ctx *c = *state;
    CpError err = {{0}};
    struct stat st;
    assert_int_equal(stat(c->db, &st), 0);
    Snap empty, before, after;
    snap(c->cb, &empty);
    assert_int_equal(empty.n, 0);
    CodeVersion v;
    assert_int_equal(codebook_active(c->cb, SYS_ICD10CM, &v, &err), -1);
    assert_contains(err.msg, "ICD-10-CM");
    CodeInfo info;
    assert_int_equal(codebook_lookup(c->cb, SYS_ANY, NULL, "E11.9", &info, &err), 1);
    assert_contains(err.msg, "no dictionary");

    int rebuilt = 0;
    assert_int_equal(codebook_sync_bundled(c->cb, BUNDLED, NOW, &rebuilt, &err), 0);
    snap(c->cb, &before);
    assert_int_equal(before.n, 3);
    codebook_close(c->cb);
    c->cb = NULL;
    assert_int_equal(codebook_open(c->db, &c->cb, &err), 0);
    snap(c->cb, &after);
    assert_same_versions(&before, &after);
    lookup_ok(c->cb, SYS_ANY, NULL, "e11.9", &info);
    assert_string_equal(info.code, "E119");
    codebook_info_free(&info);
}

static void test_open_reports_a_garbage_file_and_leaves_its_bytes_alone(void **state)
{
    Ctx *c = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/garbage.db", c->dir);
    char garbage[8192];
    for (size_t i = 0; i < sizeof garbage; i++) garbage[i] = "not a database, just a learner's notes\n"[i % 39];
    write_all(path, garbage, sizeof garbage);
    Codebook *cb = (Codebook *)&cb; /* must be reset to NULL */
    CpError err = {{0}};
    assert_int_equal(codebook_open(path, &cb, &err), -1);
    assert_null(cb);
    assert_contains(err.msg, path);
    size_t len = 0;
    char *after = read_all(path, &len);
    assert_non_null(after);
    assert_int_equal(len, sizeof garbage);
    assert_memory_equal(after, garbage, sizeof garbage);
    free(after);
    char side[200];
    snprintf(side, sizeof side, "%s-wal", path);
    assert_int_equal(access(side, F_OK), -1);
}

static void test_open_reports_a_dictionary_from_a_newer_coderprep_and_leaves_it_alone(void **state)
{
    Ctx *c = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/newer.db", c->dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE future (x); PRAGMA user_version = 99;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    size_t len0 = 0, len1 = 0;
    char *before = read_all(path, &len0);
    Codebook *cb = NULL;
    CpError err = {{0}};
    assert_int_equal(codebook_open(path, &cb, &err), -1);
    assert_null(cb);
    assert_contains(err.msg, path);
    assert_contains(err.msg, "newer");
    char *after = read_all(path, &len1);
    assert_non_null(before);
    assert_non_null(after);
    assert_int_equal(len0, len1);
    assert_memory_equal(before, after, len0);
    free(before);
    free(after);
}

/* ------------------------------------------------------------------ bundled */

static void test_bundled_builds_with_the_documented_counts(void **state)
{
    Ctx *c = *state;
    Snap s;
    snap(c->cb, &s);
    assert_int_equal(s.n, 3);
    const CodeVersion *cm = find_version(&s, SYS_ICD10CM, "FY2026", "bundled");
    const CodeVersion *pcs = find_version(&s, SYS_ICD10PCS, "FY2026", "bundled");
    const CodeVersion *hc = find_version(&s, SYS_HCPCS, "FY2026", "bundled");
    assert_non_null(cm);
    assert_non_null(pcs);
    assert_non_null(hc);
    /* ch04-test.json lists 9 codes: E11.21, E11.22, E11.3211, E11.9 billable */
    assert_int_equal(cm->codes, 9);
    assert_int_equal(cm->billable, 4);
    assert_int_equal(cm->headers, 5);
    assert_int_equal(cm->index_terms, 6);
    assert_int_equal(cm->active, 1);
    /* one table (a header, like the order file's table lines) and two codes */
    assert_int_equal(pcs->codes, 3);
    assert_int_equal(pcs->billable, 2);
    assert_int_equal(pcs->headers, 1);
    /* two codes and a modifier; J0135 was terminated on 2024-12-31 */
    assert_int_equal(hc->codes, 3);
    assert_int_equal(hc->billable, 2);
    assert_int_equal(hc->headers, 1);
    assert_int_equal(hc->loaded_at, NOW);
    for (int i = 0; i < s.n; i++) {
        assert_int_equal(s.v[i].headers, s.v[i].codes - s.v[i].billable);
        assert_int_equal(s.v[i].active, 1);
    }
}

static void test_bundled_lookup_shows_ancestors_chapter_section_notes_and_inherited_7th_characters(void **state)
{
    Ctx *c = *state;
    CodeInfo info;
    lookup_ok(c->cb, SYS_ANY, NULL, "e11.3211", &info);
    assert_int_equal(info.system, SYS_ICD10CM);
    assert_string_equal(info.version, "FY2026");
    assert_string_equal(info.code, "E113211");
    assert_int_equal(info.kind, KIND_CODE);
    assert_int_equal(info.billable, 1);
    assert_string_equal(info.title,
                        "Type 2 diabetes mellitus with mild nonproliferative diabetic retinopathy with macular edema, right eye");
    assert_string_equal(info.short_title, "Type 2 diab with mild nonp rtnop with macular edema, r eye");
    assert_string_equal(info.parent, "E11321");
    static const char *const anc[] = {"E11321", "E1132", "E113", "E11", "E08-E13", "4"};
    assert_int_equal(info.nancestors, 6);
    for (int i = 0; i < 6; i++) assert_string_equal(info.ancestors[i].code, anc[i]);
    assert_string_equal(info.ancestors[3].title, "Type 2 diabetes mellitus");
    assert_string_equal(info.chapter, "4");
    assert_string_equal(info.chapter_title, "Endocrine, nutritional and metabolic diseases (E00-E89)");
    assert_string_equal(info.section, "E08-E13");
    assert_string_equal(info.section_title, "Diabetes mellitus (E08-E13)");
    /* 7th characters come from E11.32, which defines them for its subtree */
    assert_string_equal(info.seven_from, "E1132");
    assert_int_equal(info.nseven, 4);
    assert_int_equal(info.seven[0].chr, '1');
    assert_string_equal(info.seven[0].meaning, "right eye");
    assert_int_equal(info.seven[3].chr, '9');
    assert_string_equal(info.seven[3].meaning, "unspecified eye");
    /* no notes of its own; the ancestors' with their level, nearest first */
    assert_int_equal(count_notes(&info, NOTE_INCLUSION_TERM, "E1132"), 1);
    assert_int_equal(count_notes(&info, NOTE_INCLUDES, "E11"), 3);
    assert_int_equal(count_notes(&info, NOTE_USE_ADDITIONAL, "E11"), 4);
    assert_int_equal(count_notes(&info, NOTE_EXCLUDES1, "4"), 1);
    assert_int_equal(info.nnotes, 9);
    assert_string_equal(nth_note(&info, NOTE_USE_ADDITIONAL, "E11", 1)->text, "insulin (Z79.4)");
    assert_string_equal(info.notes[0].from, "E1132");
    assert_string_equal(info.notes[info.nnotes - 1].from, "4");
    codebook_info_free(&info);

    /* own notes first */
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "E11.22", &info);
    assert_true(info.nnotes >= 1);
    assert_string_equal(info.notes[0].from, "E1122");
    assert_int_equal(info.notes[0].kind, NOTE_USE_ADDITIONAL);
    assert_string_equal(info.notes[0].text, "code to identify stage of chronic kidney disease (N18.1-N18.6)");
    assert_int_equal(info.nseven, 0);
    assert_string_equal(info.seven_from, "");
    codebook_info_free(&info);

    /* a category's children, in order */
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "E11", &info);
    assert_int_equal(info.kind, KIND_CATEGORY);
    assert_string_equal(info.parent, "E08-E13");
    assert_int_equal(info.nchildren, 3);
    assert_string_equal(info.children[0].code, "E112");
    assert_string_equal(info.children[2].code, "E119");
    assert_int_equal(info.children[2].billable, 1);
    codebook_info_free(&info);

    lookup_ok(c->cb, SYS_ANY, NULL, "0DTJ4ZZ", &info);
    assert_int_equal(info.system, SYS_ICD10PCS);
    assert_string_equal(info.parent, "0DT");
    codebook_info_free(&info);
    lookup_ok(c->cb, SYS_ANY, NULL, "j0135", &info);
    assert_int_equal(info.system, SYS_HCPCS);
    assert_int_equal(info.billable, 0);
    assert_string_equal(info.terminated, "2024-12-31");
    codebook_info_free(&info);
    lookup_ok(c->cb, SYS_ANY, NULL, "lt", &info);
    assert_int_equal(info.kind, KIND_MODIFIER);
    codebook_info_free(&info);
}

static void test_children_lists_direct_children_of_the_active_version_in_order(void **state)
{
    Ctx *c = *state;
    CpError err = {{0}};
    CodeRef kids[8];
    int n = -1;
    assert_int_equal(codebook_children(c->cb, SYS_ICD10CM, "E11", kids, 8, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(kids[0].code, "E112");
    assert_string_equal(kids[0].title, "Type 2 diabetes mellitus with kidney complications");
    assert_int_equal(kids[0].billable, 0);
    assert_string_equal(kids[1].code, "E113");
    assert_string_equal(kids[2].code, "E119");
    assert_int_equal(kids[2].billable, 1);
    memset(kids, 0, sizeof kids);
    assert_int_equal(codebook_children(c->cb, SYS_ICD10CM, "E11", kids, 2, &n, &err), 0);
    assert_int_equal(n, 3);                 /* how many there are */
    assert_string_equal(kids[1].code, "E113");
    assert_string_equal(kids[2].code, ""); /* only cap were written */
    assert_int_equal(codebook_children(c->cb, SYS_ICD10CM, "E08-E13", kids, 8, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(kids[0].code, "E11");
    assert_int_equal(codebook_children(c->cb, SYS_ICD10CM, "4", kids, 8, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(kids[0].code, "E08-E13");
    assert_int_equal(codebook_children(c->cb, SYS_ICD10PCS, "0DT", kids, 8, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(codebook_children(c->cb, SYS_ICD10CM, "E119", kids, 8, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(codebook_children(c->cb, SYS_ICD10CM, "Z99", kids, 8, &n, &err), 0);
    assert_int_equal(n, 0);
}

static void test_bundled_sync_without_changes_does_not_rebuild_and_a_change_rebuilds(void **state)
{
    Ctx *c = *state;
    char dir[200], path[300];
    copy_bundled(c->dir, dir, sizeof dir);
    CpError err = {{0}};
    int rebuilt = -1;
    /* the fixture folder was built in setup; the copy has the same names and bytes */
    assert_int_equal(codebook_sync_bundled(c->cb, dir, NOW + 60, &rebuilt, &err), 0);
    assert_int_equal(rebuilt, 0);
    Snap s0, s1, s2;
    snap(c->cb, &s0);
    assert_int_equal(codebook_sync_bundled(c->cb, dir, NOW + 120, &rebuilt, &err), 0);
    assert_int_equal(rebuilt, 0);
    snap(c->cb, &s1);
    assert_same_versions(&s0, &s1);

    /* change one CM title */
    snprintf(path, sizeof path, "%s/icd10cm/ch04-test.json", dir);
    size_t len = 0;
    char *text = read_all(path, &len);
    assert_non_null(text);
    const char *from = "\"title\": \"Type 2 diabetes mellitus without complications\"";
    char *at = strstr(text, from);
    assert_non_null(at);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fwrite(text, 1, (size_t)(at - text), fp);
    fputs("\"title\": \"Type 2 diabetes mellitus without complications (edited)\"", fp);
    fputs(at + strlen(from), fp);
    fclose(fp);
    free(text);
    assert_int_equal(codebook_sync_bundled(c->cb, dir, NOW + 180, &rebuilt, &err), 0);
    assert_int_equal(rebuilt, 1);
    snap(c->cb, &s2);
    assert_int_equal(s2.n, 3);
    const CodeVersion *cm = find_version(&s2, SYS_ICD10CM, "FY2026", "bundled");
    assert_non_null(cm);
    assert_int_equal(cm->loaded_at, NOW + 180);
    assert_int_equal(cm->active, 1);
    assert_int_equal(cm->codes, 9);
    /* the systems whose files did not change were not rebuilt */
    assert_memory_equal(find_version(&s2, SYS_HCPCS, "FY2026", "bundled"), find_version(&s0, SYS_HCPCS, "FY2026", "bundled"),
                        sizeof(CodeVersion));
    CodeInfo info;
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "E11.9", &info);
    assert_string_equal(info.title, "Type 2 diabetes mellitus without complications (edited)");
    codebook_info_free(&info);
    assert_int_equal(codebook_sync_bundled(c->cb, dir, NOW + 240, &rebuilt, &err), 0);
    assert_int_equal(rebuilt, 0);
}

/* Whichever system's files change, that system is rebuilt (here HCPCS, the system
 * built last, so its replacement gets the same versions.id as the version it replaces). */
static void test_bundled_change_to_the_last_built_system_rebuilds_it(void **state)
{
    Ctx *c = *state;
    char dir[200], path[300];
    copy_bundled(c->dir, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/hcpcs/test.json", dir);
    size_t len = 0;
    char *text = read_all(path, &len);
    assert_non_null(text);
    const char *from = "\"short\": \"Crutch underarm pair no wood\"";
    char *at = strstr(text, from);
    assert_non_null(at);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fwrite(text, 1, (size_t)(at - text), fp);
    fputs("\"short\": \"Crutch underarm pair (edited)\"", fp);
    fputs(at + strlen(from), fp);
    fclose(fp);
    free(text);
    CpError err = {{0}};
    int rebuilt = -1;
    int rc = codebook_sync_bundled(c->cb, dir, NOW + 60, &rebuilt, &err);
    if (rc != 0) print_error("sync: %s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(rebuilt, 1);
    CodeInfo info;
    lookup_ok(c->cb, SYS_HCPCS, NULL, "E0114", &info);
    assert_string_equal(info.short_title, "Crutch underarm pair (edited)");
    codebook_info_free(&info);
    SearchHit hits[8];
    int n = search(c->cb, "crutch", SYS_HCPCS, 0, 8, hits);
    assert_int_equal(n, 1);
    assert_string_equal(hits[0].code, "E0114");
}

static void test_bundled_broken_file_fails_with_its_location_and_keeps_the_previous_version(void **state)
{
    Ctx *c = *state;
    static const struct {
        const char *file;
        const char *expect; /* the whole location prefix */
        const char *words;
    } cases[] = {
        {BAD "bundled_missing_ancestor.json", "content/codes/icd10cm/ch04-test.json:20:15: $.codes[1].code: ",
         "E11.21 needs its ancestor E11.2"},
        {BAD "bundled_invalid.json", "content/codes/icd10cm/ch04-test.json:30:5: $: ", "invalid JSON"},
        {BAD "bundled_unknown_field.json", "content/codes/icd10cm/ch04-test.json:40:94: $.codes[8].chapter: ",
         "unknown field"},
    };
    char dir[200], path[300];
    copy_bundled(c->dir, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/icd10cm/ch04-test.json", dir);
    CpError err = {{0}};
    int rebuilt = -1;
    CodeInfo info;
    Snap before, after;
    snap(c->cb, &before);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        copy_file(cases[i].file, path);
        memset(&err, 0, sizeof err);
        assert_int_equal(codebook_sync_bundled(c->cb, dir, NOW + 60, &rebuilt, &err), -1);
        assert_int_equal(rebuilt, 0);
        if (strncmp(err.msg, cases[i].expect, strlen(cases[i].expect)) != 0)
            print_error("%s: got \"%s\"\n", cases[i].file, err.msg);
        assert_true(strncmp(err.msg, cases[i].expect, strlen(cases[i].expect)) == 0);
        assert_contains(err.msg, cases[i].words);
        snap(c->cb, &after);
        assert_same_versions(&before, &after);
        lookup_ok(c->cb, SYS_ICD10CM, NULL, "E11.21", &info);
        assert_string_equal(info.title, "Type 2 diabetes mellitus with diabetic nephropathy");
        assert_string_equal(info.version, "FY2026");
        codebook_info_free(&info);
    }
}

/* ------------------------------------------------------------------ official import */

static void record_progress(void *user, const char *what, double fraction)
{
    int *calls = user;
    assert_non_null(what);
    assert_true(fraction >= 0.0 && fraction <= 1.0);
    (*calls)++;
}

static void test_official_import_counts_equal_the_fixture_lines(void **state)
{
    Ctx *c = *state;
    CpError err = {{0}};
    ImportSummary sum[3];
    int nsum = 0, calls = 0;
    assert_int_equal(codebook_import(c->cb, OFFICIAL_SET, OFFICIAL_N, NULL, NOW, record_progress, &calls, sum, &nsum, &err), 0);
    assert_true(calls >= OFFICIAL_N);
    assert_int_equal(nsum, 3);
    int64_t cm_lines, cm_bill, pcs_lines, pcs_bill;
    order_counts(CM_ORDER, &cm_lines, &cm_bill);
    order_counts(PCS_ORDER, &pcs_lines, &pcs_bill);
    assert_int_equal(cm_lines, 37);
    assert_int_equal(cm_bill, 19);
    assert_int_equal(pcs_lines, 9);
    assert_int_equal(pcs_bill, 7);
    assert_int_equal(sum[0].system, SYS_ICD10CM);
    assert_string_equal(sum[0].version, "FY2026");
    assert_int_equal(sum[0].codes, cm_lines);
    assert_int_equal(sum[0].billable, cm_bill);
    assert_int_equal(sum[0].headers, cm_lines - cm_bill);
    assert_int_equal(sum[0].index_terms, FIXTURE_INDEX_TERMS);
    assert_int_equal(sum[1].system, SYS_ICD10PCS);
    assert_int_equal(sum[1].codes, pcs_lines);
    assert_int_equal(sum[1].billable, pcs_bill);
    assert_int_equal(sum[1].headers, pcs_lines - pcs_bill);
    assert_int_equal(sum[2].system, SYS_HCPCS);
    assert_string_equal(sum[2].version, "FY2026");
    assert_int_equal(sum[2].codes, 6);   /* 4 codes + 2 modifiers */
    assert_int_equal(sum[2].billable, 5); /* J0135 terminated */
    assert_int_equal(sum[2].headers, 1);

    Snap s;
    snap(c->cb, &s);
    assert_int_equal(s.n, 3);
    const CodeVersion *cm = find_version(&s, SYS_ICD10CM, "FY2026", "official");
    const CodeVersion *hc = find_version(&s, SYS_HCPCS, "FY2026", "official");
    assert_non_null(cm);
    assert_non_null(hc);
    assert_int_equal(cm->codes, cm_lines);
    assert_int_equal(cm->billable, cm_bill);
    assert_int_equal(cm->headers, cm_lines - cm_bill);
    assert_int_equal(cm->index_terms, FIXTURE_INDEX_TERMS);
    assert_int_equal(cm->active, 1);
    assert_int_equal(cm->loaded_at, NOW);
    assert_contains(cm->files, "icd10cm_order_2026.txt");
    assert_contains(cm->files, "icd10cm_tabular_2026.xml");
    assert_string_equal(hc->release, "2025-10");
}

static void test_official_import_places_categories_under_sections_and_sections_under_chapters(void **state)
{
    Ctx *c = *state;
    CodeInfo info;
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "E11", &info);
    assert_int_equal(info.kind, KIND_CATEGORY);
    assert_string_equal(info.parent, "E08-E13");
    assert_string_equal(info.title, "Type 2 diabetes mellitus");
    assert_true(has_child(&info, "E112") && has_child(&info, "E113") && has_child(&info, "E118") && has_child(&info, "E119"));
    codebook_info_free(&info);
    lookup_ok(c->cb, SYS_ANY, NULL, "E08-E13", &info);
    assert_int_equal(info.kind, KIND_SECTION);
    assert_string_equal(info.parent, "4");
    assert_string_equal(info.title, "Diabetes mellitus (E08-E13)");
    assert_true(has_child(&info, "E09") && has_child(&info, "E11"));
    codebook_info_free(&info);
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "4", &info);
    assert_int_equal(info.kind, KIND_CHAPTER);
    assert_string_equal(info.parent, "");
    assert_string_equal(info.title, "Endocrine, nutritional and metabolic diseases (E00-E89)");
    codebook_info_free(&info);

    lookup_ok(c->cb, SYS_ICD10CM, NULL, "E11.22", &info);
    static const char *const anc[] = {"E112", "E11", "E08-E13", "4"};
    assert_int_equal(info.nancestors, 4);
    for (int i = 0; i < 4; i++) assert_string_equal(info.ancestors[i].code, anc[i]);
    assert_string_equal(info.chapter, "4");
    assert_string_equal(info.section, "E08-E13");
    assert_string_equal(info.section_title, "Diabetes mellitus (E08-E13)");
    assert_string_equal(info.short_title, "Type 2 diabetes mellitus w diabetic chronic kidney disease");
    codebook_info_free(&info);

    /* W21: section W20-W49 (after the super-block heading W00-X58), chapter 20 */
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "W21", &info);
    assert_string_equal(info.parent, "W20-W49");
    assert_string_equal(info.chapter, "20");
    assert_string_equal(info.chapter_title, "External causes of morbidity (V00-Y99)");
    codebook_info_free(&info);
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "S72", &info);
    assert_string_equal(info.parent, "S70-S79");
    assert_string_equal(info.chapter, "19");
    codebook_info_free(&info);

    /* categories the Tabular fixture does not cover keep their chapter from the order file */
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "I21.9", &info);
    assert_string_equal(info.parent, "I21");
    assert_string_equal(info.chapter, "9");
    assert_contains(info.chapter_title, "Diseases of the circulatory system");
    assert_string_equal(info.section, "");
    codebook_info_free(&info);
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "I10", &info);
    assert_int_equal(info.kind, KIND_CATEGORY);
    assert_int_equal(info.billable, 1); /* a 3-character code valid as it is */
    assert_string_equal(info.parent, "9");
    codebook_info_free(&info);
}

static void test_official_import_keeps_notes_repeated_containers_and_7th_characters(void **state)
{
    Ctx *c = *state;
    CodeInfo info;
    /* E09 has two useAdditionalCode blocks: all five notes, in the Tabular's order */
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "E09.9", &info);
    assert_int_equal(count_notes(&info, NOTE_USE_ADDITIONAL, "E09"), 5);
    assert_string_equal(nth_note(&info, NOTE_USE_ADDITIONAL, "E09", 0)->text,
                        "code for adverse effect, if applicable, to identify drug (T36-T50 with fifth or sixth character 5)");
    assert_string_equal(nth_note(&info, NOTE_USE_ADDITIONAL, "E09", 1)->text, "code to identify control using:");
    assert_string_equal(nth_note(&info, NOTE_USE_ADDITIONAL, "E09", 4)->text, "oral hypoglycemic drugs (Z79.84)");
    assert_int_equal(count_notes(&info, NOTE_CODE_FIRST, "E09"), 1);
    assert_int_equal(count_notes(&info, NOTE_EXCLUDES1, "E09"), 2);
    assert_int_equal(count_notes(&info, NOTE_NOTES, "4"), 1);
    assert_int_equal(count_notes(&info, NOTE_EXCLUDES1, "4"), 1);
    codebook_info_free(&info);

    lookup_ok(c->cb, SYS_ICD10CM, NULL, "E11.21", &info);
    assert_int_equal(count_notes(&info, NOTE_INCLUSION_TERM, "E1121"), 3);
    assert_string_equal(nth_note(&info, NOTE_INCLUSION_TERM, "E1121", 2)->text,
                        "Type 2 diabetes mellitus with Kimmelstiel-Wilson disease");
    assert_int_equal(count_notes(&info, NOTE_INCLUDES, "E11"), 3);
    assert_int_equal(count_notes(&info, NOTE_EXCLUDES1, "E11"), 3);
    assert_string_equal(info.notes[0].from, "E1121");
    codebook_info_free(&info);

    /* 7th characters from the category; the placeholder X is part of the code */
    lookup_ok(c->cb, SYS_ANY, NULL, "W21.89XA", &info);
    assert_string_equal(info.code, "W2189XA");
    assert_int_equal(info.billable, 1);
    assert_string_equal(info.parent, "W2189");
    assert_string_equal(info.ancestors[0].code, "W2189");
    assert_string_equal(info.seven_from, "W21");
    assert_int_equal(info.nseven, 3);
    assert_int_equal(info.seven[0].chr, 'A');
    assert_string_equal(info.seven[0].meaning, "initial encounter");
    assert_string_equal(info.section, "W20-W49");
    assert_int_equal(count_notes(&info, NOTE_EXCLUDES1, "W20-W49"), 4);
    assert_int_equal(count_notes(&info, NOTE_NOTES, "W21"), 1); /* its sevenChrNote */
    codebook_info_free(&info);
    CpError err = {{0}};
    assert_int_equal(codebook_lookup(c->cb, SYS_ICD10CM, NULL, "W21.89A", &info, &err), 1);
    assert_contains(err.msg, "W21.89A");

    /* a stray <note> inside sevenChrDef (as in the real S72) neither breaks nor shifts the list */
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "S72.001A", &info);
    assert_string_equal(info.seven_from, "S72");
    assert_int_equal(info.nseven, 5);
    assert_int_equal(info.seven[1].chr, 'B');
    assert_string_equal(info.seven[1].meaning, "initial encounter for open fracture type I or II");
    assert_int_equal(count_notes(&info, NOTE_NOTES, "S72"), 4); /* 3 notes + the sevenChrNote */
    assert_int_equal(count_notes(&info, NOTE_INCLUSION_TERM, "S7200"), 2);
    assert_int_equal(count_notes(&info, NOTE_EXCLUDES2, "19"), 2);
    codebook_info_free(&info);

    /* E11.32 defines laterality for E11.3211 */
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "E11.3211", &info);
    assert_string_equal(info.seven_from, "E1132");
    assert_int_equal(info.nseven, 4);
    codebook_info_free(&info);
}

static void test_official_import_pcs_tables_and_hcpcs_dates(void **state)
{
    Ctx *c = *state;
    CodeInfo info;
    lookup_ok(c->cb, SYS_ICD10PCS, NULL, "0DT", &info);
    assert_int_equal(info.kind, KIND_TABLE);
    assert_int_equal(info.billable, 0);
    assert_string_equal(info.title, "Gastrointestinal System, Resection");
    assert_int_equal(info.nchildren, 5);
    assert_string_equal(info.children[1].code, "0DTJ4ZG");
    codebook_info_free(&info);
    lookup_ok(c->cb, SYS_ANY, NULL, "0dtj4zg", &info);
    assert_int_equal(info.system, SYS_ICD10PCS);
    assert_int_equal(info.kind, KIND_CODE);
    assert_string_equal(info.parent, "0DT");
    assert_string_equal(info.title, "Resection of Appendix, Percutaneous Endoscopic Approach, Hand-Assisted");
    codebook_info_free(&info);

    CodeVersion v;
    CpError err = {{0}};
    assert_int_equal(codebook_active(c->cb, SYS_ICD10PCS, &v, &err), 0);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pcs_axes WHERE version_id = %lld AND tbl = '0DT' AND row = 0", (long long)v.id);
    assert_int_equal(sql_count(c->cb, sql), 3);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pcs_axes WHERE version_id = %lld AND tbl = '0DT' AND row > 0", (long long)v.id);
    assert_int_equal(sql_count(c->cb, sql), 13); /* row 1: 2+3+1+1, row 2: 2+1+1+2 */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM pcs_axes WHERE version_id = %lld AND tbl = '0DT' AND row = 0 AND pos = 3 AND value = 'T' "
             "AND label = 'Resection' AND definition = 'Cutting out or off, without replacement, all of a body part'",
             (long long)v.id);
    assert_int_equal(sql_count(c->cb, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM pcs_axes WHERE version_id = %lld AND tbl = '0DT' AND row = 2 AND pos = 7 AND value = 'G' "
             "AND label = 'Hand-Assisted'", (long long)v.id);
    assert_int_equal(sql_count(c->cb, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(DISTINCT tbl) FROM pcs_axes WHERE version_id = %lld", (long long)v.id);
    assert_int_equal(sql_count(c->cb, sql), 2);

    lookup_ok(c->cb, SYS_HCPCS, NULL, "J0135", &info);
    assert_int_equal(info.kind, KIND_CODE);
    assert_int_equal(info.billable, 0);
    assert_string_equal(info.added, "2005-01-01");
    assert_string_equal(info.effective, "2025-01-01");
    assert_string_equal(info.terminated, "2024-12-31");
    assert_string_equal(info.title, "Injection, adalimumab, 20 mg");
    assert_string_equal(info.short_title, "Adalimumab injection");
    codebook_info_free(&info);
    lookup_ok(c->cb, SYS_HCPCS, NULL, "E0114", &info);
    assert_int_equal(info.billable, 1);
    assert_string_equal(info.terminated, "");
    codebook_info_free(&info);
    lookup_ok(c->cb, SYS_ANY, NULL, " lt ", &info); /* right-justified "   LT" in the file */
    assert_int_equal(info.system, SYS_HCPCS);
    assert_string_equal(info.code, "LT");
    assert_int_equal(info.kind, KIND_MODIFIER);
    assert_int_equal(info.billable, 1);
    assert_string_equal(info.added, "1984-01-01");
    codebook_info_free(&info);
}

/* ------------------------------------------------------------------ versions */

static void test_versions_use_switches_the_active_year_and_lookups_follow(void **state)
{
    Ctx *c = *state;
    CpError err = {{0}};
    const char *f26[] = {CM_ORDER}, *f25[] = {CM_ORDER_2025};
    assert_int_equal(import_files(c->cb, f26, 1, &err), 0);
    assert_int_equal(import_files(c->cb, f25, 1, &err), 0);
    Snap s;
    snap(c->cb, &s);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.v[0].label, "FY2026"); /* newest first */
    assert_string_equal(s.v[1].label, "FY2025");
    assert_int_equal(s.v[0].active, 0);
    assert_int_equal(s.v[1].active, 1);         /* the last import became active */
    assert_int_equal(s.v[1].codes, 5);
    assert_int_equal(s.v[1].billable, 3);

    CodeInfo info;
    CodeVersion v;
    /* B88.0 was billable in FY2025 and became a header in FY2026 (B88.01 added) */
    lookup_ok(c->cb, SYS_ANY, NULL, "B88.0", &info);
    assert_string_equal(info.version, "FY2025");
    assert_int_equal(info.billable, 1);
    assert_int_equal(info.nchildren, 0);
    codebook_info_free(&info);
    assert_int_equal(codebook_lookup(c->cb, SYS_ANY, NULL, "B88.01", &info, &err), 1);

    assert_int_equal(codebook_use(c->cb, SYS_ICD10CM, "FY2026", &err), 0);
    assert_int_equal(codebook_active(c->cb, SYS_ICD10CM, &v, &err), 0);
    assert_string_equal(v.label, "FY2026");
    lookup_ok(c->cb, SYS_ANY, NULL, "B88.0", &info);
    assert_string_equal(info.version, "FY2026");
    assert_int_equal(info.billable, 0);
    assert_int_equal(info.nchildren, 2);
    assert_string_equal(info.children[0].code, "B8801");
    codebook_info_free(&info);
    lookup_ok(c->cb, SYS_ANY, NULL, "B88.01", &info);
    codebook_info_free(&info);

    /* an explicit version, whichever is active */
    lookup_ok(c->cb, SYS_ICD10CM, "FY2025", "B88.0", &info);
    assert_string_equal(info.version, "FY2025");
    assert_int_equal(info.billable, 1);
    codebook_info_free(&info);
    lookup_ok(c->cb, SYS_ICD10CM, "2025", "B880", &info);
    assert_string_equal(info.version, "FY2025");
    codebook_info_free(&info);
    assert_int_equal(codebook_lookup(c->cb, SYS_ICD10CM, "FY2025", "B88.01", &info, &err), 1);
    assert_int_equal(codebook_lookup(c->cb, SYS_ICD10CM, "FY2019", "B88.0", &info, &err), 1);

    /* "2025" works as well as "FY2025"; an unknown year changes nothing */
    assert_int_equal(codebook_use(c->cb, SYS_ICD10CM, "2025", &err), 0);
    assert_int_equal(codebook_active(c->cb, SYS_ICD10CM, &v, &err), 0);
    assert_string_equal(v.label, "FY2025");
    snap(c->cb, &s);
    Snap after;
    memset(&err, 0, sizeof err);
    assert_int_equal(codebook_use(c->cb, SYS_ICD10CM, "FY2019", &err), -1);
    assert_contains(err.msg, "FY2019");
    snap(c->cb, &after);
    assert_same_versions(&s, &after);
    assert_int_equal(codebook_use(c->cb, SYS_HCPCS, "FY2026", &err), -1);
}

static void test_use_prefers_the_official_release_and_a_bundled_rebuild_does_not_take_over(void **state)
{
    Ctx *c = *state;
    CpError err = {{0}};
    const char *files[] = {CM_ORDER};
    assert_int_equal(import_files(c->cb, files, 1, &err), 0);
    CodeVersion v;
    assert_int_equal(codebook_active(c->cb, SYS_ICD10CM, &v, &err), 0);
    assert_string_equal(v.source, "official");
    assert_int_equal(codebook_use(c->cb, SYS_ICD10CM, "FY2026", &err), 0); /* bundled and official share FY2026 */
    assert_int_equal(codebook_active(c->cb, SYS_ICD10CM, &v, &err), 0);
    assert_string_equal(v.source, "official");
    CodeInfo info;
    lookup_ok(c->cb, SYS_ICD10CM, "FY2026", "W21.89XA", &info); /* only in the official file */
    codebook_info_free(&info);

    /* the bundled files change (an app update): rebuilt, but the learner's import stays active */
    char dir[200], path[300];
    copy_bundled(c->dir, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/icd10cm/ch04-test.json", dir);
    size_t len = 0;
    char *text = read_all(path, &len);
    assert_non_null(text);
    char *at = strstr(text, "\"codes\": [");
    assert_non_null(at);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fwrite(text, 1, (size_t)(at - text), fp);
    fputs("\"codes\" :[", fp);
    fputs(at + strlen("\"codes\": ["), fp);
    fclose(fp);
    free(text);
    int rebuilt = 0;
    assert_int_equal(codebook_sync_bundled(c->cb, dir, NOW + 60, &rebuilt, &err), 0);
    assert_int_equal(rebuilt, 1);
    assert_int_equal(codebook_active(c->cb, SYS_ICD10CM, &v, &err), 0);
    assert_string_equal(v.source, "official");
    Snap s;
    snap(c->cb, &s);
    const CodeVersion *b = find_version(&s, SYS_ICD10CM, "FY2026", "bundled");
    assert_non_null(b);
    assert_int_equal(b->active, 0);
    assert_int_equal(b->loaded_at, NOW + 60);
}

static long long search_tables(Codebook *cb)
{
    return sql_count(cb, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name GLOB 'search_[0-9]*' "
                         "AND name NOT GLOB 'search_*_*'");
}

/* "a new load of the same version replaces the old one" (writer_begin) */
static void test_importing_the_same_release_again_replaces_it(void **state)
{
    Ctx *c = *state;
    CpError err = {{0}};
    const char *files[] = {CM_ORDER};
    assert_int_equal(import_files(c->cb, files, 1, &err), 0);
    Snap first;
    snap(c->cb, &first);
    assert_int_equal(first.n, 1);
    int rc = import_files(c->cb, files, 1, &err);
    if (rc != 0) print_error("second import: %s\n", err.msg);
    assert_int_equal(rc, 0);
    Snap again;
    snap(c->cb, &again);
    assert_int_equal(again.n, 1);
    assert_int_equal(again.v[0].active, 1);
    assert_int_equal(again.v[0].codes, 37);
    CodeInfo info;
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "W21.89XA", &info);
    codebook_info_free(&info);
    SearchHit hits[8];
    int n = search(c->cb, "sports equipment sequela", SYS_ANY, 0, 8, hits);
    assert_int_equal(n, 1);
    assert_string_equal(hits[0].code, "W2189XS");
    /* the replaced version's search index went with it */
    assert_int_equal(search_tables(c->cb), again.n);
}

/* ------------------------------------------------------------------ refusals */

/* Runs an import that must fail, and checks the dictionary did not change. */
static void refused(Codebook *cb, const char *const *files, int n, CpError *err)
{
    Snap before, after;
    snap(cb, &before);
    ImportSummary sum[3];
    int nsum = -1;
    memset(err, 0, sizeof *err);
    int rc = codebook_import(cb, files, n, NULL, NOW, NULL, NULL, sum, &nsum, err);
    if (rc == 0) print_error("import of %s was not refused\n", files[n - 1]);
    assert_int_equal(rc, -1);
    assert_int_equal(nsum, 0);
    assert_true(err->msg[0] != '\0');
    snap(cb, &after);
    assert_same_versions(&before, &after);
}

static void test_import_refuses_mixed_fiscal_years(void **state)
{
    Ctx *c = *state;
    CpError err;
    const char *files[] = {CM_ORDER_2025, CM_TABULAR};
    refused(c->cb, files, 2, &err);
    assert_contains(err.msg, "icd10cm_order_2025.txt");
    assert_contains(err.msg, "icd10cm_tabular_2026.xml");
    assert_contains(err.msg, "FY2025");
    assert_contains(err.msg, "FY2026");
    const char *files2[] = {HCPCS_TSV, CM_ORDER_2025}; /* Oct 2025 HCPCS is FY2026 */
    refused(c->cb, files2, 2, &err);
    assert_contains(err.msg, "hcpcs_2025_oct_anweb.tsv");
}

static void test_import_refuses_the_same_kind_of_file_twice(void **state)
{
    Ctx *c = *state;
    CpError err;
    const char *files[] = {CM_ORDER, BAD "icd10cm_order_2026_gap.txt"};
    refused(c->cb, files, 2, &err);
    assert_contains(err.msg, "icd10cm_order_2026.txt");
    assert_contains(err.msg, "icd10cm_order_2026_gap.txt");
    const char *files2[] = {CM_ORDER, CM_TABULAR, CM_TABULAR};
    refused(c->cb, files2, 3, &err);
    assert_contains(err.msg, "icd10cm_tabular_2026.xml");
}

static void test_import_refuses_xml_without_its_order_file(void **state)
{
    Ctx *c = *state;
    CpError err;
    const char *files[] = {CM_TABULAR, CM_INDEX};
    refused(c->cb, files, 2, &err);
    assert_contains(err.msg, "order file");
    assert_contains(err.msg, "ICD-10-CM");
    const char *files2[] = {PCS_TABLES};
    refused(c->cb, files2, 1, &err);
    assert_contains(err.msg, "ICD-10-PCS");
}

static void test_import_refuses_each_bad_file_naming_file_and_line(void **state)
{
    Ctx *c = *state;
    CpError err = {{0}};
    int rebuilt = 0;
    /* something to keep: the bundled set */
    assert_int_equal(codebook_sync_bundled(c->cb, BUNDLED, NOW, &rebuilt, &err), 0);

    /* invalid UTF-8 in a file that declares utf-8, written here */
    char badutf[160];
    snprintf(badutf, sizeof badutf, "%s/icd10cm_index_2026.xml", c->dir);
    static const char xml[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                              "<ICD10CM.index>\n"
                              "  <version>2026</version>\n"
                              "  <letter>\n"
                              "    <title>D</title>\n"
                              "    <mainTerm>\n"
                              "      <title>Diab\xC3\x28tes \xFF\xFE</title>\n"
                              "      <code>E11.9</code>\n"
                              "    </mainTerm>\n"
                              "  </letter>\n"
                              "</ICD10CM.index>\n";
    write_all(badutf, xml, sizeof xml - 1);

    const struct {
        const char *file;
        int with_order;      /* an XML file needs the good order file beside it */
        const char *where;   /* "name:LINE:" */
        const char *words;
    } cases[] = {
        {BAD "icd10cm_order_2026_truncated.txt", 0, "icd10cm_order_2026_truncated.txt:3:", "middle of a line"},
        {BAD "icd10cm_order_2026_longline.txt", 0, "icd10cm_order_2026_longline.txt:2:", "longer than"},
        {BAD "icd10cm_order_2026_gap.txt", 0, "icd10cm_order_2026_gap.txt:3:", "out of sequence"},
        {BAD "icd10cm_tabular_2026_cut.xml", 1, "icd10cm_tabular_2026_cut.xml:", "cut off"},
        {BAD "icd10cm_tabular_2026_unknown.xml", 1, "icd10cm_tabular_2026_unknown.xml:15:", "<footnote>"},
        {BAD "icd10cm_tabular_2026_laughs.xml", 1, "icd10cm_tabular_2026_laughs.xml:3:", "entity"},
        {BAD "icd10cm_index_2026_xxe.xml", 1, "icd10cm_index_2026_xxe.xml:3:", "entity"},
        {badutf, 1, "icd10cm_index_2026.xml:7:", "XML error"},
        {BAD "hcpcs_2025_oct_anweb_fields.tsv", 0, "hcpcs_2025_oct_anweb_fields.tsv:3:", "fields"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *files[2];
        int n = 0;
        if (cases[i].with_order) files[n++] = CM_ORDER;
        files[n++] = cases[i].file;
        refused(c->cb, files, n, &err);
        if (!strstr(err.msg, cases[i].where) || !strstr(err.msg, cases[i].words))
            print_error("%s: got \"%s\"\n", cases[i].file, err.msg);
        assert_contains(err.msg, cases[i].where);
        assert_contains(err.msg, cases[i].words);
        assert_not_contains(err.msg, "root:"); /* nothing of /etc/passwd */
        CodeVersion v;
        assert_int_equal(codebook_active(c->cb, SYS_ICD10CM, &v, &err), 0);
        assert_string_equal(v.source, "bundled");
    }
    /* the cut-off tabular names the line where the file ends */
    size_t len = 0;
    char *cut = read_all(BAD "icd10cm_tabular_2026_cut.xml", &len);
    assert_non_null(cut);
    int lines = 1;
    for (size_t k = 0; k < len; k++) lines += cut[k] == '\n';
    free(cut);
    const char *files[] = {CM_ORDER, BAD "icd10cm_tabular_2026_cut.xml"};
    refused(c->cb, files, 2, &err);
    char where[128];
    snprintf(where, sizeof where, "icd10cm_tabular_2026_cut.xml:%d:", lines);
    assert_contains(err.msg, where);
}

static void test_import_with_a_broken_hcpcs_file_imports_nothing(void **state)
{
    Ctx *c = *state;
    CpError err = {{0}};
    int rebuilt = 0;
    assert_int_equal(codebook_sync_bundled(c->cb, BUNDLED, NOW, &rebuilt, &err), 0);
    const char *files[] = {CM_ORDER, PCS_ORDER, BAD "hcpcs_2025_oct_anweb_fields.tsv"};
    refused(c->cb, files, 3, &err);
    assert_contains(err.msg, "hcpcs_2025_oct_anweb_fields.tsv:3:");
    CodeInfo info;
    /* W21.89XA is only in the official CM file: it must not be there */
    assert_int_equal(codebook_lookup(c->cb, SYS_ICD10CM, NULL, "W21.89XA", &info, &err), 1);
    assert_int_equal(codebook_lookup(c->cb, SYS_ICD10CM, "FY2026", "W21.89XA", &info, &err), 1);
    assert_int_equal(codebook_lookup(c->cb, SYS_ICD10PCS, NULL, "0DBJ0ZZ", &info, &err), 1);
    CodeVersion v;
    assert_int_equal(codebook_active(c->cb, SYS_ICD10CM, &v, &err), 0);
    assert_string_equal(v.source, "bundled");
    /* and a good import afterwards works (the failed one left no transaction open) */
    const char *good[] = {CM_ORDER};
    assert_int_equal(import_files(c->cb, good, 1, &err), 0);
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "W21.89XA", &info);
    codebook_info_free(&info);
}

/* ------------------------------------------------------------------ search */

static void test_search_ranks_an_exact_code_first(void **state)
{
    Ctx *c = *state;
    SearchHit hits[64];
    int n = search(c->cb, "E11.9", SYS_ANY, 0, 20, hits);
    assert_true(n >= 1);
    assert_string_equal(hits[0].code, "E119");
    assert_int_equal(hits[0].matched, MATCH_CODE);
    assert_int_equal(hits[0].system, SYS_ICD10CM);
    assert_string_equal(hits[0].title, "Type 2 diabetes mellitus without complications");
    n = search(c->cb, "lt", SYS_ANY, 0, 20, hits);
    assert_true(n >= 1);
    assert_string_equal(hits[0].code, "LT");
    assert_int_equal(hits[0].system, SYS_HCPCS);
}

static void test_search_code_prefix_returns_the_subtree(void **state)
{
    Ctx *c = *state;
    SearchHit hits[64];
    int n = search(c->cb, "e11.2", SYS_ANY, 0, 20, hits);
    assert_int_equal(n, 4);
    assert_string_equal(hits[0].code, "E112");
    for (int i = 0; i < n; i++) assert_memory_equal(hits[i].code, "E112", 4);
    assert_true(hit_index(hits, n, "E1121") > 0 && hit_index(hits, n, "E1122") > 0 && hit_index(hits, n, "E1129") > 0);
    n = search(c->cb, "W21.89", SYS_ICD10CM, 0, 20, hits);
    assert_int_equal(n, 4); /* W21.89 and its three 7-character codes */
    assert_string_equal(hits[0].code, "W2189");
}

static void test_search_finds_words_in_any_order(void **state)
{
    Ctx *c = *state;
    SearchHit hits[64];
    int n = search(c->cb, "nephropathy diabetic type 2", SYS_ANY, 0, 20, hits);
    assert_true(n >= 1);
    assert_string_equal(hits[0].code, "E1121");
    n = search(c->cb, "femur right neck fracture", SYS_ICD10CM, 0, 20, hits);
    assert_true(n >= 1);
    assert_memory_equal(hits[0].code, "S72001", 6);
}

static void test_search_matches_a_partial_word(void **state)
{
    Ctx *c = *state;
    SearchHit hits[64];
    int n = search(c->cb, "nephrop", SYS_ANY, 0, 20, hits);
    assert_true(n >= 1);
    assert_string_equal(hits[0].code, "E1121");
    n = search(c->cb, "adalim", SYS_ANY, 0, 20, hits);
    assert_int_equal(n, 1);
    assert_string_equal(hits[0].code, "J0135");
    assert_int_equal(hits[0].matched, MATCH_TITLE);
}

static void test_search_finds_an_inclusion_term(void **state)
{
    Ctx *c = *state;
    SearchHit hits[64];
    int n = search(c->cb, "intercapillary glomerulosclerosis", SYS_ANY, 0, 20, hits);
    assert_int_equal(n, 1);
    assert_string_equal(hits[0].code, "E1121");
    assert_int_equal(hits[0].matched, MATCH_INCLUSION);
    assert_string_equal(codebook_match_name(hits[0].matched), "inclusion term");
    assert_string_equal(hits[0].matched_text, "Type 2 diabetes mellitus with intercapillary glomerulosclerosis");
    assert_string_equal(hits[0].title, "Type 2 diabetes mellitus with diabetic nephropathy");
}

static void test_search_finds_an_index_term(void **state)
{
    Ctx *c = *state;
    SearchHit hits[64];
    /* only the Index says "femoral": Fracture, traumatic, femur, femoral, neck -> S72.00- */
    int n = search(c->cb, "femoral neck", SYS_ANY, 0, 20, hits);
    assert_int_equal(n, 1);
    assert_string_equal(hits[0].code, "S7200");
    assert_int_equal(hits[0].matched, MATCH_INDEX);
    assert_string_equal(codebook_match_name(hits[0].matched), "index term");
    assert_contains(hits[0].matched_text, "Fracture, traumatic, femur, femoral, neck");
    assert_int_equal(hits[0].billable, 0);
}

static void test_search_resolves_a_see_reference_to_its_target_code(void **state)
{
    Ctx *c = *state;
    SearchHit hits[64];
    /* Attack, heart -- see Infarct, myocardium -> I21.9 */
    int n = search(c->cb, "heart attack", SYS_ANY, 0, 20, hits);
    assert_true(n >= 1);
    assert_string_equal(hits[0].code, "I219");
    assert_int_equal(hits[0].matched, MATCH_INDEX);
    assert_contains(hits[0].matched_text, "Infarct, myocardium");
    assert_string_equal(hits[0].title, "Acute myocardial infarction, unspecified");
}

static void test_search_billable_only_drops_headers(void **state)
{
    Ctx *c = *state;
    SearchHit hits[64];
    int n = search(c->cb, "E11.2", SYS_ANY, 1, 20, hits);
    assert_int_equal(n, 3);
    assert_int_equal(hit_index(hits, n, "E112"), -1);
    for (int i = 0; i < n; i++) assert_int_equal(hits[i].billable, 1);
    n = search(c->cb, "femoral neck", SYS_ANY, 1, 20, hits);
    assert_int_equal(n, 0);
    n = search(c->cb, "adalimumab", SYS_ANY, 1, 20, hits); /* terminated */
    assert_int_equal(n, 0);
}

static void test_search_respects_the_limit(void **state)
{
    Ctx *c = *state;
    SearchHit hits[64];
    int all = search(c->cb, "E11", SYS_ANY, 0, 64, hits);
    assert_true(all > 3);
    memset(hits, 0, sizeof hits);
    int n = search(c->cb, "E11", SYS_ANY, 0, 3, hits);
    assert_int_equal(n, 3);
    assert_string_equal(hits[0].code, "E11");
    assert_string_equal(hits[3].code, ""); /* nothing written past the limit */
    n = search(c->cb, "type 2 diabetes", SYS_ANY, 0, 2, hits);
    assert_int_equal(n, 2);
}

static void test_search_empty_or_punctuation_query_gives_nothing(void **state)
{
    Ctx *c = *state;
    SearchHit hits[64];
    assert_int_equal(search(c->cb, "", SYS_ANY, 0, 20, hits), 0);
    assert_int_equal(search(c->cb, "   ", SYS_ANY, 0, 20, hits), 0);
    assert_int_equal(search(c->cb, ".", SYS_ANY, 0, 20, hits), 0);
    assert_int_equal(search(c->cb, "...", SYS_ANY, 0, 20, hits), 0);
    assert_int_equal(search(c->cb, "-", SYS_ANY, 0, 20, hits), 0);
    assert_int_equal(search(c->cb, "?!.,;:-()*\"'%_", SYS_ANY, 0, 20, hits), 0);
    /* FTS syntax in a query is taken as words, never as an expression */
    assert_true(search(c->cb, "\"\" OR * NEAR(", SYS_ANY, 0, 20, hits) >= 0);
}

/* ------------------------------------------------------------------ index walk */

static IndexWalk *walk(Codebook *cb, const char *path)
{
    static IndexWalk w;
    CpError err = {{0}};
    int rc = codebook_index_walk(cb, path, &w, &err);
    if (rc != 0) print_error("walk \"%s\": %s\n", path, err.msg);
    assert_int_equal(rc, 0);
    return &w;
}

static void test_index_walk_a_full_path_reaches_the_code(void **state)
{
    Ctx *c = *state;
    IndexWalk *w = walk(c->cb, "Diabetes, type 2, with, chronic kidney disease");
    assert_int_equal(w->found, 1);
    assert_int_equal(w->nsteps, 4);
    assert_string_equal(w->steps[0].title, "Diabetes, diabetic");
    assert_string_equal(w->steps[0].nemod, "(mellitus) (sugar)");
    assert_string_equal(w->steps[0].code, "E11.9");
    assert_string_equal(w->steps[3].title, "chronic kidney disease");
    assert_string_equal(w->code, "E11.22");
    assert_int_equal(w->incomplete, 0);
    assert_string_equal(w->unmatched, "");
    w = walk(c->cb, "Amyloid heart");
    assert_int_equal(w->found, 1);
    assert_string_equal(w->code, "E85.4");
    assert_string_equal(w->manif, "I43");
}

static void test_index_walk_ignores_case_and_accepts_either_name(void **state)
{
    Ctx *c = *state;
    IndexWalk *w = walk(c->cb, "INFARCT, Myocardium");
    assert_int_equal(w->found, 1);
    assert_string_equal(w->code, "I21.9");
    assert_string_equal(w->steps[1].title, "myocardium, myocardial");
    w = walk(c->cb, "infarction, myocardial");
    assert_int_equal(w->found, 1);
    assert_string_equal(w->code, "I21.9");
    w = walk(c->cb, "diabetic, TYPE 2");
    assert_int_equal(w->found, 1);
    assert_string_equal(w->code, "E11.9");
}

static void test_index_walk_follows_see(void **state)
{
    Ctx *c = *state;
    IndexWalk *w = walk(c->cb, "Attack, heart");
    assert_int_equal(w->found, 1);
    assert_int_equal(w->nsteps, 4);
    assert_string_equal(w->steps[1].see, "Infarct, myocardium");
    assert_int_equal(w->steps[1].via_see, 0);
    assert_string_equal(w->steps[2].title, "Infarct, infarction");
    assert_int_equal(w->steps[2].via_see, 1);
    assert_string_equal(w->code, "I21.9");
    w = walk(c->cb, "Kimmelstiel disease");
    assert_int_equal(w->found, 1);
    assert_string_equal(w->code, "E11.21");
}

/* The Index prints see targets with their nonessential modifiers ("Arteriosclerosis,
 * coronary (artery)" targets the subterm "coronary" whose nemod is "(artery)"); 180
 * see lines of the FY2023 Index have this form. */
static void test_index_walk_follows_a_see_whose_target_names_a_nonessential_modifier(void **state)
{
    Ctx *c = *state;
    IndexWalk *w = walk(c->cb, "Arteriosclerosis, coronary (artery)");
    if (!w->found) print_error("unmatched: \"%s\"\n", w->unmatched);
    assert_int_equal(w->found, 1);
    assert_string_equal(w->code, "I25.10");
    w = walk(c->cb, "Disease, artery, coronary, with angina pectoris");
    if (!w->found) print_error("unmatched: \"%s\"\n", w->unmatched);
    assert_int_equal(w->found, 1);
    assert_string_equal(w->code, "I25.10");
}

static void test_index_walk_an_incomplete_code_is_flagged(void **state)
{
    Ctx *c = *state;
    IndexWalk *w = walk(c->cb, "Fracture, femur, neck");
    assert_int_equal(w->found, 1);
    assert_string_equal(w->code, "S72.00-");
    assert_int_equal(w->incomplete, 1);
    w = walk(c->cb, "Arthritis, in, infectious disease NEC"); /* seecat M01 */
    assert_int_equal(w->found, 1);
    assert_string_equal(w->code, "M01.-");
    assert_int_equal(w->incomplete, 1);
}

static void test_index_walk_an_unknown_subterm_names_the_unmatched_part(void **state)
{
    Ctx *c = *state;
    IndexWalk *w = walk(c->cb, "Diabetes, type 2, with, gangrene");
    assert_int_equal(w->found, 0);
    assert_string_equal(w->unmatched, "gangrene");
    assert_int_equal(w->nsteps, 3);
    w = walk(c->cb, "Diabetes, type 7, with");
    assert_int_equal(w->found, 0);
    assert_string_equal(w->unmatched, "type 7, with");
    w = walk(c->cb, "Zzzyzx");
    assert_int_equal(w->found, 0);
    assert_int_equal(w->nsteps, 0);
    assert_string_equal(w->unmatched, "Zzzyzx");
    assert_string_equal(w->code, "");
}

/* ------------------------------------------------------------------ official data */

/* Decompresses shared/data/rel into dir/name; skips the test when it cannot. */
static void unpack(const Ctx *c, const char *rel, const char *name, char *out, size_t cap)
{
    char src[1024], cmd[2400];
    snprintf(src, sizeof src, "%s/%s", SHARED_DATA_DIR, rel);
    if (access(src, R_OK) != 0) {
        printf("SKIPPED: %s is missing (shared/data not present)\n", src);
        skip();
    }
    if (system("command -v xz >/dev/null 2>&1") != 0) {
        printf("SKIPPED: the xz program is missing\n");
        skip();
    }
    snprintf(out, cap, "%s/%s", c->dir, name);
    snprintf(cmd, sizeof cmd, "xz -dc '%s' > '%s'", src, out);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    int status = pclose(p);
    if (status != 0) {
        printf("SKIPPED: xz could not decompress %s\n", src);
        skip();
    }
}

static void test_official_fy2026_icd10cm_order_file_imports_whole(void **state)
{
    Ctx *c = *state;
    char path[256];
    unpack(c, "icd10cm/icd10cm_order_2026.txt.xz", "icd10cm_order_2026.txt", path, sizeof path);
    const char *files[] = {path};
    CpError err = {{0}};
    ImportSummary sum[3];
    int nsum = 0;
    int rc = codebook_import(c->cb, files, 1, NULL, NOW, NULL, NULL, sum, &nsum, &err);
    if (rc != 0) print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(nsum, 1);
    assert_int_equal(sum[0].codes, 98186);
    assert_int_equal(sum[0].billable, 74719);
    assert_int_equal(sum[0].headers, 23467);
    CodeVersion v;
    assert_int_equal(codebook_active(c->cb, SYS_ICD10CM, &v, &err), 0);
    assert_string_equal(v.label, "FY2026");
    assert_int_equal(v.codes, 98186);
    assert_int_equal(v.billable, 74719);
    assert_int_equal(v.headers, 23467);
    CodeInfo info;
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "W21.89XA", &info);
    assert_string_equal(info.parent, "W2189");
    assert_int_equal(info.billable, 1);
    assert_string_equal(info.title, "Striking against or struck by other sports equipment, initial encounter");
    codebook_info_free(&info);
    assert_int_equal(codebook_lookup(c->cb, SYS_ICD10CM, NULL, "W21.89A", &info, &err), 1);
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "U09.9", &info); /* the last line */
    assert_string_equal(info.chapter, "22");
    codebook_info_free(&info);
    lookup_ok(c->cb, SYS_ICD10CM, NULL, "A00", &info);
    assert_string_equal(info.parent, "1");
    assert_int_equal(info.nchildren, 3);
    codebook_info_free(&info);
}

static void test_official_fy2026_icd10pcs_order_file_imports_whole(void **state)
{
    Ctx *c = *state;
    char path[256];
    unpack(c, "icd10pcs/icd10pcs_order_2026.txt.xz", "icd10pcs_order_2026.txt", path, sizeof path);
    const char *files[] = {path};
    CpError err = {{0}};
    ImportSummary sum[3];
    int nsum = 0;
    int rc = codebook_import(c->cb, files, 1, NULL, NOW, NULL, NULL, sum, &nsum, &err);
    if (rc != 0) print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(sum[0].system, SYS_ICD10PCS);
    assert_int_equal(sum[0].codes, 80029);
    assert_int_equal(sum[0].billable, 79115);
    assert_int_equal(sum[0].headers, 914);
    CodeInfo info;
    lookup_ok(c->cb, SYS_ANY, NULL, "XY0YX37", &info);
    assert_int_equal(info.system, SYS_ICD10PCS);
    assert_string_equal(info.parent, "XY0");
    codebook_info_free(&info);
}

static void test_official_hcpcs_oct_2025_file_imports_every_record(void **state)
{
    Ctx *c = *state;
    char path[256];
    unpack(c, "hcpcs/hcpcs_2025_oct_anweb.tsv.xz", "hcpcs_2025_oct_anweb.tsv", path, sizeof path);
    const char *files[] = {path};
    CpError err = {{0}};
    ImportSummary sum[3];
    int nsum = 0;
    int rc = codebook_import(c->cb, files, 1, NULL, NOW, NULL, NULL, sum, &nsum, &err);
    if (rc != 0) print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(sum[0].system, SYS_HCPCS);
    assert_string_equal(sum[0].version, "FY2026");
    assert_int_equal(sum[0].codes, 8846);

    /* read the file independently: modifiers and records terminated before NOW */
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char line[20000];
    int col_rec = -1, col_term = -1, nmod = 0, nrec = 0, ended = 0, mod_found = 0, lineno = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        char *fields[64];
        int nf = 0;
        for (char *p = line, *tab; nf < 64; p = tab + 1) {
            fields[nf++] = p;
            if (!(tab = strchr(p, '\t'))) break;
            *tab = '\0';
        }
        if (lineno == 1) {
            for (int i = 0; i < nf; i++) {
                if (!strcmp(fields[i], "RECID")) col_rec = i;
                if (!strcmp(fields[i], "TERM DT")) col_term = i;
            }
            assert_true(col_rec >= 0 && col_term >= 0);
            continue;
        }
        nrec++;
        if (fields[col_term][0] && strcmp(fields[col_term], "20251201") < 0) ended++;
        if (atoi(fields[col_rec]) == 7) {
            nmod++;
            CodeInfo info;
            lookup_ok(c->cb, SYS_HCPCS, NULL, fields[0], &info);
            if (info.kind == KIND_MODIFIER) mod_found++;
            codebook_info_free(&info);
        }
    }
    fclose(fp);
    assert_int_equal(nrec, 8846);
    assert_int_equal(nmod, 383);
    assert_int_equal(mod_found, 383);
    assert_int_equal(sum[0].codes - nmod, 8463);
    assert_int_equal(sum[0].billable, nrec - ended);
    assert_int_equal(sum[0].headers, ended);
}

/* ------------------------------------------------------------------ main */

#define T(f, s) cmocka_unit_test_setup_teardown(f, s, teardown)

/* ---- validation, on the shipped bundled dictionary (content/codes) ---- */

static int setup_shipped(void **state)
{
    if (setup_empty(state) != 0) return -1;
    Ctx *c = *state;
    CpError err = {{0}};
    int rebuilt = 0;
    if (codebook_sync_bundled(c->cb, SOURCE_DIR "/content/codes", NOW, &rebuilt, &err) != 0) {
        print_error("codebook_sync_bundled: %s\n", err.msg);
        return -1;
    }
    return 0;
}

/* The findings of rule for the list (NULL-terminated); returns how many, the first in *first. */
static int findings_of(Codebook *cb, const char *rule, Setting setting, const char *const *codes, Finding *first)
{
    int n = 0, nf = 0, hits = 0;
    while (codes[n]) n++;
    Finding f[64];
    CpError err;
    ValidateOptions vo = {setting, -1, 0, NULL};
    assert_int_equal(codebook_validate(cb, codes, n, &vo, f, 64, &nf, &err), 0);
    for (int i = 0; i < nf && i < 64; i++)
        if (!strcmp(f[i].rule, rule) && f[i].severity != SEV_INFO) {
            if (!hits && first) *first = f[i];
            hits++;
        }
    return hits;
}

static void test_validate_lets_a_conditional_code_first_code_lead_but_not_before_what_it_names(void **state)
{
    Ctx *c = *state;
    Finding f;
    /* J18's "code first associated influenza, if applicable" binds only when influenza is coded */
    assert_int_equal(findings_of(c->cb, "code-first", SETTING_INPATIENT, (const char *const[]){"J18.9", "E11.9", NULL}, NULL), 0);
    assert_int_equal(findings_of(c->cb, "manifestation-first", SETTING_INPATIENT, (const char *const[]){"J18.9", NULL}, NULL), 0);
    assert_int_equal(findings_of(c->cb, "code-first", SETTING_INPATIENT, (const char *const[]){"J18.9", "J11.00", NULL}, &f), 1);
    assert_non_null(strstr(f.message, "influenza"));
}

static void test_validate_refuses_a_manifestation_first_including_in_other_diseases_classified_elsewhere(void **state)
{
    Ctx *c = *state;
    Finding f;
    assert_int_equal(findings_of(c->cb, "manifestation-first", SETTING_OUTPATIENT, (const char *const[]){"G63", "E11.42", NULL}, NULL), 1);
    assert_int_equal(findings_of(c->cb, "manifestation-first", SETTING_OUTPATIENT, (const char *const[]){"F02.80", "G30.9", NULL}, &f), 1);
    assert_non_null(strstr(f.message, "G30"));
    assert_int_equal(findings_of(c->cb, "manifestation-first", SETTING_OUTPATIENT, (const char *const[]){"G30.9", "F02.80", NULL}, NULL), 0);
}

static void test_validate_names_the_excludes1_note_and_a_header_s_codes(void **state)
{
    Ctx *c = *state;
    Finding f;
    assert_int_equal(findings_of(c->cb, "excludes1", SETTING_OUTPATIENT, (const char *const[]){"E11.22", "E10.9", NULL}, &f), 1);
    assert_non_null(strstr(f.message, "Excludes1 at E11"));
    assert_int_equal(findings_of(c->cb, "header", SETTING_OUTPATIENT, (const char *const[]){"E11.2", NULL}, &f), 1);
    assert_non_null(strstr(f.message, "E11.22"));
}

static void test_a_written_dot_means_icd10cm_where_the_digits_are_also_a_hcpcs_code(void **state)
{
    Ctx *c = *state;
    CodeBrief b;
    assert_int_equal(codebook_brief(c->cb, "J11.00", &b), 1);
    assert_int_equal(b.system, SYS_ICD10CM);
    assert_int_equal(codebook_brief(c->cb, "J1100", &b), 1);
    assert_int_equal(b.system, SYS_HCPCS);
    assert_int_equal(codebook_brief(c->cb, "j11.00", &b), 1); /* the cache keeps the two apart */
    assert_int_equal(b.system, SYS_ICD10CM);
    CodeInfo info;
    CpError err;
    assert_int_equal(codebook_lookup(c->cb, SYS_ANY, NULL, "J11.00", &info, &err), 0);
    assert_int_equal(info.system, SYS_ICD10CM);
    codebook_info_free(&info);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalise_accepts_every_way_a_learner_writes_a_code_and_refuses_odd_strings),
        cmocka_unit_test(test_normalise_refuses_an_all_digit_two_character_string),
        cmocka_unit_test(test_display_puts_the_dot_back_for_icd10cm_only),
        cmocka_unit_test(test_guess_system_tells_cm_pcs_hcpcs_and_modifier_shapes_apart),
        T(test_validate_lets_a_conditional_code_first_code_lead_but_not_before_what_it_names, setup_shipped),
        T(test_validate_refuses_a_manifestation_first_including_in_other_diseases_classified_elsewhere, setup_shipped),
        T(test_validate_names_the_excludes1_note_and_a_header_s_codes, setup_shipped),
        T(test_a_written_dot_means_icd10cm_where_the_digits_are_also_a_hcpcs_code, setup_shipped),
        T(test_open_creates_a_fresh_dictionary_and_reopening_keeps_its_versions, setup_empty),
        T(test_open_reports_a_garbage_file_and_leaves_its_bytes_alone, setup_empty),
        T(test_open_reports_a_dictionary_from_a_newer_coderprep_and_leaves_it_alone, setup_empty),
        T(test_bundled_builds_with_the_documented_counts, setup_bundled),
        T(test_bundled_lookup_shows_ancestors_chapter_section_notes_and_inherited_7th_characters, setup_bundled),
        T(test_children_lists_direct_children_of_the_active_version_in_order, setup_bundled),
        T(test_bundled_sync_without_changes_does_not_rebuild_and_a_change_rebuilds, setup_bundled),
        T(test_bundled_change_to_the_last_built_system_rebuilds_it, setup_bundled),
        T(test_bundled_broken_file_fails_with_its_location_and_keeps_the_previous_version, setup_bundled),
        T(test_official_import_counts_equal_the_fixture_lines, setup_empty),
        T(test_official_import_places_categories_under_sections_and_sections_under_chapters, setup_official),
        T(test_official_import_keeps_notes_repeated_containers_and_7th_characters, setup_official),
        T(test_official_import_pcs_tables_and_hcpcs_dates, setup_official),
        T(test_versions_use_switches_the_active_year_and_lookups_follow, setup_empty),
        T(test_use_prefers_the_official_release_and_a_bundled_rebuild_does_not_take_over, setup_bundled),
        T(test_importing_the_same_release_again_replaces_it, setup_empty),
        T(test_import_refuses_mixed_fiscal_years, setup_bundled),
        T(test_import_refuses_the_same_kind_of_file_twice, setup_bundled),
        T(test_import_refuses_xml_without_its_order_file, setup_bundled),
        T(test_import_refuses_each_bad_file_naming_file_and_line, setup_empty),
        T(test_import_with_a_broken_hcpcs_file_imports_nothing, setup_empty),
        T(test_search_ranks_an_exact_code_first, setup_official),
        T(test_search_code_prefix_returns_the_subtree, setup_official),
        T(test_search_finds_words_in_any_order, setup_official),
        T(test_search_matches_a_partial_word, setup_official),
        T(test_search_finds_an_inclusion_term, setup_official),
        T(test_search_finds_an_index_term, setup_official),
        T(test_search_resolves_a_see_reference_to_its_target_code, setup_official),
        T(test_search_billable_only_drops_headers, setup_official),
        T(test_search_respects_the_limit, setup_official),
        T(test_search_empty_or_punctuation_query_gives_nothing, setup_official),
        T(test_index_walk_a_full_path_reaches_the_code, setup_official),
        T(test_index_walk_ignores_case_and_accepts_either_name, setup_official),
        T(test_index_walk_follows_see, setup_official),
        T(test_index_walk_follows_a_see_whose_target_names_a_nonessential_modifier, setup_official),
        T(test_index_walk_an_incomplete_code_is_flagged, setup_official),
        T(test_index_walk_an_unknown_subterm_names_the_unmatched_part, setup_official),
        T(test_official_fy2026_icd10cm_order_file_imports_whole, setup_empty),
        T(test_official_fy2026_icd10pcs_order_file_imports_whole, setup_empty),
        T(test_official_hcpcs_oct_2025_file_imports_every_record, setup_empty),
    };
    /* a subset, e.g. to go on past a sanitizer abort: CODEBOOK_TEST_FILTER / _SKIP="test_search_*" */
    if (getenv("CODEBOOK_TEST_FILTER")) cmocka_set_test_filter(getenv("CODEBOOK_TEST_FILTER"));
    if (getenv("CODEBOOK_TEST_SKIP")) cmocka_set_skip_filter(getenv("CODEBOOK_TEST_SKIP"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}

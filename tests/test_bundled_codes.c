/* test_bundled_codes.c - every entry of the bundled code dictionary (content/codes/, see
 * its README.md) agrees with the official CMS/CDC release files (shared/data, see its
 * README.md).
 *
 * The bundled JSON is read directly with cJSON (not through codebook_bundled.c), so a
 * bug in the loader cannot hide a wrong entry. Official files, each read once in the
 * group setup through `xz -dc`:
 *   icd10cm/icd10cm_order_2026.txt.xz   codes, billable flags, short and long titles
 *   icd10cm/icd10cm_order_2023.txt.xz   FY2023 long titles (is a code unchanged?)
 *   icd10cm/icd10cm_tabular_2023.xml.xz notes, 7th characters, chapter/section titles
 *                                       (streamed once with expat)
 *   icd10pcs/icd10pcs_order_2026.txt.xz PCS codes and titles
 *   icd10pcs/icd10pcs_tables_2026.xml.xz PCS table, axis and value labels
 *   hcpcs/hcpcs_2025_oct_anweb.tsv.xz   HCPCS Level II codes and modifiers
 *
 * Text from the Tabular XML (notes, 7th characters, descriptions) is compared after
 * normalising white space on both sides (runs of spaces, tabs and line breaks become one
 * space; leading and trailing space is dropped): the XML breaks and indents its text, so
 * its white space carries no meaning. Titles from the order files and the HCPCS file are
 * compared exactly (after trimming the fixed-width padding).
 *
 * A test whose official file (or the xz program) is missing prints "SKIPPED: reason" and
 * skips. A test that finds disagreements lists every one (file: code: field: ...), then
 * fails once. test_the_bundled_dictionary_meets_its_size needs no official data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cJSON.h>
#include <expat.h>

#include "testutil.h"

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

#define PATH_CAP 1024
#define REASON_CAP 1024
#define XML_DEPTH_CAP 64

#define CM26_FILE "icd10cm/icd10cm_order_2026.txt.xz"
#define CM23_FILE "icd10cm/icd10cm_order_2023.txt.xz"
#define TAB_FILE "icd10cm/icd10cm_tabular_2023.xml.xz"
#define PCS_FILE "icd10pcs/icd10pcs_order_2026.txt.xz"
#define PCSTAB_FILE "icd10pcs/icd10pcs_tables_2026.xml.xz"
#define HCPCS_FILE "hcpcs/hcpcs_2025_oct_anweb.tsv.xz"

/* ---- an arena: every official string and record lives here, freed at once ---- */

typedef struct Block {
    struct Block *next;
    size_t used, cap;
    max_align_t data[];
} Block;

typedef struct Arena {
    Block *head;
} Arena;

#define ARENA_BLOCK ((size_t)1 << 20)

static void *arena_alloc(Arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!a->head || a->head->used + n > a->head->cap) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        Block *b = malloc(sizeof *b + cap);
        if (!b) {
            fprintf(stderr, "out of memory\n");
            abort();
        }
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
    }
    void *p = (char *)a->head->data + a->head->used;
    a->head->used += n;
    memset(p, 0, n);
    return p;
}

static char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static void arena_free(Arena *a)
{
    while (a->head) {
        Block *b = a->head;
        a->head = b->next;
        free(b);
    }
}

/* Grows the arena array *arr (n used, *cap slots of elem bytes) to hold one more. */
static void arena_grow(Arena *a, void **arr, size_t elem, size_t n, size_t *cap)
{
    if (n < *cap) return;
    size_t ncap = *cap ? *cap * 2 : 4;
    void *p = arena_alloc(a, ncap * elem);
    if (n) memcpy(p, *arr, n * elem);
    *arr = p;
    *cap = ncap;
}

/* ---- string helpers ---- */

/* Collapses white-space runs to one space and trims; in place. */
static void normalise_ws(char *s)
{
    char *w = s;
    int space = 0;
    for (const char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\t' || *r == '\r' || *r == '\n') {
            space = 1;
            continue;
        }
        if (space && w != s) *w++ = ' ';
        space = 0;
        *w++ = *r;
    }
    *w = '\0';
}

/* s[0..n) without its leading and trailing spaces, into the arena. */
static char *arena_trimmed(Arena *a, const char *s, size_t n)
{
    while (n > 0 && isspace((unsigned char)s[n - 1])) n--;
    while (n > 0 && isspace((unsigned char)*s)) s++, n--;
    return arena_strndup(a, s, n);
}

/* Normalised copy of s (malloc'd) for comparing with normalised official text. */
static char *normalised_dup(const char *s)
{
    char *p = strdup(s ? s : "");
    assert_non_null(p);
    normalise_ws(p);
    return p;
}

static int same_text(const char *bundled, const char *official)
{
    char *b = normalised_dup(bundled);
    int same = strcmp(b, official ? official : "") == 0;
    free(b);
    return same;
}

/* ---- a string-keyed hash map (open addressing, linear probing) ---- */

typedef struct MapSlot {
    const char *key; /* NULL: free */
    void *val;
} MapSlot;

typedef struct Map {
    MapSlot *slots;
    size_t cap, count; /* cap is a power of two */
} Map;

static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static MapSlot *map_slot(MapSlot *slots, size_t cap, const char *key)
{
    size_t i = str_hash(key) & (cap - 1);
    while (slots[i].key && strcmp(slots[i].key, key) != 0) i = (i + 1) & (cap - 1);
    return &slots[i];
}

static void *map_get(const Map *m, const char *key)
{
    if (!m->slots || !key) return NULL;
    const MapSlot *s = map_slot(m->slots, m->cap, key);
    return s->key ? s->val : NULL;
}

/* Puts key (copied into the arena when new) -> val; returns 1 when the key was new. */
static int map_put(Map *m, Arena *a, const char *key, void *val)
{
    if ((m->count + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 1024;
        MapSlot *n = calloc(ncap, sizeof *n);
        if (!n) abort();
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key) *map_slot(n, ncap, m->slots[i].key) = m->slots[i];
        free(m->slots);
        m->slots = n;
        m->cap = ncap;
    }
    MapSlot *s = map_slot(m->slots, m->cap, key);
    int added = s->key == NULL;
    if (added) {
        s->key = arena_strndup(a, key, strlen(key));
        m->count++;
    }
    s->val = val;
    return added;
}

static void map_free(Map *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* ---- the official data ---- */

typedef struct StrList {
    char **v;
    size_t n, cap;
} StrList;

static void list_push(Arena *a, StrList *l, char *s)
{
    arena_grow(a, (void **)&l->v, sizeof *l->v, l->n, &l->cap);
    l->v[l->n++] = s;
}

/* One line of an order file (CM or PCS). */
typedef struct OrderRec {
    int billable; /* column 15 */
    char *shrt;   /* columns 17-76, trimmed */
    char *title;  /* column 78 to the end, trimmed */
} OrderRec;

/* The note kinds of the bundled format and their Tabular element names. */
enum { NKINDS = 8 };
static const char *const KIND_JSON[NKINDS] = {"includes",  "inclusion_terms", "excludes1",
                                              "excludes2", "code_first",      "use_additional",
                                              "code_also", "notes"};
static const char *const KIND_XML[NKINDS] = {"includes",  "inclusionTerm",     "excludes1",
                                             "excludes2", "codeFirst",         "useAdditionalCode",
                                             "codeAlso",  "notes"};

/* A chapter, section or diag of the Tabular: what the bundled entries are compared with. */
typedef struct Holder {
    char *name; /* chapter number, section id or diag code (with its dot) */
    char *desc;
    StrList kinds[NKINDS];
    int has_seven; /* carries a sevenChrDef */
    StrList seven_chars, seven_texts;
} Holder;

typedef struct PcsAxis { /* a row axis (4..7): values and their labels */
    char *codes;
    char **labels;
    size_t n, cap, ccap;
} PcsAxis;

typedef struct PcsRow {
    PcsAxis ax[4];
} PcsRow;

typedef struct PcsTable {
    char code[3];   /* characters 1..3 */
    char *label[3]; /* section, body system, operation */
    char *definition;
    PcsRow *rows;
    size_t nrows, caprows;
} PcsTable;

typedef struct HcpcsRec {
    int recid;   /* 3 code, 7 modifier */
    char *shrt;  /* SHORT DESCRIPTION */
    char *title; /* LONG DESCRIPTION */
    char *dates[3]; /* ADD DT, ACT EFF DT, TERM DT as YYYY-MM-DD; NULL when empty */
} HcpcsRec;

enum { SRC_CM26, SRC_CM23, SRC_TAB, SRC_PCS, SRC_PCSTAB, SRC_HCPCS, NSRC };
static const char *const SRC_FILE[NSRC] = {CM26_FILE, CM23_FILE, TAB_FILE, PCS_FILE, PCSTAB_FILE, HCPCS_FILE};

typedef struct Source {
    int ok;
    char skip[REASON_CAP];  /* non-empty: absent (file or xz) */
    char error[REASON_CAP]; /* non-empty: present but unreadable */
} Source;

typedef struct Bundle {
    char rel[PATH_CAP]; /* "content/codes/icd10cm/ch01-infectious.json" */
    cJSON *root;
} Bundle;

typedef struct Bundles {
    Bundle *v;
    size_t n;
} Bundles;

enum { SYS_CM, SYS_PCS, SYS_HCPCS, NSYS };
static const char *const SYS_DIR[NSYS] = {"icd10cm", "icd10pcs", "hcpcs"};

typedef struct Data {
    Arena arena;
    Bundles bundles[NSYS];
    char bundle_error[REASON_CAP];
    Source src[NSRC];
    Map cm26;       /* code without dot -> OrderRec */
    Map cm26_prefix; /* every prefix of every FY2026 code (no dot) -> non-NULL */
    Map cm23;       /* code without dot -> OrderRec */
    Map diags;      /* code with dot -> Holder */
    Map sections;   /* id -> Holder */
    Holder *chapters[23]; /* by number 1..22 */
    Map pcs;        /* code -> OrderRec */
    Map pcs_tables; /* 3 characters -> PcsTable */
    Map hcpcs;      /* code (modifiers unpadded) -> HcpcsRec */
} Data;

/* ---- reading `xz -dc FILE` ---- */



static FILE *open_xz(const char *path, char *err, size_t cap)
{
    char quoted[PATH_CAP * 4 + 8];
    char cmd[sizeof quoted + 16];
    if (testutil_shell_quote(quoted, sizeof quoted, path) != 0) {
        snprintf(err, cap, "path too long: %s", path);
        return NULL;
    }
    snprintf(cmd, sizeof cmd, "xz -dc %s", quoted);
    FILE *f = popen(cmd, "r");
    if (!f) snprintf(err, cap, "could not run xz -dc on %s", path);
    return f;
}

static int close_xz(FILE *f, const char *path, char *err, size_t cap)
{
    int status = pclose(f);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, cap, "xz -dc %s failed (status %d)", path, status);
        return -1;
    }
    return 0;
}

typedef int (*LineFn)(Data *d, void *ctx, char *line, size_t len); /* nonzero: malformed */

/* Streams the lines (CR/LF stripped) of an xz file into fn. 0 on success. */
static int read_lines(Data *d, const char *path, LineFn fn, void *ctx, char *err, size_t cap)
{
    FILE *f = open_xz(path, err, cap);
    if (!f) return -1;
    char *line = NULL;
    size_t lcap = 0, lineno = 0, bad = 0, first_bad = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (fn(d, ctx, line, (size_t)len) != 0 && bad++ == 0) first_bad = lineno;
    }
    free(line);
    if (close_xz(f, path, err, cap) != 0) return -1;
    if (lineno == 0 || bad) {
        snprintf(err, cap, "%s: %zu malformed line(s) (first: line %zu) of %zu", path, bad, first_bad,
                 lineno);
        return -1;
    }
    return 0;
}

/* Order file line: "00002 A000    1 Short title (padded to 60) Long title". */
static int order_line(Data *d, void *ctx, char *line, size_t len)
{
    Map *m = ctx;
    if (len < 78 || line[5] != ' ' || line[13] != ' ' || (line[14] != '0' && line[14] != '1') ||
        line[15] != ' ' || line[76] != ' ')
        return -1;
    size_t n = 0;
    while (n < 7 && line[6 + n] != ' ') n++;
    if (n == 0) return -1;
    char key[8];
    memcpy(key, line + 6, n);
    key[n] = '\0';
    OrderRec *r = arena_alloc(&d->arena, sizeof *r);
    r->billable = line[14] == '1';
    r->shrt = arena_trimmed(&d->arena, line + 16, 60);
    r->title = arena_trimmed(&d->arena, line + 77, len - 77);
    if (!map_put(m, &d->arena, key, r)) return -1; /* duplicate */
    if (m == &d->cm26)
        for (size_t k = 1; k <= n; k++) {
            char pre[8];
            memcpy(pre, key, k);
            pre[k] = '\0';
            map_put(&d->cm26_prefix, &d->arena, pre, d);
        }
    return 0;
}

/* HCPCS tsv: header line names the columns. */
enum { H_HCPC, H_RECID, H_LONG, H_SHORT, H_ADD, H_EFF, H_TERM, NHCOL };
static const char *const HCOL_NAME[NHCOL] = {"HCPC",    "RECID",      "LONG DESCRIPTION", "SHORT DESCRIPTION",
                                             "ADD DT", "ACT EFF DT", "TERM DT"};

typedef struct TsvCtx {
    int header_seen;
    int col[NHCOL];
} TsvCtx;

/* Field idx of a tab-separated line: start and length. */
static int tsv_field(const char *line, int idx, const char **start, size_t *len)
{
    const char *p = line;
    for (int i = 0; i < idx; i++) {
        p = strchr(p, '\t');
        if (!p) return -1;
        p++;
    }
    *start = p;
    *len = strcspn(p, "\t");
    return 0;
}

static int hcpcs_line(Data *d, void *ctx, char *line, size_t len)
{
    TsvCtx *t = ctx;
    const char *s;
    size_t n;
    if (!t->header_seen) {
        t->header_seen = 1;
        for (int c = 0; c < NHCOL; c++) {
            t->col[c] = -1;
            for (int i = 0; tsv_field(line, i, &s, &n) == 0; i++)
                if (n == strlen(HCOL_NAME[c]) && strncmp(s, HCOL_NAME[c], n) == 0) {
                    t->col[c] = i;
                    break;
                }
            if (t->col[c] < 0) return -1;
        }
        return 0;
    }
    if (len == 0) return 0;
    HcpcsRec *r = arena_alloc(&d->arena, sizeof *r);
    char *f[NHCOL];
    for (int c = 0; c < NHCOL; c++) {
        if (tsv_field(line, t->col[c], &s, &n) != 0) return -1;
        f[c] = arena_trimmed(&d->arena, s, n);
    }
    r->recid = atoi(f[H_RECID]);
    r->title = f[H_LONG];
    r->shrt = f[H_SHORT];
    for (int k = 0; k < 3; k++) {
        const char *v = f[H_ADD + k];
        if (!v[0]) continue;
        if (strlen(v) != 8 || strspn(v, "0123456789") != 8) return -1;
        char iso[11];
        snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
        r->dates[k] = arena_strndup(&d->arena, iso, 10);
    }
    if (!f[H_HCPC][0] || !map_put(&d->hcpcs, &d->arena, f[H_HCPC], r)) return -1;
    return 0;
}

/* ---- streaming XML through expat ---- */

typedef struct Capture { /* character data of the element being captured */
    char *buf;
    size_t n, cap;
    int on;
} Capture;

static void capture_start(Capture *c)
{
    c->n = 0;
    c->on = 1;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len);

static int stream_xml(const char *path, void *ud, XML_StartElementHandler start, XML_EndElementHandler end,
                      char *err, size_t cap)
{
    FILE *f = open_xz(path, err, cap);
    if (!f) return -1;
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p) abort();
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, on_text);
    static char buf[1 << 16];
    int rc = 0;
    for (;;) {
        size_t n = fread(buf, 1, sizeof buf, f);
        int final = n < sizeof buf;
        if (XML_Parse(p, buf, (int)n, final) != XML_STATUS_OK) {
            snprintf(err, cap, "%s: XML error at line %lu: %s", path,
                     (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
            rc = -1;
            break;
        }
        if (final) break;
    }
    XML_ParserFree(p);
    char err2[REASON_CAP];
    if (close_xz(f, path, err2, sizeof err2) != 0 && rc == 0) {
        snprintf(err, cap, "%s", err2);
        rc = -1;
    }
    return rc;
}

/* Both parsers start with a Capture, so on_text can append to either. */
static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    Capture *c = ud;
    if (!c->on || len <= 0) return;
    if (c->n + (size_t)len + 1 > c->cap) {
        size_t ncap = c->cap ? c->cap : 256;
        while (c->n + (size_t)len + 1 > ncap) ncap *= 2;
        char *nb = realloc(c->buf, ncap);
        if (!nb) abort();
        c->buf = nb;
        c->cap = ncap;
    }
    memcpy(c->buf + c->n, s, (size_t)len);
    c->n += (size_t)len;
    c->buf[c->n] = '\0';
}

/* Captured text, white space normalised, into the arena; stops capturing. */
static char *capture_take(Capture *c, Arena *a)
{
    c->on = 0;
    char *s = arena_strndup(a, c->buf ? c->buf : "", c->n);
    normalise_ws(s);
    return s;
}

static const char *xml_attr(const XML_Char **attrs, const char *name)
{
    for (int i = 0; attrs[i]; i += 2)
        if (strcmp(attrs[i], name) == 0) return attrs[i + 1];
    return NULL;
}

/* -- the ICD-10-CM Tabular -- */

enum { T_OTHER, T_CHAPTER, T_SECTION, T_DIAG, T_NAME, T_DESC, T_KIND, T_NOTE, T_SEVENDEF, T_EXT };

typedef struct TabParse {
    Capture cap; /* first: on_text's user data */
    Data *d;
    int depth, overflow;
    unsigned char el[XML_DEPTH_CAP];
    Holder *hold[XML_DEPTH_CAP]; /* chapter/section/diag stack */
    unsigned char hold_type[XML_DEPTH_CAP];
    int nhold;
    int kind;
    char ext_char[8];
} TabParse;

static int is_holder(int t)
{
    return t == T_CHAPTER || t == T_SECTION || t == T_DIAG;
}

static void XMLCALL tab_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    TabParse *t = ud;
    Arena *a = &t->d->arena;
    int parent = t->depth > 0 && t->depth <= XML_DEPTH_CAP ? t->el[t->depth - 1] : T_OTHER;
    int type = T_OTHER;
    if (t->depth >= XML_DEPTH_CAP) {
        t->overflow = 1;
        t->depth++;
        return;
    }
    if ((strcmp(name, "chapter") == 0 && parent == T_OTHER) ||
        (strcmp(name, "section") == 0 && parent == T_CHAPTER) ||
        (strcmp(name, "diag") == 0 && (parent == T_SECTION || parent == T_DIAG))) {
        type = name[0] == 'c' ? T_CHAPTER : name[0] == 's' ? T_SECTION : T_DIAG;
        Holder *h = arena_alloc(a, sizeof *h);
        if (type == T_SECTION) {
            const char *id = xml_attr(attrs, "id");
            h->name = arena_strndup(a, id ? id : "", id ? strlen(id) : 0);
            if (id) map_put(&t->d->sections, a, id, h);
        }
        t->hold[t->nhold] = h;
        t->hold_type[t->nhold++] = (unsigned char)type;
    } else if ((strcmp(name, "name") == 0 || strcmp(name, "desc") == 0) && is_holder(parent)) {
        type = name[0] == 'n' ? T_NAME : T_DESC;
        capture_start(&t->cap);
    } else if (strcmp(name, "sevenChrDef") == 0 && is_holder(parent)) {
        type = T_SEVENDEF;
        t->hold[t->nhold - 1]->has_seven = 1;
    } else if (strcmp(name, "extension") == 0 && parent == T_SEVENDEF) {
        const char *c = xml_attr(attrs, "char");
        type = T_EXT;
        snprintf(t->ext_char, sizeof t->ext_char, "%s", c ? c : "");
        capture_start(&t->cap);
    } else if (strcmp(name, "note") == 0 && parent == T_KIND) {
        type = T_NOTE;
        capture_start(&t->cap);
    } else if (is_holder(parent)) {
        for (int k = 0; k < NKINDS; k++)
            if (strcmp(name, KIND_XML[k]) == 0) {
                type = T_KIND;
                t->kind = k;
            }
    }
    t->el[t->depth++] = (unsigned char)type;
}

static void XMLCALL tab_end(void *ud, const XML_Char *name)
{
    TabParse *t = ud;
    Data *d = t->d;
    (void)name;
    if (--t->depth >= XML_DEPTH_CAP) return;
    int type = t->el[t->depth];
    Holder *h = t->nhold ? t->hold[t->nhold - 1] : NULL;
    int htype = t->nhold ? t->hold_type[t->nhold - 1] : T_OTHER;
    switch (type) {
    case T_NAME:
        h->name = capture_take(&t->cap, &d->arena);
        if (htype == T_CHAPTER) {
            int num = atoi(h->name);
            if (num >= 1 && num <= 22) d->chapters[num] = h;
        } else if (htype == T_DIAG) {
            map_put(&d->diags, &d->arena, h->name, h);
        }
        break;
    case T_DESC: h->desc = capture_take(&t->cap, &d->arena); break;
    case T_NOTE: list_push(&d->arena, &h->kinds[t->kind], capture_take(&t->cap, &d->arena)); break;
    case T_EXT:
        list_push(&d->arena, &h->seven_chars, arena_strndup(&d->arena, t->ext_char, strlen(t->ext_char)));
        list_push(&d->arena, &h->seven_texts, capture_take(&t->cap, &d->arena));
        break;
    case T_CHAPTER:
    case T_SECTION:
    case T_DIAG: t->nhold--; break;
    default: break;
    }
}

/* -- the ICD-10-PCS Tables -- */

enum { P_OTHER, P_TABLE, P_ROW, P_AXIS, P_LABEL, P_DEF };

typedef struct PcsParse {
    Capture cap; /* first: on_text's user data */
    Data *d;
    int depth, overflow, bad;
    unsigned char el[XML_DEPTH_CAP];
    PcsTable *table;
    PcsRow *row;
    int pos;  /* of the current axis, 1..7 */
    char label_code;
} PcsParse;

static void XMLCALL pcs_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    PcsParse *p = ud;
    Arena *a = &p->d->arena;
    int parent = p->depth > 0 && p->depth <= XML_DEPTH_CAP ? p->el[p->depth - 1] : P_OTHER;
    int type = P_OTHER;
    if (p->depth >= XML_DEPTH_CAP) {
        p->overflow = 1;
        p->depth++;
        return;
    }
    if (strcmp(name, "pcsTable") == 0) {
        type = P_TABLE;
        p->table = arena_alloc(a, sizeof *p->table);
        p->row = NULL;
    } else if (strcmp(name, "pcsRow") == 0 && parent == P_TABLE) {
        type = P_ROW;
        arena_grow(a, (void **)&p->table->rows, sizeof *p->table->rows, p->table->nrows, &p->table->caprows);
        p->row = &p->table->rows[p->table->nrows++];
    } else if (strcmp(name, "axis") == 0 && (parent == P_TABLE || parent == P_ROW)) {
        const char *pos = xml_attr(attrs, "pos");
        type = P_AXIS;
        p->pos = pos ? atoi(pos) : 0;
        if (parent == P_TABLE ? (p->pos < 1 || p->pos > 3) : (p->pos < 4 || p->pos > 7)) p->bad = 1;
    } else if (strcmp(name, "label") == 0 && parent == P_AXIS) {
        const char *code = xml_attr(attrs, "code");
        type = P_LABEL;
        if (!code || strlen(code) != 1) p->bad = 1;
        p->label_code = code ? code[0] : '?';
        capture_start(&p->cap);
    } else if (strcmp(name, "definition") == 0 && parent == P_AXIS) {
        type = P_DEF;
        capture_start(&p->cap);
    }
    p->el[p->depth++] = (unsigned char)type;
}

static void XMLCALL pcs_end(void *ud, const XML_Char *name)
{
    PcsParse *p = ud;
    Arena *a = &p->d->arena;
    (void)name;
    if (--p->depth >= XML_DEPTH_CAP) return;
    int type = p->el[p->depth];
    int in_row = p->depth >= 2 && p->el[p->depth - 2] == P_ROW;
    if (type == P_LABEL) {
        char *text = capture_take(&p->cap, a);
        if (!in_row && p->pos >= 1 && p->pos <= 3) {
            p->table->code[p->pos - 1] = p->label_code;
            p->table->label[p->pos - 1] = text;
        } else if (in_row && p->pos >= 4 && p->pos <= 7) {
            PcsAxis *ax = &p->row->ax[p->pos - 4];
            size_t ccap = ax->ccap;
            arena_grow(a, (void **)&ax->labels, sizeof *ax->labels, ax->n, &ax->cap);
            arena_grow(a, (void **)&ax->codes, 1, ax->n, &ccap);
            ax->ccap = ccap;
            ax->codes[ax->n] = p->label_code;
            ax->labels[ax->n++] = text;
        }
    } else if (type == P_DEF) {
        p->table->definition = capture_take(&p->cap, a);
    } else if (type == P_TABLE) {
        char key[4] = {p->table->code[0], p->table->code[1], p->table->code[2], '\0'};
        if (strlen(key) != 3 || !map_put(&p->d->pcs_tables, a, key, p->table)) p->bad = 1;
        p->table = NULL;
    }
}

/* ---- loading ---- */

/* Reads one official file into d; notes why not in d->src[i]. */
static void load_source(Data *d, int i)
{
    char path[PATH_CAP];
    Source *s = &d->src[i];
    snprintf(path, sizeof path, "%s/%s", SHARED_DATA_DIR, SRC_FILE[i]);
    if (access(path, R_OK) != 0) {
        snprintf(s->skip, sizeof s->skip, "official release file %s is missing (SHARED_DATA_DIR=%s)",
                 SRC_FILE[i], SHARED_DATA_DIR);
        return;
    }
    int rc = 0;
    switch (i) {
    case SRC_CM26: rc = read_lines(d, path, order_line, &d->cm26, s->error, sizeof s->error); break;
    case SRC_CM23: rc = read_lines(d, path, order_line, &d->cm23, s->error, sizeof s->error); break;
    case SRC_PCS: rc = read_lines(d, path, order_line, &d->pcs, s->error, sizeof s->error); break;
    case SRC_HCPCS: {
        TsvCtx t = {0, {0}};
        rc = read_lines(d, path, hcpcs_line, &t, s->error, sizeof s->error);
        break;
    }
    case SRC_TAB: {
        TabParse t;
        memset(&t, 0, sizeof t);
        t.d = d;
        rc = stream_xml(path, &t, tab_start, tab_end, s->error, sizeof s->error);
        free(t.cap.buf);
        if (rc == 0 && (t.overflow || d->diags.count == 0 || d->sections.count == 0)) {
            snprintf(s->error, sizeof s->error, "%s: unexpected structure (%zu diags, %zu sections%s)", path,
                     d->diags.count, d->sections.count, t.overflow ? ", nested too deeply" : "");
            rc = -1;
        }
        for (int c = 1; rc == 0 && c <= 22; c++)
            if (!d->chapters[c]) {
                snprintf(s->error, sizeof s->error, "%s: chapter %d not found", path, c);
                rc = -1;
            }
        break;
    }
    case SRC_PCSTAB: {
        PcsParse p;
        memset(&p, 0, sizeof p);
        p.d = d;
        rc = stream_xml(path, &p, pcs_start, pcs_end, s->error, sizeof s->error);
        free(p.cap.buf);
        if (rc == 0 && (p.overflow || p.bad || d->pcs_tables.count == 0)) {
            snprintf(s->error, sizeof s->error, "%s: unexpected structure (%zu tables)", path,
                     d->pcs_tables.count);
            rc = -1;
        }
        break;
    }
    default: break;
    }
    s->ok = rc == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Parses every .json file of content/codes/<dir>, sorted by name. 0 on success. */
static int load_bundles(Data *d, int sys)
{
    char dir[PATH_CAP];
    snprintf(dir, sizeof dir, "%s/content/codes/%s", SOURCE_DIR, SYS_DIR[sys]);
    DIR *dp = opendir(dir);
    if (!dp) {
        snprintf(d->bundle_error, sizeof d->bundle_error, "cannot open %s", dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0) continue;
        char **nn = realloc(names, (n + 1) * sizeof *nn);
        if (!nn) abort();
        names = nn;
        names[n++] = strdup(e->d_name);
    }
    closedir(dp);
    if (n) qsort(names, n, sizeof *names, cmp_str);
    Bundles *b = &d->bundles[sys];
    b->v = calloc(n ? n : 1, sizeof *b->v);
    if (!b->v) abort();
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        Bundle *bu = &b->v[b->n++];
        char path[PATH_CAP * 2];
        snprintf(bu->rel, sizeof bu->rel, "content/codes/%s/%s", SYS_DIR[sys], names[i]);
        snprintf(path, sizeof path, "%s/%s", SOURCE_DIR, bu->rel);
        FILE *f = fopen(path, "rb");
        char *text = NULL;
        long size = -1;
        if (f && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
            text = malloc((size_t)size + 1);
            if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) size = -1;
            else text[size] = '\0';
        }
        if (f) fclose(f);
        if (size >= 0) bu->root = cJSON_Parse(text);
        free(text);
        if (!bu->root && rc == 0) {
            snprintf(d->bundle_error, sizeof d->bundle_error, "%s: %s", bu->rel,
                     size < 0 ? "cannot be read" : "is not valid JSON");
            rc = -1;
        }
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    if (rc == 0 && n == 0) {
        snprintf(d->bundle_error, sizeof d->bundle_error, "no .json files in %s", dir);
        rc = -1;
    }
    return rc;
}

static int group_setup(void **state)
{
    Data *d = calloc(1, sizeof *d);
    if (!d) return -1;
    *state = d;
    for (int s = 0; s < NSYS; s++)
        if (load_bundles(d, s) != 0) break;
    int have_xz = testutil_xz_available();
    for (int i = 0; i < NSRC; i++) {
        if (have_xz) load_source(d, i);
        else
            snprintf(d->src[i].skip, sizeof d->src[i].skip,
                     "the xz program is not installed (needed to read %s/%s)", SHARED_DATA_DIR, SRC_FILE[i]);
    }
    if (d->src[SRC_CM26].ok)
        printf("official data read: ICD-10-CM FY2026 %zu codes, FY2023 %zu; Tabular FY2023 %zu diags, "
               "%zu sections; ICD-10-PCS %zu codes, %zu tables; HCPCS %zu records\n",
               d->cm26.count, d->cm23.count, d->diags.count, d->sections.count, d->pcs.count,
               d->pcs_tables.count, d->hcpcs.count);
    return 0;
}

static int group_teardown(void **state)
{
    Data *d = *state;
    if (!d) return 0;
    for (int s = 0; s < NSYS; s++) {
        for (size_t i = 0; i < d->bundles[s].n; i++) cJSON_Delete(d->bundles[s].v[i].root);
        free(d->bundles[s].v);
    }
    Map *maps[] = {&d->cm26, &d->cm26_prefix, &d->cm23, &d->diags, &d->sections,
                   &d->pcs, &d->pcs_tables, &d->hcpcs};
    for (size_t i = 0; i < sizeof maps / sizeof *maps; i++) map_free(maps[i]);
    arena_free(&d->arena);
    free(d);
    return 0;
}

/* Fails when the bundled JSON is unreadable; skips (with the reason on stdout) when an
 * official file a test needs is absent; fails when it is present but unreadable. */
static Data *need(void **state, unsigned sources)
{
    Data *d = *state;
    if (d->bundle_error[0]) fail_msg("bundled dictionary: %s", d->bundle_error);
    for (int i = 0; i < NSRC; i++) {
        if (!(sources & (1u << i))) continue;
        if (d->src[i].skip[0]) {
            printf("SKIPPED: %s\n", d->src[i].skip);
            fflush(stdout);
            skip();
        }
    }
    for (int i = 0; i < NSRC; i++)
        if ((sources & (1u << i)) && !d->src[i].ok) fail_msg("%s", d->src[i].error);
    return d;
}

#define NEED(s) (1u << (s))

/* ---- collecting mismatches ---- */

typedef struct Report {
    char **lines;
    size_t n, cap;
    size_t checked;
} Report;

static void mismatch(Report *r, const char *file, const char *code, const char *fmt, ...) PRINTF_LIKE(4, 5);

static void mismatch(Report *r, const char *file, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    size_t head = strlen(file) + strlen(code) + 8;
    char *line = malloc(head + (size_t)n + 1);
    assert_non_null(line);
    int h = snprintf(line, head, "  %s: %s: ", file, code);
    va_start(ap, fmt);
    vsnprintf(line + h, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        char **nl = realloc(r->lines, r->cap * sizeof *nl);
        assert_non_null(nl);
        r->lines = nl;
    }
    r->lines[r->n++] = line;
}

/* Prints every mismatch under title, then fails once when there is any. */
static void finish(Report *r, const char *what)
{
    size_t n = r->n;
    printf("checked %zu %s\n", r->checked, what);
    if (n) {
        printf("%zu disagreement(s) with the official files:\n", n);
        for (size_t i = 0; i < n; i++) printf("%s\n", r->lines[i]);
    }
    fflush(stdout);
    for (size_t i = 0; i < r->n; i++) free(r->lines[i]);
    free(r->lines);
    memset(r, 0, sizeof *r);
    if (n) fail_msg("%zu bundled entr%s disagree with the official files (listed above)", n, n == 1 ? "y" : "ies");
}

/* ---- JSON helpers ---- */

static const cJSON *jget(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = jget(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Compares a bundled string field with the official text (exactly). */
static void check_field(Report *r, const char *file, const char *code, const cJSON *entry, const char *field,
                        const char *official)
{
    const cJSON *v = jget(entry, field);
    if (!official) {
        if (v && !cJSON_IsNull(v))
            mismatch(r, file, code, "%s: bundled %s%s%s, official: none (null)", field,
                     cJSON_IsString(v) ? "\"" : "", cJSON_IsString(v) ? v->valuestring : "(not a string)",
                     cJSON_IsString(v) ? "\"" : "");
        return;
    }
    if (!cJSON_IsString(v))
        mismatch(r, file, code, "%s: bundled %s, official \"%s\"", field,
                 !v ? "missing" : cJSON_IsNull(v) ? "null" : "not a string", official);
    else if (strcmp(v->valuestring, official) != 0)
        mismatch(r, file, code, "%s: bundled \"%s\", official \"%s\"", field, v->valuestring, official);
}

/* ICD-10-CM code as printed in the Tabular ("E11.22", "I10") -> order-file key ("E1122").
 * 0 when it is not written that way. */
static int cm_key(const char *code, char key[8])
{
    size_t len = code ? strlen(code) : 0;
    if (len == 3 && !strchr(code, '.')) {
        memcpy(key, code, 4);
        return 1;
    }
    if (len < 5 || len > 8 || code[3] != '.' || strchr(code + 4, '.')) return 0;
    memcpy(key, code, 3);
    memcpy(key + 3, code + 4, len - 4);
    key[len - 1] = '\0';
    for (size_t i = 0; key[i]; i++)
        if (!isalnum((unsigned char)key[i])) return 0;
    return 1;
}

static const cJSON *codes_of(Report *r, const Bundle *b, const char *member)
{
    const cJSON *arr = jget(b->root, member);
    if (!cJSON_IsArray(arr)) {
        mismatch(r, b->rel, "-", "\"%s\" is not an array", member);
        return NULL;
    }
    return arr;
}

static const char *code_of(const cJSON *entry, size_t i, char *buf, size_t cap)
{
    const char *code = jstr(entry, "code");
    if (code) return code;
    snprintf(buf, cap, "(entry #%zu without a code)", i + 1);
    return buf;
}

/* ---- ICD-10-CM: codes, titles, billable flags ---- */

static void test_every_bundled_icd10cm_code_has_its_official_fy2026_titles_and_billable_flag(void **state)
{
    Data *d = need(state, NEED(SRC_CM26));
    Report r = {0};
    const Bundles *bs = &d->bundles[SYS_CM];
    for (size_t f = 0; f < bs->n; f++) {
        const Bundle *b = &bs->v[f];
        const cJSON *codes = codes_of(&r, b, "codes");
        size_t i = 0;
        const cJSON *c;
        cJSON_ArrayForEach(c, codes) {
            char buf[64], key[8];
            const char *code = code_of(c, i++, buf, sizeof buf);
            r.checked++;
            if (!cm_key(jstr(c, "code"), key)) {
                mismatch(&r, b->rel, code, "code: not an ICD-10-CM code written with its dot after the 3rd character");
                continue;
            }
            const OrderRec *o = map_get(&d->cm26, key);
            if (!o) {
                mismatch(&r, b->rel, code, "code: not in the FY2026 order file (%s)", CM26_FILE);
                continue;
            }
            check_field(&r, b->rel, code, c, "short", o->shrt);
            check_field(&r, b->rel, code, c, "title", o->title);
            const cJSON *bill = jget(c, "billable");
            if (!cJSON_IsBool(bill))
                mismatch(&r, b->rel, code, "billable: bundled %s, official %s", bill ? "not a boolean" : "missing",
                         o->billable ? "true" : "false");
            else if (cJSON_IsTrue(bill) != o->billable)
                mismatch(&r, b->rel, code, "billable: bundled %s, official %s", cJSON_IsTrue(bill) ? "true" : "false",
                         o->billable ? "true" : "false");
        }
    }
    finish(&r, "bundled ICD-10-CM code(s) against the FY2026 order file");
}

/* ---- ICD-10-CM: instructional notes ---- */

static int kind_index(const char *json_name)
{
    for (int k = 0; k < NKINDS; k++)
        if (strcmp(json_name, KIND_JSON[k]) == 0) return k;
    return -1;
}

/* Compares every note kind given in notes (a "notes" member, may be NULL) with the
 * official holder (NULL: the Tabular has no notes there). */
static void compare_notes(Report *r, const char *file, const char *what, const cJSON *notes, const Holder *h)
{
    if (!notes) return;
    if (!cJSON_IsObject(notes)) {
        mismatch(r, file, what, "notes: not an object");
        return;
    }
    const cJSON *kind;
    cJSON_ArrayForEach(kind, notes) {
        int k = kind_index(kind->string);
        if (k < 0) {
            mismatch(r, file, what, "notes.%s: not a note kind of the format", kind->string);
            continue;
        }
        static const StrList empty = {NULL, 0, 0};
        const StrList *off = h ? &h->kinds[k] : &empty;
        if (!cJSON_IsArray(kind)) {
            mismatch(r, file, what, "notes.%s: not an array", kind->string);
            continue;
        }
        size_t n = (size_t)cJSON_GetArraySize(kind), i = 0;
        const cJSON *note;
        const char *first_b = NULL, *first_o = NULL;
        size_t first_at = 0;
        int differ = n != off->n;
        cJSON_ArrayForEach(note, kind) {
            const char *text = cJSON_IsString(note) ? note->valuestring : NULL;
            const char *o = i < off->n ? off->v[i] : NULL;
            if (!text || !o || !same_text(text, o)) {
                if (!differ || !first_b) {
                    first_b = text ? text : "(not a string)";
                    first_o = o ? o : "(none)";
                    first_at = i + 1;
                }
                differ = 1;
                break;
            }
            i++;
        }
        if (!differ) continue;
        if (!first_b) { /* the bundled list is a prefix of the official one */
            first_at = n + 1;
            first_b = "(none)";
            first_o = off->v[n];
        }
        mismatch(r, file, what,
                 "notes.%s: bundled %zu note(s), official %zu (%s <%s>); first difference at #%zu: "
                 "bundled \"%s\", official \"%s\"",
                 kind->string, n, off->n, TAB_FILE, KIND_XML[k], first_at, first_b, first_o);
    }
}

/* Has notes with at least one non-empty kind. */
static int has_any_note(const cJSON *notes)
{
    const cJSON *kind;
    if (!cJSON_IsObject(notes)) return notes != NULL;
    cJSON_ArrayForEach(kind, notes) {
        if (!cJSON_IsArray(kind) || cJSON_GetArraySize(kind) > 0) return 1;
    }
    return 0;
}

/* "B20-B20" -> Tabular section id "B20"; "E08-E13" stays. */
static void section_id(const char *range, char *id, size_t cap)
{
    const char *dash = strchr(range, '-');
    if (dash && strcmp(dash + 1, range) != 0 && strlen(dash + 1) == (size_t)(dash - range) &&
        strncmp(range, dash + 1, (size_t)(dash - range)) == 0)
        snprintf(id, cap, "%.*s", (int)(dash - range), range);
    else
        snprintf(id, cap, "%s", range);
}

static int chapter_number(const Bundle *b)
{
    const cJSON *num = jget(jget(b->root, "chapter"), "number");
    return cJSON_IsNumber(num) && num->valueint >= 1 && num->valueint <= 22 ? num->valueint : 0;
}

static void test_every_bundled_icd10cm_note_is_the_official_tabular_note(void **state)
{
    Data *d = need(state, NEED(SRC_CM26) | NEED(SRC_CM23) | NEED(SRC_TAB));
    Report r = {0};
    size_t skipped_changed = 0;
    const Bundles *bs = &d->bundles[SYS_CM];
    for (size_t f = 0; f < bs->n; f++) {
        const Bundle *b = &bs->v[f];
        /* the chapter's and the sections' notes (these come from the FY2023 Tabular too) */
        const cJSON *chapter = jget(b->root, "chapter");
        int num = chapter_number(b);
        char what[64];
        snprintf(what, sizeof what, "chapter %d", num);
        if (!num) mismatch(&r, b->rel, "chapter", "number: missing or not 1..22");
        else if (jget(chapter, "notes")) {
            r.checked++;
            compare_notes(&r, b->rel, what, jget(chapter, "notes"), d->chapters[num]);
        }
        const cJSON *sec;
        cJSON_ArrayForEach(sec, jget(b->root, "sections")) {
            const char *range = jstr(sec, "range");
            char id[32];
            section_id(range ? range : "", id, sizeof id);
            snprintf(what, sizeof what, "section %s", range ? range : "(no range)");
            if (!jget(sec, "notes")) continue;
            r.checked++;
            const Holder *h = map_get(&d->sections, id);
            if (!h) mismatch(&r, b->rel, what, "notes: no section %s in the FY2023 Tabular", id);
            else compare_notes(&r, b->rel, what, jget(sec, "notes"), h);
        }
        /* the codes' notes */
        const cJSON *codes = codes_of(&r, b, "codes");
        const cJSON *c;
        size_t i = 0;
        cJSON_ArrayForEach(c, codes) {
            char buf[64], key[8];
            const char *code = code_of(c, i++, buf, sizeof buf);
            const cJSON *notes = jget(c, "notes");
            if (!notes || !cm_key(jstr(c, "code"), key)) continue; /* bad codes: see the titles test */
            r.checked++;
            const OrderRec *o26 = map_get(&d->cm26, key), *o23 = map_get(&d->cm23, key);
            /* README rule: notes only where the code and its title are unchanged in FY2026.
             * A code that is new or retitled since FY2023 must therefore carry no notes. */
            if (!o26 || !o23 || strcmp(o26->title, o23->title) != 0) {
                skipped_changed++;
                if (has_any_note(notes))
                    mismatch(&r, b->rel, code,
                             "notes: given, but the code %s between FY2023 and FY2026 (FY2023 \"%s\", "
                             "FY2026 \"%s\"); notes are given only where the code and its title are unchanged",
                             !o23 ? "is new" : !o26 ? "is gone" : "changed its title", o23 ? o23->title : "-",
                             o26 ? o26->title : "-");
                continue;
            }
            /* a code the Tabular does not list (a 7th-character expansion) has no notes */
            compare_notes(&r, b->rel, code, notes, map_get(&d->diags, code));
        }
    }
    printf("%zu bundled code(s) with notes are new or retitled since FY2023 (they must have none)\n",
           skipped_changed);
    finish(&r, "chapter, section and code note set(s) against the FY2023 Tabular");
}

/* ---- ICD-10-CM: 7th characters ---- */

static void test_every_bundled_seven_chr_is_the_official_definition(void **state)
{
    Data *d = need(state, NEED(SRC_TAB));
    Report r = {0};
    const Bundles *bs = &d->bundles[SYS_CM];
    for (size_t f = 0; f < bs->n; f++) {
        const Bundle *b = &bs->v[f];
        const cJSON *c;
        size_t i = 0;
        cJSON_ArrayForEach(c, codes_of(&r, b, "codes")) {
            char buf[64];
            const char *code = code_of(c, i++, buf, sizeof buf);
            const cJSON *seven = jget(c, "seven_chr");
            const Holder *h = map_get(&d->diags, jstr(c, "code"));
            if (!seven) {
                /* the code that defines the 7th characters carries them (README) */
                if (h && h->has_seven)
                    mismatch(&r, b->rel, code, "seven_chr: missing; the FY2023 Tabular defines %zu 7th character(s) here",
                             h->seven_chars.n);
                continue;
            }
            r.checked++;
            if (!cJSON_IsObject(seven)) {
                mismatch(&r, b->rel, code, "seven_chr: not an object");
                continue;
            }
            if (!h || !h->has_seven) {
                mismatch(&r, b->rel, code, "seven_chr: given, but the FY2023 Tabular %s",
                         h ? "defines no 7th characters on this code" : "does not list this code");
                continue;
            }
            const cJSON *e;
            cJSON_ArrayForEach(e, seven) {
                size_t k = 0;
                while (k < h->seven_chars.n && strcmp(h->seven_chars.v[k], e->string) != 0) k++;
                if (k == h->seven_chars.n)
                    mismatch(&r, b->rel, code, "seven_chr.%s: not an official 7th character here", e->string);
                else if (!cJSON_IsString(e) || !same_text(e->valuestring, h->seven_texts.v[k]))
                    mismatch(&r, b->rel, code, "seven_chr.%s: bundled \"%s\", official \"%s\"", e->string,
                             cJSON_IsString(e) ? e->valuestring : "(not a string)", h->seven_texts.v[k]);
            }
            for (size_t k = 0; k < h->seven_chars.n; k++)
                if (!jget(seven, h->seven_chars.v[k]))
                    mismatch(&r, b->rel, code, "seven_chr.%s: missing, official \"%s\"", h->seven_chars.v[k],
                             h->seven_texts.v[k]);
        }
    }
    finish(&r, "bundled seven_chr definition(s) against the FY2023 Tabular");
}

/* ---- ICD-10-CM: chapter and section titles ---- */

static void test_every_bundled_section_and_chapter_title_is_the_official_one(void **state)
{
    Data *d = need(state, NEED(SRC_TAB) | NEED(SRC_CM26));
    Report r = {0};
    const Bundles *bs = &d->bundles[SYS_CM];
    for (size_t f = 0; f < bs->n; f++) {
        const Bundle *b = &bs->v[f];
        const cJSON *chapter = jget(b->root, "chapter");
        int num = chapter_number(b);
        const char *title = jstr(chapter, "title");
        r.checked++;
        if (!num) {
            mismatch(&r, b->rel, "chapter", "number: missing or not 1..22");
        } else {
            const char *official = d->chapters[num]->desc;
            char adjusted[512];
            /* The one known FY2026 change to a chapter heading: FY2026 added category QA0, so
             * chapter 17 reads "(Q00-QA0)" where the FY2023 Tabular says "(Q00-Q99)". Accept
             * that difference for chapter 17 only, and only while the FY2026 order file really
             * has QA0. */
            const char *old = "(Q00-Q99)";
            size_t ol = strlen(official), sl = strlen(old);
            if (num == 17 && map_get(&d->cm26, "QA0") && ol >= sl && strcmp(official + ol - sl, old) == 0) {
                snprintf(adjusted, sizeof adjusted, "%.*s(Q00-QA0)", (int)(ol - sl), official);
                official = adjusted;
            }
            char what[32];
            snprintf(what, sizeof what, "chapter %d", num);
            if (!title || !same_text(title, official))
                mismatch(&r, b->rel, what, "title: bundled \"%s\", official \"%s\"", title ? title : "(missing)",
                         official);
        }
        const cJSON *sec;
        cJSON_ArrayForEach(sec, jget(b->root, "sections")) {
            const char *range = jstr(sec, "range");
            const char *stitle = jstr(sec, "title");
            char id[32], what[48];
            section_id(range ? range : "", id, sizeof id);
            snprintf(what, sizeof what, "section %s", range ? range : "(no range)");
            r.checked++;
            const Holder *h = map_get(&d->sections, id);
            if (!h)
                mismatch(&r, b->rel, what, "range: no section with id \"%s\" in the FY2023 Tabular", id);
            else if (!stitle || !same_text(stitle, h->desc))
                mismatch(&r, b->rel, what, "title: bundled \"%s\", official \"%s\"", stitle ? stitle : "(missing)",
                         h->desc ? h->desc : "");
        }
    }
    finish(&r, "chapter and section title(s) against the FY2023 Tabular");
}

/* ---- ICD-10-CM: the Index ---- */

static void check_index_code(Data *d, Report *r, const char *file, const char *path, const char *field,
                             const cJSON *v)
{
    if (!v) return;
    r->checked++;
    if (!cJSON_IsString(v)) {
        mismatch(r, file, path, "%s: not a string", field);
        return;
    }
    const char *code = v->valuestring;
    size_t len = strlen(code);
    char key[8];
    if (len > 1 && code[len - 1] == '-') { /* incomplete: "S72.0-", "Z18.-" */
        char head[16];
        if (len - 1 >= sizeof head) {
            mismatch(r, file, path, "%s: \"%s\" is not an ICD-10-CM code", field, code);
            return;
        }
        memcpy(head, code, len - 1);
        head[len - 1] = '\0';
        if (len - 1 == 4 && head[3] == '.') head[3] = '\0';
        if (!cm_key(head, key))
            mismatch(r, file, path, "%s: \"%s\" is not an ICD-10-CM code written with its dot", field, code);
        else if (!map_get(&d->cm26_prefix, key))
            mismatch(r, file, path, "%s: no FY2026 code begins with \"%s\"", field, code);
        return;
    }
    if (!cm_key(code, key))
        mismatch(r, file, path, "%s: \"%s\" is not an ICD-10-CM code written with its dot", field, code);
    else if (!map_get(&d->cm26, key))
        mismatch(r, file, path, "%s: \"%s\" is not in the FY2026 order file", field, code);
}

static void walk_index(Data *d, Report *r, const char *file, const cJSON *terms, const char *parent, int depth)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, terms) {
        const char *term = jstr(t, "term");
        size_t need_len = strlen(parent) + (term ? strlen(term) : 8) + 8;
        char *path = malloc(need_len);
        assert_non_null(path);
        snprintf(path, need_len, "%s%s%s", parent, parent[0] ? " > " : "index: ", term ? term : "(no term)");
        check_index_code(d, r, file, path, "code", jget(t, "code"));
        check_index_code(d, r, file, path, "manif", jget(t, "manif"));
        if (depth < 32) walk_index(d, r, file, jget(t, "sub"), path, depth + 1);
        free(path);
    }
}

static void test_every_bundled_index_code_exists(void **state)
{
    Data *d = need(state, NEED(SRC_CM26));
    Report r = {0};
    const Bundles *bs = &d->bundles[SYS_CM];
    for (size_t f = 0; f < bs->n; f++)
        walk_index(d, &r, bs->v[f].rel, jget(bs->v[f].root, "index"), "", 0);
    assert_true(r.checked > 0);
    finish(&r, "Index code(s) and manif code(s) against the FY2026 order file");
}

/* ---- ICD-10-PCS ---- */

static const char *const PCS_ROW_AXIS[4] = {"body_part", "approach", "device", "qualifier"};
static const char *const PCS_TABLE_AXIS[3] = {"section", "body_system", "operation"};

/* Index of value c on an official row axis, or -1. */
static int axis_find(const PcsAxis *ax, char c)
{
    for (size_t i = 0; i < ax->n; i++)
        if (ax->codes[i] == c) return (int)i;
    return -1;
}

/* [character, label] of a bundled axis value; 0 when malformed. */
static int pcs_value(const cJSON *v, char *c, const char **label)
{
    const cJSON *ch = cJSON_GetArrayItem(v, 0), *lb = cJSON_GetArrayItem(v, 1);
    if (!cJSON_IsArray(v) || !cJSON_IsString(ch) || strlen(ch->valuestring) != 1 || !cJSON_IsString(lb))
        return 0;
    *c = ch->valuestring[0];
    *label = lb->valuestring;
    return 1;
}

/* Does official row o hold every value of bundled row (labels too when with_labels)? */
static int row_covers(const PcsRow *o, const cJSON *row, int with_labels)
{
    for (int a = 0; a < 4; a++) {
        const cJSON *v;
        cJSON_ArrayForEach(v, jget(row, PCS_ROW_AXIS[a])) {
            char c;
            const char *label;
            if (!pcs_value(v, &c, &label)) return 0;
            int k = axis_find(&o->ax[a], c);
            if (k < 0 || (with_labels && strcmp(o->ax[a].labels[k], label) != 0)) return 0;
        }
    }
    return 1;
}

static void check_pcs_table(Data *d, Report *r, const Bundle *b, const cJSON *t)
{
    const char *key = jstr(t, "table");
    char what[48];
    snprintf(what, sizeof what, "table %s", key ? key : "(no table)");
    r->checked++;
    const PcsTable *o = key ? map_get(&d->pcs_tables, key) : NULL;
    if (!o) {
        mismatch(r, b->rel, what, "table: not in the FY2026 Tables XML");
        return;
    }
    for (int a = 0; a < 3; a++) {
        const cJSON *ax = jget(t, PCS_TABLE_AXIS[a]);
        const cJSON *ch = cJSON_GetArrayItem(ax, 0), *lb = cJSON_GetArrayItem(ax, 1);
        char oc[2] = {o->code[a], '\0'};
        if (!cJSON_IsArray(ax) || !cJSON_IsString(ch) || !cJSON_IsString(lb)) {
            mismatch(r, b->rel, what, "%s: not [character, label]; official [\"%s\", \"%s\"]", PCS_TABLE_AXIS[a], oc,
                     o->label[a]);
            continue;
        }
        if (strcmp(ch->valuestring, oc) != 0)
            mismatch(r, b->rel, what, "%s: character \"%s\", but the table's is \"%s\"", PCS_TABLE_AXIS[a],
                     ch->valuestring, oc);
        if (strcmp(lb->valuestring, o->label[a]) != 0)
            mismatch(r, b->rel, what, "%s: label \"%s\", official \"%s\"", PCS_TABLE_AXIS[a], lb->valuestring,
                     o->label[a]);
        if (a == 2) {
            const cJSON *def = cJSON_GetArrayItem(ax, 2);
            if (!o->definition && def)
                mismatch(r, b->rel, what, "operation: definition \"%s\", but the official table has none",
                         cJSON_IsString(def) ? def->valuestring : "(not a string)");
            else if (o->definition && (!cJSON_IsString(def) || strcmp(def->valuestring, o->definition) != 0))
                mismatch(r, b->rel, what, "operation: definition \"%s\", official \"%s\"",
                         cJSON_IsString(def) ? def->valuestring : "(missing)", o->definition);
        }
    }
    const cJSON *row;
    int ri = 0;
    cJSON_ArrayForEach(row, jget(t, "rows")) {
        ri++;
        int bad = 0;
        /* each value's label: an official row of this table with the same value shows it */
        for (int a = 0; a < 4; a++) {
            const cJSON *vals = jget(row, PCS_ROW_AXIS[a]);
            if (!cJSON_IsArray(vals) || cJSON_GetArraySize(vals) == 0) {
                mismatch(r, b->rel, what, "row %d: %s: missing or empty", ri, PCS_ROW_AXIS[a]);
                bad = 1;
                continue;
            }
            const cJSON *v;
            cJSON_ArrayForEach(v, vals) {
                char c;
                const char *label;
                if (!pcs_value(v, &c, &label)) {
                    mismatch(r, b->rel, what, "row %d: %s: a value is not [character, label]", ri, PCS_ROW_AXIS[a]);
                    bad = 1;
                    continue;
                }
                const char *seen = NULL;
                int same = 0;
                for (size_t k = 0; k < o->nrows && !same; k++) {
                    int at = axis_find(&o->rows[k].ax[a], c);
                    if (at < 0) continue;
                    if (!seen) seen = o->rows[k].ax[a].labels[at];
                    same = strcmp(o->rows[k].ax[a].labels[at], label) == 0;
                }
                if (!seen)
                    mismatch(r, b->rel, what, "row %d: %s \"%c\": no official row of the table has this value", ri,
                             PCS_ROW_AXIS[a], c);
                else if (!same)
                    mismatch(r, b->rel, what, "row %d: %s \"%c\": label \"%s\", official \"%s\"", ri,
                             PCS_ROW_AXIS[a], c, label, seen);
                bad |= !seen || !same;
            }
        }
        if (bad) continue;
        /* a bundled row lists a subset of one official row's values (README) */
        int covered = 0;
        for (size_t k = 0; k < o->nrows && !covered; k++) covered = row_covers(&o->rows[k], row, 1);
        if (!covered)
            mismatch(r, b->rel, what, "row %d: its values are not all in one official row of the table", ri);
    }
}

static void test_every_bundled_pcs_code_and_table_label_is_official(void **state)
{
    Data *d = need(state, NEED(SRC_PCS) | NEED(SRC_PCSTAB));
    Report r = {0};
    const Bundles *bs = &d->bundles[SYS_PCS];
    for (size_t f = 0; f < bs->n; f++) {
        const Bundle *b = &bs->v[f];
        const cJSON *t;
        cJSON_ArrayForEach(t, codes_of(&r, b, "tables")) check_pcs_table(d, &r, b, t);
        const cJSON *c;
        size_t i = 0;
        cJSON_ArrayForEach(c, codes_of(&r, b, "codes")) {
            char buf[64];
            const char *code = code_of(c, i++, buf, sizeof buf);
            r.checked++;
            const OrderRec *o = jstr(c, "code") ? map_get(&d->pcs, code) : NULL;
            if (!o || !o->billable || strlen(code) != 7) {
                mismatch(&r, b->rel, code, "code: %s", o ? "an FY2026 table header, not a valid code"
                                                         : "not in the FY2026 PCS order file");
                continue;
            }
            check_field(&r, b->rel, code, c, "short", o->shrt);
            check_field(&r, b->rel, code, c, "title", o->title);
        }
    }
    finish(&r, "bundled PCS table(s) and code(s) against the FY2026 order file and Tables XML");
}

/* ---- HCPCS Level II ---- */

static void test_every_bundled_hcpcs_code_and_modifier_is_official(void **state)
{
    Data *d = need(state, NEED(SRC_HCPCS));
    Report r = {0};
    static const char *const date_field[3] = {"added", "effective", "terminated"};
    const Bundles *bs = &d->bundles[SYS_HCPCS];
    for (size_t f = 0; f < bs->n; f++) {
        const Bundle *b = &bs->v[f];
        for (int m = 0; m < 2; m++) {
            const cJSON *c;
            size_t i = 0;
            cJSON_ArrayForEach(c, codes_of(&r, b, m ? "modifiers" : "codes")) {
                char buf[64];
                const char *code = code_of(c, i++, buf, sizeof buf);
                r.checked++;
                const HcpcsRec *o = jstr(c, "code") ? map_get(&d->hcpcs, code) : NULL;
                if (!o) {
                    mismatch(&r, b->rel, code, "code: not in the HCPCS file (%s)", HCPCS_FILE);
                    continue;
                }
                if (o->recid != (m ? 7 : 3))
                    mismatch(&r, b->rel, code, "code: listed under \"%s\", but its RECID is %d (%s)",
                             m ? "modifiers" : "codes", o->recid, o->recid == 7 ? "a modifier" : "a code");
                check_field(&r, b->rel, code, c, "short", o->shrt);
                check_field(&r, b->rel, code, c, "title", o->title);
                for (int k = 0; k < 3; k++) {
                    const cJSON *v = jget(c, date_field[k]);
                    if (!v)
                        mismatch(&r, b->rel, code, "%s: missing, official %s", date_field[k],
                                 o->dates[k] ? o->dates[k] : "null");
                    else
                        check_field(&r, b->rel, code, c, date_field[k], o->dates[k]);
                }
            }
        }
    }
    finish(&r, "bundled HCPCS code(s) and modifier(s) against the October 2025 file");
}

/* ---- size (no official data needed) ---- */

static void test_the_bundled_dictionary_meets_its_size(void **state)
{
    Data *d = need(state, 0);
    size_t billable = 0, pcs = 0, hcpcs = 0;
    int seen[23] = {0};
    const Bundles *bs = &d->bundles[SYS_CM];
    for (size_t f = 0; f < bs->n; f++) {
        int num = chapter_number(&bs->v[f]);
        if (num) seen[num]++;
        const cJSON *c;
        cJSON_ArrayForEach(c, jget(bs->v[f].root, "codes")) billable += cJSON_IsTrue(jget(c, "billable"));
    }
    for (size_t f = 0; f < d->bundles[SYS_PCS].n; f++)
        pcs += (size_t)cJSON_GetArraySize(jget(d->bundles[SYS_PCS].v[f].root, "codes"));
    for (size_t f = 0; f < d->bundles[SYS_HCPCS].n; f++) {
        const cJSON *root = d->bundles[SYS_HCPCS].v[f].root;
        hcpcs += (size_t)cJSON_GetArraySize(jget(root, "codes")) + (size_t)cJSON_GetArraySize(jget(root, "modifiers"));
    }
    printf("ICD-10-CM: %zu chapter file(s), %zu billable code(s); ICD-10-PCS: %zu code(s); "
           "HCPCS: %zu code(s) and modifier(s)\n",
           bs->n, billable, pcs, hcpcs);
    int chapters_ok = bs->n == 22;
    for (int c = 1; c <= 22; c++) {
        if (seen[c] != 1) printf("chapter %d: %d file(s), expected 1\n", c, seen[c]);
        chapters_ok &= seen[c] == 1;
    }
    assert_true(chapters_ok);
    assert_true(billable >= 1500);
    assert_true(pcs >= 250);
    assert_true(hcpcs >= 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_bundled_dictionary_meets_its_size),
        cmocka_unit_test(test_every_bundled_icd10cm_code_has_its_official_fy2026_titles_and_billable_flag),
        cmocka_unit_test(test_every_bundled_icd10cm_note_is_the_official_tabular_note),
        cmocka_unit_test(test_every_bundled_seven_chr_is_the_official_definition),
        cmocka_unit_test(test_every_bundled_section_and_chapter_title_is_the_official_one),
        cmocka_unit_test(test_every_bundled_index_code_exists),
        cmocka_unit_test(test_every_bundled_pcs_code_and_table_label_is_official),
        cmocka_unit_test(test_every_bundled_hcpcs_code_and_modifier_is_official),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

#include "content.h"

#include <cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "jsonloc.h"
#include "richtext.h"

#define CONTENT_FILE_MAX (4u * 1024u * 1024u)  /* one lesson or quiz file */
#define PATH_MAX_LEN 512

static const char *const TRACK_SLUGS[TRACK_COUNT] = {
    "anatomy", "terminology", "diagnosis-coding", "procedure-coding",
    "billing", "compliance", "cancer-registry", "career"};
static const char *const TRACK_TITLES[TRACK_COUNT] = {
    "Anatomy", "Medical terminology", "Diagnosis coding", "Procedure coding",
    "Billing and reimbursement", "Compliance", "Cancer registry", "Career"};
static const char *const ITEM_TYPE_NAMES[ITEM_TYPE_COUNT] = {
    "single-choice", "multiple-response", "true-false", "fill-in",
    "code-entry", "matching", "ordering", "image-hotspot"};

const char *content_track_slug(Track t) { return (unsigned)t < TRACK_COUNT ? TRACK_SLUGS[t] : "?"; }
const char *content_track_title(Track t) { return (unsigned)t < TRACK_COUNT ? TRACK_TITLES[t] : "?"; }
const char *content_item_type_name(ItemType t)
{
    return (unsigned)t < ITEM_TYPE_COUNT ? ITEM_TYPE_NAMES[t] : "?";
}

int content_track_from_slug(const char *slug, Track *out)
{
    for (int i = 0; i < TRACK_COUNT; i++)
        if (strcmp(slug, TRACK_SLUGS[i]) == 0) {
            *out = (Track)i;
            return 0;
        }
    return -1;
}

/* ------------------------------------------------------------------ loader state */

typedef enum RefKind { REF_LESSON, REF_OBJECTIVE, REF_ITEM } RefKind; /* id namespaces */

typedef struct SourceFile {
    char *rel;        /* path relative to the root (malloc) */
    char *text;       /* file bytes (malloc), kept until references are checked */
    size_t len;
    int bad;          /* a problem was found: the file is left out */
    int is_quiz;
    int index;        /* into lessons or quizzes */
} SourceFile;

typedef struct Ref {
    RefKind kind;
    int file;          /* SourceFile index */
    char *path;        /* JSON path (malloc) */
    char *target;      /* referenced id (malloc) */
} Ref;

typedef struct DeclaredId {
    const char *id;    /* arena string */
    RefKind kind;      /* lessons and quizzes share REF_LESSON's namespace */
    int is_quiz;
    int file;
    const char *path;  /* arena string */
} DeclaredId;

typedef struct ImageSize {
    char *rel;
    float w, h;
    int ok;
} ImageSize;

typedef struct Loader {
    Content *c;
    SourceFile *files;
    int nfiles, capfiles;
    Problem *problems;
    int nproblems, capproblems;
    Lesson *lessons;
    int nlessons, caplessons;
    Quiz *quizzes;
    int nquizzes, capquizzes;
    Ref *refs;
    int nrefs, caprefs;
    DeclaredId *ids;
    int nids, capids;
    ImageSize *images;
    int nimages, capimages;
    int oom;
} Loader;

/* Per-file validation context. */
typedef struct V {
    Loader *L;
    int file;                  /* SourceFile index */
    char path[PATH_MAX_LEN];   /* current JSON path, "" = root */
    size_t plen;
} V;

#define GROW(L, arr, n, cap)                                                       \
    ((n) < (cap) ? 1                                                               \
                 : grow_array((void **)&(arr), &(cap), sizeof *(arr)) == 0 ? 1 : ((L)->oom = 1, 0))

static int grow_array(void **arr, int *cap, size_t elem)
{
    int ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, (size_t)ncap * elem);
    if (!p) return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}

static void add_problem(Loader *L, int file, const char *path, int line, int col,
                        const char *msg)
{
    if (!GROW(L, L->problems, L->nproblems, L->capproblems)) return;
    Problem *p = &L->problems[L->nproblems++];
    p->file = file >= 0 ? arena_strdup(&L->c->arena, L->files[file].rel) : "";
    p->path = arena_strdup(&L->c->arena, path[0] ? path : "$");
    p->line = line;
    p->col = col;
    p->message = arena_strdup(&L->c->arena, msg);
    if (file >= 0) L->files[file].bad = 1;
}

static void problem_at_path(Loader *L, int file, const char *path, const char *msg)
{
    int line = 0, col = 0;
    SourceFile *f = &L->files[file];
    if (f->text) jsonloc_find(f->text, f->len, path[0] ? path : "$", &line, &col);
    char shown[PATH_MAX_LEN + 2];
    snprintf(shown, sizeof shown, "%s%s", path[0] ? "$." : "$", path);
    add_problem(L, file, shown, line, col, msg);
}

static void v_problem(V *v, const char *fmt, ...) CP_PRINTF(2, 3);
static void v_problem(V *v, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    problem_at_path(v->L, v->file, v->path, msg);
}

static size_t v_push_key(V *v, const char *key)
{
    size_t saved = v->plen;
    int n = snprintf(v->path + v->plen, sizeof v->path - v->plen, "%s%s", v->plen ? "." : "", key);
    if (n > 0 && v->plen + (size_t)n < sizeof v->path) v->plen += (size_t)n;
    return saved;
}

static size_t v_push_index(V *v, int i)
{
    size_t saved = v->plen;
    int n = snprintf(v->path + v->plen, sizeof v->path - v->plen, "[%d]", i);
    if (n > 0 && v->plen + (size_t)n < sizeof v->path) v->plen += (size_t)n;
    return saved;
}

static void v_pop(V *v, size_t saved)
{
    v->plen = saved;
    v->path[saved] = '\0';
}

static void add_ref(V *v, RefKind kind, const char *target, size_t len)
{
    Loader *L = v->L;
    if (!GROW(L, L->refs, L->nrefs, L->caprefs)) return;
    Ref *r = &L->refs[L->nrefs];
    r->kind = kind;
    r->file = v->file;
    r->path = strdup(v->path);
    r->target = strndup(target, len);
    if (!r->path || !r->target) {
        free(r->path);
        free(r->target);
        L->oom = 1;
        return;
    }
    L->nrefs++;
}

static void declare_id(V *v, const char *id, RefKind kind, int is_quiz)
{
    Loader *L = v->L;
    for (int i = 0; i < L->nids; i++) {
        DeclaredId *d = &L->ids[i];
        if (d->kind == kind && strcmp(d->id, id) == 0) {
            v_problem(v, "id \"%s\" is already used by %s (%s); ids must be unique", id,
                      L->files[d->file].rel, d->path);
            return;
        }
    }
    if (!GROW(L, L->ids, L->nids, L->capids)) return;
    char shown[PATH_MAX_LEN + 2];
    snprintf(shown, sizeof shown, "$.%s", v->path);
    L->ids[L->nids++] = (DeclaredId){arena_strdup(&L->c->arena, id), kind, is_quiz, v->file,
                                     arena_strdup(&L->c->arena, shown)};
}

/* ------------------------------------------------------------------ typed getters */

static const char *json_type_name(const cJSON *j)
{
    if (cJSON_IsString(j)) return "a string";
    if (cJSON_IsNumber(j)) return "a number";
    if (cJSON_IsBool(j)) return "true/false";
    if (cJSON_IsNull(j)) return "null";
    if (cJSON_IsArray(j)) return "an array";
    if (cJSON_IsObject(j)) return "an object";
    return "an invalid value";
}

static size_t utf8_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

static int is_blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s)) return 0;
    return 1;
}

/* Reports fields not in allowed (NULL-terminated), which are almost always typos. */
static void check_keys(V *v, const cJSON *obj, const char *const *allowed)
{
    for (const cJSON *m = obj->child; m; m = m->next) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(m->string, *a) == 0) ok = 1;
        if (!ok) {
            char list[256] = "";
            for (const char *const *a = allowed; *a; a++) {
                size_t n = strlen(list);
                snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", *a);
            }
            size_t s = v_push_key(v, m->string);
            v_problem(v, "unknown field \"%s\" (expected one of: %s)", m->string, list);
            v_pop(v, s);
        }
    }
}

static void on_rich_problem(void *user, const char *message)
{
    v_problem((V *)user, "%s", message);
}

static void on_rich_ref(void *user, int kind, const char *target, size_t len)
{
    if (kind == RICH_LINK) add_ref((V *)user, REF_LESSON, target, len);
}

/* A string value; rich = 1 also checks inline markup and records its links. */
static const char *str_value(V *v, const cJSON *j, size_t minlen, size_t maxlen, int rich)
{
    if (!cJSON_IsString(j)) {
        v_problem(v, "expected a string, found %s", json_type_name(j));
        return NULL;
    }
    size_t n = utf8_count(j->valuestring);
    if (n < minlen || is_blank(j->valuestring)) {
        v_problem(v, "expected text, found an empty string");
        return NULL;
    }
    if (n > maxlen) {
        v_problem(v, "expected at most %zu characters, found %zu", maxlen, n);
        return NULL;
    }
    if (rich) rich_check(j->valuestring, on_rich_problem, on_rich_ref, v);
    return arena_strdup(&v->L->c->arena, j->valuestring);
}

static const cJSON *field(V *v, const cJSON *obj, const char *key, int required,
                          const char *expected)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!j && required) {
        size_t s = v_push_key(v, key);
        v_problem(v, "missing required field \"%s\" (expected %s)", key, expected);
        v_pop(v, s);
    }
    return j;
}

static const char *get_str(V *v, const cJSON *obj, const char *key, int required,
                           size_t maxlen, int rich)
{
    const cJSON *j = field(v, obj, key, required, "a string");
    if (!j) return NULL;
    size_t s = v_push_key(v, key);
    const char *r = str_value(v, j, 1, maxlen, rich);
    v_pop(v, s);
    return r;
}

static int id_is_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64 || !islower((unsigned char)s[0])) return 0;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
            return 0;
    return 1;
}

static const char *id_value(V *v, const cJSON *j)
{
    if (!cJSON_IsString(j)) {
        v_problem(v, "expected an id string, found %s", json_type_name(j));
        return NULL;
    }
    if (!id_is_valid(j->valuestring)) {
        v_problem(v, "\"%s\" is not a valid id (expected 1-64 of a-z, 0-9 and -, starting with a letter)",
                  j->valuestring);
        return NULL;
    }
    return arena_strdup(&v->L->c->arena, j->valuestring);
}

static const char *get_id(V *v, const cJSON *obj, const char *key)
{
    const cJSON *j = field(v, obj, key, 1, "an id");
    if (!j) return NULL;
    size_t s = v_push_key(v, key);
    const char *r = id_value(v, j);
    v_pop(v, s);
    return r;
}

static int get_int(V *v, const cJSON *obj, const char *key, int required, int lo, int hi,
                   int dflt)
{
    const cJSON *j = field(v, obj, key, required, "a whole number");
    if (!j) return dflt;
    size_t s = v_push_key(v, key);
    int r = dflt;
    if (!cJSON_IsNumber(j) || j->valuedouble != floor(j->valuedouble))
        v_problem(v, "expected a whole number from %d to %d, found %s", lo, hi, json_type_name(j));
    else if (j->valuedouble < lo || j->valuedouble > hi)
        v_problem(v, "expected a whole number from %d to %d, found %g", lo, hi, j->valuedouble);
    else
        r = (int)j->valuedouble;
    v_pop(v, s);
    return r;
}

static int get_number(V *v, const cJSON *obj, const char *key, float *out)
{
    const cJSON *j = field(v, obj, key, 1, "a number");
    if (!j) return -1;
    if (!cJSON_IsNumber(j)) {
        size_t s = v_push_key(v, key);
        v_problem(v, "expected a number, found %s", json_type_name(j));
        v_pop(v, s);
        return -1;
    }
    *out = (float)j->valuedouble;
    return 0;
}

/* Matches a string field against choices; returns the index or -1. */
static int get_enum(V *v, const cJSON *obj, const char *key, int required,
                    const char *const *choices, int nchoices, int dflt)
{
    const cJSON *j = field(v, obj, key, required, "a string");
    if (!j) return dflt;
    size_t s = v_push_key(v, key);
    int r = -1;
    if (cJSON_IsString(j))
        for (int i = 0; i < nchoices; i++)
            if (strcmp(j->valuestring, choices[i]) == 0) r = i;
    if (r < 0) {
        char list[256] = "";
        for (int i = 0; i < nchoices; i++) {
            size_t n = strlen(list);
            snprintf(list + n, sizeof list - n, "%s\"%s\"", i ? ", " : "", choices[i]);
        }
        if (cJSON_IsString(j))
            v_problem(v, "\"%s\" is not allowed here (expected one of %s)", j->valuestring, list);
        else
            v_problem(v, "expected one of %s, found %s", list, json_type_name(j));
    }
    v_pop(v, s);
    return r;
}

/* An array field with between lo and hi elements; returns it or NULL. */
static const cJSON *get_array(V *v, const cJSON *obj, const char *key, int required, int lo,
                              int hi)
{
    const cJSON *j = field(v, obj, key, required, "an array");
    if (!j) return NULL;
    size_t s = v_push_key(v, key);
    const cJSON *r = NULL;
    int n = cJSON_GetArraySize(j);
    if (!cJSON_IsArray(j))
        v_problem(v, "expected an array, found %s", json_type_name(j));
    else if (n < lo || n > hi)
        v_problem(v, "expected %d to %d entries, found %d", lo, hi, n);
    else
        r = j;
    v_pop(v, s);
    return r;
}

typedef enum StrKind { STR_TEXT, STR_RICH, STR_ID, STR_HEADER } StrKind;

static const char **get_str_array(V *v, const cJSON *obj, const char *key, int required,
                                  int lo, int hi, StrKind kind, int *count)
{
    *count = 0;
    const cJSON *arr = get_array(v, obj, key, required, lo, hi);
    if (!arr) return NULL;
    int n = cJSON_GetArraySize(arr);
    const char **out = arena_alloc(&v->L->c->arena, (size_t)(n ? n : 1) * sizeof *out);
    if (!out) {
        v->L->oom = 1;
        return NULL;
    }
    size_t s = v_push_key(v, key);
    int i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        size_t s2 = v_push_index(v, i);
        if (kind == STR_HEADER && cJSON_IsString(e) && e->valuestring[0] == '\0')
            out[i] = "";
        else
            out[i] = kind == STR_ID ? id_value(v, e) : str_value(v, e, 1, 4000, kind == STR_RICH);
        v_pop(v, s2);
    }
    v_pop(v, s);
    *count = n;
    return out;
}

static int domain_is_valid(const char *s)
{
    static const char *const creds[] = {"CPC:", "CPB:", "CCA:", "CCS:"};
    int cred = 0;
    for (int i = 0; i < 4; i++)
        if (strncmp(s, creds[i], 4) == 0) cred = 1;
    if (!cred || !s[4] || s[4] == '-') return 0;
    for (const char *p = s + 4; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-')) return 0;
    return s[strlen(s) - 1] != '-';
}

static const char **get_domains(V *v, const cJSON *obj, const char *key, int *count)
{
    const char **d = get_str_array(v, obj, key, 1, 1, 16, STR_TEXT, count);
    if (!d) return NULL;
    size_t s = v_push_key(v, key);
    for (int i = 0; i < *count; i++) {
        if (d[i] && !domain_is_valid(d[i])) {
            size_t s2 = v_push_index(v, i);
            v_problem(v, "\"%s\" is not an exam-domain tag (expected CPC:, CPB:, CCA: or CCS: "
                         "followed by lower-case words joined by -)", d[i]);
            v_pop(v, s2);
        }
    }
    v_pop(v, s);
    return d;
}

/* ------------------------------------------------------------------ images */

static int parse_svg_size(const char *text, float *w, float *h)
{
    const char *svg = strstr(text, "<svg");
    if (!svg) return -1;
    const char *end = strchr(svg, '>');
    if (!end) return -1;
    char head[2048];
    size_t n = (size_t)(end - svg);
    if (n >= sizeof head) n = sizeof head - 1;
    memcpy(head, svg, n);
    head[n] = '\0';
    const char *vb = strstr(head, "viewBox=");
    if (vb) {
        float x, y, vw, vh;
        if (sscanf(vb + 9, "%f%*[ ,]%f%*[ ,]%f%*[ ,]%f", &x, &y, &vw, &vh) == 4 && vw > 0 && vh > 0) {
            *w = vw;
            *h = vh;
            return 0;
        }
    }
    const char *ws = strstr(head, " width=");
    const char *hs = strstr(head, " height=");
    if (ws && hs && sscanf(ws + 8, "%f", w) == 1 && sscanf(hs + 9, "%f", h) == 1 && *w > 0 && *h > 0)
        return 0;
    return -1;
}

int content_image_size(const char *path, float *w, float *h, CpError *err)
{
    size_t len = 0;
    char *data = fs_read_file(path, 8u * 1024u * 1024u, &len, err);
    if (!data) return -1;
    int rc = -1;
    const unsigned char *u = (const unsigned char *)data;
    if (len >= 24 && memcmp(u, "\x89PNG\r\n\x1a\n", 8) == 0) {
        *w = (float)((u[16] << 24) | (u[17] << 16) | (u[18] << 8) | u[19]);
        *h = (float)((u[20] << 24) | (u[21] << 16) | (u[22] << 8) | u[23]);
        rc = 0;
    } else if (parse_svg_size(data, w, h) == 0) {
        rc = 0;
    } else {
        cp_error_set(err, "not a PNG, or an SVG whose root gives width/height or viewBox");
    }
    free(data);
    return rc;
}

/* Validates an asset path field and returns the image size through w/h. */
static const char *get_image(V *v, const cJSON *obj, const char *key, float *w, float *h)
{
    const char *src = get_str(v, obj, key, 1, 256, 0);
    if (!src) return NULL;
    size_t s = v_push_key(v, key);
    Loader *L = v->L;
    const char *result = NULL;
    if (!fs_is_safe_relative(src)) {
        v_problem(v, "\"%s\" must be a relative path inside the content root (no leading /, no .., use /)", src);
        goto done;
    }
    for (int i = 0; i < L->nimages; i++)
        if (strcmp(L->images[i].rel, src) == 0) {
            if (!L->images[i].ok) v_problem(v, "image \"%s\" cannot be used (see its first use)", src);
            *w = L->images[i].w;
            *h = L->images[i].h;
            result = L->images[i].ok ? src : NULL;
            goto done;
        }
    char full[4096];
    CpError err = {{0}};
    ImageSize is = {NULL, 0, 0, 0};
    if (fs_join(full, sizeof full, L->c->root, src) != 0 || !fs_is_file(full))
        v_problem(v, "image \"%s\" does not exist under the content root", src);
    else if (content_image_size(full, &is.w, &is.h, &err) != 0)
        v_problem(v, "image \"%s\": %s", src, err.msg);
    else
        is.ok = 1;
    is.rel = strdup(src);
    if (is.rel && GROW(L, L->images, L->nimages, L->capimages)) L->images[L->nimages++] = is;
    else free(is.rel);
    *w = is.w;
    *h = is.h;
    result = is.ok ? src : NULL;
done:
    v_pop(v, s);
    return result;
}

/* ------------------------------------------------------------------ lessons */

static const char *const LESSON_KEYS[] = {"schema_version", "id", "title", "track", "summary",
                                          "objectives", "minutes", "prerequisites", "blocks", NULL};
static const char *const BLOCK_TYPES[] = {"heading", "paragraph", "list", "table",
                                          "image", "callout", "definition", "example"};
static const char *const CALLOUT_KINDS[] = {"tip", "warning", "guideline"};
static const char *const LIST_STYLES[] = {"bullet", "numbered"};

static void load_block(V *v, const cJSON *j, Block *b)
{
    static const char *const keys[8][8] = {
        {"type", "text", "level", NULL},
        {"type", "text", NULL},
        {"type", "style", "items", NULL},
        {"type", "columns", "rows", NULL},
        {"type", "src", "alt", "caption", "labels", NULL},
        {"type", "kind", "text", "section", NULL},
        {"type", "term", "meaning", NULL},
        {"type", "question", "steps", "answer", NULL}};
    if (!cJSON_IsObject(j)) {
        v_problem(v, "expected a block object, found %s", json_type_name(j));
        return;
    }
    int t = get_enum(v, j, "type", 1, BLOCK_TYPES, 8, -1);
    if (t < 0) return;
    b->type = (BlockType)t;
    check_keys(v, j, keys[t]);
    switch (b->type) {
    case BLOCK_HEADING:
        b->text = get_str(v, j, "text", 1, 120, 0);
        b->level = get_int(v, j, "level", 0, 2, 3, 2);
        break;
    case BLOCK_PARAGRAPH:
        b->text = get_str(v, j, "text", 1, 4000, 1);
        break;
    case BLOCK_LIST: {
        int style = get_enum(v, j, "style", 1, LIST_STYLES, 2, 0);
        b->numbered = style == 1;
        b->items = get_str_array(v, j, "items", 1, 1, 200, STR_RICH, &b->nitems);
        break;
    }
    case BLOCK_TABLE: {
        /* a column header may be empty: tables with row labels leave the corner blank */
        b->columns = get_str_array(v, j, "columns", 1, 1, 8, STR_HEADER, &b->ncolumns);
        const cJSON *rows = get_array(v, j, "rows", 1, 1, 400);
        if (!rows || !b->columns) break;
        int nrows = cJSON_GetArraySize(rows);
        b->items = arena_alloc(&v->L->c->arena, (size_t)(nrows * b->ncolumns) * sizeof *b->items);
        if (!b->items) {
            v->L->oom = 1;
            break;
        }
        size_t s = v_push_key(v, "rows");
        int r = 0;
        for (const cJSON *row = rows->child; row; row = row->next, r++) {
            size_t s2 = v_push_index(v, r);
            if (!cJSON_IsArray(row)) {
                v_problem(v, "expected a row (an array of %d cells), found %s", b->ncolumns,
                          json_type_name(row));
            } else if (cJSON_GetArraySize(row) != b->ncolumns) {
                v_problem(v, "row has %d cells but the table has %d columns",
                          cJSON_GetArraySize(row), b->ncolumns);
            } else {
                int c = 0;
                for (const cJSON *cell = row->child; cell; cell = cell->next, c++) {
                    size_t s3 = v_push_index(v, c);
                    b->items[r * b->ncolumns + c] = str_value(v, cell, 0, 2000, 1);
                    v_pop(v, s3);
                }
            }
            v_pop(v, s2);
        }
        v_pop(v, s);
        b->nrows = nrows;
        b->nitems = nrows * b->ncolumns;
        break;
    }
    case BLOCK_IMAGE: {
        b->src = get_image(v, j, "src", &b->img_w, &b->img_h);
        b->alt = get_str(v, j, "alt", 1, 1000, 0);
        b->caption = get_str(v, j, "caption", 1, 400, 1);
        const cJSON *labels = get_array(v, j, "labels", 0, 0, 40);
        if (!labels) break;
        int n = cJSON_GetArraySize(labels);
        b->labels = arena_alloc(&v->L->c->arena, (size_t)(n ? n : 1) * sizeof *b->labels);
        if (!b->labels) {
            v->L->oom = 1;
            break;
        }
        size_t s = v_push_key(v, "labels");
        int i = 0;
        for (const cJSON *e = labels->child; e; e = e->next, i++) {
            static const char *const lkeys[] = {"x", "y", "text", NULL};
            size_t s2 = v_push_index(v, i);
            ImageLabel *lab = &b->labels[i];
            if (!cJSON_IsObject(e)) {
                v_problem(v, "expected {\"x\", \"y\", \"text\"}, found %s", json_type_name(e));
            } else {
                check_keys(v, e, lkeys);
                int okx = get_number(v, e, "x", &lab->x) == 0;
                int oky = get_number(v, e, "y", &lab->y) == 0;
                lab->text = get_str(v, e, "text", 1, 40, 0);
                if (okx && oky && b->src && (lab->x < 0 || lab->y < 0 || lab->x > b->img_w || lab->y > b->img_h))
                    v_problem(v, "label point (%g, %g) lies outside the image (%g x %g)", lab->x,
                              lab->y, b->img_w, b->img_h);
            }
            v_pop(v, s2);
        }
        v_pop(v, s);
        b->nlabels = n;
        break;
    }
    case BLOCK_CALLOUT: {
        int k = get_enum(v, j, "kind", 1, CALLOUT_KINDS, 3, 0);
        b->callout = k < 0 ? CALLOUT_TIP : (CalloutKind)k;
        b->text = get_str(v, j, "text", 1, 4000, 1);
        b->section = get_str(v, j, "section", k == CALLOUT_GUIDELINE, 80, 0);
        break;
    }
    case BLOCK_DEFINITION:
        b->term = get_str(v, j, "term", 1, 120, 0);
        b->text = get_str(v, j, "meaning", 1, 2000, 1);
        break;
    case BLOCK_EXAMPLE:
        b->term = get_str(v, j, "question", 1, 2000, 1);
        b->items = get_str_array(v, j, "steps", 1, 1, 30, STR_RICH, &b->nitems);
        b->answer = get_str(v, j, "answer", 1, 2000, 1);
        break;
    }
}

static void check_schema_version(V *v, const cJSON *root)
{
    const cJSON *j = field(v, root, "schema_version", 1, "1");
    if (j && !(cJSON_IsNumber(j) && j->valuedouble == 1)) {
        size_t s = v_push_key(v, "schema_version");
        v_problem(v, "this CoderPrep reads schema_version 1, found %s",
                  cJSON_IsNumber(j) ? "a later or unknown version" : json_type_name(j));
        v_pop(v, s);
    }
}

static Track check_track(V *v, const cJSON *root, const char *folder_track)
{
    const char *t = get_str(v, root, "track", 1, 40, 0);
    Track tr = TRACK_ANATOMY;
    if (!t) return tr;
    size_t s = v_push_key(v, "track");
    if (content_track_from_slug(t, &tr) != 0)
        v_problem(v, "\"%s\" is not a track (expected anatomy, terminology, diagnosis-coding, "
                     "procedure-coding, billing, compliance, cancer-registry or career)", t);
    else if (folder_track && strcmp(folder_track, t) != 0)
        v_problem(v, "track \"%s\" does not match the folder content/%s/ the file is in", t,
                  folder_track);
    v_pop(v, s);
    return tr;
}

static void load_lesson(V *v, const cJSON *root, const char *folder_track, Lesson *les)
{
    check_keys(v, root, LESSON_KEYS);
    check_schema_version(v, root);
    les->id = get_id(v, root, "id");
    if (les->id) {
        size_t s = v_push_key(v, "id");
        declare_id(v, les->id, REF_LESSON, 0);
        v_pop(v, s);
    }
    les->title = get_str(v, root, "title", 1, 80, 0);
    les->track = check_track(v, root, folder_track);
    les->summary = get_str(v, root, "summary", 1, 200, 0);
    les->minutes = get_int(v, root, "minutes", 1, 1, 240, 0);

    const cJSON *objs = get_array(v, root, "objectives", 1, 1, 40);
    if (objs) {
        int n = cJSON_GetArraySize(objs);
        les->objectives = arena_alloc(&v->L->c->arena, (size_t)n * sizeof *les->objectives);
        if (!les->objectives) {
            v->L->oom = 1;
            return;
        }
        size_t s = v_push_key(v, "objectives");
        int i = 0;
        for (const cJSON *o = objs->child; o; o = o->next, i++) {
            static const char *const okeys[] = {"id", "text", "domains", NULL};
            size_t s2 = v_push_index(v, i);
            Objective *ob = &les->objectives[i];
            if (!cJSON_IsObject(o)) {
                v_problem(v, "expected {\"id\", \"text\", \"domains\"}, found %s", json_type_name(o));
            } else {
                check_keys(v, o, okeys);
                ob->id = get_id(v, o, "id");
                if (ob->id) {
                    size_t s3 = v_push_key(v, "id");
                    declare_id(v, ob->id, REF_OBJECTIVE, 0);
                    v_pop(v, s3);
                }
                ob->text = get_str(v, o, "text", 1, 300, 0);
                ob->domains = get_domains(v, o, "domains", &ob->ndomains);
            }
            v_pop(v, s2);
        }
        v_pop(v, s);
        les->nobjectives = n;
    }

    les->prerequisites = get_str_array(v, root, "prerequisites", 1, 0, 20, STR_ID,
                                       &les->nprerequisites);
    if (les->prerequisites) {
        size_t s = v_push_key(v, "prerequisites");
        for (int i = 0; i < les->nprerequisites; i++) {
            if (!les->prerequisites[i]) continue;
            size_t s2 = v_push_index(v, i);
            if (les->id && strcmp(les->prerequisites[i], les->id) == 0)
                v_problem(v, "a lesson cannot require itself");
            else
                add_ref(v, REF_LESSON, les->prerequisites[i], strlen(les->prerequisites[i]));
            v_pop(v, s2);
        }
        v_pop(v, s);
    }

    const cJSON *blocks = get_array(v, root, "blocks", 1, 1, 2000);
    if (blocks) {
        int n = cJSON_GetArraySize(blocks);
        les->blocks = arena_alloc(&v->L->c->arena, (size_t)n * sizeof *les->blocks);
        if (!les->blocks) {
            v->L->oom = 1;
            return;
        }
        size_t s = v_push_key(v, "blocks");
        int i = 0;
        for (const cJSON *b = blocks->child; b; b = b->next, i++) {
            size_t s2 = v_push_index(v, i);
            load_block(v, b, &les->blocks[i]);
            v_pop(v, s2);
        }
        v_pop(v, s);
        les->nblocks = n;
    }
}

/* ------------------------------------------------------------------ quizzes */

static const char *const QUIZ_KEYS[] = {"schema_version", "id", "title", "track", "domains",
                                        "lessons", "items", NULL};
static const char *const DIFFICULTIES[] = {"easy", "medium", "hard"};

static void load_options(V *v, const cJSON *j, Item *it)
{
    const cJSON *opts = get_array(v, j, "options", 1, 2, ITEM_MAX_OPTIONS);
    if (!opts) return;
    int n = cJSON_GetArraySize(opts);
    it->options = arena_alloc(&v->L->c->arena, (size_t)n * sizeof *it->options);
    if (!it->options) {
        v->L->oom = 1;
        return;
    }
    size_t s = v_push_key(v, "options");
    int i = 0;
    for (const cJSON *o = opts->child; o; o = o->next, i++) {
        static const char *const okeys[] = {"text", "why", NULL};
        size_t s2 = v_push_index(v, i);
        if (!cJSON_IsObject(o)) {
            v_problem(v, "expected {\"text\", \"why\"}, found %s", json_type_name(o));
        } else {
            check_keys(v, o, okeys);
            it->options[i].text = get_str(v, o, "text", 1, 400, 1);
            it->options[i].why = get_str(v, o, "why", 1, 1000, 1);
        }
        v_pop(v, s2);
    }
    v_pop(v, s);
    it->noptions = n;
}

static void load_regions(V *v, const cJSON *j, Item *it)
{
    const cJSON *regs = get_array(v, j, "regions", 1, 2, 16);
    if (!regs) return;
    int n = cJSON_GetArraySize(regs);
    it->regions = arena_alloc(&v->L->c->arena, (size_t)n * sizeof *it->regions);
    if (!it->regions) {
        v->L->oom = 1;
        return;
    }
    size_t s = v_push_key(v, "regions");
    int i = 0;
    for (const cJSON *rj = regs->child; rj; rj = rj->next, i++) {
        static const char *const rkeys[] = {"id", "label", "circle", "polygon", NULL};
        size_t s2 = v_push_index(v, i);
        Region *r = &it->regions[i];
        if (!cJSON_IsObject(rj)) {
            v_problem(v, "expected a region object, found %s", json_type_name(rj));
            v_pop(v, s2);
            continue;
        }
        check_keys(v, rj, rkeys);
        r->id = get_id(v, rj, "id");
        r->label = get_str(v, rj, "label", 1, 60, 0);
        for (int k = 0; k < i && r->id; k++)
            if (it->regions[k].id && strcmp(it->regions[k].id, r->id) == 0)
                v_problem(v, "region id \"%s\" is used twice in this item", r->id);
        const cJSON *circle = cJSON_GetObjectItemCaseSensitive(rj, "circle");
        const cJSON *poly = cJSON_GetObjectItemCaseSensitive(rj, "polygon");
        if ((circle != NULL) == (poly != NULL)) {
            v_problem(v, "a region needs exactly one of \"circle\" or \"polygon\"");
        } else if (circle) {
            static const char *const ckeys[] = {"cx", "cy", "r", NULL};
            size_t s3 = v_push_key(v, "circle");
            if (!cJSON_IsObject(circle)) {
                v_problem(v, "expected {\"cx\", \"cy\", \"r\"}, found %s", json_type_name(circle));
            } else {
                check_keys(v, circle, ckeys);
                r->is_circle = 1;
                if (get_number(v, circle, "cx", &r->cx) == 0 && get_number(v, circle, "cy", &r->cy) == 0 &&
                    get_number(v, circle, "r", &r->r) == 0) {
                    if (r->r <= 0)
                        v_problem(v, "radius must be positive");
                    else if (it->image && (r->cx - r->r < 0 || r->cy - r->r < 0 ||
                                           r->cx + r->r > it->img_w || r->cy + r->r > it->img_h))
                        v_problem(v, "circle (%g, %g, r %g) reaches outside the image (%g x %g)",
                                  r->cx, r->cy, r->r, it->img_w, it->img_h);
                }
            }
            v_pop(v, s3);
        } else {
            size_t s3 = v_push_key(v, "polygon");
            int np = cJSON_GetArraySize(poly);
            if (!cJSON_IsArray(poly) || np < 3 || np > REGION_MAX_POINTS) {
                v_problem(v, "expected 3 to %d [x, y] points", REGION_MAX_POINTS);
            } else {
                int k = 0;
                for (const cJSON *pt = poly->child; pt; pt = pt->next, k++) {
                    size_t s4 = v_push_index(v, k);
                    if (!cJSON_IsArray(pt) || cJSON_GetArraySize(pt) != 2 ||
                        !cJSON_IsNumber(pt->child) || !cJSON_IsNumber(pt->child->next)) {
                        v_problem(v, "expected a point [x, y]");
                    } else {
                        r->px[k] = (float)pt->child->valuedouble;
                        r->py[k] = (float)pt->child->next->valuedouble;
                        if (it->image && (r->px[k] < 0 || r->py[k] < 0 || r->px[k] > it->img_w ||
                                          r->py[k] > it->img_h))
                            v_problem(v, "point (%g, %g) lies outside the image (%g x %g)", r->px[k],
                                      r->py[k], it->img_w, it->img_h);
                    }
                    v_pop(v, s4);
                }
                r->npoints = np;
            }
            v_pop(v, s3);
        }
        v_pop(v, s2);
    }
    v_pop(v, s);
    it->nregions = n;
}

static void check_distinct(V *v, const char *key, const char *const *a, int n, const char *what)
{
    for (int i = 0; i < n; i++)
        for (int k = 0; k < i; k++)
            if (a[i] && a[k] && strcmp(a[i], a[k]) == 0) {
                size_t s = v_push_key(v, key);
                size_t s2 = v_push_index(v, i);
                v_problem(v, "%s \"%s\" appears twice", what, a[i]);
                v_pop(v, s2);
                v_pop(v, s);
            }
}

static void load_item(V *v, const cJSON *j, Item *it)
{
    static const char *const common[] = {"id", "type", "stem", "rationale", "difficulty", "objectives"};
    static const char *const extra[ITEM_TYPE_COUNT][4] = {
        {"options", "answer", NULL},   {"options", "answers", NULL}, {"answer", NULL},
        {"accepted", NULL},            {"codes", "ordered", NULL},  {"pairs", NULL},
        {"sequence", NULL},            {"image", "regions", "answer", NULL}};
    if (!cJSON_IsObject(j)) {
        v_problem(v, "expected an item object, found %s", json_type_name(j));
        return;
    }
    it->id = get_id(v, j, "id");
    if (it->id) {
        size_t s = v_push_key(v, "id");
        declare_id(v, it->id, REF_ITEM, 0);
        v_pop(v, s);
    }
    int t = get_enum(v, j, "type", 1, ITEM_TYPE_NAMES, ITEM_TYPE_COUNT, -1);
    if (t < 0) return;
    it->type = (ItemType)t;
    const char *allowed[12];
    int na = 0;
    for (int i = 0; i < 6; i++) allowed[na++] = common[i];
    for (int i = 0; extra[t][i]; i++) allowed[na++] = extra[t][i];
    allowed[na] = NULL;
    check_keys(v, j, allowed);
    it->stem = get_str(v, j, "stem", 1, 2000, 1);
    it->rationale = get_str(v, j, "rationale", 1, 3000, 1);
    int d = get_enum(v, j, "difficulty", 1, DIFFICULTIES, 3, 0);
    it->difficulty = d < 0 ? DIFFICULTY_EASY : (Difficulty)d;
    it->objectives = get_str_array(v, j, "objectives", 1, 1, 10, STR_ID, &it->nobjectives);
    if (it->objectives) {
        size_t s = v_push_key(v, "objectives");
        for (int i = 0; i < it->nobjectives; i++) {
            if (!it->objectives[i]) continue;
            size_t s2 = v_push_index(v, i);
            add_ref(v, REF_OBJECTIVE, it->objectives[i], strlen(it->objectives[i]));
            v_pop(v, s2);
        }
        v_pop(v, s);
    }

    switch (it->type) {
    case ITEM_SINGLE_CHOICE:
        load_options(v, j, it);
        it->answer = get_int(v, j, "answer", 1, 0, it->noptions ? it->noptions - 1 : ITEM_MAX_OPTIONS - 1, -1);
        break;
    case ITEM_MULTIPLE_RESPONSE: {
        load_options(v, j, it);
        const cJSON *ans = get_array(v, j, "answers", 1, 1, ITEM_MAX_OPTIONS);
        if (!ans) break;
        size_t s = v_push_key(v, "answers");
        int i = 0;
        for (const cJSON *a = ans->child; a; a = a->next, i++) {
            size_t s2 = v_push_index(v, i);
            int hi = it->noptions ? it->noptions - 1 : ITEM_MAX_OPTIONS - 1;
            if (!cJSON_IsNumber(a) || a->valuedouble != floor(a->valuedouble) || a->valuedouble < 0 ||
                a->valuedouble > hi)
                v_problem(v, "expected an option index from 0 to %d", hi);
            else if (it->answers_mask & (1u << (int)a->valuedouble))
                v_problem(v, "option %d is listed twice", (int)a->valuedouble);
            else
                it->answers_mask |= 1u << (int)a->valuedouble;
            v_pop(v, s2);
        }
        v_pop(v, s);
        break;
    }
    case ITEM_TRUE_FALSE: {
        const cJSON *a = field(v, j, "answer", 1, "true or false");
        if (a && !cJSON_IsBool(a)) {
            size_t s = v_push_key(v, "answer");
            v_problem(v, "expected true or false, found %s", json_type_name(a));
            v_pop(v, s);
        } else if (a) {
            it->answer = cJSON_IsTrue(a);
        }
        break;
    }
    case ITEM_FILL_IN:
        it->accepted = get_str_array(v, j, "accepted", 1, 1, 20, STR_TEXT, &it->naccepted);
        break;
    case ITEM_CODE_ENTRY: {
        it->accepted = get_str_array(v, j, "codes", 1, 1, 25, STR_TEXT, &it->naccepted);
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(j, "ordered");
        if (o && !cJSON_IsBool(o)) {
            size_t s = v_push_key(v, "ordered");
            v_problem(v, "expected true or false, found %s", json_type_name(o));
            v_pop(v, s);
        }
        it->ordered = o && cJSON_IsTrue(o);
        if (it->accepted) {
            size_t s = v_push_key(v, "codes");
            for (int i = 0; i < it->naccepted; i++) {
                const char *code = it->accepted[i];
                if (code && !rich_code_is_well_formed(code, strlen(code))) {
                    size_t s2 = v_push_index(v, i);
                    v_problem(v, "\"%s\" is not a well-formed code (ICD-10-CM with its dot, ICD-10-PCS, or HCPCS)", code);
                    v_pop(v, s2);
                }
            }
            v_pop(v, s);
            check_distinct(v, "codes", it->accepted, it->naccepted, "code");
        }
        break;
    }
    case ITEM_MATCHING: {
        const cJSON *pairs = get_array(v, j, "pairs", 1, 2, ITEM_MAX_OPTIONS);
        if (!pairs) break;
        int n = cJSON_GetArraySize(pairs);
        it->pairs = arena_alloc(&v->L->c->arena, (size_t)n * sizeof *it->pairs);
        const char *lefts[ITEM_MAX_OPTIONS] = {0}, *rights[ITEM_MAX_OPTIONS] = {0};
        if (!it->pairs) {
            v->L->oom = 1;
            break;
        }
        size_t s = v_push_key(v, "pairs");
        int i = 0;
        for (const cJSON *p = pairs->child; p; p = p->next, i++) {
            static const char *const pkeys[] = {"left", "right", NULL};
            size_t s2 = v_push_index(v, i);
            if (!cJSON_IsObject(p)) {
                v_problem(v, "expected {\"left\", \"right\"}, found %s", json_type_name(p));
            } else {
                check_keys(v, p, pkeys);
                lefts[i] = it->pairs[i].left = get_str(v, p, "left", 1, 200, 1);
                rights[i] = it->pairs[i].right = get_str(v, p, "right", 1, 300, 1);
            }
            v_pop(v, s2);
        }
        v_pop(v, s);
        it->npairs = n;
        check_distinct(v, "pairs", lefts, n, "left side");
        check_distinct(v, "pairs", rights, n, "right side");
        break;
    }
    case ITEM_ORDERING:
        it->sequence = get_str_array(v, j, "sequence", 1, 2, ITEM_MAX_OPTIONS, STR_RICH, &it->nsequence);
        if (it->sequence) check_distinct(v, "sequence", it->sequence, it->nsequence, "step");
        break;
    case ITEM_IMAGE_HOTSPOT: {
        it->image = get_image(v, j, "image", &it->img_w, &it->img_h);
        load_regions(v, j, it);
        const cJSON *a = field(v, j, "answer", 1, "a region id");
        it->answer = -1;
        if (!a) break;
        size_t s = v_push_key(v, "answer");
        if (!cJSON_IsString(a)) {
            v_problem(v, "expected a region id, found %s", json_type_name(a));
        } else {
            for (int i = 0; i < it->nregions; i++)
                if (it->regions[i].id && strcmp(it->regions[i].id, a->valuestring) == 0) it->answer = i;
            if (it->answer < 0 && it->regions)
                v_problem(v, "\"%s\" is not the id of one of this item's regions", a->valuestring);
        }
        v_pop(v, s);
        break;
    }
    default:
        break;
    }
}

static void load_quiz(V *v, const cJSON *root, Quiz *q)
{
    check_keys(v, root, QUIZ_KEYS);
    check_schema_version(v, root);
    q->id = get_id(v, root, "id");
    if (q->id) {
        size_t s = v_push_key(v, "id");
        declare_id(v, q->id, REF_LESSON, 1);
        v_pop(v, s);
    }
    q->title = get_str(v, root, "title", 1, 80, 0);
    q->track = check_track(v, root, NULL);
    q->domains = get_domains(v, root, "domains", &q->ndomains);
    q->lessons = get_str_array(v, root, "lessons", 0, 0, 40, STR_ID, &q->nlessons);
    if (q->lessons) {
        size_t s = v_push_key(v, "lessons");
        for (int i = 0; i < q->nlessons; i++) {
            if (!q->lessons[i]) continue;
            size_t s2 = v_push_index(v, i);
            add_ref(v, REF_LESSON, q->lessons[i], strlen(q->lessons[i]));
            v_pop(v, s2);
        }
        v_pop(v, s);
    }
    const cJSON *items = get_array(v, root, "items", 1, 1, 1000);
    if (!items) return;
    int n = cJSON_GetArraySize(items);
    q->items = arena_alloc(&v->L->c->arena, (size_t)n * sizeof *q->items);
    if (!q->items) {
        v->L->oom = 1;
        return;
    }
    size_t s = v_push_key(v, "items");
    int i = 0;
    for (const cJSON *it = items->child; it; it = it->next, i++) {
        size_t s2 = v_push_index(v, i);
        load_item(v, it, &q->items[i]);
        v_pop(v, s2);
    }
    v_pop(v, s);
    q->nitems = n;
}

/* ------------------------------------------------------------------ files */

static void version_hash(const char *text, size_t len, char out[17])
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)text[i];
        h *= 1099511628211ULL;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* True when the text stops inside a string or with brackets still open: a file cut
 * off (a full disk, an interrupted copy) rather than a typo. */
static int json_ends_early(const char *text, size_t len)
{
    int depth = 0, in_string = 0, any = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] != ' ' && text[i] != '\n' && text[i] != '\r' && text[i] != '\t') any = 1;
        char c = text[i];
        if (in_string) {
            if (c == '\\') i++;
            else if (c == '"') in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth < 0) return 0;
        }
    }
    return !any || in_string || depth > 0; /* an empty file ends before it starts */
}

/* Reads and parses one file; returns the cJSON root or NULL (problem recorded). */
static cJSON *open_file(Loader *L, const char *rel, int *file_index)
{
    *file_index = -1;
    if (!GROW(L, L->files, L->nfiles, L->capfiles)) return NULL;
    SourceFile *f = &L->files[L->nfiles];
    memset(f, 0, sizeof *f);
    f->rel = strdup(rel);
    if (!f->rel) {
        L->oom = 1;
        return NULL;
    }
    *file_index = L->nfiles++;
    L->c->files_read++;
    char full[4096];
    CpError err = {{0}};
    if (fs_join(full, sizeof full, L->c->root, rel) != 0) {
        add_problem(L, *file_index, "$", 0, 0, "path too long");
        return NULL;
    }
    f->text = fs_read_file(full, CONTENT_FILE_MAX, &f->len, &err);
    if (!f->text) {
        const char *msg = strstr(err.msg, ": ");
        add_problem(L, *file_index, "$", 0, 0, msg ? msg + 2 : err.msg);
        return NULL;
    }
    const char *end = NULL;
    /* cJSON counts the terminating NUL in the length (as cJSON_ParseWithOpts does) */
    cJSON *root = cJSON_ParseWithLengthOpts(f->text, f->len + 1, &end, 1);
    if (!root && json_ends_early(f->text, f->len)) {
        int line, col;
        jsonloc_line_col(f->text, f->len, f->len, &line, &col);
        add_problem(L, *file_index, "$", line, col,
                    "invalid JSON: the file ends before the JSON is complete");
        return NULL;
    }
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        size_t off = (at && at >= f->text && at <= f->text + f->len) ? (size_t)(at - f->text) : 0;
        int line, col;
        jsonloc_line_col(f->text, f->len, off, &line, &col);
        add_problem(L, *file_index, "$", line, col,
                    "invalid JSON: unexpected character here (look for a missing comma, quote or "
                    "bracket just before it)");
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        add_problem(L, *file_index, "$", 1, 1, "expected a JSON object at the top of the file");
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

static void load_lesson_file(Loader *L, const char *track, const char *name)
{
    char rel[1024];
    snprintf(rel, sizeof rel, "content/%s/%s", track, name);
    int fi;
    cJSON *root = open_file(L, rel, &fi);
    if (!root) return;
    if (GROW(L, L->lessons, L->nlessons, L->caplessons)) {
        Lesson *les = &L->lessons[L->nlessons];
        memset(les, 0, sizeof *les);
        les->file = arena_strdup(&L->c->arena, rel);
        L->files[fi].index = L->nlessons++;
        V v = {.L = L, .file = fi};
        load_lesson(&v, root, track, les);
    }
    cJSON_Delete(root);
}

static void load_quiz_file(Loader *L, const char *name)
{
    char rel[1024];
    snprintf(rel, sizeof rel, "quizzes/%s", name);
    int fi;
    cJSON *root = open_file(L, rel, &fi);
    if (!root) return;
    if (GROW(L, L->quizzes, L->nquizzes, L->capquizzes)) {
        Quiz *q = &L->quizzes[L->nquizzes];
        memset(q, 0, sizeof *q);
        q->file = arena_strdup(&L->c->arena, rel);
        version_hash(L->files[fi].text, L->files[fi].len, q->version);
        L->files[fi].is_quiz = 1;
        L->files[fi].index = L->nquizzes++;
        V v = {.L = L, .file = fi};
        load_quiz(&v, root, q);
    }
    cJSON_Delete(root);
}

static void check_refs(Loader *L)
{
    for (int i = 0; i < L->nrefs; i++) {
        Ref *r = &L->refs[i];
        int found = 0, wrong_kind = 0;
        for (int k = 0; k < L->nids && !found; k++) {
            DeclaredId *d = &L->ids[k];
            if ((int)d->kind != (int)r->kind || strcmp(d->id, r->target) != 0) continue;
            if (r->kind == REF_LESSON && d->is_quiz) wrong_kind = 1;
            else found = 1;
        }
        if (found) continue;
        char msg[256];
        if (r->kind == REF_OBJECTIVE)
            snprintf(msg, sizeof msg, "objective \"%s\" is not declared by any lesson", r->target);
        else if (wrong_kind)
            snprintf(msg, sizeof msg, "\"%s\" is a quiz, not a lesson", r->target);
        else
            snprintf(msg, sizeof msg, "no lesson has the id \"%s\"", r->target);
        problem_at_path(L, r->file, r->path, msg);
    }
}

/* Reports prerequisite cycles (a lesson that, through its prerequisites, requires
 * itself): nobody could ever start such a lesson. */
static void check_cycles(Loader *L)
{
    int n = L->nlessons;
    if (n == 0) return;
    int *state = calloc((size_t)n, sizeof *state); /* 0 new, 1 on path, 2 done */
    int *stack = calloc((size_t)n, sizeof *stack), *edge = calloc((size_t)n, sizeof *edge);
    if (!state || !stack || !edge) {
        L->oom = 1;
        goto done;
    }
    for (int start = 0; start < n; start++) {
        if (state[start] || !L->lessons[start].id) continue;
        int top = 0;
        stack[0] = start;
        edge[0] = 0;
        state[start] = 1;
        while (top >= 0) {
            const Lesson *les = &L->lessons[stack[top]];
            if (edge[top] >= les->nprerequisites) {
                state[stack[top]] = 2;
                top--;
                continue;
            }
            const char *pre = les->prerequisites[edge[top]++];
            int k = -1;
            for (int i = 0; pre && i < n; i++)
                if (L->lessons[i].id && strcmp(L->lessons[i].id, pre) == 0) k = i;
            if (k < 0 || state[k] == 2 || k == stack[top]) continue; /* self: reported already */
            if (state[k] == 1) {
                /* report on the lesson whose prerequisite closes the loop */
                int fi = -1;
                for (int f = 0; f < L->nfiles; f++)
                    if (!L->files[f].is_quiz && L->files[f].index == stack[top] && L->files[f].text) fi = f;
                char path[64], msg[256];
                snprintf(path, sizeof path, "prerequisites[%d]", edge[top] - 1);
                snprintf(msg, sizeof msg, "prerequisite \"%s\" leads back to \"%s\": the prerequisites form a "
                                          "cycle, so neither lesson could ever be started", pre, les->id);
                if (fi >= 0) problem_at_path(L, fi, path, msg);
                continue;
            }
            state[k] = 1;
            stack[++top] = k;
            edge[top] = 0;
        }
    }
done:
    free(state);
    free(stack);
    free(edge);
}

/* Within each track, puts every lesson after the lessons it requires (stable
 * otherwise), so "next lesson" and "start here" follow the intended path. */
static void order_by_prerequisites(Lesson *lessons, int n)
{
    Lesson *out = malloc((size_t)(n ? n : 1) * sizeof *out);
    int *placed = calloc((size_t)(n ? n : 1), sizeof *placed);
    if (!out || !placed) {
        free(out);
        free(placed);
        return; /* keep file order */
    }
    int count = 0;
    while (count < n) {
        int pick = -1;
        for (int i = 0; i < n && pick < 0; i++) {
            if (placed[i]) continue;
            int ready = 1;
            for (int p = 0; p < lessons[i].nprerequisites && ready; p++)
                for (int k = 0; k < n; k++)
                    if (!placed[k] && k != i && lessons[k].track == lessons[i].track &&
                        strcmp(lessons[k].id, lessons[i].prerequisites[p]) == 0)
                        ready = 0;
            /* earlier tracks first: never jump ahead of an unplaced lesson of an earlier track */
            for (int k = 0; k < i && ready; k++)
                if (!placed[k] && lessons[k].track < lessons[i].track) ready = 0;
            if (ready) pick = i;
        }
        if (pick < 0) /* a cycle (already reported): take the first remaining */
            for (int i = 0; i < n && pick < 0; i++)
                if (!placed[i]) pick = i;
        placed[pick] = 1;
        out[count++] = lessons[pick];
    }
    memcpy(lessons, out, (size_t)n * sizeof *out);
    free(out);
    free(placed);
}

static int cmp_problem(const void *a, const void *b)
{
    const Problem *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    if (c) return c;
    if (x->line != y->line) return x->line - y->line;
    return x->col - y->col;
}

static int cmp_lesson(const void *a, const void *b)
{
    const Lesson *x = a, *y = b;
    if (x->track != y->track) return (int)x->track - (int)y->track;
    return strcmp(x->file, y->file);
}

static int cmp_quiz(const void *a, const void *b)
{
    const Quiz *x = a, *y = b;
    if (x->track != y->track) return (int)x->track - (int)y->track;
    return strcmp(x->file, y->file);
}

/* Copies the good lessons and quizzes (and all problems) into the arena. */
static int finish(Loader *L)
{
    Content *c = L->c;
    c->lessons = arena_alloc(&c->arena, (size_t)(L->nlessons + 1) * sizeof *c->lessons);
    c->quizzes = arena_alloc(&c->arena, (size_t)(L->nquizzes + 1) * sizeof *c->quizzes);
    c->problems = arena_alloc(&c->arena, (size_t)(L->nproblems + 1) * sizeof *c->problems);
    if (!c->lessons || !c->quizzes || !c->problems) return -1;
    for (int i = 0; i < L->nfiles; i++) {
        SourceFile *f = &L->files[i];
        if (f->bad || !f->text) continue;
        if (f->is_quiz) c->quizzes[c->nquizzes++] = L->quizzes[f->index];
        else c->lessons[c->nlessons++] = L->lessons[f->index];
    }
    if (L->nproblems) memcpy(c->problems, L->problems, (size_t)L->nproblems * sizeof *c->problems);
    c->nproblems = L->nproblems;
    qsort(c->problems, (size_t)c->nproblems, sizeof *c->problems, cmp_problem);
    qsort(c->lessons, (size_t)c->nlessons, sizeof *c->lessons, cmp_lesson);
    order_by_prerequisites(c->lessons, c->nlessons);
    qsort(c->quizzes, (size_t)c->nquizzes, sizeof *c->quizzes, cmp_quiz);
    return 0;
}

static void loader_free(Loader *L)
{
    for (int i = 0; i < L->nfiles; i++) {
        free(L->files[i].rel);
        free(L->files[i].text);
    }
    for (int i = 0; i < L->nrefs; i++) {
        free(L->refs[i].path);
        free(L->refs[i].target);
    }
    for (int i = 0; i < L->nimages; i++) free(L->images[i].rel);
    free(L->files);
    free(L->problems);
    free(L->lessons);
    free(L->quizzes);
    free(L->refs);
    free(L->ids);
    free(L->images);
}

Content *content_load(const char *root, CpError *err)
{
    Loader L = {0};
    Content *c = calloc(1, sizeof *c);
    if (!c) {
        cp_error_set(err, "out of memory loading content");
        return NULL;
    }
    arena_init(&c->arena);
    c->root = arena_strdup(&c->arena, root);
    L.c = c;
    if (!fs_is_dir(root)) {
        cp_error_set(err, "%s: content root is not a folder", root);
        goto fail;
    }
    char dir[4096], sub[4096];
    for (int t = 0; t < TRACK_COUNT; t++) {
        snprintf(sub, sizeof sub, "content/%s", TRACK_SLUGS[t]);
        if (fs_join(dir, sizeof dir, root, sub) != 0) continue;
        char **names = NULL;
        CpError e = {{0}};
        int n = fs_list_files(dir, ".json", &names, &e);
        if (n < 0) add_problem(&L, -1, "$", 0, 0, e.msg);
        for (int i = 0; i < n; i++) load_lesson_file(&L, TRACK_SLUGS[t], names[i]);
        if (n > 0) fs_free_list(names, n);
    }
    if (fs_join(dir, sizeof dir, root, "quizzes") == 0) {
        char **names = NULL;
        CpError e = {{0}};
        int n = fs_list_files(dir, ".json", &names, &e);
        if (n < 0) add_problem(&L, -1, "$", 0, 0, e.msg);
        for (int i = 0; i < n; i++) load_quiz_file(&L, names[i]);
        if (n > 0) fs_free_list(names, n);
    }
    check_refs(&L);
    check_cycles(&L);
    if (L.oom || finish(&L) != 0) {
        cp_error_set(err, "out of memory loading content from %s", root);
        goto fail;
    }
    loader_free(&L);
    return c;
fail:
    loader_free(&L);
    content_free(c);
    return NULL;
}

void content_free(Content *c)
{
    if (!c) return;
    arena_free(&c->arena);
    free(c);
}

const Lesson *content_find_lesson(const Content *c, const char *id)
{
    for (int i = 0; i < c->nlessons; i++)
        if (strcmp(c->lessons[i].id, id) == 0) return &c->lessons[i];
    return NULL;
}

const Quiz *content_find_quiz(const Content *c, const char *id)
{
    for (int i = 0; i < c->nquizzes; i++)
        if (strcmp(c->quizzes[i].id, id) == 0) return &c->quizzes[i];
    return NULL;
}

void content_format_problem(const Problem *p, char *out, size_t cap)
{
    snprintf(out, cap, "%s:%d:%d: %s: %s", p->file, p->line, p->col, p->path, p->message);
}

/* ------------------------------------------------------------------ code references */

typedef struct CodeWalk {
    ContentCodeFn fn;
    void *user;
    const char *file;
} CodeWalk;

static void walk_ref(void *user, int kind, const char *target, size_t len)
{
    CodeWalk *w = user;
    if (kind == RICH_CODE) w->fn(w->user, target, len, w->file);
}

static void walk_text(CodeWalk *w, const char *text)
{
    if (text) rich_check(text, NULL, walk_ref, w);
}

void content_each_code(const Content *c, ContentCodeFn fn, void *user)
{
    CodeWalk w = {fn, user, NULL};
    for (int i = 0; i < c->nlessons; i++) {
        const Lesson *les = &c->lessons[i];
        w.file = les->file;
        for (int b = 0; b < les->nblocks; b++) {
            const Block *blk = &les->blocks[b];
            walk_text(&w, blk->text);
            walk_text(&w, blk->term);
            walk_text(&w, blk->answer);
            walk_text(&w, blk->caption);
            for (int k = 0; k < blk->nitems; k++) walk_text(&w, blk->items[k]);
        }
    }
    for (int i = 0; i < c->nquizzes; i++) {
        const Quiz *q = &c->quizzes[i];
        w.file = q->file;
        for (int n = 0; n < q->nitems; n++) {
            const Item *it = &q->items[n];
            walk_text(&w, it->stem);
            walk_text(&w, it->rationale);
            for (int k = 0; k < it->noptions; k++) {
                walk_text(&w, it->options[k].text);
                walk_text(&w, it->options[k].why);
            }
            for (int k = 0; k < it->npairs; k++) {
                walk_text(&w, it->pairs[k].left);
                walk_text(&w, it->pairs[k].right);
            }
            for (int k = 0; k < it->nsequence; k++) walk_text(&w, it->sequence[k]);
            if (it->type == ITEM_CODE_ENTRY)
                for (int k = 0; k < it->naccepted; k++)
                    if (it->accepted[k]) fn(user, it->accepted[k], strlen(it->accepted[k]), q->file);
        }
    }
}

int content_add_problem(Content *c, const char *file, int line, int col, const char *path, const char *message)
{
    Problem *grown = arena_alloc(&c->arena, (size_t)(c->nproblems + 1) * sizeof *grown);
    if (!grown) return -1;
    if (c->nproblems) memcpy(grown, c->problems, (size_t)c->nproblems * sizeof *grown);
    Problem *p = &grown[c->nproblems];
    p->file = arena_strdup(&c->arena, file);
    p->line = line;
    p->col = col;
    p->path = arena_strdup(&c->arena, path);
    p->message = arena_strdup(&c->arena, message);
    if (!p->file || !p->path || !p->message) return -1;
    c->problems = grown;
    c->nproblems++;
    return 0;
}

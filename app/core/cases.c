/* cases.c - practice case templates: loading, generation, checking and scoring.
 *
 * Templates are parsed from JSON into the structs below (the cJSON tree is freed
 * after each file); every string lives in the library's arena. Generation draws from
 * a splitmix64 stream seeded by (template id, seed), so a case never depends on the
 * order templates were loaded in or on the dictionary.
 */
#include "cases.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fsutil.h"
#include "jsonloc.h"

#define TEMPLATE_MAX_BYTES (1u << 20)
#define PATH_LEN 192

typedef struct TCode {
    const char *pattern;       /* "S52.5{side}1{encounter}" */
    CaseRole role;
    const char *rationale;
    const char *path;          /* JSON path, for problems found later */
} TCode;

typedef struct TWords {
    const char *attr;          /* "text", "noun", ... */
    const char **variants;
    int nvariants;
} TWords;

typedef struct TWhen {
    int slot;                  /* index of an earlier slot */
    const char **values;
    int nvalues;
} TWhen;

typedef struct TChoice {
    const char *value;
    TWords *words;
    int nwords;
    TCode *codes;
    int ncodes;
    TWhen *when;
    int nwhen;
} TChoice;

typedef struct TSlot {
    const char *id;
    int is_range;
    int min, max;              /* range slots */
    TChoice *choices;
    int nchoices;
} TSlot;

typedef struct TSection {
    const char *title;
    const char **variants;
    int nvariants;
} TSection;

struct CaseTemplate {
    const char *id, *title, *family, *file;
    const char *full;          /* the file's path on disk, to place problems found later */
    const char **topics;
    int ntopics;
    CaseSetting setting;
    TSlot *slots;
    int nslots;
    TCode principal;           /* pattern NULL when only choices give it */
    TSection *sections;
    int nsections;
    uint32_t chapters;
    uint64_t idhash;
};

struct CaseLibrary {
    Arena arena;
    CaseTemplate **items;
    int n, cap;
    char root[1024];
};

/* ------------------------------------------------------------------ names */

const char *case_setting_name(CaseSetting s)
{
    switch (s) {
    case CASE_OFFICE: return "office";
    case CASE_EMERGENCY: return "emergency";
    case CASE_INPATIENT: return "inpatient";
    case CASE_AMBULATORY_SURGERY: return "ambulatory-surgery";
    }
    return "office";
}

const char *case_verdict_name(Verdict v)
{
    static const char *names[] = {"correct", "missing", "extra", "invalid", "header",
                                  "specificity", "seventh", "laterality", "sequence", "excludes1"};
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "extra";
}

/* ------------------------------------------------------------------ loading */

typedef struct Load {
    CaseLibrary *lib;
    Content *problems;
    const char *rel;           /* "quizzes/cases/x.json" */
    const char *full;          /* its path on disk */
    const cJSON *slots_json;   /* the "slots" array, to tell a later slot from an unknown one */
    const char *text;
    size_t len;
    char path[PATH_LEN];
    int bad;
    int oom;
} Load;

static void problem(Load *L, const char *path, const char *fmt, ...) CP_PRINTF(3, 4);
static void problem(Load *L, const char *path, const char *fmt, ...)
{
    char msg[512], shown[PATH_LEN + 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = 0, col = 0;
    if (L->text) jsonloc_find(L->text, L->len, path[0] ? path : "$", &line, &col);
    snprintf(shown, sizeof shown, "%s%s", path[0] ? "$." : "$", path);
    L->bad = 1;
    if (L->problems) content_add_problem(L->problems, L->rel, line, col, shown, msg);
}

static const char *sub(char *buf, size_t cap, const char *base, const char *fmt, ...) CP_PRINTF(4, 5);
static const char *sub(char *buf, size_t cap, const char *base, const char *fmt, ...)
{
    int n = snprintf(buf, cap, "%s%s", base, base[0] && fmt[0] != '[' ? "." : "");
    if (n < 0 || (size_t)n >= cap) return buf;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, cap - (size_t)n, fmt, ap);
    va_end(ap);
    return buf;
}

static const char *dup(Load *L, const char *s)
{
    char *d = arena_strdup(&L->lib->arena, s);
    if (!d) L->oom = 1;
    return d ? d : "";
}

static void *alloc(Load *L, size_t n, size_t size)
{
    void *p = arena_alloc(&L->lib->arena, (n ? n : 1) * size);
    if (!p) L->oom = 1;
    return p;
}

/* A required non-empty string member. */
static const char *need_string(Load *L, const cJSON *obj, const char *key, const char *base)
{
    char p[PATH_LEN];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        problem(L, base, "missing field \"%s\" (text expected)", key);
        return NULL;
    }
    if (!cJSON_IsString(v) || !v->valuestring[0]) {
        problem(L, sub(p, sizeof p, base, "%s", key), "expected non-empty text");
        return NULL;
    }
    return dup(L, v->valuestring);
}

static int is_word(const char *s, int allow_dash)
{
    if (!s || !*s) return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || ((*s == '-' || (*s == '_' && allow_dash == 2)) && allow_dash)))
            return 0;
    return 1;
}

static int slot_index(const CaseTemplate *t, const char *id, size_t n, int upto)
{
    for (int i = 0; i < upto; i++)
        if (strlen(t->slots[i].id) == n && !strncmp(t->slots[i].id, id, n)) return i;
    return -1;
}

static const TWords *choice_words(const TChoice *c, const char *attr, size_t n)
{
    for (int i = 0; i < c->nwords; i++)
        if (strlen(c->words[i].attr) == n && !strncmp(c->words[i].attr, attr, n)) return &c->words[i];
    return NULL;
}

/* Checks the {slot} placeholders of a code pattern: each must name a slot. */
static void check_pattern(Load *L, const CaseTemplate *t, const char *pat, const char *path)
{
    char shape[64];
    size_t n = 0;
    for (const char *s = pat; *s; s++) {
        if (*s == '{') {
            const char *e = strchr(s, '}');
            if (!e) {
                problem(L, path, "\"{\" without \"}\" in code pattern \"%s\"", pat);
                return;
            }
            if (slot_index(t, s + 1, (size_t)(e - s - 1), t->nslots) < 0) {
                problem(L, path, "code pattern \"%s\" names slot \"%.*s\", which the template does not declare", pat,
                        (int)(e - s - 1), s + 1);
                return;
            }
            if (n + 1 < sizeof shape) shape[n++] = 'A';
            s = e;
        } else if (isalnum((unsigned char)*s) || *s == '.') {
            if (n + 1 < sizeof shape) shape[n++] = *s;
        } else {
            problem(L, path, "code pattern \"%s\" has \"%c\": codes are letters, digits and one dot", pat, *s);
            return;
        }
    }
    shape[n] = '\0';
    if (n < 3) problem(L, path, "\"%s\" is too short to be a code", pat);
}

/* Checks the placeholders of a document text. */
static void check_text(Load *L, const CaseTemplate *t, const char *text, const char *path)
{
    for (const char *s = text; (s = strchr(s, '{')) != NULL; s++) {
        const char *e = strchr(s, '}');
        if (!e) {
            problem(L, path, "\"{\" without a closing \"}\"");
            return;
        }
        const char *name = s + 1, *dot = memchr(name, '.', (size_t)(e - name)),
                   *bar = memchr(name, '|', (size_t)(e - name));
        const char *name_end = dot ? dot : bar ? bar : e;
        if (bar && (size_t)(e - bar - 1) != 3) {
            problem(L, path, "placeholder \"%.*s\": the only filter is |cap", (int)(e - s + 1), s);
            return;
        }
        if (bar && strncmp(bar + 1, "cap", 3)) {
            problem(L, path, "placeholder \"%.*s\": the only filter is |cap", (int)(e - s + 1), s);
            return;
        }
        int si = slot_index(t, name, (size_t)(name_end - name), t->nslots);
        if (si < 0) {
            problem(L, path, "placeholder \"%.*s\" names slot \"%.*s\", which the template does not declare",
                    (int)(e - s + 1), s, (int)(name_end - name), name);
            return;
        }
        const TSlot *sl = &t->slots[si];
        const char *attr = dot ? dot + 1 : "text";
        size_t alen = dot ? (size_t)((bar ? bar : e) - attr) : 4;
        if (sl->is_range) {
            if (dot) problem(L, path, "placeholder \"%.*s\": slot \"%s\" is a range; it has no words", (int)(e - s + 1), s, sl->id);
            continue;
        }
        for (int c = 0; c < sl->nchoices; c++)
            if (!choice_words(&sl->choices[c], attr, alen)) {
                problem(L, path, "placeholder \"%.*s\": choice \"%s\" of slot \"%s\" has no words.%.*s", (int)(e - s + 1), s,
                        sl->choices[c].value, sl->id, (int)alen, attr);
                return;
            }
        s = e;
    }
}

static int load_variants(Load *L, const cJSON *arr, const char *path, const char ***out)
{
    if (cJSON_IsString(arr) && arr->valuestring[0]) {
        *out = alloc(L, 1, sizeof **out);
        if (*out) (*out)[0] = dup(L, arr->valuestring);
        return *out ? 1 : 0;
    }
    int n = cJSON_GetArraySize(arr);
    if (!cJSON_IsArray(arr) || n == 0) {
        problem(L, path, "expected a list of text variants");
        return 0;
    }
    *out = alloc(L, (size_t)n, sizeof **out);
    if (!*out) return 0;
    int i = 0;
    char p[PATH_LEN];
    for (const cJSON *v = arr->child; v; v = v->next, i++) {
        if (!cJSON_IsString(v) || !v->valuestring[0]) {
            problem(L, sub(p, sizeof p, path, "[%d]", i), "expected non-empty text");
            continue;
        }
        if (strlen(v->valuestring) >= CASE_TEXT_MAX / 2) {
            problem(L, sub(p, sizeof p, path, "[%d]", i), "text of %zu bytes is too long (at most %d)",
                    strlen(v->valuestring), CASE_TEXT_MAX / 2 - 1);
            continue;
        }
        (*out)[i] = dup(L, v->valuestring);
    }
    return n;
}

static void load_code(Load *L, const cJSON *o, const char *path, TCode *out, int allow_role)
{
    char p[PATH_LEN];
    memset(out, 0, sizeof *out);
    out->path = dup(L, path);
    if (!cJSON_IsObject(o)) {
        problem(L, path, "expected an object with \"code\" and \"rationale\"");
        return;
    }
    out->pattern = need_string(L, o, "code", path);
    out->rationale = need_string(L, o, "rationale", path);
    const cJSON *role = cJSON_GetObjectItemCaseSensitive(o, "role");
    out->role = allow_role ? ROLE_DIAGNOSIS : ROLE_PRINCIPAL;
    if (role && allow_role) {
        const char *r = cJSON_IsString(role) ? role->valuestring : "";
        if (!strcmp(r, "diagnosis")) out->role = ROLE_DIAGNOSIS;
        else if (!strcmp(r, "procedure")) out->role = ROLE_PROCEDURE;
        else if (!strcmp(r, "principal")) out->role = ROLE_PRINCIPAL;
        else problem(L, sub(p, sizeof p, path, "role"), "expected \"diagnosis\", \"procedure\" or \"principal\"");
    }
}

static void load_choice(Load *L, CaseTemplate *t, int si, const cJSON *o, const char *path, TChoice *c)
{
    char p[PATH_LEN], q[PATH_LEN];
    if (!cJSON_IsObject(o)) {
        problem(L, path, "expected a choice object with \"value\"");
        c->value = "";
        return;
    }
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "value");
    if (!cJSON_IsString(v) || !v->valuestring[0] || strlen(v->valuestring) >= sizeof(((CaseSlotValue *)0)->value)) {
        problem(L, v ? sub(p, sizeof p, path, "value") : path, "expected \"value\": text of 1 to 31 characters");
        c->value = "";
    } else {
        c->value = dup(L, v->valuestring);
    }
    const cJSON *words = cJSON_GetObjectItemCaseSensitive(o, "words");
    if (words) {
        if (!cJSON_IsObject(words)) {
            problem(L, sub(p, sizeof p, path, "words"), "expected an object: attribute -> list of variants");
        } else {
            c->nwords = cJSON_GetArraySize(words);
            c->words = alloc(L, (size_t)c->nwords, sizeof *c->words);
            int i = 0;
            for (const cJSON *w = words->child; w && c->words; w = w->next, i++) {
                c->words[i].attr = dup(L, w->string);
                int ok = w->string[0] != '\0';
                for (const char *x = w->string; *x; x++) ok &= isalnum((unsigned char)*x) || *x == '_' || *x == '-';
                if (!ok) problem(L, sub(p, sizeof p, path, "words.%s", w->string), "attribute names are letters, digits, - and _");
                c->words[i].nvariants = load_variants(L, w, sub(p, sizeof p, path, "words.%s", w->string), &c->words[i].variants);
            }
        }
    }
    const cJSON *codes = cJSON_GetObjectItemCaseSensitive(o, "codes");
    if (codes) {
        if (!cJSON_IsArray(codes)) {
            problem(L, sub(p, sizeof p, path, "codes"), "expected a list of codes");
        } else {
            c->ncodes = cJSON_GetArraySize(codes);
            c->codes = alloc(L, (size_t)c->ncodes, sizeof *c->codes);
            int i = 0;
            for (const cJSON *k = codes->child; k && c->codes; k = k->next, i++)
                load_code(L, k, sub(p, sizeof p, path, "codes[%d]", i), &c->codes[i], 1);
        }
    }
    const cJSON *when = cJSON_GetObjectItemCaseSensitive(o, "when");
    if (when) {
        sub(p, sizeof p, path, "when");
        if (!cJSON_IsObject(when) || !when->child) {
            problem(L, p, "expected an object: earlier slot -> value or list of values");
            return;
        }
        c->nwhen = cJSON_GetArraySize(when);
        c->when = alloc(L, (size_t)c->nwhen, sizeof *c->when);
        int i = 0;
        for (const cJSON *w = when->child; w && c->when; w = w->next, i++) {
            TWhen *tw = &c->when[i];
            sub(q, sizeof q, p, "%s", w->string);
            tw->slot = slot_index(t, w->string, strlen(w->string), si);
            if (tw->slot < 0) {
                int later = 0;
                for (const cJSON *x = L->slots_json ? L->slots_json->child : NULL; x; x = x->next) {
                    const cJSON *xid = cJSON_GetObjectItemCaseSensitive(x, "id");
                    later |= cJSON_IsString(xid) && !strcmp(xid->valuestring, w->string);
                }
                if (later)
                    problem(L, q, "\"when\" names slot \"%s\", which is not declared before this one (a condition can "
                                  "only look back, so conditions can never form a cycle)", w->string);
                else
                    problem(L, q, "\"when\" names slot \"%s\", which the template does not declare", w->string);
                continue;
            }
            const TSlot *ws = &t->slots[tw->slot];
            const cJSON *vals = w;
            tw->nvalues = cJSON_IsArray(vals) ? cJSON_GetArraySize(vals) : 1;
            tw->values = alloc(L, (size_t)tw->nvalues, sizeof *tw->values);
            int j = 0;
            for (const cJSON *x = cJSON_IsArray(vals) ? vals->child : vals; x && tw->values; x = cJSON_IsArray(vals) ? x->next : NULL, j++) {
                if (!cJSON_IsString(x)) {
                    problem(L, q, "expected a value of slot \"%s\" (text) or a list of them", ws->id);
                    break;
                }
                tw->values[j] = dup(L, x->valuestring);
                int known = ws->is_range;
                for (int k = 0; k < ws->nchoices && !known; k++) known = !strcmp(ws->choices[k].value, x->valuestring);
                if (!known) problem(L, q, "slot \"%s\" has no choice \"%s\"", ws->id, x->valuestring);
                if (ws->is_range) problem(L, q, "slot \"%s\" is a range; conditions name choice slots", ws->id);
            }
        }
    }
}

static void load_slot(Load *L, CaseTemplate *t, int si, const cJSON *o, const char *path)
{
    char p[PATH_LEN];
    TSlot *s = &t->slots[si];
    s->id = "";
    if (!cJSON_IsObject(o)) {
        problem(L, path, "expected a slot object with \"id\" and \"range\" or \"choices\"");
        return;
    }
    const char *id = need_string(L, o, "id", path);
    if (id) {
        s->id = id;
        if (!is_word(id, 2)) problem(L, sub(p, sizeof p, path, "id"), "slot ids are lower-case words (a-z, 0-9, -, _)");
        if (slot_index(t, id, strlen(id), si) >= 0) problem(L, sub(p, sizeof p, path, "id"), "slot \"%s\" is declared twice", id);
    }
    const cJSON *range = cJSON_GetObjectItemCaseSensitive(o, "range");
    const cJSON *choices = cJSON_GetObjectItemCaseSensitive(o, "choices");
    if ((range != NULL) == (choices != NULL)) {
        problem(L, path, "a slot has either \"range\" or \"choices\"");
        return;
    }
    if (range) {
        s->is_range = 1;
        if (!cJSON_IsArray(range) || cJSON_GetArraySize(range) != 2 || !cJSON_IsNumber(range->child) ||
            !cJSON_IsNumber(range->child->next) || range->child->valuedouble > range->child->next->valuedouble ||
            range->child->valuedouble < 0 || range->child->next->valuedouble > 1e6) {
            problem(L, sub(p, sizeof p, path, "range"), "expected [min, max]: two whole numbers, 0 <= min <= max");
            return;
        }
        s->min = (int)range->child->valuedouble;
        s->max = (int)range->child->next->valuedouble;
        return;
    }
    s->nchoices = cJSON_GetArraySize(choices);
    if (!cJSON_IsArray(choices) || s->nchoices == 0) {
        problem(L, sub(p, sizeof p, path, "choices"), "expected a non-empty list of choices");
        s->nchoices = 0;
        return;
    }
    s->choices = alloc(L, (size_t)s->nchoices, sizeof *s->choices);
    int i = 0;
    for (const cJSON *c = choices->child; c && s->choices; c = c->next, i++) {
        load_choice(L, t, si, c, sub(p, sizeof p, path, "choices[%d]", i), &s->choices[i]);
        for (int k = 0; k < i; k++)
            if (s->choices[i].value[0] && !strcmp(s->choices[k].value, s->choices[i].value))
                problem(L, sub(p, sizeof p, path, "choices[%d].value", i), "value \"%s\" is used twice in slot \"%s\"",
                        s->choices[i].value, s->id);
    }
}

static int parse_setting(const char *s, CaseSetting *out)
{
    for (int i = CASE_OFFICE; i <= CASE_AMBULATORY_SURGERY; i++)
        if (!strcmp(s, case_setting_name((CaseSetting)i))) {
            *out = (CaseSetting)i;
            return 0;
        }
    return -1;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The chapter of a principal pattern: its category (first three characters) decides. */
static int pattern_chapter(const char *pattern)
{
    char cat[4];
    for (int i = 0; i < 3; i++) {
        if (!pattern[i] || pattern[i] == '{') return 0;
        cat[i] = pattern[i];
    }
    cat[3] = '\0';
    return codebook_cm_chapter(cat);
}

static CaseTemplate *load_template(Load *L, const cJSON *root)
{
    char p[PATH_LEN];
    if (!cJSON_IsObject(root)) {
        problem(L, "", "expected a case template object");
        return NULL;
    }
    CaseTemplate *t = alloc(L, 1, sizeof *t);
    if (!t) return NULL;
    t->file = dup(L, L->rel);
    t->full = dup(L, L->full);
    const cJSON *sv = cJSON_GetObjectItemCaseSensitive(root, "schema_version");
    if (!cJSON_IsNumber(sv) || sv->valuedouble != 1) problem(L, sv ? "schema_version" : "", "expected \"schema_version\": 1");
    t->id = need_string(L, root, "id", "");
    if (t->id && !is_word(t->id, 1)) problem(L, "id", "ids are lower-case words joined by \"-\"");
    t->title = need_string(L, root, "title", "");
    const char *setting = need_string(L, root, "setting", "");
    if (setting && parse_setting(setting, &t->setting) != 0)
        problem(L, "setting", "expected \"office\", \"emergency\", \"inpatient\" or \"ambulatory-surgery\"");
    t->family = need_string(L, root, "family", "");
    if (t->family && !is_word(t->family, 0)) problem(L, "family", "a family is one lower-case word");
    const cJSON *topics = cJSON_GetObjectItemCaseSensitive(root, "topics");
    if (topics) {
        t->ntopics = cJSON_GetArraySize(topics);
        t->topics = alloc(L, (size_t)t->ntopics, sizeof *t->topics);
        int i = 0;
        for (const cJSON *x = cJSON_IsArray(topics) ? topics->child : NULL; x && t->topics; x = x->next, i++) {
            if (!cJSON_IsString(x) || !is_word(x->valuestring, 1)) {
                problem(L, sub(p, sizeof p, "", "topics[%d]", i), "topics are lower-case words joined by \"-\"");
                t->topics[i] = "";
            } else {
                t->topics[i] = dup(L, x->valuestring);
            }
        }
        if (!cJSON_IsArray(topics)) problem(L, "topics", "expected a list of topics");
    }
    const cJSON *slots = cJSON_GetObjectItemCaseSensitive(root, "slots");
    if (!cJSON_IsArray(slots)) {
        problem(L, slots ? "slots" : "", "expected \"slots\": a list");
    } else {
        t->nslots = cJSON_GetArraySize(slots);
        if (t->nslots > CASE_MAX_SLOTS) {
            problem(L, "slots", "%d slots; at most %d", t->nslots, CASE_MAX_SLOTS);
            t->nslots = 0;
        }
        t->slots = alloc(L, (size_t)t->nslots, sizeof *t->slots);
        L->slots_json = slots;
        int total = t->nslots, i = 0;
        for (const cJSON *s = slots->child; s && t->slots && i < total; s = s->next, i++) {
            t->nslots = i + 1; /* later slots are not visible to this one's conditions */
            load_slot(L, t, i, s, sub(p, sizeof p, "", "slots[%d]", i));
        }
        t->nslots = i;
    }
    /* code patterns may name any slot: check them once all are known */
    int nprincipal = 0;
    for (int i = 0; i < t->nslots; i++)
        for (int c = 0; c < t->slots[i].nchoices; c++)
            for (int k = 0; k < t->slots[i].choices[c].ncodes; k++) {
                const TCode *tc = &t->slots[i].choices[c].codes[k];
                if (tc->pattern) check_pattern(L, t, tc->pattern, tc->path);
                if (tc->role == ROLE_PRINCIPAL) nprincipal++;
            }
    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(root, "principal");
    if (pr) {
        load_code(L, pr, "principal", &t->principal, 0);
        if (t->principal.pattern) check_pattern(L, t, t->principal.pattern, "principal");
    } else if (nprincipal == 0) {
        problem(L, "", "missing field \"principal\" (no choice gives a principal diagnosis either)");
    }
    const cJSON *doc = cJSON_GetObjectItemCaseSensitive(root, "document");
    t->nsections = cJSON_GetArraySize(doc);
    if (!cJSON_IsArray(doc) || t->nsections == 0 || t->nsections > CASE_MAX_SECTIONS) {
        problem(L, doc ? "document" : "", "expected \"document\": a list of 1 to %d sections", CASE_MAX_SECTIONS);
        t->nsections = 0;
    } else {
        t->sections = alloc(L, (size_t)t->nsections, sizeof *t->sections);
        int i = 0;
        for (const cJSON *s = doc->child; s && t->sections; s = s->next, i++) {
            char base[PATH_LEN];
            sub(base, sizeof base, "", "document[%d]", i);
            TSection *sec = &t->sections[i];
            sec->title = need_string(L, s, "section", base);
            const cJSON *text = cJSON_GetObjectItemCaseSensitive(s, "text");
            if (!text) {
                problem(L, base, "missing field \"text\" (a list of variants)");
                continue;
            }
            sec->nvariants = load_variants(L, text, sub(p, sizeof p, base, "text"), &sec->variants);
            for (int v = 0; v < sec->nvariants; v++)
                if (sec->variants[v]) {
                    char vp[PATH_LEN];
                    check_text(L, t, sec->variants[v], cJSON_IsArray(text) ? sub(vp, sizeof vp, p, "[%d]", v) : p);
                }
        }
    }
    if (t->principal.pattern) t->chapters |= 1u << pattern_chapter(t->principal.pattern);
    for (int i = 0; i < t->nslots; i++)
        for (int c = 0; c < t->slots[i].nchoices; c++)
            for (int k = 0; k < t->slots[i].choices[c].ncodes; k++) {
                const TCode *tc = &t->slots[i].choices[c].codes[k];
                if (tc->role == ROLE_PRINCIPAL && tc->pattern) t->chapters |= 1u << pattern_chapter(tc->pattern);
            }
    t->chapters &= ~1u; /* bit 0: no chapter */
    t->idhash = t->id ? hash_str(t->id) : 0;
    return t;
}

static int by_id(const void *a, const void *b)
{
    const CaseTemplate *x = *(CaseTemplate *const *)a, *y = *(CaseTemplate *const *)b;
    return strcmp(x->id, y->id);
}

CaseLibrary *cases_load(const char *root, Content *problems, CpError *err)
{
    CaseLibrary *lib = calloc(1, sizeof *lib);
    if (!lib) {
        cp_error_set(err, "out of memory");
        return NULL;
    }
    arena_init(&lib->arena);
    snprintf(lib->root, sizeof lib->root, "%s", root);
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/quizzes/cases", root);
    char **names = NULL;
    int n = fs_list_files(dir, ".json", &names, err);
    if (n < 0) {
        if (problems) content_add_problem(problems, "quizzes/cases", 0, 0, "$", err->msg);
        return lib;
    }
    for (int i = 0; i < n; i++) {
        char rel[512], full[1800];
        snprintf(rel, sizeof rel, "quizzes/cases/%s", names[i]);
        snprintf(full, sizeof full, "%s/%s", dir, names[i]);
        Load L = {.lib = lib, .problems = problems, .rel = rel, .full = full};
        CpError ferr = {{0}};
        size_t len = 0;
        char *text = fs_read_file(full, TEMPLATE_MAX_BYTES, &len, &ferr);
        if (!text) {
            if (problems) content_add_problem(problems, rel, 0, 0, "$", ferr.msg);
            continue;
        }
        L.text = text;
        L.len = len;
        const char *end = NULL;
        cJSON *json = cJSON_ParseWithLengthOpts(text, len, &end, 0);
        if (!json) {
            int line = 0, col = 0;
            jsonloc_line_col(text, len, end ? (size_t)(end - text) : 0, &line, &col);
            if (problems) content_add_problem(problems, rel, line, col, "$", "invalid JSON here");
            free(text);
            continue;
        }
        CaseTemplate *t = load_template(&L, json);
        cJSON_Delete(json);
        if (t && t->id && !L.bad) {
            for (int k = 0; k < lib->n; k++)
                if (!strcmp(lib->items[k]->id, t->id)) problem(&L, "id", "id \"%s\" is also used by %s", t->id, lib->items[k]->file);
        }
        free(text);
        if (L.oom) {
            fs_free_list(names, n);
            cases_free(lib);
            cp_error_set(err, "out of memory loading %s", rel);
            return NULL;
        }
        if (!t || L.bad) continue;
        if (lib->n == lib->cap) {
            int ncap = lib->cap ? lib->cap * 2 : 64;
            CaseTemplate **p = realloc(lib->items, (size_t)ncap * sizeof *p);
            if (!p) {
                fs_free_list(names, n);
                cases_free(lib);
                cp_error_set(err, "out of memory");
                return NULL;
            }
            lib->items = p;
            lib->cap = ncap;
        }
        lib->items[lib->n++] = t;
    }
    fs_free_list(names, n);
    if (lib->n > 1) qsort(lib->items, (size_t)lib->n, sizeof *lib->items, by_id);
    return lib;
}

void cases_free(CaseLibrary *lib)
{
    if (!lib) return;
    free(lib->items);
    arena_free(&lib->arena);
    free(lib);
}

int cases_count(const CaseLibrary *lib) { return lib ? lib->n : 0; }
const CaseTemplate *cases_at(const CaseLibrary *lib, int i) { return lib && i >= 0 && i < lib->n ? lib->items[i] : NULL; }

const CaseTemplate *cases_find(const CaseLibrary *lib, const char *id)
{
    for (int i = 0; lib && i < lib->n; i++)
        if (!strcmp(lib->items[i]->id, id)) return lib->items[i];
    return NULL;
}

const char *case_template_id(const CaseTemplate *t) { return t->id; }
const char *case_template_title(const CaseTemplate *t) { return t->title; }
const char *case_template_family(const CaseTemplate *t) { return t->family; }
const char *case_template_file(const CaseTemplate *t) { return t->file; }
CaseSetting case_template_setting(const CaseTemplate *t) { return t->setting; }
uint32_t case_template_chapters(const CaseTemplate *t) { return t->chapters; }
int case_template_ntopics(const CaseTemplate *t) { return t->ntopics; }
const char *case_template_topic(const CaseTemplate *t, int i) { return i >= 0 && i < t->ntopics ? t->topics[i] : ""; }

/* ------------------------------------------------------------------ generation */

typedef struct Rng {
    uint64_t s;
} Rng;

static uint64_t rng_next(Rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int rng_below(Rng *r, int n) { return n > 1 ? (int)(rng_next(r) % (uint64_t)n) : 0; }

/* What generation chose: per slot the choice (or range value) and, per words
 * attribute of that choice, the variant, so "{sex.noun}" reads the same throughout. */
typedef struct Picked {
    int choice[CASE_MAX_SLOTS];       /* -1 for a range slot */
    int number[CASE_MAX_SLOTS];
    uint64_t variant_seed[CASE_MAX_SLOTS];
} Picked;

static const char *slot_value(const CaseTemplate *t, const Picked *pk, int si, char buf[32])
{
    if (t->slots[si].is_range) {
        snprintf(buf, 32, "%d", pk->number[si]);
        return buf;
    }
    return t->slots[si].choices[pk->choice[si]].value;
}

/* The words variant for (slot, attr): chosen by a hash of the case and the attribute. */
static const char *slot_words(const CaseTemplate *t, const Picked *pk, int si, const char *attr, size_t alen)
{
    const TWords *w = choice_words(&t->slots[si].choices[pk->choice[si]], attr, alen);
    if (!w || w->nvariants == 0) return NULL;
    uint64_t h = pk->variant_seed[si];
    for (size_t i = 0; i < alen; i++) h = (h ^ (unsigned char)attr[i]) * 1099511628211ull;
    h ^= h >> 29;
    return w->variants[h % (uint64_t)w->nvariants];
}

static int fill_text(const CaseTemplate *t, const Picked *pk, const char *src, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *s = src; *s;) {
        if (*s == '{') {
            const char *e = strchr(s, '}');
            if (!e) return -1;
            const char *name = s + 1, *dot = memchr(name, '.', (size_t)(e - name)), *bar = memchr(name, '|', (size_t)(e - name));
            const char *name_end = dot ? dot : bar ? bar : e;
            int si = slot_index(t, name, (size_t)(name_end - name), t->nslots);
            if (si < 0) return -1;
            char num[32];
            const char *val;
            if (t->slots[si].is_range) {
                val = slot_value(t, pk, si, num);
            } else {
                const char *attr = dot ? dot + 1 : "text";
                size_t alen = dot ? (size_t)((bar ? bar : e) - attr) : 4;
                val = slot_words(t, pk, si, attr, alen);
                if (!val) return -1;
            }
            size_t vl = strlen(val);
            if (n + vl >= cap) return -1;
            memcpy(out + n, val, vl);
            if (bar && vl) out[n] = (char)toupper((unsigned char)out[n]);
            n += vl;
            s = e + 1;
        } else {
            if (n + 1 >= cap) return -1;
            out[n++] = *s++;
        }
    }
    out[n] = '\0';
    return 0;
}

static int fill_code(const CaseTemplate *t, const Picked *pk, const char *pat, char out[CODE_MAX])
{
    char raw[64];
    size_t n = 0;
    for (const char *s = pat; *s; s++) {
        if (*s == '{') {
            const char *e = strchr(s, '}');
            if (!e) return -1;
            int si = slot_index(t, s + 1, (size_t)(e - s - 1), t->nslots);
            if (si < 0) return -1;
            char num[32];
            const char *v = slot_value(t, pk, si, num);
            size_t vl = strlen(v);
            if (n + vl >= sizeof raw) return -1;
            memcpy(raw + n, v, vl);
            n += vl;
            s = e;
        } else {
            if (n + 1 >= sizeof raw) return -1;
            raw[n++] = *s;
        }
    }
    raw[n] = '\0';
    return codebook_normalise(raw, out);
}

static int choice_allowed(const CaseTemplate *t, const Picked *pk, const TChoice *c)
{
    for (int w = 0; w < c->nwhen; w++) {
        const TWhen *tw = &c->when[w];
        if (tw->slot < 0) return 0;
        char num[32];
        const char *v = slot_value(t, pk, tw->slot, num);
        int ok = 0;
        for (int k = 0; k < tw->nvalues && !ok; k++) ok = tw->values[k] && !strcmp(tw->values[k], v);
        if (!ok) return 0;
    }
    return 1;
}

static void add_code(GeneratedCase *out, const char *code, CaseRole role, const char *rationale)
{
    for (int i = 0; i < out->ncodes; i++)
        if (!strcmp(out->codes[i].code, code)) return; /* reported once */
    if (out->ncodes >= CASE_MAX_CODES) return;
    CaseCode *c = &out->codes[out->ncodes++];
    snprintf(c->code, sizeof c->code, "%s", code);
    c->role = role;
    c->rationale = rationale;
}

static void describe_values(const GeneratedCase *c, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < c->nvalues && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s=%s", i ? ", " : "", c->values[i].slot, c->values[i].value);
}

/* case_generate; *bad_slot names the slot that had no allowed choice (-1 otherwise). */
static int generate(const CaseTemplate *t, uint64_t seed, GeneratedCase *out, CpError *err, int *bad_slot)
{
    *bad_slot = -1;
    Rng r = {t->idhash ^ (seed * 0xD1B54A32D192ED03ull)};
    Picked pk;
    out->tmpl = t;
    out->seed = seed;
    out->nsections = out->ncodes = out->nvalues = 0;
    for (int i = 0; i < t->nslots; i++) {
        const TSlot *s = &t->slots[i];
        pk.choice[i] = -1;
        pk.variant_seed[i] = rng_next(&r);
        if (s->is_range) {
            pk.number[i] = s->min + rng_below(&r, s->max - s->min + 1);
        } else {
            int allowed[256], na = 0;
            for (int c = 0; c < s->nchoices && na < 256; c++)
                if (choice_allowed(t, &pk, &s->choices[c])) allowed[na++] = c;
            if (na == 0) {
                describe_values(out, out->sections[0].text, sizeof out->sections[0].text);
                cp_error_set(err, "no choice of slot \"%s\" is allowed when %s: an impossible combination", s->id,
                             out->sections[0].text);
                *bad_slot = i;
                return -1;
            }
            pk.choice[i] = allowed[rng_below(&r, na)];
        }
        CaseSlotValue *v = &out->values[out->nvalues++];
        v->slot = s->id;
        char num[32];
        snprintf(v->value, sizeof v->value, "%s", slot_value(t, &pk, i, num));
    }
    /* principal: a chosen choice's principal replaces the template's */
    const TCode *principal = t->principal.pattern ? &t->principal : NULL;
    for (int i = 0; i < t->nslots; i++)
        if (pk.choice[i] >= 0) {
            const TChoice *c = &t->slots[i].choices[pk.choice[i]];
            for (int k = 0; k < c->ncodes; k++)
                if (c->codes[k].role == ROLE_PRINCIPAL) principal = &c->codes[k];
        }
    if (!principal) {
        cp_error_set(err, "%s seed %llu: no principal diagnosis for these choices", t->id, (unsigned long long)seed);
        return -1;
    }
    char code[CODE_MAX];
    if (fill_code(t, &pk, principal->pattern, code) != 0) {
        cp_error_set(err, "%s seed %llu: pattern \"%s\" does not make a code", t->id, (unsigned long long)seed, principal->pattern);
        return -1;
    }
    add_code(out, code, ROLE_PRINCIPAL, principal->rationale);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < t->nslots; i++) {
            if (pk.choice[i] < 0) continue;
            const TChoice *c = &t->slots[i].choices[pk.choice[i]];
            for (int k = 0; k < c->ncodes; k++) {
                const TCode *tc = &c->codes[k];
                if (tc->role == ROLE_PRINCIPAL || (tc->role == ROLE_PROCEDURE) != pass) continue;
                if (fill_code(t, &pk, tc->pattern, code) != 0) {
                    cp_error_set(err, "%s seed %llu: pattern \"%s\" does not make a code", t->id, (unsigned long long)seed,
                                 tc->pattern);
                    return -1;
                }
                add_code(out, code, tc->role, tc->rationale);
            }
        }
    for (int i = 0; i < t->nsections; i++) {
        const TSection *s = &t->sections[i];
        CaseSection *cs = &out->sections[out->nsections++];
        cs->title = s->title;
        const char *src = s->variants[rng_below(&r, s->nvariants)];
        if (fill_text(t, &pk, src, cs->text, sizeof cs->text) != 0) {
            cp_error_set(err, "%s seed %llu: section \"%s\" does not fit in %d bytes", t->id, (unsigned long long)seed,
                         s->title, CASE_TEXT_MAX);
            return -1;
        }
    }
    return 0;
}

void case_code_display(const CaseCode *c, char out[CODE_MAX])
{
    CodeSystem sys = c->role != ROLE_PROCEDURE ? SYS_ICD10CM : strlen(c->code) == 7 ? SYS_ICD10PCS : SYS_HCPCS;
    codebook_display(sys, c->code, out);
}

int case_generate(const CaseTemplate *t, uint64_t seed, GeneratedCase *out, CpError *err)
{
    int bad_slot;
    return generate(t, seed, out, err, &bad_slot);
}

const char *case_value(const GeneratedCase *c, const char *slot)
{
    for (int i = 0; i < c->nvalues; i++)
        if (!strcmp(c->values[i].slot, slot)) return c->values[i].value;
    return NULL;
}

/* ------------------------------------------------------------------ checking */

static void check_problem(const CaseTemplate *t, Content *problems, const char *path, const char *fmt, ...) CP_PRINTF(4, 5);
static void check_problem(const CaseTemplate *t, Content *problems, const char *path, const char *fmt, ...)
{
    if (!problems) return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* position: read the file again; only failing templates pay for it */
    int line = 0, col = 0;
    size_t len = 0;
    char *text = fs_read_file(t->full, TEMPLATE_MAX_BYTES, &len, NULL);
    if (text) jsonloc_find(text, len, path[0] ? path : "$", &line, &col);
    free(text);
    char shown[PATH_LEN + 2];
    snprintf(shown, sizeof shown, "%s%s", path[0] && strcmp(path, "$") ? "$." : "$", strcmp(path, "$") ? path : "");
    content_add_problem(problems, t->file, line, col, shown, msg);
}

/* Where in the template the code at out->codes[i] came from: the first code whose
 * filled pattern equals it. */
static const char *code_origin(const CaseTemplate *t, const GeneratedCase *c, const char *code)
{
    Picked pk;
    for (int i = 0; i < t->nslots; i++) {
        pk.choice[i] = -1;
        pk.number[i] = 0;
        if (t->slots[i].is_range) {
            pk.number[i] = atoi(c->values[i].value);
        } else {
            for (int k = 0; k < t->slots[i].nchoices; k++)
                if (!strcmp(t->slots[i].choices[k].value, c->values[i].value)) pk.choice[i] = k;
        }
    }
    char filled[CODE_MAX];
    if (t->principal.pattern && fill_code(t, &pk, t->principal.pattern, filled) == 0 && !strcmp(filled, code))
        return t->principal.path;
    for (int i = 0; i < t->nslots; i++) {
        if (pk.choice[i] < 0) continue;
        const TChoice *ch = &t->slots[i].choices[pk.choice[i]];
        for (int k = 0; k < ch->ncodes; k++)
            if (fill_code(t, &pk, ch->codes[k].pattern, filled) == 0 && !strcmp(filled, code)) return ch->codes[k].path;
    }
    return "";
}

typedef struct KeySet {
    uint64_t *h;
    int n, cap;
} KeySet;

static int keyset_add(KeySet *k, uint64_t h)
{
    for (int i = 0; i < k->n; i++)
        if (k->h[i] == h) return 0;
    if (k->n == k->cap) {
        int ncap = k->cap ? k->cap * 2 : 64;
        uint64_t *p = realloc(k->h, (size_t)ncap * sizeof *p);
        if (!p) return -1;
        k->h = p;
        k->cap = ncap;
    }
    k->h[k->n++] = h;
    return 1;
}

static uint64_t key_hash(const GeneratedCase *c)
{
    /* the principal in place; the rest as a set (order does not change the key) */
    uint64_t h = hash_str(c->codes[0].code), rest = 0;
    for (int i = 1; i < c->ncodes; i++) rest += hash_str(c->codes[i].code) * 0x9E3779B97F4A7C15ull;
    return h ^ (rest * 31 + (uint64_t)c->ncodes);
}

int case_check_template(const CaseTemplate *t, Codebook *cb, int nseeds, Content *problems, int *keys, CpError *err)
{
    KeySet ks = {0}, said = {0}; /* answer keys seen; problems reported (one report per cause) */
    int failing = 0;
    GeneratedCase *c = malloc(sizeof *c);
    Finding *f = malloc(64 * sizeof *f);
    if (!c || !f) {
        free(c);
        free(f);
        cp_error_set(err, "out of memory");
        return -1;
    }
    *keys = 0;
    for (int s = 1; s <= nseeds && failing >= 0; s++) {
        CpError gerr = {{0}};
        int bad_slot = -1;
        if (generate(t, (uint64_t)s, c, &gerr, &bad_slot) != 0) {
            char path[PATH_LEN] = "$";
            if (bad_slot >= 0) snprintf(path, sizeof path, "slots[%d]", bad_slot);
            if (keyset_add(&said, hash_str(gerr.msg)) == 1) check_problem(t, problems, path, "seed %d: %s", s, gerr.msg);
            failing++;
            continue;
        }
        int fresh = keyset_add(&ks, key_hash(c));
        if (fresh < 0) {
            cp_error_set(err, "out of memory");
            failing = -1;
            break;
        }
        if (!fresh) continue; /* this answer key was checked already */
        char values[512];
        describe_values(c, values, sizeof values);
        int bad = 0;
        /* codes as printed: the dot says ICD-10-CM ("J11.00" is not the HCPCS "J1100") */
        char shown_all[CASE_MAX_CODES][CODE_MAX];
        const char *list[CASE_MAX_CODES];
        for (int i = 0; i < c->ncodes; i++) {
            case_code_display(&c->codes[i], shown_all[i]);
            list[i] = shown_all[i];
            CodeBrief b;
            const char *shown = shown_all[i];
            int found = codebook_brief(cb, shown, &b);
            if (found && b.billable) continue;
            bad = 1;
            if (keyset_add(&said, hash_str(c->codes[i].code)) != 1) continue;
            if (!found)
                check_problem(t, problems, code_origin(t, c, c->codes[i].code),
                              "seed %d (%s): %s is not in the active dictionary", s, values, shown);
            else
                check_problem(t, problems, code_origin(t, c, c->codes[i].code),
                              "seed %d (%s): %s (%s) is a header, not a billable code", s, values, shown, b.title);
        }
        if (!bad) {
            ValidateOptions vo = {t->setting == CASE_INPATIENT ? SETTING_INPATIENT : SETTING_OUTPATIENT, -1, 0, NULL};
            const char *age = case_value(c, "age"), *sex = case_value(c, "sex");
            if (age) vo.age = atoi(age);
            if (sex && (!strcmp(sex, "F") || !strcmp(sex, "M"))) vo.sex = sex[0];
            int nf = 0;
            if (codebook_validate(cb, list, c->ncodes, &vo, f, 64, &nf, err) != 0) {
                failing = -1;
                break;
            }
            for (int i = 0; i < nf && i < 64; i++) {
                if (f[i].severity != SEV_ERROR) continue;
                bad = 1;
                if (keyset_add(&said, hash_str(f[i].message)) != 1) continue;
                char norm[CODE_MAX];
                const char *origin = codebook_normalise(f[i].code, norm) == 0 ? code_origin(t, c, norm) : "$";
                check_problem(t, problems, origin[0] ? origin : "$", "seed %d (%s): the validator refuses the expected codes: %s",
                              s, values, f[i].message);
            }
        }
        failing += bad;
    }
    if (failing >= 0) {
        *keys = ks.n;
        if (ks.n < CASE_MIN_KEYS && nseeds >= CASE_CHECK_SEEDS)
            check_problem(t, problems, "slots", "%d seeds gave only %d different answer keys; a template needs at least %d", nseeds,
                          ks.n, CASE_MIN_KEYS);
    }
    free(ks.h);
    free(said.h);
    free(c);
    free(f);
    return failing;
}

/* ------------------------------------------------------------------ modes */

const char *case_mode_name(CaseMode m)
{
    static const char *names[CASE_MODE_COUNT] = {"quick", "full", "record", "chapter", "topic", "weak"};
    return (unsigned)m < CASE_MODE_COUNT ? names[m] : "quick";
}

int case_mode_parse(const char *s, CaseMode *out)
{
    for (int i = 0; i < CASE_MODE_COUNT; i++)
        if (!strcmp(s, case_mode_name((CaseMode)i))) {
            *out = (CaseMode)i;
            return 0;
        }
    return -1;
}

static int template_matches(const CaseTemplate *t, CaseMode mode, const char *filter)
{
    if (mode == CASE_MODE_QUICK && filter && filter[0]) return !strcmp(t->family, filter);
    if (mode == CASE_MODE_CHAPTER) {
        int ch = filter ? atoi(filter) : 0;
        return ch > 0 && ch < 32 && (t->chapters & (1u << ch));
    }
    if (mode == CASE_MODE_TOPIC) {
        if (filter && !strcmp(t->family, filter)) return 1;
        for (int i = 0; i < t->ntopics; i++)
            if (filter && !strcmp(t->topics[i], filter)) return 1;
        return 0;
    }
    return 1;
}

int cases_pick(const CaseLibrary *lib, CaseMode mode, const char *filter, const CaseResult *history, int nhistory,
               uint64_t seed, const CaseTemplate **out, uint64_t *case_seed)
{
    Rng r = {seed ^ 0x5DEECE66Dull};
    int n = cases_count(lib);
    if (n == 0) return -1;
    double *weight = calloc((size_t)n, sizeof *weight);
    if (!weight) return -1;
    double total = 0;
    const char *last = nhistory > 0 ? history[0].template_id : NULL;
    for (int i = 0; i < n; i++) {
        const CaseTemplate *t = lib->items[i];
        if (!template_matches(t, mode, filter)) continue;
        double w = 1.0;
        if (mode == CASE_MODE_WEAK) {
            /* the family's average over the learner's attempts */
            double sum = 0;
            int k = 0;
            for (int h = 0; h < nhistory; h++) {
                const CaseTemplate *ht = cases_find(lib, history[h].template_id);
                if (ht && !strcmp(ht->family, t->family)) sum += history[h].score, k++;
            }
            double avg = k ? sum / k : 0.5;
            w = 0.05 + (1.0 - avg);
            if (last && !strcmp(last, t->id) && n > 1) w *= 0.1;
        }
        weight[i] = w;
        total += w;
    }
    int pick = -1;
    if (total > 0) {
        double x = (double)(rng_next(&r) >> 11) / (double)(1ull << 53) * total;
        for (int i = 0; i < n && pick < 0; i++) {
            if (weight[i] <= 0) continue;
            if (x < weight[i]) pick = i;
            x -= weight[i];
        }
        for (int i = n - 1; i >= 0 && pick < 0; i--)
            if (weight[i] > 0) pick = i;
    }
    free(weight);
    if (pick < 0) return -1;
    *out = lib->items[pick];
    *case_seed = (rng_next(&r) % 1000000000ull) + 1;
    if (mode == CASE_MODE_FULL || mode == CASE_MODE_RECORD) {
        /* prefer a template and seed whose case has several codes */
        GeneratedCase *g = malloc(sizeof *g);
        CpError err;
        for (int tries = 0; g && tries < 64; tries++) {
            if (case_generate(*out, *case_seed, g, &err) == 0 && g->ncodes >= CASE_FULL_MIN_CODES) break;
            if (tries % 8 == 7) *out = lib->items[rng_below(&r, n)];
            *case_seed = (rng_next(&r) % 1000000000ull) + 1;
        }
        free(g);
    }
    return 0;
}

/* ------------------------------------------------------------------ scoring */

typedef struct Entered {
    char as_written[24];
    char norm[CODE_MAX];
    char shown[CODE_MAX];
    int valid;                 /* spelled like a code */
    int found;
    CodeBrief brief;
    int match;                 /* index into expected codes, -1 none */
    int dup;
} Entered;

static CodeVerdict *verdict(CaseScore *s, const char *code, Verdict v, const char *fmt, ...) CP_PRINTF(4, 5);
static CodeVerdict *verdict(CaseScore *s, const char *code, Verdict v, const char *fmt, ...)
{
    if (s->nverdicts >= CASE_MAX_VERDICTS) return NULL;
    CodeVerdict *cv = &s->verdicts[s->nverdicts++];
    snprintf(cv->code, sizeof cv->code, "%s", code);
    cv->verdict = v;
    cv->expected[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cv->message, sizeof cv->message, fmt, ap);
    va_end(ap);
    return cv;
}

static const char *side_of(const char *title)
{
    static const char *sides[] = {"bilateral", "right", "left", "unspecified side", "unspecified eye", "unspecified ear"};
    char low[CODE_TITLE_MAX];
    size_t n = 0;
    for (; title[n] && n + 1 < sizeof low; n++) low[n] = (char)tolower((unsigned char)title[n]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        const char *p = strstr(low, sides[i]);
        if (p && (p == low || !isalpha((unsigned char)p[-1]))) return sides[i];
    }
    return NULL;
}

/* How near entered code e is to expected code x: 3 seventh, 2 laterality,
 * 1 specificity (same category / table / HCPCS group), 0 unrelated. */
static int nearness(const Entered *e, const CaseCode *x, const CodeBrief *xb)
{
    if (!e->found || e->brief.system != xb->system) return 0;
    size_t el = strlen(e->norm), xl = strlen(x->code);
    if (xb->system == SYS_ICD10CM) {
        if (strncmp(e->norm, x->code, 3)) return 0;
        if (el == 7 && xl == 7 && !strncmp(e->norm, x->code, 6)) return 3;
        if (el == xl) {
            int diff = 0;
            for (size_t i = 0; i < xl; i++) diff += e->norm[i] != x->code[i];
            const char *a = side_of(e->brief.title), *b = side_of(xb->title);
            if (diff <= 2 && a && b && strcmp(a, b)) return 2;
        }
        return 1;
    }
    if (xb->system == SYS_ICD10PCS) {
        if (strncmp(e->norm, x->code, 3)) return 0;
        const char *a = side_of(e->brief.title), *b = side_of(xb->title);
        if (el == xl && a && b && strcmp(a, b) && !strncmp(e->norm, x->code, 3)) {
            int diff = 0;
            for (size_t i = 0; i < xl; i++) diff += e->norm[i] != x->code[i];
            if (diff == 1) return 2;
        }
        return 1;
    }
    return strncmp(e->norm, x->code, 3) ? 0 : 1;
}

static const char *role_word(const CaseCode *x)
{
    return x->role == ROLE_PRINCIPAL ? "the principal diagnosis" : x->role == ROLE_PROCEDURE ? "a procedure" : "a secondary diagnosis";
}

int case_score(Codebook *cb, const GeneratedCase *c, const char *const *diagnoses, int ndx,
               const char *const *procedures, int npx, CaseScore *out, CpError *err)
{
    /* only the counters: the verdict array is large and filled as it goes */
    out->score = 0;
    out->correct = out->entered = out->expected = out->max = out->nverdicts = 0;
    int room = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < (pass ? npx : ndx); i++) {
            const char *s = (pass ? procedures : diagnoses)[i];
            room += s && s[strspn(s, " \t")] != '\0';
        }
    if (room > CASE_MAX_ANSWER) room = CASE_MAX_ANSWER;
    Entered *en = calloc((size_t)(room ? room : 1), sizeof *en);
    CodeBrief *xb = calloc((size_t)(c->ncodes ? c->ncodes : 1), sizeof *xb);
    int rc = -1;
    if (!en || !xb) {
        cp_error_set(err, "out of memory");
        goto done;
    }
    int ne = 0, given = 0, dx_given = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *const *list = pass ? procedures : diagnoses;
        int n = pass ? npx : ndx;
        for (int i = 0; i < n; i++) {
            const char *s = list[i] ? list[i] : "";
            while (*s == ' ' || *s == '\t') s++;
            if (!*s) continue; /* an empty entry is no code */
            given++;
            if (!pass) dx_given++;
            if (ne >= CASE_MAX_ANSWER) continue;
            Entered *e = &en[ne++];
            snprintf(e->as_written, sizeof e->as_written, "%s", s);
            e->match = -1;
            e->valid = codebook_normalise(s, e->norm) == 0;
            if (e->valid) e->found = codebook_brief(cb, s, &e->brief); /* as written: a dot means ICD-10-CM */
            if (e->found) codebook_display(e->brief.system, e->norm, e->shown);
            else snprintf(e->shown, sizeof e->shown, "%s", e->as_written);
            for (int k = 0; k < ne - 1 && e->valid; k++)
                if (en[k].valid && !strcmp(en[k].norm, e->norm)) e->dup = 1;
        }
    }
    int principal_first = dx_given > 0; /* en[0] is the learner's principal */
    out->entered = given;
    out->expected = c->ncodes;
    for (int i = 0; i < c->ncodes; i++) {
        char shown[CODE_MAX];
        case_code_display(&c->codes[i], shown);
        if (!codebook_brief(cb, shown, &xb[i])) {
            xb[i].system = c->codes[i].role != ROLE_PROCEDURE ? SYS_ICD10CM : codebook_guess_system(c->codes[i].code);
            snprintf(xb[i].title, sizeof xb[i].title, "(not in the active dictionary)");
        }
    }
    int taken[CASE_MAX_CODES] = {0}, paired[CASE_MAX_CODES] = {0};
    for (int i = 0; i < ne; i++) {
        if (en[i].dup || !en[i].found) continue;
        for (int k = 0; k < c->ncodes; k++)
            if (!taken[k] && !strcmp(en[i].norm, c->codes[k].code)) {
                en[i].match = k;
                taken[k] = 1;
            }
    }
    for (int i = 0; i < ne; i++) {
        Entered *e = &en[i];
        if (!e->valid) {
            verdict(out, e->as_written, VERDICT_INVALID,
                    "\"%s\" is not a code: ICD-10-CM codes are a letter, two characters and up to four more (E11.22); "
                    "ICD-10-PCS codes have seven characters; HCPCS Level II codes are a letter and four digits",
                    e->as_written);
            continue;
        }
        if (!e->found) {
            /* a 7th character the dictionary lacks is still a 7th-character miss */
            int near = -1;
            for (int k = 0; k < c->ncodes && near < 0; k++)
                if (!taken[k] && !paired[k] && xb[k].system == SYS_ICD10CM && strlen(c->codes[k].code) == 7 &&
                    strlen(e->norm) == 7 && !strncmp(e->norm, c->codes[k].code, 6))
                    near = k;
            if (near >= 0) {
                paired[near] = 1;
                char xs[CODE_MAX];
                codebook_display(SYS_ICD10CM, c->codes[near].code, xs);
                CodeVerdict *vd = verdict(out, e->shown, VERDICT_SEVENTH,
                        "%s is not in the active dictionary, and its 7th character (%c) is what differs from the expected "
                        "code: the 7th character says which encounter this is (guideline I.C.19.a); expected %s (%s), %s: %s",
                        e->shown, e->norm[6], xs, xb[near].title, role_word(&c->codes[near]), c->codes[near].rationale);
                if (vd) snprintf(vd->expected, sizeof vd->expected, "%s", xs);
                continue;
            }
            verdict(out, e->shown, VERDICT_INVALID, "%s is not a code in the active dictionary: check each character in the Tabular List",
                    e->shown);
            continue;
        }
        if (e->dup) {
            verdict(out, e->shown, VERDICT_EXTRA, "%s is listed twice: report each code once", e->shown);
            continue;
        }
        if (e->match >= 0) {
            const CaseCode *x = &c->codes[e->match];
            if (x->role == ROLE_PRINCIPAL && !(principal_first && i == 0)) {
                CodeVerdict *vd = verdict(out, e->shown, VERDICT_SEQUENCE, "%s (%s) is right but must be listed first, as %s: %s",
                                          e->shown, e->brief.title, role_word(x), x->rationale);
                if (vd) snprintf(vd->expected, sizeof vd->expected, "%s", e->shown);
                continue;
            }
            out->correct++;
            CodeVerdict *vd = verdict(out, e->shown, VERDICT_CORRECT, "%s (%s) is %s: %s", e->shown, e->brief.title,
                                      (principal_first && i == 0 && x->role != ROLE_PRINCIPAL) ? "right, as a secondary diagnosis"
                                                                                               : role_word(x),
                                      x->rationale);
            if (vd) snprintf(vd->expected, sizeof vd->expected, "%s", e->shown);
            continue;
        }
        if (!e->brief.billable) {
            const char *under = NULL;
            for (int k = 0; k < c->ncodes && !under; k++)
                if (!strncmp(c->codes[k].code, e->norm, strlen(e->norm))) under = c->codes[k].code;
            verdict(out, e->shown, VERDICT_HEADER,
                    "%s (%s) is a header: it has subdivisions, and only a code with no subdivisions can be reported "
                    "(guideline I.B.3)%s",
                    e->shown, e->brief.title, under ? "; the documentation supports one of its codes" : "");
            continue;
        }
        /* a near miss: the nearest expected code nobody entered */
        int best = -1, bestn = 0;
        for (int k = 0; k < c->ncodes; k++) {
            if (taken[k] || paired[k]) continue;
            int nn = nearness(e, &c->codes[k], &xb[k]);
            if (nn > bestn) bestn = nn, best = k;
        }
        /* an Excludes1 note between this code and another the learner gave */
        char ex1[640] = "";
        for (int k = 0; k < ne && !ex1[0] && e->brief.system == SYS_ICD10CM; k++)
            if (k != i && en[k].found && !en[k].dup && en[k].brief.system == SYS_ICD10CM)
                codebook_excludes1(cb, e->shown, en[k].shown, ex1, sizeof ex1);
        if (best >= 0) {
            paired[best] = 1;
            char xs[CODE_MAX];
            codebook_display(xb[best].system, c->codes[best].code, xs);
            Verdict v = bestn == 3 ? VERDICT_SEVENTH : bestn == 2 ? VERDICT_LATERALITY : VERDICT_SPECIFICITY;
            const char *why = bestn == 3 ? "the 7th character says which encounter this is (guideline I.C.19.a)"
                            : bestn == 2 ? "the documentation names the side; code the side documented"
                                         : "right category, but the documentation supports a more exact code";
            CodeVerdict *vd = verdict(out, e->shown, v, "%s (%s) is not it: %s; expected %s (%s), %s: %s", e->shown, e->brief.title,
                                      why, xs, xb[best].title, role_word(&c->codes[best]), c->codes[best].rationale);
            if (vd) snprintf(vd->expected, sizeof vd->expected, "%s", xs);
            continue;
        }
        if (ex1[0]) {
            verdict(out, e->shown, VERDICT_EXCLUDES1, "%s (%s) is not supported here, and %s", e->shown, e->brief.title, ex1);
            continue;
        }
        verdict(out, e->shown, VERDICT_EXTRA, "%s (%s) is not supported by this case's documentation", e->shown, e->brief.title);
    }
    if (given > ne)
        verdict(out, "", VERDICT_EXTRA, "%d more codes were given; only the first %d are scored", given - ne, CASE_MAX_ANSWER);
    for (int k = 0; k < c->ncodes; k++) {
        if (taken[k] || paired[k]) continue;
        char xs[CODE_MAX];
        codebook_display(xb[k].system, c->codes[k].code, xs);
        CodeVerdict *vd = verdict(out, xs, VERDICT_MISSING, "Missing %s (%s), %s: %s", xs, xb[k].title, role_word(&c->codes[k]),
                                  c->codes[k].rationale);
        if (vd) snprintf(vd->expected, sizeof vd->expected, "%s", xs);
    }
    out->max = out->entered > out->expected ? out->entered : out->expected;
    out->score = out->max ? (double)out->correct / out->max : 0.0;
    rc = 0;
done:
    free(en);
    free(xb);
    return rc;
}

cJSON *case_verdicts_json(const CaseScore *s)
{
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; arr && i < s->nverdicts; i++) {
        cJSON *v = cJSON_CreateObject();
        cJSON_AddStringToObject(v, "code", s->verdicts[i].code);
        cJSON_AddStringToObject(v, "verdict", case_verdict_name(s->verdicts[i].verdict));
        if (s->verdicts[i].expected[0]) cJSON_AddStringToObject(v, "expected", s->verdicts[i].expected);
        cJSON_AddStringToObject(v, "message", s->verdicts[i].message);
        cJSON_AddItemToArray(arr, v);
    }
    return arr;
}

static Verdict verdict_from_name(const char *name)
{
    for (int v = VERDICT_CORRECT; v <= VERDICT_EXCLUDES1; v++)
        if (!strcmp(name, case_verdict_name((Verdict)v))) return (Verdict)v;
    return VERDICT_EXTRA;
}

void case_verdicts_from_json(const cJSON *arr, CaseScore *s)
{
    s->nverdicts = 0;
    for (const cJSON *v = cJSON_IsArray(arr) ? arr->child : NULL; v && s->nverdicts < CASE_MAX_VERDICTS; v = v->next) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(v, "code"), *vd = cJSON_GetObjectItemCaseSensitive(v, "verdict"),
                    *x = cJSON_GetObjectItemCaseSensitive(v, "expected"), *msg = cJSON_GetObjectItemCaseSensitive(v, "message");
        CodeVerdict *cv = &s->verdicts[s->nverdicts++];
        snprintf(cv->code, sizeof cv->code, "%s", cJSON_IsString(c) ? c->valuestring : "");
        cv->verdict = verdict_from_name(cJSON_IsString(vd) ? vd->valuestring : "");
        snprintf(cv->expected, sizeof cv->expected, "%s", cJSON_IsString(x) ? x->valuestring : "");
        snprintf(cv->message, sizeof cv->message, "%s", cJSON_IsString(msg) ? msg->valuestring : "");
    }
}

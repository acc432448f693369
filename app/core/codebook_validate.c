/* codebook_validate.c - checking a list of codes the way a coding edit does.
 *
 * Every message names the codes, titles and note or guideline involved, so a learner
 * can see why, not just that, a code was refused.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codebook_internal.h"

const char *codebook_severity_name(Severity s)
{
    return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "info";
}

typedef struct Ctx {
    Finding *out;
    int cap, n;
} Ctx;

static void add(Ctx *c, const char *code, Severity sev, const char *rule, const char *fmt, ...) CP_PRINTF(5, 6);
static void add(Ctx *c, const char *code, Severity sev, const char *rule, const char *fmt, ...)
{
    if (c->n >= c->cap) {
        c->n++;
        return;
    }
    Finding *f = &c->out[c->n++];
    snprintf(f->code, sizeof f->code, "%s", code);
    f->severity = sev;
    snprintf(f->rule, sizeof f->rule, "%s", rule);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
}

/* One listed code, looked up. */
typedef struct Listed {
    const char *as_written;
    char norm[CODE_MAX];
    char shown[CODE_MAX];
    int valid;               /* well formed */
    int found;               /* exists in the active dictionary */
    CodeInfo info;
} Listed;

static int64_t active_id(Codebook *cb, CodeSystem s)
{
    CodeVersion v;
    CpError e;
    return codebook_active(cb, s, &v, &e) == 0 ? v.id : 0;
}

static int exists(Codebook *cb, int64_t vid, const char *code, int *billable, char *title, size_t cap)
{
    sqlite3_stmt *st = NULL;
    int yes = 0;
    if (sqlite3_prepare_v2(cb->db, "SELECT billable, title FROM codes WHERE version_id = ?1 AND code = ?2", -1, &st, NULL) !=
        SQLITE_OK)
        return 0;
    sqlite3_bind_int64(st, 1, vid);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        yes = 1;
        if (billable) *billable = sqlite3_column_int(st, 0);
        if (title) snprintf(title, cap, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return yes;
}

/* ---- code references inside note text: "(E08.-)", "(N18.1-N18.6)", "(E10-E14)" ---- */

typedef struct Ref {
    char lo[CODE_MAX], hi[CODE_MAX]; /* normalised; hi == lo for a single code or prefix */
    int prefix;                      /* "E10.-" or a bare category: everything under lo */
} Ref;

static int read_code_token(const char *p, char out[CODE_MAX], int *dash)
{
    size_t n = 0;
    int i = 0;
    *dash = 0;
    if (!isupper((unsigned char)p[0])) return 0;
    while (p[i] && (isalnum((unsigned char)p[i]) || p[i] == '.')) {
        if (p[i] != '.' && n + 1 < CODE_MAX) out[n++] = p[i];
        i++;
    }
    out[n] = '\0';
    if (n < 3 || !isdigit((unsigned char)out[1]) ) return 0;
    if (p[i] == '-' && (p[i + 1] == ')' || p[i + 1] == ',' || p[i + 1] == ' ' || p[i + 1] == '\0')) {
        *dash = 1;
        i++;
    }
    return i;
}

static int refs_in(const char *text, Ref *refs, int cap)
{
    int n = 0;
    for (const char *p = text; *p && n < cap; p++) {
        if (!isupper((unsigned char)*p) || (p > text && isalnum((unsigned char)p[-1]))) continue;
        char a[CODE_MAX];
        int dash;
        int len = read_code_token(p, a, &dash);
        if (!len) continue;
        Ref r;
        memset(&r, 0, sizeof r);
        snprintf(r.lo, sizeof r.lo, "%s", a);
        snprintf(r.hi, sizeof r.hi, "%s", a);
        r.prefix = dash || strlen(a) == 3;
        const char *q = p + len;
        if (!dash && *q == '-' && isupper((unsigned char)q[1])) { /* a range */
            char b[CODE_MAX];
            int dash2;
            int len2 = read_code_token(q + 1, b, &dash2);
            if (len2) {
                snprintf(r.hi, sizeof r.hi, "%s", b);
                r.prefix = 1;
                q += 1 + len2;
            }
        }
        refs[n++] = r;
        p = q - 1;
    }
    return n;
}

/* Does code (normalised) fall under ref? */
static int ref_covers(const Ref *r, const char *code)
{
    if (!strcmp(r->lo, r->hi)) return r->prefix ? strncmp(code, r->lo, strlen(r->lo)) == 0 : strcmp(code, r->lo) == 0 ||
                                                                                           strncmp(code, r->lo, strlen(r->lo)) == 0;
    /* a range: compare as many characters as the bounds have */
    size_t nlo = strlen(r->lo), nhi = strlen(r->hi);
    return strncmp(code, r->lo, nlo) >= 0 && strncmp(code, r->hi, nhi) <= 0;
}

static int note_covers(const char *note, const char *code)
{
    Ref refs[16];
    int n = refs_in(note, refs, 16);
    for (int i = 0; i < n; i++)
        if (ref_covers(&refs[i], code)) return 1;
    return 0;
}

/* ---- Excludes1 between two codes, cached per code ---- */

#define EX1_SLOTS 1024

struct Ex1Slot {
    char code[CODE_MAX];       /* normalised; "" = empty */
    char shown[CODE_MAX];
    char *notes;               /* "FROM\x1fTEXT\x1e" per Excludes1 note; NULL when none or not found */
};

void cb_ex1_free(Codebook *cb)
{
    if (!cb->ex1) return;
    for (int i = 0; i < EX1_SLOTS; i++) free(cb->ex1[i].notes);
    free(cb->ex1);
    cb->ex1 = NULL;
}

static struct Ex1Slot *ex1_get(Codebook *cb, const char *norm)
{
    if (!cb->ex1) cb->ex1 = calloc(EX1_SLOTS, sizeof *cb->ex1);
    if (!cb->ex1) return NULL;
    uint32_t h = 2166136261u;
    for (const char *p = norm; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    struct Ex1Slot *s = &cb->ex1[h & (EX1_SLOTS - 1)];
    if (!strcmp(s->code, norm)) return s;
    free(s->notes);
    memset(s, 0, sizeof *s);
    snprintf(s->code, sizeof s->code, "%s", norm);
    codebook_display(SYS_ICD10CM, norm, s->shown);
    CodeInfo info;
    CpError err;
    if (codebook_lookup(cb, SYS_ICD10CM, NULL, norm, &info, &err) != 0) return s;
    size_t cap = 0, len = 0;
    for (int i = 0; i < info.nnotes; i++)
        if (info.notes[i].kind == NOTE_EXCLUDES1) cap += strlen(info.notes[i].from) + strlen(info.notes[i].text) + 2;
    if (cap && (s->notes = malloc(cap + 1)) != NULL) {
        for (int i = 0; i < info.nnotes; i++)
            if (info.notes[i].kind == NOTE_EXCLUDES1)
                len += (size_t)snprintf(s->notes + len, cap + 1 - len, "%s\x1f%s\x1e", info.notes[i].from, info.notes[i].text);
    }
    codebook_info_free(&info);
    return s;
}

/* Whether a note of x names y; fills why. */
static int ex1_names(const struct Ex1Slot *x, const struct Ex1Slot *y, char *why, size_t cap)
{
    for (const char *p = x->notes; p && *p;) {
        const char *us = strchr(p, '\x1f'), *rs = us ? strchr(us, '\x1e') : NULL;
        if (!us || !rs) break;
        char text[512], from[CODE_MAX + 8];
        snprintf(from, sizeof from, "%.*s", (int)(us - p), p);
        snprintf(text, sizeof text, "%.*s", (int)(rs - us - 1), us + 1);
        if (note_covers(text, y->code)) {
            char shown_from[CODE_MAX + 8];
            if (strchr(from, '-') || !from[0] || isdigit((unsigned char)from[0])) snprintf(shown_from, sizeof shown_from, "%s", from);
            else codebook_display(SYS_ICD10CM, from, shown_from);
            snprintf(why, cap, "%s and %s cannot be reported together: Excludes1 at %s: \"%s\" (guideline I.A.12.a)", x->shown,
                     y->shown, shown_from, text);
            return 1;
        }
        p = rs + 1;
    }
    return 0;
}

int codebook_excludes1(Codebook *cb, const char *a, const char *b, char *why, size_t cap)
{
    char na[CODE_MAX], nb[CODE_MAX];
    if (codebook_normalise(a, na) != 0 || codebook_normalise(b, nb) != 0 || !strcmp(na, nb)) return 0;
    struct Ex1Slot *sa = ex1_get(cb, na);
    if (!sa) return 0;
    struct Ex1Slot xa = *sa; /* b's slot may evict a's */
    char *notes_a = sa->notes ? strdup(sa->notes) : NULL;
    xa.notes = notes_a;
    struct Ex1Slot *sb = ex1_get(cb, nb);
    int yes = sb && (ex1_names(&xa, sb, why, cap) || ex1_names(sb, &xa, why, cap));
    free(notes_a);
    return yes;
}

/* ---- sex and age: only what the classification makes certain ---- */

typedef struct SexRange {
    const char *lo, *hi;  /* categories, inclusive */
    char sex;
} SexRange;

/* Categories whose conditions exist in one sex only: genital organs and their
 * neoplasms, pregnancy and childbirth (chapter 15), and pregnancy-related Z codes. */
static const SexRange SEX_RANGES[] = {
    {"C51", "C58", 'F'}, {"D25", "D28", 'F'}, {"D39", "D39", 'F'}, {"N70", "N98", 'F'}, {"O00", "O9A", 'F'},
    {"Q50", "Q52", 'F'}, {"Z33", "Z34", 'F'}, {"Z36", "Z37", 'F'}, {"Z39", "Z39", 'F'}, {"Z3A", "Z3A", 'F'},
    {"C60", "C63", 'M'}, {"D29", "D29", 'M'}, {"D40", "D40", 'M'}, {"N40", "N53", 'M'}, {"Q53", "Q55", 'M'},
};

static char sex_of(const char *code)
{
    char cat[4] = {code[0], code[1], code[2], '\0'};
    for (size_t i = 0; i < sizeof SEX_RANGES / sizeof SEX_RANGES[0]; i++)
        if (strcmp(cat, SEX_RANGES[i].lo) >= 0 && strcmp(cat, SEX_RANGES[i].hi) <= 0) return SEX_RANGES[i].sex;
    return 0;
}

static int in_chapter(const char *code, const char *lo, const char *hi)
{
    char cat[4] = {code[0], code[1], code[2], '\0'};
    return strcmp(cat, lo) >= 0 && strcmp(cat, hi) <= 0;
}

static int is_manifestation(const CodeInfo *in)
{
    if (strstr(in->title, "diseases classified elsewhere")) return 1;
    for (int i = 0; i < in->nancestors; i++)
        if (strstr(in->ancestors[i].title, "diseases classified elsewhere")) return 1;
    return 0;
}

static void list_children(const CodeInfo *in, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    int shown = 0;
    for (int i = 0; i < in->nchildren && n < cap; i++) {
        char c[CODE_MAX];
        codebook_display(in->system, in->children[i].code, c);
        if (shown < 8) n += (size_t)snprintf(out + n, cap - n, "%s%s", shown ? ", " : "", c);
        shown++;
    }
    if (shown > 8 && n < cap) snprintf(out + n, cap - n, " and %d more", shown - 8);
}

/* "A, D, S (A = initial encounter, D = subsequent encounter, S = sequela)": every
 * valid character, and the meanings of the three a learner needs most. */
static void seven_list(const CodeInfo *in, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < in->nseven && n < cap; i++) n += (size_t)snprintf(out + n, cap - n, "%s%c", i ? ", " : "", in->seven[i].chr);
    int shown = 0;
    for (int i = 0; i < in->nseven && n < cap; i++) {
        char ch = in->seven[i].chr;
        if (ch != 'A' && ch != 'D' && ch != 'S') continue;
        n += (size_t)snprintf(out + n, cap - n, "%s%c = %s", shown ? "; " : " (", ch, in->seven[i].meaning);
        shown++;
    }
    if (shown && n < cap) snprintf(out + n, cap - n, ")");
}

/* An unknown CM code: is it a placeholder or 7th-character mistake? */
static void diagnose_unknown(Codebook *cb, Ctx *c, Listed *l)
{
    int64_t vid = active_id(cb, SYS_ICD10CM);
    size_t n = strlen(l->norm);
    char try[CODE_MAX], title[CODE_TITLE_MAX], shown[CODE_MAX];
    /* missing placeholder: W2189A -> W2189XA */
    if (vid && n >= 4 && n < 7) {
        for (size_t k = 1; n + k <= 7; k++) {
            memcpy(try, l->norm, n - 1);
            memset(try + n - 1, 'X', k);
            try[n - 1 + k] = l->norm[n - 1];
            try[n + k] = '\0';
            if (exists(cb, vid, try, NULL, title, sizeof title)) {
                codebook_display(SYS_ICD10CM, try, shown);
                add(c, l->as_written, SEV_ERROR, "placeholder",
                    "%s needs its placeholder X before the 7th character: %s %s (guideline I.A.4)", l->as_written, shown, title);
                return;
            }
        }
    }
    /* invalid 7th character: the first 6 (or the X-padded stem) exist with 7th characters */
    if (vid && n == 7) {
        char stem[CODE_MAX];
        memcpy(stem, l->norm, 6);
        stem[6] = '\0';
        while (strlen(stem) > 3 && stem[strlen(stem) - 1] == 'X') stem[strlen(stem) - 1] = '\0';
        CodeInfo in;
        CpError e;
        if (codebook_lookup(cb, SYS_ICD10CM, NULL, stem, &in, &e) == 0) {
            if (in.nseven) {
                char valid[1024];
                seven_list(&in, valid, sizeof valid);
                codebook_display(SYS_ICD10CM, in.code, shown);
                add(c, l->as_written, SEV_ERROR, "seventh", "%c is not a valid 7th character for %s %s; valid: %s",
                    l->norm[6], shown, in.title, valid);
                codebook_info_free(&in);
                return;
            }
            codebook_info_free(&in);
        }
    }
    add(c, l->as_written, SEV_ERROR, "unknown", "%s is not a code in the active dictionaries", l->as_written);
}

static void check_pcs_unknown(Codebook *cb, Ctx *c, Listed *l)
{
    int64_t vid = active_id(cb, SYS_ICD10PCS);
    if (!vid) {
        add(c, l->as_written, SEV_ERROR, "unknown", "no ICD-10-PCS dictionary is installed");
        return;
    }
    char table[4] = {l->norm[0], l->norm[1], l->norm[2], '\0'};
    sqlite3_stmt *st = NULL;
    int have_table = 0;
    if (sqlite3_prepare_v2(cb->db, "SELECT 1 FROM pcs_axes WHERE version_id = ?1 AND tbl = ?2 LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, vid);
        sqlite3_bind_text(st, 2, table, -1, SQLITE_STATIC);
        have_table = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    if (!have_table) {
        add(c, l->as_written, SEV_ERROR, "unknown", "%s: there is no ICD-10-PCS table %s", l->as_written, table);
        return;
    }
    static const char *const axis[4] = {"body part", "approach", "device", "qualifier"};
    for (int pos = 4; pos <= 7; pos++) {
        char v[2] = {l->norm[pos - 1], '\0'};
        int ok = 0;
        if (sqlite3_prepare_v2(cb->db, "SELECT 1 FROM pcs_axes WHERE version_id = ?1 AND tbl = ?2 AND row > 0 AND pos = ?3 "
                                       "AND value = ?4 LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, vid);
            sqlite3_bind_text(st, 2, table, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 3, pos);
            sqlite3_bind_text(st, 4, v, -1, SQLITE_STATIC);
            ok = sqlite3_step(st) == SQLITE_ROW;
        }
        sqlite3_finalize(st);
        if (!ok) {
            add(c, l->as_written, SEV_ERROR, "pcs-table", "%s: %s value %c is in no row of table %s", l->as_written,
                axis[pos - 4], v[0], table);
            return;
        }
    }
    add(c, l->as_written, SEV_ERROR, "pcs-table",
        "%s: each character is allowed in table %s, but not in this combination: no single row of the table builds it",
        l->as_written, table);
}

int codebook_validate(Codebook *cb, const char *const *codes, int ncodes, const ValidateOptions *opts, Finding *out,
                      int cap, int *n, CpError *err)
{
    Ctx c = {out, cap, 0};
    *n = 0;
    Listed *ls = calloc((size_t)(ncodes ? ncodes : 1), sizeof *ls);
    if (!ls) {
        cp_error_set(err, "out of memory");
        return -1;
    }
    char today[16];
    if (opts && opts->date) {
        snprintf(today, sizeof today, "%s", opts->date);
    } else {
        time_t t = time(NULL);
        struct tm tmv;
        gmtime_r(&t, &tmv);
        strftime(today, sizeof today, "%Y-%m-%d", &tmv);
    }
    if (ncodes == 0) add(&c, "", SEV_ERROR, "empty", "no codes were given");
    /* look every code up */
    for (int i = 0; i < ncodes; i++) {
        Listed *l = &ls[i];
        l->as_written = codes[i];
        l->valid = codebook_normalise(codes[i], l->norm) == 0;
        if (!l->valid) {
            add(&c, codes[i], SEV_ERROR, "invalid", "\"%s\" is not a code: codes are 3 to 7 letters and digits (a dot is optional)",
                codes[i]);
            continue;
        }
        CpError e;
        int rc = codebook_lookup(cb, SYS_ANY, NULL, codes[i], &l->info, &e); /* as written: a dot means ICD-10-CM */
        l->found = rc == 0;
        codebook_display(l->found ? l->info.system : strchr(codes[i], '.') ? SYS_ICD10CM : codebook_guess_system(l->norm), l->norm,
                         l->shown);
        for (int k = 0; k < i; k++)
            if (ls[k].valid && !strcmp(ls[k].norm, l->norm)) {
                add(&c, codes[i], SEV_ERROR, "duplicate", "%s is listed twice (also as number %d): report each code once",
                    l->shown, k + 1);
                break;
            }
        if (!l->found) {
            if (codebook_guess_system(l->norm) == SYS_ICD10PCS) check_pcs_unknown(cb, &c, l);
            else if (codebook_guess_system(l->norm) == SYS_ICD10CM) diagnose_unknown(cb, &c, l);
            else add(&c, codes[i], SEV_ERROR, "unknown", "%s is not a code in the active dictionaries", l->shown);
            continue;
        }
        CodeInfo *in = &l->info;
        if (in->system == SYS_HCPCS) {
            if (in->terminated[0] && strcmp(in->terminated, today) < 0)
                add(&c, codes[i], SEV_ERROR, "terminated", "%s %s was terminated on %s", l->shown, in->title, in->terminated);
            else if (in->effective[0] && strcmp(in->effective, today) > 0)
                add(&c, codes[i], SEV_WARNING, "not-yet-effective", "%s %s takes effect on %s", l->shown, in->title, in->effective);
            continue;
        }
        if (in->system == SYS_ICD10PCS && opts && opts->setting == SETTING_OUTPATIENT)
            add(&c, codes[i], SEV_WARNING, "setting", "%s is an ICD-10-PCS code: PCS reports inpatient facility procedures; "
                                                   "outpatient services use CPT or HCPCS", l->shown);
        if (in->system != SYS_ICD10CM) continue;
        if (!in->billable) {
            if (in->nseven) {
                char valid[1024], ex[CODE_MAX + 8];
                seven_list(in, valid, sizeof valid);
                size_t len = strlen(in->code);
                char full[CODE_MAX];
                snprintf(full, sizeof full, "%s", in->code);
                while (strlen(full) < 6) strcat(full, "X");
                snprintf(full + strlen(full), sizeof full - strlen(full), "%c", in->seven[0].chr);
                codebook_display(SYS_ICD10CM, full, ex);
                add(&c, codes[i], SEV_ERROR, len < 6 ? "placeholder" : "seventh",
                    "%s %s needs a 7th character%s (for example %s): %s", l->shown, in->title,
                    len < 6 ? " after placeholder X" : "", ex, valid);
            } else {
                char kids[512];
                list_children(in, kids, sizeof kids);
                add(&c, codes[i], SEV_ERROR, "header", "%s %s is a header, not a billable code: choose one of %s", l->shown,
                    in->title, kids[0] ? kids : "its codes");
            }
        }
        char sex = sex_of(l->norm);
        if (sex && opts && opts->sex && opts->sex != sex)
            add(&c, codes[i], SEV_ERROR, "sex", "%s %s applies to %s patients only", l->shown, in->title,
                sex == 'F' ? "female" : "male");
        if (opts && opts->age >= 0) {
            if (!strncmp(l->norm, "Z38", 3) && opts->age > 0)
                add(&c, codes[i], SEV_ERROR, "age", "%s %s is used on the newborn's record at birth only (guideline I.C.16), "
                                                  "not for a patient aged %d", l->shown, in->title, opts->age);
            if (in_chapter(l->norm, "O00", "O9A") && (opts->age < 9 || opts->age > 64))
                add(&c, codes[i], SEV_WARNING, "age", "%s is a pregnancy code; age %d is outside the usual maternity ages: check "
                                                    "the record", l->shown, opts->age);
        }
    }
    /* relations between the listed codes */
    unsigned char *pairs = calloc((size_t)(ncodes ? ncodes * ncodes : 1), 1);
    if (!pairs) {
        for (int i = 0; i < ncodes; i++)
            if (ls[i].found) codebook_info_free(&ls[i].info);
        free(ls);
        cp_error_set(err, "out of memory");
        return -1;
    }
    for (int i = 0; i < ncodes; i++) {
        Listed *a = &ls[i];
        if (!a->found || a->info.system != SYS_ICD10CM) continue;
        if (i == 0 && in_chapter(a->norm, "V00", "Y99"))
            add(&c, a->as_written, SEV_ERROR, "external-cause-first",
                "%s is an external cause code: these are never first-listed; list the injury or condition first "
                "(guideline I.C.20)", a->shown);
        int manif = is_manifestation(&a->info);
        int has_code_first = 0, etiology_listed = 0;
        char first_note[512] = "";
        /* notes come in groups (one level, one kind): a lead-in line ending in ':'
         * and its options, or a list of alternatives; a group is satisfied when any
         * listed code falls under any of its lines */
        for (int k = 0; k < a->info.nnotes;) {
            const CodeNote *g0 = &a->info.notes[k];
            int end = k;
            while (end < a->info.nnotes && a->info.notes[end].kind == g0->kind && !strcmp(a->info.notes[end].from, g0->from))
                end++;
            char from[CODE_MAX], text[512] = "";
            codebook_display(SYS_ICD10CM, g0->from, from);
            size_t tn = 0;
            int covered = 0, nrefs = 0;
            for (int m = k; m < end; m++) {
                const CodeNote *nt = &a->info.notes[m];
                if (tn < sizeof text) tn += (size_t)snprintf(text + tn, sizeof text - tn, "%s%s", m == k ? "" : (text[tn - 1] == ':' ? " " : "; "), nt->text);
                Ref refs[16];
                nrefs += refs_in(nt->text, refs, 16);
                for (int j = 0; j < ncodes; j++)
                    if (j != i && ls[j].found && note_covers(nt->text, ls[j].norm)) covered = 1;
                if (nt->kind == NOTE_EXCLUDES1)
                    for (int j = 0; j < ncodes; j++) {
                        if (j == i || !ls[j].found || ls[j].info.system != SYS_ICD10CM) continue;
                        int lo = i < j ? i : j, hi = i < j ? j : i;
                        if (pairs[lo * ncodes + hi] || !note_covers(nt->text, ls[j].norm)) continue;
                        pairs[lo * ncodes + hi] = 1;
                        add(&c, a->as_written, SEV_ERROR, "excludes1",
                            "%s and %s cannot be reported together: Excludes1 at %s: \"%s\" (guideline I.A.12.a)", a->shown,
                            ls[j].shown, from, nt->text);
                    }
            }
            if (g0->kind == NOTE_CODE_FIRST) {
                has_code_first = 1;
                etiology_listed |= covered;
                if (!first_note[0]) snprintf(first_note, sizeof first_note, "%s", text);
            }
            if (g0->kind == NOTE_USE_ADDITIONAL && nrefs > 0 && !covered)
                add(&c, a->as_written, SEV_INFO, "use-additional", "%s: use additional code, if it applies (note at %s): %s",
                    a->shown, from, text);
            k = end;
        }
        if (manif && i == 0)
            add(&c, a->as_written, SEV_ERROR, "manifestation-first",
                "%s %s is a manifestation code: it is never listed first; code the underlying condition first%s%s "
                "(guideline I.A.13)", a->shown, a->info.title, first_note[0] ? ": " : "", first_note);
        else if (has_code_first && i == 0) {
            /* not a manifestation: its "code first" note binds only when the condition it
             * names is present; here it is, listed after it */
            if (etiology_listed)
                add(&c, a->as_written, SEV_ERROR, "code-first",
                    "%s has a \"code first\" note, and a condition it names is listed after it: sequence that condition "
                    "first: %s (guideline I.A.13)", a->shown, first_note);
        } else if (has_code_first && !etiology_listed)
            /* for a manifestation the etiology is required; elsewhere "code first any
             * associated ..." applies only when there is such a condition */
            add(&c, a->as_written, manif ? SEV_ERROR : SEV_INFO, "etiology-missing",
                manif ? "%s needs its underlying condition coded and listed before it: code first %s"
                      : "%s: if an underlying condition applies, code it first: %s", a->shown, first_note);
    }
    free(pairs);
    for (int i = 0; i < ncodes; i++)
        if (ls[i].found) codebook_info_free(&ls[i].info);
    free(ls);
    *n = c.n < cap ? c.n : cap;
    return 0;
}

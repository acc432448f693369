/* codebook_search.c - ranked search over the active dictionaries, and walking the
 * Alphabetic Index.
 *
 * Search documents (one FTS5 table per version): every title (source 1), inclusion
 * term (2), index path that leads to a code (3), and index "see" line (4, whose code
 * column holds the see target, resolved through the Index at query time).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codebook_internal.h"

#define CANDIDATES 200 /* first matches in stored (best-first) order that get ranked */

static int64_t active_version(Codebook *cb, CodeSystem s)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    if (sqlite3_prepare_v2(cb->db, "SELECT id FROM versions WHERE system = ?1 AND active = 1", -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, codebook_system_slug(s), -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

static int ieq_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) return 0;
    return 1;
}

static int ieq(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && ieq_n(a, b, n);
}

static const char *icontains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n) return hay;
    for (; *hay; hay++)
        if (ieq_n(hay, needle, n)) return hay;
    return NULL;
}

/* ------------------------------------------------------------------ index walk */

#define PARTS_MAX 16

typedef struct Parts {
    char p[PARTS_MAX][128];
    int n;
} Parts;

static void split_commas(const char *s, Parts *out)
{
    out->n = 0;
    while (*s && out->n < PARTS_MAX) {
        while (*s == ' ' || *s == ',') s++;
        if (!*s) break;
        size_t n = strcspn(s, ",");
        /* nonessential modifiers "(artery)" do not decide a match: "see Arteriosclerosis,
         * coronary (artery)" names the subterm "coronary" */
        size_t k = 0;
        int depth = 0;
        for (size_t i = 0; i < n && k + 1 < sizeof out->p[0]; i++) {
            if (s[i] == '(') depth++;
            else if (s[i] == ')' && depth > 0) depth--;
            else if (!depth) out->p[out->n][k++] = s[i];
        }
        while (k > 0 && out->p[out->n][k - 1] == ' ') k--;
        out->p[out->n][k] = '\0';
        if (k) out->n++;
        s += n;
    }
}

/* How many query parts from parts[i] a term title accepts: all of its comma names in
 * order, or the one part matching one of its names (or beginning its title). */
static int match_parts(const char *title, const Parts *q, int i, int *exact)
{
    Parts t;
    split_commas(title, &t);
    *exact = 0;
    if (t.n == 0 || i >= q->n) return 0;
    int k = 0;
    while (k < t.n && i + k < q->n && ieq(t.p[k], q->p[i + k])) k++;
    if (k == t.n) {
        *exact = 1;
        return k;
    }
    for (int j = 0; j < t.n; j++)
        if (ieq(t.p[j], q->p[i])) {
            *exact = j == 0;
            return 1;
        }
    size_t n = strlen(q->p[i]);
    if (n >= 3 && ieq_n(title, q->p[i], n)) return 1;
    return 0;
}

typedef struct Term {
    int64_t id;
    IndexStep step;
} Term;

static void read_term(sqlite3_stmt *st, Term *t)
{
    memset(t, 0, sizeof *t);
    t->id = sqlite3_column_int64(st, 0);
    const char *v;
#define COPY(col, field) \
    if ((v = (const char *)sqlite3_column_text(st, col)) != NULL) snprintf(t->step.field, sizeof t->step.field, "%s", v)
    COPY(1, title);
    COPY(2, nemod);
    COPY(3, code);
    COPY(4, manif);
    COPY(5, see);
    COPY(6, see_also);
#undef COPY
}

static int walk(Codebook *cb, int64_t vid, const char *path, IndexWalk *out, int depth, CpError *err)
{
    Parts q;
    split_commas(path, &q);
    if (q.n == 0) {
        snprintf(out->unmatched, sizeof out->unmatched, "%s", path);
        return 0;
    }
    sqlite3_stmt *mains = NULL, *kids = NULL;
    int rc = -1;
    if (cb_prepare(cb, "SELECT id, title, nemod, code, manif, see, see_also FROM index_terms "
                       "WHERE version_id = ?1 AND parent = 0 AND kind = 0 AND title >= ?2 COLLATE NOCASE "
                       "AND title < ?3 COLLATE NOCASE", &mains, err) != 0 ||
        /* without statistics the planner prefers the primary key (it matches ORDER BY
         * id) and scans the whole version; the children index answers directly */
        cb_prepare(cb, "SELECT id, title, nemod, code, manif, see, see_also FROM index_terms "
                       "INDEXED BY index_terms_children WHERE version_id = ?1 AND parent = ?2 ORDER BY id", &kids, err) != 0)
        goto done;
    int i = 0;
    int64_t at = 0;
    /* a main term may be written in several places (each chapter file of the bundled
     * dictionary has its own "Syndrome"): all rows with its title are one term */
    int64_t same[8];
    int nsame = 0;
    while (i < q.n) {
        Term best = {0}, cand;
        int best_take = 0, best_exact = 0;
        sqlite3_stmt *st;
        if (at == 0) {
            /* main terms starting with the part's first four letters, as a range on the
             * NOCASE index (a LIKE with a bound pattern may not use it) */
            char lo[8], hi[8];
            size_t n = strnlen(q.p[i], 4);
            memcpy(lo, q.p[i], n);
            lo[n] = '\0';
            memcpy(hi, lo, n);
            hi[n] = '\x7f';
            hi[n + 1] = '\0';
            st = mains;
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, vid);
            sqlite3_bind_text(st, 2, lo, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 3, hi, -1, SQLITE_TRANSIENT);
        }
        char main_title[256] = "";
        for (int g = 0; g < (at == 0 ? 1 : nsame); g++) {
            if (at != 0) {
                st = kids;
                sqlite3_reset(st);
                sqlite3_bind_int64(st, 1, vid);
                sqlite3_bind_int64(st, 2, same[g]);
            }
            while (sqlite3_step(st) == SQLITE_ROW) {
                read_term(st, &cand);
                int exact, take = match_parts(cand.step.title, &q, i, &exact);
                if (take > best_take || (take == best_take && take > 0 && exact && !best_exact)) {
                    best = cand;
                    best_take = take;
                    best_exact = exact;
                }
            }
        }
        if (best_take == 0) break;
        if (out->nsteps < INDEX_MAX_STEPS) out->steps[out->nsteps++] = best.step;
        nsame = 0;
        same[nsame++] = best.id;
        if (at == 0) {
            /* gather the other rows of this main term */
            snprintf(main_title, sizeof main_title, "%s", best.step.title);
            sqlite3_reset(mains);
            sqlite3_bind_int64(mains, 1, vid);
            sqlite3_bind_text(mains, 2, main_title, -1, SQLITE_TRANSIENT);
            char hi[260];
            snprintf(hi, sizeof hi, "%s\x7f", main_title);
            sqlite3_bind_text(mains, 3, hi, -1, SQLITE_TRANSIENT);
            while (sqlite3_step(mains) == SQLITE_ROW && nsame < 8) {
                int64_t id = sqlite3_column_int64(mains, 0);
                const char *t = (const char *)sqlite3_column_text(mains, 1);
                if (id != best.id && t && ieq(t, main_title)) same[nsame++] = id;
            }
        }
        at = best.id;
        i += best_take;
    }
    if (i < q.n) {
        size_t n = 0;
        for (int k = i; k < q.n && n < sizeof out->unmatched; k++)
            n += (size_t)snprintf(out->unmatched + n, sizeof out->unmatched - n, "%s%s", k > i ? ", " : "", q.p[k]);
        out->found = 0;
    } else {
        out->found = 1;
    }
    /* the code: the deepest step that has one; "see" on the last step is followed */
    if (out->nsteps > 0) {
        const IndexStep *last = &out->steps[out->nsteps - 1];
        if (!last->code[0] && last->see[0] && out->found && depth < 4) {
            int before = out->nsteps;
            IndexWalk sub;
            memset(&sub, 0, sizeof sub);
            if (walk(cb, vid, last->see, &sub, depth + 1, err) != 0) goto done;
            for (int k = 0; k < sub.nsteps && out->nsteps < INDEX_MAX_STEPS; k++) {
                out->steps[out->nsteps] = sub.steps[k];
                out->steps[out->nsteps++].via_see = k == 0;
            }
            out->found = sub.found;
            if (!sub.found) snprintf(out->unmatched, sizeof out->unmatched, "%s", sub.unmatched);
            (void)before;
        }
        for (int k = out->nsteps - 1; k >= 0; k--)
            if (out->steps[k].code[0]) {
                snprintf(out->code, sizeof out->code, "%s", out->steps[k].code);
                snprintf(out->manif, sizeof out->manif, "%s", out->steps[k].manif);
                break;
            }
        size_t n = strlen(out->code);
        out->incomplete = n > 0 && out->code[n - 1] == '-';
    }
    rc = 0;
done:
    sqlite3_finalize(mains);
    sqlite3_finalize(kids);
    return rc;
}

int codebook_index_walk(Codebook *cb, const char *path, IndexWalk *out, CpError *err)
{
    memset(out, 0, sizeof *out);
    int64_t vid = active_version(cb, SYS_ICD10CM);
    if (!vid) {
        cp_error_set(err, "no ICD-10-CM version is installed");
        return -1;
    }
    return walk(cb, vid, path, out, 0, err);
}

/* ------------------------------------------------------------------ search */

typedef struct Cand {
    CodeSystem system;
    int64_t vid;
    char code[CODE_MAX];
    MatchKind matched;
    char text[CODE_TITLE_MAX];
    double score;
    int billable;
} Cand;

typedef struct Found {
    Cand *c;
    int n, cap;
} Found;

static void add_cand(Found *f, CodeSystem sys, int64_t vid, const char *code, MatchKind m, const char *text, double score)
{
    for (int i = 0; i < f->n; i++)
        if (f->c[i].system == sys && strcmp(f->c[i].code, code) == 0) {
            if (score > f->c[i].score) {
                f->c[i].score = score;
                f->c[i].matched = m;
                snprintf(f->c[i].text, sizeof f->c[i].text, "%s", text);
            }
            return;
        }
    if (f->n == f->cap) {
        int ncap = f->cap ? f->cap * 2 : 64;
        Cand *g = realloc(f->c, (size_t)ncap * sizeof *g);
        if (!g) return;
        f->c = g;
        f->cap = ncap;
    }
    Cand *c = &f->c[f->n++];
    c->system = sys;
    c->vid = vid;
    snprintf(c->code, sizeof c->code, "%s", code);
    c->matched = m;
    snprintf(c->text, sizeof c->text, "%s", text);
    c->score = score;
}

static int cmp_cand(const void *a, const void *b)
{
    const Cand *x = a, *y = b;
    if (x->score != y->score) return x->score < y->score ? 1 : -1;
    return strcmp(x->code, y->code);
}

/* Query words, lower-cased; *open_end when the learner is still typing the last one. */
static int words_of(const char *q, char words[8][64], int *open_end)
{
    int n = 0;
    const char *p = q;
    while (*p && n < 8) {
        while (*p && !isalnum((unsigned char)*p)) p++;
        if (!*p) break;
        size_t k = 0;
        while (*p && isalnum((unsigned char)*p)) {
            if (k + 1 < 64) words[n][k++] = (char)tolower((unsigned char)*p);
            p++;
        }
        words[n][k] = '\0';
        n++;
    }
    size_t len = strlen(q);
    *open_end = len > 0 && isalnum((unsigned char)q[len - 1]);
    return n;
}

/* Code prefixes: "E11.2" finds the E11.2 subtree. */
static int search_codes(Codebook *cb, CodeSystem sys, int64_t vid, const char *q, Found *f, CpError *err)
{
    char prefix[CODE_MAX];
    if (codebook_normalise(q, prefix) != 0 && !(strlen(q) == 1 && isalpha((unsigned char)q[0]))) return 0;
    if (strlen(q) == 1) snprintf(prefix, sizeof prefix, "%c", toupper((unsigned char)q[0]));
    int has_digit = 0;
    for (const char *c = prefix; *c; c++) has_digit |= isdigit((unsigned char)*c) != 0;
    if (!has_digit && strlen(prefix) == 2) {
        /* two letters may be a HCPCS modifier: only an exact match counts */
        sqlite3_stmt *ex = NULL;
        if (cb_prepare(cb, "SELECT code, title FROM codes WHERE version_id = ?1 AND code = ?2", &ex, err) != 0) return -1;
        sqlite3_bind_int64(ex, 1, vid);
        sqlite3_bind_text(ex, 2, prefix, -1, SQLITE_STATIC);
        if (sqlite3_step(ex) == SQLITE_ROW)
            add_cand(f, sys, vid, prefix, MATCH_CODE, (const char *)sqlite3_column_text(ex, 1), 1000.0);
        sqlite3_finalize(ex);
        return 0;
    }
    if (!has_digit && strlen(prefix) > 1) return 0; /* a word, not a code */
    char hi[CODE_MAX + 1];
    snprintf(hi, sizeof hi, "%s~", prefix);
    sqlite3_stmt *st = NULL;
    if (cb_prepare(cb, "SELECT code, title FROM codes WHERE version_id = ?1 AND code >= ?2 AND code < ?3 "
                       "AND kind NOT IN (0, 1) ORDER BY code LIMIT 200", &st, err) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, vid);
    sqlite3_bind_text(st, 2, prefix, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hi, -1, SQLITE_STATIC);
    int rank = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        /* exact code first, then the subtree in Tabular order */
        double score = strcmp(code, prefix) == 0 ? 1000.0 : 900.0 - rank * 0.01;
        add_cand(f, sys, vid, code, MATCH_CODE, (const char *)sqlite3_column_text(st, 1), score);
        rank++;
    }
    sqlite3_finalize(st);
    return 0;
}

/* Builds the FTS5 match: exact tokens for finished words, a prefix for the word
 * being typed (all_prefix: every word a prefix, for abbreviations). Returns the
 * number of terms, 0 when nothing is worth matching. */
static int build_match(char words[8][64], int n, int open_end, int all_prefix, char *match, size_t cap)
{
    /* words nearly every title has ("of", "with") would make the match read huge
     * lists for nothing: they are left to the phrase bonus */
    static const char *const COMMON[] = {"of", "the", "and", "or", "in", "to", "for", "by", "on", "at", "as",
                                         "an", "with", "due", "other", "unspecified"};
    int content_words = 0, used = 0;
    int common[8] = {0};
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < sizeof COMMON / sizeof COMMON[0]; k++) common[i] |= !strcmp(words[i], COMMON[k]);
        if (!common[i] && (strlen(words[i]) > 1 || isdigit((unsigned char)words[i][0]))) content_words++;
    }
    size_t m = 0;
    match[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t len = strlen(words[i]);
        /* a one-letter word is just being typed (FTS5 has no one-character prefix
         * index); a single digit, as in "type 2", is matched exactly */
        if (len == 1 && !isdigit((unsigned char)words[i][0])) continue;
        if (common[i] && content_words > 0) continue;
        int prefix = len > 1 && (all_prefix || (i == n - 1 && open_end));
        m += (size_t)snprintf(match + m, cap - m, "%s\"%s\"%s", used ? " " : "", words[i], prefix ? "*" : "");
        used++;
    }
    return used;
}

static int search_text(Codebook *cb, CodeSystem sys, int64_t vid, const char *q, Found *f, CpError *err)
{
    char words[8][64];
    int open_end, n = words_of(q, words, &open_end);
    if (n == 0) return 0;
    if (n == 1 && strlen(words[0]) < 2) return 0; /* one letter: the code prefix covers it */
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT code, source, text, rowid FROM search_%lld WHERE search_%lld MATCH ?1 "
                              "LIMIT %d", (long long)vid, (long long)vid, CANDIDATES);
    sqlite3_stmt *st = NULL;
    if (cb_prepare(cb, sql, &st, err) != 0) return -1;
    int before = f->n;
    /* finished words as whole words first (cheap: no prefix expansion); when that
     * finds nothing the learner may have abbreviated, so every word becomes a prefix */
    for (int pass = 0; pass < 2 && f->n == before; pass++) {
        char match[640];
        if (pass == 1 && !open_end && n == 1) break;
        if (!build_match(words, n, open_end, pass, match, sizeof match)) break;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, match, -1, SQLITE_TRANSIENT);
        /* no ORDER BY rank: that would score every match of a broad prefix;
         * documents are stored best-first, so the first matches are the candidates */
        int see_walks = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *code = (const char *)sqlite3_column_text(st, 0);
            int source = sqlite3_column_int(st, 1);
            const char *text = (const char *)sqlite3_column_text(st, 2);
            /* FTS5 returns documents in their stored, best-first order; bm25 would need
             * the statistics of every match of a prefix, so the score is ours: shorter
             * text (more specific to the words) first, earlier stored first */
            double score = 10.0 / (1.0 + (double)strlen(text) / 40.0) - (double)sqlite3_column_int64(st, 3) * 1e-7;
            if (!code || !text) continue;
            /* prefer the learner's exact phrase, and index entries that start with it */
            if (icontains(text, q)) score += 3.0;
            if (ieq_n(text, q, strlen(q))) score += 2.0;
            if (source == 3) score += 1.0;
            MatchKind mk = source == 1 ? MATCH_TITLE : source == 2 ? MATCH_INCLUSION : MATCH_INDEX;
            if (source == 4) {
                /* resolving a see line walks the Index: a few per query, the best-placed */
                if (++see_walks > 4) continue;
                IndexWalk wk;
                memset(&wk, 0, sizeof wk);
                if (walk(cb, vid, code, &wk, 1, err) != 0 || !wk.code[0]) continue;
                char norm[CODE_MAX];
                size_t k = 0;
                for (const char *c = wk.code; *c && k + 1 < sizeof norm; c++)
                    if (*c != '.' && *c != '-') norm[k++] = *c;
                norm[k] = '\0';
                char shown[CODE_TITLE_MAX];
                snprintf(shown, sizeof shown, "%s, see %s", text, code);
                add_cand(f, sys, vid, norm, MATCH_INDEX, shown, score + 1.0);
                continue;
            }
            add_cand(f, sys, vid, code, mk, text, score);
        }
    }
    sqlite3_finalize(st);
    return 0;
}

int codebook_search(Codebook *cb, const char *query, const SearchOptions *opts, SearchHit *hits, int *nhits, CpError *err)
{
    *nhits = 0;
    char q[256];
    size_t n = 0;
    while (*query && isspace((unsigned char)*query)) query++;
    for (; *query && n + 1 < sizeof q; query++) q[n++] = *query;
    while (n > 0 && isspace((unsigned char)q[n - 1]) && n > 1 && isspace((unsigned char)q[n - 2])) n--;
    q[n] = '\0';
    if (!q[0]) return 0;
    Found f = {0};
    int rc = -1;
    sqlite3_stmt *get = NULL;
    if (cb_prepare(cb, "SELECT title, billable, kind FROM codes WHERE version_id = ?1 AND code = ?2", &get, err) != 0)
        goto done;
    for (int s = 0; s < SYS_COUNT; s++) {
        if (opts->system != SYS_ANY && (int)opts->system != s) continue;
        int64_t vid = active_version(cb, (CodeSystem)s);
        if (!vid) continue;
        if (search_codes(cb, (CodeSystem)s, vid, q, &f, err) != 0) goto done;
        if (search_text(cb, (CodeSystem)s, vid, q, &f, err) != 0) goto done;
    }
    /* billable flags (and dropping codes this dictionary lacks) for the best
     * candidates only: a broad query has hundreds, a learner reads the first few */
    if (f.n > 1) qsort(f.c, (size_t)f.n, sizeof *f.c, cmp_cand);
    int want = (opts->limit > 0 ? opts->limit : 20) * 3 + 20;
    if (opts->billable_only) want *= 3;
    if (f.n > want) f.n = want;
    int k = 0;
    for (int i = 0; i < f.n; i++) {
        Cand c = f.c[i];
        sqlite3_reset(get);
        sqlite3_bind_int64(get, 1, c.vid);
        sqlite3_bind_text(get, 2, c.code, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(get) != SQLITE_ROW) continue; /* an index code not in this dictionary */
        int kind = sqlite3_column_int(get, 2);
        c.billable = sqlite3_column_int(get, 1);
        if (kind == KIND_CHAPTER || kind == KIND_SECTION) continue;
        if (opts->billable_only && !c.billable) continue;
        if (c.matched != MATCH_CODE) c.score += c.billable ? 0.5 : -0.5;
        f.c[k++] = c;
    }
    f.n = k;
    if (f.n > 1) qsort(f.c, (size_t)f.n, sizeof *f.c, cmp_cand);
    int limit = opts->limit > 0 ? opts->limit : 20;
    for (int i = 0; i < f.n && *nhits < limit; i++) {
        const Cand *c = &f.c[i];
        SearchHit *h = &hits[(*nhits)++];
        memset(h, 0, sizeof *h);
        h->system = c->system;
        snprintf(h->code, sizeof h->code, "%s", c->code);
        h->billable = c->billable;
        h->matched = c->matched;
        snprintf(h->matched_text, sizeof h->matched_text, "%s", c->text);
        h->score = c->score;
        sqlite3_reset(get);
        sqlite3_bind_int64(get, 1, c->vid);
        sqlite3_bind_text(get, 2, h->code, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(get) == SQLITE_ROW) snprintf(h->title, sizeof h->title, "%s", (const char *)sqlite3_column_text(get, 0));
    }
    rc = 0;
done:
    sqlite3_finalize(get);
    free(f.c);
    return rc;
}

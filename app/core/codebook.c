#include "codebook.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "codebook_internal.h"

/* ------------------------------------------------------------------ names */

static const char *const SYSTEM_NAMES[SYS_COUNT] = {"ICD-10-CM", "ICD-10-PCS", "HCPCS Level II"};
static const char *const SYSTEM_SLUGS[SYS_COUNT] = {"icd10cm", "icd10pcs", "hcpcs"};
static const char *const KIND_NAMES[] = {"chapter", "section", "category", "subcategory",
                                         "code",    "table",   "modifier"};
static const char *const NOTE_KEYS[NOTE_KIND_COUNT] = {
    "includes", "inclusion_terms", "excludes1", "excludes2", "code_first", "use_additional", "code_also", "notes"};
static const char *const MATCH_NAMES[] = {"code", "title", "inclusion term", "index term"};

const char *codebook_system_name(CodeSystem s) { return (unsigned)s < SYS_COUNT ? SYSTEM_NAMES[s] : "?"; }
const char *codebook_system_slug(CodeSystem s) { return (unsigned)s < SYS_COUNT ? SYSTEM_SLUGS[s] : "?"; }
const char *codebook_kind_name(CodeKind k) { return (unsigned)k <= KIND_MODIFIER ? KIND_NAMES[k] : "?"; }
const char *codebook_note_key(NoteKind k) { return (unsigned)k < NOTE_KIND_COUNT ? NOTE_KEYS[k] : "?"; }
const char *codebook_match_name(MatchKind m) { return (unsigned)m <= MATCH_INDEX ? MATCH_NAMES[m] : "?"; }

int codebook_system_parse(const char *s, CodeSystem *out)
{
    char k[32];
    size_t n = 0;
    for (; *s && n + 1 < sizeof k; s++)
        if (isalnum((unsigned char)*s)) k[n++] = (char)tolower((unsigned char)*s);
    k[n] = '\0';
    if (!strcmp(k, "icd10cm") || !strcmp(k, "cm")) *out = SYS_ICD10CM;
    else if (!strcmp(k, "icd10pcs") || !strcmp(k, "pcs")) *out = SYS_ICD10PCS;
    else if (!strcmp(k, "hcpcs") || !strcmp(k, "hcpcslevelii") || !strcmp(k, "hcpcs2")) *out = SYS_HCPCS;
    else return -1;
    return 0;
}

/* ------------------------------------------------------------------ chapters */

typedef struct Chapter {
    const char *first, *last, *title;
} Chapter;

/* FY2026 chapter ranges (chapter 17 gained QA0 in FY2026) and titles. */
static const Chapter CHAPTERS[23] = {
    {NULL, NULL, NULL},
    {"A00", "B99", "Certain infectious and parasitic diseases"},
    {"C00", "D49", "Neoplasms"},
    {"D50", "D89", "Diseases of the blood and blood-forming organs and certain disorders involving the immune mechanism"},
    {"E00", "E89", "Endocrine, nutritional and metabolic diseases"},
    {"F01", "F99", "Mental, Behavioral and Neurodevelopmental disorders"},
    {"G00", "G99", "Diseases of the nervous system"},
    {"H00", "H59", "Diseases of the eye and adnexa"},
    {"H60", "H95", "Diseases of the ear and mastoid process"},
    {"I00", "I99", "Diseases of the circulatory system"},
    {"J00", "J99", "Diseases of the respiratory system"},
    {"K00", "K95", "Diseases of the digestive system"},
    {"L00", "L99", "Diseases of the skin and subcutaneous tissue"},
    {"M00", "M99", "Diseases of the musculoskeletal system and connective tissue"},
    {"N00", "N99", "Diseases of the genitourinary system"},
    {"O00", "O9A", "Pregnancy, childbirth and the puerperium"},
    {"P00", "P96", "Certain conditions originating in the perinatal period"},
    {"Q00", "QA0", "Congenital malformations, deformations and chromosomal abnormalities"},
    {"R00", "R99", "Symptoms, signs and abnormal clinical and laboratory findings, not elsewhere classified"},
    {"S00", "T88", "Injury, poisoning and certain other consequences of external causes"},
    {"V00", "Y99", "External causes of morbidity"},
    {"Z00", "Z99", "Factors influencing health status and contact with health services"},
    {"U00", "U85", "Codes for special purposes"},
};

int cb_cm_chapter_of(const char *category)
{
    char c[4] = {0};
    memcpy(c, category, strnlen(category, 3));
    for (int i = 1; i <= 22; i++)
        if (strcmp(c, CHAPTERS[i].first) >= 0 && strcmp(c, CHAPTERS[i].last) <= 0) return i;
    return 0;
}

const char *cb_cm_chapter_title(int chapter) { return chapter >= 1 && chapter <= 22 ? CHAPTERS[chapter].title : ""; }

const char *cb_cm_chapter_range(int chapter)
{
    static char buf[23][8];
    if (chapter < 1 || chapter > 22) return "";
    snprintf(buf[chapter], sizeof buf[chapter], "%s-%s", CHAPTERS[chapter].first, CHAPTERS[chapter].last);
    return buf[chapter];
}

/* ------------------------------------------------------------------ code strings */

int codebook_normalise(const char *in, char out[CODE_MAX])
{
    size_t n = 0;
    while (*in && isspace((unsigned char)*in)) in++;
    for (; *in; in++) {
        unsigned char c = (unsigned char)*in;
        if (c == '.') continue;
        if (isspace(c)) {
            /* only trailing spaces are allowed */
            while (*in && isspace((unsigned char)*in)) in++;
            if (*in) {
                out[0] = '\0';
                return -1;
            }
            break;
        }
        if (!isalnum(c) || n + 1 >= CODE_MAX) {
            out[0] = '\0';
            return -1;
        }
        out[n++] = (char)toupper(c);
    }
    out[n] = '\0';
    /* 3-7 characters; 2 only for a HCPCS modifier, which has a letter */
    if (n == 2 && !isalpha((unsigned char)out[0]) && !isalpha((unsigned char)out[1])) return -1;
    return (n >= 2 && n <= 7) ? 0 : -1;
}

void codebook_display(CodeSystem s, const char *code, char out[CODE_MAX])
{
    size_t n = strnlen(code, CODE_MAX - 2);
    if (s == SYS_ICD10CM && n > 3 && !strchr(code, '-')) {
        memcpy(out, code, 3);
        out[3] = '.';
        memcpy(out + 4, code + 3, n - 3);
        out[n + 1] = '\0';
    } else {
        memcpy(out, code, n);
        out[n] = '\0';
    }
}

CodeSystem codebook_guess_system(const char *code)
{
    size_t n = strlen(code);
    if (n == 2 || (n == 5 && isalpha((unsigned char)code[0]) && isdigit((unsigned char)code[1]) &&
                   isdigit((unsigned char)code[2]) && isdigit((unsigned char)code[3]) && isdigit((unsigned char)code[4])))
        return SYS_HCPCS; /* modifiers are 2 characters; Level II codes are letter + 4 digits */
    /* PCS: 7 characters, starting with a section digit, or with an imaging/other
     * section letter followed by a letter (CM codes have a digit second) */
    if (n == 7 && (isdigit((unsigned char)code[0]) ||
                   (strchr("BCDFGHX", code[0]) && isalpha((unsigned char)code[1]))))
        return SYS_ICD10PCS;
    return SYS_ICD10CM;
}

/* The system to try first for a code as the learner wrote it: a dot is written only
 * in ICD-10-CM codes, so "J11.00" is the diagnosis and "J1100" the HCPCS drug. */
static CodeSystem guess_written(const char *as_written, const char *norm)
{
    return strchr(as_written, '.') ? SYS_ICD10CM : codebook_guess_system(norm);
}

/* ------------------------------------------------------------------ SQL helpers */

int cb_exec(Codebook *cb, const char *sql, CpError *err)
{
    char *msg = NULL;
    if (sqlite3_exec(cb->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        cp_error_set(err, "%s: %s", cb->path, msg ? msg : sqlite3_errmsg(cb->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int cb_prepare(Codebook *cb, const char *sql, sqlite3_stmt **st, CpError *err)
{
    if (sqlite3_prepare_v2(cb->db, sql, -1, st, NULL) != SQLITE_OK) {
        cp_error_set(err, "%s: %s", cb->path, sqlite3_errmsg(cb->db));
        return -1;
    }
    return 0;
}

int cb_begin(Codebook *cb, CpError *err) { return cb_exec(cb, "BEGIN IMMEDIATE", err); }
int cb_commit(Codebook *cb, CpError *err) { return cb_exec(cb, "COMMIT", err); }
void cb_rollback(Codebook *cb)
{
    if (!sqlite3_get_autocommit(cb->db)) sqlite3_exec(cb->db, "ROLLBACK", NULL, NULL, NULL);
    cb_cache_clear(cb); /* a rolled-back load may have cached what no longer exists */
}

static int step_done(Codebook *cb, sqlite3_stmt *st, CpError *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        cp_error_set(err, "%s: %s", cb->path, sqlite3_errmsg(cb->db));
        return -1;
    }
    return 0;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s) sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

/* ------------------------------------------------------------------ schema */

/* codes.db is a cache of what was loaded: rebuilt from the bundled files or imported
 * again, never the only copy of anything the learner made. */
static const char *const SCHEMA =
    "CREATE TABLE versions (\n"
    "  id          INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: names search_<id>\n"
    "  system      TEXT NOT NULL,                 -- icd10cm | icd10pcs | hcpcs\n"
    "  label       TEXT NOT NULL,                 -- fiscal year, 'FY2026'\n"
    "  source      TEXT NOT NULL,                 -- bundled | official\n"
    "  release     TEXT NOT NULL DEFAULT '',      -- finer label (HCPCS quarter)\n"
    "  active      INTEGER NOT NULL DEFAULT 0,    -- 1 for the version lookups use\n"
    "  codes       INTEGER NOT NULL DEFAULT 0,    -- reportable codes and modifiers\n"
    "  billable    INTEGER NOT NULL DEFAULT 0,\n"
    "  headers     INTEGER NOT NULL DEFAULT 0,    -- chapters, sections, categories, tables\n"
    "  index_terms INTEGER NOT NULL DEFAULT 0,\n"
    "  content_hash TEXT NOT NULL DEFAULT '',     -- bundled: hash of the files it came from\n"
    "  files       TEXT NOT NULL DEFAULT '',      -- what it was loaded from\n"
    "  loaded_at   INTEGER NOT NULL,              -- Unix seconds\n"
    "  UNIQUE (system, label, source)\n"
    ");\n"
    "CREATE TABLE codes (\n"
    "  version_id  INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,\n"
    "  code        TEXT NOT NULL,                 -- upper case, no dot; chapters '1'..'22', sections 'A00-A09'\n"
    "  seq         INTEGER NOT NULL,              -- classification order\n"
    "  kind        INTEGER NOT NULL,              -- CodeKind\n"
    "  billable    INTEGER NOT NULL,\n"
    "  parent      TEXT NOT NULL DEFAULT '',\n"
    "  short_title TEXT NOT NULL DEFAULT '',\n"
    "  title       TEXT NOT NULL,\n"
    "  added       TEXT, effective TEXT, terminated TEXT, -- HCPCS dates, YYYY-MM-DD\n"
    "  PRIMARY KEY (version_id, code)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX codes_by_parent ON codes(version_id, parent, seq);\n"
    "CREATE TABLE notes (\n"
    "  version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,\n"
    "  code TEXT NOT NULL, kind INTEGER NOT NULL, seq INTEGER NOT NULL, -- NoteKind, order\n"
    "  text TEXT NOT NULL,\n"
    "  PRIMARY KEY (version_id, code, kind, seq)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE seven_chr (\n"
    "  version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,\n"
    "  code TEXT NOT NULL,                        -- the code that defines them (whole subtree)\n"
    "  chr TEXT NOT NULL, meaning TEXT NOT NULL,\n"
    "  PRIMARY KEY (version_id, code, chr)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE index_terms (\n"
    "  version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,\n"
    "  id INTEGER NOT NULL, parent INTEGER NOT NULL, -- 0 = a main term\n"
    "  kind INTEGER NOT NULL,                     -- 0 index, 1 external causes, 2 neoplasm, 3 drug\n"
    "  level INTEGER NOT NULL,\n"
    "  title TEXT NOT NULL, nemod TEXT, code TEXT, manif TEXT, see TEXT, see_also TEXT,\n"
    "  PRIMARY KEY (version_id, id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX index_terms_children ON index_terms(version_id, parent, id);\n"
    "CREATE INDEX index_terms_main ON index_terms(version_id, kind, parent, title COLLATE NOCASE);\n"
    "CREATE TABLE pcs_axes (\n"
    "  version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,\n"
    "  tbl TEXT NOT NULL, row INTEGER NOT NULL, pos INTEGER NOT NULL, -- row 0: the table's axes 1-3\n"
    "  value TEXT NOT NULL, label TEXT NOT NULL, definition TEXT,\n"
    "  PRIMARY KEY (version_id, tbl, row, pos, value)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE pcs_definitions (\n"
    "  version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,\n"
    "  section TEXT NOT NULL, pos INTEGER NOT NULL, term TEXT NOT NULL, -- e.g. '0', 3, 'Excision'\n"
    "  definition TEXT, explanation TEXT, includes TEXT,\n"
    "  PRIMARY KEY (version_id, section, pos, term)\n"
    ") WITHOUT ROWID;\n";

static int ensure_schema(Codebook *cb, CpError *err)
{
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(cb->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        cp_error_set(err, "%s: not a CoderPrep code dictionary (%s)", cb->path, sqlite3_errmsg(cb->db));
        sqlite3_finalize(st);
        return -1;
    }
    version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version > CODEBOOK_SCHEMA_VERSION) {
        cp_error_set(err, "%s: written by a newer CoderPrep (dictionary schema %d; this one reads %d)", cb->path,
                     version, CODEBOOK_SCHEMA_VERSION);
        return -1;
    }
    if (version == CODEBOOK_SCHEMA_VERSION) return 0;
    if (cb_begin(cb, err) != 0) return -1;
    if (cb_exec(cb, SCHEMA, err) != 0 || cb_exec(cb, "PRAGMA user_version = 1", err) != 0) {
        cb_rollback(cb);
        return -1;
    }
    return cb_commit(cb, err);
}

int codebook_open(const char *path, Codebook **out, CpError *err)
{
    *out = NULL;
    Codebook *cb = calloc(1, sizeof *cb);
    if (!cb) {
        cp_error_set(err, "%s: out of memory", path);
        return -1;
    }
    snprintf(cb->path, sizeof cb->path, "%s", path);
    if (sqlite3_open_v2(path, &cb->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        cp_error_set(err, "%s: cannot open: %s", path, cb->db ? sqlite3_errmsg(cb->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(cb->db, 5000);
    /* no quick_check: it reads the whole file (a second for an imported release) at
     * every start, and codes.db is a cache that can be deleted and rebuilt; a file
     * that is not a database fails on the first read in ensure_schema */
    if (ensure_schema(cb, err) != 0) goto fail;
    if (cb_exec(cb, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;", err) != 0)
        goto fail;
    *out = cb;
    return 0;
fail:
    codebook_close(cb);
    return -1;
}

void codebook_close(Codebook *cb)
{
    if (!cb) return;
    sqlite3_finalize(cb->brief_st);
    cb_cache_clear(cb);
    sqlite3_close(cb->db);
    free(cb->brief);
    free(cb);
}

/* ------------------------------------------------------------------ writer */

int writer_begin(Codebook *cb, Writer *w, CodeSystem system, const char *label, const char *source,
                 const char *release, const char *files, int64_t now, CpError *err)
{
    memset(w, 0, sizeof *w);
    w->cb = cb;
    w->system = system;
    sqlite3_stmt *st = NULL;
    int rc = -1;
    /* a new load of the same version replaces the old one, search index included */
    if (cb_prepare(cb, "SELECT id FROM versions WHERE system = ?1 AND label = ?2 AND source = ?3", &st, err) != 0) goto done;
    sqlite3_bind_text(st, 1, codebook_system_slug(system), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, source, -1, SQLITE_STATIC);
    int64_t old_ids[8];
    int nold = 0;
    while (sqlite3_step(st) == SQLITE_ROW && nold < 8) old_ids[nold++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st); /* no table can be dropped while a statement reads */
    st = NULL;
    for (int i = 0; i < nold; i++) {
        char drop[96];
        snprintf(drop, sizeof drop, "DROP TABLE IF EXISTS search_%lld", (long long)old_ids[i]);
        if (cb_exec(cb, drop, err) != 0) goto done;
    }
    if (cb_prepare(cb, "DELETE FROM versions WHERE system = ?1 AND label = ?2 AND source = ?3", &st, err) != 0) goto done;
    sqlite3_bind_text(st, 1, codebook_system_slug(system), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, source, -1, SQLITE_STATIC);
    if (step_done(cb, st, err) != 0) goto done;
    sqlite3_finalize(st);
    st = NULL;
    if (cb_prepare(cb, "INSERT INTO versions (system, label, source, release, files, loaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                   &st, err) != 0)
        goto done;
    sqlite3_bind_text(st, 1, codebook_system_slug(system), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, release ? release : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, files ? files : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, now);
    if (step_done(cb, st, err) != 0) goto done;
    w->version = sqlite3_last_insert_rowid(cb->db);
    if (cb_prepare(cb, "INSERT INTO codes (version_id, code, seq, kind, billable, parent, short_title, title) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &w->code, err) != 0 ||
        cb_prepare(cb, "INSERT INTO notes (version_id, code, kind, seq, text) VALUES (?1, ?2, ?3, ?4, ?5)", &w->note, err) != 0 ||
        cb_prepare(cb, "INSERT OR REPLACE INTO seven_chr (version_id, code, chr, meaning) VALUES (?1, ?2, ?3, ?4)", &w->seven, err) != 0 ||
        cb_prepare(cb, "INSERT INTO index_terms (version_id, id, parent, kind, level, title, nemod, code, manif, see, see_also) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", &w->term, err) != 0 ||
        cb_prepare(cb, "INSERT OR IGNORE INTO pcs_axes (version_id, tbl, row, pos, value, label, definition) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &w->pcs, err) != 0)
        goto done;
    /* the version's search index: one FTS5 table per version, so a search never
     * scans the documents of other versions */
    char sql[256];
    snprintf(sql, sizeof sql,
             "CREATE VIRTUAL TABLE search_%lld USING fts5(text, code UNINDEXED, source UNINDEXED, "
             "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')",
             (long long)w->version);
    if (cb_exec(cb, sql, err) != 0) goto done;
    /* documents gather in a temporary table and enter the search index in a useful
     * order (see build_search), so a search can stop at the first matches */
    if (cb_exec(cb, "CREATE TEMP TABLE IF NOT EXISTS docs_buf (text TEXT, code TEXT, source INTEGER, pri INTEGER);"
                    "DELETE FROM docs_buf;", err) != 0)
        goto done;
    if (cb_prepare(cb, "INSERT INTO docs_buf (text, code, source, pri) VALUES (?1, ?2, ?3, ?4)", &w->doc, err) != 0) goto done;
    rc = 0;
done:
    sqlite3_finalize(st);
    return rc;
}

int writer_code(Writer *w, const char *code, CodeKind kind, int billable, const char *parent,
                const char *short_title, const char *title, CpError *err)
{
    sqlite3_stmt *st = w->code;
    sqlite3_bind_int64(st, 1, w->version);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, ++w->seq);
    sqlite3_bind_int(st, 4, (int)kind);
    sqlite3_bind_int(st, 5, billable);
    sqlite3_bind_text(st, 6, parent ? parent : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, short_title ? short_title : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, title, -1, SQLITE_STATIC);
    if (step_done(w->cb, st, err) != 0) {
        char msg[CP_ERROR_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        cp_error_set(err, "code %s: %s", code, msg);
        return -1;
    }
    /* counts follow the release files: every order-file line (or HCPCS record) is a
     * code; chapters and sections are structure, not lines of the file */
    if (kind != KIND_CHAPTER && kind != KIND_SECTION) {
        w->codes++;
        if (billable) w->billable++;
        else w->headers++;
    }
    return 0;
}

int writer_dates(Writer *w, const char *code, const char *added, const char *effective, const char *terminated,
                 CpError *err)
{
    sqlite3_stmt *st = NULL;
    if (cb_prepare(w->cb, "UPDATE codes SET added = ?3, effective = ?4, terminated = ?5 WHERE version_id = ?1 AND code = ?2",
                   &st, err) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, w->version);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    bind_text_or_null(st, 3, added);
    bind_text_or_null(st, 4, effective);
    bind_text_or_null(st, 5, terminated);
    int rc = step_done(w->cb, st, err);
    sqlite3_finalize(st);
    return rc;
}

int writer_note(Writer *w, const char *code, NoteKind kind, int seq, const char *text, CpError *err)
{
    sqlite3_stmt *st = w->note;
    sqlite3_bind_int64(st, 1, w->version);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, (int)kind);
    sqlite3_bind_int(st, 4, seq);
    sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
    return step_done(w->cb, st, err);
}

int writer_seven(Writer *w, const char *code, char chr, const char *meaning, CpError *err)
{
    char c[2] = {chr, '\0'};
    sqlite3_stmt *st = w->seven;
    sqlite3_bind_int64(st, 1, w->version);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, meaning, -1, SQLITE_STATIC);
    return step_done(w->cb, st, err);
}

int64_t writer_term(Writer *w, int64_t parent, int kind, int level, const char *title, const char *nemod,
                    const char *code, const char *manif, const char *see, const char *see_also,
                    const char *path, CpError *err)
{
    sqlite3_stmt *st = w->term;
    int64_t id = ++w->terms;
    sqlite3_bind_int64(st, 1, w->version);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_int64(st, 3, parent);
    sqlite3_bind_int(st, 4, kind);
    sqlite3_bind_int(st, 5, level);
    sqlite3_bind_text(st, 6, title ? title : "", -1, SQLITE_STATIC);
    bind_text_or_null(st, 7, nemod);
    bind_text_or_null(st, 8, code);
    bind_text_or_null(st, 9, manif);
    bind_text_or_null(st, 10, see);
    bind_text_or_null(st, 11, see_also);
    if (step_done(w->cb, st, err) != 0) return -1;
    if (!(code && *code) && see && *see && path && *path) {
        /* a "see" line is searchable too: the search resolves its target */
        sqlite3_stmt *d = w->doc;
        sqlite3_bind_text(d, 1, path, -1, SQLITE_STATIC);
        sqlite3_bind_text(d, 2, see, -1, SQLITE_STATIC);
        sqlite3_bind_int(d, 3, 4);
        sqlite3_bind_int(d, 4, 2); /* after codes: a see line costs an Index walk to resolve */
        if (step_done(w->cb, d, err) != 0) return -1;
    }
    if (code && *code && path && *path) {
        char norm[CODE_MAX];
        size_t n = 0;
        for (const char *c = code; *c && n + 1 < sizeof norm; c++)
            if (*c != '.' && *c != '-') norm[n++] = *c;
        norm[n] = '\0';
        sqlite3_bind_text(w->doc, 1, path, -1, SQLITE_STATIC);
        sqlite3_bind_text(w->doc, 2, norm, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(w->doc, 3, 3);
        sqlite3_bind_int(w->doc, 4, 0);
        if (step_done(w->cb, w->doc, err) != 0) return -1;
    }
    return id;
}

int writer_pcs_axis(Writer *w, const char *table, int row, int pos, char value, const char *label,
                    const char *definition, CpError *err)
{
    char v[2] = {value, '\0'};
    sqlite3_stmt *st = w->pcs;
    sqlite3_bind_int64(st, 1, w->version);
    sqlite3_bind_text(st, 2, table, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, row);
    sqlite3_bind_int(st, 4, pos);
    sqlite3_bind_text(st, 5, v, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, label, -1, SQLITE_STATIC);
    bind_text_or_null(st, 7, definition);
    return step_done(w->cb, st, err);
}

/* The search index: every title, every inclusion term, and the index paths added
 * while loading. Rows go in by priority (index terms with codes, billable titles,
 * header titles and index "see" lines, inclusion terms), shortest text first: FTS5 returns matches in that order,
 * so a broad query ("fr") can take its first few hundred matches cheaply and they
 * are the ones worth ranking. */
static int build_search(Writer *w, CpError *err)
{
    char sql[1536];
    long long v = (long long)w->version;
    snprintf(sql, sizeof sql,
             "INSERT INTO docs_buf (text, code, source, pri) "
             "SELECT title, code, 1, CASE WHEN billable THEN 1 ELSE 2 END FROM codes WHERE version_id = %lld AND kind NOT IN (0, 1);"
             "INSERT INTO docs_buf (text, code, source, pri) "
             "SELECT text, code, 2, 3 FROM notes WHERE version_id = %lld AND kind IN (0, 1);"
             "INSERT INTO search_%lld (text, code, source) SELECT text, code, source FROM docs_buf ORDER BY pri, length(text);"
             "DELETE FROM docs_buf;"
             "INSERT INTO search_%lld(search_%lld) VALUES('optimize');",
             v, v, v, v, v);
    return cb_exec(w->cb, sql, err);
}

int writer_finish(Writer *w, int activate, CpError *err)
{
    if (build_search(w, err) != 0) return -1;
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (cb_prepare(w->cb, "UPDATE versions SET codes = ?2, billable = ?3, headers = ?4, index_terms = ?5 WHERE id = ?1",
                   &st, err) != 0)
        goto done;
    sqlite3_bind_int64(st, 1, w->version);
    sqlite3_bind_int64(st, 2, w->codes);
    sqlite3_bind_int64(st, 3, w->billable);
    sqlite3_bind_int64(st, 4, w->headers);
    sqlite3_bind_int64(st, 5, w->terms);
    if (step_done(w->cb, st, err) != 0) goto done;
    sqlite3_finalize(st);
    st = NULL;
    cb_cache_clear(w->cb);
    if (activate) {
        if (cb_prepare(w->cb, "UPDATE versions SET active = (id = ?1) WHERE system = ?2", &st, err) != 0) goto done;
        sqlite3_bind_int64(st, 1, w->version);
        sqlite3_bind_text(st, 2, codebook_system_slug(w->system), -1, SQLITE_STATIC);
        if (step_done(w->cb, st, err) != 0) goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    return rc;
}

void writer_free(Writer *w)
{
    sqlite3_finalize(w->code);
    sqlite3_finalize(w->note);
    sqlite3_finalize(w->seven);
    sqlite3_finalize(w->term);
    sqlite3_finalize(w->pcs);
    sqlite3_finalize(w->doc);
    w->code = w->note = w->seven = w->term = w->pcs = w->doc = NULL;
}

/* ------------------------------------------------------------------ versions */

static void read_version(sqlite3_stmt *st, CodeVersion *v)
{
    memset(v, 0, sizeof *v);
    v->id = sqlite3_column_int64(st, 0);
    codebook_system_parse((const char *)sqlite3_column_text(st, 1), &v->system);
    snprintf(v->label, sizeof v->label, "%s", (const char *)sqlite3_column_text(st, 2));
    snprintf(v->source, sizeof v->source, "%s", (const char *)sqlite3_column_text(st, 3));
    snprintf(v->release, sizeof v->release, "%s", (const char *)sqlite3_column_text(st, 4));
    v->active = sqlite3_column_int(st, 5);
    v->codes = sqlite3_column_int64(st, 6);
    v->billable = sqlite3_column_int64(st, 7);
    v->headers = sqlite3_column_int64(st, 8);
    v->index_terms = sqlite3_column_int64(st, 9);
    v->loaded_at = sqlite3_column_int64(st, 10);
    snprintf(v->files, sizeof v->files, "%s", (const char *)sqlite3_column_text(st, 11));
}

#define VERSION_COLUMNS "id, system, label, source, release, active, codes, billable, headers, index_terms, loaded_at, files"

int codebook_versions(Codebook *cb, CodeVersion *out, int cap, int *count, CpError *err)
{
    sqlite3_stmt *st = NULL;
    *count = 0;
    if (cb_prepare(cb, "SELECT " VERSION_COLUMNS " FROM versions ORDER BY system, label DESC, source DESC", &st, err) != 0)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count < cap) read_version(st, &out[*count]);
        (*count)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        cp_error_set(err, "%s: %s", cb->path, sqlite3_errmsg(cb->db));
        return -1;
    }
    return 0;
}

int codebook_active(Codebook *cb, CodeSystem system, CodeVersion *out, CpError *err)
{
    sqlite3_stmt *st = NULL;
    if (cb_prepare(cb, "SELECT " VERSION_COLUMNS " FROM versions WHERE system = ?1 AND active = 1", &st, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, codebook_system_slug(system), -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) read_version(st, out);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        cp_error_set(err, "no %s version is installed", codebook_system_name(system));
        return -1;
    }
    return 0;
}

int codebook_use(Codebook *cb, CodeSystem system, const char *label, CpError *err)
{
    char norm[16];
    /* accept "2026", "FY2026", "fy2026" */
    const char *digits = label;
    if ((label[0] == 'F' || label[0] == 'f') && (label[1] == 'Y' || label[1] == 'y')) digits = label + 2;
    snprintf(norm, sizeof norm, "FY%s", digits);
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    if (cb_prepare(cb, "SELECT id FROM versions WHERE system = ?1 AND label = ?2 ORDER BY source = 'official' DESC LIMIT 1",
                   &st, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, codebook_system_slug(system), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, norm, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (!id) {
        cp_error_set(err, "no %s version %s is installed (see `coderprep codes versions`)", codebook_system_name(system), norm);
        return -1;
    }
    cb_cache_clear(cb);
    if (cb_prepare(cb, "UPDATE versions SET active = (id = ?1) WHERE system = ?2", &st, err) != 0) return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, codebook_system_slug(system), -1, SQLITE_STATIC);
    int rc = step_done(cb, st, err);
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------------------ lookup */

static int64_t version_id_for(Codebook *cb, CodeSystem system, const char *label, char *label_out, CpError *err)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    const char *sql = label ? "SELECT id, label FROM versions WHERE system = ?1 AND label = ?2 "
                              "ORDER BY source = 'official' DESC LIMIT 1"
                            : "SELECT id, label FROM versions WHERE system = ?1 AND active = 1";
    if (cb_prepare(cb, sql, &st, err) != 0) return -1;
    sqlite3_bind_text(st, 1, codebook_system_slug(system), -1, SQLITE_STATIC);
    char norm[16];
    if (label) {
        const char *d = (label[0] == 'F' || label[0] == 'f') ? label + 2 : label;
        snprintf(norm, sizeof norm, "FY%s", d);
        sqlite3_bind_text(st, 2, norm, -1, SQLITE_STATIC);
    }
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        snprintf(label_out, 16, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return id;
}

typedef struct Row {
    char code[CODE_MAX];
    int kind, billable;
    char parent[CODE_MAX];
    char short_title[CODE_TITLE_MAX], title[CODE_TITLE_MAX];
    char added[16], effective[16], terminated[16];
} Row;

static int fetch_row(Codebook *cb, sqlite3_stmt *st, int64_t vid, const char *code, Row *r)
{
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, vid);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_ROW) return 0;
    memset(r, 0, sizeof *r);
    snprintf(r->code, sizeof r->code, "%s", (const char *)sqlite3_column_text(st, 0));
    r->kind = sqlite3_column_int(st, 1);
    r->billable = sqlite3_column_int(st, 2);
    snprintf(r->parent, sizeof r->parent, "%s", (const char *)sqlite3_column_text(st, 3));
    snprintf(r->short_title, sizeof r->short_title, "%s", (const char *)sqlite3_column_text(st, 4));
    snprintf(r->title, sizeof r->title, "%s", (const char *)sqlite3_column_text(st, 5));
    if (sqlite3_column_text(st, 6)) snprintf(r->added, sizeof r->added, "%s", (const char *)sqlite3_column_text(st, 6));
    if (sqlite3_column_text(st, 7)) snprintf(r->effective, sizeof r->effective, "%s", (const char *)sqlite3_column_text(st, 7));
    if (sqlite3_column_text(st, 8)) snprintf(r->terminated, sizeof r->terminated, "%s", (const char *)sqlite3_column_text(st, 8));
    (void)cb;
    return 1;
}

static int add_notes(Arena *a, sqlite3_stmt *st, int64_t vid, const char *code, CodeInfo *out, int *cap)
{
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, vid);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (out->nnotes == *cap) {
            int ncap = *cap ? *cap * 2 : 16;
            CodeNote *grown = realloc(out->notes, (size_t)ncap * sizeof *grown);
            if (!grown) return -1;
            out->notes = grown;
            *cap = ncap;
        }
        CodeNote *n = &out->notes[out->nnotes++];
        n->kind = (NoteKind)sqlite3_column_int(st, 0);
        snprintf(n->from, sizeof n->from, "%s", code);
        n->text = arena_strdup(a, (const char *)sqlite3_column_text(st, 1));
        if (!n->text) return -1;
    }
    return 0;
}

static int lookup_in(Codebook *cb, CodeSystem system, int64_t vid, const char *version, const char *code,
                     CodeInfo *out, CpError *err)
{
    sqlite3_stmt *get = NULL, *kids = NULL, *notes = NULL, *seven = NULL;
    Arena *arena = calloc(1, sizeof *arena);
    int rc = -1, note_cap = 0;
    Row r;
    if (!arena) goto oom;
    arena_init(arena);
    if (cb_prepare(cb, "SELECT code, kind, billable, parent, short_title, title, added, effective, terminated "
                       "FROM codes WHERE version_id = ?1 AND code = ?2", &get, err) != 0 ||
        cb_prepare(cb, "SELECT code, title, billable FROM codes WHERE version_id = ?1 AND parent = ?2 ORDER BY seq",
                   &kids, err) != 0 ||
        cb_prepare(cb, "SELECT kind, text FROM notes WHERE version_id = ?1 AND code = ?2 ORDER BY kind, seq", &notes, err) != 0 ||
        cb_prepare(cb, "SELECT chr, meaning FROM seven_chr WHERE version_id = ?1 AND code = ?2 ORDER BY chr", &seven, err) != 0)
        goto done;
    if (!fetch_row(cb, get, vid, code, &r)) {
        rc = 1;
        goto done;
    }
    memset(out, 0, sizeof *out);
    out->mem = arena;
    out->system = system;
    snprintf(out->version, sizeof out->version, "%s", version);
    snprintf(out->code, sizeof out->code, "%s", r.code);
    out->kind = (CodeKind)r.kind;
    out->billable = r.billable;
    snprintf(out->title, sizeof out->title, "%s", r.title);
    snprintf(out->short_title, sizeof out->short_title, "%s", r.short_title);
    snprintf(out->parent, sizeof out->parent, "%s", r.parent);
    snprintf(out->added, sizeof out->added, "%s", r.added);
    snprintf(out->effective, sizeof out->effective, "%s", r.effective);
    snprintf(out->terminated, sizeof out->terminated, "%s", r.terminated);

    /* children */
    sqlite3_bind_int64(kids, 1, vid);
    sqlite3_bind_text(kids, 2, r.code, -1, SQLITE_TRANSIENT);
    int kcap = 0;
    while (sqlite3_step(kids) == SQLITE_ROW) {
        if (out->nchildren == kcap) {
            kcap = kcap ? kcap * 2 : 16;
            CodeRef *g = realloc(out->children, (size_t)kcap * sizeof *g);
            if (!g) goto oom;
            out->children = g;
        }
        CodeRef *c = &out->children[out->nchildren++];
        snprintf(c->code, sizeof c->code, "%s", (const char *)sqlite3_column_text(kids, 0));
        snprintf(c->title, sizeof c->title, "%s", (const char *)sqlite3_column_text(kids, 1));
        c->billable = sqlite3_column_int(kids, 2);
    }

    /* own notes, 7th characters, then each ancestor's */
    if (add_notes(arena, notes, vid, r.code, out, &note_cap) != 0) goto oom;
    Row cur = r;
    int acap = 0, depth = 0;
    for (;;) {
        if (!out->nseven) {
            sqlite3_reset(seven);
            sqlite3_bind_int64(seven, 1, vid);
            sqlite3_bind_text(seven, 2, cur.code, -1, SQLITE_TRANSIENT);
            int scap = 0;
            while (sqlite3_step(seven) == SQLITE_ROW) {
                if (out->nseven == scap) {
                    scap = scap ? scap * 2 : 8;
                    SevenChr *g = realloc(out->seven, (size_t)scap * sizeof *g);
                    if (!g) goto oom;
                    out->seven = g;
                }
                SevenChr *sc = &out->seven[out->nseven++];
                sc->chr = ((const char *)sqlite3_column_text(seven, 0))[0];
                sc->meaning = arena_strdup(arena, (const char *)sqlite3_column_text(seven, 1));
                snprintf(out->seven_from, sizeof out->seven_from, "%s", cur.code);
            }
        }
        if (cur.kind == KIND_SECTION) {
            snprintf(out->section, sizeof out->section, "%s", cur.code);
            snprintf(out->section_title, sizeof out->section_title, "%s", cur.title);
        } else if (cur.kind == KIND_CHAPTER) {
            snprintf(out->chapter, sizeof out->chapter, "%s", cur.code);
            snprintf(out->chapter_title, sizeof out->chapter_title, "%s", cur.title);
        }
        if (!cur.parent[0] || depth++ > 12) break;
        Row up;
        if (!fetch_row(cb, get, vid, cur.parent, &up)) break;
        if (out->nancestors == acap) {
            acap = acap ? acap * 2 : 8;
            CodeRef *g = realloc(out->ancestors, (size_t)acap * sizeof *g);
            if (!g) goto oom;
            out->ancestors = g;
        }
        CodeRef *anc = &out->ancestors[out->nancestors++];
        snprintf(anc->code, sizeof anc->code, "%s", up.code);
        snprintf(anc->title, sizeof anc->title, "%s", up.title);
        anc->billable = up.billable;
        if (add_notes(arena, notes, vid, up.code, out, &note_cap) != 0) goto oom;
        cur = up;
    }
    /* an order-file-only load has no chapter rows: name the chapter from the range */
    if (system == SYS_ICD10CM && !out->chapter[0] && out->kind != KIND_CHAPTER) {
        int ch = cb_cm_chapter_of(out->code);
        if (ch) {
            snprintf(out->chapter, sizeof out->chapter, "%d", ch);
            snprintf(out->chapter_title, sizeof out->chapter_title, "%s (%s)", cb_cm_chapter_title(ch), cb_cm_chapter_range(ch));
        }
    }
    rc = 0;
    goto done;
oom:
    cp_error_set(err, "out of memory looking up %s", code);
    rc = -1;
done:
    sqlite3_finalize(get);
    sqlite3_finalize(kids);
    sqlite3_finalize(notes);
    sqlite3_finalize(seven);
    if (rc != 0) {
        if (out->mem == arena) codebook_info_free(out);
        else if (arena) {
            arena_free(arena);
            free(arena);
        }
    }
    return rc;
}

int codebook_lookup(Codebook *cb, CodeSystem system, const char *version, const char *code, CodeInfo *out,
                    CpError *err)
{
    char norm[CODE_MAX];
    memset(out, 0, sizeof *out);
    /* chapters ("4") and sections ("E08-E13") are looked up as written */
    int is_group = strchr(code, '-') != NULL || (strlen(code) <= 2 && isdigit((unsigned char)code[0]));
    if (is_group) {
        size_t n = 0;
        for (const char *p = code; *p && n + 1 < sizeof norm; p++)
            if (!isspace((unsigned char)*p)) norm[n++] = (char)toupper((unsigned char)*p);
        norm[n] = '\0';
    } else if (codebook_normalise(code, norm) != 0) {
        cp_error_set(err, "\"%s\" is not a code: codes are 3 to 7 letters and digits (a dot is optional)", code);
        return 1;
    }
    CodeSystem order[SYS_COUNT];
    int n = 0;
    if (system != SYS_ANY) {
        order[n++] = system;
    } else {
        CodeSystem g = is_group ? SYS_ICD10CM : guess_written(code, norm);
        order[n++] = g;
        for (int s = 0; s < SYS_COUNT; s++)
            if (s != (int)g) order[n++] = (CodeSystem)s;
    }
    int any_version = 0;
    for (int i = 0; i < n; i++) {
        char label[16] = "";
        int64_t vid = version_id_for(cb, order[i], version, label, err);
        if (vid < 0) return -1;
        if (vid == 0) continue;
        any_version = 1;
        int rc = lookup_in(cb, order[i], vid, label, norm, out, err);
        if (rc <= 0) return rc;
    }
    if (!any_version)
        cp_error_set(err, "no dictionary%s%s is installed", version ? " version " : "", version ? version : "");
    else
        cp_error_set(err, "%s is not a code in %s", code, system == SYS_ANY ? "the dictionary" : codebook_system_name(system));
    return 1;
}

void codebook_info_free(CodeInfo *info)
{
    if (info->mem) {
        arena_free(info->mem);
        free(info->mem);
    }
    free(info->children);
    free(info->ancestors);
    free(info->notes);
    free(info->seven);
    memset(info, 0, sizeof *info);
}

int codebook_children(Codebook *cb, CodeSystem system, const char *code, CodeRef *out, int cap, int *n, CpError *err)
{
    *n = 0;
    sqlite3_stmt *st = NULL;
    if (cb_prepare(cb, "SELECT c.code, c.title, c.billable FROM codes c JOIN versions v ON v.id = c.version_id "
                       "WHERE v.system = ?1 AND v.active = 1 AND c.parent = ?2 ORDER BY c.seq", &st, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, codebook_system_slug(system), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n < cap) {
            CodeRef *r = &out[*n];
            snprintf(r->code, sizeof r->code, "%s", (const char *)sqlite3_column_text(st, 0));
            snprintf(r->title, sizeof r->title, "%s", (const char *)sqlite3_column_text(st, 1));
            r->billable = sqlite3_column_int(st, 2);
        }
        (*n)++;
    }
    sqlite3_finalize(st);
    return 0;
}

int codebook_exists(Codebook *cb, const char *code, CodeSystem *system, int *billable)
{
    char norm[CODE_MAX];
    if (codebook_normalise(code, norm) != 0) return 0;
    /* one primary-key read per active version (a join would scan every code) */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(cb->db, "SELECT billable FROM codes WHERE version_id = "
                                   "(SELECT id FROM versions WHERE system = ?1 AND active = 1) AND code = ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    CodeSystem order[SYS_COUNT] = {guess_written(code, norm)};
    for (int s = 0, k = 1; s < SYS_COUNT; s++)
        if (s != (int)order[0]) order[k++] = (CodeSystem)s;
    int yes = 0;
    for (int i = 0; i < SYS_COUNT && !yes; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, codebook_system_slug(order[i]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, norm, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            yes = 1;
            if (system) *system = order[i];
            if (billable) *billable = sqlite3_column_int(st, 0);
        }
    }
    sqlite3_finalize(st);
    return yes;
}

int codebook_cm_chapter(const char *code)
{
    char norm[CODE_MAX];
    if (codebook_normalise(code, norm) != 0 || strlen(norm) < 3) return 0;
    return cb_cm_chapter_of(norm);
}

void cb_cache_clear(Codebook *cb)
{
    if (cb->brief)
        for (int i = 0; i < BRIEF_SLOTS; i++) {
            free(cb->brief[i].title);
            memset(&cb->brief[i], 0, sizeof cb->brief[i]);
        }
    cb_ex1_free(cb);
}

int codebook_brief(Codebook *cb, const char *code, CodeBrief *out)
{
    char norm[CODE_MAX];
    if (codebook_normalise(code, norm) != 0) return 0;
    if (!cb->brief) cb->brief = calloc(BRIEF_SLOTS, sizeof *cb->brief);
    /* the cache key keeps the dot: "J11.00" and "J1100" are different codes */
    char key[CODE_MAX + 1];
    snprintf(key, sizeof key, "%s%s", norm, strchr(code, '.') ? "." : "");
    uint32_t h = 2166136261u;
    for (const char *p = key; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    BriefSlot *slot = cb->brief ? &cb->brief[h & (BRIEF_SLOTS - 1)] : NULL;
    if (slot && !strcmp(slot->code, key)) {
        if (slot->found) {
            out->system = (CodeSystem)slot->system;
            out->billable = slot->billable;
            snprintf(out->title, sizeof out->title, "%s", slot->title ? slot->title : "");
        }
        return slot->found;
    }
    CodeBrief b;
    b.system = SYS_ICD10CM;
    b.billable = 0;
    b.title[0] = '\0';
    int found = 0;
    if (!cb->brief_st && sqlite3_prepare_v3(cb->db, "SELECT billable, title FROM codes WHERE version_id = "
                                                    "(SELECT id FROM versions WHERE system = ?1 AND active = 1) AND code = ?2",
                                            -1, SQLITE_PREPARE_PERSISTENT, &cb->brief_st, NULL) != SQLITE_OK)
        cb->brief_st = NULL;
    sqlite3_stmt *st = cb->brief_st;
    if (st) {
        CodeSystem order[SYS_COUNT] = {guess_written(code, norm)};
        for (int s = 0, k = 1; s < SYS_COUNT; s++)
            if (s != (int)order[0]) order[k++] = (CodeSystem)s;
        for (int i = 0; i < SYS_COUNT && !found; i++) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, codebook_system_slug(order[i]), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, norm, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW) {
                found = 1;
                b.system = order[i];
                b.billable = sqlite3_column_int(st, 0);
                snprintf(b.title, sizeof b.title, "%s", (const char *)sqlite3_column_text(st, 1));
            }
        }
        sqlite3_reset(st); /* no read transaction left open between calls */
    }
    if (slot) {
        free(slot->title);
        snprintf(slot->code, sizeof slot->code, "%s", key);
        slot->found = (unsigned char)found;
        slot->billable = (unsigned char)b.billable;
        slot->system = (unsigned char)b.system;
        slot->title = found ? strdup(b.title) : NULL;
    }
    if (found) *out = b;
    return found;
}

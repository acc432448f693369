/* codebook_internal.h - what the codebook's source files share; not for callers. */
#ifndef CODEBOOK_INTERNAL_H
#define CODEBOOK_INTERNAL_H

#include <sqlite3.h>

#include "codebook.h"

#define CODEBOOK_SCHEMA_VERSION 1

#define BRIEF_SLOTS 16384      /* direct-mapped: room for every code a study session meets */

typedef struct BriefSlot {
    char code[CODE_MAX + 1];   /* normalised code, "." appended when written with one; "" = empty */
    unsigned char found, billable, system;
    char *title;               /* malloc'd; NULL when not found */
} BriefSlot;

struct Codebook {
    sqlite3 *db;
    char path[1024];
    BriefSlot *brief;          /* codebook_brief cache (direct-mapped), NULL until used */
    sqlite3_stmt *brief_st;    /* its query, prepared once */
    struct Ex1Slot *ex1;       /* codebook_excludes1 cache (direct-mapped), NULL until used */
};

/* Frees the Excludes1 cache (codebook_validate.c). */
void cb_ex1_free(Codebook *cb);

/* Forgets cached answers: the active versions changed. */
void cb_cache_clear(Codebook *cb);

/* One version being written inside the caller's transaction. */
typedef struct Writer {
    Codebook *cb;
    int64_t version;           /* versions.id */
    CodeSystem system;
    sqlite3_stmt *code, *note, *seven, *term, *pcs, *doc; /* doc: search document insert */
    int64_t seq;               /* running order of codes */
    int64_t codes, billable, headers, terms;
} Writer;

/* Runs SQL without results; fills err with the SQL error. */
int cb_exec(Codebook *cb, const char *sql, CpError *err);
int cb_prepare(Codebook *cb, const char *sql, sqlite3_stmt **st, CpError *err);
int cb_begin(Codebook *cb, CpError *err);
int cb_commit(Codebook *cb, CpError *err);
void cb_rollback(Codebook *cb);

/* Creates the version row (inactive) after deleting any earlier load with the same
 * system, label and source. */
int writer_begin(Codebook *cb, Writer *w, CodeSystem system, const char *label, const char *source,
                 const char *release, const char *files, int64_t now, CpError *err);
int writer_code(Writer *w, const char *code, CodeKind kind, int billable, const char *parent,
                const char *short_title, const char *title, CpError *err);
int writer_dates(Writer *w, const char *code, const char *added, const char *effective,
                 const char *terminated, CpError *err);
int writer_note(Writer *w, const char *code, NoteKind kind, int seq, const char *text, CpError *err);
int writer_seven(Writer *w, const char *code, char chr, const char *meaning, CpError *err);
/* Adds an index term; returns its id (> 0) or -1. kind: 0 diseases index, 1 external
 * causes, 2 neoplasm table, 3 drug table. path: the term's full path ("Diabetes,
 * type 2, with, chronic kidney disease"); when the term leads to a code, the path
 * becomes a search document for it. */
int64_t writer_term(Writer *w, int64_t parent, int kind, int level, const char *title,
                    const char *nemod, const char *code, const char *manif, const char *see,
                    const char *see_also, const char *path, CpError *err);
/* A PCS table axis value: table (3 chars), row (0 = the table's own axes 1-3), axis
 * position 1..7, the character, its label, and for the operation its definition. */
int writer_pcs_axis(Writer *w, const char *table, int row, int pos, char value, const char *label,
                    const char *definition, CpError *err);
/* Counts, search index, and activation (the previous active version of the system is
 * deactivated). */
int writer_finish(Writer *w, int activate, CpError *err);
void writer_free(Writer *w);

/* Chapter of an ICD-10-CM category (3 characters) in FY2026: 1..22, 0 when none. */
int cb_cm_chapter_of(const char *category);
const char *cb_cm_chapter_title(int chapter);   /* without the range */
const char *cb_cm_chapter_range(int chapter);   /* "A00-B99" */

#endif

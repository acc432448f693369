/* codebook.h - the code dictionary: ICD-10-CM, ICD-10-PCS and HCPCS Level II in
 * codes.db (SQLite, in the data folder, apart from progress.db).
 *
 * Versions: each load (the bundled teaching set, or an official release imported
 * from the CMS/CDC files) is one version of one code system, labelled by fiscal year
 * ("FY2026"). Several may be installed; one per system is active, and lookups,
 * searches and validation use the active one unless told otherwise.
 *
 * Atomicity: a load runs in one transaction and the new version becomes active only
 * when it committed whole; a failed or interrupted load leaves the dictionary exactly
 * as it was.
 *
 * Codes are stored upper-case without the dot; codebook_normalise turns any way a
 * learner writes a code ("e11.22", " E1122 ") into that form, and codebook_display
 * puts the dot back for ICD-10-CM.
 *
 * Errors: functions return 0 (or a documented status) and fill CpError with the
 * file, line and field or SQL error that stopped them. Core never prints.
 */
#ifndef CODEBOOK_H
#define CODEBOOK_H

#include <stddef.h>
#include <stdint.h>

#include "cp_error.h"

typedef struct Codebook Codebook; /* opaque: one open codes.db */

typedef enum CodeSystem { SYS_ICD10CM, SYS_ICD10PCS, SYS_HCPCS, SYS_COUNT, SYS_ANY = -1 } CodeSystem;

const char *codebook_system_name(CodeSystem s);   /* "ICD-10-CM" */
const char *codebook_system_slug(CodeSystem s);   /* "icd10cm" */
/* Accepts "icd10cm", "ICD-10-CM", "cm", "pcs", "hcpcs" ... Returns 0 when known. */
int codebook_system_parse(const char *s, CodeSystem *out);

typedef enum CodeKind {
    KIND_CHAPTER,      /* ICD-10-CM chapter */
    KIND_SECTION,      /* ICD-10-CM section (block) */
    KIND_CATEGORY,     /* 3-character ICD-10-CM category */
    KIND_SUBCATEGORY,  /* 4-6 character ICD-10-CM header */
    KIND_CODE,         /* a code that can be reported (CM billable, PCS, HCPCS) */
    KIND_TABLE,        /* ICD-10-PCS table (first three characters) */
    KIND_MODIFIER      /* HCPCS Level II modifier */
} CodeKind;

const char *codebook_kind_name(CodeKind k);       /* "subcategory" */

#define CODE_MAX 16          /* normalised code buffer */
#define CODE_TITLE_MAX 512   /* long titles are up to 228 chars (CM), 4,501 (HCPCS, cut) */

/* ---- opening ---- */

/* Opens (creating when missing) codes.db at path. A file that is not a database, or
 * one from a newer CoderPrep, is reported and left untouched (codes.db holds nothing
 * the learner made, so it may be deleted and rebuilt). Opening does not read the whole
 * file: damage inside it shows as an error on the read that meets it. */
int codebook_open(const char *path, Codebook **out, CpError *err);
void codebook_close(Codebook *cb);

/* ---- code strings ---- */

/* Upper-cases and removes dots and surrounding spaces; 0 when the result looks like a
 * code of some system (letters and digits, 3-7 characters, or 2 with a letter for a
 * HCPCS modifier), -1 otherwise. */
int codebook_normalise(const char *in, char out[CODE_MAX]);
/* The code as printed: ICD-10-CM gets its dot after the third character. */
void codebook_display(CodeSystem s, const char *code, char out[CODE_MAX]);
/* Which system a normalised code's shape belongs to (ICD-10-CM and PCS overlap only
 * in theory: PCS codes are 7 characters and start with a digit or one of B C D F G H X
 * followed by a digit or letter; CM codes start with a letter and are 3-7). */
CodeSystem codebook_guess_system(const char *code);

/* ---- versions ---- */

typedef struct CodeVersion {
    int64_t id;
    CodeSystem system;
    char label[16];          /* "FY2026" */
    char source[16];         /* "bundled" or "official" */
    char release[16];        /* finer label where one exists (HCPCS "2025-10") */
    int active;
    int64_t codes;           /* lines of the order file (CM, PCS) or records (HCPCS) */
    int64_t billable;        /* of which billable / valid (HCPCS: not terminated) */
    int64_t headers;         /* of which headers (codes - billable) */
    int64_t index_terms;     /* Alphabetic Index terms (all indexes) */
    int64_t loaded_at;       /* Unix seconds */
    char files[512];         /* what it was loaded from */
} CodeVersion;

/* Fills up to cap versions (system, then newest first); *count = how many exist. */
int codebook_versions(Codebook *cb, CodeVersion *out, int cap, int *count, CpError *err);
/* Makes label (e.g. "FY2026") the active version of system; when several sources share
 * the label, the official release wins over the bundled set. */
int codebook_use(Codebook *cb, CodeSystem system, const char *label, CpError *err);
/* The active version of system; -1 (err) when none is installed. */
int codebook_active(Codebook *cb, CodeSystem system, CodeVersion *out, CpError *err);

/* ---- loading ---- */

/* Called during long loads: what it is doing and a fraction 0..1 of the current file. */
typedef void (*CodebookProgressFn)(void *user, const char *what, double fraction);

typedef struct ImportSummary {
    CodeSystem system;
    char version[16];
    int64_t codes, billable, headers, index_terms;
    double seconds;
} ImportSummary;

/* Imports an official release: the CMS/CDC files as published (ICD-10-CM order file,
 * tabular / index / neoplasm / drug / external-cause XML; ICD-10-PCS order file,
 * tables XML, definitions XML; HCPCS Level II tab-separated text). Each file is
 * recognised by its content; the version comes from the file (XML), its name, or
 * version_override ("FY2026" or "2026"). Files of different versions are refused.
 * Everything is loaded in one transaction and the new versions become active when it
 * commits. Fills up to 3 summaries (one per system). now: Unix seconds. */
int codebook_import(Codebook *cb, const char *const *files, int nfiles, const char *version_override,
                    int64_t now, CodebookProgressFn progress, void *user, ImportSummary *out,
                    int *nout, CpError *err);

/* Builds the bundled teaching dictionary from dir (content/codes) when it is missing
 * or its files changed since it was built (a hash of their bytes); *rebuilt says
 * whether it did. A bad file fails the whole build with FILE:LINE:COL: PATH: message
 * and leaves the previous bundled version in place. */
int codebook_sync_bundled(Codebook *cb, const char *dir, int64_t now, int *rebuilt, CpError *err);

/* ---- lookup ---- */

typedef enum NoteKind {
    NOTE_INCLUDES, NOTE_INCLUSION_TERM, NOTE_EXCLUDES1, NOTE_EXCLUDES2, NOTE_CODE_FIRST,
    NOTE_USE_ADDITIONAL, NOTE_CODE_ALSO, NOTE_NOTES, NOTE_KIND_COUNT
} NoteKind;

const char *codebook_note_key(NoteKind k);        /* "excludes1" */

typedef struct CodeNote {
    NoteKind kind;
    char from[CODE_MAX];     /* the code (or chapter/section id) the note belongs to */
    const char *text;        /* owned by the CodeInfo */
} CodeNote;

typedef struct CodeRef {
    char code[CODE_MAX];     /* normalised */
    char title[CODE_TITLE_MAX];
    int billable;
} CodeRef;

typedef struct SevenChr {
    char chr;
    const char *meaning;     /* owned by the CodeInfo */
} SevenChr;

/* Everything `coderprep code` shows. Free with codebook_info_free. */
typedef struct CodeInfo {
    CodeSystem system;
    char version[16];
    char code[CODE_MAX];           /* normalised */
    CodeKind kind;
    int billable;
    char title[CODE_TITLE_MAX];
    char short_title[CODE_TITLE_MAX];
    char parent[CODE_MAX];         /* "" for a chapter */
    CodeRef *children;             /* direct children, in order */
    int nchildren;
    CodeRef *ancestors;            /* nearest first, up to the chapter */
    int nancestors;
    char chapter[16];              /* chapter number as text, "" when unknown */
    char chapter_title[CODE_TITLE_MAX];
    char section[16];              /* "E08-E13", "" when unknown */
    char section_title[CODE_TITLE_MAX];
    CodeNote *notes;               /* own notes first, then each ancestor's */
    int nnotes;
    SevenChr *seven;               /* 7th characters that apply here (from this code or
                                      an ancestor), empty when none */
    int nseven;
    char seven_from[CODE_MAX];     /* the code that defines them */
    char added[16], effective[16], terminated[16]; /* HCPCS dates, "" when none */
    void *mem;                     /* owned strings */
} CodeInfo;

/* Looks a code up (any spelling codebook_normalise accepts). system SYS_ANY tries the
 * system its shape suggests first. version NULL = active. Returns 0, 1 when there is
 * no such code (err says so), -1 on error. */
int codebook_lookup(Codebook *cb, CodeSystem system, const char *version, const char *code,
                    CodeInfo *out, CpError *err);
void codebook_info_free(CodeInfo *info);

/* Whether code (any spelling) exists in an active version: 1 yes (system and
 * billable filled when not NULL), 0 no. Cheap: one indexed read per system. */
int codebook_exists(Codebook *cb, const char *code, CodeSystem *system, int *billable);

/* The ICD-10-CM chapter (1..22) a code falls in, 0 when none. */
int codebook_cm_chapter(const char *code);

typedef struct CodeBrief {
    CodeSystem system;
    int billable;
    char title[CODE_TITLE_MAX];
} CodeBrief;

/* A code's system, billable flag and title in the active dictionaries; 1 found, 0 not.
 * Answers come from a small cache (cleared when the active versions change), so
 * scoring many answers does not read the database for codes already seen. */
int codebook_brief(Codebook *cb, const char *code, CodeBrief *out);

/* The direct children of code (normalised) in the active version of system, in
 * Tabular order: up to cap into out; *n = how many there are. */
int codebook_children(Codebook *cb, CodeSystem system, const char *code, CodeRef *out, int cap, int *n, CpError *err);

/* ---- search ---- */

typedef enum MatchKind { MATCH_CODE, MATCH_TITLE, MATCH_INCLUSION, MATCH_INDEX } MatchKind;
const char *codebook_match_name(MatchKind m);     /* "code", "title", ... */

typedef struct SearchHit {
    CodeSystem system;
    char code[CODE_MAX];
    char title[CODE_TITLE_MAX];
    int billable;
    MatchKind matched;
    char matched_text[CODE_TITLE_MAX]; /* the title, inclusion term or index path that matched */
    double score;                      /* higher is better */
} SearchHit;

typedef struct SearchOptions {
    CodeSystem system;       /* SYS_ANY = all active versions */
    int billable_only;
    int limit;               /* <= cap */
} SearchOptions;

/* Ranked search: code prefixes ("E11.2" -> that subtree), words in any order, partial
 * last word as the learner types, inclusion and index terms. Fills up to opts->limit
 * hits. */
int codebook_search(Codebook *cb, const char *query, const SearchOptions *opts, SearchHit *hits,
                    int *nhits, CpError *err);

/* ---- validation ---- */

typedef enum Severity { SEV_ERROR, SEV_WARNING, SEV_INFO } Severity;
const char *codebook_severity_name(Severity s);   /* "error" */

typedef struct Finding {
    char code[24];           /* as the learner wrote it (or "" for the whole list) */
    Severity severity;
    char rule[32];           /* "unknown", "header", "seventh", "placeholder", "excludes1", ... */
    char message[768];
} Finding;

typedef enum Setting { SETTING_ANY, SETTING_INPATIENT, SETTING_OUTPATIENT } Setting;

typedef struct ValidateOptions {
    Setting setting;
    int age;                 /* years; -1 unknown */
    char sex;                /* 'F', 'M', or 0 unknown */
    const char *date;        /* date of service YYYY-MM-DD for HCPCS dates; NULL = today */
} ValidateOptions;

/* Checks a list of codes in the order given (the first is the principal or
 * first-listed diagnosis) against the active dictionaries: unknown codes, headers
 * (naming their billable children), missing placeholder X or an invalid 7th character
 * (naming the valid set), Excludes1 conflicts between listed codes (naming the note),
 * manifestation codes listed first or without their etiology, use-additional-code
 * reminders, external-cause codes listed first, duplicates, sex and age conflicts
 * where the classification makes them certain, ICD-10-PCS codes against the tables,
 * HCPCS codes against their dates. Fills up to cap findings; *n = how many. */
int codebook_validate(Codebook *cb, const char *const *codes, int ncodes, const ValidateOptions *opts,
                      Finding *out, int cap, int *n, CpError *err);

/* Whether the ICD-10-CM codes a and b (any spelling) cannot be reported together: an
 * Excludes1 note of either (at its own level or an ancestor's) names the other. 1 with
 * why filled ("E11.22 and E10.9 cannot be reported together: Excludes1 at E11: ..."),
 * 0 when they may. Each code's notes are cached (cleared when the active versions
 * change), so scoring many answers reads the database once per code. */
int codebook_excludes1(Codebook *cb, const char *a, const char *b, char *why, size_t cap);

/* ---- Alphabetic Index ---- */

#define INDEX_MAX_STEPS 24

typedef struct IndexStep {
    char title[256];          /* the term as the Index prints it */
    char nemod[256];          /* nonessential modifiers, "(mellitus) (sugar)" */
    char code[24];            /* code on this line as printed ("E11.9", "S72.0-"), "" none */
    char manif[24];           /* bracketed manifestation code, "" none */
    char see[256];            /* "see" target, "" none */
    char see_also[256];
    int via_see;              /* reached by following the previous step's see */
} IndexStep;

typedef struct IndexWalk {
    IndexStep steps[INDEX_MAX_STEPS];
    int nsteps;
    int found;                /* 1 when the whole path matched */
    char code[24];            /* the code it leads to as printed, "" when none */
    char manif[24];
    int incomplete;           /* the code ends in "-": finish it in the Tabular List */
    char unmatched[256];      /* the part of the path that matched no subterm */
} IndexWalk;

/* Walks the active ICD-10-CM Alphabetic Index as a coder does: "Diabetes, type 2,
 * with, chronic kidney disease" -> main term, subterms, code; follows "see"
 * references; says when the code is incomplete. Matching ignores case and accepts a
 * term by any of its comma-separated names ("myocardium" for "myocardium,
 * myocardial"). Returns 0 (out->found says whether the whole path matched), -1 on
 * error. */
int codebook_index_walk(Codebook *cb, const char *path, IndexWalk *out, CpError *err);

#endif

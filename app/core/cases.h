/* cases.h - practice coding cases: templates, the generator and the scorer.
 *
 * A template (quizzes/cases/ (one JSON file each), format in quizzes/README.md) is loaded once into
 * a CaseLibrary; case_generate turns (template, seed) into a document and its expected
 * codes without touching the dictionary, so generation is fast and deterministic;
 * case_check_template and case_score use the dictionary.
 *
 * Ownership: the library owns every template; a GeneratedCase is a plain value.
 */
#ifndef CASES_H
#define CASES_H

#include <stddef.h>
#include <stdint.h>

#include "codebook.h"
#include "content.h"

typedef struct CaseLibrary CaseLibrary;   /* opaque */
typedef struct CaseTemplate CaseTemplate; /* opaque, owned by the library */

typedef enum CaseSetting { CASE_OFFICE, CASE_EMERGENCY, CASE_INPATIENT, CASE_AMBULATORY_SURGERY } CaseSetting;
const char *case_setting_name(CaseSetting s);   /* "office" */

/* Loads every template below root/quizzes/cases. Problems (FILE:LINE:COL: PATH:
 * message) are appended to problems (may be NULL); a template with a problem is left
 * out. Returns NULL only when memory runs out. */
CaseLibrary *cases_load(const char *root, Content *problems, CpError *err);
void cases_free(CaseLibrary *lib);

int cases_count(const CaseLibrary *lib);
const CaseTemplate *cases_at(const CaseLibrary *lib, int i);
const CaseTemplate *cases_find(const CaseLibrary *lib, const char *id);

const char *case_template_id(const CaseTemplate *t);
const char *case_template_title(const CaseTemplate *t);
const char *case_template_family(const CaseTemplate *t);
const char *case_template_file(const CaseTemplate *t);
CaseSetting case_template_setting(const CaseTemplate *t);
int case_template_ntopics(const CaseTemplate *t);
const char *case_template_topic(const CaseTemplate *t, int i);
/* Chapters (1..22) of the template's principal codes, as a bit set (bit n = chapter n). */
uint32_t case_template_chapters(const CaseTemplate *t);

#define CASE_MAX_CODES 24
#define CASE_MAX_SECTIONS 12
#define CASE_MAX_SLOTS 24
#define CASE_TEXT_MAX 4096

typedef enum CaseRole { ROLE_PRINCIPAL, ROLE_DIAGNOSIS, ROLE_PROCEDURE } CaseRole;

typedef struct CaseCode {
    char code[CODE_MAX];          /* normalised (no dot) */
    CaseRole role;
    const char *rationale;        /* owned by the template */
} CaseCode;

typedef struct CaseSection {
    const char *title;            /* owned by the template */
    char text[CASE_TEXT_MAX];
} CaseSection;

typedef struct CaseSlotValue {
    const char *slot;             /* slot id (owned by the template) */
    char value[32];               /* the chosen value, or the number for a range */
} CaseSlotValue;

typedef struct GeneratedCase {
    const CaseTemplate *tmpl;
    uint64_t seed;
    CaseSection sections[CASE_MAX_SECTIONS];
    int nsections;
    CaseCode codes[CASE_MAX_CODES];   /* principal first, then diagnoses, then procedures */
    int ncodes;
    CaseSlotValue values[CASE_MAX_SLOTS];
    int nvalues;
} GeneratedCase;

/* Generates the case for (t, seed). Returns 0, or -1 with err when the slots cannot be
 * filled (a `when` leaves no choice) or a text overflows. */
int case_generate(const CaseTemplate *t, uint64_t seed, GeneratedCase *out, CpError *err);

#define CASE_CHECK_SEEDS 200  /* seeds `coderprep check` generates per template */
#define CASE_MIN_KEYS 20      /* different answer keys a template must be able to produce */

/* A case code as printed (with the dot for ICD-10-CM): diagnoses are ICD-10-CM. */
void case_code_display(const CaseCode *c, char out[CODE_MAX]);

/* The value generation chose for slot (range number or choice value), NULL if none. */
const char *case_value(const GeneratedCase *c, const char *slot);

/* Generates nseeds cases (seeds 1..nseeds) and checks each against the active
 * dictionary: every expected code exists and is billable (valid for PCS / HCPCS), and
 * the validator finds no error. Each cause of failure (an impossible combination, a
 * code, a validator finding) is appended to problems once, with the template's file,
 * line and path, the first seed and its slot values; fewer than CASE_MIN_KEYS answer
 * keys in CASE_CHECK_SEEDS or more seeds is a problem too. *keys receives how many
 * different answer keys the seeds produced. Returns the number of failing seeds, -1
 * on error. */
int case_check_template(const CaseTemplate *t, Codebook *cb, int nseeds, Content *problems, int *keys, CpError *err);

/* ---- practice modes ---- */

typedef enum CaseMode {
    CASE_MODE_QUICK,     /* one condition family (filter: the family) */
    CASE_MODE_FULL,      /* a full encounter: several diagnoses (and procedures) */
    CASE_MODE_RECORD,    /* CCS-style record: principal, then additional codes */
    CASE_MODE_CHAPTER,   /* filter: ICD-10-CM chapter number ("19") */
    CASE_MODE_TOPIC,     /* filter: a topic ("fracture") */
    CASE_MODE_WEAK,      /* drawn from the families the learner scores lowest in */
    CASE_MODE_COUNT
} CaseMode;
const char *case_mode_name(CaseMode m);           /* "quick" */
int case_mode_parse(const char *s, CaseMode *out);

/* One past attempt, for the weak-areas mix. */
typedef struct CaseResult {
    const char *template_id;
    double score;                 /* 0..1 */
} CaseResult;

#define CASE_FULL_MIN_CODES 4     /* a full encounter or record case has at least this many codes */

/* Picks a template and a case seed for mode from seed (the caller's randomness):
 * quick / chapter / topic keep to filter; full and record draw seeds until the case has
 * CASE_FULL_MIN_CODES codes; weak weighs each family by how far below 100% the
 * learner's average is (families never tried count as 50%), then avoids the template
 * just done. Returns 0, or -1 when no template matches. */
int cases_pick(const CaseLibrary *lib, CaseMode mode, const char *filter, const CaseResult *history, int nhistory,
               uint64_t seed, const CaseTemplate **out, uint64_t *case_seed);

/* ---- scoring ---- */

typedef enum Verdict {
    VERDICT_CORRECT, VERDICT_MISSING, VERDICT_EXTRA, VERDICT_INVALID, VERDICT_HEADER, VERDICT_SPECIFICITY,
    VERDICT_SEVENTH, VERDICT_LATERALITY, VERDICT_SEQUENCE, VERDICT_EXCLUDES1
} Verdict;
const char *case_verdict_name(Verdict v);         /* "correct", "missing", ... */

typedef struct CodeVerdict {
    char code[24];                /* as shown (with dot for ICD-10-CM) */
    Verdict verdict;
    char expected[24];            /* the expected code it stands for (itself, or the one a near
                                     miss or "missing" is about); "" for an extra or invalid code */
    char message[768];
} CodeVerdict;

#define CASE_MAX_ANSWER 100   /* codes scored per answer; more are reported, not scored */
#define CASE_MAX_VERDICTS (CASE_MAX_ANSWER + CASE_MAX_CODES + 1)

typedef struct CaseScore {
    double score;                 /* correct / max(entered, expected), 0..1 */
    int correct, entered, expected;  /* entered counts every code given, duplicates too */
    int max;                      /* max(entered, expected): the points available */
    CodeVerdict verdicts[CASE_MAX_VERDICTS];
    int nverdicts;
} CaseScore;

/* Scores an answer: diagnoses[0] is the learner's principal / first-listed code; the
 * order of the other diagnoses and of the procedures does not count. Codes are matched
 * wherever they were entered (a HCPCS code among the diagnoses still counts). The
 * principal earns its point only in first place (verdict "sequence" otherwise). Near
 * misses are paired with the expected code they miss: seventh, laterality,
 * specificity (same category, table or HCPCS group). Up to CASE_MAX_ANSWER codes are
 * scored; the rest get one "extra" verdict. Every code gets a
 * verdict with a message naming the titles and the note or guideline involved. */
int case_score(Codebook *cb, const GeneratedCase *c, const char *const *diagnoses, int ndx,
               const char *const *procedures, int npx, CaseScore *out, CpError *err);

/* The verdicts as a cJSON array [{"code","verdict","expected","message"}] ("expected"
 * only when there is one) (the form `coderprep
 * score` prints and progress.db keeps); the caller owns it (cJSON_Delete). NULL when
 * memory runs out. */
struct cJSON;
struct cJSON *case_verdicts_json(const CaseScore *s);
/* Reads such an array back into s (verdicts only; the counters are the caller's). */
void case_verdicts_from_json(const struct cJSON *arr, CaseScore *s);

#endif

/* content.h - lessons and quizzes loaded from a content root, and every problem
 * found in them.
 *
 * Ownership: content_load returns a Content that owns everything reachable from it
 * (one arena); content_free releases it all. Pointers into it stay valid until then.
 *
 * Order: lessons by track, then so that each comes after the lessons it requires
 * (file name order otherwise); quizzes by track, then file name.
 *
 * Robustness: a file with a problem is left out and its problems recorded; every
 * other file still loads. content_load itself fails only when the content root is
 * not a folder at all.
 */
#ifndef CONTENT_H
#define CONTENT_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "cp_error.h"

typedef enum Track {
    TRACK_ANATOMY,
    TRACK_TERMINOLOGY,
    TRACK_DIAGNOSIS_CODING,
    TRACK_PROCEDURE_CODING,
    TRACK_BILLING,
    TRACK_COMPLIANCE,
    TRACK_CANCER_REGISTRY,
    TRACK_CAREER,
    TRACK_COUNT
} Track;

const char *content_track_slug(Track t);   /* "diagnosis-coding" */
const char *content_track_title(Track t);  /* "Diagnosis coding" */
int content_track_from_slug(const char *slug, Track *out); /* 0 when known */

typedef struct Objective {
    const char *id;
    const char *text;
    const char **domains;   /* exam-domain tags, "CPC:medical-terminology" */
    int ndomains;
} Objective;

typedef enum BlockType {
    BLOCK_HEADING,
    BLOCK_PARAGRAPH,
    BLOCK_LIST,
    BLOCK_TABLE,
    BLOCK_IMAGE,
    BLOCK_CALLOUT,
    BLOCK_DEFINITION,
    BLOCK_EXAMPLE
} BlockType;

typedef enum CalloutKind { CALLOUT_TIP, CALLOUT_WARNING, CALLOUT_GUIDELINE } CalloutKind;

typedef struct ImageLabel {
    float x, y;          /* in the image's own coordinates */
    const char *text;
} ImageLabel;

typedef struct Block {
    BlockType type;
    int level;               /* heading: 2 or 3 */
    int numbered;            /* list: 1 numbered, 0 bullet */
    CalloutKind callout;     /* callout kind */
    const char *text;        /* heading, paragraph, callout text; definition meaning */
    const char *term;        /* definition term; example question */
    const char *section;     /* callout: guideline section, may be NULL */
    const char *answer;      /* example answer */
    const char **items;      /* list items; example steps; table cells row-major */
    int nitems;
    const char **columns;    /* table header */
    int ncolumns;
    int nrows;               /* table rows (cells = nrows * ncolumns in items) */
    const char *src;         /* image asset path, relative to the content root */
    const char *alt;
    const char *caption;
    float img_w, img_h;      /* image size in its own coordinates */
    ImageLabel *labels;
    int nlabels;
} Block;

typedef struct Lesson {
    const char *id;
    const char *title;
    const char *summary;
    Track track;
    int minutes;
    Objective *objectives;
    int nobjectives;
    const char **prerequisites;
    int nprerequisites;
    Block *blocks;
    int nblocks;
    const char *file;        /* path relative to the content root */
} Lesson;

typedef enum ItemType {
    ITEM_SINGLE_CHOICE,
    ITEM_MULTIPLE_RESPONSE,
    ITEM_TRUE_FALSE,
    ITEM_FILL_IN,
    ITEM_CODE_ENTRY,
    ITEM_MATCHING,
    ITEM_ORDERING,
    ITEM_IMAGE_HOTSPOT,
    ITEM_TYPE_COUNT
} ItemType;

const char *content_item_type_name(ItemType t); /* "single-choice" */

typedef enum Difficulty { DIFFICULTY_EASY, DIFFICULTY_MEDIUM, DIFFICULTY_HARD } Difficulty;

#define ITEM_MAX_OPTIONS 8
#define REGION_MAX_POINTS 32

typedef struct Option {
    const char *text;
    const char *why;     /* why this option is right or wrong */
} Option;

typedef struct Pair {
    const char *left;
    const char *right;
} Pair;

typedef struct Region {
    const char *id;
    const char *label;
    int is_circle;                   /* 1 circle, 0 polygon */
    float cx, cy, r;                 /* circle */
    float px[REGION_MAX_POINTS];     /* polygon points */
    float py[REGION_MAX_POINTS];
    int npoints;
} Region;

typedef struct Item {
    const char *id;
    ItemType type;
    const char *stem;
    const char *rationale;
    Difficulty difficulty;
    const char **objectives;
    int nobjectives;
    Option *options;         /* choice items */
    int noptions;
    int answer;              /* single-choice index; true-false 1/0; hotspot region index */
    unsigned answers_mask;   /* multiple-response: bit i set when option i is correct */
    const char **accepted;   /* fill-in accepted answers; code-entry expected codes */
    int naccepted;
    int ordered;             /* code-entry: first code must come first */
    Pair *pairs;             /* matching */
    int npairs;
    const char **sequence;   /* ordering, in the right order */
    int nsequence;
    const char *image;       /* hotspot image asset path */
    float img_w, img_h;
    Region *regions;
    int nregions;
} Item;

typedef struct Quiz {
    const char *id;
    const char *title;
    Track track;
    const char **domains;
    int ndomains;
    const char **lessons;
    int nlessons;
    Item *items;
    int nitems;
    const char *file;        /* path relative to the content root */
    char version[17];        /* FNV-1a 64 of the file bytes, hex */
} Quiz;

typedef struct Problem {
    const char *file;        /* path relative to the content root */
    int line, col;           /* 1-based; 0 when the problem is about the whole file */
    const char *path;        /* JSON path, "$" for the file itself */
    const char *message;
} Problem;

typedef struct Content {
    Arena arena;             /* owns everything below */
    const char *root;        /* the content root folder */
    Lesson *lessons;         /* by track, prerequisites first (see above) */
    int nlessons;
    Quiz *quizzes;           /* sorted by track, then file name */
    int nquizzes;
    Problem *problems;       /* in file order */
    int nproblems;
    int files_read;          /* JSON files examined */
} Content;

/* Loads every lesson and quiz below root. Returns NULL (err filled) only when root
 * is not a readable folder or memory runs out; content problems are in ->problems. */
Content *content_load(const char *root, CpError *err);
void content_free(Content *c);

const Lesson *content_find_lesson(const Content *c, const char *id);
const Quiz *content_find_quiz(const Content *c, const char *id);

/* Adds a problem found after loading (such as a code the dictionary lacks). */
int content_add_problem(Content *c, const char *file, int line, int col, const char *path, const char *message);

/* Formats problem p as "FILE:LINE:COL: PATH: message" into out. */
void content_format_problem(const Problem *p, char *out, size_t cap);

/* Calls fn for every code the loaded content names: [[CODE]] references in any
 * text and the expected codes of code-entry items (so tests can check them all
 * against the official release files). */
typedef void (*ContentCodeFn)(void *user, const char *code, size_t len, const char *file);
void content_each_code(const Content *c, ContentCodeFn fn, void *user);

/* Size of an SVG (width/height or viewBox) or PNG file's image; 0 on success. */
int content_image_size(const char *path, float *w, float *h, CpError *err);

#endif

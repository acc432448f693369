/* quiz.h - answering and grading quiz items (no UI, no clock).
 *
 * The UI fills a QuizAnswer as the learner works; quiz_grade decides. The same
 * functions serve the GUI, `coderprep play` and the tests, so a verdict never
 * depends on which front end asked.
 */
#ifndef QUIZ_H
#define QUIZ_H

#include <stddef.h>
#include <stdint.h>

#include "content.h"

#define QUIZ_TEXT_MAX 256
#define QUIZ_CODES_MAX 25

typedef struct QuizAnswer {
    int choice;                      /* single-choice option; true-false 1/0; -1 = none */
    unsigned mask;                   /* multiple-response: bit i = option i ticked */
    char text[QUIZ_TEXT_MAX];        /* fill-in text; code-entry codes, comma-separated */
    int match[ITEM_MAX_OPTIONS];     /* matching: right index chosen for left i; -1 none */
    int order[ITEM_MAX_OPTIONS];     /* ordering: learner's sequence as step indexes */
    float x, y;                      /* hotspot click, image coordinates */
    int region;                      /* hotspot: region the click hit, -1 none */
    int clicked;                     /* hotspot: 1 once a click was made */
} QuizAnswer;

/* Clears a and starts order as perm (ITEM_MAX_OPTIONS entries, or NULL = identity). */
void quiz_answer_init(QuizAnswer *a, const Item *it, const int *perm);

/* 1 when the learner has given enough to be graded (something chosen, typed,
 * every left matched, a click made). */
int quiz_answer_is_complete(const Item *it, const QuizAnswer *a);

/* 1 when a is right. */
int quiz_grade(const Item *it, const QuizAnswer *a);

/* The learner's answer as compact JSON for the progress store, e.g. {"choice":2}.
 * A text answer needs up to 6 bytes a character escaped: cap >= 6 * QUIZ_TEXT_MAX + 64
 * never truncates. */
void quiz_answer_describe(const Item *it, const QuizAnswer *a, char *out, size_t cap);

/* Lower-case, trims surrounding spaces and punctuation, folds runs of spaces. */
void quiz_normalise_text(const char *in, char *out, size_t cap);

/* Splits free text into codes (separators: comma, semicolon, space, newline),
 * upper-cased with dots removed. Returns the count (at most max). */
int quiz_split_codes(const char *text, char codes[][16], int max);

/* Index of the first region of a hotspot item containing (x, y), or -1. */
int quiz_region_at(const Item *it, float x, float y);

/* A deterministic permutation of 0..n-1 for presenting options, from seed. Never the
 * identity when n > 1, so the answer order is never given away. */
void quiz_shuffle(int *perm, int n, uint64_t seed);

#endif

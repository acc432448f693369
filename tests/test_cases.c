/* test_cases.c - practice cases: loading templates, generating, checking, scoring.
 *
 * Fixtures: tests/fixtures/cases/good (one template written for these tests) and
 * tests/fixtures/cases/bad (one file per kind of problem). The dictionary is the
 * bundled one (content/codes), built into a mkdtemp folder once for the group.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "cases.h"
#include "codebook.h"
#include "content.h"
#include "testutil.h"

#define GOOD FIXTURES_DIR "/cases/good"
#define BAD FIXTURES_DIR "/cases/bad"
#define NOW ((int64_t)1764547200)

typedef struct Ctx {
    char dir[64];
    Codebook *cb;
    CaseLibrary *lib;
    const CaseTemplate *colles;
} Ctx;

static int group_setup(void **state)
{
    Ctx *c = calloc(1, sizeof *c);
    if (!c) return -1;
    snprintf(c->dir, sizeof c->dir, "/tmp/cp_cases_XXXXXX");
    if (!mkdtemp(c->dir)) return -1;
    char db[128];
    snprintf(db, sizeof db, "%s/codes.db", c->dir);
    CpError err = {{0}};
    int rebuilt = 0;
    if (codebook_open(db, &c->cb, &err) != 0 || codebook_sync_bundled(c->cb, SOURCE_DIR "/content/codes", NOW, &rebuilt, &err) != 0) {
        print_error("dictionary: %s\n", err.msg);
        return -1;
    }
    c->lib = cases_load(GOOD, NULL, &err);
    if (!c->lib) return -1;
    c->colles = cases_find(c->lib, "case-colles");
    *state = c;
    return 0;
}

static int group_teardown(void **state)
{
    Ctx *c = *state;
    if (!c) return 0;
    cases_free(c->lib);
    codebook_close(c->cb);
    testutil_remove_tree(c->dir);
    free(c);
    return 0;
}

static int count_with(const Content *p, const char *file, const char *path, const char *words)
{
    int n = 0;
    for (int i = 0; i < p->nproblems; i++)
        if (strstr(p->problems[i].file, file) && !strcmp(p->problems[i].path, path) && strstr(p->problems[i].message, words) &&
            p->problems[i].line > 0)
            n++;
    return n;
}

static Content *empty_problems(void)
{
    CpError err;
    /* a content root with no lessons gives an empty Content to collect problems in */
    return content_load(GOOD, &err);
}

/* ---- loading ---- */

static void a_good_template_loads_with_its_fields(void **state)
{
    Ctx *c = *state;
    Content *p = empty_problems();
    CpError err;
    CaseLibrary *lib = cases_load(GOOD, p, &err);
    assert_non_null(lib);
    assert_int_equal(p->nproblems, 0);
    assert_int_equal(cases_count(lib), 1);
    const CaseTemplate *t = cases_at(lib, 0);
    assert_string_equal(case_template_id(t), "case-colles");
    assert_string_equal(case_template_family(t), "fracture");
    assert_int_equal(case_template_setting(t), CASE_OFFICE);
    assert_string_equal(case_template_file(t), "quizzes/cases/case-colles.json");
    assert_int_equal(case_template_chapters(t), 1u << 19);
    assert_int_equal(case_template_ntopics(t), 2);
    assert_non_null(c->colles);
    cases_free(lib);
    content_free(p);
}

static void each_broken_template_is_reported_at_its_line_and_left_out(void **state)
{
    (void)state;
    Content *p = empty_problems();
    CpError err;
    CaseLibrary *lib = cases_load(BAD, p, &err);
    assert_non_null(lib);
    assert_int_equal(count_with(p, "broken.json", "$", "invalid JSON"), 1);
    assert_int_equal(count_with(p, "unknown-slot.json", "$.principal", "names slot \"stag\""), 1);
    assert_int_equal(count_with(p, "unknown-slot.json", "$.document[0].text[0]", "names slot \"age\""), 1);
    assert_int_equal(count_with(p, "cycle.json", "$.slots[0].choices[0].when.b", "can never form a cycle"), 1);
    /* the impossible and unknown-code templates are well formed: check finds them */
    assert_int_equal(cases_count(lib), 2);
    assert_null(cases_find(lib, "case-cycle"));
    cases_free(lib);
    content_free(p);
}

static void check_names_the_impossible_combination_and_the_unknown_code(void **state)
{
    Ctx *c = *state;
    Content *p = empty_problems();
    CpError err;
    CaseLibrary *lib = cases_load(BAD, NULL, &err);
    int keys = 0;
    assert_true(case_check_template(cases_find(lib, "case-impossible"), c->cb, CASE_CHECK_SEEDS, p, &keys, &err) > 0);
    assert_int_equal(count_with(p, "impossible.json", "$.slots[1]", "no choice of slot \"weeks\" is allowed when sex=M"), 1);
    assert_int_equal(count_with(p, "impossible.json", "$.slots", "only 1 different answer keys"), 1);
    assert_true(case_check_template(cases_find(lib, "case-unknown-code"), c->cb, CASE_CHECK_SEEDS, p, &keys, &err) > 0);
    assert_int_equal(count_with(p, "unknown-code.json", "$.slots[0].choices[1].codes[0]", "E11.99 is not in the active dictionary"), 1);
    assert_int_equal(keys, 2);
    cases_free(lib);
    content_free(p);
}

/* ---- generation ---- */

static void the_same_seed_gives_the_same_case(void **state)
{
    Ctx *c = *state;
    GeneratedCase *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    CpError err;
    for (uint64_t s = 1; s < 50; s++) {
        assert_int_equal(case_generate(c->colles, s, a, &err), 0);
        assert_int_equal(case_generate(c->colles, s, b, &err), 0);
        assert_int_equal(a->ncodes, b->ncodes);
        for (int i = 0; i < a->ncodes; i++) assert_string_equal(a->codes[i].code, b->codes[i].code);
        for (int i = 0; i < a->nsections; i++) assert_string_equal(a->sections[i].text, b->sections[i].text);
    }
    free(a);
    free(b);
}

static void seeds_vary_the_facts_and_the_wording(void **state)
{
    Ctx *c = *state;
    GeneratedCase *g = malloc(sizeof *g);
    CpError err;
    int left = 0, subsequent = 0, variant2 = 0;
    for (uint64_t s = 1; s <= 200; s++) {
        assert_int_equal(case_generate(c->colles, s, g, &err), 0);
        left += !strcmp(g->codes[0].code, "S52532A");
        subsequent += !strcmp(g->codes[0].code, "S52531D");
        variant2 += strncmp(g->sections[1].text, "Pt is a", 7) == 0;
        /* a placeholder never survives into the text */
        for (int i = 0; i < g->nsections; i++) assert_null(strchr(g->sections[i].text, '{'));
    }
    assert_true(left > 20 && subsequent > 10 && variant2 > 20 && variant2 < 180);
    free(g);
}

static void when_conditions_and_patterns_hold_for_every_seed(void **state)
{
    Ctx *c = *state;
    GeneratedCase *g = malloc(sizeof *g);
    CpError err;
    for (uint64_t s = 1; s <= 1000; s++) {
        assert_int_equal(case_generate(c->colles, s, g, &err), 0);
        const char *side = case_value(g, "side"), *enc = case_value(g, "encounter"), *dm = case_value(g, "dm");
        char want[16];
        snprintf(want, sizeof want, "S5253%s%s", side, enc);
        assert_string_equal(g->codes[0].code, want);
        assert_int_equal(g->codes[0].role, ROLE_PRINCIPAL);
        if (!strcmp(enc, "D")) assert_string_equal(side, "1");
        if (!strcmp(case_value(g, "insulin"), "yes")) assert_string_not_equal(dm, "none");
        int age = atoi(case_value(g, "age"));
        assert_true(age >= 55 && age <= 80);
    }
    free(g);
}

static void the_good_template_passes_check_with_enough_answer_keys(void **state)
{
    Ctx *c = *state;
    Content *p = empty_problems();
    CpError err;
    int keys = 0;
    assert_int_equal(case_check_template(c->colles, c->cb, CASE_CHECK_SEEDS, p, &keys, &err), 0);
    assert_int_equal(p->nproblems, 0);
    assert_true(keys >= CASE_MIN_KEYS);
    content_free(p);
}

/* ---- modes ---- */

static void each_mode_picks_only_what_its_filter_allows(void **state)
{
    Ctx *c = *state;
    const CaseTemplate *t = NULL;
    uint64_t seed = 0;
    assert_int_equal(cases_pick(c->lib, CASE_MODE_QUICK, "fracture", NULL, 0, 42, &t, &seed), 0);
    assert_ptr_equal(t, c->colles);
    assert_true(seed > 0);
    assert_int_equal(cases_pick(c->lib, CASE_MODE_QUICK, "sepsis", NULL, 0, 42, &t, &seed), -1);
    assert_int_equal(cases_pick(c->lib, CASE_MODE_CHAPTER, "19", NULL, 0, 42, &t, &seed), 0);
    assert_int_equal(cases_pick(c->lib, CASE_MODE_CHAPTER, "4", NULL, 0, 42, &t, &seed), -1);
    assert_int_equal(cases_pick(c->lib, CASE_MODE_TOPIC, "injury", NULL, 0, 42, &t, &seed), 0);
    assert_int_equal(cases_pick(c->lib, CASE_MODE_TOPIC, "burns", NULL, 0, 42, &t, &seed), -1);
    CaseResult history[] = {{"case-colles", 0.2}, {"case-colles", 0.4}};
    assert_int_equal(cases_pick(c->lib, CASE_MODE_WEAK, NULL, history, 2, 7, &t, &seed), 0);
    assert_ptr_equal(t, c->colles);
    /* the same randomness picks the same case */
    uint64_t again = 0;
    assert_int_equal(cases_pick(c->lib, CASE_MODE_WEAK, NULL, history, 2, 7, &t, &again), 0);
    assert_true(again == seed);
}

static void a_full_encounter_has_several_codes(void **state)
{
    Ctx *c = *state;
    GeneratedCase *g = malloc(sizeof *g);
    CpError err;
    for (uint64_t r = 1; r <= 20; r++) {
        const CaseTemplate *t = NULL;
        uint64_t seed = 0;
        assert_int_equal(cases_pick(c->lib, CASE_MODE_FULL, NULL, NULL, 0, r, &t, &seed), 0);
        assert_int_equal(case_generate(t, seed, g, &err), 0);
        assert_true(g->ncodes >= CASE_FULL_MIN_CODES);
    }
    free(g);
}

/* ---- scoring ---- */

typedef struct Answer {
    GeneratedCase g;
    CaseScore s;
} Answer;

/* Scores dx (comma-separated) against the colles case for seed; returns the verdict of code. */
static Answer *score(Ctx *c, uint64_t seed, const char *dx)
{
    Answer *a = malloc(sizeof *a);
    CpError err;
    assert_int_equal(case_generate(c->colles, seed, &a->g, &err), 0);
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", dx);
    const char *list[128];
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t && n < 128; t = strtok_r(NULL, ",", &save)) list[n++] = t;
    if (!dx[0]) list[n++] = "";
    assert_int_equal(case_score(c->cb, &a->g, list, n, NULL, 0, &a->s, &err), 0);
    return a;
}

static int verdict_of(const Answer *a, const char *code, Verdict v)
{
    for (int i = 0; i < a->s.nverdicts; i++)
        if (!strcmp(a->s.verdicts[i].code, code) && a->s.verdicts[i].verdict == v) return 1;
    return 0;
}

/* seed 3: S52.531A, W11.XXXA, E11.22, N18.31, Z79.4 (see the fixture) */
static void the_expected_answer_scores_full_marks_in_any_secondary_order(void **state)
{
    Answer *a = score(*state, 3, "S52.531A,Z79.4,N18.31,W11.XXXA,e1122");
    assert_int_equal(a->s.correct, 5);
    assert_int_equal(a->s.max, 5);
    assert_true(a->s.score == 1.0);
    assert_true(verdict_of(a, "E11.22", VERDICT_CORRECT));
    free(a);
}

static void a_wrong_principal_costs_one_point_and_says_sequence(void **state)
{
    Answer *a = score(*state, 3, "E11.22,S52.531A,W11.XXXA,N18.31,Z79.4");
    assert_int_equal(a->s.correct, 4);
    assert_true(verdict_of(a, "S52.531A", VERDICT_SEQUENCE));
    assert_true(verdict_of(a, "E11.22", VERDICT_CORRECT));
    free(a);
}

static void near_misses_get_seventh_laterality_and_specificity(void **state)
{
    Answer *a = score(*state, 3, "S52.531D,W11.XXXA,E11.21,N18.31,Z79.4");
    assert_true(verdict_of(a, "S52.531D", VERDICT_SEVENTH));
    assert_true(verdict_of(a, "E11.21", VERDICT_SPECIFICITY));
    assert_int_equal(a->s.correct, 3);
    for (int i = 0; i < a->s.nverdicts; i++) assert_int_not_equal(a->s.verdicts[i].verdict, VERDICT_MISSING);
    assert_non_null(strstr(a->s.verdicts[0].message, "initial encounter"));
    assert_string_equal(a->s.verdicts[0].expected, "S52.531A"); /* paired with the code it misses */
    free(a);
    /* S52.531S is a real code the teaching dictionary lacks: still a 7th-character miss */
    a = score(*state, 3, "S52.531S,W11.XXXA,E11.22,N18.31,Z79.4");
    assert_true(verdict_of(a, "S52.531S", VERDICT_SEVENTH));
    assert_false(verdict_of(a, "S52.531A", VERDICT_MISSING));
    free(a);
    a = score(*state, 3, "S52.532A,W11.XXXA,E11.22,N18.31,Z79.4");
    assert_true(verdict_of(a, "S52.532A", VERDICT_LATERALITY));
    assert_non_null(strstr(a->s.verdicts[0].message, "right radius"));
    free(a);
}

static void headers_unknown_codes_garbage_and_duplicates_get_clear_verdicts(void **state)
{
    Answer *a = score(*state, 3, "S52.5,S52.531A,Q99.999,!!,Z79.4,Z79.4");
    assert_true(verdict_of(a, "S52.5", VERDICT_HEADER));
    assert_true(verdict_of(a, "!!", VERDICT_INVALID));
    assert_true(verdict_of(a, "Q99.999", VERDICT_INVALID));
    assert_true(verdict_of(a, "Z79.4", VERDICT_EXTRA));
    assert_true(verdict_of(a, "W11.XXXA", VERDICT_MISSING));
    assert_int_equal(a->s.entered, 6);
    assert_int_equal(a->s.max, 6);
    assert_int_equal(a->s.correct, 1); /* S52.531A is not first: sequence; Z79.4 once */
    free(a);
}

static void an_excludes1_conflict_in_the_answer_is_named(void **state)
{
    Answer *a = score(*state, 3, "S52.531A,W11.XXXA,E11.22,N18.31,Z79.4,E10.9");
    assert_true(verdict_of(a, "E10.9", VERDICT_EXCLUDES1));
    for (int i = 0; i < a->s.nverdicts; i++)
        if (!strcmp(a->s.verdicts[i].code, "E10.9"))
            assert_non_null(strstr(a->s.verdicts[i].message, "E11.22 cannot be reported together: Excludes1 at E10"));
    assert_int_equal(a->s.correct, 5);
    assert_int_equal(a->s.max, 6);
    free(a);
}

static void verdicts_survive_a_trip_through_json(void **state)
{
    Answer *a = score(*state, 3, "S52.531D,W11.XXXA,garbage,Z79.4");
    cJSON *arr = case_verdicts_json(&a->s);
    CaseScore *back = malloc(sizeof *back);
    case_verdicts_from_json(arr, back);
    assert_int_equal(back->nverdicts, a->s.nverdicts);
    for (int i = 0; i < back->nverdicts; i++) {
        assert_string_equal(back->verdicts[i].code, a->s.verdicts[i].code);
        assert_int_equal(back->verdicts[i].verdict, a->s.verdicts[i].verdict);
        assert_string_equal(back->verdicts[i].expected, a->s.verdicts[i].expected);
        assert_string_equal(back->verdicts[i].message, a->s.verdicts[i].message);
    }
    cJSON_Delete(arr);
    free(back);
    free(a);
}

static void an_empty_answer_and_a_very_long_one_are_scored(void **state)
{
    Answer *a = score(*state, 3, "");
    assert_int_equal(a->s.correct, 0);
    assert_int_equal(a->s.entered, 0);
    assert_int_equal(a->s.max, 5);
    assert_int_equal(a->s.nverdicts, 5);
    free(a);
    char many[4096] = "S52.531A";
    for (int i = 0; i < 120; i++) strcat(many, ",Z79.4");
    a = score(*state, 3, many);
    assert_int_equal(a->s.entered, 121);
    assert_int_equal(a->s.max, 121);
    assert_int_equal(a->s.correct, 2);
    assert_true(a->s.nverdicts <= CASE_MAX_VERDICTS);
    assert_true(verdict_of(a, "", VERDICT_EXTRA)); /* "21 more codes were given" */
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_good_template_loads_with_its_fields),
        cmocka_unit_test(each_broken_template_is_reported_at_its_line_and_left_out),
        cmocka_unit_test(check_names_the_impossible_combination_and_the_unknown_code),
        cmocka_unit_test(the_same_seed_gives_the_same_case),
        cmocka_unit_test(seeds_vary_the_facts_and_the_wording),
        cmocka_unit_test(when_conditions_and_patterns_hold_for_every_seed),
        cmocka_unit_test(the_good_template_passes_check_with_enough_answer_keys),
        cmocka_unit_test(each_mode_picks_only_what_its_filter_allows),
        cmocka_unit_test(a_full_encounter_has_several_codes),
        cmocka_unit_test(the_expected_answer_scores_full_marks_in_any_secondary_order),
        cmocka_unit_test(a_wrong_principal_costs_one_point_and_says_sequence),
        cmocka_unit_test(near_misses_get_seventh_laterality_and_specificity),
        cmocka_unit_test(headers_unknown_codes_garbage_and_duplicates_get_clear_verdicts),
        cmocka_unit_test(an_excludes1_conflict_in_the_answer_is_named),
        cmocka_unit_test(verdicts_survive_a_trip_through_json),
        cmocka_unit_test(an_empty_answer_and_a_very_long_one_are_scored),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

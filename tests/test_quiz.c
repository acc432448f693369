/* test_quiz.c - cmocka tests for app/core/quiz.c: grading every item type,
 * completeness, answer descriptions, code splitting, hotspots and shuffling.
 *
 * Items are built by hand; no content files are read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "quiz.h"

/* ---- items ---- */

static Option options4[4] = {
    {"Type 1", NULL}, {"Type 2", NULL}, {"Gestational", NULL}, {"Secondary", NULL}};
static Option options_tf[2] = {{"False", NULL}, {"True", NULL}};
static Pair pairs3[3] = {{"E11.9", "Type 2 diabetes"}, {"I10", "Hypertension"}, {"J45.909", "Asthma"}};
static const char *sequence4[4] = {"Read the note", "Find the term", "Check the tabular", "Assign"};
static const char *fill_accepted[2] = {"Type 2 diabetes mellitus", "T2DM"};
static const char *codes3[3] = {"E11.65", "E78.5", "I10"};

/* A circle "liver" at (100, 100) r 20, and a concave U-shaped "stomach":
 *
 *   (200,200)+--------------+(260,200)
 *            |              |
 *   (200,220)|   +------+   |
 *            |   |notch |   |
 *   (200,260)+---+      +---+(260,260)
 */
static Region regions2[2] = {
    {.id = "liver", .label = "Liver", .is_circle = 1, .cx = 100, .cy = 100, .r = 20},
    {.id = "stomach",
     .label = "Stomach",
     .px = {200, 260, 260, 240, 240, 220, 220, 200},
     .py = {200, 200, 260, 260, 220, 220, 260, 260},
     .npoints = 8},
};

static Item make(ItemType type)
{
    Item it;
    memset(&it, 0, sizeof it);
    it.id = "item";
    it.type = type;
    it.stem = "Question?";
    switch (type) {
    case ITEM_SINGLE_CHOICE:
        it.options = options4;
        it.noptions = 4;
        it.answer = 1;
        break;
    case ITEM_MULTIPLE_RESPONSE:
        it.options = options4;
        it.noptions = 4;
        it.answers_mask = (1u << 0) | (1u << 2);
        break;
    case ITEM_TRUE_FALSE:
        it.options = options_tf;
        it.noptions = 2;
        it.answer = 0; /* false */
        break;
    case ITEM_FILL_IN:
        it.accepted = fill_accepted;
        it.naccepted = 2;
        break;
    case ITEM_CODE_ENTRY:
        it.accepted = codes3;
        it.naccepted = 3;
        break;
    case ITEM_MATCHING:
        it.pairs = pairs3;
        it.npairs = 3;
        break;
    case ITEM_ORDERING:
        it.sequence = sequence4;
        it.nsequence = 4;
        break;
    case ITEM_IMAGE_HOTSPOT:
        it.image = "assets/abdomen.svg";
        it.img_w = 300;
        it.img_h = 300;
        it.regions = regions2;
        it.nregions = 2;
        it.answer = 1; /* stomach */
        break;
    default: break;
    }
    return it;
}

static QuizAnswer fresh(const Item *it)
{
    QuizAnswer a;
    quiz_answer_init(&a, it, NULL);
    return a;
}

static int grade_text(const Item *it, const char *text)
{
    QuizAnswer a = fresh(it);
    snprintf(a.text, sizeof a.text, "%s", text);
    return quiz_grade(it, &a);
}

static int grade_click(const Item *it, float x, float y)
{
    QuizAnswer a = fresh(it);
    a.x = x;
    a.y = y;
    a.clicked = 1;
    a.region = quiz_region_at(it, x, y);
    return quiz_grade(it, &a);
}

/* ---- grading ---- */

static void test_single_choice_is_right_only_for_the_answer(void **state)
{
    (void)state;
    Item it = make(ITEM_SINGLE_CHOICE);
    QuizAnswer a = fresh(&it);
    assert_false(quiz_grade(&it, &a)); /* nothing chosen */
    a.choice = 1;
    assert_true(quiz_grade(&it, &a));
    a.choice = 0;
    assert_false(quiz_grade(&it, &a));
    a.choice = 3;
    assert_false(quiz_grade(&it, &a));
}

static void test_multiple_response_needs_exactly_the_right_options(void **state)
{
    (void)state;
    Item it = make(ITEM_MULTIPLE_RESPONSE);
    QuizAnswer a = fresh(&it);
    a.mask = (1u << 0) | (1u << 2);
    assert_true(quiz_grade(&it, &a));
    a.mask = 1u << 0; /* a subset of the right ones */
    assert_false(quiz_grade(&it, &a));
    a.mask = (1u << 0) | (1u << 1) | (1u << 2); /* one too many */
    assert_false(quiz_grade(&it, &a));
    a.mask = (1u << 1) | (1u << 3);
    assert_false(quiz_grade(&it, &a));
    a.mask = 0;
    assert_false(quiz_grade(&it, &a));
}

static void test_true_false_is_right_only_for_the_answer(void **state)
{
    (void)state;
    Item it = make(ITEM_TRUE_FALSE);
    QuizAnswer a = fresh(&it);
    assert_false(quiz_grade(&it, &a)); /* unanswered is not "false" */
    a.choice = 0;
    assert_true(quiz_grade(&it, &a));
    a.choice = 1;
    assert_false(quiz_grade(&it, &a));
    it.answer = 1;
    assert_true(quiz_grade(&it, &a));
}

static void test_fill_in_is_graded_after_normalising_the_text(void **state)
{
    (void)state;
    Item it = make(ITEM_FILL_IN);
    assert_true(grade_text(&it, "Type 2 diabetes mellitus"));
    assert_true(grade_text(&it, "TYPE 2 DIABETES MELLITUS"));               /* case */
    assert_true(grade_text(&it, "   type 2 diabetes mellitus.  "));         /* spaces, punctuation */
    assert_true(grade_text(&it, "\"type 2   diabetes \t mellitus!\""));     /* repeated spaces */
    assert_true(grade_text(&it, "...t2dm?"));                               /* the second answer */
    assert_false(grade_text(&it, "type 1 diabetes mellitus"));
    assert_false(grade_text(&it, "type2 diabetes mellitus"));
    assert_false(grade_text(&it, "type 2 diabetes"));
    assert_false(grade_text(&it, ""));
}

static void test_normalise_text_folds_case_spaces_and_surrounding_punctuation(void **state)
{
    (void)state;
    char out[QUIZ_TEXT_MAX];
    quiz_normalise_text("  Hello,   World!!  ", out, sizeof out);
    assert_string_equal(out, "hello, world");
    quiz_normalise_text("(E11.9)", out, sizeof out);
    assert_string_equal(out, "e11.9");
    quiz_normalise_text(" \t\n", out, sizeof out);
    assert_string_equal(out, "");
    quiz_normalise_text("abcdef", out, 4);
    assert_string_equal(out, "abc");
}

static void test_code_entry_ignores_case_dots_and_separators(void **state)
{
    (void)state;
    Item it = make(ITEM_CODE_ENTRY);
    assert_true(grade_text(&it, "E11.65, E78.5, I10"));
    assert_true(grade_text(&it, "e1165 e785 i10"));
    assert_true(grade_text(&it, "i10;E78.5\nE11.65")); /* unordered: any order */
    assert_false(grade_text(&it, "E11.64, E78.5, I10"));
    assert_false(grade_text(&it, ""));
}

static void test_code_entry_ordered_needs_the_first_code_first_only(void **state)
{
    (void)state;
    Item it = make(ITEM_CODE_ENTRY);
    it.ordered = 1;
    assert_true(grade_text(&it, "E11.65, E78.5, I10"));
    assert_true(grade_text(&it, "E11.65, I10, E78.5")); /* the rest in any order */
    assert_false(grade_text(&it, "I10, E11.65, E78.5"));
    assert_false(grade_text(&it, "E78.5, I10, E11.65"));
}

static void test_code_entry_with_an_extra_missing_or_repeated_code_is_wrong(void **state)
{
    (void)state;
    Item it = make(ITEM_CODE_ENTRY);
    assert_false(grade_text(&it, "E11.65, E78.5, I10, Z79.4"));  /* extra */
    assert_false(grade_text(&it, "E11.65, E78.5"));              /* missing */
    assert_false(grade_text(&it, "E11.65, E11.65, E78.5"));      /* repeated instead of one */
    assert_false(grade_text(&it, "E11.65, E78.5, I10, I10"));    /* repeated on top */
    assert_false(grade_text(&it, "E11.65, E78.5, E78.5, I10"));
}

static void test_code_entry_with_an_extra_code_beyond_the_limit_is_wrong(void **state)
{
    (void)state;
    /* content allows up to 25 expected codes; a 26th code typed must still count */
    static char codes[QUIZ_CODES_MAX][8];
    static const char *accepted[QUIZ_CODES_MAX];
    char text[QUIZ_TEXT_MAX] = "";
    for (int i = 0; i < QUIZ_CODES_MAX; i++) {
        snprintf(codes[i], sizeof codes[i], "A%02d", i);
        accepted[i] = codes[i];
        strcat(text, codes[i]);
        strcat(text, ",");
    }
    Item it = make(ITEM_CODE_ENTRY);
    it.accepted = accepted;
    it.naccepted = QUIZ_CODES_MAX;
    assert_true(grade_text(&it, text));
    strcat(text, "Z99");
    assert_false(grade_text(&it, text));
}

static void test_matching_needs_every_left_matched_to_its_right(void **state)
{
    (void)state;
    Item it = make(ITEM_MATCHING);
    QuizAnswer a = fresh(&it);
    assert_false(quiz_grade(&it, &a));
    a.match[0] = 0;
    a.match[1] = 1;
    a.match[2] = 2;
    assert_true(quiz_grade(&it, &a));
    a.match[1] = 2;
    a.match[2] = 1;
    assert_false(quiz_grade(&it, &a));
    a.match[1] = 1;
    a.match[2] = -1;
    assert_false(quiz_grade(&it, &a));
}

static void test_ordering_needs_the_authored_sequence(void **state)
{
    (void)state;
    Item it = make(ITEM_ORDERING);
    QuizAnswer a = fresh(&it); /* identity order */
    assert_true(quiz_grade(&it, &a));
    int perm[ITEM_MAX_OPTIONS] = {1, 0, 2, 3, 4, 5, 6, 7};
    quiz_answer_init(&a, &it, perm);
    assert_int_equal(a.order[0], 1);
    assert_false(quiz_grade(&it, &a));
    int last_two[ITEM_MAX_OPTIONS] = {0, 1, 3, 2, 4, 5, 6, 7};
    quiz_answer_init(&a, &it, last_two);
    assert_false(quiz_grade(&it, &a));
}

static void test_hotspot_hits_in_a_circle_and_misses_outside(void **state)
{
    (void)state;
    Item it = make(ITEM_IMAGE_HOTSPOT);
    it.answer = 0; /* the liver */
    assert_true(grade_click(&it, 100, 100));
    assert_true(grade_click(&it, 114, 114));  /* inside, off-centre */
    assert_true(grade_click(&it, 120, 100));  /* on the edge */
    assert_false(grade_click(&it, 115, 115)); /* inside the bounding box, outside the circle */
    assert_false(grade_click(&it, 230, 210)); /* the other region */
    assert_int_equal(quiz_region_at(&it, 100, 79), -1);
}

static void test_hotspot_hits_in_a_concave_polygon_but_not_in_its_notch(void **state)
{
    (void)state;
    Item it = make(ITEM_IMAGE_HOTSPOT);
    assert_true(grade_click(&it, 230, 210));  /* the bar across the top */
    assert_true(grade_click(&it, 210, 250));  /* left arm */
    assert_true(grade_click(&it, 250, 250));  /* right arm */
    assert_false(grade_click(&it, 230, 240)); /* the notch between the arms */
    assert_false(grade_click(&it, 270, 230)); /* right of the shape */
    assert_false(grade_click(&it, 100, 100)); /* the wrong region */
    assert_false(grade_click(&it, 5, 5));     /* nothing */
    assert_int_equal(quiz_region_at(&it, 230, 240), -1);
    assert_int_equal(quiz_region_at(&it, 210, 250), 1);
    assert_int_equal(quiz_region_at(&it, 100, 100), 0);
}

static void test_hotspot_without_a_click_is_wrong(void **state)
{
    (void)state;
    Item it = make(ITEM_IMAGE_HOTSPOT);
    QuizAnswer a = fresh(&it);
    a.x = 230;
    a.y = 210; /* inside, but never clicked */
    assert_false(quiz_grade(&it, &a));
}

/* ---- completeness ---- */

static void test_answer_is_complete_for_each_type(void **state)
{
    (void)state;
    Item it = make(ITEM_SINGLE_CHOICE);
    QuizAnswer a = fresh(&it);
    assert_false(quiz_answer_is_complete(&it, &a));
    a.choice = 0;
    assert_true(quiz_answer_is_complete(&it, &a));

    it = make(ITEM_TRUE_FALSE);
    a = fresh(&it);
    assert_false(quiz_answer_is_complete(&it, &a));
    a.choice = 0; /* "false" is an answer */
    assert_true(quiz_answer_is_complete(&it, &a));

    it = make(ITEM_MULTIPLE_RESPONSE);
    a = fresh(&it);
    assert_false(quiz_answer_is_complete(&it, &a));
    a.mask = 1u << 3;
    assert_true(quiz_answer_is_complete(&it, &a));

    static const ItemType typed[] = {ITEM_FILL_IN, ITEM_CODE_ENTRY};
    for (size_t i = 0; i < 2; i++) {
        it = make(typed[i]);
        a = fresh(&it);
        assert_false(quiz_answer_is_complete(&it, &a));
        snprintf(a.text, sizeof a.text, " \t\n ");
        assert_false(quiz_answer_is_complete(&it, &a));
        snprintf(a.text, sizeof a.text, " x ");
        assert_true(quiz_answer_is_complete(&it, &a));
    }

    it = make(ITEM_MATCHING);
    a = fresh(&it);
    assert_false(quiz_answer_is_complete(&it, &a));
    a.match[0] = 2;
    a.match[1] = 0;
    assert_false(quiz_answer_is_complete(&it, &a));
    a.match[2] = 1; /* every left matched, even wrongly */
    assert_true(quiz_answer_is_complete(&it, &a));

    it = make(ITEM_ORDERING);
    a = fresh(&it);
    assert_true(quiz_answer_is_complete(&it, &a)); /* an order is always given */

    it = make(ITEM_IMAGE_HOTSPOT);
    a = fresh(&it);
    assert_false(quiz_answer_is_complete(&it, &a));
    a.clicked = 1; /* a click that misses every region is still an answer */
    assert_true(quiz_answer_is_complete(&it, &a));
}

/* ---- splitting codes ---- */

static void test_split_codes_handles_every_separator(void **state)
{
    (void)state;
    char codes[QUIZ_CODES_MAX][16];
    int n = quiz_split_codes("e11.9,I10;z79.4 E78.5\nN18.3\t\r\nK21.9", codes, QUIZ_CODES_MAX);
    assert_int_equal(n, 6);
    assert_string_equal(codes[0], "E119");
    assert_string_equal(codes[1], "I10");
    assert_string_equal(codes[2], "Z794");
    assert_string_equal(codes[3], "E785");
    assert_string_equal(codes[4], "N183");
    assert_string_equal(codes[5], "K219");

    n = quiz_split_codes(" ,, ;\n A01 ;;, ", codes, QUIZ_CODES_MAX);
    assert_int_equal(n, 1);
    assert_string_equal(codes[0], "A01");

    assert_int_equal(quiz_split_codes("", codes, QUIZ_CODES_MAX), 0);
    assert_int_equal(quiz_split_codes(" . , ..", codes, QUIZ_CODES_MAX), 0); /* dots only */
}

static void test_split_codes_stops_at_max(void **state)
{
    (void)state;
    char codes[3][16];
    assert_int_equal(quiz_split_codes("A01,B02,C03,D04,E05", codes, 2), 2);
    assert_string_equal(codes[0], "A01");
    assert_string_equal(codes[1], "B02");
    assert_int_equal(quiz_split_codes("A01 B02", codes, 0), 0);
    assert_int_equal(quiz_split_codes("A01", codes, 3), 1);
}

static void test_split_codes_cuts_an_overlong_code_to_fit(void **state)
{
    (void)state;
    char codes[2][16];
    assert_int_equal(quiz_split_codes("abcdefghijklmnopqrstuvwxyz I10", codes, 2), 2);
    assert_string_equal(codes[0], "ABCDEFGHIJKLMNO");
    assert_string_equal(codes[1], "I10");
}

/* ---- describing answers ---- */

/* No whitespace outside strings. */
static int is_compact(const char *json)
{
    int in_string = 0;
    for (const char *p = json; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1]) p++;
            else if (*p == '"') in_string = 0;
        } else if (*p == '"') {
            in_string = 1;
        } else if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            return 0;
        }
    }
    return 1;
}

/* Describes a and returns it parsed; the caller frees it. */
static cJSON *describe(const Item *it, const QuizAnswer *a, char *out, size_t cap)
{
    quiz_answer_describe(it, a, out, cap);
    cJSON *j = cJSON_Parse(out);
    if (!j) fail_msg("not valid JSON: %s", out);
    if (!is_compact(out)) fail_msg("not compact: %s", out);
    assert_true(cJSON_IsObject(j));
    return j;
}

static void test_describe_choice_items_as_compact_json(void **state)
{
    (void)state;
    char out[1024];
    Item it = make(ITEM_SINGLE_CHOICE);
    QuizAnswer a = fresh(&it);
    a.choice = 2;
    cJSON *j = describe(&it, &a, out, sizeof out);
    assert_string_equal(out, "{\"choice\":2}");
    cJSON_Delete(j);

    it = make(ITEM_TRUE_FALSE);
    a = fresh(&it);
    a.choice = 0;
    j = describe(&it, &a, out, sizeof out);
    assert_string_equal(out, "{\"answer\":false}");
    cJSON_Delete(j);
    a.choice = 1;
    j = describe(&it, &a, out, sizeof out);
    assert_string_equal(out, "{\"answer\":true}");
    cJSON_Delete(j);

    it = make(ITEM_MULTIPLE_RESPONSE);
    a = fresh(&it);
    a.mask = (1u << 0) | (1u << 3);
    j = describe(&it, &a, out, sizeof out);
    assert_string_equal(out, "{\"choices\":[0,3]}");
    cJSON_Delete(j);
    a.mask = 0;
    j = describe(&it, &a, out, sizeof out);
    assert_string_equal(out, "{\"choices\":[]}");
    cJSON_Delete(j);
}

static void test_describe_text_answers_escapes_quotes_backslashes_and_controls(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "Type 2 diabetes",
        "He said \"type 2\" \\ twice",
        "line one\nline two\ttab",
        "\"\\\"\\",
        "",
    };
    static const ItemType types[] = {ITEM_FILL_IN, ITEM_CODE_ENTRY};
    char out[1024];
    for (size_t t = 0; t < 2; t++) {
        Item it = make(types[t]);
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
            QuizAnswer a = fresh(&it);
            snprintf(a.text, sizeof a.text, "%s", texts[i]);
            cJSON *j = describe(&it, &a, out, sizeof out);
            const cJSON *text = cJSON_GetObjectItemCaseSensitive(j, "text");
            assert_true(cJSON_IsString(text));
            assert_string_equal(text->valuestring, texts[i]); /* round-trips exactly */
            assert_int_equal(cJSON_GetArraySize(j), 1);
            cJSON_Delete(j);
        }
    }
    Item it = make(ITEM_FILL_IN);
    QuizAnswer a = fresh(&it);
    snprintf(a.text, sizeof a.text, "a\"b\\c");
    quiz_answer_describe(&it, &a, out, sizeof out);
    assert_string_equal(out, "{\"text\":\"a\\\"b\\\\c\"}");
}

static void test_describe_matching_and_ordering_as_compact_json(void **state)
{
    (void)state;
    char out[1024];
    Item it = make(ITEM_MATCHING);
    QuizAnswer a = fresh(&it);
    a.match[0] = 0;
    a.match[1] = 2;
    a.match[2] = 1;
    cJSON *j = describe(&it, &a, out, sizeof out);
    assert_string_equal(out, "{\"match\":[0,2,1]}");
    cJSON_Delete(j);

    it = make(ITEM_ORDERING);
    int perm[ITEM_MAX_OPTIONS] = {3, 1, 0, 2, 4, 5, 6, 7};
    quiz_answer_init(&a, &it, perm);
    j = describe(&it, &a, out, sizeof out);
    assert_string_equal(out, "{\"order\":[3,1,0,2]}");
    cJSON_Delete(j);
}

static void test_describe_hotspot_clicks_as_compact_json(void **state)
{
    (void)state;
    char out[1024];
    Item it = make(ITEM_IMAGE_HOTSPOT);
    QuizAnswer a = fresh(&it);
    a.x = 210.25f;
    a.y = 250;
    a.clicked = 1;
    cJSON *j = describe(&it, &a, out, sizeof out);
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(j, "x");
    const cJSON *y = cJSON_GetObjectItemCaseSensitive(j, "y");
    const cJSON *region = cJSON_GetObjectItemCaseSensitive(j, "region");
    assert_true(cJSON_IsNumber(x) && cJSON_IsNumber(y));
    assert_true(x->valuedouble > 210.1 && x->valuedouble < 210.4);
    assert_true(y->valuedouble > 249.9 && y->valuedouble < 250.1);
    assert_true(cJSON_IsString(region));
    assert_string_equal(region->valuestring, "stomach");
    cJSON_Delete(j);

    a.x = 230; /* the notch: no region */
    a.y = 240;
    j = describe(&it, &a, out, sizeof out);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "region")));
    cJSON_Delete(j);

    a.x = -3.5f;
    a.y = 0;
    j = describe(&it, &a, out, sizeof out);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "region")));
    cJSON_Delete(j);
}

static void test_describe_never_writes_past_a_small_buffer(void **state)
{
    (void)state;
    Item it = make(ITEM_FILL_IN);
    QuizAnswer a = fresh(&it);
    memset(a.text, '"', QUIZ_TEXT_MAX - 1);
    a.text[QUIZ_TEXT_MAX - 1] = '\0';
    char out[16 + 1];
    out[16] = 'Z';
    quiz_answer_describe(&it, &a, out, 16);
    assert_true(strlen(out) < 16);
    assert_int_equal(out[16], 'Z');
}

/* ---- shuffling ---- */

static int is_permutation(const int *perm, int n)
{
    int seen[ITEM_MAX_OPTIONS] = {0};
    for (int i = 0; i < n; i++) {
        if (perm[i] < 0 || perm[i] >= n || seen[perm[i]]) return 0;
        seen[perm[i]] = 1;
    }
    return 1;
}

static int is_identity(const int *perm, int n)
{
    for (int i = 0; i < n; i++)
        if (perm[i] != i) return 0;
    return 1;
}

static void test_shuffle_is_deterministic_for_a_seed(void **state)
{
    (void)state;
    for (uint64_t seed = 0; seed < 200; seed++) {
        int a[ITEM_MAX_OPTIONS], b[ITEM_MAX_OPTIONS];
        quiz_shuffle(a, ITEM_MAX_OPTIONS, seed * 7919u);
        quiz_shuffle(b, ITEM_MAX_OPTIONS, seed * 7919u);
        assert_memory_equal(a, b, sizeof a);
    }
    /* and seeds do matter */
    int first[ITEM_MAX_OPTIONS], other[ITEM_MAX_OPTIONS];
    int differ = 0;
    quiz_shuffle(first, ITEM_MAX_OPTIONS, 1);
    for (uint64_t seed = 2; seed < 50; seed++) {
        quiz_shuffle(other, ITEM_MAX_OPTIONS, seed);
        if (memcmp(first, other, sizeof first) != 0) differ = 1;
    }
    assert_true(differ);
}

static void test_shuffle_is_a_permutation_and_never_the_identity(void **state)
{
    (void)state;
    for (int n = 1; n <= ITEM_MAX_OPTIONS; n++) {
        for (uint64_t seed = 0; seed < 5000; seed++) {
            int perm[ITEM_MAX_OPTIONS];
            uint64_t s = seed * 0x9E3779B97F4A7C15ULL; /* spread over 64 bits too */
            quiz_shuffle(perm, n, s);
            if (!is_permutation(perm, n)) fail_msg("n=%d seed=%llu: not a permutation", n, (unsigned long long)s);
            if (n >= 2 && is_identity(perm, n))
                fail_msg("n=%d seed=%llu: identity", n, (unsigned long long)s);
            quiz_shuffle(perm, n, seed);
            if (!is_permutation(perm, n)) fail_msg("n=%d seed=%llu: not a permutation", n, (unsigned long long)seed);
            if (n >= 2 && is_identity(perm, n))
                fail_msg("n=%d seed=%llu: identity", n, (unsigned long long)seed);
        }
    }
}

static void test_shuffle_never_gives_the_identity_even_when_its_state_is_zero(void **state)
{
    (void)state;
    /* the seed for which seed * A + C == 0 (mod 2^64): xorshift then stays at 0 */
    const uint64_t A = 6364136223846793005ULL, C = 1442695040888963407ULL;
    uint64_t inv = A; /* Newton's iteration for A^-1 mod 2^64 */
    for (int i = 0; i < 6; i++) inv *= 2 - A * inv;
    assert_true(A * inv == 1);
    uint64_t seed = (0 - C) * inv;
    for (int n = 2; n <= ITEM_MAX_OPTIONS; n++) {
        int perm[ITEM_MAX_OPTIONS];
        quiz_shuffle(perm, n, seed);
        assert_true(is_permutation(perm, n));
        assert_false(is_identity(perm, n));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_choice_is_right_only_for_the_answer),
        cmocka_unit_test(test_multiple_response_needs_exactly_the_right_options),
        cmocka_unit_test(test_true_false_is_right_only_for_the_answer),
        cmocka_unit_test(test_fill_in_is_graded_after_normalising_the_text),
        cmocka_unit_test(test_normalise_text_folds_case_spaces_and_surrounding_punctuation),
        cmocka_unit_test(test_code_entry_ignores_case_dots_and_separators),
        cmocka_unit_test(test_code_entry_ordered_needs_the_first_code_first_only),
        cmocka_unit_test(test_code_entry_with_an_extra_missing_or_repeated_code_is_wrong),
        cmocka_unit_test(test_code_entry_with_an_extra_code_beyond_the_limit_is_wrong),
        cmocka_unit_test(test_matching_needs_every_left_matched_to_its_right),
        cmocka_unit_test(test_ordering_needs_the_authored_sequence),
        cmocka_unit_test(test_hotspot_hits_in_a_circle_and_misses_outside),
        cmocka_unit_test(test_hotspot_hits_in_a_concave_polygon_but_not_in_its_notch),
        cmocka_unit_test(test_hotspot_without_a_click_is_wrong),
        cmocka_unit_test(test_answer_is_complete_for_each_type),
        cmocka_unit_test(test_split_codes_handles_every_separator),
        cmocka_unit_test(test_split_codes_stops_at_max),
        cmocka_unit_test(test_split_codes_cuts_an_overlong_code_to_fit),
        cmocka_unit_test(test_describe_choice_items_as_compact_json),
        cmocka_unit_test(test_describe_text_answers_escapes_quotes_backslashes_and_controls),
        cmocka_unit_test(test_describe_matching_and_ordering_as_compact_json),
        cmocka_unit_test(test_describe_hotspot_clicks_as_compact_json),
        cmocka_unit_test(test_describe_never_writes_past_a_small_buffer),
        cmocka_unit_test(test_shuffle_is_deterministic_for_a_seed),
        cmocka_unit_test(test_shuffle_is_a_permutation_and_never_the_identity),
        cmocka_unit_test(test_shuffle_never_gives_the_identity_even_when_its_state_is_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

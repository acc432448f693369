/* test_content.c - cmocka tests for app/core/content.c (the lesson and quiz loader).
 *
 * The good fixture (tests/fixtures/good) is a small content root checked in with the
 * tests. Every bad case is written by the test itself into a fresh temporary content
 * root (mkdtemp under $TMPDIR or /tmp) that the teardown removes again. The bad cases
 * start from one small valid lesson and one small valid quiz (built by lesson_text and
 * quiz_text) and change exactly one thing, so each test sees exactly the problem it is
 * about.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "content.h"

#include "testutil.h"

#define PATH_CAP 1024
#define TEXT_CAP 16384

#define GOOD_ROOT FIXTURES_DIR "/good"
#define LESSON_FILE "content/terminology/fx-a.json"
#define QUIZ_FILE "quizzes/fx-a-quiz.json"
#define SVG_FILE "assets/fx/shape.svg"

typedef struct Fixture {
    char root[PATH_CAP]; /* the temporary content root */
    Content *c;          /* what content_load made of it */
} Fixture;

/* ------------------------------------------------------------------ files */


static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR");
    if (!f) return -1;
    if (!tmp || !*tmp) tmp = "/tmp";
    if (snprintf(f->root, sizeof f->root, "%s/test_content-XXXXXX", tmp) >= (int)sizeof f->root ||
        !mkdtemp(f->root)) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    content_free(f->c);
    testutil_remove_tree(f->root);
    free(f);
    return 0;
}

/* Writes len bytes of data to root/rel, creating the folders on the way. */
static void write_bytes(Fixture *f, const char *rel, const char *data, size_t len)
{
    char path[PATH_CAP];
    int n = snprintf(path, sizeof path, "%s/%s", f->root, rel);
    assert_true(n > 0 && (size_t)n < sizeof path);
    /* mkdir -p for every folder in rel */
    for (char *slash = path + strlen(f->root) + 1; (slash = strchr(slash, '/')) != NULL; slash++) {
        *slash = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) fail_msg("cannot create %s: %s", path, strerror(errno));
        *slash = '/';
    }
    FILE *fp = fopen(path, "wb");
    if (!fp) fail_msg("cannot write %s: %s", path, strerror(errno));
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void write_text(Fixture *f, const char *rel, const char *text)
{
    write_bytes(f, rel, text, strlen(text));
}

typedef struct FileSpec {
    const char *rel;  /* path relative to the content root */
    const char *text; /* its contents */
} FileSpec;

static void write_files(Fixture *f, const FileSpec *files, size_t n)
{
    for (size_t i = 0; i < n; i++) write_text(f, files[i].rel, files[i].text);
}

/* A 200 x 100 diagram: a rounded rectangle (the stomach) and a circle (the gallbladder). */
static const char SVG_200X100[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\" viewBox=\"0 0 200 100\">\n"
    "<rect x=\"20\" y=\"20\" width=\"80\" height=\"60\" rx=\"8\" fill=\"#E8B4A0\"/>\n"
    "<circle cx=\"150\" cy=\"50\" r=\"30\" fill=\"#B8D8A8\"/>\n"
    "</svg>\n";

static void write_svg(Fixture *f)
{
    write_text(f, SVG_FILE, SVG_200X100);
}

/* ------------------------------------------------------------------ text builders */

static void append(char *buf, size_t cap, size_t *n, const char *fmt, ...) CP_PRINTF(4, 5);
static void append(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *n, cap - *n, fmt, ap);
    va_end(ap);
    assert_true(k >= 0 && (size_t)k < cap - *n);
    *n += (size_t)k;
}

/* A value that leaves its member out of the built text. */
static const char OMIT[] = "(left out)";

static void member(char *buf, size_t cap, size_t *n, const char *key, const char *value,
                   const char *dflt)
{
    const char *v = value ? value : dflt;
    if (v == OMIT) return;
    append(buf, cap, n, "%s\n  \"%s\": %s", *n > 1 ? "," : "", key, v);
}

/* One small valid lesson, one member a line. NULL fields take the default; raw
 * fields are JSON text; OMIT leaves a member out. */
typedef struct LessonParts {
    const char *id;             /* plain id; default "fx-a" */
    const char *objective;      /* plain id of its one objective; default "<id>-obj" */
    const char *schema_version; /* raw */
    const char *title;          /* raw */
    const char *extra;          /* a raw member ("key": value) after the title */
    const char *track;          /* raw */
    const char *summary;        /* raw */
    const char *minutes;        /* raw */
    const char *prerequisites;  /* raw */
    const char *blocks;         /* raw */
} LessonParts;

static const char *lesson_text(char *buf, size_t cap, const LessonParts *p)
{
    static const LessonParts none = {0};
    char id[96], objectives[256];
    if (!p) p = &none;
    const char *plain_id = p->id ? p->id : "fx-a";
    snprintf(id, sizeof id, "\"%s\"", plain_id);
    if (p->objective)
        snprintf(objectives, sizeof objectives,
                 "[{ \"id\": \"%s\", \"text\": \"Name the root of a medical term.\", "
                 "\"domains\": [\"CPC:medical-terminology\"] }]", p->objective);
    else
        snprintf(objectives, sizeof objectives,
                 "[{ \"id\": \"%s-obj\", \"text\": \"Name the root of a medical term.\", "
                 "\"domains\": [\"CPC:medical-terminology\"] }]", plain_id);
    size_t n = 0;
    append(buf, cap, &n, "{");
    member(buf, cap, &n, "schema_version", p->schema_version, "1");
    member(buf, cap, &n, "id", NULL, id);
    member(buf, cap, &n, "title", p->title, "\"Word roots\"");
    if (p->extra) append(buf, cap, &n, ",\n  %s", p->extra);
    member(buf, cap, &n, "track", p->track, "\"terminology\"");
    member(buf, cap, &n, "summary", p->summary, "\"Where the core meaning of a medical term lives.\"");
    member(buf, cap, &n, "objectives", NULL, objectives);
    member(buf, cap, &n, "minutes", p->minutes, "10");
    member(buf, cap, &n, "prerequisites", p->prerequisites, "[]");
    member(buf, cap, &n, "blocks", p->blocks,
           "[{ \"type\": \"paragraph\", \"text\": \"The root carries the core meaning: *gastr* in "
           "*gastritis* means stomach.\" }]");
    append(buf, cap, &n, "\n}\n");
    return buf;
}

/* Items, one a line, all practising objective fx-a-obj of the default lesson. */
#define ITEM_HEAD(id, type)                                                                   \
    "    { \"id\": \"" id "\", \"type\": \"" type "\", \"difficulty\": \"easy\", "           \
    "\"objectives\": [\"fx-a-obj\"], \"stem\": \"A question about the root *gastr/o*.\", "  \
    "\"rationale\": \"*Gastr/o* names the stomach, as in *gastritis*.\", "
#define OPTIONS2                                                                              \
    "\"options\": [{ \"text\": \"Stomach\", \"why\": \"Right: *gastr/o* is the stomach.\" }, " \
    "{ \"text\": \"Liver\", \"why\": \"The liver is *hepat/o*.\" }]"
#define ITEM_SINGLE(answer) ITEM_HEAD("fx-a-q1", "single-choice") OPTIONS2 ", \"answer\": " answer " }"
#define ITEM_MULTI(answers) ITEM_HEAD("fx-a-q2", "multiple-response") OPTIONS2 ", \"answers\": " answers " }"
#define ITEM_CODE(codes) ITEM_HEAD("fx-a-q3", "code-entry") "\"codes\": " codes " }"
#define ITEM_MATCH(left2, right2)                                                             \
    ITEM_HEAD("fx-a-q4", "matching")                                                          \
    "\"pairs\": [{ \"left\": \"gastr/o\", \"right\": \"stomach\" }, { \"left\": \"" left2     \
    "\", \"right\": \"" right2 "\" }] }"
#define GOOD_POLYGON "[[20, 20], [100, 20], [100, 80], [20, 80]]"
#define GOOD_CIRCLE "{ \"cx\": 150, \"cy\": 50, \"r\": 30 }"
#define ITEM_HOTSPOT(id, polygon, circle, answer)                                             \
    ITEM_HEAD(id, "image-hotspot")                                                            \
    "\"image\": \"" SVG_FILE "\", \"regions\": ["                                             \
    "{ \"id\": \"stomach\", \"label\": \"Stomach\", \"polygon\": " polygon " }, "             \
    "{ \"id\": \"gallbladder\", \"label\": \"Gallbladder\", \"circle\": " circle " }], "      \
    "\"answer\": \"" answer "\" }"

typedef struct QuizParts {
    const char *id;             /* plain id; default "fx-a-quiz" */
    const char *schema_version; /* raw */
    const char *lessons;        /* raw */
    const char *items;          /* raw: the items, one a line, without the brackets */
} QuizParts;

static const char *quiz_text(char *buf, size_t cap, const QuizParts *p)
{
    static const QuizParts none = {0};
    char id[96];
    if (!p) p = &none;
    snprintf(id, sizeof id, "\"%s\"", p->id ? p->id : "fx-a-quiz");
    size_t n = 0;
    append(buf, cap, &n, "{");
    member(buf, cap, &n, "schema_version", p->schema_version, "1");
    member(buf, cap, &n, "id", NULL, id);
    member(buf, cap, &n, "title", NULL, "\"Word roots check\"");
    member(buf, cap, &n, "track", NULL, "\"terminology\"");
    member(buf, cap, &n, "domains", NULL, "[\"CPC:medical-terminology\"]");
    member(buf, cap, &n, "lessons", p->lessons, "[\"fx-a\"]");
    append(buf, cap, &n, ",\n  \"items\": [\n%s\n  ]\n}\n", p->items ? p->items : ITEM_SINGLE("0"));
    return buf;
}

/* Replaces the first old in buf (which must be there) by new. */
static void replace_once(char *buf, size_t cap, const char *old, const char *new_text)
{
    char *at = strstr(buf, old);
    assert_non_null(at);
    size_t lo = strlen(old), ln = strlen(new_text), rest = strlen(at + lo);
    assert_true(strlen(buf) - lo + ln < cap);
    memmove(at + ln, at + lo, rest + 1);
    memcpy(at, new_text, ln);
}

/* ------------------------------------------------------------------ checks */

static void load(Fixture *f)
{
    CpError err = {{0}};
    f->c = content_load(f->root, &err);
    if (!f->c) fail_msg("content_load(%s) failed: %s", f->root, err.msg);
}

static void print_problems(const Content *c)
{
    char line[1024];
    for (int i = 0; i < c->nproblems; i++) {
        content_format_problem(&c->problems[i], line, sizeof line);
        print_message("  problem: %s\n", line);
    }
}

static void assert_problem_count(const Content *c, int n)
{
    if (c->nproblems != n) {
        print_problems(c);
        fail_msg("expected %d problem(s), found %d", n, c->nproblems);
    }
}

/* The problem in file at JSON path whose message contains words; fails the test
 * (listing every problem) when there is none. */
static const Problem *expect_problem(const Content *c, const char *file, const char *path,
                                     const char *words)
{
    for (int i = 0; i < c->nproblems; i++) {
        const Problem *p = &c->problems[i];
        if (strcmp(p->file, file) == 0 && strcmp(p->path, path) == 0 && strstr(p->message, words))
            return p;
    }
    print_problems(c);
    fail_msg("no problem in %s at %s mentioning \"%s\"", file, path, words);
    return NULL;
}

/* Line and column (1-based, in characters) where needle first occurs in text. */
static void position_of(const char *text, const char *needle, int *line, int *col)
{
    const char *at = strstr(text, needle);
    if (!at) fail_msg("\"%s\" is not in the test's own text", needle);
    int l = 1, c = 1;
    for (const char *s = text; s < at; s++) {
        if (*s == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)*s & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* The problem points at where needle starts in text. */
static void assert_points_at(const Problem *p, const char *text, const char *needle)
{
    int line, col;
    position_of(text, needle, &line, &col);
    assert_int_equal(p->line, line);
    assert_int_equal(p->col, col);
}

static int lesson_loaded(const Content *c, const char *id)
{
    return content_find_lesson(c, id) != NULL;
}

static int quiz_loaded(const Content *c, const char *id)
{
    return content_find_quiz(c, id) != NULL;
}

/* Writes the default lesson plus a quiz holding items, the SVG, and loads the root. */
static void load_quiz_items(Fixture *f, const char *items, char *quiz, size_t cap)
{
    char lesson[TEXT_CAP];
    write_text(f, LESSON_FILE, lesson_text(lesson, sizeof lesson, NULL));
    write_text(f, QUIZ_FILE, quiz_text(quiz, cap, &(QuizParts){.items = items}));
    write_svg(f);
    load(f);
}

/* Writes one lesson built from parts (plus the SVG) and loads the root. */
static void load_lesson_parts(Fixture *f, const LessonParts *parts, char *text, size_t cap)
{
    write_text(f, LESSON_FILE, lesson_text(text, cap, parts));
    write_svg(f);
    load(f);
}

/* ------------------------------------------------------------------ the good fixture */

static uint64_t fnv1a64(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) fail_msg("cannot read %s", path);
    uint64_t h = 1469598103934665603ULL;
    int ch;
    while ((ch = fgetc(fp)) != EOF) {
        h ^= (unsigned char)ch;
        h *= 1099511628211ULL;
    }
    fclose(fp);
    return h;
}

static void test_the_good_fixture_loads_every_lesson_and_quiz_without_problems(void **state)
{
    (void)state;
    CpError err = {{0}};
    Content *c = content_load(GOOD_ROOT, &err);
    if (!c) fail_msg("content_load: %s", err.msg);
    assert_problem_count(c, 0);
    assert_int_equal(c->files_read, 3);
    assert_string_equal(c->root, GOOD_ROOT);

    /* lessons: fx-basics first, because fx-more requires it */
    assert_int_equal(c->nlessons, 2);
    const Lesson *basics = &c->lessons[0], *more = &c->lessons[1];
    assert_string_equal(basics->id, "fx-basics");
    assert_string_equal(more->id, "fx-more");
    assert_ptr_equal(content_find_lesson(c, "fx-more"), more);
    assert_null(content_find_lesson(c, "fx-quiz"));
    assert_string_equal(basics->file, "content/terminology/fx-basics.json");
    assert_int_equal(basics->track, TRACK_TERMINOLOGY);
    assert_string_equal(basics->title, "Word roots and combining forms");
    assert_int_equal(basics->minutes, 15);
    assert_int_equal(basics->nprerequisites, 0);
    assert_int_equal(basics->nobjectives, 2);
    assert_string_equal(basics->objectives[0].id, "fx-basics-word-parts");
    assert_int_equal(basics->objectives[0].ndomains, 2);
    assert_string_equal(basics->objectives[0].domains[1], "CCA:medical-terminology");
    assert_int_equal(more->nprerequisites, 1);
    assert_string_equal(more->prerequisites[0], "fx-basics");

    /* every block type, in file order */
    static const BlockType types[] = {BLOCK_HEADING, BLOCK_PARAGRAPH, BLOCK_LIST, BLOCK_TABLE,
                                      BLOCK_IMAGE, BLOCK_CALLOUT, BLOCK_DEFINITION, BLOCK_EXAMPLE};
    assert_int_equal(basics->nblocks, 8);
    for (int i = 0; i < 8; i++) assert_int_equal(basics->blocks[i].type, types[i]);
    const Block *b = basics->blocks;
    assert_int_equal(b[0].level, 2);
    assert_string_equal(b[0].text, "Parts of a term");
    assert_non_null(strstr(b[1].text, "[More suffixes](lesson:fx-more)")); /* kept as markup */
    assert_non_null(strstr(b[1].text, "[[E11.9]]"));
    assert_int_equal(b[2].numbered, 1);
    assert_int_equal(b[2].nitems, 3);
    assert_int_equal(b[3].ncolumns, 2);
    assert_string_equal(b[3].columns[0], ""); /* an empty corner header is allowed */
    assert_int_equal(b[3].nrows, 2);
    assert_int_equal(b[3].nitems, 4);
    assert_string_equal(b[3].items[3], "gallbladder"); /* row-major */
    assert_string_equal(b[4].src, "assets/fx/shape.svg");
    assert_true(b[4].img_w == 200.0f && b[4].img_h == 100.0f);
    assert_int_equal(b[4].nlabels, 2);
    assert_string_equal(b[4].labels[1].text, "Gallbladder");
    assert_true(b[4].labels[1].x == 150.0f && b[4].labels[1].y == 50.0f);
    assert_non_null(b[4].alt);
    assert_non_null(b[4].caption);
    assert_int_equal(b[5].callout, CALLOUT_GUIDELINE);
    assert_string_equal(b[5].section, "I.B.1");
    assert_string_equal(b[6].term, "Combining vowel");
    assert_non_null(strstr(b[6].text, "usually *o*"));
    assert_string_equal(b[7].term, "What does *gastritis* mean?");
    assert_int_equal(b[7].nitems, 2);
    assert_string_equal(b[7].answer, "Inflammation of the stomach.");

    /* the quiz: one item of every type */
    assert_int_equal(c->nquizzes, 1);
    const Quiz *q = &c->quizzes[0];
    assert_ptr_equal(content_find_quiz(c, "fx-quiz"), q);
    assert_null(content_find_quiz(c, "fx-basics"));
    assert_string_equal(q->file, "quizzes/fx-quiz.json");
    assert_int_equal(q->track, TRACK_TERMINOLOGY);
    assert_int_equal(q->nlessons, 2);
    assert_int_equal(q->ndomains, 1);
    assert_int_equal(q->nitems, ITEM_TYPE_COUNT);
    for (int i = 0; i < ITEM_TYPE_COUNT; i++) assert_int_equal(q->items[i].type, (ItemType)i);
    const Item *it = q->items;
    assert_string_equal(it[0].id, "fx-q-single");
    assert_int_equal(it[0].noptions, 3);
    assert_int_equal(it[0].answer, 0);
    assert_int_equal(it[0].difficulty, DIFFICULTY_EASY);
    assert_int_equal(it[1].answers_mask, 0x3u);
    assert_int_equal(it[1].difficulty, DIFFICULTY_MEDIUM);
    assert_int_equal(it[2].answer, 1);
    assert_int_equal(it[3].naccepted, 1);
    assert_string_equal(it[3].accepted[0], "gastr");
    assert_int_equal(it[4].naccepted, 1);
    assert_string_equal(it[4].accepted[0], "E11.9");
    assert_int_equal(it[4].ordered, 0);
    assert_int_equal(it[4].difficulty, DIFFICULTY_HARD);
    assert_int_equal(it[5].npairs, 3);
    assert_string_equal(it[5].pairs[1].right, "liver");
    assert_int_equal(it[6].nsequence, 3);
    assert_string_equal(it[7].image, "assets/fx/shape.svg");
    assert_true(it[7].img_w == 200.0f && it[7].img_h == 100.0f);
    assert_int_equal(it[7].nregions, 2);
    assert_int_equal(it[7].regions[0].is_circle, 0);
    assert_int_equal(it[7].regions[0].npoints, 4);
    assert_true(it[7].regions[0].px[2] == 100.0f && it[7].regions[0].py[2] == 80.0f);
    assert_int_equal(it[7].regions[1].is_circle, 1);
    assert_true(it[7].regions[1].r == 30.0f);
    assert_int_equal(it[7].answer, 1); /* "gallbladder" is region 1 */

    /* the version is the FNV-1a 64 hash of the file, as 16 hex digits */
    assert_int_equal(strlen(q->version), 16);
    for (int i = 0; i < 16; i++) assert_non_null(strchr("0123456789abcdef", q->version[i]));
    char expected[32];
    snprintf(expected, sizeof expected, "%016llx",
             (unsigned long long)fnv1a64(GOOD_ROOT "/quizzes/fx-quiz.json"));
    assert_string_equal(q->version, expected);
    content_free(c);
}

typedef struct CodeSeen {
    int count;
    int in_lesson, in_quiz;
} CodeSeen;

static void count_code(void *user, const char *code, size_t len, const char *file)
{
    CodeSeen *seen = user;
    assert_int_equal(len, 5);
    assert_memory_equal(code, "E11.9", 5);
    seen->count++;
    if (strcmp(file, "content/terminology/fx-basics.json") == 0) seen->in_lesson++;
    if (strcmp(file, "quizzes/fx-quiz.json") == 0) seen->in_quiz++;
}

static void test_every_code_the_good_fixture_names_is_visited(void **state)
{
    (void)state;
    CpError err = {{0}};
    Content *c = content_load(GOOD_ROOT, &err);
    if (!c) fail_msg("content_load: %s", err.msg);
    CodeSeen seen = {0, 0, 0};
    content_each_code(c, count_code, &seen);
    /* [[E11.9]] in a paragraph; [[E11.9]] in a rationale and E11.9 as a code-entry answer */
    assert_int_equal(seen.count, 3);
    assert_int_equal(seen.in_lesson, 1);
    assert_int_equal(seen.in_quiz, 2);
    content_free(c);
}

/* The builders' own output must be valid, so that every bad test changes one thing. */
static void test_the_small_lesson_and_quiz_the_bad_tests_start_from_are_valid(void **state)
{
    Fixture *f = *state;
    char quiz[TEXT_CAP];
    load_quiz_items(f,
                    ITEM_SINGLE("0") ",\n" ITEM_MULTI("[0, 1]") ",\n" ITEM_CODE("[\"E11.9\"]") ",\n"
                    ITEM_MATCH("hepat/o", "liver") ",\n"
                    ITEM_HOTSPOT("fx-a-q5", GOOD_POLYGON, GOOD_CIRCLE, "gallbladder"),
                    quiz, sizeof quiz);
    assert_problem_count(f->c, 0);
    assert_int_equal(f->c->nlessons, 1);
    assert_int_equal(f->c->nquizzes, 1);
    assert_int_equal(f->c->quizzes[0].nitems, 5);
    assert_string_equal(f->c->lessons[0].file, LESSON_FILE);
    assert_string_equal(f->c->quizzes[0].file, QUIZ_FILE);
}

/* ------------------------------------------------------------------ JSON syntax */

static void test_invalid_json_is_reported_with_its_line_and_column(void **state)
{
    Fixture *f = *state;
    char typo[TEXT_CAP], missing[TEXT_CAP];
    /* line 3 is  "id": "fx-a",  : a semicolon typed for its comma */
    lesson_text(typo, sizeof typo, NULL);
    replace_once(typo, sizeof typo, "\"fx-a\",\n", "\"fx-a\";\n");
    write_text(f, "content/terminology/fx-a.json", typo);
    /* the comma after line 3 left out: the parser notices at the next member */
    lesson_text(missing, sizeof missing, &(LessonParts){.id = "fx-b"});
    replace_once(missing, sizeof missing, "\"fx-b\",\n", "\"fx-b\"\n");
    write_text(f, "content/terminology/fx-b.json", missing);
    load(f);

    assert_problem_count(f->c, 2);
    const Problem *p = expect_problem(f->c, "content/terminology/fx-a.json", "$", "invalid JSON");
    assert_non_null(strstr(p->message, "missing comma"));
    assert_int_equal(p->line, 3);
    assert_int_equal(p->col, 15); /* `  "id": "fx-a";` : the ';' */
    p = expect_problem(f->c, "content/terminology/fx-b.json", "$", "invalid JSON");
    assert_non_null(strstr(p->message, "just before it"));
    assert_int_equal(p->line, 4);
    assert_int_equal(p->col, 3); /* the '"' of "title", right after the missing comma */
    assert_int_equal(f->c->nlessons, 0);
}

static void test_a_truncated_file_is_reported_as_ending_early(void **state)
{
    Fixture *f = *state;
    char whole[TEXT_CAP], cut[TEXT_CAP];
    lesson_text(whole, sizeof whole, NULL);
    /* cut after the title line, as an interrupted save would */
    const char *after = strstr(whole, "\"Word roots\",\n");
    assert_non_null(after);
    size_t n = (size_t)(after - whole) + strlen("\"Word roots\",\n");
    memcpy(cut, whole, n);
    cut[n] = '\0';
    write_text(f, LESSON_FILE, cut);
    load(f);

    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, LESSON_FILE, "$", "the file ends before the JSON is complete");
    assert_int_equal(p->line, 5); /* the end of the text: the start of line 5 */
    assert_int_equal(p->col, 1);
    assert_int_equal(f->c->nlessons, 0);
}

static void test_a_file_cut_off_inside_a_string_is_reported_as_ending_early(void **state)
{
    Fixture *f = *state;
    char whole[TEXT_CAP], cut[TEXT_CAP];
    lesson_text(whole, sizeof whole, NULL);
    /* the file stops in the middle of the title: "Word ro */
    const char *at = strstr(whole, "\"Word roots\"");
    assert_non_null(at);
    size_t n = (size_t)(at - whole) + strlen("\"Word ro");
    memcpy(cut, whole, n);
    cut[n] = '\0';
    write_text(f, LESSON_FILE, cut);
    load(f);

    assert_problem_count(f->c, 1);
    const Problem *p = f->c->problems;
    assert_string_equal(p->file, LESSON_FILE);
    assert_string_equal(p->path, "$");
    assert_string_equal(p->message, "invalid JSON: the file ends before the JSON is complete");
    assert_int_equal(p->line, 4);
}

static void test_a_file_that_is_not_json_at_all_is_reported(void **state)
{
    Fixture *f = *state;
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    write_text(f, "content/terminology/a-empty.json", "");
    write_bytes(f, "content/terminology/b-image.json", png, sizeof png - 1);
    write_text(f, "content/terminology/c-array.json", "[\"fx-a\", \"fx-b\"]\n");
    load(f);

    assert_problem_count(f->c, 3);
    assert_int_equal(f->c->files_read, 3);
    const Problem *p = expect_problem(f->c, "content/terminology/a-empty.json", "$", "ends before");
    assert_int_equal(p->line, 1);
    assert_int_equal(p->col, 1);
    p = expect_problem(f->c, "content/terminology/b-image.json", "$", "invalid JSON: unexpected character");
    assert_int_equal(p->line, 1);
    assert_int_equal(p->col, 1);
    p = expect_problem(f->c, "content/terminology/c-array.json", "$", "expected a JSON object at the top");
    assert_int_equal(p->line, 1);
    assert_int_equal(p->col, 1);
    assert_int_equal(f->c->nlessons, 0);
}

/* ------------------------------------------------------------------ fields */

static void test_a_missing_required_field_points_at_the_object_that_lacks_it(void **state)
{
    Fixture *f = *state;
    char lesson[TEXT_CAP], quiz[TEXT_CAP];
    /* a lesson without a title: the problem points at the lesson object itself */
    write_text(f, "content/terminology/fx-b.json", lesson_text(lesson, sizeof lesson,
                                                           &(LessonParts){.id = "fx-b", .title = OMIT}));
    /* an item without a rationale: the problem points at the item's { */
    write_text(f, LESSON_FILE, lesson_text(lesson, sizeof lesson, NULL));
    char item[2048];
    snprintf(item, sizeof item, "%s", ITEM_SINGLE("0"));
    replace_once(item, sizeof item, "\"rationale\": \"*Gastr/o* names the stomach, as in *gastritis*.\", ", "");
    write_text(f, QUIZ_FILE, quiz_text(quiz, sizeof quiz, &(QuizParts){.items = item}));
    load(f);

    assert_problem_count(f->c, 2);
    const Problem *p = expect_problem(f->c, "content/terminology/fx-b.json", "$.title",
                                      "missing required field \"title\"");
    assert_non_null(strstr(p->message, "expected a string"));
    assert_int_equal(p->line, 1);
    assert_int_equal(p->col, 1);
    p = expect_problem(f->c, QUIZ_FILE, "$.items[0].rationale", "missing required field \"rationale\"");
    assert_points_at(p, quiz, "{ \"id\": \"fx-a-q1\"");
    assert_true(lesson_loaded(f->c, "fx-a"));
    assert_false(lesson_loaded(f->c, "fx-b"));
    assert_false(quiz_loaded(f->c, "fx-a-quiz"));
}

static void test_a_value_of_the_wrong_type_says_what_was_expected(void **state)
{
    Fixture *f = *state;
    char a[TEXT_CAP], b[TEXT_CAP];
    write_text(f, LESSON_FILE, lesson_text(a, sizeof a, &(LessonParts){.minutes = "\"ten\""}));
    write_text(f, "content/terminology/fx-b.json", lesson_text(b, sizeof b, &(LessonParts){.id = "fx-b", .title = "42"}));
    load(f);

    assert_problem_count(f->c, 2);
    const Problem *p = expect_problem(f->c, LESSON_FILE, "$.minutes",
                                      "expected a whole number from 1 to 240, found a string");
    assert_points_at(p, a, "\"ten\"");
    p = expect_problem(f->c, "content/terminology/fx-b.json", "$.title", "expected a string, found a number");
    assert_points_at(p, b, "42");
    assert_int_equal(f->c->nlessons, 0);
}

static void test_an_unknown_field_is_reported_as_a_likely_typo(void **state)
{
    Fixture *f = *state;
    char text[TEXT_CAP];
    load_lesson_parts(f, &(LessonParts){.extra = "\"sumary\": \"A misspelt summary.\""}, text, sizeof text);

    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, LESSON_FILE, "$.sumary", "unknown field \"sumary\"");
    assert_non_null(strstr(p->message, "expected one of:"));
    assert_non_null(strstr(p->message, "summary")); /* the spelling it probably meant */
    assert_points_at(p, text, "\"A misspelt summary.\"");
    assert_false(lesson_loaded(f->c, "fx-a"));
}

static void test_a_newer_schema_version_is_refused(void **state)
{
    Fixture *f = *state;
    char lesson[TEXT_CAP], quiz[TEXT_CAP];
    write_text(f, LESSON_FILE, lesson_text(lesson, sizeof lesson, &(LessonParts){.schema_version = "2"}));
    write_text(f, QUIZ_FILE, quiz_text(quiz, sizeof quiz, &(QuizParts){.schema_version = "2", .lessons = "[]"}));
    load(f);

    assert_problem_count(f->c, 2);
    const Problem *p = expect_problem(f->c, LESSON_FILE, "$.schema_version", "reads schema_version 1");
    assert_non_null(strstr(p->message, "later or unknown version"));
    assert_int_equal(p->line, 2);
    expect_problem(f->c, QUIZ_FILE, "$.schema_version", "reads schema_version 1");
    assert_int_equal(f->c->nlessons, 0);
    assert_int_equal(f->c->nquizzes, 0);
}

/* ------------------------------------------------------------------ ids and references */

static void test_ids_must_be_unique_across_files(void **state)
{
    Fixture *f = *state;
    char a[TEXT_CAP], b[TEXT_CAP], quiz[TEXT_CAP];
    write_text(f, LESSON_FILE, lesson_text(a, sizeof a, NULL));
    /* a second lesson with the first one's id */
    write_text(f, "content/terminology/fx-b.json", lesson_text(b, sizeof b, &(LessonParts){.objective = "fx-b-obj"}));
    /* a quiz with the lesson's id: lessons and quizzes share one namespace */
    write_text(f, QUIZ_FILE, quiz_text(quiz, sizeof quiz, &(QuizParts){.id = "fx-a"}));
    load(f);

    assert_problem_count(f->c, 2);
    const Problem *p = expect_problem(f->c, "content/terminology/fx-b.json", "$.id",
                                      "id \"fx-a\" is already used by " LESSON_FILE " ($.id)");
    assert_non_null(strstr(p->message, "ids must be unique"));
    assert_int_equal(p->line, 3);
    expect_problem(f->c, QUIZ_FILE, "$.id", "id \"fx-a\" is already used by " LESSON_FILE);
    /* the first declaration stands */
    assert_int_equal(f->c->nlessons, 1);
    assert_string_equal(f->c->lessons[0].file, LESSON_FILE);
    assert_int_equal(f->c->nquizzes, 0);
}

static void test_item_and_objective_ids_must_be_unique_too(void **state)
{
    Fixture *f = *state;
    char a[TEXT_CAP], b[TEXT_CAP], q1[TEXT_CAP], q2[TEXT_CAP];
    write_text(f, LESSON_FILE, lesson_text(a, sizeof a, NULL));
    write_text(f, "content/terminology/fx-b.json",
               lesson_text(b, sizeof b, &(LessonParts){.id = "fx-b", .objective = "fx-a-obj"}));
    write_text(f, QUIZ_FILE, quiz_text(q1, sizeof q1, NULL));
    write_text(f, "quizzes/fx-b-quiz.json", quiz_text(q2, sizeof q2, &(QuizParts){.id = "fx-b-quiz"}));
    load(f);

    assert_problem_count(f->c, 2);
    expect_problem(f->c, "content/terminology/fx-b.json", "$.objectives[0].id",
                   "id \"fx-a-obj\" is already used by " LESSON_FILE " ($.objectives[0].id)");
    expect_problem(f->c, "quizzes/fx-b-quiz.json", "$.items[0].id",
                   "id \"fx-a-q1\" is already used by " QUIZ_FILE " ($.items[0].id)");
    assert_true(lesson_loaded(f->c, "fx-a"));
    assert_false(lesson_loaded(f->c, "fx-b"));
    assert_true(quiz_loaded(f->c, "fx-a-quiz"));
    assert_false(quiz_loaded(f->c, "fx-b-quiz"));
}

static void test_a_prerequisite_that_names_no_lesson_is_reported(void **state)
{
    Fixture *f = *state;
    char text[TEXT_CAP];
    load_lesson_parts(f, &(LessonParts){.prerequisites = "[\"fx-nowhere\"]"}, text, sizeof text);

    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, LESSON_FILE, "$.prerequisites[0]", "no lesson has the id \"fx-nowhere\"");
    assert_points_at(p, text, "\"fx-nowhere\"");
    assert_int_equal(f->c->nlessons, 0);
}

static void test_a_lesson_that_requires_itself_is_reported(void **state)
{
    Fixture *f = *state;
    char text[TEXT_CAP];
    load_lesson_parts(f, &(LessonParts){.prerequisites = "[\"fx-a\"]"}, text, sizeof text);

    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, LESSON_FILE, "$.prerequisites[0]", "cannot require itself");
    assert_points_at(p, text, "\"fx-a\"]");
    assert_int_equal(f->c->nlessons, 0);
}

static void test_a_prerequisite_cycle_is_reported(void **state)
{
    Fixture *f = *state;
    char a[TEXT_CAP], b[TEXT_CAP], c[TEXT_CAP];
    /* fx-a -> fx-b -> fx-c -> fx-a */
    write_text(f, "content/terminology/fx-a.json", lesson_text(a, sizeof a, &(LessonParts){.prerequisites = "[\"fx-b\"]"}));
    write_text(f, "content/terminology/fx-b.json",
               lesson_text(b, sizeof b, &(LessonParts){.id = "fx-b", .prerequisites = "[\"fx-c\"]"}));
    write_text(f, "content/terminology/fx-c.json",
               lesson_text(c, sizeof c, &(LessonParts){.id = "fx-c", .prerequisites = "[\"fx-a\"]"}));
    load(f);

    /* the walk starts at fx-a, so the prerequisite that closes the loop is fx-c's */
    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, "content/terminology/fx-c.json", "$.prerequisites[0]",
                                      "the prerequisites form a cycle");
    assert_non_null(strstr(p->message, "prerequisite \"fx-a\" leads back to \"fx-c\""));
    assert_points_at(p, c, "\"fx-a\"]");
    assert_false(lesson_loaded(f->c, "fx-c"));
}

static void test_a_link_to_a_missing_lesson_is_reported(void **state)
{
    Fixture *f = *state;
    char text[TEXT_CAP], quiz[TEXT_CAP];
    load_lesson_parts(f,
                      &(LessonParts){.blocks = "[{ \"type\": \"paragraph\", \"text\": \"Suffixes come next, in "
                                               "[More suffixes](lesson:fx-nowhere).\" }]"},
                      text, sizeof text);
    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, LESSON_FILE, "$.blocks[0].text", "no lesson has the id \"fx-nowhere\"");
    assert_points_at(p, text, "\"Suffixes come next");
    assert_int_equal(f->c->nlessons, 0);

    /* a link to a quiz is not a link to a lesson */
    content_free(f->c);
    f->c = NULL;
    write_text(f, LESSON_FILE,
               lesson_text(text, sizeof text,
                           &(LessonParts){.blocks = "[{ \"type\": \"paragraph\", \"text\": \"Then try "
                                                    "[the check](lesson:fx-a-quiz).\" }]"}));
    write_text(f, QUIZ_FILE, quiz_text(quiz, sizeof quiz, NULL));
    load(f);
    assert_problem_count(f->c, 1);
    expect_problem(f->c, LESSON_FILE, "$.blocks[0].text", "\"fx-a-quiz\" is a quiz, not a lesson");
}

static void test_a_quiz_lesson_that_names_no_lesson_is_reported(void **state)
{
    Fixture *f = *state;
    char lesson[TEXT_CAP], quiz[TEXT_CAP];
    write_text(f, LESSON_FILE, lesson_text(lesson, sizeof lesson, NULL));
    write_text(f, QUIZ_FILE, quiz_text(quiz, sizeof quiz, &(QuizParts){.lessons = "[\"fx-a\", \"fx-gone\"]"}));
    load(f);

    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, QUIZ_FILE, "$.lessons[1]", "no lesson has the id \"fx-gone\"");
    assert_points_at(p, quiz, "\"fx-gone\"");
    assert_int_equal(f->c->nquizzes, 0);
}

static void test_an_item_objective_must_be_declared_by_a_lesson(void **state)
{
    Fixture *f = *state;
    char quiz[TEXT_CAP], item[2048];
    snprintf(item, sizeof item, "%s", ITEM_SINGLE("0"));
    replace_once(item, sizeof item, "[\"fx-a-obj\"]", "[\"fx-a-obj\", \"fx-undeclared\"]");
    load_quiz_items(f, item, quiz, sizeof quiz);

    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, QUIZ_FILE, "$.items[0].objectives[1]",
                                      "objective \"fx-undeclared\" is not declared by any lesson");
    assert_points_at(p, quiz, "\"fx-undeclared\"");
    assert_int_equal(f->c->nquizzes, 0);
    assert_int_equal(f->c->nlessons, 1);
}

static void test_a_lesson_track_must_match_its_folder(void **state)
{
    Fixture *f = *state;
    char a[TEXT_CAP], b[TEXT_CAP];
    write_text(f, LESSON_FILE, lesson_text(a, sizeof a, &(LessonParts){.track = "\"anatomy\""}));
    write_text(f, "content/terminology/fx-b.json", lesson_text(b, sizeof b, &(LessonParts){.id = "fx-b", .track = "\"radiology\""}));
    load(f);

    assert_problem_count(f->c, 2);
    const Problem *p = expect_problem(f->c, LESSON_FILE, "$.track",
                                      "track \"anatomy\" does not match the folder content/terminology/");
    assert_points_at(p, a, "\"anatomy\"");
    expect_problem(f->c, "content/terminology/fx-b.json", "$.track", "\"radiology\" is not a track");
    assert_int_equal(f->c->nlessons, 0);
}

/* ------------------------------------------------------------------ images */

#define IMAGE_BLOCK(src)                                                                      \
    "[{ \"type\": \"image\", \"src\": \"" src "\", \"alt\": \"A rectangle for the stomach "  \
    "beside a circle for the gallbladder.\", \"caption\": \"The stomach and the gallbladder.\" }]"

static void test_an_image_path_with_dot_dot_is_refused(void **state)
{
    Fixture *f = *state;
    char text[TEXT_CAP];
    /* the file it names exists; the path is refused anyway */
    load_lesson_parts(f, &(LessonParts){.blocks = IMAGE_BLOCK("assets/../assets/fx/shape.svg")}, text, sizeof text);

    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, LESSON_FILE, "$.blocks[0].src",
                                      "must be a relative path inside the content root");
    assert_points_at(p, text, "\"assets/../");
    assert_int_equal(f->c->nlessons, 0);
}

static void test_an_absolute_image_path_is_refused(void **state)
{
    Fixture *f = *state;
    char text[TEXT_CAP], blocks[2 * PATH_CAP];
    snprintf(blocks, sizeof blocks,
             "[{ \"type\": \"image\", \"src\": \"%s/" SVG_FILE "\", \"alt\": \"A rectangle and a circle.\", "
             "\"caption\": \"The stomach and the gallbladder.\" }]", f->root);
    load_lesson_parts(f, &(LessonParts){.blocks = blocks}, text, sizeof text);

    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, LESSON_FILE, "$.blocks[0].src", "no leading /");
    assert_non_null(strstr(p->message, f->root));
    assert_int_equal(f->c->nlessons, 0);
}

static void test_a_missing_image_is_reported(void **state)
{
    Fixture *f = *state;
    char text[TEXT_CAP], quiz[TEXT_CAP];
    load_lesson_parts(f, &(LessonParts){.blocks = IMAGE_BLOCK("assets/fx/missing.svg")}, text, sizeof text);
    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, LESSON_FILE, "$.blocks[0].src",
                                      "image \"assets/fx/missing.svg\" does not exist under the content root");
    assert_points_at(p, text, "\"assets/fx/missing.svg\"");

    /* and in a hotspot item */
    content_free(f->c);
    f->c = NULL;
    char item[4096];
    snprintf(item, sizeof item, "%s", ITEM_HOTSPOT("fx-a-q5", GOOD_POLYGON, GOOD_CIRCLE, "gallbladder"));
    replace_once(item, sizeof item, SVG_FILE, "assets/fx/missing.svg");
    load_quiz_items(f, item, quiz, sizeof quiz);
    assert_problem_count(f->c, 1);
    expect_problem(f->c, QUIZ_FILE, "$.items[0].image", "image \"assets/fx/missing.svg\" does not exist");
    assert_int_equal(f->c->nquizzes, 0);
}

static void test_an_image_label_outside_its_image_is_reported(void **state)
{
    Fixture *f = *state;
    char text[TEXT_CAP];
    load_lesson_parts(f,
                      &(LessonParts){.blocks = "[{ \"type\": \"image\", \"src\": \"" SVG_FILE "\", \"alt\": \"A "
                                               "rectangle and a circle.\", \"caption\": \"Two organs.\", \"labels\": "
                                               "[{ \"x\": 60, \"y\": 50, \"text\": \"Stomach\" }, "
                                               "{ \"x\": 250, \"y\": 50, \"text\": \"Gallbladder\" }] }]"},
                      text, sizeof text);
    assert_problem_count(f->c, 1);
    expect_problem(f->c, LESSON_FILE, "$.blocks[0].labels[1]", "label point (250, 50) lies outside the image (200 x 100)");
}

/* ------------------------------------------------------------------ answer keys */

static void test_an_answer_index_out_of_range_is_reported(void **state)
{
    Fixture *f = *state;
    char quiz[TEXT_CAP];
    load_quiz_items(f, ITEM_SINGLE("2"), quiz, sizeof quiz);

    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, QUIZ_FILE, "$.items[0].answer",
                                      "expected a whole number from 0 to 1, found 2");
    assert_points_at(p, quiz, "2 }");
    assert_int_equal(f->c->nquizzes, 0);
}

static void test_a_repeated_multiple_response_answer_is_reported(void **state)
{
    Fixture *f = *state;
    char quiz[TEXT_CAP];
    load_quiz_items(f, ITEM_MULTI("[1, 1]"), quiz, sizeof quiz);

    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, QUIZ_FILE, "$.items[0].answers[1]", "option 1 is listed twice");
    assert_points_at(p, quiz, "1]");
    assert_int_equal(f->c->nquizzes, 0);
}

static void test_a_hotspot_region_outside_its_image_is_reported(void **state)
{
    Fixture *f = *state;
    char quiz[TEXT_CAP];
    load_quiz_items(f,
                    ITEM_HOTSPOT("fx-a-q5", GOOD_POLYGON, "{ \"cx\": 185, \"cy\": 50, \"r\": 30 }", "gallbladder") ",\n"
                    ITEM_HOTSPOT("fx-a-q6", "[[20, 20], [100, 20], [100, 120], [20, 80]]", GOOD_CIRCLE, "stomach"),
                    quiz, sizeof quiz);

    assert_problem_count(f->c, 2);
    const Problem *p = expect_problem(f->c, QUIZ_FILE, "$.items[1].regions[0].polygon[2]",
                                      "point (100, 120) lies outside the image (200 x 100)");
    assert_points_at(p, quiz, "[100, 120]");
    /* the circle is the item's second region */
    p = expect_problem(f->c, QUIZ_FILE, "$.items[0].regions[1].circle",
                       "circle (185, 50, r 30) reaches outside the image (200 x 100)");
    assert_points_at(p, quiz, "{ \"cx\": 185");
    assert_int_equal(f->c->nquizzes, 0);
}

static void test_a_hotspot_answer_must_name_one_of_its_regions(void **state)
{
    Fixture *f = *state;
    char quiz[TEXT_CAP];
    load_quiz_items(f, ITEM_HOTSPOT("fx-a-q5", GOOD_POLYGON, GOOD_CIRCLE, "spleen"), quiz, sizeof quiz);

    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, QUIZ_FILE, "$.items[0].answer",
                                      "\"spleen\" is not the id of one of this item's regions");
    assert_points_at(p, quiz, "\"spleen\"");
    assert_int_equal(f->c->nquizzes, 0);
}

static void test_a_code_entry_item_with_a_malformed_code_is_reported(void **state)
{
    Fixture *f = *state;
    char quiz[TEXT_CAP];
    /* ICD-10-CM codes keep their dot: E119 is not a code */
    load_quiz_items(f, ITEM_CODE("[\"E11.9\", \"E119\"]"), quiz, sizeof quiz);

    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, QUIZ_FILE, "$.items[0].codes[1]", "\"E119\" is not a well-formed code");
    assert_points_at(p, quiz, "\"E119\"");
    assert_int_equal(f->c->nquizzes, 0);
}

static void test_matching_sides_must_be_distinct(void **state)
{
    Fixture *f = *state;
    char quiz[TEXT_CAP];
    /* the same left side twice, then the same right side twice */
    load_quiz_items(f, ITEM_MATCH("gastr/o", "liver"), quiz, sizeof quiz);
    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, QUIZ_FILE, "$.items[0].pairs[1]", "left side \"gastr/o\" appears twice");
    assert_points_at(p, quiz, "{ \"left\": \"gastr/o\", \"right\": \"liver\"");

    content_free(f->c);
    f->c = NULL;
    load_quiz_items(f, ITEM_MATCH("hepat/o", "stomach"), quiz, sizeof quiz);
    assert_problem_count(f->c, 1);
    expect_problem(f->c, QUIZ_FILE, "$.items[0].pairs[1]", "right side \"stomach\" appears twice");
    assert_int_equal(f->c->nquizzes, 0);
}

/* ------------------------------------------------------------------ inline markup */

static void test_unclosed_emphasis_in_a_paragraph_is_reported(void **state)
{
    Fixture *f = *state;
    char text[TEXT_CAP];
    load_lesson_parts(f, &(LessonParts){.blocks = "[{ \"type\": \"paragraph\", \"text\": \"The root *gastr means stomach.\" }]"},
                      text, sizeof text);

    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, LESSON_FILE, "$.blocks[0].text", "unclosed *");
    assert_non_null(strstr(p->message, "escape a literal star"));
    assert_points_at(p, text, "\"The root *gastr");
    assert_int_equal(f->c->nlessons, 0);
}

static void test_a_malformed_code_reference_is_reported(void **state)
{
    Fixture *f = *state;
    char text[TEXT_CAP];
    load_lesson_parts(f,
                      &(LessonParts){.blocks = "[{ \"type\": \"paragraph\", \"text\": \"Root words first.\" }, "
                                               "{ \"type\": \"callout\", \"kind\": \"tip\", \"text\": \"Type 2 "
                                               "diabetes without complications is [[E119]].\" }]"},
                      text, sizeof text);

    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, LESSON_FILE, "$.blocks[1].text", "[[E119]] is not a well-formed");
    assert_non_null(strstr(p->message, "take their dot"));
    assert_points_at(p, text, "\"Type 2");
    assert_int_equal(f->c->nlessons, 0);
}

static void test_a_guideline_callout_must_name_its_section(void **state)
{
    Fixture *f = *state;
    char text[TEXT_CAP];
    load_lesson_parts(f,
                      &(LessonParts){.blocks = "[{ \"type\": \"callout\", \"kind\": \"guideline\", \"text\": \"Use "
                                               "both the Index and the Tabular List.\" }]"},
                      text, sizeof text);
    assert_problem_count(f->c, 1);
    const Problem *p = expect_problem(f->c, LESSON_FILE, "$.blocks[0].section", "missing required field \"section\"");
    assert_points_at(p, text, "{ \"type\": \"callout\"");
}

/* ------------------------------------------------------------------ robustness */

static void test_a_bad_file_never_hides_the_good_ones(void **state)
{
    Fixture *f = *state;
    char good[TEXT_CAP], broken[TEXT_CAP], incomplete[TEXT_CAP], quiz[TEXT_CAP];
    /* a lesson that is not valid JSON, in a track read before terminology */
    lesson_text(broken, sizeof broken, &(LessonParts){.id = "fx-heart", .track = "\"anatomy\""});
    replace_once(broken, sizeof broken, "\"fx-heart\",\n", "\"fx-heart\"\n");
    /* a valid-JSON lesson that lacks its blocks, in the same folder as the good one */
    lesson_text(incomplete, sizeof incomplete, &(LessonParts){.id = "fx-b", .blocks = OMIT});
    const FileSpec files[] = {
        {"content/anatomy/fx-heart.json", broken},
        {"content/terminology/fx-a.json", lesson_text(good, sizeof good, NULL)},
        {"content/terminology/fx-b.json", incomplete},
        {QUIZ_FILE, quiz_text(quiz, sizeof quiz, NULL)},
    };
    write_files(f, files, sizeof files / sizeof files[0]);
    load(f);

    assert_int_equal(f->c->files_read, 4);
    assert_problem_count(f->c, 2);
    expect_problem(f->c, "content/anatomy/fx-heart.json", "$", "invalid JSON");
    expect_problem(f->c, "content/terminology/fx-b.json", "$.blocks", "missing required field \"blocks\"");
    assert_int_equal(f->c->nlessons, 1);
    assert_string_equal(f->c->lessons[0].id, "fx-a");
    assert_int_equal(f->c->lessons[0].nblocks, 1);
    assert_int_equal(f->c->nquizzes, 1);
    assert_string_equal(f->c->quizzes[0].id, "fx-a-quiz");
    assert_int_equal(f->c->quizzes[0].nitems, 1);
    /* problems come in file order */
    assert_string_equal(f->c->problems[0].file, "content/anatomy/fx-heart.json");
}

static void test_lessons_follow_their_prerequisites_even_when_their_files_sort_first(void **state)
{
    Fixture *f = *state;
    char a[TEXT_CAP], b[TEXT_CAP], c[TEXT_CAP], d[TEXT_CAP];
    const FileSpec files[] = {
        {"content/terminology/a-advanced.json",
         lesson_text(a, sizeof a, &(LessonParts){.id = "fx-advanced", .prerequisites = "[\"fx-middle\"]"})},
        {"content/terminology/b-middle.json",
         lesson_text(b, sizeof b, &(LessonParts){.id = "fx-middle", .prerequisites = "[\"fx-intro\"]"})},
        {"content/terminology/c-intro.json", lesson_text(c, sizeof c, &(LessonParts){.id = "fx-intro"})},
        /* a later track is listed later whatever its prerequisites */
        {"content/billing/a-claims.json",
         lesson_text(d, sizeof d, &(LessonParts){.id = "fx-claims", .track = "\"billing\"",
                                                 .prerequisites = "[\"fx-advanced\"]"})},
    };
    write_files(f, files, sizeof files / sizeof files[0]);
    load(f);

    assert_problem_count(f->c, 0);
    assert_int_equal(f->c->nlessons, 4);
    assert_string_equal(f->c->lessons[0].id, "fx-intro");
    assert_string_equal(f->c->lessons[1].id, "fx-middle");
    assert_string_equal(f->c->lessons[2].id, "fx-advanced");
    assert_string_equal(f->c->lessons[3].id, "fx-claims");
    assert_int_equal(f->c->lessons[3].track, TRACK_BILLING);
}

static void test_a_problem_is_formatted_as_file_line_col_path_message(void **state)
{
    Fixture *f = *state;
    char text[TEXT_CAP], out[512];
    load_lesson_parts(f, &(LessonParts){.minutes = "\"ten\""}, text, sizeof text);
    assert_problem_count(f->c, 1);
    int line, col;
    position_of(text, "\"ten\"", &line, &col);
    assert_int_equal(line, 8); /* `  "minutes": "ten",` */
    assert_int_equal(col, 14);
    content_format_problem(&f->c->problems[0], out, sizeof out);
    assert_string_equal(out, "content/terminology/fx-a.json:8:14: $.minutes: "
                             "expected a whole number from 1 to 240, found a string");

    /* a whole-file problem, built by hand */
    const Problem whole = {"quizzes/x.json", 0, 0, "$", "cannot open"};
    content_format_problem(&whole, out, sizeof out);
    assert_string_equal(out, "quizzes/x.json:0:0: $: cannot open");

    /* a small buffer truncates but stays terminated */
    char small[12];
    memset(small, 'x', sizeof small);
    content_format_problem(&f->c->problems[0], small, sizeof small);
    assert_string_equal(small, "content/ter");
}

static void test_a_content_root_that_is_not_a_folder_fails_with_a_message(void **state)
{
    Fixture *f = *state;
    char file[PATH_CAP], missing[PATH_CAP];
    write_text(f, "not-a-folder.json", "{}\n");
    snprintf(file, sizeof file, "%s/not-a-folder.json", f->root);
    snprintf(missing, sizeof missing, "%s/no-such-folder", f->root);

    CpError err = {{0}};
    assert_null(content_load(file, &err));
    assert_non_null(strstr(err.msg, "content root is not a folder"));
    assert_non_null(strstr(err.msg, file));

    memset(&err, 0, sizeof err);
    assert_null(content_load(missing, &err));
    assert_non_null(strstr(err.msg, "content root is not a folder"));
    assert_non_null(strstr(err.msg, "no-such-folder"));
}

static void test_an_empty_content_root_loads_nothing_and_reports_nothing(void **state)
{
    Fixture *f = *state;
    load(f);
    assert_int_equal(f->c->nlessons, 0);
    assert_int_equal(f->c->nquizzes, 0);
    assert_int_equal(f->c->nproblems, 0);
    assert_int_equal(f->c->files_read, 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_the_good_fixture_loads_every_lesson_and_quiz_without_problems),
        T(test_every_code_the_good_fixture_names_is_visited),
        T(test_the_small_lesson_and_quiz_the_bad_tests_start_from_are_valid),
        T(test_invalid_json_is_reported_with_its_line_and_column),
        T(test_a_truncated_file_is_reported_as_ending_early),
        T(test_a_file_cut_off_inside_a_string_is_reported_as_ending_early),
        T(test_a_file_that_is_not_json_at_all_is_reported),
        T(test_a_missing_required_field_points_at_the_object_that_lacks_it),
        T(test_a_value_of_the_wrong_type_says_what_was_expected),
        T(test_an_unknown_field_is_reported_as_a_likely_typo),
        T(test_a_newer_schema_version_is_refused),
        T(test_ids_must_be_unique_across_files),
        T(test_item_and_objective_ids_must_be_unique_too),
        T(test_a_prerequisite_that_names_no_lesson_is_reported),
        T(test_a_lesson_that_requires_itself_is_reported),
        T(test_a_prerequisite_cycle_is_reported),
        T(test_a_link_to_a_missing_lesson_is_reported),
        T(test_a_quiz_lesson_that_names_no_lesson_is_reported),
        T(test_an_item_objective_must_be_declared_by_a_lesson),
        T(test_a_lesson_track_must_match_its_folder),
        T(test_an_image_path_with_dot_dot_is_refused),
        T(test_an_absolute_image_path_is_refused),
        T(test_a_missing_image_is_reported),
        T(test_an_image_label_outside_its_image_is_reported),
        T(test_an_answer_index_out_of_range_is_reported),
        T(test_a_repeated_multiple_response_answer_is_reported),
        T(test_a_hotspot_region_outside_its_image_is_reported),
        T(test_a_hotspot_answer_must_name_one_of_its_regions),
        T(test_a_code_entry_item_with_a_malformed_code_is_reported),
        T(test_matching_sides_must_be_distinct),
        T(test_unclosed_emphasis_in_a_paragraph_is_reported),
        T(test_a_malformed_code_reference_is_reported),
        T(test_a_guideline_callout_must_name_its_section),
        T(test_a_bad_file_never_hides_the_good_ones),
        T(test_lessons_follow_their_prerequisites_even_when_their_files_sort_first),
        T(test_a_problem_is_formatted_as_file_line_col_path_message),
        T(test_a_content_root_that_is_not_a_folder_fails_with_a_message),
        T(test_an_empty_content_root_loads_nothing_and_reports_nothing),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_text.c - cmocka tests for app/core/richtext.c (inline markup) and
 * app/core/wrap.c (word wrapping of styled spans).
 *
 * Layout uses a fixed-width measuring callback (10 px a byte, +8 for a code chip,
 * like the UI's padding) so every expected position is exact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "richtext.h"
#include "wrap.h"

/* ---- helpers ---- */

#define SPANS_CAP 64
#define BUF_CAP 2048
#define RUNS_CAP 128

typedef struct Parsed {
    RichSpan spans[SPANS_CAP];
    char buf[BUF_CAP];
    RichText rt;
} Parsed;

static int parse(const char *src, Parsed *p)
{
    memset(p, 0, sizeof *p);
    p->rt.spans = p->spans;
    p->rt.cap = SPANS_CAP;
    p->rt.buf = p->buf;
    p->rt.buf_cap = sizeof p->buf;
    return rich_parse(src, &p->rt);
}

/* Copies text[0..len) into a NUL-terminated scratch string for readable asserts. */
static const char *str(const char *text, size_t len)
{
    static char scratch[4][512];
    static int next;
    char *s = scratch[next++ % 4];
    if (len >= sizeof scratch[0]) len = sizeof scratch[0] - 1;
    if (len) memcpy(s, text, len);
    s[len] = '\0';
    return s;
}

static void assert_span(const RichSpan *s, int style, const char *text)
{
    assert_int_equal(s->style, style);
    assert_string_equal(str(s->text, s->len), text);
}

typedef struct Report {
    int nproblems;
    char problems[8][256];
    int nrefs;
    int kinds[8];
    char refs[8][64];
} Report;

static void on_problem(void *user, const char *message)
{
    Report *r = user;
    if (r->nproblems < 8) snprintf(r->problems[r->nproblems], sizeof r->problems[0], "%s", message);
    r->nproblems++;
}

static void on_ref(void *user, int kind, const char *target, size_t len)
{
    Report *r = user;
    if (r->nrefs < 8) {
        r->kinds[r->nrefs] = kind;
        snprintf(r->refs[r->nrefs], sizeof r->refs[0], "%.*s", (int)len, target);
    }
    r->nrefs++;
}

static int check(const char *src, Report *r)
{
    memset(r, 0, sizeof *r);
    return rich_check(src, on_problem, on_ref, r);
}

static int is_well_formed(const char *code)
{
    return rich_code_is_well_formed(code, strlen(code));
}

/* 10 px a byte; a code chip adds 8 px of padding, as the UI does. */
static int measure_fixed(void *user, int style, const char *text, size_t len)
{
    (void)user;
    (void)text;
    return (int)len * 10 + ((style & RICH_CODE) ? 8 : 0);
}

/* Like measure_fixed plus 3 px a call (side bearings), so a run measured whole
 * differs from the sum of its words. */
static int measure_padded(void *user, int style, const char *text, size_t len)
{
    return measure_fixed(user, style, text, len) + 3;
}

typedef struct Laid {
    Parsed p;
    WrapRun runs[RUNS_CAP];
    WrapOut out;
} Laid;

/* Parses src and lays it out max_width wide with cap runs. */
static void lay_out_with(const char *src, int max_width, int cap, WrapMeasureFn fn, Laid *l)
{
    assert_int_equal(parse(src, &l->p), 0);
    memset(&l->out, 0, sizeof l->out);
    l->out.runs = l->runs;
    l->out.cap = cap;
    wrap_layout(l->p.spans, l->p.rt.count, max_width, fn, NULL, &l->out);
}

static void lay_out(const char *src, int max_width, Laid *l)
{
    lay_out_with(src, max_width, RUNS_CAP, measure_fixed, l);
}

static void assert_run(const WrapRun *r, const char *text, int line, int x, int width)
{
    assert_string_equal(str(r->text, r->len), text);
    assert_int_equal(r->line, line);
    assert_int_equal(r->x, x);
    assert_int_equal(r->width, width);
}

/* Every run fits in max_width, except a single character alone at the start of a
 * line (the layout puts at least one character on a line). */
static void assert_within_width(const Laid *l, int max_width)
{
    for (int i = 0; i < l->out.count; i++) {
        const WrapRun *r = &l->out.runs[i];
        if (r->x + r->width <= max_width) continue;
        int one_char = r->len == 1 || (r->len <= 4 && ((unsigned char)r->text[0] & 0xC0) == 0xC0);
        if (!(one_char && r->x == 0))
            fail_msg("run %d \"%s\" at x=%d, %d px wide, ends past the %d px line", i,
                     str(r->text, r->len), r->x, r->width, max_width);
    }
}

/* ---- markup ---- */

static void test_plain_text_is_one_unstyled_span(void **state)
{
    (void)state;
    Parsed p;
    assert_int_equal(parse("Hello, coding world.", &p), 0);
    assert_int_equal(p.rt.count, 1);
    assert_span(&p.spans[0], 0, "Hello, coding world.");
    assert_null(p.spans[0].target);
    Report r;
    assert_int_equal(check("Hello, coding world.", &r), 0);
    assert_int_equal(r.nrefs, 0);
}

static void test_emphasis_and_strong_produce_styled_spans(void **state)
{
    (void)state;
    Parsed p;
    assert_int_equal(parse("a *b* **c** d", &p), 0);
    assert_int_equal(p.rt.count, 5);
    assert_span(&p.spans[0], 0, "a ");
    assert_span(&p.spans[1], RICH_EM, "b");
    assert_span(&p.spans[2], 0, " ");
    assert_span(&p.spans[3], RICH_STRONG, "c");
    assert_span(&p.spans[4], 0, " d");
    Report r;
    assert_int_equal(check("a *b* **c** d", &r), 0);
}

static void test_nested_emphasis_inside_strong_combines_styles(void **state)
{
    (void)state;
    Parsed p;
    assert_int_equal(parse("**bold *both* bold**", &p), 0);
    assert_int_equal(p.rt.count, 3);
    assert_span(&p.spans[0], RICH_STRONG, "bold ");
    assert_span(&p.spans[1], RICH_STRONG | RICH_EM, "both");
    assert_span(&p.spans[2], RICH_STRONG, " bold");
    Report r;
    assert_int_equal(check("**bold *both* bold**", &r), 0);
}

static void test_escapes_give_literal_characters(void **state)
{
    (void)state;
    const char *src = "\\*not em\\* \\[x\\] back\\\\slash";
    Parsed p;
    assert_int_equal(parse(src, &p), 0);
    assert_int_equal(p.rt.count, 1);
    assert_span(&p.spans[0], 0, "*not em* [x] back\\slash");
    Report r;
    assert_int_equal(check(src, &r), 0);
}

static void test_an_unclosed_star_is_plain_text_and_is_reported(void **state)
{
    (void)state;
    Parsed p;
    assert_int_equal(parse("2 * 3 = 6", &p), 0);
    assert_int_equal(p.rt.count, 1);
    assert_span(&p.spans[0], 0, "2 * 3 = 6");
    Report r;
    assert_int_equal(check("2 * 3 = 6", &r), 1);
    assert_non_null(strstr(r.problems[0], "unclosed"));

    assert_int_equal(parse("**never closed", &p), 0);
    assert_int_equal(p.rt.count, 1);
    assert_span(&p.spans[0], 0, "**never closed");
    assert_int_equal(check("**never closed", &r), 1);
    assert_non_null(strstr(r.problems[0], "**"));
}

static void test_a_lesson_link_gives_a_link_span_and_a_reference(void **state)
{
    (void)state;
    const char *src = "See [the basics](lesson:dx-basics) first.";
    Parsed p;
    assert_int_equal(parse(src, &p), 0);
    assert_int_equal(p.rt.count, 3);
    assert_span(&p.spans[0], 0, "See ");
    assert_span(&p.spans[1], RICH_LINK, "the basics");
    assert_string_equal(str(p.spans[1].target, p.spans[1].target_len), "dx-basics");
    assert_span(&p.spans[2], 0, " first.");
    Report r;
    assert_int_equal(check(src, &r), 0);
    assert_int_equal(r.nrefs, 1);
    assert_int_equal(r.kinds[0], RICH_LINK);
    assert_string_equal(r.refs[0], "dx-basics");
}

static void test_a_link_inside_strong_keeps_both_styles(void **state)
{
    (void)state;
    Parsed p;
    assert_int_equal(parse("**read [this](lesson:a)**", &p), 0);
    assert_int_equal(p.rt.count, 2);
    assert_span(&p.spans[0], RICH_STRONG, "read ");
    assert_span(&p.spans[1], RICH_STRONG | RICH_LINK, "this");
    assert_string_equal(str(p.spans[1].target, p.spans[1].target_len), "a");
}

static void test_a_link_target_that_is_not_lesson_is_reported(void **state)
{
    (void)state;
    const char *src = "[site](https://example.com)";
    Report r;
    assert_int_equal(check(src, &r), 1);
    assert_non_null(strstr(r.problems[0], "https://example.com"));
    assert_non_null(strstr(r.problems[0], "lesson:ID"));
    assert_int_equal(r.nrefs, 0);
    Parsed p;
    assert_int_equal(parse(src, &p), 0);
    assert_int_equal(p.rt.count, 1);
    assert_span(&p.spans[0], 0, src); /* shown as typed, not as a link */
}

static void test_a_link_without_text_is_reported(void **state)
{
    (void)state;
    Report r;
    assert_int_equal(check("[](lesson:dx-basics)", &r), 1);
    assert_non_null(strstr(r.problems[0], "no text"));
}

static void test_a_link_missing_its_closing_parenthesis_is_reported(void **state)
{
    (void)state;
    /* an author's typo: the link is shown as raw markup, so rich_check must say so */
    Report r;
    assert_int_equal(check("See [the basics](lesson:dx-basics for more.", &r), 1);
}

static void test_a_code_reference_gives_a_code_span_and_a_reference(void **state)
{
    (void)state;
    const char *src = "Code [[E11.9]] here.";
    Parsed p;
    assert_int_equal(parse(src, &p), 0);
    assert_int_equal(p.rt.count, 3);
    assert_span(&p.spans[0], 0, "Code ");
    assert_span(&p.spans[1], RICH_CODE, "E11.9");
    assert_string_equal(str(p.spans[1].target, p.spans[1].target_len), "E11.9");
    assert_span(&p.spans[2], 0, " here.");
    Report r;
    assert_int_equal(check(src, &r), 0);
    assert_int_equal(r.nrefs, 1);
    assert_int_equal(r.kinds[0], RICH_CODE);
    assert_string_equal(r.refs[0], "E11.9");
}

static void test_a_malformed_or_unclosed_code_reference_is_reported(void **state)
{
    (void)state;
    Report r;
    assert_int_equal(check("Use [[e119]].", &r), 1);
    assert_non_null(strstr(r.problems[0], "e119"));
    assert_int_equal(r.nrefs, 1); /* still reported, so the checker can look it up */

    assert_int_equal(check("Use [[E11.9 now.", &r), 1);
    assert_non_null(strstr(r.problems[0], "]]"));
    Parsed p;
    assert_int_equal(parse("Use [[E11.9 now.", &p), 0);
    assert_int_equal(p.rt.count, 1);
    assert_span(&p.spans[0], 0, "Use [[E11.9 now.");
}

static void test_well_formed_codes_are_accepted(void **state)
{
    (void)state;
    assert_true(is_well_formed("E11.9"));    /* ICD-10-CM with its dot */
    assert_true(is_well_formed("I10"));      /* category only */
    assert_true(is_well_formed("W21.89XA")); /* seventh character */
    assert_true(is_well_formed("QA0"));      /* letter in second place (FY2026) */
    assert_true(is_well_formed("0DTJ4ZZ"));  /* ICD-10-PCS */
    assert_true(is_well_formed("E0114"));    /* HCPCS Level II */
}

static void test_malformed_codes_are_refused(void **state)
{
    (void)state;
    assert_false(is_well_formed("e119"));    /* lower case, no dot */
    assert_false(is_well_formed("E11."));    /* dot with nothing after */
    assert_false(is_well_formed("X"));       /* too short */
    assert_false(is_well_formed("0DTJ4ZI")); /* I is not a PCS character */
    assert_false(is_well_formed("0DTJ4ZO")); /* nor is O */
    assert_false(is_well_formed("E119"));    /* CM code without its dot */
    assert_false(is_well_formed("E11.12345")); /* too long */
    assert_false(is_well_formed(""));
}

static void test_parse_reports_running_out_of_spans(void **state)
{
    (void)state;
    RichSpan spans[2];
    char buf[256];
    RichText rt = {spans, 0, 2, buf, 0, sizeof buf};
    assert_int_equal(rich_parse("a *b* c *d*", &rt), -1);
    assert_int_equal(rt.count, 2);
    assert_string_equal(str(spans[0].text, spans[0].len), "a ");
    assert_string_equal(str(spans[1].text, spans[1].len), "b");
}

static void test_a_buffer_of_twice_the_source_always_suffices(void **state)
{
    (void)state;
    static const char *const srcs[] = {
        "x", "[a](lesson:b)", "[[E11.9]]", "**a** *b* \\* [t](lesson:id) [[I10]] end",
        "*", "[[", "\\\\\\\\", "[x](lesson:)",
    };
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        RichSpan spans[SPANS_CAP];
        char buf[BUF_CAP];
        RichText rt = {spans, 0, SPANS_CAP, buf, 0, strlen(srcs[i]) * 2 + 2};
        assert_int_equal(rich_parse(srcs[i], &rt), 0);
    }
}

/* ---- wrapping ---- */

static void test_empty_text_gives_no_lines(void **state)
{
    (void)state;
    Laid l;
    lay_out("", 100, &l);
    assert_int_equal(l.out.lines, 0);
    assert_int_equal(l.out.count, 0);
    assert_int_equal(l.out.widest, 0);
    assert_int_equal(l.out.truncated, 0);

    lay_out("   ", 100, &l);
    assert_int_equal(l.out.lines, 0);
    assert_int_equal(l.out.count, 0);
}

static void test_wrapping_breaks_only_at_spaces_and_never_exceeds_the_width(void **state)
{
    (void)state;
    const char *src = "the quick brown fox jumps over the lazy dog";
    Laid l;
    lay_out(src, 100, &l);
    assert_int_equal(l.out.lines, 5);
    assert_int_equal(l.out.count, 5);
    assert_run(&l.runs[0], "the quick", 0, 0, 90);
    assert_run(&l.runs[1], "brown fox", 1, 0, 90);
    assert_run(&l.runs[2], "jumps over", 2, 0, 100); /* exactly the width fits */
    assert_run(&l.runs[3], "the lazy", 3, 0, 80);
    assert_run(&l.runs[4], "dog", 4, 0, 30);
    assert_int_equal(l.out.widest, 100);
    assert_int_equal(l.out.truncated, 0);
    assert_within_width(&l, 100);
    for (int i = 0; i < l.out.count; i++) {
        const char *a = l.runs[i].text, *b = a + l.runs[i].len;
        assert_true(a == l.p.spans[0].text || a[-1] == ' ');
        assert_true(*b == ' ' || b == l.p.spans[0].text + l.p.spans[0].len);
    }
}

static void test_a_word_wider_than_the_line_is_broken_between_characters(void **state)
{
    (void)state;
    Laid l;
    lay_out("abcdefghij", 35, &l);
    assert_int_equal(l.out.lines, 4);
    assert_int_equal(l.out.count, 4);
    assert_run(&l.runs[0], "abc", 0, 0, 30);
    assert_run(&l.runs[1], "def", 1, 0, 30);
    assert_run(&l.runs[2], "ghi", 2, 0, 30);
    assert_run(&l.runs[3], "j", 3, 0, 10);
    assert_within_width(&l, 35);

    /* a long word after a short one starts on its own line first */
    lay_out("ab cdefghij", 50, &l);
    assert_run(&l.runs[0], "ab", 0, 0, 20);
    assert_run(&l.runs[1], "cdefg", 1, 0, 50);
    assert_run(&l.runs[2], "hij", 2, 0, 30);
    assert_within_width(&l, 50);
}

static void test_utf8_characters_are_never_split(void **state)
{
    (void)state;
    /* 1-, 3-, 1-, 4-, 1-, 2-byte characters: 12 bytes, one word */
    const char *src = "a\xE2\x82\xAC" "b\xF0\x9D\x84\x9E" "c\xC3\xA9";
    for (int width = 1; width <= 130; width += 7) {
        Laid l;
        lay_out(src, width, &l);
        size_t total = 0;
        const char *expect = l.p.spans[0].text;
        for (int i = 0; i < l.out.count; i++) {
            const WrapRun *r = &l.runs[i];
            assert_ptr_equal(r->text, expect); /* runs cover the word in order */
            assert_true(r->len > 0);
            assert_int_not_equal((unsigned char)r->text[0] & 0xC0, 0x80);
            if (total + r->len < strlen(src))
                assert_int_not_equal((unsigned char)r->text[r->len] & 0xC0, 0x80);
            total += r->len;
            expect += r->len;
        }
        assert_int_equal(total, strlen(src));
    }
    /* two-byte characters, 20 px each, 45 px lines: two characters a line */
    Laid l;
    lay_out("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 45, &l);
    assert_int_equal(l.out.count, 3);
    assert_int_equal(l.runs[0].len, 4);
    assert_int_equal(l.runs[1].len, 4);
    assert_int_equal(l.runs[2].len, 2);
    assert_int_equal(l.out.lines, 3);
}

static void test_words_of_one_span_on_one_line_merge_into_one_remeasured_run(void **state)
{
    (void)state;
    Laid l;
    lay_out_with("one two three", 1000, RUNS_CAP, measure_padded, &l);
    assert_int_equal(l.out.count, 1);
    assert_int_equal(l.out.lines, 1);
    /* measured whole: 13 bytes * 10 + 3, not 33 + 13 + 33 + 13 + 53 */
    assert_run(&l.runs[0], "one two three", 0, 0, 133);
    assert_int_equal(l.out.widest, 133);
}

static void test_runs_report_their_line_numbers_x_positions_and_spans(void **state)
{
    (void)state;
    Laid l;
    lay_out("plain *em* and [[E11.9]] code", 1000, &l);
    /* spans: "plain " | em "em" | " and " | code "E11.9" | " code" */
    assert_int_equal(l.out.count, 5);
    assert_run(&l.runs[0], "plain", 0, 0, 50);
    assert_run(&l.runs[1], "em", 0, 60, 20);
    assert_int_equal(l.runs[1].style, RICH_EM);
    assert_int_equal(l.runs[1].span, 1);
    assert_run(&l.runs[2], "and", 0, 90, 30);
    assert_run(&l.runs[3], "E11.9", 0, 130, 58); /* the chip's padding, a plain space before */
    assert_int_equal(l.runs[3].style, RICH_CODE);
    assert_int_equal(l.runs[3].span, 3);
    assert_run(&l.runs[4], "code", 0, 198, 40);
    assert_int_equal(l.out.lines, 1);
    assert_int_equal(l.out.widest, 238);

    /* the same text 100 px wide: positions restart at 0 on each line */
    lay_out("plain *em* and [[E11.9]] code", 100, &l);
    assert_int_equal(l.out.count, 5);
    assert_run(&l.runs[0], "plain", 0, 0, 50);
    assert_run(&l.runs[1], "em", 0, 60, 20);
    assert_run(&l.runs[2], "and", 1, 0, 30);
    assert_run(&l.runs[3], "E11.9", 1, 40, 58);
    assert_run(&l.runs[4], "code", 2, 0, 40);
    assert_int_equal(l.out.lines, 3);
    assert_int_equal(l.out.widest, 98);
    assert_within_width(&l, 100);
}

static void test_a_word_of_two_spans_is_never_split_across_lines(void **state)
{
    (void)state;
    Laid l;
    /* "see E11" fits in 80 px, "see E11.9," does not: the whole word moves down */
    lay_out("see **E11**.9, now", 80, &l);
    assert_int_equal(l.out.count, 4);
    assert_run(&l.runs[0], "see", 0, 0, 30);
    assert_run(&l.runs[1], "E11", 1, 0, 30);
    assert_int_equal(l.runs[1].style, RICH_STRONG);
    assert_run(&l.runs[2], ".9,", 1, 30, 30);
    assert_int_equal(l.runs[2].style, 0);
    assert_run(&l.runs[3], "now", 2, 0, 30);
    assert_int_equal(l.out.lines, 3);
    assert_within_width(&l, 80);
}

static void test_a_long_word_of_two_spans_broken_between_characters_stays_within_the_width(void **state)
{
    (void)state;
    Laid l;
    /* 110 px word in 45 px lines: "aaaa" (40 px) leaves 5 px, too little for a "b" */
    lay_out("aaaa**bbbbbbb**", 45, &l);
    assert_within_width(&l, 45);
    size_t total = 0;
    for (int i = 0; i < l.out.count; i++) total += l.runs[i].len;
    assert_int_equal(total, 11);
}

static void test_a_newline_inside_text_never_ends_up_inside_a_run(void **state)
{
    (void)state;
    Laid l;
    lay_out("first line\nsecond\tthird", 1000, &l);
    for (int i = 0; i < l.out.count; i++) {
        assert_null(memchr(l.runs[i].text, '\n', l.runs[i].len));
        assert_null(memchr(l.runs[i].text, '\t', l.runs[i].len));
    }
    assert_int_equal(l.out.count, 3);
    assert_run(&l.runs[0], "first line", 0, 0, 100);
    assert_run(&l.runs[1], "second", 0, 110, 60);
    assert_run(&l.runs[2], "third", 0, 180, 50);

    lay_out("a\nb\n\nc", 1000, &l);
    for (int i = 0; i < l.out.count; i++) assert_null(memchr(l.runs[i].text, '\n', l.runs[i].len));
}

static void test_a_tiny_max_width_still_makes_progress(void **state)
{
    (void)state;
    static const int widths[] = {1, 0, -5};
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        Laid l;
        lay_out("ab cd [[E11.9]]", widths[w], &l);
        /* one character a line: a, b, c, d, then the five code characters */
        assert_int_equal(l.out.truncated, 0);
        assert_int_equal(l.out.count, 9);
        assert_int_equal(l.out.lines, 9);
        for (int i = 0; i < l.out.count; i++) {
            assert_int_equal(l.runs[i].len, 1);
            assert_int_equal(l.runs[i].line, i);
            assert_int_equal(l.runs[i].x, 0);
        }
    }
}

static void test_truncated_is_set_when_the_run_array_is_too_small(void **state)
{
    (void)state;
    Laid l;
    lay_out_with("aa bb cc", 20, 2, measure_fixed, &l);
    assert_int_equal(l.out.truncated, 1);
    assert_int_equal(l.out.count, 2);
    assert_run(&l.runs[0], "aa", 0, 0, 20);
    assert_run(&l.runs[1], "bb", 1, 0, 20);

    lay_out_with("aa bb cc", 20, 3, measure_fixed, &l);
    assert_int_equal(l.out.truncated, 0);
    assert_int_equal(l.out.count, 3);
    assert_int_equal(l.out.lines, 3);

    lay_out_with("aa bb cc", 20, 0, measure_fixed, &l);
    assert_int_equal(l.out.truncated, 1);
    assert_int_equal(l.out.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_is_one_unstyled_span),
        cmocka_unit_test(test_emphasis_and_strong_produce_styled_spans),
        cmocka_unit_test(test_nested_emphasis_inside_strong_combines_styles),
        cmocka_unit_test(test_escapes_give_literal_characters),
        cmocka_unit_test(test_an_unclosed_star_is_plain_text_and_is_reported),
        cmocka_unit_test(test_a_lesson_link_gives_a_link_span_and_a_reference),
        cmocka_unit_test(test_a_link_inside_strong_keeps_both_styles),
        cmocka_unit_test(test_a_link_target_that_is_not_lesson_is_reported),
        cmocka_unit_test(test_a_link_without_text_is_reported),
        cmocka_unit_test(test_a_link_missing_its_closing_parenthesis_is_reported),
        cmocka_unit_test(test_a_code_reference_gives_a_code_span_and_a_reference),
        cmocka_unit_test(test_a_malformed_or_unclosed_code_reference_is_reported),
        cmocka_unit_test(test_well_formed_codes_are_accepted),
        cmocka_unit_test(test_malformed_codes_are_refused),
        cmocka_unit_test(test_parse_reports_running_out_of_spans),
        cmocka_unit_test(test_a_buffer_of_twice_the_source_always_suffices),
        cmocka_unit_test(test_empty_text_gives_no_lines),
        cmocka_unit_test(test_wrapping_breaks_only_at_spaces_and_never_exceeds_the_width),
        cmocka_unit_test(test_a_word_wider_than_the_line_is_broken_between_characters),
        cmocka_unit_test(test_utf8_characters_are_never_split),
        cmocka_unit_test(test_words_of_one_span_on_one_line_merge_into_one_remeasured_run),
        cmocka_unit_test(test_runs_report_their_line_numbers_x_positions_and_spans),
        cmocka_unit_test(test_a_word_of_two_spans_is_never_split_across_lines),
        cmocka_unit_test(test_a_long_word_of_two_spans_broken_between_characters_stays_within_the_width),
        cmocka_unit_test(test_a_newline_inside_text_never_ends_up_inside_a_run),
        cmocka_unit_test(test_a_tiny_max_width_still_makes_progress),
        cmocka_unit_test(test_truncated_is_set_when_the_run_array_is_too_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

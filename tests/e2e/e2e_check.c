/* e2e_check.c - after the scripted journey, asserts from progress.db that what the
 * learner did was recorded: the profile, the completed lesson, one finished quiz
 * attempt with one correct answer per item (all eight item types), the settings. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static int failures;

static void expect_int(sqlite3 *db, const char *sql, long long want, const char *what)
{
    sqlite3_stmt *st = NULL;
    long long got = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        got = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (got != want) {
        fprintf(stderr, "e2e_check: %s: expected %lld, found %lld (%s)\n", what, want, got, sql);
        failures++;
    } else {
        printf("ok: %s\n", what);
    }
}

static void expect_text(sqlite3 *db, const char *sql, const char *want, const char *what)
{
    sqlite3_stmt *st = NULL;
    char got[256] = "(none)";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        snprintf(got, sizeof got, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "e2e_check: %s: expected \"%s\", found \"%s\"\n", what, want, got);
        failures++;
    } else {
        printf("ok: %s\n", what);
    }
}

int main(int argc, char **argv)
{
    sqlite3 *db = NULL;
    if (argc < 2 || argc > 3 || sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "usage: e2e_check PROGRESS.DB [cases] (could not open it)\n");
        sqlite3_close(db);
        return 2;
    }
    if (argc == 3 && !strcmp(argv[2], "cases")) {
        /* the practice-case journey: one submitted case with its answer in the learner's order */
        expect_int(db, "SELECT count(*) FROM case_attempts", 2, "two case attempts are saved");
        expect_text(db, "SELECT answer FROM case_attempts WHERE id = 1", "{\"diagnoses\":[\"Z79.4\",\"E11.9\"],\"procedures\":[]}",
                    "the answer in the order the learner left it");
        expect_text(db, "SELECT mode FROM case_attempts WHERE id = 1", "full", "the mode");
        expect_text(db, "SELECT answer || ' ' || mode FROM case_attempts WHERE id = 2",
                    "{\"diagnoses\":[\"E11.9\",\"Z79.4\"],\"procedures\":[]} record",
                    "a record case: the principal picked first, then the additional code");
        expect_int(db, "SELECT count(*) FROM case_attempts WHERE json_array_length(verdicts) >= 2 AND max >= 2 AND seed > 0 "
                       "AND submitted_at >= started_at", 2, "verdicts, score, seed and times are recorded");
        expect_int(db, "SELECT count(*) FROM case_attempts WHERE dictionary LIKE 'ICD-10-CM FY2026%'", 2,
                   "the dictionary version is recorded");
        sqlite3_close(db);
        return failures ? 1 : 0;
    }
    expect_text(db, "SELECT name FROM profiles", "Ada", "the profile the learner created");
    expect_int(db, "SELECT count(*) FROM lesson_progress WHERE lesson_id='e2e-word-parts' AND completed_at IS NOT NULL",
               1, "the lesson is marked complete");
    expect_int(db, "SELECT count(*) FROM attempts WHERE quiz_id='e2e-quiz' AND finished_at IS NOT NULL", 1,
               "one finished quiz attempt");
    expect_int(db, "SELECT count(*) FROM answers", 8, "one answer per item");
    expect_int(db, "SELECT count(*) FROM answers WHERE correct=1", 8, "every answer correct");
    expect_int(db, "SELECT count(DISTINCT item_id) FROM answers WHERE item_id IN ('e2e-single','e2e-multi','e2e-tf',"
                   "'e2e-fill','e2e-code','e2e-match','e2e-order','e2e-hotspot')",
               8, "every item type answered");
    expect_text(db, "SELECT given FROM answers WHERE item_id='e2e-fill'", "{\"text\":\"Gastritis.\"}",
                "the typed answer is stored as given");
    /* the click (mouse at the centre, or the keyboard cursor) lies in the circle at
     * (80, 100), radius 40, in the image's own coordinates */
    expect_int(db, "SELECT json_extract(given,'$.region') = 'circle' AND "
                   "(json_extract(given,'$.x') - 80) * (json_extract(given,'$.x') - 80) + "
                   "(json_extract(given,'$.y') - 100) * (json_extract(given,'$.y') - 100) <= 1600 "
                   "FROM answers WHERE item_id='e2e-hotspot'",
               1, "the hotspot click is stored in image coordinates with the region it hit");
    expect_int(db, "SELECT count(*) FROM answers WHERE millis < 0 OR answered_at <= 0", 0, "times are recorded");
    expect_int(db, "SELECT length(content_version) FROM attempts", 16, "the quiz version is recorded");
    expect_text(db, "SELECT value FROM settings WHERE key='theme'", "dark", "the chosen theme is saved");
    expect_text(db, "SELECT value FROM settings WHERE key='text_scale'", "1.10", "the text size is saved");
    expect_text(db, "SELECT value FROM settings WHERE key='ask_profile'", "1", "the shared-computer option is saved");
    sqlite3_close(db);
    if (failures) fprintf(stderr, "e2e_check: %d check(s) failed\n", failures);
    return failures ? 1 : 0;
}

/* test_store.c - cmocka tests for app/core/store.c (the progress database).
 *
 * Every test gets a fresh temporary folder (mkdtemp under $TMPDIR or /tmp) that
 * its teardown empties and removes.
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
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"

#include "testutil.h"

#define PATH_CAP 1024

typedef struct Fixture {
    char dir[PATH_CAP]; /* the temporary folder */
    char db[PATH_CAP];  /* <dir>/progress.db */
} Fixture;

/* ---- helpers ---- */


/* a followed by b into out; fails the test when it would not fit. */
static void cat_path(char *out, size_t cap, const char *a, const char *b)
{
    int n = snprintf(out, cap, "%s%s", a, b);
    assert_true(n > 0 && (size_t)n < cap);
}

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR");
    if (!f) return -1;
    if (!tmp || !*tmp) tmp = "/tmp";
    if (snprintf(f->dir, sizeof f->dir, "%s/test_store-XXXXXX", tmp) >= (int)sizeof f->dir ||
        !mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    if (snprintf(f->db, sizeof f->db, "%s/progress.db", f->dir) >= (int)sizeof f->db) {
        rmdir(f->dir);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    testutil_remove_tree(f->dir);
    free(f);
    return 0;
}

/* <dir>/<name> into out. */
static void in_dir(const Fixture *f, const char *name, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/%s", f->dir, name);
    assert_true(n > 0 && (size_t)n < cap);
}

static void write_bytes(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* Whole file into a malloc'd buffer. */
static unsigned char *read_bytes(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *buf;
    long size;
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    size = ftell(fp);
    assert_true(size >= 0);
    assert_int_equal(fseek(fp, 0, SEEK_SET), 0);
    buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, fp), (size_t)size);
    fclose(fp);
    *len = (size_t)size;
    return buf;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(d);
    return n;
}

/* Runs SQL on a file with plain SQLite, outside the store. */
static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static Store *open_ok(const char *path)
{
    Store *s = NULL;
    CpError err = {{0}};
    StoreStatus rc = store_open(path, &s, &err);
    if (rc != STORE_OK) fail_msg("store_open(%s) failed (%d): %s", path, rc, err.msg);
    assert_non_null(s);
    return s;
}

static int64_t make_profile(Store *s, const char *name, int64_t now)
{
    CpError err = {{0}};
    int64_t id = 0;
    StoreStatus rc = store_profile_create(s, name, now, &id, &err);
    if (rc != STORE_OK) fail_msg("store_profile_create(%s) failed: %s", name, err.msg);
    assert_true(id > 0);
    return id;
}

static void assert_untouched(const char *path, const unsigned char *before, size_t before_len)
{
    size_t after_len = 0;
    unsigned char *after = read_bytes(path, &after_len);
    assert_int_equal(after_len, before_len);
    assert_memory_equal(after, before, before_len);
    free(after);
}

/* ---- opening, versions, damage ---- */

static void test_a_new_database_is_created_at_the_current_version(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s;
    int version = -1;
    size_t len = 0;
    unsigned char *bytes;

    assert_false(exists(f->db));
    s = open_ok(f->db);
    store_close(s);
    assert_true(exists(f->db));
    assert_int_equal(store_peek_version(f->db, &version, &err), STORE_OK);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
    assert_int_equal(store_migration_count(), STORE_SCHEMA_VERSION);

    /* WAL mode is recorded in the header: file format read/write versions 2. */
    bytes = read_bytes(f->db, &len);
    assert_true(len >= 100);
    assert_memory_equal(bytes, "SQLite format 3", 16);
    assert_int_equal(bytes[18], 2);
    assert_int_equal(bytes[19], 2);
    /* application_id 'CPRP' at offset 68. */
    assert_memory_equal(bytes + 68, "CPRP", 4);
    free(bytes);
}

static void test_data_survives_closing_and_reopening(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    StoreProfile p;
    Store *s = open_ok(f->db);
    int64_t id = make_profile(s, "Dana", 1000);
    store_close(s);

    s = open_ok(f->db);
    assert_int_equal(store_profile_get(s, id, &p, &err), STORE_OK);
    assert_string_equal(p.name, "Dana");
    assert_int_equal(p.created_at, 1000);
    assert_int_equal(p.last_active_at, 1000);
    store_close(s);
}

static void test_migrates_forward_from_every_earlier_version(void **state)
{
    Fixture *f = *state;
    int v;
    for (v = 0; v < store_migration_count(); v++) {
        char path[PATH_CAP], name[64];
        CpError err = {{0}};
        Store *s = NULL;
        int version = -1;
        snprintf(name, sizeof name, "v%d.db", v);
        in_dir(f, name, path, sizeof path);

        assert_int_equal(store_open_at_version(path, v, &s, &err), STORE_OK);
        assert_non_null(s);
        store_close(s);
        assert_int_equal(store_peek_version(path, &version, &err), STORE_OK);
        assert_int_equal(version, v);

        s = open_ok(path);
        assert_int_equal(store_peek_version(path, &version, &err), STORE_OK);
        assert_int_equal(version, STORE_SCHEMA_VERSION);
        /* The migrated schema works. */
        make_profile(s, "Migrated", 5);
        assert_int_equal(store_setting_set(s, "theme", "dark", &err), STORE_OK);
        store_close(s);
    }
}

static void test_opening_at_a_version_outside_the_known_range_is_refused(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = NULL;
    assert_int_equal(store_open_at_version(f->db, STORE_SCHEMA_VERSION + 1, &s, &err),
                     STORE_INVALID);
    assert_null(s);
    assert_int_equal(store_open_at_version(f->db, -1, &s, &err), STORE_INVALID);
    assert_false(exists(f->db));
}

static void test_a_database_from_a_newer_version_is_refused_and_left_untouched(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = open_ok(f->db);
    char sql[64], want[32];
    unsigned char *before;
    size_t len = 0;
    int entries;

    make_profile(s, "Future", 1);
    store_close(s);
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION + 1);
    raw_exec(f->db, sql);
    before = read_bytes(f->db, &len);
    entries = count_entries(f->dir);

    s = (Store *)&err; /* must be reset to NULL */
    assert_int_equal(store_open(f->db, &s, &err), STORE_TOO_NEW);
    assert_null(s);
    assert_non_null(strstr(err.msg, f->db));
    snprintf(want, sizeof want, "version %d", STORE_SCHEMA_VERSION + 1);
    assert_non_null(strstr(err.msg, want));
    snprintf(want, sizeof want, "version %d", STORE_SCHEMA_VERSION);
    assert_non_null(strstr(err.msg, want));

    assert_untouched(f->db, before, len);
    assert_int_equal(count_entries(f->dir), entries);
    free(before);
}

static void test_a_newer_database_with_an_uncheckpointed_wal_is_left_untouched(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = open_ok(f->db);
    char wal[PATH_CAP], sql[96];
    unsigned char *main_before, *wal_before;
    size_t main_len = 0, wal_len = 0;
    pid_t pid;
    int status = 0;

    store_close(s);
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d; CREATE TABLE later (x);",
             STORE_SCHEMA_VERSION + 1);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* A newer CoderPrep that crashed: its last commit is only in the WAL. */
        sqlite3 *db = NULL;
        if (sqlite3_open(f->db, &db) != SQLITE_OK) _exit(2);
        if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) _exit(3);
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    cat_path(wal, sizeof wal, f->db, "-wal");
    main_before = read_bytes(f->db, &main_len);
    wal_before = read_bytes(wal, &wal_len);
    assert_true(wal_len > 0);

    assert_int_equal(store_open(f->db, &s, &err), STORE_TOO_NEW);
    assert_null(s);
    assert_untouched(f->db, main_before, main_len);
    assert_untouched(wal, wal_before, wal_len);
    free(main_before);
    free(wal_before);
}

static void test_a_garbage_file_is_reported_as_corrupt_and_left_untouched(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = NULL;
    unsigned char garbage[8192];
    size_t i;

    for (i = 0; i < sizeof garbage; i++) garbage[i] = (unsigned char)(i * 131u + 7u);
    write_bytes(f->db, garbage, sizeof garbage);

    assert_int_equal(store_open(f->db, &s, &err), STORE_CORRUPT);
    assert_null(s);
    assert_non_null(strstr(err.msg, f->db));
    assert_non_null(strstr(err.msg, "not a SQLite database"));
    assert_untouched(f->db, garbage, sizeof garbage);
    assert_int_equal(count_entries(f->dir), 1);
}

static void test_a_truncated_database_is_reported_as_corrupt(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = open_ok(f->db);
    int64_t profile = make_profile(s, "Big", 1);
    int64_t attempt = 0;
    char given[600];
    unsigned char *before;
    size_t len = 0;
    int i;

    memset(given, 'x', sizeof given - 1);
    given[sizeof given - 1] = '\0';
    assert_int_equal(store_attempt_start(s, profile, "q1", "v1", 2, &attempt, &err), STORE_OK);
    for (i = 0; i < 200; i++)
        assert_int_equal(store_answer_record(s, attempt, "item", given, 1, 10, 3, &err),
                         STORE_OK);
    store_close(s);

    before = read_bytes(f->db, &len);
    assert_true(len > 16 * 4096);
    assert_int_equal(truncate(f->db, (off_t)(len / 2)), 0);
    free(before);
    before = read_bytes(f->db, &len);

    assert_int_equal(store_open(f->db, &s, &err), STORE_CORRUPT);
    assert_null(s);
    assert_non_null(strstr(err.msg, f->db));
    assert_non_null(strstr(err.msg, "damaged"));
    assert_untouched(f->db, before, len);
    free(before);
}

static void test_a_file_cut_off_inside_the_header_is_reported_as_corrupt(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = open_ok(f->db);
    unsigned char *bytes;
    size_t len = 0;
    store_close(s);

    bytes = read_bytes(f->db, &len);
    write_bytes(f->db, bytes, 60);
    assert_int_equal(store_open(f->db, &s, &err), STORE_CORRUPT);
    assert_null(s);
    assert_non_null(strstr(err.msg, f->db));
    assert_untouched(f->db, bytes, 60);
    free(bytes);
}

static void test_another_programs_database_is_not_taken_over(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = NULL;
    unsigned char *before;
    size_t len = 0;

    raw_exec(f->db, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');");
    before = read_bytes(f->db, &len);
    assert_int_equal(store_open(f->db, &s, &err), STORE_CORRUPT);
    assert_null(s);
    assert_non_null(strstr(err.msg, "not a CoderPrep progress database"));
    assert_non_null(strstr(err.msg, f->db));
    assert_untouched(f->db, before, len);
    free(before);

    /* Versioned, but stamped by someone else. */
    raw_exec(f->db, "PRAGMA application_id = 42; PRAGMA user_version = 1;");
    before = read_bytes(f->db, &len);
    assert_int_equal(store_open(f->db, &s, &err), STORE_CORRUPT);
    assert_non_null(strstr(err.msg, "not a CoderPrep progress database"));
    assert_untouched(f->db, before, len);
    free(before);
}

static void test_an_empty_file_becomes_a_new_database(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    int version = -1;
    Store *s;
    write_bytes(f->db, "", 0);
    s = open_ok(f->db);
    store_close(s);
    assert_int_equal(store_peek_version(f->db, &version, &err), STORE_OK);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
}

static void test_a_missing_folder_is_an_io_error_naming_the_path(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = NULL;
    char path[PATH_CAP];
    in_dir(f, "no-such-folder/progress.db", path, sizeof path);

    assert_int_equal(store_open(path, &s, &err), STORE_IO);
    assert_null(s);
    assert_non_null(strstr(err.msg, path));
    assert_false(exists(path));
}

static void test_peek_version_does_not_create_a_missing_file(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    int version = 7;
    assert_int_equal(store_peek_version(f->db, &version, &err), STORE_IO);
    assert_non_null(strstr(err.msg, f->db));
    assert_false(exists(f->db));
}

/* ---- move aside ---- */

static void test_move_aside_renames_the_file_and_its_wal(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    char wal[PATH_CAP], shm[PATH_CAP], want[PATH_CAP], moved[PATH_CAP], got[PATH_CAP];
    unsigned char *main_before, *after;
    size_t main_len = 0, len = 0;
    Store *s;

    write_bytes(f->db, "not really a database", 21);
    cat_path(wal, sizeof wal, f->db, "-wal");
    cat_path(shm, sizeof shm, f->db, "-shm");
    write_bytes(wal, "wal bytes", 9);
    write_bytes(shm, "shm bytes", 9);
    main_before = read_bytes(f->db, &main_len);

    /* 1704164645 = 2024-01-02 03:04:05 UTC */
    assert_int_equal(store_move_aside(f->db, 1704164645, moved, sizeof moved, &err), STORE_OK);
    cat_path(want, sizeof want, f->db, ".broken-20240102-030405");
    assert_string_equal(moved, want);
    assert_false(exists(f->db));
    assert_false(exists(wal));
    assert_false(exists(shm));
    assert_untouched(want, main_before, main_len);
    cat_path(got, sizeof got, want, "-wal");
    after = read_bytes(got, &len);
    assert_int_equal(len, 9);
    assert_memory_equal(after, "wal bytes", 9);
    free(after);
    cat_path(got, sizeof got, want, "-shm");
    assert_true(exists(got));
    free(main_before);

    /* The caller then starts fresh at the same path. */
    s = open_ok(f->db);
    store_close(s);
}

static void test_move_aside_never_overwrites_an_earlier_copy(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    char first[PATH_CAP], second[PATH_CAP], third[PATH_CAP], want[PATH_CAP];
    unsigned char *bytes;
    size_t len = 0;

    write_bytes(f->db, "one", 3);
    assert_int_equal(store_move_aside(f->db, 1704164645, first, sizeof first, &err), STORE_OK);
    write_bytes(f->db, "two", 3);
    assert_int_equal(store_move_aside(f->db, 1704164645, second, sizeof second, &err),
                     STORE_OK);
    write_bytes(f->db, "three", 5);
    assert_int_equal(store_move_aside(f->db, 1704164645, third, sizeof third, &err), STORE_OK);

    cat_path(want, sizeof want, f->db, ".broken-20240102-030405-2");
    assert_string_equal(second, want);
    cat_path(want, sizeof want, f->db, ".broken-20240102-030405-3");
    assert_string_equal(third, want);
    bytes = read_bytes(first, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(bytes, "one", 3);
    free(bytes);
    bytes = read_bytes(second, &len);
    assert_memory_equal(bytes, "two", 3);
    free(bytes);
}

static void test_move_aside_of_a_missing_file_is_an_error(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    char moved[PATH_CAP];
    assert_int_equal(store_move_aside(f->db, 0, moved, sizeof moved, &err), STORE_IO);
    assert_non_null(strstr(err.msg, f->db));
}

static void test_move_aside_refuses_a_too_small_name_buffer_and_moves_nothing(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    char tiny[8];
    write_bytes(f->db, "x", 1);
    assert_int_equal(store_move_aside(f->db, 0, tiny, sizeof tiny, &err), STORE_INVALID);
    assert_true(exists(f->db));
}

static void test_a_leftover_wal_without_its_database_is_not_replayed(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = NULL;
    char wal[PATH_CAP], moved[PATH_CAP];
    cat_path(wal, sizeof wal, f->db, "-wal");
    write_bytes(wal, "old wal", 7);

    assert_int_equal(store_open(f->db, &s, &err), STORE_CORRUPT);
    assert_null(s);
    assert_non_null(strstr(err.msg, wal));
    assert_false(exists(f->db));

    assert_int_equal(store_move_aside(f->db, 0, moved, sizeof moved, &err), STORE_OK);
    assert_false(exists(wal));
    s = open_ok(f->db);
    store_close(s);
}

/* ---- profiles ---- */

static void test_profile_names_are_trimmed_and_unique_ignoring_case(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = open_ok(f->db);
    StoreProfile p;
    int64_t id = 0, other = 0;
    char name[256];
    size_t i;

    id = make_profile(s, "  \tAnn Lee \n", 10);
    assert_int_equal(store_profile_get(s, id, &p, &err), STORE_OK);
    assert_string_equal(p.name, "Ann Lee");

    assert_int_equal(store_profile_create(s, "ANN LEE", 11, &other, &err), STORE_INVALID);
    assert_non_null(strstr(err.msg, "already exists"));
    assert_non_null(strstr(err.msg, "Ann Lee"));
    assert_int_equal(store_profile_create(s, " ann lee ", 11, &other, &err), STORE_INVALID);

    assert_int_equal(store_profile_create(s, "", 11, &other, &err), STORE_INVALID);
    assert_non_null(strstr(err.msg, "empty"));
    assert_int_equal(store_profile_create(s, " \t ", 11, &other, &err), STORE_INVALID);
    assert_int_equal(store_profile_create(s, NULL, 11, &other, &err), STORE_INVALID);
    assert_int_equal(store_profile_create(s, "bad\xff", 11, &other, &err), STORE_INVALID);
    assert_int_equal(store_profile_create(s, "two\nlines", 11, &other, &err), STORE_INVALID);

    /* 48 characters fit, 49 do not. */
    memset(name, 'a', 48);
    name[48] = '\0';
    make_profile(s, name, 12);
    memset(name, 'b', 49);
    name[49] = '\0';
    assert_int_equal(store_profile_create(s, name, 12, &other, &err), STORE_INVALID);
    assert_non_null(strstr(err.msg, "49 characters"));

    /* Characters are counted as code points: 30 x "é" = 30 characters, 60 bytes. */
    name[0] = '\0';
    for (i = 0; i < 30; i++) strcat(name, "\xc3\xa9");
    id = make_profile(s, name, 13);
    assert_int_equal(store_profile_get(s, id, &p, &err), STORE_OK);
    assert_string_equal(p.name, name);

    store_close(s);
}

static void test_profiles_are_listed_most_recently_active_first(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = open_ok(f->db);
    StoreProfile list[2];
    size_t count = 0;
    int64_t a = make_profile(s, "A", 100);
    int64_t b = make_profile(s, "B", 200);
    int64_t c = make_profile(s, "C", 300);

    assert_int_equal(store_profile_touch(s, a, 400, &err), STORE_OK);
    assert_int_equal(store_profile_list(s, list, 2, &count, &err), STORE_OK);
    assert_int_equal(count, 3);
    assert_int_equal(list[0].id, a);
    assert_int_equal(list[0].last_active_at, 400);
    assert_int_equal(list[0].created_at, 100);
    assert_int_equal(list[1].id, c);
    (void)b;

    assert_int_equal(store_profile_list(s, NULL, 0, &count, &err), STORE_OK);
    assert_int_equal(count, 3);
    assert_int_equal(store_profile_touch(s, 9999, 1, &err), STORE_NOT_FOUND);
    store_close(s);
}

static void test_unknown_profiles_and_attempts_are_not_found(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = open_ok(f->db);
    StoreProfile p;
    StoreAttempt a;
    StoreActivityKind kind;
    char id[STORE_ID_MAX];
    int64_t n = 0, attempt = 0;

    assert_int_equal(store_profile_get(s, 42, &p, &err), STORE_NOT_FOUND);
    assert_non_null(strstr(err.msg, "42"));
    assert_int_equal(store_profile_reset(s, 42, &err), STORE_NOT_FOUND);
    assert_int_equal(store_lesson_open(s, 42, "l1", 1, &err), STORE_NOT_FOUND);
    assert_int_equal(store_attempt_start(s, 42, "q", "v", 1, &attempt, &err), STORE_NOT_FOUND);
    assert_int_equal(store_answer_count(s, 42, &n, &err), STORE_NOT_FOUND);
    assert_int_equal(store_last_activity(s, 42, &kind, id, sizeof id, &err), STORE_NOT_FOUND);
    assert_int_equal(store_attempt_get(s, 7, &a, &err), STORE_NOT_FOUND);
    assert_int_equal(store_attempt_finish(s, 7, 1, &err), STORE_NOT_FOUND);
    assert_int_equal(store_answer_record(s, 7, "i", "x", 1, 1, 1, &err), STORE_NOT_FOUND);
    assert_int_equal(store_profile_get(NULL, 1, &p, &err), STORE_INVALID);
    store_close(s);
}

/* ---- lessons ---- */

typedef struct LessonSeen {
    int count;
    char first[STORE_ID_MAX];
} LessonSeen;

static void on_lesson(const StoreLessonProgress *p, void *user)
{
    LessonSeen *seen = user;
    if (seen->count == 0) snprintf(seen->first, sizeof seen->first, "%s", p->lesson_id);
    seen->count++;
}

static void test_lesson_completion_keeps_the_first_time(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = open_ok(f->db);
    int64_t who = make_profile(s, "Reader", 1);
    StoreLessonProgress p;
    LessonSeen seen = {0, ""};
    char long_id[STORE_ID_MAX + 1];

    assert_int_equal(store_lesson_open(s, who, "icd10/intro", 100, &err), STORE_OK);
    assert_int_equal(store_lesson_complete(s, who, "icd10/intro", 200, &err), STORE_OK);
    assert_int_equal(store_lesson_complete(s, who, "icd10/intro", 300, &err), STORE_OK);
    assert_int_equal(store_lesson_open(s, who, "icd10/intro", 400, &err), STORE_OK);
    assert_int_equal(store_lesson_add_time(s, who, "icd10/intro", 30, &err), STORE_OK);
    assert_int_equal(store_lesson_add_time(s, who, "icd10/intro", 45, &err), STORE_OK);

    assert_int_equal(store_lesson_get(s, who, "icd10/intro", &p, &err), STORE_OK);
    assert_string_equal(p.lesson_id, "icd10/intro");
    assert_int_equal(p.first_opened_at, 100);
    assert_int_equal(p.last_opened_at, 400);
    assert_int_equal(p.completed_at, 200);
    assert_int_equal(p.seconds_spent, 75);

    /* Never opened: NOT_FOUND, zeroed, id copied. */
    assert_int_equal(store_lesson_get(s, who, "cpt/intro", &p, &err), STORE_NOT_FOUND);
    assert_string_equal(p.lesson_id, "cpt/intro");
    assert_int_equal(p.first_opened_at, 0);
    assert_int_equal(p.completed_at, 0);
    assert_int_equal(store_lesson_add_time(s, who, "cpt/intro", 5, &err), STORE_NOT_FOUND);
    assert_int_equal(store_lesson_add_time(s, who, "icd10/intro", -5, &err), STORE_INVALID);

    /* Completing a lesson never opened records it as opened then. */
    assert_int_equal(store_lesson_complete(s, who, "hcpcs/intro", 500, &err), STORE_OK);
    assert_int_equal(store_lesson_get(s, who, "hcpcs/intro", &p, &err), STORE_OK);
    assert_int_equal(p.first_opened_at, 500);
    assert_int_equal(p.completed_at, 500);

    assert_int_equal(store_lesson_each(s, who, on_lesson, &seen, &err), STORE_OK);
    assert_int_equal(seen.count, 2);
    assert_string_equal(seen.first, "icd10/intro");

    memset(long_id, 'x', STORE_ID_MAX);
    long_id[STORE_ID_MAX] = '\0';
    assert_int_equal(store_lesson_open(s, who, long_id, 1, &err), STORE_INVALID);
    assert_int_equal(store_lesson_open(s, who, "", 1, &err), STORE_INVALID);
    store_close(s);
}

/* ---- attempts and answers ---- */

static void test_attempt_best_latest_and_answer_count(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = open_ok(f->db);
    int64_t who = make_profile(s, "Quizzer", 1);
    int64_t other = make_profile(s, "Other", 1);
    int64_t a1 = 0, a2 = 0, a3 = 0, ao = 0, n = -1;
    StoreAttempt at;

    assert_int_equal(store_attempt_latest(s, who, "q1", &at, &err), STORE_NOT_FOUND);
    assert_int_equal(store_attempt_best(s, who, "q1", &at, &err), STORE_NOT_FOUND);

    /* a1: 2 of 3 correct, finished. */
    assert_int_equal(store_attempt_start(s, who, "q1", "hashA", 100, &a1, &err), STORE_OK);
    assert_int_equal(store_answer_record(s, a1, "i1", "A", 1, 1500, 101, &err), STORE_OK);
    assert_int_equal(store_answer_record(s, a1, "i2", "[\"B\",\"C\"]", 0, 900, 102, &err),
                     STORE_OK);
    assert_int_equal(store_answer_record(s, a1, "i3", "C", 7, 800, 103, &err), STORE_OK);
    assert_int_equal(store_attempt_finish(s, a1, 110, &err), STORE_OK);
    assert_int_equal(store_attempt_finish(s, a1, 999, &err), STORE_OK); /* keeps 110 */

    /* a2: 3 of 3, finished. */
    assert_int_equal(store_attempt_start(s, who, "q1", "hashB", 200, &a2, &err), STORE_OK);
    assert_int_equal(store_answer_record(s, a2, "i1", "A", 1, 1, 201, &err), STORE_OK);
    assert_int_equal(store_answer_record(s, a2, "i2", "B", 1, 1, 202, &err), STORE_OK);
    assert_int_equal(store_answer_record(s, a2, "i3", "C", 1, 1, 203, &err), STORE_OK);
    assert_int_equal(store_attempt_finish(s, a2, 210, &err), STORE_OK);

    /* a3: latest, unfinished, 1 answer. */
    assert_int_equal(store_attempt_start(s, who, "q1", "hashB", 300, &a3, &err), STORE_OK);
    assert_int_equal(store_answer_record(s, a3, "i1", "Z", 0, 1, 301, &err), STORE_OK);

    /* Someone else's answers do not count. */
    assert_int_equal(store_attempt_start(s, other, "q1", "hashB", 400, &ao, &err), STORE_OK);
    assert_int_equal(store_answer_record(s, ao, "i1", "A", 1, 1, 401, &err), STORE_OK);

    assert_int_equal(store_attempt_get(s, a1, &at, &err), STORE_OK);
    assert_int_equal(at.id, a1);
    assert_string_equal(at.quiz_id, "q1");
    assert_string_equal(at.content_version, "hashA");
    assert_int_equal(at.started_at, 100);
    assert_int_equal(at.finished_at, 110);
    assert_int_equal(at.answered, 3);
    assert_int_equal(at.correct, 2);

    assert_int_equal(store_attempt_latest(s, who, "q1", &at, &err), STORE_OK);
    assert_int_equal(at.id, a3);
    assert_int_equal(at.finished_at, 0);
    assert_int_equal(at.answered, 1);
    assert_int_equal(at.correct, 0);

    assert_int_equal(store_attempt_best(s, who, "q1", &at, &err), STORE_OK);
    assert_int_equal(at.id, a2);
    assert_int_equal(at.correct, 3);
    assert_int_equal(at.finished_at, 210);

    assert_int_equal(store_attempt_best(s, who, "q2", &at, &err), STORE_NOT_FOUND);
    assert_int_equal(store_answer_count(s, who, &n, &err), STORE_OK);
    assert_int_equal(n, 7);
    assert_int_equal(store_answer_count(s, other, &n, &err), STORE_OK);
    assert_int_equal(n, 1);

    /* A finished attempt takes no more answers. */
    assert_int_equal(store_answer_record(s, a1, "i4", "late", 1, 1, 500, &err), STORE_INVALID);
    assert_non_null(strstr(err.msg, "finished"));
    assert_int_equal(store_answer_record(s, a3, "i2", "x", 1, -1, 1, &err), STORE_INVALID);
    assert_int_equal(store_answer_record(s, a3, "i2", NULL, 1, 1, 1, &err), STORE_INVALID);
    assert_int_equal(store_answer_count(s, who, &n, &err), STORE_OK);
    assert_int_equal(n, 7);
    store_close(s);
}

static void test_an_answer_survives_a_crash_before_close(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = open_ok(f->db);
    int64_t who = make_profile(s, "Crashy", 1);
    int64_t attempt = 0, n = -1;
    StoreAttempt at;
    char wal[PATH_CAP];
    pid_t pid;
    int status = 0;

    assert_int_equal(store_attempt_start(s, who, "q1", "v1", 10, &attempt, &err), STORE_OK);
    store_close(s); /* never fork with an open connection */
    cat_path(wal, sizeof wal, f->db, "-wal");

    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Child: plain checks only (no cmocka), then die without closing. */
        Store *cs = NULL;
        CpError cerr;
        if (store_open(f->db, &cs, &cerr) != STORE_OK) _exit(2);
        if (store_answer_record(cs, attempt, "i1", "J45.909", 1, 4200, 11, &cerr) != STORE_OK)
            _exit(3);
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* The child never closed: its commit lives only in the WAL. */
    assert_true(exists(wal));

    s = open_ok(f->db);
    assert_int_equal(store_answer_count(s, who, &n, &err), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_attempt_get(s, attempt, &at, &err), STORE_OK);
    assert_int_equal(at.answered, 1);
    assert_int_equal(at.correct, 1);
    store_close(s);
}

static void test_reset_removes_progress_but_keeps_the_profile(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = open_ok(f->db);
    int64_t who = make_profile(s, "Resetter", 1);
    int64_t keep = make_profile(s, "Keeper", 1);
    int64_t a = 0, b = 0, n = -1;
    StoreProfile p;
    StoreLessonProgress lp;
    StoreAttempt at;
    StoreActivityKind kind;
    char id[STORE_ID_MAX];

    assert_int_equal(store_lesson_open(s, who, "l1", 5, &err), STORE_OK);
    assert_int_equal(store_attempt_start(s, who, "q1", "v", 6, &a, &err), STORE_OK);
    assert_int_equal(store_answer_record(s, a, "i1", "x", 1, 1, 7, &err), STORE_OK);
    assert_int_equal(store_lesson_open(s, keep, "l1", 5, &err), STORE_OK);
    assert_int_equal(store_attempt_start(s, keep, "q1", "v", 6, &b, &err), STORE_OK);
    assert_int_equal(store_answer_record(s, b, "i1", "x", 1, 1, 7, &err), STORE_OK);

    assert_int_equal(store_profile_reset(s, who, &err), STORE_OK);

    assert_int_equal(store_profile_get(s, who, &p, &err), STORE_OK);
    assert_string_equal(p.name, "Resetter");
    assert_int_equal(store_lesson_get(s, who, "l1", &lp, &err), STORE_NOT_FOUND);
    assert_int_equal(store_attempt_get(s, a, &at, &err), STORE_NOT_FOUND);
    assert_int_equal(store_attempt_latest(s, who, "q1", &at, &err), STORE_NOT_FOUND);
    assert_int_equal(store_answer_count(s, who, &n, &err), STORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_last_activity(s, who, &kind, id, sizeof id, &err), STORE_OK);
    assert_int_equal(kind, STORE_ACTIVITY_NONE);
    assert_string_equal(id, "");

    /* The other learner is untouched. */
    assert_int_equal(store_lesson_get(s, keep, "l1", &lp, &err), STORE_OK);
    assert_int_equal(store_answer_count(s, keep, &n, &err), STORE_OK);
    assert_int_equal(n, 1);
    store_close(s);
}

static void test_last_activity_picks_the_most_recent(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = open_ok(f->db);
    int64_t who = make_profile(s, "Active", 1);
    int64_t a = 0;
    StoreActivityKind kind = STORE_ACTIVITY_QUIZ;
    char id[STORE_ID_MAX];
    char tiny[3];

    assert_int_equal(store_last_activity(s, who, &kind, id, sizeof id, &err), STORE_OK);
    assert_int_equal(kind, STORE_ACTIVITY_NONE);
    assert_string_equal(id, "");

    assert_int_equal(store_lesson_open(s, who, "lesson-a", 100, &err), STORE_OK);
    assert_int_equal(store_attempt_start(s, who, "quiz-a", "v", 200, &a, &err), STORE_OK);
    assert_int_equal(store_lesson_open(s, who, "lesson-b", 150, &err), STORE_OK);
    assert_int_equal(store_last_activity(s, who, &kind, id, sizeof id, &err), STORE_OK);
    assert_int_equal(kind, STORE_ACTIVITY_QUIZ);
    assert_string_equal(id, "quiz-a");

    /* Reopening an old lesson makes it the most recent. */
    assert_int_equal(store_lesson_open(s, who, "lesson-a", 300, &err), STORE_OK);
    assert_int_equal(store_last_activity(s, who, &kind, id, sizeof id, &err), STORE_OK);
    assert_int_equal(kind, STORE_ACTIVITY_LESSON);
    assert_string_equal(id, "lesson-a");

    assert_int_equal(store_attempt_start(s, who, "quiz-b", "v", 400, &a, &err), STORE_OK);
    assert_int_equal(store_last_activity(s, who, &kind, id, sizeof id, &err), STORE_OK);
    assert_int_equal(kind, STORE_ACTIVITY_QUIZ);
    assert_string_equal(id, "quiz-b");

    assert_int_equal(store_last_activity(s, who, &kind, tiny, sizeof tiny, &err), STORE_INVALID);
    store_close(s);
}

/* ---- settings ---- */

static void test_settings_round_trip(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = open_ok(f->db);
    char value[32] = "junk";
    char tiny[4];

    assert_int_equal(store_setting_get(s, "theme", value, sizeof value, &err), STORE_NOT_FOUND);
    assert_string_equal(value, "");
    assert_int_equal(store_setting_set(s, "theme", "dark", &err), STORE_OK);
    assert_int_equal(store_setting_get(s, "theme", value, sizeof value, &err), STORE_OK);
    assert_string_equal(value, "dark");
    assert_int_equal(store_setting_set(s, "theme", "light", &err), STORE_OK);
    assert_int_equal(store_setting_set(s, "font_scale", "1.25", &err), STORE_OK);
    assert_int_equal(store_setting_get(s, "theme", value, sizeof value, &err), STORE_OK);
    assert_string_equal(value, "light");
    assert_int_equal(store_setting_get(s, "theme", tiny, sizeof tiny, &err), STORE_INVALID);
    assert_int_equal(store_setting_set(s, "", "x", &err), STORE_INVALID);
    assert_int_equal(store_setting_set(s, "k", NULL, &err), STORE_INVALID);
    store_close(s);

    s = open_ok(f->db);
    assert_int_equal(store_setting_get(s, "font_scale", value, sizeof value, &err), STORE_OK);
    assert_string_equal(value, "1.25");
    store_close(s);
}

static void count_case(const StoreCaseAttempt *a, void *user)
{
    int *n = user;
    assert_true(a->id > 0);
    (*n)++;
}

static void test_a_quiz_answered_at_version_1_survives_the_case_attempts_migration(void **state)
{
    Fixture *f = *state;
    CpError err = {{0}};
    Store *s = NULL;
    int64_t attempt = 0;
    assert_int_equal(store_open_at_version(f->db, 1, &s, &err), STORE_OK);
    int64_t p = make_profile(s, "Kim", 10);
    assert_int_equal(store_attempt_start(s, p, "q-one", "v1", 11, &attempt, &err), STORE_OK);
    assert_int_equal(store_answer_record(s, attempt, "i1", "A", 1, 900, 12, &err), STORE_OK);
    store_close(s);
    s = open_ok(f->db);
    int64_t n = 0;
    assert_int_equal(store_answer_count(s, p, &n, &err), STORE_OK);
    assert_int_equal(n, 1);
    StoreCaseAttempt a = {0};
    snprintf(a.template_id, sizeof a.template_id, "case-colles");
    a.seed = 3;
    snprintf(a.mode, sizeof a.mode, "quick");
    snprintf(a.dictionary, sizeof a.dictionary, "ICD-10-CM FY2026");
    a.answer = "{\"diagnoses\":[\"S52.531A\"],\"procedures\":[]}";
    a.verdicts = "[{\"code\":\"S52.531A\",\"verdict\":\"correct\",\"message\":\"...\"}]";
    a.correct = 1;
    a.max = 5;
    a.started_at = 20;
    a.submitted_at = 80;
    int64_t id = 0;
    assert_int_equal(store_case_save(s, p, &a, &id, &err), STORE_OK);
    a.max = 0; /* a score above its maximum is refused */
    assert_int_equal(store_case_save(s, p, &a, NULL, &err), STORE_INVALID);
    store_close(s);
    s = open_ok(f->db);
    StoreCaseAttempt got;
    assert_int_equal(store_case_get(s, id, &got, &err), STORE_OK);
    assert_string_equal(got.template_id, "case-colles");
    assert_int_equal(got.seed, 3);
    assert_string_equal(got.answer, a.answer);
    assert_string_equal(got.verdicts, a.verdicts);
    assert_int_equal(got.correct, 1);
    assert_int_equal(got.max, 5);
    store_case_free(&got);
    int count = 0;
    assert_int_equal(store_case_each(s, p, 10, count_case, &count, &err), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(store_case_get(s, id + 100, &got, &err), STORE_NOT_FOUND);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_a_new_database_is_created_at_the_current_version),
        T(test_data_survives_closing_and_reopening),
        T(test_migrates_forward_from_every_earlier_version),
        T(test_a_quiz_answered_at_version_1_survives_the_case_attempts_migration),
        T(test_opening_at_a_version_outside_the_known_range_is_refused),
        T(test_a_database_from_a_newer_version_is_refused_and_left_untouched),
        T(test_a_newer_database_with_an_uncheckpointed_wal_is_left_untouched),
        T(test_a_garbage_file_is_reported_as_corrupt_and_left_untouched),
        T(test_a_truncated_database_is_reported_as_corrupt),
        T(test_a_file_cut_off_inside_the_header_is_reported_as_corrupt),
        T(test_another_programs_database_is_not_taken_over),
        T(test_an_empty_file_becomes_a_new_database),
        T(test_a_missing_folder_is_an_io_error_naming_the_path),
        T(test_peek_version_does_not_create_a_missing_file),
        T(test_move_aside_renames_the_file_and_its_wal),
        T(test_move_aside_never_overwrites_an_earlier_copy),
        T(test_move_aside_of_a_missing_file_is_an_error),
        T(test_move_aside_refuses_a_too_small_name_buffer_and_moves_nothing),
        T(test_a_leftover_wal_without_its_database_is_not_replayed),
        T(test_profile_names_are_trimmed_and_unique_ignoring_case),
        T(test_profiles_are_listed_most_recently_active_first),
        T(test_unknown_profiles_and_attempts_are_not_found),
        T(test_lesson_completion_keeps_the_first_time),
        T(test_attempt_best_latest_and_answer_count),
        T(test_an_answer_survives_a_crash_before_close),
        T(test_reset_removes_progress_but_keeps_the_profile),
        T(test_last_activity_picks_the_most_recent),
        T(test_settings_round_trip),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* store.c - the learner's progress store (progress.db, SQLite). See store.h.
 *
 * Layout of this file:
 *   1. schema migrations (k_migrations: index i migrates user_version i -> i+1)
 *   2. small helpers (errors, transactions, text, UTF-8)
 *   3. open / close / move aside / peek
 *   4. profiles, lessons, attempts and answers, activity, settings
 *
 * Every public write runs in exactly one BEGIN IMMEDIATE ... COMMIT transaction and
 * rolls back on failure. All SQL is constant text; user strings are bound.
 */
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

/* ------------------------------------------------------------------------- */
/* 1. Schema                                                                  */
/* ------------------------------------------------------------------------- */

/* Stamped into the header by the first migration: 'CPRP'. A file with another
 * application_id, or a versioned file without ours, is not a CoderPrep database. */
#define STORE_APPLICATION_ID 0x43505250

#define STORE_BUSY_TIMEOUT_MS 5000
#define STORE_NAME_CHARS_MAX 48

/* Migration steps. Step i takes a database at user_version i to i + 1; the runner
 * sets user_version itself, in the same transaction. To add schema v2, append
 * one entry here and bump STORE_SCHEMA_VERSION in store.h. Never edit a released
 * step: databases in the field were built by it. */
static const char *const k_migrations[] = {
    /* 0 -> 1: the first schema. */
    "PRAGMA application_id = 1129337424;\n" /* == STORE_APPLICATION_ID */
    /* One row per learner on this computer. */
    "CREATE TABLE profiles (\n"
    "  id             INTEGER PRIMARY KEY,            -- stable for the profile's life\n"
    "  name           TEXT NOT NULL COLLATE NOCASE     -- trimmed display name,\n"
    "                 UNIQUE,                          --   unique ignoring case\n"
    "  created_at     INTEGER NOT NULL,                -- Unix seconds\n"
    "  last_active_at INTEGER NOT NULL                 -- Unix seconds (store_profile_touch)\n"
    ");\n"
    "CREATE INDEX profiles_by_activity ON profiles(last_active_at DESC, id);\n"
    /* Reading progress: one row per (profile, lesson) ever opened. */
    "CREATE TABLE lesson_progress (\n"
    "  profile_id      INTEGER NOT NULL\n"
    "                  REFERENCES profiles(id) ON DELETE CASCADE,\n"
    "  lesson_id       TEXT NOT NULL,                  -- content id of the lesson\n"
    "  first_opened_at INTEGER NOT NULL,               -- Unix seconds, first open\n"
    "  last_opened_at  INTEGER NOT NULL,               -- Unix seconds, latest open\n"
    "  completed_at    INTEGER,                        -- first completion; NULL = not yet\n"
    "  seconds_spent   INTEGER NOT NULL DEFAULT 0\n"
    "                  CHECK (seconds_spent >= 0),     -- total reading time\n"
    "  PRIMARY KEY (profile_id, lesson_id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX lesson_progress_by_recent ON lesson_progress(profile_id, last_opened_at);\n"
    /* One row per quiz attempt (a run through a quiz). */
    "CREATE TABLE attempts (\n"
    "  id              INTEGER PRIMARY KEY,\n"
    "  profile_id      INTEGER NOT NULL\n"
    "                  REFERENCES profiles(id) ON DELETE CASCADE,\n"
    "  quiz_id         TEXT NOT NULL,                  -- content id of the quiz\n"
    "  content_version TEXT NOT NULL,                  -- hash of the quiz file used\n"
    "  started_at      INTEGER NOT NULL,               -- Unix seconds\n"
    "  finished_at     INTEGER                         -- Unix seconds; NULL = unfinished\n"
    ");\n"
    "CREATE INDEX attempts_by_quiz ON attempts(profile_id, quiz_id, started_at);\n"
    "CREATE INDEX attempts_by_start ON attempts(profile_id, started_at);\n"
    /* Every answer the learner gave, one committed row each. */
    "CREATE TABLE answers (\n"
    "  id          INTEGER PRIMARY KEY,\n"
    "  attempt_id  INTEGER NOT NULL\n"
    "              REFERENCES attempts(id) ON DELETE CASCADE,\n"
    "  item_id     TEXT NOT NULL,                      -- content id of the quiz item\n"
    "  given       TEXT NOT NULL,                      -- answer as text (JSON if structured)\n"
    "  correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),\n"
    "  millis      INTEGER NOT NULL CHECK (millis >= 0), -- time taken to answer\n"
    "  answered_at INTEGER NOT NULL                    -- Unix seconds\n"
    ");\n"
    "CREATE INDEX answers_by_attempt ON answers(attempt_id);\n"
    /* App-wide preferences. */
    "CREATE TABLE settings (\n"
    "  key   TEXT PRIMARY KEY,                         -- setting name\n"
    "  value TEXT NOT NULL                             -- setting value as text\n"
    ") WITHOUT ROWID;\n",
    /* 1 -> 2: practice cases. One row per submitted case, written in one transaction
     * when the learner submits, so a reopened case shows exactly what was scored. */
    "CREATE TABLE case_attempts (\n"
    "  id           INTEGER PRIMARY KEY,\n"
    "  profile_id   INTEGER NOT NULL\n"
    "               REFERENCES profiles(id) ON DELETE CASCADE,\n"
    "  template_id  TEXT NOT NULL,                     -- case template id\n"
    "  seed         INTEGER NOT NULL,                  -- with the template, makes the case\n"
    "  mode         TEXT NOT NULL,                     -- quick, full, record, chapter, topic, weak\n"
    "  dictionary   TEXT NOT NULL,                     -- versions scored against (\"ICD-10-CM FY2026 ...\")\n"
    "  answer       TEXT NOT NULL,                     -- JSON {\"diagnoses\":[...],\"procedures\":[...]}\n"
    "  verdicts     TEXT NOT NULL,                     -- JSON [{\"code\",\"verdict\",\"message\"}]\n"
    "  correct      INTEGER NOT NULL CHECK (correct >= 0),\n"
    "  max          INTEGER NOT NULL CHECK (max >= correct),\n"
    "  started_at   INTEGER NOT NULL,                  -- Unix seconds, case shown\n"
    "  submitted_at INTEGER NOT NULL                   -- Unix seconds, answer scored\n"
    ");\n"
    "CREATE INDEX case_attempts_by_time ON case_attempts(profile_id, submitted_at);\n",
};

#define STORE_MIGRATION_COUNT ((int)(sizeof k_migrations / sizeof k_migrations[0]))

_Static_assert(sizeof k_migrations / sizeof k_migrations[0] == STORE_SCHEMA_VERSION,
               "k_migrations must have exactly STORE_SCHEMA_VERSION steps");

struct Store {
    sqlite3 *db;
    char *path; /* as given by the caller, for messages */
};

/* ------------------------------------------------------------------------- */
/* 2. Helpers                                                                 */
/* ------------------------------------------------------------------------- */

static StoreStatus status_from_sqlite(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return STORE_CORRUPT;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return STORE_IO;
    default:
        return STORE_SQL;
    }
}

/* Fills err with "<path>: <what>: <sqlite message>" and maps rc to a status. */
static StoreStatus fail_db_at(sqlite3 *db, const char *path, CpError *err, int rc,
                              const char *what)
{
    cp_error_set(err, "progress database %s: %s: %s", path, what, sqlite3_errmsg(db));
    return status_from_sqlite(rc);
}

static StoreStatus fail_db(const Store *s, CpError *err, int rc, const char *what)
{
    return fail_db_at(s->db, s->path, err, rc, what);
}

static StoreStatus check_store(const Store *s, CpError *err)
{
    if (!s || !s->db) {
        cp_error_set(err, "progress store: no open store was passed");
        return STORE_INVALID;
    }
    return STORE_OK;
}

static StoreStatus tx_begin(Store *s, CpError *err)
{
    int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) return fail_db(s, err, rc, "cannot start a write transaction");
    return STORE_OK;
}

static StoreStatus tx_commit(Store *s, CpError *err)
{
    int rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) return fail_db(s, err, rc, "cannot commit");
    return STORE_OK;
}

/* Rolls back when a transaction is still open. Leaves err alone. */
static void tx_rollback(Store *s)
{
    if (!sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static StoreStatus prepare(Store *s, const char *sql, sqlite3_stmt **st, CpError *err)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
    if (rc != SQLITE_OK) {
        *st = NULL;
        return fail_db(s, err, rc, "cannot prepare a statement");
    }
    return STORE_OK;
}

/* Steps a statement that returns no rows. */
static StoreStatus step_done(Store *s, sqlite3_stmt *st, CpError *err, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) return fail_db(s, err, rc, what);
    return STORE_OK;
}

/* Copies src into dst (cap > 0 bytes), cutting at a UTF-8 character boundary when
 * it does not fit. Returns 1 when it fit, 0 when truncated. */
static int copy_text(char *dst, size_t cap, const char *src)
{
    size_t n;
    int fit = 1;
    if (!src) src = "";
    n = strlen(src);
    if (n >= cap) {
        fit = 0;
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
    return fit;
}

static const char *column_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? (const char *)t : "";
}

/* Counts code points of a valid UTF-8 string of len bytes; -1 when invalid
 * (bad lead byte, truncated sequence, overlong form, surrogate, > U+10FFFF). */
static long utf8_count(const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    long count = 0;
    while (i < len) {
        unsigned c = p[i];
        unsigned cp;
        size_t need, k;
        if (c < 0x80) {
            i++;
            count++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07;
        } else {
            return -1;
        }
        if (len - i <= need) return -1;
        for (k = 1; k <= need; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return -1;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        i += need + 1;
        count++;
    }
    return count;
}

/* Content ids (lesson, quiz, item, content version): 1..STORE_ID_MAX-1 bytes. */
static StoreStatus check_id(const Store *s, const char *field, const char *id, CpError *err)
{
    size_t n;
    if (!id || !*id) {
        cp_error_set(err, "progress database %s: %s is empty", s->path, field);
        return STORE_INVALID;
    }
    n = strlen(id);
    if (n >= STORE_ID_MAX) {
        cp_error_set(err, "progress database %s: %s is %zu bytes long; at most %d allowed",
                     s->path, field, n, STORE_ID_MAX - 1);
        return STORE_INVALID;
    }
    return STORE_OK;
}

/* STORE_OK when the profile exists, STORE_NOT_FOUND (err set) when not. */
static StoreStatus require_profile(Store *s, int64_t profile, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = prepare(s, "SELECT 1 FROM profiles WHERE id = ?1", &st, err);
    int step;
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_int64(st, 1, profile) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the profile id");
        goto done;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        rc = STORE_OK;
    } else if (step == SQLITE_DONE) {
        cp_error_set(err, "progress database %s: profile %lld does not exist", s->path,
                     (long long)profile);
        rc = STORE_NOT_FOUND;
    } else {
        rc = fail_db(s, err, step, "cannot look up the profile");
    }
done:
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* 3. Open, validate, migrate                                                 */
/* ------------------------------------------------------------------------- */

/* Runs a one-value integer query (PRAGMA user_version, ...). */
static int query_int(sqlite3 *db, const char *sql, int *value)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) goto done;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *value = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_ERROR;
    }
done:
    sqlite3_finalize(st);
    return rc;
}

/* Message for a failed read of an existing file during validation. */
static StoreStatus fail_validate_at(sqlite3 *db, const char *path, CpError *err, int rc,
                                    const char *what)
{
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
        cp_error_set(err, "progress database %s is not a SQLite database (%s)", path,
                     sqlite3_errmsg(db));
        return STORE_CORRUPT;
    case SQLITE_CORRUPT:
        cp_error_set(err, "progress database %s is damaged: %s", path, sqlite3_errmsg(db));
        return STORE_CORRUPT;
    default:
        return fail_db_at(db, path, err, rc, what);
    }
}

static StoreStatus fail_validate(const Store *s, CpError *err, int rc, const char *what)
{
    return fail_validate_at(s->db, s->path, err, rc, what);
}

/* Read-only checks, run before anything may write the file: it is SQLite, it is
 * ours (or empty), it is not from a newer build, and it passes quick_check.
 * Sets *version to its user_version. */
static StoreStatus validate(Store *s, int *version, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = STORE_OK;
    int app_id = 0;
    int step;

    step = query_int(s->db, "PRAGMA user_version", version);
    if (step != SQLITE_OK) {
        rc = fail_validate(s, err, step, "cannot read the schema version");
        goto done;
    }
    step = query_int(s->db, "PRAGMA application_id", &app_id);
    if (step != SQLITE_OK) {
        rc = fail_validate(s, err, step, "cannot read the application id");
        goto done;
    }
    if ((app_id != 0 && app_id != STORE_APPLICATION_ID) || (app_id == 0 && *version != 0)) {
        cp_error_set(err,
                     "%s is not a CoderPrep progress database (application id %d, "
                     "schema version %d)",
                     s->path, app_id, *version);
        rc = STORE_CORRUPT;
        goto done;
    }
    if (*version > STORE_SCHEMA_VERSION) {
        cp_error_set(err,
                     "progress database %s has schema version %d, but this CoderPrep only "
                     "understands up to version %d; it was written by a newer CoderPrep",
                     s->path, *version, STORE_SCHEMA_VERSION);
        rc = STORE_TOO_NEW;
        goto done;
    }

    step = sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st, NULL);
    if (step != SQLITE_OK) {
        rc = fail_validate(s, err, step, "cannot run the integrity check");
        goto done;
    }
    step = sqlite3_step(st);
    if (step != SQLITE_ROW) {
        rc = fail_validate(s, err, step, "cannot run the integrity check");
        goto done;
    }
    if (strcmp(column_text(st, 0), "ok") != 0) {
        cp_error_set(err, "progress database %s is damaged (integrity check: %s)", s->path,
                     column_text(st, 0));
        rc = STORE_CORRUPT;
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;

    if (*version == 0) {
        /* An unversioned file is fine only while it holds no tables at all. */
        step = sqlite3_prepare_v2(s->db,
                                  "SELECT name FROM sqlite_schema WHERE type IN "
                                  "('table', 'view') AND name NOT LIKE 'sqlite\\_%' "
                                  "ESCAPE '\\' ORDER BY name LIMIT 1",
                                  -1, &st, NULL);
        if (step == SQLITE_OK) step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            cp_error_set(err,
                         "%s is not a CoderPrep progress database (it holds a table "
                         "\"%s\" but no CoderPrep schema version)",
                         s->path, column_text(st, 0));
            rc = STORE_CORRUPT;
            goto done;
        }
        if (step != SQLITE_DONE) {
            rc = fail_validate(s, err, step, "cannot read the list of tables");
            goto done;
        }
    }
done:
    sqlite3_finalize(st);
    return rc;
}

/* Applies migration steps until the file is at target (<= STORE_SCHEMA_VERSION).
 * One transaction per step; user_version is re-read inside it so two processes
 * opening the same new file do not both migrate. */
static StoreStatus migrate(Store *s, int target, CpError *err)
{
    StoreStatus rc = STORE_OK;
    char sql[64];
    int version = 0;
    int step;

    for (;;) {
        rc = tx_begin(s, err);
        if (rc != STORE_OK) goto done;
        step = query_int(s->db, "PRAGMA user_version", &version);
        if (step != SQLITE_OK) {
            rc = fail_db(s, err, step, "cannot read the schema version");
            goto done;
        }
        if (version >= target) {
            rc = tx_commit(s, err);
            goto done;
        }
        step = sqlite3_exec(s->db, k_migrations[version], NULL, NULL, NULL);
        if (step != SQLITE_OK) {
            cp_error_set(err, "progress database %s: migrating from version %d to %d failed: %s",
                         s->path, version, version + 1, sqlite3_errmsg(s->db));
            rc = status_from_sqlite(step);
            goto done;
        }
        /* PRAGMA takes no parameters; the value is our own integer. */
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version + 1);
        step = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
        if (step != SQLITE_OK) {
            rc = fail_db(s, err, step, "cannot record the schema version");
            goto done;
        }
        rc = tx_commit(s, err);
        if (rc != STORE_OK) goto done;
    }
done:
    if (rc != STORE_OK) tx_rollback(s);
    return rc;
}

/* Connection settings, applied only after validate() passed (journal_mode=WAL
 * writes the file header). */
static StoreStatus configure(Store *s, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = STORE_OK;
    int step = sqlite3_exec(s->db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL",
                            NULL, NULL, NULL);
    if (step != SQLITE_OK) {
        rc = fail_db(s, err, step, "cannot configure the connection");
        goto done;
    }
    rc = prepare(s, "PRAGMA journal_mode = WAL", &st, err);
    if (rc != STORE_OK) goto done;
    step = sqlite3_step(st);
    if (step != SQLITE_ROW) {
        rc = fail_db(s, err, step, "cannot switch to WAL journal mode");
        goto done;
    }
    if (sqlite3_stricmp(column_text(st, 0), "wal") != 0) {
        cp_error_set(err,
                     "progress database %s: cannot switch to WAL journal mode (still \"%s\"); "
                     "is the folder on a network drive?",
                     s->path, column_text(st, 0));
        rc = STORE_IO;
        goto done;
    }
done:
    sqlite3_finalize(st);
    return rc;
}

/* Writes "<dir of path>" into out. Returns 0, or -1 when it does not fit. */
static int parent_dir(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    int n;
    if (!slash) {
        n = snprintf(out, cap, ".");
    } else if (slash == path) {
        n = snprintf(out, cap, "/");
    } else {
        n = snprintf(out, cap, "%.*s", (int)(slash - path), path);
    }
    return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

/* The name to hand to sqlite3_open_v2: this SQLite treats names starting "file:"
 * as URIs, so such a relative path gets "./" in front. malloc'd; NULL when out
 * of memory. */
static char *sqlite_name(const char *path)
{
    size_t len = strlen(path) + 3;
    char *name = malloc(len);
    if (name) snprintf(name, len, "%s%s", strncmp(path, "file:", 5) == 0 ? "./" : "", path);
    return name;
}

static int path_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* 1 when "<path>-wal" exists and is not empty: it may hold commits not yet
 * copied into the database file. */
static int wal_has_data(const char *path)
{
    char wal[4096];
    struct stat st;
    int n = snprintf(wal, sizeof wal, "%s-wal", path);
    if (n < 0 || (size_t)n >= sizeof wal) return 1; /* unknown: assume it may */
    return stat(wal, &st) == 0 && st.st_size > 0;
}

/* While a file is only being inspected, closing must not checkpoint a WAL left
 * by a crash into it (that would rewrite a file we may refuse). */
static void hold_checkpoint(sqlite3 *db, int hold)
{
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, hold, (int *)NULL);
}

static StoreStatus open_impl(const char *path, int target, Store **out, CpError *err)
{
    Store *s = NULL;
    StoreStatus rc = STORE_OK;
    struct stat sb;
    char dir[4096];
    char *open_name = NULL;
    int flags = SQLITE_OPEN_READWRITE;
    int version = 0;
    int step;

    if (out) *out = NULL;
    if (!path || !*path || !out) {
        cp_error_set(err, "progress database: no path was given");
        rc = STORE_INVALID;
        goto done;
    }
    if (target < 0 || target > STORE_SCHEMA_VERSION) {
        cp_error_set(err, "progress database %s: cannot open at schema version %d (known: 0..%d)",
                     path, target, STORE_SCHEMA_VERSION);
        rc = STORE_INVALID;
        goto done;
    }

    s = calloc(1, sizeof *s);
    if (s) s->path = malloc(strlen(path) + 1);
    open_name = sqlite_name(path);
    if (!s || !s->path || !open_name) {
        cp_error_set(err, "progress database %s: out of memory", path);
        rc = STORE_IO;
        goto done;
    }
    memcpy(s->path, path, strlen(path) + 1);

    if (stat(path, &sb) == 0) {
        if (!S_ISREG(sb.st_mode)) {
            cp_error_set(err, "progress database %s exists but is not a regular file", path);
            rc = STORE_IO;
            goto done;
        }
    } else if (errno == ENOENT) {
        if (parent_dir(path, dir, sizeof dir) != 0) {
            cp_error_set(err, "progress database %s: path is too long", path);
            rc = STORE_IO;
            goto done;
        }
        if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            cp_error_set(err, "cannot create progress database %s: folder %s does not exist",
                         path, dir);
            rc = STORE_IO;
            goto done;
        }
        /* A journal left without its database must not be replayed into a new
         * one; store_move_aside clears it away. */
        snprintf(dir, sizeof dir, "%s-wal", path);
        if (!path_exists(dir)) snprintf(dir, sizeof dir, "%s-journal", path);
        if (path_exists(dir)) {
            cp_error_set(err,
                         "progress database %s is missing but its journal %s is still "
                         "there; move it aside before starting fresh",
                         path, dir);
            rc = STORE_CORRUPT;
            goto done;
        }
        flags |= SQLITE_OPEN_CREATE;
    } else {
        cp_error_set(err, "progress database %s: cannot access it: %s", path, strerror(errno));
        rc = STORE_IO;
        goto done;
    }

    step = sqlite3_open_v2(open_name, &s->db, flags, NULL);
    if (step != SQLITE_OK) {
        if (s->db) {
            cp_error_set(err, "cannot open progress database %s: %s", path,
                         sqlite3_errmsg(s->db));
        } else {
            cp_error_set(err, "cannot open progress database %s: out of memory", path);
        }
        rc = STORE_IO;
        goto done;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    if (wal_has_data(path)) hold_checkpoint(s->db, 1);

    /* Nothing above or inside validate() writes to the file. */
    rc = validate(s, &version, err);
    if (rc != STORE_OK) goto done;
    hold_checkpoint(s->db, 0);
    if (sqlite3_db_readonly(s->db, "main") == 1) {
        cp_error_set(err, "progress database %s is read-only; CoderPrep needs to write to it",
                     path);
        rc = STORE_IO;
        goto done;
    }
    rc = configure(s, err);
    if (rc != STORE_OK) goto done;
    if (version < target) {
        rc = migrate(s, target, err);
        if (rc != STORE_OK) goto done;
    }
    *out = s;
    s = NULL;
done:
    free(open_name);
    store_close(s);
    return rc;
}

StoreStatus store_open(const char *path, Store **out, CpError *err)
{
    return open_impl(path, STORE_SCHEMA_VERSION, out, err);
}

StoreStatus store_open_at_version(const char *path, int version, Store **out, CpError *err)
{
    return open_impl(path, version, out, err);
}

int store_migration_count(void)
{
    return STORE_MIGRATION_COUNT;
}

void store_close(Store *s)
{
    if (!s) return;
    sqlite3_close_v2(s->db);
    free(s->path);
    free(s);
}

StoreStatus store_peek_version(const char *path, int *version, CpError *err)
{
    sqlite3 *db = NULL;
    char *open_name = NULL;
    StoreStatus rc = STORE_OK;
    struct stat sb;
    int step;

    if (!path || !*path || !version) {
        cp_error_set(err, "progress database: no path was given");
        rc = STORE_INVALID;
        goto done;
    }
    *version = 0;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        cp_error_set(err, "progress database %s does not exist or is not a file", path);
        rc = STORE_IO;
        goto done;
    }
    /* Read-write but never CREATE, and only read: a read-only handle cannot see
     * the WAL of a database that is not open elsewhere. */
    open_name = sqlite_name(path);
    if (!open_name) {
        cp_error_set(err, "progress database %s: out of memory", path);
        rc = STORE_IO;
        goto done;
    }
    step = sqlite3_open_v2(open_name, &db, SQLITE_OPEN_READWRITE, NULL);
    if (step != SQLITE_OK) {
        cp_error_set(err, "cannot open progress database %s: %s", path,
                     db ? sqlite3_errmsg(db) : "out of memory");
        rc = STORE_IO;
        goto done;
    }
    sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
    if (wal_has_data(path)) hold_checkpoint(db, 1);
    step = query_int(db, "PRAGMA user_version", version);
    if (step != SQLITE_OK) rc = fail_validate_at(db, path, err, step, "cannot read the schema version");
done:
    sqlite3_close_v2(db);
    free(open_name);
    return rc;
}

/* ---- move aside ---- */

static const char *const k_companions[] = {"-wal", "-shm", "-journal"};
#define COMPANION_COUNT (sizeof k_companions / sizeof k_companions[0])

StoreStatus store_move_aside(const char *path, int64_t now, char *moved_to, size_t cap,
                             CpError *err)
{
    StoreStatus rc = STORE_OK;
    char stamp[32];
    char target[4096];
    char from[4096];
    char to[4096];
    int moved[COMPANION_COUNT] = {0};
    int have_main, have_any, taken, n;
    time_t t = (time_t)now;
    struct tm tm;
    size_t i;
    int suffix;

    if (!path || !*path) {
        cp_error_set(err, "progress database: no path was given");
        rc = STORE_INVALID;
        goto done;
    }
    if (!gmtime_r(&t, &tm) || strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm) == 0) {
        cp_error_set(err, "progress database %s: cannot format the time %lld", path,
                     (long long)now);
        rc = STORE_INVALID;
        goto done;
    }

    have_main = path_exists(path);
    have_any = have_main;
    for (i = 0; i < COMPANION_COUNT; i++) {
        n = snprintf(from, sizeof from, "%s%s", path, k_companions[i]);
        if (n < 0 || (size_t)n >= sizeof from) {
            cp_error_set(err, "progress database %s: path is too long", path);
            rc = STORE_IO;
            goto done;
        }
        if (path_exists(from)) have_any = 1;
    }
    if (!have_any) {
        cp_error_set(err, "cannot move progress database %s aside: it does not exist", path);
        rc = STORE_IO;
        goto done;
    }

    /* Pick "<path>.broken-STAMP", then -2, -3, ... so nothing is overwritten:
     * neither the main target nor any of its companions may exist. */
    for (suffix = 1;; suffix++) {
        if (suffix > 999) {
            cp_error_set(err, "cannot move progress database %s aside: too many earlier copies",
                         path);
            rc = STORE_IO;
            goto done;
        }
        if (suffix == 1)
            n = snprintf(target, sizeof target, "%s.broken-%s", path, stamp);
        else
            n = snprintf(target, sizeof target, "%s.broken-%s-%d", path, stamp, suffix);
        if (n < 0 || (size_t)n + sizeof "-journal" > sizeof target) {
            cp_error_set(err, "progress database %s: path is too long", path);
            rc = STORE_IO;
            goto done;
        }
        taken = path_exists(target);
        for (i = 0; i < COMPANION_COUNT && !taken; i++) {
            snprintf(to, sizeof to, "%s%s", target, k_companions[i]);
            taken = path_exists(to);
        }
        if (!taken) break;
    }
    if (moved_to && cap > 0 && !copy_text(moved_to, cap, target)) {
        cp_error_set(err, "progress database %s: the new name %s does not fit in %zu bytes",
                     path, target, cap);
        rc = STORE_INVALID;
        goto done;
    }

    /* Companions first: a journal left next to a fresh database would be replayed
     * into it. */
    for (i = 0; i < COMPANION_COUNT; i++) {
        snprintf(from, sizeof from, "%s%s", path, k_companions[i]);
        snprintf(to, sizeof to, "%s%s", target, k_companions[i]);
        if (!path_exists(from)) continue;
        if (rename(from, to) != 0) {
            cp_error_set(err, "cannot rename %s to %s: %s", from, to, strerror(errno));
            rc = STORE_IO;
            goto done;
        }
        moved[i] = 1;
    }
    if (have_main && rename(path, target) != 0) {
        cp_error_set(err, "cannot rename %s to %s: %s", path, target, strerror(errno));
        rc = STORE_IO;
        goto done;
    }
done:
    if (rc != STORE_OK) {
        /* Best effort: put back any companion already moved. */
        for (i = 0; i < COMPANION_COUNT; i++) {
            if (!moved[i]) continue;
            snprintf(from, sizeof from, "%s%s", path, k_companions[i]);
            snprintf(to, sizeof to, "%s%s", target, k_companions[i]);
            if (rename(to, from) != 0) { /* nothing more we can do; err already names it */
            }
        }
    }
    return rc;
}

/* ------------------------------------------------------------------------- */
/* 4. Profiles                                                                */
/* ------------------------------------------------------------------------- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Trims name into out (STORE_NAME_MAX) and validates it. */
static StoreStatus clean_name(const Store *s, const char *name, char *out, CpError *err)
{
    const char *start;
    size_t len, i;
    long chars;

    if (!name) {
        cp_error_set(err, "progress database %s: profile name is missing", s->path);
        return STORE_INVALID;
    }
    start = name;
    while (is_space(*start)) start++;
    len = strlen(start);
    while (len > 0 && is_space(start[len - 1])) len--;
    if (len == 0) {
        cp_error_set(err, "profile name is empty; type a name of 1 to %d characters",
                     STORE_NAME_CHARS_MAX);
        return STORE_INVALID;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)start[i];
        if (c < 0x20 || c == 0x7F) {
            cp_error_set(err, "profile name contains a control character (byte %zu)", i + 1);
            return STORE_INVALID;
        }
    }
    chars = utf8_count(start, len);
    if (chars < 0) {
        cp_error_set(err, "profile name is not valid UTF-8 text");
        return STORE_INVALID;
    }
    if (chars > STORE_NAME_CHARS_MAX) {
        cp_error_set(err, "profile name is %ld characters long; at most %d allowed", chars,
                     STORE_NAME_CHARS_MAX);
        return STORE_INVALID;
    }
    if (len >= STORE_NAME_MAX) {
        cp_error_set(err, "profile name is too long: %zu bytes of UTF-8; at most %d allowed",
                     len, STORE_NAME_MAX - 1);
        return STORE_INVALID;
    }
    memcpy(out, start, len);
    out[len] = '\0';
    return STORE_OK;
}

StoreStatus store_profile_create(Store *s, const char *name, int64_t now, int64_t *out_id,
                                 CpError *err)
{
    sqlite3_stmt *st = NULL;
    char clean[STORE_NAME_MAX];
    StoreStatus rc = check_store(s, err);
    int step;

    if (rc != STORE_OK) goto done;
    rc = clean_name(s, name, clean, err);
    if (rc != STORE_OK) goto done;
    rc = tx_begin(s, err);
    if (rc != STORE_OK) goto done;

    rc = prepare(s, "SELECT name FROM profiles WHERE name = ?1", &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_text(st, 1, clean, -1, SQLITE_STATIC) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the profile name");
        goto done;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        cp_error_set(err, "a profile named \"%s\" already exists (names ignore case)",
                     column_text(st, 0));
        rc = STORE_INVALID;
        goto done;
    }
    if (step != SQLITE_DONE) {
        rc = fail_db(s, err, step, "cannot look up profile names");
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;

    rc = prepare(s,
                 "INSERT INTO profiles (name, created_at, last_active_at) VALUES (?1, ?2, ?2)",
                 &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_text(st, 1, clean, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, now) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the new profile");
        goto done;
    }
    rc = step_done(s, st, err, "cannot create the profile");
    if (rc != STORE_OK) goto done;
    if (out_id) *out_id = sqlite3_last_insert_rowid(s->db);
    rc = tx_commit(s, err);
done:
    sqlite3_finalize(st);
    if (rc != STORE_OK && s && s->db) tx_rollback(s);
    return rc;
}

static void read_profile(sqlite3_stmt *st, StoreProfile *p)
{
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    copy_text(p->name, sizeof p->name, column_text(st, 1));
    p->created_at = sqlite3_column_int64(st, 2);
    p->last_active_at = sqlite3_column_int64(st, 3);
}

StoreStatus store_profile_list(Store *s, StoreProfile *out, size_t cap, size_t *count,
                               CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);
    size_t n = 0;
    int step;
    int in_tx = 0;

    if (rc != STORE_OK) goto done;
    if (!count || (cap > 0 && !out)) {
        cp_error_set(err, "progress database %s: profile list needs an output buffer", s->path);
        rc = STORE_INVALID;
        goto done;
    }
    *count = 0;
    /* A read transaction so the count and the rows agree. */
    step = sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);
    if (step != SQLITE_OK) {
        rc = fail_db(s, err, step, "cannot start reading");
        goto done;
    }
    in_tx = 1;
    rc = prepare(s,
                 "SELECT id, name, created_at, last_active_at FROM profiles "
                 "ORDER BY last_active_at DESC, id DESC",
                 &st, err);
    if (rc != STORE_OK) goto done;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (n < cap) read_profile(st, &out[n]);
        n++;
    }
    if (step != SQLITE_DONE) {
        rc = fail_db(s, err, step, "cannot list profiles");
        goto done;
    }
    *count = n;
done:
    sqlite3_finalize(st);
    if (in_tx) tx_rollback(s); /* read only: nothing to commit */
    return rc;
}

StoreStatus store_profile_get(Store *s, int64_t id, StoreProfile *out, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);
    int step;

    if (rc != STORE_OK) goto done;
    if (!out) {
        cp_error_set(err, "progress database %s: no profile buffer was given", s->path);
        rc = STORE_INVALID;
        goto done;
    }
    memset(out, 0, sizeof *out);
    rc = prepare(s, "SELECT id, name, created_at, last_active_at FROM profiles WHERE id = ?1",
                 &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the profile id");
        goto done;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        read_profile(st, out);
    } else if (step == SQLITE_DONE) {
        cp_error_set(err, "progress database %s: profile %lld does not exist", s->path,
                     (long long)id);
        rc = STORE_NOT_FOUND;
    } else {
        rc = fail_db(s, err, step, "cannot read the profile");
    }
done:
    sqlite3_finalize(st);
    return rc;
}

StoreStatus store_profile_touch(Store *s, int64_t id, int64_t now, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);

    if (rc != STORE_OK) goto done;
    rc = tx_begin(s, err);
    if (rc != STORE_OK) goto done;
    rc = prepare(s, "UPDATE profiles SET last_active_at = ?2 WHERE id = ?1", &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK || sqlite3_bind_int64(st, 2, now) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the profile");
        goto done;
    }
    rc = step_done(s, st, err, "cannot update the profile");
    if (rc != STORE_OK) goto done;
    if (sqlite3_changes(s->db) == 0) {
        cp_error_set(err, "progress database %s: profile %lld does not exist", s->path,
                     (long long)id);
        rc = STORE_NOT_FOUND;
        goto done;
    }
    rc = tx_commit(s, err);
done:
    sqlite3_finalize(st);
    if (rc != STORE_OK && s && s->db) tx_rollback(s);
    return rc;
}

StoreStatus store_profile_reset(Store *s, int64_t id, CpError *err)
{
    static const char *const k_reset[] = {
        "DELETE FROM answers WHERE attempt_id IN (SELECT id FROM attempts WHERE profile_id = ?1)",
        "DELETE FROM attempts WHERE profile_id = ?1",
        "DELETE FROM lesson_progress WHERE profile_id = ?1",
    };
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);
    size_t i;

    if (rc != STORE_OK) goto done;
    rc = tx_begin(s, err);
    if (rc != STORE_OK) goto done;
    rc = require_profile(s, id, err);
    if (rc != STORE_OK) goto done;
    for (i = 0; i < sizeof k_reset / sizeof k_reset[0]; i++) {
        rc = prepare(s, k_reset[i], &st, err);
        if (rc != STORE_OK) goto done;
        if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
            rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the profile id");
            goto done;
        }
        rc = step_done(s, st, err, "cannot reset the profile's progress");
        if (rc != STORE_OK) goto done;
        sqlite3_finalize(st);
        st = NULL;
    }
    rc = tx_commit(s, err);
done:
    sqlite3_finalize(st);
    if (rc != STORE_OK && s && s->db) tx_rollback(s);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* Lesson progress                                                            */
/* ------------------------------------------------------------------------- */

/* Shared shape of a lesson write: check args, one transaction, require the
 * profile, run sql with ?1 profile, ?2 lesson id, ?3 value. Returns the number of
 * changed rows in *changes. */
static StoreStatus lesson_write(Store *s, int64_t profile, const char *lesson_id, int64_t value,
                                const char *sql, int *changes, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);

    if (rc != STORE_OK) goto done;
    rc = check_id(s, "lesson id", lesson_id, err);
    if (rc != STORE_OK) goto done;
    rc = tx_begin(s, err);
    if (rc != STORE_OK) goto done;
    rc = require_profile(s, profile, err);
    if (rc != STORE_OK) goto done;
    rc = prepare(s, sql, &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_int64(st, 1, profile) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, lesson_id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, value) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the lesson progress");
        goto done;
    }
    rc = step_done(s, st, err, "cannot save lesson progress");
    if (rc != STORE_OK) goto done;
    *changes = sqlite3_changes(s->db);
    if (*changes == 0) {
        cp_error_set(err, "progress database %s: profile %lld never opened lesson \"%s\"",
                     s->path, (long long)profile, lesson_id);
        rc = STORE_NOT_FOUND;
        goto done;
    }
    rc = tx_commit(s, err);
done:
    sqlite3_finalize(st);
    if (rc != STORE_OK && s && s->db) tx_rollback(s);
    return rc;
}

StoreStatus store_lesson_open(Store *s, int64_t profile, const char *lesson_id, int64_t now,
                              CpError *err)
{
    int changes = 0;
    return lesson_write(s, profile, lesson_id, now,
                        "INSERT INTO lesson_progress (profile_id, lesson_id, first_opened_at, "
                        "last_opened_at, seconds_spent) VALUES (?1, ?2, ?3, ?3, 0) "
                        "ON CONFLICT (profile_id, lesson_id) DO UPDATE SET "
                        "last_opened_at = excluded.last_opened_at",
                        &changes, err);
}

StoreStatus store_lesson_add_time(Store *s, int64_t profile, const char *lesson_id,
                                  int64_t seconds, CpError *err)
{
    int changes = 0;
    if (seconds < 0 || seconds > INT32_MAX) {
        cp_error_set(err, "progress database %s: reading time %lld s is out of range",
                     s ? s->path : "(none)", (long long)seconds);
        return STORE_INVALID;
    }
    return lesson_write(s, profile, lesson_id, seconds,
                        "UPDATE lesson_progress SET seconds_spent = seconds_spent + ?3 "
                        "WHERE profile_id = ?1 AND lesson_id = ?2",
                        &changes, err);
}

StoreStatus store_lesson_complete(Store *s, int64_t profile, const char *lesson_id,
                                  int64_t now, CpError *err)
{
    int changes = 0;
    /* Completing a lesson never opened records it as opened now. */
    return lesson_write(s, profile, lesson_id, now,
                        "INSERT INTO lesson_progress (profile_id, lesson_id, first_opened_at, "
                        "last_opened_at, completed_at, seconds_spent) "
                        "VALUES (?1, ?2, ?3, ?3, ?3, 0) "
                        "ON CONFLICT (profile_id, lesson_id) DO UPDATE SET "
                        "completed_at = COALESCE(completed_at, excluded.completed_at)",
                        &changes, err);
}

#define LESSON_COLUMNS \
    "SELECT lesson_id, first_opened_at, last_opened_at, COALESCE(completed_at, 0), " \
    "seconds_spent FROM lesson_progress "

static void read_lesson(sqlite3_stmt *st, StoreLessonProgress *p)
{
    memset(p, 0, sizeof *p);
    copy_text(p->lesson_id, sizeof p->lesson_id, column_text(st, 0));
    p->first_opened_at = sqlite3_column_int64(st, 1);
    p->last_opened_at = sqlite3_column_int64(st, 2);
    p->completed_at = sqlite3_column_int64(st, 3);
    p->seconds_spent = sqlite3_column_int64(st, 4);
}

StoreStatus store_lesson_get(Store *s, int64_t profile, const char *lesson_id,
                             StoreLessonProgress *out, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);
    int step;

    if (rc != STORE_OK) goto done;
    if (!out) {
        cp_error_set(err, "progress database %s: no lesson buffer was given", s->path);
        rc = STORE_INVALID;
        goto done;
    }
    memset(out, 0, sizeof *out);
    rc = check_id(s, "lesson id", lesson_id, err);
    if (rc != STORE_OK) goto done;
    copy_text(out->lesson_id, sizeof out->lesson_id, lesson_id);
    rc = prepare(s, LESSON_COLUMNS "WHERE profile_id = ?1 AND lesson_id = ?2", &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_int64(st, 1, profile) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, lesson_id, -1, SQLITE_STATIC) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the lesson");
        goto done;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        read_lesson(st, out);
    } else if (step == SQLITE_DONE) {
        cp_error_set(err, "progress database %s: profile %lld never opened lesson \"%s\"",
                     s->path, (long long)profile, lesson_id);
        rc = STORE_NOT_FOUND;
    } else {
        rc = fail_db(s, err, step, "cannot read lesson progress");
    }
done:
    sqlite3_finalize(st);
    return rc;
}

StoreStatus store_lesson_each(Store *s, int64_t profile, StoreLessonFn fn, void *user,
                              CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreLessonProgress *rows = NULL;
    size_t n = 0, cap = 0, i;
    StoreStatus rc = check_store(s, err);
    int step;

    if (rc != STORE_OK) goto done;
    if (!fn) {
        cp_error_set(err, "progress database %s: no lesson callback was given", s->path);
        rc = STORE_INVALID;
        goto done;
    }
    rc = require_profile(s, profile, err);
    if (rc != STORE_OK) goto done;
    rc = prepare(s, LESSON_COLUMNS "WHERE profile_id = ?1 ORDER BY first_opened_at, lesson_id",
                 &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_int64(st, 1, profile) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the profile id");
        goto done;
    }
    /* Collect first, call back after: the callback may then use the store. */
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t grown = cap ? cap * 2 : 16;
            StoreLessonProgress *bigger = realloc(rows, grown * sizeof *rows);
            if (!bigger) {
                cp_error_set(err, "progress database %s: out of memory listing lessons",
                             s->path);
                rc = STORE_IO;
                goto done;
            }
            rows = bigger;
            cap = grown;
        }
        read_lesson(st, &rows[n++]);
    }
    if (step != SQLITE_DONE) {
        rc = fail_db(s, err, step, "cannot list lesson progress");
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    for (i = 0; i < n; i++) fn(&rows[i], user);
done:
    sqlite3_finalize(st);
    free(rows);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* Attempts and answers                                                       */
/* ------------------------------------------------------------------------- */

StoreStatus store_attempt_start(Store *s, int64_t profile, const char *quiz_id,
                                const char *content_version, int64_t now, int64_t *out_id,
                                CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);

    if (rc != STORE_OK) goto done;
    rc = check_id(s, "quiz id", quiz_id, err);
    if (rc != STORE_OK) goto done;
    rc = check_id(s, "content version", content_version, err);
    if (rc != STORE_OK) goto done;
    rc = tx_begin(s, err);
    if (rc != STORE_OK) goto done;
    rc = require_profile(s, profile, err);
    if (rc != STORE_OK) goto done;
    rc = prepare(s,
                 "INSERT INTO attempts (profile_id, quiz_id, content_version, started_at) "
                 "VALUES (?1, ?2, ?3, ?4)",
                 &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_int64(st, 1, profile) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, quiz_id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, content_version, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, now) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the attempt");
        goto done;
    }
    rc = step_done(s, st, err, "cannot start the attempt");
    if (rc != STORE_OK) goto done;
    if (out_id) *out_id = sqlite3_last_insert_rowid(s->db);
    rc = tx_commit(s, err);
done:
    sqlite3_finalize(st);
    if (rc != STORE_OK && s && s->db) tx_rollback(s);
    return rc;
}

/* Inside a transaction: NOT_FOUND for a missing attempt; *finished = 1 when it
 * already has a finish time. */
static StoreStatus attempt_state(Store *s, int64_t attempt, int *finished, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = prepare(s, "SELECT finished_at IS NOT NULL FROM attempts WHERE id = ?1",
                             &st, err);
    int step;

    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_int64(st, 1, attempt) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the attempt id");
        goto done;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *finished = sqlite3_column_int(st, 0);
    } else if (step == SQLITE_DONE) {
        cp_error_set(err, "progress database %s: quiz attempt %lld does not exist", s->path,
                     (long long)attempt);
        rc = STORE_NOT_FOUND;
    } else {
        rc = fail_db(s, err, step, "cannot look up the attempt");
    }
done:
    sqlite3_finalize(st);
    return rc;
}

StoreStatus store_answer_record(Store *s, int64_t attempt, const char *item_id,
                                const char *given, int correct, int64_t millis, int64_t now,
                                CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);
    int finished = 0;

    if (rc != STORE_OK) goto done;
    rc = check_id(s, "item id", item_id, err);
    if (rc != STORE_OK) goto done;
    if (!given) {
        cp_error_set(err, "progress database %s: the answer to \"%s\" is missing", s->path,
                     item_id);
        rc = STORE_INVALID;
        goto done;
    }
    if (millis < 0) {
        cp_error_set(err, "progress database %s: answer time %lld ms is negative", s->path,
                     (long long)millis);
        rc = STORE_INVALID;
        goto done;
    }
    rc = tx_begin(s, err);
    if (rc != STORE_OK) goto done;
    rc = attempt_state(s, attempt, &finished, err);
    if (rc != STORE_OK) goto done;
    if (finished) {
        cp_error_set(err, "progress database %s: quiz attempt %lld is already finished",
                     s->path, (long long)attempt);
        rc = STORE_INVALID;
        goto done;
    }
    rc = prepare(s,
                 "INSERT INTO answers (attempt_id, item_id, given, correct, millis, answered_at) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                 &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_int64(st, 1, attempt) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, item_id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, given, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 4, correct ? 1 : 0) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, millis) != SQLITE_OK ||
        sqlite3_bind_int64(st, 6, now) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the answer");
        goto done;
    }
    rc = step_done(s, st, err, "cannot record the answer");
    if (rc != STORE_OK) goto done;
    rc = tx_commit(s, err);
done:
    sqlite3_finalize(st);
    if (rc != STORE_OK && s && s->db) tx_rollback(s);
    return rc;
}

StoreStatus store_attempt_finish(Store *s, int64_t attempt, int64_t now, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);
    int finished = 0;

    if (rc != STORE_OK) goto done;
    rc = tx_begin(s, err);
    if (rc != STORE_OK) goto done;
    rc = attempt_state(s, attempt, &finished, err);
    if (rc != STORE_OK) goto done;
    /* Idempotent: the first finish time is kept. */
    rc = prepare(s,
                 "UPDATE attempts SET finished_at = ?2 WHERE id = ?1 AND finished_at IS NULL",
                 &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_int64(st, 1, attempt) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, now) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the attempt");
        goto done;
    }
    rc = step_done(s, st, err, "cannot finish the attempt");
    if (rc != STORE_OK) goto done;
    rc = tx_commit(s, err);
done:
    sqlite3_finalize(st);
    if (rc != STORE_OK && s && s->db) tx_rollback(s);
    return rc;
}

#define ATTEMPT_COLUMNS                                                               \
    "SELECT a.id, a.quiz_id, a.content_version, a.started_at, "                      \
    "COALESCE(a.finished_at, 0), "                                                    \
    "(SELECT COUNT(*) FROM answers WHERE attempt_id = a.id) AS answered, "           \
    "(SELECT COALESCE(SUM(correct), 0) FROM answers WHERE attempt_id = a.id) AS n_correct " \
    "FROM attempts AS a "

/* Runs a query over ATTEMPT_COLUMNS bound with ?1 (int64) and optionally ?2
 * (text), reading its first row into out. */
static StoreStatus attempt_query(Store *s, const char *sql, int64_t key, const char *text,
                                 StoreAttempt *out, const char *missing, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);
    int step;

    if (rc != STORE_OK) goto done;
    if (!out) {
        cp_error_set(err, "progress database %s: no attempt buffer was given", s->path);
        rc = STORE_INVALID;
        goto done;
    }
    memset(out, 0, sizeof *out);
    if (text) {
        rc = check_id(s, "quiz id", text, err);
        if (rc != STORE_OK) goto done;
    }
    rc = prepare(s, sql, &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_int64(st, 1, key) != SQLITE_OK ||
        (text && sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC) != SQLITE_OK)) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the attempt query");
        goto done;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        copy_text(out->quiz_id, sizeof out->quiz_id, column_text(st, 1));
        copy_text(out->content_version, sizeof out->content_version, column_text(st, 2));
        out->started_at = sqlite3_column_int64(st, 3);
        out->finished_at = sqlite3_column_int64(st, 4);
        out->answered = sqlite3_column_int(st, 5);
        out->correct = sqlite3_column_int(st, 6);
    } else if (step == SQLITE_DONE) {
        cp_error_set(err, "progress database %s: %s", s->path, missing);
        rc = STORE_NOT_FOUND;
    } else {
        rc = fail_db(s, err, step, "cannot read quiz attempts");
    }
done:
    sqlite3_finalize(st);
    return rc;
}

StoreStatus store_attempt_get(Store *s, int64_t attempt, StoreAttempt *out, CpError *err)
{
    return attempt_query(s, ATTEMPT_COLUMNS "WHERE a.id = ?1", attempt, NULL, out,
                         "no such quiz attempt", err);
}

StoreStatus store_attempt_latest(Store *s, int64_t profile, const char *quiz_id,
                                 StoreAttempt *out, CpError *err)
{
    if (!quiz_id) quiz_id = "";
    return attempt_query(s,
                         ATTEMPT_COLUMNS "WHERE a.profile_id = ?1 AND a.quiz_id = ?2 "
                                         "ORDER BY a.started_at DESC, a.id DESC LIMIT 1",
                         profile, quiz_id, out, "no attempt at this quiz yet", err);
}

StoreStatus store_attempt_best(Store *s, int64_t profile, const char *quiz_id,
                               StoreAttempt *out, CpError *err)
{
    if (!quiz_id) quiz_id = "";
    /* Ties go to the attempt that reached the score first. */
    return attempt_query(s,
                         ATTEMPT_COLUMNS "WHERE a.profile_id = ?1 AND a.quiz_id = ?2 "
                                         "AND a.finished_at IS NOT NULL "
                                         "ORDER BY n_correct DESC, a.finished_at ASC, a.id ASC "
                                         "LIMIT 1",
                         profile, quiz_id, out, "no finished attempt at this quiz yet", err);
}

StoreStatus store_answer_count(Store *s, int64_t profile, int64_t *count, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);
    int step;

    if (rc != STORE_OK) goto done;
    if (!count) {
        cp_error_set(err, "progress database %s: no count buffer was given", s->path);
        rc = STORE_INVALID;
        goto done;
    }
    *count = 0;
    rc = require_profile(s, profile, err);
    if (rc != STORE_OK) goto done;
    rc = prepare(s,
                 "SELECT COUNT(*) FROM answers AS w JOIN attempts AS a ON a.id = w.attempt_id "
                 "WHERE a.profile_id = ?1",
                 &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_int64(st, 1, profile) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the profile id");
        goto done;
    }
    step = sqlite3_step(st);
    if (step != SQLITE_ROW) {
        rc = fail_db(s, err, step, "cannot count answers");
        goto done;
    }
    *count = sqlite3_column_int64(st, 0);
done:
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* Continue where you left off                                                */
/* ------------------------------------------------------------------------- */

StoreStatus store_last_activity(Store *s, int64_t profile, StoreActivityKind *kind,
                                char *id_out, size_t cap, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);
    int step;

    if (rc != STORE_OK) goto done;
    if (!kind || !id_out || cap == 0) {
        cp_error_set(err, "progress database %s: last activity needs output buffers", s->path);
        rc = STORE_INVALID;
        goto done;
    }
    *kind = STORE_ACTIVITY_NONE;
    id_out[0] = '\0';
    rc = require_profile(s, profile, err);
    if (rc != STORE_OK) goto done;
    /* Ties in time go to the quiz, then to the newest attempt. */
    rc = prepare(s,
                 "SELECT kind, ref FROM ("
                 " SELECT 1 AS kind, lesson_id AS ref, last_opened_at AS at, 0 AS seq"
                 " FROM lesson_progress WHERE profile_id = ?1"
                 " UNION ALL"
                 " SELECT 2, quiz_id, started_at, id FROM attempts WHERE profile_id = ?1"
                 ") ORDER BY at DESC, kind DESC, seq DESC LIMIT 1",
                 &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_int64(st, 1, profile) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the profile id");
        goto done;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_DONE) goto done; /* nothing yet: STORE_OK, NONE, "" */
    if (step != SQLITE_ROW) {
        rc = fail_db(s, err, step, "cannot read recent activity");
        goto done;
    }
    if (!copy_text(id_out, cap, column_text(st, 1))) {
        cp_error_set(err, "progress database %s: activity id \"%s\" does not fit in %zu bytes",
                     s->path, column_text(st, 1), cap);
        id_out[0] = '\0';
        rc = STORE_INVALID;
        goto done;
    }
    *kind = sqlite3_column_int(st, 0) == 1 ? STORE_ACTIVITY_LESSON : STORE_ACTIVITY_QUIZ;
done:
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* Settings                                                                   */
/* ------------------------------------------------------------------------- */

StoreStatus store_setting_get(Store *s, const char *key, char *out, size_t cap, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);
    int step;

    if (rc != STORE_OK) goto done;
    if (!out || cap == 0) {
        cp_error_set(err, "progress database %s: no buffer for the setting value", s->path);
        rc = STORE_INVALID;
        goto done;
    }
    out[0] = '\0';
    if (!key || !*key) {
        cp_error_set(err, "progress database %s: setting name is empty", s->path);
        rc = STORE_INVALID;
        goto done;
    }
    rc = prepare(s, "SELECT value FROM settings WHERE key = ?1", &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the setting name");
        goto done;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_DONE) {
        cp_error_set(err, "progress database %s: setting \"%s\" is not set", s->path, key);
        rc = STORE_NOT_FOUND;
        goto done;
    }
    if (step != SQLITE_ROW) {
        rc = fail_db(s, err, step, "cannot read the setting");
        goto done;
    }
    if (!copy_text(out, cap, column_text(st, 0))) {
        cp_error_set(err, "progress database %s: setting \"%s\" is longer than %zu bytes",
                     s->path, key, cap - 1);
        out[0] = '\0';
        rc = STORE_INVALID;
        goto done;
    }
done:
    sqlite3_finalize(st);
    return rc;
}

StoreStatus store_setting_set(Store *s, const char *key, const char *value, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);

    if (rc != STORE_OK) goto done;
    if (!key || !*key || !value) {
        cp_error_set(err, "progress database %s: setting %s is missing", s->path,
                     (!key || !*key) ? "name" : "value");
        rc = STORE_INVALID;
        goto done;
    }
    rc = tx_begin(s, err);
    if (rc != STORE_OK) goto done;
    rc = prepare(s,
                 "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the setting");
        goto done;
    }
    rc = step_done(s, st, err, "cannot save the setting");
    if (rc != STORE_OK) goto done;
    rc = tx_commit(s, err);
done:
    sqlite3_finalize(st);
    if (rc != STORE_OK && s && s->db) tx_rollback(s);
    return rc;
}

/* ------------------------------------------------------------------ case attempts */

StoreStatus store_case_save(Store *s, int64_t profile, const StoreCaseAttempt *a, int64_t *out_id, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);
    if (rc != STORE_OK) goto done;
    rc = check_id(s, "case template id", a->template_id, err);
    if (rc != STORE_OK) goto done;
    if (!a->answer || !a->verdicts || a->correct < 0 || a->max < a->correct) {
        cp_error_set(err, "progress database %s: case attempt for \"%s\" has no answer, no verdicts or a score of %d of %d",
                     s->path, a->template_id, a->correct, a->max);
        rc = STORE_INVALID;
        goto done;
    }
    rc = tx_begin(s, err);
    if (rc != STORE_OK) goto done;
    rc = prepare(s,
                 "INSERT INTO case_attempts (profile_id, template_id, seed, mode, dictionary, answer, verdicts, correct, max, "
                 "started_at, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                 &st, err);
    if (rc != STORE_OK) goto done;
    if (sqlite3_bind_int64(st, 1, profile) != SQLITE_OK || sqlite3_bind_text(st, 2, a->template_id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, (sqlite3_int64)a->seed) != SQLITE_OK ||
        sqlite3_bind_text(st, 4, a->mode, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 5, a->dictionary, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 6, a->answer, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 7, a->verdicts, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 8, a->correct) != SQLITE_OK || sqlite3_bind_int(st, 9, a->max) != SQLITE_OK ||
        sqlite3_bind_int64(st, 10, a->started_at) != SQLITE_OK || sqlite3_bind_int64(st, 11, a->submitted_at) != SQLITE_OK) {
        rc = fail_db(s, err, sqlite3_errcode(s->db), "cannot bind the case attempt");
        goto done;
    }
    rc = step_done(s, st, err, "cannot save the case attempt");
    if (rc != STORE_OK) goto done;
    if (out_id) *out_id = sqlite3_last_insert_rowid(s->db);
    rc = tx_commit(s, err);
done:
    sqlite3_finalize(st);
    if (rc != STORE_OK && s && s->db) tx_rollback(s);
    return rc;
}

/* Fills a from the columns of the row st is on (the order of CASE_COLUMNS). Strings
 * are malloc'd: store_case_free releases them. */
#define CASE_COLUMNS "id, template_id, seed, mode, dictionary, answer, verdicts, correct, max, started_at, submitted_at"

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return strdup(t ? (const char *)t : "");
}

static int case_from_row(sqlite3_stmt *st, StoreCaseAttempt *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    copy_text(a->template_id, sizeof a->template_id, (const char *)sqlite3_column_text(st, 1));
    a->seed = (uint64_t)sqlite3_column_int64(st, 2);
    copy_text(a->mode, sizeof a->mode, (const char *)sqlite3_column_text(st, 3));
    copy_text(a->dictionary, sizeof a->dictionary, (const char *)sqlite3_column_text(st, 4));
    a->answer = col_dup(st, 5);
    a->verdicts = col_dup(st, 6);
    a->correct = sqlite3_column_int(st, 7);
    a->max = sqlite3_column_int(st, 8);
    a->started_at = sqlite3_column_int64(st, 9);
    a->submitted_at = sqlite3_column_int64(st, 10);
    return a->answer && a->verdicts ? 0 : -1;
}

void store_case_free(StoreCaseAttempt *a)
{
    if (!a) return;
    free((char *)a->answer);
    free((char *)a->verdicts);
    a->answer = a->verdicts = NULL;
}

StoreStatus store_case_get(Store *s, int64_t id, StoreCaseAttempt *out, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);
    if (rc != STORE_OK) return rc;
    rc = prepare(s, "SELECT " CASE_COLUMNS " FROM case_attempts WHERE id = ?1", &st, err);
    if (rc != STORE_OK) return rc;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        if (case_from_row(st, out) != 0) {
            store_case_free(out);
            cp_error_set(err, "out of memory");
            rc = STORE_SQL;
        }
    } else if (step == SQLITE_DONE) {
        cp_error_set(err, "progress database %s: no case attempt %lld", s->path, (long long)id);
        rc = STORE_NOT_FOUND;
    } else {
        rc = fail_db(s, err, step, "cannot read the case attempt");
    }
    sqlite3_finalize(st);
    return rc;
}

StoreStatus store_case_each(Store *s, int64_t profile, int limit, StoreCaseFn fn, void *user, CpError *err)
{
    sqlite3_stmt *st = NULL;
    StoreStatus rc = check_store(s, err);
    if (rc != STORE_OK) return rc;
    rc = prepare(s, "SELECT " CASE_COLUMNS " FROM case_attempts WHERE profile_id = ?1 ORDER BY submitted_at DESC, id DESC LIMIT ?2",
                 &st, err);
    if (rc != STORE_OK) return rc;
    sqlite3_bind_int64(st, 1, profile);
    sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        StoreCaseAttempt a;
        if (case_from_row(st, &a) == 0) fn(&a, user);
        store_case_free(&a);
    }
    if (step != SQLITE_DONE) rc = fail_db(s, err, step, "cannot list case attempts");
    sqlite3_finalize(st);
    return rc;
}

/* store.h - the learner's progress store (progress.db, SQLite).
 *
 * One database file per data folder holds every learner profile on this computer,
 * their lesson progress, their quiz attempts and every answer they gave, plus
 * app-wide settings. The schema is versioned with PRAGMA user_version and migrated
 * forward on open; the database runs in WAL mode with foreign keys on.
 *
 * Durability contract: every function that writes runs in exactly one transaction
 * and returns only after it committed (synchronous=FULL), so an answer the learner
 * saw accepted survives a crash or power loss.
 *
 * Safety contract: store_open never modifies a database it cannot use: a corrupt
 * file, a file that is not SQLite, or one written by a newer CoderPrep is reported
 * (STORE_CORRUPT / STORE_TOO_NEW) and left byte-for-byte as it was. Only
 * store_move_aside, called after the learner agreed, renames it.
 *
 * Time: callers pass `now` (Unix seconds); the store never reads the clock.
 * Strings: all text is UTF-8; ids are copied, never retained.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include "cp_error.h"

typedef struct Store Store; /* opaque: one open progress database */

typedef enum StoreStatus {
    STORE_OK = 0,
    STORE_NOT_FOUND,  /* the profile / attempt / row asked for does not exist */
    STORE_INVALID,    /* bad argument (empty name, duplicate name, too long) */
    STORE_CORRUPT,    /* file is damaged or not a CoderPrep database: left untouched */
    STORE_TOO_NEW,    /* schema newer than this build understands: left untouched */
    STORE_IO,         /* file system error (cannot create, rename, ...) */
    STORE_SQL         /* any other SQLite error; err names it */
} StoreStatus;

#define STORE_SCHEMA_VERSION 2
#define STORE_NAME_MAX 200  /* profile names: 1..48 characters of up to 4 UTF-8 bytes + NUL */
#define STORE_ID_MAX 65     /* content ids: up to 64 chars + NUL */

/* Opens (creating when missing) the database at path and migrates it to
 * STORE_SCHEMA_VERSION. On failure *out is NULL. */
StoreStatus store_open(const char *path, Store **out, CpError *err);
void store_close(Store *s); /* NULL is fine */

/* Renames path and its -wal / -shm (and -journal) companions to
 * "<path>.broken-YYYYMMDD-HHMMSS" (UTC from now). Writes the new name of the main
 * file into moved_to (cap bytes). The caller then opens a fresh store at path. */
StoreStatus store_move_aside(const char *path, int64_t now, char *moved_to, size_t cap,
                             CpError *err);

/* Reads PRAGMA user_version of the file at path without changing it
 * (for tests and diagnostics). */
StoreStatus store_peek_version(const char *path, int *version, CpError *err);

/* ---- profiles ---- */
typedef struct StoreProfile {
    int64_t id;                  /* row id, stable for the life of the profile */
    char name[STORE_NAME_MAX];   /* display name as the learner typed it (trimmed) */
    int64_t created_at;          /* Unix seconds */
    int64_t last_active_at;      /* Unix seconds; updated by store_profile_touch */
} StoreProfile;

/* name is trimmed (ASCII whitespace); 1..48 characters (UTF-8 code points) and,
 * so at most 192 bytes, which STORE_NAME_MAX holds; no control characters; unique ignoring case (SQLite NOCASE: ASCII letters only). Otherwise
 * STORE_INVALID. */
StoreStatus store_profile_create(Store *s, const char *name, int64_t now, int64_t *out_id,
                                 CpError *err);
/* Fills up to cap profiles, most recently active first; *count = how many exist
 * (may exceed cap). */
StoreStatus store_profile_list(Store *s, StoreProfile *out, size_t cap, size_t *count,
                               CpError *err);
StoreStatus store_profile_get(Store *s, int64_t id, StoreProfile *out, CpError *err);
StoreStatus store_profile_touch(Store *s, int64_t id, int64_t now, CpError *err);
/* Deletes the profile's lesson progress, attempts and answers; keeps the profile. */
StoreStatus store_profile_reset(Store *s, int64_t id, CpError *err);

/* ---- lesson progress ---- */
typedef struct StoreLessonProgress {
    char lesson_id[STORE_ID_MAX];
    int64_t first_opened_at;  /* 0 = never */
    int64_t last_opened_at;   /* 0 = never */
    int64_t completed_at;     /* 0 = not completed */
    int64_t seconds_spent;    /* total reading time */
} StoreLessonProgress;

StoreStatus store_lesson_open(Store *s, int64_t profile, const char *lesson_id, int64_t now,
                              CpError *err);
/* Adds reading time (0..INT32_MAX s); STORE_NOT_FOUND when the lesson was never opened. */
StoreStatus store_lesson_add_time(Store *s, int64_t profile, const char *lesson_id,
                                  int64_t seconds, CpError *err);
/* Idempotent: the first completion time is kept. A lesson never opened is recorded
 * as opened now. */
StoreStatus store_lesson_complete(Store *s, int64_t profile, const char *lesson_id,
                                  int64_t now, CpError *err);
/* STORE_NOT_FOUND when the learner never opened it (out zeroed, id copied). */
StoreStatus store_lesson_get(Store *s, int64_t profile, const char *lesson_id,
                             StoreLessonProgress *out, CpError *err);
typedef void (*StoreLessonFn)(const StoreLessonProgress *p, void *user);
StoreStatus store_lesson_each(Store *s, int64_t profile, StoreLessonFn fn, void *user,
                              CpError *err);

/* ---- quiz attempts and answers ---- */
typedef struct StoreAttempt {
    int64_t id;
    char quiz_id[STORE_ID_MAX];
    char content_version[STORE_ID_MAX]; /* hash of the quiz file it was taken on */
    int64_t started_at;
    int64_t finished_at;   /* 0 while unfinished */
    int answered;          /* answers recorded */
    int correct;           /* of which correct */
} StoreAttempt;

StoreStatus store_attempt_start(Store *s, int64_t profile, const char *quiz_id,
                                const char *content_version, int64_t now, int64_t *out_id,
                                CpError *err);
/* Records one answer in its own committed transaction. given is the learner's
 * answer as text (JSON for structured answers). STORE_INVALID once the attempt is
 * finished. */
StoreStatus store_answer_record(Store *s, int64_t attempt, const char *item_id,
                                const char *given, int correct, int64_t millis, int64_t now,
                                CpError *err);
StoreStatus store_attempt_finish(Store *s, int64_t attempt, int64_t now, CpError *err);
StoreStatus store_attempt_get(Store *s, int64_t attempt, StoreAttempt *out, CpError *err);
/* The learner's most recent attempt at quiz_id; STORE_NOT_FOUND when none. */
StoreStatus store_attempt_latest(Store *s, int64_t profile, const char *quiz_id,
                                 StoreAttempt *out, CpError *err);
/* Best finished attempt (most correct answers) at quiz_id; STORE_NOT_FOUND when none. */
StoreStatus store_attempt_best(Store *s, int64_t profile, const char *quiz_id,
                               StoreAttempt *out, CpError *err);
/* Total answers recorded for a profile (all attempts). */
StoreStatus store_answer_count(Store *s, int64_t profile, int64_t *count, CpError *err);

/* ---- practice case attempts ---- */
typedef struct StoreCaseAttempt {
    int64_t id;
    char template_id[STORE_ID_MAX];
    uint64_t seed;
    char mode[16];             /* "quick", "full", "record", "chapter", "topic", "weak" */
    char dictionary[128];      /* the versions it was scored against */
    const char *answer;        /* JSON {"diagnoses":[...],"procedures":[...]} */
    const char *verdicts;      /* JSON [{"code","verdict","message"}] */
    int correct, max;
    int64_t started_at, submitted_at;
} StoreCaseAttempt;

/* Saves a scored case in one committed transaction; *out_id (may be NULL) gets its id.
 * The strings are the caller's. */
StoreStatus store_case_save(Store *s, int64_t profile, const StoreCaseAttempt *a, int64_t *out_id, CpError *err);
/* Reads one attempt; answer and verdicts are malloc'd: release with store_case_free. */
StoreStatus store_case_get(Store *s, int64_t id, StoreCaseAttempt *out, CpError *err);
void store_case_free(StoreCaseAttempt *a);
/* The profile's attempts, newest first, at most limit (0 = all). The attempt passed
 * to fn is valid only during the call. */
typedef void (*StoreCaseFn)(const StoreCaseAttempt *a, void *user);
StoreStatus store_case_each(Store *s, int64_t profile, int limit, StoreCaseFn fn, void *user, CpError *err);

/* ---- continue where you left off ---- */
typedef enum StoreActivityKind { STORE_ACTIVITY_NONE, STORE_ACTIVITY_LESSON, STORE_ACTIVITY_QUIZ }
    StoreActivityKind;
/* The most recent lesson opened or quiz attempt started by the profile. */
StoreStatus store_last_activity(Store *s, int64_t profile, StoreActivityKind *kind,
                                char *id_out, size_t cap, CpError *err);

/* ---- settings (app-wide key/value) ---- */
/* STORE_NOT_FOUND when unset (out = ""). */
StoreStatus store_setting_get(Store *s, const char *key, char *out, size_t cap, CpError *err);
StoreStatus store_setting_set(Store *s, const char *key, const char *value, CpError *err);

/* ---- for tests only: not for application code ----
 * The number of schema migration steps (== STORE_SCHEMA_VERSION). */
int store_migration_count(void);
/* Like store_open, but migrates only up to schema `version` (0..STORE_SCHEMA_VERSION)
 * so tests can build a database as an older CoderPrep left it. A file already past
 * `version` is opened as it is (never downgraded). */
StoreStatus store_open_at_version(const char *path, int version, Store **out, CpError *err);

#endif

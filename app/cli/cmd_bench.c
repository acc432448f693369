/* cmd_bench.c - `coderprep bench startup`: the figures README's Performance
 * section quotes. A benchmark, never a test: it measures and prints JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>
#include <sys/stat.h>

#include "cases.h"
#include "cli.h"
#include "codebook.h"
#include "fsutil.h"
#include "window.h"

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static char self_exe[APP_PATH_MAX];

/* Runs `coderprep __first-frame ...` and returns the ms from just before exec to
 * its first presented frame; *cpu_s receives the child's CPU time. */
static double run_child(CliGlobal *g, const char *data_dir, const char *idle_ms, double *cpu_s, long *rss_kb)
{
    int fds[2];
    if (pipe(fds) != 0) return -1;
    int64_t t0 = mono_ns();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY") && !getenv("SDL_VIDEODRIVER"))
            setenv("SDL_VIDEODRIVER", "dummy", 1);
        char *args[] = {self_exe, "--content-root", g->content_root, "--data-dir", (char *)data_dir,
                        "__first-frame", idle_ms ? "--idle" : NULL, (char *)idle_ms, NULL};
        execv(self_exe, args);
        _exit(127);
    }
    close(fds[1]);
    char buf[128] = {0};
    size_t got = 0;
    ssize_t n;
    while (got < sizeof buf - 1 && (n = read(fds[0], buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)n;
    n = (ssize_t)got;
    close(fds[0]);
    int status;
    struct rusage before, after;
    getrusage(RUSAGE_CHILDREN, &before);
    if (waitpid(pid, &status, 0) < 0 || n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
    getrusage(RUSAGE_CHILDREN, &after); /* children are waited one at a time: the delta is this child */
    *rss_kb = after.ru_maxrss; /* largest child so far */
    /* line 1: when the first frame was presented; line 2 (idle runs): CPU seconds
     * spent while idle, measured by the child itself so start-up is not counted */
    char *line2 = strchr(buf, '\n');
    *cpu_s = line2 ? strtod(line2 + 1, NULL) : 0.0;
    int64_t t1 = strtoll(buf, NULL, 10);
    return (double)(t1 - t0) / 1e6;
}

static Uint32 quit_timer(Uint32 interval, void *param)
{
    SDL_Event e;
    (void)param;
    memset(&e, 0, sizeof e);
    e.type = SDL_QUIT;
    SDL_PushEvent(&e);
    return interval;
}

int cmd_first_frame(CliGlobal *g, int argc, char **argv)
{
    int idle_ms = (argc == 2 && strcmp(argv[0], "--idle") == 0) ? atoi(argv[1]) : 0;
    CpError err;
    App app;
    AppConfig cfg = {g->content_root, g->data_dir, 0, 0};
    if (app_open(&app, &cfg, &err) != 0) return 2;
    Window w;
    if (window_open(&w, &app, 1200, 800, 0, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    window_draw(&w);
    printf("%lld\n", (long long)mono_ns());
    fflush(stdout);
    if (idle_ms > 0) {
        /* sit in the real event loop with nothing happening, then quit; a timer
         * wakes the blocking wait at the end */
        SDL_Delay(100); /* let the window system's start-up events pass */
        window_pump(&w, 0);
        struct rusage r0, r1;
        getrusage(RUSAGE_SELF, &r0);
        SDL_TimerID timer = SDL_AddTimer((Uint32)idle_ms, quit_timer, NULL);
        while (!window_pump(&w, 1)) {
        }
        SDL_RemoveTimer(timer);
        getrusage(RUSAGE_SELF, &r1);
        double cpu = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) + (double)(r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) +
                     ((double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) + (double)(r1.ru_stime.tv_usec - r0.ru_stime.tv_usec)) / 1e6;
        printf("%.4f\n", cpu);
        fflush(stdout);
    }
    window_close(&w);
    app_close(&app);
    SDL_Quit();
    return 0;
}

static size_t lesson_chars(const Lesson *les)
{
    size_t n = 0;
    for (int b = 0; b < les->nblocks; b++) {
        const Block *blk = &les->blocks[b];
        n += blk->text ? strlen(blk->text) : 0;
        n += blk->term ? strlen(blk->term) : 0;
        for (int k = 0; k < blk->nitems; k++) n += blk->items[k] ? strlen(blk->items[k]) : 0;
    }
    return n;
}

/* The lesson with the most text: the heaviest one to lay out and draw. */
static const Lesson *longest_lesson(const Content *c)
{
    const Lesson *best = NULL;
    for (int i = 0; i < c->nlessons; i++)
        if (!best || lesson_chars(&c->lessons[i]) > lesson_chars(best)) best = &c->lessons[i];
    return best;
}

/* ------------------------------------------------------------------ bench codes */

/* Typing these one character at a time is what the search latency measures. */
static const char *const BENCH_QUERIES[] = {
    "diabetes type 2 with chronic kidney disease", "acute myocardial infarction", "fracture of neck of femur",
    "pneumonia due to pseudomonas", "heart attack", "E11.22", "copd with exacerbation", "chest pain",
    "urinary tract infection", "hypertensive heart and chronic kidney disease", "S72.001A", "sepsis due to e coli",
    "major depressive disorder recurrent", "burn of forearm second degree", "poisoning by acetaminophen"};

static int decompress(const char *xz, const char *out, CpError *err)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "xz -dc '%s' > '%s'", xz, out);
    if (system(cmd) != 0) {
        cp_error_set(err, "cannot decompress %s (is xz installed?)", xz);
        return -1;
    }
    return 0;
}

static double pct(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    int i = (int)(p * (n - 1) + 0.5);
    return n ? v[i] : 0;
}

/* The naive baseline: every word as LIKE '%word%' over the titles. */
static double naive_search(sqlite3 *db, int64_t vid, const char *q)
{
    char sql[2048] = "SELECT code, title FROM codes WHERE version_id = ?1";
    char words[8][64];
    int n = 0;
    for (const char *p = q; *p && n < 8;) {
        while (*p == ' ') p++;
        size_t k = 0;
        while (*p && *p != ' ') {
            if (k + 1 < 64) words[n][k++] = *p;
            p++;
        }
        words[n][k] = '\0';
        if (k) n++;
    }
    for (int i = 0; i < n; i++) {
        size_t len = strlen(sql);
        snprintf(sql + len, sizeof sql - len, " AND title LIKE ?%d", i + 2);
    }
    strcat(sql, " LIMIT 20");
    sqlite3_stmt *st = NULL;
    int64_t t0 = mono_ns();
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return 0;
    sqlite3_bind_int64(st, 1, vid);
    for (int i = 0; i < n; i++) {
        char pat[80];
        snprintf(pat, sizeof pat, "%%%s%%", words[i]);
        sqlite3_bind_text(st, i + 2, pat, -1, SQLITE_TRANSIENT);
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
    }
    sqlite3_finalize(st);
    return (double)(mono_ns() - t0) / 1000.0;
}

static int bench_codes(CliGlobal *g, const char *data)
{
    (void)g;
    char dir_tmpl[] = "/tmp/coderprep-bench-codes-XXXXXX";
    char *dir = mkdtemp(dir_tmpl);
    CpError err;
    if (!dir) return 2;
    static const char *const names[] = {"icd10cm/icd10cm_order_2023.txt", "icd10cm/icd10cm_tabular_2023.xml",
                                        "icd10cm/icd10cm_index_2023.xml", "icd10cm/icd10cm_order_2026.txt"};
    char files[4][APP_PATH_MAX];
    for (int i = 0; i < 4; i++) {
        char src[APP_PATH_MAX];
        snprintf(src, sizeof src, "%s/%s.xz", data, names[i]);
        if (!fs_is_file(src)) {
            fprintf(stderr, "coderprep bench codes: %s is missing: the benchmark needs the official files in ../shared/data "
                            "(or --data DIR)\n", src);
            return 2;
        }
        snprintf(files[i], sizeof files[i], "%s/%s", dir, strrchr(names[i], '/') + 1);
        if (decompress(src, files[i], &err) != 0) {
            fprintf(stderr, "coderprep bench codes: %s\n", err.msg);
            return 2;
        }
    }
    char db_path[APP_PATH_MAX];
    snprintf(db_path, sizeof db_path, "%s/codes.db", dir);
    Codebook *cb;
    if (codebook_open(db_path, &cb, &err) != 0) {
        fprintf(stderr, "coderprep bench codes: %s\n", err.msg);
        return 2;
    }
    ImportSummary full[SYS_COUNT], order[SYS_COUNT];
    int nfull = 0, norder = 0;
    const char *fy23[3] = {files[0], files[1], files[2]};
    const char *fy26[1] = {files[3]};
    if (codebook_import(cb, fy23, 3, NULL, app_now(), NULL, NULL, full, &nfull, &err) != 0 ||
        codebook_import(cb, fy26, 1, NULL, app_now(), NULL, NULL, order, &norder, &err) != 0) {
        fprintf(stderr, "coderprep bench codes: %s\n", err.msg);
        return 2;
    }
    /* search over the release with its Index */
    codebook_use(cb, SYS_ICD10CM, "FY2023", &err);
    CodeVersion v23;
    codebook_active(cb, SYS_ICD10CM, &v23, &err);
    sqlite3 *raw = NULL;
    sqlite3_open_v2(db_path, &raw, SQLITE_OPEN_READONLY, NULL);
    enum { MAXK = 1024 };
    static double fts[MAXK], naive[MAXK];
    int nk = 0;
    SearchHit hits[20];
    SearchOptions opts = {SYS_ANY, 0, 20};
    for (size_t qi = 0; qi < sizeof BENCH_QUERIES / sizeof BENCH_QUERIES[0]; qi++) {
        const char *q = BENCH_QUERIES[qi];
        for (size_t len = 1; len <= strlen(q) && nk < MAXK; len++) {
            char prefix[128];
            snprintf(prefix, sizeof prefix, "%.*s", (int)len, q);
            int n = 0;
            int64_t t0 = mono_ns();
            codebook_search(cb, prefix, &opts, hits, &n, &err);
            fts[nk] = (double)(mono_ns() - t0) / 1000.0;
            naive[nk] = naive_search(raw, v23.id, prefix);
            nk++;
        }
    }
    sqlite3_close(raw);
    static const char *const lookups[] = {"E11.22", "S72.001A", "I21.4", "J44.1", "O24.410", "Z79.4", "W21.89XA",
                                          "T39.1X1A", "C50.911", "F32.9"};
    enum { NL = 400 };
    static double look[NL];
    for (int i = 0; i < NL; i++) {
        CodeInfo info;
        int64_t t0 = mono_ns();
        if (codebook_lookup(cb, SYS_ICD10CM, NULL, lookups[i % 10], &info, &err) == 0) codebook_info_free(&info);
        look[i] = (double)(mono_ns() - t0) / 1000.0;
    }
    codebook_close(cb);
    struct stat st;
    double db_mb = 0;
    const char *suffix[] = {"", "-wal"};
    for (int i = 0; i < 2; i++) {
        char p[APP_PATH_MAX + 8];
        snprintf(p, sizeof p, "%s%s", db_path, suffix[i]);
        if (stat(p, &st) == 0) db_mb += (double)st.st_size / 1048576.0;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double f50 = pct(fts, nk, 0.5), f99 = pct(fts, nk, 0.99), n50 = pct(naive, nk, 0.5), n99 = pct(naive, nk, 0.99);
    printf("{\"import\":{\"release\":\"ICD-10-CM FY2023 order+tabular+index\",\"seconds\":%.2f,\"codes\":%lld,"
           "\"billable\":%lld,\"index_terms\":%lld},"
           "\"import_order_file\":{\"release\":\"ICD-10-CM FY2026 order file\",\"seconds\":%.2f,\"codes\":%lld,\"billable\":%lld},"
           "\"search_us\":{\"keystrokes\":%d,\"p50\":%.0f,\"p99\":%.0f},"
           "\"naive_like_us\":{\"p50\":%.0f,\"p99\":%.0f,\"ratio_p50\":%.1f,\"ratio_p99\":%.1f},"
           "\"lookup_us\":{\"p50\":%.0f,\"p99\":%.0f},\"codes_db_mb\":%.1f,\"peak_rss_mb\":%.1f}\n",
           full[0].seconds, (long long)full[0].codes, (long long)full[0].billable, (long long)full[0].index_terms,
           order[0].seconds, (long long)order[0].codes, (long long)order[0].billable, nk, f50, f99, n50, n99,
           f50 > 0 ? n50 / f50 : 0, f99 > 0 ? n99 / f99 : 0, pct(look, NL, 0.5), pct(look, NL, 0.99), db_mb,
           (double)ru.ru_maxrss / 1024.0);
    char cmd[APP_PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "coderprep bench codes: could not remove %s\n", dir);
    return 0;
}

/* Cases generated and answers scored per second, on the shipped templates. The
 * answers mix what learners give: the expected codes in order (a third), the
 * principal moved down (a third), and one code with a changed last character, which
 * sends the scorer through the near-miss and Excludes1 checks (a third). */
static int bench_cases(CliGlobal *g)
{
    CpError err;
    CaseLibrary *lib = cases_load(g->content_root, NULL, &err);
    if (!lib || cases_count(lib) == 0) {
        fprintf(stderr, "coderprep bench cases: no case templates under %s\n", g->content_root);
        cases_free(lib);
        return 2;
    }
    Codebook *cb;
    if (cli_open_codebook(g, &cb, 1) != 0) {
        cases_free(lib);
        return 2;
    }
    enum { NCASES = 2000 };
    GeneratedCase *cs = malloc(NCASES * sizeof *cs);
    CaseScore *sc = malloc(sizeof *sc);
    if (!cs || !sc) {
        free(cs);
        free(sc);
        codebook_close(cb);
        cases_free(lib);
        return 2;
    }
    int nt = cases_count(lib);
    int64_t generated = 0, t0 = mono_ns(), t1 = t0;
    while (t1 - t0 < 2000000000LL) {
        for (int k = 0; k < 1000; k++, generated++)
            if (case_generate(cases_at(lib, (int)(generated % nt)), (uint64_t)(generated / nt + 1), &cs[generated % NCASES], &err) != 0)
                fprintf(stderr, "coderprep bench cases: %s\n", err.msg);
        t1 = mono_ns();
    }
    double gen_rate = (double)generated / ((double)(t1 - t0) / 1e9);
    /* answers for the first NCASES cases (all templates, seeds 1..) */
    static char answers[NCASES][CASE_MAX_CODES][CODE_MAX];
    static const char *dx[NCASES][CASE_MAX_CODES], *px[NCASES][CASE_MAX_CODES];
    static int ndx[NCASES], npx[NCASES];
    for (int i = 0; i < NCASES; i++) {
        case_generate(cases_at(lib, i % nt), (uint64_t)(i / nt + 1), &cs[i], &err);
        ndx[i] = npx[i] = 0;
        for (int k = 0; k < cs[i].ncodes; k++) {
            snprintf(answers[i][k], CODE_MAX, "%s", cs[i].codes[k].code);
            if (cs[i].codes[k].role == ROLE_PROCEDURE) px[i][npx[i]++] = answers[i][k];
            else dx[i][ndx[i]++] = answers[i][k];
        }
        if (i % 3 == 1 && ndx[i] > 1) {
            const char *tmp = dx[i][0];
            dx[i][0] = dx[i][1];
            dx[i][1] = tmp;
        } else if (i % 3 == 2) {
            size_t len = strlen(answers[i][0]);
            char *last = &answers[i][0][len - 1];
            *last = *last == '1' ? '2' : '1';
        }
    }
    int64_t scored = 0;
    t0 = t1 = mono_ns();
    while (t1 - t0 < 2000000000LL) {
        for (int k = 0; k < 1000; k++, scored++) {
            int i = (int)(scored % NCASES);
            if (case_score(cb, &cs[i], dx[i], ndx[i], px[i], npx[i], sc, &err) != 0)
                fprintf(stderr, "coderprep bench cases: %s\n", err.msg);
        }
        t1 = mono_ns();
    }
    double score_rate = (double)scored / ((double)(t1 - t0) / 1e9);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("{\"templates\":%d,\"cases_generated\":%lld,\"cases_per_second\":%.0f,\"answers_scored\":%lld,"
           "\"answers_per_second\":%.0f,\"target_cases_per_second\":10000,\"target_answers_per_second\":100000,"
           "\"peak_rss_mb\":%.1f}\n",
           nt, (long long)generated, gen_rate, (long long)scored, score_rate, (double)ru.ru_maxrss / 1024.0);
    free(cs);
    free(sc);
    codebook_close(cb);
    cases_free(lib);
    return 0;
}

int cmd_bench(CliGlobal *g, int argc, char **argv)
{
    if (argc == 1 && strcmp(argv[0], "cases") == 0) return bench_cases(g);
    if (argc >= 1 && strcmp(argv[0], "codes") == 0) {
        char data[APP_PATH_MAX];
        snprintf(data, sizeof data, "%s/../shared/data", CODERPREP_SOURCE_DIR);
        if (argc == 3 && strcmp(argv[1], "--data") == 0) snprintf(data, sizeof data, "%s", argv[2]);
        else if (argc != 1) {
            fprintf(stderr, "usage: coderprep bench codes [--data DIR]\n");
            return 2;
        }
        return bench_codes(g, data);
    }
    if (argc != 1 || strcmp(argv[0], "startup") != 0) {
        fprintf(stderr, "usage: coderprep bench startup | codes [--data DIR] | cases\n");
        return 2;
    }
    ssize_t n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
    if (n <= 0) return 2;
    self_exe[n] = '\0';
    char tmpl[] = "/tmp/coderprep-bench-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir) {
        fprintf(stderr, "coderprep bench: cannot make a temporary folder: %s\n", strerror(errno));
        return 2;
    }
    CpError err;
    /* a learner, so the first frame is the Home screen a returning learner sees */
    char db[APP_PATH_MAX];
    fs_join(db, sizeof db, dir, "progress.db");
    Store *st = NULL;
    int64_t pid = 0;
    if (store_open(db, &st, &err) != STORE_OK || store_profile_create(st, "Bench", app_now(), &pid, &err) != STORE_OK) {
        fprintf(stderr, "coderprep bench: %s\n", err.msg);
        store_close(st);
        return 2;
    }
    store_close(st);

    enum { RUNS = 7 };
    double first[RUNS], cpu, child_rss_max = 0;
    long rss;
    for (int i = 0; i < RUNS; i++) {
        first[i] = run_child(g, dir, NULL, &cpu, &rss);
        if (first[i] < 0) {
            fprintf(stderr, "coderprep bench: the first-frame child failed\n");
            return 2;
        }
        if (rss > child_rss_max) child_rss_max = (double)rss;
    }
    qsort(first, RUNS, sizeof first[0], cmp_double);
    double idle_s = 3.0;
    double idle_cpu = 0;
    if (run_child(g, dir, "3000", &idle_cpu, &rss) < 0) {
        fprintf(stderr, "coderprep bench: the idle child failed\n");
        return 2;
    }
    if (rss > child_rss_max) child_rss_max = (double)rss;

    /* lesson reader frames, in process, software renderer */
    App app;
    AppConfig cfg = {g->content_root, dir, 0, 1};
    if (app_open(&app, &cfg, &err) != 0) {
        fprintf(stderr, "coderprep bench: %s\n", err.msg);
        return 2;
    }
    const Lesson *les = longest_lesson(app.content);
    if (!les) {
        fprintf(stderr, "coderprep bench: no lessons loaded\n");
        return 2;
    }
    app_go(&app, SCREEN_LESSON, les->id);
    Window w;
    if (window_open_offscreen(&w, &app, 1280, 800, &err) != 0) {
        fprintf(stderr, "coderprep bench: %s\n", err.msg);
        return 2;
    }
    enum { FRAMES = 400 };
    static double ft[FRAMES];
    window_draw(&w);
    int width = 1280, height = 800;
    for (int i = 0; i < FRAMES; i++) {
        app.lesson.scroll = (i * 37) % 6000;
        int64_t t0 = mono_ns();
        app_frame(&app, w.ui, width, height);
        SDL_RenderPresent(w.ren);
        ft[i] = (double)(mono_ns() - t0) / 1e6;
    }
    qsort(ft, FRAMES, sizeof ft[0], cmp_double);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    TextCacheStats tcs = textcache_stats(ui_textcache(w.ui));
    printf("{\"first_frame_ms\":{\"median\":%.1f,\"min\":%.1f,\"max\":%.1f,\"runs\":%d},"
           "\"lesson_frame_ms\":{\"lesson\":\"%s\",\"blocks\":%d,\"chars\":%zu,\"frames\":%d,\"median\":%.2f,\"p99\":%.2f,\"size\":\"%dx%d\"},"
           "\"peak_rss_mb\":{\"gui_process\":%.1f,\"bench_process\":%.1f},"
           "\"idle_cpu_percent\":%.2f,\"idle_seconds\":%.0f,"
           "\"text_cache\":{\"entries\":%d,\"mb\":%.1f},"
           "\"video_driver\":\"%s\",\"renderer\":\"software\"}\n",
           first[RUNS / 2], first[0], first[RUNS - 1], RUNS, les->id, les->nblocks, lesson_chars(les), FRAMES, ft[FRAMES / 2],
           ft[FRAMES * 99 / 100], width, height, child_rss_max / 1024.0, (double)ru.ru_maxrss / 1024.0,
           idle_cpu / idle_s * 100.0, idle_s, tcs.entries, (double)tcs.bytes / 1048576.0,
           getenv("SDL_VIDEODRIVER") ? getenv("SDL_VIDEODRIVER") : (getenv("DISPLAY") ? "x11" : "dummy"));
    window_close(&w);
    app_close(&app);
    /* tidy the temporary folder */
    char path[APP_PATH_MAX];
    const char *files[] = {"progress.db", "progress.db-wal", "progress.db-shm"};
    for (int i = 0; i < 3; i++)
        if (fs_join(path, sizeof path, dir, files[i]) == 0) unlink(path);
    rmdir(dir);
    return 0;
}

/* cmd_codes.c - the code book on the command line: import-codes, codes versions /
 * use, code. JSON output goes through cJSON so every string is escaped. */
#include <cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "codebook.h"
#include "fsutil.h"

int cli_open_codebook(CliGlobal *g, Codebook **cb, int quiet)
{
    CpError err;
    char path[APP_PATH_MAX], dir[APP_PATH_MAX];
    if (fs_make_dirs(g->data_dir, &err) != 0 || fs_join(path, sizeof path, g->data_dir, "codes.db") != 0) {
        fprintf(stderr, "coderprep: %s\n", err.msg);
        return -1;
    }
    if (codebook_open(path, cb, &err) != 0) {
        fprintf(stderr, "coderprep: %s\n(codes.db holds only what was loaded into it: delete it and CoderPrep "
                        "rebuilds the bundled dictionary; import official releases again)\n", err.msg);
        return -1;
    }
    int rebuilt = 0;
    if (fs_join(dir, sizeof dir, g->content_root, "content/codes") == 0 && fs_is_dir(dir) &&
        codebook_sync_bundled(*cb, dir, app_now(), &rebuilt, &err) != 0) {
        /* a broken bundled file must not stop work with imported releases */
        fprintf(stderr, "coderprep: the bundled dictionary could not be built: %s\n", err.msg);
    } else if (rebuilt && !quiet) {
        fprintf(stderr, "coderprep: built the bundled dictionary from %s\n", dir);
    }
    return 0;
}

static void print_progress(void *user, const char *what, double fraction)
{
    (void)user;
    if (isatty(STDERR_FILENO)) fprintf(stderr, "\r%-70.70s %3.0f%%", what, fraction * 100.0);
}

int cmd_import_codes(CliGlobal *g, int argc, char **argv)
{
    const char *version = NULL;
    int json = 0, n = 0;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!files) return 2;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) json = 1;
        else if (!strcmp(argv[i], "--version") && i + 1 < argc) version = argv[++i];
        else if (argv[i][0] == '-') {
            fprintf(stderr, "coderprep import-codes: unknown option %s\n", argv[i]);
            free(files);
            return 2;
        } else files[n++] = argv[i];
    }
    if (n == 0) {
        fprintf(stderr, "usage: coderprep import-codes FILE... [--version FY] [--json]\n");
        free(files);
        return 2;
    }
    Codebook *cb;
    if (cli_open_codebook(g, &cb, 1) != 0) {
        free(files);
        return 2;
    }
    ImportSummary sums[SYS_COUNT];
    int nsum = 0;
    CpError err;
    int rc = codebook_import(cb, files, n, version, app_now(), print_progress, NULL, sums, &nsum, &err);
    if (isatty(STDERR_FILENO)) fprintf(stderr, "\r%80s\r", "");
    if (rc != 0) {
        fprintf(stderr, "coderprep import-codes: %s\nThe installed dictionary is unchanged.\n", err.msg);
        codebook_close(cb);
        free(files);
        return 1;
    }
    for (int i = 0; i < nsum; i++) {
        if (json) {
            printf("{\"system\":\"%s\",\"version\":\"%s\",\"codes\":%lld,\"billable\":%lld,\"headers\":%lld,"
                   "\"index_terms\":%lld,\"seconds\":%.2f}\n",
                   codebook_system_slug(sums[i].system), sums[i].version, (long long)sums[i].codes,
                   (long long)sums[i].billable, (long long)sums[i].headers, (long long)sums[i].index_terms, sums[i].seconds);
        } else {
            printf("%s %s: %lld codes (%lld billable, %lld headers), %lld index terms, %.2f s; now active\n",
                   codebook_system_name(sums[i].system), sums[i].version, (long long)sums[i].codes,
                   (long long)sums[i].billable, (long long)sums[i].headers, (long long)sums[i].index_terms, sums[i].seconds);
        }
    }
    codebook_close(cb);
    free(files);
    return 0;
}

int cmd_codes(CliGlobal *g, int argc, char **argv)
{
    if (argc < 1 || (strcmp(argv[0], "versions") && strcmp(argv[0], "use"))) {
        fprintf(stderr, "usage: coderprep codes versions [--json]\n       coderprep codes use VERSION [--system S]\n");
        return 2;
    }
    Codebook *cb;
    if (cli_open_codebook(g, &cb, 0) != 0) return 2;
    CpError err;
    int rc = 0;
    if (!strcmp(argv[0], "versions")) {
        int json = argc > 1 && !strcmp(argv[1], "--json");
        CodeVersion v[64];
        int n = 0;
        if (codebook_versions(cb, v, 64, &n, &err) != 0) {
            fprintf(stderr, "coderprep codes: %s\n", err.msg);
            rc = 2;
        } else if (json) {
            cJSON *arr = cJSON_CreateArray();
            for (int i = 0; i < n && i < 64; i++) {
                cJSON *o = cJSON_CreateObject();
                cJSON_AddStringToObject(o, "system", codebook_system_slug(v[i].system));
                cJSON_AddStringToObject(o, "version", v[i].label);
                cJSON_AddStringToObject(o, "source", v[i].source);
                if (v[i].release[0]) cJSON_AddStringToObject(o, "release", v[i].release);
                cJSON_AddBoolToObject(o, "active", v[i].active);
                cJSON_AddNumberToObject(o, "codes", (double)v[i].codes);
                cJSON_AddNumberToObject(o, "billable", (double)v[i].billable);
                cJSON_AddNumberToObject(o, "headers", (double)v[i].headers);
                cJSON_AddNumberToObject(o, "index_terms", (double)v[i].index_terms);
                cJSON_AddStringToObject(o, "files", v[i].files);
                cJSON_AddItemToArray(arr, o);
            }
            char *s = cJSON_PrintUnformatted(arr);
            printf("%s\n", s ? s : "[]");
            free(s);
            cJSON_Delete(arr);
        } else {
            if (n == 0) printf("No code versions are installed.\n");
            for (int i = 0; i < n && i < 64; i++)
                printf("%s %-16s %-7s %-9s %7lld codes %7lld billable %7lld index terms  %s\n", v[i].active ? "*" : " ",
                       codebook_system_name(v[i].system), v[i].label, v[i].source, (long long)v[i].codes,
                       (long long)v[i].billable, (long long)v[i].index_terms, v[i].files);
        }
    } else {
        CodeSystem sys = SYS_ANY;
        const char *label = NULL;
        for (int i = 1; i < argc; i++) {
            if (!strcmp(argv[i], "--system") && i + 1 < argc) {
                if (codebook_system_parse(argv[++i], &sys) != 0) {
                    fprintf(stderr, "coderprep codes use: unknown system %s (icd10cm, icd10pcs, hcpcs)\n", argv[i]);
                    codebook_close(cb);
                    return 2;
                }
            } else label = argv[i];
        }
        if (!label) {
            fprintf(stderr, "usage: coderprep codes use VERSION [--system S]\n");
            codebook_close(cb);
            return 2;
        }
        int done = 0;
        for (int s = 0; s < SYS_COUNT; s++) {
            if (sys != SYS_ANY && (int)sys != s) continue;
            if (codebook_use(cb, (CodeSystem)s, label, &err) == 0) {
                printf("%s %s is now active\n", codebook_system_name((CodeSystem)s), label);
                done = 1;
            }
        }
        if (!done) {
            fprintf(stderr, "coderprep codes use: %s\n", err.msg);
            rc = 1;
        }
    }
    codebook_close(cb);
    return rc;
}

static cJSON *ref_json(CodeSystem sys, const CodeRef *r)
{
    char shown[CODE_MAX];
    codebook_display(sys, r->code, shown);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", shown);
    cJSON_AddStringToObject(o, "title", r->title);
    cJSON_AddBoolToObject(o, "billable", r->billable);
    return o;
}

int cmd_code(CliGlobal *g, int argc, char **argv)
{
    const char *code = NULL, *version = NULL;
    CodeSystem sys = SYS_ANY;
    int json = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) json = 1;
        else if (!strcmp(argv[i], "--version") && i + 1 < argc) version = argv[++i];
        else if (!strcmp(argv[i], "--system") && i + 1 < argc) {
            if (codebook_system_parse(argv[++i], &sys) != 0) {
                fprintf(stderr, "coderprep code: unknown system %s (icd10cm, icd10pcs, hcpcs)\n", argv[i]);
                return 2;
            }
        } else if (!code) code = argv[i];
        else {
            fprintf(stderr, "coderprep code: one code at a time (got %s too)\n", argv[i]);
            return 2;
        }
    }
    if (!code) {
        fprintf(stderr, "usage: coderprep code CODE [--system S] [--version V] [--json]\n");
        return 2;
    }
    Codebook *cb;
    if (cli_open_codebook(g, &cb, 0) != 0) return 2;
    CodeInfo info;
    CpError err;
    int rc = codebook_lookup(cb, sys, version, code, &info, &err);
    if (rc != 0) {
        fprintf(stderr, "coderprep code: %s\n", err.msg);
        codebook_close(cb);
        return rc > 0 ? 1 : 2;
    }
    char shown[CODE_MAX];
    codebook_display(info.system, info.code, shown);
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", shown);
        cJSON_AddStringToObject(o, "system", codebook_system_slug(info.system));
        cJSON_AddStringToObject(o, "version", info.version);
        cJSON_AddStringToObject(o, "title", info.title);
        cJSON_AddStringToObject(o, "short_title", info.short_title);
        cJSON_AddBoolToObject(o, "billable", info.billable);
        cJSON_AddStringToObject(o, "kind", codebook_kind_name(info.kind));
        if (info.parent[0]) {
            char p[CODE_MAX];
            codebook_display(info.system, info.parent, p);
            cJSON_AddStringToObject(o, "parent", p);
        } else {
            cJSON_AddNullToObject(o, "parent");
        }
        cJSON *kids = cJSON_AddArrayToObject(o, "children");
        for (int i = 0; i < info.nchildren; i++) cJSON_AddItemToArray(kids, ref_json(info.system, &info.children[i]));
        cJSON *anc = cJSON_AddArrayToObject(o, "ancestors");
        for (int i = 0; i < info.nancestors; i++) cJSON_AddItemToArray(anc, ref_json(info.system, &info.ancestors[i]));
        if (info.chapter[0]) {
            cJSON *ch = cJSON_AddObjectToObject(o, "chapter");
            cJSON_AddStringToObject(ch, "number", info.chapter);
            cJSON_AddStringToObject(ch, "title", info.chapter_title);
        } else {
            cJSON_AddNullToObject(o, "chapter");
        }
        if (info.section[0]) {
            cJSON *se = cJSON_AddObjectToObject(o, "section");
            cJSON_AddStringToObject(se, "range", info.section);
            cJSON_AddStringToObject(se, "title", info.section_title);
        } else {
            cJSON_AddNullToObject(o, "section");
        }
        cJSON *notes = cJSON_AddObjectToObject(o, "notes");
        for (int k = 0; k < NOTE_KIND_COUNT; k++) {
            cJSON *arr = cJSON_AddArrayToObject(notes, codebook_note_key((NoteKind)k));
            for (int i = 0; i < info.nnotes; i++) {
                if ((int)info.notes[i].kind != k) continue;
                cJSON *n = cJSON_CreateObject();
                cJSON_AddStringToObject(n, "text", info.notes[i].text);
                char from[CODE_MAX];
                codebook_display(info.system, info.notes[i].from, from);
                cJSON_AddStringToObject(n, "from", from);
                cJSON_AddStringToObject(n, "level", strcmp(info.notes[i].from, info.code) == 0 ? "own" : "ancestor");
                cJSON_AddItemToArray(arr, n);
            }
        }
        cJSON *seven = cJSON_AddObjectToObject(o, "seven_chr");
        for (int i = 0; i < info.nseven; i++) {
            char k[2] = {info.seven[i].chr, '\0'};
            cJSON_AddStringToObject(seven, k, info.seven[i].meaning);
        }
        if (info.effective[0]) cJSON_AddStringToObject(o, "effective", info.effective);
        if (info.added[0]) cJSON_AddStringToObject(o, "added", info.added);
        if (info.system == SYS_HCPCS) {
            if (info.terminated[0]) cJSON_AddStringToObject(o, "terminated", info.terminated);
            else cJSON_AddNullToObject(o, "terminated");
        }
        char *s = cJSON_PrintUnformatted(o);
        printf("%s\n", s ? s : "{}");
        free(s);
        cJSON_Delete(o);
    } else {
        printf("%s  %s\n", shown, info.title);
        printf("%s %s, %s, %s\n", codebook_system_name(info.system), info.version, codebook_kind_name(info.kind),
               info.billable ? "billable" : "not billable (a header: pick a code below it)");
        if (info.chapter[0]) printf("Chapter %s: %s\n", info.chapter, info.chapter_title);
        if (info.section[0]) printf("Section %s\n", info.section_title);
        for (int i = info.nancestors - 1; i >= 0; i--) {
            char a[CODE_MAX];
            codebook_display(info.system, info.ancestors[i].code, a);
            if (info.ancestors[i].code[0] && !strchr(info.ancestors[i].code, '-') && strlen(info.ancestors[i].code) > 2)
                printf("  in %s %s\n", a, info.ancestors[i].title);
        }
        for (int i = 0; i < info.nnotes; i++) {
            char from[CODE_MAX];
            codebook_display(info.system, info.notes[i].from, from);
            printf("  %-15s %s%s%s%s\n", codebook_note_key(info.notes[i].kind), info.notes[i].text,
                   strcmp(info.notes[i].from, info.code) ? "  (from " : "", strcmp(info.notes[i].from, info.code) ? from : "",
                   strcmp(info.notes[i].from, info.code) ? ")" : "");
        }
        if (info.nseven) {
            char from[CODE_MAX];
            codebook_display(info.system, info.seven_from, from);
            printf("  7th characters (from %s):\n", from);
            for (int i = 0; i < info.nseven; i++) printf("    %c  %s\n", info.seven[i].chr, info.seven[i].meaning);
        }
        for (int i = 0; i < info.nchildren; i++) {
            char c[CODE_MAX];
            codebook_display(info.system, info.children[i].code, c);
            printf("  %s %-9s %s\n", info.children[i].billable ? "*" : " ", c, info.children[i].title);
        }
    }
    codebook_info_free(&info);
    codebook_close(cb);
    return 0;
}

static int64_t now_micros(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static cJSON *hits_json(const SearchHit *hits, int n)
{
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        char shown[CODE_MAX];
        codebook_display(hits[i].system, hits[i].code, shown);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", shown);
        cJSON_AddStringToObject(o, "system", codebook_system_slug(hits[i].system));
        cJSON_AddStringToObject(o, "title", hits[i].title);
        cJSON_AddBoolToObject(o, "billable", hits[i].billable);
        cJSON *m = cJSON_AddObjectToObject(o, "matched");
        cJSON_AddStringToObject(m, "kind", codebook_match_name(hits[i].matched));
        cJSON_AddStringToObject(m, "text", hits[i].matched_text);
        cJSON_AddNumberToObject(o, "score", (double)((long)(hits[i].score * 1000)) / 1000.0);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

int cmd_search(CliGlobal *g, int argc, char **argv)
{
    SearchOptions opts = {SYS_ANY, 0, 20};
    const char *batch = NULL;
    int json = 0;
    char query[512] = "";
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) json = 1;
        else if (!strcmp(argv[i], "--billable")) opts.billable_only = 1;
        else if (!strcmp(argv[i], "--batch") && i + 1 < argc) batch = argv[++i];
        else if (!strcmp(argv[i], "--limit") && i + 1 < argc) {
            opts.limit = atoi(argv[++i]);
            if (opts.limit < 1 || opts.limit > 200) {
                fprintf(stderr, "coderprep search: --limit takes 1 to 200\n");
                return 2;
            }
        } else if (!strcmp(argv[i], "--system") && i + 1 < argc) {
            if (codebook_system_parse(argv[++i], &opts.system) != 0) {
                fprintf(stderr, "coderprep search: unknown system %s (icd10cm, icd10pcs, hcpcs)\n", argv[i]);
                return 2;
            }
        } else {
            size_t n = strlen(query);
            snprintf(query + n, sizeof query - n, "%s%s", n ? " " : "", argv[i]);
        }
    }
    if (!batch && !query[0]) {
        fprintf(stderr, "usage: coderprep search QUERY [--system S] [--billable] [--limit N] [--json]\n"
                        "       coderprep search --batch FILE [--limit N]\n");
        return 2;
    }
    Codebook *cb;
    if (cli_open_codebook(g, &cb, 0) != 0) return 2;
    SearchHit *hits = calloc(200, sizeof *hits);
    CpError err;
    int rc = 0, n = 0;
    if (!hits) {
        codebook_close(cb);
        return 2;
    }
    if (batch) {
        FILE *fp = strcmp(batch, "-") ? fopen(batch, "r") : stdin;
        if (!fp) {
            fprintf(stderr, "coderprep search: cannot open %s\n", batch);
            rc = 2;
        }
        char line[512];
        while (fp && fgets(line, sizeof line, fp)) {
            line[strcspn(line, "\r\n")] = '\0';
            int64_t t0 = now_micros();
            if (codebook_search(cb, line, &opts, hits, &n, &err) != 0) {
                fprintf(stderr, "coderprep search: %s\n", err.msg);
                rc = 2;
                break;
            }
            int64_t micros = now_micros() - t0;
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "query", line);
            cJSON_AddItemToObject(o, "results", hits_json(hits, n));
            cJSON_AddNumberToObject(o, "micros", (double)micros);
            char *s = cJSON_PrintUnformatted(o);
            printf("%s\n", s ? s : "{}");
            free(s);
            cJSON_Delete(o);
        }
        if (fp && fp != stdin) fclose(fp);
    } else if (codebook_search(cb, query, &opts, hits, &n, &err) != 0) {
        fprintf(stderr, "coderprep search: %s\n", err.msg);
        rc = 2;
    } else if (json) {
        cJSON *arr = hits_json(hits, n);
        char *s = cJSON_PrintUnformatted(arr);
        printf("%s\n", s ? s : "[]");
        free(s);
        cJSON_Delete(arr);
    } else {
        if (n == 0) printf("No codes match \"%s\".\n", query);
        for (int i = 0; i < n; i++) {
            char shown[CODE_MAX];
            codebook_display(hits[i].system, hits[i].code, shown);
            printf("%s %-9s %s\n", hits[i].billable ? "*" : " ", shown, hits[i].title);
            if (hits[i].matched == MATCH_INDEX || hits[i].matched == MATCH_INCLUSION)
                printf("            (%s: %s)\n", codebook_match_name(hits[i].matched), hits[i].matched_text);
        }
    }
    free(hits);
    codebook_close(cb);
    return rc;
}

int cmd_index(CliGlobal *g, int argc, char **argv)
{
    int json = 0;
    char path[512] = "";
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) json = 1;
        else {
            size_t n = strlen(path);
            snprintf(path + n, sizeof path - n, "%s%s", n ? ", " : "", argv[i]);
        }
    }
    if (!path[0]) {
        fprintf(stderr, "usage: coderprep index \"Main term, subterm, subterm\" [--json]\n");
        return 2;
    }
    Codebook *cb;
    if (cli_open_codebook(g, &cb, 0) != 0) return 2;
    IndexWalk wk;
    CpError err;
    if (codebook_index_walk(cb, path, &wk, &err) != 0) {
        fprintf(stderr, "coderprep index: %s\n", err.msg);
        codebook_close(cb);
        return 2;
    }
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "query", path);
        cJSON_AddBoolToObject(o, "found", wk.found);
        cJSON *steps = cJSON_AddArrayToObject(o, "path");
        for (int i = 0; i < wk.nsteps; i++) {
            const IndexStep *s = &wk.steps[i];
            cJSON *st = cJSON_CreateObject();
            cJSON_AddStringToObject(st, "term", s->title);
            if (s->nemod[0]) cJSON_AddStringToObject(st, "nemod", s->nemod);
            if (s->code[0]) cJSON_AddStringToObject(st, "code", s->code);
            if (s->manif[0]) cJSON_AddStringToObject(st, "manif", s->manif);
            if (s->see[0]) cJSON_AddStringToObject(st, "see", s->see);
            if (s->see_also[0]) cJSON_AddStringToObject(st, "see_also", s->see_also);
            if (s->via_see) cJSON_AddBoolToObject(st, "via_see", 1);
            cJSON_AddItemToArray(steps, st);
        }
        if (wk.code[0]) cJSON_AddStringToObject(o, "code", wk.code);
        else cJSON_AddNullToObject(o, "code");
        if (wk.manif[0]) cJSON_AddStringToObject(o, "manif", wk.manif);
        cJSON_AddBoolToObject(o, "incomplete", wk.incomplete);
        if (!wk.found) cJSON_AddStringToObject(o, "unmatched", wk.unmatched);
        char *s = cJSON_PrintUnformatted(o);
        printf("%s\n", s ? s : "{}");
        free(s);
        cJSON_Delete(o);
    } else {
        for (int i = 0; i < wk.nsteps; i++) {
            const IndexStep *s = &wk.steps[i];
            printf("%*s%s%s%s%s%s%s%s%s\n", i * 2, "", s->via_see ? "-> " : "", s->title, s->nemod[0] ? " " : "", s->nemod,
                   s->code[0] ? "  " : "", s->code, s->see[0] ? "  see " : "", s->see);
        }
        if (!wk.found) printf("No subterm matches \"%s\" here.\n", wk.unmatched);
        if (wk.code[0]) {
            printf("Leads to %s%s%s%s\n", wk.code, wk.manif[0] ? " [" : "", wk.manif, wk.manif[0] ? "]" : "");
            if (wk.incomplete)
                printf("The code is incomplete: finish it in the Tabular List (coderprep code %.*s).\n",
                       (int)strcspn(wk.code, "-"), wk.code);
            else
                printf("Verify it in the Tabular List before you assign it (coderprep code %s).\n", wk.code);
        }
    }
    codebook_close(cb);
    return wk.found ? 0 : 1;
}

int cmd_validate(CliGlobal *g, int argc, char **argv)
{
    ValidateOptions opts = {SETTING_ANY, -1, 0, NULL};
    int json = 0, n = 0;
    const char **codes = calloc((size_t)argc + 1, sizeof *codes);
    if (!codes) return 2;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) json = 1;
        else if (!strcmp(a, "--setting") && i + 1 < argc) {
            const char *v = argv[++i];
            if (!strcmp(v, "inpatient")) opts.setting = SETTING_INPATIENT;
            else if (!strcmp(v, "outpatient")) opts.setting = SETTING_OUTPATIENT;
            else {
                fprintf(stderr, "coderprep validate: --setting is inpatient or outpatient\n");
                free(codes);
                return 2;
            }
        } else if (!strcmp(a, "--age") && i + 1 < argc) {
            char *end;
            long age = strtol(argv[++i], &end, 10);
            if (*end || age < 0 || age > 130) {
                fprintf(stderr, "coderprep validate: --age takes years, 0 to 130\n");
                free(codes);
                return 2;
            }
            opts.age = (int)age;
        } else if (!strcmp(a, "--sex") && i + 1 < argc) {
            const char *v = argv[++i];
            if ((v[0] == 'F' || v[0] == 'f' || v[0] == 'M' || v[0] == 'm') && !v[1]) opts.sex = (char)toupper((unsigned char)v[0]);
            else {
                fprintf(stderr, "coderprep validate: --sex is F or M\n");
                free(codes);
                return 2;
            }
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "coderprep validate: unknown option %s\n", a);
            free(codes);
            return 2;
        } else {
            /* "E11.22, N18.31" as one argument is fine too */
            char *copy = strdup(a), *save = NULL;
            for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
                const char **grown = realloc(codes, (size_t)(n + 2 + argc) * sizeof *codes);
                if (!grown) break;
                codes = grown;
                codes[n++] = strdup(tok);
            }
            free(copy);
        }
    }
    if (n == 0) {
        fprintf(stderr, "usage: coderprep validate CODE... [--setting inpatient|outpatient] [--age N] [--sex F|M] [--json]\n");
        free(codes);
        return 2;
    }
    Codebook *cb;
    if (cli_open_codebook(g, &cb, 0) != 0) {
        free(codes);
        return 2;
    }
    Finding findings[64];
    int nf = 0, errors = 0;
    CpError err;
    int rc = codebook_validate(cb, codes, n, &opts, findings, 64, &nf, &err);
    if (rc != 0) {
        fprintf(stderr, "coderprep validate: %s\n", err.msg);
    } else {
        for (int i = 0; i < nf; i++) errors += findings[i].severity == SEV_ERROR;
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON *arr = cJSON_AddArrayToObject(o, "findings");
            for (int i = 0; i < nf; i++) {
                cJSON *f = cJSON_CreateObject();
                cJSON_AddStringToObject(f, "code", findings[i].code);
                cJSON_AddStringToObject(f, "severity", codebook_severity_name(findings[i].severity));
                cJSON_AddStringToObject(f, "rule", findings[i].rule);
                cJSON_AddStringToObject(f, "message", findings[i].message);
                cJSON_AddItemToArray(arr, f);
            }
            char *s = cJSON_PrintUnformatted(o);
            printf("%s\n", s ? s : "{}");
            free(s);
            cJSON_Delete(o);
        } else {
            if (nf == 0) printf("No problems found.\n");
            for (int i = 0; i < nf; i++)
                printf("%-7s %-10s %s\n", codebook_severity_name(findings[i].severity), findings[i].code, findings[i].message);
        }
    }
    for (int i = 0; i < n; i++) free((char *)codes[i]);
    free(codes);
    codebook_close(cb);
    return rc != 0 ? 2 : errors ? 1 : 0;
}

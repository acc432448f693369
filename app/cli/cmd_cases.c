/* cmd_cases.c - `coderprep case` and `coderprep score`: practice cases headless. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"
#include "cli.h"
#include "codebook.h"

static CaseLibrary *load_library(CliGlobal *g, const char *who)
{
    CpError err;
    /* template problems are `coderprep check`'s to report; a bad template is left out */
    CaseLibrary *lib = cases_load(g->content_root, NULL, &err);
    if (!lib) fprintf(stderr, "coderprep %s: %s\n", who, err.msg);
    return lib;
}

static int parse_seed(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || s[0] == '-') return -1;
    *out = v;
    return 0;
}

static cJSON *case_json(const GeneratedCase *c, int reveal)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "template", case_template_id(c->tmpl));
    cJSON_AddNumberToObject(o, "seed", (double)c->seed);
    cJSON_AddStringToObject(o, "setting", case_setting_name(case_template_setting(c->tmpl)));
    cJSON *doc = cJSON_AddObjectToObject(o, "document");
    cJSON *secs = cJSON_AddArrayToObject(doc, "sections");
    for (int i = 0; i < c->nsections; i++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "title", c->sections[i].title);
        cJSON_AddStringToObject(s, "text", c->sections[i].text);
        cJSON_AddItemToArray(secs, s);
    }
    if (reveal) {
        cJSON *x = cJSON_AddObjectToObject(o, "expected");
        cJSON *dx = cJSON_CreateArray(), *px = cJSON_CreateArray(), *why = cJSON_CreateArray();
        for (int i = 0; i < c->ncodes; i++) {
            char shown[CODE_MAX];
            case_code_display(&c->codes[i], shown);
            if (c->codes[i].role == ROLE_PRINCIPAL) cJSON_AddStringToObject(x, "principal", shown);
            else cJSON_AddItemToArray(c->codes[i].role == ROLE_PROCEDURE ? px : dx, cJSON_CreateString(shown));
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "code", shown);
            cJSON_AddStringToObject(r, "rationale", c->codes[i].rationale);
            cJSON_AddItemToArray(why, r);
        }
        cJSON_AddItemToObject(x, "diagnoses", dx);
        cJSON_AddItemToObject(x, "procedures", px);
        cJSON_AddItemToObject(x, "rationales", why);
        cJSON *vals = cJSON_AddObjectToObject(o, "values");
        for (int i = 0; i < c->nvalues; i++) cJSON_AddStringToObject(vals, c->values[i].slot, c->values[i].value);
    }
    return o;
}

static void print_json(cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    printf("%s\n", s ? s : "{}");
    free(s);
    cJSON_Delete(o);
}

static void print_case_text(const GeneratedCase *c, int reveal)
{
    printf("%s  (%s, seed %llu)\n\n", case_template_title(c->tmpl), case_setting_name(case_template_setting(c->tmpl)),
           (unsigned long long)c->seed);
    for (int i = 0; i < c->nsections; i++) printf("%s\n  %s\n\n", c->sections[i].title, c->sections[i].text);
    if (!reveal) return;
    printf("Expected codes\n");
    for (int i = 0; i < c->ncodes; i++) {
        char shown[CODE_MAX];
        case_code_display(&c->codes[i], shown);
        printf("  %-9s %-10s %s\n", shown,
               c->codes[i].role == ROLE_PRINCIPAL ? "principal" : c->codes[i].role == ROLE_PROCEDURE ? "procedure" : "secondary",
               c->codes[i].rationale);
    }
}

int cmd_case(CliGlobal *g, int argc, char **argv)
{
    int list = 0, json = 0, reveal = 0;
    const char *id = NULL;
    uint64_t seed = 1, count = 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--list")) list = 1;
        else if (!strcmp(a, "--json")) json = 1;
        else if (!strcmp(a, "--reveal")) reveal = 1;
        else if (!strcmp(a, "--template") && i + 1 < argc) id = argv[++i];
        else if (!strcmp(a, "--seed") && i + 1 < argc) {
            if (parse_seed(argv[++i], &seed) != 0) {
                fprintf(stderr, "coderprep case: --seed takes a whole number\n");
                return 2;
            }
        } else if (!strcmp(a, "--count") && i + 1 < argc) {
            if (parse_seed(argv[++i], &count) != 0 || count == 0 || count > 1000000) {
                fprintf(stderr, "coderprep case: --count takes 1 to 1000000\n");
                return 2;
            }
        } else {
            fprintf(stderr, "coderprep case: unknown option %s\n", a);
            return 2;
        }
    }
    if (!list && !id) {
        fprintf(stderr, "usage: coderprep case --list [--json]\n"
                        "       coderprep case --template ID [--seed N] [--count K] [--reveal] [--json]\n");
        return 2;
    }
    CaseLibrary *lib = load_library(g, "case");
    if (!lib) return 2;
    int rc = 0;
    if (list) {
        cJSON *arr = cJSON_CreateArray();
        for (int i = 0; i < cases_count(lib); i++) {
            const CaseTemplate *t = cases_at(lib, i);
            if (json) {
                cJSON *o = cJSON_CreateObject();
                cJSON_AddStringToObject(o, "id", case_template_id(t));
                cJSON_AddStringToObject(o, "title", case_template_title(t));
                cJSON_AddStringToObject(o, "setting", case_setting_name(case_template_setting(t)));
                cJSON_AddStringToObject(o, "family", case_template_family(t));
                cJSON *ch = cJSON_AddArrayToObject(o, "chapters");
                for (int k = 1; k <= 22; k++)
                    if (case_template_chapters(t) & (1u << k)) cJSON_AddItemToArray(ch, cJSON_CreateNumber(k));
                cJSON_AddItemToArray(arr, o);
            } else {
                printf("%-36s %-18s %s\n", case_template_id(t), case_setting_name(case_template_setting(t)), case_template_title(t));
            }
        }
        if (json) print_json(arr);
        else cJSON_Delete(arr);
        cases_free(lib);
        return 0;
    }
    const CaseTemplate *t = cases_find(lib, id);
    if (!t) {
        fprintf(stderr, "coderprep case: no template \"%s\" (coderprep case --list shows them)\n", id);
        cases_free(lib);
        return 2;
    }
    GeneratedCase *c = malloc(sizeof *c);
    for (uint64_t k = 0; c && k < count; k++) {
        CpError err;
        if (case_generate(t, seed + k, c, &err) != 0) {
            fprintf(stderr, "coderprep case: %s\n", err.msg);
            rc = 1;
            break;
        }
        if (json) print_json(case_json(c, reveal));
        else print_case_text(c, reveal);
    }
    free(c);
    cases_free(lib);
    return rc;
}

/* Splits "E11.22, N18.31" (commas or spaces) into malloc'd codes appended to *list.
 * Garbage stays a token: the scorer says why it is not a code. */
static int split_codes(const char *s, char ***list, int *n)
{
    char *copy = strdup(s), *save = NULL;
    if (!copy) return -1;
    for (char *tok = strtok_r(copy, ", \t\n", &save); tok; tok = strtok_r(NULL, ", \t\n", &save)) {
        char **grown = realloc(*list, (size_t)(*n + 1) * sizeof **list);
        if (!grown) break;
        *list = grown;
        (*list)[(*n)++] = strdup(tok);
    }
    free(copy);
    return 0;
}

static void free_codes(char **list, int n)
{
    for (int i = 0; i < n; i++) free(list[i]);
    free(list);
}

static cJSON *score_json(const CaseScore *s, const char *tmpl, uint64_t seed, const char *version)
{
    cJSON *o = cJSON_CreateObject();
    if (tmpl) {
        cJSON_AddStringToObject(o, "template", tmpl);
        cJSON_AddNumberToObject(o, "seed", (double)seed);
    }
    cJSON_AddNumberToObject(o, "score", s->correct);
    cJSON_AddNumberToObject(o, "max", s->max);
    cJSON_AddNumberToObject(o, "fraction", s->score);
    if (version) cJSON_AddStringToObject(o, "dictionary", version);
    cJSON_AddItemToObject(o, "verdicts", case_verdicts_json(s));
    return o;
}

/* One answer: generate, score, print. Returns 0, 1 when the case cannot be made. */
static int score_one(Codebook *cb, const CaseLibrary *lib, const char *id, uint64_t seed, char **dx, int ndx, char **px,
                     int npx, int json, const char *version, GeneratedCase *c)
{
    const CaseTemplate *t = cases_find(lib, id);
    CpError err;
    if (!t) {
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "template", id);
            cJSON_AddStringToObject(o, "error", "no such template");
            print_json(o);
        } else {
            fprintf(stderr, "coderprep score: no template \"%s\"\n", id);
        }
        return 1;
    }
    CaseScore *s = malloc(sizeof *s);
    if (!s || case_generate(t, seed, c, &err) != 0 ||
        case_score(cb, c, (const char *const *)dx, ndx, (const char *const *)px, npx, s, &err) != 0) {
        fprintf(stderr, "coderprep score: %s\n", s ? err.msg : "out of memory");
        free(s);
        return 1;
    }
    if (json) {
        print_json(score_json(s, id, seed, version));
    } else {
        printf("Score %d of %d (%.0f%%) against %s\n", s->correct, s->max, s->score * 100, version);
        for (int i = 0; i < s->nverdicts; i++)
            printf("  %-9s %-12s %s\n", s->verdicts[i].code, case_verdict_name(s->verdicts[i].verdict), s->verdicts[i].message);
    }
    free(s);
    return 0;
}

static int json_codes(const cJSON *arr, char ***list, int *n)
{
    if (!arr) return 0;
    if (cJSON_IsString(arr)) return split_codes(arr->valuestring, list, n);
    if (!cJSON_IsArray(arr)) return -1;
    for (const cJSON *x = arr->child; x; x = x->next) {
        if (!cJSON_IsString(x)) return -1;
        char **grown = realloc(*list, (size_t)(*n + 1) * sizeof **list);
        if (!grown) return -1;
        *list = grown;
        (*list)[(*n)++] = strdup(x->valuestring);
    }
    return 0;
}

static int score_batch(Codebook *cb, const CaseLibrary *lib, const char *path, const char *version, GeneratedCase *c)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!f) {
        fprintf(stderr, "coderprep score: cannot open %s\n", path);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0, bad = 0;
    while (getline(&line, &cap, f) > 0) {
        lineno++;
        if (line[0] == '\n' || !line[0]) continue;
        cJSON *o = cJSON_Parse(line);
        const cJSON *tm = cJSON_GetObjectItemCaseSensitive(o, "template"), *sd = cJSON_GetObjectItemCaseSensitive(o, "seed");
        char **dx = NULL, **px = NULL;
        int ndx = 0, npx = 0;
        if (!cJSON_IsString(tm) || !cJSON_IsNumber(sd) || sd->valuedouble < 0 ||
            json_codes(cJSON_GetObjectItemCaseSensitive(o, "answer"), &dx, &ndx) != 0 ||
            json_codes(cJSON_GetObjectItemCaseSensitive(o, "procedures"), &px, &npx) != 0) {
            cJSON *e = cJSON_CreateObject();
            char msg[200];
            snprintf(msg, sizeof msg, "%s:%d: expected {\"template\",\"seed\",\"answer\":[...],\"procedures\":[...]}", path, lineno);
            cJSON_AddStringToObject(e, "error", msg);
            print_json(e);
            bad = 1;
        } else {
            bad |= score_one(cb, lib, tm->valuestring, (uint64_t)sd->valuedouble, dx, ndx, px, npx, 1, version, c);
        }
        free_codes(dx, ndx);
        free_codes(px, npx);
        cJSON_Delete(o);
    }
    free(line);
    if (f != stdin) fclose(f);
    return bad;
}

int cmd_score(CliGlobal *g, int argc, char **argv)
{
    const char *id = NULL, *batch = NULL;
    uint64_t seed = 0;
    int json = 0, have_seed = 0, have_answer = 0;
    char **dx = NULL, **px = NULL;
    int ndx = 0, npx = 0, rc = 2;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) json = 1;
        else if (!strcmp(a, "--template") && i + 1 < argc) id = argv[++i];
        else if (!strcmp(a, "--batch") && i + 1 < argc) batch = argv[++i];
        else if (!strcmp(a, "--seed") && i + 1 < argc) {
            if (parse_seed(argv[++i], &seed) != 0) {
                fprintf(stderr, "coderprep score: --seed takes a whole number\n");
                goto done;
            }
            have_seed = 1;
        } else if (!strcmp(a, "--answer") && i + 1 < argc) {
            split_codes(argv[++i], &dx, &ndx);
            have_answer = 1;
        } else if (!strcmp(a, "--procedures") && i + 1 < argc) {
            split_codes(argv[++i], &px, &npx);
        } else {
            fprintf(stderr, "coderprep score: unknown option %s\n", a);
            goto done;
        }
    }
    if (!batch && (!id || !have_seed || !have_answer)) {
        fprintf(stderr, "usage: coderprep score --template ID --seed N --answer \"E11.22, N18.31\" [--procedures \"0DTJ4ZZ\"] [--json]\n"
                        "       coderprep score --batch FILE   (JSON lines in, one result per line out)\n");
        goto done;
    }
    CaseLibrary *lib = load_library(g, "score");
    if (!lib) goto done;
    Codebook *cb;
    if (cli_open_codebook(g, &cb, 1) != 0) {
        cases_free(lib);
        goto done;
    }
    char version[64] = "";
    CodeVersion v;
    CpError err;
    if (codebook_active(cb, SYS_ICD10CM, &v, &err) == 0) snprintf(version, sizeof version, "ICD-10-CM %s", v.label);
    GeneratedCase *c = malloc(sizeof *c);
    if (!c) rc = 2;
    else if (batch) rc = score_batch(cb, lib, batch, version, c);
    else rc = score_one(cb, lib, id, seed, dx, ndx, px, npx, json, version, c) ? 2 : 0;
    free(c);
    codebook_close(cb);
    cases_free(lib);
done:
    free_codes(dx, ndx);
    free_codes(px, npx);
    return rc;
}

/* app_cases.c - the practice-case state behind the Practice cases screen: drawing a
 * case for a mode, the answer list, live validation, scoring, saving and reopening. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "screens.h"

void app_case_close(App *app)
{
    free(app->cv.gen);
    free(app->cv.score);
    app->cv.gen = NULL;
    app->cv.score = NULL;
}

static int ensure_buffers(App *app)
{
    CaseView *cv = &app->cv;
    if (!cv->gen) cv->gen = malloc(sizeof *cv->gen);
    if (!cv->score) cv->score = malloc(sizeof *cv->score);
    if (!cv->gen || !cv->score) {
        snprintf(cv->status, sizeof cv->status, "Out of memory.");
        return -1;
    }
    return 0;
}

typedef struct HistoryCtx {
    App *app;
    CaseResult *results;
    char (*ids)[STORE_ID_MAX];
    int n, cap;
} HistoryCtx;

static void on_past(const StoreCaseAttempt *a, void *user)
{
    HistoryCtx *h = user;
    if (h->results) {
        if (h->n >= h->cap) return;
        snprintf(h->ids[h->n], STORE_ID_MAX, "%s", a->template_id);
        h->results[h->n].template_id = h->ids[h->n];
        h->results[h->n].score = a->max ? (double)a->correct / a->max : 0;
        h->n++;
        return;
    }
    CaseView *cv = &h->app->cv;
    if (cv->npast >= CASE_PAST) return;
    CasePast *p = &cv->past[cv->npast++];
    p->id = a->id;
    snprintf(p->template_id, sizeof p->template_id, "%s", a->template_id);
    snprintf(p->mode, sizeof p->mode, "%s", a->mode);
    p->correct = a->correct;
    p->max = a->max;
    p->submitted_at = a->submitted_at;
}

void app_case_load_history(App *app)
{
    app->cv.npast = 0;
    if (!app->store || app->profile.id <= 0) return;
    HistoryCtx h = {app, NULL, NULL, 0, 0};
    CpError err;
    if (store_case_each(app->store, app->profile.id, CASE_PAST, on_past, &h, &err) != STORE_OK)
        snprintf(app->cv.status, sizeof app->cv.status, "Past cases could not be read: %s", err.msg);
}

static void start(App *app, const CaseTemplate *t, uint64_t seed)
{
    CaseView *cv = &app->cv;
    CpError err;
    if (case_generate(t, seed, cv->gen, &err) != 0) {
        snprintf(cv->status, sizeof cv->status, "This case could not be made: %s", err.msg);
        return;
    }
    cv->tmpl = t;
    cv->stage = CASE_STAGE_CODING;
    cv->ncodes = 0;
    cv->entry[0] = cv->pentry[0] = cv->searched[0] = '\0';
    cv->nhits = 0;
    cv->nfindings = 0;
    cv->dirty = 1;
    cv->reviewing = 0;
    cv->started_at = app_now();
    cv->doc_scroll = cv->answer_scroll = 0;
}

int app_case_open(App *app, const char *id, uint64_t seed)
{
    const CaseTemplate *t = cases_find(app->cases, id);
    if (!t || ensure_buffers(app) != 0) return -1;
    app->cv.status[0] = '\0';
    start(app, t, seed);
    return app->cv.stage == CASE_STAGE_CODING ? 0 : -1;
}

int app_case_new(App *app, CaseMode mode, const char *filter)
{
    CaseView *cv = &app->cv;
    if (ensure_buffers(app) != 0) return -1;
    cv->mode = mode;
    snprintf(cv->filter, sizeof cv->filter, "%s", filter ? filter : "");
    cv->status[0] = '\0';
    CaseResult *results = NULL;
    char(*ids)[STORE_ID_MAX] = NULL;
    int nresults = 0;
    if (mode == CASE_MODE_WEAK && app->store && app->profile.id > 0) {
        enum { WEAK_HISTORY = 200 };
        results = calloc(WEAK_HISTORY, sizeof *results);
        ids = calloc(WEAK_HISTORY, sizeof *ids);
        if (results && ids) {
            HistoryCtx h = {app, results, ids, 0, WEAK_HISTORY};
            CpError err;
            store_case_each(app->store, app->profile.id, WEAK_HISTORY, on_past, &h, &err);
            nresults = h.n;
        }
        if (nresults == 0)
            snprintf(cv->status, sizeof cv->status,
                     "No past cases yet: weak areas are drawn from your scores, so this one is a mix.");
    }
    /* the caller's randomness: the clock and how many cases this session drew */
    uint64_t seed = (uint64_t)app_now() * 6364136223846793005ull + ++cv->draws * 1442695040888963407ull;
    const CaseTemplate *t = NULL;
    uint64_t case_seed = 0;
    int rc = cases_pick(app->cases, mode, cv->filter, results, nresults, seed, &t, &case_seed);
    free(results);
    free(ids);
    if (rc != 0) {
        snprintf(cv->status, sizeof cv->status, "No case template matches this choice.");
        return -1;
    }
    start(app, t, case_seed);
    return 0;
}

void app_case_add(App *app, const char *code)
{
    CaseView *cv = &app->cv;
    while (*code == ' ') code++;
    if (!*code || cv->ncodes >= CASE_ENTRY_MAX) return;
    char shown[24];
    snprintf(shown, sizeof shown, "%s", code);
    CodeBrief b;
    char norm[CODE_MAX];
    if (app->codebook && codebook_normalise(code, norm) == 0 && codebook_brief(app->codebook, code, &b))
        codebook_display(b.system, norm, shown);
    snprintf(cv->codes[cv->ncodes++], sizeof cv->codes[0], "%s", shown);
    cv->dirty = 1;
}

static int is_diagnosis(App *app, const char *code)
{
    CodeBrief b;
    return !(app->codebook && codebook_brief(app->codebook, code, &b) && b.system != SYS_ICD10CM);
}

void app_case_set_principal(App *app, const char *code)
{
    CaseView *cv = &app->cv;
    for (int i = 0; i < cv->ncodes; i++)
        if (is_diagnosis(app, cv->codes[i])) {
            app_case_remove(app, i);
            break;
        }
    app_case_add(app, code);
    if (cv->ncodes == 0) return;
    /* move it to the front */
    char tmp[24];
    memcpy(tmp, cv->codes[cv->ncodes - 1], sizeof tmp);
    memmove(cv->codes[1], cv->codes[0], (size_t)(cv->ncodes - 1) * sizeof cv->codes[0]);
    memcpy(cv->codes[0], tmp, sizeof tmp);
    cv->dirty = 1;
}

void app_case_move(App *app, int index, int delta)
{
    CaseView *cv = &app->cv;
    int to = index + delta;
    if (index < 0 || index >= cv->ncodes || to < 0 || to >= cv->ncodes) return;
    char tmp[24];
    memcpy(tmp, cv->codes[index], sizeof tmp);
    memcpy(cv->codes[index], cv->codes[to], sizeof tmp);
    memcpy(cv->codes[to], tmp, sizeof tmp);
    cv->dirty = 1;
}

void app_case_remove(App *app, int index)
{
    CaseView *cv = &app->cv;
    if (index < 0 || index >= cv->ncodes) return;
    memmove(cv->codes[index], cv->codes[index + 1], (size_t)(cv->ncodes - index - 1) * sizeof cv->codes[0]);
    cv->ncodes--;
    cv->dirty = 1;
}

void app_case_validate(App *app)
{
    CaseView *cv = &app->cv;
    if (!cv->dirty) return;
    cv->dirty = 0;
    cv->nfindings = 0;
    if (!app->codebook || cv->ncodes == 0 || !cv->tmpl) return;
    const char *list[CASE_ENTRY_MAX];
    for (int i = 0; i < cv->ncodes; i++) list[i] = cv->codes[i];
    ValidateOptions vo = {case_template_setting(cv->tmpl) == CASE_INPATIENT ? SETTING_INPATIENT : SETTING_OUTPATIENT, -1, 0, NULL};
    int n = 0;
    CpError err;
    if (codebook_validate(app->codebook, list, cv->ncodes, &vo, cv->findings, 16, &n, &err) == 0)
        cv->nfindings = n < 16 ? n : 16;
}

/* The learner's list split the way the scorer takes it: ICD-10-CM codes (and what is
 * no code at all) are diagnoses in their order; ICD-10-PCS and HCPCS are procedures. */
static void split(App *app, const char **dx, int *ndx, const char **px, int *npx)
{
    CaseView *cv = &app->cv;
    *ndx = *npx = 0;
    for (int i = 0; i < cv->ncodes; i++) {
        CodeBrief b;
        char norm[CODE_MAX];
        int proc = app->codebook && codebook_normalise(cv->codes[i], norm) == 0 && codebook_brief(app->codebook, cv->codes[i], &b) &&
                   b.system != SYS_ICD10CM;
        if (proc) px[(*npx)++] = cv->codes[i];
        else dx[(*ndx)++] = cv->codes[i];
    }
}

static char *answer_json(const char **dx, int ndx, const char **px, int npx)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "diagnoses", cJSON_CreateStringArray(dx, ndx));
    cJSON_AddItemToObject(o, "procedures", cJSON_CreateStringArray(px, npx));
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static char *verdicts_json(const CaseScore *s)
{
    cJSON *arr = case_verdicts_json(s);
    char *out = arr ? cJSON_PrintUnformatted(arr) : NULL;
    cJSON_Delete(arr);
    return out;
}

static void dictionary_label(App *app, char *out, size_t cap)
{
    out[0] = '\0';
    size_t n = 0;
    for (int s = 0; s < SYS_COUNT && app->codebook; s++) {
        CodeVersion v;
        CpError err;
        if (codebook_active(app->codebook, (CodeSystem)s, &v, &err) == 0 && n < cap)
            n += (size_t)snprintf(out + n, cap - n, "%s%s %s (%s)", n ? "; " : "", codebook_system_name((CodeSystem)s), v.label,
                                  v.source);
    }
}

void app_case_submit(App *app)
{
    CaseView *cv = &app->cv;
    if (cv->stage != CASE_STAGE_CODING || !cv->tmpl || !app->codebook) return;
    const char *dx[CASE_ENTRY_MAX], *px[CASE_ENTRY_MAX];
    int ndx, npx;
    split(app, dx, &ndx, px, &npx);
    CpError err;
    if (case_score(app->codebook, cv->gen, dx, ndx, px, npx, cv->score, &err) != 0) {
        snprintf(cv->status, sizeof cv->status, "The answer could not be scored: %s", err.msg);
        return;
    }
    cv->stage = CASE_STAGE_FEEDBACK;
    cv->answer_scroll = 0;
    cv->status[0] = '\0';
    if (!app->store || app->cfg.read_only || app->profile.id <= 0) return;
    StoreCaseAttempt a;
    memset(&a, 0, sizeof a);
    snprintf(a.template_id, sizeof a.template_id, "%s", case_template_id(cv->tmpl));
    a.seed = cv->gen->seed;
    snprintf(a.mode, sizeof a.mode, "%s", case_mode_name(cv->mode));
    dictionary_label(app, a.dictionary, sizeof a.dictionary);
    char *answer = answer_json(dx, ndx, px, npx), *verdicts = verdicts_json(cv->score);
    a.answer = answer;
    a.verdicts = verdicts;
    a.correct = cv->score->correct;
    a.max = cv->score->max;
    a.started_at = cv->started_at;
    a.submitted_at = app_now();
    if (!answer || !verdicts) snprintf(cv->status, sizeof cv->status, "Out of memory: this case was not saved.");
    else if (store_case_save(app->store, app->profile.id, &a, &cv->reviewing, &err) != STORE_OK)
        snprintf(cv->status, sizeof cv->status, "This case was scored but could not be saved: %s", err.msg);
    free(answer);
    free(verdicts);
}

int app_case_review(App *app, int64_t attempt_id)
{
    CaseView *cv = &app->cv;
    if (!app->store || ensure_buffers(app) != 0) return -1;
    StoreCaseAttempt a;
    CpError err;
    if (store_case_get(app->store, attempt_id, &a, &err) != STORE_OK) {
        snprintf(cv->status, sizeof cv->status, "%s", err.msg);
        return -1;
    }
    int rc = -1;
    const CaseTemplate *t = cases_find(app->cases, a.template_id);
    if (!t) {
        snprintf(cv->status, sizeof cv->status, "The case template \"%s\" is no longer installed.", a.template_id);
        goto done;
    }
    start(app, t, a.seed);
    if (cv->stage != CASE_STAGE_CODING) goto done;
    CaseMode m;
    if (case_mode_parse(a.mode, &m) == 0) cv->mode = m;
    cJSON *ans = cJSON_Parse(a.answer), *ver = cJSON_Parse(a.verdicts);
    for (int k = 0; k < 2; k++) {
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(ans, k ? "procedures" : "diagnoses");
        for (const cJSON *x = cJSON_IsArray(list) ? list->child : NULL; x; x = x->next)
            if (cJSON_IsString(x)) app_case_add(app, x->valuestring);
    }
    CaseScore *s = cv->score;
    case_verdicts_from_json(ver, s);
    cJSON_Delete(ans);
    cJSON_Delete(ver);
    s->correct = a.correct;
    s->max = a.max;
    s->score = a.max ? (double)a.correct / a.max : 0;
    s->expected = cv->gen->ncodes;
    cv->stage = CASE_STAGE_FEEDBACK;
    cv->reviewing = a.id;
    snprintf(cv->status, sizeof cv->status, "Scored against %s.", a.dictionary);
    rc = 0;
done:
    store_case_free(&a);
    return rc;
}

void app_case_fill_expected(App *app, int mistakes)
{
    CaseView *cv = &app->cv;
    if (!cv->tmpl) return;
    cv->ncodes = 0;
    for (int i = 0; i < cv->gen->ncodes; i++) {
        char shown[CODE_MAX];
        case_code_display(&cv->gen->codes[i], shown);
        app_case_add(app, shown);
    }
    if (!mistakes || cv->ncodes == 0) return;
    /* a wrong last character on the principal, the last code left out, a duplicate */
    size_t n = strlen(cv->codes[0]);
    char *last = &cv->codes[0][n - 1];
    *last = *last == 'A' ? 'D' : *last == '1' ? '2' : '1';
    if (cv->ncodes > 2) cv->ncodes--;
    if (cv->ncodes > 1) app_case_add(app, cv->codes[1]);
    cv->dirty = 1;
}

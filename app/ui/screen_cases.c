/* screen_cases.c - Practice cases: choose a mode, code the document beside an answer
 * panel (suggestions and validation as you type), then read every verdict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "screens.h"

static const char *setting_title(CaseSetting s)
{
    switch (s) {
    case CASE_OFFICE: return "Physician office visit";
    case CASE_EMERGENCY: return "Emergency department visit";
    case CASE_INPATIENT: return "Inpatient admission";
    case CASE_AMBULATORY_SURGERY: return "Ambulatory surgery";
    }
    return "";
}

static const char *chapter_name(int ch)
{
    static const char *const names[23] = {"",
        "Infectious", "Neoplasms", "Blood", "Endocrine", "Mental", "Nervous system", "Eye", "Ear", "Circulatory",
        "Respiratory", "Digestive", "Skin", "Musculoskeletal", "Genitourinary", "Pregnancy", "Perinatal", "Congenital",
        "Symptoms", "Injury", "External causes", "Factors (Z codes)", "Special purposes"};
    return ch > 0 && ch < 23 ? names[ch] : "";
}

/* A row of chips that wraps; returns the y below it. id_prefix makes ids unique. */
static int chips(App *app, Ui *ui, int x, int y, int w, const char *id_prefix, const char *const *labels, const char *const *values,
                 int n, CaseMode mode)
{
    int cx = x, bh = ui_px(ui, 34), gap = ui_px(ui, 8);
    for (int i = 0; i < n; i++) {
        int bw = ui_button_width(ui, labels[i]);
        if (cx + bw > x + w && cx > x) {
            cx = x;
            y += bh + gap;
        }
        char id[80];
        snprintf(id, sizeof id, "%s-%s", id_prefix, values[i]);
        if (ui_button(ui, id, (SDL_Rect){cx, y, bw, bh}, labels[i], BUTTON_SECONDARY)) {
            app_case_new(app, mode, values[i]);
            ui_request_frame(ui);
        }
        cx += bw + gap;
    }
    return y + bh;
}

static int add_unique(const char **list, int n, int cap, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(list[i], s)) return n;
    if (n < cap) list[n++] = s;
    return n;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* The learner's recent cases, newest first; selecting one reopens it. */
static int past_cases(App *app, Ui *ui, int x, int y, int w)
{
    const Theme *t = ui_theme(ui);
    CaseView *cv = &app->cv;
    ui_text(ui, x, y, TEXT_H3, t->text, "Your recent cases");
    y += ui_line_height(ui, TEXT_H3) + ui_px(ui, 8);
    int rh = ui_line_height(ui, TEXT_BODY) + ui_px(ui, 16);
    for (int i = 0; i < cv->npast; i++) {
        const CasePast *p = &cv->past[i];
        const CaseTemplate *ct = cases_find(app->cases, p->template_id);
        char id[48], when[32], score[32];
        snprintf(id, sizeof id, "past-%lld", (long long)p->id);
        time_t tt = (time_t)p->submitted_at;
        struct tm tmv;
        localtime_r(&tt, &tmv);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tmv);
        snprintf(score, sizeof score, "%d of %d", p->correct, p->max);
        SDL_Rect r = {x, y, w, rh};
        if (ui_visible(ui, y, rh)) {
            if (ui_row(ui, id, r, ct ? case_template_title(ct) : p->template_id, 0)) {
                app_case_review(app, p->id);
                ui_request_frame(ui);
            }
            int ty = y + ui_px(ui, 8);
            ui_text(ui, x + ui_px(ui, 10), ty, TEXT_SMALL, t->muted, when);
            int sx = x + ui_px(ui, 150);
            ui_text_fit(ui, sx, ty, w - ui_px(ui, 330), TEXT_BODY, t->text, ct ? case_template_title(ct) : p->template_id);
            ui_text(ui, x + w - ui_px(ui, 170), ty, TEXT_SMALL, t->muted, p->mode);
            ui_text(ui, x + w - ui_px(ui, 90), ty, TEXT_LABEL, p->correct == p->max ? t->success : t->text, score);
        }
        y += rh + ui_px(ui, 2);
    }
    return y;
}

static void choose(App *app, Ui *ui, SDL_Rect area)
{
    const Theme *t = ui_theme(ui);
    CaseView *cv = &app->cv;
    SDL_Rect col = screen_column(ui, area, 900);
    int top = ui_scroll_begin(ui, "cases-choose", area, &cv->choose_scroll, 1);
    int x = col.x, w = col.w, y = top + ui_px(ui, 28);
    char sub[160];
    snprintf(sub, sizeof sub, "%d case templates. Code the documentation as you would at work; every code is scored "
                              "with its reason.", cases_count(app->cases));
    y = screen_title(ui, x, y, w, "Practice cases", sub);
    if (cases_count(app->cases) == 0) {
        ui_plain(ui, x, y, w, TEXT_BODY, t->muted, "No case templates are installed (quizzes/cases/).", 1);
        ui_scroll_end(ui, y - top + ui_px(ui, 60));
        return;
    }
    if (cv->status[0]) y += ui_plain(ui, x, y, w, TEXT_BODY, t->focus, cv->status, 1) + ui_px(ui, 12);
    /* the three whole-case modes */
    struct { CaseMode m; const char *id, *label, *about; } modes[] = {
        {CASE_MODE_FULL, "case-full", "Full encounter", "Several diagnoses and procedures from one record."},
        {CASE_MODE_RECORD, "case-record", "Record case", "CCS exam style: the principal diagnosis, then every additional code."},
        {CASE_MODE_WEAK, "case-weak", "Weak areas", "Drawn from the families you score lowest in."}};
    int gap = ui_px(ui, 14), cw = (w - 2 * gap) / 3, ch = 0;
    /* one height for the three cards: the tallest text decides */
    for (int i = 0; i < 3; i++) {
        int inner = cw - 2 * ui_px(ui, 20);
        int hh = ui_line_height(ui, TEXT_H3) + ui_px(ui, 4) + ui_plain(ui, 0, 0, inner, TEXT_SMALL, t->muted, modes[i].about, 0) +
                 ui_px(ui, 12) + ui_px(ui, 34) + 2 * ui_px(ui, 20);
        if (hh > ch) ch = hh;
    }
    for (int i = 0; i < 3; i++) {
        SDL_Rect card = {x + i * (cw + gap), y, cw, ch};
        SDL_Rect in = screen_card(ui, card);
        ui_text_fit(ui, in.x, in.y, in.w, TEXT_H3, t->text, modes[i].label);
        int ty = in.y + ui_line_height(ui, TEXT_H3) + ui_px(ui, 4);
        ty += ui_plain(ui, in.x, ty, in.w, TEXT_SMALL, t->muted, modes[i].about, 1) + ui_px(ui, 12);
        int bw = ui_button_width(ui, "Start");
        if (ui_button(ui, modes[i].id, (SDL_Rect){in.x, ty, bw, ui_px(ui, 34)}, "Start", BUTTON_PRIMARY)) {
            app_case_new(app, modes[i].m, NULL);
            ui_request_frame(ui);
        }
    }
    y += ch + ui_px(ui, 24);
    if (cv->npast > 0) y = past_cases(app, ui, x, y, w) + ui_px(ui, 20);
    /* quick case: one family; then chapters and topics */
    const char *fam[64], *top_l[128];
    int nf = 0, nt = 0;
    uint32_t chapters = 0;
    for (int i = 0; i < cases_count(app->cases); i++) {
        const CaseTemplate *ct = cases_at(app->cases, i);
        nf = add_unique(fam, nf, 64, case_template_family(ct));
        for (int k = 0; k < case_template_ntopics(ct); k++) nt = add_unique(top_l, nt, 128, case_template_topic(ct, k));
        chapters |= case_template_chapters(ct);
    }
    qsort(fam, (size_t)nf, sizeof *fam, cmp_str);
    qsort(top_l, (size_t)nt, sizeof *top_l, cmp_str);
    ui_text(ui, x, y, TEXT_LABEL, t->muted, "QUICK CASE: ONE CONDITION FAMILY");
    y += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 8);
    y = chips(app, ui, x, y, w, "family", fam, fam, nf, CASE_MODE_QUICK) + ui_px(ui, 20);
    ui_text(ui, x, y, TEXT_LABEL, t->muted, "BY ICD-10-CM CHAPTER");
    y += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 8);
    char chl[23][48], chv[23][4];
    const char *chlabels[23], *chvalues[23];
    int nch = 0;
    for (int c = 1; c <= 22; c++)
        if (chapters & (1u << c)) {
            snprintf(chl[nch], sizeof chl[nch], "%d %s", c, chapter_name(c));
            snprintf(chv[nch], sizeof chv[nch], "%d", c);
            chlabels[nch] = chl[nch];
            chvalues[nch] = chv[nch];
            nch++;
        }
    y = chips(app, ui, x, y, w, "chapter", chlabels, chvalues, nch, CASE_MODE_CHAPTER) + ui_px(ui, 20);
    ui_text(ui, x, y, TEXT_LABEL, t->muted, "BY TOPIC");
    y += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 8);
    y = chips(app, ui, x, y, w, "topic", top_l, top_l, nt, CASE_MODE_TOPIC) + ui_px(ui, 28);
    ui_scroll_end(ui, y - top + ui_px(ui, 40));
}

/* The document as the clinician wrote it. */
static int document(App *app, Ui *ui, int x, int y, int w)
{
    const Theme *t = ui_theme(ui);
    const GeneratedCase *g = app->cv.gen;
    for (int i = 0; i < g->nsections; i++) {
        ui_text(ui, x, y, TEXT_LABEL, t->muted, g->sections[i].title);
        y += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 4);
        y += ui_plain(ui, x, y, w, TEXT_BODY, t->text, g->sections[i].text, 1) + ui_px(ui, 16);
    }
    return y;
}

static SDL_Color severity_color(const Theme *t, Severity s)
{
    return s == SEV_ERROR ? t->danger : s == SEV_WARNING ? t->focus : t->muted;
}

static const char *role_of(App *app, int i, int *first_dx)
{
    CodeBrief b;
    char norm[CODE_MAX];
    const char *code = app->cv.codes[i];
    if (app->codebook && codebook_normalise(code, norm) == 0 && codebook_brief(app->codebook, code, &b)) {
        if (b.system != SYS_ICD10CM) return "procedure";
    }
    if (*first_dx) {
        *first_dx = 0;
        return "principal";
    }
    return "";
}

/* A code box with live suggestions. Enter takes the code typed when the dictionary
 * has it, else the first suggestion. principal: the code becomes the principal. */
static int entry_box(App *app, Ui *ui, int x, int y, int w, const char *id, char *buf, size_t cap, int principal)
{
    const Theme *t = ui_theme(ui);
    CaseView *cv = &app->cv;
    int bh = ui_px(ui, 40);
    int enter = ui_textbox(ui, id, (SDL_Rect){x, y, w, bh}, buf, cap, principal ? "Principal diagnosis (code or words)" : "Code or words (E11.22)");
    y += bh + ui_px(ui, 4);
    if (app->codebook && buf[0] && strcmp(buf, cv->searched)) {
        snprintf(cv->searched, sizeof cv->searched, "%s", buf);
        cv->nhits = 0;
        SearchOptions so = {SYS_ANY, 1, CASE_SUGGEST};
        CpError err;
        if (codebook_search(app->codebook, buf, &so, cv->hits, &cv->nhits, &err) != 0) cv->nhits = 0;
    }
    const char *take = NULL;
    if (enter && buf[0]) {
        CodeBrief b;
        char norm[CODE_MAX];
        int exact = app->codebook && codebook_normalise(buf, norm) == 0 && codebook_brief(app->codebook, buf, &b);
        take = exact || cv->nhits == 0 || strcmp(buf, cv->searched) ? buf : cv->hits[0].code;
    }
    char picked[CODE_MAX] = "";
    if (buf[0] && !strcmp(buf, cv->searched)) {
        int codew = ui_px(ui, 88), tw = w - codew - ui_px(ui, 16);
        for (int i = 0; i < cv->nhits; i++) {
            char c[CODE_MAX], rid[48];
            codebook_display(cv->hits[i].system, cv->hits[i].code, c);
            snprintf(rid, sizeof rid, "%s-suggest-%s", id, cv->hits[i].code);
            /* titles wrap: in a narrow panel the words that tell codes apart come last */
            int th = ui_plain(ui, 0, 0, tw, TEXT_SMALL, t->text, cv->hits[i].title, 0);
            int rh = (th > ui_line_height(ui, TEXT_MONO) ? th : ui_line_height(ui, TEXT_MONO)) + ui_px(ui, 10);
            if (ui_row(ui, rid, (SDL_Rect){x, y, w, rh}, c, 0)) snprintf(picked, sizeof picked, "%s", c);
            ui_text(ui, x + ui_px(ui, 8), y + ui_px(ui, 5), TEXT_MONO, t->code_text, c);
            ui_plain(ui, x + codew + ui_px(ui, 8), y + ui_px(ui, 5), tw, TEXT_SMALL, t->text, cv->hits[i].title, 1);
            y += rh;
        }
        if (cv->nhits == 0) y += ui_plain(ui, x, y, w, TEXT_SMALL, t->muted, "No billable code matches.", 1);
        y += ui_px(ui, 8);
    }
    if (picked[0]) take = picked;
    if (take) {
        char code[CODE_MAX + 8];
        snprintf(code, sizeof code, "%s", take);
        if (principal) app_case_set_principal(app, code);
        else app_case_add(app, code);
        buf[0] = '\0';
        ui_focus(ui, principal ? "case-entry" : id);
        ui_request_frame(ui);
    }
    return y;
}

/* One code of the answer: the code, its role and title, and its buttons. */
static int code_card(App *app, Ui *ui, int x, int y, int w, int i, const char *role, int arrows)
{
    const Theme *t = ui_theme(ui);
    CaseView *cv = &app->cv;
    CodeBrief b;
    int known = app->codebook && codebook_brief(app->codebook, cv->codes[i], &b);
    int rh = ui_px(ui, 58);
    SDL_Rect card = {x, y, w, rh};
    ui_round_outline(ui, card, ui_px(ui, 8), 1, t->border, !strcmp(role, "principal") ? t->accent_soft : t->surface);
    /* arrows and a cross keep the buttons narrow so the title has the room */
    static const char *const glyphs[3] = {"\xE2\x86\x91", "\xE2\x86\x93", "\xC3\x97"};
    int bs = ui_px(ui, 30), bgap = ui_px(ui, 4), nb = arrows ? 3 : 1, bw_all = nb * bs + (nb - 1) * bgap;
    int cx = x + ui_px(ui, 10), cy = y + ui_px(ui, 8), tw = w - bw_all - ui_px(ui, 30);
    ui_text(ui, cx, cy, TEXT_MONO, known ? t->code_text : t->danger, cv->codes[i]);
    if (role[0])
        ui_text(ui, cx + ui_text_width(ui, TEXT_MONO, cv->codes[i]) + ui_px(ui, 10), cy + ui_px(ui, 1), TEXT_LABEL,
                !strcmp(role, "principal") ? t->accent : t->muted, role);
    const char *title = !known ? "not a code in the dictionary" : b.billable ? b.title : "header: not billable";
    ui_text_fit(ui, cx, cy + ui_line_height(ui, TEXT_MONO) + ui_px(ui, 2), tw, TEXT_SMALL, known && b.billable ? t->text : t->danger,
                title);
    int bx = x + w - bw_all - ui_px(ui, 8), by = y + (rh - bs) / 2;
    for (int k = arrows ? 0 : 2; k < 3; k++) {
        char id[32];
        snprintf(id, sizeof id, "case-%s-%d", k == 0 ? "up" : k == 1 ? "down" : "remove", i);
        if (ui_button(ui, id, (SDL_Rect){bx, by, bs, bs}, glyphs[k], k == 2 ? BUTTON_QUIET : BUTTON_SECONDARY)) {
            if (k == 2) app_case_remove(app, i);
            else app_case_move(app, i, k == 0 ? -1 : 1);
            ui_request_frame(ui);
        }
        bx += bs + bgap;
    }
    return y + rh + ui_px(ui, 6);
}

static int answer_panel(App *app, Ui *ui, int x, int y, int w)
{
    const Theme *t = ui_theme(ui);
    CaseView *cv = &app->cv;
    int first_dx = 1;
    if (cv->mode == CASE_MODE_RECORD) {
        /* CCS style: pick the principal diagnosis, then every additional code (their order does not count) */
        ui_text(ui, x, y, TEXT_H3, t->text, "Principal diagnosis");
        y += ui_line_height(ui, TEXT_H3) + ui_px(ui, 8);
        int principal = -1;
        for (int i = 0; i < cv->ncodes && principal < 0; i++)
            if (!strcmp(role_of(app, i, &first_dx), "principal")) principal = i;
        if (principal >= 0) y = code_card(app, ui, x, y, w, principal, "principal", 0);
        else y = entry_box(app, ui, x, y, w, "case-principal", cv->pentry, sizeof cv->pentry, 1);
        y += ui_px(ui, 12);
        ui_text(ui, x, y, TEXT_H3, t->text, "Additional codes");
        y += ui_line_height(ui, TEXT_H3) + ui_px(ui, 2);
        y += ui_plain(ui, x, y, w, TEXT_SMALL, t->muted, "Every other diagnosis and procedure, in any order.", 1) + ui_px(ui, 8);
        y = entry_box(app, ui, x, y, w, "case-entry", cv->entry, sizeof cv->entry, 0) + ui_px(ui, 8);
        first_dx = 1;
        for (int i = 0; i < cv->ncodes; i++) {
            const char *role = role_of(app, i, &first_dx);
            if (i != principal) y = code_card(app, ui, x, y, w, i, role, 0);
        }
        if (cv->ncodes - (principal >= 0) == 0) y += ui_plain(ui, x, y, w, TEXT_SMALL, t->muted, "None yet.", 1) + ui_px(ui, 6);
    } else {
        ui_text(ui, x, y, TEXT_H3, t->text, "Your codes");
        y += ui_line_height(ui, TEXT_H3) + ui_px(ui, 4);
        y += ui_plain(ui, x, y, w, TEXT_SMALL, t->muted,
                      "The first diagnosis is the principal / first-listed one; move codes with the arrows.", 1) + ui_px(ui, 8);
        y = entry_box(app, ui, x, y, w, "case-entry", cv->entry, sizeof cv->entry, 0) + ui_px(ui, 8);
        for (int i = 0; i < cv->ncodes; i++) y = code_card(app, ui, x, y, w, i, role_of(app, i, &first_dx), 1);
        if (cv->ncodes == 0) y += ui_plain(ui, x, y, w, TEXT_SMALL, t->muted, "No codes yet.", 1) + ui_px(ui, 6);
    }
    /* live validation */
    app_case_validate(app);
    for (int i = 0; i < cv->nfindings; i++) {
        const Finding *f = &cv->findings[i];
        if (f->severity == SEV_INFO) continue;
        y += ui_px(ui, 4);
        y += ui_plain(ui, x, y, w, TEXT_SMALL, severity_color(t, f->severity), f->message, 1);
    }
    y += ui_px(ui, 14);
    int sw = ui_button_width(ui, "Submit answer");
    if (ui_button(ui, "case-submit", (SDL_Rect){x, y, sw, ui_px(ui, 40)}, "Submit answer", BUTTON_PRIMARY)) {
        app_case_submit(app);
        ui_request_frame(ui);
    }
    int kw = ui_button_width(ui, "Another case");
    if (ui_button(ui, "case-skip", (SDL_Rect){x + sw + ui_px(ui, 10), y, kw, ui_px(ui, 40)}, "Another case", BUTTON_QUIET)) {
        app_case_new(app, cv->mode, cv->filter);
        ui_request_frame(ui);
    }
    y += ui_px(ui, 40);
    if (cv->status[0]) y += ui_px(ui, 10) + ui_plain(ui, x, y + ui_px(ui, 10), w, TEXT_SMALL, t->danger, cv->status, 1);
    return y;
}

static SDL_Color verdict_color(const Theme *t, Verdict v)
{
    switch (v) {
    case VERDICT_CORRECT: return t->success;
    case VERDICT_SEQUENCE:
    case VERDICT_SEVENTH:
    case VERDICT_LATERALITY:
    case VERDICT_SPECIFICITY: return t->focus;
    default: return t->danger;
    }
}

/* A code chip that opens the code book. */
static int code_link(App *app, Ui *ui, int x, int y, const char *code, const char *id)
{
    const Theme *t = ui_theme(ui);
    int cw = ui_text_width(ui, TEXT_MONO, code) + ui_px(ui, 16), chh = ui_line_height(ui, TEXT_MONO) + ui_px(ui, 6);
    SDL_Rect r = {x, y, cw, chh};
    char label[48];
    snprintf(label, sizeof label, "Open %s in the code book", code);
    ui_round(ui, r, ui_px(ui, 5), t->code_bg);
    ui_text(ui, x + ui_px(ui, 8), y + ui_px(ui, 3), TEXT_MONO, t->code_text, code);
    char norm[CODE_MAX];
    if (code[0] && codebook_normalise(code, norm) == 0 && ui_area(ui, id, r, label)) {
        app_go(app, SCREEN_CODEBOOK, norm);
        ui_request_frame(ui);
    }
    return cw;
}

static int feedback(App *app, Ui *ui, int x, int y, int w)
{
    const Theme *t = ui_theme(ui);
    CaseView *cv = &app->cv;
    const CaseScore *s = cv->score;
    char head[96];
    snprintf(head, sizeof head, "%d of %d  \xC2\xB7  %.0f%%", s->correct, s->max, s->score * 100);
    ui_text(ui, x, y, TEXT_H2, s->correct == s->max && s->max ? t->success : t->text, head);
    y += ui_line_height(ui, TEXT_H2) + ui_px(ui, 4);
    y += ui_plain(ui, x, y, w, TEXT_SMALL, t->muted,
                  "Score = correct codes \xC3\xB7 the larger of codes entered and codes expected. Select a code to open it in the "
                  "code book.", 1) + ui_px(ui, 14);
    /* the learner's codes beside the expected ones, one row per pairing */
    int colw = w / 2, rowh = ui_line_height(ui, TEXT_MONO) + ui_px(ui, 12);
    ui_text(ui, x, y, TEXT_LABEL, t->muted, "YOUR ANSWER");
    ui_text(ui, x + colw, y, TEXT_LABEL, t->muted, "EXPECTED");
    y += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 6);
    for (int i = 0; i < s->nverdicts; i++) {
        const CodeVerdict *v = &s->verdicts[i];
        if (!v->code[0]) continue;
        char id[40];
        if (v->verdict != VERDICT_MISSING) {
            snprintf(id, sizeof id, "answer-%d", i);
            int cw = code_link(app, ui, x, y, v->code, id);
            const char *name = case_verdict_name(v->verdict);
            int tw = ui_text_width(ui, TEXT_LABEL, name) + ui_px(ui, 14);
            SDL_Rect tag = {x + cw + ui_px(ui, 6), y + ui_px(ui, 1), tw, ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 4)};
            if (tag.x + tag.w <= x + colw - ui_px(ui, 4)) {
                ui_round(ui, tag, tag.h / 2, verdict_color(t, v->verdict));
                ui_text(ui, tag.x + ui_px(ui, 7), tag.y + ui_px(ui, 2), TEXT_LABEL, t->surface, name);
            }
        } else {
            ui_text(ui, x + ui_px(ui, 8), y + ui_px(ui, 3), TEXT_BODY, t->muted, "\xE2\x80\x94");
        }
        if (v->expected[0]) {
            snprintf(id, sizeof id, "expects-%d", i);
            code_link(app, ui, x + colw, y, v->expected, id);
        } else {
            ui_text(ui, x + colw + ui_px(ui, 8), y + ui_px(ui, 3), TEXT_BODY, t->muted, "\xE2\x80\x94");
        }
        y += rowh;
    }
    y += ui_px(ui, 12);
    ui_text(ui, x, y, TEXT_H3, t->text, "Why");
    y += ui_line_height(ui, TEXT_H3) + ui_px(ui, 8);
    for (int i = 0; i < s->nverdicts; i++) {
        const CodeVerdict *v = &s->verdicts[i];
        char id[40];
        snprintf(id, sizeof id, "verdict-%d", i);
        int cw = v->code[0] ? code_link(app, ui, x, y, v->code, id) : 0;
        const char *name = case_verdict_name(v->verdict);
        int tw = ui_text_width(ui, TEXT_LABEL, name) + ui_px(ui, 14);
        SDL_Rect tag = {x + cw + ui_px(ui, 8), y + ui_px(ui, 1), tw, ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 4)};
        ui_round(ui, tag, tag.h / 2, verdict_color(t, v->verdict));
        ui_text(ui, tag.x + ui_px(ui, 7), tag.y + ui_px(ui, 2), TEXT_LABEL, t->surface, name);
        y += ui_line_height(ui, TEXT_MONO) + ui_px(ui, 10);
        y += ui_plain(ui, x, y, w, TEXT_SMALL, t->text, v->message, 1) + ui_px(ui, 14);
    }
    /* the expected answer, in order */
    ui_text(ui, x, y, TEXT_H3, t->text, "Expected answer");
    y += ui_line_height(ui, TEXT_H3) + ui_px(ui, 8);
    const GeneratedCase *g = cv->gen;
    for (int i = 0; i < g->ncodes; i++) {
        char c[CODE_MAX], id[40];
        case_code_display(&g->codes[i], c);
        snprintf(id, sizeof id, "expected-%d", i);
        int cw = code_link(app, ui, x, y, c, id);
        const char *role = g->codes[i].role == ROLE_PRINCIPAL ? "principal" : g->codes[i].role == ROLE_PROCEDURE ? "procedure" : "secondary";
        ui_text(ui, x + cw + ui_px(ui, 10), y + ui_px(ui, 3), TEXT_LABEL, t->muted, role);
        y += ui_line_height(ui, TEXT_MONO) + ui_px(ui, 10);
        y += ui_plain(ui, x, y, w, TEXT_SMALL, t->text, g->codes[i].rationale, 1) + ui_px(ui, 12);
    }
    y += ui_px(ui, 6);
    int nw = ui_button_width(ui, "Next case");
    if (ui_button(ui, "case-next", (SDL_Rect){x, y, nw, ui_px(ui, 40)}, "Next case", BUTTON_PRIMARY)) {
        app_case_new(app, cv->mode, cv->filter);
        ui_request_frame(ui);
    }
    int aw = ui_button_width(ui, "All cases");
    if (ui_button(ui, "case-all", (SDL_Rect){x + nw + ui_px(ui, 10), y, aw, ui_px(ui, 40)}, "All cases", BUTTON_QUIET)) {
        cv->stage = CASE_STAGE_CHOOSE;
        app_case_load_history(app);
        ui_request_frame(ui);
    }
    y += ui_px(ui, 40);
    if (cv->status[0]) y += ui_px(ui, 10) + ui_plain(ui, x, y + ui_px(ui, 10), w, TEXT_SMALL, t->muted, cv->status, 1);
    return y;
}

void screen_cases(App *app, Ui *ui, SDL_Rect area)
{
    const Theme *t = ui_theme(ui);
    CaseView *cv = &app->cv;
    if (cv->stage == CASE_STAGE_CHOOSE || !cv->tmpl || !cv->gen) {
        choose(app, ui, area);
        return;
    }
    int pad = ui_px(ui, 32);
    int x = area.x + pad, w = area.w - 2 * pad, y = area.y + ui_px(ui, 24);
    char title[160];
    snprintf(title, sizeof title, "%s", setting_title(case_template_setting(cv->tmpl)));
    ui_text(ui, x, y, TEXT_H1, t->text, title);
    char meta[160];
    snprintf(meta, sizeof meta, "%s case  \xC2\xB7  #%llu", case_mode_name(cv->mode), (unsigned long long)cv->gen->seed);
    int bw = ui_button_width(ui, "All cases");
    ui_text(ui, x + ui_text_width(ui, TEXT_H1, title) + ui_px(ui, 14),
            y + ui_line_height(ui, TEXT_H1) - ui_line_height(ui, TEXT_SMALL) - ui_px(ui, 4), TEXT_SMALL, t->muted, meta);
    if (cv->stage == CASE_STAGE_CODING &&
        ui_button(ui, "case-back", (SDL_Rect){x + w - bw, y, bw, ui_px(ui, 36)}, "All cases", BUTTON_QUIET)) {
        cv->stage = CASE_STAGE_CHOOSE;
        app_case_load_history(app);
        ui_request_frame(ui);
        return;
    }
    y += ui_line_height(ui, TEXT_H1) + ui_px(ui, 16);
    int h = area.y + area.h - y;
    int lw = w * 54 / 100, gap = ui_px(ui, 20);
    SDL_Rect left = {x, y, lw, h}, right = {x + lw + gap, y, w - lw - gap, h};
    /* the document */
    SDL_Rect card = {left.x, left.y, left.w, left.h - ui_px(ui, 16)};
    ui_round_outline(ui, card, ui_px(ui, 10), 1, t->border, t->surface);
    SDL_Rect view = {card.x + 1, card.y + 1, card.w - 2, card.h - 2};
    int top = ui_scroll_begin(ui, "case-document", view, &cv->doc_scroll, 0);
    int dy = document(app, ui, view.x + ui_px(ui, 20), top + ui_px(ui, 18), view.w - ui_px(ui, 44));
    ui_scroll_end(ui, dy - top + ui_px(ui, 10));
    /* the answer or the feedback */
    top = ui_scroll_begin(ui, "case-answer", right, &cv->answer_scroll, 1);
    int ay = cv->stage == CASE_STAGE_CODING ? answer_panel(app, ui, right.x, top + ui_px(ui, 2), right.w - ui_px(ui, 16))
                                            : feedback(app, ui, right.x, top + ui_px(ui, 2), right.w - ui_px(ui, 16));
    ui_scroll_end(ui, ay - top + ui_px(ui, 40));
}

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "screens.h"

static const char *const TYPE_HINT[ITEM_TYPE_COUNT] = {
    "Choose one answer.",
    "Choose every answer that applies.",
    "True or false?",
    "Type your answer.",
    "Type the code or codes, separated by commas.",
    "Match each item on the left with one on the right: pick a left item, then its partner.",
    "Put the steps in order: pick them from first to last.",
    "Click the structure on the diagram (or use the arrow keys and Enter)."};

static const Item *current_item(const App *app)
{
    const QuizView *qv = &app->quiz;
    return &qv->quiz->items[qv->run[qv->pos]];
}

static void check_answer(App *app, Ui *ui)
{
    QuizView *qv = &app->quiz;
    const Item *it = current_item(app);
    if (!quiz_answer_is_complete(it, &qv->answer) || qv->checked) return;
    if (it->type == ITEM_ORDERING)
        for (int i = 0; i < it->nsequence; i++) qv->answer.order[i] = qv->placed[i];
    qv->correct = quiz_grade(it, &qv->answer);
    qv->checked = 1;
    qv->result[qv->pos] = qv->correct;
    qv->error[0] = '\0';
    if (app->store && qv->attempt && !app->cfg.read_only) {
        char given[6 * QUIZ_TEXT_MAX + 64];
        CpError err;
        quiz_answer_describe(it, &qv->answer, given, sizeof given);
        int64_t ms = (int64_t)(SDL_GetTicks() - qv->item_started_ms);
        if (store_answer_record(app->store, qv->attempt, it->id, given, qv->correct, ms, app_now(), &err) != STORE_OK)
            snprintf(qv->error, sizeof qv->error, "This answer could not be saved: %s", err.msg);
    }
    ui_focus(ui, "next");
    ui_request_frame(ui);
}

static SDL_Color verdict_tint(const Theme *t, int checked, int is_right, int chosen)
{
    if (!checked) return t->accent;
    if (is_right) return t->success;
    if (chosen) return t->danger;
    return t->accent;
}

/* Choice items: single-choice, multiple-response, true-false. */
static int draw_choices(App *app, Ui *ui, int x, int y, int w, const Item *it)
{
    QuizView *qv = &app->quiz;
    const Theme *t = ui_theme(ui);
    int gap = ui_px(ui, 10);
    if (it->type == ITEM_TRUE_FALSE) {
        static const char *const labels[2] = {"True", "False"};
        for (int k = 0; k < 2; k++) {
            int value = k == 0 ? 1 : 0, h;
            int chosen = qv->answer.choice == value;
            SDL_Color tint = verdict_tint(t, qv->checked, value == it->answer && (chosen || qv->checked), chosen);
            if (qv->checked && value != it->answer && !chosen) tint = t->accent;
            if (ui_choice(ui, labels[k], x, y, w, labels[k], 1, chosen || (qv->checked && value == it->answer), tint, &h) && !qv->checked)
                qv->answer.choice = value;
            y += h + gap;
        }
        return y;
    }
    int multi = it->type == ITEM_MULTIPLE_RESPONSE;
    for (int k = 0; k < it->noptions; k++) {
        int idx = qv->perm[k];
        char id[32];
        snprintf(id, sizeof id, "option-%d", k + 1);
        int chosen = multi ? (qv->answer.mask >> idx) & 1u : qv->answer.choice == idx;
        int right = multi ? (it->answers_mask >> idx) & 1u : it->answer == idx;
        SDL_Color tint = verdict_tint(t, qv->checked, right, chosen);
        int h;
        int shown = chosen || (qv->checked && right);
        if (ui_choice(ui, id, x, y, w, it->options[idx].text, !multi, shown, tint, &h) && !qv->checked) {
            if (multi) qv->answer.mask ^= 1u << idx;
            else qv->answer.choice = idx;
        }
        y += h;
        if (qv->checked) {
            int pad = ui_px(ui, 48);
            y += ui_px(ui, 6);
            y += ui_rich(ui, x + pad, y, w - pad, TEXT_SMALL, right ? t->success : t->muted, it->options[idx].why, NULL, 1);
        }
        y += gap;
    }
    return y;
}

/* Each code the learner typed, explained through the dictionary, then the codes
 * they missed: "E11.65 is Type 2 diabetes mellitus with hyperglycemia: not expected here". */
static int explain_codes(App *app, Ui *ui, int x, int y, int w, const Item *it)
{
    const Theme *t = ui_theme(ui);
    char given[QUIZ_CODES_MAX][16], want[QUIZ_CODES_MAX][16];
    int ng = quiz_split_codes(app->quiz.answer.text, given, QUIZ_CODES_MAX);
    int nw = 0;
    for (int i = 0; i < it->naccepted && nw < QUIZ_CODES_MAX; i++) {
        char tmp[CODE_MAX];
        if (codebook_normalise(it->accepted[i], tmp) == 0) snprintf(want[nw++], 16, "%s", tmp);
    }
    for (int pass = 0; pass < 2; pass++) {
        int n = pass == 0 ? ng : nw;
        for (int i = 0; i < n; i++) {
            const char *code = pass == 0 ? given[i] : want[i];
            int expected = 0, typed = 0;
            for (int k = 0; k < nw; k++) expected |= !strcmp(code, want[k]);
            for (int k = 0; k < ng; k++) typed |= !strcmp(code, given[k]);
            if (pass == 1 && typed) continue; /* already explained */
            CodeInfo in;
            CpError err;
            char line[1200], shown[CODE_MAX];
            int found = codebook_lookup(app->codebook, SYS_ANY, NULL, code, &in, &err) == 0;
            codebook_display(found ? in.system : codebook_guess_system(code), code, shown);
            SDL_Color c = t->text;
            if (!found) {
                snprintf(line, sizeof line, "\xE2\x9C\x97 %s is not a code in the dictionary.", shown);
                c = t->danger;
            } else if (pass == 1) {
                snprintf(line, sizeof line, "Missing: [[%s]] %s", shown, in.title);
                c = t->danger;
            } else if (expected) {
                snprintf(line, sizeof line, "\xE2\x9C\x93 [[%s]] %s", shown, in.title);
                c = t->success;
            } else if (!in.billable) {
                snprintf(line, sizeof line, "\xE2\x9C\x97 [[%s]] %s is a header, not a code you can report.", shown, in.title);
                c = t->danger;
            } else {
                snprintf(line, sizeof line, "\xE2\x9C\x97 [[%s]] is %s: not what this record calls for.", shown, in.title);
                c = t->danger;
            }
            if (found) codebook_info_free(&in);
            const char *link = NULL;
            y += ui_rich(ui, x, y, w, TEXT_BODY, c, line, &link, 1) + ui_px(ui, 4);
            if (link && !strncmp(link, "code:", 5)) app_go(app, SCREEN_CODEBOOK, link + 5);
        }
    }
    return y + ui_px(ui, 6);
}

static int draw_text_entry(App *app, Ui *ui, int x, int y, int w, const Item *it)
{
    QuizView *qv = &app->quiz;
    const Theme *t = ui_theme(ui);
    int bh = ui_px(ui, 46);
    int enter = ui_textbox(ui, "answer", (SDL_Rect){x, y, w, bh}, qv->answer.text, sizeof qv->answer.text,
                           it->type == ITEM_CODE_ENTRY ? "e.g. E11.9, I10" : "Your answer");
    if (!qv->checked && !ui_has_focus(ui, "answer") && qv->answer.text[0] == '\0' && qv->pos >= 0)
        ui_focus(ui, "answer");
    if (enter && !qv->checked) check_answer(app, ui);
    y += bh + ui_px(ui, 10);
    int explained = qv->checked && it->type == ITEM_CODE_ENTRY && app->codebook;
    if (explained) y = explain_codes(app, ui, x, y, w, it);
    if (qv->checked && !explained) {
        char line[600];
        size_t n = (size_t)snprintf(line, sizeof line, "%s", it->type == ITEM_CODE_ENTRY
                                        ? (it->ordered ? "Expected, in this order: " : "Expected: ")
                                        : "Accepted answers: ");
        for (int i = 0; i < it->naccepted && n < sizeof line; i++)
            n += (size_t)snprintf(line + n, sizeof line - n, it->type == ITEM_CODE_ENTRY ? "%s[[%s]]" : "%s**%s**",
                                  i ? ", " : "", it->accepted[i]);
        y += ui_rich(ui, x, y, w, TEXT_BODY, t->text, line, NULL, 1) + ui_px(ui, 6);
    }
    return y;
}

static int draw_matching(App *app, Ui *ui, int x, int y, int w, const Item *it)
{
    QuizView *qv = &app->quiz;
    const Theme *t = ui_theme(ui);
    int gap = ui_px(ui, 16);
    int two = w > ui_px(ui, 560);
    int cw = two ? (w - gap) / 2 : w;
    int ly = y, ry = two ? y : 0;
    ui_text(ui, x, ly, TEXT_LABEL, t->muted, "ITEMS");
    ly += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 8);
    for (int i = 0; i < it->npairs; i++) {
        char id[32], text[700];
        snprintf(id, sizeof id, "left-%d", i + 1);
        int m = qv->answer.match[i];
        if (m >= 0) snprintf(text, sizeof text, "**%s** \xE2\x86\x92 %s", it->pairs[i].left, it->pairs[m].right);
        else snprintf(text, sizeof text, "%s", it->pairs[i].left);
        SDL_Color tint = qv->checked ? (m == i ? t->success : t->danger) : t->accent;
        int h;
        if (ui_choice(ui, id, x, ly, cw, text, 1, qv->pick_left == i || (qv->checked), tint, &h) && !qv->checked)
            qv->pick_left = qv->pick_left == i ? -1 : i;
        ly += h;
        if (qv->checked && m != i) {
            char right[400];
            snprintf(right, sizeof right, "Correct match: %s", it->pairs[i].right);
            ly += ui_px(ui, 4) + ui_rich(ui, x + ui_px(ui, 48), ly + ui_px(ui, 4), cw - ui_px(ui, 48), TEXT_SMALL, t->success, right, NULL, 1);
        }
        ly += ui_px(ui, 8);
    }
    if (!two) ry = ly + ui_px(ui, 12);
    int rx = two ? x + cw + gap : x;
    if (!qv->checked) {
        ui_text(ui, rx, ry, TEXT_LABEL, t->muted, qv->pick_left >= 0 ? "NOW PICK ITS MATCH" : "MATCHES");
        ry += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 8);
        for (int k = 0; k < it->npairs; k++) {
            int idx = qv->perm[k];
            int used_by = -1;
            for (int i = 0; i < it->npairs; i++)
                if (qv->answer.match[i] == idx) used_by = i;
            char id[32];
            snprintf(id, sizeof id, "right-%d", k + 1);
            int h;
            if (ui_choice(ui, id, rx, ry, cw, it->pairs[idx].right, 0, used_by >= 0, t->accent, &h)) {
                if (qv->pick_left >= 0) {
                    for (int i = 0; i < it->npairs; i++)
                        if (qv->answer.match[i] == idx) qv->answer.match[i] = -1;
                    qv->answer.match[qv->pick_left] = idx;
                    /* move on to the next unmatched item */
                    int next = -1;
                    for (int i = 0; i < it->npairs && next < 0; i++)
                        if (qv->answer.match[i] < 0) next = i;
                    qv->pick_left = next;
                } else if (used_by >= 0) {
                    qv->answer.match[used_by] = -1;
                }
            }
            ry += h + ui_px(ui, 8);
        }
    }
    return ly > ry ? ly : ry;
}

static int draw_ordering(App *app, Ui *ui, int x, int y, int w, const Item *it)
{
    QuizView *qv = &app->quiz;
    const Theme *t = ui_theme(ui);
    ui_text(ui, x, y, TEXT_LABEL, t->muted, "YOUR ORDER");
    y += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 8);
    if (qv->nplaced == 0) {
        y += ui_rich(ui, x, y, w, TEXT_SMALL, t->muted, "Nothing placed yet: pick the first step below.", NULL, 1) + ui_px(ui, 10);
    }
    for (int i = 0; i < qv->nplaced; i++) {
        int idx = qv->placed[i];
        char text[600], id[32];
        snprintf(text, sizeof text, "**%d.** %s", i + 1, it->sequence[idx]);
        snprintf(id, sizeof id, "placed-%d", i + 1);
        SDL_Color tint = qv->checked ? (idx == i ? t->success : t->danger) : t->accent;
        int h;
        if (ui_choice(ui, id, x, y, w, text, 0, 1, tint, &h) && !qv->checked) {
            memmove(&qv->placed[i], &qv->placed[i + 1], (size_t)(qv->nplaced - i - 1) * sizeof qv->placed[0]);
            qv->nplaced--;
        }
        y += h + ui_px(ui, 8);
    }
    if (!qv->checked) {
        y += ui_px(ui, 8);
        if (qv->nplaced < it->nsequence) {
            ui_text(ui, x, y, TEXT_LABEL, t->muted, "STEPS TO PLACE");
            y += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 8);
        }
        for (int k = 0; k < it->nsequence; k++) {
            int idx = qv->perm[k], placed = 0;
            for (int i = 0; i < qv->nplaced; i++)
                if (qv->placed[i] == idx) placed = 1;
            if (placed) continue;
            char id[32];
            snprintf(id, sizeof id, "step-%d", k + 1);
            int h;
            if (ui_choice(ui, id, x, y, w, it->sequence[idx], 0, 0, t->accent, &h))
                qv->placed[qv->nplaced++] = idx;
            y += h + ui_px(ui, 8);
        }
        qv->answer.clicked = qv->nplaced == it->nsequence;
    } else {
        int wrong = 0;
        for (int i = 0; i < it->nsequence; i++) wrong |= qv->placed[i] != i;
        if (wrong) {
            char line[1600] = "Correct order: ";
            for (int i = 0; i < it->nsequence; i++) {
                size_t n = strlen(line);
                snprintf(line + n, sizeof line - n, "%s**%d.** %s", i ? "  " : "", i + 1, it->sequence[i]);
            }
            y += ui_rich(ui, x, y, w, TEXT_BODY, t->text, line, NULL, 1) + ui_px(ui, 8);
        }
    }
    return y;
}

static void draw_region_outline(Ui *ui, const Region *r, SDL_Rect img, float sx, float sy, SDL_Color c)
{
    for (int pass = 0; pass < 3; pass++) {
        if (r->is_circle) {
            int segs = 48;
            for (int s = 0; s < segs; s++) {
                float a0 = 6.2831853f * (float)s / (float)segs, a1 = 6.2831853f * (float)(s + 1) / (float)segs;
                float rr = r->r + (float)pass / sx;
                ui_line(ui, img.x + (int)((r->cx + cosf(a0) * rr) * sx), img.y + (int)((r->cy + sinf(a0) * rr) * sy),
                        img.x + (int)((r->cx + cosf(a1) * rr) * sx), img.y + (int)((r->cy + sinf(a1) * rr) * sy), c);
            }
        } else {
            for (int i = 0; i < r->npoints; i++) {
                int k = (i + 1) % r->npoints;
                ui_line(ui, img.x + (int)(r->px[i] * sx) + pass, img.y + (int)(r->py[i] * sy),
                        img.x + (int)(r->px[k] * sx) + pass, img.y + (int)(r->py[k] * sy), c);
            }
        }
    }
}

static int draw_hotspot(App *app, Ui *ui, int x, int y, int w, int max_h, const Item *it)
{
    QuizView *qv = &app->quiz;
    const Theme *t = ui_theme(ui);
    int maxw = ui_px(ui, 620);
    int iw = w < maxw ? w : maxw;
    int ih = (int)((float)iw * it->img_h / it->img_w);
    if (ih > max_h && max_h > 120) { /* keep the diagram and its buttons in view together */
        ih = max_h;
        iw = (int)((float)ih * it->img_w / it->img_h);
    }
    SDL_Rect img = {x, y, iw, ih};
    float sx = (float)iw / it->img_w, sy = (float)ih / it->img_h;
    char path[APP_PATH_MAX + 300];
    snprintf(path, sizeof path, "%s/%s", app->root, it->image);
    ui_image(ui, img, path);
    for (int i = 0; i < it->nregions; i++) {
        const Region *r = &it->regions[i];
        float cx = r->cx, cy = r->cy;
        if (!r->is_circle) {
            cx = cy = 0;
            for (int k = 0; k < r->npoints; k++) cx += r->px[k], cy += r->py[k];
            cx /= (float)r->npoints;
            cy /= (float)r->npoints;
        }
        char id[96];
        snprintf(id, sizeof id, "region:%s", r->id);
        ui_register(ui, id, id, (SDL_Rect){img.x + (int)(cx * sx) - 1, img.y + (int)(cy * sy) - 1, 3, 3});
    }
    int focused = ui_has_focus(ui, "hotspot-image");
    if (ui_area(ui, "hotspot-image", img, "diagram") && !qv->checked) {
        int mx = ui_mouse_x(ui), my = ui_mouse_y(ui);
        SDL_Point m = {mx, my};
        if (SDL_PointInRect(&m, &img)) {
            qv->answer.x = (float)(mx - img.x) / sx;
            qv->answer.y = (float)(my - img.y) / sy;
        } else { /* keyboard: place at the cursor */
            qv->answer.x = qv->cursor_x;
            qv->answer.y = qv->cursor_y;
        }
        qv->cursor_x = qv->answer.x;
        qv->cursor_y = qv->answer.y;
        qv->answer.clicked = 1;
    }
    if (focused && !qv->checked) {
        float step = it->img_w / 40.0f;
        if (ui_key(ui, SDLK_LEFT, 0)) qv->cursor_x -= step;
        if (ui_key(ui, SDLK_RIGHT, 0)) qv->cursor_x += step;
        if (ui_key(ui, SDLK_UP, 0)) qv->cursor_y -= step;
        if (ui_key(ui, SDLK_DOWN, 0)) qv->cursor_y += step;
        qv->cursor_x = qv->cursor_x < 0 ? 0 : qv->cursor_x > it->img_w ? it->img_w : qv->cursor_x;
        qv->cursor_y = qv->cursor_y < 0 ? 0 : qv->cursor_y > it->img_h ? it->img_h : qv->cursor_y;
        int cx = img.x + (int)(qv->cursor_x * sx), cy = img.y + (int)(qv->cursor_y * sy), l = ui_px(ui, 12);
        ui_fill(ui, (SDL_Rect){cx - l, cy - 1, 2 * l, 3}, t->focus);
        ui_fill(ui, (SDL_Rect){cx - 1, cy - l, 3, 2 * l}, t->focus);
    }
    if (qv->checked && it->answer >= 0) draw_region_outline(ui, &it->regions[it->answer], img, sx, sy, t->success);
    if (qv->answer.clicked) {
        int d = ui_px(ui, 9);
        int cx = img.x + (int)(qv->answer.x * sx), cy = img.y + (int)(qv->answer.y * sy);
        SDL_Color c = qv->checked ? (qv->correct ? t->success : t->danger) : t->accent;
        ui_round(ui, (SDL_Rect){cx - d - 2, cy - d - 2, 2 * d + 4, 2 * d + 4}, d + 2, (SDL_Color){255, 255, 255, 255});
        ui_round(ui, (SDL_Rect){cx - d, cy - d, 2 * d, 2 * d}, d, c);
    }
    y += ih + ui_px(ui, 10);
    if (qv->checked) {
        int hit = quiz_region_at(it, qv->answer.x, qv->answer.y);
        char line[300];
        if (qv->correct) snprintf(line, sizeof line, "You clicked the **%s**.", it->regions[it->answer].label);
        else if (hit >= 0) snprintf(line, sizeof line, "You clicked the **%s**; the outlined area is the **%s**.", it->regions[hit].label, it->regions[it->answer].label);
        else snprintf(line, sizeof line, "Your click missed every structure; the outlined area is the **%s**.", it->regions[it->answer].label);
        y += ui_rich(ui, x, y, w, TEXT_BODY, t->text, line, NULL, 1) + ui_px(ui, 6);
    }
    return y;
}

static void draw_summary(App *app, Ui *ui, SDL_Rect col, int y)
{
    QuizView *qv = &app->quiz;
    const Theme *t = ui_theme(ui);
    int right = 0;
    for (int i = 0; i < qv->nrun; i++) right += qv->result[i] == 1;
    char title[128], sub[200];
    snprintf(title, sizeof title, "You got %d of %d right", right, qv->nrun);
    int pct = qv->nrun ? right * 100 / qv->nrun : 0;
    snprintf(sub, sizeof sub, "%s", pct >= 80 ? "Well done. Review the rationales of any you missed, then move on."
                                    : pct >= 50 ? "A solid start. Retry the ones you missed while the rationales are fresh."
                                                : "Worth another pass: reread the lesson, then retry the missed questions.");
    y = screen_title(ui, col.x, y, col.w, title, sub);
    ui_progress(ui, (SDL_Rect){col.x, y - ui_px(ui, 8), col.w, ui_px(ui, 10)}, qv->nrun ? (float)right / (float)qv->nrun : 0);
    y += ui_px(ui, 24);
    int bh = ui_px(ui, 44), x = col.x;
    int missed = qv->nrun - right;
    if (missed > 0) {
        char label[64];
        snprintf(label, sizeof label, "Retry missed (%d)", missed);
        int w = ui_button_width(ui, label);
        if (ui_button(ui, "retry-missed", (SDL_Rect){x, y, w, bh}, label, BUTTON_PRIMARY)) {
            app_quiz_retry_missed(app);
            ui_request_frame(ui);
            return;
        }
        x += w + ui_px(ui, 10);
    }
    int w = ui_button_width(ui, "Take the whole quiz again");
    if (ui_button(ui, "restart", (SDL_Rect){x, y, w, bh}, "Take the whole quiz again", missed ? BUTTON_SECONDARY : BUTTON_PRIMARY)) {
        app_go(app, SCREEN_QUIZ, qv->quiz->id);
        ui_request_frame(ui);
        return;
    }
    x += w + ui_px(ui, 10);
    w = ui_button_width(ui, "Back to Learn");
    if (ui_button(ui, "done", (SDL_Rect){x, y, w, bh}, "Back to Learn", BUTTON_QUIET)) {
        app_go(app, SCREEN_LEARN, NULL);
        ui_request_frame(ui);
        return;
    }
    y += bh + ui_px(ui, 28);
    for (int i = 0; i < qv->nrun; i++) {
        const Item *it = &qv->quiz->items[qv->run[i]];
        int ok = qv->result[i] == 1;
        int mark = ui_px(ui, 22);
        int h = ui_rich(ui, 0, 0, col.w - mark - ui_px(ui, 16), TEXT_BODY, t->text, it->stem, NULL, 0);
        if (ui_visible(ui, y, h)) {
            ui_round(ui, (SDL_Rect){col.x, y + ui_px(ui, 1), mark, mark}, mark / 2, ok ? t->success : t->danger);
            const char *sym = ok ? "\xE2\x9C\x93" : "\xE2\x9C\x97";
            ui_text(ui, col.x + (mark - ui_text_width(ui, TEXT_LABEL, sym)) / 2, y + ui_px(ui, 1) + (mark - ui_line_height(ui, TEXT_LABEL)) / 2,
                    TEXT_LABEL, t->surface, sym);
            ui_rich(ui, col.x + mark + ui_px(ui, 14), y, col.w - mark - ui_px(ui, 16), TEXT_BODY, t->text, it->stem, NULL, 1);
        }
        y += h + ui_px(ui, 12);
    }
    (void)y;
}

void screen_quiz(App *app, Ui *ui, SDL_Rect area)
{
    QuizView *qv = &app->quiz;
    const Theme *t = ui_theme(ui);
    if (!qv->quiz || qv->nrun == 0) {
        app_go(app, SCREEN_LEARN, NULL);
        return;
    }
    SDL_Rect col = screen_column(ui, area, 760);
    int top = ui_scroll_begin(ui, "quiz-scroll", area, &qv->scroll, 1);
    int y = top + ui_px(ui, 28);
    int bw = ui_button_width(ui, "< Back");
    if (ui_button(ui, "back", (SDL_Rect){col.x - ui_px(ui, 12), y, bw, ui_px(ui, 34)}, "< Back", BUTTON_QUIET)) {
        ui_scroll_end(ui, 0);
        app_go(app, qv->summary ? SCREEN_LEARN : (app->back == SCREEN_LESSON || app->back == SCREEN_QUIZ ? SCREEN_LEARN : app->back), NULL);
        ui_request_frame(ui);
        return;
    }
    y += ui_px(ui, 44);
    ui_text_fit(ui, col.x, y, col.w, TEXT_LABEL, t->accent, qv->quiz->title);
    y += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 8);
    if (qv->summary) {
        draw_summary(app, ui, col, y);
        ui_scroll_end(ui, ui_px(ui, 4000));
        return;
    }
    const Item *it = current_item(app);
    char counter[64];
    snprintf(counter, sizeof counter, "Question %d of %d", qv->pos + 1, qv->nrun);
    ui_text(ui, col.x, y, TEXT_SMALL, t->muted, counter);
    static const char *const DIFF[] = {"Easy", "Medium", "Hard"};
    const char *d = DIFF[it->difficulty];
    ui_text(ui, col.x + col.w - ui_text_width(ui, TEXT_SMALL, d), y, TEXT_SMALL, t->muted, d);
    y += ui_line_height(ui, TEXT_SMALL) + ui_px(ui, 8);
    ui_progress(ui, (SDL_Rect){col.x, y, col.w, ui_px(ui, 6)}, (float)(qv->pos + (qv->checked ? 1 : 0)) / (float)qv->nrun);
    y += ui_px(ui, 30);

    y += ui_rich(ui, col.x, y, col.w, TEXT_H3, t->text, it->stem, NULL, 1) + ui_px(ui, 8);
    y += ui_rich(ui, col.x, y, col.w, TEXT_SMALL, t->muted, TYPE_HINT[it->type], NULL, 1) + ui_px(ui, 18);

    switch (it->type) {
    case ITEM_SINGLE_CHOICE:
    case ITEM_MULTIPLE_RESPONSE:
    case ITEM_TRUE_FALSE: y = draw_choices(app, ui, col.x, y, col.w, it); break;
    case ITEM_FILL_IN:
    case ITEM_CODE_ENTRY: y = draw_text_entry(app, ui, col.x, y, col.w, it); break;
    case ITEM_MATCHING: y = draw_matching(app, ui, col.x, y, col.w, it); break;
    case ITEM_ORDERING: y = draw_ordering(app, ui, col.x, y, col.w, it); break;
    case ITEM_IMAGE_HOTSPOT: y = draw_hotspot(app, ui, col.x, y, col.w, area.h * 55 / 100, it); break;
    default: break;
    }
    y += ui_px(ui, 12);

    if (qv->checked) {
        int pad = ui_px(ui, 18);
        int rh = ui_rich(ui, 0, 0, col.w - 2 * pad, TEXT_BODY, t->text, it->rationale, NULL, 0);
        int h = pad + ui_line_height(ui, TEXT_H3) + ui_px(ui, 6) + rh + pad;
        SDL_Rect box = {col.x, y, col.w, h};
        ui_round(ui, box, ui_px(ui, 12), qv->correct ? t->success_soft : t->danger_soft);
        ui_round(ui, (SDL_Rect){box.x, box.y, ui_px(ui, 4), box.h}, ui_px(ui, 2), qv->correct ? t->success : t->danger);
        ui_text(ui, box.x + pad, box.y + pad, TEXT_H3, qv->correct ? t->success : t->danger, qv->correct ? "Correct" : "Not quite");
        const char *link = NULL;
        ui_rich(ui, box.x + pad, box.y + pad + ui_line_height(ui, TEXT_H3) + ui_px(ui, 6), col.w - 2 * pad, TEXT_BODY, t->text,
                it->rationale, &link, 1);
        y += h + ui_px(ui, 16);
        if (link) {
            ui_scroll_end(ui, y - top);
            if (!strncmp(link, "code:", 5)) app_go(app, SCREEN_CODEBOOK, link + 5);
            else app_go(app, SCREEN_LESSON, link);
            return;
        }
    }
    if (qv->error[0]) {
        y += ui_plain(ui, col.x, y, col.w, TEXT_SMALL, t->danger, qv->error, 1) + ui_px(ui, 10);
    }

    int bh = ui_px(ui, 46);
    if (!qv->checked) {
        int complete = quiz_answer_is_complete(it, &qv->answer);
        int w = ui_button_width(ui, "Check answer");
        if (ui_button(ui, "check", (SDL_Rect){col.x, y, w, bh}, "Check answer", complete ? BUTTON_PRIMARY : BUTTON_SECONDARY) && complete)
            check_answer(app, ui);
        if (!complete)
            ui_text(ui, col.x + w + ui_px(ui, 14), y + (bh - ui_line_height(ui, TEXT_SMALL)) / 2, TEXT_SMALL, t->muted,
                    it->type == ITEM_MATCHING ? "Match every item first." : it->type == ITEM_ORDERING ? "Place every step first." : "Answer first, then check.");
    } else {
        int last = qv->pos + 1 >= qv->nrun;
        const char *label = last ? "See results" : "Next question";
        int w = ui_button_width(ui, label);
        if (ui_button(ui, "next", (SDL_Rect){col.x, y, w, bh}, label, BUTTON_PRIMARY)) {
            if (last) {
                qv->summary = 1;
                qv->scroll = 0;
                if (app->store && qv->attempt && !app->cfg.read_only) {
                    CpError err;
                    if (store_attempt_finish(app->store, qv->attempt, app_now(), &err) != STORE_OK)
                        snprintf(qv->error, sizeof qv->error, "The result could not be saved: %s", err.msg);
                    qv->attempt = 0; /* finished: leaving the quiz must not finish it again */
                }
                screen_refresh_progress(app);
            } else {
                app_quiz_goto(app, qv->pos + 1);
            }
            ui_request_frame(ui);
        }
    }
    y += bh + ui_px(ui, 48);
    ui_scroll_end(ui, y - top);
}

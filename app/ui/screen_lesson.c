#include <stdio.h>
#include <string.h>

#include "screens.h"

/* Everything a block draw needs; draw = 0 measures only. */
typedef struct Ctx {
    App *app;
    Ui *ui;
    const Theme *t;
    int x, w;            /* reading column */
    int draw;
    const char *link;    /* lesson link clicked this frame */
} Ctx;

static int rich(Ctx *c, int x, int y, int w, TextStyle s, SDL_Color col, const char *text)
{
    const char *link = NULL;
    int h = ui_rich(c->ui, x, y, w, s, col, text, &link, c->draw);
    if (link) c->link = link;
    return h;
}

static int draw_list(Ctx *c, const Block *b, int y)
{
    Ui *ui = c->ui;
    int indent = ui_px(ui, 26);
    int gap = ui_px(ui, 6);
    for (int i = 0; i < b->nitems; i++) {
        char marker[16];
        if (b->numbered) snprintf(marker, sizeof marker, "%d.", i + 1);
        else snprintf(marker, sizeof marker, "\xE2\x80\xA2");
        if (c->draw && ui_visible(ui, y, ui_line_height(ui, TEXT_BODY)))
            ui_text(ui, c->x + ui_px(ui, 4), y + ui_px(ui, 2), TEXT_BODY, b->numbered ? c->t->muted : c->t->accent, marker);
        y += rich(c, c->x + indent, y, c->w - indent, TEXT_BODY, c->t->text, b->items[i]) + gap;
    }
    return y;
}

/* Column widths of one table at one width, kept so frames don't re-measure. */
typedef struct TableWidths {
    const Block *block;
    int width, px;
    int w[8];
} TableWidths;

static int longest_word(Ui *ui, TextStyle st, const char *text)
{
    int best = 0;
    char word[128];
    const char *p = text;
    while (*p) {
        while (*p == ' ') p++;
        size_t n = 0;
        while (p[n] && p[n] != ' ') n++;
        if (n == 0) break;
        size_t k = n < sizeof word - 1 ? n : sizeof word - 1;
        memcpy(word, p, k);
        word[k] = '\0';
        int w = ui_text_width(ui, st, word);
        if (w > best) best = w;
        p += n;
    }
    return best;
}

/* Each column gets at least its longest word (so words never break mid-letter when
 * avoidable); what is left is shared in proportion to how much more each column's
 * longest cell would like. */
static void table_widths(Ui *ui, const Block *b, int total_w, int pad, int *out)
{
    static TableWidths cache[64];
    static int next;
    int px = ui_px(ui, 100);
    for (int i = 0; i < 64; i++)
        if (cache[i].block == b && cache[i].width == total_w && cache[i].px == px) {
            memcpy(out, cache[i].w, sizeof cache[i].w);
            return;
        }
    int n = b->ncolumns;
    int minw[8], want[8], sum_min = 0, sum_extra = 0;
    for (int col = 0; col < n; col++) {
        minw[col] = longest_word(ui, TEXT_LABEL, b->columns[col]);
        want[col] = ui_text_width(ui, TEXT_LABEL, b->columns[col]);
        for (int r = 0; r < b->nrows; r++) {
            const char *cell = b->items[r * n + col];
            if (!cell) continue;
            int lw = longest_word(ui, TEXT_BODY, cell), nw = ui_text_width(ui, TEXT_BODY, cell);
            if (lw > minw[col]) minw[col] = lw;
            if (nw > want[col]) want[col] = nw;
        }
        minw[col] += 2 * pad;
        want[col] += 2 * pad;
        if (minw[col] < total_w / 10) minw[col] = total_w / 10;
        if (want[col] < minw[col]) want[col] = minw[col];
        sum_min += minw[col];
        sum_extra += want[col] - minw[col];
    }
    int left = total_w - sum_min, acc = 0;
    for (int col = 0; col < n; col++) {
        if (left <= 0) out[col] = minw[col] * total_w / sum_min;
        else if (sum_extra <= left) out[col] = want[col];
        else out[col] = minw[col] + (int)((long)left * (want[col] - minw[col]) / sum_extra);
        acc += out[col];
    }
    out[n - 1] += total_w - acc; /* rounding, or spare room, to the last column */
    cache[next].block = b;
    cache[next].width = total_w;
    cache[next].px = px;
    memcpy(cache[next].w, out, sizeof cache[next].w);
    next = (next + 1) % 64;
}

static int draw_table(Ctx *c, const Block *b, int y)
{
    Ui *ui = c->ui;
    const Theme *t = c->t;
    int n = b->ncolumns;
    int pad = ui_px(ui, 10);
    int widths[8] = {0}, xs[8], acc = 0;
    table_widths(ui, b, c->w, pad, widths);
    for (int col = 0; col < n; col++) {
        xs[col] = c->x + acc;
        acc += widths[col];
    }
    int table_w = acc;
    /* header */
    int hh = 0;
    for (int col = 0; col < n; col++) {
        int h = ui_rich(ui, 0, 0, widths[col] - 2 * pad, TEXT_LABEL, t->text, b->columns[col], NULL, 0);
        if (h > hh) hh = h;
    }
    hh += 2 * pad;
    int y0 = y;
    if (c->draw && ui_visible(ui, y, hh)) {
        ui_round(ui, (SDL_Rect){c->x, y, table_w, hh}, ui_px(ui, 6), t->surface_alt);
        for (int col = 0; col < n; col++)
            ui_rich(ui, xs[col] + pad, y + pad, widths[col] - 2 * pad, TEXT_LABEL, t->text, b->columns[col], NULL, 1);
    }
    y += hh;
    for (int r = 0; r < b->nrows; r++) {
        int rh = 0;
        for (int col = 0; col < n; col++) {
            const char *cell = b->items[r * n + col];
            int h = cell ? ui_rich(ui, 0, 0, widths[col] - 2 * pad, TEXT_BODY, t->text, cell, NULL, 0) : 0;
            if (h > rh) rh = h;
        }
        rh += 2 * pad;
        if (c->draw && ui_visible(ui, y, rh)) {
            ui_fill(ui, (SDL_Rect){c->x, y + rh - 1, table_w, 1}, t->border);
            for (int col = 0; col < n; col++) {
                const char *cell = b->items[r * n + col];
                if (cell) rich(c, xs[col] + pad, y + pad, widths[col] - 2 * pad, TEXT_BODY,
                               col == 0 ? t->text : t->text, cell);
            }
        }
        y += rh;
    }
    (void)y0;
    return y;
}

static int draw_image(Ctx *c, const Block *b, int y)
{
    Ui *ui = c->ui;
    const Theme *t = c->t;
    int maxw = ui_px(ui, 640);
    int w = c->w < maxw ? c->w : maxw;
    int h = (int)((float)w * b->img_h / b->img_w);
    int x = c->x + (c->w - w) / 2;
    if (c->draw && ui_visible(ui, y, h)) {
        char path[APP_PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%s", c->app->root, b->src);
        ui_image(ui, (SDL_Rect){x, y, w, h}, path);
        float sx = (float)w / b->img_w, sy = (float)h / b->img_h;
        int dot = ui_px(ui, 5);
        for (int i = 0; i < b->nlabels; i++) {
            const ImageLabel *l = &b->labels[i];
            int px = x + (int)(l->x * sx), py = y + (int)(l->y * sy);
            int tw = ui_text_width(ui, TEXT_SMALL, l->text);
            int ph = ui_line_height(ui, TEXT_SMALL) + ui_px(ui, 6);
            int lx = px + dot + ui_px(ui, 6);
            if (lx + tw + ui_px(ui, 12) > x + w) lx = px - dot - ui_px(ui, 6) - tw - ui_px(ui, 12);
            SDL_Rect pill = {lx, py - ph / 2, tw + ui_px(ui, 12), ph};
            ui_round(ui, (SDL_Rect){px - dot, py - dot, 2 * dot, 2 * dot}, dot, (SDL_Color){30, 36, 51, 255});
            ui_round(ui, (SDL_Rect){px - dot + 2, py - dot + 2, 2 * dot - 4, 2 * dot - 4}, dot, (SDL_Color){255, 255, 255, 255});
            ui_round(ui, pill, ph / 2, (SDL_Color){30, 36, 51, 225});
            ui_text(ui, pill.x + ui_px(ui, 6), pill.y + ui_px(ui, 3), TEXT_SMALL, (SDL_Color){255, 255, 255, 255}, l->text);
        }
    }
    y += h + ui_px(ui, 8);
    y += rich(c, c->x, y, c->w, TEXT_SMALL, t->muted, b->caption);
    return y;
}

static int draw_boxed(Ctx *c, int y, SDL_Color bg, SDL_Color bar, const char *label, const Block *b)
{
    Ui *ui = c->ui;
    const Theme *t = c->t;
    int pad = ui_px(ui, 16);
    int iw = c->w - 2 * pad - ui_px(ui, 4);
    int ix = c->x + pad + ui_px(ui, 4);
    /* measure, then draw background, then draw content */
    int saved = c->draw;
    int h = 0;
    for (int pass = 0; pass < 2; pass++) {
        c->draw = pass == 1 && saved;
        int yy = y + pad;
        if (pass == 1 && saved && ui_visible(ui, y, h)) {
            ui_round(ui, (SDL_Rect){c->x, y, c->w, h}, ui_px(ui, 10), bg);
            ui_round(ui, (SDL_Rect){c->x, y, ui_px(ui, 4), h}, ui_px(ui, 2), bar);
        }
        if (c->draw) ui_text(ui, ix, yy, TEXT_LABEL, bar, label);
        yy += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 6);
        if (b->type == BLOCK_CALLOUT) {
            yy += rich(c, ix, yy, iw, TEXT_BODY, t->text, b->text);
        } else if (b->type == BLOCK_DEFINITION) {
            yy += rich(c, ix, yy, iw, TEXT_H3, t->text, b->term) + ui_px(ui, 4);
            yy += rich(c, ix, yy, iw, TEXT_BODY, t->text, b->text);
        } else { /* worked example */
            yy += rich(c, ix, yy, iw, TEXT_BODY, t->text, b->term) + ui_px(ui, 10);
            for (int i = 0; i < b->nitems; i++) {
                char num[16];
                snprintf(num, sizeof num, "%d", i + 1);
                int nd = ui_px(ui, 22);
                if (c->draw && ui_visible(ui, yy, nd)) {
                    ui_round(ui, (SDL_Rect){ix, yy + ui_px(ui, 1), nd, nd}, nd / 2, t->surface);
                    ui_text(ui, ix + (nd - ui_text_width(ui, TEXT_LABEL, num)) / 2,
                            yy + ui_px(ui, 1) + (nd - ui_line_height(ui, TEXT_LABEL)) / 2, TEXT_LABEL, bar, num);
                }
                yy += rich(c, ix + nd + ui_px(ui, 10), yy, iw - nd - ui_px(ui, 10), TEXT_BODY, t->text, b->items[i]) + ui_px(ui, 6);
            }
            yy += ui_px(ui, 4);
            if (c->draw) ui_text(ui, ix, yy, TEXT_LABEL, bar, "ANSWER");
            yy += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 4);
            yy += rich(c, ix, yy, iw, TEXT_BODY, t->text, b->answer);
        }
        h = yy + pad - y;
    }
    c->draw = saved;
    return y + h;
}

static int draw_block(Ctx *c, const Block *b, int y)
{
    Ui *ui = c->ui;
    const Theme *t = c->t;
    char label[120];
    switch (b->type) {
    case BLOCK_HEADING:
        y += ui_px(ui, b->level == 2 ? 18 : 8);
        y += rich(c, c->x, y, c->w, b->level == 2 ? TEXT_H2 : TEXT_H3, t->text, b->text);
        return y + ui_px(ui, 10);
    case BLOCK_PARAGRAPH: return y + rich(c, c->x, y, c->w, TEXT_BODY, t->text, b->text) + ui_px(ui, 14);
    case BLOCK_LIST: return draw_list(c, b, y) + ui_px(ui, 10);
    case BLOCK_TABLE: return draw_table(c, b, y) + ui_px(ui, 20);
    case BLOCK_IMAGE: return draw_image(c, b, y) + ui_px(ui, 20);
    case BLOCK_CALLOUT:
        if (b->callout == CALLOUT_GUIDELINE) snprintf(label, sizeof label, "GUIDELINE %s", b->section ? b->section : "");
        else snprintf(label, sizeof label, "%s", b->callout == CALLOUT_TIP ? "TIP" : "WATCH OUT");
        return draw_boxed(c, y, b->callout == CALLOUT_TIP ? t->tip_bg : b->callout == CALLOUT_WARNING ? t->warn_bg : t->guide_bg,
                          b->callout == CALLOUT_WARNING ? t->danger : t->accent, label, b) + ui_px(ui, 16);
    case BLOCK_DEFINITION:
        return draw_boxed(c, y, t->surface_alt, t->muted, "DEFINITION", b) + ui_px(ui, 14);
    case BLOCK_EXAMPLE:
        return draw_boxed(c, y, t->code_bg, t->code_text, "WORKED EXAMPLE", b) + ui_px(ui, 16);
    }
    return y;
}

static const Lesson *next_lesson(const App *app, const Lesson *les)
{
    for (int i = 0; i + 1 < app->content->nlessons; i++)
        if (&app->content->lessons[i] == les && app->content->lessons[i + 1].track == les->track)
            return &app->content->lessons[i + 1];
    return NULL;
}

void screen_lesson(App *app, Ui *ui, SDL_Rect area)
{
    const Lesson *les = app->lesson.lesson;
    const Theme *t = ui_theme(ui);
    if (!les) {
        app_go(app, SCREEN_LEARN, NULL);
        return;
    }
    SDL_Rect col = screen_column(ui, area, 760);
    Ctx c = {app, ui, t, col.x, col.w, 1, NULL};
    int top = ui_scroll_begin(ui, "lesson-scroll", area, &app->lesson.scroll, 1);
    int y = top + ui_px(ui, 28);
    int bw = ui_button_width(ui, "< Back");
    if (ui_button(ui, "back", (SDL_Rect){col.x - ui_px(ui, 12), y, bw, ui_px(ui, 34)}, "< Back", BUTTON_QUIET)) {
        ui_scroll_end(ui, 0);
        app_go(app, SCREEN_LEARN, NULL);
        return;
    }
    y += ui_px(ui, 44);
    char meta[200];
    snprintf(meta, sizeof meta, "%s  \xC2\xB7  %d min%s", content_track_title(les->track), les->minutes,
             app->lesson.completed ? "  \xC2\xB7  Completed" : "");
    ui_text(ui, col.x, y, TEXT_LABEL, app->lesson.completed ? t->success : t->accent, meta);
    y += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 8);
    y += rich(&c, col.x, y, col.w, TEXT_H1, t->text, les->title) + ui_px(ui, 8);
    y += rich(&c, col.x, y, col.w, TEXT_BODY, t->muted, les->summary) + ui_px(ui, 20);

    /* prerequisites and objectives */
    if (les->nprerequisites) {
        char pre[600] = "Before this lesson: ";
        for (int i = 0; i < les->nprerequisites; i++) {
            const Lesson *p = content_find_lesson(app->content, les->prerequisites[i]);
            size_t n = strlen(pre);
            if (p) snprintf(pre + n, sizeof pre - n, "%s[%s](lesson:%s)", i ? ", " : "", p->title, p->id);
        }
        y += rich(&c, col.x, y, col.w, TEXT_SMALL, t->muted, pre) + ui_px(ui, 16);
    }
    {
        Block obj = {.type = BLOCK_LIST};
        const char *items[40];
        for (int i = 0; i < les->nobjectives && i < 40; i++) items[i] = les->objectives[i].text;
        obj.items = items;
        obj.nitems = les->nobjectives < 40 ? les->nobjectives : 40;
        int pad = ui_px(ui, 18);
        Ctx m = c;
        m.draw = 0;
        m.x = col.x + pad;
        m.w = col.w - 2 * pad;
        int h = draw_list(&m, &obj, 0) + ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 10) + 2 * pad;
        if (ui_visible(ui, y, h)) ui_round_outline(ui, (SDL_Rect){col.x, y, col.w, h}, ui_px(ui, 12), 1, t->border, t->surface);
        ui_text(ui, col.x + pad, y + pad, TEXT_LABEL, t->muted, "IN THIS LESSON YOU WILL");
        Ctx d = c;
        d.x = col.x + pad;
        d.w = col.w - 2 * pad;
        draw_list(&d, &obj, y + pad + ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 10));
        y += h + ui_px(ui, 24);
    }

    for (int i = 0; i < les->nblocks; i++) y = draw_block(&c, &les->blocks[i], y);

    /* end of lesson: completion and what next */
    y += ui_px(ui, 16);
    ui_fill(ui, (SDL_Rect){col.x, y, col.w, 1}, t->border);
    y += ui_px(ui, 24);
    int bh = ui_px(ui, 44);
    int x = col.x;
    if (!app->lesson.completed) {
        int w = ui_button_width(ui, "Mark lesson complete");
        if (ui_button(ui, "complete-lesson", (SDL_Rect){x, y, w, bh}, "Mark lesson complete", BUTTON_PRIMARY)) {
            CpError err;
            if (app->cfg.read_only || !app->store) {
                app->lesson.completed = 1;
            } else if (store_lesson_complete(app->store, app->profile.id, les->id, app_now(), &err) != STORE_OK) {
                screen_store_failed(app, "lesson completion", &err);
            } else {
                app->lesson.completed = 1;
            }
        }
        x += w + ui_px(ui, 10);
    } else {
        ui_text(ui, x, y + (bh - ui_line_height(ui, TEXT_LABEL)) / 2, TEXT_LABEL, t->success, "Lesson completed");
        x += ui_text_width(ui, TEXT_LABEL, "Lesson completed") + ui_px(ui, 20);
    }
    const Lesson *next = next_lesson(app, les);
    if (next) {
        int w = ui_button_width(ui, "Next lesson");
        if (ui_button(ui, "next-lesson", (SDL_Rect){x, y, w, bh}, "Next lesson", app->lesson.completed ? BUTTON_PRIMARY : BUTTON_SECONDARY))
            c.link = next->id;
        x += w + ui_px(ui, 10);
    }
    for (int i = 0; i < app->content->nquizzes; i++) {
        const Quiz *q = &app->content->quizzes[i];
        int related = 0;
        for (int k = 0; k < q->nlessons; k++)
            if (strcmp(q->lessons[k], les->id) == 0) related = 1;
        if (!related) continue;
        char label[120], id[96];
        snprintf(label, sizeof label, "Practise: %s", q->title);
        snprintf(id, sizeof id, "practise-%s", q->id);
        int w = ui_button_width(ui, label);
        if (x + w > col.x + col.w) {
            x = col.x;
            y += bh + ui_px(ui, 10);
        }
        if (ui_button(ui, id, (SDL_Rect){x, y, w, bh}, label, BUTTON_SECONDARY)) {
            ui_scroll_end(ui, 0);
            app_go(app, SCREEN_QUIZ, q->id);
            return;
        }
        x += w + ui_px(ui, 10);
    }
    y += bh + ui_px(ui, 16);
    if (app->notice[0]) y += ui_plain(ui, col.x, y, col.w, TEXT_SMALL, t->danger, app->notice, 1) + ui_px(ui, 8);
    ui_scroll_end(ui, y + ui_px(ui, 48) - top);
    if (c.link && !strncmp(c.link, "code:", 5)) {
        app_go(app, SCREEN_CODEBOOK, c.link + 5);
        ui_request_frame(ui);
    } else if (c.link) {
        if (app_go(app, SCREEN_LESSON, c.link) != 0)
            snprintf(app->notice, sizeof app->notice, "The linked lesson \"%s\" is not loaded.", c.link);
        ui_request_frame(ui);
    }
}

/* screen_codebook.c - the code book: one search box, the Tabular List as the book
 * prints it, and the Alphabetic Index walked term by term. */
#include <stdio.h>
#include <string.h>

#include "screens.h"

static void run_search(App *app)
{
    BookView *b = &app->book;
    if (!strcmp(b->query, b->searched)) return;
    snprintf(b->searched, sizeof b->searched, "%s", b->query);
    b->nhits = 0;
    b->results_scroll = 0;
    if (!app->codebook || !b->query[0]) return;
    SearchOptions opts = {SYS_ANY, 0, BOOK_HITS};
    CpError err;
    if (codebook_search(app->codebook, b->query, &opts, b->hits, &b->nhits, &err) != 0)
        snprintf(b->status, sizeof b->status, "%s", err.msg);
}

static SDL_Color note_color(const Theme *t, NoteKind k)
{
    switch (k) {
    case NOTE_EXCLUDES1: return t->danger;
    case NOTE_EXCLUDES2: return t->focus;
    case NOTE_CODE_FIRST:
    case NOTE_USE_ADDITIONAL:
    case NOTE_CODE_ALSO: return t->accent;
    default: return t->muted;
    }
}

static const char *note_label(NoteKind k)
{
    static const char *const L[NOTE_KIND_COUNT] = {"INCLUDES", "INCLUSION TERMS", "EXCLUDES1", "EXCLUDES2",
                                                   "CODE FIRST", "USE ADDITIONAL CODE", "CODE ALSO", "NOTE"};
    return (unsigned)k < NOTE_KIND_COUNT ? L[k] : "";
}

/* Notes grouped as the book prints them: by the level they belong to, then kind. */
static int draw_notes(App *app, Ui *ui, int x, int y, int w)
{
    const Theme *t = ui_theme(ui);
    const CodeInfo *in = &app->book.info;
    const char *level = "";
    for (int i = 0; i < in->nnotes;) {
        const CodeNote *g = &in->notes[i];
        if (strcmp(level, g->from)) {
            level = g->from;
            char head[CODE_TITLE_MAX + 64], shown[CODE_MAX];
            codebook_display(in->system, g->from, shown);
            const char *title = "";
            if (!strcmp(g->from, in->code)) title = in->title;
            for (int k = 0; k < in->nancestors; k++)
                if (!strcmp(in->ancestors[k].code, g->from)) title = in->ancestors[k].title;
            if (!strcmp(g->from, in->code)) snprintf(head, sizeof head, "At this code");
            else if (!strcmp(g->from, in->chapter)) snprintf(head, sizeof head, "At chapter %s", in->chapter);
            else if (strchr(g->from, '-')) snprintf(head, sizeof head, "At section %s", title); /* titles carry the range */
            else snprintf(head, sizeof head, "At %s %s", shown, title);
            y += ui_px(ui, 6);
            y += ui_plain(ui, x, y, w, TEXT_SMALL, t->muted, head, 1) + ui_px(ui, 4);
        }
        int end = i;
        while (end < in->nnotes && in->notes[end].kind == g->kind && !strcmp(in->notes[end].from, g->from)) end++;
        SDL_Color c = note_color(t, g->kind);
        int lh = ui_line_height(ui, TEXT_LABEL);
        ui_round(ui, (SDL_Rect){x, y + ui_px(ui, 2), ui_px(ui, 3), lh - ui_px(ui, 4)}, 1, c);
        ui_text(ui, x + ui_px(ui, 10), y, TEXT_LABEL, c, note_label(g->kind));
        y += lh + ui_px(ui, 2);
        for (int k = i; k < end; k++)
            y += ui_plain(ui, x + ui_px(ui, 10), y, w - ui_px(ui, 10), TEXT_BODY, t->text, in->notes[k].text, 1) + ui_px(ui, 2);
        y += ui_px(ui, 6);
        i = end;
    }
    return y;
}

static int draw_tabular(App *app, Ui *ui, int x, int y, int w)
{
    const Theme *t = ui_theme(ui);
    BookView *b = &app->book;
    CodeInfo *in = &b->info;
    int bh = ui_px(ui, 34), bx = x;
    int bw = ui_button_width(ui, "< Back");
    if (ui_button(ui, "book-back", (SDL_Rect){bx, y, bw, bh}, "< Back", BUTTON_SECONDARY) && b->hpos > 0) {
        app_book_step(app, -1);
        ui_request_frame(ui);
        return y;
    }
    bx += bw + ui_px(ui, 8);
    bw = ui_button_width(ui, "Forward >");
    if (ui_button(ui, "book-forward", (SDL_Rect){bx, y, bw, bh}, "Forward >", BUTTON_SECONDARY) && b->hpos + 1 < b->hlen) {
        app_book_step(app, 1);
        ui_request_frame(ui);
        return y;
    }
    bx += bw + ui_px(ui, 8);
    char shown[CODE_MAX];
    codebook_display(in->system, in->code, shown);
    char copy_label[40];
    snprintf(copy_label, sizeof copy_label, "Copy %s", shown);
    bw = ui_button_width(ui, copy_label);
    if (ui_button(ui, "book-copy", (SDL_Rect){bx, y, bw, bh}, copy_label, BUTTON_QUIET)) {
        SDL_SetClipboardText(shown);
        snprintf(b->status, sizeof b->status, "Copied %s", shown);
    }
    y += bh + ui_px(ui, 16);
    if (in->chapter[0] || in->section[0]) {
        char crumb[CODE_TITLE_MAX * 2 + 32];
        snprintf(crumb, sizeof crumb, "%s%s%s%s%s%s", in->chapter[0] ? "Chapter " : "", in->chapter, in->chapter[0] ? ": " : "",
                 in->chapter_title, in->section[0] ? "  \xE2\x80\xBA  " : "", in->section_title);
        y += ui_plain(ui, x, y, w, TEXT_SMALL, t->muted, crumb, 1) + ui_px(ui, 6);
    }
    /* the code and its title */
    int cw = ui_text_width(ui, TEXT_H2, shown) + ui_px(ui, 20);
    ui_round(ui, (SDL_Rect){x, y, cw, ui_line_height(ui, TEXT_H2) + ui_px(ui, 8)}, ui_px(ui, 6), t->code_bg);
    ui_text(ui, x + ui_px(ui, 10), y + ui_px(ui, 4), TEXT_H2, t->code_text, shown);
    int th = ui_plain(ui, x + cw + ui_px(ui, 14), y + ui_px(ui, 4), w - cw - ui_px(ui, 14), TEXT_H2, t->text, in->title, 1);
    y += (th > ui_line_height(ui, TEXT_H2) ? th : ui_line_height(ui, TEXT_H2)) + ui_px(ui, 16);
    const char *status = in->billable ? "Billable: this code can be reported"
                       : in->nseven ? "Not billable yet: it needs a 7th character (see below)"
                       : in->kind == KIND_CHAPTER || in->kind == KIND_SECTION ? "A chapter or section of the Tabular List"
                                                                              : "A header: choose one of the codes below it";
    char line[512];
    snprintf(line, sizeof line, "%s  \xC2\xB7  %s %s", status, codebook_system_name(in->system), in->version);
    ui_text_fit(ui, x, y, w, TEXT_LABEL, in->billable ? t->success : t->focus, line);
    y += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 12);
    if (in->system == SYS_HCPCS) {
        snprintf(line, sizeof line, "Added %s  \xC2\xB7  effective %s%s%s", in->added[0] ? in->added : "-",
                 in->effective[0] ? in->effective : "-", in->terminated[0] ? "  \xC2\xB7  terminated " : "", in->terminated);
        y += ui_plain(ui, x, y, w, TEXT_SMALL, t->muted, line, 1) + ui_px(ui, 10);
    }
    if (in->nnotes) y = draw_notes(app, ui, x, y, w) + ui_px(ui, 6);
    if (in->nseven) {
        char from[CODE_MAX];
        codebook_display(in->system, in->seven_from, from);
        snprintf(line, sizeof line, "7TH CHARACTERS (DEFINED AT %s)", from);
        ui_text(ui, x, y, TEXT_LABEL, t->muted, line);
        y += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 6);
        for (int i = 0; i < in->nseven; i++) {
            char c[2] = {in->seven[i].chr, '\0'};
            int rh = ui_plain(ui, 0, 0, w - ui_px(ui, 40), TEXT_BODY, t->text, in->seven[i].meaning, 0);
            if (ui_visible(ui, y, rh)) {
                ui_text(ui, x + ui_px(ui, 4), y, TEXT_MONO, t->code_text, c);
                ui_plain(ui, x + ui_px(ui, 40), y, w - ui_px(ui, 40), TEXT_BODY, t->text, in->seven[i].meaning, 1);
            }
            y += rh + ui_px(ui, 2);
        }
        y += ui_px(ui, 12);
    }
    if (b->nlines > 0) {
        ui_text(ui, x, y, TEXT_LABEL, t->muted, "IN THE TABULAR LIST");
        y += ui_line_height(ui, TEXT_LABEL) + ui_px(ui, 6);
        int rh = ui_line_height(ui, TEXT_BODY) + ui_px(ui, 8);
        for (int i = 0; i < b->nlines; i++) {
            const BookLine *l = &b->lines[i];
            int indent = l->depth * ui_px(ui, 22);
            SDL_Rect r = {x, y, w, rh};
            if (ui_visible(ui, y, rh)) {
                char id[48], c[CODE_MAX];
                codebook_display(b->system, l->code, c);
                snprintf(id, sizeof id, "line-%s", l->code);
                int sel = !strcmp(l->code, b->selected);
                if (ui_row(ui, id, r, c, sel) && !sel) {
                    app_book_show(app, l->code);
                    ui_request_frame(ui);
                    return y;
                }
                int code_w = ui_px(ui, 92);
                ui_text(ui, x + indent + ui_px(ui, 8), y + ui_px(ui, 4), TEXT_MONO, l->billable ? t->code_text : t->muted, c);
                ui_text_fit(ui, x + indent + ui_px(ui, 8) + code_w, y + ui_px(ui, 4), w - indent - code_w - ui_px(ui, 16),
                            TEXT_BODY, t->text, l->title);
            }
            y += rh;
        }
    }
    return y;
}

/* Index text may hold brackets and stars: escaped before our own markup is added. */
static void esc(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; *in && n + 3 < cap; in++) {
        if (*in == '*' || *in == '[' || *in == ']' || *in == '\\') out[n++] = '\\';
        out[n++] = *in;
    }
    out[n] = '\0';
}

static int draw_index(App *app, Ui *ui, int x, int y, int w)
{
    const Theme *t = ui_theme(ui);
    BookView *b = &app->book;
    y += ui_plain(ui, x, y, w, TEXT_SMALL, t->muted,
                  "Look a condition up the way the printed Index works: the main term, then subterms, separated by "
                  "commas. For example: Diabetes, type 2, with, chronic kidney disease", 1) + ui_px(ui, 10);
    int bh = ui_px(ui, 42);
    ui_textbox(ui, "index-path", (SDL_Rect){x, y, w, bh}, b->index_path, sizeof b->index_path, "Main term, subterm, ...");
    y += bh + ui_px(ui, 16);
    if (app->codebook && strcmp(b->index_path, b->walked)) {
        snprintf(b->walked, sizeof b->walked, "%s", b->index_path);
        CpError err;
        if (!b->index_path[0] || codebook_index_walk(app->codebook, b->index_path, &b->walk, &err) != 0)
            memset(&b->walk, 0, sizeof b->walk);
    }
    const IndexWalk *wk = &b->walk;
    if (!b->index_path[0]) return y;
    for (int i = 0; i < wk->nsteps; i++) {
        const IndexStep *s = &wk->steps[i];
        char line[1800], title[520], nemod[520], see[520];
        esc(s->title, title, sizeof title);
        esc(s->nemod, nemod, sizeof nemod);
        esc(s->see, see, sizeof see);
        snprintf(line, sizeof line, "%s**%s**%s%s%s%s%s%s", s->via_see ? "see \xE2\x86\x92 " : "", title, nemod[0] ? " " : "",
                 nemod, s->code[0] ? "  " : "", s->code, see[0] ? "  *see* " : "", see);
        y += ui_rich(ui, x + i * ui_px(ui, 18), y, w - i * ui_px(ui, 18), TEXT_BODY, t->text, line, NULL, 1) + ui_px(ui, 4);
    }
    y += ui_px(ui, 10);
    if (!wk->found) {
        char msg[400];
        snprintf(msg, sizeof msg, "No subterm here matches \"%s\".", wk->unmatched);
        y += ui_plain(ui, x, y, w, TEXT_BODY, t->danger, msg, 1) + ui_px(ui, 10);
    }
    if (wk->code[0]) {
        char label[80], code[CODE_MAX];
        snprintf(code, sizeof code, "%.*s", (int)strcspn(wk->code, "-"), wk->code);
        size_t n = strlen(code);
        if (n > 0 && code[n - 1] == '.') code[n - 1] = '\0';
        snprintf(label, sizeof label, "Verify %s in the Tabular List", wk->code);
        int bw = ui_button_width(ui, label);
        if (wk->incomplete)
            y += ui_plain(ui, x, y, w, TEXT_BODY, t->focus,
                          "The Index gives an incomplete code (ending in -): finish it in the Tabular List.", 1) + ui_px(ui, 8);
        if (ui_button(ui, "index-open", (SDL_Rect){x, y, bw, bh}, label, BUTTON_PRIMARY)) {
            app_book_show(app, code);
            ui_request_frame(ui);
        }
        y += bh;
    }
    return y;
}

void screen_codebook(App *app, Ui *ui, SDL_Rect area)
{
    const Theme *t = ui_theme(ui);
    BookView *b = &app->book;
    int pad = ui_px(ui, 32);
    int x = area.x + pad, w = area.w - 2 * pad, y = area.y + ui_px(ui, 28);
    ui_text(ui, x, y, TEXT_H1, t->text, "Code book");
    if (app->codebook) {
        CodeVersion v;
        CpError err;
        char ver[128] = "";
        if (codebook_active(app->codebook, SYS_ICD10CM, &v, &err) == 0)
            snprintf(ver, sizeof ver, "ICD-10-CM %s (%s)", v.label, v.source);
        ui_text(ui, x + ui_text_width(ui, TEXT_H1, "Code book") + ui_px(ui, 16),
                y + ui_line_height(ui, TEXT_H1) - ui_line_height(ui, TEXT_SMALL) - ui_px(ui, 4), TEXT_SMALL, t->muted, ver);
    }
    y += ui_line_height(ui, TEXT_H1) + ui_px(ui, 14);
    if (!app->codebook) {
        ui_plain(ui, x, y, w, TEXT_BODY, t->danger, app->codebook_error[0] ? app->codebook_error : "The code dictionary is not available.", 1);
        return;
    }
    int bh = ui_px(ui, 44);
    int enter = ui_textbox(ui, "book-search", (SDL_Rect){x, y, w, bh}, b->query, sizeof b->query,
                           "Search codes, words, inclusion and index terms (e.g. E11.2, heart attack)");
    if (!b->query[0] && !ui_has_focus(ui, "book-search") && !b->have_info) ui_focus(ui, "book-search");
    run_search(app);
    if (enter && b->nhits > 0) {
        app_book_show(app, b->hits[0].code);
        ui_request_frame(ui);
    }
    y += bh + ui_px(ui, 12);
    static const char *const tabs[] = {"Tabular List", "Alphabetic Index"};
    ui_tabs(ui, "book-tab", (SDL_Rect){x, y, w, ui_px(ui, 38)}, tabs, 2, &b->tab);
    y += ui_px(ui, 38) + ui_px(ui, 12);
    int body_h = area.y + area.h - y;
    int show_hits = b->query[0] != '\0';
    int lw = show_hits ? (w * 38 / 100) : 0;
    if (show_hits) {
        SDL_Rect lr = {x, y, lw, body_h};
        int top = ui_scroll_begin(ui, "book-results", lr, &b->results_scroll, 0);
        int ry = top;
        if (b->nhits == 0) ry += ui_plain(ui, x, ry, lw - ui_px(ui, 12), TEXT_BODY, t->muted, "No codes match.", 1);
        for (int i = 0; i < b->nhits; i++) {
            const SearchHit *h = &b->hits[i];
            char c[CODE_MAX], id[48];
            codebook_display(h->system, h->code, c);
            snprintf(id, sizeof id, "hit-%s", h->code);
            int tw = lw - ui_px(ui, 24);
            int th = ui_plain(ui, 0, 0, tw, TEXT_SMALL, t->text, h->title, 0);
            int extra = h->matched == MATCH_INDEX || h->matched == MATCH_INCLUSION
                            ? ui_plain(ui, 0, 0, tw, TEXT_SMALL, t->muted, h->matched_text, 0) + ui_px(ui, 2) : 0;
            int rh = ui_px(ui, 10) + ui_line_height(ui, TEXT_MONO) + th + extra + ui_px(ui, 10);
            SDL_Rect r = {x, ry, lw - ui_px(ui, 12), rh};
            if (ui_visible(ui, ry, rh)) {
                if (ui_row(ui, id, r, c, !strcmp(h->code, b->selected))) {
                    app_book_show(app, h->code);
                    ui_request_frame(ui);
                }
                ui_text(ui, x + ui_px(ui, 10), ry + ui_px(ui, 8), TEXT_MONO, h->billable ? t->code_text : t->muted, c);
                if (h->billable)
                    ui_text(ui, x + lw - ui_px(ui, 24) - ui_text_width(ui, TEXT_SMALL, "billable"), ry + ui_px(ui, 8), TEXT_SMALL,
                            t->success, "billable");
                int yy = ry + ui_px(ui, 8) + ui_line_height(ui, TEXT_MONO);
                yy += ui_plain(ui, x + ui_px(ui, 10), yy, tw, TEXT_SMALL, t->text, h->title, 1);
                if (extra) ui_plain(ui, x + ui_px(ui, 10), yy + ui_px(ui, 2), tw, TEXT_SMALL, t->muted, h->matched_text, 1);
            }
            ry += rh + ui_px(ui, 4);
        }
        ui_scroll_end(ui, ry - top + ui_px(ui, 20));
    }
    SDL_Rect pr = {x + lw + (show_hits ? ui_px(ui, 8) : 0), y, w - lw - (show_hits ? ui_px(ui, 8) : 0), body_h};
    int top = ui_scroll_begin(ui, "book-page", pr, &b->page_scroll, 1);
    int py = top, px = pr.x + ui_px(ui, 8), pw = pr.w - ui_px(ui, 24);
    if (b->tab == 1) {
        py = draw_index(app, ui, px, py, pw);
    } else if (b->have_info) {
        py = draw_tabular(app, ui, px, py, pw);
    } else {
        py += ui_plain(ui, px, py, pw, TEXT_BODY, t->muted,
                       "Type a code (E11.2), words in any order (diab type 2 kidney), or what a patient says "
                       "(heart attack). Pick a result to read it in the Tabular List: its notes, its 7th characters "
                       "and where it sits in its category.", 1);
    }
    if (b->status[0]) {
        py += ui_px(ui, 16);
        py += ui_plain(ui, px, py, pw, TEXT_SMALL, t->muted, b->status, 1);
    }
    ui_scroll_end(ui, py - top + ui_px(ui, 40));
}

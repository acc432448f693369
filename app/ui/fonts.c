#include "fonts.h"

#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>

#define FONT_CACHE 24

typedef struct OpenFont {
    FontFace face;
    int px;
    TTF_Font *font;
} OpenFont;

struct Fonts {
    char path[FACE_COUNT][1024];  /* file of each face */
    OpenFont open[FONT_CACHE];    /* opened sizes, round-robin replaced */
    int nopen, next;
};

/* Asks fontconfig for pattern; accepts the match only when its family is one we
 * asked for (fontconfig always returns *something*). */
static int find_face(const char *pattern, const char *const *families, char *out, size_t cap)
{
    int ok = 0;
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat) return 0;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *match = FcFontMatch(NULL, pat, &res);
    if (match) {
        FcChar8 *file = NULL, *family = NULL;
        if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
            FcPatternGetString(match, FC_FAMILY, 0, &family) == FcResultMatch) {
            for (const char *const *f = families; *f; f++)
                if (strcmp((const char *)family, *f) == 0) ok = 1;
            const char *ext = strrchr((const char *)file, '.');
            if (!ext || (strcmp(ext, ".ttf") != 0 && strcmp(ext, ".otf") != 0)) ok = 0;
            if (ok && strlen((const char *)file) < cap) strcpy(out, (const char *)file);
            else ok = 0;
        }
        FcPatternDestroy(match);
    }
    FcPatternDestroy(pat);
    return ok;
}

Fonts *fonts_open(CpError *err)
{
    static const char *const sans[] = {"DejaVu Sans", "Noto Sans", "Liberation Sans", NULL};
    static const char *const mono[] = {"DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono", NULL};
    static const char *const styles[FACE_COUNT] = {":style=Book", ":weight=bold", ":slant=oblique", ""};
    Fonts *f = calloc(1, sizeof *f);
    if (!f) {
        cp_error_set(err, "out of memory opening fonts");
        return NULL;
    }
    if (!FcInit()) {
        cp_error_set(err, "fontconfig could not start");
        free(f);
        return NULL;
    }
    for (int face = 0; face < FACE_COUNT; face++) {
        const char *const *families = face == FACE_MONO ? mono : sans;
        int found = 0;
        for (const char *const *fam = families; *fam && !found; fam++) {
            char pattern[128];
            snprintf(pattern, sizeof pattern, "%s%s", *fam, styles[face]);
            found = find_face(pattern, families, f->path[face], sizeof f->path[face]);
        }
        if (!found && face != FACE_REGULAR) { /* fall back to the regular face */
            memcpy(f->path[face], f->path[FACE_REGULAR], sizeof f->path[face]);
            found = f->path[face][0] != '\0';
        }
        if (!found) {
            cp_error_set(err, "no usable font found (looked for DejaVu Sans, Noto Sans, "
                              "Liberation Sans): install fonts-dejavu-core");
            free(f);
            return NULL;
        }
    }
    return f;
}

void fonts_close(Fonts *f)
{
    if (!f) return;
    for (int i = 0; i < f->nopen; i++) TTF_CloseFont(f->open[i].font);
    free(f);
}

TTF_Font *fonts_get(Fonts *f, FontFace face, int px)
{
    for (int i = 0; i < f->nopen; i++)
        if (f->open[i].face == face && f->open[i].px == px) return f->open[i].font;
    TTF_Font *font = TTF_OpenFont(f->path[face], px);
    if (!font) return NULL;
    TTF_SetFontHinting(font, TTF_HINTING_LIGHT);
    int slot;
    if (f->nopen < FONT_CACHE) {
        slot = f->nopen++;
    } else {
        slot = f->next;
        f->next = (f->next + 1) % FONT_CACHE;
        TTF_CloseFont(f->open[slot].font);
    }
    f->open[slot] = (OpenFont){face, px, font};
    return font;
}

#include "window.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <string.h>

static int init_libs(CpError *err)
{
    if (!TTF_WasInit() && TTF_Init() != 0) {
        cp_error_set(err, "SDL_ttf could not start: %s", TTF_GetError());
        return -1;
    }
    int want = IMG_INIT_PNG;
    if ((IMG_Init(want) & want) != want) {
        cp_error_set(err, "SDL_image could not start PNG support: %s", IMG_GetError());
        return -1;
    }
    return 0;
}

/* Creates the Ui on w's renderer; on failure closes w. */
static int attach_ui(Window *w, CpError *err)
{
    w->ui = ui_create(w->ren, err);
    if (!w->ui) {
        window_close(w);
        return -1;
    }
    return 0;
}

/* HiDPI: renderer pixels per window point, which changes when the window moves
 * between screens. */
static void update_scale(Window *w)
{
    int ww, wh, pw, ph;
    SDL_GetWindowSize(w->win, &ww, &wh);
    SDL_GetRendererOutputSize(w->ren, &pw, &ph);
    if (ww > 0) ui_set_scale(w->ui, (float)pw / (float)ww, w->app->text_scale);
}

/* Long operations (an import) call this to keep the window painted and alive. */
static void redraw_now(void *ctx)
{
    Window *w = ctx;
    SDL_PumpEvents();
    int width, height;
    window_size(w, &width, &height);
    app_frame(w->app, w->ui, width, height);
    SDL_RenderPresent(w->ren);
}

int window_open(Window *w, App *app, int width, int height, int hidden, CpError *err)
{
    memset(w, 0, sizeof *w);
    w->app = app;
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) {
        cp_error_set(err, "cannot open a window: %s (is a display available? For headless use, "
                          "set SDL_VIDEODRIVER=dummy or use `coderprep screenshot`)", SDL_GetError());
        return -1;
    }
    if (init_libs(err) != 0) return -1;
    /* SDL's software renderer draws a frame in ~1.5 ms here and starts fast and small;
     * a GL renderer on a machine without a GPU (llvmpipe) costs ~100 MB and ~80 ms at
     * start. SDL_RENDER_DRIVER in the environment still picks another. */
    if (!SDL_GetHint(SDL_HINT_RENDER_DRIVER)) SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    /* ...and present through the window system's own framebuffer (X shared memory),
     * not through a GL texture, which would load the GL stack anyway */
    if (!SDL_GetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION)) SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI | (hidden ? SDL_WINDOW_HIDDEN : 0);
    w->win = SDL_CreateWindow("CoderPrep", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height, flags);
    if (!w->win) {
        cp_error_set(err, "cannot create the window: %s", SDL_GetError());
        return -1;
    }
    SDL_SetWindowMinimumSize(w->win, 640, 480);
    w->ren = SDL_CreateRenderer(w->win, -1, 0);
    if (!w->ren) w->ren = SDL_CreateRenderer(w->win, -1, SDL_RENDERER_SOFTWARE);
    if (!w->ren) {
        cp_error_set(err, "cannot create a renderer: %s", SDL_GetError());
        window_close(w);
        return -1;
    }
    if (attach_ui(w, err) != 0) return -1;
    update_scale(w);
    SDL_StartTextInput();
    app->redraw_now = redraw_now;
    app->redraw_ctx = w;
    return 0;
}

int window_open_offscreen(Window *w, App *app, int width, int height, CpError *err)
{
    memset(w, 0, sizeof *w);
    w->app = app;
    if (init_libs(err) != 0) return -1;
    w->surface = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!w->surface) {
        cp_error_set(err, "cannot create a %dx%d surface: %s", width, height, SDL_GetError());
        return -1;
    }
    w->ren = SDL_CreateSoftwareRenderer(w->surface);
    if (!w->ren) {
        cp_error_set(err, "cannot create the software renderer: %s", SDL_GetError());
        window_close(w);
        return -1;
    }
    return attach_ui(w, err);
}

void window_close(Window *w)
{
    ui_destroy(w->ui);
    if (w->ren) SDL_DestroyRenderer(w->ren);
    if (w->win) SDL_DestroyWindow(w->win);
    if (w->surface) SDL_FreeSurface(w->surface);
    memset(w, 0, sizeof *w);
}

void window_size(Window *w, int *width, int *height)
{
    if (w->surface) {
        *width = w->surface->w;
        *height = w->surface->h;
    } else {
        SDL_GetRendererOutputSize(w->ren, width, height);
    }
}

/* Draws frames until the UI is stable, without presenting. */
static void draw_frames(Window *w)
{
    int width, height;
    window_size(w, &width, &height);
    /* Immediate mode: a click handled in one pass shows in the next. Settle, with a
     * bound so a widget that always asks for more can't spin. */
    for (int pass = 0; pass < 4; pass++) {
        app_frame(w->app, w->ui, width, height);
        w->frames++;
        if (!ui_needs_frame(w->ui)) break;
    }
}

void window_draw(Window *w)
{
    draw_frames(w);
    SDL_RenderPresent(w->ren);
    w->presented++;
}

int window_pump(Window *w, int block)
{
    SDL_Event e;
    int got = 0;
    if (block) {
        if (!SDL_WaitEvent(&e)) return 0;
        got = 1;
    } else {
        got = SDL_PollEvent(&e);
    }
    int redraw = 0;
    while (got) {
        switch (e.type) {
        case SDL_QUIT: w->app->quit = 1; break;
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED || e.window.event == SDL_WINDOWEVENT_EXPOSED ||
                e.window.event == SDL_WINDOWEVENT_RESTORED || e.window.event == SDL_WINDOWEVENT_DISPLAY_CHANGED) {
                update_scale(w);
                redraw = 1;
            }
            break;
        case SDL_MOUSEMOTION:
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP:
        case SDL_MOUSEWHEEL:
        case SDL_KEYDOWN:
        case SDL_TEXTINPUT:
            ui_input(w->ui, &e);
            redraw = 1;
            break;
        default: break;
        }
        got = SDL_PollEvent(&e);
    }
    if (redraw || ui_needs_frame(w->ui)) window_draw(w);
    return w->app->quit;
}

void window_run(Window *w)
{
    window_draw(w);
    while (!window_pump(w, 1)) {
    }
}

int window_save_png(Window *w, const char *path, CpError *err)
{
    int width, height;
    window_size(w, &width, &height);
    SDL_Surface *s = w->surface;
    SDL_Surface *tmp = NULL;
    draw_frames(w); /* read back before presenting: after it the back buffer is undefined */
    if (!s) {
        tmp = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!tmp || SDL_RenderReadPixels(w->ren, NULL, SDL_PIXELFORMAT_ARGB8888, tmp->pixels, tmp->pitch) != 0) {
            cp_error_set(err, "cannot read the window's pixels: %s", SDL_GetError());
            SDL_FreeSurface(tmp);
            return -1;
        }
        s = tmp;
    }
    int rc = IMG_SavePNG(s, path);
    SDL_FreeSurface(tmp);
    if (w->win) SDL_RenderPresent(w->ren);
    if (rc != 0) {
        cp_error_set(err, "%s: cannot write PNG: %s", path, IMG_GetError());
        return -1;
    }
    return 0;
}

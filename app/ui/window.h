/* window.h - the trainer in a window, and off screen.
 *
 * The event loop blocks in SDL_WaitEvent: with nothing happening the process
 * sleeps (idle CPU ~ 0). After each batch of events it draws frames until the UI
 * is stable (immediate-mode widgets may need a second pass to show a change) and
 * presents once.
 */
#ifndef WINDOW_H
#define WINDOW_H

#include <SDL.h>

#include "app.h"
#include "ui.h"

typedef struct Window {
    SDL_Window *win;        /* NULL when off screen */
    SDL_Renderer *ren;
    SDL_Surface *surface;   /* off-screen target, NULL for a window */
    Ui *ui;
    App *app;
    int frames;             /* frames drawn so far */
    int presented;          /* frames presented */
} Window;

/* Initialises SDL video, SDL_ttf (idempotent) and opens a resizable window of w x h
 * points. hidden = 1 keeps it off the desktop (scripted runs). */
int window_open(Window *w, App *app, int width, int height, int hidden, CpError *err);
/* A software renderer drawing into a w x h pixel surface (screenshots, benches). */
int window_open_offscreen(Window *w, App *app, int width, int height, CpError *err);
void window_close(Window *w);

/* Handles events and redraws. block = 1 waits for the next event first. Returns 1
 * when the learner asked to quit. */
int window_pump(Window *w, int block);
/* Draws (settling) and presents one frame now. */
void window_draw(Window *w);
/* Runs until quit. */
void window_run(Window *w);
/* Writes what is on screen to a PNG. */
int window_save_png(Window *w, const char *path, CpError *err);
/* Output size in pixels. */
void window_size(Window *w, int *width, int *height);

#endif

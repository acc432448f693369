/* screens.h - one function per screen, called by app_frame inside the main area,
 * plus the small drawing helpers the screens share. Internal to app/ui. */
#ifndef SCREENS_H
#define SCREENS_H

#include "app.h"

void screen_profiles(App *app, Ui *ui, SDL_Rect area);
void screen_home(App *app, Ui *ui, SDL_Rect area);
void screen_learn(App *app, Ui *ui, SDL_Rect area);
void screen_lesson(App *app, Ui *ui, SDL_Rect area);
void screen_quiz(App *app, Ui *ui, SDL_Rect area);
void screen_settings(App *app, Ui *ui, SDL_Rect area);
void screen_problems(App *app, Ui *ui, SDL_Rect area);
void screen_database(App *app, Ui *ui, SDL_Rect area);
void screen_codebook(App *app, Ui *ui, SDL_Rect area);
void screen_cases(App *app, Ui *ui, SDL_Rect area);

/* Reading column: centred, at most max_pt design points wide, with margins. */
SDL_Rect screen_column(Ui *ui, SDL_Rect area, float max_pt);
/* Screen title with an optional subtitle; returns the y below it. */
int screen_title(Ui *ui, int x, int y, int w, const char *title, const char *subtitle);
/* A card background; returns the inner rectangle. */
SDL_Rect screen_card(Ui *ui, SDL_Rect r);
/* Refreshes per-track progress and "continue" data from the store. */
void screen_refresh_progress(App *app);
/* Stores a learner-visible message about a failed save. */
void screen_store_failed(App *app, const char *what, const CpError *err);

#endif

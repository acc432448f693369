/* app.h - the trainer's state and its screens, shared by the GUI, `screenshot`,
 * `play` and `bench`.
 *
 * App holds everything the screens need between frames (which screen, the open
 * lesson's scroll position, the quiz in progress). app_frame draws one frame with
 * the Ui and reacts to what the learner did in it; it never waits or presents:
 * the caller owns the window and the event loop.
 */
#ifndef APP_H
#define APP_H

#include <stdint.h>

#include "cases.h"
#include "codebook.h"
#include "content.h"
#include "quiz.h"
#include "store.h"
#include "ui.h"

typedef enum ScreenId {
    SCREEN_PROFILES,
    SCREEN_HOME,
    SCREEN_LEARN,
    SCREEN_LESSON,
    SCREEN_QUIZ,
    SCREEN_SETTINGS,
    SCREEN_PROBLEMS,
    SCREEN_DATABASE,   /* progress.db can't be used: explain and offer to move it aside */
    SCREEN_CODEBOOK,   /* the code dictionary: search, Tabular List, Alphabetic Index */
    SCREEN_CASES,      /* practice cases: choose, code the document, feedback, history */
    SCREEN_COUNT
} ScreenId;

const char *app_screen_name(ScreenId s);             /* "home" */
int app_screen_from_name(const char *name, ScreenId *out);

#define APP_PATH_MAX 1024
#define APP_MAX_PROFILES 32
#define APP_QUIZ_MAX_ITEMS 1000

typedef struct AppConfig {
    const char *content_root;   /* folder with content/, quizzes/, assets/ */
    const char *data_dir;       /* folder for progress.db */
    int move_aside_broken_db;   /* CLI agreed in advance to move a broken db aside */
    int read_only;              /* never write to the store (screenshots, benches) */
} AppConfig;

typedef struct LessonView {
    const Lesson *lesson;       /* NULL when none open */
    int scroll;                 /* reading position, pixels */
    int64_t opened_at;          /* Unix seconds, for time spent */
    int completed;              /* learner marked it complete (now or before) */
} LessonView;

typedef struct QuizView {
    const Quiz *quiz;           /* NULL when none open */
    int64_t attempt;            /* progress.db attempt id, 0 when read-only */
    int run[APP_QUIZ_MAX_ITEMS];/* item indexes asked in this round */
    int nrun;
    int pos;                    /* position in run */
    int result[APP_QUIZ_MAX_ITEMS]; /* per run position: -1 unanswered, 0 wrong, 1 right */
    QuizAnswer answer;          /* the current item's answer in progress */
    int checked;                /* the current answer was checked (feedback shown) */
    int correct;                /* verdict of the checked answer */
    int perm[ITEM_MAX_OPTIONS]; /* presentation order of options / rights / steps */
    int placed[ITEM_MAX_OPTIONS];/* ordering: steps placed so far (indexes), in order */
    int nplaced;
    int pick_left;              /* matching: left side waiting for its right, -1 none */
    float cursor_x, cursor_y;   /* hotspot keyboard cursor, image coordinates */
    uint32_t item_started_ms;   /* SDL ticks when the item was shown */
    int summary;                /* showing the end-of-round summary */
    int scroll;
    char error[512];            /* last save failure, shown until the next answer */
} QuizView;

#define BOOK_HITS 40
#define BOOK_HISTORY 64
#define BOOK_LINES 600

/* One line of the Tabular view: a code of the category's tree, indented. */
typedef struct BookLine {
    int depth;
    char code[CODE_MAX];
    char title[CODE_TITLE_MAX];
    int billable;
} BookLine;

typedef struct BookView {
    char query[128];              /* the search box */
    char searched[128];           /* query the hits belong to */
    SearchHit hits[BOOK_HITS];
    int nhits;
    int tab;                      /* 0 Tabular, 1 Index */
    char selected[CODE_MAX];      /* code shown in the Tabular view, "" none */
    CodeSystem system;
    int have_info;
    CodeInfo info;                /* of selected */
    BookLine *lines;              /* the selected code's category, as the book prints it */
    int nlines;
    char history[BOOK_HISTORY][CODE_MAX];
    int hpos, hlen;               /* position and length of the history */
    char index_path[256];         /* Index tab: "Main term, subterm" */
    char walked[256];
    IndexWalk walk;
    int results_scroll, page_scroll;
    char status[256];             /* "Copied E11.22" and errors */
    char return_lesson[STORE_ID_MAX]; /* opened from this lesson's code chip: Esc goes back */
    int return_scroll;            /* ... to this reading position */
    int return_case;              /* opened from a practice case: Esc goes back to it */
} BookView;

#define CASE_ENTRY_MAX 40       /* codes the answer panel holds */
#define CASE_SUGGEST 6          /* live suggestions under the code box */
#define CASE_PAST 30            /* past cases listed */

typedef enum CaseStage { CASE_STAGE_CHOOSE, CASE_STAGE_CODING, CASE_STAGE_FEEDBACK } CaseStage;

/* One past case in the history list. */
typedef struct CasePast {
    int64_t id;                   /* progress.db case_attempts id */
    char template_id[STORE_ID_MAX];
    char mode[16];
    int correct, max;
    int64_t submitted_at;
} CasePast;

typedef struct CaseView {
    CaseStage stage;
    CaseMode mode;
    char filter[32];              /* family, chapter number or topic of the mode */
    const CaseTemplate *tmpl;     /* the case being coded or reviewed */
    GeneratedCase *gen;           /* malloc'd: large */
    char codes[CASE_ENTRY_MAX][24]; /* the learner's list; the first ICD-10-CM code is the principal */
    int ncodes;
    char entry[32];               /* the code box */
    char pentry[32];              /* record cases: the principal diagnosis box */
    char searched[32];            /* entry the suggestions belong to */
    SearchHit hits[CASE_SUGGEST];
    int nhits;
    Finding findings[16];         /* live validation of the list */
    int nfindings;
    int dirty;                    /* list changed: validate again */
    CaseScore *score;             /* malloc'd: the verdicts shown in feedback */
    int64_t started_at;
    int64_t reviewing;            /* the stored attempt being reviewed, 0 for a fresh one */
    char status[512];             /* a save failure or a note about the mode */
    CasePast past[CASE_PAST];
    int npast;
    uint64_t draws;               /* cases drawn this session, mixed into the seed */
    int doc_scroll, answer_scroll, choose_scroll;
} CaseView;

typedef struct App {
    AppConfig cfg;
    char root[APP_PATH_MAX];      /* content root in use */
    char data_dir[APP_PATH_MAX];  /* data folder in use */
    char db_path[APP_PATH_MAX];   /* data_dir/progress.db */
    Content *content;             /* loaded lessons, quizzes, problems */
    Store *store;                 /* NULL when the db could not be opened */
    Codebook *codebook;           /* NULL when codes.db could not be opened */
    char codebook_error[CP_ERROR_MAX];
    BookView book;
    CaseLibrary *cases;           /* practice case templates (never NULL after app_open) */
    CaseView cv;
    StoreStatus db_status;        /* why not, when store is NULL */
    char db_error[CP_ERROR_MAX];
    char db_moved_to[APP_PATH_MAX];

    StoreProfile profiles[APP_MAX_PROFILES];
    size_t nprofiles;
    StoreProfile profile;         /* the learner studying; id 0 = none */
    char new_name[STORE_NAME_MAX];/* Profiles screen text box */
    char profile_error[CP_ERROR_MAX];

    ScreenId screen;
    ScreenId back;                /* where Esc / Back goes from a lesson or quiz */
    Track learn_track;            /* track selected on the Learn screen */
    int learn_scroll, home_scroll, problems_scroll, settings_scroll;
    LessonView lesson;
    QuizView quiz;

    ThemeId theme;
    float text_scale;             /* 0.8 .. 1.6 */
    int confirm_reset;            /* Settings: reset asked, waiting for confirmation */
    int settings_tab;             /* Settings: 0 appearance, 1 learners and data */
    int ask_profile;              /* ask who is studying at every start (shared computers) */
    char notice[256];             /* one-line message shown on Home / Settings */

    /* per-track numbers for Home and Learn, refreshed on navigation */
    int track_lessons[TRACK_COUNT], track_done[TRACK_COUNT];
    unsigned char *lesson_done;   /* per content lesson index: 1 = completed (malloc'd) */
    int quiz_best[256];           /* best correct per quiz index (-1 none) */
    StoreActivityKind last_kind;
    char last_id[STORE_ID_MAX];

    /* code dictionary import from Settings */
    char import_path[512];        /* files or a folder, separated by commas */
    char import_result[1024];     /* what the last import did, or why it failed */
    int importing;                /* an import is running (frames show its progress) */
    char import_what[300];
    double import_fraction;
    /* set by the window: draws and presents one frame now (long operations call it) */
    void (*redraw_now)(void *ctx);
    void *redraw_ctx;

    int quit;                     /* the learner asked to quit */
} App;

/* Loads content and opens progress.db. Fails (err) only when the content root is
 * unusable; a broken database leads to SCREEN_DATABASE instead. */
int app_open(App *app, const AppConfig *cfg, CpError *err);
void app_close(App *app);   /* records lesson time, closes the store */

/* Draws one frame into the Ui (between ui_begin and ui_end, which it calls). */
void app_frame(App *app, Ui *ui, int width, int height);

/* Navigation; arg is a lesson or quiz id for SCREEN_LESSON / SCREEN_QUIZ.
 * Returns 0, or -1 when arg names nothing. */
int app_go(App *app, ScreenId screen, const char *arg);

/* Shows a code in the code book (pushes it on the back/forward history). */
void app_book_show(App *app, const char *code);
/* Back (-1) or forward (+1) in the code book's history. */
void app_book_step(App *app, int delta);

/* Picks a learner (id from the store). */
int app_select_profile(App *app, int64_t id);

/* Makes app show the current quiz item with a correct answer checked (screenshots
 * of feedback views). */
void app_quiz_reveal(App *app);
/* Jumps the quiz to item position pos (screenshots). */
void app_quiz_goto(App *app, int pos);

/* Imports the official release files named in app->import_path (files or folders,
 * comma-separated), showing progress through redraw_now; the result goes to
 * app->import_result. */
void app_import_codes(App *app);

/* Starts a new round of the open quiz with the items missed in this one. */
void app_quiz_retry_missed(App *app);
/* Settings, saved in progress.db. Text scale is clamped to 0.8 .. 1.6. */
void app_set_text_scale(App *app, float s);
void app_set_theme(App *app, ThemeId t);
void app_set_ask_profile(App *app, int ask);

int64_t app_now(void);      /* Unix seconds */

/* ---- practice cases (app_cases.c) ---- */
/* Draws a case for mode (filter as cases_pick takes it) and opens it for coding.
 * Returns 0, -1 when no template matches (cv.status says so). */
int app_case_new(App *app, CaseMode mode, const char *filter);
/* Opens template id with seed for coding. -1 when there is no such template. */
int app_case_open(App *app, const char *id, uint64_t seed);
/* Adds a code (as typed) to the answer; ignores an empty one and a full list. */
void app_case_add(App *app, const char *code);
/* Record cases: code becomes the principal (first) diagnosis, replacing any other. */
void app_case_set_principal(App *app, const char *code);
void app_case_move(App *app, int index, int delta);   /* reorder; delta -1 up, +1 down */
void app_case_remove(App *app, int index);
/* Validates the list when it changed (live validation). */
void app_case_validate(App *app);
/* Scores the answer, saves the attempt (one transaction) and shows the feedback. */
void app_case_submit(App *app);
/* Reopens a stored attempt: the same case, the answer and the verdicts as scored. */
int app_case_review(App *app, int64_t attempt_id);
/* Fills the answer with the expected codes, then makes typical mistakes when
 * mistakes is set (screenshots and scripted tests). */
void app_case_fill_expected(App *app, int mistakes);
/* Refreshes the list of past cases from progress.db. */
void app_case_load_history(App *app);
void app_case_close(App *app);

#endif

/* cli.h - the command line: global options, where content and data live, and the
 * subcommands of the one `coderprep` binary. Exit codes: 0 success, 1 the command
 * ran and found a problem, 2 usage error or the command could not run. */
#ifndef CLI_H
#define CLI_H

#include "app.h"

typedef struct CliGlobal {
    char content_root[APP_PATH_MAX];  /* resolved content root */
    char data_dir[APP_PATH_MAX];      /* resolved data folder */
    int move_aside_broken_db;         /* --move-aside-broken-db */
    const char *argv0;
} CliGlobal;

/* Fills content_root (from --content-root, else found beside the executable, in
 * the source tree, or in the installed share folder) and data_dir (--data-dir,
 * CODERPREP_DATA_DIR, else the per-user folder SDL_GetPrefPath gives).
 * Returns 0, or -1 after printing why. */
int cli_resolve(CliGlobal *g, const char *content_root_opt, const char *data_dir_opt);

/* Parses "1280x800". */
int cli_parse_size(const char *s, int *w, int *h);

int cmd_gui(CliGlobal *g);
int cmd_import_codes(CliGlobal *g, int argc, char **argv);
int cmd_codes(CliGlobal *g, int argc, char **argv);
int cmd_code(CliGlobal *g, int argc, char **argv);
int cmd_search(CliGlobal *g, int argc, char **argv);
int cmd_index(CliGlobal *g, int argc, char **argv);
int cmd_validate(CliGlobal *g, int argc, char **argv);
/* Opens codes.db in the data folder, building the bundled dictionary when needed.
 * Prints why and returns -1 when it can't. */
struct Codebook;
int cli_open_codebook(CliGlobal *g, struct Codebook **cb, int quiet);
int cmd_case(CliGlobal *g, int argc, char **argv);
int cmd_score(CliGlobal *g, int argc, char **argv);
int cmd_check(CliGlobal *g, int argc, char **argv);
int cmd_screenshot(CliGlobal *g, int argc, char **argv);
int cmd_play(CliGlobal *g, int argc, char **argv);
int cmd_bench(CliGlobal *g, int argc, char **argv);
/* Hidden helper of `bench startup`: opens the GUI, presents one frame, prints the
 * monotonic time in nanoseconds and exits. */
int cmd_first_frame(CliGlobal *g, int argc, char **argv);

#endif

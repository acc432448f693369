/* main.c - `coderprep`: the GUI by default, subcommands for headless use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
    fputs("usage: coderprep [GLOBAL OPTIONS] [COMMAND [ARGS]]\n"
          "\n"
          "With no command, opens the trainer.\n"
          "\n"
          "Commands:\n"
          "  check                     validate all lessons, quizzes and case templates; exit 1 on any problem\n"
          "  screenshot --screen NAME [--arg ID] [--item N] [--reveal] [--size WxH]\n"
          "             [--theme light|dark|contrast] [--scroll PX] --out FILE.png\n"
          "                            render one screen to a PNG (no display needed)\n"
          "                            NAME: profiles home learn lesson quiz settings problems database codebook cases\n"
          "                            (cases: --arg TEMPLATE:SEED opens a case; --reveal scores a sample answer)\n"
          "  play SCRIPT.json          drive the trainer with scripted clicks, typing and keys\n"
          "  bench startup             first-frame time, lesson frame times, memory, idle CPU (JSON)\n"
          "  bench codes [--data DIR]  import, search and lookup speed on the official releases (JSON)\n"
          "  bench cases               cases generated and answers scored per second (JSON)\n"
          "  import-codes FILE... [--version FY] [--json]\n"
          "                            import an official ICD-10-CM / ICD-10-PCS / HCPCS release\n"
          "  codes versions [--json]   list installed code versions\n"
          "  codes use VERSION [--system S]\n"
          "                            switch the active version\n"
          "  code CODE [--system S] [--version V] [--json]\n"
          "                            a code's title, place in the hierarchy, notes, 7th characters\n"
          "  search QUERY [--system S] [--billable] [--limit N] [--json]\n"
          "  search --batch FILE [--limit N]\n"
          "                            ranked search by code, words, inclusion and index terms\n"
          "  index \"Term, subterm, ...\" [--json]\n"
          "                            walk the Alphabetic Index to a code\n"
          "  validate CODE... [--setting inpatient|outpatient] [--age N] [--sex F|M] [--json]\n"
          "                            check a code list (first = principal / first-listed)\n"
          "  case --list [--json]      the practice case templates\n"
          "  case --template ID [--seed N] [--count K] [--reveal] [--json]\n"
          "                            generate practice cases (expected codes with --reveal)\n"
          "  score --template ID --seed N --answer \"E11.22, N18.31\" [--procedures \"...\"] [--json]\n"
          "  score --batch FILE        score answers (JSON lines in, one result per line out)\n"
          "\n"
          "Global options:\n"
          "  --content-root DIR        folder with content/, quizzes/ and assets/\n"
          "  --data-dir DIR            folder for progress.db (also CODERPREP_DATA_DIR)\n"
          "  --move-aside-broken-db    if progress.db is damaged or too new, keep it under a\n"
          "                            timestamped name and start fresh\n"
          "  -h, --help                this help\n"
          "  --version                 print the version\n",
          out);
}

int main(int argc, char **argv)
{
    const char *root = NULL, *data = NULL;
    CliGlobal g;
    memset(&g, 0, sizeof g);
    g.argv0 = argv[0];
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--content-root") == 0 || strcmp(a, "--data-dir") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "coderprep: %s needs a folder\n", a);
                return 2;
            }
            if (a[2] == 'c') root = argv[++i];
            else data = argv[++i];
        } else if (strcmp(a, "--move-aside-broken-db") == 0) {
            g.move_aside_broken_db = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("coderprep %s\n", CODERPREP_VERSION);
            return 0;
        } else if (a[0] == '-') {
            /* global options may also follow the command; let the command see them */
            break;
        } else {
            break;
        }
    }
    const char *cmd = i < argc ? argv[i] : NULL;
    int sub_argc = cmd ? argc - i - 1 : 0;
    char **sub_argv = cmd ? argv + i + 1 : NULL;
    /* accept global options after the command too: coderprep check --content-root X */
    char **rest = calloc((size_t)sub_argc + 1, sizeof *rest);
    int nrest = 0;
    if (!rest) return 2;
    for (int k = 0; k < sub_argc; k++) {
        const char *a = sub_argv[k];
        if ((strcmp(a, "--content-root") == 0 || strcmp(a, "--data-dir") == 0) && k + 1 < sub_argc) {
            if (a[2] == 'c') root = sub_argv[++k];
            else data = sub_argv[++k];
        } else if (strcmp(a, "--move-aside-broken-db") == 0) {
            g.move_aside_broken_db = 1;
        } else {
            rest[nrest++] = sub_argv[k];
        }
    }
    int rc;
    if (cmd && (strcmp(cmd, "help") == 0)) {
        usage(stdout);
        rc = 0;
    } else if (cmd && cmd[0] == '-') {
        fprintf(stderr, "coderprep: unknown option %s (see coderprep --help)\n", cmd);
        rc = 2;
    } else if (cli_resolve(&g, root, data) != 0) {
        rc = 2;
    } else if (!cmd) {
        rc = cmd_gui(&g);
    } else if (strcmp(cmd, "check") == 0) {
        rc = cmd_check(&g, nrest, rest);
    } else if (strcmp(cmd, "screenshot") == 0) {
        rc = cmd_screenshot(&g, nrest, rest);
    } else if (strcmp(cmd, "play") == 0) {
        rc = cmd_play(&g, nrest, rest);
    } else if (strcmp(cmd, "bench") == 0) {
        rc = cmd_bench(&g, nrest, rest);
    } else if (strcmp(cmd, "import-codes") == 0) {
        rc = cmd_import_codes(&g, nrest, rest);
    } else if (strcmp(cmd, "codes") == 0) {
        rc = cmd_codes(&g, nrest, rest);
    } else if (strcmp(cmd, "code") == 0) {
        rc = cmd_code(&g, nrest, rest);
    } else if (strcmp(cmd, "search") == 0) {
        rc = cmd_search(&g, nrest, rest);
    } else if (strcmp(cmd, "index") == 0) {
        rc = cmd_index(&g, nrest, rest);
    } else if (strcmp(cmd, "validate") == 0) {
        rc = cmd_validate(&g, nrest, rest);
    } else if (strcmp(cmd, "case") == 0) {
        rc = cmd_case(&g, nrest, rest);
    } else if (strcmp(cmd, "score") == 0) {
        rc = cmd_score(&g, nrest, rest);
    } else if (strcmp(cmd, "__first-frame") == 0) {
        rc = cmd_first_frame(&g, nrest, rest);
    } else {
        fprintf(stderr, "coderprep: unknown command \"%s\" (see coderprep --help)\n", cmd);
        rc = 2;
    }
    free(rest);
    return rc;
}

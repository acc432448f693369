/* codebook_import.c - loading official CMS/CDC release files into codes.db.
 *
 * Fixed-width order files and the HCPCS table are read line by line; XML files are
 * streamed through expat with entity declarations and external entities refused,
 * so a hostile file can neither expand nor reach outside. Every element is checked
 * against the file type's vocabulary: an unexpected one stops the import with the
 * file, line and element. All of one import happens in one transaction.
 */
#include <ctype.h>
#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "codebook_internal.h"

typedef enum FileKind {
    F_UNKNOWN, F_CM_ORDER, F_CM_TABULAR, F_CM_INDEX, F_CM_EINDEX, F_CM_NEOPLASM, F_CM_DRUG,
    F_PCS_ORDER, F_PCS_TABLES, F_PCS_DEFS, F_HCPCS_TSV
} FileKind;

static const char *const KIND_LABEL[] = {
    "unknown", "ICD-10-CM order file", "ICD-10-CM Tabular List XML", "ICD-10-CM Alphabetic Index XML",
    "ICD-10-CM External Cause Index XML", "ICD-10-CM Table of Neoplasms XML", "ICD-10-CM Table of Drugs and Chemicals XML",
    "ICD-10-PCS order file", "ICD-10-PCS Tables XML", "ICD-10-PCS Definitions XML", "HCPCS Level II file (tab-separated)"};

typedef struct InFile {
    const char *path;
    FileKind kind;
    CodeSystem system;
    int fy;               /* fiscal year the file says (or its name says), 0 unknown */
    char release[16];     /* HCPCS "2025-10" */
    int from_content;     /* fy came from inside the file */
} InFile;

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* ------------------------------------------------------------------ recognising */

static int year_in(const char *s)
{
    for (; *s; s++)
        if (s[0] == '2' && s[1] == '0' && isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
            !isdigit((unsigned char)s[4]))
            return atoi(s);
    return 0;
}

static int order_line_ok(const char *l, size_t n)
{
    if (n < 17) return 0;
    for (int i = 0; i < 5; i++)
        if (!isdigit((unsigned char)l[i])) return 0;
    return l[5] == ' ' && isalnum((unsigned char)l[6]) && l[13] == ' ' && (l[14] == '0' || l[14] == '1') && l[15] == ' ';
}

static int sniff(InFile *f, CpError *err)
{
    char head[65536];
    FILE *fp = fopen(f->path, "rb");
    if (!fp) {
        cp_error_set(err, "%s: cannot open", f->path);
        return -1;
    }
    size_t n = fread(head, 1, sizeof head - 1, fp);
    fclose(fp);
    head[n] = '\0';
    f->kind = F_UNKNOWN;
    const char *p = head;
    if (n >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF) p += 3;
    if (*p == '<') {
        const char *ver = strstr(p, "<version>");
        if (ver) {
            f->fy = atoi(ver + 9);
            f->from_content = 1;
        }
        if (strstr(p, "<ICD10CM.tabular")) f->kind = F_CM_TABULAR;
        else if (strstr(p, "<ICD10PCS.tabular")) f->kind = F_PCS_TABLES;
        else if (strstr(p, "<ICD10PCS.definitions")) f->kind = F_PCS_DEFS;
        else if (strstr(p, "<ICD10CM.index")) {
            const char *h = strstr(p, "<head col=\"1\">");
            if (h && strncmp(h + 14, "Neoplasm", 8) == 0) f->kind = F_CM_NEOPLASM;
            else if (h && strncmp(h + 14, "Substance", 9) == 0) f->kind = F_CM_DRUG;
            else if (strstr(p, "EXTERNAL CAUSE")) f->kind = F_CM_EINDEX;
            else f->kind = F_CM_INDEX;
        }
    } else if (strncmp(p, "HCPC\t", 5) == 0) {
        f->kind = F_HCPCS_TSV;
        const char *b = base_name(f->path);
        int y = year_in(b);
        static const char *const mon[] = {"jan", "apr", "jul", "oct"};
        static const int mnum[] = {1, 4, 7, 10};
        int m = 0;
        for (int i = 0; i < 4; i++) {
            char lower[256];
            size_t k = 0;
            for (; b[k] && k + 1 < sizeof lower; k++) lower[k] = (char)tolower((unsigned char)b[k]);
            lower[k] = '\0';
            if (strstr(lower, mon[i])) m = mnum[i];
        }
        if (y && m) {
            snprintf(f->release, sizeof f->release, "%04d-%02d", y, m);
            f->fy = m >= 10 ? y + 1 : y; /* the fiscal year starts on October 1 */
        }
    } else {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (order_line_ok(p, len)) {
            f->kind = isdigit((unsigned char)p[6]) ? F_PCS_ORDER : F_CM_ORDER;
            f->fy = year_in(base_name(f->path));
        }
    }
    switch (f->kind) {
    case F_CM_ORDER: case F_CM_TABULAR: case F_CM_INDEX: case F_CM_EINDEX: case F_CM_NEOPLASM: case F_CM_DRUG:
        f->system = SYS_ICD10CM;
        break;
    case F_PCS_ORDER: case F_PCS_TABLES: case F_PCS_DEFS: f->system = SYS_ICD10PCS; break;
    case F_HCPCS_TSV: f->system = SYS_HCPCS; break;
    default:
        cp_error_set(err, "%s: not a release file CoderPrep can import (expected an ICD-10-CM or ICD-10-PCS order "
                          "file, ICD-10-CM tabular/index/neoplasm/drug/external-cause XML, ICD-10-PCS tables or "
                          "definitions XML, or the HCPCS Level II tab-separated file)", f->path);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ progress */

typedef struct Progress {
    CodebookProgressFn fn;
    void *user;
    char what[300];
    long size;
} Progress;

static void progress_start(Progress *pr, const InFile *f)
{
    struct stat st;
    pr->size = stat(f->path, &st) == 0 ? (long)st.st_size : 0;
    snprintf(pr->what, sizeof pr->what, "%s (%s)", base_name(f->path), KIND_LABEL[f->kind]);
    if (pr->fn) pr->fn(pr->user, pr->what, 0.0);
}

static void progress_at(Progress *pr, long pos)
{
    if (pr->fn && pr->size > 0) pr->fn(pr->user, pr->what, (double)pos / (double)pr->size);
}

/* ------------------------------------------------------------------ line files */

/* Puts "FILE:LINE: " in front of the message a writer left in err. */
static void at_line(CpError *err, const char *path, long line)
{
    char msg[CP_ERROR_MAX];
    snprintf(msg, sizeof msg, "%s", err->msg);
    cp_error_set(err, "%s:%ld: %s", path, line, msg);
}

#define LINE_MAX_LEN 8192

/* Reads one line into buf (without CR/LF). Returns 1 for a line, 0 at the end, -1
 * for an overlong line or a last line cut off without its line ending. */
static int read_line(FILE *fp, char *buf, size_t cap, size_t *len, int *missing_eol)
{
    if (!fgets(buf, (int)cap, fp)) return 0;
    size_t n = strlen(buf);
    *missing_eol = 0;
    if (n > 0 && buf[n - 1] == '\n') {
        buf[--n] = '\0';
    } else if (!feof(fp)) {
        return -1; /* longer than the buffer */
    } else {
        *missing_eol = 1;
    }
    if (n > 0 && buf[n - 1] == '\r') buf[--n] = '\0';
    *len = n;
    return 1;
}

static void trim_right(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
}

static int load_order_file(Writer *w, const InFile *f, Progress *pr, CpError *err)
{
    FILE *fp = fopen(f->path, "rb");
    if (!fp) {
        cp_error_set(err, "%s: cannot open", f->path);
        return -1;
    }
    char *line = malloc(LINE_MAX_LEN);
    char stack[8][CODE_MAX] = {{0}};
    int depth = 0, rc = -1, r, missing_eol = 0;
    long lineno = 0;
    size_t len;
    int cm = f->kind == F_CM_ORDER;
    if (!line) goto done;
    if (cm) /* chapters, so every category has a place even without the Tabular List */
        for (int ch = 1; ch <= 22; ch++) {
            char code[4], title[256];
            snprintf(code, sizeof code, "%d", ch);
            snprintf(title, sizeof title, "%s (%s)", cb_cm_chapter_title(ch), cb_cm_chapter_range(ch));
            if (writer_code(w, code, KIND_CHAPTER, 0, "", "", title, err) != 0) goto done;
        }
    while ((r = read_line(fp, line, LINE_MAX_LEN, &len, &missing_eol)) != 0) {
        lineno++;
        if (r < 0) {
            cp_error_set(err, "%s:%ld: line is longer than %d characters: not an order file line", f->path, lineno,
                         LINE_MAX_LEN - 2);
            goto done;
        }
        if (missing_eol && len > 0) {
            cp_error_set(err, "%s:%ld: the file ends in the middle of a line (cut off?); nothing was imported",
                         f->path, lineno);
            goto done;
        }
        if (len == 0) continue;
        if (!order_line_ok(line, len) || len < 78) {
            cp_error_set(err, "%s:%ld: expected the order-file layout (order number in columns 1-5, code in 7-13, "
                              "0/1 in 15, short title in 17-76, long title from 78)", f->path, lineno);
            goto done;
        }
        if (atol(line) != lineno) {
            cp_error_set(err, "%s:%ld: order number %.5s out of sequence (expected %05ld): lines missing or repeated",
                         f->path, lineno, line, lineno);
            goto done;
        }
        char code[CODE_MAX], short_t[64], title[LINE_MAX_LEN];
        memcpy(code, line + 6, 7);
        code[7] = '\0';
        trim_right(code);
        memcpy(short_t, line + 16, 60);
        short_t[60] = '\0';
        trim_right(short_t);
        snprintf(title, sizeof title, "%s", line + 77);
        trim_right(title);
        int billable = line[14] == '1';
        size_t clen = strlen(code);
        for (size_t i = 0; i < clen; i++)
            if (!isupper((unsigned char)code[i]) && !isdigit((unsigned char)code[i])) {
                cp_error_set(err, "%s:%ld: \"%s\" is not a code (letters and digits only)", f->path, lineno, code);
                goto done;
            }
        CodeKind kind;
        char parent[CODE_MAX] = "";
        if (cm) {
            if (clen < 3) {
                cp_error_set(err, "%s:%ld: \"%s\" is too short for an ICD-10-CM code", f->path, lineno, code);
                goto done;
            }
            while (depth > 0 && strncmp(code, stack[depth - 1], strlen(stack[depth - 1])) != 0) depth--;
            if (depth > 0) snprintf(parent, sizeof parent, "%s", stack[depth - 1]);
            else snprintf(parent, sizeof parent, "%d", cb_cm_chapter_of(code));
            kind = clen == 3 ? KIND_CATEGORY : billable ? KIND_CODE : KIND_SUBCATEGORY;
            if (depth < 8) snprintf(stack[depth++], CODE_MAX, "%s", code);
        } else {
            if (clen != 3 && clen != 7) {
                cp_error_set(err, "%s:%ld: \"%s\": ICD-10-PCS lines hold 3-character tables or 7-character codes",
                             f->path, lineno, code);
                goto done;
            }
            kind = clen == 3 ? KIND_TABLE : KIND_CODE;
            if (clen == 7) memcpy(parent, code, 3), parent[3] = '\0';
        }
        if (writer_code(w, code, kind, billable, parent, short_t, title, err) != 0) {
            at_line(err, f->path, lineno);
            goto done;
        }
        if ((lineno & 4095) == 0) progress_at(pr, ftell(fp));
    }
    if (lineno == 0) {
        cp_error_set(err, "%s: the file is empty", f->path);
        goto done;
    }
    rc = 0;
done:
    free(line);
    fclose(fp);
    return rc;
}

static void iso_date(const char *yyyymmdd, char out[16])
{
    out[0] = '\0';
    if (strlen(yyyymmdd) == 8) snprintf(out, 16, "%.4s-%.2s-%.2s", yyyymmdd, yyyymmdd + 4, yyyymmdd + 6);
}

static int load_hcpcs_tsv(Writer *w, const InFile *f, int64_t now, Progress *pr, CpError *err)
{
    FILE *fp = fopen(f->path, "rb");
    if (!fp) {
        cp_error_set(err, "%s: cannot open", f->path);
        return -1;
    }
    char *line = malloc(LINE_MAX_LEN * 2);
    int rc = -1, r, missing_eol;
    long lineno = 0;
    size_t len;
    int col_code = -1, col_rec = -1, col_long = -1, col_short = -1, col_add = -1, col_eff = -1, col_term = -1, ncols = 0;
    char today[16];
    time_t t = (time_t)now;
    struct tm tmv;
    gmtime_r(&t, &tmv);
    strftime(today, sizeof today, "%Y-%m-%d", &tmv);
    if (!line) goto done;
    while ((r = read_line(fp, line, LINE_MAX_LEN * 2, &len, &missing_eol)) != 0) {
        lineno++;
        if (r < 0) {
            cp_error_set(err, "%s:%ld: line is longer than %d characters", f->path, lineno, LINE_MAX_LEN * 2 - 2);
            goto done;
        }
        /* a cut-off last line shows as a wrong field count below */
        char *fields[64];
        int nf = 0;
        char *p = line;
        fields[nf++] = p;
        while ((p = strchr(p, '\t')) != NULL && nf < 64) {
            *p++ = '\0';
            fields[nf++] = p;
        }
        if (lineno == 1) {
            for (int i = 0; i < nf; i++) {
                if (!strcmp(fields[i], "HCPC")) col_code = i;
                else if (!strcmp(fields[i], "RECID")) col_rec = i;
                else if (!strcmp(fields[i], "LONG DESCRIPTION")) col_long = i;
                else if (!strcmp(fields[i], "SHORT DESCRIPTION")) col_short = i;
                else if (!strcmp(fields[i], "ADD DT")) col_add = i;
                else if (!strcmp(fields[i], "ACT EFF DT")) col_eff = i;
                else if (!strcmp(fields[i], "TERM DT")) col_term = i;
            }
            ncols = nf;
            if (col_code < 0 || col_rec < 0 || col_long < 0 || col_short < 0 || col_add < 0 || col_eff < 0 || col_term < 0) {
                cp_error_set(err, "%s:1: header lacks HCPC, RECID, LONG DESCRIPTION, SHORT DESCRIPTION, ADD DT, "
                                  "ACT EFF DT or TERM DT", f->path);
                goto done;
            }
            continue;
        }
        if (len == 0) continue;
        if (nf != ncols) {
            cp_error_set(err, "%s:%ld: %d fields, the header has %d (cut off or not tab-separated?)", f->path, lineno, nf, ncols);
            goto done;
        }
        char code[CODE_MAX];
        const char *c = fields[col_code];
        while (*c == ' ') c++;
        snprintf(code, sizeof code, "%s", c);
        trim_right(code);
        int rec = atoi(fields[col_rec]);
        size_t cl = strlen(code);
        if ((rec == 3 && cl != 5) || (rec == 7 && cl != 2) || (rec != 3 && rec != 7)) {
            cp_error_set(err, "%s:%ld: \"%s\" with RECID %s is neither a code (RECID 3, 5 characters) nor a modifier "
                              "(RECID 7, 2 characters)", f->path, lineno, code, fields[col_rec]);
            goto done;
        }
        char add[16], eff[16], term[16];
        iso_date(fields[col_add], add);
        iso_date(fields[col_eff], eff);
        iso_date(fields[col_term], term);
        /* a code is billable while its termination date has not passed */
        int billable = term[0] == '\0' || strcmp(term, today) >= 0;
        if (writer_code(w, code, rec == 7 ? KIND_MODIFIER : KIND_CODE, billable, "", fields[col_short],
                        fields[col_long], err) != 0 ||
            writer_dates(w, code, add, eff, term, err) != 0) {
            at_line(err, f->path, lineno);
            goto done;
        }
        if ((lineno & 1023) == 0) progress_at(pr, ftell(fp));
    }
    if (lineno < 2) {
        cp_error_set(err, "%s: no records after the header", f->path);
        goto done;
    }
    rc = 0;
done:
    free(line);
    fclose(fp);
    return rc;
}

/* ------------------------------------------------------------------ XML */

#define XML_DEPTH 48
#define TEXT_MAX (64 * 1024)

typedef struct Xml Xml;
typedef void (*XmlStart)(Xml *x, const char *name, const char **attrs);
typedef void (*XmlEnd)(Xml *x, const char *name, const char *text);

struct Xml {
    XML_Parser p;
    const InFile *f;
    Writer *w;
    CpError *err;
    int failed;
    const char *const *vocab;       /* allowed element names */
    char stack[XML_DEPTH][32];      /* open elements */
    size_t mark[XML_DEPTH];         /* where each open element's own text starts in text */
    int depth;
    char *text;                     /* character data of the open elements, innermost last */
    size_t tlen;
    char own[TEXT_MAX];             /* the ending element's own text, trimmed */
    XmlStart on_start;
    XmlEnd on_end;
    void *state;
};

static void xml_fail(Xml *x, const char *fmt, ...) CP_PRINTF(2, 3);
static void xml_fail(Xml *x, const char *fmt, ...)
{
    if (x->failed) return;
    x->failed = 1;
    char msg[CP_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cp_error_set(x->err, "%s:%lu: %s", x->f->path, (unsigned long)XML_GetCurrentLineNumber(x->p), msg);
    XML_StopParser(x->p, XML_FALSE);
}

static void wrap_err(Xml *x)
{
    /* a writer error (SQL) inside a handler: add the file and line */
    if (x->failed) return;
    char msg[CP_ERROR_MAX];
    snprintf(msg, sizeof msg, "%s", x->err->msg);
    xml_fail(x, "%s", msg);
}

static const char *parent_el(const Xml *x, int up)
{
    return x->depth - 1 - up >= 0 ? x->stack[x->depth - 1 - up] : "";
}

static int in_el(const Xml *x, const char *name)
{
    for (int i = 0; i < x->depth; i++)
        if (!strcmp(x->stack[i], name)) return 1;
    return 0;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    Xml *x = ud;
    if (x->failed) return;
    int known = 0;
    for (const char *const *v = x->vocab; *v; v++)
        if (!strcmp(*v, name)) known = 1;
    if (!known) {
        xml_fail(x, "unexpected element <%s> for this kind of file", name);
        return;
    }
    if (x->depth >= XML_DEPTH) {
        xml_fail(x, "elements nested deeper than expected at <%s>", name);
        return;
    }
    x->mark[x->depth] = x->tlen;
    snprintf(x->stack[x->depth++], sizeof x->stack[0], "%s", name);
    if (x->on_start) x->on_start(x, name, attrs);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    Xml *x = ud;
    if (x->failed) return;
    /* the element's own text (its children's text was cut off at their ends), trimmed */
    size_t start = x->mark[x->depth - 1];
    const char *t = x->text + start;
    size_t n = x->tlen - start;
    while (n > 0 && isspace((unsigned char)*t)) t++, n--;
    while (n > 0 && isspace((unsigned char)t[n - 1])) n--;
    memcpy(x->own, t, n);
    x->own[n] = '\0';
    if (x->on_end) x->on_end(x, name, x->own);
    x->depth--;
    x->tlen = start; /* a parent keeps only its own text */
    x->text[x->tlen] = '\0';
}

static void XMLCALL on_chars(void *ud, const XML_Char *s, int len)
{
    Xml *x = ud;
    if (x->failed || len <= 0) return;
    if (x->tlen + (size_t)len + 1 >= TEXT_MAX) {
        xml_fail(x, "text longer than 64 KB inside one element");
        return;
    }
    /* fold runs of white space: the XML's line breaks are layout, not content */
    for (int i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\r' || c == '\n' || c == '\t') c = ' ';
        if (c == ' ' && x->tlen > 0 && x->text[x->tlen - 1] == ' ') continue;
        x->text[x->tlen++] = c;
    }
    x->text[x->tlen] = '\0';
}

static void XMLCALL on_entity_decl(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                                   int value_len, const XML_Char *base, const XML_Char *system_id,
                                   const XML_Char *public_id, const XML_Char *notation)
{
    (void)is_param; (void)value; (void)value_len; (void)base; (void)system_id; (void)public_id; (void)notation;
    xml_fail(ud, "entity declaration \"%s\" refused: release files declare no entities", name);
}

static int XMLCALL on_external_entity(XML_Parser p, const XML_Char *context, const XML_Char *base,
                                      const XML_Char *system_id, const XML_Char *public_id)
{
    (void)p; (void)context; (void)base; (void)public_id; (void)system_id;
    return XML_STATUS_ERROR; /* never fetch or open anything a file points to */
}

static int parse_xml(Xml *x, Progress *pr)
{
    FILE *fp = fopen(x->f->path, "rb");
    if (!fp) {
        cp_error_set(x->err, "%s: cannot open", x->f->path);
        return -1;
    }
    x->text = malloc(TEXT_MAX);
    x->p = XML_ParserCreate(NULL);
    int rc = -1;
    if (!x->text || !x->p) {
        cp_error_set(x->err, "%s: out of memory", x->f->path);
        goto done;
    }
    x->text[0] = '\0';
    XML_SetUserData(x->p, x);
    XML_SetElementHandler(x->p, on_start, on_end);
    XML_SetCharacterDataHandler(x->p, on_chars);
    XML_SetEntityDeclHandler(x->p, on_entity_decl);
    XML_SetExternalEntityRefHandler(x->p, on_external_entity);
    XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
    char buf[65536];
    long total = 0;
    for (;;) {
        size_t n = fread(buf, 1, sizeof buf, fp);
        int last = n < sizeof buf;
        total += (long)n;
        if (XML_Parse(x->p, buf, (int)n, last) == XML_STATUS_ERROR) {
            if (!x->failed) {
                enum XML_Error code = XML_GetErrorCode(x->p);
                cp_error_set(x->err, "%s:%lu:%lu: XML error: %s%s", x->f->path,
                             (unsigned long)XML_GetCurrentLineNumber(x->p),
                             (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1, XML_ErrorString(code),
                             code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN
                                 ? " (the file ends early: cut off?)" : "");
            }
            goto done;
        }
        if (x->failed) goto done;
        progress_at(pr, total);
        if (last) break;
    }
    rc = 0;
done:
    if (x->p) XML_ParserFree(x->p);
    free(x->text);
    fclose(fp);
    return rc;
}

static const char *attr(const char **attrs, const char *name)
{
    for (int i = 0; attrs[i]; i += 2)
        if (!strcmp(attrs[i], name)) return attrs[i + 1];
    return NULL;
}

static void nodot(const char *in, char out[CODE_MAX])
{
    size_t n = 0;
    for (; *in && n + 1 < CODE_MAX; in++)
        if (*in != '.') out[n++] = *in;
    out[n] = '\0';
}

/* ---- Tabular List ---- */

static const char *const TABULAR_VOCAB[] = {
    "ICD10CM.tabular", "version", "introduction", "introSection", "title", "instruction", "note", "chapter",
    "name", "desc", "includes", "useAdditionalCode", "excludes1", "excludes2", "sectionIndex", "sectionRef",
    "section", "diag", "inclusionTerm", "codeFirst", "notes", "codeAlso", "sevenChrNote", "sevenChrDef",
    "extension", "visualImpairment", "visCategory", "heading", "visRange", "visMax", "visMin", "value", NULL};

typedef struct Tabular {
    char chapter[8];
    char section[16];
    char diag[XML_DEPTH][CODE_MAX]; /* open diag codes */
    int ndiag;
    int note_kind;                  /* open note container, -1 none */
    char ext;                       /* open extension's char */
    sqlite3_stmt *group, *reparent;
    int64_t notes, sevens;
} Tabular;

static int note_kind_of(const char *el)
{
    static const char *const names[NOTE_KIND_COUNT] = {"includes", "inclusionTerm", "excludes1", "excludes2",
                                                       "codeFirst", "useAdditionalCode", "codeAlso", "notes"};
    for (int i = 0; i < NOTE_KIND_COUNT; i++)
        if (!strcmp(el, names[i])) return i;
    if (!strcmp(el, "sevenChrNote")) return NOTE_NOTES;
    return -1;
}

static const char *note_owner(Xml *x)
{
    Tabular *t = x->state;
    if (t->ndiag > 0) return t->diag[t->ndiag - 1];
    if (in_el(x, "section")) return t->section;
    return t->chapter;
}

static void tab_start(Xml *x, const char *name, const char **attrs)
{
    Tabular *t = x->state;
    if (in_el(x, "introduction")) return;
    if (!strcmp(name, "section")) {
        const char *id = attr(attrs, "id");
        snprintf(t->section, sizeof t->section, "%s", id ? id : "");
    } else if (!strcmp(name, "diag")) {
        if (t->ndiag < XML_DEPTH) t->diag[t->ndiag++][0] = '\0';
    } else if (note_kind_of(name) >= 0) {
        t->note_kind = note_kind_of(name);
    } else if (!strcmp(name, "extension")) {
        const char *c = attr(attrs, "char");
        t->ext = c && c[0] && !c[1] ? c[0] : 0;
        if (!t->ext) xml_fail(x, "<extension> needs a one-character %s attribute", "char");
    }
}

static int upsert_group(Xml *x, const char *code, CodeKind kind, const char *parent, const char *title)
{
    Tabular *t = x->state;
    sqlite3_stmt *st = t->group;
    sqlite3_bind_int64(st, 1, x->w->version);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, ++x->w->seq);
    sqlite3_bind_int(st, 4, (int)kind);
    sqlite3_bind_text(st, 5, parent, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, title, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        cp_error_set(x->err, "%s", sqlite3_errmsg(x->w->cb->db));
        wrap_err(x);
        return -1;
    }
    return 0;
}

static void tab_end(Xml *x, const char *name, const char *text)
{
    Tabular *t = x->state;
    if (in_el(x, "introduction") || in_el(x, "visualImpairment")) return;
    const char *up = parent_el(x, 1);
    if (!strcmp(name, "name") && !strcmp(up, "chapter")) {
        snprintf(t->chapter, sizeof t->chapter, "%s", text);
    } else if (!strcmp(name, "desc") && !strcmp(up, "chapter")) {
        upsert_group(x, t->chapter, KIND_CHAPTER, "", text);
    } else if (!strcmp(name, "desc") && !strcmp(up, "section")) {
        upsert_group(x, t->section, KIND_SECTION, t->chapter, text);
    } else if (!strcmp(name, "name") && !strcmp(up, "diag") && t->ndiag > 0) {
        nodot(text, t->diag[t->ndiag - 1]);
        if (t->ndiag == 1 && t->section[0]) { /* a category: its section is its parent */
            sqlite3_stmt *st = t->reparent;
            sqlite3_bind_int64(st, 1, x->w->version);
            sqlite3_bind_text(st, 2, t->diag[0], -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 3, t->section, -1, SQLITE_TRANSIENT);
            sqlite3_step(st);
            sqlite3_reset(st);
        }
    } else if (!strcmp(name, "diag")) {
        if (t->ndiag > 0) t->ndiag--;
    } else if (!strcmp(name, "note") && t->note_kind >= 0 && *text) {
        /* one running number: a code may repeat a container (two useAdditionalCode
         * blocks), and the notes keep the Tabular's order across them */
        if (writer_note(x->w, note_owner(x), (NoteKind)t->note_kind, (int)t->notes++, text, x->err) != 0) wrap_err(x);
    } else if (note_kind_of(name) >= 0) {
        t->note_kind = -1;
    } else if (!strcmp(name, "extension") && t->ndiag > 0) {
        if (writer_seven(x->w, t->diag[t->ndiag - 1], t->ext, text, x->err) != 0) wrap_err(x);
        t->sevens++;
    }
}

static int load_tabular(Writer *w, const InFile *f, Progress *pr, CpError *err)
{
    Tabular t = {.note_kind = -1};
    Xml x = {.f = f, .w = w, .err = err, .vocab = TABULAR_VOCAB, .on_start = tab_start, .on_end = tab_end, .state = &t};
    int rc = -1;
    if (cb_prepare(w->cb, "INSERT INTO codes (version_id, code, seq, kind, billable, parent, title) "
                          "VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6) ON CONFLICT (version_id, code) DO UPDATE SET "
                          "title = excluded.title, parent = excluded.parent", &t.group, err) != 0 ||
        cb_prepare(w->cb, "UPDATE codes SET parent = ?3 WHERE version_id = ?1 AND code = ?2 AND kind = 2", &t.reparent,
                   err) != 0)
        goto done;
    rc = parse_xml(&x, pr);
    if (rc == 0 && t.notes == 0) {
        cp_error_set(err, "%s: no notes found: not a complete Tabular List", f->path);
        rc = -1;
    }
done:
    sqlite3_finalize(t.group);
    sqlite3_finalize(t.reparent);
    return rc;
}

/* ---- Alphabetic Index, External Cause Index, Neoplasm and Drug tables ---- */

static const char *const INDEX_VOCAB[] = {"ICD10CM.index", "version", "title", "letter", "mainTerm", "term", "nemod",
                                          "code", "manif", "see", "seeAlso", "seecat", "subcat", "indexHeading",
                                          "head", "cell", NULL};

typedef struct Pending {
    int64_t id;                    /* > 0 once written */
    int level;
    char title[1024], nemod[512], code[32], manif[32], see[512], see_also[512];
    char cells[10][32];
} Pending;

typedef struct Index {
    int kind;                      /* 0 index, 1 external causes, 2 neoplasm, 3 drug */
    Pending stack[16];
    int depth;
    char heads[10][96];
    int cell_col;
} Index;

/* "Main term, subterm, subterm" down to p (which is on ix->stack). */
static void term_path(const Index *ix, const Pending *p, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < ix->depth && n < cap; i++) {
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? ", " : "", ix->stack[i].title);
        if (&ix->stack[i] == p) break;
    }
}

static int flush_term(Xml *x, Pending *p, int64_t parent)
{
    Index *ix = x->state;
    if (p->id > 0) return 0;
    char path[2048];
    term_path(ix, p, path, sizeof path);
    p->id = writer_term(x->w, parent, ix->kind, p->level, p->title, p->nemod, p->code, p->manif, p->see,
                        p->see_also, path, x->err);
    if (p->id < 0) {
        wrap_err(x);
        return -1;
    }
    /* table rows: one child per column that holds a code, titled by the column */
    for (int c = 2; c < 10; c++) {
        const char *code = p->cells[c];
        if (!code[0] || !strcmp(code, "-") || !strcmp(code, "--")) continue;
        char cell_path[2200];
        snprintf(cell_path, sizeof cell_path, "%s, %s", path, ix->heads[c]);
        if (writer_term(x->w, p->id, ix->kind, p->level + 1, ix->heads[c], NULL, code, NULL, NULL, NULL, cell_path,
                        x->err) < 0) {
            wrap_err(x);
            return -1;
        }
    }
    return 0;
}

static void ix_start(Xml *x, const char *name, const char **attrs)
{
    Index *ix = x->state;
    if (!strcmp(name, "mainTerm") || !strcmp(name, "term")) {
        if (ix->depth > 0) {
            Pending *up = &ix->stack[ix->depth - 1];
            if (flush_term(x, up, ix->depth > 1 ? ix->stack[ix->depth - 2].id : 0) != 0) return;
        }
        if (ix->depth >= 16) {
            xml_fail(x, "index terms nested deeper than 16 levels");
            return;
        }
        Pending *p = &ix->stack[ix->depth++];
        memset(p, 0, sizeof *p);
        const char *lv = attr(attrs, "level");
        p->level = lv ? atoi(lv) : 0;
    } else if (!strcmp(name, "cell") || !strcmp(name, "head")) {
        const char *col = attr(attrs, "col");
        ix->cell_col = col ? atoi(col) : -1;
        if (ix->cell_col < 1 || ix->cell_col > 9) xml_fail(x, "<%s> needs a col attribute from 1 to 9", name);
    }
}

static void ix_end(Xml *x, const char *name, const char *text)
{
    Index *ix = x->state;
    Pending *p = ix->depth > 0 ? &ix->stack[ix->depth - 1] : NULL;
    const char *up = parent_el(x, 1);
    if (!strcmp(name, "head") && ix->cell_col > 0) {
        snprintf(ix->heads[ix->cell_col], sizeof ix->heads[0], "%s", text);
    } else if (!p) {
        return; /* letter titles, the file's title, version */
    } else if (!strcmp(name, "nemod")) {
        snprintf(p->nemod, sizeof p->nemod, "%s", text);
    } else if (!strcmp(name, "title") && (!strcmp(up, "mainTerm") || !strcmp(up, "term"))) {
        snprintf(p->title, sizeof p->title, "%s", text);
    } else if (!strcmp(name, "code")) {
        snprintf(p->code, sizeof p->code, "%s", text);
    } else if (!strcmp(name, "manif")) {
        snprintf(p->manif, sizeof p->manif, "%s", text);
    } else if (!strcmp(name, "see")) {
        snprintf(p->see, sizeof p->see, "%s", text);
    } else if (!strcmp(name, "seeAlso")) {
        snprintf(p->see_also, sizeof p->see_also, "%s", text);
    } else if (!strcmp(name, "seecat") || !strcmp(name, "subcat")) {
        /* "see category M01": an incomplete code to finish in the Tabular List */
        snprintf(p->code, sizeof p->code, "%s%s", text, strchr(text, '.') ? "-" : ".-");
    } else if (!strcmp(name, "cell") && ix->cell_col > 0) {
        snprintf(p->cells[ix->cell_col], sizeof p->cells[0], "%s", text);
    } else if (!strcmp(name, "mainTerm") || !strcmp(name, "term")) {
        flush_term(x, p, ix->depth > 1 ? ix->stack[ix->depth - 2].id : 0);
        ix->depth--;
    }
}

static int load_index(Writer *w, const InFile *f, Progress *pr, CpError *err)
{
    Index ix = {0};
    ix.kind = f->kind == F_CM_INDEX ? 0 : f->kind == F_CM_EINDEX ? 1 : f->kind == F_CM_NEOPLASM ? 2 : 3;
    Xml x = {.f = f, .w = w, .err = err, .vocab = INDEX_VOCAB, .on_start = ix_start, .on_end = ix_end, .state = &ix};
    int64_t before = w->terms;
    if (parse_xml(&x, pr) != 0) return -1;
    if (w->terms == before) {
        cp_error_set(err, "%s: no index terms found", f->path);
        return -1;
    }
    return 0;
}

/* ---- PCS tables and definitions ---- */

static const char *const PCS_TABLE_VOCAB[] = {"ICD10PCS.tabular", "version", "title", "pcsTable", "axis", "label",
                                              "definition", "pcsRow", NULL};

typedef struct PcsTables {
    char values[4];              /* axes 1-3 of the current table */
    char labels[4][128];
    char definition[2048];
    int row;                     /* current row number, 0 = table axes */
    int pos;                     /* current axis */
    char label_code;
    int in_row;
    int table_written;
    int64_t rows;
} PcsTables;

static void pcs_table_flush(Xml *x, PcsTables *t)
{
    if (t->table_written) return;
    char table[4] = {t->values[1], t->values[2], t->values[3], '\0'};
    for (int pos = 1; pos <= 3; pos++)
        if (writer_pcs_axis(x->w, table, 0, pos, t->values[pos], t->labels[pos], pos == 3 ? t->definition : NULL,
                            x->err) != 0) {
            wrap_err(x);
            return;
        }
    t->table_written = 1;
}

static void pt_start(Xml *x, const char *name, const char **attrs)
{
    PcsTables *t = x->state;
    if (!strcmp(name, "pcsTable")) {
        memset(t, 0, sizeof *t);
    } else if (!strcmp(name, "pcsRow")) {
        pcs_table_flush(x, t);
        t->in_row = 1;
        t->row++;
        t->rows++;
    } else if (!strcmp(name, "axis")) {
        const char *pos = attr(attrs, "pos");
        t->pos = pos ? atoi(pos) : 0;
        if (t->pos < 1 || t->pos > 7) xml_fail(x, "<axis> needs pos 1 to 7, found %s", pos ? pos : "none");
    } else if (!strcmp(name, "label")) {
        const char *c = attr(attrs, "code");
        t->label_code = c && c[0] && !c[1] ? c[0] : 0;
        if (!t->label_code) xml_fail(x, "<label> needs a one-character %s attribute", "code");
    }
}

static void pt_end(Xml *x, const char *name, const char *text)
{
    PcsTables *t = x->state;
    if (!strcmp(name, "label") && t->pos >= 1) {
        if (!t->in_row && t->pos <= 3) {
            t->values[t->pos] = t->label_code;
            snprintf(t->labels[t->pos], sizeof t->labels[0], "%s", text);
        } else if (t->in_row) {
            char table[4] = {t->values[1], t->values[2], t->values[3], '\0'};
            if (writer_pcs_axis(x->w, table, t->row, t->pos, t->label_code, text, NULL, x->err) != 0) wrap_err(x);
        }
    } else if (!strcmp(name, "definition") && !t->in_row) {
        snprintf(t->definition, sizeof t->definition, "%s", text);
    } else if (!strcmp(name, "pcsRow")) {
        t->in_row = 0;
    } else if (!strcmp(name, "pcsTable")) {
        pcs_table_flush(x, t);
    }
}

static int load_pcs_tables(Writer *w, const InFile *f, Progress *pr, CpError *err)
{
    PcsTables t = {0};
    Xml x = {.f = f, .w = w, .err = err, .vocab = PCS_TABLE_VOCAB, .on_start = pt_start, .on_end = pt_end, .state = &t};
    return parse_xml(&x, pr);
}

static const char *const PCS_DEF_VOCAB[] = {"ICD10PCS.definitions", "version", "title", "section", "axis", "terms",
                                            "definition", "explanation", "includes", "deviceAggregation",
                                            "aggregate", "device", "operation", "bodySys", "parent", NULL};

typedef struct PcsDefs {
    char section[4];
    int pos;
    char term[256], definition[2048], explanation[2048], includes[4096];
    sqlite3_stmt *ins;
} PcsDefs;

static void pd_start(Xml *x, const char *name, const char **attrs)
{
    PcsDefs *d = x->state;
    if (!strcmp(name, "section")) {
        const char *c = attr(attrs, "code");
        snprintf(d->section, sizeof d->section, "%s", c ? c : "");
    } else if (!strcmp(name, "axis")) {
        const char *p = attr(attrs, "pos");
        d->pos = p ? atoi(p) : 0;
    } else if (!strcmp(name, "terms")) {
        d->term[0] = d->definition[0] = d->explanation[0] = d->includes[0] = '\0';
    }
}

static void pd_end(Xml *x, const char *name, const char *text)
{
    PcsDefs *d = x->state;
    if (in_el(x, "deviceAggregation")) return;
    const char *up = parent_el(x, 1);
    if (!strcmp(up, "terms")) {
        if (!strcmp(name, "title")) snprintf(d->term, sizeof d->term, "%s", text);
        else if (!strcmp(name, "definition")) snprintf(d->definition, sizeof d->definition, "%s", text);
        else if (!strcmp(name, "explanation")) snprintf(d->explanation, sizeof d->explanation, "%s", text);
        else if (!strcmp(name, "includes")) {
            size_t n = strlen(d->includes);
            snprintf(d->includes + n, sizeof d->includes - n, "%s%s", n ? "; " : "", text);
        }
    } else if (!strcmp(name, "terms") && d->term[0]) {
        sqlite3_stmt *st = d->ins;
        sqlite3_bind_int64(st, 1, x->w->version);
        sqlite3_bind_text(st, 2, d->section, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 3, d->pos);
        sqlite3_bind_text(st, 4, d->term, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, d->definition, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 6, d->explanation, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 7, d->includes, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) {
            cp_error_set(x->err, "%s", sqlite3_errmsg(x->w->cb->db));
            wrap_err(x);
        }
        sqlite3_reset(st);
    }
}

static int load_pcs_defs(Writer *w, const InFile *f, Progress *pr, CpError *err)
{
    PcsDefs d = {0};
    Xml x = {.f = f, .w = w, .err = err, .vocab = PCS_DEF_VOCAB, .on_start = pd_start, .on_end = pd_end, .state = &d};
    if (cb_prepare(w->cb, "INSERT OR REPLACE INTO pcs_definitions (version_id, section, pos, term, definition, "
                          "explanation, includes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &d.ins, err) != 0)
        return -1;
    int rc = parse_xml(&x, pr);
    sqlite3_finalize(d.ins);
    return rc;
}

/* ------------------------------------------------------------------ import */

static int rank(FileKind k)
{
    /* the order file (or HCPCS table) first: the others add to its codes */
    return (k == F_CM_ORDER || k == F_PCS_ORDER || k == F_HCPCS_TSV) ? 0 : 1;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int codebook_import(Codebook *cb, const char *const *files, int nfiles, const char *version_override, int64_t now,
                    CodebookProgressFn progress, void *user, ImportSummary *out, int *nout, CpError *err)
{
    *nout = 0;
    if (nfiles <= 0) {
        cp_error_set(err, "no files to import");
        return -1;
    }
    InFile *in = calloc((size_t)nfiles, sizeof *in);
    if (!in) {
        cp_error_set(err, "out of memory");
        return -1;
    }
    int override_fy = 0, rc = -1;
    if (version_override) {
        const char *d = version_override;
        if ((d[0] == 'F' || d[0] == 'f') && (d[1] == 'Y' || d[1] == 'y')) d += 2;
        override_fy = atoi(d);
        if (override_fy < 2015 || override_fy > 2100) {
            cp_error_set(err, "--version %s: expected a fiscal year such as FY2026", version_override);
            goto done;
        }
    }
    for (int i = 0; i < nfiles; i++) {
        in[i].path = files[i];
        if (sniff(&in[i], err) != 0) goto done;
        if (override_fy) {
            if (in[i].from_content && in[i].fy != override_fy) {
                cp_error_set(err, "%s says it is FY%d, not FY%d as --version asks", files[i], in[i].fy, override_fy);
                goto done;
            }
            in[i].fy = override_fy;
        }
        if (!in[i].fy) {
            cp_error_set(err, "%s: cannot tell which fiscal year this %s is (its name has no year): pass --version FY",
                         files[i], KIND_LABEL[in[i].kind]);
            goto done;
        }
        for (int k = 0; k < i; k++) {
            if (in[k].fy != in[i].fy) {
                cp_error_set(err, "%s is FY%d but %s is FY%d: one import holds one release (import them separately)",
                             files[k], in[k].fy, files[i], in[i].fy);
                goto done;
            }
            if (in[k].kind == in[i].kind) {
                cp_error_set(err, "%s and %s are both a %s: give each file once", files[k], files[i], KIND_LABEL[in[i].kind]);
                goto done;
            }
        }
    }
    /* each system needs its base file */
    for (int s = 0; s < SYS_COUNT; s++) {
        int used = 0, base = 0;
        for (int i = 0; i < nfiles; i++)
            if ((int)in[i].system == s) {
                used = 1;
                if (rank(in[i].kind) == 0) base = 1;
            }
        if (used && !base) {
            cp_error_set(err, "an %s import needs its order file (icd10%s_order_YYYY.txt): the XML files add notes, "
                              "indexes and tables to its codes", codebook_system_name((CodeSystem)s),
                         s == SYS_ICD10CM ? "cm" : "pcs");
            goto done;
        }
    }
    if (cb_begin(cb, err) != 0) goto done;
    for (int s = 0; s < SYS_COUNT; s++) {
        char names[512] = "", label[16], release[16] = "";
        int used = 0;
        for (int i = 0; i < nfiles; i++)
            if ((int)in[i].system == s) {
                size_t n = strlen(names);
                snprintf(names + n, sizeof names - n, "%s%s", n ? ", " : "", base_name(in[i].path));
                snprintf(label, sizeof label, "FY%d", in[i].fy);
                if (in[i].release[0]) snprintf(release, sizeof release, "%s", in[i].release);
                used = 1;
            }
        if (!used) continue;
        double t0 = now_seconds();
        Writer w;
        if (writer_begin(cb, &w, (CodeSystem)s, label, "official", release, names, now, err) != 0) {
            writer_free(&w);
            goto rollback;
        }
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i < nfiles; i++) {
                if ((int)in[i].system != s || rank(in[i].kind) != pass) continue;
                Progress pr = {progress, user, "", 0};
                progress_start(&pr, &in[i]);
                int r;
                switch (in[i].kind) {
                case F_CM_ORDER:
                case F_PCS_ORDER: r = load_order_file(&w, &in[i], &pr, err); break;
                case F_HCPCS_TSV: r = load_hcpcs_tsv(&w, &in[i], now, &pr, err); break;
                case F_CM_TABULAR: r = load_tabular(&w, &in[i], &pr, err); break;
                case F_PCS_TABLES: r = load_pcs_tables(&w, &in[i], &pr, err); break;
                case F_PCS_DEFS: r = load_pcs_defs(&w, &in[i], &pr, err); break;
                default: r = load_index(&w, &in[i], &pr, err); break;
                }
                if (r != 0) {
                    writer_free(&w);
                    goto rollback;
                }
            }
        if (progress) progress(user, "building the search index", 1.0);
        if (writer_finish(&w, 1, err) != 0) {
            writer_free(&w);
            goto rollback;
        }
        if (*nout < SYS_COUNT) {
            ImportSummary *sum = &out[(*nout)++];
            sum->system = (CodeSystem)s;
            snprintf(sum->version, sizeof sum->version, "%s", label);
            sum->codes = w.codes;
            sum->billable = w.billable;
            sum->headers = w.headers;
            sum->index_terms = w.terms;
            sum->seconds = now_seconds() - t0;
        }
        writer_free(&w);
    }
    if (cb_commit(cb, err) != 0) goto rollback;
    rc = 0;
    goto done;
rollback:
    cb_rollback(cb);
    *nout = 0;
done:
    free(in);
    return rc;
}

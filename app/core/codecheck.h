/* codecheck.h - checking the codes that lessons and quizzes name against the code
 * dictionary: every [[CODE]] must exist, and every expected answer of a code-entry
 * item must be a code that can be reported (billable, or a valid PCS / HCPCS code). */
#ifndef CODECHECK_H
#define CODECHECK_H

#include "codebook.h"
#include "content.h"

/* Appends a problem to c for each code that fails, located in its file
 * (FILE:LINE:COL). Returns the number of problems added, -1 on error. */
int codecheck_content(Content *c, Codebook *cb, CpError *err);

#endif

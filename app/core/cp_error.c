#include "cp_error.h"

#include <stdarg.h>
#include <stdio.h>

void cp_error_set(CpError *err, const char *fmt, ...)
{
    va_list ap;
    if (!err) return;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

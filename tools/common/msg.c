/* Where the tools' messages go: informational lines, the library's debug log, errors. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/tool.h"

FILE *tool_info;
const char *tool_progname = "keel";

int tool_open_logfile(const char *path)
{
  FILE *f = fopen(path, "a");
  if (f == NULL) {
    tool_error("cannot open log file %s: %s", path, strerror(errno));
    return -1;
  }
  setvbuf(f, NULL, _IOLBF, 0);
  tool_info = f;
  return 0;
}

static void log_to_stderr(int level, const char *text)
{
  /* The library's lines end with their own newline. */
  fprintf(stderr, "|<%d>| %s", level, text);
}

void tool_set_debug(int level)
{
  gnutls_global_set_log_function(log_to_stderr);
  gnutls_global_set_log_level(level);
}

void tool_error(const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "%s: ", tool_progname);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

long tool_parse_number(const char *text, long min, long max)
{
  char *end;
  long v;
  errno = 0;
  v = strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
    return -1;
  return v;
}

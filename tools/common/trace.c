/* --trace: a ladder diagram on stderr of every handshake message seen by the
 * handshake hook, in both directions, with milliseconds since the TCP connect. */
#include <stdarg.h>
#include <string.h>

#include "common/tool.h"

#define LADDER_WIDTH 34 /* characters between "client " and " server" */

double tool_ms_since(const struct timespec *t0)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - t0->tv_sec) * 1e3 + (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
}

static void ladder_line(struct tool_trace *t, int rightward, const char *label, size_t size)
{
  char mid[LADDER_WIDTH + 1];
  size_t n = strlen(label), i;

  if (n > LADDER_WIDTH - 8)
    n = LADDER_WIDTH - 8;
  memset(mid, '-', LADDER_WIDTH);
  mid[LADDER_WIDTH] = '\0';
  memcpy(mid + 5, label, n);
  mid[4] = ' ';
  mid[5 + n] = ' ';
  if (rightward) {
    mid[LADDER_WIDTH - 1] = '>';
  } else {
    mid[0] = '<';
  }
  for (i = 0; i < LADDER_WIDTH; i++)
    if (mid[i] == '\0')
      mid[i] = '-';
  fprintf(stderr, "%s%7.1f ms  client %s  server  (%zu bytes)\n", t->tag, tool_ms_since(&t->t0),
          mid, size);
}

static int trace_hook(gnutls_session_t s, unsigned int htype, unsigned when,
                      unsigned int incoming, const gnutls_datum_t *msg)
{
  struct tool_trace *t = gnutls_session_get_ptr(s);
  const char *name = gnutls_handshake_description_get_name(htype);

  (void)when;
  if (t == NULL)
    return 0;
  /* RFC 8446 4.6.3: the one byte says whether the peer must answer with its own update. */
  if (htype == GNUTLS_HANDSHAKE_KEY_UPDATE && msg != NULL && msg->size == 1)
    name = msg->data[0] == 1 ? "KeyUpdate(requested)" : "KeyUpdate(not requested)";
  /* incoming means "from the peer": left-to-right is always client to server. */
  ladder_line(t, t->is_client ? !incoming : (int)incoming, name != NULL ? name : "(unknown message)",
              msg != NULL ? msg->size : 0);
  return 0;
}

void tool_trace_begin(struct tool_trace *t, gnutls_session_t s, int is_client, const char *tag)
{
  t->is_client = is_client;
  if (tag != t->tag)
    snprintf(t->tag, sizeof t->tag, "%s", tag != NULL ? tag : "");
  gnutls_handshake_set_hook_function(s, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_POST, trace_hook);
}

void tool_trace_negotiated(struct tool_trace *t, gnutls_session_t s, const char *what)
{
  char *desc = gnutls_session_get_desc(s);
  fprintf(stderr, "%s%7.1f ms  ==== %s: %s, %s, group %s\n", t->tag, tool_ms_since(&t->t0), what,
          tool_version_name(s), tool_cipher_name(s), tool_group_name(s));
  fprintf(stderr, "%s%7.1f ms  ==== %s\n", t->tag, tool_ms_since(&t->t0),
          desc != NULL ? desc : "(no description)");
  gnutls_free(desc);
}

void tool_trace_note(struct tool_trace *t, const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "%s%7.1f ms  .... ", t->tag, tool_ms_since(&t->t0));
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

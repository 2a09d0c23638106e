/* Code shared by keel-cli and keel-serv: messages and logging, credentials, session
 * information, sockets and the --trace ladder. Only public gnutls_* API is used here. */
#ifndef KEEL_TOOL_H
#define KEEL_TOOL_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include <gnutls/gnutls.h>

/* The Makefile passes the library's version; a build against GnuTLS has none. */
#ifdef KEEL_VERSION
#define TOOL_VERSION KEEL_VERSION
#else
#define TOOL_VERSION "0.1.0"
#endif

/* Exit codes shared by both tools. */
enum { TOOL_EXIT_OK = 0, TOOL_EXIT_FAIL = 1, TOOL_EXIT_USAGE = 2 };

/* ---- messages ---- */

/* Informational "- ..." and "*** ..." lines go here: stdout, or the --logfile. */
extern FILE *tool_info;
extern const char *tool_progname;

int tool_open_logfile(const char *path);
/* -d N: route the library's log to stderr at level N. */
void tool_set_debug(int level);
/* One line "<prog>: <message>" on stderr. */
void tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parses a decimal number in [min, max]; -1 on failure. */
long tool_parse_number(const char *text, long min, long max);

/* ---- credentials ---- */

extern const char tool_demo_cert_pem[];
extern const char tool_demo_key_pem[];

/* Each prints one line naming the file and the library's reason, and returns -1, on failure. */
int tool_load_key_pair(gnutls_certificate_credentials_t cred, const char *certfile,
                       const char *keyfile);
int tool_load_demo_identity(gnutls_certificate_credentials_t cred);
int tool_load_trust_file(gnutls_certificate_credentials_t cred, const char *cafile);
/* DH parameters (PKCS#3 PEM) from file, or RFC 7919 ffdhe2048 when file is NULL. */
int tool_load_dh_params(gnutls_dh_params_t *dh, const char *file);
/* Checks a priority string once at start-up, reporting where it is wrong. */
int tool_check_priority(const char *priority);

/* ---- session information ---- */

/* "TLS1.3", "X25519", ...: never NULL. */
const char *tool_version_name(gnutls_session_t s);
const char *tool_group_name(gnutls_session_t s);
const char *tool_cipher_name(gnutls_session_t s);
/* The lines gnutls-cli and gnutls-serv print after a handshake ("- Description: ..."),
 * each after prefix. */
void tool_print_session_info(FILE *out, const char *prefix, gnutls_session_t s, int verbose);
/* "<prefix>*** Received alert [N]: Name" */
void tool_print_alert(FILE *out, const char *prefix, gnutls_session_t s);

/* ---- sockets ---- */

/* Connected TCP socket, or -1 after printing one line naming host, port and reason. */
int tool_connect(const char *host, const char *port);
/* Listening non-blocking TCP socket on addr:port (port may be "0"); *bound gets the port. */
int tool_listen(const char *addr, const char *port, int *bound);

/* ---- --trace ---- */

/* The trace state of one connection. Whoever enables tracing on a session must make
 * gnutls_session_get_ptr() return a pointer to this struct (e.g. as the first member
 * of its own connection struct): the hook finds its state that way. */
struct tool_trace {
  struct timespec t0; /* the TCP connection was established */
  int is_client;
  char tag[24]; /* prefix for servers with many clients, e.g. "[#3] " */
};

double tool_ms_since(const struct timespec *t0);
void tool_trace_begin(struct tool_trace *t, gnutls_session_t s, int is_client, const char *tag);
/* After a (re)handshake returned 0: the negotiated version, suite and group. */
void tool_trace_negotiated(struct tool_trace *t, gnutls_session_t s, const char *what);
/* A free-form note in the ladder ("gnutls_rehandshake()", "close_notify", ...). */
void tool_trace_note(struct tool_trace *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

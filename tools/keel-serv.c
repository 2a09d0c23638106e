/* keel-serv: a TLS server taking gnutls-serv's options: an echo server (--echo) or a small
 * HTTP responder (default) showing what each connection negotiated. One poll() loop serves
 * every client over non-blocking sockets; a client that fails is closed, the server goes on. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "common/tool.h"

#define MAX_KEY_PAIRS 16
#define MAX_CLIENTS 1000
/* An HTTP client asked for /rehandshake under TLS 1.2: how long to wait for it to start
 * renegotiating before the page is sent anyway. */
#define HTTP_RENEG_WAIT_MS 2000
#define HTTP_MAX_REQUEST 8192

struct options {
  const char *port, *listen_addr, *priority, *cafile, *logfile, *dhparams;
  const char *certfiles[MAX_KEY_PAIRS], *keyfiles[MAX_KEY_PAIRS];
  int ncert, nkey;
  int echo, require_cert, verify_client_cert, verbose, quiet, debug, trace;
};

enum client_state {
  ST_HANDSHAKE,  /* gnutls_handshake() until it returns 0 (also for renegotiations) */
  ST_DATA,       /* application data both ways */
  ST_CLOSING,    /* sending close_notify, then the socket is closed */
};

/* The session's pointer (gnutls_session_set_ptr) points here: trace must stay first. */
struct client {
  struct tool_trace trace;
  gnutls_session_t s;
  int fd;
  unsigned id;
  enum client_state st;
  unsigned handshakes;       /* completed handshakes, renegotiations included */
  unsigned key_updates_sent; /* gnutls_rehandshake() under TLS 1.3 */
  int rehandshake_pending;   /* call gnutls_rehandshake() once the output is flushed */
  int answer_pending;        /* HTTP: the page is due after the renegotiation */
  int close_after_flush;     /* HTTP: the answer is the last thing sent */
  int want_write;            /* the last GNUTLS_E_AGAIN was waiting to send */
  int has_deadline;
  struct timespec deadline;
  char *out;
  size_t out_len, out_off, out_cap;
  char req[HTTP_MAX_REQUEST];
  size_t req_len;
  char peer[64];
  int cert_checked;          /* --verify-client-cert: verify_sent_cert ran, cert_status is */
  unsigned cert_status;      /* its result */
};

static struct options opt;
static gnutls_certificate_credentials_t cert_cred;
static gnutls_anon_server_credentials_t anon_cred;
static gnutls_priority_t priority_cache;
static gnutls_dh_params_t dh_params;
static struct client *clients[MAX_CLIENTS];
static int nclients;
static unsigned next_id = 1;

enum {
  OPT_PRIORITY = 256, OPT_CAFILE, OPT_CERTFILE, OPT_KEYFILE, OPT_ECHO, OPT_HTTP, OPT_LOGFILE,
  OPT_TRACE, OPT_LISTEN, OPT_DHPARAMS, OPT_VERIFY_CLIENT_CERT
};

static const struct option long_options[] = {
  { "port", required_argument, NULL, 'p' },
  { "listen", required_argument, NULL, OPT_LISTEN },
  { "echo", no_argument, NULL, OPT_ECHO },
  { "http", no_argument, NULL, OPT_HTTP },
  { "priority", required_argument, NULL, OPT_PRIORITY },
  { "x509certfile", required_argument, NULL, OPT_CERTFILE },
  { "x509keyfile", required_argument, NULL, OPT_KEYFILE },
  { "x509cafile", required_argument, NULL, OPT_CAFILE },
  { "dhparams", required_argument, NULL, OPT_DHPARAMS },
  { "require-client-cert", no_argument, NULL, 'r' },
  { "disable-client-cert", no_argument, NULL, 'a' },
  { "verify-client-cert", no_argument, NULL, OPT_VERIFY_CLIENT_CERT },
  { "verbose", no_argument, NULL, 'V' },
  { "quiet", no_argument, NULL, 'q' },
  { "debug", required_argument, NULL, 'd' },
  { "logfile", required_argument, NULL, OPT_LOGFILE },
  { "trace", no_argument, NULL, OPT_TRACE },
  { "help", no_argument, NULL, 'h' },
  { "version", no_argument, NULL, 'v' },
  { NULL, 0, NULL, 0 }
};

static void usage(FILE *f)
{
  fprintf(f,
    "Usage: keel-serv [options]\n"
    "Serve TLS on 127.0.0.1: an HTTP page showing the negotiated parameters, or --echo.\n"
    "\n"
    "  -p, --port=PORT              port to listen on (default 5556; 0 picks a free one)\n"
    "      --listen=ADDRESS         address to listen on (default 127.0.0.1)\n"
    "      --echo                   echo what each client sends\n"
    "      --http                   answer HTTP requests (the default)\n"
    "      --priority=STRING        priority string (default: the library's default)\n"
    "      --x509certfile=FILE      certificate chain (PEM); repeat with --x509keyfile\n"
    "      --x509keyfile=FILE       private key (PEM) for the certificate of the same rank\n"
    "      --x509cafile=FILE        trust these CAs for client certificates\n"
    "      --dhparams=FILE          DH parameters (PKCS#3 PEM; default RFC 7919 ffdhe2048)\n"
    "  -r, --require-client-cert    require a client certificate\n"
    "  -a, --disable-client-cert    do not ask for a client certificate (the default)\n"
    "      --verify-client-cert     ask for a client certificate and verify one that is sent\n"
    "                               (needs --x509cafile); a client without one is served\n"
    "  -V, --verbose                print more about each session\n"
    "  -q, --quiet                  print less\n"
    "  -d, --debug=N                library debug log at level N on stderr\n"
    "      --logfile=FILE           write informational messages to FILE\n"
    "      --trace                  ladder diagram of handshake messages on stderr\n"
    "  -h, --help                   this help\n"
    "  -v, --version                print the version\n"
    "\n"
    "Without --x509certfile, the built-in Keel demo identity (CN=localhost, not secret,\n"
    "not trusted) is used. In --echo mode a line **REHANDSHAKE** makes the server call\n"
    "gnutls_rehandshake(); in HTTP mode so does a request for /rehandshake.\n");
}

static int parse_options(int argc, char **argv)
{
  int c;
  long n;

  opt.port = "5556";
  opt.listen_addr = "127.0.0.1";
  while ((c = getopt_long(argc, argv, "p:raVqd:hv", long_options, NULL)) != -1) {
    switch (c) {
    case 'p': opt.port = optarg; break;
    case OPT_LISTEN: opt.listen_addr = optarg; break;
    case OPT_ECHO: opt.echo = 1; break;
    case OPT_HTTP: opt.echo = 0; break;
    case OPT_PRIORITY: opt.priority = optarg; break;
    case OPT_CAFILE: opt.cafile = optarg; break;
    case OPT_DHPARAMS: opt.dhparams = optarg; break;
    case OPT_CERTFILE:
      if (opt.ncert == MAX_KEY_PAIRS) {
        tool_error("at most %d certificates", MAX_KEY_PAIRS);
        return -1;
      }
      opt.certfiles[opt.ncert++] = optarg;
      break;
    case OPT_KEYFILE:
      if (opt.nkey == MAX_KEY_PAIRS) {
        tool_error("at most %d keys", MAX_KEY_PAIRS);
        return -1;
      }
      opt.keyfiles[opt.nkey++] = optarg;
      break;
    case 'r': opt.require_cert = 1; break;
    case 'a': opt.require_cert = 0; opt.verify_client_cert = 0; break;
    case OPT_VERIFY_CLIENT_CERT: opt.verify_client_cert = 1; break;
    case 'V': opt.verbose = 1; break;
    case 'q': opt.quiet = 1; break;
    case 'd':
      n = tool_parse_number(optarg, 0, 9999);
      if (n < 0) {
        tool_error("--debug takes a number from 0 to 9999, not '%s'", optarg);
        return -1;
      }
      opt.debug = (int)n;
      break;
    case OPT_LOGFILE: opt.logfile = optarg; break;
    case OPT_TRACE: opt.trace = 1; break;
    case 'h': usage(stdout); exit(TOOL_EXIT_OK);
    case 'v': printf("keel-serv %s (Keel)\n", TOOL_VERSION); exit(TOOL_EXIT_OK);
    default: return -1;
    }
  }
  if (optind != argc) {
    tool_error("unexpected argument '%s'", argv[optind]);
    return -1;
  }
  if (opt.ncert != opt.nkey) {
    tool_error("each --x509certfile needs its --x509keyfile (%d certificates, %d keys)",
               opt.ncert, opt.nkey);
    return -1;
  }
  if (opt.verify_client_cert && opt.cafile == NULL) {
    tool_error("--verify-client-cert needs --x509cafile");
    return -1;
  }
  if (tool_parse_number(opt.port, 0, 65535) < 0) {
    tool_error("bad port '%s'", opt.port);
    return -1;
  }
  return 0;
}

static void say(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct client *c, const char *fmt, ...)
{
  va_list ap;
  if (opt.quiet)
    return;
  if (c != NULL)
    fprintf(tool_info, "[#%u] ", c->id);
  va_start(ap, fmt);
  vfprintf(tool_info, fmt, ap);
  va_end(ap);
  fputc('\n', tool_info);
  fflush(tool_info);
}

static int is_again(int ret)
{
  return ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED;
}

static void blocked(struct client *c)
{
  c->want_write = gnutls_record_get_direction(c->s) == 1;
}

static int queue_output(struct client *c, const char *data, size_t len)
{
  if (c->out_off == c->out_len)
    c->out_off = c->out_len = 0;
  if (c->out_len + len > c->out_cap) {
    size_t cap = c->out_cap ? c->out_cap : 4096;
    char *p;
    while (cap < c->out_len + len)
      cap *= 2;
    if (cap > (1u << 24) || (p = realloc(c->out, cap)) == NULL) {
      say(c, "*** Output buffer overflow: closing");
      return -1;
    }
    c->out = p;
    c->out_cap = cap;
  }
  memcpy(c->out + c->out_len, data, len);
  c->out_len += len;
  return 0;
}

/* Sends queued output. 1: all sent, 0: would block, -1: failed.
 * After GNUTLS_E_AGAIN the same call is repeated with the same arguments. */
static int flush_output(struct client *c)
{
  while (c->out_off < c->out_len) {
    size_t n = c->out_len - c->out_off;
    ssize_t r = gnutls_record_send(c->s, c->out + c->out_off, n > 16384 ? 16384 : n);
    if (r < 0) {
      if (is_again((int)r)) {
        blocked(c);
        return 0;
      }
      say(c, "*** Error sending data: %s", gnutls_strerror((int)r));
      return -1;
    }
    c->out_off += (size_t)r;
  }
  return 1;
}

static void set_deadline(struct client *c, int ms)
{
  clock_gettime(CLOCK_MONOTONIC, &c->deadline);
  c->deadline.tv_sec += ms / 1000;
  c->deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (c->deadline.tv_nsec >= 1000000000L) {
    c->deadline.tv_sec++;
    c->deadline.tv_nsec -= 1000000000L;
  }
  c->has_deadline = 1;
}

static int html_escape_into(char *dst, size_t cap, const char *src)
{
  size_t o = 0;
  for (; *src && o + 7 < cap; src++) {
    const char *rep = *src == '<' ? "&lt;" : *src == '>' ? "&gt;" : *src == '&' ? "&amp;" : NULL;
    if (rep) {
      memcpy(dst + o, rep, strlen(rep));
      o += strlen(rep);
    } else {
      dst[o++] = *src;
    }
  }
  dst[o] = '\0';
  return (int)o;
}

static int queue_http_page(struct client *c, const char *path)
{
  char body[4096], head[256], desc_html[512], path_html[256];
  char *desc = gnutls_session_get_desc(c->s);
  int blen, hlen;

  html_escape_into(desc_html, sizeof desc_html, desc != NULL ? desc : "(unknown)");
  html_escape_into(path_html, sizeof path_html, path);
  gnutls_free(desc);
  blen = snprintf(body, sizeof body,
    "<!DOCTYPE html>\n<html><head><title>Keel test server</title></head><body>\n"
    "<h1>Keel test server</h1>\n"
    "<p>This page was served over TLS by keel-serv.</p>\n<table>\n"
    "<tr><td>Requested path</td><td>%s</td></tr>\n"
    "<tr><td>Protocol version</td><td>%s</td></tr>\n"
    "<tr><td>Key exchange</td><td>%s</td></tr>\n"
    "<tr><td>Group</td><td>%s</td></tr>\n"
    "<tr><td>Cipher</td><td>%s</td></tr>\n"
    "<tr><td>MAC</td><td>%s</td></tr>\n"
    "<tr><td>Description</td><td>%s</td></tr>\n"
    "<tr><td>Handshakes on this connection</td><td>%u</td></tr>\n"
    "<tr><td>Key updates requested by the server</td><td>%u</td></tr>\n"
    "<tr><td>Safe renegotiation</td><td>%s</td></tr>\n"
    "</table>\n</body></html>\n",
    path_html, tool_version_name(c->s),
    gnutls_kx_get_name(gnutls_kx_get(c->s)) ? gnutls_kx_get_name(gnutls_kx_get(c->s)) : "none",
    tool_group_name(c->s), tool_cipher_name(c->s),
    gnutls_mac_get_name(gnutls_mac_get(c->s)) ? gnutls_mac_get_name(gnutls_mac_get(c->s)) : "none",
    desc_html, c->handshakes, c->key_updates_sent,
    gnutls_safe_renegotiation_status(c->s) ? "yes" : "no");
  if (blen < 0 || (size_t)blen >= sizeof body)
    return -1;
  hlen = snprintf(head, sizeof head,
                  "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n"
                  "Connection: close\r\n\r\n", blen);
  c->close_after_flush = 1;
  if (queue_output(c, head, (size_t)hlen) < 0)
    return -1;
  return queue_output(c, body, (size_t)blen);
}

/* HTTP: collect the request head; answer once it is complete. */
static int http_data(struct client *c, const char *data, size_t len)
{
  char method[16], path[256];

  if (c->answer_pending || c->close_after_flush)
    return 0; /* a body or a pipelined request: ignored, one answer per connection */
  if (c->req_len + len >= sizeof c->req) {
    say(c, "*** HTTP request too long: closing");
    return -1;
  }
  memcpy(c->req + c->req_len, data, len);
  c->req_len += len;
  c->req[c->req_len] = '\0';
  if (strstr(c->req, "\r\n\r\n") == NULL && strstr(c->req, "\n\n") == NULL)
    return 0;
  if (sscanf(c->req, "%15s %255s", method, path) != 2)
    snprintf(path, sizeof path, "/");
  say(c, "- HTTP request for %s", path);
  if (strcmp(path, "/rehandshake") == 0) {
    c->rehandshake_pending = 1;
    c->answer_pending = 1;
    /* Under TLS 1.2 the page waits for the client's renegotiation (or its refusal). */
    if (gnutls_protocol_get_version(c->s) != GNUTLS_TLS1_3)
      set_deadline(c, HTTP_RENEG_WAIT_MS);
    return 0;
  }
  return queue_http_page(c, path);
}

static int echo_data(struct client *c, const char *data, size_t len)
{
  /* The echo goes out before the HelloRequest: data never races a renegotiation here. */
  if (queue_output(c, data, len) < 0)
    return -1;
  if (len >= 15 && memcmp(data, "**REHANDSHAKE**", 15) == 0) {
    say(c, "*** Client asked for a rehandshake");
    c->rehandshake_pending = 1;
  }
  return 0;
}

static int got_data(struct client *c, const char *data, size_t len)
{
  if (opt.verbose)
    say(c, "- Received %zu bytes", len);
  return opt.echo ? echo_data(c, data, len) : http_data(c, data, len);
}

/* Reads one record's worth of data. 1: got data or a non-fatal event, 0: would block,
 * -1: the client is to be closed. Used both between and inside handshakes. */
static int receive(struct client *c)
{
  char buf[16384];
  ssize_t r = gnutls_record_recv(c->s, buf, sizeof buf);

  if (r > 0)
    return got_data(c, buf, (size_t)r) < 0 ? -1 : 1;
  if (r == 0) {
    say(c, "- Peer has closed the GnuTLS connection");
    c->st = ST_CLOSING;
    return 1;
  }
  switch ((int)r) {
  case GNUTLS_E_AGAIN:
  case GNUTLS_E_INTERRUPTED:
    blocked(c);
    return 0;
  case GNUTLS_E_REHANDSHAKE:
    say(c, "*** Received hello message");
    if (opt.trace)
      tool_trace_note(&c->trace, "gnutls_record_recv() returned GNUTLS_E_REHANDSHAKE");
    c->st = ST_HANDSHAKE;
    return 1;
  case GNUTLS_E_WARNING_ALERT_RECEIVED:
    tool_print_alert(tool_info, c->trace.tag, c->s);
    if (gnutls_alert_get(c->s) == GNUTLS_A_NO_RENEGOTIATION && c->answer_pending) {
      c->answer_pending = 0;
      c->has_deadline = 0;
      return queue_http_page(c, "/rehandshake") < 0 ? -1 : 1;
    }
    return 1;
  case GNUTLS_E_FATAL_ALERT_RECEIVED:
    tool_print_alert(tool_info, c->trace.tag, c->s);
    say(c, "*** Fatal error: %s", gnutls_strerror((int)r));
    return -1;
  default:
    if (gnutls_error_is_fatal((int)r)) {
      say(c, "*** Error receiving data: %s", gnutls_strerror((int)r));
      return -1;
    }
    say(c, "*** Non fatal error: %s", gnutls_strerror((int)r));
    return 1;
  }
}

/* --verify-client-cert, in the handshake: a certificate that is sent must be trusted, a
 * client without one is served. gnutls_session_set_verify_cert() cannot say that: GnuTLS
 * fails a handshake in which there is no certificate to verify. */
static int verify_sent_cert(gnutls_session_t s)
{
  struct client *c = gnutls_session_get_ptr(s);
  unsigned n = 0;

  if (gnutls_certificate_get_peers(s, &n) == NULL || n == 0)
    return 0;
  if (gnutls_certificate_verify_peers2(s, &c->cert_status) < 0)
    c->cert_status = GNUTLS_CERT_INVALID;
  c->cert_checked = 1;
  return c->cert_status != 0;
}

/* When a client certificate was asked for: whether one came and how it verified (the
 * lines gnutls-serv prints), so that a test can tell "sent and trusted" from "not sent". */
static void report_client_cert(struct client *c)
{
  unsigned n = 0, status;
  gnutls_datum_t text;

  if (gnutls_certificate_get_peers(c->s, &n) == NULL || n == 0) {
    say(c, "- The client sent no certificate.");
    return;
  }
  say(c, "- Got a certificate list of %u certificates.", n);
  if (c->cert_checked)
    status = c->cert_status;
  else if (opt.require_cert && opt.cafile != NULL)
    status = gnutls_session_get_verify_cert_status(c->s);
  else
    return;
  if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) == 0) {
    say(c, "- Status: %s", (const char *)text.data);
    gnutls_free(text.data);
  }
}

static void handshake_done(struct client *c)
{
  c->handshakes++;
  if (opt.trace)
    tool_trace_negotiated(&c->trace, c->s,
                          c->handshakes == 1 ? "handshake complete" : "renegotiated");
  if (!opt.quiet) {
    say(c, c->handshakes == 1 ? "- Handshake was completed" : "- ReHandshake was completed");
    char prefix[24];
    snprintf(prefix, sizeof prefix, "[#%u] ", c->id);
    tool_print_session_info(tool_info, prefix, c->s, opt.verbose);
    if (opt.require_cert || opt.verify_client_cert)
      report_client_cert(c);
  }
  if (c->answer_pending) {
    c->answer_pending = 0;
    c->has_deadline = 0;
    queue_http_page(c, "/rehandshake");
  }
}

/* Moves the connection on as far as it goes without blocking. 0: wait for the socket,
 * -1: close the client. */
static int client_run(struct client *c)
{
  int ret;

  for (;;) {
    switch (c->st) {
    case ST_HANDSHAKE:
      ret = gnutls_handshake(c->s);
      if (ret == 0) {
        c->st = ST_DATA;
        handshake_done(c);
        continue;
      }
      if (is_again(ret)) {
        blocked(c);
        return 0;
      }
      if (ret == GNUTLS_E_GOT_APPLICATION_DATA) {
        /* Data in the middle of a renegotiation: read it, then resume the handshake. */
        ret = receive(c);
        if (ret < 0)
          return -1;
        if (c->st == ST_CLOSING)
          continue;
        c->st = ST_HANDSHAKE;
        continue;
      }
      if (ret == GNUTLS_E_WARNING_ALERT_RECEIVED) {
        tool_print_alert(tool_info, c->trace.tag, c->s);
        continue;
      }
      if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED)
        tool_print_alert(tool_info, c->trace.tag, c->s);
      say(c, "*** Handshake has failed (%s)", gnutls_strerror(ret));
      return -1;

    case ST_DATA:
      ret = flush_output(c);
      if (ret <= 0)
        return ret;
      if (c->close_after_flush) {
        c->st = ST_CLOSING;
        continue;
      }
      if (c->rehandshake_pending) {
        ret = gnutls_rehandshake(c->s);
        if (is_again(ret)) {
          blocked(c);
          return 0;
        }
        c->rehandshake_pending = 0;
        if (ret < 0) {
          say(c, "*** Rehandshake request failed: %s", gnutls_strerror(ret));
          if (gnutls_error_is_fatal(ret))
            return -1;
          continue;
        }
        if (opt.trace)
          tool_trace_note(&c->trace, "server called gnutls_rehandshake()");
        if (gnutls_protocol_get_version(c->s) == GNUTLS_TLS1_3) {
          c->key_updates_sent++;
          say(c, "*** Sent a KeyUpdate (rehandshake under TLS 1.3)");
          if (c->answer_pending) {
            c->answer_pending = 0;
            if (queue_http_page(c, "/rehandshake") < 0)
              return -1;
          }
        } else {
          say(c, "*** Sending rehandshake request");
        }
        continue;
      }
      ret = receive(c);
      if (ret <= 0)
        return ret;
      continue;

    case ST_CLOSING:
      ret = gnutls_bye(c->s, GNUTLS_SHUT_WR);
      if (is_again(ret)) {
        blocked(c);
        return 0;
      }
      return -1;

    default:
      return -1;
    }
  }
}

static void client_free(struct client *c)
{
  if (opt.trace)
    tool_trace_note(&c->trace, "connection closed");
  if (opt.verbose)
    say(c, "- Connection closed");
  gnutls_deinit(c->s);
  close(c->fd);
  free(c->out);
  free(c);
}

static void accept_clients(int lfd)
{
  for (;;) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    struct client *c;
    char addr[INET6_ADDRSTRLEN] = "?";
    int fd = accept4(lfd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC), one = 1;
    int port = 0, ret;

    if (fd < 0)
      return; /* EAGAIN, or a transient error such as EMFILE: retried on the next event */
    if (nclients == MAX_CLIENTS || (c = calloc(1, sizeof *c)) == NULL) {
      close(fd);
      continue;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->fd = fd;
    c->id = next_id++;
    clock_gettime(CLOCK_MONOTONIC, &c->trace.t0);
    if (ss.ss_family == AF_INET6) {
      inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, addr, sizeof addr);
      port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    } else {
      inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, addr, sizeof addr);
      port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
    }
    snprintf(c->peer, sizeof c->peer, "%s port %d", addr, port);

    if ((ret = gnutls_init(&c->s, GNUTLS_SERVER | GNUTLS_NONBLOCK)) < 0) {
      say(NULL, "*** Cannot create a session: %s", gnutls_strerror(ret));
      close(fd);
      free(c);
      continue;
    }
    gnutls_session_set_ptr(c->s, c);
    gnutls_priority_set(c->s, priority_cache);
    gnutls_credentials_set(c->s, GNUTLS_CRD_CERTIFICATE, cert_cred);
    gnutls_credentials_set(c->s, GNUTLS_CRD_ANON, anon_cred);
    if (opt.require_cert) {
      gnutls_certificate_server_set_request(c->s, GNUTLS_CERT_REQUIRE);
      if (opt.cafile != NULL)
        gnutls_session_set_verify_cert(c->s, NULL, 0);
    } else if (opt.verify_client_cert) {
      gnutls_certificate_server_set_request(c->s, GNUTLS_CERT_REQUEST);
    }
    gnutls_transport_set_int(c->s, fd);
    /* The tag prefixes this client's trace and alert lines. */
    snprintf(c->trace.tag, sizeof c->trace.tag, "[#%u] ", c->id);
    if (opt.trace)
      tool_trace_begin(&c->trace, c->s, 0, c->trace.tag);
    c->st = ST_HANDSHAKE;
    clients[nclients++] = c;
    say(c, "* Accepted connection from %s %s", ss.ss_family == AF_INET6 ? "IPv6" : "IPv4",
        c->peer);
  }
}

static int load_credentials(void)
{
  int i, ret;

  if (gnutls_certificate_allocate_credentials(&cert_cred) < 0 ||
      gnutls_anon_allocate_server_credentials(&anon_cred) < 0) {
    tool_error("out of memory");
    return -1;
  }
  for (i = 0; i < opt.ncert; i++)
    if (tool_load_key_pair(cert_cred, opt.certfiles[i], opt.keyfiles[i]) < 0)
      return -1;
  if (opt.ncert == 0) {
    if (tool_load_demo_identity(cert_cred) < 0)
      return -1;
    if (!opt.quiet)
      fprintf(tool_info, "Using the built-in Keel demo identity (CN=localhost; not secret, "
                         "not trusted)\n");
  }
  if (opt.cafile != NULL && tool_load_trust_file(cert_cred, opt.cafile) < 0)
    return -1;
  if (opt.verify_client_cert && !opt.require_cert)
    gnutls_certificate_set_verify_function(cert_cred, verify_sent_cert);
  /* DHE and anonymous DH with clients that do not offer RFC 7919 groups. */
  if (tool_load_dh_params(&dh_params, opt.dhparams) < 0)
    return -1;
  gnutls_certificate_set_dh_params(cert_cred, dh_params);
  gnutls_anon_set_server_dh_params(anon_cred, dh_params);

  if (opt.priority != NULL) {
    if (tool_check_priority(opt.priority) < 0)
      return -1;
    ret = gnutls_priority_init(&priority_cache, opt.priority, NULL);
  } else {
    ret = gnutls_priority_init(&priority_cache, NULL, NULL);
  }
  if (ret < 0) {
    tool_error("cannot set priorities: %s", gnutls_strerror(ret));
    return -1;
  }
  return 0;
}

static int ms_until(const struct timespec *t)
{
  struct timespec now;
  long long ms;
  clock_gettime(CLOCK_MONOTONIC, &now);
  ms = (long long)(t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000;
  return ms < 0 ? 0 : ms > 60000 ? 60000 : (int)ms;
}

static void serve(int lfd)
{
  static struct pollfd p[MAX_CLIENTS + 1];

  for (;;) {
    int i, timeout = -1;

    p[0].fd = lfd;
    p[0].events = nclients < MAX_CLIENTS ? POLLIN : 0;
    for (i = 0; i < nclients; i++) {
      p[i + 1].fd = clients[i]->fd;
      p[i + 1].events = clients[i]->want_write ? POLLOUT : POLLIN;
      p[i + 1].revents = 0;
      if (clients[i]->has_deadline) {
        int t = ms_until(&clients[i]->deadline);
        if (timeout < 0 || t < timeout)
          timeout = t;
      }
    }
    if (poll(p, (nfds_t)nclients + 1, timeout) < 0) {
      if (errno != EINTR)
        say(NULL, "*** poll: %s", strerror(errno));
      continue;
    }
    /* Clients first, by the index they had when polled; new ones join afterwards. */
    for (i = nclients - 1; i >= 0; i--) {
      struct client *c = clients[i];
      int run = p[i + 1].revents != 0;
      if (c->has_deadline && ms_until(&c->deadline) == 0) {
        c->has_deadline = 0;
        if (c->answer_pending) {
          say(c, "- The client did not renegotiate: answering anyway");
          c->answer_pending = 0;
          if (queue_http_page(c, "/rehandshake") < 0)
            c->st = ST_CLOSING;
        }
        run = 1;
      }
      if (run && client_run(c) < 0) {
        client_free(c);
        clients[i] = clients[--nclients];
      }
    }
    if (p[0].revents & POLLIN) {
      int before = nclients;
      accept_clients(lfd);
      for (i = nclients - 1; i >= before; i--) {
        if (client_run(clients[i]) < 0) {
          client_free(clients[i]);
          clients[i] = clients[--nclients];
        }
      }
    }
  }
}

int main(int argc, char **argv)
{
  int lfd, port, ret;

  tool_progname = "keel-serv";
  tool_info = stdout;
  signal(SIGPIPE, SIG_IGN);
  if (parse_options(argc, argv) < 0) {
    usage(stderr);
    return TOOL_EXIT_USAGE;
  }
  if (opt.logfile != NULL && tool_open_logfile(opt.logfile) < 0)
    return TOOL_EXIT_FAIL;
  if ((ret = gnutls_global_init()) < 0) {
    tool_error("cannot initialise the library: %s", gnutls_strerror(ret));
    return TOOL_EXIT_FAIL;
  }
  if (opt.debug > 0)
    tool_set_debug(opt.debug);
  if (load_credentials() < 0)
    return TOOL_EXIT_FAIL;
  lfd = tool_listen(opt.listen_addr, opt.port, &port);
  if (lfd < 0)
    return TOOL_EXIT_FAIL;
  /* Scripts wait for this line on standard output, whatever --logfile says. */
  printf("%s Server listening on %s %s port %d...done\n", opt.echo ? "Echo" : "HTTP",
         strchr(opt.listen_addr, ':') ? "IPv6" : "IPv4", opt.listen_addr, port);
  fflush(stdout);
  serve(lfd);
  return TOOL_EXIT_OK;
}

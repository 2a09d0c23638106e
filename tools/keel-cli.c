/* keel-cli: a TLS client taking gnutls-cli's options. It connects, completes the handshake,
 * then sends standard input to the server and prints what the server sends. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "common/tool.h"

/* How long to wait for the server's close_notify once standard input has ended. */
#define CLOSE_WAIT_MS 5000

struct options {
  const char *host, *port, *priority, *cafile, *certfile, *keyfile, *sni, *verify_host;
  const char *logfile;
  int insecure, disable_sni, rehandshake, inline_commands, verbose, debug, trace, crlf;
  int refuse_renegotiation;
  char inline_prefix;
};

/* The session's pointer (gnutls_session_set_ptr) points here: trace must stay first. */
struct conn {
  struct tool_trace trace;
  gnutls_session_t s;
  int fd;
  int tracing;
  const struct options *opt;
};

enum {
  OPT_PRIORITY = 256, OPT_CAFILE, OPT_CERTFILE, OPT_KEYFILE, OPT_INSECURE, OPT_SNI,
  OPT_VERIFY_HOST, OPT_DISABLE_SNI, OPT_INLINE, OPT_INLINE_PREFIX, OPT_LOGFILE, OPT_TRACE,
  OPT_CRLF, OPT_REFUSE_RENEG
};

static const struct option long_options[] = {
  { "port", required_argument, NULL, 'p' },
  { "priority", required_argument, NULL, OPT_PRIORITY },
  { "x509cafile", required_argument, NULL, OPT_CAFILE },
  { "x509certfile", required_argument, NULL, OPT_CERTFILE },
  { "x509keyfile", required_argument, NULL, OPT_KEYFILE },
  { "insecure", no_argument, NULL, OPT_INSECURE },
  { "sni-hostname", required_argument, NULL, OPT_SNI },
  { "verify-hostname", required_argument, NULL, OPT_VERIFY_HOST },
  { "disable-sni", no_argument, NULL, OPT_DISABLE_SNI },
  { "rehandshake", no_argument, NULL, 'e' },
  { "inline-commands", no_argument, NULL, OPT_INLINE },
  { "inline-commands-prefix", required_argument, NULL, OPT_INLINE_PREFIX },
  { "crlf", no_argument, NULL, OPT_CRLF },
  { "refuse-renegotiation", no_argument, NULL, OPT_REFUSE_RENEG },
  { "verbose", no_argument, NULL, 'V' },
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
    "Usage: keel-cli [options] HOST\n"
    "Connect to HOST over TLS, send standard input, print what the server sends.\n"
    "\n"
    "  -p, --port=PORT              port or service to connect to (default 443)\n"
    "      --priority=STRING        priority string (default: the library's default)\n"
    "      --x509cafile=FILE        trust the CA certificates in FILE (PEM)\n"
    "      --x509certfile=FILE      client certificate chain (PEM); needs --x509keyfile\n"
    "      --x509keyfile=FILE       client private key (PEM)\n"
    "      --insecure               do not verify the server's certificate\n"
    "      --sni-hostname=NAME      server name to send (default: HOST unless an address)\n"
    "      --verify-hostname=NAME   name to check the certificate against (default: HOST)\n"
    "      --disable-sni            send no server name\n"
    "  -e, --rehandshake            renegotiate once right after the handshake\n"
    "      --inline-commands        lines ^renegotiate^, ^rekey^, ^rekey1^ are commands\n"
    "      --inline-commands-prefix=C  use C instead of ^ around inline commands\n"
    "      --crlf                   send CR LF instead of LF\n"
    "      --refuse-renegotiation   answer a server's HelloRequest with no_renegotiation\n"
    "  -V, --verbose                print more about the session\n"
    "  -d, --debug=N                library debug log at level N on stderr\n"
    "      --logfile=FILE           write informational messages to FILE\n"
    "      --trace                  ladder diagram of handshake messages on stderr\n"
    "  -h, --help                   this help\n"
    "  -v, --version                print the version\n");
}

static int parse_options(int argc, char **argv, struct options *o)
{
  int c;
  long n;

  memset(o, 0, sizeof *o);
  o->port = "443";
  o->inline_prefix = '^';
  while ((c = getopt_long(argc, argv, "p:eVd:hv", long_options, NULL)) != -1) {
    switch (c) {
    case 'p': o->port = optarg; break;
    case OPT_PRIORITY: o->priority = optarg; break;
    case OPT_CAFILE: o->cafile = optarg; break;
    case OPT_CERTFILE: o->certfile = optarg; break;
    case OPT_KEYFILE: o->keyfile = optarg; break;
    case OPT_INSECURE: o->insecure = 1; break;
    case OPT_SNI: o->sni = optarg; break;
    case OPT_VERIFY_HOST: o->verify_host = optarg; break;
    case OPT_DISABLE_SNI: o->disable_sni = 1; break;
    case 'e': o->rehandshake = 1; break;
    case OPT_INLINE: o->inline_commands = 1; break;
    case OPT_INLINE_PREFIX:
      if (strlen(optarg) != 1) {
        tool_error("--inline-commands-prefix takes a single character, not '%s'", optarg);
        return -1;
      }
      o->inline_prefix = optarg[0];
      break;
    case OPT_CRLF: o->crlf = 1; break;
    case OPT_REFUSE_RENEG: o->refuse_renegotiation = 1; break;
    case 'V': o->verbose = 1; break;
    case 'd':
      n = tool_parse_number(optarg, 0, 9999);
      if (n < 0) {
        tool_error("--debug takes a number from 0 to 9999, not '%s'", optarg);
        return -1;
      }
      o->debug = (int)n;
      break;
    case OPT_LOGFILE: o->logfile = optarg; break;
    case OPT_TRACE: o->trace = 1; break;
    case 'h': usage(stdout); exit(TOOL_EXIT_OK);
    case 'v': printf("keel-cli %s (Keel)\n", TOOL_VERSION); exit(TOOL_EXIT_OK);
    default: return -1;
    }
  }
  if (optind != argc - 1) {
    tool_error(optind >= argc ? "no HOST given" : "more than one HOST given");
    return -1;
  }
  if ((o->certfile == NULL) != (o->keyfile == NULL)) {
    tool_error("--x509certfile and --x509keyfile go together");
    return -1;
  }
  if (tool_parse_number(o->port, 1, 65535) < 0 && strspn(o->port, "0123456789") == strlen(o->port)) {
    tool_error("bad port '%s'", o->port);
    return -1;
  }
  o->host = argv[optind];
  return 0;
}

static int is_address(const char *host)
{
  unsigned char buf[16];
  return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

static int send_all(struct conn *c, const char *data, size_t len)
{
  while (len > 0) {
    ssize_t r = gnutls_record_send(c->s, data, len);
    if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
      continue;
    if (r < 0) {
      fprintf(stderr, "*** Fatal error: %s\n", gnutls_strerror((int)r));
      return -1;
    }
    data += r;
    len -= (size_t)r;
  }
  return 0;
}

static void print_data(const char *buf, size_t len)
{
  fwrite(buf, 1, len, stdout);
  fflush(stdout);
}

/* A (re)handshake to completion. Application data that arrives in the middle of a
 * renegotiation is read and printed, never lost; warning alerts are reported and the
 * handshake goes on. */
static int handshake(struct conn *c)
{
  char buf[16384];
  int ret;

  for (;;) {
    ret = gnutls_handshake(c->s);
    if (ret == 0)
      return 0;
    if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
      continue;
    if (ret == GNUTLS_E_GOT_APPLICATION_DATA) {
      ssize_t r = gnutls_record_recv(c->s, buf, sizeof buf);
      if (r > 0)
        print_data(buf, (size_t)r);
      else if (r < 0 && r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED &&
               gnutls_error_is_fatal((int)r))
        return (int)r;
      continue;
    }
    if (ret == GNUTLS_E_WARNING_ALERT_RECEIVED || ret == GNUTLS_E_FATAL_ALERT_RECEIVED)
      tool_print_alert(tool_info, "", c->s);
    /* A refused renegotiation ends this handshake, not the connection. */
    if (ret == GNUTLS_E_WARNING_ALERT_RECEIVED &&
        gnutls_alert_get(c->s) == GNUTLS_A_NO_RENEGOTIATION)
      return ret;
    if (ret != GNUTLS_E_WARNING_ALERT_RECEIVED && gnutls_error_is_fatal(ret))
      return ret;
  }
}

static void report_verification(struct conn *c)
{
  gnutls_datum_t text;
  unsigned status = gnutls_session_get_verify_cert_status(c->s);
  if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) == 0) {
    fprintf(tool_info, "- Status: %s\n", (const char *)text.data);
    gnutls_free(text.data);
  }
  fprintf(tool_info, "*** PKI verification of server certificate failed...\n");
}

/* A fresh handshake on an established connection: renegotiation under TLS 1.2, what the
 * library makes of it under TLS 1.3. */
static int renegotiate(struct conn *c, const char *ok_line, const char *fail_fmt)
{
  int ret;
  if (c->tracing)
    tool_trace_note(&c->trace, "client calls gnutls_handshake() again");
  ret = handshake(c);
  if (ret < 0) {
    fprintf(tool_info, fail_fmt, gnutls_strerror(ret));
    fflush(tool_info);
    return ret;
  }
  if (c->tracing)
    tool_trace_negotiated(&c->trace, c->s, "renegotiated");
  fprintf(tool_info, "%s\n", ok_line);
  fflush(tool_info);
  return 0;
}

static int key_update(struct conn *c, unsigned flags)
{
  int ret;
  if (c->tracing)
    tool_trace_note(&c->trace, "client calls gnutls_session_key_update(%s)",
                    flags ? "GNUTLS_KU_PEER" : "0");
  do {
    ret = gnutls_session_key_update(c->s, flags);
  } while (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED);
  if (ret < 0)
    fprintf(tool_info, "*** Rekey has failed: %s\n", gnutls_strerror(ret));
  else
    fprintf(tool_info, "- Rekey was completed\n");
  fflush(tool_info);
  return ret;
}

/* A line that is exactly ^command^ (with the chosen prefix) is run, not sent.
 * Returns 1 if the line was a command, -1 on a fatal error, 0 otherwise. */
static int inline_command(struct conn *c, const char *line, size_t len)
{
  char cmd[32];
  size_t n = len;
  int ret = 0;

  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
    n--;
  if (n < 3 || n - 2 >= sizeof cmd || line[0] != c->opt->inline_prefix ||
      line[n - 1] != c->opt->inline_prefix)
    return 0;
  memcpy(cmd, line + 1, n - 2);
  cmd[n - 2] = '\0';
  if (strcmp(cmd, "renegotiate") == 0) {
    fprintf(tool_info, "*** Processing %u bytes command: %s\n", (unsigned)len, cmd);
    ret = renegotiate(c, "*** Rehandshake was performed.", "*** Rehandshake Failed: %s\n");
  } else if (strcmp(cmd, "rekey") == 0) {
    /* Both sides: ours now, the peer's at its next send. */
    fprintf(tool_info, "*** Processing %u bytes command: %s\n", (unsigned)len, cmd);
    ret = key_update(c, GNUTLS_KU_PEER);
  } else if (strcmp(cmd, "rekey1") == 0) {
    fprintf(tool_info, "*** Processing %u bytes command: %s\n", (unsigned)len, cmd);
    ret = key_update(c, 0);
  } else {
    return 0; /* not a command keel-cli knows: it is data */
  }
  fflush(tool_info);
  if (ret < 0 && gnutls_error_is_fatal(ret))
    return -1;
  return 1;
}

/* Sends what came from standard input; with inline commands, whole lines only
 * (the rest waits in *pending). Returns -1 on a fatal error. */
static int send_input(struct conn *c, const char *data, size_t len, char *pending,
                      size_t *pending_len, size_t pending_cap, int at_eof)
{
  char out[2 * 4096 + 2];
  size_t start = 0, i, o;

  if (!c->opt->inline_commands && !c->opt->crlf)
    return send_all(c, data, len);
  if (*pending_len + len > pending_cap) /* a very long line: send what we have */
    at_eof = 1;
  else {
    memcpy(pending + *pending_len, data, len);
    *pending_len += len;
    len = 0;
  }
  for (;;) {
    char *nl = memchr(pending + start, '\n', *pending_len - start);
    size_t line_len = nl ? (size_t)(nl - (pending + start)) + 1 : *pending_len - start;
    int r = 0;
    if (line_len == 0 || (!nl && !at_eof))
      break;
    if (c->opt->inline_commands)
      r = inline_command(c, pending + start, line_len);
    if (r < 0)
      return -1;
    if (r == 0) {
      for (i = 0; i < line_len; i += 4096) {
        size_t chunk = line_len - i < 4096 ? line_len - i : 4096;
        const char *p = pending + start + i;
        for (o = 0; chunk > 0; chunk--, p++) {
          if (*p == '\n' && c->opt->crlf && (p == pending || p[-1] != '\r'))
            out[o++] = '\r';
          out[o++] = *p;
        }
        if (send_all(c, out, o) < 0)
          return -1;
      }
    }
    start += line_len;
  }
  memmove(pending, pending + start, *pending_len - start);
  *pending_len -= start;
  if (len > 0)
    return send_input(c, data, len, pending, pending_len, pending_cap, 0);
  return 0;
}

/* What a record_recv error means for the connection: 1 keep going, 0 closed, -1 failed. */
static int received_error(struct conn *c, int ret)
{
  switch (ret) {
  case GNUTLS_E_AGAIN:
  case GNUTLS_E_INTERRUPTED:
    return 1;
  case GNUTLS_E_REHANDSHAKE:
    fprintf(tool_info, "*** Received rehandshake request\n");
    fflush(tool_info);
    if (c->tracing)
      tool_trace_note(&c->trace, "gnutls_record_recv() returned GNUTLS_E_REHANDSHAKE");
    if (c->opt->refuse_renegotiation) {
      /* RFC 5246 7.2.2: a warning no_renegotiation refuses; the connection goes on. */
      do {
        ret = gnutls_alert_send(c->s, GNUTLS_AL_WARNING, GNUTLS_A_NO_RENEGOTIATION);
      } while (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED);
      if (c->tracing)
        tool_trace_note(&c->trace, "client refuses: warning alert no_renegotiation");
      fprintf(tool_info, "*** Refused the rehandshake request (no_renegotiation)\n");
      fflush(tool_info);
      return ret < 0 && gnutls_error_is_fatal(ret) ? -1 : 1;
    }
    ret = renegotiate(c, "- ReHandshake was completed", "*** ReHandshake has failed: %s\n");
    return ret < 0 && gnutls_error_is_fatal(ret) ? -1 : 1;
  case GNUTLS_E_WARNING_ALERT_RECEIVED:
    tool_print_alert(tool_info, "", c->s);
    return 1;
  case GNUTLS_E_FATAL_ALERT_RECEIVED:
    tool_print_alert(tool_info, "", c->s);
    fprintf(stderr, "*** Fatal error: %s\n", gnutls_strerror(ret));
    return -1;
  case GNUTLS_E_PREMATURE_TERMINATION:
    fprintf(stderr, "*** Server has terminated the connection abnormally.\n");
    return -1;
  default:
    if (gnutls_error_is_fatal(ret)) {
      fprintf(stderr, "*** Fatal error: %s\n", gnutls_strerror(ret));
      return -1;
    }
    fprintf(stderr, "*** Non fatal error: %s\n", gnutls_strerror(ret));
    return 1;
  }
}

/* Standard input to the server, the server to standard output, until the server closes
 * or, after standard input ends and close_notify is sent, the wait runs out. */
static int relay(struct conn *c)
{
  static char pending[16384];
  size_t pending_len = 0;
  char buf[16384];
  int stdin_open = 1, ret;
  struct timespec closing_since;

  for (;;) {
    struct pollfd p[2];
    int nfds = 0, timeout = -1, sock_ready = 0, in_ready = 0;

    if (gnutls_record_check_pending(c->s) > 0) {
      sock_ready = 1;
    } else {
      p[nfds].fd = c->fd;
      p[nfds].events = POLLIN;
      nfds++;
      if (stdin_open) {
        p[nfds].fd = STDIN_FILENO;
        p[nfds].events = POLLIN;
        nfds++;
      } else {
        double left = CLOSE_WAIT_MS - tool_ms_since(&closing_since);
        if (left <= 0)
          return 0;
        timeout = (int)left + 1;
      }
      if (poll(p, (nfds_t)nfds, timeout) < 0) {
        if (errno == EINTR)
          continue;
        tool_error("poll: %s", strerror(errno));
        return -1;
      }
      sock_ready = (p[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
      in_ready = nfds > 1 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
    }

    if (sock_ready) {
      ssize_t r = gnutls_record_recv(c->s, buf, sizeof buf);
      if (r > 0) {
        print_data(buf, (size_t)r);
      } else if (r == 0) {
        fprintf(tool_info, "- Peer has closed the GnuTLS connection\n");
        fflush(tool_info);
        return 0;
      } else {
        int k = received_error(c, (int)r);
        if (k <= 0)
          return k;
      }
    }
    if (in_ready) {
      ssize_t n = read(STDIN_FILENO, buf, sizeof buf / 2);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n <= 0) {
        if (pending_len > 0 &&
            send_input(c, "", 0, pending, &pending_len, sizeof pending, 1) < 0)
          return -1;
        stdin_open = 0;
        clock_gettime(CLOCK_MONOTONIC, &closing_since);
        if (c->tracing)
          tool_trace_note(&c->trace, "end of input: client sends close_notify");
        do {
          ret = gnutls_bye(c->s, GNUTLS_SHUT_WR);
        } while (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED);
        if (ret < 0)
          return 0; /* the server is gone already: nothing left to read */
        continue;
      }
      if (send_input(c, buf, (size_t)n, pending, &pending_len, sizeof pending, 0) < 0)
        return -1;
    }
  }
}

static int run(const struct options *o)
{
  gnutls_certificate_credentials_t cred;
  gnutls_anon_client_credentials_t anon;
  struct conn c;
  const char *sni = o->sni, *verify = o->verify_host ? o->verify_host : o->host;
  const char *err_pos = NULL;
  int ret, status = TOOL_EXIT_FAIL;

  memset(&c, 0, sizeof c);
  c.opt = o;
  c.fd = -1;
  c.tracing = o->trace;

  if (gnutls_certificate_allocate_credentials(&cred) < 0 ||
      gnutls_anon_allocate_client_credentials(&anon) < 0) {
    tool_error("out of memory");
    return TOOL_EXIT_FAIL;
  }
  if (o->cafile != NULL) {
    ret = tool_load_trust_file(cred, o->cafile);
    if (ret < 0)
      goto out;
    fprintf(tool_info, "Processed %d CA certificate(s).\n", ret);
  } else if (!o->insecure) {
    ret = gnutls_certificate_set_x509_system_trust(cred);
    if (ret < 0)
      fprintf(tool_info, "*** Could not load the system trust store: %s\n", gnutls_strerror(ret));
    else
      fprintf(tool_info, "Processed %d CA certificate(s).\n", ret);
  }
  if (o->certfile != NULL && tool_load_key_pair(cred, o->certfile, o->keyfile) < 0)
    goto out;
  if (o->priority != NULL && tool_check_priority(o->priority) < 0)
    goto out;

  fprintf(tool_info, "Connecting to '%s:%s'...\n", o->host, o->port);
  fflush(tool_info);
  c.fd = tool_connect(o->host, o->port);
  if (c.fd < 0)
    goto out;
  clock_gettime(CLOCK_MONOTONIC, &c.trace.t0);

  if ((ret = gnutls_init(&c.s, GNUTLS_CLIENT)) < 0) {
    tool_error("cannot create a session: %s", gnutls_strerror(ret));
    goto out;
  }
  gnutls_session_set_ptr(c.s, &c);
  if (o->priority != NULL)
    ret = gnutls_priority_set_direct(c.s, o->priority, &err_pos);
  else
    ret = gnutls_set_default_priority(c.s);
  if (ret < 0) {
    tool_error("cannot set priorities: %s", gnutls_strerror(ret));
    goto out;
  }
  gnutls_credentials_set(c.s, GNUTLS_CRD_CERTIFICATE, cred);
  gnutls_credentials_set(c.s, GNUTLS_CRD_ANON, anon);
  if (sni == NULL && !is_address(o->host))
    sni = o->host;
  if (sni != NULL && !o->disable_sni)
    gnutls_server_name_set(c.s, GNUTLS_NAME_DNS, sni, strlen(sni));
  if (!o->insecure)
    gnutls_session_set_verify_cert(c.s, verify, 0);
  gnutls_transport_set_int(c.s, c.fd);
  if (c.tracing)
    tool_trace_begin(&c.trace, c.s, 1, "");

  ret = handshake(&c);
  if (ret < 0) {
    if (ret == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR)
      report_verification(&c);
    fprintf(stderr, "*** Fatal error: %s\n", gnutls_strerror(ret));
    fprintf(stderr, "*** Handshake has failed\n");
    goto out;
  }
  if (c.tracing)
    tool_trace_negotiated(&c.trace, c.s, "handshake complete");
  tool_print_session_info(tool_info, "", c.s, o->verbose);
  fprintf(tool_info, "- Handshake was completed\n");
  fflush(tool_info);

  if (o->rehandshake) {
    ret = renegotiate(&c, "- ReHandshake was completed", "*** ReHandshake has failed: %s\n");
    if (ret < 0 && gnutls_error_is_fatal(ret))
      goto out;
  }

  fprintf(tool_info, "\n- Simple Client Mode:\n\n");
  fflush(tool_info);
  status = relay(&c) < 0 ? TOOL_EXIT_FAIL : TOOL_EXIT_OK;

out:
  if (c.s != NULL)
    gnutls_deinit(c.s);
  if (c.fd >= 0)
    close(c.fd);
  gnutls_anon_free_client_credentials(anon);
  gnutls_certificate_free_credentials(cred);
  return status;
}

int main(int argc, char **argv)
{
  struct options o;
  int ret;

  tool_progname = "keel-cli";
  tool_info = stdout;
  signal(SIGPIPE, SIG_IGN);
  if (parse_options(argc, argv, &o) < 0) {
    usage(stderr);
    return TOOL_EXIT_USAGE;
  }
  if (o.logfile != NULL && tool_open_logfile(o.logfile) < 0)
    return TOOL_EXIT_FAIL;
  if ((ret = gnutls_global_init()) < 0) {
    tool_error("cannot initialise the library: %s", gnutls_strerror(ret));
    return TOOL_EXIT_FAIL;
  }
  if (o.debug > 0)
    tool_set_debug(o.debug);
  ret = run(&o);
  gnutls_global_deinit();
  return ret;
}

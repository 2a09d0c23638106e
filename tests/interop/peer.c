/* A minimal Keel client or server for the interop scripts: one connection on 127.0.0.1, one line
 * of application data each way, the negotiated parameters printed. Public API only. */
#include <gnutls/gnutls.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* A safety net for runs by hand; the scripts bound every run with timeout(1) themselves. */
#define PEER_ALARM_SECONDS 60
#define PEER_LINE_MAX (4u << 20)

static int hello_retry_requests, server_hellos;

static void usage(void)
{
	fprintf(stderr, "usage: peer server PORT CERT KEY [CERT KEY]... PRIORITY\n"
	                "       peer client PORT PRIORITY   (sends one line from stdin)\n"
	                "PORT 0 for the server: any free port, printed as \"listening PORT\".\n");
	exit(2);
}

static void fail(const char *what, int ret)
{
	fprintf(stderr, "peer: %s: %s (%d)\n", what, gnutls_strerror(ret), ret);
	exit(1);
}

static void fail_errno(const char *what)
{
	fprintf(stderr, "peer: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* GnuTLS reports a HelloRetryRequest as GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST; counting a second
 * ServerHello too keeps "hrr:" about the protocol, whatever type the hook is given. */
static int count_hrr(gnutls_session_t session, unsigned int htype, unsigned when,
                     unsigned int incoming, const gnutls_datum_t *msg)
{
	if (htype == GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST)
		hello_retry_requests++;
	else if (htype == GNUTLS_HANDSHAKE_SERVER_HELLO && server_hellos++ > 0)
		hello_retry_requests++;
	return 0;
}

static void print_params(gnutls_session_t session)
{
	char *desc = gnutls_session_get_desc(session);

	printf("desc: %s\n", desc ? desc : "(null)");
	gnutls_free(desc);
	printf("version: %s\n", gnutls_protocol_get_name(gnutls_protocol_get_version(session)));
	printf("cipher: %s\n", gnutls_cipher_get_name(gnutls_cipher_get(session)));
	printf("group: %s\n", gnutls_group_get_name(gnutls_group_get(session)));
	printf("hrr: %d\n", hello_retry_requests);
	fflush(stdout);
}

static void handshake(gnutls_session_t session)
{
	int ret;

	do
		ret = gnutls_handshake(session);
	while (ret < 0 && !gnutls_error_is_fatal(ret));
	if (ret < 0) {
		int alert = (ret == GNUTLS_E_FATAL_ALERT_RECEIVED || ret == GNUTLS_E_WARNING_ALERT_RECEIVED)
		                ? (int)gnutls_alert_get(session) : -1;
		if (alert >= 0)
			fprintf(stderr, "peer: alert received: %s\n", gnutls_alert_get_name(alert));
		fail("handshake", ret);
	}
	print_params(session);
}

/* Reads up to and including the first '\n' (or to close_notify); returns the length. */
static size_t recv_line(gnutls_session_t session, char **line)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);

	if (!buf)
		fail_errno("malloc");
	for (;;) {
		ssize_t n;

		if (len > 0 && buf[len - 1] == '\n')
			break;
		if (cap - len < 1024) {
			char *bigger;

			if (cap >= PEER_LINE_MAX) {
				fprintf(stderr, "peer: line longer than %u bytes\n", PEER_LINE_MAX);
				exit(1);
			}
			bigger = realloc(buf, cap * 2);
			if (!bigger)
				fail_errno("realloc");
			buf = bigger;
			cap *= 2;
		}
		n = gnutls_record_recv(session, buf + len, cap - len - 1);
		if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
			continue;
		if (n < 0)
			fail("record_recv", (int)n);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*line = buf;
	return len;
}

static void send_all(gnutls_session_t session, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = gnutls_record_send(session, data, len);

		if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
			continue;
		if (n < 0)
			fail("record_send", (int)n);
		data += n;
		len -= (size_t)n;
	}
}

/* Sends close_notify, then waits (bounded) for the peer to close too, so that closing the
 * socket never resets a connection whose last bytes the peer has not read yet. */
static void finish(gnutls_session_t session, int fd)
{
	struct timeval tv = { .tv_sec = 3 };
	char sink[4096];
	int ret;

	do
		ret = gnutls_bye(session, GNUTLS_SHUT_WR);
	while (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED);
	if (ret < 0)
		fail("bye", ret);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	while (gnutls_record_recv(session, sink, sizeof sink) > 0)
		;
	printf("done\n");
	fflush(stdout);
}

static void print_received(const char *line, size_t len)
{
	printf("received: %.*s\n", (int)(len && line[len - 1] == '\n' ? len - 1 : len), line);
	fflush(stdout);
}

static gnutls_session_t new_session(unsigned flags, const char *priority,
                                    gnutls_certificate_credentials_t cred)
{
	gnutls_session_t session;
	const char *err_pos = NULL;
	int ret;

	if ((ret = gnutls_init(&session, flags)) < 0)
		fail("init", ret);
	if ((ret = gnutls_priority_set_direct(session, priority, &err_pos)) < 0) {
		fprintf(stderr, "peer: bad priority at: %s\n", err_pos ? err_pos : "?");
		fail("priority_set_direct", ret);
	}
	if ((ret = gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, cred)) < 0)
		fail("credentials_set", ret);
	gnutls_handshake_set_hook_function(session, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_POST, count_hrr);
	return session;
}

static int parse_port(const char *s)
{
	char *end;
	long port = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || port < 0 || port > 65535)
		usage();
	return (int)port;
}

static void loopback(struct sockaddr_in *sa, int port)
{
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

static int run_server(int argc, char **argv)
{
	gnutls_certificate_credentials_t cred;
	gnutls_session_t session;
	struct sockaddr_in sa;
	socklen_t salen = sizeof sa;
	int lfd, fd, one = 1, ret, i;
	char *line;
	size_t len;

	/* server PORT (CERT KEY)+ PRIORITY */
	if (argc < 6 || (argc - 4) % 2 != 0)
		usage();
	if ((ret = gnutls_certificate_allocate_credentials(&cred)) < 0)
		fail("certificate_allocate_credentials", ret);
	for (i = 3; i + 1 < argc - 1; i += 2)
		if ((ret = gnutls_certificate_set_x509_key_file(cred, argv[i], argv[i + 1],
		                                                GNUTLS_X509_FMT_PEM)) < 0) {
			fprintf(stderr, "peer: %s / %s:\n", argv[i], argv[i + 1]);
			fail("certificate_set_x509_key_file", ret);
		}

	loopback(&sa, parse_port(argv[2]));
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		fail_errno("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0)
		fail_errno("bind 127.0.0.1");
	if (listen(lfd, 1) < 0)
		fail_errno("listen");
	if (getsockname(lfd, (struct sockaddr *)&sa, &salen) < 0)
		fail_errno("getsockname");
	printf("listening %d\n", ntohs(sa.sin_port));
	fflush(stdout);

	do
		fd = accept(lfd, NULL, NULL);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		fail_errno("accept");
	close(lfd);

	session = new_session(GNUTLS_SERVER, argv[argc - 1], cred);
	gnutls_transport_set_int(session, fd);
	handshake(session);
	len = recv_line(session, &line);
	print_received(line, len);
	send_all(session, line, len);
	finish(session, fd);

	free(line);
	gnutls_deinit(session);
	close(fd);
	gnutls_certificate_free_credentials(cred);
	return 0;
}

static int run_client(int argc, char **argv)
{
	gnutls_certificate_credentials_t cred;
	gnutls_session_t session;
	struct sockaddr_in sa;
	char *out = NULL, *in;
	size_t out_cap = 0, len;
	ssize_t out_len;
	int fd, ret;

	if (argc != 4)
		usage();
	loopback(&sa, parse_port(argv[2]));
	out_len = getline(&out, &out_cap, stdin);
	if (out_len <= 0) {
		fprintf(stderr, "peer: no line on stdin\n");
		return 1;
	}

	/* As in GnuTLS, the client does not verify the server unless asked: the test is about
	 * the protocol, and the certificates' checks belong to other tests. */
	if ((ret = gnutls_certificate_allocate_credentials(&cred)) < 0)
		fail("certificate_allocate_credentials", ret);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		fail_errno("socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		fail_errno("connect 127.0.0.1");

	session = new_session(GNUTLS_CLIENT, argv[3], cred);
	gnutls_transport_set_int(session, fd);
	handshake(session);
	send_all(session, out, (size_t)out_len);
	len = recv_line(session, &in);
	print_received(in, len);
	finish(session, fd);

	free(in);
	free(out);
	gnutls_deinit(session);
	close(fd);
	gnutls_certificate_free_credentials(cred);
	return 0;
}

int main(int argc, char **argv)
{
	int ret;

	if (argc < 2)
		usage();
	signal(SIGPIPE, SIG_IGN);
	alarm(PEER_ALARM_SECONDS);
	if ((ret = gnutls_global_init()) < 0)
		fail("global_init", ret);
	if (strcmp(argv[1], "server") == 0)
		ret = run_server(argc, argv);
	else if (strcmp(argv[1], "client") == 0)
		ret = run_client(argc, argv);
	else
		usage();
	gnutls_global_deinit();
	return ret;
}

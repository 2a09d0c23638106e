/* TCP sockets for the tools: one connect, one listen, each with a one-line error. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "common/tool.h"

int tool_connect(const char *host, const char *port)
{
  struct addrinfo hints, *res, *ai;
  int fd = -1, err = 0, ret;

  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  ret = getaddrinfo(host, port, &hints, &res);
  if (ret != 0) {
    tool_error("cannot resolve %s port %s: %s", host, port, gai_strerror(ret));
    return -1;
  }
  for (ai = res; ai != NULL; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      err = errno;
      continue;
    }
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
      break;
    err = errno;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) {
    tool_error("cannot connect to %s port %s: %s", host, port, strerror(err));
    return -1;
  }
  ret = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &ret, sizeof ret);
  return fd;
}

int tool_listen(const char *addr, const char *port, int *bound)
{
  struct addrinfo hints, *res;
  struct sockaddr_storage ss;
  socklen_t sslen = sizeof ss;
  int fd, one = 1, ret;

  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
  ret = getaddrinfo(addr, port, &hints, &res);
  if (ret != 0) {
    tool_error("cannot listen on %s port %s: %s", addr, port, gai_strerror(ret));
    return -1;
  }
  fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
      bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 128) < 0 ||
      getsockname(fd, (struct sockaddr *)&ss, &sslen) < 0) {
    tool_error("cannot listen on %s port %s: %s", addr, port, strerror(errno));
    if (fd >= 0)
      close(fd);
    freeaddrinfo(res);
    return -1;
  }
  freeaddrinfo(res);
  if (ss.ss_family == AF_INET6)
    *bound = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  else
    *bound = ntohs(((struct sockaddr_in *)&ss)->sin_port);
  return fd;
}

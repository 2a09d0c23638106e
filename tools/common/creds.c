/* Loading certificates, keys, trust and priorities, with one clear line on failure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/tool.h"

/* Tell "cannot read the file" apart from "the library cannot parse it". */
static int readable(const char *what, const char *path)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    tool_error("cannot read %s file %s: %s", what, path, strerror(errno));
    return 0;
  }
  fclose(f);
  return 1;
}

int tool_load_key_pair(gnutls_certificate_credentials_t cred, const char *certfile,
                       const char *keyfile)
{
  int ret;
  if (!readable("certificate", certfile) || !readable("key", keyfile))
    return -1;
  ret = gnutls_certificate_set_x509_key_file(cred, certfile, keyfile, GNUTLS_X509_FMT_PEM);
  if (ret < 0) {
    tool_error("cannot load certificate %s with key %s: %s", certfile, keyfile,
               gnutls_strerror(ret));
    return -1;
  }
  return 0;
}

int tool_load_demo_identity(gnutls_certificate_credentials_t cred)
{
  gnutls_datum_t cert = { (unsigned char *)tool_demo_cert_pem,
                          (unsigned int)strlen(tool_demo_cert_pem) };
  gnutls_datum_t key = { (unsigned char *)tool_demo_key_pem,
                         (unsigned int)strlen(tool_demo_key_pem) };
  int ret = gnutls_certificate_set_x509_key_mem(cred, &cert, &key, GNUTLS_X509_FMT_PEM);
  if (ret < 0) {
    tool_error("cannot load the built-in demo identity: %s", gnutls_strerror(ret));
    return -1;
  }
  return 0;
}

int tool_load_trust_file(gnutls_certificate_credentials_t cred, const char *cafile)
{
  int ret;
  if (!readable("CA", cafile))
    return -1;
  ret = gnutls_certificate_set_x509_trust_file(cred, cafile, GNUTLS_X509_FMT_PEM);
  if (ret < 0) {
    tool_error("cannot load CA file %s: %s", cafile, gnutls_strerror(ret));
    return -1;
  }
  if (ret == 0) {
    tool_error("cannot load CA file %s: it holds no certificate", cafile);
    return -1;
  }
  return ret;
}

int tool_check_priority(const char *priority)
{
  gnutls_priority_t p;
  const char *err_pos = NULL;
  int ret = gnutls_priority_init(&p, priority, &err_pos);
  if (ret < 0) {
    if (err_pos != NULL && ret == GNUTLS_E_INVALID_REQUEST)
      tool_error("bad priority string at '%s': %s", err_pos, gnutls_strerror(ret));
    else
      tool_error("bad priority string '%s': %s", priority, gnutls_strerror(ret));
    return -1;
  }
  gnutls_priority_deinit(p);
  return 0;
}

/* RFC 7919 ffdhe2048 in PKCS#3 form: public, standard parameters for DHE and anonymous
 * DH with clients that negotiate no RFC 7919 group of their own. */
static const char ffdhe2048_pkcs3[] =
  "-----BEGIN DH PARAMETERS-----\n"
  "MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz\n"
  "+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a\n"
  "87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7\n"
  "YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi\n"
  "7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD\n"
  "ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==\n"
  "-----END DH PARAMETERS-----\n";

int tool_load_dh_params(gnutls_dh_params_t *dh, const char *file)
{
  gnutls_datum_t pem = { (unsigned char *)ffdhe2048_pkcs3, (unsigned int)strlen(ffdhe2048_pkcs3) };
  char buf[16384];
  size_t n = 0;
  int ret;

  if (file != NULL) {
    FILE *f = fopen(file, "rb");
    if (f == NULL) {
      tool_error("cannot read DH parameters file %s: %s", file, strerror(errno));
      return -1;
    }
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    pem.data = (unsigned char *)buf;
    pem.size = (unsigned int)n;
  }
  if ((ret = gnutls_dh_params_init(dh)) < 0 ||
      (ret = gnutls_dh_params_import_pkcs3(*dh, &pem, GNUTLS_X509_FMT_PEM)) < 0) {
    tool_error("cannot load DH parameters %s: %s", file != NULL ? file : "(built-in ffdhe2048)",
               gnutls_strerror(ret));
    return -1;
  }
  return 0;
}

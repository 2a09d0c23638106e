/* What a session negotiated, printed the way gnutls-cli and gnutls-serv print it. */
#include "common/tool.h"

static const char *or_none(const char *name)
{
  return name != NULL ? name : "none";
}

const char *tool_version_name(gnutls_session_t s)
{
  return or_none(gnutls_protocol_get_name(gnutls_protocol_get_version(s)));
}

const char *tool_group_name(gnutls_session_t s)
{
  return or_none(gnutls_group_get_name(gnutls_group_get(s)));
}

const char *tool_cipher_name(gnutls_session_t s)
{
  return or_none(gnutls_cipher_get_name(gnutls_cipher_get(s)));
}

void tool_print_session_info(FILE *out, const char *prefix, gnutls_session_t s, int verbose)
{
  char *desc = gnutls_session_get_desc(s);
  fprintf(out, "%s- Description: %s\n", prefix, desc != NULL ? desc : "(unknown)");
  gnutls_free(desc);
  if (verbose) {
    fprintf(out, "%s- Version: %s\n", prefix, tool_version_name(s));
    fprintf(out, "%s- Key Exchange: %s\n", prefix, or_none(gnutls_kx_get_name(gnutls_kx_get(s))));
    fprintf(out, "%s- Group: %s\n", prefix, tool_group_name(s));
    fprintf(out, "%s- Cipher: %s\n", prefix, tool_cipher_name(s));
    fprintf(out, "%s- MAC: %s\n", prefix, or_none(gnutls_mac_get_name(gnutls_mac_get(s))));
  }
  fprintf(out, "%s- Options:%s%s\n", prefix,
          gnutls_session_ext_master_secret_status(s) ? " extended master secret," : "",
          gnutls_safe_renegotiation_status(s) ? " safe renegotiation," : "");
  fflush(out);
}

void tool_print_alert(FILE *out, const char *prefix, gnutls_session_t s)
{
  gnutls_alert_description_t a = gnutls_alert_get(s);
  fprintf(out, "%s*** Received alert [%d]: %s\n", prefix, (int)a, or_none(gnutls_alert_get_name(a)));
  fflush(out);
}

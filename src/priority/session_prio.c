/* The session end of priorities: gnutls_priority_set and the one-call variants that parse a
 * string for one session. The session keeps a reference (released when it is deinitialized),
 * so the caller may deinit its priority right after setting it. */
#include "session.h"

int gnutls_priority_set(gnutls_session_t session, gnutls_priority_t priority)
{
    /* As GnuTLS: a priority that can negotiate nothing is refused here, not at init. */
    if (!session || !priority || priority->n_versions == 0 || priority->n_suites == 0)
        return GNUTLS_E_NO_PRIORITIES_WERE_SET;
    keel_priority_ref(priority);
    keel_priority_unref(session->prio);
    session->prio = priority;
    return 0;
}

int gnutls_set_default_priority_append(gnutls_session_t session, const char *add_prio,
                                       const char **err_pos, unsigned flags)
{
    gnutls_priority_t p;
    (void)flags;    /* GnuTLS defines none */
    TRY(gnutls_priority_init2(&p, add_prio, err_pos, GNUTLS_PRIORITY_INIT_DEF_APPEND));
    int ret = gnutls_priority_set(session, p);
    gnutls_priority_deinit(p);
    return ret;
}

int gnutls_priority_set_direct(gnutls_session_t session, const char *priorities,
                               const char **err_pos)
{
    gnutls_priority_t p;
    TRY(gnutls_priority_init(&p, priorities, err_pos));
    int ret = gnutls_priority_set(session, p);
    gnutls_priority_deinit(p);
    return ret;
}

int gnutls_set_default_priority(gnutls_session_t session)
{
    return gnutls_priority_set_direct(session, NULL, NULL);
}

/* <gnutls/abstract.h>'s parsed certificates and keys, as far as certificate selection
 * callbacks (gnutls_certificate_set_retrieve_function2) need them: gnutls_pcert_st from raw
 * certificates, gnutls_privkey_t from raw keys, each over Keel's own objects. */
#include <gnutls/abstract.h>
#include "x509/internal.h"

struct gnutls_pubkey_st {
    keel_pkey *key;             /* NULL until imported */
};

struct gnutls_privkey_st {
    keel_pkey *key;             /* NULL until imported */
};

int gnutls_pubkey_init(gnutls_pubkey_t *key)
{
    CHECK(key != NULL, GNUTLS_E_INVALID_REQUEST);
    *key = keel_calloc(1, sizeof **key);
    CHECK(*key != NULL, GNUTLS_E_MEMORY_ERROR);
    return 0;
}

void gnutls_pubkey_deinit(gnutls_pubkey_t key)
{
    if (key == NULL)
        return;
    if (key->key != NULL)
        keel_pkey_unref(key->key);
    keel_free(key);
}

int gnutls_privkey_init(gnutls_privkey_t *key)
{
    CHECK(key != NULL, GNUTLS_E_INVALID_REQUEST);
    *key = keel_calloc(1, sizeof **key);
    CHECK(*key != NULL, GNUTLS_E_MEMORY_ERROR);
    return 0;
}

void gnutls_privkey_deinit(gnutls_privkey_t key)
{
    if (key == NULL)
        return;
    if (key->key != NULL)
        keel_pkey_unref(key->key);
    keel_free(key);
}

int gnutls_privkey_import_x509_raw(gnutls_privkey_t pkey, const gnutls_datum_t *data,
                                   gnutls_x509_crt_fmt_t format, const char *password,
                                   unsigned int flags)
{
    keel_pkey *k;

    (void)flags;
    CHECK(pkey != NULL && data != NULL, GNUTLS_E_INVALID_REQUEST);
    TRY(keel_load_private_key(data, format, password, &k));
    if (pkey->key != NULL)
        keel_pkey_unref(pkey->key);
    pkey->key = k;
    return 0;
}

keel_pkey *keel_privkey_pkey(gnutls_privkey_t key)
{
    return key != NULL ? key->key : NULL;
}

int gnutls_pcert_import_x509_raw(gnutls_pcert_st *pcert, const gnutls_datum_t *cert,
                                 gnutls_x509_crt_fmt_t format, unsigned int flags)
{
    keel_cert **chain;
    unsigned n;
    size_t len;
    const uint8_t *der;
    int ret;

    (void)flags;
    CHECK(pcert != NULL && cert != NULL, GNUTLS_E_INVALID_REQUEST);
    memset(pcert, 0, sizeof *pcert);
    TRY(keel_load_cert_chain(cert, format, &chain, &n));
    /* A pcert is one certificate: the first of PEM input, as GnuTLS. */
    der = keel_cert_der(chain[0], &len);
    CHECK_OUT(keel_cert_pubkey(chain[0]) != NULL, GNUTLS_E_UNKNOWN_PK_ALGORITHM);
    pcert->cert.data = gnutls_malloc(len);
    CHECK_OUT(pcert->cert.data != NULL, GNUTLS_E_MEMORY_ERROR);
    memcpy(pcert->cert.data, der, len);
    pcert->cert.size = (unsigned)len;
    pcert->type = GNUTLS_CRT_X509;
    ret = gnutls_pubkey_init(&pcert->pubkey);
    if (ret < 0) {
        gnutls_free(pcert->cert.data);
        memset(pcert, 0, sizeof *pcert);
        goto out;
    }
    pcert->pubkey->key = keel_cert_pubkey(chain[0]);
    keel_pkey_ref(pcert->pubkey->key);
    ret = 0;
out:
    keel_cert_chain_free(chain, n);
    return ret;
}

void gnutls_pcert_deinit(gnutls_pcert_st *pcert)
{
    if (pcert == NULL)
        return;
    gnutls_pubkey_deinit(pcert->pubkey);
    gnutls_free(pcert->cert.data);
    memset(pcert, 0, sizeof *pcert);
}

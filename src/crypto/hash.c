/* SHA-1/SHA-2 digests: one-shot and incremental (handshake transcripts). */
#include "crypto/internal.h"

struct keel_hash {
    EVP_MD_CTX *ctx;
    /* Where keel_hash_peek finishes a copy of ctx, so peeking allocates nothing. */
    EVP_MD_CTX *scratch;
    keel_hash_id id;
};

size_t keel_hash_len(keel_hash_id id)
{
    switch (id) {
    case KEEL_HASH_SHA1: return 20;
    case KEEL_HASH_SHA256: return 32;
    case KEEL_HASH_SHA384: return 48;
    case KEEL_HASH_SHA512: return 64;
    case KEEL_HASH_NONE:
    default: return 0;
    }
}

int keel_hash_new(keel_hash_id id, keel_hash **out)
{
    const EVP_MD *md = keel_ossl_md(id);
    keel_hash *h;

    *out = NULL;
    CHECK(md != NULL, GNUTLS_E_INVALID_REQUEST);
    h = keel_calloc(1, sizeof *h);
    CHECK(h != NULL, GNUTLS_E_MEMORY_ERROR);
    h->id = id;
    h->ctx = EVP_MD_CTX_new();
    h->scratch = EVP_MD_CTX_new();
    if (h->ctx == NULL || h->scratch == NULL || !EVP_DigestInit_ex2(h->ctx, md, NULL)) {
        keel_hash_free(h);
        return keel_ossl_fail(GNUTLS_E_MEMORY_ERROR);
    }
    *out = h;
    return 0;
}

int keel_hash_update(keel_hash *h, const void *data, size_t n)
{
    if (n == 0)
        return 0;
    if (!EVP_DigestUpdate(h->ctx, data, n))
        return keel_ossl_fail(GNUTLS_E_HASH_FAILED);
    return 0;
}

int keel_hash_peek(const keel_hash *h, uint8_t *out)
{
    if (!EVP_MD_CTX_copy_ex(h->scratch, h->ctx) || !EVP_DigestFinal_ex(h->scratch, out, NULL))
        return keel_ossl_fail(GNUTLS_E_HASH_FAILED);
    return 0;
}

int keel_hash_clone(const keel_hash *h, keel_hash **out)
{
    keel_hash *c;

    TRY(keel_hash_new(h->id, &c));
    if (!EVP_MD_CTX_copy_ex(c->ctx, h->ctx)) {
        keel_hash_free(c);
        return keel_ossl_fail(GNUTLS_E_HASH_FAILED);
    }
    *out = c;
    return 0;
}

void keel_hash_free(keel_hash *h)
{
    if (h == NULL)
        return;
    EVP_MD_CTX_free(h->ctx);
    EVP_MD_CTX_free(h->scratch);
    keel_free(h);
}

int keel_hash_oneshot(keel_hash_id id, const void *data, size_t n, uint8_t *out)
{
    EVP_MD_CTX *ctx;
    int ok;

    CHECK(keel_ossl_md(id) != NULL, GNUTLS_E_INVALID_REQUEST);
    /* This thread's reusable context: EVP_Digest would allocate one per call. */
    ctx = keel_md_borrow(id);
    if (ctx == NULL)
        return keel_ossl_fail(GNUTLS_E_MEMORY_ERROR);
    ok = (n == 0 || EVP_DigestUpdate(ctx, data, n)) && EVP_DigestFinal_ex(ctx, out, NULL);
    keel_md_release(id, ctx);
    return ok ? 0 : keel_ossl_fail(GNUTLS_E_HASH_FAILED);
}

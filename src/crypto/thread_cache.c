/* Per-thread caches, so that steady work allocates nothing:
 *  - digest contexts for the short hashes of HMAC, HKDF and one-shot digests: one EVP_MD_CTX
 *    per hash and thread, re-initialised after each use (a context created and freed per key
 *    schedule step cost as much as the hashing);
 *  - key generation contexts, one per named group and thread, made from the group's template
 *    and initialised once: a context per key cost ~13k instructions and ~17 lock operations
 *    on libcrypto's shared name and method stores (which two threads then contend on);
 *  - spare buffers: a record buffer that a session no longer needs (drained at the end of a
 *    call) is parked here rather than freed, and the next session of the thread that needs
 *    one takes it, so idle sessions hold no buffers and busy ones do not allocate per record.
 *
 * Lifetime: a thread's entries are created on first use and freed when the thread exits (a
 * pthread key destructor). The thread that calls keel_crypto_deinit() (normally the main
 * thread, whose key destructors never run) has its entries freed there; a digest context
 * holds its own reference to its digest, so one that outlives keel_crypto_deinit in another
 * live thread stays valid and is freed when that thread exits. Nothing here is shared
 * between threads; a buffer taken belongs to the taker alone. */
#include <pthread.h>
#include "crypto/internal.h"

struct spare {
    uint8_t *buf;
    size_t cap;
};

static __thread EVP_MD_CTX *md_ctx[KEEL_HASH_COUNT];
static __thread EVP_PKEY_CTX *keygen_ctx[KEEL_KX_COUNT];
static __thread struct spare spares[KEEL_SPARE_KINDS];
static __thread int thread_registered;

static pthread_key_t thread_key;
static pthread_once_t thread_key_once = PTHREAD_ONCE_INIT;
static int thread_key_ok;

void keel_thread_cache_free(void)
{
    for (size_t i = 0; i < KEEL_HASH_COUNT; i++) {
        EVP_MD_CTX_free(md_ctx[i]);
        md_ctx[i] = NULL;
    }
    for (size_t i = 0; i < KEEL_KX_COUNT; i++) {
        EVP_PKEY_CTX_free(keygen_ctx[i]);
        keygen_ctx[i] = NULL;
    }
    for (size_t i = 0; i < KEEL_SPARE_KINDS; i++) {
        keel_free(spares[i].buf);
        spares[i].buf = NULL;
        spares[i].cap = 0;
    }
}

static void thread_exit(void *unused)
{
    (void)unused;
    keel_thread_cache_free();
}

static void thread_key_create(void)
{
    thread_key_ok = pthread_key_create(&thread_key, thread_exit) == 0;
}

/* Arranges for this thread's entries to be freed at its exit; 0 on success. */
static int thread_register(void)
{
    if (thread_registered)
        return 0;
    pthread_once(&thread_key_once, thread_key_create);
    /* The key's value only has to be non-NULL for the destructor to run. */
    if (!thread_key_ok || pthread_setspecific(thread_key, &thread_registered) != 0)
        return -1;
    thread_registered = 1;
    return 0;
}

EVP_MD_CTX *keel_md_borrow(keel_hash_id id)
{
    const EVP_MD *md = keel_ossl_md(id);
    EVP_MD_CTX *ctx;

    if (md == NULL)
        return NULL;
    if (md_ctx[id] != NULL)
        return md_ctx[id];
    if (thread_register() < 0)
        return NULL;
    ctx = EVP_MD_CTX_new();
    if (ctx == NULL || !EVP_DigestInit_ex2(ctx, md, NULL)) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    md_ctx[id] = ctx;
    return ctx;
}

void keel_md_release(keel_hash_id id, EVP_MD_CTX *ctx)
{
    /* Re-initialising also overwrites the state of the last hash, which may be secret. */
    if (!EVP_DigestInit_ex(ctx, NULL, NULL)) {
        EVP_MD_CTX_free(ctx);
        md_ctx[id] = NULL;
    }
}

EVP_PKEY_CTX *keel_keygen_borrow(keel_kx_id id)
{
    EVP_PKEY_CTX *ctx;

    if ((unsigned)id >= KEEL_KX_COUNT || keel_ossl.kx_tmpl[id] == NULL)
        return NULL;
    if (keygen_ctx[id] != NULL)
        return keygen_ctx[id];
    if (thread_register() < 0)
        return NULL;
    /* The context holds its own reference to the template. */
    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, keel_ossl.kx_tmpl[id], NULL);
    if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0) {
        EVP_PKEY_CTX_free(ctx);
        return NULL;
    }
    keygen_ctx[id] = ctx;
    return ctx;
}

void keel_keygen_drop(keel_kx_id id)
{
    EVP_PKEY_CTX_free(keygen_ctx[id]);
    keygen_ctx[id] = NULL;
}

uint8_t *keel_spare_take(int kind, size_t min, size_t max, size_t *cap)
{
    struct spare *sp = &spares[kind];
    uint8_t *p = sp->buf;

    if (p == NULL || sp->cap < min || sp->cap > max)
        return NULL;
    *cap = sp->cap;
    sp->buf = NULL;
    return p;
}

int keel_spare_give(int kind, uint8_t *buf, size_t cap)
{
    struct spare *sp = &spares[kind];

    /* One spare per kind: the larger one is worth keeping. */
    if (sp->buf != NULL && sp->cap >= cap)
        return 0;
    if (!thread_registered && thread_register() < 0)
        return 0;
    keel_free(sp->buf);
    sp->buf = buf;
    sp->cap = cap;
    return 1;
}

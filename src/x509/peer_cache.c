/* The peer-certificate cache: parsing a certificate costs ~105 us (perf-notes 1), more than
 * the signature it carries, so peers' certificates are kept parsed, keyed by their DER bytes,
 * in a small bounded table shared by all threads. A hit is a hash, a memcmp and a reference. */
#include <pthread.h>
#include "x509/internal.h"

#define PEER_CACHE_SLOTS 32

struct peer_slot {
    uint64_t hash;
    uint64_t last_use;      /* for least-recently-used replacement */
    keel_cert *cert;        /* NULL: free slot */
};

static struct {
    pthread_mutex_t lock;
    struct peer_slot slots[PEER_CACHE_SLOTS];
    uint64_t clock;
    unsigned long hits, misses;
} cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Not a security boundary (every hit is confirmed by memcmp); it only has to spread
 * certificates that share long prefixes. 8 bytes per step, multiply-xorshift mixing. */
static uint64_t der_hash(const uint8_t *p, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ len;
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    for (; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    h ^= h >> 29;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 32);
}

/* Under the lock: the cached certificate with these bytes, or NULL. */
static keel_cert *find_locked(uint64_t hash, const uint8_t *der, size_t len)
{
    for (unsigned i = 0; i < PEER_CACHE_SLOTS; i++) {
        struct peer_slot *s = &cache.slots[i];
        if (s->cert != NULL && s->hash == hash && s->cert->der_len == len &&
            memcmp(s->cert->der, der, len) == 0) {
            s->last_use = ++cache.clock;
            return s->cert;
        }
    }
    return NULL;
}

int keel_peer_cert_from_der(const uint8_t *der, size_t len, keel_cert **out)
{
    uint64_t hash = der_hash(der, len);
    keel_cert *c, *raced, *evicted = NULL;
    struct peer_slot *victim;

    *out = NULL;
    pthread_mutex_lock(&cache.lock);
    c = find_locked(hash, der, len);
    if (c != NULL) {
        keel_cert_ref(c);
        cache.hits++;
    } else {
        cache.misses++;
    }
    pthread_mutex_unlock(&cache.lock);
    if (c != NULL) {
        *out = c;
        return 0;
    }

    /* Parse outside the lock; malformed certificates are not cached. */
    TRY(keel_cert_from_der(der, len, &c));

    pthread_mutex_lock(&cache.lock);
    raced = find_locked(hash, der, len);
    if (raced != NULL) {
        /* Another thread parsed the same bytes meanwhile: share its copy. */
        keel_cert_ref(raced);
        pthread_mutex_unlock(&cache.lock);
        keel_cert_free(c);
        *out = raced;
        return 0;
    }
    victim = &cache.slots[0];
    for (unsigned i = 0; i < PEER_CACHE_SLOTS; i++) {
        struct peer_slot *s = &cache.slots[i];
        if (s->cert == NULL) {
            victim = s;
            break;
        }
        if (s->last_use < victim->last_use)
            victim = s;
    }
    evicted = victim->cert;
    victim->cert = c;
    victim->hash = hash;
    victim->last_use = ++cache.clock;
    keel_cert_ref(c);               /* the cache's reference */
    pthread_mutex_unlock(&cache.lock);

    keel_cert_free(evicted);
    *out = c;
    return 0;
}

int keel_peer_pubkey_from_der(const uint8_t *der, size_t len, keel_pkey **out)
{
    keel_cert *c;
    keel_pkey *pub;

    *out = NULL;
    TRY(keel_peer_cert_from_der(der, len, &c));
    pub = keel_cert_pubkey(c);
    if (pub == NULL) {
        keel_cert_free(c);
        return GNUTLS_E_UNKNOWN_PK_ALGORITHM;
    }
    keel_pkey_ref(pub);
    keel_cert_free(c);
    *out = pub;
    return 0;
}

void keel_x509_deinit(void)
{
    keel_cert *old[PEER_CACHE_SLOTS];

    pthread_mutex_lock(&cache.lock);
    for (unsigned i = 0; i < PEER_CACHE_SLOTS; i++) {
        old[i] = cache.slots[i].cert;
        cache.slots[i].cert = NULL;
        cache.slots[i].last_use = 0;
    }
    cache.clock = 0;
    cache.hits = cache.misses = 0;
    pthread_mutex_unlock(&cache.lock);
    for (unsigned i = 0; i < PEER_CACHE_SLOTS; i++)
        keel_cert_free(old[i]);
}

void keel_test_peer_cache_stats(unsigned long *hits, unsigned long *misses)
{
    pthread_mutex_lock(&cache.lock);
    *hits = cache.hits;
    *misses = cache.misses;
    pthread_mutex_unlock(&cache.lock);
}

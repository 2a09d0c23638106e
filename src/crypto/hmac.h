/* HMAC by hand on a borrowed per-thread digest context (hmac_hkdf.c), for src/crypto/ only:
 * one key, any number of MACs under it (HKDF-Expand blocks, the TLS 1.2 PRF). */
#ifndef KEEL_CRYPTO_HMAC_H
#define KEEL_CRYPTO_HMAC_H

#include "crypto/internal.h"

typedef struct {
    EVP_MD_CTX *ctx;        /* borrowed (keel_md_borrow) until keel_hmac_key_done */
    keel_hash_id id;
    size_t hlen, blen;
    int fresh;              /* ctx is initialised and empty */
    uint8_t k0[128];        /* RFC 2104 K0: the key (hashed when longer than a block), zero-padded */
} keel_hmac_key;

int keel_hmac_key_init(keel_hmac_key *k, keel_hash_id id, const uint8_t *key, size_t key_len);
/* One MAC: start, any updates, finish. */
int keel_hmac_start(keel_hmac_key *k);
int keel_hmac_update(keel_hmac_key *k, const void *data, size_t n);
int keel_hmac_finish(keel_hmac_key *k, uint8_t *out);
/* Wipes the key and gives the context back; always call it after a successful init. */
void keel_hmac_key_done(keel_hmac_key *k);

#endif

/* The crypto ceiling (lib=ceiling): what libcrypto alone allows for each TLS row, with the
 * call patterns of ../shared/perf-notes.md and Keel's (algorithms fetched once, one AEAD
 * context per direction given each record's nonce - AES-GCM through one set_params call with
 * the whole IV as AEAD_TLS1_IV_FIXED, ChaCha20-Poly1305 by re-initialisation with the nonce -,
 * HMAC on a reused EVP_MAC context,
 * the server key shared, derive_set_peer_ex without re-validation).
 *  - bulk rows: AEAD seal+open of one 16 KiB TLS 1.3 record (16385 bytes with the content type),
 *    in place, in one thread; small_records: the same with 64-byte records; lib=ceiling_transport
 *    adds the two copies through the bench's in-memory transport that every TLS row pays;
 *  - handshake rows: all public-key, key-schedule, transcript and record crypto that both
 *    sides of one handshake perform, and the client's verification of the server certificate
 *    at its least (the CA's ECDSA P-256 signature on it); lib=ceiling uses the server
 *    certificate already parsed (a cache keyed by its DER bytes), lib=ceiling_parse parses it
 *    (d2i_X509) every time;
 *  - tls13_keyupdate: both sides' new traffic secret, key and IV, the re-keying of both
 *    contexts, and the KeyUpdate record plus one 1-byte record sealed and opened;
 *  - op_* rows: the single operations, in microseconds. */
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include "bench_common.h"

#define LIB "ceiling"

static const char *const rows[] = {
    "bulk_aes128gcm", "bulk_aes256gcm", "bulk_chacha20", "small_records", "tls13_keyupdate",
    "tls13_ecdsa_hs", "tls13_rsa_hs", "tls12_ecdsa_hs", "ops", NULL
};

static EVP_MD *sha256;
static EVP_MAC *hmac;
static EVP_PKEY *fixed_a, *fixed_b;     /* op_x25519_derive's key pair */
static EVP_MAC_CTX *hmac_ctx;

/* ---- AEAD: one context per direction ---- */

typedef struct {
    EVP_CIPHER_CTX *enc, *dec;
    unsigned char iv[12];
    unsigned char *buf;
    size_t len;      /* plaintext bytes per record, content type included */
    uint64_t seq;
    int gcm;
} aead;

static int aead_init(aead *a, const char *name, size_t len)
{
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, name, NULL);
    unsigned char key[32] = { 1, 2, 3 };
    if (!c)
        return -1;
    memset(a, 0, sizeof *a);
    a->enc = EVP_CIPHER_CTX_new();
    a->dec = EVP_CIPHER_CTX_new();
    a->len = len;
    a->gcm = strstr(name, "GCM") != NULL;
    a->buf = calloc(1, len + 16);
    int ok = EVP_EncryptInit_ex(a->enc, c, NULL, key, a->iv) == 1 &&
             EVP_DecryptInit_ex(a->dec, c, NULL, key, a->iv) == 1;
    EVP_CIPHER_free(c);
    return ok ? 0 : -1;
}

static void aead_free(aead *a)
{
    EVP_CIPHER_CTX_free(a->enc);
    EVP_CIPHER_CTX_free(a->dec);
    free(a->buf);
}

static void nonce_for(const aead *a, unsigned char nonce[12])
{
    memcpy(nonce, a->iv, 12);
    for (int i = 0; i < 8; i++)
        nonce[11 - i] ^= (unsigned char)(a->seq >> (8 * i));
}

/* A record's nonce (and, opening, its tag). GCM: the whole nonce as AEAD_TLS1_IV_FIXED with
 * length -1, the tag in the same call; re-initialising with the nonce costs an IV-length
 * query by name per call in 3.0. ChaCha20-Poly1305 has to be re-initialised. */
static int aead_nonce(const aead *a, EVP_CIPHER_CTX *c, const unsigned char nonce[12],
                      unsigned char *tag)
{
    OSSL_PARAM p[3] = {
        OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED, (void *)nonce, (size_t)-1),
        OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, 16),
        OSSL_PARAM_END
    };

    if (tag == NULL)
        p[1].key = NULL;
    if (a->gcm)
        return EVP_CIPHER_CTX_set_params(c, p);
    if (EVP_CipherInit_ex(c, NULL, NULL, NULL, nonce, c == a->enc) != 1)
        return 0;
    return tag == NULL || EVP_CIPHER_CTX_set_params(c, p + 1);
}

/* Seals and opens one record of n bytes in place (TLS 1.3 shape: 5-byte header as AAD). */
static int aead_record(aead *a, size_t n)
{
    unsigned char nonce[12], aad[5] = { 23, 3, 3, 0, 0 }, tag[16];
    int l = 0, l2 = 0;
    OSSL_PARAM p[2];

    aad[3] = (unsigned char)((n + 16) >> 8);
    aad[4] = (unsigned char)(n + 16);
    nonce_for(a, nonce);
    if (aead_nonce(a, a->enc, nonce, NULL) != 1 ||
        EVP_EncryptUpdate(a->enc, NULL, &l, aad, 5) != 1 ||
        EVP_EncryptUpdate(a->enc, a->buf, &l, a->buf, (int)n) != 1 ||
        EVP_EncryptFinal_ex(a->enc, a->buf + l, &l2) != 1)
        return -1;
    p[0] = OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, 16);
    p[1] = OSSL_PARAM_construct_end();
    if (EVP_CIPHER_CTX_get_params(a->enc, p) != 1)
        return -1;
    if (aead_nonce(a, a->dec, nonce, tag) != 1 ||
        EVP_DecryptUpdate(a->dec, NULL, &l, aad, 5) != 1 ||
        EVP_DecryptUpdate(a->dec, a->buf, &l, a->buf, (int)n) != 1 ||
        EVP_DecryptFinal_ex(a->dec, a->buf + l, &l2) != 1)
        return -2;
    a->seq++;
    return 0;
}

static BENCH_OP int op_record(void *arg)
{
    aead *a = arg;
    return aead_record(a, a->len);
}

/* The best a TLS library can do over the bench's transport (lib=ceiling_transport): seal from
 * the caller's buffer into a record, the two transport copies every TLS row pays (into the
 * queue and out of it), open into the caller's buffer. */
typedef struct {
    aead *a;
    memq q;
    unsigned char *user, *rec, *in, *out;
} transport_arg;

static BENCH_OP int op_record_transport(void *arg)
{
    transport_arg *t = arg;
    aead *a = t->a;
    unsigned char nonce[12], aad[5] = { 23, 3, 3, 0, 0 };
    size_t n = a->len, rl = 5 + n + 16;
    int l = 0, l2 = 0;
    OSSL_PARAM p[2];

    aad[3] = (unsigned char)((n + 16) >> 8);
    aad[4] = (unsigned char)(n + 16);
    memcpy(t->rec, aad, 5);
    nonce_for(a, nonce);
    if (aead_nonce(a, a->enc, nonce, NULL) != 1 ||
        EVP_EncryptUpdate(a->enc, NULL, &l, aad, 5) != 1 ||
        EVP_EncryptUpdate(a->enc, t->rec + 5, &l, t->user, (int)n) != 1 ||
        EVP_EncryptFinal_ex(a->enc, t->rec + 5 + l, &l2) != 1)
        return -1;
    p[0] = OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, t->rec + 5 + n, 16);
    p[1] = OSSL_PARAM_construct_end();
    if (EVP_CIPHER_CTX_get_params(a->enc, p) != 1)
        return -1;
    if (memq_write(&t->q, t->rec, rl) != rl || memq_read(&t->q, t->in, rl) != rl)
        return -1;
    if (aead_nonce(a, a->dec, nonce, t->in + 5 + n) != 1 ||
        EVP_DecryptUpdate(a->dec, NULL, &l, t->in, 5) != 1 ||
        EVP_DecryptUpdate(a->dec, t->out, &l, t->in + 5, (int)n) != 1 ||
        EVP_DecryptFinal_ex(a->dec, t->out + l, &l2) != 1)
        return -2;
    a->seq++;
    return 0;
}

/* New key and IV on both contexts (a key schedule step or a KeyUpdate). */
static int aead_rekey(aead *a, const unsigned char *key)
{
    a->seq = 0;
    return EVP_EncryptInit_ex(a->enc, NULL, NULL, key, a->iv) == 1 &&
           EVP_DecryptInit_ex(a->dec, NULL, NULL, key, a->iv) == 1 ? 0 : -1;
}

/* ---- HMAC steps (HKDF-Extract / Expand-Label / Finished / PRF blocks) ---- */

static int hmac_step(const unsigned char *key, size_t klen, const unsigned char *data, size_t n,
                     unsigned char out[32])
{
    size_t ol = 0;
    return EVP_MAC_init(hmac_ctx, key, klen, NULL) == 1 &&
           EVP_MAC_update(hmac_ctx, data, n) == 1 &&
           EVP_MAC_final(hmac_ctx, out, &ol, 32) == 1 ? 0 : -1;
}

static int hmac_steps(int count)
{
    unsigned char k[32] = { 7 }, label[64] = { 0, 32, 13, 't', 'l', 's', '1', '3', ' ' };
    for (int i = 0; i < count; i++)
        if (hmac_step(k, 32, label, 48, k) < 0)
            return -1;
    return 0;
}

/* A transcript of `bytes` hashed in `msgs` messages, with a snapshot hash after each. */
static int transcript(size_t bytes, int msgs)
{
    static unsigned char data[4096];
    unsigned char out[32];
    unsigned int ol;
    EVP_MD_CTX *t = EVP_MD_CTX_new(), *snap = EVP_MD_CTX_new();
    int ok = EVP_DigestInit_ex(t, sha256, NULL) == 1;
    size_t per = bytes / (size_t)msgs;
    for (int i = 0; ok && i < msgs; i++)
        ok = EVP_DigestUpdate(t, data, per) == 1 && EVP_MD_CTX_copy_ex(snap, t) == 1 &&
             EVP_DigestFinal_ex(snap, out, &ol) == 1;
    EVP_MD_CTX_free(t);
    EVP_MD_CTX_free(snap);
    return ok ? 0 : -1;
}

/* ---- public-key operations ---- */

typedef struct {
    EVP_PKEY_CTX *x25519_gen;
    EVP_PKEY *ecdsa_key, *rsa_key;          /* server private keys (shared, up-ref'd) */
    X509 *ecdsa_leaf, *rsa_leaf;            /* the server certificates, parsed once */
    EVP_PKEY *ecdsa_pub, *rsa_pub;          /* their keys */
    EVP_PKEY *ca_pub;                       /* the key of the CA that issued both */
    unsigned char *ecdsa_der, *rsa_der;
    int ecdsa_der_len, rsa_der_len;
    aead hs;                                /* handshake-record protection */
} pk;

static EVP_PKEY *x25519_keygen(pk *k)
{
    EVP_PKEY *p = NULL;
    return EVP_PKEY_keygen(k->x25519_gen, &p) == 1 ? p : NULL;
}

static int x25519_derive(EVP_PKEY *mine, EVP_PKEY *theirs)
{
    unsigned char pub[32], secret[32];
    size_t pl = sizeof pub, sl = sizeof secret;
    int ok = 0;
    if (EVP_PKEY_get_raw_public_key(theirs, pub, &pl) != 1)
        return -1;
    EVP_PKEY *peer = EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL, pub, pl);
    EVP_PKEY_CTX *d = EVP_PKEY_CTX_new_from_pkey(NULL, mine, NULL);
    ok = peer && d && EVP_PKEY_derive_init(d) == 1 && EVP_PKEY_derive_set_peer_ex(d, peer, 0) == 1 &&
         EVP_PKEY_derive(d, secret, &sl) == 1;
    EVP_PKEY_CTX_free(d);
    EVP_PKEY_free(peer);
    return ok ? 0 : -1;
}

static int set_pss(EVP_PKEY_CTX *pc)
{
    return EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST) == 1 ? 0 : -1;
}

static int sign_verify(EVP_PKEY *key, EVP_PKEY *pub, int pss, size_t tbs_len, int do_sign,
                       int do_verify)
{
    static unsigned char sig[512];
    static size_t siglen;
    unsigned char tbs[256];
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    int ok = 1;

    memset(tbs, 0x20, sizeof tbs);
    if (do_sign) {
        siglen = sizeof sig;
        ok = EVP_DigestSignInit(m, &pc, sha256, NULL, key) == 1 && (!pss || set_pss(pc) == 0) &&
             EVP_DigestSign(m, sig, &siglen, tbs, tbs_len) == 1;
        EVP_MD_CTX_reset(m);
    }
    if (ok && do_verify)
        ok = EVP_DigestVerifyInit(m, &pc, sha256, NULL, pub) == 1 && (!pss || set_pss(pc) == 0) &&
             EVP_DigestVerify(m, sig, siglen, tbs, tbs_len) == 1;
    EVP_MD_CTX_free(m);
    return ok ? 0 : -1;
}

/* The client's view of the server certificate: parsed now, or taken from the cache. */
static X509 *peer_cert(const unsigned char *der, int len, int parse, X509 *cached, X509 **hold)
{
    if (!parse)
        return cached;
    const unsigned char *p = der;
    *hold = d2i_X509(NULL, &p, len);
    return *hold;
}

/* The least a verifying client does with the server certificate: check the CA's signature
 * on its TBS part (ECDSA P-256 with SHA-256 here). Chain building, validity dates and the
 * host name come on top of this in every library and are left out. */
static int cert_verify_sig(const pk *k, X509 *leaf)
{
    return X509_verify(leaf, k->ca_pub) == 1 ? 0 : -1;
}

typedef struct {
    pk *k;
    int rsa, parse;
} hs_arg;

static BENCH_OP int op_tls13_handshake(void *arg)
{
    hs_arg *h = arg;
    pk *k = h->k;
    X509 *hold = NULL;
    unsigned char key[32] = { 9 };
    int ret = -1;
    EVP_PKEY *ce = x25519_keygen(k), *se = x25519_keygen(k);
    if (!ce || !se || x25519_derive(se, ce) < 0 || x25519_derive(ce, se) < 0)
        goto out;
    /* per side: 20 HMACs (handshake, master, traffic secrets, 4 keys + 4 IVs, finished keys,
     * Finished MACs, exporter), a transcript with 6 snapshots, 4 key installations */
    for (int side = 0; side < 2; side++) {
        if (hmac_steps(20) < 0 || transcript(h->rsa ? 2300 : 1600, 6) < 0)
            goto out;
        for (int i = 0; i < 4; i++)
            if (aead_rekey(&k->hs, key) < 0)
                goto out;
    }
    /* server flight (EE, Certificate, CertificateVerify, Finished) and client Finished */
    if (aead_record(&k->hs, h->rsa ? 1300 : 900) < 0 || aead_record(&k->hs, 37) < 0)
        goto out;
    X509 *leaf = h->rsa
        ? peer_cert(k->rsa_der, k->rsa_der_len, h->parse, k->rsa_leaf, &hold)
        : peer_cert(k->ecdsa_der, k->ecdsa_der_len, h->parse, k->ecdsa_leaf, &hold);
    EVP_PKEY *server_key = h->rsa ? k->rsa_key : k->ecdsa_key;
    if (!leaf || cert_verify_sig(k, leaf) < 0 ||
        sign_verify(server_key, X509_get0_pubkey(leaf), h->rsa, 130, 1, 1) < 0)
        goto out;
    ret = 0;
out:
    X509_free(hold);
    EVP_PKEY_free(ce);
    EVP_PKEY_free(se);
    return ret;
}

static BENCH_OP int op_tls12_handshake(void *arg)
{
    hs_arg *h = arg;
    pk *k = h->k;
    X509 *hold = NULL;
    unsigned char key[32] = { 9 };
    int ret = -1;
    EVP_PKEY *ce = x25519_keygen(k), *se = x25519_keygen(k);
    if (!ce || !se || x25519_derive(se, ce) < 0 || x25519_derive(ce, se) < 0)
        goto out;
    /* per side: PRF for the extended master secret (4 HMACs), the key block (4), both
     * Finished (2 x 2); the transcript with 3 snapshots; 2 key installations */
    for (int side = 0; side < 2; side++) {
        if (hmac_steps(12) < 0 || transcript(1500, 3) < 0)
            goto out;
        for (int i = 0; i < 2; i++)
            if (aead_rekey(&k->hs, key) < 0)
                goto out;
    }
    if (aead_record(&k->hs, 16) < 0 || aead_record(&k->hs, 16) < 0)
        goto out;
    X509 *leaf = peer_cert(k->ecdsa_der, k->ecdsa_der_len, h->parse, k->ecdsa_leaf, &hold);
    /* ServerKeyExchange signature: both randoms and the ECDH parameters */
    if (!leaf || cert_verify_sig(k, leaf) < 0 ||
        sign_verify(k->ecdsa_key, X509_get0_pubkey(leaf), 0, 100, 1, 1) < 0)
        goto out;
    ret = 0;
out:
    X509_free(hold);
    EVP_PKEY_free(ce);
    EVP_PKEY_free(se);
    return ret;
}

static BENCH_OP int op_key_update(void *arg)
{
    aead *a = arg;
    unsigned char key[32] = { 5 };
    /* sender and receiver: next traffic secret, key, IV; then re-key */
    if (hmac_steps(6) < 0 || aead_rekey(a, key) < 0)
        return -1;
    return aead_record(a, 2) == 0 && aead_record(a, 6) == 0 ? 0 : -1;
}

/* ---- single operations (op_* rows) ---- */

typedef struct {
    pk *k;
    int which;
} op_arg;

static BENCH_OP int op_single(void *arg)
{
    op_arg *o = arg;
    pk *k = o->k;
    EVP_PKEY *a = NULL, *b = NULL;
    X509 *x = NULL;
    int ret = 0;
    unsigned char key[32] = { 3 };

    switch (o->which) {
    case 0: /* X25519 keygen */
        a = x25519_keygen(k);
        ret = a ? 0 : -1;
        break;
    case 1: /* X25519 derive (import of the peer share included) */
        if (!fixed_a) {
            fixed_a = x25519_keygen(k);
            fixed_b = x25519_keygen(k);
        }
        ret = x25519_derive(fixed_a, fixed_b);
        break;
    case 2: ret = sign_verify(k->ecdsa_key, k->ecdsa_pub, 0, 130, 1, 0); break;
    case 3: ret = sign_verify(k->ecdsa_key, k->ecdsa_pub, 0, 130, 0, 1); break;
    case 4: ret = sign_verify(k->rsa_key, k->rsa_pub, 1, 130, 1, 0); break;
    case 5: ret = sign_verify(k->rsa_key, k->rsa_pub, 1, 130, 0, 1); break;
    case 6: ret = peer_cert(k->ecdsa_der, k->ecdsa_der_len, 1, NULL, &x) ? 0 : -1; break;
    case 7: ret = peer_cert(k->rsa_der, k->rsa_der_len, 1, NULL, &x) ? 0 : -1; break;
    case 8: ret = hmac_steps(1); break;
    case 9: ret = aead_rekey(&k->hs, key); break;
    case 10: { /* for comparison: an HMAC step on a context duplicated from a template and freed */
        EVP_MAC_CTX *c = EVP_MAC_CTX_dup(hmac_ctx);
        unsigned char out[32], data[48] = { 0 };
        size_t ol = 0;
        ret = c && EVP_MAC_init(c, key, 32, NULL) == 1 && EVP_MAC_update(c, data, 48) == 1 &&
              EVP_MAC_final(c, out, &ol, 32) == 1 ? 0 : -1;
        EVP_MAC_CTX_free(c);
        break;
    }
    case 11: ret = cert_verify_sig(k, k->ecdsa_leaf); break;
    default: ret = -1; break;
    }
    EVP_PKEY_free(a);
    EVP_PKEY_free(b);
    X509_free(x);
    return ret;
}

static const char *const op_names[] = {
    "op_x25519_keygen", "op_x25519_derive", "op_ecdsa_p256_sign", "op_ecdsa_p256_verify",
    "op_rsa2048_pss_sign", "op_rsa2048_pss_verify", "op_cert_parse_ecdsa", "op_cert_parse_rsa",
    "op_hmac_sha256_step", "op_aead_rekey", "op_hmac_sha256_step_dup", "op_cert_verify_sig"
};

/* ---- loading ---- */

static EVP_PKEY *load_key(const bench_opts *o, const char *file)
{
    FILE *f = fopen(bench_path(o, file), "r");
    EVP_PKEY *k = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
    if (f)
        fclose(f);
    return k;
}

static X509 *load_x509(const bench_opts *o, const char *file)
{
    FILE *f = fopen(bench_path(o, file), "r");
    X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
    if (f)
        fclose(f);
    return x;
}

/* A server certificate: kept parsed, its key, and its DER for the parse-every-time variant. */
static int load_cert(const bench_opts *o, const char *file, unsigned char **der, int *len,
                     X509 **x, EVP_PKEY **pub)
{
    if (!(*x = load_x509(o, file)))
        return -1;
    *der = NULL;
    *len = i2d_X509(*x, der);
    *pub = X509_get_pubkey(*x);
    return *len > 0 && *pub ? 0 : -1;
}

static EVP_PKEY *load_ca_key(const bench_opts *o)
{
    X509 *ca = load_x509(o, BENCH_CA_FILE);
    EVP_PKEY *pub = ca ? X509_get_pubkey(ca) : NULL;
    X509_free(ca);
    return pub;
}

static int report(const bench_opts *o, const char *row, const char *lib, bench_op op, void *arg,
                  double scale, const char *unit)
{
    int err;
    double v = bench_run(o, op, arg, &err);
    if (err) {
        bench_status(row, lib, "failed", "libcrypto operation failed");
        ERR_print_errors_fp(stderr);
        return 1;
    }
    bench_value(row, lib, v * scale, unit);
    return 0;
}

int main(int argc, char **argv)
{
    bench_opts o;
    int failed = 0;
    pk k;

    if (bench_parse(&o, argc, argv, rows) < 0)
        return 2;
    sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    hmac_ctx = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
    OSSL_PARAM mp[2] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
                         OSSL_PARAM_construct_end() };
    memset(&k, 0, sizeof k);
    k.x25519_gen = EVP_PKEY_CTX_new_from_name(NULL, "X25519", NULL);
    k.ecdsa_key = load_key(&o, "ecdsa-p256-key.pem");
    k.rsa_key = load_key(&o, "rsa-key.pem");
    k.ca_pub = load_ca_key(&o);
    if (!sha256 || !hmac_ctx || EVP_MAC_CTX_set_params(hmac_ctx, mp) != 1 || !k.x25519_gen ||
        EVP_PKEY_keygen_init(k.x25519_gen) != 1 || !k.ecdsa_key || !k.rsa_key || !k.ca_pub ||
        load_cert(&o, "ecdsa-p256-cert.pem", &k.ecdsa_der, &k.ecdsa_der_len, &k.ecdsa_leaf,
                  &k.ecdsa_pub) < 0 ||
        load_cert(&o, "rsa-cert.pem", &k.rsa_der, &k.rsa_der_len, &k.rsa_leaf, &k.rsa_pub) < 0 ||
        aead_init(&k.hs, "AES-128-GCM", 16384 + 1) < 0) {
        fprintf(stderr, "bench_ceiling: setup failed\n");
        ERR_print_errors_fp(stderr);
        bench_status(o.row ? o.row : "all", LIB, "failed", "setup failed");
        return 1;
    }

    static const struct { const char *row, *cipher; size_t len; double scale; const char *unit; }
    bulk[] = {
        { "bulk_aes128gcm", "AES-128-GCM", 16385, 16384 / 1e6, "MB/s" },
        { "bulk_aes256gcm", "AES-256-GCM", 16385, 16384 / 1e6, "MB/s" },
        { "bulk_chacha20", "ChaCha20-Poly1305", 16385, 16384 / 1e6, "MB/s" },
        { "small_records", "AES-128-GCM", 65, 1, "rec/s" },
        { "tls13_keyupdate", "AES-128-GCM", 1, 1, "ku/s" },
    };
    for (size_t i = 0; i < sizeof bulk / sizeof bulk[0]; i++) {
        aead a;
        if (!bench_want(&o, bulk[i].row))
            continue;
        if (aead_init(&a, bulk[i].cipher, bulk[i].len) < 0) {
            bench_status(bulk[i].row, LIB, "failed", "cipher %s unavailable", bulk[i].cipher);
            failed++;
            continue;
        }
        failed += report(&o, bulk[i].row, LIB, strcmp(bulk[i].row, "tls13_keyupdate") ? op_record
                                                                                    : op_key_update,
                         &a, bulk[i].scale, bulk[i].unit);
        if (strcmp(bulk[i].row, "tls13_keyupdate") != 0 && !getenv("BENCH_CEILING_CACHED_ONLY")) {
            transport_arg t = { &a, { 0 }, NULL, NULL, NULL, NULL };
            size_t cap = bulk[i].len + 64;
            t.user = calloc(1, cap);
            t.rec = calloc(1, cap);
            t.in = calloc(1, cap);
            t.out = calloc(1, cap);
            if (memq_init(&t.q, BENCH_QUEUE_CAP) == 0)
                failed += report(&o, bulk[i].row, "ceiling_transport", op_record_transport, &t,
                                 bulk[i].scale, bulk[i].unit);
            memq_free(&t.q);
            free(t.user);
            free(t.rec);
            free(t.in);
            free(t.out);
        }
        aead_free(&a);
    }
    static const struct { const char *row; int tls13, rsa; } hs[] = {
        { "tls13_ecdsa_hs", 1, 0 }, { "tls13_rsa_hs", 1, 1 }, { "tls12_ecdsa_hs", 0, 0 },
    };
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++) {
        if (!bench_want(&o, hs[i].row))
            continue;
        /* bench/callgrind.sh counts the cached variant alone */
        int variants = getenv("BENCH_CEILING_CACHED_ONLY") ? 1 : 2;
        for (int parse = 0; parse < variants; parse++) {
            hs_arg h = { &k, hs[i].rsa, parse };
            failed += report(&o, hs[i].row, parse ? "ceiling_parse" : LIB,
                             hs[i].tls13 ? op_tls13_handshake : op_tls12_handshake, &h, 1, "hs/s");
        }
    }
    if (bench_want(&o, "ops")) {
        bench_opts q = o;
        q.seconds = o.seconds / 4;
        for (int i = 0; i < (int)(sizeof op_names / sizeof op_names[0]); i++) {
            op_arg a = { &k, i };
            int err;
            double v = bench_run(&q, op_single, &a, &err);
            if (err) {
                bench_status(op_names[i], LIB, "failed", "libcrypto operation failed");
                failed++;
            } else {
                bench_value(op_names[i], LIB, 1e6 / v, "us");
            }
        }
    }
    aead_free(&k.hs);
    EVP_PKEY_free(fixed_a);
    EVP_PKEY_free(fixed_b);
    EVP_PKEY_free(k.ecdsa_key);
    EVP_PKEY_free(k.rsa_key);
    EVP_PKEY_free(k.ecdsa_pub);
    EVP_PKEY_free(k.rsa_pub);
    EVP_PKEY_free(k.ca_pub);
    X509_free(k.ecdsa_leaf);
    X509_free(k.rsa_leaf);
    OPENSSL_free(k.ecdsa_der);
    OPENSSL_free(k.rsa_der);
    EVP_PKEY_CTX_free(k.x25519_gen);
    EVP_MAC_CTX_free(hmac_ctx);
    EVP_MAC_free(hmac);
    EVP_MD_free(sha256);
    return failed ? 1 : 0;
}

/* libFuzzer target for the crypto layer's entry points that take a peer's values: key
 * exchange with a peer public value for every group (and TLS 1.2 DHE with the peer's own p
 * and g), signature verification for every scheme with fixed keys, raw public-key imports
 * (EC point, RSA n/e, EdDSA) and the RSA premaster decryption. The first byte picks the
 * operation (FZ_OP_*); the layout of the rest is described at each operation. The key files
 * are read from $KEEL_SRCDIR/tests/data (default: the current directory).
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc tests/fuzz/fuzz_crypto_peer.c \
 *         <library sources> -lcrypto -lpthread */
#include <stdio.h>
#include <stdlib.h>
#include "keel.h"
#include "crypto/crypto.h"
#include "x509/x509.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* tests/fuzz/make-seeds.c writes inputs in this layout; keep the two in step. */
enum {
    FZ_OP_KX_DERIVE = 0,    /* [group][peer value...]                                     */
    FZ_OP_VERIFY,           /* [key][scheme16][flags][msg_len][msg][signature...]         */
    FZ_OP_IMPORT_EC,        /* [type][point...][signature...] (point: the type's length)  */
    FZ_OP_IMPORT_RSA,       /* [n_len16][e_len][n][e][signature...]                       */
    FZ_OP_IMPORT_EDDSA,     /* [type][public key...][signature...]                        */
    FZ_OP_DH_CUSTOM,        /* [p_len16][g_len16][p][g][peer value...]                    */
    FZ_OP_RSA_PREMASTER,    /* [client_version16][encrypted premaster...]                 */
    FZ_OP_COUNT
};

static const keel_kx_id groups[] = {
    KEEL_KX_X25519, KEEL_KX_X448, KEEL_KX_SECP256R1, KEEL_KX_SECP384R1, KEEL_KX_SECP521R1,
    KEEL_KX_FFDHE2048, KEEL_KX_FFDHE3072, KEEL_KX_FFDHE4096, KEEL_KX_FFDHE6144,
    KEEL_KX_FFDHE8192,
};
#define N_GROUPS KEEL_ARRAY_SIZE(groups)
static keel_kx *kx[N_GROUPS];
static size_t kx_pub_len[N_GROUPS];

/* Index = the key byte of FZ_OP_VERIFY (mod the count); make-seeds.c uses the same files. */
static const char *const key_files[] = {
    "rsa-key.pem", "rsa-pss-key.pem", "ecdsa-p256-key.pem", "ecdsa-p384-key.pem",
    "ed25519-key.pem", "ed448-key.pem",
};
#define N_KEYS (KEEL_ARRAY_SIZE(key_files) + 1)     /* + a generated P-521 key */
static keel_pkey *keys[N_KEYS];

/* Every scheme the layer knows, and a few it does not. */
static const uint16_t schemes[] = {
    0x0401, 0x0501, 0x0601, 0x0201, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b,
    0x0403, 0x0503, 0x0603, 0x0203, 0x0807, 0x0808, 0x0101, 0x0000, 0xffff,
};

static void load_key(const char *name, keel_pkey **out)
{
    const char *dir = getenv("KEEL_SRCDIR");
    char path[512];
    gnutls_datum_t d = { NULL, 0 };
    FILE *f;
    long len;

    snprintf(path, sizeof path, "%s/tests/data/%s", dir ? dir : ".", name);
    f = fopen(path, "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) <= 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "fuzz_crypto_peer: cannot read %s (set KEEL_SRCDIR)\n", path);
        abort();
    }
    d.data = malloc((size_t)len);
    d.size = (unsigned)len;
    if (d.data == NULL || fread(d.data, 1, (size_t)len, f) != (size_t)len ||
        keel_load_private_key(&d, GNUTLS_X509_FMT_PEM, NULL, out) < 0)
        abort();
    free(d.data);
    fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    uint8_t pub[KEEL_MAX_KX_PUB_LEN];

    (void)argc;
    (void)argv;
    if (gnutls_global_init() < 0)
        abort();
    for (size_t i = 0; i < N_GROUPS; i++)
        if (keel_kx_generate(groups[i], &kx[i], pub, &kx_pub_len[i]) < 0)
            abort();
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(key_files); i++)
        load_key(key_files[i], &keys[i]);
    if (keel_test_pkey_generate(KEEL_PK_EC_P521, 0, &keys[N_KEYS - 1]) < 0)
        abort();
    return 0;
}

/* A small reader over the input: short reads give zeros / empty spans, never out of bounds. */
typedef struct {
    const uint8_t *p;
    size_t left;
} fz_in;

static unsigned take_u8(fz_in *in)
{
    unsigned v = 0;

    if (in->left > 0) {
        v = in->p[0];
        in->p++;
        in->left--;
    }
    return v;
}

static unsigned take_u16(fz_in *in)
{
    unsigned hi = take_u8(in);
    return hi << 8 | take_u8(in);
}

static const uint8_t *take(fz_in *in, size_t *n)
{
    const uint8_t *p = in->p;

    if (*n > in->left)
        *n = in->left;
    in->p += *n;
    in->left -= *n;
    return p;
}

static void check_secret(int ret, size_t len)
{
    if ((ret == 0) != (len > 0) || len > KEEL_MAX_KX_SECRET_LEN)
        abort();
    if (ret < 0 && ret != GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER)
        abort();
}

static void op_kx_derive(fz_in *in)
{
    size_t g = take_u8(in) % N_GROUPS, len = in->left;
    const uint8_t *peer = take(in, &len);
    uint8_t secret[KEEL_MAX_KX_SECRET_LEN];
    size_t secret_len = 1;

    check_secret(keel_kx_derive(kx[g], peer, len, secret, &secret_len), secret_len);
    /* A secret, if any, is padded to the group's length for DH; fixed for the curves. */
    if (secret_len > 0 && groups[g] >= KEEL_KX_FFDHE2048 && secret_len != kx_pub_len[g])
        abort();
}

/* A signature that verified must stop verifying once one bit of it changes, and the scheme
 * must be one the key accepts. */
static void verify_one(const keel_pkey *k, uint16_t scheme, unsigned flags, const uint8_t *msg,
                       size_t msg_len, const uint8_t *sig, size_t sig_len)
{
    uint8_t copy[KEEL_MAX_SIG_LEN];
    int ret = keel_verify_ex(k, scheme, flags, msg, msg_len, sig, sig_len);

    if (ret != 0)
        return;
    if (keel_pkey_scheme_ok_ex(k, scheme, flags) != 0 || sig_len == 0 || sig_len > sizeof copy)
        abort();
    memcpy(copy, sig, sig_len);
    copy[sig_len - 1] ^= 1;
    if (keel_verify_ex(k, scheme, flags, msg, msg_len, copy, sig_len) == 0)
        abort();
    if (flags == 0 && keel_verify(k, scheme, msg, msg_len, sig, sig_len) != 0)
        abort();
}

static void op_verify(fz_in *in)
{
    const keel_pkey *k = keys[take_u8(in) % N_KEYS];
    unsigned sel = take_u16(in), flags = take_u8(in) & KEEL_SIG_TLS12;
    /* A scheme from the list unless the top bit asks for the raw 15-bit value. */
    uint16_t scheme = (sel & 0x8000) ? (uint16_t)(sel & 0x7fff)
                                     : schemes[sel % KEEL_ARRAY_SIZE(schemes)];
    size_t msg_len = take_u8(in), sig_len;
    const uint8_t *msg = take(in, &msg_len), *sig;

    sig_len = in->left;
    sig = take(in, &sig_len);
    verify_one(k, scheme, flags, msg, msg_len, sig, sig_len);
}

/* Every scheme on an imported key: the rest of the input is the signature of "fuzz". */
static void verify_all(const keel_pkey *k, fz_in *in)
{
    size_t sig_len = in->left;
    const uint8_t *sig = take(in, &sig_len);

    for (size_t i = 0; i < KEEL_ARRAY_SIZE(schemes); i++) {
        verify_one(k, schemes[i], 0, (const uint8_t *)"fuzz", 4, sig, sig_len);
        verify_one(k, schemes[i], KEEL_SIG_TLS12, (const uint8_t *)"fuzz", 4, sig, sig_len);
    }
}

static void op_import_ec(fz_in *in)
{
    static const keel_pk_type types[] = { KEEL_PK_EC_P256, KEEL_PK_EC_P384, KEEL_PK_EC_P521,
                                          KEEL_PK_ED25519, KEEL_PK_RSA };
    static const size_t lens[] = { 65, 97, 133, 65, 65 };
    unsigned t = take_u8(in), i = t % KEEL_ARRAY_SIZE(types);
    /* Bit 7: the point is the rest of the input, else exactly the curve's length. */
    size_t len = (t & 0x80) ? in->left : lens[i];
    const uint8_t *point = take(in, &len);
    keel_pkey *k = NULL;
    int ret = keel_pkey_import_ec(types[i], point, len, &k);

    if ((ret == 0) != (k != NULL))
        abort();
    if (k == NULL)
        return;
    if (keel_pkey_type(k) != types[i] || keel_pkey_has_private(k))
        abort();
    verify_all(k, in);
    keel_pkey_unref(k);
}

static void op_import_rsa(fz_in *in)
{
    size_t n_len = take_u16(in), e_len = take_u8(in);
    const uint8_t *n = take(in, &n_len), *e = take(in, &e_len);
    keel_pkey *k = NULL;
    uint8_t out[2048];
    size_t out_len = sizeof out;
    int ret = keel_pkey_import_rsa(n, n_len, e, e_len, &k);

    if ((ret == 0) != (k != NULL))
        abort();
    if (k == NULL)
        return;
    if (keel_pkey_type(k) != KEEL_PK_RSA || keel_pkey_has_private(k) || keel_pkey_bits(k) < 512)
        abort();
    /* As a TLS 1.2 client would with a server's RSA certificate. */
    if (keel_rsa_encrypt(k, (const uint8_t *)"premaster", 9, out, &out_len) == 0 &&
        out_len != (keel_pkey_bits(k) + 7) / 8)
        abort();
    verify_all(k, in);
    keel_pkey_unref(k);
}

static void op_import_eddsa(fz_in *in)
{
    static const keel_pk_type types[] = { KEEL_PK_ED25519, KEEL_PK_ED448, KEEL_PK_EC_P256 };
    static const size_t lens[] = { 32, 57, 32 };
    unsigned t = take_u8(in), i = t % KEEL_ARRAY_SIZE(types);
    size_t len = (t & 0x80) ? in->left : lens[i];
    const uint8_t *pub = take(in, &len);
    keel_pkey *k = NULL;
    int ret = keel_pkey_import_eddsa(types[i], pub, len, &k);

    if ((ret == 0) != (k != NULL))
        abort();
    if (k == NULL)
        return;
    if (keel_pkey_type(k) != types[i] || keel_pkey_has_private(k))
        abort();
    verify_all(k, in);
    keel_pkey_unref(k);
}

static void op_dh_custom(fz_in *in)
{
    /* p is capped at 2048 bits: larger groups only cost time, the code paths are the same. */
    size_t p_len = take_u16(in) % 257, g_len = take_u16(in) % 257, peer_len;
    const uint8_t *p = take(in, &p_len), *g = take(in, &g_len), *peer;
    uint8_t pub[KEEL_MAX_KX_PUB_LEN], secret[KEEL_MAX_KX_SECRET_LEN];
    size_t pub_len = 0, secret_len = 1;
    keel_kx *dh = NULL;
    int ret = keel_kx_generate_dh(p, p_len, g, g_len, &dh, pub, &pub_len);

    if ((ret == 0) != (dh != NULL))
        abort();
    if (dh == NULL)
        return;
    if (pub_len == 0 || pub_len > p_len || keel_kx_prime_bits(dh) > 8 * p_len)
        abort();
    peer_len = in->left;
    peer = take(in, &peer_len);
    check_secret(keel_kx_derive(dh, peer, peer_len, secret, &secret_len), secret_len);
    keel_kx_free(dh);
}

static void op_rsa_premaster(fz_in *in)
{
    uint16_t version = (uint16_t)take_u16(in);
    size_t len = in->left;
    const uint8_t *c = take(in, &len);
    uint8_t pm[48];

    /* RFC 5246 7.4.7.1: never an error that depends on the ciphertext. */
    if (keel_rsa_decrypt_premaster(keys[0], c, len, version, pm) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { data, size };

    if (size < 1 || size > 8192)
        return 0;
    switch (take_u8(&in) % FZ_OP_COUNT) {
    case FZ_OP_KX_DERIVE: op_kx_derive(&in); break;
    case FZ_OP_VERIFY: op_verify(&in); break;
    case FZ_OP_IMPORT_EC: op_import_ec(&in); break;
    case FZ_OP_IMPORT_RSA: op_import_rsa(&in); break;
    case FZ_OP_IMPORT_EDDSA: op_import_eddsa(&in); break;
    case FZ_OP_DH_CUSTOM: op_dh_custom(&in); break;
    case FZ_OP_RSA_PREMASTER: op_rsa_premaster(&in); break;
    default: abort();
    }
    return 0;
}

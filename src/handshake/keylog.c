/* SSLKEYLOGFILE: the NSS key log format ("LABEL <client_random> <secret>", hex), which
 * Wireshark and tshark read to decrypt captures. The variable is read once per process; the
 * file is opened for appending on first use and kept open. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "session.h"

static pthread_once_t keylog_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t keylog_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *keylog_file;

static void keylog_open(void)
{
    /* secure_getenv: a setuid program must not be made to write keys to a file of the
     * caller's choosing. */
    const char *path = secure_getenv("SSLKEYLOGFILE");

    if (path != NULL && *path != '\0')
        keylog_file = fopen(path, "a");
}

static void put_hex(char *out, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

void keel_keylog(gnutls_session_t s, const char *label, const uint8_t *secret, size_t len)
{
    char random_hex[2 * 32 + 1], secret_hex[2 * KEEL_MAX_HASH_LEN + 1];

    pthread_once(&keylog_once, keylog_open);
    if (keylog_file == NULL || len > KEEL_MAX_HASH_LEN)
        return;
    put_hex(random_hex, s->client_random, sizeof s->client_random);
    put_hex(secret_hex, secret, len);
    pthread_mutex_lock(&keylog_lock);
    fprintf(keylog_file, "%s %s %s\n", label, random_hex, secret_hex);
    fflush(keylog_file);
    pthread_mutex_unlock(&keylog_lock);
    keel_wipe(secret_hex, sizeof secret_hex);
}

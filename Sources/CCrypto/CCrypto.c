// SHA256_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP, but EVP
// contexts live on the heap (one allocation per hash, and a copy needs
// EVP_MD_CTX_copy) and a fetch by name; the low-level calls run the same
// assembly block function over a plain struct. Debian builds OpenSSL with them.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <assert.h>
#include <stdalign.h>
#include "CCrypto.h"

static_assert(sizeof(ccrypto_sha256_state) == sizeof(SHA256_CTX), "ccrypto_sha256_state must hold a SHA256_CTX");
static_assert(alignof(ccrypto_sha256_state) >= alignof(SHA256_CTX), "ccrypto_sha256_state must align a SHA256_CTX");

void ccrypto_sha256_init(ccrypto_sha256_state *state) {
    SHA256_Init((SHA256_CTX *)state);
}

void ccrypto_sha256_update(ccrypto_sha256_state *state, const void *data, size_t count) {
    SHA256_Update((SHA256_CTX *)state, data, count);
}

void ccrypto_sha256_final(ccrypto_sha256_state *state, uint8_t *digest) {
    SHA256_Final(digest, (SHA256_CTX *)state);
}

void ccrypto_sha256(const void *data, size_t count, uint8_t *digest) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data, count);
    SHA256_Final(digest, &context);
}

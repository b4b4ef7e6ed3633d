#ifndef DIARIUM_CCRYPTO_H
#define DIARIUM_CCRYPTO_H
#include <stddef.h>
#include <stdint.h>

// SHA-256 from OpenSSL's libcrypto (Debian: libssl-dev), which runs the block
// function on the CPU's SHA instructions where it has them. The state is stored
// by value with the size and alignment of SHA256_CTX (checked in CCrypto.c), so a
// Swift copy of it is a copy of the hash state: HMAC keeps keyed inner and outer
// states and continues each from a copy. This header stays free of OpenSSL's own,
// whose low-level SHA-256 calls are marked deprecated and would warn in Swift.

typedef struct {
    uint32_t words[28];
} ccrypto_sha256_state;

void ccrypto_sha256_init(ccrypto_sha256_state *state);
void ccrypto_sha256_update(ccrypto_sha256_state *state, const void *data, size_t count);
// Writes 32 bytes to `digest`; `state` is left cleared, as OpenSSL leaves it.
void ccrypto_sha256_final(ccrypto_sha256_state *state, uint8_t *digest);
// One message at once, straight through init/update/final: OpenSSL 3's own
// one-shot SHA256() looks the algorithm up by name on every call.
void ccrypto_sha256(const void *data, size_t count, uint8_t *digest);

#endif

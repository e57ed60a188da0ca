/*
 * OpenSSL's SHA-256 through its public, stable low-level ABI, as the Node.js binary that loads an
 * addon exports it (every official build does for addons; Debian's node links libcrypto): the
 * low-level calls, not the one-shot function, which OpenSSL 3 routes through a provider fetch
 * costing more than a small input's hash. Shared by the verifier's engine and the benchmarks'
 * native instruments, so that no crypto code is ours and its declaration is written once.
 */
#ifndef UTBLICK_SHA256_H
#define UTBLICK_SHA256_H
#include <stddef.h>

typedef struct {
  unsigned int h[8];
  unsigned int Nl, Nh;
  unsigned int data[16];
  unsigned int num, md_len;
} Sha256Context;
extern int SHA256_Init(Sha256Context *c);
extern int SHA256_Update(Sha256Context *c, const void *data, size_t n);
extern int SHA256_Final(unsigned char *md, Sha256Context *c);

#endif

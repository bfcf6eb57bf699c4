/* Fuzz target: the order of names (hicov_collate, hicov_collate_key).
 * The input is up to three strings separated by NUL bytes (or halves when
 * there is no NUL), each copied into a buffer of exactly its size so that
 * a read past the end is caught on any bytes, valid UTF-8 or not.
 * Invariants: the comparison is -1, 0 or 1, antisymmetric, 0 only for
 * equal strings, transitive over the three; the key has the length it
 * announces, no NUL inside, the same bytes when the buffer is short, and
 * memcmp of keys has the comparison's sign. */
#include "fuzz-common.h"

typedef struct {
  char *s;
  unsigned char *key;
  size_t len;
} Name;

static void make(Name *n, const uint8_t *data, size_t size)
{
  n->s = malloc(size + 1);
  FUZZ_ASSERT(n->s, "malloc");
  memcpy(n->s, data, size);
  n->s[size] = 0;
  n->len = hicov_collate_key(n->s, NULL, 0);
  n->key = malloc(n->len + 1);
  FUZZ_ASSERT(n->key, "malloc");
  size_t again = hicov_collate_key(n->s, n->key, n->len + 1);
  FUZZ_ASSERT(again == n->len, "key length %zu then %zu", n->len, again);
  FUZZ_ASSERT(n->key[n->len] == 0 && strlen((char *)n->key) == n->len,
              "a NUL inside the key or none after it");
  /* a short buffer gets the key's first bytes, and nothing past them */
  size_t part = n->len / 2;
  unsigned char *p = malloc(part ? part : 1);
  FUZZ_ASSERT(p, "malloc");
  FUZZ_ASSERT(hicov_collate_key(n->s, p, part) == n->len, "short buffer");
  FUZZ_ASSERT(!memcmp(p, n->key, part), "short buffer bytes");
  free(p);
}

static int key_cmp(const Name *a, const Name *b)
{
  int r = memcmp(a->key, b->key, a->len < b->len ? a->len : b->len);
  if (!r)
    r = (a->len > b->len) - (a->len < b->len);
  return (r > 0) - (r < 0);
}

static int check_pair(const Name *a, const Name *b)
{
  int ab = hicov_collate(a->s, b->s), ba = hicov_collate(b->s, a->s);
  FUZZ_ASSERT(ab >= -1 && ab <= 1, "collate %d", ab);
  FUZZ_ASSERT(ab == -ba, "not antisymmetric: %d, %d", ab, ba);
  FUZZ_ASSERT((ab == 0) == (strcmp(a->s, b->s) == 0), "0 for different strings");
  FUZZ_ASSERT(key_cmp(a, b) == ab, "keys %d, collate %d", key_cmp(a, b), ab);
  return ab;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  Name n[3];
  size_t count = 0, start = 0;
  const uint8_t *nul = memchr(data, 0, size);
  if (!nul) {
    make(&n[count++], data, size / 2);
    make(&n[count++], data + size / 2, size - size / 2);
  } else {
    for (size_t i = 0; i <= size && count < 3; i++)
      if (i == size || data[i] == 0) {
        make(&n[count++], data + start, i - start);
        start = i + 1;
      }
  }
  for (size_t i = 0; i < count; i++)
    FUZZ_ASSERT(hicov_collate(n[i].s, n[i].s) == 0, "not reflexive");
  if (count >= 2)
    check_pair(&n[0], &n[1]);
  if (count == 3) {
    int ab = check_pair(&n[0], &n[1]), bc = check_pair(&n[1], &n[2]),
        ac = check_pair(&n[0], &n[2]);
    if (ab <= 0 && bc <= 0)
      FUZZ_ASSERT(ac <= 0, "not transitive: %d %d %d", ab, bc, ac);
    if (ab >= 0 && bc >= 0)
      FUZZ_ASSERT(ac >= 0, "not transitive: %d %d %d", ab, bc, ac);
  }
  for (size_t i = 0; i < count; i++) {
    free(n[i].s);
    free(n[i].key);
  }
  return 0;
}

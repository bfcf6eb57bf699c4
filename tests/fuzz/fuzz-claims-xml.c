/* Fuzz target: claims XML (hicov_claims_read_buffer).  The first byte
 * picks what the rest is:
 *   0 (mod 3)  the whole input (envelope, plain TONG_HOP XML, or anything);
 *   1          an inner XML1 document, wrapped by this harness in a
 *              GIAMDINHHS envelope as base64 NOIDUNGFILE (so the fuzzer
 *              mutates the inner document, not its base64);
 *   2          the whole input, also read from a file split between two
 *              threads, which must agree with the serial read. */
#include "../c/b64enc.h"
#include "fuzz-claims-common.h"

static char *envelope(const uint8_t *inner, size_t n, size_t *out_len)
{
  static const char head[] =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<GIAMDINHHS><THONGTINDONVI>"
      "<MACSKCB>01999</MACSKCB></THONGTINDONVI><THONGTINHOSO><NGAYLAP>20240310"
      "</NGAYLAP><SOLUONGHOSO>1</SOLUONGHOSO><DANHSACHHOSO><HOSO><FILEHOSO>"
      "<LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>";
  static const char tail[] =
      "</NOIDUNGFILE></FILEHOSO></HOSO></DANHSACHHOSO></THONGTINHOSO>"
      "</GIAMDINHHS>\n";
  size_t cap = sizeof head + TEST_B64_SIZE(n) + sizeof tail;
  char *out = malloc(cap);
  if (!out)
    return NULL;
  size_t o = sizeof head - 1;
  memcpy(out, head, o);
  o += test_b64_encode(inner, n, out + o);
  memcpy(out + o, tail, sizeof tail - 1);
  o += sizeof tail - 1;
  *out_len = o;
  return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  int mode = data[0] % 3;
  data++;
  size--;
  HicovClaims *c = NULL;
  if (mode == 1) {
    size_t len;
    char *env = envelope(data, size, &len);
    if (!env)
      return 0;
    claims_read_checked(env, len, &c);
    free(env);
  } else {
    int rc = claims_read_checked(data, size, &c);
    if (mode == 2 && c)
      claims_check_split(data, size, rc, c);
  }
  hicov_claims_free(c);
  return 0;
}

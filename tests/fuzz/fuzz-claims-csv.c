/* Fuzz target: claims CSV (hicov_claims_read_buffer on a header of XML1
 * field names and one row per visit), read serially and from a file split
 * between two threads at line boundaries: the two must agree.  The split
 * read (threads, a file) costs most of an execution, so it runs for inputs
 * of even length only: half of them, the same half on every replay. */
#include "fuzz-claims-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  HicovClaims *c = NULL;
  int rc = claims_read_checked(data, size, &c);
  if (c && size % 2 == 0)
    claims_check_split(data, size, rc, c);
  hicov_claims_free(c);
  return 0;
}

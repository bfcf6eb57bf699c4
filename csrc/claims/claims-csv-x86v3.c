/* claims-csv-x86v3.c - the CSV row loop compiled again for x86-64-v3
 * (AVX2, BMI2), which claims_read_csv_rows takes on a CPU that has them:
 * a 64-byte block's masks in two loads where SSE2 takes four, and a run
 * of unmapped columns skipped with one PDEP where the baseline clears a
 * delimiter bit a column.  The claims export read with 6% fewer
 * instructions (cachegrind, 100 MB: 1,352 to 1,271 million).  GCC on
 * x86-64 only: elsewhere (clang, the fuzzers' builds) this file is empty
 * and the baseline loop reads everything. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC target("avx2,bmi,bmi2,popcnt,lzcnt")
#define CLAIMS_CSV_V3 1
#include "claims-csv.c"
#else
typedef int claims_csv_x86v3_empty; /* ISO C wants a declaration */
#endif

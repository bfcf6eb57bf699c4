/* The memo of totals (csrc/core/dataset-memo.c) against the walk it stands
 * for: a dataset with a merger (two provinces, their districts abolished,
 * communes merged) and a split (a commune divided by crosswalk shares),
 * monthly stocks and flows, a value by groups only, gaps and a source
 * that names an estimate.  Every indicator, measure and source list over
 * every unit, month, quarter, year and a few ranges, on the period's own
 * boundaries, on 2025-12's and as published, in English and Vietnamese,
 * must be the same with the memo (cold, then warm, then from four threads
 * at once) as with it off. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hicov-core.h"
#include "hicov-data.h"
#include "dataset-private.h"
#include "testutil.h"

static const char units_csv[] =
  "code,name,parent,level,valid_to,successor,valid_from\n"
  "VN,Việt Nam,,country,,,\n"
  "A,Tỉnh A,VN,province,2025-07-01,B,\n"
  "B,Tỉnh B,VN,province,,,\n"
  "DA,Huyện A,A,district,2025-07-01,,\n"
  "DB,Huyện B,B,district,2025-07-01,,\n"
  "a1,Xã A1,DA,commune,2025-07-01,b2,\n"
  "a2,Xã A2,DA,commune,2025-07-01,b2,\n"
  "b1,Xã B1,DB,commune,2025-07-01,b2,\n"
  "b2,Xã B2,B,commune,,,2025-07-01\n"
  "x,Xã X,DB,commune,2025-07-01,,\n"
  "y,Xã Y,B,commune,,,\n"
  "z,Xã Z,B,commune,,,2025-07-01\n";

static const char crosswalk_csv[] =
  "old,new,share,date,basis\n"
  "x,y,0.6,2025-07-01,population\n"
  "x,z,0.4,2025-07-01,\n";

static const char *const communes[] = {"a1", "a2", "b1", "x", "y", "b2", "z"};
#define N_COMMUNES 7

/* Does commune c exist in month m (0 = 2024-01 ... 23 = 2025-12)? */
static int exists(int c, int m)
{
  if (c <= 3)
    return m < 18; /* gone on 2025-07-01 */
  if (c == 4)
    return 1;
  return m >= 18; /* formed on 2025-07-01 */
}

/* Monthly values, commune c (1-based size k = c + 1) in month m:
 * population 1,000k + m, participants 900k + 2m, visits 100k + m, total
 * cost 1,000 x visits.  b1's participants are by group only (DN 500k,
 * the rest HN); a2 has no visits in 2024-05; y's 2025 participants come
 * from an estimate; B publishes its own population for 2025-12. */
static char *values_csv(void)
{
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  len += (size_t)snprintf(buf + len, cap - len,
                          "unit,period,measure,value,group,source\n");
  for (int c = 0; c < N_COMMUNES; c++)
    for (int m = 0; m < 24; m++) {
      if (!exists(c, m))
        continue;
      int k = c + 1;
      char per[16];
      snprintf(per, sizeof per, "%d-%02d", 2024 + m / 12, m % 12 + 1);
      const char *src = c == 4 && m >= 12 ? "estimate (BHXH)" : "GSO";
      len += (size_t)snprintf(buf + len, cap - len,
                              "%s,%s,population,%d,,GSO\n", communes[c], per,
                              1000 * k + m);
      if (c == 2) {
        len += (size_t)snprintf(buf + len, cap - len,
                                "%s,%s,participants,%d,DN,BHXH\n"
                                "%s,%s,participants,%d,HN,BHXH\n",
                                communes[c], per, 500 * k, communes[c], per,
                                400 * k + 2 * m);
      } else {
        len += (size_t)snprintf(buf + len, cap - len,
                                "%s,%s,participants,%d,,%s\n", communes[c],
                                per, 900 * k + 2 * m, src);
      }
      if (!(c == 1 && m == 4))
        len += (size_t)snprintf(buf + len, cap - len,
                                "%s,%s,visits,%d,,BHXH\n"
                                "%s,%s,total_cost,%d,,BHXH\n",
                                communes[c], per, 100 * k + m, communes[c],
                                per, 1000 * (100 * k + m));
    }
  len += (size_t)snprintf(buf + len, cap - len,
                          "B,2025-12,population,99999,,GSO\n");
  return buf;
}

static HicovDataset *load(int memo)
{
  HicovDataset *ds;
  if (hicov_dataset_new(&ds))
    return NULL;
  char *values = values_csv();
  int rc = hicov_dataset_load_units_buffer(ds, "units.csv", units_csv,
                                           strlen(units_csv),
                                           HICOV_LOAD_STRICT);
  if (!rc)
    rc = hicov_dataset_load_crosswalk_buffer(ds, "crosswalk.csv",
                                             crosswalk_csv,
                                             strlen(crosswalk_csv),
                                             HICOV_LOAD_STRICT);
  if (!rc)
    rc = hicov_dataset_load_values_buffer(ds, "values.csv", values,
                                          strlen(values), HICOV_LOAD_STRICT);
  free(values);
  if (rc) {
    fprintf(stderr, "load: %s\n", hicov_dataset_errmsg(ds));
    hicov_dataset_free(ds);
    return NULL;
  }
  if (!memo)
    hicov_memo_disable(ds);
  return ds;
}

/* The periods asked for: every month, quarter and year of 2024-2025, a
 * year to date and a rolling year across the reform. */
#define N_PERIODS (24 + 8 + 2 + 2)
static HicovPeriod period_at(int i)
{
  int base = 2024 * 12;
  if (i < 24)
    return hicov_period_range(base + i, base + i);
  if (i < 32)
    return hicov_period_range(base + 3 * (i - 24), base + 3 * (i - 24) + 2);
  if (i < 34)
    return hicov_period_year(2024 + i - 32);
  if (i == 34)
    return hicov_period_range(base + 12, base + 21);
  return hicov_period_range(base + 6, base + 17);
}

static const char *const unit_codes[] = {"VN", "A", "B", "DA", "DB", "a1",
                                         "a2", "b1", "b2", "x", "y", "z"};
#define N_UNITS 12
static const char *const measures[] = {"population", "participants", "visits",
                                       "total_cost"};
#define N_MEASURES 4
#define N_ASOF 3

/* One answer, as text: everything a caller sees of it. */
static void answer(HicovDataset *ds, int kind, size_t what, int u, int p,
                   int asof, char *buf, size_t size)
{
  HicovPeriod per = period_at(p);
  int month = asof == 0 ? per.last : 2025 * 12 + 11;
  if (kind == 0) {
    const HicovIndicatorInfo *info = hicov_indicator_info(what);
    HicovResult r;
    memset(&r, 0, sizeof r);
    int rc = hicov_indicator_value_on(ds, info->name, unit_codes[u], per,
                                      month, NULL, &r);
    snprintf(buf, size, "%d %d %a %d %s", rc, r.status, r.value, r.estimate,
             r.reason);
  } else if (kind == 1) {
    int64_t c = 0;
    int est = 0;
    char reason[HICOV_REASON_MAX] = "";
    /* asof 1 and 2 ask the same, 1 with room for 3 bytes of reason (a
       Vietnamese one cut inside a letter): what is kept then must not
       come back cut to the full buffer of 2 */
    int rc = hicov_dataset_measure_on(ds, measures[what], unit_codes[u], per,
                                      month, what == 1 && asof == 0 ? "DN"
                                                                    : NULL,
                                      &c, &est, reason,
                                      asof == 1 ? 4 : sizeof reason);
    snprintf(buf, size, "%d %lld %d %s", rc, (long long)c, est, reason);
  } else {
    const char *src[8];
    size_t n = 0;
    int rc = hicov_dataset_measure_sources(ds, measures[what], unit_codes[u],
                                           per, NULL, src, 8, &n);
    int len = snprintf(buf, size, "%d %zu", rc, n);
    for (size_t i = 0; i < n && i < 8 && len > 0 && (size_t)len < size; i++)
      len += snprintf(buf + len, size - (size_t)len, " %s", src[i]);
  }
}

#define ANSWER_MAX (HICOV_REASON_MAX + 64)
#define N_ASK ((size_t)N_UNITS * N_PERIODS * N_ASOF)

static size_t kind_count(int kind)
{
  return kind == 0 ? hicov_indicator_count() : N_MEASURES;
}

static size_t answer_count(void)
{
  return N_ASK * (kind_count(0) + 2 * N_MEASURES);
}

/* Answer number i of answer_count(). */
static void answer_at(HicovDataset *ds, size_t i, char *buf)
{
  int kind;
  for (kind = 0; kind < 2 && i >= kind_count(kind) * N_ASK; kind++)
    i -= kind_count(kind) * N_ASK;
  size_t what = i / N_ASK;
  i %= N_ASK;
  int u = (int)(i / (N_PERIODS * N_ASOF));
  i %= N_PERIODS * N_ASOF;
  answer(ds, kind, what, u, (int)(i / N_ASOF), (int)(i % N_ASOF), buf,
         ANSWER_MAX);
}

/* Every answer, from answer `start` on and round. */
static char (*answer_all(HicovDataset *ds, size_t start))[ANSWER_MAX]
{
  size_t n = answer_count();
  char (*out)[ANSWER_MAX] = calloc(n, ANSWER_MAX);
  for (size_t k = 0; k < n; k++) {
    size_t i = (start + k) % n;
    answer_at(ds, i, out[i]);
  }
  return out;
}

static size_t differences(char (*a)[ANSWER_MAX], char (*b)[ANSWER_MAX],
                          const char *what)
{
  size_t n = answer_count(), bad = 0;
  for (size_t i = 0; i < n; i++)
    if (strcmp(a[i], b[i])) {
      if (bad++ < 5)
        fprintf(stderr, "%s, answer %zu: memo \"%s\", walk \"%s\"\n", what, i,
                a[i], b[i]);
    }
  return bad;
}

/* The data behind the comparisons, worked out by hand: the country's
 * participants in 2024-03 (m = 2) are a1 904 + a2 1,804 + b1 (DN 1,500 +
 * HN 1,204) + x 3,604 + y 4,504 = 13,520; y's 2025 comes from an
 * estimate; B's 2025-12 population is its own 99,999, its components'
 * 2025-11 (y 5,022 + b2 6,022 + z 7,022 = 18,066) added up. */
static void test_hand(HicovDataset *ds)
{
  int64_t c = 0;
  CHECK_INT(hicov_dataset_measure(ds, "participants", "VN",
                                  hicov_period_range(2024 * 12 + 2,
                                                     2024 * 12 + 2),
                                  NULL, &c, NULL, 0), HICOV_OK);
  CHECK_INT(c, 1352000);
  CHECK_INT(hicov_dataset_measure(ds, "population", "B",
                                  hicov_period_range(2025 * 12 + 11,
                                                     2025 * 12 + 11),
                                  NULL, &c, NULL, 0), HICOV_OK);
  CHECK_INT(c, 9999900);
  CHECK_INT(hicov_dataset_measure(ds, "population", "B",
                                  hicov_period_range(2025 * 12 + 10,
                                                     2025 * 12 + 10),
                                  NULL, &c, NULL, 0), HICOV_OK);
  CHECK_INT(c, 1806600);
  const char *src[4];
  size_t n = 0;
  CHECK_INT(hicov_dataset_measure_sources(ds, "participants", "VN",
                                          hicov_period_year(2025), NULL, src,
                                          4, &n), HICOV_OK);
  CHECK_INT(n, 2);
}

typedef struct {
  HicovDataset *ds;
  size_t start;
  char (*out)[ANSWER_MAX];
} Job;

static void *run_job(void *arg)
{
  Job *j = arg;
  j->out = answer_all(j->ds, j->start);
  return NULL;
}

int main(void)
{
  HicovDataset *memo = load(1), *walk = load(0);
  CHECK(memo != NULL && walk != NULL);
  if (!memo || !walk)
    return test_finish("test-memo");
  test_hand(memo);
  /* First of all, in Vietnamese, every measure with room for 3 bytes of
   * reason (cut inside a letter) and none: what the memo keeps of these
   * must not come back cut to the full buffers below. */
  hicov_dataset_set_lang(memo, "vi");
  for (size_t w = 0; w < N_MEASURES; w++)
    for (int u = 0; u < N_UNITS; u++)
      for (int p = 0; p < N_PERIODS; p++) {
        int64_t c;
        char small[4];
        HicovPeriod per = period_at(p);
        hicov_dataset_measure_on(memo, measures[w], unit_codes[u], per,
                                 2025 * 12 + 11, NULL, &c, NULL, small,
                                 sizeof small);
        hicov_dataset_measure_on(memo, measures[w], unit_codes[u], per,
                                 per.last, NULL, &c, NULL, NULL, 0);
      }
  size_t n = answer_count();
  static const char *const langs[] = {"en", "vi"};
  for (int l = 0; l < 2; l++)
    for (int b = 0; b < 2; b++) {
      int bounds = b ? HICOV_BOUNDARIES_AS_PUBLISHED : HICOV_BOUNDARIES_TODAY;
      char what[64];
      snprintf(what, sizeof what, "%s, boundaries %d", langs[l], bounds);
      for (int k = 0; k < 2; k++) {
        hicov_dataset_set_lang(k ? memo : walk, langs[l]);
        hicov_dataset_set_boundaries(k ? memo : walk, bounds);
      }
      char (*expect)[ANSWER_MAX] = answer_all(walk, 0);
      /* cold (or warm from the pass before), then warm from the middle */
      char (*got)[ANSWER_MAX] = answer_all(memo, 0);
      CHECK_INT(differences(got, expect, what), 0);
      free(got);
      got = answer_all(memo, n / 2 + 7);
      CHECK_INT(differences(got, expect, what), 0);
      free(got);
      free(expect);
    }
  size_t entries = 0, bytes = 0;
  hicov_memo_stats(memo, &entries, &bytes);
  CHECK(entries > 0);
  hicov_memo_stats(walk, &entries, &bytes);
  CHECK_INT(entries, 0);

  /* A change drops what was kept: a value replaced in place. */
  hicov_dataset_set_lang(memo, "en");
  hicov_dataset_set_boundaries(memo, HICOV_BOUNDARIES_TODAY);
  HicovValue v;
  memset(&v, 0, sizeof v);
  v.unit = "a1";
  v.measure = "participants";
  v.period = hicov_period_range(2024 * 12 + 2, 2024 * 12 + 2);
  v.centi = 100000; /* 1,000 instead of 904 */
  CHECK_INT(hicov_dataset_merge_values(memo, &v, 1, "fix",
                                       HICOV_CONFLICT_REPLACE, NULL, NULL),
            HICOV_OK);
  int64_t c = 0;
  CHECK_INT(hicov_dataset_measure(memo, "participants", "VN", v.period, NULL,
                                  &c, NULL, 0), HICOV_OK);
  CHECK_INT(c, 1352000 + 9600);
  hicov_dataset_free(memo);

  /* Four threads at once on a fresh memo, each starting elsewhere. */
  hicov_dataset_set_lang(walk, "en");
  hicov_dataset_set_boundaries(walk, HICOV_BOUNDARIES_TODAY);
  char (*expect)[ANSWER_MAX] = answer_all(walk, 0);
  memo = load(1);
  hicov_dataset_set_lang(memo, "en");
  CHECK_INT(hicov_dataset_prepare_queries(memo), HICOV_OK);
  Job jobs[4];
  pthread_t th[4];
  for (int t = 0; t < 4; t++) {
    jobs[t].ds = memo;
    jobs[t].start = (size_t)t * (n / 4);
    jobs[t].out = NULL;
    CHECK_INT(pthread_create(&th[t], NULL, run_job, &jobs[t]), 0);
  }
  for (int t = 0; t < 4; t++) {
    pthread_join(th[t], NULL);
    CHECK_INT(differences(jobs[t].out, expect, "threads"), 0);
    free(jobs[t].out);
  }
  free(expect);
  hicov_dataset_free(memo);
  hicov_dataset_free(walk);
  return test_finish("test-memo");
}

/* Datasets in and out (hicov-data.h): Vietnamese folding and order, units
 * found by name, merging under a conflict policy, saving a folder
 * atomically and byte-stably, tables of indicators. Expected values are
 * worked out by hand in the comments. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset-private.h"
#include "fixture.h"
#include "hicov-data.h"
#include "hicov-report.h"
#include "testutil.h"

static char *fold(const char *s)
{
  return hicov_text_fold(s);
}

static void test_fold(void)
{
  char *f;
  /* NFD (a + U+0302 circumflex + U+0301 acute, as macOS writes "ấ"),
     Unikey's composite (precomposed "â" + U+0301) and NFC are equal;
     case and spaces (a tab, a no-break space) do not count */
  const char *nfc = "X\xC3\xA3 \xC4\x90\xE1\xBA\xA5t \xC4\x90\xE1\xBB\x8F";
  const char *nfd = "  xa\xCC\x83\t\xC4\x91" "a\xCC\x82\xCC\x81t\xC2\xA0\xC4\x91o\xCC\x89 ";
  const char *comp = "XA\xCC\x83 \xC4\x90\xC3\xA2\xCC\x81T \xC4\x90O\xCC\x89";
  char *a = fold(nfc), *b = fold(nfd), *c = fold(comp);
  CHECK_STR(a, "x\xC3\xA3 \xC4\x91\xE1\xBA\xA5t \xC4\x91\xE1\xBB\x8F"); /* "xã đất đỏ" */
  CHECK_STR(b, a);
  CHECK_STR(c, a);
  hicov_free(a);
  hicov_free(b);
  hicov_free(c);
  /* dot below then circumflex (NFD's canonical order for "ậ") */
  f = fold("a\xCC\xA3\xCC\x82");
  CHECK_STR(f, "\xE1\xBA\xAD");
  hicov_free(f);
  /* Ð (U+00D0, typed for Đ) is đ; a bad byte is kept as U+FFFD */
  f = fold("\xC3\x90\xC3\xB4ng \xFF");
  CHECK_STR(f, "\xC4\x91\xC3\xB4ng \xEF\xBF\xBD");
  hicov_free(f);
}

static void test_collate(void)
{
  /* a < ă < â < b; d < đ < e; o < ô < ơ; u < ư < v; tones second:
     "Ba" < "Bà" < "Bả" < "Bã" < "Bá" < "Bạ" < "Bac"? no: letters first,
     so "Bạ" < "Bac" (the third letter decides before any tone) */
  CHECK(hicov_collate("an", "\xC4\x83n") < 0);          /* an < ăn */
  CHECK(hicov_collate("\xC4\x83n", "\xC3\xA2n") < 0);    /* ăn < ân */
  CHECK(hicov_collate("\xC3\xA2n", "ba") < 0);
  CHECK(hicov_collate("Dung", "\xC4\x90" "an") < 0);     /* D < Đ */
  CHECK(hicov_collate("\xC4\x90" "an", "Em") < 0);       /* Đ < E (strcmp: after Z) */
  CHECK(hicov_collate("\xC4\x90\xC3\xB4ng", "Zeta") < 0);
  CHECK(hicov_collate("B\xC3\xA0", "B\xE1\xBA\xA3") < 0); /* huyền < hỏi */
  CHECK(hicov_collate("B\xE1\xBA\xA3", "B\xC3\xA3") < 0); /* hỏi < ngã */
  CHECK(hicov_collate("B\xC3\xA3", "B\xC3\xA1") < 0);     /* ngã < sắc */
  CHECK(hicov_collate("B\xC3\xA1", "B\xE1\xBA\xA1") < 0); /* sắc < nặng */
  CHECK(hicov_collate("B\xE1\xBA\xA1", "Bac") < 0);
  CHECK(hicov_collate("u", "\xC6\xB0") < 0);
  CHECK(hicov_collate("\xC6\xB0", "v") < 0);
  CHECK(hicov_collate("abc", "ABC") < 0); /* case last */
  CHECK(hicov_collate("x", "x") == 0);
}

static HicovDataset *demo(void)
{
  HicovDataset *ds;
  if (hicov_dataset_new(&ds) || hicov_dataset_load_demo(ds))
    abort();
  return ds;
}

static const char *matched(HicovDataset *ds, HicovUnitMatcher *m,
                           const char *text, const char *period,
                           HicovMatch *out)
{
  HicovPeriod p;
  HicovMatchOptions opt = { HICOV_MATCH_AUTO, -1, NULL, NULL };
  if (period) {
    hicov_period_parse(period, &p);
    opt.period = &p;
  }
  if (hicov_unit_matcher_find(m, text, &opt, out) != HICOV_OK)
    return NULL;
  HicovUnit u;
  hicov_dataset_unit(ds, out->index, &u);
  return u.code;
}

static void test_match(void)
{
  HicovDataset *ds = demo();
  HicovUnitMatcher *m;
  CHECK_INT(hicov_unit_matcher_new(ds, &m), HICOV_OK);
  HicovMatch r;
  CHECK_STR(matched(ds, m, "20X05", NULL, &r), "20X05");
  CHECK_INT(r.by, HICOV_MATCH_CODE);
  CHECK_STR(matched(ds, m, " 20x05 ", NULL, &r), "20X05"); /* case, spaces */
  CHECK_STR(matched(ds, m, "Xã Na Sầm", NULL, &r), "20X05");
  CHECK_INT(r.by, HICOV_MATCH_NAME);
  CHECK_STR(matched(ds, m, "na  sầm", NULL, &r), "20X05");   /* no prefix */
  CHECK_STR(matched(ds, m, "XÃ NA SẦM", NULL, &r), "20X05");
  /* "Lạng Sơn" is the province; "TP. Lạng Sơn" the city (20D01) */
  CHECK_STR(matched(ds, m, "Lạng Sơn", NULL, &r), "20");
  CHECK_STR(matched(ds, m, "TP. Lạng Sơn", NULL, &r), "20D01");
  CHECK_STR(matched(ds, m, "tp Lạng Sơn", NULL, &r), "20D01");
  CHECK_STR(matched(ds, m, "Huyện Văn Lãng", NULL, &r), "20D03");
  CHECK_STR(matched(ds, m, "Văn Lãng", NULL, &r), "20D03");
  /* "Xã Bình Khê" is an old commune (20D11C1, to 2025-06) and a new one
     (20X06, from 2025-07): ambiguous unless the period decides */
  CHECK(matched(ds, m, "Xã Bình Khê", NULL, &r) == NULL);
  CHECK_INT(r.n_candidates, 2);
  CHECK_STR(matched(ds, m, "Xã Bình Khê", "2024", &r), "20D11C1");
  CHECK_STR(matched(ds, m, "Bình Khê", "2025-Q4", &r), "20X06");
  /* a name no unit has */
  CHECK(matched(ds, m, "Xã Không Có", "2024", &r) == NULL);
  CHECK_INT(r.n_candidates, 0);
  /* level and parent narrow names */
  HicovMatchOptions opt = { HICOV_MATCH_NAME, HICOV_LEVEL_DISTRICT, "20", NULL };
  CHECK_INT(hicov_unit_matcher_find(m, "Lạng Sơn", &opt, &r), HICOV_OK);
  CHECK_INT(r.index, 7); /* 20D01, Thành phố Lạng Sơn: the only district */
  opt.level = -1;
  opt.by = HICOV_MATCH_CODE;
  CHECK_INT(hicov_unit_matcher_find(m, "Lạng Sơn", &opt, &r), HICOV_NOTFOUND);
  hicov_unit_matcher_free(m);
  hicov_dataset_free(ds);
}

static int64_t measure(HicovDataset *ds, const char *m, const char *unit,
                       const char *period)
{
  HicovPeriod p;
  hicov_period_parse(period, &p);
  int64_t c = -1;
  if (hicov_dataset_measure(ds, m, unit, p, NULL, &c, NULL, 0) != HICOV_OK)
    return -1;
  return c;
}

static void test_merge(void)
{
  HicovDataset *ds = fixture_load();
  HicovPeriod y24, y25;
  hicov_period_parse("2024", &y24);
  hicov_period_parse("2025", &y25);
  /* A 2024 population is 1000 in the fixture; B's 2024 population 100 */
  HicovValue v[3] = {
    { "A", "population", NULL, y24, 100100, "S!C2" },   /* 1001: differs */
    { "B", "population", "", y24, 10000, "S!C3" },      /* 100: unchanged */
    { "B", "population", NULL, y25, 12000, "S!C4" },    /* new */
  };
  HicovMergeStats st;
  char *conflicts = NULL;
  size_t nobs_units = hicov_dataset_unit_count(ds);
  CHECK_INT(hicov_dataset_merge_values(ds, v, 3, "wb", HICOV_CONFLICT_ERROR,
                                       &st, &conflicts), HICOV_INVALID);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "S!C2: population of A for 2024 "
                 "is 1,000 in the dataset and 1,001 in the import");
  CHECK_CONTAINS(conflicts, "S!C2");
  hicov_free(conflicts);
  CHECK_INT(measure(ds, "population", "A", "2024"), 100000); /* unchanged */
  CHECK_INT(measure(ds, "population", "B", "2025"), -1);     /* not added */
  CHECK_INT(hicov_dataset_unit_count(ds), nobs_units);

  CHECK_INT(hicov_dataset_merge_values(ds, v, 3, "wb", HICOV_CONFLICT_KEEP,
                                       &st, NULL), HICOV_OK);
  CHECK_INT(st.added, 1);
  CHECK_INT(st.kept, 1);
  CHECK_INT(st.unchanged, 1);
  CHECK_INT(st.replaced, 0);
  CHECK_INT(measure(ds, "population", "A", "2024"), 100000);
  CHECK_INT(measure(ds, "population", "B", "2025"), 12000);

  CHECK_INT(hicov_dataset_merge_values(ds, v, 3, "wb", HICOV_CONFLICT_REPLACE,
                                       &st, NULL), HICOV_OK);
  CHECK_INT(st.added, 0);
  CHECK_INT(st.replaced, 1);
  CHECK_INT(st.unchanged, 2);
  CHECK_INT(measure(ds, "population", "A", "2024"), 100100);
  const char *src[4];
  size_t ns = 0;
  CHECK_INT(hicov_dataset_measure_sources(ds, "population", "A", y24, NULL,
                                          src, 4, &ns), HICOV_OK);
  CHECK_INT(ns, 1);
  CHECK_STR(src[0], "wb");

  /* the same key twice in a batch, and an unknown unit, change nothing */
  HicovValue twice[2] = {
    { "N", "visits", "DN", y25, 100, "S!D2" },
    { "N", "visits", "DN", y25, 200, "S!D9" },
  };
  CHECK_INT(hicov_dataset_merge_values(ds, twice, 2, NULL,
                                       HICOV_CONFLICT_REPLACE, &st, NULL),
            HICOV_INVALID);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "S!D9: visits of N for 2025, group "
                 "DN is given twice (first at S!D2)");
  HicovValue unknown = { "ZZ", "visits", NULL, y25, 100, "S!E2" };
  CHECK_INT(hicov_dataset_merge_values(ds, &unknown, 1, NULL,
                                       HICOV_CONFLICT_ERROR, &st, NULL),
            HICOV_NOTFOUND);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "S!E2: unknown unit 'ZZ'");
  CHECK_INT(measure(ds, "visits", "N", "2025"), -1);
  hicov_dataset_free(ds);
}

/* One merge of values into a fresh fixture, its outcome as text: status,
 * counts, message, conflicts and the values after it. */
static char *merge_outcome(const HicovValue *v, size_t n, int policy)
{
  HicovDataset *ds = fixture_load();
  if (!ds)
    return NULL;
  HicovMergeStats st;
  char *conflicts = NULL, *csv = NULL;
  int rc = hicov_dataset_merge_values(ds, v, n, "wb", policy, &st, &conflicts);
  hicov_dataset_values_csv(ds, &csv, NULL);
  size_t len = 512 + (conflicts ? strlen(conflicts) : 0) +
               (csv ? strlen(csv) : 0) + strlen(hicov_dataset_errmsg(ds));
  char *out = malloc(len);
  if (out)
    snprintf(out, len, "rc %d added %ld replaced %ld kept %ld unchanged %ld\n"
             "%s\n%s\n%s", rc, st.added, st.replaced, st.kept, st.unchanged,
             hicov_dataset_errmsg(ds), conflicts ? conflicts : "",
             csv ? csv : "");
  hicov_free(conflicts);
  hicov_free(csv);
  hicov_dataset_free(ds);
  return out;
}

/* The merge's outcome through the packed sort, checked against the
 * compared sort's (named by what in a failure); caller frees. */
static char *merge_both_ways(const HicovValue *v, size_t n, int policy,
                             const char *what)
{
  hicov_debug_pack_bits(0);
  char *packed = merge_outcome(v, n, policy);
  hicov_debug_pack_bits(1);
  char *compared = merge_outcome(v, n, policy);
  hicov_debug_pack_bits(0);
  CHECK(packed && compared);
  if (packed && compared && strcmp(packed, compared)) {
    fprintf(stderr, "%s, policy %d:\n%s\n---\n%s\n", what, policy, packed,
            compared);
    CHECK(0);
  }
  free(compared);
  return packed;
}

/* A batch is sorted on packed integer keys (radix) unless they need more
 * than 64 bits (qsort comparing items): both give the same merge, down to
 * the order of the conflicts and which value is named as given twice.
 * Groups the dataset lacks ("b", "Z", "_x": not in their byte order) sort
 * before its own, by their text. */
static void test_merge_orders(void)
{
  HicovPeriod y23, y24, y25, m6, r;
  hicov_period_parse("2023", &y23);
  hicov_period_parse("2024", &y24);
  hicov_period_parse("2025", &y25);
  hicov_period_parse("2024-06", &m6);
  hicov_period_parse("2025-01/2025-10", &r);
  HicovValue v[] = {
    { "F2", "visits", NULL, r, 500000, "S!A1" },        /* 4,000: differs */
    { "A", "participants", "b", y24, 100, "S!A2" },
    { "A", "participants", "HN", y24, 40100, "S!A3" },  /* 400: differs */
    { "F1", "visits", "Z", y23, 300, "S!A4" },
    { "A", "participants", "_x", y24, 200, "S!A5" },
    { "A", "population", NULL, y24, 100100, "S!A6" },   /* 1,000: differs */
    { "A", "participants", "Z", y24, 300, "S!A7" },
    { "A", "participants", NULL, m6, 89000, "S!A8" },   /* 890: unchanged */
    { "B", "participants", "DN", y24, 700, "S!A9" },    /* 6: differs */
    { "N", "visits", "_x", y25, 100, "S!B1" },
    { "F1", "visits", "b", y23, 100, "S!B2" },
  };
  size_t n = sizeof v / sizeof *v;
  for (int policy = HICOV_CONFLICT_ERROR; policy <= HICOV_CONFLICT_KEEP;
       policy++) {
    char *packed = merge_both_ways(v, n, policy, "designed batch");
    if (packed && policy == HICOV_CONFLICT_KEEP) {
      /* the conflicts in the batch's order: unit A's, B's, F2's */
      const char *a = strstr(packed, "S!A6"), *h = strstr(packed, "S!A3"),
                 *b = strstr(packed, "S!A9"), *f = strstr(packed, "S!A1");
      CHECK(a && h && b && f && a < h && h < b && b < f);
      CHECK_CONTAINS(packed, "rc 0 added 6 replaced 0 kept 4 unchanged 1");
    }
    free(packed);
  }
  /* the same key twice, in a group the dataset lacks, another such group
     between them: the later is named */
  HicovValue twice[] = {
    { "A", "participants", "b", y24, 300, "S!C1" },
    { "A", "participants", "Z", y24, 300, "S!C2" },
    { "A", "participants", "b", y24, 400, "S!C3" },
  };
  char *packed = merge_both_ways(twice, 3, HICOV_CONFLICT_REPLACE, "twice");
  if (packed)
    CHECK_CONTAINS(packed, "S!C3: participants of A for 2024, group b is given "
                   "twice (first at S!C1)");
  free(packed);
  /* keys given twice in two groups the dataset lacks: the first in the
     groups' byte order is named ("Z" before "b"), not the first read */
  HicovValue two[] = {
    { "A", "participants", "b", y24, 300, "S!E1" },
    { "A", "participants", "b", y24, 300, "S!E2" },
    { "A", "participants", "Z", y24, 300, "S!E3" },
    { "A", "participants", "Z", y24, 300, "S!E4" },
  };
  packed = merge_outcome(two, 4, HICOV_CONFLICT_ERROR);
  CHECK(packed != NULL);
  if (packed)
    CHECK_CONTAINS(packed, "S!E4: participants of A for 2024, group Z is given "
                   "twice (first at S!E3)");
  free(packed);
}

/* Random batches (seeded): units, measures, groups the dataset has or
 * lacks, months, years and ranges, keys given twice now and then; for
 * each policy the packed and the compared sorts give the same merge. */
static void test_merge_orders_random(void)
{
  static const char *units[] = { "P", "D1", "A", "B", "N", "F1", "F2" };
  static const char *measures[] = { "visits", "participants", "population",
                                     "total_cost", "inpatient_days" };
  static const char *groups[] = { NULL, "DN", "HN", "b", "Z", "_x", "a9", "TE" };
  /* several share their first month: 2024-01, 2024-01/2024-03, 2024 */
  static const char *periods[] = { "2024", "2023", "2024-06", "2024-01",
                                   "2025-01/2025-10", "2024-01/2024-03",
                                   "2025", "2024-Q2" };
  uint64_t seed = 12345;
  char where[64][16];
  for (int round = 0; round < 200; round++) {
    HicovValue v[64];
    size_t n = 0;
    for (; n < 64; n++) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      uint64_t r = seed >> 11;
      HicovPeriod p;
      hicov_period_parse(periods[r % 8], &p);
      snprintf(where[n], sizeof where[n], "S!R%zu", n);
      v[n] = (HicovValue){ units[(r >> 3) % 7], measures[(r >> 6) % 5],
                           groups[(r >> 9) % 8], p,
                           (int64_t)((r >> 12) % 5) * 100, where[n] };
    }
    /* most rounds without a key given twice: keep the first of each key */
    if (round % 3) {
      size_t k = 0;
      for (size_t i = 0; i < n; i++) {
        int dup = 0;
        for (size_t j = 0; j < k && !dup; j++)
          dup = v[j].unit == v[i].unit && v[j].measure == v[i].measure &&
                v[j].group == v[i].group && v[j].period.first == v[i].period.first &&
                v[j].period.last == v[i].period.last;
        if (!dup)
          v[k++] = v[i];
      }
      n = k;
    }
    for (int policy = HICOV_CONFLICT_ERROR; policy <= HICOV_CONFLICT_KEEP;
         policy++) {
      char what[32];
      snprintf(what, sizeof what, "round %d", round);
      free(merge_both_ways(v, n, policy, what));
    }
  }
}

/* ---- saving ---- */

static char *slurp(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *p = malloc((size_t)n + 1);
  if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
    free(p);
    p = NULL;
  }
  if (p)
    p[n] = '\0';
  fclose(f);
  if (len)
    *len = (size_t)n;
  return p;
}

static int count_entries(const char *dir, const char *prefix)
{
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (!strncmp(e->d_name, prefix, strlen(prefix)))
      n++;
  if (d)
    closedir(d);
  return n;
}

static void test_save(void)
{
  char base[] = "/tmp/hicov-test-data-XXXXXX";
  if (!mkdtemp(base)) {
    CHECK(0);
    return;
  }
  char dir[256], path[300], err[512];
  snprintf(dir, sizeof dir, "%s/ds", base);
  HicovDataset *ds = demo();
  /* a new folder */
  CHECK_INT(hicov_dataset_save(ds, dir, err, sizeof err), HICOV_OK);
  snprintf(path, sizeof path, "%s/units.csv", dir);
  size_t ulen, vlen;
  char *units1 = slurp(path, &ulen);
  snprintf(path, sizeof path, "%s/values.csv", dir);
  char *values1 = slurp(path, &vlen);
  CHECK(units1 && values1);
  CHECK(units1 && !strncmp(units1, "code,name,parent,level,tier,valid_to,"
                           "successor,valid_from,synthetic\nVN,Việt Nam,,country,", 80));
  CHECK_CONTAINS(values1, "\n20,2024,participants,764769,,published\n");
  /* load it back: the same values; save again: the same bytes */
  HicovDataset *back;
  hicov_dataset_new(&back);
  CHECK_INT(hicov_dataset_load_dir(back, dir, HICOV_LOAD_STRICT), HICOV_OK);
  CHECK_INT(hicov_dataset_unit_count(back), hicov_dataset_unit_count(ds));
  CHECK_INT(measure(back, "participants", "20", "2024"), 76476900);
  CHECK_INT(measure(back, "participants", "20", "2024"),
            measure(ds, "participants", "20", "2024"));
  char *u2, *v2;
  size_t ul2, vl2;
  CHECK_INT(hicov_dataset_units_csv(back, &u2, &ul2), HICOV_OK);
  CHECK_INT(hicov_dataset_values_csv(back, &v2, &vl2), HICOV_OK);
  CHECK(ul2 == ulen && !memcmp(u2, units1, ulen));
  CHECK(vl2 == vlen && !memcmp(v2, values1, vlen));
  hicov_free(u2);
  hicov_free(v2);

  /* an existing folder with another file: replaced, the file kept */
  snprintf(path, sizeof path, "%s/notes.txt", dir);
  FILE *f = fopen(path, "w");
  fputs("keep me\n", f);
  fclose(f);
  HicovPeriod y;
  hicov_period_parse("2030", &y);
  CHECK_INT(hicov_dataset_add_value(back, "20", "population", NULL, y,
                                    90000000, "plan"), HICOV_OK);
  CHECK_INT(hicov_dataset_save(back, dir, err, sizeof err), HICOV_OK);
  char *notes = slurp(path, NULL);
  CHECK_STR(notes, "keep me\n");
  free(notes);
  snprintf(path, sizeof path, "%s/values.csv", dir);
  char *values2 = slurp(path, NULL);
  CHECK_CONTAINS(values2, "\n20,2030,population,900000,,plan\n");
  CHECK_INT(count_entries(base, "ds."), 0); /* no .tmp- or .old- left */

  /* a failure while writing (a full disk) leaves the folder as it was */
  HicovPeriod y31;
  hicov_period_parse("2031", &y31);
  hicov_dataset_add_value(back, "20", "population", NULL, y31, 100, NULL);
  /* the hook counts the bytes of each file: units.csv goes through,
     values.csv fails */
  hicov_report_debug_fail_write_after((long)ulen + 100);
  CHECK_INT(hicov_dataset_save(back, dir, err, sizeof err), HICOV_IO);
  hicov_report_debug_fail_write_after(-1);
  CHECK_CONTAINS(err, "values.csv");
  char *values3 = slurp(path, NULL);
  CHECK_STR(values3, values2);
  CHECK_INT(count_entries(base, "ds."), 0);
  free(values2);
  free(values3);

  /* a folder inside is refused, and nothing changes */
  char sub[300];
  snprintf(sub, sizeof sub, "%s/archive", dir);
  mkdir(sub, 0755);
  CHECK_INT(hicov_dataset_save(ds, dir, err, sizeof err), HICOV_IO);
  CHECK_CONTAINS(err, "holds 'archive', which is a folder");
  CHECK_INT(count_entries(base, "ds."), 0);
  rmdir(sub);
  /* a file given as the folder is refused */
  CHECK_INT(hicov_dataset_save(ds, path, err, sizeof err), HICOV_IO);
  CHECK_CONTAINS(err, "not a folder");

  free(units1);
  free(values1);
  hicov_dataset_free(back);
  hicov_dataset_free(ds);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
  CHECK_INT(system(cmd), 0);
}

static void test_table(void)
{
  HicovDataset *ds = demo();
  const char *ind[] = { "participants", "coverage_rate" };
  HicovTableSpec spec = { ind, 2, { 0, 0, 0 }, HICOV_LEVEL_DISTRICT, "20",
                          NULL, 1 };
  hicov_period_parse("2024", &spec.period);
  HicovTable *t;
  CHECK_INT(hicov_table_new(ds, &spec, &t), HICOV_OK);
  CHECK_INT(hicov_table_row_count(t), 12); /* 11 districts and the total */
  CHECK_INT(hicov_table_column_count(t), 2);
  HicovTableRow r;
  /* Vietnamese order: Huyện Bắc Sơn < Huyện Bình Gia (ắ is a letter ă, after
     i? no: "Bắc" vs "Bình": b = b, ă < i), ..., Thành phố Lạng Sơn last */
  hicov_table_row(t, 0, &r);
  CHECK_STR(r.name, "Huyện Bắc Sơn");
  hicov_table_row(t, 1, &r);
  CHECK_STR(r.name, "Huyện Bình Gia");
  hicov_table_row(t, 10, &r);
  CHECK_STR(r.name, "Thành phố Lạng Sơn");
  hicov_table_row(t, 11, &r);
  CHECK_STR(r.code, "20");
  CHECK(r.is_total);
  const HicovResult *c = hicov_table_cell(t, 11, 0);
  CHECK_NEAR(c->value, 764769, 0);
  c = hicov_table_cell(t, 11, 1);
  /* participants / population x 100, from the measures themselves */
  CHECK_NEAR(c->value, (double)measure(ds, "participants", "20", "2024") /
             (double)measure(ds, "population", "20", "2024") * 100, 1e-9);
  CHECK_STR(hicov_table_heading(t, 1, "vi"), "Tỷ lệ bao phủ BHYT (%)");
  CHECK_STR(hicov_table_heading(t, 0, "en"), "Insured participants (people)");
  CHECK(hicov_table_cell(t, 12, 0) == NULL);
  hicov_table_free(t);
  /* an unknown indicator names itself */
  const char *bad[] = { "coverage" };
  spec.indicators = bad;
  spec.n_indicators = 1;
  CHECK_INT(hicov_table_new(ds, &spec, &t), HICOV_NOTFOUND);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "unknown indicator 'coverage'");
  hicov_dataset_free(ds);
}

/* A dataset as bytes and back (hicov_dataset_serialize, _load_state), and
 * the deep copy: units, values, the split of X into Y (60 %) and Z (40 %),
 * the settings and a resolution all survive; cut, changed or re-versioned
 * bytes are refused. */
static void test_state(void)
{
  static const char units[] =
    "code,name,parent,level,tier,valid_to,successor,valid_from\n"
    "P,Tỉnh,,province,,,,\n"
    "X,Xã Cũ,P,commune,,2025-07-01,,\n"
    "Y,Xã Lớn,P,commune,,,,\n"
    "Z,Xã Mới,P,commune,,,,2025-07-01\n";
  static const char values[] =
    "unit,period,measure,value,group,source\n"
    "X,2024,population,1000,,\nX,2024,participants,900,HN,census\n"
    "Y,2025,population,2640,,\nY,2025,participants,2376,,\n"
    "Z,2025-01/2025-10,visits,12.5,,\n";
  static const char crosswalk[] =
    "old,new,share,date,basis\nX,Y,0.6,2025-07-01,population\n"
    "X,Z,0.4,2025-07-01,\n";
  HicovDataset *ds = NULL;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", units,
                                            sizeof units - 1,
                                            HICOV_LOAD_STRICT), HICOV_OK);
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", values,
                                             sizeof values - 1,
                                             HICOV_LOAD_STRICT), HICOV_OK);
  CHECK_INT(hicov_dataset_load_crosswalk_buffer(ds, "crosswalk.csv",
                                                crosswalk,
                                                sizeof crosswalk - 1,
                                                HICOV_LOAD_STRICT), HICOV_OK);
  CHECK_INT(hicov_dataset_set_fund_share(ds, 85.5), HICOV_OK);
  CHECK_INT(hicov_dataset_set_lang(ds, "en"), HICOV_OK);
  CHECK_INT(hicov_dataset_set_boundaries(ds, HICOV_BOUNDARIES_AS_PUBLISHED),
            HICOV_OK);
  HicovResolution *res = NULL;
  CHECK_INT(hicov_resolution_new("HĐND", "1/2024", "Bao phủ", 2021, 2025,
                                 &res), HICOV_OK);
  /* 0.1 + 0.2 has no short decimal: the bits must travel, not a text */
  HicovTarget t = { "coverage_rate", "Y", -1, 0.1 + 0.2, HICOV_CMP_AT_LEAST,
                    2025, 0, NULL };
  CHECK_INT(hicov_resolution_add_target(res, &t), HICOV_OK);
  CHECK_INT(hicov_dataset_add_resolution(ds, res), HICOV_OK);
  hicov_resolution_free(res);

  void *state = NULL;
  size_t len = 0;
  CHECK_INT(hicov_dataset_serialize(ds, &state, &len), HICOV_OK);
  CHECK(len > 8 + 4 + 32 && !memcmp(state, "HICOVDS\0\1\0\0\0", 12));
  HicovDataset *back = NULL;
  char err[256];
  CHECK_INT(hicov_dataset_load_state(state, len, &back, err, sizeof err),
            HICOV_OK);
  void *again = NULL;
  size_t len2 = 0;
  CHECK_INT(hicov_dataset_serialize(back, &again, &len2), HICOV_OK);
  CHECK(len2 == len && !memcmp(again, state, len));
  hicov_free(again);
  CHECK(hicov_dataset_fund_share(back) == 85.5);
  CHECK_STR(hicov_dataset_lang(back), "en");
  CHECK_INT(hicov_dataset_boundaries(back), HICOV_BOUNDARIES_AS_PUBLISHED);
  CHECK_INT(hicov_dataset_split_count(back), 2);
  CHECK_INT(hicov_dataset_resolution_count(back), 1);
  CHECK(hicov_resolution_target(hicov_dataset_resolution(back, 0), 0)
            ->threshold == 0.1 + 0.2);
  /* the copy keeps the split and the settings too */
  HicovDataset *copy = NULL;
  CHECK_INT(hicov_dataset_copy(ds, &copy), HICOV_OK);
  CHECK_INT(hicov_dataset_split_count(copy), 2);
  CHECK_INT(hicov_dataset_boundaries(copy), HICOV_BOUNDARIES_AS_PUBLISHED);
  CHECK_INT(hicov_dataset_serialize(copy, &again, &len2), HICOV_OK);
  CHECK(len2 == len && !memcmp(again, state, len));
  hicov_free(again);
  hicov_dataset_free(copy);
  hicov_dataset_free(back);

  /* cut anywhere, or one bit changed anywhere: refused, nothing made */
  unsigned char *b = malloc(len);
  CHECK(b != NULL);
  for (size_t n = 0; b && n < len; n += n < 64 ? 1 : 61) {
    back = (HicovDataset *)1;
    CHECK_INT(hicov_dataset_load_state(state, n, &back, err, sizeof err),
              HICOV_PARSE);
    CHECK(back == NULL);
  }
  for (size_t i = 0; b && i < len; i += 7) {
    memcpy(b, state, len);
    b[i] ^= 0x10;
    CHECK_INT(hicov_dataset_load_state(b, len, &back, err, sizeof err),
              HICOV_PARSE);
    CHECK_CONTAINS(err, "SHA-256");
  }
  /* version 2, sealed again: refused for its version */
  if (b) {
    memcpy(b, state, len);
    b[8] = 2;
    HicovSha256 ctx;
    hicov_sha256_init(&ctx);
    hicov_sha256_update(&ctx, b, len - 32);
    hicov_sha256_final(&ctx, b + len - 32);
    CHECK_INT(hicov_dataset_load_state(b, len, &back, err, sizeof err),
              HICOV_PARSE);
    /* in the process's language */
    CHECK(strstr(err, "version 2") || strstr(err, "phiên bản 2"));
  }
  free(b);
  hicov_free(state);
  hicov_dataset_free(ds);
}

int main(void)
{
  test_fold();
  test_collate();
  test_match();
  test_merge();
  test_merge_orders();
  test_merge_orders_random();
  test_save();
  test_table();
  test_state();
  return test_finish("test-data");
}

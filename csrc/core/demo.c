/* demo.c - the built-in demo dataset.
 *
 * Province and national totals are the published figures of
 * shared/reference/published-figures.md.  Where the source gives only a
 * coverage rate, the population is derived as participants / coverage and
 * marked "derived"; where it gives only a growth rate, the earlier value is
 * derived as value / (1 + growth) and marked "derived".  The communes of
 * Lang Son and the beneficiary-group split are synthetic (generated
 * deterministically below, summing exactly to the published totals) and
 * are marked synthetic wherever they are shown.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dataset-private.h"

#define PUB "published"
#define DER "derived"
#define SYN "synthetic"
#define GSO "GSO population estimate"

/* Lang Son districts before the 2025-07-01 reform (real names). */
static const char *const ls_districts[11] = {
  "Thành phố Lạng Sơn", "Huyện Tràng Định", "Huyện Văn Lãng", "Huyện Văn Quan",
  "Huyện Bình Gia", "Huyện Bắc Sơn", "Huyện Hữu Lũng", "Huyện Chi Lăng",
  "Huyện Cao Lộc", "Huyện Lộc Bình", "Huyện Đình Lập",
};

/* Syllables for synthetic commune names. */
static const char *const syl_a[] = {
  "Tân", "Hòa", "Thanh", "Minh", "Đồng", "Bình", "Yên", "Quang", "Hưng",
  "Kim", "Mai", "Vân", "Xuân", "Thụy", "Hoàng", "Liên", "Tú", "Chiến",
  "Khánh", "Hồng", "Phú", "Trung",
};
static const char *const syl_b[] = {
  "Sơn", "Lập", "Thịnh", "Tiến", "Lợi", "Hội", "Phong", "Thành", "Lạc",
  "Châu", "Đoàn", "Khê",
};

/* Deterministic generator (SplitMix64) for the synthetic split. */
static uint64_t rng_state;
static uint64_t rng_next(void)
{
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
static double rng_unit(void)
{
  return (double)(rng_next() >> 11) / 9007199254740992.0;
}

static int unit(HicovDataset *ds, const char *code, const char *name,
                const char *parent, int level, int tier, int valid_from,
                int valid_to, const char *successor, int synthetic)
{
  HicovUnit u;
  memset(&u, 0, sizeof u);
  u.code = code;
  u.name = name;
  u.parent = parent;
  u.level = level;
  u.tier = tier;
  u.valid_from = valid_from;
  u.valid_to = valid_to;
  u.successor = successor;
  u.synthetic = synthetic;
  return hicov_dataset_add_unit(ds, &u);
}

static int val(HicovDataset *ds, const char *u, const char *period,
               const char *measure, int64_t whole, const char *group,
               const char *source)
{
  HicovPeriod p;
  if (hicov_period_parse(period, &p))
    return HICOV_INVALID;
  return hicov_dataset_add_value(ds, u, measure, group, p, whole * 100, source);
}

/* Splits `total` into n integer parts proportional to w (largest
 * remainders), so the parts sum exactly to the total. */
static void split(int64_t total, const double *w, int n, int64_t *out)
{
  double sw = 0;
  for (int i = 0; i < n; i++)
    sw += w[i];
  int64_t used = 0;
  double rem[64];
  for (int i = 0; i < n; i++) {
    double exact = (double)total * w[i] / sw;
    out[i] = (int64_t)floor(exact);
    rem[i] = exact - (double)out[i];
    used += out[i];
  }
  while (used < total) {
    int best = 0;
    for (int i = 1; i < n; i++)
      if (rem[i] > rem[best])
        best = i;
    out[best]++;
    rem[best] = -1;
    used++;
  }
}

#define N_OLD 44
#define N_NEW 22
#define REFORM (2025 * 12 + 6) /* 2025-07: districts abolished, communes merged */

/* Synthetic communes of Lang Son: 11 districts of 4 old communes each
 * (until 2025-06), merged pairwise into 22 new communes (from 2025-07). */
static int lang_son_communes(HicovDataset *ds)
{
  char code[32], name[96], parent[16], succ[32];
  int rc;
  for (int d = 0; d < 11; d++) {
    snprintf(code, sizeof code, "20D%02d", d + 1);
    if ((rc = unit(ds, code, ls_districts[d], "20", HICOV_LEVEL_DISTRICT, 0, 0,
                   REFORM, NULL, 0)))
      return rc;
  }
  for (int k = 0; k < N_NEW; k++) {
    snprintf(code, sizeof code, "20X%02d", k + 1);
    if (k == 4) /* in the former Van Lang district */
      snprintf(name, sizeof name, "Xã Na Sầm");
    else if (k == 0)
      snprintf(name, sizeof name, "Phường Đông Kinh");
    else
      snprintf(name, sizeof name, "Xã %s %s", syl_a[k % 22], syl_b[(k * 7) % 12]);
    if ((rc = unit(ds, code, name, "20", HICOV_LEVEL_COMMUNE, 0, REFORM, 0,
                   NULL, 1)))
      return rc;
  }
  for (int c = 0; c < N_OLD; c++) {
    snprintf(code, sizeof code, "20D%02dC%d", c / 4 + 1, c % 4 + 1);
    snprintf(parent, sizeof parent, "20D%02d", c / 4 + 1);
    snprintf(succ, sizeof succ, "20X%02d", c / 2 + 1);
    snprintf(name, sizeof name, "Xã %s %s", syl_a[(c * 5 + 3) % 22],
             syl_b[(c * 5 + c / 12) % 12]);
    if (c / 4 == 0)
      snprintf(name, sizeof name, "Phường %s %s", syl_a[(c * 5 + 3) % 22],
               syl_b[(c * 5 + 1) % 12]);
    if ((rc = unit(ds, code, name, parent, HICOV_LEVEL_COMMUNE, 0, 0, REFORM,
                   succ, 1)))
      return rc;
  }
  return HICOV_OK;
}

/* Participants of n communes: coverage base + cov[i] (points) of each
 * commune's population, pinned to fixed_cov for commune `fixed` (>= 0),
 * the others rescaled so that they sum exactly to the province's total. */
static void split_participants(int64_t part, const int64_t *pops,
                               double base, const double *cov, int n,
                               int fixed, double fixed_cov, int64_t *parts)
{
  double target[N_OLD];
  double sum = 0;
  for (int i = 0; i < n; i++) {
    double c = i == fixed ? fixed_cov : fmin(99.6, base + cov[i]);
    target[i] = (double)pops[i] * c / 100.0;
    sum += target[i];
  }
  int64_t fixed_part = fixed >= 0 ? (int64_t)llround(target[fixed]) : 0;
  double scale = ((double)part - (double)fixed_part) /
                 (sum - (fixed >= 0 ? target[fixed] : 0));
  double wpart[N_OLD];
  for (int i = 0; i < n; i++)
    wpart[i] = i == fixed ? 0 : target[i] * scale;
  split(part - fixed_part, wpart, n, parts);
  if (fixed >= 0)
    parts[fixed] = fixed_part;
  for (int i = 0; i < n; i++)
    if (parts[i] > pops[i])
      parts[i] = pops[i]; /* cannot happen with coverage below 99.6% */
}

/* Splits a year's province totals over the 44 communes before the reform
 * with coverage spread around the province's (the same communes every
 * year: one seed). */
static void split_old(int64_t pop, int64_t part, int64_t *pops,
                      int64_t *parts)
{
  double w[N_OLD], cov[N_OLD];
  rng_state = 20u * 1000003u + 1u;
  double pc = (double)part / (double)pop * 100.0;
  for (int i = 0; i < N_OLD; i++) {
    w[i] = 0.5 + rng_unit() * (i / 4 == 0 ? 3.0 : 1.2);
    cov[i] = -4.5 + rng_unit() * 7.0; /* offset in points */
  }
  split(pop, w, N_OLD, pops);
  split_participants(part, pops, pc, cov, N_OLD, -1, 0, parts);
}

/* Splits 2025's province totals over the 22 communes formed by the reform,
 * each from two old communes: its population that of the pair a year
 * earlier grown by -1..+3%, its coverage the pair's plus the province's
 * change, give or take 1.2 points (Na Sam, `fixed`, pinned to its
 * published 98%).  So a merged commune's 2025 compares plausibly with the
 * same territory in 2024. */
static void split_new(int64_t pop, int64_t part, const int64_t *pop24,
                      const int64_t *part24, int fixed, double fixed_cov,
                      int64_t *pops, int64_t *parts)
{
  double w[N_NEW], cov[N_NEW];
  int64_t p24 = 0, q24 = 0;
  for (int i = 0; i < N_OLD; i++) {
    p24 += pop24[i];
    q24 += part24[i];
  }
  double lift = (double)part / (double)pop * 100.0 -
                (double)q24 / (double)p24 * 100.0;
  rng_state = 20u * 1000003u + 2u;
  for (int k = 0; k < N_NEW; k++) {
    int64_t pp = pop24[2 * k] + pop24[2 * k + 1];
    int64_t qq = part24[2 * k] + part24[2 * k + 1];
    w[k] = (double)pp * (0.99 + rng_unit() * 0.04);
    cov[k] = (double)qq / (double)pp * 100.0 + lift - 1.2 + rng_unit() * 2.4;
  }
  split(pop, w, N_NEW, pops);
  split_participants(part, pops, 0.0, cov, N_NEW, fixed, fixed_cov, parts);
}

/* Population and participants of the communes `old` (44) or new (22). */
static int add_communes(HicovDataset *ds, const char *year, int old,
                        const int64_t *pops, const int64_t *parts)
{
  char code[32];
  int rc;
  for (int i = 0; i < (old ? N_OLD : N_NEW); i++) {
    if (old)
      snprintf(code, sizeof code, "20D%02dC%d", i / 4 + 1, i % 4 + 1);
    else
      snprintf(code, sizeof code, "20X%02d", i + 1);
    if ((rc = val(ds, code, year, "population", pops[i], NULL, SYN)) ||
        (rc = val(ds, code, year, "participants", parts[i], NULL, SYN)))
      return rc;
  }
  return HICOV_OK;
}

/* Synthetic split of province participants by beneficiary group. */
static int groups_year(HicovDataset *ds, const char *u, const char *year,
                       int64_t part, int seed)
{
  static const char *const codes[] = { "DT", "HN", "CN", "TE", "HS", "GD",
                                       "DN", "HC", "HT", "BT", "CC" };
  static const double share[] = { 27, 6, 3, 9, 11, 19, 9, 6, 5, 3, 2 };
  enum { NG = sizeof codes / sizeof codes[0] };
  double w[NG];
  int64_t parts[NG];
  rng_state = (uint64_t)seed;
  for (int i = 0; i < NG; i++)
    w[i] = share[i] * (0.92 + rng_unit() * 0.16);
  split(part, w, NG, parts);
  int rc;
  for (int i = 0; i < NG; i++)
    if ((rc = val(ds, u, year, "participants", parts[i], codes[i], SYN)))
      return rc;
  return HICOV_OK;
}

static int add_resolutions(HicovDataset *ds)
{
  HicovResolution *r;
  HicovTarget t;
  int rc;

  /* Lang Son, 17th Provincial Party Congress, term 2020-2025: 98%. */
  if ((rc = hicov_resolution_new("Đảng bộ tỉnh Lạng Sơn",
                                 "Nghị quyết Đại hội XVII",
                                 "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Lạng Sơn lần thứ XVII, nhiệm kỳ 2020-2025",
                                 2020, 2025, &r)))
    return rc;
  memset(&t, 0, sizeof t);
  t.indicator = "coverage_rate";
  t.unit = "20";
  t.level = -1;
  t.threshold = 98;
  t.comparison = HICOV_CMP_AT_LEAST;
  t.deadline_year = 2025;
  t.baseline_year = 2020;
  t.label = "Tỷ lệ bao phủ bảo hiểm y tế đạt 98% dân số";
  if (!(rc = hicov_resolution_add_target(r, &t)))
    rc = hicov_dataset_add_resolution(ds, r);
  hicov_resolution_free(r);
  if (rc)
    return rc;

  /* Lang Son, next term 2025-2030: over 96%. */
  if ((rc = hicov_resolution_new("Đảng bộ tỉnh Lạng Sơn",
                                 "Nghị quyết Đại hội XVIII",
                                 "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Lạng Sơn lần thứ XVIII, nhiệm kỳ 2025-2030",
                                 2025, 2030, &r)))
    return rc;
  t.threshold = 96;
  t.deadline_year = 2030;
  t.baseline_year = 2025;
  t.label = "Tỷ lệ bao phủ bảo hiểm y tế đạt trên 96% dân số";
  if (!(rc = hicov_resolution_add_target(r, &t)))
    rc = hicov_dataset_add_resolution(ds, r);
  hicov_resolution_free(r);
  if (rc)
    return rc;

  /* Hoa Binh, 17th Provincial Party Congress: 95% or more. */
  if ((rc = hicov_resolution_new("Đảng bộ tỉnh Hòa Bình",
                                 "Nghị quyết Đại hội XVII",
                                 "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Hòa Bình lần thứ XVII, nhiệm kỳ 2020-2025",
                                 2020, 2025, &r)))
    return rc;
  t.unit = "17";
  t.threshold = 95;
  t.deadline_year = 2025;
  t.baseline_year = 0;
  t.label = "Tỷ lệ bao phủ bảo hiểm y tế đạt 95% trở lên";
  if (!(rc = hicov_resolution_add_target(r, &t)))
    rc = hicov_dataset_add_resolution(ds, r);
  hicov_resolution_free(r);
  return rc;
}

/* population = participants / coverage, rounded to a whole person */
static int64_t derive_pop(int64_t participants, double coverage_pct)
{
  return (int64_t)llround((double)participants / (coverage_pct / 100.0));
}

/* earlier = value / (1 + growth), rounded */
static int64_t derive_prev(int64_t value, double growth_pct)
{
  return (int64_t)llround((double)value / (1.0 + growth_pct / 100.0));
}

int hicov_dataset_load_demo(HicovDataset *ds)
{
  if (!ds)
    return HICOV_INVALID;
  if (ds->n_units || ds->n_obs)
    return hicov_set_error(ds, HICOV_INVALID, "the demo loads into an empty dataset");
  hicov_clear_error(ds);
  int rc;
#define TRY(x) do { if ((rc = (x))) goto fail; } while (0)
  TRY(unit(ds, "VN", "Việt Nam", NULL, HICOV_LEVEL_COUNTRY, 0, 0, 0, NULL, 0));
  TRY(unit(ds, "20", "Lạng Sơn", "VN", HICOV_LEVEL_PROVINCE, 0, 0, 0, NULL, 0));
  TRY(unit(ds, "22", "Quảng Ninh", "VN", HICOV_LEVEL_PROVINCE, 0, 0, 0, NULL, 0));
  TRY(unit(ds, "25", "Phú Thọ", "VN", HICOV_LEVEL_PROVINCE, 0, 0, 0, NULL, 0));
  TRY(unit(ds, "17", "Hòa Bình", "VN", HICOV_LEVEL_PROVINCE, 0, 0, REFORM, "25", 0));
  TRY(unit(ds, "17LS", "Huyện Lương Sơn", "17", HICOV_LEVEL_DISTRICT, 0, 0, REFORM, NULL, 0));
  TRY(unit(ds, "17LS-TTYT", "Trung tâm Y tế huyện Lương Sơn", "17LS",
           HICOV_LEVEL_FACILITY, HICOV_TIER_DISTRICT, 0, 0, NULL, 0));
  TRY(lang_son_communes(ds));

  /* Lang Son (article of Aug 2025). */
  int64_t ls20 = 732000, ls24 = 764769, ls25 = 779662;
  int64_t ls20p = derive_pop(ls20, 92.8), ls24p = derive_pop(ls24, 94.1),
          ls25p = derive_pop(ls25, 95.0);
  TRY(val(ds, "20", "2020", "participants", ls20, NULL, PUB));
  TRY(val(ds, "20", "2020", "population", ls20p, NULL, DER));
  TRY(val(ds, "20", "2024", "participants", ls24, NULL, PUB));
  TRY(val(ds, "20", "2024", "population", ls24p, NULL, DER));
  TRY(val(ds, "20", "2025", "participants", ls25, NULL, "published estimate"));
  TRY(val(ds, "20", "2025", "population", ls25p, NULL, DER));
  int64_t v24 = 1070000, c24 = 690000000000LL;
  TRY(val(ds, "20", "2024", "visits", v24, NULL, PUB));
  TRY(val(ds, "20", "2023", "visits", derive_prev(v24, 2.6), NULL, DER));
  TRY(val(ds, "20", "2024", "total_cost", c24, NULL, PUB));
  TRY(val(ds, "20", "2023", "total_cost", derive_prev(c24, 13.5), NULL, DER));
  int64_t pops[N_OLD], parts[N_OLD], pop24[N_OLD], part24[N_OLD];
  split_old(ls20p, ls20, pops, parts);
  TRY(add_communes(ds, "2020", 1, pops, parts));
  split_old(ls24p, ls24, pop24, part24);
  TRY(add_communes(ds, "2024", 1, pop24, part24));
  split_new(ls25p, ls25, pop24, part24, 4, 98.0, pops, parts); /* Na Sam */
  TRY(add_communes(ds, "2025", 0, pops, parts));
  TRY(groups_year(ds, "20", "2024", ls24, 2024));
  TRY(groups_year(ds, "20", "2025", ls25, 2025));

  /* Quang Ninh (Oct 2025). */
  int64_t qn_part = 1281865, qn_vis = 2293971, qn_cost = 2237000000000LL;
  TRY(val(ds, "22", "2025-10", "participants", qn_part, NULL, PUB));
  TRY(val(ds, "22", "2025-10", "population", derive_pop(qn_part, 94.85), NULL, DER));
  TRY(val(ds, "22", "2024-10", "participants", derive_prev(qn_part, 0.38), NULL, DER));
  TRY(val(ds, "22", "2025-01/2025-10", "visits", qn_vis, NULL, PUB));
  TRY(val(ds, "22", "2024-01/2024-10", "visits", derive_prev(qn_vis, 3.4), NULL, DER));
  TRY(val(ds, "22", "2025-01/2025-10", "total_cost", qn_cost, NULL, PUB));
  TRY(val(ds, "22", "2024-01/2024-10", "total_cost", derive_prev(qn_cost, 19.6), NULL, DER));

  /* Hoa Binh (2019 and 2024 articles). */
  TRY(val(ds, "17", "2009", "participants", 531000, NULL, PUB));
  TRY(val(ds, "17", "2009", "population", derive_pop(531000, 67.65), NULL, DER));
  TRY(val(ds, "17", "2018", "participants", 817000, NULL, PUB));
  TRY(val(ds, "17", "2018", "population", derive_pop(817000, 96.63), NULL, DER));
  TRY(val(ds, "17LS-TTYT", "2024", "card_checkins", 11268, NULL, PUB));
  TRY(val(ds, "17LS-TTYT", "2024", "card_checkins_ok", 8202, NULL, PUB));

  /* Viet Nam: coverage published, population from GSO estimates. */
  static const struct { const char *period; int64_t pop; double cov; } vn[] = {
    { "2009", 85846997, 57.0 }, { "2015", 91713300, 74.7 }, { "2023-06", 100300000, 92.0 },
  };
  for (size_t i = 0; i < sizeof vn / sizeof vn[0]; i++) {
    TRY(val(ds, "VN", vn[i].period, "population", vn[i].pop, NULL, GSO));
    TRY(val(ds, "VN", vn[i].period, "participants",
            (int64_t)llround((double)vn[i].pop * vn[i].cov / 100.0), NULL, DER));
  }
  TRY(val(ds, "VN", "2023-Q1", "patients_500m", 99, NULL, PUB));
  TRY(val(ds, "VN", "2023-Q1", "patients_1b", 8, NULL, PUB));

  TRY(add_resolutions(ds));
  TRY(hicov_dataset_prepare(ds));
  return HICOV_OK;
fail:
#undef TRY
  if (!ds->errmsg[0])
    hicov_set_error(ds, rc, "building the demo failed: %s", hicov_status_string(rc));
  return rc;
}

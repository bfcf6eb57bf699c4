/* chart-dataset.c - standard hicov charts built straight from a dataset
 * through the core API (hicov.h): every value is fetched with
 * hicov_indicator_value / hicov_dataset_measure / hicov_project, never
 * computed here. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart-private.h"

/* Most groups a stacked chart shows before lumping the rest into "Other":
 * beyond six the colour-blind-safe palette would repeat. */
#define MAX_GROUPS 5

typedef struct {
  const char *name, *vi;
} Label;

/* Vietnamese names of the indicators a dashboard charts most; the others
 * fall back to the core's English label. */
static const Label indicator_vi[] = {
  { "coverage_rate", "Tỷ lệ bao phủ BHYT" },
  { "participants", "Số người tham gia BHYT" },
  { "population", "Dân số" },
  { "visits", "Lượt khám chữa bệnh BHYT" },
  { "inpatient_visits", "Lượt điều trị nội trú" },
  { "inpatient_days", "Ngày điều trị nội trú" },
  { "total_cost", "Chi phí khám chữa bệnh BHYT" },
  { "fund_paid", "Quỹ BHYT chi trả" },
  { "copay", "Người bệnh cùng chi trả" },
  { "fund_revenue", "Thu quỹ BHYT" },
  { "fund_balance", "Cân đối quỹ BHYT" },
  { "fund_usage", "Tỷ lệ sử dụng quỹ" },
  { "cost_per_visit", "Chi phí bình quân một lượt" },
  { "cost_per_participant", "Chi phí bình quân một người tham gia" },
  { "inpatient_share", "Tỷ lệ lượt nội trú" },
  { "avg_length_of_stay", "Số ngày điều trị bình quân" },
  { "checkin_success_rate", "Tỷ lệ tra cứu thẻ bằng CCCD thành công" },
  { "commune_visit_share", "Tỷ lệ lượt khám tại trạm y tế xã" },
};

/* Beneficiary groups (card prefixes) in Vietnamese. */
static const Label group_vi[] = {
  { "DN", "Người lao động doanh nghiệp" },
  { "HC", "Cán bộ, công chức, viên chức" },
  { "HT", "Người hưởng lương hưu" },
  { "BT", "Người hưởng trợ cấp xã hội" },
  { "CC", "Người có công với cách mạng" },
  { "CK", "Người có công với cách mạng" },
  { "TE", "Trẻ em dưới 6 tuổi" },
  { "HN", "Hộ nghèo" },
  { "CN", "Hộ cận nghèo" },
  { "DT", "Dân tộc thiểu số vùng khó khăn" },
  { "DK", "Vùng đặc biệt khó khăn" },
  { "HS", "Học sinh" },
  { "SV", "Sinh viên" },
  { "GD", "Hộ gia đình" },
  { "GB", "Hộ nông, lâm, ngư nghiệp mức sống trung bình" },
  { "QN", "Quân nhân" },
  { "CA", "Công an" },
  { "CB", "Cựu chiến binh" },
  { "TS", "Thân nhân liệt sĩ" },
  { "XD", "Xã đảo" },
};

static const char *lookup(const Label *t, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++)
    if (!strcmp(t[i].name, name))
      return t[i].vi;
  return NULL;
}

static const char *indicator_label(const HicovIndicatorInfo *info, int vi)
{
  const char *l = vi ? lookup(indicator_vi,
                              sizeof indicator_vi / sizeof indicator_vi[0],
                              info->name)
                     : NULL;
  return l ? l : info->label;
}

static const char *group_label(const char *code, int vi)
{
  const char *l = vi ? lookup(group_vi, sizeof group_vi / sizeof group_vi[0],
                              code)
                     : NULL;
  if (!l)
    l = hicov_group_label(code);
  return l ? l : code;
}

/* A period as readers write it: "2024", vi "Q3/2024" / en "Q3 2024",
 * vi "T10/2024" / en "Oct 2024", vi "T1–T10/2024" / en "Jan–Oct 2024";
 * other ranges in canonical form. */
static void period_label(HicovPeriod p, int vi, char *buf, size_t size)
{
  static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  int y = p.first / 12, m0 = p.first % 12, m1 = p.last % 12;
  if (p.first < 0 || p.last < p.first) {
    hicov_period_format(p, buf, size);
    return;
  }
  switch (p.kind) {
  case HICOV_PERIOD_YEAR:
    snprintf(buf, size, "%d", y);
    return;
  case HICOV_PERIOD_QUARTER:
    snprintf(buf, size, vi ? "Q%d/%d" : "Q%d %d", m0 / 3 + 1, y);
    return;
  case HICOV_PERIOD_MONTH:
    if (vi)
      snprintf(buf, size, "T%d/%d", m0 + 1, y);
    else
      snprintf(buf, size, "%s %d", mon[m0], y);
    return;
  default:
    if (p.last / 12 == y) {
      if (vi)
        snprintf(buf, size, "T%d\xe2\x80\x93T%d/%d", m0 + 1, m1 + 1, y);
      else
        snprintf(buf, size, "%s\xe2\x80\x93%s %d", mon[m0], mon[m1], y);
      return;
    }
    hicov_period_format(p, buf, size);
  }
}

/* Format of an indicator's values on a chart. */
static void indicator_format(const HicovIndicatorInfo *info, int *format,
                             int *decimals)
{
  if (!strcmp(info->unit, "%")) {
    *format = HICOV_CHART_FORMAT_PERCENT;
    *decimals = 1;
  } else if (!strcmp(info->unit, "VND")) {
    *format = HICOV_CHART_FORMAT_MONEY;
    *decimals = 0;
  } else if (!strcmp(info->unit, "points") || !strcmp(info->unit, "days")) {
    *format = HICOV_CHART_FORMAT_NUMBER;
    *decimals = 1;
  } else {
    *format = HICOV_CHART_FORMAT_COUNT;
    *decimals = 0;
  }
}

/* Unit name and synthetic flag; the code itself if the unit is unknown. */
static int unit_info(const HicovDataset *ds, const char *code,
                     const char **name, int *synthetic)
{
  size_t idx;
  HicovUnit u;
  int rc = hicov_dataset_find_unit(ds, code, &idx);
  if (rc == HICOV_OK)
    rc = hicov_dataset_unit(ds, idx, &u);
  if (rc != HICOV_OK)
    return rc;
  *name = u.name ? u.name : code;
  if (synthetic)
    *synthetic = u.synthetic;
  return HICOV_OK;
}

static const char *synthetic_note(int vi)
{
  return vi ? "Đơn vị tổng hợp (dữ liệu minh họa)"
            : "Synthetic units (illustrative data)";
}

/* A new chart with lang set, or an error status. */
static int start(int kind, const char *lang, HicovChart **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  int rc = hicov_chart_new(kind, out);
  if (rc == HICOV_OK && lang)
    rc = hicov_chart_set_lang(*out, lang);
  if (rc != HICOV_OK) {
    hicov_chart_free(*out);
    *out = NULL;
  }
  return rc;
}

static int fail(HicovChart **out, int rc)
{
  hicov_chart_free(*out);
  *out = NULL;
  return rc;
}

/* The coverage target of `unit` to draw: from res, or when res is NULL from
 * the dataset's resolutions, the earliest deadline not before `year` (else
 * the latest deadline). NULL if none. */
static const HicovTarget *find_target(const HicovDataset *ds,
                                      const HicovResolution *res,
                                      const char *unit, int year)
{
  const HicovTarget *best = NULL;
  size_t nres = res ? 1 : hicov_dataset_resolution_count(ds);
  for (size_t r = 0; r < nres; r++) {
    const HicovResolution *rr = res ? res : hicov_dataset_resolution(ds, r);
    for (size_t i = 0; rr && i < hicov_resolution_target_count(rr); i++) {
      const HicovTarget *t = hicov_resolution_target(rr, i);
      if (!t || strcmp(t->indicator, "coverage_rate") || t->level != -1 ||
          strcmp(t->unit, unit))
        continue;
      if (!best) {
        best = t;
      } else {
        int t_ok = t->deadline_year >= year, b_ok = best->deadline_year >= year;
        if (t_ok != b_ok ? t_ok
                         : (t_ok ? t->deadline_year < best->deadline_year
                                 : t->deadline_year > best->deadline_year))
          best = t;
      }
    }
  }
  return best;
}

int hicov_chart_coverage_trend(HicovDataset *ds, const char *unit,
                               const HicovResolution *res, const char *lang,
                               HicovChart **out)
{
  if (out)
    *out = NULL;
  if (!ds || !unit || !out)
    return HICOV_INVALID;
  int vi = hicov_format_is_vi(lang);
  const char *name;
  int synthetic = 0;
  int rc = unit_info(ds, unit, &name, &synthetic);
  if (rc != HICOV_OK)
    return rc;
  int first_m, last_m;
  if (hicov_dataset_month_span(ds, &first_m, &last_m) != HICOV_OK)
    first_m = last_m = -1;
  if ((rc = start(HICOV_CHART_LINE, lang, out)) != HICOV_OK)
    return rc;
  HicovChart *c = *out;

  enum { MAX_YEARS = 200 };
  double years[MAX_YEARS], actual[MAX_YEARS], proj[MAX_YEARS];
  int y0 = first_m >= 0 ? first_m / 12 : 0, y1 = last_m >= 0 ? last_m / 12 : -1;
  if (y1 - y0 + 1 > MAX_YEARS)
    y0 = y1 - MAX_YEARS + 1;

  /* actual values, year by year; keep only years that have one */
  size_t n = 0;
  int last_actual = 0;
  for (int y = y0; y <= y1; y++) {
    HicovResult r;
    rc = hicov_indicator_value(ds, "coverage_rate", unit, hicov_period_year(y),
                               NULL, &r);
    if (rc != HICOV_OK)
      return fail(out, rc);
    if (r.status != HICOV_OK || !isfinite(r.value))
      continue;
    years[n] = y;
    actual[n] = r.value;
    proj[n] = NAN;
    last_actual = y;
    n++;
  }

  const HicovTarget *t = find_target(ds, res, unit, last_actual);
  /* projection from the last actual year to the deadline, with the same fit
   * hicov_assess uses; none when fewer than two annual points exist */
  int projected = 0;
  if (t && n >= 2 && t->deadline_year > last_actual) {
    proj[n - 1] = actual[n - 1];
    for (int y = last_actual + 1; y <= t->deadline_year && n < MAX_YEARS; y++) {
      HicovResult r;
      if (hicov_project(ds, "coverage_rate", unit, last_actual, y, &r) !=
              HICOV_OK ||
          r.status != HICOV_OK || !isfinite(r.value))
        break;
      years[n] = y;
      actual[n] = NAN;
      proj[n] = r.value;
      n++;
      projected = 1;
    }
  }

  char title[320];
  snprintf(title, sizeof title, "%s \xe2\x80\x94 %s",
           vi ? "Tỷ lệ bao phủ BHYT" : "Health-insurance coverage", name);
  rc = hicov_chart_set_title(c, title);
  if (rc == HICOV_OK && synthetic)
    rc = hicov_chart_set_subtitle(c, synthetic_note(vi));
  if (rc == HICOV_OK)
    rc = hicov_chart_set_format(c, HICOV_CHART_FORMAT_PERCENT, 1);
  if (rc == HICOV_OK && n > 0)
    rc = hicov_chart_set_x_values(c, years, n);
  if (rc == HICOV_OK && n > 0)
    rc = hicov_chart_add_series(c, name, actual, n, 0, NULL);
  if (rc == HICOV_OK && projected)
    rc = hicov_chart_add_series(c, vi ? "Dự báo (xu hướng)" : "Projection (trend)",
                                proj, n, HICOV_SERIES_PROJECTED, NULL);
  if (rc == HICOV_OK && t) {
    char label[128];
    snprintf(label, sizeof label, vi ? "Mục tiêu %d" : "Target %d",
             t->deadline_year);
    rc = hicov_chart_set_target(c, t->threshold, label);
    if (rc == HICOV_OK && n > 0 && t->deadline_year >= years[0] &&
        t->deadline_year <= years[n - 1]) {
      snprintf(label, sizeof label, vi ? "Hạn %d" : "Deadline %d",
               t->deadline_year);
      rc = hicov_chart_set_marker(c, t->deadline_year, label);
    }
  }
  return rc == HICOV_OK ? HICOV_OK : fail(out, rc);
}

int hicov_chart_children_ranked(HicovDataset *ds, const char *indicator,
                                const char *parent, HicovPeriod period,
                                int level, double target, const char *lang,
                                HicovChart **out)
{
  if (out)
    *out = NULL;
  if (!ds || !indicator || !parent || !out)
    return HICOV_INVALID;
  const HicovIndicatorInfo *info = hicov_indicator_find(indicator);
  if (!info)
    return HICOV_NOTFOUND;
  int vi = hicov_format_is_vi(lang);
  const char *pname;
  int rc = unit_info(ds, parent, &pname, NULL);
  if (rc != HICOV_OK)
    return rc;
  size_t *idx = NULL, n = 0;
  rc = level < 0 ? hicov_dataset_children(ds, parent, &period, &idx, &n)
                 : hicov_dataset_units_at(ds, level, parent, &period, &idx, &n);
  if (rc != HICOV_OK)
    return rc;
  if ((rc = start(HICOV_CHART_BAR_RANKED, lang, out)) != HICOV_OK) {
    hicov_free(idx);
    return rc;
  }
  HicovChart *c = *out;
  const char **labels = hicov_calloc(n ? n : 1, sizeof *labels);
  const char **codes = hicov_calloc(n ? n : 1, sizeof *codes);
  double *values = hicov_calloc(n ? n : 1, sizeof *values);
  int any_synthetic = 0;
  if (!labels || !codes || !values)
    rc = HICOV_NOMEM;
  for (size_t i = 0; i < n && rc == HICOV_OK; i++) {
    HicovUnit u;
    if ((rc = hicov_dataset_unit(ds, idx[i], &u)) != HICOV_OK)
      break;
    labels[i] = u.name ? u.name : u.code;
    codes[i] = u.code;
    any_synthetic |= u.synthetic;
    HicovResult r;
    rc = hicov_indicator_value(ds, indicator, u.code, period, NULL, &r);
    values[i] = rc == HICOV_OK && r.status == HICOV_OK ? r.value : NAN;
    if (rc == HICOV_NOTFOUND) /* a unit without this data: a gap */
      rc = HICOV_OK;
  }
  int format = 0, decimals = 0;
  indicator_format(info, &format, &decimals);
  char ptext[32] = "", title[320];
  period_label(period, vi, ptext, sizeof ptext);
  snprintf(title, sizeof title, "%s \xe2\x80\x94 %s, %s",
           indicator_label(info, vi), pname, ptext);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_title(c, title);
  if (rc == HICOV_OK && any_synthetic)
    rc = hicov_chart_set_subtitle(c, synthetic_note(vi));
  if (rc == HICOV_OK)
    rc = hicov_chart_set_format(c, format, decimals);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_categories(c, labels, n);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_keys(c, codes, n);
  if (rc == HICOV_OK && n > 0)
    rc = hicov_chart_add_series(c, indicator_label(info, vi), values, n, 0,
                                NULL);
  if (rc == HICOV_OK && isfinite(target))
    rc = hicov_chart_set_target(c, target, vi ? "Mục tiêu" : "Target");
  hicov_free(labels);
  hicov_free(codes);
  hicov_free(values);
  hicov_free(idx);
  return rc == HICOV_OK ? HICOV_OK : fail(out, rc);
}

int hicov_chart_groups_stacked(HicovDataset *ds, const char *measure,
                               const char *unit, const HicovPeriod *periods,
                               size_t nperiods, const char *lang,
                               HicovChart **out)
{
  if (out)
    *out = NULL;
  if (!ds || !measure || !unit || (nperiods && !periods) || !out)
    return HICOV_INVALID;
  int mi = hicov_measure_find(measure);
  if (mi < 0)
    return HICOV_NOTFOUND;
  const HicovMeasureInfo *minfo = hicov_measure_info((size_t)mi);
  int vi = hicov_format_is_vi(lang);
  const char *uname;
  int synthetic = 0;
  int rc = unit_info(ds, unit, &uname, &synthetic);
  if (rc != HICOV_OK)
    return rc;
  size_t ng = hicov_dataset_group_count(ds);
  if ((rc = start(HICOV_CHART_STACKED, lang, out)) != HICOV_OK)
    return rc;
  HicovChart *c = *out;

  /* exact values in centi: vals[g * nperiods + p]; missing = INT64_MIN */
  int64_t *vals = hicov_calloc(ng * nperiods + 1, sizeof *vals);
  double *totals = hicov_calloc(ng + 1, sizeof *totals);
  size_t *order = hicov_calloc(ng + 1, sizeof *order);
  double *row = hicov_calloc(nperiods + 1, sizeof *row);
  char (*plabels)[32] = hicov_calloc(nperiods + 1, sizeof *plabels);
  const char **pptr = hicov_calloc(nperiods + 1, sizeof *pptr);
  if (!vals || !totals || !order || !row || !plabels || !pptr)
    rc = HICOV_NOMEM;
  for (size_t g = 0; g < ng && rc == HICOV_OK; g++) {
    order[g] = g;
    for (size_t p = 0; p < nperiods; p++) {
      int64_t v;
      int st = hicov_dataset_measure(ds, measure, unit, periods[p],
                                     hicov_dataset_group(ds, g), &v, NULL, 0);
      if (st == HICOV_OK) {
        vals[g * nperiods + p] = v;
        totals[g] += (double)v; /* only to rank the groups */
      } else if (st == HICOV_MISSING || st == HICOV_NOTFOUND) {
        vals[g * nperiods + p] = INT64_MIN;
      } else {
        rc = st;
        break;
      }
    }
  }
  /* groups by size (largest first, stable) */
  for (size_t a = 1; a < ng && rc == HICOV_OK; a++) {
    size_t key = order[a], b = a;
    while (b > 0 && totals[order[b - 1]] < totals[key]) {
      order[b] = order[b - 1];
      b--;
    }
    order[b] = key;
  }
  size_t shown = 0;
  for (size_t g = 0; g < ng; g++)
    if (totals[order[g]] > 0)
      shown++;
  int lump = shown > MAX_GROUPS + 1;
  if (lump)
    shown = MAX_GROUPS;

  for (size_t p = 0; p < nperiods && rc == HICOV_OK; p++) {
    period_label(periods[p], vi, plabels[p], sizeof plabels[p]);
    pptr[p] = plabels[p];
  }
  char title[320];
  snprintf(title, sizeof title, "%s \xe2\x80\x94 %s",
           vi ? (strcmp(measure, "participants")
                     ? "Theo nhóm đối tượng"
                     : "Người tham gia BHYT theo nhóm đối tượng")
              : (strcmp(measure, "participants")
                     ? minfo->label
                     : "Participants by beneficiary group"),
           uname);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_title(c, title);
  if (rc == HICOV_OK && synthetic)
    rc = hicov_chart_set_subtitle(c, synthetic_note(vi));
  if (rc == HICOV_OK)
    rc = hicov_chart_set_format(c, strcmp(minfo->unit, "VND")
                                       ? HICOV_CHART_FORMAT_COUNT
                                       : HICOV_CHART_FORMAT_MONEY, 0);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_categories(c, pptr, nperiods);
  for (size_t k = 0; k < shown && rc == HICOV_OK; k++) {
    size_t g = order[k];
    for (size_t p = 0; p < nperiods; p++) {
      int64_t v = vals[g * nperiods + p];
      row[p] = v == INT64_MIN ? NAN : (double)v / 100.0;
    }
    rc = hicov_chart_add_series(c, group_label(hicov_dataset_group(ds, g), vi),
                                row, nperiods, 0, NULL);
  }
  if (lump && rc == HICOV_OK) {
    /* the remaining groups, summed exactly in centi */
    for (size_t p = 0; p < nperiods; p++) {
      int64_t sum = 0;
      int any = 0, overflow = 0;
      for (size_t k = shown; k < ng; k++) {
        int64_t v = vals[order[k] * nperiods + p];
        if (v == INT64_MIN)
          continue;
        if (__builtin_add_overflow(sum, v, &sum))
          overflow = 1;
        any = 1;
      }
      row[p] = any && !overflow ? (double)sum / 100.0 : NAN;
    }
    rc = hicov_chart_add_series(c, vi ? "Nhóm khác" : "Other groups", row,
                                nperiods, 0, NULL);
  }
  hicov_free(vals);
  hicov_free(totals);
  hicov_free(order);
  hicov_free(row);
  hicov_free(plabels);
  hicov_free(pptr);
  return rc == HICOV_OK ? HICOV_OK : fail(out, rc);
}

/* Values of indicators over periods into a COLUMN or DUAL chart. */
static int indicator_periods(HicovDataset *ds, int kind,
                             const char *const *indicators, size_t nind,
                             const char *unit, const HicovPeriod *periods,
                             size_t nperiods, const char *title_vi,
                             const char *title_en, const char *lang,
                             HicovChart **out)
{
  if (out)
    *out = NULL;
  if (!ds || !unit || (nperiods && !periods) || !out)
    return HICOV_INVALID;
  int vi = hicov_format_is_vi(lang);
  const char *uname;
  int synthetic = 0;
  int rc = unit_info(ds, unit, &uname, &synthetic);
  if (rc != HICOV_OK)
    return rc;
  const HicovIndicatorInfo *info[2];
  for (size_t k = 0; k < nind; k++)
    if (!(info[k] = hicov_indicator_find(indicators[k])))
      return HICOV_NOTFOUND;
  if ((rc = start(kind, lang, out)) != HICOV_OK)
    return rc;
  HicovChart *c = *out;
  double *row = hicov_calloc(nperiods + 1, sizeof *row);
  char (*plabels)[32] = hicov_calloc(nperiods + 1, sizeof *plabels);
  const char **pptr = hicov_calloc(nperiods + 1, sizeof *pptr);
  if (!row || !plabels || !pptr)
    rc = HICOV_NOMEM;
  for (size_t p = 0; p < nperiods && rc == HICOV_OK; p++) {
    period_label(periods[p], vi, plabels[p], sizeof plabels[p]);
    pptr[p] = plabels[p];
  }
  int format = 0, decimals = 0;
  indicator_format(info[0], &format, &decimals);
  char title[320];
  snprintf(title, sizeof title, "%s \xe2\x80\x94 %s",
           title_vi ? (vi ? title_vi : title_en)
                    : indicator_label(info[0], vi),
           uname);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_title(c, title);
  if (rc == HICOV_OK && synthetic)
    rc = hicov_chart_set_subtitle(c, synthetic_note(vi));
  if (rc == HICOV_OK)
    rc = hicov_chart_set_format(c, format, decimals);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_categories(c, pptr, nperiods);
  for (size_t k = 0; k < nind && rc == HICOV_OK; k++) {
    for (size_t p = 0; p < nperiods && rc == HICOV_OK; p++) {
      HicovResult r;
      rc = hicov_indicator_value(ds, indicators[k], unit, periods[p], NULL,
                                 &r);
      row[p] = rc == HICOV_OK && r.status == HICOV_OK ? r.value : NAN;
      if (rc == HICOV_NOTFOUND)
        rc = HICOV_OK;
    }
    if (rc == HICOV_OK)
      rc = hicov_chart_add_series(c, indicator_label(info[k], vi), row,
                                  nperiods, 0, NULL);
  }
  hicov_free(row);
  hicov_free(plabels);
  hicov_free(pptr);
  return rc == HICOV_OK ? HICOV_OK : fail(out, rc);
}

int hicov_chart_indicator_columns(HicovDataset *ds, const char *indicator,
                                  const char *unit, const HicovPeriod *periods,
                                  size_t nperiods, const char *lang,
                                  HicovChart **out)
{
  if (!indicator) {
    if (out)
      *out = NULL;
    return HICOV_INVALID;
  }
  const char *ind[1] = { indicator };
  return indicator_periods(ds, HICOV_CHART_COLUMN, ind, 1, unit, periods,
                           nperiods, NULL, NULL, lang, out);
}

int hicov_chart_revenue_spending(HicovDataset *ds, const char *unit,
                                 const HicovPeriod *periods, size_t nperiods,
                                 const char *lang, HicovChart **out)
{
  const char *ind[2] = { "fund_revenue", "fund_paid" };
  return indicator_periods(ds, HICOV_CHART_DUAL, ind, 2, unit, periods,
                           nperiods, "Thu và chi quỹ BHYT",
                           "Fund revenue and spending", lang, out);
}

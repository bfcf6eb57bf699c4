/* claims-values.c - the claims as values: added to a dataset (all or
 * nothing) or written in the values.csv format. */
#include <string.h>

#include "claims-private.h"

static const char *const measure_names[6] = {
  "visits", "inpatient_visits", "inpatient_days", "total_cost", "fund_paid",
  "copay",
};

typedef int (*EmitFn)(void *ctx, const char *unit, const char *measure,
                      const char *group, HicovPeriod p, int64_t centi);

#define ZERO_FILL_MAX_MONTHS 120

typedef struct {
  HicovClaims *c;
  EmitFn emit;
  void *ctx;
  int first, span, fill;
  int64_t (*month_sum)[6];
  unsigned char *has;
} EmitCells;

/* The values of whole facilities' cells (sorted). */
static int emit_cells(void *vx, const ClaimsCell *cells, size_t n)
{
  EmitCells *x = vx;
  HicovClaims *c = x->c;
  int first = x->first, span = x->span, rc;
  int64_t (*month_sum)[6] = x->month_sum;
  size_t i = 0;
  while (i < n) {
    /* one facility: cells i..fe */
    size_t fe = i;
    while (fe < n && cells[fe].fac == cells[i].fac)
      fe++;
    const char *fac = c->fac[cells[i].fac];
    memset(month_sum, 0, (size_t)span * sizeof *month_sum);
    memset(x->has, 0, (size_t)span);
    size_t j = i;
    while (j < fe) {
      const ClaimsCell *a = &cells[j];
      int64_t sum[6] = { 0 };
      size_t k = j;
      while (k < fe && cells[k].month == a->month &&
             cells[k].group == a->group) {
        for (int m = 0; m < 6; m++)
          if (__builtin_add_overflow(sum[m], cell_v(&cells[k], m), &sum[m]) ||
              __builtin_add_overflow(month_sum[a->month - first][m],
                                     cell_v(&cells[k], m),
                                     &month_sum[a->month - first][m]))
            return HICOV_OVERFLOW;
        k++;
      }
      x->has[a->month - first] = 1;
      char g[4];
      claims_group_code(a->group, g);
      HicovPeriod p = hicov_period_month(a->month / 12, a->month % 12 + 1);
      for (int m = 0; m < 6; m++) {
        int64_t v = sum[m];
        if (m < 3 && __builtin_mul_overflow(v, (int64_t)100, &v))
          return HICOV_OVERFLOW;
        if ((rc = x->emit(x->ctx, fac, measure_names[m], g, p, v)))
          return rc;
      }
      j = k;
    }
    for (int mo = 0; mo < span; mo++) {
      if (!x->has[mo] && !x->fill)
        continue;
      int month = first + mo;
      HicovPeriod p = hicov_period_month(month / 12, month % 12 + 1);
      for (int m = 0; m < 6; m++) {
        int64_t v = month_sum[mo][m];
        if (m < 3 && __builtin_mul_overflow(v, (int64_t)100, &v))
          return HICOV_OVERFLOW;
        if ((rc = x->emit(x->ctx, fac, measure_names[m], NULL, p, v)))
          return rc;
      }
    }
    i = fe;
  }
  return HICOV_OK;
}

/* Calls emit for each value: per facility and month the totals over all
 * groups (group "" - months inside the span of the data without claims at
 * a facility get zeros, so that quarters and years add up), per facility x
 * month x group the sums over visit types, then the distinct counts.
 * Money stays in centi; counts become centi (x 100).  sliced: cells
 * written out come back in slices of facilities (claims_cells_sorted_each),
 * for values streamed out that need not fit in memory; else they are all
 * merged back into c's table, for the callers that hold the values whole
 * anyway. */
static int emit_all(HicovClaims *c, const HicovDataset *ds, int sliced,
                    EmitFn emit, void *ctx)
{
  /* sliced: the table's memory goes before the distinct counts take theirs */
  int rc = sliced ? claims_cells_release(c) : hicov_claims_sort_cells(c);
  if (rc)
    return rc;
  /* the months the cells span (and their sums checked); the distinct
     patients in all are not needed, and counting them read every patient
     triple once more */
  HicovClaimsTotals tot;
  if ((rc = claims_totals_cells(c, &tot)))
    return rc;
  /* the distinct patients are counted (from the triples) while the cells'
     values are emitted (from the cells): after a threaded read, on
     threads beside this one; their rows come after the cells' */
  ClaimsDistinctRun *dr;
  if ((rc = claims_distinct_begin(c, ds, 1, &dr)))
    return rc;
  HicovClaimsDistinct *rows = NULL;
  size_t n_rows = 0;
  int any = c->n_cells || c->cspill.n;
  EmitCells x = { c, emit, ctx, tot.first_month,
                  tot.last_month - tot.first_month + 1, 0, NULL, NULL };
  x.fill = any && x.span <= ZERO_FILL_MAX_MONTHS;
  if (any && !(x.month_sum = hicov_calloc((size_t)x.span, sizeof *x.month_sum)))
    rc = HICOV_NOMEM;
  if (!rc && !(x.has = hicov_calloc(any ? (size_t)x.span : 1, 1)))
    rc = HICOV_NOMEM;
  if (!rc && any)
    rc = claims_cells_sorted_each(c, emit_cells, &x);
  /* the cells' failure first: its message is on c already */
  char keep[sizeof c->errmsg];
  memcpy(keep, c->errmsg, sizeof keep);
  int drc = claims_distinct_end(c, ds, dr, &rows, &n_rows);
  if (rc)
    memcpy(c->errmsg, keep, sizeof keep);
  else
    rc = drc;
  for (size_t r = 0; r < n_rows && !rc; r++) {
    const HicovClaimsDistinct *d = &rows[r];
    if ((rc = emit(ctx, d->unit, "patients", NULL, d->period,
                   d->patients * 100)) ||
        (rc = emit(ctx, d->unit, "patients_500m", NULL, d->period,
                   d->patients_500m * 100)) ||
        (rc = emit(ctx, d->unit, "patients_1b", NULL, d->period,
                   d->patients_1b * 100)))
      break;
  }
  hicov_free(rows);
  hicov_free(x.month_sum);
  hicov_free(x.has);
  return rc;
}

typedef struct {
  HicovClaims *c;
  HicovDataset *ds;
  const char *source;
} DsCtx;

static int emit_ds(void *vctx, const char *unit, const char *measure,
                   const char *group, HicovPeriod p, int64_t centi)
{
  DsCtx *x = vctx;
  int rc = hicov_dataset_add_value(x->ds, unit, measure, group, p, centi,
                                   x->source);
  if (rc)
    return claims_error(x->c, rc, T_(x->c->lang, "adding %s for %s: %s"),
                        measure, unit,
                        hicov_dataset_errmsg(x->ds));
  return HICOV_OK;
}

int hicov_claims_to_dataset(HicovClaims *c, HicovDataset *ds,
                            const char *source)
{
  if (!c || !ds)
    return HICOV_INVALID;
  c->errmsg[0] = 0;
  DsCtx x = { c, ds, source };
  /* all or nothing: a value refused half-way (a clash with one already
     loaded, no memory) takes back the values added before it */
  HicovDatasetMark m;
  hicov_dataset_mark(ds, &m);
  int rc = emit_all(c, ds, 0, emit_ds, &x);
  if (rc)
    hicov_dataset_rollback(ds, &m);
  return rc;
}

/* Values collected for a merge.  The emitted texts (a unit's code, a
 * group's) may live only as long as the call, so each distinct text is
 * copied once. */
typedef struct {
  HicovValue *v;
  size_t n, cap;
  char **text;     /* the copies */
  size_t n_text, cap_text;
  HicovStrIndex index;
} Collect;

static const char *collect_text(Collect *x, const char *s)
{
  long i = hicov_str_intern(&x->index, &x->text, &x->n_text, &x->cap_text, s,
                            SIZE_MAX);
  return i < 0 ? NULL : x->text[i];
}

static int collect_value(void *vctx, const char *unit, const char *measure,
                         const char *group, HicovPeriod p, int64_t centi)
{
  Collect *x = vctx;
  const char *u = collect_text(x, unit);
  const char *g = group && group[0] ? collect_text(x, group) : NULL;
  if (!u || (group && group[0] && !g) ||
      hicov_grow((void **)&x->v, &x->cap, x->n + 1, sizeof *x->v))
    return HICOV_NOMEM;
  /* measure: one of the names of this file, static */
  x->v[x->n++] = (HicovValue){ u, measure, g, p, centi, NULL };
  return HICOV_OK;
}

int hicov_claims_merge_into(HicovClaims *c, HicovDataset *ds,
                            const char *source, int policy,
                            HicovMergeStats *stats, char **conflicts)
{
  if (stats)
    memset(stats, 0, sizeof *stats);
  if (conflicts)
    *conflicts = NULL;
  if (!c || !ds)
    return HICOV_INVALID;
  c->errmsg[0] = 0;
  Collect x = { 0 };
  /* sliced: cells written out during the read come back a slice of
     facilities at a time, as for values.csv */
  int rc = emit_all(c, ds, 1, collect_value, &x);
  if (!rc && (rc = hicov_dataset_merge_values(ds, x.v, x.n, source, policy,
                                              stats, conflicts)) &&
      hicov_dataset_errmsg(ds)[0])
    claims_error(c, rc, "%s", hicov_dataset_errmsg(ds));
  for (size_t i = 0; i < x.n_text; i++)
    hicov_free(x.text[i]);
  hicov_free(x.text);
  hicov_str_index_free(&x.index);
  hicov_free(x.v);
  return rc;
}

typedef struct {
  char *buf;
  size_t len, cap;
  const char *source;
  /* with a sink, buf is handed to it whenever it holds CSV_PIECE bytes,
     so that the output never needs to fit in memory; total counts them */
  HicovWriteFn sink;
  void *sink_ctx;
  size_t total;
  /* the last period written, formatted (a few periods, millions of rows) */
  HicovPeriod last_p;
  char last_pt[24];
  int have_p;
} CsvOut;

enum { CSV_PIECE = 1 << 16 };

static int csv_flush(CsvOut *o)
{
  if (!o->len)
    return HICOV_OK;
  int rc = o->sink(o->sink_ctx, o->buf, o->len);
  if (rc)
    return rc;
  o->total += o->len;
  o->len = 0;
  return HICOV_OK;
}

static int csv_append(CsvOut *o, const char *s, size_t n)
{
  if (hicov_grow((void **)&o->buf, &o->cap, o->len + n + 1, 1))
    return HICOV_NOMEM;
  memcpy(o->buf + o->len, s, n);
  o->len += n;
  o->buf[o->len] = 0;
  return HICOV_OK;
}

/* A CSV field, quoted when it holds a comma, quote or line break. */
static int csv_field(CsvOut *o, const char *s)
{
  if (!strpbrk(s, ",\"\r\n"))
    return csv_append(o, s, strlen(s));
  if (csv_append(o, "\"", 1))
    return HICOV_NOMEM;
  for (const char *q = s; *q; q++)
    if (csv_append(o, q, 1) || (*q == '"' && csv_append(o, "\"", 1)))
      return HICOV_NOMEM;
  return csv_append(o, "\"", 1);
}

/* centi as đồng into b (24 bytes): two decimals when there are
 * hundredths (-1250 is "-12.50"), none for whole đồng (1200 is "12").  By
 * hand: printf's formatting was most of the time of writing values.csv. */
static size_t fmt_centi(char *b, int64_t centi)
{
  uint64_t mag = centi < 0 ? (uint64_t)0 - (uint64_t)centi : (uint64_t)centi;
  uint64_t whole = mag / 100;
  unsigned frac = (unsigned)(mag % 100);
  char t[24];
  size_t n = 0, k = 0;
  do {
    t[n++] = (char)('0' + whole % 10);
    whole /= 10;
  } while (whole);
  if (centi < 0)
    b[k++] = '-';
  while (n)
    b[k++] = t[--n];
  if (frac) {
    b[k++] = '.';
    b[k++] = (char)('0' + frac / 10);
    b[k++] = (char)('0' + frac % 10);
  }
  return k;
}

static int emit_csv(void *vctx, const char *unit, const char *measure,
                    const char *group, HicovPeriod p, int64_t centi)
{
  CsvOut *o = vctx;
  if (!o->have_p || memcmp(&p, &o->last_p, sizeof p)) {
    hicov_period_format(p, o->last_pt, sizeof o->last_pt);
    o->last_p = p;
    o->have_p = 1;
  }
  char num[24];
  size_t nn = fmt_centi(num, centi);
  if (csv_field(o, unit) || csv_append(o, ",", 1) ||
      csv_append(o, o->last_pt, strlen(o->last_pt)) || csv_append(o, ",", 1) ||
      csv_append(o, measure, strlen(measure)) || csv_append(o, ",", 1) ||
      csv_append(o, num, nn) || csv_append(o, ",", 1) ||
      csv_field(o, group ? group : "") || csv_append(o, ",", 1) ||
      csv_field(o, o->source ? o->source : "") || csv_append(o, "\n", 1))
    return HICOV_NOMEM;
  if (o->sink && o->len >= CSV_PIECE)
    return csv_flush(o);
  return HICOV_OK;
}

int hicov_claims_values_csv(HicovClaims *c, const HicovDataset *ds,
                            const char *source, char **out, size_t *len)
{
  if (!c || !out || !len)
    return HICOV_INVALID;
  *out = NULL;
  *len = 0;
  c->errmsg[0] = 0;
  CsvOut o = { NULL, 0, 0, source };
  static const char header[] = "unit,period,measure,value,group,source\n";
  int rc = csv_append(&o, header, sizeof header - 1);
  if (!rc)
    rc = emit_all(c, ds, 0, emit_csv, &o);
  if (rc) {
    hicov_free(o.buf);
    return rc;
  }
  *out = o.buf;
  *len = o.len;
  return HICOV_OK;
}

int hicov_claims_values_csv_write(HicovClaims *c, const HicovDataset *ds,
                                  const char *source, HicovWriteFn write,
                                  void *ctx, size_t *len)
{
  if (!c || !write)
    return HICOV_INVALID;
  if (len)
    *len = 0;
  c->errmsg[0] = 0;
  CsvOut o = { NULL, 0, 0, source, write, ctx, 0 };
  static const char header[] = "unit,period,measure,value,group,source\n";
  int rc = csv_append(&o, header, sizeof header - 1);
  if (!rc)
    rc = emit_all(c, ds, 1, emit_csv, &o);
  if (!rc)
    rc = csv_flush(&o);
  hicov_free(o.buf);
  if (!rc && len)
    *len = o.total;
  return rc;
}

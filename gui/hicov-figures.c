/* hicov-figures.c - KPI texts and charts for one selection.
 *
 * Every number is asked from the core; this file only chooses which
 * periods and units to ask about and how to print the answers. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hicov-figures.h"

/* Time series of flows show at most this many periods. */
#define MAX_SEQ 12
/* Ranked bars: above this many children only the lowest are shown. */
#define MAX_BARS 20

static const char *const figure_names[HICOV_N_FIGS] = {
  "coverage-trend", "ranking", "groups", "checkin",
  "visits", "spending", "cost-per-visit", "fund",
};

const char *
hicov_figure_name (HicovFigure fig)
{
  g_return_val_if_fail (fig < HICOV_N_FIGS, NULL);
  return figure_names[fig];
}

const char *
hicov_figure_title (HicovFigure fig)
{
  switch (fig)
    {
    case HICOV_FIG_COVERAGE_TREND: return _("Coverage over time");
    case HICOV_FIG_RANKING: return _("Coverage of units below");
    case HICOV_FIG_GROUPS: return _("Participants by beneficiary group");
    case HICOV_FIG_CHECKIN: return _("Chip-ID check-in success");
    case HICOV_FIG_VISITS: return _("Insured visits");
    case HICOV_FIG_SPENDING: return _("Medical spending");
    case HICOV_FIG_COST_PER_VISIT: return _("Cost per visit");
    case HICOV_FIG_FUND: return _("Fund revenue and spending");
    case HICOV_N_FIGS:
    default: return "";
    }
}

int
hicov_figure_from_name (const char *name)
{
  for (int i = 0; i < HICOV_N_FIGS; i++)
    if (g_strcmp0 (figure_names[i], name) == 0)
      return i;
  return -1;
}

static const char *const kpi_names[HICOV_N_KPIS] = {
  "coverage", "gap", "visits", "spending", "cost-per-visit", "fund",
};

const char *
hicov_kpi_name (HicovKpi kpi)
{
  g_return_val_if_fail (kpi < HICOV_N_KPIS, NULL);
  return kpi_names[kpi];
}

const char *
hicov_kpi_title (HicovKpi kpi)
{
  switch (kpi)
    {
    case HICOV_KPI_COVERAGE: return C_("kpi", "Coverage");
    case HICOV_KPI_GAP: return C_("kpi", "Gap to target");
    case HICOV_KPI_VISITS: return C_("kpi", "Insured visits");
    case HICOV_KPI_SPENDING: return C_("kpi", "Medical spending");
    case HICOV_KPI_COST_PER_VISIT: return C_("kpi", "Cost per visit");
    case HICOV_KPI_FUND: return C_("kpi", "Fund balance");
    case HICOV_N_KPIS:
    default: return "";
    }
}

/* The core's English names of beneficiary groups (hicov_group_label), listed
 * here so that they are extracted for translation. A name missing from
 * this list is shown untranslated. */
static const char *const group_labels[] = {
  N_("Employees of enterprises"),
  N_("Employees of cooperatives"),
  N_("Employees of state agencies"),
  N_("Employees of foreign organisations"),
  N_("Employees of other employers"),
  N_("Civil servants"),
  N_("Non-specialised commune staff"),
  N_("Pensioners"),
  N_("Occupational accident allowance"),
  N_("Long-term sick leave"),
  N_("Aged 80+ with survivor allowance"),
  N_("Retired commune officials"),
  N_("Unemployment benefit"),
  N_("Retired rubber workers"),
  N_("Military"),
  N_("Police"),
  N_("Cipher staff"),
  N_("Retired commune officials (budget)"),
  N_("Former loss-of-capacity beneficiaries"),
  N_("Revolutionary contributors"),
  N_("Persons with revolutionary merit"),
  N_("Veterans"),
  N_("Resistance participants"),
  N_("People's deputies"),
  N_("Children under 6"),
  N_("Social-protection allowance"),
  N_("Poor households"),
  N_("Ethnic minorities in hardship areas"),
  N_("Extreme-hardship areas"),
  N_("Island communes"),
  N_("Relatives of martyrs"),
  N_("Relatives of persons with merit"),
  N_("Relatives of military"),
  N_("Relatives of police"),
  N_("Relatives of cipher staff"),
  N_("Organ donors"),
  N_("Foreign scholarship students"),
  N_("Carers of persons with merit"),
  N_("Near-poor households"),
  N_("Pupils"),
  N_("Students"),
  N_("Middle-income farming households"),
  N_("Household-based participants"),
};

char *
hicov_group_display_name (const char *code)
{
  const char *label = hicov_group_label (code);

  if (label == NULL)
    return g_strdup (code);
  for (size_t i = 0; i < G_N_ELEMENTS (group_labels); i++)
    if (strcmp (group_labels[i], label) == 0)
      {
        label = _(group_labels[i]);
        break;
      }
  return g_strdup_printf ("%s (%s)", label, code);
}

/* ------------------------------------------------------------------------ */
/* Source                                                                    */

void
hicov_figure_source_init (HicovFigureSource *src,
                          HicovDataset      *ds,
                          const char        *lang)
{
  g_assert (src != NULL && ds != NULL);

  memset (src, 0, sizeof *src);
  src->ds = ds;
  g_strlcpy (src->lang, hicov_format_is_vi (lang) ? "vi" : "en",
             sizeof src->lang);
  src->has_span = hicov_dataset_month_span (ds, &src->first_month,
                                            &src->last_month) == HICOV_OK;

  src->n_resolutions = hicov_dataset_resolution_count (ds);
  src->assessed = g_new0 (HicovAssessment *, MAX (src->n_resolutions, 1));
  src->n_assessed = g_new0 (size_t, MAX (src->n_resolutions, 1));
  for (size_t r = 0; r < src->n_resolutions; r++)
    {
      const HicovResolution *res = hicov_dataset_resolution (ds, r);
      if (hicov_assess (ds, res, &src->assessed[r],
                        &src->n_assessed[r]) != HICOV_OK)
        {
          src->assessed[r] = NULL;
          src->n_assessed[r] = 0;
        }
    }
}

void
hicov_figure_source_clear (HicovFigureSource *src)
{
  if (src == NULL)
    return;
  for (size_t r = 0; r < src->n_resolutions; r++)
    hicov_free (src->assessed[r]);
  g_free (src->assessed);
  g_free (src->n_assessed);
  memset (src, 0, sizeof *src);
}

gboolean
hicov_figure_unit_target (const HicovFigureSource *src,
                          const char              *unit,
                          HicovPeriod              period,
                          HicovUnitTarget         *out)
{
  int year = hicov_period_end_year (period);
  gboolean found = FALSE;
  gboolean found_in_term = FALSE;

  for (size_t r = 0; r < src->n_resolutions; r++)
    {
      const HicovResolution *res = hicov_dataset_resolution (src->ds, r);
      int start = 0, end = 0;
      gboolean in_term;

      hicov_resolution_term (res, &start, &end);
      in_term = start <= year && year <= end;
      for (size_t i = 0; i < src->n_assessed[r]; i++)
        {
          const HicovAssessment *a = &src->assessed[r][i];
          const HicovTarget *t = hicov_resolution_target (res, a->target_index);

          if (t == NULL || g_strcmp0 (t->indicator, "coverage_rate") != 0 ||
              g_strcmp0 (a->unit, unit) != 0)
            continue;
          /* Prefer the term that contains the period, then the latest
           * deadline. */
          if (!found || (in_term && !found_in_term) ||
              (in_term == found_in_term &&
               a->deadline_year > out->assessment.deadline_year))
            {
              out->resolution = res;
              out->target = t;
              out->assessment = *a;
              found = TRUE;
              found_in_term = in_term;
            }
        }
    }
  return found;
}

/* ------------------------------------------------------------------------ */
/* Formatting                                                                */

char *
hicov_fmt_count (const HicovFigureSource *src, double v)
{
  char buf[64];

  hicov_format_number (v, 0, src->lang, buf, sizeof buf);
  return g_strdup (buf);
}

char *
hicov_fmt_percent (const HicovFigureSource *src, double v, int decimals)
{
  char buf[64];

  hicov_format_percent (v, decimals, src->lang, buf, sizeof buf);
  return g_strdup (buf);
}

static char *
fmt_number (const HicovFigureSource *src, double v, int decimals)
{
  char buf[64];

  hicov_format_number (v, decimals, src->lang, buf, sizeof buf);
  return g_strdup (buf);
}

/* "+1,3" / "-0,4": changes carry their sign, except a change that rounds
 * to zero. */
static char *
fmt_signed (const HicovFigureSource *src, double v, int decimals)
{
  char buf[64];

  hicov_format_number (v, decimals, src->lang, buf, sizeof buf);
  if (v > 0 && strpbrk (buf, "123456789") != NULL)
    return g_strconcat ("+", buf, NULL);
  return g_strdup (buf);
}

static char *
fmt_signed_percent (const HicovFigureSource *src, double v)
{
  char buf[64];

  hicov_format_percent (v, 1, src->lang, buf, sizeof buf);
  if (v > 0 && strpbrk (buf, "123456789") != NULL)
    return g_strconcat ("+", buf, NULL);
  return g_strdup (buf);
}

char *
hicov_fmt_money (const HicovFigureSource *src, int64_t centi)
{
  char buf[64];
  double dong = (double) centi / 100.0;
  int scale = hicov_money_auto_scale (fabs (dong));
  /* Two or three significant digits: 690 tỷ, 64,5 tỷ, 4,2 tỷ. */
  double in_scale = fabs (dong) / hicov_money_scale_divisor (scale);
  int decimals = in_scale >= 100 || scale == HICOV_MONEY_DONG ? 0
                 : in_scale >= 1 ? 1 : 2;

  hicov_format_money_vnd (centi, scale, decimals, src->lang, buf, sizeof buf);
  return g_strdup (buf);
}

/* Money the core gives as a double in đồng (ratios, balances). Rounding to
 * whole hundredths is exact for any amount a province handles (< 2^53
 * hundredths, about 90 trillion đồng). */
static char *
fmt_money_double (const HicovFigureSource *src, double dong)
{
  return hicov_fmt_money (src, (int64_t) llround (dong * 100.0));
}

char *
hicov_period_label (HicovPeriod p)
{
  int y = p.first / 12;
  int m = p.first % 12 + 1;
  static const char *const months[] = {
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"),
    N_("June"), N_("July"), N_("August"), N_("September"), N_("October"),
    N_("November"), N_("December"),
  };

  static const char *const short_months[] = {
    NC_("short month", "Jan"), NC_("short month", "Feb"),
    NC_("short month", "Mar"), NC_("short month", "Apr"),
    NC_("short month", "May"), NC_("short month", "Jun"),
    NC_("short month", "Jul"), NC_("short month", "Aug"),
    NC_("short month", "Sep"), NC_("short month", "Oct"),
    NC_("short month", "Nov"), NC_("short month", "Dec"),
  };

  switch (p.kind)
    {
    case HICOV_PERIOD_YEAR:
      return g_strdup_printf ("%d", y);
    case HICOV_PERIOD_QUARTER:
      /* TRANSLATORS: quarter and year, e.g. "Q3 2024" */
      return g_strdup_printf (_("Q%d %d"), (m - 1) / 3 + 1, y);
    case HICOV_PERIOD_MONTH:
      /* TRANSLATORS: month name and year, e.g. "October 2024" */
      return g_strdup_printf (C_("month and year", "%s %d"),
                              _(months[m - 1]), y);
    case HICOV_PERIOD_RANGE:
    default:
      if (p.first / 12 == p.last / 12)
        {
          const char *a = g_dpgettext2 (GETTEXT_PACKAGE, "short month",
                                        short_months[m - 1]);
          const char *b = g_dpgettext2 (GETTEXT_PACKAGE, "short month",
                                        short_months[p.last % 12]);
          /* TRANSLATORS: a span of months in one year with short month
           * names, e.g. "Jan–Oct 2025" */
          return g_strdup_printf (_("%s–%s %d"), a, b, y);
        }
      {
        char a[16], b[16];
        g_snprintf (a, sizeof a, "%02d/%d", m, y);
        g_snprintf (b, sizeof b, "%02d/%d", p.last % 12 + 1, p.last / 12);
        return g_strdup_printf ("%s–%s", a, b);
      }
    }
}

/* Short category label for chart axes. */
static char *
period_short_label (HicovPeriod p)
{
  int y = p.first / 12;

  switch (p.kind)
    {
    case HICOV_PERIOD_QUARTER:
      /* TRANSLATORS: short quarter label on a chart axis, e.g. "Q3/24" */
      return g_strdup_printf (_("Q%d/%02d"), p.first % 12 / 3 + 1, y % 100);
    case HICOV_PERIOD_MONTH:
      return g_strdup_printf ("%02d/%02d", p.first % 12 + 1, y % 100);
    case HICOV_PERIOD_YEAR:
    case HICOV_PERIOD_RANGE:
    default:
      return g_strdup_printf ("%d", hicov_period_end_year (p));
    }
}

/* ------------------------------------------------------------------------ */
/* KPIs                                                                      */

static gboolean
indicator (const HicovFigureSource *src,
           const char              *name,
           const char              *unit,
           HicovPeriod              period,
           double                  *value,
           char                    *reason,
           size_t                   reason_size)
{
  HicovResult r;
  int rc = hicov_indicator_value (src->ds, name, unit, period, NULL, &r);

  if (rc != HICOV_OK)
    {
      if (reason != NULL)
        g_strlcpy (reason, hicov_dataset_errmsg (src->ds), reason_size);
      *value = NAN;
      return FALSE;
    }
  *value = r.value;
  if (r.status != HICOV_OK || !isfinite (r.value))
    {
      if (reason != NULL)
        g_strlcpy (reason, r.reason, reason_size);
      return FALSE;
    }
  return TRUE;
}

/* Growth line "+2,6% vs 2023" for a level indicator, or NULL. */
static char *
growth_line (const HicovFigureSource *src,
             const char              *name,
             const char              *unit,
             HicovPeriod              period,
             double                  *growth)
{
  g_autofree char *gname = g_strconcat (name, "_growth", NULL);
  g_autofree char *prev = hicov_period_label (hicov_period_shift_years (period,
                                                                        -1));
  g_autofree char *num = NULL;

  if (!indicator (src, gname, unit, period, growth, NULL, 0))
    return NULL;
  num = fmt_signed_percent (src, *growth);
  /* TRANSLATORS: a change against an earlier period, e.g. "+2.6% vs 2023" */
  return g_strdup_printf (_("%s vs %s"), num, prev);
}

static const char *
target_status_label (int status)
{
  switch (status)
    {
    case HICOV_TARGET_ACHIEVED: return _("achieved");
    case HICOV_TARGET_ON_TRACK: return _("on track");
    case HICOV_TARGET_AT_RISK: return _("at risk");
    case HICOV_TARGET_NOT_ACHIEVED: return _("not achieved");
    case HICOV_TARGET_UNKNOWN:
    default: return _("unknown");
    }
}

/* The core's reasons are English free text: they go to the tooltip, and
 * the tile shows a translated "No data". */
static void
kpi_missing (HicovKpiText *out,
             const char   *reason)
{
  out->missing = TRUE;
  out->value = g_strdup ("—");
  out->reason = g_strdup (reason != NULL && reason[0] != '\0' ? reason
                                                            : NULL);
}

void
hicov_figure_kpi (const HicovFigureSource *src,
                  const char              *unit,
                  HicovPeriod              period,
                  HicovKpi                 kpi,
                  HicovKpiText            *out)
{
  char reason[256] = "";
  double v = NAN, g = NAN;

  memset (out, 0, sizeof *out);
  switch (kpi)
    {
    case HICOV_KPI_COVERAGE:
      {
        double participants;
        g_autofree char *prev =
          hicov_period_label (hicov_period_shift_years (period, -1));

        if (!indicator (src, "coverage_rate", unit, period, &v, reason,
                        sizeof reason))
          {
            kpi_missing (out, reason);
            return;
          }
        out->value = hicov_fmt_percent (src, v, 1);
        if (indicator (src, "coverage_change", unit, period, &g, NULL, 0))
          {
            g_autofree char *num = fmt_signed (src, g, 1);
            /* TRANSLATORS: change of a rate in percentage points,
             * e.g. "+1.3 points vs 2023" */
            out->change = g_strdup_printf (_("%s points vs %s"), num, prev);
            out->trend = g > 0 ? HICOV_TREND_GOOD
                         : g < 0 ? HICOV_TREND_BAD : HICOV_TREND_NEUTRAL;
          }
        if (indicator (src, "participants", unit, period, &participants,
                       NULL, 0))
          {
            g_autofree char *num = hicov_fmt_count (src, participants);
            out->detail = g_strdup_printf (_("%s participants"), num);
          }
        return;
      }

    case HICOV_KPI_GAP:
      {
        HicovUnitTarget ut;
        const HicovAssessment *a = &ut.assessment;
        HicovTargetGap tg;
        g_autofree char *thr = NULL;
        g_autofree char *when = hicov_period_label (period);

        if (!hicov_figure_unit_target (src, unit, period, &ut))
          {
            kpi_missing (out, NULL);
            out->change = g_strdup (_("No target"));
            out->detail = g_strdup (_("No resolution target for this unit"));
            return;
          }
        thr = hicov_fmt_percent (src, a->threshold, 1);
        /* TRANSLATORS: "Target 98% by 2025 · at risk" */
        out->detail = g_strdup_printf (_("Target %s by %d · %s"), thr,
                                       a->deadline_year,
                                       target_status_label (a->status));
        /* The gap at the period on screen, next to that period's coverage
         * (the status above is the assessment at the latest year). */
        if (hicov_target_gap (src->ds, ut.target, unit, period, &tg) != HICOV_OK)
          {
            kpi_missing (out, tg.reason[0] ? tg.reason : NULL);
            return;
          }
        if (tg.gap <= 0)
          {
            g_autofree char *lv = hicov_fmt_percent (src, tg.value, 1);

            out->value = g_strdup (_("Target met"));
            /* TRANSLATORS: "94.1% (2024)": a value and its period */
            out->change = g_strdup_printf (_("%s (%s)"), lv, when);
            out->trend = HICOV_TREND_GOOD;
            return;
          }
        {
          g_autofree char *gap = fmt_number (src, tg.gap, 1);
          /* TRANSLATORS: a gap in percentage points, e.g. "3.9 points" */
          out->value = g_strdup_printf (_("%s points"), gap);
        }
        if (isfinite (tg.participants_needed))
          {
            g_autofree char *need = hicov_fmt_count (src, tg.participants_needed);
            /* TRANSLATORS: "31,696 more people needed (2024)" */
            out->change = g_strdup_printf (_("%s more people needed (%s)"),
                                           need, when);
          }
        out->trend = a->status == HICOV_TARGET_ON_TRACK ? HICOV_TREND_GOOD
                                                        : HICOV_TREND_BAD;
        return;
      }

    case HICOV_KPI_VISITS:
    case HICOV_KPI_SPENDING:
    case HICOV_KPI_COST_PER_VISIT:
      {
        const char *name = kpi == HICOV_KPI_VISITS ? "visits"
                           : kpi == HICOV_KPI_SPENDING ? "total_cost"
                           : "cost_per_visit";

        if (kpi == HICOV_KPI_SPENDING)
          {
            int64_t centi;
            /* Money sums are exact integers: format those, not a double. */
            if (hicov_dataset_measure (src->ds, name, unit, period, NULL,
                                       &centi, reason,
                                       sizeof reason) != HICOV_OK)
              {
                kpi_missing (out, reason);
                return;
              }
            out->value = hicov_fmt_money (src, centi);
          }
        else if (!indicator (src, name, unit, period, &v, reason,
                             sizeof reason))
          {
            kpi_missing (out, reason);
            return;
          }
        else if (kpi == HICOV_KPI_VISITS)
          out->value = hicov_fmt_count (src, v);
        else
          out->value = fmt_money_double (src, v);
        out->change = growth_line (src, name, unit, period, &g);
        out->trend = out->change != NULL ? HICOV_TREND_NEUTRAL
                                         : HICOV_TREND_NONE;
        if (kpi == HICOV_KPI_VISITS &&
            indicator (src, "inpatient_share", unit, period, &v, NULL, 0))
          {
            g_autofree char *share = hicov_fmt_percent (src, v, 1);
            out->detail = g_strdup_printf (_("%s inpatient"), share);
          }
        else if (kpi == HICOV_KPI_SPENDING &&
                 indicator (src, "fund_paid", unit, period, &v, NULL, 0))
          {
            g_autofree char *paid = fmt_money_double (src, v);
            out->detail = g_strdup_printf (_("%s paid by the fund"), paid);
          }
        return;
      }

    case HICOV_KPI_FUND:
      {
        double revenue, usage;

        if (!indicator (src, "fund_balance", unit, period, &v, reason,
                        sizeof reason))
          {
            kpi_missing (out, reason);
            return;
          }
        out->value = fmt_money_double (src, v);
        out->trend = v < 0 ? HICOV_TREND_BAD : HICOV_TREND_GOOD;
        if (indicator (src, "fund_usage", unit, period, &usage, NULL, 0))
          {
            g_autofree char *u = hicov_fmt_percent (src, usage, 1);
            /* TRANSLATORS: share of contribution revenue paid out */
            out->change = g_strdup_printf (_("%s of revenue used"), u);
          }
        if (indicator (src, "fund_revenue", unit, period, &revenue, NULL, 0))
          {
            g_autofree char *r = fmt_money_double (src, revenue);
            out->detail = g_strdup_printf (_("Revenue %s"), r);
          }
        return;
      }

    case HICOV_N_KPIS:
    default:
      g_assert_not_reached ();
    }
}

void
hicov_kpi_text_clear (HicovKpiText *text)
{
  g_clear_pointer (&text->value, g_free);
  g_clear_pointer (&text->change, g_free);
  g_clear_pointer (&text->detail, g_free);
  g_clear_pointer (&text->reason, g_free);
}

/* ------------------------------------------------------------------------ */
/* Charts                                                                    */

static HicovChart *
new_chart (const HicovFigureSource *src,
           int                      kind,
           const char              *title,
           const char              *subtitle)
{
  HicovChart *c = NULL;

  if (hicov_chart_new (kind, &c) != HICOV_OK)
    return NULL;
  hicov_chart_set_lang (c, src->lang);
  hicov_chart_set_title (c, title);
  hicov_chart_set_subtitle (c, subtitle);
  hicov_chart_set_empty_text (c, _("No data for this unit and period"));
  return c;
}

/* Periods along the time axis of flow charts: up to MAX_SEQ periods of the
 * selected kind ending with the selected one. */
static size_t
period_sequence (const HicovFigureSource *src,
                 HicovPeriod              p,
                 HicovPeriod             *out,
                 size_t                  *selected)
{
  size_t n = 0;
  int first_year = src->has_span ? src->first_month / 12 : p.first / 12;
  int last_year = src->has_span ? src->last_month / 12 : p.last / 12;
  int year = hicov_period_end_year (p);

  switch (p.kind)
    {
    case HICOV_PERIOD_YEAR:
      {
        int from = MAX (first_year, MAX (last_year, year) - 9);
        int to = MAX (last_year, year);
        from = MIN (from, year);
        for (int y = MAX (from, to - MAX_SEQ + 1); y <= to; y++)
          {
            if (y == year)
              *selected = n;
            out[n++] = hicov_period_year (y);
          }
        return n;
      }
    case HICOV_PERIOD_QUARTER:
    case HICOV_PERIOD_MONTH:
      {
        int step = p.kind == HICOV_PERIOD_QUARTER ? 3 : 1;
        int count = p.kind == HICOV_PERIOD_QUARTER ? 8 : 12;
        for (int i = count - 1; i >= 0; i--)
          {
            int m = p.first - i * step;
            out[n++] = hicov_period_range (m, m + step - 1);
          }
        *selected = n - 1;
        return n;
      }
    case HICOV_PERIOD_RANGE:
    default:
      if (p.first / 12 != p.last / 12)
        {
          *selected = 0;
          out[n++] = p;
          return n;
        }
      for (int y = MAX (first_year, year - 5); y <= year; y++)
        out[n++] = hicov_period_shift_years (p, y - year);
      *selected = n - 1;
      return n;
    }
}

static void
set_period_categories (HicovChart        *c,
                       const HicovPeriod *periods,
                       size_t             n)
{
  char *labels[MAX_SEQ] = { NULL };

  for (size_t i = 0; i < n; i++)
    labels[i] = period_short_label (periods[i]);
  hicov_chart_set_categories (c, (const char *const *) labels, n);
  for (size_t i = 0; i < n; i++)
    g_free (labels[i]);
}

/* Series collected before they go into a chart, so that leading periods
 * without any value can be left out. */
typedef struct {
  char *names[32];
  double values[32][MAX_SEQ];
  size_t n_series;
  size_t n;
} SeriesSet;

static void
series_set_clear (SeriesSet *set)
{
  for (size_t k = 0; k < set->n_series; k++)
    g_free (set->names[k]);
  set->n_series = 0;
}

/* Returns the new series' values (NaN-filled), or NULL when full. */
static double *
series_set_add (SeriesSet  *set,
                const char *name)
{
  double *v;

  if (set->n_series == G_N_ELEMENTS (set->names))
    return NULL;
  set->names[set->n_series] = g_strdup (name);
  v = set->values[set->n_series++];
  for (size_t i = 0; i < MAX_SEQ; i++)
    v[i] = NAN;
  return v;
}

static void
add_indicator_series (const HicovFigureSource *src,
                      SeriesSet               *set,
                      const char              *series_name,
                      const char              *name,
                      const char              *unit,
                      const HicovPeriod       *periods)
{
  double *v = series_set_add (set, series_name);

  for (size_t i = 0; v != NULL && i < set->n; i++)
    if (!indicator (src, name, unit, periods[i], &v[i], NULL, 0))
      v[i] = NAN;
}

static gboolean
period_has_value (const SeriesSet *set,
                  size_t           i)
{
  for (size_t k = 0; k < set->n_series; k++)
    if (isfinite (set->values[k][i]))
      return TRUE;
  return FALSE;
}

/* Puts the set into c from the first period with a value to the last one
 * (never cutting the selected period): an empty column at either end reads
 * as a zero. A series without any value is left out of the legend, unless
 * every series is empty (the chart then says so). Returns the index of the
 * selected period in the chart. */
static size_t
series_set_apply (SeriesSet         *set,
                  HicovChart        *c,
                  const HicovPeriod *periods,
                  size_t             selected)
{
  size_t first = selected, end = selected + 1;
  gboolean any = FALSE;

  for (size_t i = 0; i < selected; i++)
    if (period_has_value (set, i))
      {
        first = i;
        break;
      }
  for (size_t i = set->n; i > selected + 1; i--)
    if (period_has_value (set, i - 1))
      {
        end = i;
        break;
      }
  for (size_t i = first; i < end && !any; i++)
    any = period_has_value (set, i);
  set_period_categories (c, periods + first, end - first);
  for (size_t k = 0; k < set->n_series; k++)
    {
      gboolean has = FALSE;
      for (size_t i = first; i < end && !has; i++)
        has = isfinite (set->values[k][i]);
      if (has || !any)
        hicov_chart_add_series (c, set->names[k], set->values[k] + first,
                                end - first, 0, NULL);
    }
  return selected - first;
}

/* Beneficiary groups: the chart palette has six distinct colours
 * (chart-render.c), so the five largest groups are drawn and the others
 * are summed, exactly in hundredths, into "Other groups"; the same rule as
 * hicov_chart_groups_stacked, whose own period labels and group names
 * would differ from the dashboard's other charts. */
#define GROUPS_SHOWN 5

static void
add_group_series (const HicovFigureSource *src,
                  SeriesSet               *set,
                  const char              *unit,
                  const HicovPeriod       *periods)
{
  size_t ng = hicov_dataset_group_count (src->ds);
  int64_t *vals = g_new (int64_t, MAX (ng, 1) * MAX_SEQ);
  int64_t *totals = g_new0 (int64_t, MAX (ng, 1));
  size_t *order = g_new (size_t, MAX (ng, 1));
  size_t with_data = 0, shown;

  for (size_t g = 0; g < ng; g++)
    {
      const char *code = hicov_dataset_group (src->ds, g);
      order[g] = g;
      for (size_t i = 0; i < set->n; i++)
        {
          int64_t *v = &vals[g * MAX_SEQ + i];
          if (hicov_dataset_measure (src->ds, "participants", unit,
                                     periods[i], code, v, NULL,
                                     0) != HICOV_OK)
            *v = INT64_MIN;
          else if (*v > 0 && __builtin_add_overflow (totals[g], *v,
                                                     &totals[g]))
            totals[g] = G_MAXINT64; /* only ranks the groups */
        }
      with_data += totals[g] > 0;
    }
  /* Largest first; a stable insertion sort keeps the core's order (the
   * codes' alphabetical order) among equals. */
  for (size_t a = 1; a < ng; a++)
    {
      size_t key = order[a], b = a;
      for (; b > 0 && totals[order[b - 1]] < totals[key]; b--)
        order[b] = order[b - 1];
      order[b] = key;
    }
  shown = with_data > GROUPS_SHOWN + 1 ? GROUPS_SHOWN : with_data;

  for (size_t k = 0; k < shown; k++)
    {
      g_autofree char *name =
        hicov_group_display_name (hicov_dataset_group (src->ds, order[k]));
      double *v = series_set_add (set, name);
      for (size_t i = 0; v != NULL && i < set->n; i++)
        if (vals[order[k] * MAX_SEQ + i] != INT64_MIN)
          v[i] = (double) vals[order[k] * MAX_SEQ + i] / 100.0;
    }
  if (shown < with_data)
    {
      double *v = series_set_add (set, _("Other groups"));
      for (size_t i = 0; v != NULL && i < set->n; i++)
        {
          int64_t sum = 0;
          gboolean any = FALSE, overflow = FALSE;
          for (size_t k = shown; k < ng; k++)
            {
              int64_t x = vals[order[k] * MAX_SEQ + i];
              if (x == INT64_MIN)
                continue;
              any = TRUE;
              overflow |= __builtin_add_overflow (sum, x, &sum);
            }
          if (any && !overflow)
            v[i] = (double) sum / 100.0;
        }
    }
  g_free (vals);
  g_free (totals);
  g_free (order);
}

/* TRUE if the group split shown comes from synthetic observations (the
 * demo's split is generated, not published). */
static gboolean
group_split_is_synthetic (const HicovFigureSource *src,
                          const char              *unit,
                          const HicovPeriod       *periods,
                          size_t                   n)
{
  size_t ng = hicov_dataset_group_count (src->ds);

  for (size_t g = 0; g < ng; g++)
    for (size_t i = 0; i < n; i++)
      {
        const char *sources[8];
        size_t ns = 0;
        if (hicov_dataset_measure_sources (src->ds, "participants", unit,
                                           periods[i],
                                           hicov_dataset_group (src->ds, g),
                                           sources, G_N_ELEMENTS (sources),
                                           &ns) != HICOV_OK)
          continue;
        for (size_t k = 0; k < MIN (ns, G_N_ELEMENTS (sources)); k++)
          if (g_strcmp0 (sources[k], "synthetic") == 0)
            return TRUE;
      }
  return FALSE;
}

static char *
x_axis_title (HicovPeriod p)
{
  if (p.kind == HICOV_PERIOD_RANGE && p.first / 12 == p.last / 12)
    {
      /* Year-to-date columns compare the same months of each year. */
      g_autofree char *span = hicov_period_label (p);
      return g_strdup_printf (_("Same months of each year (%s)"), span);
    }
  return NULL;
}

static HicovChart *
chart_over_periods (const HicovFigureSource *src,
                    const char              *unit,
                    HicovPeriod              period,
                    HicovFigure              fig)
{
  HicovPeriod periods[MAX_SEQ];
  size_t selected = 0;
  SeriesSet set;
  g_autofree char *xt = x_axis_title (period);
  const char *value_title = NULL;
  HicovChart *c = NULL;

  set.n_series = 0;
  set.n = period_sequence (src, period, periods, &selected);
  c = new_chart (src, fig == HICOV_FIG_VISITS ? HICOV_CHART_COLUMN
                      : fig == HICOV_FIG_SPENDING ? HICOV_CHART_COLUMN
                      : fig == HICOV_FIG_COST_PER_VISIT ? HICOV_CHART_LINE
                      : fig == HICOV_FIG_FUND ? HICOV_CHART_DUAL
                      : fig == HICOV_FIG_CHECKIN ? HICOV_CHART_COLUMN
                      : HICOV_CHART_STACKED,
                 hicov_figure_title (fig), NULL);
  if (c == NULL)
    return NULL;

  switch (fig)
    {
    case HICOV_FIG_VISITS:
      hicov_chart_set_format (c, HICOV_CHART_FORMAT_COUNT, 0);
      add_indicator_series (src, &set, _("Visits"), "visits", unit, periods);
      value_title = _("visits");
      break;
    case HICOV_FIG_SPENDING:
      hicov_chart_set_format (c, HICOV_CHART_FORMAT_MONEY, 1);
      add_indicator_series (src, &set, _("Total medical cost"), "total_cost",
                            unit, periods);
      add_indicator_series (src, &set, _("Paid by the fund"), "fund_paid",
                            unit, periods);
      break;
    case HICOV_FIG_COST_PER_VISIT:
      hicov_chart_set_format (c, HICOV_CHART_FORMAT_MONEY, 0);
      add_indicator_series (src, &set, _("Cost per visit"), "cost_per_visit",
                            unit, periods);
      break;
    case HICOV_FIG_FUND:
      hicov_chart_set_format (c, HICOV_CHART_FORMAT_MONEY, 1);
      add_indicator_series (src, &set, _("Contribution revenue"),
                            "fund_revenue", unit, periods);
      add_indicator_series (src, &set, _("Paid by the fund"), "fund_paid",
                            unit, periods);
      break;
    case HICOV_FIG_CHECKIN:
      hicov_chart_set_format (c, HICOV_CHART_FORMAT_PERCENT, 1);
      hicov_chart_set_empty_text (c, _("No check-in data for this unit"));
      add_indicator_series (src, &set, _("Successful check-ins"),
                            "checkin_success_rate", unit, periods);
      break;
    case HICOV_FIG_GROUPS:
      hicov_chart_set_format (c, HICOV_CHART_FORMAT_COUNT, 0);
      hicov_chart_set_empty_text (c, _("No participants by group for this "
                                       "unit"));
      add_group_series (src, &set, unit, periods);
      if (group_split_is_synthetic (src, unit, periods, set.n))
        hicov_chart_set_subtitle (c, _("Synthetic split (illustrative "
                                       "figures)"));
      value_title = _("people");
      break;
    case HICOV_FIG_COVERAGE_TREND:
    case HICOV_FIG_RANKING:
    case HICOV_N_FIGS:
    default:
      g_assert_not_reached ();
    }
  selected = series_set_apply (&set, c, periods, selected);
  series_set_clear (&set);
  hicov_chart_set_axis_titles (c, xt, value_title);
  if (fig != HICOV_FIG_COST_PER_VISIT && hicov_chart_point_count (c) > 1)
    hicov_chart_set_highlight (c, selected, 1);
  return c;
}

static HicovChart *
coverage_trend (const HicovFigureSource *src,
                const char              *unit,
                HicovPeriod              period)
{
  HicovUnitTarget ut;
  gboolean has_target = hicov_figure_unit_target (src, unit, period, &ut);
  int first_year = src->has_span ? src->first_month / 12 : 2020;
  int last_data_year = src->has_span ? src->last_month / 12 : 2020;
  int last_year = last_data_year;
  int latest = -1;
  double *years, *actual, *projected;
  size_t n;
  gboolean any_projection = FALSE;
  HicovChart *c = new_chart (src, HICOV_CHART_LINE,
                             hicov_figure_title (HICOV_FIG_COVERAGE_TREND),
                             NULL);

  if (has_target)
    last_year = MAX (last_year, ut.assessment.deadline_year);
  first_year = MAX (first_year, last_year - 20);
  n = (size_t) (last_year - first_year + 1);
  years = g_new (double, n);
  actual = g_new (double, n);
  projected = g_new (double, n);

  for (size_t i = 0; i < n; i++)
    {
      int y = first_year + (int) i;
      years[i] = y;
      projected[i] = NAN;
      actual[i] = NAN;
      if (y <= last_data_year &&
          indicator (src, "coverage_rate", unit, hicov_period_year (y),
                     &actual[i], NULL, 0))
        latest = (int) i;
    }
  /* Start at the unit's first year with a value. */
  {
    size_t lead = 0;
    while (lead + 1 < n && isnan (actual[lead]))
      lead++;
    if (latest >= 0 && lead > 0)
      {
        n -= lead;
        memmove (years, years + lead, n * sizeof *years);
        memmove (actual, actual + lead, n * sizeof *actual);
        latest -= (int) lead;
        first_year += (int) lead;
      }
  }
  /* The projection starts at the last actual value so the dashed line
   * continues the solid one. */
  if (latest >= 0 && has_target)
    {
      int latest_year = first_year + latest;
      projected[latest] = actual[latest];
      for (size_t i = (size_t) latest + 1; i < n; i++)
        {
          HicovResult r;
          if (hicov_project (src->ds, "coverage_rate", unit, latest_year,
                             first_year + (int) i, &r) == HICOV_OK &&
              r.status == HICOV_OK)
            {
              projected[i] = r.value;
              any_projection = TRUE;
            }
        }
    }

  hicov_chart_set_format (c, HICOV_CHART_FORMAT_PERCENT, 1);
  hicov_chart_set_x_values (c, years, n);
  hicov_chart_add_series (c, _("Coverage"), actual, n, 0, NULL);
  if (any_projection)
    hicov_chart_add_series (c, _("Projection"), projected, n,
                            HICOV_SERIES_PROJECTED, NULL);
  if (has_target)
    {
      g_autofree char *dl = g_strdup_printf (_("Deadline %d"),
                                             ut.assessment.deadline_year);
      g_autofree char *sub = g_strdup_printf ("%s %s",
          hicov_resolution_number (ut.resolution),
          hicov_resolution_body (ut.resolution));
      /* The chart prints the target's value after its label. */
      hicov_chart_set_target (c, ut.assessment.threshold, _("Target"));
      hicov_chart_set_marker (c, ut.assessment.deadline_year, dl);
      hicov_chart_set_subtitle (c, sub);
    }
  g_free (years);
  g_free (actual);
  g_free (projected);
  return c;
}

typedef struct {
  double value;
  size_t unit_index;
} RankEntry;

static int
compare_rank (gconstpointer a,
              gconstpointer b)
{
  const RankEntry *x = a, *y = b;

  /* Missing values last, then ascending: the laggards first. */
  if (isnan (x->value) != isnan (y->value))
    return isnan (x->value) ? 1 : -1;
  if (x->value < y->value)
    return -1;
  return x->value > y->value ? 1 : 0;
}

static HicovChart *
ranking (const HicovFigureSource *src,
         const char              *unit,
         HicovPeriod              period,
         char                  ***drill_codes)
{
  size_t *idx = NULL;
  size_t n = 0;
  RankEntry *entries;
  size_t shown;
  const char **labels;
  double *values;
  char **codes;
  gboolean synthetic = FALSE;
  double threshold = NAN;
  HicovChart *c = new_chart (src, HICOV_CHART_BAR_RANKED,
                             hicov_figure_title (HICOV_FIG_RANKING), NULL);

  hicov_chart_set_format (c, HICOV_CHART_FORMAT_PERCENT, 1);
  hicov_chart_set_empty_text (c, _("This unit has no units below it"));
  if (hicov_dataset_children (src->ds, unit, &period, &idx, &n) != HICOV_OK ||
      n == 0)
    {
      hicov_free (idx);
      return c;
    }

  entries = g_new (RankEntry, n);
  for (size_t i = 0; i < n; i++)
    {
      HicovUnit u;
      entries[i].unit_index = idx[i];
      entries[i].value = NAN;
      if (hicov_dataset_unit (src->ds, idx[i], &u) == HICOV_OK)
        {
          indicator (src, "coverage_rate", u.code, period, &entries[i].value,
                     NULL, 0);
          synthetic |= u.synthetic != 0;
          if (isnan (threshold))
            {
              HicovUnitTarget ut;
              if (hicov_figure_unit_target (src, u.code, period, &ut))
                threshold = ut.assessment.threshold;
            }
        }
    }
  hicov_free (idx);
  qsort (entries, n, sizeof *entries, compare_rank);
  shown = MIN (n, MAX_BARS);

  labels = g_new0 (const char *, shown);
  values = g_new (double, shown);
  codes = g_new0 (char *, shown + 1);
  for (size_t i = 0; i < shown; i++)
    {
      HicovUnit u;
      hicov_dataset_unit (src->ds, entries[i].unit_index, &u);
      labels[i] = u.name;
      values[i] = entries[i].value;
      codes[i] = g_strdup (u.code);
    }
  hicov_chart_set_categories (c, labels, shown);
  hicov_chart_add_series (c, _("Coverage"), values, shown, 0, NULL);
  if (n > shown)
    {
      g_autofree char *sub = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "The %zu lowest of %zu unit",
                       "The %zu lowest of %zu units", n), shown, n);
      hicov_chart_set_subtitle (c, sub);
      hicov_chart_set_sort (c, HICOV_CHART_SORT_ASCENDING);
    }
  else if (synthetic)
    hicov_chart_set_subtitle (c, _("Synthetic communes (demo)"));
  if (!isnan (threshold))
    {
      hicov_chart_set_target (c, threshold, _("Target"));
    }
  if (drill_codes != NULL)
    *drill_codes = codes;
  else
    g_strfreev (codes);
  g_free (labels);
  g_free (values);
  g_free (entries);
  return c;
}

HicovChart *
hicov_figure_chart (const HicovFigureSource *src,
                    const char              *unit,
                    HicovPeriod              period,
                    HicovFigure              fig,
                    char                  ***drill_codes)
{
  g_return_val_if_fail (src != NULL && src->ds != NULL, NULL);
  g_return_val_if_fail (unit != NULL, NULL);

  if (drill_codes != NULL)
    *drill_codes = NULL;
  switch (fig)
    {
    case HICOV_FIG_COVERAGE_TREND:
      return coverage_trend (src, unit, period);
    case HICOV_FIG_RANKING:
      return ranking (src, unit, period, drill_codes);
    case HICOV_FIG_GROUPS:
    case HICOV_FIG_CHECKIN:
    case HICOV_FIG_VISITS:
    case HICOV_FIG_SPENDING:
    case HICOV_FIG_COST_PER_VISIT:
    case HICOV_FIG_FUND:
      return chart_over_periods (src, unit, period, fig);
    case HICOV_N_FIGS:
    default:
      g_return_val_if_reached (NULL);
    }
}

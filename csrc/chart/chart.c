/* chart.c - the HicovChart handle: data, texts and settings. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart-private.h"

void chart_set_error(HicovChart *c, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->errmsg, sizeof c->errmsg, fmt, ap);
  va_end(ap);
}

int chart_value_ok(double v)
{
  return isfinite(v);
}

static char *dup_or_null(const char *s)
{
  if (!s || !*s)
    return NULL;
  return hicov_strdup(s);
}

/* Replaces *slot by a copy of s (NULL/"" clears). */
static int set_text(HicovChart *c, char **slot, const char *s)
{
  char *copy = dup_or_null(s);
  if (s && *s && !copy) {
    chart_set_error(c, T_(c->lang, "out of memory copying a text"));
    return HICOV_NOMEM;
  }
  hicov_free(*slot);
  *slot = copy;
  c->errmsg[0] = '\0';
  return HICOV_OK;
}

int hicov_chart_new(int kind, HicovChart **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  if (kind < HICOV_CHART_LINE || kind > HICOV_CHART_MAP)
    return HICOV_INVALID;
  HicovChart *c = hicov_calloc(1, sizeof *c);
  if (!c)
    return HICOV_NOMEM;
  c->kind = kind;
  snprintf(c->lang, sizeof c->lang, "en");
  c->format = HICOV_CHART_FORMAT_NUMBER;
  c->decimals = 1;
  c->font_size = 11.0;
  c->target = NAN;
  c->map_nclasses = 5;
  c->marker = NAN;
  c->range_min = NAN;
  c->range_max = NAN;
  c->sort = HICOV_CHART_SORT_DESCENDING;
  *out = c;
  return HICOV_OK;
}

static void clear_points(HicovChart *c)
{
  chart_map_clear(c);
  for (size_t i = 0; i < c->n && c->labels; i++)
    hicov_free(c->labels[i]);
  hicov_free(c->labels);
  c->labels = NULL;
  for (size_t i = 0; i < c->n && c->keys; i++)
    hicov_free(c->keys[i]);
  hicov_free(c->keys);
  c->keys = NULL;
  hicov_free(c->x);
  c->x = NULL;
  hicov_free(c->highlight);
  c->highlight = NULL;
  for (size_t s = 0; s < c->nseries; s++) {
    hicov_free(c->series[s].name);
    hicov_free(c->series[s].values);
  }
  c->nseries = 0;
  c->n = 0;
  c->rendered = 0;
  c->nitems = 0;
}

void hicov_chart_free(HicovChart *c)
{
  if (!c)
    return;
  clear_points(c);
  hicov_free(c->title);
  hicov_free(c->subtitle);
  hicov_free(c->caption);
  hicov_free(c->x_title);
  hicov_free(c->value_title);
  hicov_free(c->empty_text);
  hicov_free(c->target_label);
  hicov_free(c->marker_label);
  hicov_free(c->items);
  hicov_free(c->map_note);
  hicov_free(c->map_breaks);
  hicov_free(c);
}

int hicov_chart_kind(const HicovChart *c)
{
  return c ? c->kind : 0;
}

const char *hicov_chart_errmsg(const HicovChart *c)
{
  return c ? c->errmsg : "";
}

int hicov_chart_set_title(HicovChart *c, const char *title)
{
  return c ? set_text(c, &c->title, title) : HICOV_INVALID;
}

int hicov_chart_set_subtitle(HicovChart *c, const char *subtitle)
{
  return c ? set_text(c, &c->subtitle, subtitle) : HICOV_INVALID;
}

const char *hicov_chart_title(const HicovChart *c)
{
  return c ? c->title : NULL;
}

int hicov_chart_set_caption(HicovChart *c, const char *caption)
{
  return c ? set_text(c, &c->caption, caption) : HICOV_INVALID;
}

const char *hicov_chart_caption(const HicovChart *c)
{
  return c ? c->caption : NULL;
}

const char *hicov_chart_subtitle(const HicovChart *c)
{
  return c ? c->subtitle : NULL;
}

const char *hicov_chart_lang(const HicovChart *c)
{
  return c ? c->lang : NULL;
}

int hicov_chart_theme(const HicovChart *c)
{
  return c ? c->theme : -1;
}

int hicov_chart_set_axis_titles(HicovChart *c, const char *x_title,
                                const char *value_title)
{
  if (!c)
    return HICOV_INVALID;
  int rc = set_text(c, &c->x_title, x_title);
  return rc ? rc : set_text(c, &c->value_title, value_title);
}

int hicov_chart_set_empty_text(HicovChart *c, const char *text)
{
  return c ? set_text(c, &c->empty_text, text) : HICOV_INVALID;
}

int hicov_chart_set_format(HicovChart *c, int format, int decimals)
{
  if (!c)
    return HICOV_INVALID;
  if (format < HICOV_CHART_FORMAT_NUMBER || format > HICOV_CHART_FORMAT_MONEY ||
      decimals < 0 || decimals > 6) {
    chart_set_error(c, T_(c->lang, "invalid format %d or decimals %d "
                                   "(expected 0..6)"),
                    format, decimals);
    return HICOV_INVALID;
  }
  c->format = format;
  c->decimals = format == HICOV_CHART_FORMAT_COUNT ? 0 : decimals;
  return HICOV_OK;
}

int hicov_chart_set_lang(HicovChart *c, const char *lang)
{
  if (!c || !lang || strlen(lang) >= sizeof c->lang)
    return HICOV_INVALID;
  snprintf(c->lang, sizeof c->lang, "%s", lang);
  return HICOV_OK;
}

int hicov_chart_set_theme(HicovChart *c, int theme)
{
  if (!c || (theme != HICOV_CHART_THEME_LIGHT &&
             theme != HICOV_CHART_THEME_DARK))
    return HICOV_INVALID;
  c->theme = theme;
  c->custom_colors = 0;
  return HICOV_OK;
}

int hicov_chart_set_colors(HicovChart *c, const HicovChartColors *colors)
{
  if (!c)
    return HICOV_INVALID;
  if (!colors) {
    c->custom_colors = 0;
    return HICOV_OK;
  }
  for (int i = 0; i < 4; i++)
    if (!(colors->background[i] >= 0 && colors->background[i] <= 1) ||
        !(colors->foreground[i] >= 0 && colors->foreground[i] <= 1))
      return HICOV_INVALID;
  c->colors = *colors;
  c->custom_colors = 1;
  return HICOV_OK;
}

int hicov_chart_set_font_size(HicovChart *c, double size)
{
  if (!c || !(size >= 4 && size <= 200))
    return HICOV_INVALID;
  c->font_size = size;
  return HICOV_OK;
}

int hicov_chart_set_title_inset(HicovChart *c, double width)
{
  if (!c || !(width >= 0 && width < 1e6))
    return HICOV_INVALID;
  c->title_inset = width;
  return HICOV_OK;
}

int hicov_chart_set_categories(HicovChart *c, const char *const *labels,
                               size_t n)
{
  if (!c || (n > 0 && !labels))
    return HICOV_INVALID;
  if (n > 100000) {
    chart_set_error(c, T_(c->lang, "%zu categories: at most 100000"), n);
    return HICOV_LIMIT;
  }
  clear_points(c);
  if (n == 0)
    return HICOV_OK;
  char **copy = hicov_calloc(n, sizeof *copy);
  unsigned char *hl = hicov_calloc(n, 1);
  if (!copy || !hl)
    goto nomem;
  for (size_t i = 0; i < n; i++) {
    copy[i] = hicov_strdup(labels[i] ? labels[i] : "");
    if (!copy[i]) {
      for (size_t j = 0; j < i; j++)
        hicov_free(copy[j]);
      goto nomem;
    }
  }
  c->labels = copy;
  c->highlight = hl;
  c->n = n;
  return HICOV_OK;
nomem:
  hicov_free(copy);
  hicov_free(hl);
  chart_set_error(c, T_(c->lang, "out of memory copying %zu categories"), n);
  return HICOV_NOMEM;
}

int hicov_chart_set_keys(HicovChart *c, const char *const *keys, size_t n)
{
  if (!c || (n > 0 && !keys))
    return HICOV_INVALID;
  if (n != c->n) {
    chart_set_error(c, T_(c->lang, "%zu keys for %zu points"), n, c->n);
    return HICOV_INVALID;
  }
  char **copy = NULL;
  if (n > 0) {
    copy = hicov_calloc(n, sizeof *copy);
    if (!copy)
      return HICOV_NOMEM;
    for (size_t i = 0; i < n; i++) {
      copy[i] = hicov_strdup(keys[i] ? keys[i] : "");
      if (!copy[i]) {
        for (size_t j = 0; j < i; j++)
          hicov_free(copy[j]);
        hicov_free(copy);
        chart_set_error(c, T_(c->lang, "out of memory copying %zu keys"), n);
        return HICOV_NOMEM;
      }
    }
  }
  for (size_t i = 0; i < c->n && c->keys; i++)
    hicov_free(c->keys[i]);
  hicov_free(c->keys);
  c->keys = copy;
  return HICOV_OK;
}

const char *hicov_chart_point_key(const HicovChart *c, size_t i)
{
  if (!c || !c->keys || i >= c->n)
    return NULL;
  return c->keys[i];
}

int hicov_chart_set_x_values(HicovChart *c, const double *x, size_t n)
{
  if (!c || (n > 0 && !x))
    return HICOV_INVALID;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(x[i]) || (i > 0 && !(x[i] > x[i - 1]))) {
      chart_set_error(c, T_(c->lang, "x value %zu (%g) is not finite and "
                                     "increasing"),
                      i, x[i]);
      return HICOV_INVALID;
    }
  }
  if (c->labels && n != c->n) {
    chart_set_error(c, T_(c->lang, "%zu x values for %zu categories"), n,
                    c->n);
    return HICOV_INVALID;
  }
  if (!c->labels) {
    /* x values alone: the labels are the values themselves */
    char **labels = hicov_calloc(n ? n : 1, sizeof *labels);
    if (!labels)
      return HICOV_NOMEM;
    for (size_t i = 0; i < n; i++) {
      char buf[64];
      snprintf(buf, sizeof buf, "%.10g", x[i]);
      labels[i] = buf[0] ? hicov_strdup(buf) : NULL;
      if (!labels[i]) {
        for (size_t j = 0; j < i; j++)
          hicov_free(labels[j]);
        hicov_free(labels);
        return HICOV_NOMEM;
      }
    }
    int rc = hicov_chart_set_categories(c, (const char *const *)labels, n);
    for (size_t i = 0; i < n; i++)
      hicov_free(labels[i]);
    hicov_free(labels);
    if (rc != HICOV_OK)
      return rc;
  }
  double *copy = NULL;
  if (n > 0) {
    copy = hicov_malloc(n * sizeof *copy);
    if (!copy)
      return HICOV_NOMEM;
    memcpy(copy, x, n * sizeof *copy);
  }
  hicov_free(c->x);
  c->x = copy;
  return HICOV_OK;
}

size_t hicov_chart_point_count(const HicovChart *c)
{
  return c ? c->n : 0;
}

int hicov_chart_add_series(HicovChart *c, const char *name,
                           const double *values, size_t n, unsigned flags,
                           size_t *index)
{
  if (c)
    c->map_breaks_ok = 0;
  if (!c || (n > 0 && !values))
    return HICOV_INVALID;
  if (n != c->n) {
    chart_set_error(c,
                    T_(c->lang, "series '%s' has %zu values for %zu points"),
                    name ? name : "", n, c->n);
    return HICOV_INVALID;
  }
  if (c->nseries >= CHART_MAX_SERIES) {
    chart_set_error(c, T_(c->lang, "at most %d series"), CHART_MAX_SERIES);
    return HICOV_LIMIT;
  }
  if (flags & ~(unsigned)HICOV_SERIES_PROJECTED) {
    chart_set_error(c, T_(c->lang, "unknown series flags 0x%x"), flags);
    return HICOV_INVALID;
  }
  ChartSeries s = { 0 };
  s.name = hicov_strdup(name ? name : "");
  s.values = hicov_malloc((n ? n : 1) * sizeof *s.values);
  if (!s.name || !s.values) {
    hicov_free(s.name);
    hicov_free(s.values);
    chart_set_error(c, T_(c->lang, "out of memory copying series '%s'"),
                    name ? name : "");
    return HICOV_NOMEM;
  }
  for (size_t i = 0; i < n; i++)
    s.values[i] = isfinite(values[i]) ? values[i] : NAN;
  s.flags = flags;
  if (index)
    *index = c->nseries;
  c->series[c->nseries++] = s;
  return HICOV_OK;
}

size_t hicov_chart_series_count(const HicovChart *c)
{
  return c ? c->nseries : 0;
}

const char *hicov_chart_series_name(const HicovChart *c, size_t k)
{
  return c && k < c->nseries ? c->series[k].name : NULL;
}

double hicov_chart_value(const HicovChart *c, size_t k, size_t i)
{
  return c && k < c->nseries && i < c->n ? c->series[k].values[i] : NAN;
}

int hicov_chart_set_target(HicovChart *c, double value, const char *label)
{
  if (c)
    c->map_breaks_ok = 0;
  if (!c)
    return HICOV_INVALID;
  if (isnan(value)) {
    c->target = NAN;
    return set_text(c, &c->target_label, NULL);
  }
  if (!isfinite(value))
    return HICOV_INVALID;
  int rc = set_text(c, &c->target_label, label);
  if (rc == HICOV_OK)
    c->target = value;
  return rc;
}

int hicov_chart_set_marker(HicovChart *c, double x, const char *label)
{
  if (!c)
    return HICOV_INVALID;
  if (isnan(x)) {
    c->marker = NAN;
    return set_text(c, &c->marker_label, NULL);
  }
  if (!isfinite(x))
    return HICOV_INVALID;
  int rc = set_text(c, &c->marker_label, label);
  if (rc == HICOV_OK)
    c->marker = x;
  return rc;
}

int hicov_chart_set_highlight(HicovChart *c, size_t i, int on)
{
  if (!c)
    return HICOV_INVALID;
  if (i >= c->n) {
    chart_set_error(c, T_(c->lang, "highlight of point %zu: the chart has "
                                   "%zu points"),
                    i, c->n);
    return HICOV_INVALID;
  }
  c->highlight[i] = on ? 1 : 0;
  return HICOV_OK;
}

int hicov_chart_set_sort(HicovChart *c, int sort)
{
  if (!c || sort < HICOV_CHART_SORT_DESCENDING || sort > HICOV_CHART_SORT_NONE)
    return HICOV_INVALID;
  c->sort = sort;
  return HICOV_OK;
}

int hicov_chart_set_value_range(HicovChart *c, double min, double max)
{
  if (!c || isinf(min) || isinf(max) ||
      (!isnan(min) && !isnan(max) && min > max))
    return HICOV_INVALID;
  c->range_min = min;
  c->range_max = max;
  return HICOV_OK;
}

int hicov_chart_set_zoomed(HicovChart *c, int on)
{
  if (!c)
    return HICOV_INVALID;
  c->zoomed = on != 0;
  return HICOV_OK;
}

int hicov_chart_set_target_colors(HicovChart *c, int on)
{
  if (!c)
    return HICOV_INVALID;
  c->target_colors = on != 0;
  return HICOV_OK;
}

int hicov_chart_is_empty(const HicovChart *c)
{
  if (!c)
    return 1;
  for (size_t s = 0; s < c->nseries; s++)
    for (size_t i = 0; i < c->n; i++)
      if (isfinite(c->series[s].values[i]))
        return 0;
  return 1;
}

int chart_money_scale(const HicovChart *c)
{
  if (c->format != HICOV_CHART_FORMAT_MONEY)
    return HICOV_MONEY_DONG;
  double big = 0;
  for (size_t s = 0; s < c->nseries; s++)
    for (size_t i = 0; i < c->n; i++)
      if (isfinite(c->series[s].values[i]) &&
          fabs(c->series[s].values[i]) > big)
        big = fabs(c->series[s].values[i]);
  return hicov_money_auto_scale(big);
}

void chart_format_value(const HicovChart *c, double v, int decimals,
                        char *buf, size_t size)
{
  switch (c->format) {
  case HICOV_CHART_FORMAT_PERCENT:
    hicov_format_percent(v, decimals, c->lang, buf, size);
    break;
  case HICOV_CHART_FORMAT_COUNT:
    hicov_format_number(v, 0, c->lang, buf, size);
    break;
  case HICOV_CHART_FORMAT_MONEY:
    /* exact through integer centi while it fits (|v| < 9e16 đồng) */
    if (isfinite(v) && fabs(v) < 9e16)
      hicov_format_money_vnd((int64_t)llround(v * 100.0),
                             chart_money_scale(c), decimals, c->lang, buf,
                             size);
    else
      hicov_format_number(v, decimals, c->lang, buf, size);
    break;
  default:
    hicov_format_number(v, decimals, c->lang, buf, size);
    break;
  }
}

int chart_add_item(HicovChart *c, int kind, size_t series, size_t index,
                   ChartRect r)
{
  if (c->nitems == c->items_cap) {
    size_t cap = c->items_cap ? c->items_cap * 2 : 64;
    ChartItem *items = hicov_realloc(c->items, cap * sizeof *items);
    if (!items)
      return HICOV_NOMEM;
    c->items = items;
    c->items_cap = cap;
  }
  ChartItem *it = &c->items[c->nitems++];
  it->kind = kind;
  it->series = series;
  it->index = index;
  it->r = r;
  return HICOV_OK;
}

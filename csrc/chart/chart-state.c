/* chart-state.c - a chart as bytes and back (pickling): what it shows,
 * not how the last render laid it out.
 *
 * Format, version 1 (integers little-endian, doubles as their 8 bytes):
 *   "HICOVCH\0", u32 version 1, i32 kind,
 *   text title, subtitle, x_title, value_title, empty_text, lang,
 *   i32 format, decimals, theme, custom colours, 8 f64 colours, f64 font,
 *   u32 n, u8 has labels, n texts, u8 has keys, n texts,
 *   u8 has x values, n f64, u8 has highlights, n u8,
 *   u32 series, each: text name, u32 flags, n f64,
 *   f64 target, text target label, f64 marker, text marker label,
 *   i32 sort, f64 range min, f64 range max, i32 zoomed, i32 target colours,
 *   32 bytes: SHA-256 of everything before.
 * A text is u8 present (0: NULL), u32 length and its bytes.  Reading goes
 * through the public setters, which check every value again. */
#include <math.h>
#include <string.h>

#include "chart-private.h"
#include "hicov-report.h"
#include "state-private.h"

#define MAGIC "HICOVCH" /* and its NUL */
_Static_assert(sizeof MAGIC == HICOV_STATE_TAG, "a state's tag is 8 bytes");
#define VERSION 1u

static void put_text(HicovStateOut *o, const char *s)
{
  size_t n = s ? strlen(s) : 0;
  hicov_state_put_u8(o, s != NULL);
  if (!s)
    return;
  if (n > UINT32_MAX) {
    o->rc = o->rc ? o->rc : HICOV_LIMIT;
    return;
  }
  hicov_state_put_u32(o, (uint32_t)n);
  hicov_state_put(o, s, n);
}

int hicov_chart_serialize(const HicovChart *c, void **out, size_t *len)
{
  if (out)
    *out = NULL;
  if (len)
    *len = 0;
  if (!c || !out || !len)
    return HICOV_INVALID;
  HicovStateOut o = { NULL, 0, 0, HICOV_OK };
  hicov_state_put_head(&o, MAGIC, VERSION);
  hicov_state_put_u32(&o, (uint32_t)c->kind);
  const char *texts[] = { c->title, c->subtitle, c->x_title, c->value_title,
                          c->empty_text, c->lang };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    put_text(&o, texts[i]);
  hicov_state_put_u32(&o, (uint32_t)c->format);
  hicov_state_put_u32(&o, (uint32_t)c->decimals);
  hicov_state_put_u32(&o, (uint32_t)c->theme);
  hicov_state_put_u32(&o, (uint32_t)c->custom_colors);
  for (int i = 0; i < 4; i++)
    hicov_state_put_f64(&o, c->colors.background[i]);
  for (int i = 0; i < 4; i++)
    hicov_state_put_f64(&o, c->colors.foreground[i]);
  hicov_state_put_f64(&o, c->font_size);
  hicov_state_put_u32(&o, (uint32_t)c->n);
  hicov_state_put_u8(&o, c->labels != NULL);
  for (size_t i = 0; c->labels && i < c->n; i++)
    put_text(&o, c->labels[i]);
  hicov_state_put_u8(&o, c->keys != NULL);
  for (size_t i = 0; c->keys && i < c->n; i++)
    put_text(&o, c->keys[i]);
  hicov_state_put_u8(&o, c->x != NULL);
  for (size_t i = 0; c->x && i < c->n; i++)
    hicov_state_put_f64(&o, c->x[i]);
  hicov_state_put_u8(&o, c->highlight != NULL);
  for (size_t i = 0; c->highlight && i < c->n; i++)
    hicov_state_put_u8(&o, c->highlight[i] != 0);
  hicov_state_put_u32(&o, (uint32_t)c->nseries);
  for (size_t s = 0; s < c->nseries; s++) {
    put_text(&o, c->series[s].name);
    hicov_state_put_u32(&o, c->series[s].flags);
    for (size_t i = 0; i < c->n; i++)
      hicov_state_put_f64(&o, c->series[s].values[i]);
  }
  hicov_state_put_f64(&o, c->target);
  put_text(&o, c->target_label);
  hicov_state_put_f64(&o, c->marker);
  put_text(&o, c->marker_label);
  hicov_state_put_u32(&o, (uint32_t)c->sort);
  hicov_state_put_f64(&o, c->range_min);
  hicov_state_put_f64(&o, c->range_max);
  hicov_state_put_u32(&o, (uint32_t)c->zoomed);
  hicov_state_put_u32(&o, (uint32_t)c->target_colors);
  hicov_state_seal(&o);
  if (o.rc) {
    hicov_free(o.data);
    return o.rc;
  }
  *out = o.data;
  *len = o.len;
  return HICOV_OK;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

/* A text as a new string (caller frees; NULL when absent or on failure:
 * *absent tells which). */
static char *get_text(HicovStateIn *in, int *absent)
{
  *absent = !hicov_state_get_u8(in);
  if (*absent || in->failed)
    return NULL;
  uint32_t n = hicov_state_get_u32(in);
  if (in->failed || (size_t)(in->end - in->p) < n ||
      memchr(in->p, '\0', n)) {
    in->failed = 1;
    return NULL;
  }
  char *s = hicov_strndup((const char *)in->p, n);
  if (!s)
    in->failed = 1;
  in->p += n;
  return s;
}

/* The six texts: title, subtitle, x_title, value_title, empty_text,
 * lang. */
static int get_texts6(HicovStateIn *in, HicovChart *c)
{
  char *t[6];
  int absent;
  for (int i = 0; i < 6; i++)
    t[i] = get_text(in, &absent);
  int rc = in->failed || !t[5] ? HICOV_PARSE : HICOV_OK;
  if (!rc)
    rc = hicov_chart_set_title(c, t[0]);
  if (!rc)
    rc = hicov_chart_set_subtitle(c, t[1]);
  if (!rc)
    rc = hicov_chart_set_axis_titles(c, t[2], t[3]);
  if (!rc)
    rc = hicov_chart_set_empty_text(c, t[4]);
  if (!rc)
    rc = hicov_chart_set_lang(c, t[5]);
  for (int i = 0; i < 6; i++)
    hicov_free(t[i]);
  return rc;
}

/* n texts (each may be absent: "") into a new array; NULL on failure. */
static char **get_texts(HicovStateIn *in, size_t n)
{
  char **v = hicov_calloc(n ? n : 1, sizeof *v);
  for (size_t i = 0; v && i < n && !in->failed; i++) {
    int absent;
    v[i] = get_text(in, &absent);
    if (absent && !in->failed)
      v[i] = hicov_strdup("");
    if (!v[i])
      in->failed = 1;
  }
  return v;
}

static void free_texts(char **v, size_t n)
{
  for (size_t i = 0; v && i < n; i++)
    hicov_free(v[i]);
  hicov_free(v);
}

static int get_points(HicovStateIn *in, HicovChart *c, size_t n)
{
  int rc = HICOV_OK;
  if (hicov_state_get_u8(in)) {
    char **labels = get_texts(in, n);
    rc = in->failed || !labels ? HICOV_PARSE
         : hicov_chart_set_categories(c, (const char *const *)labels, n);
    free_texts(labels, n);
  }
  if (!rc && hicov_state_get_u8(in)) {
    char **keys = get_texts(in, n);
    rc = in->failed || !keys ? HICOV_PARSE
         : hicov_chart_set_keys(c, (const char *const *)keys, n);
    free_texts(keys, n);
  }
  if (!rc && hicov_state_get_u8(in)) {
    double *x = hicov_calloc(n ? n : 1, sizeof *x);
    for (size_t i = 0; x && i < n; i++)
      x[i] = hicov_state_get_f64(in);
    rc = !x ? HICOV_NOMEM : in->failed ? HICOV_PARSE
         : hicov_chart_set_x_values(c, x, n);
    hicov_free(x);
  }
  if (!rc && hicov_state_get_u8(in))
    for (size_t i = 0; !rc && i < n; i++) {
      int on = hicov_state_get_u8(in);
      rc = in->failed ? HICOV_PARSE
           : on ? hicov_chart_set_highlight(c, i, 1) : HICOV_OK;
    }
  if (!rc && hicov_chart_point_count(c) != n)
    rc = HICOV_PARSE;
  return rc;
}

static int get_series(HicovStateIn *in, HicovChart *c, size_t n)
{
  uint32_t ns = hicov_state_get_u32(in);
  if (in->failed || ns > CHART_MAX_SERIES)
    return HICOV_PARSE;
  double *v = hicov_calloc(n ? n : 1, sizeof *v);
  if (!v)
    return HICOV_NOMEM;
  int rc = HICOV_OK;
  for (uint32_t s = 0; !rc && s < ns; s++) {
    int absent;
    char *name = get_text(in, &absent);
    unsigned flags = hicov_state_get_u32(in);
    for (size_t i = 0; i < n; i++)
      v[i] = hicov_state_get_f64(in);
    rc = in->failed ? HICOV_PARSE
         : hicov_chart_add_series(c, name, v, n, flags, NULL);
    hicov_free(name);
  }
  hicov_free(v);
  return rc;
}

static int get_extras(HicovStateIn *in, HicovChart *c)
{
  int absent;
  double target = hicov_state_get_f64(in);
  char *tl = get_text(in, &absent);
  double marker = hicov_state_get_f64(in);
  char *ml = get_text(in, &absent);
  int sort = hicov_state_get_i32(in);
  double lo = hicov_state_get_f64(in), hi = hicov_state_get_f64(in);
  int zoomed = hicov_state_get_i32(in), tcolors = hicov_state_get_i32(in);
  int rc = in->failed ? HICOV_PARSE : HICOV_OK;
  if (!rc && !isnan(target))
    rc = hicov_chart_set_target(c, target, tl);
  if (!rc && !isnan(marker))
    rc = hicov_chart_set_marker(c, marker, ml);
  if (!rc)
    rc = hicov_chart_set_sort(c, sort);
  if (!rc && (!isnan(lo) || !isnan(hi)))
    rc = hicov_chart_set_value_range(c, lo, hi);
  if (!rc && zoomed)
    rc = hicov_chart_set_zoomed(c, 1);
  if (!rc && tcolors)
    rc = hicov_chart_set_target_colors(c, 1);
  hicov_free(tl);
  hicov_free(ml);
  return rc;
}

static int get_body(HicovStateIn *in, HicovChart *c)
{
  int rc = get_texts6(in, c);
  int format = hicov_state_get_i32(in), decimals = hicov_state_get_i32(in);
  int theme = hicov_state_get_i32(in), custom = hicov_state_get_i32(in);
  HicovChartColors colors;
  for (int i = 0; i < 4; i++)
    colors.background[i] = hicov_state_get_f64(in);
  for (int i = 0; i < 4; i++)
    colors.foreground[i] = hicov_state_get_f64(in);
  double font = hicov_state_get_f64(in);
  uint32_t n = hicov_state_get_u32(in);
  if (!rc && in->failed)
    rc = HICOV_PARSE;
  if (!rc)
    rc = hicov_chart_set_format(c, format, decimals);
  if (!rc)
    rc = hicov_chart_set_theme(c, theme);
  if (!rc && custom)
    rc = hicov_chart_set_colors(c, &colors);
  if (!rc)
    rc = hicov_chart_set_font_size(c, font);
  if (!rc && n > 100000)
    rc = HICOV_PARSE;
  if (!rc)
    rc = get_points(in, c, n);
  if (!rc)
    rc = get_series(in, c, n);
  if (!rc)
    rc = get_extras(in, c);
  if (!rc && in->p != in->end)
    rc = HICOV_PARSE;
  return rc;
}

int hicov_chart_deserialize(const void *data, size_t len, HicovChart **out)
{
  if (out)
    *out = NULL;
  HicovStateIn in; /* no message: the chart's API gives a status only */
  int rc = hicov_state_open(&in, data, len, HICOV_STATE_CHART, MAGIC, VERSION,
                            4, out != NULL, NULL, 0);
  if (rc)
    return rc;
  HicovChart *c = NULL;
  rc = hicov_chart_new(hicov_state_get_i32(&in), &c);
  if (rc == HICOV_INVALID)
    rc = HICOV_PARSE;
  if (!rc)
    rc = get_body(&in, c);
  if (rc) {
    hicov_chart_free(c);
    /* anything the setters refuse is bytes no chart wrote */
    return rc == HICOV_NOMEM ? rc : HICOV_PARSE;
  }
  *out = c;
  return HICOV_OK;
}

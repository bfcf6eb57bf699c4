/* chart-map.c - the choropleth (HICOV_CHART_MAP): shapes from plain rings
 * of lon/lat points, coloured by class, with a legend and a note.
 *
 * The projection and the classes are documented in hicov-chart.h.  Layout:
 * titles (chart-render.c), then the map fitted into what the legend below
 * leaves, the note in a box at the map's top-left corner. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart-private.h"

#define MAP_MAX_CLASSES 7

/* ColorBrewer "Blues" (Brewer, colorbrewer2.org), light to dark:
 * sequential and colour-blind safe; n classes interpolate it. */
static const Rgba blues[] = {
  { 0.937, 0.953, 1.000, 1 }, { 0.741, 0.843, 0.906, 1 },
  { 0.420, 0.682, 0.839, 1 }, { 0.192, 0.510, 0.741, 1 },
  { 0.031, 0.318, 0.612, 1 },
};
static const Rgba below_target = { 0.988, 0.553, 0.349, 1 }; /* #fc8d59 */
static const Rgba met_target = { 0.000, 0.620, 0.451, 1 };   /* bluish green */
static const Rgba missing = { 0.800, 0.800, 0.800, 1 };

void hicov_chart_map_missing_color(double rgba[4])
{
  if (!rgba)
    return;
  rgba[0] = missing.r;
  rgba[1] = missing.g;
  rgba[2] = missing.b;
  rgba[3] = missing.a;
}

void chart_map_clear(HicovChart *c)
{
  for (size_t i = 0; c->shapes && i < c->n; i++) {
    hicov_free(c->shapes[i].xy);
    hicov_free(c->shapes[i].ring_len);
  }
  hicov_free(c->shapes);
  c->shapes = NULL;
  c->map_breaks_ok = 0;
}

int hicov_chart_set_shape(HicovChart *c, size_t i, const double *xy,
                          size_t n_points, const size_t *ring_len,
                          size_t n_rings)
{
  if (!c || c->kind != HICOV_CHART_MAP || i >= c->n ||
      (n_rings && (!xy || !ring_len)))
    return HICOV_INVALID;
  size_t sum = 0;
  for (size_t k = 0; k < n_rings; k++)
    sum += ring_len[k];
  if (sum != n_points) {
    chart_set_error(c, T_(c->lang, "shape %zu: the rings have %zu points, "
                                   "not %zu"),
                    i, sum, n_points);
    return HICOV_INVALID;
  }
  for (size_t k = 0; k < 2 * n_points; k++)
    if (!isfinite(xy[k]) || fabs(xy[k]) > 540.0)
      return HICOV_INVALID;
  if (!c->shapes) {
    c->shapes = hicov_calloc(c->n, sizeof *c->shapes);
    if (!c->shapes)
      return HICOV_NOMEM;
  }
  ChartShape *s = &c->shapes[i];
  double *pts = n_points ? hicov_malloc(2 * n_points * sizeof *pts) : NULL;
  size_t *rl = n_rings ? hicov_malloc(n_rings * sizeof *rl) : NULL;
  if ((n_points && !pts) || (n_rings && !rl)) {
    hicov_free(pts);
    hicov_free(rl);
    return HICOV_NOMEM;
  }
  if (n_points)
    memcpy(pts, xy, 2 * n_points * sizeof *pts);
  if (n_rings)
    memcpy(rl, ring_len, n_rings * sizeof *rl);
  hicov_free(s->xy);
  hicov_free(s->ring_len);
  s->xy = pts;
  s->npoints = n_points;
  s->ring_len = rl;
  s->nrings = n_rings;
  c->map_breaks_ok = 0;
  return HICOV_OK;
}

int hicov_chart_set_map_classes(HicovChart *c, int mode, int n)
{
  if (!c || mode < HICOV_MAP_CLASSES_QUANTILE ||
      mode > HICOV_MAP_CLASSES_TARGET || n < 2 || n > MAP_MAX_CLASSES)
    return HICOV_INVALID;
  c->map_classes = mode;
  c->map_nclasses = n;
  c->map_breaks_ok = 0;
  return HICOV_OK;
}

int hicov_chart_set_map_note(HicovChart *c, const char *note)
{
  if (!c)
    return HICOV_INVALID;
  char *copy = note && note[0] ? hicov_strdup(note) : NULL;
  if (note && note[0] && !copy)
    return HICOV_NOMEM;
  hicov_free(c->map_note);
  c->map_note = copy;
  return HICOV_OK;
}

const char *hicov_chart_map_note(const HicovChart *c)
{
  return c ? c->map_note : NULL;
}

/* ---- classes ------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int has_shape(const HicovChart *c, size_t i)
{
  return c->shapes && c->shapes[i].nrings > 0;
}

static double point_value(const HicovChart *c, size_t i)
{
  return c->nseries ? c->series[0].values[i] : NAN;
}

/* Fills map_breaks (count+1 bounds) from the values of units with a shape;
 * the count is kept in map_nbreaks_valid (0: no finite value). */
static int compute_breaks(HicovChart *c)
{
  hicov_free(c->map_breaks);
  c->map_breaks = NULL;
  c->map_nbreaks_valid = 0;
  double *v = hicov_malloc((c->n ? c->n : 1) * sizeof *v);
  double *b = hicov_malloc((MAP_MAX_CLASSES + 2) * sizeof *b);
  if (!v || !b) {
    hicov_free(v);
    hicov_free(b);
    return HICOV_NOMEM;
  }
  size_t m = 0;
  for (size_t i = 0; i < c->n; i++)
    if (has_shape(c, i) && isfinite(point_value(c, i)))
      v[m++] = point_value(c, i);
  int nb = 0;
  if (m > 0) {
    qsort(v, m, sizeof *v, cmp_double);
    double lo = v[0], hi = v[m - 1];
    int n = c->map_nclasses;
    if (c->map_classes == HICOV_MAP_CLASSES_TARGET && isfinite(c->target)) {
      b[0] = fmin(lo, c->target);
      b[1] = c->target;
      b[2] = fmax(hi, c->target);
      nb = 2;
    } else if (c->map_classes == HICOV_MAP_CLASSES_EQUAL) {
      nb = hi > lo ? n : 1;
      for (int k = 0; k < nb; k++)
        b[k] = lo + (hi - lo) * k / nb;
      b[nb] = hi;
    } else { /* quantiles; equal bounds merge */
      for (int k = 0; k < n; k++) {
        double x = v[(size_t)k * m / (size_t)n];
        if (nb == 0 || x > b[nb - 1])
          b[nb++] = x;
      }
      b[nb] = hi;
    }
  }
  hicov_free(v);
  c->map_breaks = b;
  c->map_nbreaks_valid = nb;
  return HICOV_OK;
}

static int ensure_breaks(HicovChart *c)
{
  if (c->map_breaks_ok)
    return HICOV_OK;
  int rc = compute_breaks(c);
  c->map_breaks_ok = rc == HICOV_OK;
  return rc;
}

static int class_of(const HicovChart *c, double v)
{
  int nb = c->map_nbreaks_valid;
  if (!isfinite(v) || nb == 0)
    return -1;
  int k = 0;
  while (k + 1 < nb && v >= c->map_breaks[k + 1])
    k++;
  return k;
}

static Rgba class_color(const HicovChart *c, int k)
{
  int nb = c->map_nbreaks_valid;
  if (k < 0)
    return missing;
  if (c->map_classes == HICOV_MAP_CLASSES_TARGET && isfinite(c->target))
    return k == 0 ? below_target : met_target;
  /* n classes spread over the ramp: light for the lowest */
  double t = nb > 1 ? (double)k / (nb - 1) * 4.0 : 2.0;
  int lo = (int)floor(t);
  if (lo >= 4)
    return blues[4];
  return chart_mix(blues[lo], blues[lo + 1], t - lo);
}

int hicov_chart_map_class_count(HicovChart *c)
{
  if (!c || c->kind != HICOV_CHART_MAP || ensure_breaks(c))
    return 0;
  return c->map_nbreaks_valid;
}

int hicov_chart_map_class(HicovChart *c, size_t i)
{
  if (!c || c->kind != HICOV_CHART_MAP || i >= c->n || !has_shape(c, i) ||
      ensure_breaks(c))
    return -1;
  return class_of(c, point_value(c, i));
}

int hicov_chart_map_class_info(HicovChart *c, int k, double *lo, double *hi,
                               double rgba[4])
{
  if (!c || c->kind != HICOV_CHART_MAP || ensure_breaks(c) || k < 0 ||
      k >= c->map_nbreaks_valid)
    return HICOV_INVALID;
  if (lo)
    *lo = c->map_breaks[k];
  if (hi)
    *hi = c->map_breaks[k + 1];
  Rgba col = class_color(c, k);
  if (rgba) {
    rgba[0] = col.r;
    rgba[1] = col.g;
    rgba[2] = col.b;
    rgba[3] = col.a;
  }
  return HICOV_OK;
}

/* ---- projection -------------------------------------------------------- */

/* Bounding box of every shape in projected units; 0 if none. */
static int projected_box(HicovChart *c, double box[4])
{
  double lon0 = 0, lon1 = 0, lat0 = 0, lat1 = 0;
  int any = 0;
  for (size_t i = 0; i < c->n; i++) {
    if (!has_shape(c, i))
      continue;
    const ChartShape *s = &c->shapes[i];
    for (size_t p = 0; p < s->npoints; p++) {
      double lon = s->xy[2 * p], lat = s->xy[2 * p + 1];
      if (!any) {
        lon0 = lon1 = lon;
        lat0 = lat1 = lat;
        any = 1;
      }
      lon0 = fmin(lon0, lon);
      lon1 = fmax(lon1, lon);
      lat0 = fmin(lat0, lat);
      lat1 = fmax(lat1, lat);
    }
  }
  if (!any)
    return 0;
  c->map_lon0 = (lon0 + lon1) / 2;
  c->map_lat0 = (lat0 + lat1) / 2;
  double k = cos(c->map_lat0 * M_PI / 180.0);
  box[0] = (lon0 - c->map_lon0) * k;
  box[1] = (lon1 - c->map_lon0) * k;
  box[2] = lat0 - c->map_lat0;
  box[3] = lat1 - c->map_lat0;
  return 1;
}

static void to_screen(const HicovChart *c, double lon, double lat, double *x,
                      double *y)
{
  double k = cos(c->map_lat0 * M_PI / 180.0);
  *x = c->map_ox + c->map_k * (lon - c->map_lon0) * k;
  *y = c->map_oy - c->map_k * (lat - c->map_lat0);
}

/* Appends shape s to the path, dropping points within tol (user units) of
 * the last point kept: detail finer than a pixel that a raster cannot show
 * and that would only cost time (a national map has 200,000 points).  b
 * gets the shape's box. */
static void shape_path(cairo_t *cr, const HicovChart *c, const ChartShape *s,
                       double tol, double b[4])
{
  double kx = c->map_k * cos(c->map_lat0 * M_PI / 180.0), ky = c->map_k;
  size_t p = 0;
  b[0] = b[1] = INFINITY;
  b[2] = b[3] = -INFINITY;
  for (size_t r = 0; r < s->nrings; r++) {
    size_t n = s->ring_len[r];
    double lx = 0, ly = 0;
    for (size_t q = 0; q < n; q++, p++) {
      double x = c->map_ox + kx * (s->xy[2 * p] - c->map_lon0);
      double y = c->map_oy - ky * (s->xy[2 * p + 1] - c->map_lat0);
      b[0] = fmin(b[0], x);
      b[1] = fmin(b[1], y);
      b[2] = fmax(b[2], x);
      b[3] = fmax(b[3], y);
      if (q == 0) {
        cairo_move_to(cr, x, y);
      } else if (q + 1 == n || fabs(x - lx) >= tol || fabs(y - ly) >= tol) {
        cairo_line_to(cr, x, y);
      } else {
        continue;
      }
      lx = x;
      ly = y;
    }
    cairo_close_path(cr);
  }
}

/* ---- legend ------------------------------------------------------------- */

typedef struct {
  char text[160];
  Rgba col;
} LegendEntry;

static int legend_entries(R *r, LegendEntry *e)
{
  HicovChart *c = r->c;
  int n = 0, nb = c->map_nbreaks_valid;
  for (int k = 0; k < nb; k++) {
    char lo[64], hi[64];
    chart_format_value(c, c->map_breaks[k], c->decimals, lo, sizeof lo);
    chart_format_value(c, c->map_breaks[k + 1], c->decimals, hi, sizeof hi);
    if (c->map_classes == HICOV_MAP_CLASSES_TARGET && isfinite(c->target)) {
      char t[64];
      chart_format_value(c, c->target, c->decimals, t, sizeof t);
      snprintf(e[n].text, sizeof e[n].text,
               k == 0 ? T_(c->lang, "below the target (%s)")
                      : T_(c->lang, "at or above the target (%s)"),
               t);
    } else {
      snprintf(e[n].text, sizeof e[n].text, "%s \xe2\x80\x93 %s", lo, hi);
    }
    e[n++].col = class_color(c, k);
  }
  int any_missing = 0;
  for (size_t i = 0; i < c->n; i++)
    if (has_shape(c, i) && !isfinite(point_value(c, i)))
      any_missing = 1;
  if (any_missing || nb == 0) {
    snprintf(e[n].text, sizeof e[n].text, "%s", T_(c->lang, "no data"));
    e[n++].col = missing;
  }
  return n;
}

/* Legend rows under the map, wrapped; returns the height (draw 0: only
 * measures). */
static double draw_map_legend(R *r, const LegendEntry *e, int n, double y0,
                              int draw)
{
  double sw = r->fs * 1.1, gap = r->fs * 0.4, lh = chart_line_height(r, 0.9);
  double x = r->pad, y = y0, right = r->w - r->pad;
  for (int k = 0; k < n; k++) {
    double tw = chart_text_width(r, e[k].text, 0.9, 0);
    double need = sw + gap + tw + r->fs;
    if (x > r->pad && x + need > right) {
      x = r->pad;
      y += lh + gap;
    }
    if (draw) {
      cairo_rectangle(r->cr, x, y + (lh - sw) / 2, sw, sw);
      chart_set_rgba(r->cr, e[k].col);
      cairo_fill_preserve(r->cr);
      chart_set_rgba(r->cr, r->axis);
      cairo_set_line_width(r->cr, 0.5);
      cairo_stroke(r->cr);
      chart_text_set(r, e[k].text, 0.9, 0, 0, 0);
      chart_text_draw(r, x + sw + gap, y, r->fg);
    }
    x += need;
  }
  return y - y0 + lh;
}

static void draw_note(R *r, double x, double y)
{
  HicovChart *c = r->c;
  if (!c->map_note)
    return;
  double tw, th, m = r->fs * 0.4;
  chart_text_set(r, c->map_note, 0.9, 1, r->w * 0.6, 2);
  chart_text_size(r, &tw, &th);
  Rgba tint = r->target; /* a wash of the text's colour: any background */
  tint.a = 0.12;
  cairo_rectangle(r->cr, x, y, tw + 2 * m, th + 2 * m);
  chart_set_rgba(r->cr, tint);
  cairo_fill_preserve(r->cr);
  chart_set_rgba(r->cr, r->target);
  cairo_set_line_width(r->cr, 1);
  cairo_stroke(r->cr);
  chart_text_draw(r, x + m, y + m, r->target);
}

/* Borders only where they can be seen: when the median unit is at least
 * 12 units (pixels) across.  A national map of 3,321 communes has units a
 * few pixels wide, whose borders would cover them, and stroking 200,000
 * points is most of the time of drawing it. */
static int borders_wanted(const HicovChart *c, int *wanted)
{
  double *size = hicov_malloc((c->n ? c->n : 1) * sizeof *size);
  if (!size)
    return HICOV_NOMEM;
  size_t m = 0;
  double kx = c->map_k * cos(c->map_lat0 * M_PI / 180.0), ky = c->map_k;
  for (size_t i = 0; i < c->n; i++) {
    if (!has_shape(c, i))
      continue;
    const ChartShape *s = &c->shapes[i];
    double b[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
    for (size_t p = 0; p < s->npoints; p++) {
      b[0] = fmin(b[0], s->xy[2 * p]);
      b[1] = fmin(b[1], s->xy[2 * p + 1]);
      b[2] = fmax(b[2], s->xy[2 * p]);
      b[3] = fmax(b[3], s->xy[2 * p + 1]);
    }
    size[m++] = fmax((b[2] - b[0]) * kx, (b[3] - b[1]) * ky);
  }
  qsort(size, m, sizeof *size, cmp_double);
  *wanted = m > 0 && size[m / 2] >= 12.0;
  hicov_free(size);
  return HICOV_OK;
}

int chart_map_render(R *r, double top)
{
  HicovChart *c = r->c;
  double box[4];
  if (c->n == 0 || !projected_box(c, box)) {
    chart_draw_empty(r, top);
    return HICOV_OK;
  }
  if (ensure_breaks(c))
    return HICOV_NOMEM;
  LegendEntry e[MAP_MAX_CLASSES + 2];
  int ne = legend_entries(r, e);
  double lh = draw_map_legend(r, e, ne, 0, 0);
  /* the note gets its own row above the map, never on a shape */
  double note_h = 0;
  if (c->map_note) {
    chart_text_set(r, c->map_note, 0.9, 1, r->w * 0.6, 2);
    chart_text_size(r, NULL, &note_h);
    note_h += r->fs * 0.8 + r->fs * 0.5;
  }
  double area_top = top + note_h;
  double area_h = r->h - area_top - lh - 2 * r->pad;
  double area_w = r->w - 2 * r->pad;
  if (area_h < 10 || area_w < 10)
    return HICOV_OK;
  double bw = fmax(box[1] - box[0], 1e-9), bh = fmax(box[3] - box[2], 1e-9);
  c->map_k = fmin(area_w / bw, area_h / bh);
  c->map_ox = r->pad + (area_w - bw * c->map_k) / 2 - box[0] * c->map_k;
  c->map_oy = area_top + (area_h - bh * c->map_k) / 2 + box[3] * c->map_k;
  c->rendered = 1;

  cairo_t *cr = r->cr;
  /* points closer than half a device pixel are dropped from the fills,
   * closer than a pixel from the borders (raster: a 300 dpi PNG keeps its
   * detail); 0.05 pt in SVG and PDF */
  double ux = 1, uy = 0;
  cairo_user_to_device_distance(r->cr, &ux, &uy);
  double px = hypot(ux, uy) > 0 ? 1 / hypot(ux, uy) : 1; /* a device pixel */
  double tol = r->raster ? 0.5 * px : 0.05, box4[4];
  int draw_borders = 1;
  cairo_save(cr);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
  /* borders in the page's colour: white on a light theme (dark text),
   * near black on a dark one; the background itself may be transparent */
  int light = r->fg.r + r->fg.g + r->fg.b < 1.5;
  Rgba edge = light ? (Rgba){ 1, 1, 1, 1 } : (Rgba){ 0.12, 0.12, 0.13, 1 };
  int rc = borders_wanted(c, &draw_borders);
  /* one fill per class (shapes never overlap), then every border in one
   * stroke: a few cairo calls however many units */
  for (int k = -1; rc == HICOV_OK && k < c->map_nbreaks_valid; k++) {
    cairo_new_path(cr);
    int any = 0;
    for (size_t i = 0; i < c->n; i++) {
      if (!has_shape(c, i) || class_of(c, point_value(c, i)) != k)
        continue;
      shape_path(cr, c, &c->shapes[i], tol, box4);
      rc = chart_add_item(c, HICOV_CHART_HIT_SHAPE, 0, i,
                          (ChartRect){ box4[0], box4[1], box4[2] - box4[0],
                                       box4[3] - box4[1] });
      if (rc != HICOV_OK)
        break;
      any = 1;
    }
    if (any) {
      chart_set_rgba(cr, class_color(c, k));
      cairo_fill(cr);
    }
  }
  cairo_new_path(cr);
  if (draw_borders) {
    for (size_t i = 0; i < c->n; i++)
      if (has_shape(c, i))
        shape_path(cr, c, &c->shapes[i], 2 * tol, box4);
    chart_set_rgba(cr, edge);
    cairo_set_line_width(cr, fmax(r->fs * 0.06, 0.5));
    cairo_stroke(cr);
  }
  /* highlighted units on top, outlined in the foreground colour */
  for (size_t i = 0; i < c->n; i++) {
    if (!has_shape(c, i) || !c->highlight || !c->highlight[i])
      continue;
    shape_path(cr, c, &c->shapes[i], tol, box4);
    chart_set_rgba(cr, r->fg);
    cairo_set_line_width(cr, r->fs * 0.22);
    cairo_stroke(cr);
  }
  cairo_restore(cr);
  draw_note(r, r->pad, top);
  draw_map_legend(r, e, ne, r->h - r->pad - lh, 1);
  return rc;
}

/* ---- hit testing ------------------------------------------------------- */

/* Even-odd test of (x, y) in screen units against shape s. */
static int inside(const HicovChart *c, const ChartShape *s, double x,
                  double y)
{
  int in = 0;
  size_t p = 0;
  for (size_t r = 0; r < s->nrings; r++) {
    size_t n = s->ring_len[r];
    for (size_t q = 0, j = n - 1; q < n; j = q++) {
      double xi, yi, xj, yj;
      to_screen(c, s->xy[2 * (p + q)], s->xy[2 * (p + q) + 1], &xi, &yi);
      to_screen(c, s->xy[2 * (p + j)], s->xy[2 * (p + j) + 1], &xj, &yj);
      if ((yi > y) != (yj > y) &&
          x < (xj - xi) * (y - yi) / (yj - yi) + xi)
        in = !in;
    }
    p += n;
  }
  return in;
}

long chart_map_hit(const HicovChart *c, double x, double y)
{
  if (!c->rendered)
    return -1;
  for (size_t i = 0; i < c->n; i++)
    if (has_shape(c, i) && inside(c, &c->shapes[i], x, y))
      return (long)i;
  return -1;
}

int hicov_chart_map_shape_point(const HicovChart *c, size_t i, double *x,
                                double *y)
{
  if (!c || !x || !y || c->kind != HICOV_CHART_MAP || i >= c->n ||
      !c->rendered || !has_shape(c, i))
    return HICOV_NOTFOUND;
  /* the area centroid of the first ring, else points along a scan line
   * through its middle */
  const ChartShape *s = &c->shapes[i];
  double a = 0, cx = 0, cy = 0;
  size_t n = s->ring_len[0];
  for (size_t q = 0, j = n - 1; q < n; j = q++) {
    double xi, yi, xj, yj;
    to_screen(c, s->xy[2 * q], s->xy[2 * q + 1], &xi, &yi);
    to_screen(c, s->xy[2 * j], s->xy[2 * j + 1], &xj, &yj);
    double f = xj * yi - xi * yj;
    a += f;
    cx += (xi + xj) * f;
    cy += (yi + yj) * f;
  }
  if (fabs(a) > 1e-9) {
    cx /= 3 * a;
    cy /= 3 * a;
    if (chart_map_hit(c, cx, cy) == (long)i) {
      *x = cx;
      *y = cy;
      return HICOV_OK;
    }
  }
  for (size_t q = 0; q < n; q++) { /* vertices nudged towards the centre */
    double xi, yi;
    to_screen(c, s->xy[2 * q], s->xy[2 * q + 1], &xi, &yi);
    for (double t = 0.05; t < 1; t += 0.1) {
      double px = xi + (cx - xi) * t, py = yi + (cy - yi) * t;
      if (chart_map_hit(c, px, py) == (long)i) {
        *x = px;
        *y = py;
        return HICOV_OK;
      }
    }
  }
  return HICOV_NOTFOUND;
}

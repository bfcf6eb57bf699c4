/* chart-render.c - lays out and draws a chart with cairo and Pango.
 *
 * The layers follow sysprof: an axis maps a value to 0..1, and each layer
 * (grid, columns, stacks, bars, lines, annotations) multiplies by the plot
 * rectangle.  Layout first measures every text with Pango (titles, legend,
 * tick labels, category labels) so nothing overlaps: category labels are
 * thinned, long unit names ellipsized.  Pixel snapping only for raster. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart-private.h"

/* Okabe & Ito (2008) colour-blind-safe palette; vermillion is kept for the
 * target line, so it is not a series colour. */
static const Rgba palette_light[] = {
  { 0.000, 0.447, 0.698, 1 }, /* blue */
  { 0.902, 0.624, 0.000, 1 }, /* orange */
  { 0.000, 0.620, 0.451, 1 }, /* bluish green */
  { 0.800, 0.475, 0.655, 1 }, /* reddish purple */
  { 0.337, 0.706, 0.914, 1 }, /* sky blue */
  { 0.941, 0.894, 0.259, 1 }, /* yellow */
};
static const Rgba palette_dark[] = {
  { 0.337, 0.706, 0.914, 1 }, /* sky blue */
  { 0.902, 0.624, 0.000, 1 }, /* orange */
  { 0.000, 0.620, 0.451, 1 }, /* bluish green */
  { 0.800, 0.475, 0.655, 1 }, /* reddish purple */
  { 0.941, 0.894, 0.259, 1 }, /* yellow */
  { 0.000, 0.447, 0.698, 1 }, /* blue */
};
#define N_PALETTE 6

Rgba chart_mix(Rgba a, Rgba b, double t)
{
  Rgba m = { a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t,
             a.b + (b.b - a.b) * t, 1 };
  return m;
}

void chart_set_rgba(cairo_t *cr, Rgba c)
{
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

static void setup_colors(R *r)
{
  HicovChart *c = r->c;
  if (c->custom_colors) {
    const double *b = c->colors.background, *f = c->colors.foreground;
    r->bg = (Rgba){ b[0], b[1], b[2], b[3] };
    r->fg = (Rgba){ f[0], f[1], f[2], f[3] };
  } else if (c->theme == HICOV_CHART_THEME_DARK) {
    r->bg = (Rgba){ 0.118, 0.118, 0.125, 1 };
    r->fg = (Rgba){ 0.91, 0.91, 0.92, 1 };
  } else {
    r->bg = (Rgba){ 1, 1, 1, 1 };
    r->fg = (Rgba){ 0.13, 0.14, 0.16, 1 };
  }
  /* grid and muted text are mixed against an opaque background */
  Rgba solid_bg = r->bg;
  solid_bg.a = 1;
  int dark = (r->fg.r + r->fg.g + r->fg.b) > (solid_bg.r + solid_bg.g +
                                               solid_bg.b);
  r->muted = chart_mix(r->fg, solid_bg, 0.38);
  r->grid = chart_mix(r->fg, solid_bg, dark ? 0.82 : 0.88);
  r->axis = chart_mix(r->fg, solid_bg, 0.45);
  r->target = dark ? (Rgba){ 0.96, 0.42, 0.10, 1 }
                   : (Rgba){ 0.835, 0.369, 0.000, 1 }; /* vermillion */
  r->highlight = (Rgba){ 0.902, 0.624, 0.000, 1 };     /* orange */
  r->met = (Rgba){ 0.000, 0.620, 0.451, 1 };           /* bluish green */
  r->unmet = (Rgba){ 0.800, 0.475, 0.655, 1 };         /* reddish purple */
}

int chart_is_dark(const R *r)
{
  return (r->fg.r + r->fg.g + r->fg.b) > (r->bg.r + r->bg.g + r->bg.b);
}

/* Colour of series s: a projection takes the colour of the series before
 * it (the one it projects); others take the next palette slot. */
static Rgba series_color(const R *r, size_t s)
{
  const HicovChart *c = r->c;
  size_t slot = 0;
  long owner = -1;
  for (size_t i = 0; i <= s; i++) {
    if (c->series[i].flags & HICOV_SERIES_PROJECTED) {
      if (i == s && owner >= 0)
        break;
      if (i == s)
        owner = (long)slot++;
    } else {
      owner = (long)slot++;
    }
  }
  const Rgba *pal = chart_is_dark(r) ? palette_dark : palette_light;
  return pal[(size_t)owner % N_PALETTE];
}

/* ---- text ---------------------------------------------------------------- */

/* Prepares the shared layout: size relative to fs, optional bold, width
 * limit (<= 0: none) with ellipsizing, max_lines (0: 1 line). */
void chart_text_set(R *r, const char *text, double rel, int bold,
                     double max_width, int max_lines)
{
  pango_font_description_set_absolute_size(r->font,
                                            r->fs * rel * PANGO_SCALE);
  pango_font_description_set_weight(r->font, bold ? PANGO_WEIGHT_BOLD
                                                  : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(r->layout, r->font);
  pango_layout_set_text(r->layout, text ? text : "", -1);
  if (max_width > 0) {
    pango_layout_set_width(r->layout, (int)(max_width * PANGO_SCALE));
    pango_layout_set_ellipsize(r->layout, PANGO_ELLIPSIZE_END);
    pango_layout_set_wrap(r->layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_height(r->layout, max_lines > 1 ? -max_lines : -1);
  } else {
    pango_layout_set_width(r->layout, -1);
    pango_layout_set_ellipsize(r->layout, PANGO_ELLIPSIZE_NONE);
    pango_layout_set_height(r->layout, -1);
  }
  pango_layout_set_alignment(r->layout, PANGO_ALIGN_LEFT);
}

void chart_text_size(R *r, double *w, double *h)
{
  PangoRectangle logical;
  pango_layout_get_extents(r->layout, NULL, &logical);
  if (w)
    *w = (double)logical.width / PANGO_SCALE;
  if (h)
    *h = (double)logical.height / PANGO_SCALE;
}

/* Measures text without drawing it. */
double chart_text_width(R *r, const char *text, double rel, int bold)
{
  double w;
  chart_text_set(r, text, rel, bold, 0, 0);
  chart_text_size(r, &w, NULL);
  return w;
}

double chart_line_height(R *r, double rel)
{
  double h;
  chart_text_set(r, "Ág", rel, 0, 0, 0);
  chart_text_size(r, NULL, &h);
  return h;
}

/* Draws the prepared layout with its top-left at (x, y). */
void chart_text_draw(R *r, double x, double y, Rgba col)
{
  PangoRectangle logical;
  pango_layout_get_extents(r->layout, NULL, &logical);
  chart_set_rgba(r->cr, col);
  cairo_move_to(r->cr, x - (double)logical.x / PANGO_SCALE, y);
  pango_cairo_show_layout(r->cr, r->layout);
  cairo_new_path(r->cr);
}

/* ---- pixel snapping -------------------------------------------------- */

/* Snaps a coordinate of a line of width lw user units: odd device widths
 * sit on half pixels (floor + .5), even ones on whole pixels. */
static double snap(R *r, double v, int vertical_line, double lw)
{
  if (!r->raster)
    return v;
  double x = vertical_line ? v : 0, y = vertical_line ? 0 : v;
  cairo_user_to_device(r->cr, &x, &y);
  double dw = lw, dh = lw;
  cairo_user_to_device_distance(r->cr, &dw, &dh);
  double d = vertical_line ? x : y;
  long px = lround(fabs(vertical_line ? dw : dh));
  d = (px % 2) ? floor(d) + 0.5 : floor(d + 0.5);
  if (vertical_line)
    x = d;
  else
    y = d;
  cairo_device_to_user(r->cr, &x, &y);
  return vertical_line ? x : y;
}

/* Snaps the edges of a filled rectangle to whole pixels (raster only). */
static ChartRect snap_rect(R *r, ChartRect b)
{
  if (!r->raster)
    return b;
  double x0 = b.x, y0 = b.y, x1 = b.x + b.w, y1 = b.y + b.h;
  cairo_user_to_device(r->cr, &x0, &y0);
  cairo_user_to_device(r->cr, &x1, &y1);
  x0 = floor(x0 + 0.5);
  y0 = floor(y0 + 0.5);
  x1 = floor(x1 + 0.5);
  y1 = floor(y1 + 0.5);
  if (fabs(x1 - x0) < 1)
    x1 = x0 + (x1 >= x0 ? 1 : -1);
  if (fabs(y1 - y0) < 1 && b.h > 0)
    y1 = y0 + (y1 >= y0 ? 1 : -1);
  cairo_device_to_user(r->cr, &x0, &y0);
  cairo_device_to_user(r->cr, &x1, &y1);
  ChartRect s = { fmin(x0, x1), fmin(y0, y1), fabs(x1 - x0), fabs(y1 - y0) };
  return s;
}

static void hline(R *r, double x0, double x1, double y, double lw, Rgba col)
{
  y = snap(r, y, 0, lw);
  cairo_set_line_width(r->cr, lw);
  chart_set_rgba(r->cr, col);
  cairo_move_to(r->cr, x0, y);
  cairo_line_to(r->cr, x1, y);
  cairo_stroke(r->cr);
}

static void vline(R *r, double x, double y0, double y1, double lw, Rgba col)
{
  x = snap(r, x, 1, lw);
  cairo_set_line_width(r->cr, lw);
  chart_set_rgba(r->cr, col);
  cairo_move_to(r->cr, x, y0);
  cairo_line_to(r->cr, x, y1);
  cairo_stroke(r->cr);
}

/* ---- values and axes --------------------------------------------------- */

double chart_axis_fraction(const HicovChart *c, double v)
{
  double lo = c->ticks.min, hi = c->ticks.max;
  /* halves keep huge spans finite */
  return (v / 2 - lo / 2) / (hi / 2 - lo / 2);
}

static double value_pos(const R *r, double v)
{
  const HicovChart *c = r->c;
  double f = chart_axis_fraction(c, v);
  if (c->horizontal)
    return c->plot.x + f * c->plot.w;
  return c->plot.y + c->plot.h - f * c->plot.h;
}

/* Horizontal centre of point i (vertical kinds). */
static double point_x(const HicovChart *c, size_t i)
{
  if (c->x && c->kind == HICOV_CHART_LINE) {
    double pad = fmin(c->plot.w * 0.04, 24.0);
    if (c->xmax == c->xmin)
      return c->plot.x + c->plot.w / 2;
    return c->plot.x + pad +
           (c->x[i] - c->xmin) / (c->xmax - c->xmin) * (c->plot.w - 2 * pad);
  }
  double band = c->plot.w / (double)c->n;
  return c->plot.x + band * ((double)i + 0.5);
}

/* Position of a marker x (x value or fractional category index). */
static double marker_pos(const HicovChart *c, double x)
{
  if (c->x && c->kind == HICOV_CHART_LINE) {
    double pad = fmin(c->plot.w * 0.04, 24.0);
    if (c->xmax == c->xmin)
      return c->plot.x + c->plot.w / 2;
    return c->plot.x + pad +
           (x - c->xmin) / (c->xmax - c->xmin) * (c->plot.w - 2 * pad);
  }
  double band = c->plot.w / (double)c->n;
  return c->plot.x + band * (x + 0.5);
}

static int stacked(const HicovChart *c)
{
  return c->kind == HICOV_CHART_STACKED;
}

/* Data range of the value axis, including the target and forced range.
 * Returns 0 when nothing is finite. */
static int value_range(const HicovChart *c, double *lo, double *hi)
{
  double mn = INFINITY, mx = -INFINITY;
  size_t nser = c->nseries;
  if (c->kind == HICOV_CHART_BAR_RANKED && nser > 1)
    nser = 1;
  if (stacked(c)) {
    for (size_t i = 0; i < c->n; i++) {
      double pos = 0, neg = 0;
      int any = 0;
      for (size_t s = 0; s < nser; s++) {
        double v = c->series[s].values[i];
        if (!isfinite(v))
          continue;
        any = 1;
        if (v >= 0)
          pos += v;
        else
          neg += v;
      }
      if (any) {
        mn = fmin(mn, neg);
        mx = fmax(mx, pos);
      }
    }
  } else {
    for (size_t s = 0; s < nser; s++)
      for (size_t i = 0; i < c->n; i++) {
        double v = c->series[s].values[i];
        if (isfinite(v)) {
          mn = fmin(mn, v);
          mx = fmax(mx, v);
        }
      }
  }
  if (!isfinite(mn))
    return 0;
  if (isfinite(c->target)) {
    mn = fmin(mn, c->target);
    mx = fmax(mx, c->target);
  }
  if (isfinite(c->range_min))
    mn = fmin(mn, c->range_min);
  if (isfinite(c->range_max))
    mx = fmax(mx, c->range_max);
  *lo = mn;
  *hi = mx;
  return 1;
}

/* Ticks of the value axis for a plot length of `len` user units. */
static int compute_ticks(R *r, double len, double spacing)
{
  HicovChart *c = r->c;
  double lo, hi;
  if (!value_range(c, &lo, &hi))
    return HICOV_MISSING;
  /* room above the tallest column for its value label */
  if ((c->kind == HICOV_CHART_COLUMN || c->kind == HICOV_CHART_STACKED) &&
      hi > 0 && len > 0) {
    double room = chart_line_height(r, 0.8) * 1.4 / len;
    if (room < 0.5)
      hi += (hi - fmin(lo, 0)) * room / (1 - room);
  }
  int max_int = (int)floor(len / spacing);
  if (max_int < 1)
    max_int = 1;
  if (max_int > 6)
    max_int = 6;
  /* bars need their base; counts and money keep zero when all positive */
  int zero = c->kind != HICOV_CHART_LINE ||
             c->format == HICOV_CHART_FORMAT_COUNT ||
             c->format == HICOV_CHART_FORMAT_MONEY;
  if (c->kind == HICOV_CHART_BAR_RANKED && c->zoomed)
    zero = 0;
  int rc = hicov_axis_nice(lo, hi, max_int, zero, &c->ticks);
  if (rc != HICOV_OK)
    return rc;
  if (c->format == HICOV_CHART_FORMAT_COUNT && c->ticks.step < 1) {
    /* a count axis never shows fractions of a person */
    double first = floor(c->ticks.min), last = ceil(c->ticks.max);
    if (last <= first)
      last = first + 1;
    c->ticks.step = 1;
    c->ticks.first_index = first;
    c->ticks.count = (int)(last - first) + 1;
    c->ticks.min = first;
    c->ticks.max = last;
    c->ticks.decimals = 0;
  }
  if (c->format == HICOV_CHART_FORMAT_PERCENT) {
    /* rates live in [0, 100]: do not run the axis past either end */
    while (c->ticks.count > 2 &&
           hicov_axis_tick(&c->ticks, c->ticks.count - 1) > 100 &&
           hicov_axis_tick(&c->ticks, c->ticks.count - 2) >= hi)
      c->ticks.count--;
    while (c->ticks.count > 2 && hicov_axis_tick(&c->ticks, 0) < 0 &&
           hicov_axis_tick(&c->ticks, 1) <= lo) {
      c->ticks.first_index += 1;
      c->ticks.count--;
    }
    c->ticks.min = hicov_axis_tick(&c->ticks, 0);
    c->ticks.max = hicov_axis_tick(&c->ticks, c->ticks.count - 1);
  }
  return HICOV_OK;
}

static void tick_label(R *r, double v, char *buf, size_t size)
{
  HicovChart *c = r->c;
  int dec = c->ticks.decimals;
  if (v == 0)
    v = 0; /* no "-0" */
  if (fabs(c->ticks.max) >= 1e15 || fabs(c->ticks.min) >= 1e15) {
    hicov_format_number(v, v == 0 ? 0 : 1, c->lang, buf, size);
    return;
  }
  switch (c->format) {
  case HICOV_CHART_FORMAT_PERCENT:
    hicov_format_percent(v, dec, c->lang, buf, size);
    break;
  case HICOV_CHART_FORMAT_MONEY: {
    double s = c->ticks.step / r->money_div;
    int d = s < 1 ? (int)ceil(-log10(s) - 1e-9) : 0;
    hicov_format_number(v / r->money_div, d > 9 ? 9 : d, c->lang, buf, size);
    break;
  }
  default:
    hicov_format_number(v, dec, c->lang, buf, size);
    break;
  }
}

/* The line above the value axis: the value title with the money unit. */
static void value_title_text(R *r, char *buf, size_t size)
{
  HicovChart *c = r->c;
  buf[0] = '\0';
  if (c->format == HICOV_CHART_FORMAT_MONEY) {
    const char *unit = hicov_money_unit_name(r->money_scale, c->lang);
    if (c->value_title)
      snprintf(buf, size, "%s (%s)", c->value_title, unit);
    else
      snprintf(buf, size, "%s", unit);
  } else if (c->value_title) {
    snprintf(buf, size, "%s", c->value_title);
  }
}

/* ---- titles and legend ------------------------------------------------- */

static double draw_titles(R *r, int draw)
{
  HicovChart *c = r->c;
  double y = r->pad, w = r->w - 2 * r->pad - c->title_inset, th;
  if (w < r->fs * 4) /* too narrow beside the inset: the whole width */
    w = r->w - 2 * r->pad;
  if (c->title) {
    chart_text_set(r, c->title, 1.35, 1, w, 2);
    chart_text_size(r, NULL, &th);
    if (draw)
      chart_text_draw(r, r->pad, y, r->fg);
    y += th + r->fs * 0.15;
  }
  if (c->subtitle) {
    chart_text_set(r, c->subtitle, 0.95, 0, w, 2);
    chart_text_size(r, NULL, &th);
    if (draw)
      chart_text_draw(r, r->pad, y, r->muted);
    y += th;
  }
  if (c->title || c->subtitle)
    y += r->fs * 0.7;
  return y;
}

static int has_legend(const HicovChart *c)
{
  if (c->kind == HICOV_CHART_BAR_RANKED)
    return 0;
  return c->nseries > 1;
}

static int series_is_line(const HicovChart *c, size_t s)
{
  return c->kind == HICOV_CHART_LINE || (c->kind == HICOV_CHART_DUAL && s > 0);
}

static void draw_marker(R *r, double x, double y, double rad, Rgba col,
                        int hollow)
{
  cairo_t *cr = r->cr;
  cairo_new_sub_path(cr);
  cairo_arc(cr, x, y, rad, 0, 2 * M_PI);
  if (hollow) {
    Rgba bg = r->bg;
    bg.a = 1;
    chart_set_rgba(cr, bg);
    cairo_fill_preserve(cr);
    chart_set_rgba(cr, col);
    cairo_set_line_width(cr, r->fs * 0.16);
    cairo_stroke(cr);
  } else {
    chart_set_rgba(cr, col);
    cairo_fill(cr);
  }
}

static void line_style(R *r, int projected)
{
  cairo_set_line_width(r->cr, r->fs * 0.22);
  cairo_set_line_join(r->cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(r->cr, CAIRO_LINE_CAP_ROUND);
  if (projected) {
    double dash[2] = { r->fs * 0.55, r->fs * 0.45 };
    cairo_set_dash(r->cr, dash, 2, 0);
    cairo_set_line_cap(r->cr, CAIRO_LINE_CAP_BUTT);
  } else {
    cairo_set_dash(r->cr, NULL, 0, 0);
  }
}

/* Does series s have a value to draw? */
static int series_has_values(const HicovChart *c, size_t s)
{
  for (size_t i = 0; i < c->n; i++)
    if (isfinite(c->series[s].values[i]))
      return 1;
  return 0;
}

/* One legend entry at (x, y): a swatch in the series' style, then its
 * name within max_tw.  A series without any value gets its name, muted,
 * and no swatch: nothing in the plot has its colour. */
static void legend_item(R *r, size_t s, double x, double y, double max_tw)
{
  HicovChart *c = r->c;
  double lh = chart_line_height(r, 0.9), sw = r->fs * 1.8, cy = y + lh / 2;
  Rgba col = series_color(r, s);
  int proj = (c->series[s].flags & HICOV_SERIES_PROJECTED) != 0;
  int shown = series_has_values(c, s);
  if (!shown) {
    /* no swatch */
  } else if (series_is_line(c, s)) {
    cairo_save(r->cr);
    line_style(r, proj);
    chart_set_rgba(r->cr, col);
    cairo_move_to(r->cr, x, cy);
    cairo_line_to(r->cr, x + sw, cy);
    cairo_stroke(r->cr);
    cairo_restore(r->cr);
    draw_marker(r, x + sw / 2, cy, r->fs * 0.28, col, proj);
  } else {
    double q = r->fs * 0.85;
    chart_set_rgba(r->cr, col);
    cairo_rectangle(r->cr, x + (sw - q) / 2, cy - q / 2, q, q);
    cairo_fill(r->cr);
  }
  chart_text_set(r, c->series[s].name, 0.9, 0, max_tw > 0 ? max_tw : 1, 1);
  chart_text_draw(r, x + sw + r->fs * 0.4, y, shown ? r->fg : r->muted);
}

/* Legend rows from (x0, y0) within width; returns the height used. */
static double draw_legend(R *r, double y0, int draw)
{
  HicovChart *c = r->c;
  if (!has_legend(c))
    return 0;
  double x = r->pad, y = y0, right = r->w - r->pad;
  double lh = chart_line_height(r, 0.9);
  double sw = r->fs * 1.8;
  for (size_t s = 0; s < c->nseries; s++) {
    double tw = chart_text_width(r, c->series[s].name, 0.9, 0);
    double max_tw = right - r->pad - sw - r->fs * 0.4;
    if (tw > max_tw)
      tw = max_tw > 0 ? max_tw : 0;
    double item = sw + r->fs * 0.4 + tw;
    if (x > r->pad && x + item > right) {
      x = r->pad;
      y += lh + r->fs * 0.3;
    }
    if (draw)
      legend_item(r, s, x, y, max_tw);
    x += item + r->fs * 1.3;
  }
  return y + lh - y0 + r->fs * 0.6;
}

/* Stacked columns whose legend would wrap onto more rows above the plot
 * (a narrow chart: 1024 px, Vietnamese group names) take it as a column
 * at the right, top to bottom in the order of the stack, when that leaves
 * the plot most of the width and the column fits beside it.  Sets
 * r->legend_w (0: the legend goes above). */
static void side_legend(R *r, double top)
{
  HicovChart *c = r->c;
  double lh = chart_line_height(r, 0.9), widest = 0;
  r->legend_w = 0;
  if (c->kind != HICOV_CHART_STACKED || !has_legend(c) ||
      draw_legend(r, top, 0) <= lh + r->fs * 0.6 + 0.5)
    return;
  for (size_t s = 0; s < c->nseries; s++)
    widest = fmax(widest, chart_text_width(r, c->series[s].name, 0.9, 0));
  double w = r->fs * (1.3 + 1.8 + 0.4) + widest;
  double h = (double)c->nseries * (lh + r->fs * 0.3);
  double room = r->h - r->pad - top - chart_line_height(r, 0.85) -
                r->fs * 0.45; /* above the category labels */
  if (w <= (r->w - 2 * r->pad) * 0.4 && h <= room) {
    r->legend_w = w;
    r->legend_top = top;
  }
}

static void draw_side_legend(R *r)
{
  HicovChart *c = r->c;
  double x = r->w - r->pad - r->legend_w + r->fs * 1.3, y = r->legend_top;
  double max_tw = r->legend_w - r->fs * (1.3 + 1.8 + 0.4);
  for (size_t s = c->nseries; s-- > 0; y += chart_line_height(r, 0.9) +
                                            r->fs * 0.3)
    legend_item(r, s, x, y, max_tw);
}

/* ---- empty state ------------------------------------------------------- */

void chart_draw_empty(R *r, double top)
{
  HicovChart *c = r->c;
  const char *text = c->empty_text ? c->empty_text : T_(c->lang, "No data");
  double tw, th;
  chart_text_set(r, text, 1.2, 0, r->w - 2 * r->pad, 2);
  pango_layout_set_alignment(r->layout, PANGO_ALIGN_CENTER);
  chart_text_size(r, &tw, &th);
  double avail = r->h - top - r->pad;
  double y = top + (avail - th) / 2;
  if (y < top)
    y = top;
  chart_text_draw(r, (r->w - tw) / 2, y, r->muted);
}

/* ---- vertical kinds (LINE, COLUMN, STACKED, DUAL) ---------------------- */

/* Which category labels to show: every k-th, counted from the last point
 * (the latest period matters most). */
static size_t label_stride(R *r, double band, double rel)
{
  HicovChart *c = r->c;
  double widest = 0;
  for (size_t i = 0; i < c->n; i++) {
    double w = chart_text_width(r, c->labels[i], rel, 0);
    if (w > widest)
      widest = w;
  }
  double need = widest + r->fs * 0.8;
  size_t k = band > 0 ? (size_t)ceil(need / band) : c->n;
  return k < 1 ? 1 : k;
}

static void draw_grid_vertical(R *r, double left_label_x)
{
  HicovChart *c = r->c;
  ChartRect p = c->plot;
  double lh = chart_line_height(r, 0.85);
  for (int i = 0; i < c->ticks.count; i++) {
    double v = hicov_axis_tick(&c->ticks, i);
    double y = value_pos(r, v);
    int zero = fabs(v) < c->ticks.step * 1e-9;
    hline(r, p.x, p.x + p.w, y, 1.0, zero ? r->axis : r->grid);
    char buf[64];
    double tw;
    tick_label(r, v, buf, sizeof buf);
    chart_text_set(r, buf, 0.85, 0, 0, 0);
    chart_text_size(r, &tw, NULL);
    chart_text_draw(r, p.x - r->fs * 0.5 - tw, y - lh / 2, r->muted);
  }
  (void)left_label_x;
  /* baseline when zero is not on the axis */
  if (!(c->ticks.min <= 0 && c->ticks.max >= 0))
    hline(r, p.x, p.x + p.w, p.y + p.h, 1.0, r->axis);
}

static void draw_x_labels(R *r)
{
  HicovChart *c = r->c;
  ChartRect p = c->plot;
  double y = p.y + p.h + r->fs * 0.45;
  if (c->x && c->kind == HICOV_CHART_LINE && c->xmax == c->xmin) {
    /* one x value (a single year): its own label under the centred point */
    double tw;
    chart_text_set(r, c->labels[0], 0.85, 0, p.w, 1);
    chart_text_size(r, &tw, NULL);
    double px = marker_pos(c, c->xmin);
    vline(r, px, p.y + p.h, p.y + p.h + r->fs * 0.3, 1.0, r->axis);
    chart_text_draw(r, px - tw / 2, y, r->muted);
    return;
  }
  if (c->x && c->kind == HICOV_CHART_LINE) {
    /* numeric x: nice ticks inside the data range (years: whole numbers) */
    double widest = fmax(chart_text_width(r, "0000", 0.85, 0),
                         chart_text_width(r, c->labels[c->n - 1], 0.85, 0));
    int max_int = (int)floor(p.w / (widest + r->fs * 1.5));
    if (max_int < 1)
      max_int = 1;
    HicovAxisTicks t;
    int integral = 1;
    for (size_t i = 0; i < c->n; i++)
      if (c->x[i] != floor(c->x[i]))
        integral = 0;
    if (hicov_axis_nice(c->xmin, c->xmax, max_int, 0, &t) != HICOV_OK)
      return;
    if (integral && t.step < 1) {
      t.step = 1;
      t.decimals = 0;
    }
    double first = ceil(c->xmin / t.step - 1e-9);
    double last = floor(c->xmax / t.step + 1e-9);
    for (double k = first; k <= last; k += 1) {
      double xv = k * t.step; /* index times step, never accumulated */
      char buf[64];
      if (integral)
        snprintf(buf, sizeof buf, "%.0f", xv);
      else
        hicov_format_number(xv, t.decimals, c->lang, buf, sizeof buf);
      double tw;
      chart_text_set(r, buf, 0.85, 0, 0, 0);
      chart_text_size(r, &tw, NULL);
      double px = marker_pos(c, xv);
      vline(r, px, p.y + p.h, p.y + p.h + r->fs * 0.3, 1.0, r->axis);
      chart_text_draw(r, px - tw / 2, y, r->muted);
    }
    return;
  }
  double band = p.w / (double)c->n;
  size_t k = label_stride(r, band, 0.85);
  /* from the last label leftwards; a label pushed inside the chart's edge
   * must not run into its neighbour, so any label that would is skipped */
  double limit = r->w - r->pad - r->legend_w;
  for (size_t j = c->n; j-- > 0;) {
    if ((c->n - 1 - j) % k != 0)
      continue;
    double tw;
    double maxw = fmin(band * (double)k - r->fs * 0.4, p.w);
    chart_text_set(r, c->labels[j], 0.85, 0, maxw > 1 ? maxw : 1, 1);
    chart_text_size(r, &tw, NULL);
    double lx = point_x(c, j) - tw / 2;
    if (lx < r->pad)
      lx = r->pad;
    if (lx + tw > limit) {
      if (j + 1 < c->n)
        continue; /* would overlap the label to its right */
      lx = limit - tw;
    }
    chart_text_draw(r, lx, y, r->muted);
    limit = lx - r->fs * 0.6;
  }
}

/* A value label at the end of a column: outside (above a positive column,
 * below a negative one) when there is room in the plot, else inside in a
 * colour that contrasts with the column. Skipped when wider than `room`. */
static void column_label(R *r, double cx, double yend, double ybase,
                         double room, double v, Rgba under, int allow_inside)
{
  HicovChart *c = r->c;
  char buf[64];
  double tw, th;
  chart_format_value(c, v, c->decimals, buf, sizeof buf);
  chart_text_set(r, buf, 0.8, 0, 0, 0);
  chart_text_size(r, &tw, &th);
  if (tw > room)
    return;
  int up = yend <= ybase;
  double gap = r->fs * 0.2;
  double y = up ? yend - gap - th : yend + gap;
  Rgba tc = r->muted;
  if ((up && y < c->plot.y - th * 0.3) ||
      (!up && y + th > c->plot.y + c->plot.h)) {
    if (!allow_inside || fabs(ybase - yend) < th + 2 * gap)
      return; /* fits neither outside nor inside */
    y = up ? yend + gap : yend - gap - th;
    double lum = 0.2126 * under.r + 0.7152 * under.g + 0.0722 * under.b;
    tc = lum > 0.45 ? (Rgba){ 0.1, 0.1, 0.1, 1 } : (Rgba){ 1, 1, 1, 1 };
  }
  chart_text_draw(r, cx - tw / 2, y, tc);
}

static int draw_columns(R *r)
{
  HicovChart *c = r->c;
  ChartRect p = c->plot;
  double band = p.w / (double)c->n;
  size_t ncol = c->kind == HICOV_CHART_DUAL ? 1 : c->nseries;
  double group = band * (c->kind == HICOV_CHART_DUAL ? 0.6 : 0.72);
  /* a few periods should not give slabs: at most 5 ems per column */
  group = fmin(group, r->fs * 5.0 * (double)ncol);
  double each = group / (double)ncol;
  int labels = c->kind == HICOV_CHART_COLUMN;
  double base = value_pos(r, fmax(c->ticks.min, fmin(0, c->ticks.max)));
  /* one series: the selected column in the highlight colour; several, or
   * the columns under a line (DUAL, whose line takes the next palette
   * colour, the highlight's orange), keep their colour with an outline so
   * the selection never reads as a series */
  int single = c->nseries == 1;
  for (size_t s = 0; s < ncol; s++) {
    Rgba col = series_color(r, s);
    for (size_t i = 0; i < c->n; i++) {
      double v = c->series[s].values[i];
      if (!isfinite(v))
        continue;
      double x0 = point_x(c, i) - group / 2 + each * (double)s;
      double yv = value_pos(r, v);
      ChartRect b = { x0 + each * 0.04, fmin(yv, base), each * 0.92,
                      fabs(base - yv) };
      b = snap_rect(r, b);
      int hl = c->highlight[i];
      chart_set_rgba(r->cr, hl && single ? r->highlight : col);
      if (c->series[s].flags & HICOV_SERIES_PROJECTED) {
        Rgba light = col;
        light.a = 0.45;
        chart_set_rgba(r->cr, light);
      }
      cairo_rectangle(r->cr, b.x, b.y, b.w, b.h);
      cairo_fill(r->cr);
      if (hl && !single) {
        chart_set_rgba(r->cr, r->fg);
        cairo_set_line_width(r->cr, 1.5);
        cairo_rectangle(r->cr, b.x, b.y, b.w, b.h);
        cairo_stroke(r->cr);
      }
      if (chart_add_item(c, HICOV_CHART_HIT_BAR, s, i, b) != HICOV_OK)
        return HICOV_NOMEM;
      if (labels)
        column_label(r, x0 + each / 2, yv, base,
                     ncol == 1 ? band * 0.95 : each * 1.1, v,
                     hl && single ? r->highlight : col, 1);
    }
  }
  return HICOV_OK;
}

static int draw_stacks(R *r)
{
  HicovChart *c = r->c;
  ChartRect p = c->plot;
  double band = p.w / (double)c->n;
  double cw = fmin(band * 0.65, r->fs * 6.0);
  double base = value_pos(r, fmax(c->ticks.min, fmin(0, c->ticks.max)));
  Rgba sep = r->bg;
  sep.a = 1;
  for (size_t i = 0; i < c->n; i++) {
    double pos = 0, neg = 0;
    for (size_t s = 0; s < c->nseries; s++) {
      double v = c->series[s].values[i];
      if (!isfinite(v) || v == 0)
        continue;
      double from = v > 0 ? pos : neg;
      double to = from + v;
      if (v > 0)
        pos = to;
      else
        neg = to;
      double y0 = value_pos(r, from), y1 = value_pos(r, to);
      ChartRect b = { point_x(c, i) - cw / 2, fmin(y0, y1), cw,
                      fabs(y1 - y0) };
      b = snap_rect(r, b);
      chart_set_rgba(r->cr, series_color(r, s));
      cairo_rectangle(r->cr, b.x, b.y, b.w, b.h);
      cairo_fill(r->cr);
      /* a hairline of background between segments */
      if (b.h > 3 && !(r->bg.a == 0)) {
        hline(r, b.x, b.x + b.w, v > 0 ? b.y : b.y + b.h, 1.0, sep);
      }
      if (chart_add_item(c, HICOV_CHART_HIT_BAR, s, i, b) != HICOV_OK)
        return HICOV_NOMEM;
    }
    if (pos > 0) /* the column's total above it */
      column_label(r, point_x(c, i), value_pos(r, pos), base, band * 0.95,
                   pos + (neg < 0 ? neg : 0), r->fg, 0);
    if (c->highlight[i] && (pos != 0 || neg != 0)) {
      double y0 = value_pos(r, pos), y1 = value_pos(r, neg);
      ChartRect b = snap_rect(r, (ChartRect){ point_x(c, i) - cw / 2, y0, cw,
                                              y1 - y0 });
      chart_set_rgba(r->cr, r->fg);
      cairo_set_line_width(r->cr, 1.5);
      cairo_rectangle(r->cr, b.x, b.y, b.w, b.h);
      cairo_stroke(r->cr);
    }
  }
  return HICOV_OK;
}

/* Projections first, so where one starts at the last actual point the
 * actual (solid) marker stays on top. */
static int draw_lines(R *r, size_t first_series)
{
  HicovChart *c = r->c;
  cairo_t *cr = r->cr;
  for (size_t pass = 0; pass < 2 * c->nseries; pass++) {
    size_t s = pass % c->nseries;
    if (s < first_series)
      continue;
    ChartSeries *se = &c->series[s];
    int proj = (se->flags & HICOV_SERIES_PROJECTED) != 0;
    if (proj != (pass < c->nseries))
      continue;
    Rgba col = series_color(r, s);
    cairo_save(cr);
    line_style(r, proj);
    chart_set_rgba(cr, col);
    int pen = 0;
    for (size_t i = 0; i < c->n; i++) {
      double v = se->values[i];
      if (!isfinite(v)) {
        pen = 0; /* a gap breaks the line */
        continue;
      }
      double x = point_x(c, i), y = value_pos(r, v);
      if (pen)
        cairo_line_to(cr, x, y);
      else
        cairo_move_to(cr, x, y);
      pen = 1;
    }
    cairo_stroke(cr);
    cairo_restore(cr);
    /* markers, unless the points are too dense to tell apart */
    size_t shown = 0;
    for (size_t i = 0; i < c->n; i++)
      shown += isfinite(se->values[i]) != 0;
    int markers = shown > 0 && c->plot.w / (double)shown > r->fs * 1.2;
    for (size_t i = 0; i < c->n; i++) {
      double v = se->values[i];
      if (!isfinite(v))
        continue;
      double x = point_x(c, i), y = value_pos(r, v);
      int lonely = (i == 0 || !isfinite(se->values[i - 1])) &&
                   (i + 1 == c->n || !isfinite(se->values[i + 1]));
      if (markers || lonely)
        draw_marker(r, x, y, r->fs * (c->highlight[i] ? 0.45 : 0.3), col,
                    proj);
      ChartRect pt = { x, y, 0, 0 };
      if (chart_add_item(c, HICOV_CHART_HIT_POINT, s, i, pt) != HICOV_OK)
        return HICOV_NOMEM;
    }
  }
  return HICOV_OK;
}

/* Target line across the plot with its label above it at the right end
 * (below it when there is no room above). */
static void draw_target_h(R *r)
{
  HicovChart *c = r->c;
  if (!isfinite(c->target))
    return;
  ChartRect p = c->plot;
  double y = value_pos(r, c->target);
  hline(r, p.x, p.x + p.w, y, 2.0, r->target);
  char val[64], label[320];
  chart_format_value(c, c->target, c->decimals, val, sizeof val);
  if (c->target_label)
    snprintf(label, sizeof label, "%s: %s", c->target_label, val);
  else
    snprintf(label, sizeof label, "%s", val);
  double tw, th;
  chart_text_set(r, label, 0.85, 1, p.w * 0.6, 1);
  chart_text_size(r, &tw, &th);
  /* Four places for the label (right or left end, above or below the
   * line); take the first that covers no data point, bar or deadline
   * line, else the one covering the fewest. */
  double gap = r->fs * 0.3;
  double xs[2] = { p.x + p.w - tw - gap, p.x + gap };
  double ys[2] = { y - th - r->fs * 0.15, y + r->fs * 0.25 };
  double mx = isfinite(c->marker) ? marker_pos(c, c->marker) : NAN;
  int best = 0, best_hits = -1;
  for (int k = 0; k < 4; k++) {
    ChartRect b = { xs[k % 2] - gap / 2, ys[k / 2], tw + gap, th };
    if (b.y < p.y - th * 0.5 || b.y + b.h > p.y + p.h + th * 0.5)
      continue; /* outside the plot */
    int hits = 0;
    double rad = r->fs * 0.5;
    for (size_t i = 0; i < c->nitems; i++) {
      ChartRect o = c->items[i].r;
      if (c->items[i].kind == HICOV_CHART_HIT_POINT)
        o = (ChartRect){ o.x - rad, o.y - rad, 2 * rad, 2 * rad };
      if (o.x < b.x + b.w && o.x + o.w > b.x && o.y < b.y + b.h &&
          o.y + o.h > b.y)
        hits++;
    }
    if (isfinite(mx) && mx > b.x && mx < b.x + b.w)
      hits++;
    if (best_hits < 0 || hits < best_hits) {
      best = k;
      best_hits = hits;
      if (hits == 0)
        break;
    }
  }
  double lx = xs[best % 2], ty = ys[best / 2];
  /* a halo of background so grid lines do not cross the text */
  Rgba bg = r->bg;
  bg.a = r->bg.a == 0 ? 0 : 0.85;
  if (bg.a > 0) {
    chart_set_rgba(r->cr, bg);
    cairo_rectangle(r->cr, lx - r->fs * 0.2, ty, tw + r->fs * 0.4, th);
    cairo_fill(r->cr);
  }
  chart_text_draw(r, lx, ty, r->target);
}

static void draw_marker_line(R *r)
{
  HicovChart *c = r->c;
  if (!isfinite(c->marker))
    return;
  ChartRect p = c->plot;
  double x = marker_pos(c, c->marker);
  if (x < p.x - 0.5 || x > p.x + p.w + 0.5)
    return;
  cairo_save(r->cr);
  double dash[2] = { r->fs * 0.4, r->fs * 0.3 };
  cairo_set_dash(r->cr, dash, 2, 0);
  vline(r, x, p.y, p.y + p.h, 1.0, r->fg);
  cairo_restore(r->cr);
  if (c->marker_label) {
    double tw, th;
    chart_text_set(r, c->marker_label, 0.85, 0, r->w * 0.5, 1);
    chart_text_size(r, &tw, &th);
    double lx = x - tw / 2;
    if (lx + tw > r->w - r->pad)
      lx = r->w - r->pad - tw;
    if (lx < r->pad)
      lx = r->pad;
    chart_text_draw(r, lx, p.y - th - r->fs * 0.2, r->fg);
  }
}

static int render_vertical(R *r, double top)
{
  HicovChart *c = r->c;
  double bottom = r->h - r->pad;
  char vt[320];
  value_title_text(r, vt, sizeof vt);
  double lh = chart_line_height(r, 0.85);
  if (c->x_title) {
    double th;
    chart_text_set(r, c->x_title, 0.9, 0, r->w - 2 * r->pad, 1);
    chart_text_size(r, NULL, &th);
    bottom -= th + r->fs * 0.3;
  }
  bottom -= lh + r->fs * 0.45; /* category labels */
  double vt_h = 0;
  if (vt[0]) {
    vt_h = chart_line_height(r, 0.9);
    top += vt_h + r->fs * 0.2;
  }
  if (isfinite(c->marker) && c->marker_label)
    top += lh + r->fs * 0.2; /* deadline label above the plot */
  top += lh / 2; /* half of the top tick label */
  double plot_h = bottom - top;
  if (plot_h < r->fs || r->w - 2 * r->pad < r->fs * 4)
    return HICOV_OK; /* too small to draw an axis */

  int rc = compute_ticks(r, plot_h, r->fs * 4.2);
  if (rc != HICOV_OK)
    return rc;
  double widest = 0;
  for (int i = 0; i < c->ticks.count; i++) {
    char buf[64];
    tick_label(r, hicov_axis_tick(&c->ticks, i), buf, sizeof buf);
    widest = fmax(widest, chart_text_width(r, buf, 0.85, 0));
  }
  double left = r->pad + widest + r->fs * 0.5;
  double right = r->w - r->pad - r->legend_w;
  if (right - left < r->fs * 2)
    return HICOV_OK;
  c->plot = (ChartRect){ left, top, right - left, plot_h };
  c->horizontal = 0;
  if (c->x) {
    c->xmin = c->x[0];
    c->xmax = c->x[c->n - 1];
  }
  c->rendered = 1;

  if (vt[0]) {
    chart_text_set(r, vt, 0.9, 0, r->w - 2 * r->pad, 1);
    double yt = top - lh / 2 - vt_h - r->fs * 0.2;
    if (isfinite(c->marker) && c->marker_label)
      yt -= lh + r->fs * 0.2;
    chart_text_draw(r, r->pad, yt, r->muted);
  }
  draw_grid_vertical(r, left);
  draw_x_labels(r);
  if (c->x_title) {
    double tw;
    chart_text_set(r, c->x_title, 0.9, 0, r->w - 2 * r->pad, 1);
    chart_text_size(r, &tw, NULL);
    chart_text_draw(r, c->plot.x + (c->plot.w - tw) / 2,
              c->plot.y + c->plot.h + r->fs * 0.45 + lh + r->fs * 0.3,
              r->muted);
  }
  draw_marker_line(r);
  switch (c->kind) {
  case HICOV_CHART_LINE:
    rc = draw_lines(r, 0);
    break;
  case HICOV_CHART_STACKED:
    rc = draw_stacks(r);
    break;
  case HICOV_CHART_DUAL:
    rc = draw_columns(r);
    if (rc == HICOV_OK)
      rc = draw_lines(r, 1);
    break;
  default:
    rc = draw_columns(r);
    break;
  }
  if (rc == HICOV_OK)
    draw_target_h(r);
  if (r->legend_w > 0)
    draw_side_legend(r);
  return rc;
}

/* ---- BAR_RANKED -------------------------------------------------------- */

/* Rank order: by value (missing last), ties in input order. */
static int rank_before(const HicovChart *c, size_t i, size_t j)
{
  const double *v = c->series[0].values;
  int fi = isfinite(v[i]), fj = isfinite(v[j]);
  if (fi != fj)
    return fi;
  if (fi && v[i] != v[j])
    return c->sort == HICOV_CHART_SORT_ASCENDING ? v[i] < v[j] : v[i] > v[j];
  return i < j;
}

/* Stable bottom-up merge sort of point indexes (no global state, so
 * charts may render on several threads). */
static int rank_sort(const HicovChart *c, size_t *order, size_t n)
{
  size_t *tmp = hicov_malloc((n ? n : 1) * sizeof *tmp);
  if (!tmp)
    return HICOV_NOMEM;
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n;
      size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t a = lo, b = mid, k = lo;
      while (a < mid && b < hi)
        tmp[k++] = rank_before(c, order[b], order[a]) ? order[b++]
                                                      : order[a++];
      while (a < mid)
        tmp[k++] = order[a++];
      while (b < hi)
        tmp[k++] = order[b++];
    }
    memcpy(order, tmp, n * sizeof *order);
  }
  hicov_free(tmp);
  return HICOV_OK;
}

/* Layout of a BAR_RANKED chart: category labels on the left, the value
 * axis under the bars. */
typedef struct {
  char vt[320];      /* value axis title, "" if none */
  double lh;         /* line height of labels */
  double xt_h;       /* height of the x title, 0 if none */
  double label_w;    /* width of the category labels */
  double band;       /* height of one bar's band */
  int show_values;   /* room for value labels */
} Ranked;

/* Places the plot (c->plot) and the value axis.  Returns HICOV_OK with
 * c->rendered set when there is room to draw, HICOV_OK without it when the
 * chart is too small, or a failure. */
static int ranked_layout(R *r, double top, Ranked *L)
{
  HicovChart *c = r->c;
  L->lh = chart_line_height(r, 0.85);
  double bottom = r->h - r->pad;
  value_title_text(r, L->vt, sizeof L->vt);
  if (L->vt[0])
    bottom -= chart_line_height(r, 0.9) + r->fs * 0.3;
  bottom -= L->lh + r->fs * 0.45; /* value tick labels */
  L->xt_h = 0;
  if (c->x_title) {
    L->xt_h = chart_line_height(r, 0.9);
    top += L->xt_h + r->fs * 0.3;
  }
  if (isfinite(c->target))
    top += L->lh + r->fs * 0.3; /* target label above the plot */
  double plot_h = bottom - top;
  if (plot_h < r->fs || r->w - 2 * r->pad < r->fs * 6)
    return HICOV_OK;

  /* Category labels: as wide as the widest name, at most 38% of the width,
   * longer names ellipsized. */
  double widest = 0;
  for (size_t i = 0; i < c->n; i++)
    widest = fmax(widest, chart_text_width(r, c->labels[i], 0.85, 0));
  L->label_w = fmin(widest, r->w * 0.38);
  double left = r->pad + L->label_w + r->fs * 0.6;

  L->band = plot_h / (double)c->n;
  L->show_values = L->band >= L->lh * 0.95;
  double value_w = 0;
  if (L->show_values) {
    for (size_t i = 0; i < c->n; i++) {
      char buf[64];
      chart_format_value(c, c->series[0].values[i], c->decimals, buf,
                         sizeof buf);
      value_w = fmax(value_w, chart_text_width(r, buf, 0.8, 0));
    }
  }
  double right = r->w - r->pad - (L->show_values ? value_w + r->fs * 0.5 : 0);
  /* the last tick label is centred on the plot's right edge */
  right = fmin(right, r->w - r->pad - chart_text_width(r, "100%", 0.85, 0) / 2);
  if (right - left < r->fs * 3)
    return HICOV_OK;
  int rc = compute_ticks(r, right - left,
                         fmax(r->fs * 6, chart_text_width(r, "000.000", 0.85, 0) +
                                             r->fs * 2));
  if (rc != HICOV_OK)
    return rc;
  c->plot = (ChartRect){ left, top, right - left, plot_h };
  c->horizontal = 1;
  c->rendered = 1;
  return HICOV_OK;
}

/* The value grid, its tick labels, the value title and the x title. */
static void ranked_axes(R *r, const Ranked *L)
{
  HicovChart *c = r->c;
  ChartRect p = c->plot;
  for (int i = 0; i < c->ticks.count; i++) {
    double v = hicov_axis_tick(&c->ticks, i);
    double x = value_pos(r, v);
    int zero = fabs(v) < c->ticks.step * 1e-9;
    vline(r, x, p.y, p.y + p.h, 1.0, zero ? r->axis : r->grid);
    char buf[64];
    double tw;
    tick_label(r, v, buf, sizeof buf);
    chart_text_set(r, buf, 0.85, 0, 0, 0);
    chart_text_size(r, &tw, NULL);
    double lx = x - tw / 2;
    if (lx + tw > r->w - r->pad)
      lx = r->w - r->pad - tw;
    chart_text_draw(r, lx, p.y + p.h + r->fs * 0.45, r->muted);
  }
  if (L->vt[0]) {
    double tw;
    chart_text_set(r, L->vt, 0.9, 0, r->w - 2 * r->pad, 1);
    chart_text_size(r, &tw, NULL);
    chart_text_draw(r, p.x + (p.w - tw) / 2,
              p.y + p.h + r->fs * 0.45 + L->lh + r->fs * 0.3, r->muted);
  }
  if (c->x_title) {
    chart_text_set(r, c->x_title, 0.9, 0, L->label_w + r->fs, 1);
    double yt = p.y - L->xt_h - r->fs * 0.3;
    if (isfinite(c->target))
      yt -= L->lh + r->fs * 0.3;
    chart_text_draw(r, r->pad, yt, r->muted);
  }
}

/* A bar's colour: the series', or, when the chart colours by the target
 * (hicov_chart_set_target_colors), green where it meets the target and
 * purple where it falls short (Okabe-Ito: told apart without hue). */
static Rgba ranked_color(R *r, double v)
{
  HicovChart *c = r->c;
  if (c->target_colors && isfinite(c->target) && isfinite(v))
    return v >= c->target ? r->met : r->unmet;
  return series_color(r, 0);
}

/* The value label of point i, at height cy: inside the bar's end when it
 * fits (clear of the target line), else just past it; the text colour
 * contrasts with what is under it. */
static void ranked_value_label(R *r, size_t i, double cy, double base,
                               Rgba col)
{
  HicovChart *c = r->c;
  double v = c->series[0].values[i];
  double lh = chart_line_height(r, 0.8); /* before text_set: it lays out text */
  char buf[64];
  double tw;
  chart_format_value(c, v, c->decimals, buf, sizeof buf);
  chart_text_set(r, buf, 0.8, 0, 0, 0);
  chart_text_size(r, &tw, NULL);
  double xv = isfinite(v) ? value_pos(r, v) : base;
  double gap = r->fs * 0.3;
  int neg = isfinite(v) && v < 0;
  int inside = isfinite(v) && fabs(xv - base) > tw + 3 * gap;
  double lx;
  Rgba tc = r->muted;
  if (inside) {
    lx = neg ? xv + gap : xv - gap - tw;
    Rgba under = c->highlight[i] ? r->highlight : ranked_color(r, v);
    (void)col;
    double lum = 0.2126 * under.r + 0.7152 * under.g + 0.0722 * under.b;
    tc = lum > 0.45 ? (Rgba){ 0.1, 0.1, 0.1, 1 } : (Rgba){ 1, 1, 1, 1 };
  } else {
    lx = neg ? xv - gap - tw : xv + gap;
  }
  chart_text_draw(r, lx, cy - lh / 2, tc);
}

/* One bar per point in rank order, with its category label (every k-th
 * when they would overlap) and its value. */
static int ranked_bars(R *r, const Ranked *L, const size_t *order)
{
  HicovChart *c = r->c;
  ChartRect p = c->plot;
  size_t k = 1;
  if (L->band < L->lh * 1.05)
    k = (size_t)ceil(L->lh * 1.1 / L->band);
  double thick = fmin(L->band * 0.72, r->fs * 2.2);
  double base = value_pos(r, fmax(c->ticks.min, fmin(0, c->ticks.max)));
  Rgba col = series_color(r, 0);
  int rc = HICOV_OK;
  for (size_t rank = 0; rank < c->n && rc == HICOV_OK; rank++) {
    size_t i = order[rank];
    double cy = p.y + L->band * ((double)rank + 0.5);
    double v = c->series[0].values[i];
    if (rank % k == 0) {
      double tw;
      chart_text_set(r, c->labels[i], 0.85, c->highlight[i], L->label_w, 1);
      chart_text_size(r, &tw, NULL);
      chart_text_draw(r, p.x - r->fs * 0.6 - tw, cy - L->lh / 2, r->fg);
    }
    if (isfinite(v)) {
      double xv = value_pos(r, v);
      ChartRect b = { fmin(base, xv), cy - thick / 2, fabs(xv - base),
                      thick };
      b = snap_rect(r, b);
      chart_set_rgba(r->cr, c->highlight[i] ? r->highlight : ranked_color(r, v));
      cairo_rectangle(r->cr, b.x, b.y, b.w, b.h);
      cairo_fill(r->cr);
      rc = chart_add_item(c, HICOV_CHART_HIT_BAR, 0, i, b);
    }
    if (L->show_values)
      ranked_value_label(r, i, cy, base, col);
  }
  return rc;
}

/* The vertical target line and its label above the plot. */
static void ranked_target(R *r, const Ranked *L)
{
  HicovChart *c = r->c;
  ChartRect p = c->plot;
  double x = value_pos(r, c->target);
  vline(r, x, p.y - r->fs * 0.2, p.y + p.h, 2.0, r->target);
  char val[64], label[320];
  chart_format_value(c, c->target, c->decimals, val, sizeof val);
  if (c->target_label)
    snprintf(label, sizeof label, "%s: %s", c->target_label, val);
  else
    snprintf(label, sizeof label, "%s", val);
  double tw;
  chart_text_set(r, label, 0.85, 1, r->w - 2 * r->pad, 1);
  chart_text_size(r, &tw, NULL);
  double lx = x - tw / 2;
  if (lx + tw > r->w - r->pad)
    lx = r->w - r->pad - tw;
  if (lx < r->pad)
    lx = r->pad;
  chart_text_draw(r, lx, p.y - L->lh - r->fs * 0.3, r->target);
}

static int render_ranked(R *r, double top)
{
  HicovChart *c = r->c;
  size_t *order = hicov_malloc(c->n * sizeof *order);
  if (!order)
    return HICOV_NOMEM;
  for (size_t i = 0; i < c->n; i++)
    order[i] = i;
  int rc = HICOV_OK;
  if (c->sort != HICOV_CHART_SORT_NONE)
    rc = rank_sort(c, order, c->n);
  Ranked L;
  if (rc == HICOV_OK)
    rc = ranked_layout(r, top, &L);
  if (rc == HICOV_OK && c->rendered) {
    ranked_axes(r, &L);
    rc = ranked_bars(r, &L, order);
  }
  hicov_free(order);
  if (rc == HICOV_OK && c->rendered && isfinite(c->target))
    ranked_target(r, &L);
  return rc;
}

/* ---- entry point ------------------------------------------------------- */

int hicov_chart_render(HicovChart *c, cairo_t *cr, double width,
                       double height, int flags)
{
  if (!c || !cr || cairo_status(cr) != CAIRO_STATUS_SUCCESS)
    return HICOV_INVALID;
  c->rendered = 0;
  c->nitems = 0;
  if (!(width > 0) || !(height > 0) || !isfinite(width) || !isfinite(height))
    return HICOV_OK;
  c->render_done = 1;
  c->errmsg[0] = '\0';

  R r = { 0 };
  r.c = c;
  r.cr = cr;
  r.w = width;
  r.h = height;
  r.fs = c->font_size;
  r.pad = r.fs;
  r.raster = (flags & HICOV_CHART_RENDER_RASTER) != 0;
  r.money_scale = chart_money_scale(c);
  r.money_div = hicov_money_scale_divisor(r.money_scale);
  setup_colors(&r);
  c->hit_radius = fmax(r.fs * 1.2, 8.0);

  cairo_save(cr);
  cairo_new_path(cr);
  cairo_rectangle(cr, 0, 0, width, height);
  cairo_clip(cr);
  if (!(flags & HICOV_CHART_RENDER_NO_BACKGROUND) && r.bg.a > 0) {
    chart_set_rgba(cr, r.bg);
    cairo_paint(cr);
  }
  r.layout = pango_cairo_create_layout(cr);
  r.font = pango_font_description_from_string("Sans");
  if (!r.layout || !r.font) {
    if (r.layout)
      g_object_unref(r.layout);
    if (r.font)
      pango_font_description_free(r.font);
    cairo_restore(cr);
    return HICOV_NOMEM;
  }

  int rc = HICOV_OK;
  /* The caption under everything; the chart takes the height above it. */
  if ((flags & HICOV_CHART_RENDER_CAPTION) && c->caption && c->caption[0] &&
      width > 4 * r.pad) {
    double ch;
    chart_text_set(&r, c->caption, 0.8, 0, width - 2 * r.pad, 3);
    chart_text_size(&r, NULL, &ch);
    if (ch + 3 * r.pad < height) {
      chart_text_draw(&r, r.pad, height - r.pad * 0.6 - ch, r.muted);
      r.h = height - ch - r.pad * 0.6;
    }
  }
  double top = draw_titles(&r, 1);
  if (c->kind == HICOV_CHART_MAP) {
    rc = chart_map_render(&r, top); /* units without values still show */
  } else if (hicov_chart_is_empty(c) || c->n == 0) {
    chart_draw_empty(&r, top);
  } else {
    side_legend(&r, top);
    if (r.legend_w <= 0)
      top += draw_legend(&r, top, 1);
    if (c->kind == HICOV_CHART_BAR_RANKED)
      rc = render_ranked(&r, top);
    else
      rc = render_vertical(&r, top);
  }
  if (rc == HICOV_NOMEM)
    chart_set_error(c, T_(c->lang, "out of memory while rendering"));

  g_object_unref(r.layout);
  pango_font_description_free(r.font);
  cairo_restore(cr);
  if (rc == HICOV_OK && cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    chart_set_error(c, T_(c->lang, "cairo: %s"),
                    cairo_status_to_string(cairo_status(cr)));
    rc = cairo_status(cr) == CAIRO_STATUS_NO_MEMORY ? HICOV_NOMEM
                                                    : HICOV_ERROR;
  }
  return rc;
}

/* chart-private.h - internals shared by the chart*.c files. Not API. */
#ifndef HICOV_CHART_PRIVATE_H
#define HICOV_CHART_PRIVATE_H

#include <stdarg.h>

#include <pango/pangocairo.h>

#include "hicov-chart.h"
#include "hicov-private.h"

#define CHART_MAX_SERIES 32

typedef struct {
  char *name;
  double *values; /* n values */
  unsigned flags;
} ChartSeries;

typedef struct {
  double x, y, w, h;
} ChartRect;

/* One drawn element, kept for hit testing and geometry queries. */
typedef struct {
  int kind; /* HICOV_CHART_HIT_POINT or _BAR */
  size_t series;
  size_t index;
  ChartRect r; /* bar rectangle, or the point as a zero-size rect */
} ChartItem;

/* One unit's shape (HICOV_CHART_MAP): rings of lon/lat points. */
typedef struct {
  double *xy;
  size_t npoints;
  size_t *ring_len;
  size_t nrings;
} ChartShape;

struct HicovChart {
  int kind;
  char *title, *subtitle, *x_title, *value_title, *empty_text;
  char *caption; /* drawn with HICOV_CHART_RENDER_CAPTION */
  char lang[16];
  int format, decimals;
  int theme, custom_colors;
  HicovChartColors colors;
  double font_size;
  double title_inset; /* room at the right of the titles (a widget's button) */

  size_t n;          /* point count */
  char **labels;     /* n labels ("" when none) */
  char **keys;       /* n keys (unit codes) or NULL */
  double *x;         /* n x values or NULL */
  ChartSeries series[CHART_MAX_SERIES];
  size_t nseries;
  unsigned char *highlight; /* n flags */
  double target;
  char *target_label;
  double marker;
  char *marker_label;
  int sort;
  double range_min, range_max;
  int zoomed;                   /* bars may start away from zero */
  int target_colors;            /* bars meeting the target in green */

  /* HICOV_CHART_MAP */
  ChartShape *shapes;           /* n shapes (nrings 0: none) */
  int map_classes, map_nclasses;
  char *map_note;
  double map_lon0, map_lat0;    /* centre of the projection */
  double map_k, map_ox, map_oy; /* last render: px = ox + k * x */
  double *map_breaks;           /* map_nclasses + 1 class bounds */
  int map_nbreaks_valid;         /* classes in map_breaks */
  int map_breaks_ok;            /* 0: data changed since computed */

  /* Results of the last render. */
  int render_done;  /* render was called with a drawable size */
  int rendered;     /* a render laid out axes (non-empty, plot big enough) */
  int horizontal;   /* BAR_RANKED: value axis runs left to right */
  ChartRect plot;
  HicovAxisTicks ticks;
  double xmin, xmax; /* numeric x axis range (x values set) */
  ChartItem *items;
  size_t nitems, items_cap;
  double hit_radius;

  char errmsg[256];
};

/* chart.c */
void chart_set_error(HicovChart *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int chart_value_ok(double v);
/* Formats v the way the chart's format wants (tooltips, value labels). */
void chart_format_value(const HicovChart *c, double v, int decimals,
                        char *buf, size_t size);
/* Money scale for the chart's data (HicovMoneyScale), DONG if not money. */
int chart_money_scale(const HicovChart *c);
int chart_add_item(HicovChart *c, int kind, size_t series, size_t index,
                   ChartRect r);
/* Value position 0..1 along the value axis of the last render. */
double chart_axis_fraction(const HicovChart *c, double v);

/* ---- chart-render.c: the render state and its helpers, shared with the
 * map (chart-map.c) ---- */
typedef struct {
  double r, g, b, a;
} Rgba;

/* Render state: one Pango layout reused for every text. */
typedef struct {
  HicovChart *c;
  cairo_t *cr;
  PangoLayout *layout;
  PangoFontDescription *font;
  double w, h;
  double fs;   /* base font size */
  double pad;
  int raster;
  Rgba bg, fg, muted, grid, axis, target, highlight, met, unmet;
  int money_scale;
  double money_div;
  double legend_w, legend_top; /* a legend beside the plot (STACKED) */
} R;

Rgba chart_mix(Rgba a, Rgba b, double t);
void chart_set_rgba(cairo_t *cr, Rgba c);
int chart_is_dark(const R *r);
/* Prepares r's one layout: size relative to fs, optional bold, width limit
 * (<= 0: none) with ellipsizing, max_lines (0: 1 line). */
void chart_text_set(R *r, const char *text, double rel, int bold,
                    double max_width, int max_lines);
void chart_text_size(R *r, double *w, double *h);
double chart_text_width(R *r, const char *text, double rel, int bold);
double chart_line_height(R *r, double rel);
/* Draws the prepared layout with its top-left at (x, y). */
void chart_text_draw(R *r, double x, double y, Rgba col);
void chart_draw_empty(R *r, double top);

/* ---- chart-map.c ---- */

/* Draws the map below `top`; returns HICOV_OK or HICOV_NOMEM. */
int chart_map_render(R *r, double top);
/* Frees the shapes of c (n of them). */
void chart_map_clear(HicovChart *c);
/* Hit testing of the map: the shape under (x, y), or -1. */
long chart_map_hit(const HicovChart *c, double x, double y);

/* Texts go through the one catalogue (csrc/po): T_(lang, "..."),
 * TC_(lang, "ctx", "..."), N_() / NC_() in tables looked up with
 * hicov_text, hicov_ntext for counts (hicov-private.h, hicov-core.h). */

#endif /* HICOV_CHART_PRIVATE_H */

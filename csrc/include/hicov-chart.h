/* hicov-chart.h - charts of hicov indicators, drawn with cairo and Pango.
 *
 * The GTK dashboard, the Python module and the PDF report draw the same
 * charts through this library: a chart is built once from plain data, then
 * rendered into any cairo context (a widget, a PNG, SVG or PDF surface).
 *
 * Model.  A chart has n points along its category axis: labels (years,
 * periods, unit names) and, optionally, numeric x values (years) that place
 * line points proportionally.  Each series holds one value per point; NaN
 * (or an infinity) is a missing value and is not drawn.  The value axis maps
 * values to 0..1 with "nice" ticks (1, 2 or 5 x 10^n); every layer (lines,
 * columns, bars, annotations) multiplies that by the plot's size.
 *
 * Kinds:
 *   LINE        time series; several series; projections (series flag
 *               HICOV_SERIES_PROJECTED) dashed with hollow markers; a
 *               horizontal target line and a vertical deadline marker.
 *   BAR_RANKED  horizontal bars of units (the first series), sorted by
 *               value (descending by default), with a vertical target line,
 *               value labels and per-bar highlight.
 *   STACKED     stacked columns, one segment per series (beneficiary group)
 *               per period; negative values stack below zero.
 *   COLUMN      columns per period; several series are grouped side by side.
 *   DUAL        the first series as columns, the second as a line on the
 *               same value axis (revenue vs spending, in the same unit).
 *   MAP         a choropleth: each point is a unit with a shape
 *               (hicov_chart_set_shape), filled by the class of its value
 *               in the first series; a legend of the classes below, a note
 *               on the map (e.g. "Schematic, not real boundaries").
 * A chart with no finite value draws its title and "No data" ("Không có
 * dữ liệu" for lang "vi", or the text of hicov_chart_set_empty_text)
 * centred; hicov_chart_is_empty reports that state.
 *
 * Conventions: as in hicov.h (opaque handle, int status codes from
 * HicovStatus, *_free accepts NULL).  Every setter copies what it is given;
 * the chart keeps no pointer to caller memory.  Strings returned by the
 * chart belong to it and stay valid until the next setter, render or free.
 * Memory comes from the core's allocator (hicov_set_allocator); the only
 * memory handed to the caller (hicov_chart_svg_to_buffer) is released with
 * hicov_free().  A chart is not
 * thread-safe; distinct charts may be used from distinct threads.
 *
 * Coordinates: render draws into (0, 0, width, height) of the cairo
 * context's user space; the geometry and hit-testing functions answer in
 * that same space, for the last render.
 */
#ifndef HICOV_CHART_H
#define HICOV_CHART_H

#include <stddef.h>
#include <stdint.h>

#include <cairo.h>

#include "hicov-core.h"
#include "hicov-format.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct HicovChart HicovChart;

typedef enum {
  HICOV_CHART_LINE = 1,
  HICOV_CHART_BAR_RANKED = 2,
  HICOV_CHART_STACKED = 3,
  HICOV_CHART_COLUMN = 4,
  HICOV_CHART_DUAL = 5,
  HICOV_CHART_MAP = 6
} HicovChartKind;

/* How values are printed on the axis, in labels and in tooltips. */
typedef enum {
  HICOV_CHART_FORMAT_NUMBER = 0,  /* `decimals` digits: 1.234,5 */
  HICOV_CHART_FORMAT_COUNT = 1,   /* integers: 1.281.865 */
  HICOV_CHART_FORMAT_PERCENT = 2, /* values in percent: 94,1% */
  HICOV_CHART_FORMAT_MONEY = 3    /* values in đồng, shown as tỷ đồng /
                                     billion VND (or million, by size) */
} HicovChartFormat;

/* Series flags. */
enum {
  HICOV_SERIES_PROJECTED = 1 << 0 /* a projection: dashed, hollow markers,
                                     "(projected)" in tooltips */
};

/* Render flags. */
enum {
  HICOV_CHART_RENDER_RASTER = 1 << 0,       /* snap 1px lines to half pixels
                                               (raster targets only) */
  HICOV_CHART_RENDER_NO_BACKGROUND = 1 << 1, /* leave the background alone
                                               (a widget painted it) */
  HICOV_CHART_RENDER_CAPTION = 1 << 2       /* draw the caption at the
                                               bottom (files and paper) */
};

typedef enum {
  HICOV_CHART_THEME_LIGHT = 0,
  HICOV_CHART_THEME_DARK = 1
} HicovChartTheme;

typedef enum {
  HICOV_CHART_SORT_DESCENDING = 0, /* BAR_RANKED default: largest on top */
  HICOV_CHART_SORT_ASCENDING = 1,
  HICOV_CHART_SORT_NONE = 2        /* keep the order given */
} HicovChartSort;

/* RGBA colours, components 0..1. */
typedef struct {
  double background[4]; /* alpha 0: transparent */
  double foreground[4]; /* text and axes; grid lines are mixed from both */
} HicovChartColors;

/* Creates a chart of a kind. Returns HICOV_OK, HICOV_INVALID (unknown kind,
 * NULL out) or HICOV_NOMEM. */
HICOV_API int hicov_chart_new(int kind, HicovChart **out);
HICOV_API void hicov_chart_free(HicovChart *c);
HICOV_API int hicov_chart_kind(const HicovChart *c);
/* Message of the last failure on c ("" if none), in the chart's language
 * (hicov_chart_set_lang).  Belongs to c. */
HICOV_API const char *hicov_chart_errmsg(const HicovChart *c);

/* Texts (UTF-8, copied; NULL or "" clears).  The subtitle is drawn under
 * the title in a muted colour (e.g. "Synthetic communes"). */
HICOV_API int hicov_chart_set_title(HicovChart *c, const char *title);
HICOV_API int hicov_chart_set_subtitle(HicovChart *c, const char *subtitle);
/* A caption for the chart standing alone ("Lạng Sơn · 2024 · Source:
 * ..."), copied; drawn at the bottom, up to three lines, by the saves and
 * by hicov_chart_render with HICOV_CHART_RENDER_CAPTION, never on screen
 * where the window says it.  NULL clears it. */
HICOV_API int hicov_chart_set_caption(HicovChart *c, const char *caption);
HICOV_API const char *hicov_chart_caption(const HicovChart *c);
/* The texts set, NULL when none; they belong to c. */
HICOV_API const char *hicov_chart_title(const HicovChart *c);
HICOV_API const char *hicov_chart_subtitle(const HicovChart *c);
/* x_title is drawn under the category axis; value_title above the value
 * axis (the money unit, "tỷ đồng", is appended to it automatically). */
HICOV_API int hicov_chart_set_axis_titles(HicovChart *c, const char *x_title,
                                          const char *value_title);
/* Replaces the default "No data" / "Không có dữ liệu". */
HICOV_API int hicov_chart_set_empty_text(HicovChart *c, const char *text);

/* Number formatting: a HicovChartFormat and the decimals of tooltips and
 * value labels (0..6; axis ticks use as many as their step needs). */
HICOV_API int hicov_chart_set_format(HicovChart *c, int format, int decimals);
/* "vi" or "en" (default "en"): digit grouping, decimal mark, money unit,
 * the built-in texts and the messages of hicov_chart_errmsg. */
HICOV_API int hicov_chart_set_lang(HicovChart *c, const char *lang);
HICOV_API int hicov_chart_set_theme(HicovChart *c, int theme);
/* The chart as bytes, for pickling: what it shows (kind, texts, format,
 * language, theme, colours, points, keys, series, target, marker, order,
 * range), not the layout of its last render; a tag and a version number
 * first, a SHA-256 of the rest last.  Caller frees *out with hicov_free.
 * hicov_chart_deserialize builds a new chart from such bytes through the
 * setters, which check everything again; bytes that are not such a chart
 * (cut, changed, another version) give HICOV_PARSE. */
HICOV_API int hicov_chart_serialize(const HicovChart *c, void **out,
                                    size_t *len);
HICOV_API int hicov_chart_deserialize(const void *data, size_t len,
                                      HicovChart **out);
/* The language and theme set ("en" and HICOV_CHART_THEME_LIGHT unless
 * changed); the text belongs to c.  NULL and -1 for a NULL chart. */
HICOV_API const char *hicov_chart_lang(const HicovChart *c);
HICOV_API int hicov_chart_theme(const HicovChart *c);
/* Overrides the theme's background and foreground (e.g. the widget's). */
HICOV_API int hicov_chart_set_colors(HicovChart *c,
                                     const HicovChartColors *colors);
/* Base font size in user units (default 11: px at scale 1, pt in PDF). */
HICOV_API int hicov_chart_set_font_size(HicovChart *c, double size);
/* Room kept free at the right of the title and the subtitle, in user
 * units (default 0): a widget's button over the chart's top right corner.
 * The texts wrap before it; nothing else moves.  Not in the chart's saved
 * state.  HICOV_INVALID for a NULL chart or a negative or non-finite
 * width. */
HICOV_API int hicov_chart_set_title_inset(HicovChart *c, double width);

/* Data.  The categories define the n points (and drop every series); each
 * label is copied (NULL is an empty label).  x values, if set, must come
 * after the categories with the same n and be finite and increasing; they
 * place LINE points proportionally and label that axis with nice integer
 * ticks (years).  Without categories, hicov_chart_set_x_values alone
 * defines n points labelled by their x values. */
HICOV_API int hicov_chart_set_categories(HicovChart *c,
                                         const char *const *labels, size_t n);
HICOV_API int hicov_chart_set_x_values(HicovChart *c, const double *x,
                                       size_t n);
HICOV_API size_t hicov_chart_point_count(const HicovChart *c);
/* Optional keys, one per point (e.g. unit codes), copied; reported by hit
 * testing so a click on a bar can drill down.  n must equal the point
 * count; hicov_chart_set_categories drops them. */
HICOV_API int hicov_chart_set_keys(HicovChart *c, const char *const *keys,
                                   size_t n);
/* Key of point i, or NULL. Belongs to c. */
HICOV_API const char *hicov_chart_point_key(const HicovChart *c, size_t i);
/* Appends a series of n values (n must equal the point count); values are
 * copied, NaN means missing.  *index (optional) gets the series index.
 * At most 32 series. */
HICOV_API int hicov_chart_add_series(HicovChart *c, const char *name,
                                     const double *values, size_t n,
                                     unsigned flags, size_t *index);
HICOV_API size_t hicov_chart_series_count(const HicovChart *c);
/* Name of series k (belongs to c) and its value at point i (NaN when
 * missing or out of range); NULL past the last series. */
HICOV_API const char *hicov_chart_series_name(const HicovChart *c, size_t k);
HICOV_API double hicov_chart_value(const HicovChart *c, size_t k, size_t i);

/* A horizontal (vertical for BAR_RANKED) target line at `value` with a
 * label (copied); NaN removes it.  The value axis always includes it. */
HICOV_API int hicov_chart_set_target(HicovChart *c, double value,
                                     const char *label);
/* A vertical deadline marker at x (an x value if x values are set, else a
 * category index, fractions allowed); NaN removes it.  Ignored by
 * BAR_RANKED. */
HICOV_API int hicov_chart_set_marker(HicovChart *c, double x,
                                     const char *label);
/* Highlights (1) or un-highlights (0) the bar or column of point i. */
HICOV_API int hicov_chart_set_highlight(HicovChart *c, size_t i, int on);
/* BAR_RANKED order (HicovChartSort). */
HICOV_API int hicov_chart_set_sort(HicovChart *c, int sort);
/* Forces the value axis to include [min, max]; NaN for either leaves that
 * end automatic. */
HICOV_API int hicov_chart_set_value_range(HicovChart *c, double min,
                                          double max);

/* BAR_RANKED only: 1 lets the value axis start away from zero, at the
 * data (and the target and forced range), so that 92.8% and 96.9% look
 * different; the bars then start at the axis's first tick.  Default 0:
 * bars from zero. */
HICOV_API int hicov_chart_set_zoomed(HicovChart *c, int on);

/* BAR_RANKED only: 1 draws the bars that meet the target (value >= the
 * target line) in green (Okabe-Ito bluish green), the others in reddish
 * purple; without a target, in the series' colour.  Default 0. */
HICOV_API int hicov_chart_set_target_colors(HicovChart *c, int on);

/* ---- Maps (HICOV_CHART_MAP) ----
 *
 * Projection: longitude and latitude in degrees (WGS 84, as hicov-geo.h
 * reads them) are drawn equirectangular about the centre of all shapes,
 * x = (lon - lon0) * cos(lat0), y = lat - lat0, scaled to fit (north up);
 * at the scale of a country this keeps shapes true to within a few
 * percent.  Classes of the first series' finite values:
 *   QUANTILE  n classes of about as many units each: the bounds are the
 *             sorted values at ranks floor(k * m / n), k = 0..n-1 (m values),
 *             and the maximum; a value is in the last class whose lower
 *             bound it reaches (equal bounds merge classes);
 *   EQUAL     n classes of equal width between the minimum and maximum;
 *   TARGET    two classes against the target (hicov_chart_set_target):
 *             below it, and at or above it (the ranking's green).
 * Sequential colours (ColorBrewer Blues, light to dark) for QUANTILE and
 * EQUAL; units without a value are grey and listed in the legend. */
typedef enum {
  HICOV_MAP_CLASSES_QUANTILE = 0,
  HICOV_MAP_CLASSES_EQUAL = 1,
  HICOV_MAP_CLASSES_TARGET = 2
} HicovMapClasses;

/* Shape of point i: n_points (lon, lat) pairs in xy, rings one after the
 * other with ring_len[k] points (outer rings and holes, filled with the
 * even-odd rule); n_rings 0 removes it.  Copied. */
HICOV_API int hicov_chart_set_shape(HicovChart *c, size_t i, const double *xy,
                                    size_t n_points, const size_t *ring_len,
                                    size_t n_rings);
/* Class mode (HicovMapClasses) and number of classes (2..7; TARGET has 2). */
HICOV_API int hicov_chart_set_map_classes(HicovChart *c, int mode, int n);
/* A note drawn in a box on the map (copied; NULL or "" removes it). */
HICOV_API int hicov_chart_set_map_note(HicovChart *c, const char *note);
/* The note set, NULL when none; belongs to c. */
HICOV_API const char *hicov_chart_map_note(const HicovChart *c);
/* Classes as computed from the data (no render needed): the count (0 when
 * no value is finite); class of point i (-1: no value or no shape); class
 * k's bounds [lo, hi] and fill colour (RGBA 0..1). */
HICOV_API int hicov_chart_map_class_count(HicovChart *c);
HICOV_API int hicov_chart_map_class(HicovChart *c, size_t i);
HICOV_API int hicov_chart_map_class_info(HicovChart *c, int k, double *lo,
                                         double *hi, double rgba[4]);
/* Fill colour of units without a value (RGBA 0..1). */
HICOV_API void hicov_chart_map_missing_color(double rgba[4]);
/* A point inside point i's shape in the last render's coordinates (for
 * tests and automation); HICOV_NOTFOUND when it has no drawn shape. */
HICOV_API int hicov_chart_map_shape_point(const HicovChart *c, size_t i,
                                          double *x, double *y);

/* The map of an indicator over every unit at `level` that exists at the
 * end of `period` (name order; keys are the unit codes, values those of
 * the ranking), titled "<indicator> by <level>, <period>"; the subtitle
 * names `boundaries` (a file name, NULL: none) and synthetic data; with
 * schematic set, the note hicov_chart_schematic_note; with a finite target,
 * classes against it.  The caller then gives each point its shape
 * (hicov_chart_set_shape, e.g. from a hicov-geo.h join). */
HICOV_API int hicov_chart_units_map(HicovDataset *ds, const char *indicator,
                                    int level, HicovPeriod period,
                                    double target, const char *boundaries,
                                    int schematic, const char *lang,
                                    HicovChart **out);
/* "Schematic, not real boundaries" in lang (static). */
HICOV_API const char *hicov_chart_schematic_note(const char *lang);

/* 1 if no series has a finite value (the chart draws its empty text). */
HICOV_API int hicov_chart_is_empty(const HicovChart *c);

/* Draws the chart into (0, 0, width, height) of cr's user space.  Returns
 * HICOV_OK without drawing for a zero or negative size, HICOV_INVALID for
 * NULL arguments or a cairo context in an error state, HICOV_NOMEM.  The
 * context's state (source, path, clip) is saved and restored. */
HICOV_API int hicov_chart_render(HicovChart *c, cairo_t *cr, double width,
                                 double height, int flags);

/* Saving.  width_pt x height_pt in points (PNG: pixels at scale 1; scale 2
 * gives a hi-dpi PNG of twice the pixels; scale is ignored by SVG and PDF).
 * The PNG states its resolution, 72 x scale dots per inch, in a pHYs
 * chunk.
 * The file is written to a temporary file in the same directory and renamed
 * over path, so readers never see half a file.  HICOV_IO on failure, with
 * the path and the system's reason in hicov_chart_errmsg. */
HICOV_API int hicov_chart_save_png(HicovChart *c, const char *path,
                                   double width_pt, double height_pt,
                                   double scale);
HICOV_API int hicov_chart_save_svg(HicovChart *c, const char *path,
                                   double width_pt, double height_pt);
HICOV_API int hicov_chart_save_pdf(HicovChart *c, const char *path,
                                   double width_pt, double height_pt);
/* The SVG document in memory (for Python's _repr_svg_).  *out is
 * NUL-terminated, *len (optional) excludes the NUL; caller frees *out with
 * hicov_free(). */
HICOV_API int hicov_chart_svg_to_buffer(HicovChart *c, double width_pt,
                                        double height_pt, char **out,
                                        size_t *len);

/* Hit testing against the last render. */
typedef enum {
  HICOV_CHART_HIT_NONE = 0,
  HICOV_CHART_HIT_POINT = 1, /* a line point */
  HICOV_CHART_HIT_BAR = 2,   /* a bar, column or stacked segment */
  HICOV_CHART_HIT_SHAPE = 3  /* a unit's shape on a map */
} HicovChartHitKind;

typedef struct {
  int kind;                /* HicovChartHitKind */
  size_t series;           /* series index */
  size_t index;            /* point index (as given, not the sorted rank) */
  double value;            /* the exact value */
  int projected;           /* 1 for a projection series */
  const char *series_name; /* belongs to the chart */
  const char *label;       /* category label; belongs to the chart */
  const char *key;         /* the point's key (unit code) or NULL */
  char text[256];          /* tooltip: "Lạng Sơn — 2024: 94,1%" */
} HicovChartHit;

/* Finds what is under (x, y): a bar containing it, or the nearest line
 * point within a few pixels.  Returns HICOV_OK and fills *out, or
 * HICOV_NOTFOUND (out->kind = NONE), or HICOV_INVALID before any render. */
HICOV_API int hicov_chart_hit(HicovChart *c, double x, double y,
                              HicovChartHit *out);

/* Geometry of the last render (HICOV_INVALID before any render or for an
 * empty chart).  value_to_y is for vertical value axes (all kinds but
 * BAR_RANKED), value_to_x for BAR_RANKED; x_to_pos gives the horizontal
 * centre of point i's band, or of x value x when x values are set. */
HICOV_API int hicov_chart_value_to_y(const HicovChart *c, double value,
                                     double *y);
HICOV_API int hicov_chart_value_to_x(const HicovChart *c, double value,
                                     double *x);
HICOV_API int hicov_chart_x_to_pos(const HicovChart *c, double x,
                                   double *pos);
/* The plot area (inside the axes). */
HICOV_API int hicov_chart_plot_rect(const HicovChart *c, double *x, double *y,
                                    double *w, double *h);
/* The rectangle drawn for (series, point i); HICOV_NOTFOUND if that value
 * is missing or the kind draws no bar for it.  On a map, the bounding box
 * of point i's shape (series 0). */
HICOV_API int hicov_chart_bar_rect(const HicovChart *c, size_t series,
                                   size_t i, double *x, double *y, double *w,
                                   double *h);
/* The same for a bar or a line's point (a point is a zero-size rectangle
 * at its centre): what a keyboard cursor moves over.  HICOV_NOTFOUND if
 * point i of series is not drawn. */
HICOV_API int hicov_chart_point_rect(const HicovChart *c, size_t series,
                                     size_t i, double *x, double *y,
                                     double *w, double *h);
/* The value axis of the last render: first and last tick, step, tick
 * count. */
HICOV_API int hicov_chart_value_ticks(const HicovChart *c, double *min,
                                      double *max, double *step, int *count);

/* Nice axis (pure function, exported for tests and other front ends):
 * ticks covering [lo, hi] with a step of 1, 2 or 5 x 10^n and at most
 * max_intervals intervals (>= 1).  Tick i is (first_index + i) * step,
 * i = 0..count-1.  lo == hi gets a sensible range around the value;
 * include_zero extends the range to 0.  Returns HICOV_INVALID for
 * non-finite input. */
typedef struct {
  double min, max;  /* first and last tick */
  double step;
  double first_index; /* min / step, an integer */
  int count;        /* number of ticks, >= 2 */
  int decimals;     /* digits after the decimal mark a tick label needs */
} HicovAxisTicks;
HICOV_API int hicov_axis_nice(double lo, double hi, int max_intervals,
                              int include_zero, HicovAxisTicks *out);
/* Value of tick i: (first_index + i) * step. */
HICOV_API double hicov_axis_tick(const HicovAxisTicks *t, int i);

/* ------------------------------------------------------------------------ */
/* Standard charts from a dataset                                            */
/*
 * Each builds a ready-to-render chart from ds through the core API (titles
 * in lang, "vi" or "en", with the core's indicator labels and the
 * dashboard's period labels, hicov_figure_period_label; a subtitle says
 * when units are synthetic).  *out
 * gets a new chart the caller frees with hicov_chart_free (NULL on
 * failure).  Returns HICOV_OK, HICOV_NOTFOUND (unknown unit, indicator or
 * measure), HICOV_INVALID, HICOV_NOMEM.  A chart with no values is still
 * returned: it draws its "No data" state. */

/* LINE of coverage_rate by year for unit over the dataset's years (years
 * without a value are left out; x is proportional to the year).  The
 * target is the coverage_rate target of unit in res; with res NULL, the
 * dataset's resolution target whose deadline is the earliest not before the
 * last year with data (else the latest).  When the deadline lies after the
 * data, a dashed projection (hicov_project, the fit hicov_assess uses) runs
 * from the last value to the deadline year, marked with a deadline line. */
HICOV_API int hicov_chart_coverage_trend(HicovDataset *ds, const char *unit,
                                         const HicovResolution *res,
                                         const char *lang, HicovChart **out);

/* BAR_RANKED of an indicator over the units below parent for a period:
 * level < 0 takes the direct children, else the units at that HicovLevel
 * (hicov_dataset_units_at).  target (NaN: none) draws the target line.
 * Point keys are the unit codes (HicovChartHit.key, for drill-down). */
HICOV_API int hicov_chart_children_ranked(HicovDataset *ds,
                                          const char *indicator,
                                          const char *parent,
                                          HicovPeriod period, int level,
                                          double target, const char *lang,
                                          HicovChart **out);
/* The same with only the limit highest units (limit > 0) or the -limit
 * lowest (limit < 0; 0: all), units without a value counted last; the
 * subtitle then says "The 10 highest of 120 units" (or lowest).  Which of
 * several units with the value at the cut is kept is not specified. */
HICOV_API int hicov_chart_children_ranked_n(HicovDataset *ds,
                                            const char *indicator,
                                            const char *parent,
                                            HicovPeriod period, int level,
                                            double target, long limit,
                                            const char *lang,
                                            HicovChart **out);

/* STACKED columns of a measure (e.g. "participants") by beneficiary group
 * for unit over periods: the five largest groups, the rest summed exactly
 * into "Other groups" so the palette never repeats. */
HICOV_API int hicov_chart_groups_stacked(HicovDataset *ds,
                                         const char *measure,
                                         const char *unit,
                                         const HicovPeriod *periods,
                                         size_t nperiods, const char *lang,
                                         HicovChart **out);

/* COLUMN of one indicator (visits, total_cost, ...) for unit over periods. */
HICOV_API int hicov_chart_indicator_columns(HicovDataset *ds,
                                            const char *indicator,
                                            const char *unit,
                                            const HicovPeriod *periods,
                                            size_t nperiods, const char *lang,
                                            HicovChart **out);

/* DUAL of fund_revenue (columns) and fund_paid (line) for unit over
 * periods. */
HICOV_API int hicov_chart_revenue_spending(HicovDataset *ds, const char *unit,
                                           const HicovPeriod *periods,
                                           size_t nperiods, const char *lang,
                                           HicovChart **out);

/* ------------------------------------------------------------------------ */
/* The dashboard's figures                                                   */
/*
 * What a dashboard shows for one selection, a unit and a period: eight
 * charts and six KPI tiles, built here once from the core's results so
 * that every front end (the GTK dashboard, its printout, scripts) shows the
 * same figures with the same texts.  The standard charts above and the PDF
 * report draw their coverage trend, ranking and group split with the same
 * code.
 *
 * A HicovFigureContext holds what stays the same across selections: the
 * dataset (borrowed: it must outlive the context and not change while the
 * context is used), the assessment of its resolutions (hicov_assess, run
 * once by hicov_figure_context_new), the months the data spans and the
 * language, "vi" or "en", of numbers and texts.  A context is not
 * thread-safe. */

typedef struct HicovFigureContext HicovFigureContext;

typedef enum {
  HICOV_FIG_COVERAGE_TREND = 0, /* LINE: coverage by year, the target, its
                                   deadline and the projection to it; for a
                                   quarter or a month, by quarter (month)
                                   where the data has them, the projection
                                   by year only */
  HICOV_FIG_RANKING,            /* BAR_RANKED: coverage of the units below
                                   (the 20 lowest), keys are unit codes */
  HICOV_FIG_GROUPS,             /* STACKED: participants by beneficiary
                                   group, five largest + "Other groups" */
  HICOV_FIG_CHECKIN,            /* COLUMN: chip-ID check-in success rate */
  HICOV_FIG_VISITS,             /* COLUMN: insured visits */
  HICOV_FIG_SPENDING,           /* COLUMN: total cost and fund payments */
  HICOV_FIG_COST_PER_VISIT,     /* LINE: cost per visit */
  HICOV_FIG_FUND,               /* DUAL: contribution revenue and fund
                                   payments */
  HICOV_N_FIGS
} HicovFigure;

typedef enum {
  HICOV_KPI_COVERAGE = 0,
  HICOV_KPI_GAP,
  HICOV_KPI_VISITS,
  HICOV_KPI_SPENDING,
  HICOV_KPI_COST_PER_VISIT,
  HICOV_KPI_FUND,
  HICOV_N_KPIS
} HicovKpi;

/* Direction a KPI's change points to, and whether that is good news. */
typedef enum {
  HICOV_TREND_NONE = 0,
  HICOV_TREND_GOOD,
  HICOV_TREND_BAD,
  HICOV_TREND_NEUTRAL
} HicovTrend;

/* Stable names ("coverage-trend", "ranking", ...; "coverage", "gap", ...)
 * for file names and scripts: static strings, NULL for an unknown value.
 * hicov_figure_from_name returns -1 for an unknown name. */
HICOV_API const char *hicov_figure_name(int fig);
HICOV_API int hicov_figure_from_name(const char *name);
HICOV_API const char *hicov_kpi_name(int kpi);
/* Titles in lang ("vi" or "en"): "Coverage over time", "Gap to target".
 * Static strings; "" for an unknown value. */
HICOV_API const char *hicov_figure_title(int fig, const char *lang);
HICOV_API const char *hicov_kpi_title(int kpi, const char *lang);
/* A period as the figures name it: "2024", "Q3 2024" / "Quý 3/2024",
 * "October 2024" / "Tháng 10/2024", "Jan–Oct 2025" / "Tháng 1–10/2025".
 * 64 bytes suffice.  HICOV_OK, HICOV_INVALID, HICOV_LIMIT (buf too small:
 * buf then holds ""). */
HICOV_API int hicov_figure_period_label(HicovPeriod p, const char *lang,
                                        char *buf, size_t size);

/* Makes a context for ds in lang ("vi" or "en"; anything else is
 * English).  With res NULL every resolution of ds is assessed; otherwise
 * only res, copied (the context keeps no pointer to it).  ds is borrowed.
 * A resolution that cannot be assessed (a target about a unit ds does not
 * have) gives no targets.  Returns HICOV_OK, HICOV_INVALID or HICOV_NOMEM;
 * the caller frees *out with hicov_figure_context_free. */
HICOV_API int hicov_figure_context_new(HicovDataset *ds,
                                       const HicovResolution *res,
                                       const char *lang,
                                       HicovFigureContext **out);
HICOV_API void hicov_figure_context_free(HicovFigureContext *ctx);
/* Message of the last failure on ctx ("" if none).  Belongs to ctx. */
HICOV_API const char *hicov_figure_context_errmsg(
    const HicovFigureContext *ctx);
/* "vi" or "en". Belongs to ctx. */
HICOV_API const char *hicov_figure_context_lang(const HicovFigureContext *ctx);

/* What the trend and the ranking show (default: coverage, the 20 lowest
 * units, the selected unit alone).
 *
 * hicov_figure_indicator(i) names the indicators they can show, for a
 * picker: "coverage_rate", "participants", "cost_per_participant",
 * "cost_per_visit", "inpatient_share", "avg_length_of_stay",
 * "patients_500m", "commune_visit_share", "fund_usage"; NULL past the
 * last.  Static strings.
 *
 * set_indicator: one of those (NULL: coverage_rate); HICOV_NOTFOUND for
 * another.  An indicator other than coverage draws the trend as its yearly
 * values without target or projection, and the ranking without target.
 *
 * set_ranking_max: the ranking's most bars, the lowest first; 0 shows
 * every unit below, highest first.
 *
 * set_compare: up to HICOV_FIGURE_MAX_COMPARE unit codes (copied) drawn
 * on the trend after the selected unit, one line each (n 0 clears them);
 * HICOV_LIMIT for more, HICOV_NOTFOUND for an unknown unit (the set is
 * then unchanged), HICOV_NOMEM. */
#define HICOV_FIGURE_MAX_COMPARE 4
HICOV_API const char *hicov_figure_indicator(size_t i);
HICOV_API int hicov_figure_context_set_indicator(HicovFigureContext *ctx,
                                                 const char *indicator);
HICOV_API const char *hicov_figure_context_indicator(
    const HicovFigureContext *ctx);
HICOV_API int hicov_figure_context_set_ranking_max(HicovFigureContext *ctx,
                                                   size_t max);
HICOV_API int hicov_figure_context_set_compare(HicovFigureContext *ctx,
                                               const char *const *units,
                                               size_t n);

/* The coverage target that applies to a unit in a period, with its
 * assessment. */
typedef struct {
  const HicovResolution *resolution; /* belongs to the dataset (or to the
                                        context for the res it copied) */
  const HicovTarget *target;         /* belongs to resolution */
  HicovAssessment assessment;        /* a copy */
} HicovUnitTarget;

/* A coverage_rate target of unit from a resolution whose term includes the
 * period's end year, else the one with the latest deadline.  Returns
 * HICOV_OK, HICOV_NOTFOUND (no such target; *out untouched) or
 * HICOV_INVALID. */
HICOV_API int hicov_figure_unit_target(const HicovFigureContext *ctx,
                                       const char *unit, HicovPeriod period,
                                       HicovUnitTarget *out);

/* One KPI tile's texts, in the context's language except reason.  Empty
 * strings stand for "none". */
typedef struct {
  char value[64];   /* "94,1%"; "—" when missing */
  char change[192]; /* "+1,3 điểm % so với 2023"; when missing, a short
                       label ("No target") or "" for "No data" */
  char detail[192]; /* "764.769 người tham gia" */
  char reason[HICOV_REASON_MAX]; /* when missing: the core's English reason, or "" */
  int trend;        /* HicovTrend of the change */
  int missing;      /* 1 when the KPI has no value */
  char basis[192];  /* when the change compares the unit with a territory
                       that units joined since the earlier period: "on
                       today's boundaries: with Hòa Bình"; else "" */
  int estimate;     /* 1 when the value or its change rests on a crosswalk
                       share (the change then ends in "(estimate)") */
} HicovKpiText;

/* Fills *out with KPI kpi (HicovKpi) of unit in period.  A KPI without a
 * value is not an error: out->missing is 1.  Returns HICOV_OK,
 * HICOV_INVALID (NULL argument, unknown kpi) or HICOV_NOTFOUND (unknown
 * unit), with a message in hicov_figure_context_errmsg. */
HICOV_API int hicov_figure_kpi(HicovFigureContext *ctx, const char *unit,
                               HicovPeriod period, int kpi,
                               HicovKpiText *out);

/* Builds figure fig (HicovFigure) of unit in period: titles in the
 * context's language, flows over up to 12 periods of the selected kind
 * ending with the selected one (highlighted).  The ranking's point keys
 * are the unit codes (hicov_chart_point_key; HicovChartHit.key) for
 * drilling down.  A figure without values is still built: it draws its
 * "No data" text.  Returns HICOV_OK, HICOV_INVALID, HICOV_NOTFOUND
 * (unknown unit) or HICOV_NOMEM; *out gets a new chart the caller frees
 * with hicov_chart_free (NULL on failure). */
HICOV_API int hicov_figure_chart(HicovFigureContext *ctx, const char *unit,
                                 HicovPeriod period, int fig,
                                 HicovChart **out);

/* LINE of one equity measure (HicovEquityMeasure, shown as the labels
 * say: Theil and MLD x 1000) of indicator across the units at level below
 * unit, year by year from the data's first year (at most 12 years) to the
 * period's end year, every year on the boundaries at the end of that last
 * year (hicov_equity_on; order as there, NULL for none), from the first
 * year with a value; a later year whose measure cannot be computed is a
 * gap.  The title names the measure, the
 * subtitle the indicator, the level and the unit; the points' keys are
 * the years.  Returns as hicov_figure_chart, and HICOV_INVALID for an
 * unknown measure. */
HICOV_API int hicov_figure_equity_trend(HicovFigureContext *ctx,
                                        const char *indicator,
                                        const char *unit, int level,
                                        HicovPeriod period, int measure,
                                        const char *order, HicovChart **out);

#ifdef __cplusplus
}
#endif

#endif /* HICOV_CHART_H */

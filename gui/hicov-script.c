/* hicov-script.c - automation scripts for tests and benchmarks. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "hicov-chart-view.h"
#include "hicov-equity-view.h"
#include "hicov-kpi-tile.h"
#include "hicov-map-view.h"
#include "hicov-navigator.h"
#include "hicov-period-selector.h"
#include "hicov-script.h"
#include "hicov-window.h"

typedef struct {
  HicovWindow *window; /* weak */
  char **lines;
  guint pos;
  gulong paint_id;
  GString *log; /* hover results, for dump */
  guint shot_tries; /* of the screenshot waiting for a layout to settle */
} Script;

static gboolean script_failed;

gboolean
hicov_script_failed (void)
{
  return script_failed;
}

static void script_next (Script *s);

static void
script_free (Script *s)
{
  if (s->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (s->window),
                                  (gpointer *) &s->window);
  g_strfreev (s->lines);
  g_string_free (s->log, TRUE);
  g_free (s);
}

static void
fail (Script     *s,
      const char *fmt,
      ...) G_GNUC_PRINTF (2, 3);

static void
fail (Script     *s,
      const char *fmt,
      ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "hicov-script: line %u: %s\n", s->pos, msg);
  fflush (stderr);
  script_failed = TRUE;
}

static gboolean
save_screenshot (GtkWidget  *widget,
                 const char *path,
                 double      scale,
                 GError    **error)
{
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snap = gtk_snapshot_new ();
  GskRenderNode *node;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  g_autoptr (GdkTexture) texture = NULL;

  if (scale != 1.0)
    gtk_snapshot_scale (snap, (float) scale, (float) scale);
  gdk_paintable_snapshot (paintable, snap, w, h);
  node = gtk_snapshot_free_to_node (snap);
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                   "nothing to render (window %dx%d)", w, h);
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node,
      &GRAPHENE_RECT_INIT (0, 0, (float) (w * scale), (float) (h * scale)));
  gsk_render_node_unref (node);
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s: could not write the PNG", path);
      return FALSE;
    }
  return TRUE;
}

/* point-rgb: the colour drawn at the middle of each point's bar of the
 * first series ("" where none), the chart rendered at the widget's size
 * as the widget does. */
static void
dump_point_colors (HicovChartView *v,
                   HicovChart     *c,
                   GKeyFile       *kf,
                   const char     *group)
{
  int w = gtk_widget_get_width (GTK_WIDGET (v));
  int h = gtk_widget_get_height (GTK_WIDGET (v));
  g_autoptr (GString) rgb = g_string_new (NULL);
  double top, bottom, head, foot, inset;
  cairo_surface_t *surface;
  cairo_t *cr;

  if (w <= 0 || h <= 0)
    return;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  /* the widget's layout (its titles wrap before the export button), so
   * that hit tests after the dump find what the widget drew */
  hicov_chart_view_get_scroll_state (v, &top, &bottom, &head, &foot, &inset);
  hicov_chart_set_title_inset (c, inset);
  hicov_chart_view_render_to (v, cr, w, h, TRUE);
  hicov_chart_set_title_inset (c, 0);
  cairo_surface_flush (surface);
  for (size_t i = 0; i < hicov_chart_point_count (c); i++)
    {
      double x, y, bw, bh;
      const unsigned char *p;
      g_string_append (rgb, i ? ";" : "");
      if (hicov_chart_bar_rect (c, 0, i, &x, &y, &bw, &bh) != HICOV_OK ||
          x + bw / 2 >= w || y + bh / 2 >= h || x < 0 || y < 0)
        continue;
      p = cairo_image_surface_get_data (surface) +
          (int) (y + bh / 2) * cairo_image_surface_get_stride (surface) +
          4 * (int) (x + bw / 2);
      g_string_append_printf (rgb, "%d,%d,%d", p[2], p[1], p[0]);
    }
  g_key_file_set_string (kf, group, "point-rgb", rgb->str);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void dump_table (Script *s, GKeyFile *kf);
static void dump_equity (Script *s, GKeyFile *kf);
static void dump_map (Script *s, GKeyFile *kf);
static void dump_layout (Script *s, GKeyFile *kf);

static void
dump_state (Script     *s,
            const char *path)
{
  HicovWindow *w = s->window;
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  char period[16] = "";
  const char *views[] = { NULL };

  (void) views;
  hicov_period_format (hicov_window_get_period (w), period, sizeof period);
  g_key_file_set_string (kf, "state", "unit",
                         hicov_window_get_unit (w) ? hicov_window_get_unit (w)
                                                   : "");
  g_key_file_set_string (kf, "state", "period", period);
  g_key_file_set_string (kf, "state", "title",
                         gtk_window_get_title (GTK_WINDOW (w)));
  g_key_file_set_string (kf, "state", "error",
                         hicov_window_get_error (w) ? hicov_window_get_error (w)
                                                    : "");
  g_key_file_set_string (kf, "state", "notice",
                         hicov_window_get_notice (w) ? hicov_window_get_notice (w)
                                                     : "");
  g_key_file_set_string (kf, "state", "hover", s->log->str);
  {
    g_auto (GStrv) rows =
      hicov_navigator_dup_row_names (hicov_window_get_navigator (w));
    g_key_file_set_string_list (kf, "navigator", "rows",
                                (const char * const *) rows,
                                g_strv_length (rows));
  }
  for (int k = 0; k < HICOV_N_KPIS; k++)
    {
      HicovKpiTile *t = hicov_window_get_kpi_tile (w, hicov_kpi_name (k));
      g_autofree char *group = g_strdup_printf ("kpi.%s", hicov_kpi_name (k));
      g_key_file_set_string (kf, group, "title", hicov_kpi_tile_get_title (t));
      g_key_file_set_string (kf, group, "value", hicov_kpi_tile_get_value (t));
      g_key_file_set_string (kf, group, "change",
                             hicov_kpi_tile_get_change (t));
      g_key_file_set_string (kf, group, "detail",
                             hicov_kpi_tile_get_detail (t));
      g_key_file_set_boolean (kf, group, "truncated",
                              hicov_kpi_tile_is_truncated (t));
      g_key_file_set_string (kf, group, "reason",
                             hicov_kpi_tile_get_reason (t) != NULL
                               ? hicov_kpi_tile_get_reason (t) : "");
      g_key_file_set_string (kf, group, "note",
                             hicov_kpi_tile_get_note (t) != NULL
                               ? hicov_kpi_tile_get_note (t) : "");
    }
  for (int f = 0; f < HICOV_N_FIGS; f++)
    {
      /* Before get_chart builds a chart that waits for its page: a shown
       * chart must never wait. */
      gboolean stale = hicov_window_chart_is_stale (w, hicov_figure_name (f));
      HicovChartView *v = hicov_window_get_chart (w, hicov_figure_name (f));
      HicovChart *c = hicov_chart_view_get_chart (v);
      g_autofree char *group = g_strdup_printf ("chart.%s",
                                                hicov_figure_name (f));
      g_key_file_set_integer (kf, group, "points",
                              c ? (int) hicov_chart_point_count (c) : -1);
      g_key_file_set_integer (kf, group, "series",
                              c ? (int) hicov_chart_series_count (c) : -1);
      g_key_file_set_boolean (kf, group, "empty",
                              c == NULL || hicov_chart_is_empty (c));
      g_key_file_set_string (kf, group, "subtitle",
                             c && hicov_chart_subtitle (c)
                               ? hicov_chart_subtitle (c) : "");
      g_key_file_set_boolean (kf, group, "mapped",
                              gtk_widget_get_mapped (GTK_WIDGET (v)));
      g_key_file_set_boolean (kf, group, "stale", stale);
      g_key_file_set_string (kf, group, "title",
                             c && hicov_chart_title (c)
                               ? hicov_chart_title (c) : "");
      if (c != NULL)
        {
          g_autoptr (GPtrArray) names = g_ptr_array_new ();
          g_autoptr (GString) values = g_string_new (NULL);
          for (size_t k = 0; k < hicov_chart_series_count (c); k++)
            g_ptr_array_add (names, (gpointer) hicov_chart_series_name (c, k));
          g_key_file_set_string_list (kf, group, "series-names",
                                      (const char *const *) names->pdata,
                                      names->len);
          for (size_t i = 0; i < hicov_chart_point_count (c); i++)
            g_string_append_printf (values, "%s%.17g", i ? ";" : "",
                                    hicov_chart_value (c, 0, i));
          g_key_file_set_string (kf, group, "values", values->str);
        }
      {
        double top, bottom, head, foot, inset, px, py, pw, ph;
        graphene_rect_t b;
        hicov_chart_view_get_scroll_state (v, &top, &bottom, &head, &foot,
                                           &inset);
        g_key_file_set_double (kf, group, "visible-top", top);
        g_key_file_set_double (kf, group, "visible-bottom", bottom);
        g_key_file_set_double (kf, group, "head-end", head);
        g_key_file_set_double (kf, group, "foot-start",
                               foot >= G_MAXDOUBLE ? -1 : foot);
        g_key_file_set_double (kf, group, "title-inset", inset);
        if (hicov_chart_view_get_cursor (v) >= 0 &&
            hicov_chart_view_point_center (
                v, (size_t) hicov_chart_view_get_cursor (v), &px, &py))
          g_key_file_set_double (kf, group, "cursor-y", py);
        if (c != NULL &&
            hicov_chart_plot_rect (c, &px, &py, &pw, &ph) == HICOV_OK)
          {
            g_key_file_set_double (kf, group, "plot-x", px);
            g_key_file_set_double (kf, group, "plot-y", py);
            g_key_file_set_double (kf, group, "plot-w", pw);
            g_key_file_set_double (kf, group, "plot-h", ph);
          }
        if (c != NULL)
          {
            /* each point's centre as drawn (-1: not drawn), for what a
             * scrolled chart shows */
            g_autoptr (GString) ys = g_string_new (NULL);
            for (size_t i = 0; i < hicov_chart_point_count (c); i++)
              g_string_append_printf (ys, "%s%.1f", i ? ";" : "",
                  hicov_chart_view_point_center (v, i, &px, &py) ? py : -1);
            g_key_file_set_string (kf, group, "point-y", ys->str);
            dump_point_colors (v, c, kf, group);
          }
        g_key_file_set_integer (kf, group, "height",
                                gtk_widget_get_height (GTK_WIDGET (v)));
        g_key_file_set_integer (kf, group, "width",
                                gtk_widget_get_width (GTK_WIDGET (v)));
        /* the export button, in the view's coordinates */
        for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (v));
             child != NULL; child = gtk_widget_get_next_sibling (child))
          if (GTK_IS_MENU_BUTTON (child) &&
              gtk_widget_compute_bounds (child, GTK_WIDGET (v), &b))
            {
              g_key_file_set_double (kf, group, "button-x", b.origin.x);
              g_key_file_set_double (kf, group, "button-y", b.origin.y);
            }
      }
    }
  dump_map (s, kf);
  dump_table (s, kf);
  dump_equity (s, kf);
  dump_layout (s, kf);
  {
    int selected = 0;
    g_auto (GStrv) res = hicov_window_dup_resolutions (w, &selected);
    g_key_file_set_string_list (kf, "resolution", "entries",
                                (const char * const *) res,
                                g_strv_length (res));
    g_key_file_set_integer (kf, "resolution", "selected", selected);
  }
  {
    g_auto (GStrv) rejected = hicov_window_dup_rejected (w);
    g_key_file_set_integer (kf, "rejected", "count",
                            (int) g_strv_length (rejected));
    for (guint i = 0; rejected[i] != NULL; i++)
      {
        g_autofree char *key = g_strdup_printf ("row%u", i);
        g_key_file_set_string (kf, "rejected", key, rejected[i]);
      }
  }
  {
    g_auto (GStrv) pins = hicov_window_dup_compared (w);
    g_key_file_set_string (kf, "figures", "indicator",
                           hicov_window_get_indicator (w));
    g_key_file_set_string_list (kf, "figures", "compared",
                                (const char * const *) pins,
                                g_strv_length (pins));
  }
  if (!g_key_file_save_to_file (kf, path, &error))
    fail (s, "dump: %s", error->message);
}

/* table-copy: what the clipboard holds, read back as a paste would. */
typedef struct {
  Script *s;
  char *path;
} ClipRead;

static void
on_clipboard_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  ClipRead *cr = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text =
    gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);

  if (text == NULL)
    fail (cr->s, "table-copy: %s", error ? error->message : "no text");
  else if (!g_file_set_contents (cr->path, text, -1, &error))
    fail (cr->s, "table-copy: %s", error->message);
  g_free (cr->path);
  g_free (cr);
}

static void
table_copy (Script     *s,
            const char *path)
{
  HicovTableView *t = hicov_window_get_table_view (s->window);
  ClipRead *cr = g_new0 (ClipRead, 1);

  hicov_table_view_copy (t);
  cr->s = s;
  cr->path = g_strdup (path);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (t)),
                                 NULL, on_clipboard_read, cr);
}

static void
dump_table (Script   *s,
            GKeyFile *kf)
{
  HicovWindow *w = s->window;
  gboolean stale = hicov_window_table_is_stale (w);
  HicovTableView *t = hicov_window_get_table_view (w);
  g_auto (GStrv) rows = hicov_table_view_dup_shown (t);

  g_key_file_set_boolean (kf, "table", "mapped",
                          gtk_widget_get_mapped (GTK_WIDGET (t)));
  g_key_file_set_boolean (kf, "table", "stale", stale);
  g_key_file_set_integer (kf, "table", "rows", (int) g_strv_length (rows));
  for (guint i = 0; rows[i] != NULL; i++)
    {
      g_autofree char *key = g_strdup_printf ("row%u", i);
      g_key_file_set_string (kf, "table", key, rows[i]);
    }
}

/* [equity]: the Equity page's rows as drawn, "key = text". */
static void
dump_equity (Script   *s,
             GKeyFile *kf)
{
  HicovEquityView *e = hicov_window_get_equity_view (s->window);
  g_auto (GStrv) rows = hicov_equity_view_dup_shown (e);
  HicovChart *c = hicov_chart_view_get_chart (hicov_equity_view_get_chart (e));

  g_key_file_set_boolean (kf, "equity", "mapped",
                          gtk_widget_get_mapped (GTK_WIDGET (e)));
  for (guint i = 0; rows[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (rows[i], "\t", 2);
      g_key_file_set_string (kf, "equity", kv[0], kv[1] ? kv[1] : "");
    }
  g_key_file_set_string (kf, "equity", "chart-title",
                         c && hicov_chart_title (c) ? hicov_chart_title (c)
                                                    : "");
  g_key_file_set_integer (kf, "equity", "chart-points",
                          c ? (int) hicov_chart_point_count (c) : -1);
}

/* [layout]: the window's width against what its parts take: the header
 * bar's and every page's minimum width, and the right edges (window
 * coordinates) of the last KPI tile and of the page stack, which must
 * stay inside the window. */
static int
min_width (GtkWidget *widget)
{
  int min = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL,
                      NULL, NULL);
  return min;
}

static void
dump_layout (Script   *s,
             GKeyFile *kf)
{
  GtkWidget *win = GTK_WIDGET (s->window);
  GtkWidget *table = GTK_WIDGET (hicov_window_get_table_view (s->window));
  GtkWidget *stack = gtk_widget_get_ancestor (table, GTK_TYPE_STACK);
  GtkWidget *titlebar = gtk_window_get_titlebar (GTK_WINDOW (win));
  GtkWidget *tile = GTK_WIDGET (hicov_window_get_kpi_tile (s->window,
                                                           "fund"));
  graphene_rect_t b;

  g_key_file_set_integer (kf, "layout", "window-width",
                          gtk_widget_get_width (win));
  g_key_file_set_integer (kf, "layout", "window-min-width", min_width (win));
  if (titlebar != NULL)
    {
      g_key_file_set_integer (kf, "layout", "titlebar-min-width",
                              min_width (titlebar));
      if (gtk_widget_compute_bounds (titlebar, win, &b))
        g_key_file_set_double (kf, "layout", "titlebar-right",
                               b.origin.x + b.size.width);
      if (GTK_IS_HEADER_BAR (titlebar) &&
          gtk_header_bar_get_title_widget (GTK_HEADER_BAR (titlebar)))
        {
          GtkWidget *sw = gtk_header_bar_get_title_widget (
              GTK_HEADER_BAR (titlebar));
          g_key_file_set_integer (kf, "layout", "switcher-min-width",
                                  min_width (sw));
          g_key_file_set_boolean (kf, "layout", "switcher-in-header",
                                  gtk_widget_get_mapped (sw));
        }
    }
  /* the view switcher under the pages (a narrow window) */
  for (GtkWidget *p = stack != NULL ? gtk_widget_get_parent (stack) : NULL;
       p != NULL && !GTK_IS_WINDOW (p); p = gtk_widget_get_parent (p))
    for (GtkWidget *c = gtk_widget_get_first_child (p); c != NULL;
         c = gtk_widget_get_next_sibling (c))
      if (GTK_IS_STACK_SWITCHER (c))
        {
          g_key_file_set_boolean (kf, "layout", "switcher-under-pages",
                                  gtk_widget_get_mapped (c));
          if (gtk_widget_get_mapped (c) &&
              gtk_widget_compute_bounds (c, win, &b))
            g_key_file_set_double (kf, "layout", "switcher-under-right",
                                   b.origin.x + b.size.width);
        }
  g_key_file_set_integer (kf, "layout", "period-selector-min-width",
      min_width (GTK_WIDGET (hicov_window_get_period_selector (s->window))));
  if (gtk_widget_compute_bounds (tile, win, &b))
    g_key_file_set_double (kf, "layout", "last-tile-right",
                           b.origin.x + b.size.width);
  if (stack == NULL)
    return;
  if (gtk_widget_compute_bounds (stack, win, &b))
    g_key_file_set_double (kf, "layout", "stack-right",
                           b.origin.x + b.size.width);
  g_key_file_set_integer (kf, "layout", "stack-min-width", min_width (stack));
  for (GtkWidget *page = gtk_widget_get_first_child (stack); page != NULL;
       page = gtk_widget_get_next_sibling (page))
    {
      const char *name = gtk_stack_page_get_name (
          gtk_stack_get_page (GTK_STACK (stack), page));
      g_autofree char *key = g_strdup_printf ("page-%s-min-width", name);
      g_key_file_set_integer (kf, "layout", key, min_width (page));
    }
}

/* The Map page: its lists, and per unit the value, class, class colour
 * and the colour drawn at a point inside the unit's shape (the chart
 * rendered at the widget's size, as the widget does), with that point in
 * window coordinates for checks against a screenshot. */
static void
dump_map (Script   *s,
          GKeyFile *kf)
{
  HicovMapView *m = hicov_window_get_map_view (s->window);
  HicovChartView *v = hicov_window_get_chart (s->window, "map");
  HicovChart *c = hicov_chart_view_get_chart (v);
  g_auto (GStrv) missing = hicov_map_view_dup_missing (m);
  g_auto (GStrv) orphans = hicov_map_view_dup_orphans (m);
  int w = gtk_widget_get_width (GTK_WIDGET (v));
  int h = gtk_widget_get_height (GTK_WIDGET (v));
  cairo_surface_t *surface;
  cairo_t *cr;

  g_key_file_set_string_list (kf, "map", "missing",
                              (const char *const *) missing,
                              g_strv_length (missing));
  g_key_file_set_string_list (kf, "map", "orphans",
                              (const char *const *) orphans,
                              g_strv_length (orphans));
  g_key_file_set_string (kf, "map", "property",
                         hicov_map_view_get_property (m)
                           ? hicov_map_view_get_property (m) : "");
  g_key_file_set_double (kf, "map", "build_ms",
                         hicov_map_view_last_build_ms (m));
  if (c == NULL || w <= 0 || h <= 0)
    return;
  g_key_file_set_string (kf, "map", "title", hicov_chart_title (c));
  g_key_file_set_string (kf, "map", "subtitle",
                         hicov_chart_subtitle (c) ? hicov_chart_subtitle (c)
                                                  : "");
  g_key_file_set_string (kf, "map", "note",
                         hicov_chart_map_note (c) ? hicov_chart_map_note (c)
                                                  : "");
  g_key_file_set_integer (kf, "map", "classes",
                          hicov_chart_map_class_count (c));
  for (int k = 0; k < hicov_chart_map_class_count (c); k++)
    {
      double lo, hi;
      g_autofree char *key = g_strdup_printf ("class%d", k);
      g_autofree char *bounds = NULL;
      hicov_chart_map_class_info (c, k, &lo, &hi, NULL);
      bounds = g_strdup_printf ("%.17g %.17g", lo, hi);
      g_key_file_set_string (kf, "map", key, bounds);
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  hicov_chart_view_render_to (v, cr, w, h, TRUE);
  cairo_surface_flush (surface);
  for (size_t i = 0; i < hicov_chart_point_count (c); i++)
    {
      const char *key = hicov_chart_point_key (c, i);
      g_autofree char *group = g_strdup_printf ("map.%s", key ? key : "");
      double x, y, rgba[4] = { 0, 0, 0, 0 };
      int k = hicov_chart_map_class (c, i);
      HicovChartHit hit;

      if (hicov_chart_map_shape_point (c, i, &x, &y) != HICOV_OK)
        {
          g_key_file_set_boolean (kf, group, "drawn", FALSE);
          continue;
        }
      g_key_file_set_boolean (kf, group, "drawn", TRUE);
      g_key_file_set_integer (kf, group, "index", (int) i);
      g_key_file_set_integer (kf, group, "class", k);
      if (k >= 0)
        hicov_chart_map_class_info (c, k, NULL, NULL, rgba);
      else
        hicov_chart_map_missing_color (rgba);
      {
        g_autofree char *want = g_strdup_printf (
            "%d,%d,%d", (int) lround (rgba[0] * 255),
            (int) lround (rgba[1] * 255), (int) lround (rgba[2] * 255));
        const unsigned char *p = cairo_image_surface_get_data (surface) +
                                 (int) y * cairo_image_surface_get_stride (surface) +
                                 4 * (int) x;
        g_autofree char *got = g_strdup_printf ("%d,%d,%d", p[2], p[1], p[0]);
        g_key_file_set_string (kf, group, "color", want);
        g_key_file_set_string (kf, group, "drawn_color", got);
      }
      if (hicov_chart_hit (c, x, y, &hit) == HICOV_OK)
        {
          g_key_file_set_double (kf, group, "value", hit.value);
          g_key_file_set_string (kf, group, "tooltip", hit.text);
        }
      {
        graphene_point_t in = GRAPHENE_POINT_INIT ((float) x, (float) y), out;
        if (gtk_widget_compute_point (GTK_WIDGET (v), GTK_WIDGET (s->window),
                                      &in, &out))
          {
            g_autofree char *at = g_strdup_printf ("%d,%d", (int) out.x,
                                                   (int) out.y);
            g_key_file_set_string (kf, group, "window_point", at);
          }
      }
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static HicovChartView *
chart_arg (Script     *s,
           const char *name)
{
  HicovChartView *v = hicov_window_get_chart (s->window, name);

  if (v == NULL)
    fail (s, "unknown chart '%s'", name);
  return v;
}

/* Runs one command. Returns FALSE to stop the script. *wait_ms gets how
 * long to wait before the next command when no frame is expected. */
static gboolean
run_command (Script  *s,
             char   **argv,
             int      argc,
             gboolean *wait_busy,
             guint    *wait_ms)
{
  HicovWindow *w = s->window;
  const char *cmd = argv[0];
  g_autoptr (GError) error = NULL;

  if (g_str_equal (cmd, "demo") && argc == 1)
    gtk_widget_activate_action (GTK_WIDGET (w), "win.load-demo", NULL);
  else if (g_str_equal (cmd, "open") && argc == 2)
    {
      hicov_window_load_folder (w, argv[1]);
      *wait_busy = TRUE;
    }
  else if (g_str_equal (cmd, "open-lenient") && argc == 2)
    {
      hicov_window_load_folder_full (w, argv[1], TRUE);
      *wait_busy = TRUE;
    }
  else if (g_str_equal (cmd, "unit") && argc == 2)
    gtk_widget_activate_action (GTK_WIDGET (w), "win.select-unit", "s",
                                argv[1]);
  else if (g_str_equal (cmd, "period") && argc == 2)
    gtk_widget_activate_action (GTK_WIDGET (w), "win.select-period", "s",
                                argv[1]);
  else if (g_str_equal (cmd, "view") && argc == 2)
    {
      if (!hicov_window_show_view (w, argv[1]))
        fail (s, "unknown view '%s'", argv[1]);
      /* Let the stack's crossfade finish. */
      *wait_ms = 500;
    }
  else if (g_str_equal (cmd, "export") && argc == 3)
    {
      HicovChartView *v = chart_arg (s, argv[1]);
      if (v != NULL && !hicov_chart_view_save (v, argv[2], &error))
        fail (s, "export: %s", error->message);
    }
  else if (g_str_equal (cmd, "key") && argc == 3)
    {
      /* key CHART KEYNAME: as if pressed on the focused chart; the
       * readout goes to the log */
      HicovChartView *v = chart_arg (s, argv[1]);
      guint keyval = gdk_keyval_from_name (argv[2]);
      const char *text;

      if (v == NULL)
        return TRUE;
      gtk_widget_grab_focus (GTK_WIDGET (v));
      if (!hicov_chart_view_press_key (v, keyval))
        fail (s, "key: '%s' did nothing on %s", argv[2], argv[1]);
      text = hicov_chart_view_get_readout (v);
      printf ("hicov-script: key %s %s: %s\n", argv[1], argv[2],
              text ? text : "(nothing)");
      g_string_append_printf (s->log, "%s%s", s->log->len ? " | " : "",
                              text ? text : "");
    }
  else if ((g_str_equal (cmd, "hover") || g_str_equal (cmd, "click")) &&
           argc == 3)
    {
      HicovChartView *v = chart_arg (s, argv[1]);
      double x, y;
      guint64 i = g_ascii_strtoull (argv[2], NULL, 10);

      if (v == NULL)
        return TRUE;
      if (!hicov_chart_view_point_center (v, (size_t) i, &x, &y))
        {
          fail (s, "%s: chart '%s' has no drawn point %s", cmd, argv[1],
                argv[2]);
          return TRUE;
        }
      if (g_str_equal (cmd, "hover"))
        {
          g_autofree char *text = hicov_chart_view_describe_at (v, x, y);
          printf ("hicov-script: hover %s %s: %s\n", argv[1], argv[2],
                  text ? text : "(nothing)");
          g_string_append_printf (s->log, "%s%s", s->log->len ? " | " : "",
                                  text ? text : "");
        }
      else if (!hicov_chart_view_activate_at (v, x, y))
        fail (s, "click: point %s of '%s' does not drill down", argv[2],
              argv[1]);
    }
  else if (g_str_equal (cmd, "screenshot") && (argc == 2 || argc == 3))
    {
      double scale = argc == 3 ? g_ascii_strtod (argv[2], NULL) : 1.0;
      /* A layout still settling (the view tabs moving at a window's first
       * size, a slow sanitizer build) has nothing to render yet: the same
       * line again a little later, for up to 2 s. */
      if (!save_screenshot (GTK_WIDGET (w), argv[1], scale, &error))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING) &&
              ++s->shot_tries < 40)
            {
              s->pos--;
              *wait_ms = 50;
              return TRUE;
            }
          fail (s, "screenshot: %s", error->message);
        }
      s->shot_tries = 0;
      *wait_ms = 1;
    }
  else if (g_str_equal (cmd, "resolution") && argc == 2)
    {
      if (!hicov_window_select_resolution (w, atoi (argv[1])))
        fail (s, "resolution: no entry %s", argv[1]);
    }
  else if (g_str_equal (cmd, "search") && argc >= 1)
    {
      /* search [WORDS...]: the navigator's search entry */
      g_autofree char *text = argc > 1
        ? g_strjoinv (" ", (char **) argv + 1) : g_strdup ("");
      hicov_navigator_set_search (hicov_window_get_navigator (w), text);
    }
  else if (g_str_equal (cmd, "choose") && argc == 3)
    {
      /* choose year|quarter|month|ytd YEAR: the drop-downs, as a user */
      static const char *const kinds[] = { "year", "quarter", "month",
                                           "ytd" };
      guint k = 0;
      while (k < G_N_ELEMENTS (kinds) && !g_str_equal (kinds[k], argv[1]))
        k++;
      if (k == G_N_ELEMENTS (kinds))
        fail (s, "choose: unknown kind '%s'", argv[1]);
      else
        hicov_period_selector_choose (hicov_window_get_period_selector (w),
                                      (HicovPeriodChoice) k,
                                      atoi (argv[2]));
    }
  else if (g_str_equal (cmd, "indicator") && argc == 2)
    hicov_window_set_indicator (w, argv[1]);
  else if (g_str_equal (cmd, "ranking-all") && argc == 2)
    hicov_window_set_ranking_all (w, g_str_equal (argv[1], "on"));
  else if (g_str_equal (cmd, "compare") && argc == 2)
    hicov_window_pin_unit (w, g_str_equal (argv[1], "on"));
  else if (g_str_equal (cmd, "table-sort") && argc == 3)
    {
      if (!hicov_table_view_sort (hicov_window_get_table_view (w), argv[1],
                                  g_str_equal (argv[2], "desc")))
        fail (s, "table-sort: unknown column '%s'", argv[1]);
    }
  else if (g_str_equal (cmd, "equity") && argc == 3)
    {
      /* equity indicator|level|order|measure VALUE: a picker's choice */
      if (!hicov_equity_view_choose (hicov_window_get_equity_view (w),
                                     argv[1], argv[2]))
        fail (s, "equity: no %s '%s'", argv[1], argv[2]);
    }
  else if (g_str_equal (cmd, "table-copy") && argc == 2)
    {
      table_copy (s, argv[1]);
      *wait_ms = 300; /* the clipboard is read asynchronously */
    }
  else if (g_str_equal (cmd, "table-export") && argc == 2)
    {
      if (!hicov_table_view_save (hicov_window_get_table_view (w), argv[1],
                                  &error))
        fail (s, "table-export: %s", error->message);
    }
  else if (g_str_equal (cmd, "export-report") && argc == 2)
    {
      /* The window's own path, as File > Export Congress Report: the
       * outcome is the notice or the error banner, which dump records. */
      hicov_window_export_report (w, argv[1]);
      *wait_busy = TRUE;
    }
  else if (g_str_equal (cmd, "issuer") && argc == 2)
    {
      /* The export dialog's choice of issuer profile; "none" for none. */
      hicov_window_set_issuer_profile (w, g_str_equal (argv[1], "none")
                                            ? NULL : argv[1]);
    }
  else if (g_str_equal (cmd, "print") && argc == 2)
    {
      if (!hicov_window_print_to_file (w, argv[1], &error))
        fail (s, "print: %s", error->message);
    }
  else if (g_str_equal (cmd, "hover-at") && argc == 4)
    {
      /* hover-at CHART X Y: what the pointer there shows (view's
       * coordinates), to the log */
      HicovChartView *v = chart_arg (s, argv[1]);
      g_autofree char *text = NULL;

      if (v == NULL)
        return TRUE;
      text = hicov_chart_view_pointer_text (v, g_ascii_strtod (argv[2], NULL),
                                            g_ascii_strtod (argv[3], NULL));
      printf ("hicov-script: hover-at %s %s %s: %s\n", argv[1], argv[2],
              argv[3], text ? text : "(nothing)");
    }
  else if (g_str_equal (cmd, "scroll") && argc == 3)
    {
      /* scroll CHART FRACTION: the chart's scrolled window, 0 top, 1
       * bottom (the ranking of every unit) */
      GtkWidget *v = GTK_WIDGET (hicov_window_get_chart (w, argv[1]));
      GtkWidget *vp = v != NULL ? gtk_widget_get_parent (v) : NULL;
      if (vp == NULL || !GTK_IS_VIEWPORT (vp))
        fail (s, "scroll: '%s' does not scroll", argv[1]);
      else
        {
          GtkAdjustment *a = gtk_scrollable_get_vadjustment (
              GTK_SCROLLABLE (vp));
          double span = gtk_adjustment_get_upper (a) -
                        gtk_adjustment_get_page_size (a);
          gtk_adjustment_set_value (a, g_ascii_strtod (argv[2], NULL) *
                                         MAX (span, 0));
        }
      *wait_ms = 200;
    }
  else if (g_str_equal (cmd, "dump") && argc == 2)
    {
      dump_state (s, argv[1]);
      *wait_ms = 1;
    }
  else if (g_str_equal (cmd, "resize") && argc == 3)
    {
      gtk_window_unmaximize (GTK_WINDOW (w));
      gtk_window_set_default_size (GTK_WINDOW (w), atoi (argv[1]),
                                   atoi (argv[2]));
      *wait_ms = 300;
    }
  else if (g_str_equal (cmd, "dark") && argc == 2)
    {
      GApplication *app = g_application_get_default ();
      g_action_group_change_action_state (G_ACTION_GROUP (app), "dark-theme",
          g_variant_new_boolean (g_str_equal (argv[1], "on")));
    }
  else if (g_str_has_prefix (cmd, "map-") && argc == 2)
    {
      HicovMapView *m = hicov_window_get_map_view (w);
      gboolean ok = FALSE;
      if (g_str_equal (cmd, "map-level"))
        ok = hicov_map_view_set_level (m, argv[1]);
      else if (g_str_equal (cmd, "map-indicator"))
        ok = hicov_map_view_set_indicator (m, argv[1]);
      else if (g_str_equal (cmd, "map-classes"))
        ok = hicov_map_view_set_classes (m, argv[1]);
      else if (g_str_equal (cmd, "map-property"))
        ok = hicov_map_view_set_property (m, argv[1]);
      else if (g_str_equal (cmd, "map-open"))
        {
          ok = hicov_map_view_load_boundaries (m, argv[1], &error);
          if (!ok)
            fail (s, "map-open: %s", error->message);
          return TRUE;
        }
      if (!ok)
        fail (s, "%s: no choice '%s'", cmd, argv[1]);
    }
  else if (g_str_equal (cmd, "wait") && argc == 2)
    *wait_ms = (guint) atoi (argv[1]);
  else if (g_str_equal (cmd, "quit") && argc == 1)
    {
      g_action_group_activate_action (
          G_ACTION_GROUP (g_application_get_default ()), "quit", NULL);
      return FALSE;
    }
  else
    fail (s, "unknown command or wrong arguments: %s", cmd);
  return TRUE;
}

static gboolean
script_step_cb (gpointer data)
{
  script_next (data);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_busy_cb (gpointer data)
{
  Script *s = data;

  if (s->window != NULL && hicov_window_is_busy (s->window))
    return G_SOURCE_CONTINUE;
  g_timeout_add (50, script_step_cb, s);
  return G_SOURCE_REMOVE;
}

static void
on_after_paint (GdkFrameClock *clock,
                Script        *s)
{
  g_clear_signal_handler (&s->paint_id, clock);
  /* Let the frame finish before the next command. */
  g_timeout_add (30, script_step_cb, s);
}

static void
script_next (Script *s)
{
  if (s->window == NULL)
    {
      script_free (s);
      return;
    }
  while (s->lines[s->pos] != NULL)
    {
      g_autofree char *line = g_strstrip (g_strdup (s->lines[s->pos]));
      g_auto (GStrv) argv = NULL;
      int argc = 0;
      gboolean wait_busy = FALSE;
      guint wait_ms = 0;
      g_autoptr (GError) error = NULL;

      s->pos++;
      if (line[0] == '\0' || line[0] == '#')
        continue;
      if (!g_shell_parse_argv (line, &argc, &argv, &error))
        {
          fail (s, "%s", error->message);
          continue;
        }
      printf ("hicov-script: %s\n", line);
      fflush (stdout);
      if (!run_command (s, argv, argc, &wait_busy, &wait_ms))
        {
          script_free (s);
          return;
        }
      if (wait_busy)
        {
          g_timeout_add (20, wait_busy_cb, s);
          return;
        }
      if (wait_ms > 0)
        {
          g_timeout_add (wait_ms, script_step_cb, s);
          return;
        }
      /* Wait for the frame the command caused. */
      s->paint_id = g_signal_connect (
          gtk_widget_get_frame_clock (GTK_WIDGET (s->window)), "after-paint",
          G_CALLBACK (on_after_paint), s);
      gtk_widget_queue_draw (GTK_WIDGET (s->window));
      return;
    }
  script_free (s);
}

static void
on_first_map (GtkWidget *widget,
              Script    *s)
{
  g_signal_handlers_disconnect_by_func (widget, on_first_map, s);
  s->paint_id = g_signal_connect (gtk_widget_get_frame_clock (widget),
                                  "after-paint", G_CALLBACK (on_after_paint),
                                  s);
  gtk_widget_queue_draw (widget);
}

void
hicov_script_run (HicovWindow *window,
                  const char  *path)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  Script *s;

  if (!g_file_get_contents (path, &text, NULL, &error))
    {
      fprintf (stderr, "hicov-script: %s\n", error->message);
      script_failed = TRUE;
      return;
    }
  s = g_new0 (Script, 1);
  s->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &s->window);
  s->lines = g_strsplit (text, "\n", -1);
  s->log = g_string_new (NULL);
  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    on_first_map (GTK_WIDGET (window), s);
  else
    g_signal_connect (window, "map", G_CALLBACK (on_first_map), s);
}

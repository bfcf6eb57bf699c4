/* hicov-chart-view.c - a widget showing one HicovChart.
 *
 * The widget paints nothing of the chart itself: it hands its cairo context
 * to hicov_chart_render, with the theme's colours, and asks the library
 * what is under the pointer. Keyboard users move a cursor over the points
 * with the arrow keys; the readout label says the exact value, Enter drills
 * down like a click.
 *
 * A chart taller than its scrolled window (the ranking of every unit)
 * keeps its head (title, legend, the target's label) and its foot (the
 * value axis) in sight: both strips are painted again over the bars at the
 * top and the bottom of what the window shows (the axis first, when
 * there is room for one strip only), and the export button and the
 * readout stay in those corners.  A ranking opens scrolled to its lowest
 * value (hicov_chart_view_reveal_lowest). */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "hicov-chart-view.h"
#include "hicov-file-dialog.h"

struct _HicovChartView
{
  GtkWidget parent_instance;

  GtkMenuButton *export_button;
  GMenuModel *export_menu;
  GtkLabel *readout;

  HicovChart *chart;
  GStrv drill_codes;
  char *name;
  char *file_stem;
  gssize cursor; /* keyboard cursor over points, -1 when none */
  double width, height; /* size of the last render */

  GtkAdjustment *vadj; /* of the scrolled window the view is in, if any */
  /* the strips painted over the bars when scrolled: rows above head_end
   * and below foot_start (widget coordinates) show no bar */
  double head_end, foot_start;
  /* keep the lowest value in sight (hicov_chart_view_reveal_lowest) until
   * the user scrolls: the rows and scroll value it was last revealed at */
  gboolean keep_lowest, revealing;
  guint reveal_id;
  double revealed_height, revealed_rows, revealed_at;
};

G_DEFINE_FINAL_TYPE (HicovChartView, hicov_chart_view, GTK_TYPE_WIDGET)

enum {
  UNIT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean under_strip (HicovChartView *self,
                             double          y);

static gboolean
is_dark (GtkWidget *widget, GdkRGBA *fg)
{
  GtkStyleContext *ctx = gtk_widget_get_style_context (widget);

  gtk_style_context_get_color (ctx, fg);
  /* Light text means a dark background. */
  return 0.2126 * fg->red + 0.7152 * fg->green + 0.0722 * fg->blue > 0.5;
}

static void
apply_theme (HicovChartView *self)
{
  GdkRGBA fg;
  HicovChartColors colors = { { 0, 0, 0, 0 }, { 0, 0, 0, 1 } };
  gboolean dark = is_dark (GTK_WIDGET (self), &fg);

  colors.foreground[0] = fg.red;
  colors.foreground[1] = fg.green;
  colors.foreground[2] = fg.blue;
  colors.foreground[3] = fg.alpha;
  hicov_chart_set_theme (self->chart, dark ? HICOV_CHART_THEME_DARK
                                           : HICOV_CHART_THEME_LIGHT);
  hicov_chart_set_colors (self->chart, &colors);
}

void
hicov_chart_view_render_to (HicovChartView *self,
                            cairo_t        *cr,
                            double          width,
                            double          height,
                            gboolean        raster)
{
  g_return_if_fail (HICOV_IS_CHART_VIEW (self));

  if (self->chart == NULL)
    return;
  hicov_chart_render (self->chart, cr, width, height,
                      HICOV_CHART_RENDER_NO_BACKGROUND |
                      (raster ? HICOV_CHART_RENDER_RASTER : 0));
}

gboolean
hicov_chart_view_point_center (HicovChartView *self,
                               size_t          i,
                               double         *x,
                               double         *y)
{
  g_return_val_if_fail (HICOV_IS_CHART_VIEW (self), FALSE);

  if (self->chart == NULL)
    return FALSE;
  /* a map: a point inside the shape (its box's centre may be outside) */
  if (hicov_chart_kind (self->chart) == HICOV_CHART_MAP)
    return hicov_chart_map_shape_point (self->chart, i, x, y) == HICOV_OK;
  for (size_t s = 0; s < hicov_chart_series_count (self->chart); s++)
    {
      double bx, by, bw, bh;
      if (hicov_chart_point_rect (self->chart, s, i, &bx, &by, &bw,
                                &bh) == HICOV_OK)
        {
          *x = bx + bw / 2;
          *y = by + bh / 2;
          return TRUE;
        }
    }
  return FALSE;
}

static void
draw_cursor (HicovChartView *self,
             GtkSnapshot    *snapshot)
{
  double bx, by, bw, bh;
  GskRoundedRect outline;
  GdkRGBA accent = { 0.21f, 0.52f, 0.89f, 1.0f };
  float widths[4] = { 2, 2, 2, 2 };
  GdkRGBA colors[4];

  if (self->cursor < 0 || !gtk_widget_has_focus (GTK_WIDGET (self)))
    return;
  for (size_t s = 0; s < hicov_chart_series_count (self->chart); s++)
    if (hicov_chart_point_rect (self->chart, s, (size_t) self->cursor, &bx, &by,
                              &bw, &bh) == HICOV_OK)
      {
        /* Points are zero-size rectangles: ring them. */
        double pad = bw < 1 && bh < 1 ? 7 : 3;
        for (int k = 0; k < 4; k++)
          colors[k] = accent;
        gsk_rounded_rect_init_from_rect (&outline,
            &GRAPHENE_RECT_INIT ((float) (bx - pad), (float) (by - pad),
                                 (float) (bw + 2 * pad),
                                 (float) (bh + 2 * pad)),
            (float) pad);
        gtk_snapshot_append_border (snapshot, &outline, widths, colors);
        return;
      }
}

static void
on_scrolled (HicovChartView *self)
{
  double value = gtk_adjustment_get_value (self->vadj);
  double end = gtk_adjustment_get_upper (self->vadj) -
               gtk_adjustment_get_page_size (self->vadj);

  /* the user scrolled elsewhere (a clamp to a shorter chart's end is
   * not the user) */
  if (self->keep_lowest && !self->revealing && self->reveal_id == 0 &&
      fabs (value - self->revealed_at) > 0.5 && value < end - 0.5)
    self->keep_lowest = FALSE;
  /* the strips and the corner widgets follow what the window shows */
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The rows [*top, *bottom) of the view its scrolled window shows (a
 * GtkViewport scrolls it by moving it and clips it to itself), or all of
 * them.  The viewport's bounds say it to the pixel, the adjustment's
 * value being rounded where the viewport places the view. */
static void
visible_rows (HicovChartView *self,
              double          height,
              double         *top,
              double         *bottom)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  GtkAdjustment *adj = GTK_IS_VIEWPORT (parent)
    ? gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (parent)) : NULL;
  graphene_rect_t b;

  if (adj != self->vadj)
    {
      if (self->vadj != NULL)
        g_signal_handlers_disconnect_by_func (self->vadj, on_scrolled, self);
      g_set_object (&self->vadj, adj);
      if (adj != NULL)
        g_signal_connect_swapped (adj, "value-changed",
                                  G_CALLBACK (on_scrolled), self);
    }
  *top = 0;
  *bottom = height;
  if (adj == NULL || !gtk_widget_compute_bounds (parent, GTK_WIDGET (self), &b)
      || b.size.height <= 0)
    return;
  *top = CLAMP (b.origin.y, 0, height);
  *bottom = CLAMP (b.origin.y + b.size.height, *top, height);
}

/* Paints the chart again over rows [y0, y1), moved down by shift, over an
 * opaque copy of the view's background (alpha(fg, 0.03) over the
 * window's, as style.css has it); whole rows, and a few more towards the
 * edge of the scrolled window (clipped there), so that no sliver of a bar
 * shows beyond the strip whatever the rounding of the scroll offset. */
static void
paint_strip (HicovChartView *self,
             GtkSnapshot    *snapshot,
             double          width,
             double          height,
             double          y0,
             double          y1,
             double          shift)
{
  GtkStyleContext *ctx = gtk_widget_get_style_context (GTK_WIDGET (self));
  GdkRGBA bg, fg;
  cairo_t *cr;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (ctx, "theme_bg_color", &bg))
    bg = (GdkRGBA) { 1, 1, 1, 1 };
  gtk_style_context_get_color (ctx, &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  y0 = floor (y0);
  y1 = ceil (y1);
  cr = gtk_snapshot_append_cairo (snapshot,
      &GRAPHENE_RECT_INIT (1, (float) y0, (float) width - 2,
                           (float) (y1 - y0)));
  cairo_set_source_rgb (cr, bg.red * 0.97 + fg.red * 0.03,
                        bg.green * 0.97 + fg.green * 0.03,
                        bg.blue * 0.97 + fg.blue * 0.03);
  cairo_paint (cr);
  cairo_translate (cr, 0, shift);
  hicov_chart_view_render_to (self, cr, width, height, TRUE);
  cairo_destroy (cr);
}

/* Room the export button takes at the right of the titles. */
static double
button_inset (HicovChartView *self)
{
  GtkWidget *button = GTK_WIDGET (self->export_button);

  if (!gtk_widget_get_visible (button))
    return 0;
  return gtk_widget_get_width (button) + 8; /* its margins, style.css */
}

/* The strips a scrolled chart gets over its bars, for the rows [top,
 * bottom) shown: the value axis (from *foot_start; G_MAXDOUBLE: none) when
 * the chart's end is below the window and it takes less than half the
 * rows, since the bars cannot be read without it; the head (to *head_end;
 * -1: none) when the chart's top is scrolled away and both strips leave
 * the bars a quarter of the rows (a title on two lines, in Vietnamese or
 * a narrow window, must not cost the axis).  FALSE when neither. */
static gboolean
strips (HicovChartView *self,
        double          height,
        double          top,
        double          bottom,
        double         *head_end,
        double         *foot_start)
{
  double px, py, pw, ph, foot, rows = bottom - top;

  *head_end = -1;
  *foot_start = G_MAXDOUBLE;
  if ((top <= 0 && bottom >= height) || self->chart == NULL ||
      hicov_chart_plot_rect (self->chart, &px, &py, &pw, &ph) != HICOV_OK)
    return FALSE;
  foot = height - py - ph;
  if (bottom < height && foot < rows / 2)
    *foot_start = bottom - foot;
  if (top > 0 && py + (*foot_start < G_MAXDOUBLE ? foot : 0) < rows * 0.75)
    *head_end = top + py;
  return *head_end >= 0 || *foot_start < G_MAXDOUBLE;
}

static void scroll_point_into_sight (HicovChartView *self,
                                     size_t          i,
                                     double          value);

/* The point of the lowest value in the first series, or -1. */
static gssize
lowest_point (HicovChart *chart)
{
  gssize low = -1;

  for (size_t i = 0; i < hicov_chart_point_count (chart); i++)
    if (isfinite (hicov_chart_value (chart, 0, i)) &&
        (low < 0 || hicov_chart_value (chart, 0, i) <
                      hicov_chart_value (chart, 0, (size_t) low)))
      low = (gssize) i;
  return low;
}

/* After a render of a chart asked to reveal its lowest value: from the
 * top, scrolled just far enough to show that bar between the strips (the
 * units furthest behind, at the end of a ranking ordered highest first,
 * are what an office looks for first). */
static gboolean
reveal_lowest_cb (gpointer data)
{
  HicovChartView *self = data;
  gssize low = self->chart != NULL ? lowest_point (self->chart) : -1;
  double height = gtk_widget_get_height (GTK_WIDGET (self)), top, bottom;

  self->reveal_id = 0;
  if (self->vadj == NULL)
    return G_SOURCE_REMOVE;
  self->revealing = TRUE;
  if (low >= 0)
    scroll_point_into_sight (self, (size_t) low, 0);
  else /* no value: the top, whatever the chart before showed */
    gtk_adjustment_set_value (self->vadj, 0);
  self->revealing = FALSE;
  visible_rows (self, height, &top, &bottom);
  self->revealed_height = height;
  self->revealed_rows = bottom - top;
  self->revealed_at = gtk_adjustment_get_value (self->vadj);
  return G_SOURCE_REMOVE;
}

void
hicov_chart_view_reveal_lowest (HicovChartView *self)
{
  g_return_if_fail (HICOV_IS_CHART_VIEW (self));

  self->keep_lowest = TRUE;
  self->revealed_height = self->revealed_rows = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
hicov_chart_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  HicovChartView *self = HICOV_CHART_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double top, bottom, head_end, foot_start;

  self->head_end = -1;
  self->foot_start = G_MAXDOUBLE;
  if (self->chart != NULL && width > 0 && height > 0)
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
          &GRAPHENE_RECT_INIT (0, 0, (float) width, (float) height));
      apply_theme (self);
      /* the title wraps before the export button, not under it */
      hicov_chart_set_title_inset (self->chart, button_inset (self));
      hicov_chart_view_render_to (self, cr, width, height, TRUE);
      cairo_destroy (cr);
      self->width = width;
      self->height = height;
      draw_cursor (self, snapshot);
      visible_rows (self, height, &top, &bottom);
      if (strips (self, height, top, bottom, &head_end, &foot_start))
        {
          if (head_end >= 0)
            paint_strip (self, snapshot, width, height, top - 8, head_end,
                         top);
          if (foot_start < G_MAXDOUBLE)
            paint_strip (self, snapshot, width, height, foot_start,
                         bottom + 8, bottom - height);
          self->head_end = head_end;
          self->foot_start = foot_start;
        }
      /* first drawn, or the window resized: reveal (again) */
      if (self->keep_lowest && self->reveal_id == 0 &&
          (height != self->revealed_height ||
           bottom - top != self->revealed_rows))
        self->reveal_id = g_idle_add (reveal_lowest_cb, self);
      hicov_chart_set_title_inset (self->chart, 0);
    }
  GTK_WIDGET_CLASS (hicov_chart_view_parent_class)->snapshot (widget,
                                                              snapshot);
}

void
hicov_chart_view_get_scroll_state (HicovChartView *self,
                                   double         *top,
                                   double         *bottom,
                                   double         *head_end,
                                   double         *foot_start,
                                   double         *title_inset)
{
  g_return_if_fail (HICOV_IS_CHART_VIEW (self));

  visible_rows (self, gtk_widget_get_height (GTK_WIDGET (self)), top, bottom);
  *head_end = self->head_end;
  *foot_start = self->foot_start;
  *title_inset = button_inset (self);
}

char *
hicov_chart_view_pointer_text (HicovChartView *self,
                               double          x,
                               double          y)
{
  g_return_val_if_fail (HICOV_IS_CHART_VIEW (self), NULL);

  return under_strip (self, y) ? NULL
                               : hicov_chart_view_describe_at (self, x, y);
}

/* Is row y under a strip painted over the bars? */
static gboolean
under_strip (HicovChartView *self,
             double          y)
{
  return y < self->head_end || y >= self->foot_start;
}

/* Like GtkBinLayout, but the export button (top right) and the readout
 * (bottom left) sit in the corners of what a scrolled window shows. */
static void
hicov_chart_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min = 0, nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, for_size, &min, &nat, NULL,
                          NULL);
      *minimum = MAX (*minimum, min);
      *natural = MAX (*natural, nat);
    }
}

static void
place_corner (GtkWidget *child,
              int        width,
              double     top,
              double     bottom)
{
  int w, h;
  GtkAllocation a;

  if (!gtk_widget_should_layout (child))
    return;
  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL,
                      NULL);
  w = MIN (w, width);
  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL,
                      NULL);
  a.width = w;
  a.height = h;
  a.x = gtk_widget_get_halign (child) == GTK_ALIGN_END ? width - w : 0;
  a.y = gtk_widget_get_valign (child) == GTK_ALIGN_END
          ? (int) bottom - h : (int) top;
  gtk_widget_size_allocate (child, &a, -1);
}

static void
hicov_chart_view_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  HicovChartView *self = HICOV_CHART_VIEW (widget);
  double top, bottom;

  visible_rows (self, height, &top, &bottom);
  place_corner (GTK_WIDGET (self->export_button), width, top, bottom);
  if (self->readout != NULL)
    place_corner (GTK_WIDGET (self->readout), width, top, bottom);
}

char *
hicov_chart_view_describe_at (HicovChartView *self,
                              double          x,
                              double          y)
{
  HicovChartHit hit;

  g_return_val_if_fail (HICOV_IS_CHART_VIEW (self), NULL);

  if (self->chart == NULL ||
      hicov_chart_hit (self->chart, x, y, &hit) != HICOV_OK ||
      hit.kind == HICOV_CHART_HIT_NONE)
    return NULL;
  return g_strdup (hit.text);
}

static const char *
drill_code_at (HicovChartView *self,
               double          x,
               double          y)
{
  HicovChartHit hit;

  if (self->chart == NULL || self->drill_codes == NULL ||
      hicov_chart_hit (self->chart, x, y, &hit) != HICOV_OK ||
      (hit.kind != HICOV_CHART_HIT_BAR &&
       hit.kind != HICOV_CHART_HIT_SHAPE) ||
      hit.index >= g_strv_length (self->drill_codes))
    return NULL;
  return self->drill_codes[hit.index];
}

gboolean
hicov_chart_view_activate_at (HicovChartView *self,
                              double          x,
                              double          y)
{
  const char *code;

  g_return_val_if_fail (HICOV_IS_CHART_VIEW (self), FALSE);

  code = drill_code_at (self, x, y);
  if (code == NULL || code[0] == '\0')
    return FALSE;
  g_signal_emit (self, signals[UNIT_ACTIVATED], 0, code);
  return TRUE;
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  HicovChartView *self = HICOV_CHART_VIEW (widget);
  g_autofree char *text = NULL;
  double px, py;

  if (keyboard_mode)
    {
      if (self->cursor < 0 ||
          !hicov_chart_view_point_center (self, (size_t) self->cursor, &px,
                                          &py))
        return FALSE;
    }
  else
    {
      /* a bar under the head or the axis painted over it is not seen */
      if (under_strip (self, y))
        return FALSE;
      px = x;
      py = y;
    }
  text = hicov_chart_view_describe_at (self, px, py);
  if (text == NULL)
    return FALSE;
  if (drill_code_at (self, px, py) != NULL)
    {
      /* Markup: escape the value text, keep the hint's tags. */
      g_autofree char *escaped = g_markup_escape_text (text, -1);
      g_autofree char *markup =
        g_strdup_printf ("%s\n<small>%s</small>", escaped,
                         _("Click to open this unit"));
      gtk_tooltip_set_markup (tooltip, markup);
    }
  else
    gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           HicovChartView           *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   !under_strip (self, y) &&
                                   drill_code_at (self, x, y) != NULL
                                     ? "pointer" : NULL);
}

static void
on_click_released (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   HicovChartView  *self)
{
  if (n_press == 1 && !under_strip (self, y))
    hicov_chart_view_activate_at (self, x, y);
}

static void
update_readout (HicovChartView *self)
{
  double px, py;
  g_autofree char *text = NULL;

  if (self->cursor >= 0 &&
      hicov_chart_view_point_center (self, (size_t) self->cursor, &px, &py))
    text = hicov_chart_view_describe_at (self, px, py);
  gtk_label_set_text (self->readout, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->readout), text != NULL);
  /* Screen readers announce the value the cursor is on. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text != NULL ? text : "", -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_key_pressed (GtkEventControllerKey *key,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                HicovChartView        *self)
{
  return hicov_chart_view_press_key (self, keyval);
}

const char *
hicov_chart_view_get_readout (HicovChartView *self)
{
  g_return_val_if_fail (HICOV_IS_CHART_VIEW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->readout))
    ? gtk_label_get_text (self->readout) : NULL;
}

/* In a scrolled window scrolled to `value` (its adjustment's, or 0),
 * scrolls point i's bar out from under the head or the axis painted over
 * the bars (or from outside the window) into the rows between them.  The
 * rows shown follow from the adjustment, not the viewport's last
 * allocation, which a value just set has not moved yet. */
static void
scroll_point_into_sight (HicovChartView *self,
                         size_t          i,
                         double          value)
{
  double px, py, pw, ph, bx, by, bw, bh, delta = 0;
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double top, bottom;

  if (self->vadj == NULL ||
      hicov_chart_plot_rect (self->chart, &px, &py, &pw, &ph) != HICOV_OK)
    return;
  top = CLAMP (value, 0, height);
  bottom = CLAMP (value + gtk_adjustment_get_page_size (self->vadj), top,
                  height);
  for (size_t s = 0; s < hicov_chart_series_count (self->chart); s++)
    if (hicov_chart_point_rect (self->chart, s, i, &bx, &by, &bw,
                                &bh) == HICOV_OK)
      {
        /* the strips as painted there, else the chart's own head and
         * axis or the window's edges */
        double head_end, foot_start;
        strips (self, height, top, bottom, &head_end, &foot_start);
        head_end = head_end >= 0 ? head_end : MAX (top, py);
        foot_start = foot_start < G_MAXDOUBLE ? foot_start
                                              : MIN (bottom, py + ph);
        if (by < head_end)
          delta = by - head_end;
        else if (by + bh > foot_start)
          delta = by + bh - foot_start;
        break;
      }
  if (delta != 0 || value != gtk_adjustment_get_value (self->vadj))
    gtk_adjustment_set_value (self->vadj, value + delta);
}

gssize
hicov_chart_view_get_cursor (HicovChartView *self)
{
  g_return_val_if_fail (HICOV_IS_CHART_VIEW (self), -1);

  return self->cursor;
}

gboolean
hicov_chart_view_press_key (HicovChartView *self,
                            guint           keyval)
{
  gssize n;
  double px, py;

  if (self->chart == NULL)
    return FALSE;
  n = (gssize) hicov_chart_point_count (self->chart);
  if (n == 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Right:
    case GDK_KEY_Down:
      self->cursor = self->cursor < 0 ? 0 : MIN (self->cursor + 1, n - 1);
      break;
    case GDK_KEY_Left:
    case GDK_KEY_Up:
      self->cursor = self->cursor < 0 ? n - 1 : MAX (self->cursor - 1, 0);
      break;
    case GDK_KEY_Home:
      self->cursor = 0;
      break;
    case GDK_KEY_End:
      self->cursor = n - 1;
      break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      if (self->cursor >= 0 &&
          hicov_chart_view_point_center (self, (size_t) self->cursor, &px,
                                         &py))
        return hicov_chart_view_activate_at (self, px, py);
      return FALSE;
    case GDK_KEY_Escape:
      if (self->cursor < 0)
        return FALSE;
      self->cursor = -1;
      break;
    default:
      return FALSE;
    }
  if (self->cursor >= 0 && self->vadj != NULL)
    scroll_point_into_sight (self, (size_t) self->cursor,
                             gtk_adjustment_get_value (self->vadj));
  update_readout (self);
  return TRUE;
}

static void
on_focus_leave (GtkEventControllerFocus *focus,
                HicovChartView          *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->readout), FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hicov_chart_view_set_chart (HicovChartView    *self,
                            HicovChart        *chart,
                            const char *const *drill_codes)
{
  g_return_if_fail (HICOV_IS_CHART_VIEW (self));

  if (self->chart != chart)
    hicov_chart_free (self->chart);
  self->chart = chart;
  g_clear_pointer (&self->drill_codes, g_strfreev);
  if (drill_codes != NULL)
    self->drill_codes = g_strdupv ((char **) drill_codes);
  if (self->cursor >= 0 && chart != NULL &&
      (size_t) self->cursor >= hicov_chart_point_count (chart))
    self->cursor = -1;
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), chart != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->readout), FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

HicovChart *
hicov_chart_view_get_chart (HicovChartView *self)
{
  g_return_val_if_fail (HICOV_IS_CHART_VIEW (self), NULL);
  return self->chart;
}

void
hicov_chart_view_set_name (HicovChartView *self,
                           const char     *name)
{
  g_return_if_fail (HICOV_IS_CHART_VIEW (self));
  g_free (self->name);
  self->name = g_strdup (name);
}

const char *
hicov_chart_view_get_name (HicovChartView *self)
{
  g_return_val_if_fail (HICOV_IS_CHART_VIEW (self), NULL);
  return self->name;
}

void
hicov_chart_view_set_file_stem (HicovChartView *self,
                                const char     *stem)
{
  g_return_if_fail (HICOV_IS_CHART_VIEW (self));
  g_free (self->file_stem);
  self->file_stem = g_strdup (stem);
}

gboolean
hicov_chart_view_save (HicovChartView  *self,
                       const char      *path,
                       GError         **error)
{
  int rc;

  g_return_val_if_fail (HICOV_IS_CHART_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->chart == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("There is no chart to export."));
      return FALSE;
    }
  /* Files use the light theme whatever the screen shows: they are
   * printed and pasted into documents. */
  hicov_chart_set_theme (self->chart, HICOV_CHART_THEME_LIGHT);
  if (g_str_has_suffix (path, ".png") || g_str_has_suffix (path, ".PNG"))
    rc = hicov_chart_save_png (self->chart, path, HICOV_EXPORT_WIDTH_PT,
                               HICOV_EXPORT_HEIGHT_PT, HICOV_EXPORT_PNG_SCALE);
  else if (g_str_has_suffix (path, ".svg") || g_str_has_suffix (path, ".SVG"))
    rc = hicov_chart_save_svg (self->chart, path, HICOV_EXPORT_WIDTH_PT,
                               HICOV_EXPORT_HEIGHT_PT);
  else if (g_str_has_suffix (path, ".pdf") || g_str_has_suffix (path, ".PDF"))
    rc = hicov_chart_save_pdf (self->chart, path, HICOV_EXPORT_WIDTH_PT,
                               HICOV_EXPORT_HEIGHT_PT);
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: unknown file type; use .png, .svg or .pdf"), path);
      return FALSE;
    }
  /* The widget's own render re-applies the screen theme. The saves
   * rendered at another size, so draw again before the next hit test. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (rc != HICOV_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   hicov_chart_errmsg (self->chart));
      return FALSE;
    }
  return TRUE;
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    HicovChartView  *self)
{
  g_autofree char *path = hicov_file_dialog_finish (dialog, response);
  g_autoptr (GError) error = NULL;

  if (path != NULL && !hicov_chart_view_save (self, path, &error))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      /* The window shows errors in its banner. */
      gtk_widget_activate_action (GTK_WIDGET (root), "win.show-error",
                                  "s", error->message);
    }
  g_object_unref (self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  HicovChartView *self = HICOV_CHART_VIEW (widget);
  const char *ext = g_variant_get_string (param, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autofree char *pattern = g_strdup_printf ("*.%s", ext);
  g_autofree char *suggested = g_strdup_printf ("%s.%s",
      self->file_stem != NULL ? self->file_stem
                              : (self->name != NULL ? self->name : "chart"),
      ext);

  dialog = hicov_file_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                       : NULL,
                                  _("Export Chart"),
                                  GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  hicov_file_dialog_add_filter (dialog, g_str_equal (ext, "png")
                                          ? _("PNG images")
                                          : g_str_equal (ext, "svg")
                                              ? _("SVG drawings")
                                              : _("PDF documents"),
                                pattern, NULL);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response),
                    g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
hicov_chart_view_css_changed (GtkWidget         *widget,
                              GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (hicov_chart_view_parent_class)->css_changed (widget,
                                                                 change);
  /* Theme switches (light/dark) change the colours the chart is given. */
  gtk_widget_queue_draw (widget);
}

static void
hicov_chart_view_dispose (GObject *object)
{
  HicovChartView *self = HICOV_CHART_VIEW (object);

  g_clear_handle_id (&self->reveal_id, g_source_remove);
  if (self->vadj != NULL)
    g_signal_handlers_disconnect_by_func (self->vadj, on_scrolled, self);
  g_clear_object (&self->vadj);
  gtk_widget_dispose_template (GTK_WIDGET (self), HICOV_TYPE_CHART_VIEW);
  if (self->readout != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->readout));
      self->readout = NULL;
    }
  G_OBJECT_CLASS (hicov_chart_view_parent_class)->dispose (object);
}

static void
hicov_chart_view_finalize (GObject *object)
{
  HicovChartView *self = HICOV_CHART_VIEW (object);

  hicov_chart_free (self->chart);
  g_strfreev (self->drill_codes);
  g_free (self->name);
  g_free (self->file_stem);
  G_OBJECT_CLASS (hicov_chart_view_parent_class)->finalize (object);
}

static void
hicov_chart_view_class_init (HicovChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hicov_chart_view_dispose;
  object_class->finalize = hicov_chart_view_finalize;
  widget_class->snapshot = hicov_chart_view_snapshot;
  widget_class->measure = hicov_chart_view_measure;
  widget_class->size_allocate = hicov_chart_view_size_allocate;
  widget_class->css_changed = hicov_chart_view_css_changed;

  /* Emitted with a unit code when the user clicks a unit's bar. */
  signals[UNIT_ACTIVATED] =
    g_signal_new ("unit-activated", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "chart.export", "s",
                                   export_action);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/org/hicov/Dashboard/hicov-chart-view.ui");
  gtk_widget_class_bind_template_child (widget_class, HicovChartView,
                                        export_button);
  gtk_widget_class_bind_template_child (widget_class, HicovChartView,
                                        export_menu);
  gtk_widget_class_set_css_name (widget_class, "chartview");
  gtk_widget_class_set_accessible_role (widget_class,
                                        GTK_ACCESSIBLE_ROLE_IMG);
}

/* The export menu's popover is built the first time it opens: eight of them
 * built up front cost start-up time for menus that are rarely opened. */
static void
create_export_popup (GtkMenuButton *button,
                     gpointer       user_data)
{
  HicovChartView *self = user_data;

  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->export_menu);
}

static void
hicov_chart_view_init (HicovChartView *self)
{
  GtkEventController *controller;
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cursor = -1;
  self->head_end = -1;
  self->foot_start = G_MAXDOUBLE;
  gtk_menu_button_set_create_popup_func (self->export_button,
                                         create_export_popup, self, NULL);

  /* The readout shows the keyboard cursor's exact value. */
  self->readout = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_halign (GTK_WIDGET (self->readout), GTK_ALIGN_START);
  gtk_widget_set_valign (GTK_WIDGET (self->readout), GTK_ALIGN_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->readout), "chart-readout");
  gtk_widget_add_css_class (GTK_WIDGET (self->readout), "numeric");
  gtk_widget_set_visible (GTK_WIDGET (self->readout), FALSE);
  gtk_widget_set_can_target (GTK_WIDGET (self->readout), FALSE);
  gtk_widget_set_parent (GTK_WIDGET (self->readout), GTK_WIDGET (self));

  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip),
                    NULL);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed),
                    self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

GtkWidget *
hicov_chart_view_new (void)
{
  return g_object_new (HICOV_TYPE_CHART_VIEW, NULL);
}

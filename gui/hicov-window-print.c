/* hicov-window-print.c - the dashboard on paper: two landscape A4 pages
 * (the KPIs with the coverage charts, then the flows and check-in) drawn
 * by one GtkPrintOperation for File > Print and for exporting to PDF. */
#include "config.h"

#include <glib/gi18n.h>

#include "hicov-chart-view.h"
#include "hicov-kpi-tile.h"
#include "hicov-window-private.h"
#define PRINT_MARGIN 24.0
#define PRINT_GAP 12.0

static double
print_text (GtkPrintContext *context,
            cairo_t         *cr,
            const char      *text,
            const char      *font,
            double           x,
            double           y,
            double           width,
            gboolean         dim)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  /* a tile's change and detail wrap on paper as on screen (up to three
   * lines) instead of losing their end */
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_height (layout, -3);
  pango_layout_set_text (layout, text, -1);
  cairo_set_source_rgb (cr, dim ? 0.35 : 0.0, dim ? 0.35 : 0.0,
                        dim ? 0.35 : 0.0);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_pixel_size (layout, &w, &h);
  pango_font_description_free (desc);
  g_object_unref (layout);
  return h;
}

static void
print_chart (HicovChartView *view,
             cairo_t        *cr,
             double          x,
             double          y,
             double          w,
             double          h)
{
  HicovChart *c = hicov_chart_view_get_chart (view);
  HicovChartColors colors = { { 1, 1, 1, 0 }, { 0, 0, 0, 1 } };

  if (c == NULL)
    return;
  /* Paper is white: print with the light theme and black text. */
  hicov_chart_set_theme (c, HICOV_CHART_THEME_LIGHT);
  hicov_chart_set_colors (c, &colors);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  /* a page stands alone: the caption names unit, period and source */
  hicov_chart_render (c, cr, w, h, HICOV_CHART_RENDER_NO_BACKGROUND |
                                   HICOV_CHART_RENDER_CAPTION);
  cairo_restore (cr);
  /* The widget's next frame re-applies the screen theme and geometry. */
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

/* The KPI tiles as a row of small blocks from y; returns its height. */
static double
print_kpis (HicovWindow     *self,
            GtkPrintContext *context,
            cairo_t         *cr,
            double           x,
            double           y,
            double           cw,
            double           gap)
{
  double tw = (cw - (HICOV_N_KPIS - 1) * gap) / HICOV_N_KPIS;
  double row_h = 0;

  for (int k = 0; k < HICOV_N_KPIS; k++)
    {
      double tx = x + (double) k * (tw + gap), ty = y, hh;
      HicovKpiTile *t = self->tiles[k];
      ty += print_text (context, cr, hicov_kpi_tile_get_title (t),
                        "Sans 8", tx, ty, tw, TRUE);
      ty += print_text (context, cr, hicov_kpi_tile_get_value (t),
                        "Sans Bold 12", tx, ty, tw, FALSE);
      ty += print_text (context, cr, hicov_kpi_tile_get_change (t),
                        "Sans 8", tx, ty, tw, FALSE);
      hh = print_text (context, cr, hicov_kpi_tile_get_detail (t),
                       "Sans 7", tx, ty, tw, TRUE);
      row_h = MAX (row_h, ty + hh - y);
    }
  return row_h;
}

/* Page 1 below the title at y: the KPIs, then the coverage trend and the
 * group split on the left and the ranking on the right. */
static void
print_coverage_page (HicovWindow     *self,
                     GtkPrintContext *context,
                     cairo_t         *cr,
                     double           y)
{
  double ph = gtk_print_context_get_height (context);
  double x = PRINT_MARGIN;
  double cw = gtk_print_context_get_width (context) - 2 * PRINT_MARGIN;
  double gap = PRINT_GAP;
  double colw, rowh;

  y += print_kpis (self, context, cr, x, y, cw, gap) + gap;
  colw = (cw - gap) / 2;
  rowh = (ph - PRINT_MARGIN - y - gap) / 2;
  print_chart (self->chart_trend, cr, x, y, colw, rowh);
  print_chart (self->chart_groups, cr, x, y + rowh + gap, colw, rowh);
  print_chart (self->chart_ranking, cr, x + colw + gap, y, colw,
               2 * rowh + gap);
}

/* Page 2 below the title at y: visits, spending and cost per visit, then
 * the fund and check-in. */
static void
print_spending_page (HicovWindow     *self,
                     GtkPrintContext *context,
                     cairo_t         *cr,
                     double           y)
{
  double ph = gtk_print_context_get_height (context);
  double x = PRINT_MARGIN;
  double cw = gtk_print_context_get_width (context) - 2 * PRINT_MARGIN;
  double gap = PRINT_GAP;
  double colw = (cw - 2 * gap) / 3;
  double rowh = (ph - PRINT_MARGIN - y - gap) / 2;

  print_chart (self->chart_visits, cr, x, y, colw, rowh);
  print_chart (self->chart_spending, cr, x + colw + gap, y, colw, rowh);
  print_chart (self->chart_cost, cr, x + 2 * (colw + gap), y, colw, rowh);
  print_chart (self->chart_fund, cr, x, y + rowh + gap,
               2 * colw + gap, rowh);
  print_chart (self->chart_checkin, cr, x + 2 * (colw + gap),
               y + rowh + gap, colw, rowh);
}

static void
draw_page (GtkPrintOperation *op,
           GtkPrintContext   *context,
           int                page_nr,
           HicovWindow       *self)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double cw = gtk_print_context_get_width (context) - 2 * PRINT_MARGIN;
  double y = PRINT_MARGIN;
  g_autofree char *title = g_strdup_printf ("%s — %s",
      gtk_label_get_text (self->unit_title),
      gtk_label_get_text (self->unit_subtitle));

  y += print_text (context, cr, title, "Sans Bold 13", PRINT_MARGIN, y, cw,
                   FALSE) + 6;
  if (page_nr == 0)
    print_coverage_page (self, context, cr, y);
  else
    print_spending_page (self, context, cr, y);
}

static GtkPrintOperation *
new_print_operation (HicovWindow *self)
{
  GtkPrintOperation *op = gtk_print_operation_new ();
  GtkPageSetup *setup = gtk_page_setup_new ();
  GtkPaperSize *a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autofree char *job = g_strdup_printf ("hicov %s",
      gtk_label_get_text (self->unit_title));

  gtk_page_setup_set_paper_size (setup, a4);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_default_page_setup (op, setup);
  gtk_print_operation_set_n_pages (op, 2);
  gtk_print_operation_set_job_name (op, job);
  gtk_print_operation_set_embed_page_setup (op, TRUE);
  g_signal_connect (op, "draw-page", G_CALLBACK (draw_page), self);
  gtk_paper_size_free (a4);
  g_object_unref (setup);
  return op;
}

gboolean
hicov_window_print_to_file (HicovWindow  *self,
                            const char   *path,
                            GError      **error)
{
  g_autoptr (GtkPrintOperation) op = NULL;
  GtkPrintOperationResult res;

  g_return_val_if_fail (HICOV_IS_WINDOW (self), FALSE);

  _hicov_window_ensure_all_charts (self);
  op = new_print_operation (self);
  gtk_print_operation_set_export_filename (op, path);
  res = gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT,
                                 GTK_WINDOW (self), error);
  return res != GTK_PRINT_OPERATION_RESULT_ERROR;
}

void
_hicov_window_print (HicovWindow *self)
{
  g_autoptr (GtkPrintOperation) op = NULL;
  g_autoptr (GError) error = NULL;

  _hicov_window_ensure_all_charts (self);
  op = new_print_operation (self);

  if (gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (self), &error) ==
      GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *msg = g_strdup_printf (_("Printing failed: %s"),
                                              error->message);
      hicov_window_show_error (self, msg);
    }
}

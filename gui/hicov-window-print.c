/* hicov-window-print.c - the view on screen on paper: landscape A4, the
 * KPIs and the page's charts (Coverage, Visits and Spending, Check-in,
 * Map), the Equity page's measures and trend, or the Table page's rows
 * over as many pages as they take; drawn by one GtkPrintOperation for
 * File > Print and for exporting to PDF.  Everything comes from the views
 * as drawn (their charts, texts and cells): nothing is computed here. */
#include "config.h"

#include <glib/gi18n.h>

#include "hicov-chart-view.h"
#include "hicov-equity-view.h"
#include "hicov-kpi-tile.h"
#include "hicov-map-view.h"
#include "hicov-table-view.h"
#include "hicov-window-private.h"
#define PRINT_MARGIN 24.0
#define PRINT_GAP 12.0
#define PRINT_TABLE_FONT "Sans 8"
#define PRINT_TABLE_ROW 13.0

/* Text in a box of width from (x, y), up to lines lines (ellipsized
 * after); returns its height. */
static double
print_text_full (GtkPrintContext *context,
                 cairo_t         *cr,
                 const char      *text,
                 const char      *font,
                 double           x,
                 double           y,
                 double           width,
                 gboolean         dim,
                 int              lines,
                 PangoAlignment   align)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_height (layout, -lines);
  pango_layout_set_alignment (layout, align);
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
  /* a tile's change and detail wrap on paper as on screen (up to three
   * lines) instead of losing their end */
  return print_text_full (context, cr, text, font, x, y, width, dim, 3,
                          PANGO_ALIGN_LEFT);
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

/* The band every view's page begins with below its title at y: the KPIs
 * across the page.  Gives the page's content width and height; returns
 * where the view's own part begins. */
static double
print_kpi_band (HicovWindow     *self,
                GtkPrintContext *context,
                cairo_t         *cr,
                double           y,
                double          *cw,
                double          *ph)
{
  *ph = gtk_print_context_get_height (context);
  *cw = gtk_print_context_get_width (context) - 2 * PRINT_MARGIN;
  return y + print_kpis (self, context, cr, PRINT_MARGIN, y, *cw, PRINT_GAP) +
         PRINT_GAP;
}

/* Below the title at y: the KPIs, then the coverage trend and the group
 * split on the left and the ranking on the right. */
static void
print_coverage_page (HicovWindow     *self,
                     GtkPrintContext *context,
                     cairo_t         *cr,
                     double           y)
{
  double x = PRINT_MARGIN, gap = PRINT_GAP, cw, ph, colw, rowh;

  y = print_kpi_band (self, context, cr, y, &cw, &ph);
  colw = (cw - gap) / 2;
  rowh = (ph - PRINT_MARGIN - y - gap) / 2;
  print_chart (self->chart_trend, cr, x, y, colw, rowh);
  print_chart (self->chart_groups, cr, x, y + rowh + gap, colw, rowh);
  print_chart (self->chart_ranking, cr, x + colw + gap, y, colw,
               2 * rowh + gap);
}

/* Below the title at y: the KPIs, then visits and spending, cost per
 * visit and the fund, two by two as on screen. */
static void
print_spending_page (HicovWindow     *self,
                     GtkPrintContext *context,
                     cairo_t         *cr,
                     double           y)
{
  double x = PRINT_MARGIN, gap = PRINT_GAP, cw, ph, colw, rowh;

  y = print_kpi_band (self, context, cr, y, &cw, &ph);
  colw = (cw - gap) / 2;
  rowh = (ph - PRINT_MARGIN - y - gap) / 2;
  print_chart (self->chart_visits, cr, x, y, colw, rowh);
  print_chart (self->chart_spending, cr, x + colw + gap, y, colw, rowh);
  print_chart (self->chart_cost, cr, x, y + rowh + gap, colw, rowh);
  print_chart (self->chart_fund, cr, x + colw + gap, y + rowh + gap, colw,
               rowh);
}

/* Below the title at y: the KPIs, then one chart (check-in, the map). */
static void
print_one_chart_page (HicovWindow     *self,
                      HicovChartView  *chart,
                      GtkPrintContext *context,
                      cairo_t         *cr,
                      double           y)
{
  double cw, ph;

  y = print_kpi_band (self, context, cr, y, &cw, &ph);
  print_chart (chart, cr, PRINT_MARGIN, y, cw, ph - PRINT_MARGIN - y);
}

/* Below the title at y: the KPIs, the Equity page's measures (label,
 * value) on the left, its trend on the right, its note below. */
static void
print_equity_page (HicovWindow     *self,
                   GtkPrintContext *context,
                   cairo_t         *cr,
                   double           y)
{
  double x = PRINT_MARGIN, cw, ph, colw, labelw, top, note_h;
  g_auto (GStrv) rows = hicov_equity_view_dup_rows (self->equity_view);
  const char *note = hicov_equity_view_get_note (self->equity_view);

  y = print_kpi_band (self, context, cr, y, &cw, &ph);
  colw = cw * 0.4;
  labelw = colw * 0.55;
  top = y;
  for (guint i = 0; rows[i] != NULL; i++)
    {
      g_auto (GStrv) cell = g_strsplit (rows[i], "\t", 2);
      double h = print_text_full (context, cr, cell[0], "Sans 8", x, y,
                                  labelw - 6, FALSE, 2, PANGO_ALIGN_LEFT);
      h = MAX (h, print_text_full (context, cr, cell[1] ? cell[1] : "",
                                   "Sans 8", x + labelw, y, colw - labelw,
                                   FALSE, 3, PANGO_ALIGN_RIGHT));
      y += h + 2;
    }
  note_h = note != NULL && *note != '\0'
    ? print_text_full (context, cr, note, "Sans 7", x,
                       MAX (y, ph - PRINT_MARGIN - 60) + PRINT_GAP, cw, TRUE,
                       5, PANGO_ALIGN_LEFT)
    : 0;
  (void) note_h;
  print_chart (hicov_equity_view_get_chart (self->equity_view), cr,
               x + colw + PRINT_GAP, top, cw - colw - PRINT_GAP,
               ph - PRINT_MARGIN - 60 - top);
}

/* The Table page: rows per paper page below the title and the heading. */
static int
table_rows_per_page (GtkPrintContext *context)
{
  double ph = gtk_print_context_get_height (context);
  /* the title (about 20) and the heading (two lines) */
  int n = (int) ((ph - 2 * PRINT_MARGIN - 26 - 2 * PRINT_TABLE_ROW -
                  PRINT_GAP) / PRINT_TABLE_ROW);
  return MAX (n, 1);
}

/* The Table page's rows from first, below the title at y: its columns
 * as shown (the unit's name wider, the numbers right-aligned). */
static void
print_table_page (HicovWindow     *self,
                  GtkPrintContext *context,
                  cairo_t         *cr,
                  double           y,
                  int              first)
{
  double x = PRINT_MARGIN;
  double cw = gtk_print_context_get_width (context) - 2 * PRINT_MARGIN;
  g_auto (GStrv) titles = hicov_table_view_dup_titles (self->table_view);
  g_auto (GStrv) rows = hicov_table_view_dup_shown (self->table_view);
  guint ncols = g_strv_length (titles), nshown = 0, nrows;
  int per_page = table_rows_per_page (context);
  double namew, statw, colw, h = 0, cx;

  for (guint c = 0; c < ncols; c++)
    nshown += titles[c][0] != '\0';
  nrows = g_strv_length (rows);
  if (nshown == 0)
    return;
  /* the name and the status (a sentence) wider than the numbers */
  namew = cw * 0.18;
  statw = titles[ncols - 1][0] != '\0' && nshown > 2 ? cw * 0.16 : 0;
  colw = nshown > 1 ? (cw - namew - statw) / (nshown - 1 - (statw > 0))
                    : cw - namew;
  cx = x;
  for (guint c = 0; c < ncols; c++)
    if (titles[c][0] != '\0')
      {
        double w = c == 0 ? namew
                   : c + 1 == ncols && statw > 0 ? statw : colw;
        h = MAX (h, print_text_full (context, cr, titles[c], "Sans Bold 7",
                                     cx, y, w - 6, FALSE, 2,
                                     c == 0 || c + 1 == ncols
                                       ? PANGO_ALIGN_LEFT
                                       : PANGO_ALIGN_RIGHT));
        cx += w;
      }
  y += h + 4;
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, x, y - 2);
  cairo_line_to (cr, x + cw, y - 2);
  cairo_stroke (cr);
  for (guint r = (guint) first; r < nrows && r < (guint) (first + per_page);
       r++)
    {
      g_auto (GStrv) cells = g_strsplit (rows[r], "\t", -1);
      guint ncells = g_strv_length (cells);

      cx = x;
      for (guint c = 0; c < ncols && c < ncells; c++)
        if (titles[c][0] != '\0')
          {
            double w = c == 0 ? namew
                   : c + 1 == ncols && statw > 0 ? statw : colw;
            print_text_full (context, cr, cells[c], PRINT_TABLE_FONT, cx, y,
                             w - 6, FALSE, 1,
                             c == 0 || c + 1 == ncols ? PANGO_ALIGN_LEFT
                                                      : PANGO_ALIGN_RIGHT);
            cx += w;
          }
      y += PRINT_TABLE_ROW;
    }
}

static const char *
printed_view (GtkPrintOperation *op)
{
  return g_object_get_data (G_OBJECT (op), "hicov-view");
}

/* The Table page takes as many paper pages as its rows need. */
static void
begin_print (GtkPrintOperation *op,
             GtkPrintContext   *context,
             HicovWindow       *self)
{
  int n = 1;

  if (g_strcmp0 (printed_view (op), "table") == 0)
    {
      g_auto (GStrv) rows = hicov_table_view_dup_shown (self->table_view);
      int per_page = table_rows_per_page (context);
      n = MAX (1, ((int) g_strv_length (rows) + per_page - 1) / per_page);
    }
  gtk_print_operation_set_n_pages (op, n);
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
  const char *view = printed_view (op);
  g_autofree char *title = g_strdup_printf ("%s — %s",
      gtk_label_get_text (self->unit_title),
      gtk_label_get_text (self->unit_subtitle));

  y += print_text (context, cr, title, "Sans Bold 13", PRINT_MARGIN, y, cw,
                   FALSE) + 6;
  if (g_strcmp0 (view, "spending") == 0)
    print_spending_page (self, context, cr, y);
  else if (g_strcmp0 (view, "checkin") == 0)
    print_one_chart_page (self, self->chart_checkin, context, cr, y);
  else if (g_strcmp0 (view, "map") == 0)
    print_one_chart_page (self, hicov_map_view_get_chart_view (self->map_view),
                          context, cr, y);
  else if (g_strcmp0 (view, "equity") == 0)
    print_equity_page (self, context, cr, y);
  else if (g_strcmp0 (view, "table") == 0)
    print_table_page (self, context, cr, y,
                      page_nr * table_rows_per_page (context));
  else
    print_coverage_page (self, context, cr, y);
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
  /* the view on screen (built when it was shown) */
  g_object_set_data_full (G_OBJECT (op), "hicov-view",
      g_strdup (gtk_stack_get_visible_child_name (self->view_stack)),
      g_free);
  gtk_print_operation_set_n_pages (op, 1);
  gtk_print_operation_set_job_name (op, job);
  gtk_print_operation_set_embed_page_setup (op, TRUE);
  g_signal_connect (op, "begin-print", G_CALLBACK (begin_print), self);
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

/* hicov-equity-view.c - the Equity page (see hicov-equity-view.h).  The
 * measures are the core's hicov_equity, the trend the chart library's
 * hicov_figure_equity_trend; this file lays them out. */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "hicov-equity-view.h"
#include "hicov-labels.h"
#include "hicov-tooltip.h"

/* Units named on the "Left out" row; the rest are counted, and all are
 * in its tooltip. */
#define LEFT_OUT_NAMED 3

struct _HicovEquityView
{
  GtkBox parent_instance;

  GtkDropDown *indicator_dropdown;
  GtkDropDown *level_dropdown;
  GtkDropDown *order_dropdown;
  GtkDropDown *measure_dropdown;
  GtkGrid *grid;
  HicovChartView *chart;
  GtkLabel *note_label;

  /* What each picker's entries stand for. */
  GPtrArray *indicators; /* static names */
  GPtrArray *orders;     /* static names, NULL first for "none" */
  GArray *levels;        /* int */
  int chosen_level;      /* the level the user picked, -1: none yet */

  HicovDataset *ds;            /* borrowed */
  HicovFigureContext *figures; /* borrowed */
  char *unit;
  HicovPeriod period;
  char lang[8];
  gboolean filling;            /* pickers being filled: ignore changes */

  GPtrArray *shown; /* "key\ttext" per row, as drawn */
  GPtrArray *rows;  /* "label\ttext" per row, as drawn (printing) */
};

G_DEFINE_FINAL_TYPE (HicovEquityView, hicov_equity_view, GTK_TYPE_BOX)

static void refresh (HicovEquityView *self);

/* ------------------------------------------------------------------------ */
/* Rows                                                                      */

/* A row of the measures; a value too long for the column wraps (a
 * label that does not would widen the page, and a GtkStack is as wide as
 * its widest page). Returns the value's label. */
static GtkWidget *
add_row (HicovEquityView *self,
         int              row,
         const char      *key,
         const char      *label,
         const char      *text)
{
  GtkWidget *l = gtk_label_new (label);
  GtkWidget *v = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_yalign (GTK_LABEL (l), 0);
  gtk_label_set_xalign (GTK_LABEL (v), 1);
  gtk_label_set_justify (GTK_LABEL (v), GTK_JUSTIFY_RIGHT);
  gtk_label_set_wrap (GTK_LABEL (v), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (v), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (v), 32);
  gtk_label_set_selectable (GTK_LABEL (v), TRUE);
  gtk_widget_add_css_class (v, "numeric");
  gtk_grid_attach (self->grid, l, 0, row, 1, 1);
  gtk_grid_attach (self->grid, v, 1, row, 1, 1);
  g_ptr_array_add (self->shown, g_strdup_printf ("%s\t%s", key, text));
  g_ptr_array_add (self->rows, g_strdup_printf ("%s\t%s", label, text));
  return v;
}

static void
clear_rows (HicovEquityView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))))
    gtk_grid_remove (self->grid, child);
  g_ptr_array_set_size (self->shown, 0);
  g_ptr_array_set_size (self->rows, 0);
}

static int
decimals_of (int m)
{
  return m == HICOV_EQ_THEIL || m == HICOV_EQ_MLD || m == HICOV_EQ_RATIO ||
         m == HICOV_EQ_RII ? 3 : 2;
}

static const char *
unit_name (HicovDataset *ds,
           const char   *code)
{
  size_t i;
  HicovUnit u = { 0 };

  if (code == NULL)
    return "";
  if (hicov_dataset_find_unit (ds, code, &i) == HICOV_OK)
    hicov_dataset_unit (ds, i, &u);
  return u.name != NULL ? u.name : code;
}

static void
show_measures (HicovEquityView   *self,
               const HicovEquity *e)
{
  char buf[96];
  int row = 0;
  g_autofree char *units = g_strdup_printf ("%zu/%zu", e->n_used,
                                            e->n_units);
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GString) all = g_string_new (NULL);
  GtkWidget *left_out;

  add_row (self, row++, "units", _("Units used"), units);
  for (int m = 0; m < HICOV_N_EQ; m++)
    {
      double v = hicov_equity_get (e, m);
      g_autofree char *text = NULL;

      if ((m == HICOV_EQ_SII || m == HICOV_EQ_RII) && !e->ordered)
        continue;
      if (isfinite (v))
        hicov_format_number (v * hicov_equity_measure_scale (m),
                             decimals_of (m), self->lang, buf, sizeof buf);
      else
        g_strlcpy (buf, "—", sizeof buf);
      if (m == HICOV_EQ_HIGH && isfinite (v))
        text = g_strdup_printf ("%s · %s", buf,
                                unit_name (self->ds, e->high_unit));
      else if (m == HICOV_EQ_LOW && isfinite (v))
        text = g_strdup_printf ("%s · %s", buf,
                                unit_name (self->ds, e->low_unit));
      else
        text = g_strdup (buf);
      add_row (self, row++, hicov_equity_measure_name (m),
               hicov_equity_measure_label (m, self->lang), text);
    }
  for (size_t i = 0; i < e->n_excluded; i++)
    {
      const char *name = unit_name (self->ds, e->excluded[i].unit);
      if (i < LEFT_OUT_NAMED)
        g_string_append_printf (out, "%s%s", i ? ", " : "", name);
      g_string_append_printf (all, "%s%s", i ? "\n" : "", name);
    }
  if (e->n_excluded > LEFT_OUT_NAMED)
    {
      gulong more = (gulong) (e->n_excluded - LEFT_OUT_NAMED);
      g_string_append_c (out, ' ');
      /* TRANSLATORS: after the first units left out of the measures */
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                "and %lu more",
                                                "and %lu more", more),
                              more);
    }
  left_out = add_row (self, row, "left-out", _("Left out"),
                      e->n_excluded ? out->str : "0");
  hicov_tooltip_set (left_out, e->n_excluded > LEFT_OUT_NAMED ? all->str : NULL);
}

/* The note under the page: how the measures are made, or why missing. */
static void
show_note (HicovEquityView   *self,
           const HicovEquity *e)
{
  g_autoptr (GString) note = g_string_new (NULL);

  if (e->status != HICOV_OK)
    g_string_append_printf (note, "%s. ", e->reason);
  g_string_append (note, _("Each unit is weighted by its population at the "
                           "end of the period; Theil and MLD are shown "
                           "×1000, as WHO's HEAT shows them."));
  if (e->ordered)
    {
      g_string_append_c (note, ' ');
      g_string_append (note, _("SII and RII: a weighted least-squares line "
                               "on population ridits, units ranked lowest "
                               "first."));
    }
  for (size_t i = 0; i < e->n_excluded && i < 3; i++)
    g_string_append_printf (note, "\n%s: %s",
                            unit_name (self->ds, e->excluded[i].unit),
                            e->excluded[i].reason);
  gtk_label_set_text (self->note_label, note->str);
}

/* ------------------------------------------------------------------------ */
/* Pickers                                                                   */

static const char *
chosen (GtkDropDown *dd,
        GPtrArray   *names)
{
  guint i = gtk_drop_down_get_selected (dd);

  return i < names->len ? g_ptr_array_index (names, i) : NULL;
}

static int
chosen_level (HicovEquityView *self)
{
  guint i = gtk_drop_down_get_selected (self->level_dropdown);

  return i < self->levels->len ? g_array_index (self->levels, int, i) : -1;
}

/* The levels below the unit that have units at the end of the period;
 * the one the user chose stays, else the first with two units or more. */
static void
fill_levels (HicovEquityView *self)
{
  g_autoptr (GtkStringList) list = gtk_string_list_new (NULL);
  size_t idx;
  HicovUnit u = { 0 };
  guint pick = GTK_INVALID_LIST_POSITION, two = GTK_INVALID_LIST_POSITION;

  g_array_set_size (self->levels, 0);
  if (hicov_dataset_find_unit (self->ds, self->unit, &idx) == HICOV_OK)
    hicov_dataset_unit (self->ds, idx, &u);
  for (int level = u.level + 1; u.code && level <= HICOV_LEVEL_FACILITY;
       level++)
    {
      size_t *units = NULL, n = 0;

      if (hicov_dataset_units_at (self->ds, level, self->unit, &self->period,
                                  &units, &n) != HICOV_OK || n == 0)
        {
          hicov_free (units);
          continue;
        }
      hicov_free (units);
      if (level == self->chosen_level)
        pick = self->levels->len;
      if (n >= 2 && two == GTK_INVALID_LIST_POSITION)
        two = self->levels->len;
      g_array_append_val (self->levels, level);
      gtk_string_list_append (list, hicov_labels_level (level));
    }
  gtk_drop_down_set_model (self->level_dropdown, G_LIST_MODEL (list));
  if (pick == GTK_INVALID_LIST_POSITION)
    pick = two != GTK_INVALID_LIST_POSITION ? two : 0;
  gtk_drop_down_set_selected (self->level_dropdown, pick);
}

static void
on_picked (GObject         *dd,
           GParamSpec      *pspec,
           HicovEquityView *self)
{
  if (self->filling)
    return;
  if (GTK_DROP_DOWN (dd) == self->level_dropdown)
    self->chosen_level = chosen_level (self);
  refresh (self);
}

static GtkStringList *
indicator_list (GPtrArray *names,
                gboolean   with_none,
                const char *lang)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  if (with_none)
    {
      g_ptr_array_add (names, NULL);
      gtk_string_list_append (list, C_("ordering", "None"));
    }
  for (size_t i = 0; i < hicov_indicator_count (); i++)
    {
      const HicovIndicatorInfo *info = hicov_indicator_info (i);
      if (info->kind != HICOV_IND_LEVEL)
        continue;
      g_ptr_array_add (names, (gpointer) info->name);
      gtk_string_list_append (list, hicov_indicator_label (info, lang));
    }
  return list;
}

static void
fill_pickers (HicovEquityView *self)
{
  g_autoptr (GtkStringList) ind = NULL, ord = NULL;
  g_autoptr (GtkStringList) meas = gtk_string_list_new (NULL);

  self->filling = TRUE;
  g_ptr_array_set_size (self->indicators, 0);
  g_ptr_array_set_size (self->orders, 0);
  ind = indicator_list (self->indicators, FALSE, self->lang);
  ord = indicator_list (self->orders, TRUE, self->lang);
  for (int m = 0; m < HICOV_N_EQ; m++)
    gtk_string_list_append (meas, hicov_equity_measure_label (m, self->lang));
  gtk_drop_down_set_model (self->indicator_dropdown, G_LIST_MODEL (ind));
  gtk_drop_down_set_model (self->order_dropdown, G_LIST_MODEL (ord));
  gtk_drop_down_set_model (self->measure_dropdown, G_LIST_MODEL (meas));
  for (guint i = 0; i < self->indicators->len; i++)
    if (g_str_equal (g_ptr_array_index (self->indicators, i),
                     "coverage_rate"))
      gtk_drop_down_set_selected (self->indicator_dropdown, i);
  gtk_drop_down_set_selected (self->order_dropdown, 0);
  gtk_drop_down_set_selected (self->measure_dropdown, HICOV_EQ_THEIL);
  self->filling = FALSE;
}

/* ------------------------------------------------------------------------ */
/* Showing                                                                   */

static void
refresh (HicovEquityView *self)
{
  const char *indicator = chosen (self->indicator_dropdown, self->indicators);
  const char *order = chosen (self->order_dropdown, self->orders);
  int level = chosen_level (self);
  int measure = (int) gtk_drop_down_get_selected (self->measure_dropdown);
  HicovEquity e;
  HicovChart *c = NULL;

  clear_rows (self);
  if (self->ds == NULL || indicator == NULL || level < 0)
    {
      hicov_chart_view_set_chart (self->chart, NULL, NULL);
      gtk_label_set_text (self->note_label, "");
      return;
    }
  if (hicov_equity (self->ds, indicator, self->unit, level, self->period,
                    NULL, order, &e) != HICOV_OK)
    {
      gtk_label_set_text (self->note_label, hicov_dataset_errmsg (self->ds));
      hicov_chart_view_set_chart (self->chart, NULL, NULL);
      return;
    }
  show_measures (self, &e);
  show_note (self, &e);
  hicov_equity_clear (&e);
  if (measure < 0 || measure >= HICOV_N_EQ)
    measure = HICOV_EQ_THEIL;
  if (hicov_figure_equity_trend (self->figures, indicator, self->unit, level,
                                 self->period, measure, order, &c) != HICOV_OK)
    g_warning ("equity: %s", hicov_figure_context_errmsg (self->figures));
  hicov_chart_view_set_chart (self->chart, c, NULL);
}

gboolean
hicov_equity_view_update (HicovEquityView    *self,
                          HicovDataset       *ds,
                          HicovFigureContext *figures,
                          const char         *unit,
                          HicovPeriod         period,
                          const char         *lang,
                          GError            **error)
{
  g_return_val_if_fail (HICOV_IS_EQUITY_VIEW (self), FALSE);
  g_return_val_if_fail (ds != NULL && figures != NULL && unit != NULL, FALSE);

  if (g_strcmp0 (self->lang, lang) != 0 || self->indicators->len == 0)
    {
      g_strlcpy (self->lang, lang ? lang : "en", sizeof self->lang);
      fill_pickers (self);
    }
  self->ds = ds;
  self->figures = figures;
  g_free (self->unit);
  self->unit = g_strdup (unit);
  self->period = period;
  self->filling = TRUE;
  fill_levels (self);
  self->filling = FALSE;
  refresh (self);
  return TRUE;
}

void
hicov_equity_view_clear (HicovEquityView *self)
{
  g_return_if_fail (HICOV_IS_EQUITY_VIEW (self));

  self->ds = NULL;
  self->figures = NULL;
  clear_rows (self);
  hicov_chart_view_set_chart (self->chart, NULL, NULL);
  gtk_label_set_text (self->note_label, "");
}

static gboolean
choose_name (GtkDropDown *dd,
             GPtrArray   *names,
             const char  *value)
{
  for (guint i = 0; i < names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i),
                   g_str_equal (value, "none") ? NULL : value) == 0)
      {
        gtk_drop_down_set_selected (dd, i);
        return TRUE;
      }
  return FALSE;
}

gboolean
hicov_equity_view_choose (HicovEquityView *self,
                          const char      *what,
                          const char      *value)
{
  g_return_val_if_fail (HICOV_IS_EQUITY_VIEW (self), FALSE);

  if (g_str_equal (what, "indicator"))
    return choose_name (self->indicator_dropdown, self->indicators, value);
  if (g_str_equal (what, "order"))
    return choose_name (self->order_dropdown, self->orders, value);
  if (g_str_equal (what, "measure"))
    {
      for (int m = 0; m < HICOV_N_EQ; m++)
        if (g_str_equal (hicov_equity_measure_name (m), value))
          {
            gtk_drop_down_set_selected (self->measure_dropdown, (guint) m);
            return TRUE;
          }
      return FALSE;
    }
  if (g_str_equal (what, "level"))
    {
      int level = hicov_level_parse (value);
      for (guint i = 0; i < self->levels->len; i++)
        if (g_array_index (self->levels, int, i) == level)
          {
            gtk_drop_down_set_selected (self->level_dropdown, i);
            return TRUE;
          }
    }
  return FALSE;
}

/* A copy of the rows as drawn, NULL-terminated. */
static char **
dup_texts (GPtrArray *texts)
{
  char **out = g_new0 (char *, texts->len + 1);

  for (guint i = 0; i < texts->len; i++)
    out[i] = g_strdup (g_ptr_array_index (texts, i));
  return out;
}

char **
hicov_equity_view_dup_shown (HicovEquityView *self)
{
  g_return_val_if_fail (HICOV_IS_EQUITY_VIEW (self), NULL);
  return dup_texts (self->shown);
}

char **
hicov_equity_view_dup_rows (HicovEquityView *self)
{
  g_return_val_if_fail (HICOV_IS_EQUITY_VIEW (self), NULL);
  return dup_texts (self->rows);
}

const char *
hicov_equity_view_get_note (HicovEquityView *self)
{
  g_return_val_if_fail (HICOV_IS_EQUITY_VIEW (self), NULL);
  return gtk_label_get_text (self->note_label);
}

HicovChartView *
hicov_equity_view_get_chart (HicovEquityView *self)
{
  g_return_val_if_fail (HICOV_IS_EQUITY_VIEW (self), NULL);
  return self->chart;
}

/* ------------------------------------------------------------------------ */
/* Type                                                                      */

static void
hicov_equity_view_dispose (GObject *object)
{
  HicovEquityView *self = HICOV_EQUITY_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HICOV_TYPE_EQUITY_VIEW);
  G_OBJECT_CLASS (hicov_equity_view_parent_class)->dispose (object);
}

static void
hicov_equity_view_finalize (GObject *object)
{
  HicovEquityView *self = HICOV_EQUITY_VIEW (object);

  g_ptr_array_unref (self->indicators);
  g_ptr_array_unref (self->orders);
  g_array_unref (self->levels);
  g_ptr_array_unref (self->shown);
  g_ptr_array_unref (self->rows);
  g_free (self->unit);
  G_OBJECT_CLASS (hicov_equity_view_parent_class)->finalize (object);
}

static void
hicov_equity_view_class_init (HicovEquityViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hicov_equity_view_dispose;
  object_class->finalize = hicov_equity_view_finalize;
  g_type_ensure (HICOV_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/org/hicov/Dashboard/hicov-equity-view.ui");
  gtk_widget_class_bind_template_child (widget_class, HicovEquityView,
                                        indicator_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HicovEquityView,
                                        level_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HicovEquityView,
                                        order_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HicovEquityView,
                                        measure_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HicovEquityView, grid);
  gtk_widget_class_bind_template_child (widget_class, HicovEquityView, chart);
  gtk_widget_class_bind_template_child (widget_class, HicovEquityView,
                                        note_label);
}

static void
hicov_equity_view_init (HicovEquityView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->indicators = g_ptr_array_new ();
  self->orders = g_ptr_array_new ();
  self->levels = g_array_new (FALSE, FALSE, sizeof (int));
  self->shown = g_ptr_array_new_with_free_func (g_free);
  self->rows = g_ptr_array_new_with_free_func (g_free);
  self->chosen_level = -1;
  hicov_chart_view_set_name (self->chart, "equity-trend");
  g_signal_connect (self->indicator_dropdown, "notify::selected",
                    G_CALLBACK (on_picked), self);
  g_signal_connect (self->level_dropdown, "notify::selected",
                    G_CALLBACK (on_picked), self);
  g_signal_connect (self->order_dropdown, "notify::selected",
                    G_CALLBACK (on_picked), self);
  g_signal_connect (self->measure_dropdown, "notify::selected",
                    G_CALLBACK (on_picked), self);
}

GtkWidget *
hicov_equity_view_new (void)
{
  return g_object_new (HICOV_TYPE_EQUITY_VIEW, NULL);
}

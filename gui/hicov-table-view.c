/* hicov-table-view.c - see hicov-table-view.h.  The values are the core's
 * (hicov_table_new, hicov_target_gap); this file only lays them out,
 * sorts them and hands them to the exchange layer's writer. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "hicov-tooltip.h"
#include "hicov-exchange.h"
#include "hicov-file-dialog.h"
#include "hicov-table-view.h"

/* The core's columns, then the target's. */
static const char *const core_columns[] = {
  "population", "participants", "coverage_rate", "coverage_change",
  "visits", "total_cost", "cost_per_visit",
};
#define N_CORE G_N_ELEMENTS (core_columns)
enum { COL_GAP = N_CORE, COL_NEEDED, N_VALUES };
#define COL_STATUS N_VALUES /* text, after the numbers */

/* ------------------------------------------------------------------------ */
/* A row                                                                     */

#define HICOV_TYPE_TABLE_ITEM (hicov_table_item_get_type ())
G_DECLARE_FINAL_TYPE (HicovTableItem, hicov_table_item, HICOV, TABLE_ITEM,
                      GObject)

struct _HicovTableItem
{
  GObject parent_instance;
  char *code;
  char *name;
  char *status;
  gboolean synthetic;
  gboolean is_total;
  double v[N_VALUES];
  char *shown[N_VALUES]; /* the values as drawn */
};

G_DEFINE_FINAL_TYPE (HicovTableItem, hicov_table_item, G_TYPE_OBJECT)

static void
hicov_table_item_finalize (GObject *object)
{
  HicovTableItem *self = HICOV_TABLE_ITEM (object);

  g_free (self->code);
  g_free (self->name);
  g_free (self->status);
  for (int i = 0; i < N_VALUES; i++)
    g_free (self->shown[i]);
  G_OBJECT_CLASS (hicov_table_item_parent_class)->finalize (object);
}

static void
hicov_table_item_class_init (HicovTableItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hicov_table_item_finalize;
}

static void
hicov_table_item_init (HicovTableItem *self)
{
  for (int i = 0; i < N_VALUES; i++)
    self->v[i] = NAN;
}

/* ------------------------------------------------------------------------ */
/* The view                                                                  */

struct _HicovTableView
{
  GtkBox parent_instance;

  GtkColumnView *columns;
  GtkLabel *caption;
  GListStore *store;
  GtkSorter *sorter;        /* wraps the column view's: totals stay last */
  GtkColumnViewColumn *col[N_VALUES + 2]; /* name, values, status */
  char *headings[N_VALUES + 2];
  int decimals[N_VALUES];
  gboolean percent[N_VALUES];
  HicovTable *table;        /* the core's, for the information sheet */
  char *lang;
};

G_DEFINE_FINAL_TYPE (HicovTableView, hicov_table_view, GTK_TYPE_BOX)

static const char *
column_id (int i)
{
  if (i == 0)
    return "name";
  if (i <= (int) N_CORE)
    return core_columns[i - 1];
  if (i == COL_GAP + 1)
    return "gap";
  if (i == COL_NEEDED + 1)
    return "needed";
  return "status";
}

/* A missing value sorts as the smallest (the column view inverts the
 * order for descending, so "last" cannot be kept both ways). */
static int
compare_values (double a,
                double b)
{
  if (isnan (a) || isnan (b))
    return (int) !isnan (a) - (int) !isnan (b);
  return a < b ? -1 : a > b ? 1 : 0;
}

static int
compare_column (gconstpointer a,
                gconstpointer b,
                gpointer      data)
{
  const HicovTableItem *x = a, *y = b;
  int col = GPOINTER_TO_INT (data);

  if (col == 0)
    {
      int c = hicov_collate (x->name, y->name);
      return c != 0 ? (c < 0 ? -1 : 1) : g_strcmp0 (x->code, y->code);
    }
  if (col == COL_STATUS + 1)
    return g_strcmp0 (x->status, y->status);
  return compare_values (x->v[col - 1], y->v[col - 1]);
}

/* The totals row last, the others as the column view's sorter says. */
static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  HicovTableView *self = data;
  const HicovTableItem *x = a, *y = b;
  GtkSorter *inner = gtk_column_view_get_sorter (self->columns);

  if (x->is_total != y->is_total)
    return x->is_total ? 1 : -1;
  if (inner == NULL)
    return 0;
  switch (gtk_sorter_compare (inner, (gpointer) a, (gpointer) b))
    {
    case GTK_ORDERING_SMALLER: return -1;
    case GTK_ORDERING_LARGER: return 1;
    default: return 0;
    }
}

static void
on_inner_sorter_changed (GtkSorter       *inner,
                         GtkSorterChange  change,
                         HicovTableView  *self)
{
  (void) inner;
  (void) change;
  gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  data)
{
  int col = GPOINTER_TO_INT (data);
  GtkWidget *label = gtk_label_new (NULL);

  (void) factory;
  if (col > 0 && col <= N_VALUES)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
      gtk_widget_add_css_class (label, "numeric");
    }
  else
    {
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  data)
{
  int col = GPOINTER_TO_INT (data);
  HicovTableItem *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *text;

  (void) factory;
  if (col == 0)
    text = row->name;
  else if (col <= N_VALUES)
    text = row->shown[col - 1];
  else
    text = row->status;
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  if (row->is_total)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_remove_css_class (label, "heading");
  hicov_tooltip_set (label, col == 0 && row->synthetic
                                        ? _("synthetic demo unit") : NULL);
}

static void
add_columns (HicovTableView *self)
{
  for (int i = 0; i < N_VALUES + 2; i++)
    {
      GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
      GtkSorter *sorter = GTK_SORTER (
          gtk_custom_sorter_new (compare_column, GINT_TO_POINTER (i), NULL));

      g_signal_connect (f, "setup", G_CALLBACK (setup_cell),
                        GINT_TO_POINTER (i));
      g_signal_connect (f, "bind", G_CALLBACK (bind_cell),
                        GINT_TO_POINTER (i));
      self->col[i] = gtk_column_view_column_new ("", f);
      gtk_column_view_column_set_sorter (self->col[i], sorter);
      gtk_column_view_column_set_resizable (self->col[i], TRUE);
      if (i == 0)
        gtk_column_view_column_set_fixed_width (self->col[i], 190);
      gtk_column_view_append_column (self->columns, self->col[i]);
      g_object_unref (sorter);
      g_object_unref (self->col[i]); /* the column view holds it */
    }
}

static void
hicov_table_view_dispose (GObject *object)
{
  HicovTableView *self = HICOV_TABLE_VIEW (object);

  if (self->columns != NULL)
    g_signal_handlers_disconnect_by_func (
        gtk_column_view_get_sorter (self->columns), on_inner_sorter_changed,
        self);
  g_clear_pointer (&self->table, hicov_table_free);
  G_OBJECT_CLASS (hicov_table_view_parent_class)->dispose (object);
}

static void
hicov_table_view_finalize (GObject *object)
{
  HicovTableView *self = HICOV_TABLE_VIEW (object);

  for (int i = 0; i < N_VALUES + 2; i++)
    g_free (self->headings[i]);
  g_free (self->lang);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (hicov_table_view_parent_class)->finalize (object);
}

static void
hicov_table_view_class_init (HicovTableViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hicov_table_view_dispose;
  G_OBJECT_CLASS (klass)->finalize = hicov_table_view_finalize;
}

static void on_copy_clicked (GtkButton *button, HicovTableView *self);
static void on_export_clicked (GtkButton *button, HicovTableView *self);

/* The caption and the Copy and Export buttons above the columns. */
static GtkWidget *
make_bar (HicovTableView *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *copy = gtk_button_new_with_mnemonic (_("_Copy"));
  GtkWidget *export = gtk_button_new_with_mnemonic (_("_Export…"));

  self->caption = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->caption, 0.0f);
  gtk_label_set_wrap (self->caption, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->caption), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->caption), "dim-label");
  gtk_widget_set_tooltip_text (copy, _("Copy the table as tab-separated "
                                       "text for a spreadsheet"));
  gtk_widget_set_tooltip_text (export, _("Save the table as XLSX, ODS or "
                                         "CSV"));
  g_signal_connect (copy, "clicked", G_CALLBACK (on_copy_clicked), self);
  g_signal_connect (export, "clicked", G_CALLBACK (on_export_clicked), self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->caption));
  gtk_box_append (GTK_BOX (bar), copy);
  gtk_box_append (GTK_BOX (bar), export);
  return bar;
}

static void
hicov_table_view_init (HicovTableView *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkSortListModel *sorted;
  GtkSelectionModel *selection;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_box_append (GTK_BOX (self), make_bar (self));

  self->store = g_list_store_new (HICOV_TYPE_TABLE_ITEM);
  self->columns = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_column_view_set_show_column_separators (self->columns, TRUE);
  gtk_column_view_set_reorderable (self->columns, FALSE);
  add_columns (self);
  self->sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, self, NULL));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                    self->sorter);
  selection = GTK_SELECTION_MODEL (gtk_single_selection_new (
      G_LIST_MODEL (sorted)));
  gtk_single_selection_set_autoselect (GTK_SINGLE_SELECTION (selection),
                                       FALSE);
  gtk_column_view_set_model (self->columns, selection);
  g_object_unref (selection);
  g_signal_connect (gtk_column_view_get_sorter (self->columns), "changed",
                    G_CALLBACK (on_inner_sorter_changed), self);

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller),
                                 GTK_WIDGET (self->columns));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (self), scroller);
}

GtkWidget *
hicov_table_view_new (void)
{
  return g_object_new (HICOV_TYPE_TABLE_VIEW, NULL);
}

/* ------------------------------------------------------------------------ */
/* Filling it                                                                */

static const char *
short_title (int i)
{
  switch (i)
    {
    case 0: return _("Unit");
    case 1: return _("Population");
    case 2: return _("Participants");
    case 3: return _("Coverage");
    case 4: return _("Change (points)");
    case 5: return _("Visits");
    case 6: return _("Spending (VND)");
    case 7: return _("Cost per visit (VND)");
    case COL_GAP + 1: return _("Gap (points)");
    case COL_NEEDED + 1: return _("Still needed");
    default: return _("Target");
    }
}

static void
set_headings (HicovTableView *self)
{
  g_free (self->headings[0]);
  self->headings[0] = g_strdup (_("Unit"));
  for (size_t i = 0; i < N_CORE; i++)
    {
      const HicovIndicatorInfo *info = hicov_table_column (self->table, i);
      g_free (self->headings[i + 1]);
      self->headings[i + 1] =
        g_strdup (hicov_table_heading (self->table, i, self->lang));
      /* As the spreadsheet writer: one decimal for rates and points. */
      self->decimals[i] = (info->is_rate || g_str_equal (info->unit, "%") ||
                           g_str_equal (info->unit, "points")) ? 1 : 0;
      self->percent[i] = g_str_equal (info->unit, "%");
    }
  g_free (self->headings[COL_GAP + 1]);
  self->headings[COL_GAP + 1] = g_strdup (_("Gap to the target (points)"));
  self->decimals[COL_GAP] = 1;
  self->percent[COL_GAP] = FALSE;
  g_free (self->headings[COL_NEEDED + 1]);
  self->headings[COL_NEEDED + 1] = g_strdup (_("People still needed"));
  self->decimals[COL_NEEDED] = 0;
  self->percent[COL_NEEDED] = FALSE;
  g_free (self->headings[COL_STATUS + 1]);
  self->headings[COL_STATUS + 1] = g_strdup (_("Against the target"));
  /* Short titles on screen; the full headings, with units, go to the
   * clipboard and the files. */
  for (int i = 0; i < N_VALUES + 2; i++)
    gtk_column_view_column_set_title (self->col[i], short_title (i));
}

static char *
format_value (HicovTableView *self,
              int             col,
              double          v)
{
  char buf[64];

  if (isnan (v))
    return g_strdup ("—");
  if (self->percent[col])
    hicov_format_percent (v, self->decimals[col], self->lang, buf,
                          sizeof buf);
  else
    hicov_format_number (v, self->decimals[col], self->lang, buf, sizeof buf);
  /* Changes and gaps carry their sign. */
  if ((g_str_equal (column_id (col + 1), "coverage_change")) && v > 0)
    return g_strconcat ("+", buf, NULL);
  return g_strdup (buf);
}

/* The status of a row against the target at the period: met, or short
 * (not achieved once the deadline year is reached). */
static char *
status_text (const HicovTarget *target,
             HicovPeriod        period,
             double             gap)
{
  int year = hicov_period_end_year (period);

  if (target == NULL || isnan (gap))
    return g_strdup ("");
  if (gap <= 0)
    return g_strdup (_("Met"));
  if (year >= target->deadline_year)
    return g_strdup (_("Not achieved"));
  return g_strdup (_("Below the target"));
}

static HicovTableItem *
make_item (HicovTableView    *self,
           HicovDataset      *ds,
           size_t             r,
           const HicovTarget *target,
           HicovPeriod        period)
{
  HicovTableRow row;
  HicovTableItem *it = g_object_new (HICOV_TYPE_TABLE_ITEM, NULL);

  hicov_table_row (self->table, r, &row);
  it->code = g_strdup (row.code);
  it->name = g_strdup (row.name);
  it->synthetic = row.synthetic;
  it->is_total = row.is_total;
  for (size_t c = 0; c < N_CORE; c++)
    it->v[c] = hicov_table_cell (self->table, r, c)->value;
  if (target != NULL)
    {
      HicovTargetGap gap;
      if (hicov_target_gap (ds, target, row.code, period, &gap) == HICOV_OK)
        {
          it->v[COL_GAP] = gap.gap;
          it->v[COL_NEEDED] = gap.participants_needed;
        }
    }
  for (int c = 0; c < N_VALUES; c++)
    it->shown[c] = format_value (self, c, it->v[c]);
  it->status = status_text (target, period, it->v[COL_GAP]);
  return it;
}

/* "11 units; the gap is to the target of 98.0% coverage by 2025." */
static char *
make_caption (HicovTableView    *self,
              const HicovTarget *target)
{
  size_t n = hicov_table_row_count (self->table);
  gulong units = n > 0 ? (gulong) (n - 1) : 0; /* without the total */
  char pct[64];

  if (target == NULL)
    return g_strdup_printf (ngettext ("%lu unit; no coverage target applies.",
                                      "%lu units; no coverage target applies.",
                                      units), units);
  hicov_format_percent (target->threshold, 1, self->lang, pct, sizeof pct);
  /* TRANSLATORS: the target in percent ("98.0%") and its deadline year */
  return g_strdup_printf (ngettext ("%lu unit; the gap is to the target of "
                                    "%s coverage by %d.",
                                    "%lu units; the gap is to the target of "
                                    "%s coverage by %d.", units),
                          units, pct, target->deadline_year);
}

gboolean
hicov_table_view_update (HicovTableView    *self,
                         HicovDataset      *ds,
                         const char        *unit,
                         HicovPeriod        period,
                         const HicovTarget *target,
                         const char        *lang,
                         GError           **error)
{
  HicovTableSpec spec = {
    .indicators = core_columns, .n_indicators = N_CORE, .period = period,
    .level = -1, .parent = unit, .group = NULL, .total_row = 1,
  };
  HicovTable *t = NULL;
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *caption = NULL;

  hicov_table_view_clear (self);
  if (hicov_table_new (ds, &spec, &t) != HICOV_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   hicov_dataset_errmsg (ds));
      return FALSE;
    }
  self->table = t;
  g_free (self->lang);
  self->lang = g_strdup (lang);
  set_headings (self);
  for (size_t r = 0; r < hicov_table_row_count (t); r++)
    g_ptr_array_add (items, make_item (self, ds, r, target, period));
  g_list_store_splice (self->store, 0, 0, items->pdata, items->len);
  gtk_column_view_column_set_visible (self->col[COL_GAP + 1], target != NULL);
  gtk_column_view_column_set_visible (self->col[COL_NEEDED + 1],
                                      target != NULL);
  gtk_column_view_column_set_visible (self->col[COL_STATUS + 1],
                                      target != NULL);
  caption = make_caption (self, target);
  gtk_label_set_text (self->caption, caption);
  gtk_widget_remove_css_class (GTK_WIDGET (self->caption), "error");
  return TRUE;
}

void
hicov_table_view_clear (HicovTableView *self)
{
  g_list_store_remove_all (self->store);
  g_clear_pointer (&self->table, hicov_table_free);
  gtk_label_set_text (self->caption, "");
}

char **
hicov_table_view_dup_titles (HicovTableView *self)
{
  char **out;

  g_return_val_if_fail (HICOV_IS_TABLE_VIEW (self), NULL);
  out = g_new0 (char *, N_VALUES + 3);
  for (int i = 0; i < N_VALUES + 2; i++)
    out[i] = g_strdup (gtk_column_view_column_get_visible (self->col[i])
                         ? gtk_column_view_column_get_title (self->col[i])
                         : "");
  return out;
}

gboolean
hicov_table_view_sort (HicovTableView *self,
                       const char     *column,
                       gboolean        descending)
{
  for (int i = 0; i < N_VALUES + 2; i++)
    if (g_str_equal (column_id (i), column))
      {
        gtk_column_view_sort_by_column (self->columns, self->col[i],
                                        descending ? GTK_SORT_DESCENDING
                                                   : GTK_SORT_ASCENDING);
        return TRUE;
      }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Out of the view                                                           */

static GListModel *
shown_rows (HicovTableView *self)
{
  return G_LIST_MODEL (gtk_column_view_get_model (self->columns));
}

/* The shortest text that reads back as v (C notation, no grouping). */
static void
append_number (GString *s,
               double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    return;
  if (v == floor (v) && fabs (v) < 1e15)
    {
      g_string_append_printf (s, "%.0f", v);
      return;
    }
  for (int prec = 1; prec <= 17; prec++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", prec);
      g_ascii_formatd (buf, sizeof buf, fmt, v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  g_string_append (s, buf);
}

char *
hicov_table_view_dup_tsv (HicovTableView *self)
{
  GString *s = g_string_new (NULL);
  GListModel *rows = shown_rows (self);
  gboolean with_target =
    gtk_column_view_column_get_visible (self->col[COL_GAP + 1]);
  int last = with_target ? N_VALUES + 2 : (int) N_CORE + 1;

  g_string_append (s, _("Code"));
  for (int i = 0; i < last; i++)
    g_string_append_printf (s, "\t%s", self->headings[i]);
  g_string_append_c (s, '\n');
  for (guint r = 0; r < g_list_model_get_n_items (rows); r++)
    {
      g_autoptr (HicovTableItem) it = g_list_model_get_item (rows, r);
      g_string_append_printf (s, "%s\t%s", it->code, it->name);
      for (int c = 0; c < last - 1; c++)
        {
          g_string_append_c (s, '\t');
          if (c < N_VALUES)
            append_number (s, it->v[c]);
          else
            g_string_append (s, it->status);
        }
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

void
hicov_table_view_copy (HicovTableView *self)
{
  g_autofree char *tsv = hicov_table_view_dup_tsv (self);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), tsv);
}

char **
hicov_table_view_dup_shown (HicovTableView *self)
{
  GListModel *rows = shown_rows (self);
  guint n = g_list_model_get_n_items (rows);
  char **out = g_new0 (char *, n + 1);

  for (guint r = 0; r < n; r++)
    {
      g_autoptr (HicovTableItem) it = g_list_model_get_item (rows, r);
      GString *s = g_string_new (it->name);
      for (int c = 0; c < N_VALUES; c++)
        g_string_append_printf (s, "\t%s", it->shown[c]);
      g_string_append_printf (s, "\t%s", it->status);
      out[r] = g_string_free (s, FALSE);
    }
  return out;
}

/* The sheet of the shown rows: code, name, the values, the status. */
static HicovSheet *
make_sheet (HicovTableView *self,
            gboolean        with_target)
{
  GListModel *rows = shown_rows (self);
  size_t nvals = with_target ? N_VALUES : N_CORE;
  size_t ncols = 2 + nvals + (with_target ? 1 : 0);
  HicovSheet *sh = NULL;

  if (hicov_sheet_new (_("Table"), ncols, &sh) != HICOV_OK)
    return NULL;
  hicov_sheet_set_column (sh, 0, _("Code"), HICOV_COLUMN_TEXT, 0);
  hicov_sheet_set_column (sh, 1, self->headings[0], HICOV_COLUMN_TEXT, 0);
  for (size_t c = 0; c < nvals; c++)
    hicov_sheet_set_column (sh, c + 2, self->headings[c + 1],
                            self->percent[c] ? HICOV_COLUMN_PERCENT
                                             : HICOV_COLUMN_NUMBER,
                            self->decimals[c]);
  if (with_target)
    hicov_sheet_set_column (sh, ncols - 1, self->headings[COL_STATUS + 1],
                            HICOV_COLUMN_TEXT, 0);
  for (guint r = 0; r < g_list_model_get_n_items (rows); r++)
    {
      g_autoptr (HicovTableItem) it = g_list_model_get_item (rows, r);
      size_t row;
      hicov_sheet_add_row (sh, &row);
      hicov_sheet_set_text (sh, row, 0, it->code);
      hicov_sheet_set_text (sh, row, 1, it->name);
      if (it->synthetic)
        hicov_sheet_set_note (sh, row, 1, _("synthetic demo unit"));
      for (size_t c = 0; c < nvals; c++)
        hicov_sheet_set_number (sh, row, c + 2, it->v[c]);
      if (with_target)
        hicov_sheet_set_text (sh, row, ncols - 1, it->status);
    }
  return sh;
}

gboolean
hicov_table_view_save (HicovTableView *self,
                       const char     *path,
                       GError        **error)
{
  HicovSheet *sheets[2] = { NULL, NULL };
  HicovSheet *core_table = NULL;
  char err[512] = "";
  int rc;

  if (self->table == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   _("There is no table to save."));
      return FALSE;
    }
  sheets[0] = make_sheet (self, gtk_column_view_column_get_visible (
                                    self->col[COL_GAP + 1]));
  /* The core's information sheet: period, level, parent, version. */
  if (sheets[0] == NULL ||
      hicov_sheet_from_table (self->table, self->lang, &core_table,
                              &sheets[1]) != HICOV_OK)
    {
      hicov_sheet_free (sheets[0]);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   _("The table could not be prepared."));
      return FALSE;
    }
  hicov_sheet_free (core_table);
  rc = hicov_sheets_save (sheets, 2, path, HICOV_WORKBOOK_AUTO, err,
                          sizeof err);
  hicov_sheet_free (sheets[0]);
  hicov_sheet_free (sheets[1]);
  if (rc != HICOV_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Buttons                                                                   */

static void
on_copy_clicked (GtkButton      *button,
                 HicovTableView *self)
{
  (void) button;
  hicov_table_view_copy (self);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    HicovTableView  *self)
{
  g_autofree char *path = hicov_file_dialog_finish (dialog, response);
  g_autoptr (GError) error = NULL;

  if (path == NULL)
    return;
  /* A name without a known extension is saved as XLSX. */
  if (hicov_workbook_format_from_path (path) == HICOV_WORKBOOK_AUTO)
    {
      char *with_ext = g_strconcat (path, ".xlsx", NULL);
      g_free (path);
      path = with_ext;
    }
  if (!hicov_table_view_save (self, path, &error))
    {
      gtk_label_set_text (self->caption, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->caption), "error");
    }
  g_object_unref (self);
}

static void
on_export_clicked (GtkButton      *button,
                   HicovTableView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog = hicov_file_dialog_new (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Export Table"),
      GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));

  (void) button;
  hicov_file_dialog_add_filter (dialog, _("Excel workbook (XLSX)"), "*.xlsx",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  hicov_file_dialog_add_filter (dialog, _("OpenDocument spreadsheet (ODS)"),
      "*.ods", "application/vnd.oasis.opendocument.spreadsheet");
  hicov_file_dialog_add_filter (dialog, _("Comma-separated values (CSV)"),
      "*.csv", "text/csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog),
                                     "hicov-table.xlsx");
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response),
                    g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

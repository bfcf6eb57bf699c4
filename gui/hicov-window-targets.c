/* hicov-window-targets.c - the resolution selector in the header: the
 * resolutions of the dataset with a target about the selected unit, or
 * the one in force (the period's term, as before).  A chosen resolution
 * is assessed alone (hicov_figure_context_new with it), so the gap tile
 * shows its end-of-term verdict and the trend its target. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hicov-tooltip.h"
#include "hicov-window-private.h"

static gboolean
concerns_unit (const HicovResolution *res,
               const char            *unit)
{
  for (size_t i = 0; i < hicov_resolution_target_count (res); i++)
    if (g_strcmp0 (hicov_resolution_target (res, i)->unit, unit) == 0)
      return TRUE;
  return FALSE;
}

/* "Nghị quyết Đại hội XVII (2020–2025)" */
static char *
resolution_label (const HicovResolution *res)
{
  int start = 0, end = 0;

  hicov_resolution_term (res, &start, &end);
  return g_strdup_printf ("%s (%d–%d)", hicov_resolution_number (res), start,
                          end);
}

/* Makes the figure context for the choice (dataset index, -1: all). */
static void
assess_choice (HicovWindow *self)
{
  const HicovResolution *res = self->resolution_choice >= 0
    ? hicov_dataset_resolution (self->ds, (size_t) self->resolution_choice)
    : NULL;
  HicovFigureContext *ctx = NULL;

  if (hicov_figure_context_new (self->ds, res, _hicov_window_ui_lang (),
                                &ctx) != HICOV_OK)
    g_error ("out of memory assessing the dataset");
  g_clear_pointer (&self->figures, hicov_figure_context_free);
  self->figures = ctx;
  self->figures_choice = self->resolution_choice;
}

static void
on_resolution_selected (GtkDropDown *dropdown,
                        GParamSpec  *pspec,
                        HicovWindow *self)
{
  guint pos = gtk_drop_down_get_selected (dropdown);

  (void) pspec;
  if (self->resolution_items == NULL || pos >= self->resolution_items->len)
    return;
  self->resolution_choice = g_array_index (self->resolution_items, int, pos);
  _hicov_window_update_all (self);
}

void
_hicov_window_targets_init (HicovWindow *self)
{
  GtkWidget *row = gtk_widget_get_parent (
      gtk_widget_get_parent (GTK_WIDGET (self->unit_title)));

  self->resolution_choice = -1;
  self->figures_choice = -1;
  self->resolution_items = g_array_new (FALSE, FALSE, sizeof (int));
  self->resolution_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (
      G_LIST_MODEL (gtk_string_list_new (NULL)), NULL));
  gtk_widget_set_valign (GTK_WIDGET (self->resolution_dropdown),
                         GTK_ALIGN_CENTER);
  hicov_tooltip_set (GTK_WIDGET (self->resolution_dropdown),
                               _("The resolution whose target the tiles and "
                                 "charts show"));
  gtk_accessible_update_property (
      GTK_ACCESSIBLE (self->resolution_dropdown),
      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Resolution"), -1);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->resolution_dropdown));
  g_signal_connect (self->resolution_dropdown, "notify::selected",
                    G_CALLBACK (on_resolution_selected), self);
}

void
_hicov_window_targets_dispose (HicovWindow *self)
{
  if (self->resolution_dropdown != NULL)
    g_signal_handlers_disconnect_by_func (self->resolution_dropdown,
                                          on_resolution_selected, self);
  self->resolution_dropdown = NULL;
  g_clear_pointer (&self->resolution_items, g_array_unref);
}

/* The entries for the unit: -1 (the one in force), then the dataset
 * indices of the resolutions about it. */
static GArray *
entries_for_unit (HicovWindow *self)
{
  GArray *items = g_array_new (FALSE, FALSE, sizeof (int));
  int minus_one = -1;

  g_array_append_val (items, minus_one);
  for (size_t i = 0; i < hicov_dataset_resolution_count (self->ds); i++)
    {
      int index = (int) i;
      if (concerns_unit (hicov_dataset_resolution (self->ds, i), self->unit))
        g_array_append_val (items, index);
    }
  return items;
}

static gboolean
same_entries (GArray *a,
              GArray *b)
{
  return a->len == b->len &&
         memcmp (a->data, b->data, a->len * sizeof (int)) == 0;
}

/* Lists the resolutions about the unit, keeps the choice if it still
 * applies (else the one in force) and reassesses when it changed.  The
 * model is replaced only when the entries change: never from within the
 * drop-down's own selection change. */
void
_hicov_window_targets_update (HicovWindow *self)
{
  g_autoptr (GArray) items = entries_for_unit (self);
  guint selected = 0;

  for (guint i = 1; i < items->len; i++)
    if (g_array_index (items, int, i) == self->resolution_choice)
      selected = i;
  if (selected == 0)
    self->resolution_choice = -1;
  g_signal_handlers_block_by_func (self->resolution_dropdown,
                                   on_resolution_selected, self);
  if (!same_entries (items, self->resolution_items))
    {
      GtkStringList *list = gtk_string_list_new (NULL);
      gtk_string_list_append (list, _("Resolution in force"));
      for (guint i = 1; i < items->len; i++)
        {
          g_autofree char *label = resolution_label (hicov_dataset_resolution (
              self->ds, (size_t) g_array_index (items, int, i)));
          gtk_string_list_append (list, label);
        }
      gtk_drop_down_set_model (self->resolution_dropdown, G_LIST_MODEL (list));
      g_object_unref (list);
      g_array_set_size (self->resolution_items, 0);
      g_array_append_vals (self->resolution_items, items->data, items->len);
    }
  if (gtk_drop_down_get_selected (self->resolution_dropdown) != selected)
    gtk_drop_down_set_selected (self->resolution_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->resolution_dropdown,
                                     on_resolution_selected, self);
  gtk_widget_set_visible (GTK_WIDGET (self->resolution_dropdown),
                          items->len > 1);
  if (self->figures_choice != self->resolution_choice)
    assess_choice (self);
}

gboolean
hicov_window_select_resolution (HicovWindow *self,
                                int          position)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), FALSE);
  if (position < 0 || (guint) position >= self->resolution_items->len)
    return FALSE;
  gtk_drop_down_set_selected (self->resolution_dropdown, (guint) position);
  return TRUE;
}

char **
hicov_window_dup_resolutions (HicovWindow *self,
                              int         *selected)
{
  GListModel *m = gtk_drop_down_get_model (self->resolution_dropdown);
  guint n = g_list_model_get_n_items (m);
  char **out = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    out[i] = g_strdup (gtk_string_list_get_string (GTK_STRING_LIST (m), i));
  *selected = (int) gtk_drop_down_get_selected (self->resolution_dropdown);
  return out;
}

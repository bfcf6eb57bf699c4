/* hicov-window-figures.c - what the trend and the ranking show, in a
 * popover of one button beside the resolution selector (the unit's name
 * keeps its room at 1024 pixels): the indicator (the core's list,
 * hicov_figure_indicator), every unit on the ranking or its lowest 20, and
 * the units pinned to compare on the trend.  The window keeps the choices
 * and gives them to each new figure context (hicov_figure_context_set_*);
 * the figures themselves are built in csrc/chart. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hicov-tooltip.h"
#include "hicov-window-private.h"

/* The ranking's bars when it is cut to the lowest (as the core's
 * default). */
#define RANKING_LOWEST 20

static void
on_indicator_selected (GtkDropDown *dropdown,
                       GParamSpec  *pspec,
                       HicovWindow *self)
{
  const char *name = hicov_figure_indicator (gtk_drop_down_get_selected (
      dropdown));

  (void) pspec;
  if (name != NULL)
    hicov_window_set_indicator (self, name);
}

static void
on_all_units_toggled (GtkToggleButton *button,
                      HicovWindow     *self)
{
  hicov_window_set_ranking_all (self, gtk_toggle_button_get_active (button));
}

static void
on_compare_toggled (GtkToggleButton *button,
                    HicovWindow     *self)
{
  hicov_window_pin_unit (self, gtk_toggle_button_get_active (button));
}

void
_hicov_window_figures_init (HicovWindow *self)
{
  GtkWidget *row = gtk_widget_get_parent (
      gtk_widget_get_parent (GTK_WIDGET (self->unit_title)));
  const char *lang = _hicov_window_ui_lang ();
  GtkStringList *labels = gtk_string_list_new (NULL);
  GtkWidget *box, *popover, *button;

  self->compare_units = g_ptr_array_new_with_free_func (g_free);
  for (size_t i = 0; hicov_figure_indicator (i) != NULL; i++)
    gtk_string_list_append (labels, hicov_indicator_label (
        hicov_indicator_find (hicov_figure_indicator (i)), lang));
  self->indicator_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (
      G_LIST_MODEL (labels), NULL));
  hicov_tooltip_set (GTK_WIDGET (self->indicator_dropdown),
                               _("The indicator of the trend and the "
                                 "ranking"));
  gtk_accessible_update_property (
      GTK_ACCESSIBLE (self->indicator_dropdown),
      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Indicator"), -1);
  g_signal_connect (self->indicator_dropdown, "notify::selected",
                    G_CALLBACK (on_indicator_selected), self);

  self->all_units_button = GTK_TOGGLE_BUTTON (
      gtk_toggle_button_new_with_mnemonic (_("_All units")));
  hicov_tooltip_set (GTK_WIDGET (self->all_units_button),
                               _("Rank every unit below, not only the 20 "
                                 "lowest"));
  g_signal_connect (self->all_units_button, "toggled",
                    G_CALLBACK (on_all_units_toggled), self);

  self->compare_button = GTK_TOGGLE_BUTTON (
      gtk_toggle_button_new_with_mnemonic (_("Co_mpare")));
  hicov_tooltip_set (GTK_WIDGET (self->compare_button),
                               _("Keep this unit on the trend to compare "
                                 "it with the units you select next (up "
                                 "to five lines)"));
  g_signal_connect (self->compare_button, "toggled",
                    G_CALLBACK (on_compare_toggled), self);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->indicator_dropdown));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->all_units_button));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->compare_button));
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button),
                                 "view-more-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Chart options: the indicator, "
                                         "every unit, comparison"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Chart options"), -1);
  gtk_box_append (GTK_BOX (row), button);

  /* The ranking scrolls in its cell of the grid when it shows every unit
   * (its height grows with the bars, _hicov_window_figures_update). */
  {
    GtkWidget *chart = GTK_WIDGET (self->chart_ranking);
    GtkWidget *grid = gtk_widget_get_parent (chart);
    int column, row_at, width, height;
    GtkWidget *scroller = gtk_scrolled_window_new ();

    gtk_grid_query_child (GTK_GRID (grid), chart, &column, &row_at, &width,
                          &height);
    g_object_ref (chart);
    gtk_grid_remove (GTK_GRID (grid), chart);
    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller),
                                    GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), chart);
    gtk_widget_set_hexpand (scroller, TRUE);
    gtk_widget_set_vexpand (scroller, TRUE);
    gtk_grid_attach (GTK_GRID (grid), scroller, column, row_at, width, height);
    g_object_unref (chart);
  }
}

void
_hicov_window_figures_dispose (HicovWindow *self)
{
  if (self->indicator_dropdown != NULL)
    g_signal_handlers_disconnect_by_func (self->indicator_dropdown,
                                          on_indicator_selected, self);
  if (self->all_units_button != NULL)
    g_signal_handlers_disconnect_by_func (self->all_units_button,
                                          on_all_units_toggled, self);
  if (self->compare_button != NULL)
    g_signal_handlers_disconnect_by_func (self->compare_button,
                                          on_compare_toggled, self);
  self->indicator_dropdown = NULL;
  self->all_units_button = NULL;
  self->compare_button = NULL;
  g_clear_pointer (&self->compare_units, g_ptr_array_unref);
}

static gboolean
is_pinned (HicovWindow *self,
           const char  *unit,
           guint       *at)
{
  for (guint i = 0; self->compare_units != NULL &&
                    i < self->compare_units->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->compare_units, i), unit) == 0)
      {
        if (at != NULL)
          *at = i;
        return TRUE;
      }
  return FALSE;
}

void
_hicov_window_figures_apply (HicovWindow *self)
{
  const char *units[HICOV_FIGURE_MAX_COMPARE];
  size_t n = 0;

  if (self->figures == NULL)
    return;
  hicov_figure_context_set_indicator (self->figures, self->indicator);
  hicov_figure_context_set_ranking_max (self->figures,
                                        self->ranking_all ? 0
                                                          : RANKING_LOWEST);
  for (guint i = 0; self->compare_units != NULL &&
                    i < self->compare_units->len &&
                    n < HICOV_FIGURE_MAX_COMPARE; i++)
    if (g_strcmp0 (g_ptr_array_index (self->compare_units, i),
                   self->unit) != 0)
      units[n++] = g_ptr_array_index (self->compare_units, i);
  if (hicov_figure_context_set_compare (self->figures, units, n) != HICOV_OK)
    hicov_figure_context_set_compare (self->figures, NULL, 0);
}

/* A period kind finer than the dataset's values (quarters of a dataset of
 * years) shows nothing of its own: say so once per kind chosen, and take
 * the hint back when a kind with data is chosen. */
static void
period_hint (HicovWindow *self)
{
  int finest = 0, wanted;

  wanted = self->period.kind == HICOV_PERIOD_MONTH     ? 1
           : self->period.kind == HICOV_PERIOD_QUARTER ? 3
                                                       : 12;
  if (self->ds == NULL ||
      hicov_dataset_finest_months (self->ds, &finest) != HICOV_OK ||
      finest <= wanted)
    {
      if (self->hint_shown)
        _hicov_window_dismiss_notice (self);
      self->hint_shown = FALSE;
      self->hinted_kind_months = 0;
      return;
    }
  if (wanted == self->hinted_kind_months)
    return;
  self->hinted_kind_months = wanted;
  self->hint_shown = TRUE;
  if (finest >= 12)
    _hicov_window_show_notice (self, _("The dataset has only yearly "
                                       "figures"));
  else if (finest % 3 == 0)
    _hicov_window_show_notice (self, _("The dataset has only quarterly and "
                                       "yearly figures"));
  else
    _hicov_window_show_notice (self, _("The dataset has no figures for "
                                       "periods this short"));
}

/* The buttons after the selection: Compare is down when the unit is
 * pinned; the hint on a period kind without data. */
void
_hicov_window_figures_update (HicovWindow *self)
{
  if (self->compare_button == NULL)
    return;
  period_hint (self);
  g_signal_handlers_block_by_func (self->compare_button, on_compare_toggled,
                                   self);
  gtk_toggle_button_set_active (self->compare_button,
                                is_pinned (self, self->unit, NULL));
  g_signal_handlers_unblock_by_func (self->compare_button,
                                     on_compare_toggled, self);
  /* the ranking is as tall as its bars need to be named with their
   * values (22 px each), and scrolls in its cell when that is more */
  gtk_widget_set_size_request (GTK_WIDGET (self->chart_ranking), -1,
                               self->ranking_bars > 0
                                 ? (int) MIN (22 * self->ranking_bars + 140,
                                              20000)
                                 : -1);
}

void
hicov_window_set_indicator (HicovWindow *self,
                            const char  *name)
{
  g_return_if_fail (HICOV_IS_WINDOW (self));

  for (guint i = 0; hicov_figure_indicator (i) != NULL; i++)
    if (g_strcmp0 (hicov_figure_indicator (i), name) == 0)
      {
        self->indicator = hicov_figure_indicator (i);
        if (self->indicator_dropdown != NULL &&
            gtk_drop_down_get_selected (self->indicator_dropdown) != i)
          gtk_drop_down_set_selected (self->indicator_dropdown, i);
        _hicov_window_update_all (self);
        return;
      }
  g_warning ("no figure of indicator '%s'", name);
}

const char *
hicov_window_get_indicator (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);

  return self->indicator != NULL ? self->indicator : "coverage_rate";
}

void
hicov_window_set_ranking_all (HicovWindow *self,
                              gboolean     all)
{
  g_return_if_fail (HICOV_IS_WINDOW (self));

  if (self->ranking_all == all)
    return;
  self->ranking_all = all;
  if (self->all_units_button != NULL &&
      gtk_toggle_button_get_active (self->all_units_button) != all)
    gtk_toggle_button_set_active (self->all_units_button, all);
  _hicov_window_update_all (self);
}

void
hicov_window_pin_unit (HicovWindow *self,
                       gboolean     pinned)
{
  guint at;

  g_return_if_fail (HICOV_IS_WINDOW (self));

  if (self->unit == NULL || self->compare_units == NULL)
    return;
  if (!pinned && is_pinned (self, self->unit, &at))
    g_ptr_array_remove_index (self->compare_units, at);
  else if (pinned && !is_pinned (self, self->unit, NULL))
    {
      /* the oldest pin gives way: at most four besides the selection */
      if (self->compare_units->len >= HICOV_FIGURE_MAX_COMPARE)
        g_ptr_array_remove_index (self->compare_units, 0);
      g_ptr_array_add (self->compare_units, g_strdup (self->unit));
    }
  _hicov_window_update_all (self);
}

char **
hicov_window_dup_compared (HicovWindow *self)
{
  GStrvBuilder *b = g_strv_builder_new ();

  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);

  for (guint i = 0; self->compare_units != NULL &&
                    i < self->compare_units->len; i++)
    g_strv_builder_add (b, g_ptr_array_index (self->compare_units, i));
  return g_strv_builder_end (b);
}

HicovPeriodSelector *
hicov_window_get_period_selector (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);

  return self->period_selector;
}

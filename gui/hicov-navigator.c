/* hicov-navigator.c - tree of administrative units.
 *
 * A GtkTreeListModel over GListStores of HicovUnitItem: the roots come from
 * hicov_dataset_children (ds, NULL, period), and each row's children are
 * asked from the core when the row is first expanded, so the districts of
 * years before 2025-07-01 appear only for periods in which they existed.
 * Typing in the search entry shows instead the flat list of the units of
 * the period whose name or code matches (accents ignored: "lang son"
 * finds Lạng Sơn), in the core's order. */
#include "config.h"

#include <glib/gi18n.h>

#include "hicov-labels.h"
#include "hicov-navigator.h"
#include "hicov-unit-item.h"

struct _HicovNavigator
{
  GtkWidget parent_instance;

  GtkScrolledWindow *scroller;
  GtkListView *list_view;
  GtkSearchEntry *search_entry;

  GtkTreeListModel *tree;
  GtkSingleSelection *selection;

  HicovDataset *ds; /* borrowed */
  HicovPeriod period;
  gboolean has_period;
  char *selected_code;
  guint block_signal;
};

G_DEFINE_FINAL_TYPE (HicovNavigator, hicov_navigator, GTK_TYPE_WIDGET)

enum {
  UNIT_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_SELECTED_CODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Returns a new store with the children of parent (NULL: roots), or NULL
 * when there are none, so that leaves show no expander. */
static GListStore *
children_store (HicovNavigator *self,
                const char     *parent)
{
  size_t *idx = NULL;
  size_t n = 0;
  GListStore *store;

  if (self->ds == NULL)
    return NULL;
  if (hicov_dataset_children (self->ds, parent,
                              self->has_period ? &self->period : NULL,
                              &idx, &n) != HICOV_OK || n == 0)
    {
      hicov_free (idx);
      return NULL;
    }

  store = g_list_store_new (HICOV_TYPE_UNIT_ITEM);
  for (size_t i = 0; i < n; i++)
    {
      HicovUnit u;
      if (hicov_dataset_unit (self->ds, idx[i], &u) == HICOV_OK)
        {
          g_autoptr (HicovUnitItem) item =
            hicov_unit_item_new (u.code, u.name, u.level);
          g_list_store_append (store, item);
        }
    }
  hicov_free (idx);
  return store;
}

static GListModel *
create_child_model (gpointer item,
                    gpointer user_data)
{
  HicovNavigator *self = user_data;

  return (GListModel *) children_store (self,
                                        hicov_unit_item_get_code (item));
}

/* The row's unit code as its name's tooltip, looked up when shown:
 * gtk_widget_set_tooltip_text in bind_row asked the X server where the
 * pointer is for every row bound, two round trips a row, and expanding a
 * province binds a screenful of them on each selection. */
static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  GtkListItem *list_item = user_data;
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  g_autoptr (HicovUnitItem) item = NULL;

  if (row == NULL)
    return FALSE;
  item = gtk_tree_list_row_get_item (row);
  gtk_tooltip_set_text (tooltip, hicov_unit_item_get_code (item));
  return TRUE;
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *level = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_set_has_tooltip (name, TRUE);
  g_signal_connect_object (name, "query-tooltip",
                           G_CALLBACK (on_query_tooltip), list_item, 0);
  gtk_widget_add_css_class (level, "dim-label");
  gtk_widget_add_css_class (level, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), level);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *level = gtk_widget_get_next_sibling (name);
  HicovUnitItem *item = gtk_tree_list_row_get_item (row);
  g_autofree char *accessible = NULL;

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_text (GTK_LABEL (name), hicov_unit_item_get_name (item));
  gtk_label_set_text (GTK_LABEL (level),
                      hicov_labels_level (hicov_unit_item_get_level (item)));
  accessible = g_strdup_printf ("%s, %s", hicov_unit_item_get_name (item),
                                hicov_labels_level (
                                  hicov_unit_item_get_level (item)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (expander),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  g_object_unref (item);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  GtkWidget *expander = gtk_list_item_get_child (list_item);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), NULL);
}

static void
set_selected_code (HicovNavigator *self,
                   const char     *code)
{
  if (g_strcmp0 (self->selected_code, code) == 0)
    return;
  g_free (self->selected_code);
  self->selected_code = g_strdup (code);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_CODE]);
}

static void
on_selection_changed (GtkSingleSelection *selection,
                      GParamSpec         *pspec,
                      HicovNavigator     *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (selection);
  g_autoptr (HicovUnitItem) item = NULL;

  if (row == NULL)
    return;
  item = gtk_tree_list_row_get_item (row);
  if (g_strcmp0 (self->selected_code, hicov_unit_item_get_code (item)) == 0)
    return;
  set_selected_code (self, hicov_unit_item_get_code (item));
  if (self->block_signal == 0)
    g_signal_emit (self, signals[UNIT_SELECTED], 0, self->selected_code);
}

/* The units of the period matching text, flat, at most 500. */
static GListStore *
matching_store (HicovNavigator *self,
                const char     *text)
{
  GListStore *store = g_list_store_new (HICOV_TYPE_UNIT_ITEM);
  size_t *idx = NULL;
  size_t n = 0;
  guint found = 0;

  if (self->ds == NULL)
    return store;
  for (int level = HICOV_LEVEL_COUNTRY; level <= HICOV_LEVEL_COMMUNE; level++)
    {
      if (hicov_dataset_units_at (self->ds, level, NULL,
                                  self->has_period ? &self->period : NULL,
                                  &idx, &n) != HICOV_OK)
        n = 0;
      for (size_t i = 0; i < n && found < 500; i++)
        {
          HicovUnit u;
          if (hicov_dataset_unit (self->ds, idx[i], &u) != HICOV_OK)
            continue;
          if (g_str_match_string (text, u.name ? u.name : u.code, TRUE) ||
              g_str_has_prefix (u.code, text))
            {
              g_autoptr (HicovUnitItem) item =
                hicov_unit_item_new (u.code, u.name, u.level);
              g_list_store_append (store, item);
              found++;
            }
        }
      g_clear_pointer (&idx, hicov_free);
    }
  return store;
}

static GListModel *
no_children (gpointer item,
             gpointer user_data)
{
  return NULL;
}

static void
on_search_changed (GtkSearchEntry *entry,
                   HicovNavigator *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *keep = g_strdup (self->selected_code);

  if (text == NULL || *text == '\0')
    {
      /* the tree again, at the unit selected meanwhile */
      hicov_navigator_set_dataset (self, self->ds,
                                   self->has_period ? &self->period : NULL);
      if (keep != NULL)
        hicov_navigator_select (self, keep);
      return;
    }
  self->block_signal++;
  g_clear_object (&self->tree);
  self->tree = gtk_tree_list_model_new (G_LIST_MODEL (matching_store (self,
                                                                      text)),
                                        FALSE, FALSE, no_children, NULL,
                                        NULL);
  gtk_single_selection_set_model (self->selection,
                                  G_LIST_MODEL (self->tree));
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->block_signal--;
}

void
hicov_navigator_set_search (HicovNavigator *self,
                            const char     *text)
{
  g_return_if_fail (HICOV_IS_NAVIGATOR (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry),
                         text != NULL ? text : "");
  /* at once, not after the entry's typing delay */
  on_search_changed (self->search_entry, self);
}

void
hicov_navigator_set_dataset (HicovNavigator    *self,
                             HicovDataset      *ds,
                             const HicovPeriod *period)
{
  GListStore *roots;

  g_return_if_fail (HICOV_IS_NAVIGATOR (self));

  self->ds = ds;
  self->has_period = period != NULL;
  if (period != NULL)
    self->period = *period;

  roots = children_store (self, NULL);
  if (roots == NULL)
    roots = g_list_store_new (HICOV_TYPE_UNIT_ITEM);

  self->block_signal++;
  g_clear_object (&self->tree);
  self->tree = gtk_tree_list_model_new (G_LIST_MODEL (roots), FALSE, FALSE,
                                        create_child_model, self, NULL);
  gtk_single_selection_set_model (self->selection,
                                  G_LIST_MODEL (self->tree));
  /* Open the first level so provinces are visible at once. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->tree)) > 0)
    {
      g_autoptr (GtkTreeListRow) first =
        gtk_tree_list_model_get_row (self->tree, 0);
      gtk_tree_list_row_set_expanded (first, TRUE);
    }
  self->block_signal--;
}

/* Ancestors of code, root first, ending with code itself. */
static GPtrArray *
unit_path (HicovDataset *ds,
           const char   *code)
{
  GPtrArray *path = g_ptr_array_new_with_free_func (g_free);
  const char *cur = code;

  /* Bounded: a malformed parent cycle must not hang the UI. */
  for (int depth = 0; cur != NULL && depth < 16; depth++)
    {
      size_t i;
      HicovUnit u;

      if (hicov_dataset_find_unit (ds, cur, &i) != HICOV_OK ||
          hicov_dataset_unit (ds, i, &u) != HICOV_OK)
        break;
      g_ptr_array_insert (path, 0, g_strdup (u.code));
      cur = u.parent;
    }
  return path;
}

gboolean
hicov_navigator_select (HicovNavigator *self,
                        const char     *code)
{
  g_autoptr (GPtrArray) path = NULL;
  GListModel *model;
  guint depth = 0;
  guint found = GTK_INVALID_LIST_POSITION;

  g_return_val_if_fail (HICOV_IS_NAVIGATOR (self), FALSE);

  if (self->ds == NULL || self->tree == NULL || code == NULL)
    return FALSE;

  path = unit_path (self->ds, code);
  model = G_LIST_MODEL (self->tree);

  /* Walk the flattened rows, expanding each ancestor as it is met; rows
   * of an expanded unit follow it, so one pass finds the unit. A unit can
   * also be reached through a unit it was merged into, so a path element
   * missing from the tree is skipped rather than failing. */
  for (guint pos = 0; pos < g_list_model_get_n_items (model) &&
                      depth < path->len; pos++)
    {
      g_autoptr (GtkTreeListRow) row = gtk_tree_list_model_get_row (self->tree,
                                                                    pos);
      g_autoptr (HicovUnitItem) item = gtk_tree_list_row_get_item (row);
      const char *want = g_ptr_array_index (path, depth);

      if (g_strcmp0 (hicov_unit_item_get_code (item), want) != 0)
        continue;
      if (depth + 1 == path->len)
        {
          found = pos;
          break;
        }
      gtk_tree_list_row_set_expanded (row, TRUE);
      depth++;
    }

  if (found == GTK_INVALID_LIST_POSITION)
    {
      /* Fall back to a flat search over what is expanded. */
      for (guint pos = 0; pos < g_list_model_get_n_items (model); pos++)
        {
          g_autoptr (GtkTreeListRow) row =
            gtk_tree_list_model_get_row (self->tree, pos);
          g_autoptr (HicovUnitItem) item = gtk_tree_list_row_get_item (row);
          if (g_strcmp0 (hicov_unit_item_get_code (item), code) == 0)
            {
              found = pos;
              break;
            }
        }
    }
  if (found == GTK_INVALID_LIST_POSITION)
    return FALSE;

  self->block_signal++;
  gtk_single_selection_set_selected (self->selection, found);
  set_selected_code (self, code);
  self->block_signal--;
  gtk_widget_activate_action (GTK_WIDGET (self->list_view),
                              "list.scroll-to-item", "u", found);
  return TRUE;
}

const char *
hicov_navigator_get_selected_code (HicovNavigator *self)
{
  g_return_val_if_fail (HICOV_IS_NAVIGATOR (self), NULL);
  return self->selected_code;
}

char **
hicov_navigator_dup_row_names (HicovNavigator *self)
{
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  guint n;

  g_return_val_if_fail (HICOV_IS_NAVIGATOR (self), NULL);

  n = self->tree ? g_list_model_get_n_items (G_LIST_MODEL (self->tree)) : 0;
  for (guint pos = 0; pos < n; pos++)
    {
      g_autoptr (GtkTreeListRow) row = gtk_tree_list_model_get_row (self->tree,
                                                                    pos);
      g_autoptr (HicovUnitItem) item = gtk_tree_list_row_get_item (row);

      g_strv_builder_add (names, hicov_unit_item_get_name (item));
    }
  return g_strv_builder_end (names);
}

static void
hicov_navigator_dispose (GObject *object)
{
  HicovNavigator *self = HICOV_NAVIGATOR (object);

  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), HICOV_TYPE_NAVIGATOR);
  /* the box around the search entry and the tree is not a bound child */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->tree);
  self->ds = NULL;
  G_OBJECT_CLASS (hicov_navigator_parent_class)->dispose (object);
}

static void
hicov_navigator_finalize (GObject *object)
{
  HicovNavigator *self = HICOV_NAVIGATOR (object);

  g_free (self->selected_code);
  G_OBJECT_CLASS (hicov_navigator_parent_class)->finalize (object);
}

static void
hicov_navigator_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HicovNavigator *self = HICOV_NAVIGATOR (object);

  switch (prop_id)
    {
    case PROP_SELECTED_CODE:
      g_value_set_string (value, self->selected_code);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hicov_navigator_class_init (HicovNavigatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hicov_navigator_dispose;
  object_class->finalize = hicov_navigator_finalize;
  object_class->get_property = hicov_navigator_get_property;

  properties[PROP_SELECTED_CODE] =
    g_param_spec_string ("selected-code", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted when the user selects a unit (not on programmatic selection). */
  signals[UNIT_SELECTED] =
    g_signal_new ("unit-selected", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/org/hicov/Dashboard/hicov-navigator.ui");
  gtk_widget_class_bind_template_child (widget_class, HicovNavigator,
                                        scroller);
  gtk_widget_class_bind_template_child (widget_class, HicovNavigator,
                                        list_view);
  gtk_widget_class_bind_template_child (widget_class, HicovNavigator,
                                        search_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "navigator");
}

static void
hicov_navigator_init (HicovNavigator *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, FALSE);
  g_signal_connect (self->selection, "notify::selected",
                    G_CALLBACK (on_selection_changed), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (self->selection));
}

GtkWidget *
hicov_navigator_new (void)
{
  return g_object_new (HICOV_TYPE_NAVIGATOR, NULL);
}

/* hicov-map-view.c - the Map page (see hicov-map-view.h).  It computes
 * nothing: the geo layer reads and joins, the chart library builds and
 * draws the figure, this file wires the choices to them. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "hicov-tooltip.h"
#include "hicov-file-dialog.h"
#include "hicov-map-view.h"
#include "hicov-settings.h"
#include "hicov-timing.h"

#include "hicov-geo.h"

#define DEMO_MAP "/org/hicov/Dashboard/maps/demo-schematic.geojson"
#define LIST_SHOWN 12

static const struct {
  const char *id;
  int level;
} levels[] = {
  { "province", HICOV_LEVEL_PROVINCE },
  { "district", HICOV_LEVEL_DISTRICT },
  { "commune", HICOV_LEVEL_COMMUNE },
};

static const char *const class_ids[] = { "quantile", "equal", "target" };

struct _HicovMapView
{
  GtkBox parent_instance;

  GtkDropDown *indicator_dropdown;
  GtkDropDown *level_dropdown;
  GtkDropDown *classes_dropdown;
  GtkDropDown *property_dropdown;
  GtkStringList *property_model;
  GtkLabel *source_label;
  HicovChartView *chart_view;
  GtkLabel *lists_label;

  GPtrArray *indicators; /* names, as the dropdown lists them */
  HicovGeo *geo;
  char *geo_name;        /* file name shown as the source */
  char *property;
  gboolean updating;     /* choices being set in code */
  gboolean demo_map;     /* geo is the built-in schematic map */

  HicovDataset *ds;      /* borrowed */
  char *unit;
  HicovPeriod period;
  gboolean has_selection;
  double target;         /* threshold of the target's indicator */
  char *target_indicator;
  char lang[8];

  GStrv missing, orphans;
  double build_ms;
};

G_DEFINE_FINAL_TYPE (HicovMapView, hicov_map_view, GTK_TYPE_BOX)

enum { UNIT_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------ */
/* Building the map                                                          */

static int
current_level (HicovMapView *self)
{
  guint i = gtk_drop_down_get_selected (self->level_dropdown);
  return i < G_N_ELEMENTS (levels) ? levels[i].level : HICOV_LEVEL_COMMUNE;
}

static const char *
current_indicator (HicovMapView *self)
{
  guint i = gtk_drop_down_get_selected (self->indicator_dropdown);
  return i < self->indicators->len ? g_ptr_array_index (self->indicators, i)
                                   : "coverage_rate";
}

/* "Name (code)" of a unit code, or the code. */
static char *
unit_text (HicovMapView *self,
           const char   *code)
{
  size_t idx;
  HicovUnit u;

  if (hicov_dataset_find_unit (self->ds, code, &idx) == HICOV_OK &&
      hicov_dataset_unit (self->ds, idx, &u) == HICOV_OK && u.name != NULL)
    return g_strdup_printf ("%s (%s)", u.name, code);
  return g_strdup (code);
}

static void
append_list (HicovMapView *self,
             GString      *out,
             const char   *heading,
             GStrv         items,
             gboolean      units)
{
  guint n = items ? g_strv_length (items) : 0;

  if (n == 0)
    return;
  if (out->len)
    g_string_append_c (out, '\n');
  g_string_append_printf (out, "%s (%u): ", heading, n);
  for (guint k = 0; k < n && k < LIST_SHOWN; k++)
    {
      g_autofree char *t = units ? unit_text (self, items[k])
                                 : g_strdup (items[k][0] ? items[k]
                                                         : _("(empty)"));
      g_string_append_printf (out, "%s%s", k ? ", " : "", t);
    }
  if (n > LIST_SHOWN)
    /* TRANSLATORS: after the first names of a long list */
    g_string_append_printf (out, _(", and %u more"), n - LIST_SHOWN);
}

static void
show_lists (HicovMapView *self)
{
  GString *s = g_string_new (NULL);

  append_list (self, s, _("Units without a shape"), self->missing, TRUE);
  append_list (self, s, _("Shapes without a unit"), self->orphans, FALSE);
  gtk_label_set_text (self->lists_label, s->str);
  gtk_widget_set_visible (GTK_WIDGET (self->lists_label), s->len > 0);
  g_string_free (s, TRUE);
}

static GStrv
join_list (const HicovGeoJoin *j,
           gboolean            orphans)
{
  GStrvBuilder *b = g_strv_builder_new ();
  size_t n = orphans ? hicov_geo_join_orphan_count (j)
                     : hicov_geo_join_missing_count (j);
  GStrv out;

  for (size_t k = 0; k < n; k++)
    g_strv_builder_add (b, orphans ? hicov_geo_join_orphan (j, k, NULL)
                                   : hicov_geo_join_missing (j, k));
  out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

/* Gives each point of the map (a unit, by its key) its joined shape. */
static void
set_shapes (HicovChart         *chart,
            const HicovGeoJoin *j)
{
  g_autoptr (GHashTable) at = g_hash_table_new (g_str_hash, g_str_equal);
  size_t n = hicov_chart_point_count (chart);

  for (size_t i = 0; i < n; i++)
    {
      const char *key = hicov_chart_point_key (chart, i);
      if (key != NULL)
        g_hash_table_insert (at, (gpointer) key, GSIZE_TO_POINTER (i + 1));
    }
  for (size_t u = 0; u < hicov_geo_join_count (j); u++)
    {
      const double *xy;
      const size_t *rl;
      size_t np, nr;
      gsize i = GPOINTER_TO_SIZE (
          g_hash_table_lookup (at, hicov_geo_join_unit (j, u)));

      if (i == 0 || hicov_geo_join_rings (j, u, &xy, &np, &rl, &nr) ||
          nr == 0)
        continue;
      hicov_chart_set_shape (chart, i - 1, xy, np, rl, nr);
    }
}

static void
rebuild (HicovMapView *self)
{
  HicovChart *chart = NULL;
  HicovGeoJoin *j = NULL;
  gint64 start = g_get_monotonic_time ();
  guint classes = gtk_drop_down_get_selected (self->classes_dropdown);
  int level = current_level (self);
  double target = classes == 2 && self->target_indicator &&
                  g_str_equal (self->target_indicator,
                               current_indicator (self))
                    ? self->target : NAN;
  g_auto (GStrv) codes = NULL;

  g_clear_pointer (&self->missing, g_strfreev);
  g_clear_pointer (&self->orphans, g_strfreev);
  if (self->ds == NULL || !self->has_selection)
    {
      hicov_chart_view_set_chart (self->chart_view, NULL, NULL);
      show_lists (self);
      return;
    }
  if (self->geo != NULL && self->property != NULL &&
      hicov_geo_join (self->geo, self->ds, self->property, level,
                      &self->period, &j) != HICOV_OK)
    g_warning ("map: %s", hicov_geo_errmsg (self->geo));
  if (hicov_chart_units_map (self->ds, current_indicator (self), level,
                             self->period, target, self->geo_name,
                             self->geo && hicov_geo_is_schematic (self->geo),
                             self->lang, &chart) != HICOV_OK)
    {
      hicov_geo_join_free (j);
      hicov_chart_view_set_chart (self->chart_view, NULL, NULL);
      return;
    }
  if (classes == 1)
    hicov_chart_set_map_classes (chart, HICOV_MAP_CLASSES_EQUAL, 5);
  else if (classes == 2 && isnan (target))
    {
      /* nothing to colour against: say so rather than pass quantiles off
       * as the target's classes */
      const char *sub = hicov_chart_subtitle (chart);
      g_autofree char *text = g_strdup_printf (
          "%s%s%s", sub ? sub : "", sub ? " · " : "",
          _("no target for this indicator: colours by quantiles"));
      hicov_chart_set_subtitle (chart, text);
    }
  if (j != NULL)
    {
      set_shapes (chart, j);
      self->missing = join_list (j, FALSE);
      self->orphans = join_list (j, TRUE);
      hicov_geo_join_free (j);
    }
  else if (self->geo == NULL)
    hicov_chart_set_empty_text (chart, _("No boundaries: open a boundary "
                                         "file (GeoJSON, Shapefile, "
                                         "GeoPackage)"));
  /* drill-down codes and the selected unit's outline */
  {
    size_t n = hicov_chart_point_count (chart);
    GStrvBuilder *b = g_strv_builder_new ();
    for (size_t i = 0; i < n; i++)
      {
        const char *key = hicov_chart_point_key (chart, i);
        g_strv_builder_add (b, key ? key : "");
        if (key && self->unit && g_str_equal (key, self->unit))
          hicov_chart_set_highlight (chart, i, 1);
      }
    codes = g_strv_builder_end (b);
    g_strv_builder_unref (b);
  }
  hicov_chart_view_set_chart (self->chart_view, chart,
                              (const char *const *) codes);
  hicov_chart_view_set_file_stem (self->chart_view, _("map"));
  show_lists (self);
  self->build_ms = (double) (g_get_monotonic_time () - start) / 1000.0;
  if (hicov_timing_enabled ())
    printf ("hicov-timing map-build ms=%.3f\n", self->build_ms);
}

/* ------------------------------------------------------------------------ */
/* Boundaries and the code attribute                                         */

static void
fill_properties (HicovMapView *self)
{
  static const char *const likely[] = { "ma", "code", "ma_dvhc", "madvhc",
                                        "unit_code", "id" };
  g_autofree char *remembered = hicov_settings_get_string ("map-property");
  size_t n = hicov_geo_field_count (self->geo);
  long pick = -1;
  const char **names = g_new0 (const char *, n + 1);

  for (size_t i = 0; i < n; i++)
    names[i] = hicov_geo_field_name (self->geo, i);
  self->updating = TRUE;
  gtk_string_list_splice (self->property_model, 0,
                          g_list_model_get_n_items (
                              G_LIST_MODEL (self->property_model)),
                          names);
  if (remembered != NULL)
    pick = hicov_geo_field_find (self->geo, remembered);
  for (size_t k = 0; pick < 0 && k < G_N_ELEMENTS (likely); k++)
    pick = hicov_geo_field_find (self->geo, likely[k]);
  if (pick < 0 && n > 0)
    pick = 0;
  g_clear_pointer (&self->property, g_free);
  if (pick >= 0)
    {
      gtk_drop_down_set_selected (self->property_dropdown, (guint) pick);
      self->property = g_strdup (names[pick]);
    }
  self->updating = FALSE;
  g_free (names);
}

static gboolean
take_geo (HicovMapView *self,
          HicovGeo     *geo,
          const char   *name)
{
  g_autofree char *label = NULL;

  hicov_geo_free (self->geo);
  self->geo = geo;
  self->demo_map = FALSE;
  g_free (self->geo_name);
  self->geo_name = g_strdup (name);
  fill_properties (self);
  label = g_strdup_printf (_("Boundaries: %s (%zu shapes)"), name,
                           hicov_geo_feature_count (geo));
  gtk_label_set_text (self->source_label, label);
  rebuild (self);
  return TRUE;
}

static HicovGeo *
new_geo (HicovMapView *self)
{
  HicovGeo *geo = NULL;

  if (hicov_geo_new (&geo) != HICOV_OK)
    return NULL;
  hicov_geo_set_lang (geo, self->lang);
  return geo;
}

gboolean
hicov_map_view_load_boundaries (HicovMapView *self,
                                const char   *path,
                                GError      **error)
{
  HicovGeo *geo;
  g_autofree char *base = NULL;
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (HICOV_IS_MAP_VIEW (self), FALSE);
  geo = new_geo (self);
  if (geo == NULL || hicov_geo_read (geo, path, NULL) != HICOV_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   geo ? hicov_geo_errmsg (geo) : g_strerror (ENOMEM));
      hicov_geo_free (geo);
      return FALSE;
    }
  if (hicov_timing_enabled ())
    printf ("hicov-timing map-read ms=%.3f\n",
            (double) (g_get_monotonic_time () - start) / 1000.0);
  base = g_path_get_basename (path);
  return take_geo (self, geo, base);
}

gboolean
hicov_map_view_load_demo_map (HicovMapView *self,
                              GError      **error)
{
  g_autoptr (GBytes) bytes = NULL;
  HicovGeo *geo;
  gsize size;
  const void *data;

  g_return_val_if_fail (HICOV_IS_MAP_VIEW (self), FALSE);
  bytes = g_resources_lookup_data (DEMO_MAP, 0, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &size);
  geo = new_geo (self);
  if (geo == NULL ||
      hicov_geo_read_buffer (geo, data, size, "demo-schematic.geojson",
                             NULL) != HICOV_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   geo ? hicov_geo_errmsg (geo) : "out of memory");
      hicov_geo_free (geo);
      return FALSE;
    }
  take_geo (self, geo, _("schematic demo map"));
  self->demo_map = TRUE;
  return TRUE;
}

void
hicov_map_view_drop_demo_map (HicovMapView *self)
{
  g_return_if_fail (HICOV_IS_MAP_VIEW (self));
  if (!self->demo_map)
    return;
  g_clear_pointer (&self->geo, hicov_geo_free);
  g_clear_pointer (&self->geo_name, g_free);
  g_clear_pointer (&self->property, g_free);
  self->demo_map = FALSE;
  self->updating = TRUE;
  gtk_string_list_splice (self->property_model, 0,
                          g_list_model_get_n_items (
                              G_LIST_MODEL (self->property_model)),
                          NULL);
  self->updating = FALSE;
  gtk_label_set_text (self->source_label, _("No boundaries loaded"));
}

gboolean
hicov_map_view_has_boundaries (HicovMapView *self)
{
  g_return_val_if_fail (HICOV_IS_MAP_VIEW (self), FALSE);
  return self->geo != NULL;
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  HicovMapView    *self)
{
  g_autofree char *path = hicov_file_dialog_finish (dialog, response);
  g_autoptr (GError) error = NULL;

  if (path == NULL)
    return;
  if (!hicov_map_view_load_boundaries (self, path, &error))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-error", "s",
                                error->message);
}

static void
on_open_clicked (GtkButton    *button,
                 HicovMapView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *d =
    hicov_file_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                           _("Open Boundaries"), GTK_FILE_CHOOSER_ACTION_OPEN,
                           _("_Open"));

  hicov_file_dialog_add_filter (d, _("Boundary files"),
                                "*.geojson;*.json;*.shp;*.gpkg", NULL);
  g_signal_connect (d, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (d));
}

/* ------------------------------------------------------------------------ */
/* Choices                                                                   */

static void
on_choice_changed (GObject      *object,
                   GParamSpec   *pspec,
                   HicovMapView *self)
{
  if (!self->updating)
    rebuild (self);
}

static void
on_property_changed (GObject      *object,
                     GParamSpec   *pspec,
                     HicovMapView *self)
{
  guint i = gtk_drop_down_get_selected (self->property_dropdown);
  const char *name;
  g_autoptr (GError) error = NULL;

  if (self->updating || self->geo == NULL)
    return;
  name = hicov_geo_field_name (self->geo, i);
  if (name == NULL)
    return;
  g_free (self->property);
  self->property = g_strdup (name);
  /* remembered for the next boundaries and the next run */
  if (!hicov_settings_set_string ("map-property", name, &error))
    g_warning ("settings: %s", error->message);
  rebuild (self);
}

static gboolean
select_id (GtkDropDown       *dropdown,
           const char *const *ids,
           guint              n,
           const char        *id)
{
  for (guint i = 0; i < n; i++)
    if (g_str_equal (ids[i], id))
      {
        gtk_drop_down_set_selected (dropdown, i);
        return TRUE;
      }
  return FALSE;
}

gboolean
hicov_map_view_set_level (HicovMapView *self,
                          const char   *level)
{
  const char *ids[G_N_ELEMENTS (levels)];

  g_return_val_if_fail (HICOV_IS_MAP_VIEW (self), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    ids[i] = levels[i].id;
  return select_id (self->level_dropdown, ids, G_N_ELEMENTS (ids), level);
}

gboolean
hicov_map_view_set_indicator (HicovMapView *self,
                              const char   *indicator)
{
  g_return_val_if_fail (HICOV_IS_MAP_VIEW (self), FALSE);
  return select_id (self->indicator_dropdown,
                    (const char *const *) self->indicators->pdata,
                    self->indicators->len, indicator);
}

gboolean
hicov_map_view_set_classes (HicovMapView *self,
                            const char   *classes)
{
  g_return_val_if_fail (HICOV_IS_MAP_VIEW (self), FALSE);
  return select_id (self->classes_dropdown, class_ids,
                    G_N_ELEMENTS (class_ids), classes);
}

gboolean
hicov_map_view_set_property (HicovMapView *self,
                             const char   *property)
{
  long i;

  g_return_val_if_fail (HICOV_IS_MAP_VIEW (self), FALSE);
  i = self->geo ? hicov_geo_field_find (self->geo, property) : -1;
  if (i < 0)
    return FALSE;
  gtk_drop_down_set_selected (self->property_dropdown, (guint) i);
  return TRUE;
}

const char *
hicov_map_view_get_property (HicovMapView *self)
{
  g_return_val_if_fail (HICOV_IS_MAP_VIEW (self), NULL);
  return self->property;
}

HicovChartView *
hicov_map_view_get_chart_view (HicovMapView *self)
{
  g_return_val_if_fail (HICOV_IS_MAP_VIEW (self), NULL);
  return self->chart_view;
}

char **
hicov_map_view_dup_missing (HicovMapView *self)
{
  g_return_val_if_fail (HICOV_IS_MAP_VIEW (self), NULL);
  return self->missing ? g_strdupv (self->missing) : g_new0 (char *, 1);
}

char **
hicov_map_view_dup_orphans (HicovMapView *self)
{
  g_return_val_if_fail (HICOV_IS_MAP_VIEW (self), NULL);
  return self->orphans ? g_strdupv (self->orphans) : g_new0 (char *, 1);
}

double
hicov_map_view_last_build_ms (HicovMapView *self)
{
  g_return_val_if_fail (HICOV_IS_MAP_VIEW (self), 0);
  return self->build_ms;
}

void
hicov_map_view_update (HicovMapView      *self,
                       HicovDataset      *ds,
                       const char        *unit,
                       HicovPeriod        period,
                       const HicovTarget *target)
{
  HicovChart *chart;
  double threshold = target ? target->threshold : NAN;
  const char *indicator = target ? target->indicator : NULL;

  g_return_if_fail (HICOV_IS_MAP_VIEW (self));

  /* Another unit of the same map: only its outline moves (a national map
   * is not joined and built again for a click). */
  chart = hicov_chart_view_get_chart (self->chart_view);
  if (chart != NULL && ds != NULL && unit != NULL && ds == self->ds &&
      self->has_selection && period.kind == self->period.kind &&
      period.first == self->period.first &&
      period.last == self->period.last &&
      g_strcmp0 (indicator, self->target_indicator) == 0 &&
      (threshold == self->target || (isnan (threshold) &&
                                     isnan (self->target))))
    {
      for (size_t i = 0; i < hicov_chart_point_count (chart); i++)
        hicov_chart_set_highlight (chart, i,
                                   g_strcmp0 (hicov_chart_point_key (chart, i),
                                              unit) == 0);
      g_free (self->unit);
      self->unit = g_strdup (unit);
      gtk_widget_queue_draw (GTK_WIDGET (self->chart_view));
      return;
    }
  self->ds = ds;
  g_free (self->unit);
  self->unit = g_strdup (unit);
  self->period = period;
  self->has_selection = ds != NULL && unit != NULL;
  self->target = target ? target->threshold : NAN;
  g_free (self->target_indicator);
  self->target_indicator = target && target->indicator
                             ? g_strdup (target->indicator) : NULL;
  rebuild (self);
}

void
hicov_map_view_clear (HicovMapView *self)
{
  hicov_map_view_update (self, NULL, NULL, self->period, NULL);
}

/* ------------------------------------------------------------------------ */
/* The widget                                                                */

static void
on_unit_activated (HicovChartView *view,
                   const char     *code,
                   HicovMapView   *self)
{
  g_signal_emit (self, signals[UNIT_ACTIVATED], 0, code);
}

/* A label and its control, kept together when the bar wraps. */
static void
bar_add (GtkFlowBox *bar,
         const char *label,
         GtkWidget  *control)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  if (label != NULL)
    {
      GtkWidget *l = gtk_label_new_with_mnemonic (label);
      gtk_label_set_mnemonic_widget (GTK_LABEL (l), control);
      gtk_box_append (GTK_BOX (box), l);
    }
  gtk_box_append (GTK_BOX (box), control);
  gtk_flow_box_append (bar, box);
}

static GtkDropDown *
labelled_dropdown (GtkFlowBox        *bar,
                   const char        *label,
                   const char *const *items)
{
  GtkDropDown *d = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (items));

  bar_add (bar, label, GTK_WIDGET (d));
  return d;
}

static void
setup_label (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
setup_short_label (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 22);
  gtk_list_item_set_child (item, label);
}

static void
bind_label (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  data)
{
  GtkStringObject *o = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      o ? gtk_string_object_get_string (o) : "");
  if (o != NULL)
    hicov_tooltip_set (gtk_list_item_get_child (item),
                                 gtk_string_object_get_string (o));
}

static void
build_indicators (HicovMapView *self,
                  GtkFlowBox   *bar)
{
  const char *lang = self->lang;
  GPtrArray *labels = g_ptr_array_new ();

  for (size_t i = 0; i < hicov_indicator_count (); i++)
    {
      const HicovIndicatorInfo *info = hicov_indicator_info (i);
      if (info == NULL)
        continue;
      g_ptr_array_add (self->indicators, (gpointer) info->name);
      g_ptr_array_add (labels, (gpointer) hicov_indicator_label (info, lang));
    }
  g_ptr_array_add (labels, NULL);
  self->indicator_dropdown =
    labelled_dropdown (bar, _("_Indicator"),
                       (const char *const *) labels->pdata);
  g_ptr_array_free (labels, TRUE);
  /* the button shows a short form (Vietnamese names run to 60
   * characters); the list shows them whole */
  {
    GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
    GtkListItemFactory *lf = gtk_signal_list_item_factory_new ();
    g_signal_connect (f, "setup", G_CALLBACK (setup_short_label), NULL);
    g_signal_connect (f, "bind", G_CALLBACK (bind_label), NULL);
    g_signal_connect (lf, "setup", G_CALLBACK (setup_label), NULL);
    g_signal_connect (lf, "bind", G_CALLBACK (bind_label), NULL);
    gtk_drop_down_set_factory (self->indicator_dropdown, f);
    gtk_drop_down_set_list_factory (self->indicator_dropdown, lf);
    g_object_unref (f);
    g_object_unref (lf);
  }
  hicov_map_view_set_indicator (self, "coverage_rate");
}

static void
hicov_map_view_init (HicovMapView *self)
{
}

/* The widgets, once the language of the indicators' names is known. */
static void
build (HicovMapView *self)
{
  GtkFlowBox *bar = GTK_FLOW_BOX (gtk_flow_box_new ());
  const char *level_names[] = { _("Provinces"), _("Districts"),
                                _("Communes"), NULL };
  const char *class_names[] = { _("Quantiles"), _("Equal intervals"),
                                _("Against the target"), NULL };
  GtkWidget *open = gtk_button_new_with_mnemonic (_("Open _Boundaries…"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkBox *page = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));

  self->target = NAN;
  self->indicators = g_ptr_array_new ();

  /* The page scrolls when the window is short: its controls wrap into
   * rows and must not make the window taller than it was. */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller),
                                 GTK_WIDGET (page));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (self), scroller);

  build_indicators (self, bar);
  self->level_dropdown = labelled_dropdown (bar, _("_Level"), level_names);
  gtk_drop_down_set_selected (self->level_dropdown, 2);
  self->classes_dropdown = labelled_dropdown (bar, _("C_olours"),
                                              class_names);
  self->property_model = gtk_string_list_new (NULL);
  self->property_dropdown = GTK_DROP_DOWN (
      gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->property_model)),
                         NULL));
  hicov_tooltip_set (GTK_WIDGET (self->property_dropdown),
                               _("The attribute of the boundaries that "
                                 "holds the unit code"));
  bar_add (bar, _("Unit _code in"), GTK_WIDGET (self->property_dropdown));
  bar_add (bar, NULL, open);
  gtk_flow_box_set_selection_mode (bar, GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (bar, 12);
  gtk_flow_box_set_row_spacing (bar, 6);
  gtk_flow_box_set_max_children_per_line (bar, 5);
  gtk_box_append (page, GTK_WIDGET (bar));

  self->source_label = GTK_LABEL (gtk_label_new (_("No boundaries loaded")));
  gtk_label_set_xalign (self->source_label, 0);
  gtk_label_set_ellipsize (self->source_label, PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (GTK_WIDGET (self->source_label), "dim-label");
  gtk_box_append (page, GTK_WIDGET (self->source_label));

  self->chart_view = HICOV_CHART_VIEW (hicov_chart_view_new ());
  hicov_chart_view_set_name (self->chart_view, "map");
  gtk_widget_set_vexpand (GTK_WIDGET (self->chart_view), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->chart_view), TRUE);
  gtk_box_append (page, GTK_WIDGET (self->chart_view));

  self->lists_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->lists_label, 0);
  gtk_label_set_wrap (self->lists_label, TRUE);
  gtk_label_set_selectable (self->lists_label, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->lists_label), FALSE);
  gtk_box_append (page, GTK_WIDGET (self->lists_label));

  g_signal_connect (self->indicator_dropdown, "notify::selected",
                    G_CALLBACK (on_choice_changed), self);
  g_signal_connect (self->level_dropdown, "notify::selected",
                    G_CALLBACK (on_choice_changed), self);
  g_signal_connect (self->classes_dropdown, "notify::selected",
                    G_CALLBACK (on_choice_changed), self);
  g_signal_connect (self->property_dropdown, "notify::selected",
                    G_CALLBACK (on_property_changed), self);
  g_signal_connect (open, "clicked", G_CALLBACK (on_open_clicked), self);
  g_signal_connect (self->chart_view, "unit-activated",
                    G_CALLBACK (on_unit_activated), self);
}

static void
hicov_map_view_finalize (GObject *object)
{
  HicovMapView *self = HICOV_MAP_VIEW (object);

  hicov_geo_free (self->geo);
  g_free (self->geo_name);
  g_free (self->property);
  g_free (self->unit);
  g_free (self->target_indicator);
  g_strfreev (self->missing);
  g_strfreev (self->orphans);
  if (self->indicators != NULL)
    g_ptr_array_free (self->indicators, TRUE);
  g_clear_object (&self->property_model);
  G_OBJECT_CLASS (hicov_map_view_parent_class)->finalize (object);
}

static void
hicov_map_view_class_init (HicovMapViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hicov_map_view_finalize;
  signals[UNIT_ACTIVATED] =
    g_signal_new ("unit-activated", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_STRING);
}

GtkWidget *
hicov_map_view_new (const char *lang)
{
  HicovMapView *self = g_object_new (HICOV_TYPE_MAP_VIEW, NULL);

  g_strlcpy (self->lang, lang ? lang : "en", sizeof self->lang);
  build (self);
  return GTK_WIDGET (self);
}

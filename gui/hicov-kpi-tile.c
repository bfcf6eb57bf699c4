/* hicov-kpi-tile.c - one key figure: title, value, change and detail.
 *
 * The tile is focusable so keyboard users can step through the figures;
 * its accessible label reads the whole tile as one sentence. */
#include "config.h"

#include <glib/gi18n.h>

#include "hicov-kpi-tile.h"
#include "hicov-tooltip.h"

struct _HicovKpiTile
{
  GtkWidget parent_instance;

  GtkBox *box;
  GtkLabel *title_label;
  GtkLabel *value_label;
  GtkLabel *change_label;
  GtkLabel *detail_label;

  HicovTrend trend;
  char *reason; /* the core's, while missing */
  char *note;   /* the change's basis, or NULL */
};

G_DEFINE_FINAL_TYPE (HicovKpiTile, hicov_kpi_tile, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_VALUE,
  PROP_CHANGE,
  PROP_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_accessible (HicovKpiTile *self)
{
  GString *s = g_string_new (gtk_label_get_text (self->title_label));
  const char *parts[] = {
    gtk_label_get_text (self->value_label),
    gtk_label_get_text (self->change_label),
    gtk_label_get_text (self->detail_label),
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL && parts[i][0] != '\0')
      g_string_append_printf (s, ", %s", parts[i]);
  if (self->note != NULL)
    g_string_append_printf (s, " (%s)", self->note);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, s->str, -1);
  g_string_free (s, TRUE);
}

static gboolean
set_label (HicovKpiTile *self,
           GtkLabel     *label,
           const char   *text,
           guint         prop)
{
  if (text == NULL)
    text = "";
  gtk_widget_set_visible (GTK_WIDGET (label),
                          label == self->value_label || text[0] != '\0');
  if (g_strcmp0 (gtk_label_get_text (label), text) == 0)
    return FALSE;
  gtk_label_set_text (label, text);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

void
hicov_kpi_tile_set_title (HicovKpiTile *self,
                          const char   *title)
{
  g_return_if_fail (HICOV_IS_KPI_TILE (self));
  set_label (self, self->title_label, title, PROP_TITLE);
}

const char *
hicov_kpi_tile_get_title (HicovKpiTile *self)
{
  g_return_val_if_fail (HICOV_IS_KPI_TILE (self), NULL);
  return gtk_label_get_text (self->title_label);
}

void
hicov_kpi_tile_set_value (HicovKpiTile *self,
                          const char   *value)
{
  g_return_if_fail (HICOV_IS_KPI_TILE (self));
  set_label (self, self->value_label, value, PROP_VALUE);
  hicov_tooltip_set (GTK_WIDGET (self), NULL);
  /* The full value, should the tile be too narrow for it. */
  hicov_tooltip_set (GTK_WIDGET (self->value_label), value);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "missing");
  if (self->reason != NULL)
    {
      g_clear_pointer (&self->reason, g_free);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

const char *
hicov_kpi_tile_get_value (HicovKpiTile *self)
{
  g_return_val_if_fail (HICOV_IS_KPI_TILE (self), NULL);
  return gtk_label_get_text (self->value_label);
}

void
hicov_kpi_tile_set_change (HicovKpiTile *self,
                           const char   *change,
                           HicovTrend    trend)
{
  static const char *const classes[] = { NULL, "good", "bad", "neutral" };
  GtkWidget *w;

  g_return_if_fail (HICOV_IS_KPI_TILE (self));

  w = GTK_WIDGET (self->change_label);
  for (guint i = 1; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (w, classes[i]);
  if (trend > HICOV_TREND_NONE && trend < (HicovTrend) G_N_ELEMENTS (classes))
    gtk_widget_add_css_class (w, classes[trend]);
  self->trend = trend;
  set_label (self, self->change_label, change, PROP_CHANGE);
  /* The whole text, should the tile be too narrow for it. */
  hicov_tooltip_set (w, change);
}

const char *
hicov_kpi_tile_get_change (HicovKpiTile *self)
{
  g_return_val_if_fail (HICOV_IS_KPI_TILE (self), NULL);
  return gtk_label_get_text (self->change_label);
}

void
hicov_kpi_tile_set_detail (HicovKpiTile *self,
                           const char   *detail)
{
  g_return_if_fail (HICOV_IS_KPI_TILE (self));
  set_label (self, self->detail_label, detail, PROP_DETAIL);
  hicov_tooltip_set (GTK_WIDGET (self->detail_label), detail);
}

static gboolean
label_ellipsized (GtkLabel *label)
{
  return gtk_widget_get_mapped (GTK_WIDGET (label)) &&
         pango_layout_is_ellipsized (gtk_label_get_layout (label));
}

gboolean
hicov_kpi_tile_is_truncated (HicovKpiTile *self)
{
  g_return_val_if_fail (HICOV_IS_KPI_TILE (self), FALSE);
  return label_ellipsized (self->title_label) ||
         label_ellipsized (self->value_label) ||
         label_ellipsized (self->change_label) ||
         label_ellipsized (self->detail_label);
}

const char *
hicov_kpi_tile_get_detail (HicovKpiTile *self)
{
  g_return_val_if_fail (HICOV_IS_KPI_TILE (self), NULL);
  return gtk_label_get_text (self->detail_label);
}

void
hicov_kpi_tile_set_missing (HicovKpiTile *self,
                            const char   *label,
                            const char   *detail,
                            const char   *reason)
{
  g_return_if_fail (HICOV_IS_KPI_TILE (self));

  hicov_kpi_tile_set_value (self, "—");
  hicov_kpi_tile_set_change (self, label != NULL ? label : _("No data"),
                             HICOV_TREND_NONE);
  hicov_kpi_tile_set_detail (self, detail);
  if (reason != NULL && reason[0] != '\0')
    {
      self->reason = g_strdup (reason);
      hicov_tooltip_set (GTK_WIDGET (self), reason);
      hicov_tooltip_set (GTK_WIDGET (self->value_label), reason);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      reason, -1);
    }
  else
    hicov_tooltip_set (GTK_WIDGET (self->value_label), NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self), "missing");
}

const char *
hicov_kpi_tile_get_reason (HicovKpiTile *self)
{
  g_return_val_if_fail (HICOV_IS_KPI_TILE (self), NULL);
  return self->reason;
}

void
hicov_kpi_tile_set_note (HicovKpiTile *self,
                         const char   *note)
{
  g_return_if_fail (HICOV_IS_KPI_TILE (self));
  if (note != NULL && note[0] == '\0')
    note = NULL;
  if (g_strcmp0 (note, self->note) == 0)
    return;
  g_free (self->note);
  self->note = g_strdup (note);
  hicov_tooltip_set (GTK_WIDGET (self->change_label), note);
  update_accessible (self);
}

const char *
hicov_kpi_tile_get_note (HicovKpiTile *self)
{
  g_return_val_if_fail (HICOV_IS_KPI_TILE (self), NULL);
  return self->note;
}

static void
hicov_kpi_tile_dispose (GObject *object)
{
  g_clear_pointer (&HICOV_KPI_TILE (object)->reason, g_free);
  g_clear_pointer (&HICOV_KPI_TILE (object)->note, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), HICOV_TYPE_KPI_TILE);
  G_OBJECT_CLASS (hicov_kpi_tile_parent_class)->dispose (object);
}

static void
hicov_kpi_tile_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HicovKpiTile *self = HICOV_KPI_TILE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, hicov_kpi_tile_get_title (self));
      break;
    case PROP_VALUE:
      g_value_set_string (value, hicov_kpi_tile_get_value (self));
      break;
    case PROP_CHANGE:
      g_value_set_string (value, hicov_kpi_tile_get_change (self));
      break;
    case PROP_DETAIL:
      g_value_set_string (value, hicov_kpi_tile_get_detail (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hicov_kpi_tile_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HicovKpiTile *self = HICOV_KPI_TILE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      hicov_kpi_tile_set_title (self, g_value_get_string (value));
      break;
    case PROP_VALUE:
      hicov_kpi_tile_set_value (self, g_value_get_string (value));
      break;
    case PROP_CHANGE:
      hicov_kpi_tile_set_change (self, g_value_get_string (value),
                                 self->trend);
      break;
    case PROP_DETAIL:
      hicov_kpi_tile_set_detail (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hicov_kpi_tile_class_init (HicovKpiTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                            G_PARAM_STATIC_STRINGS;

  object_class->dispose = hicov_kpi_tile_dispose;
  object_class->get_property = hicov_kpi_tile_get_property;
  object_class->set_property = hicov_kpi_tile_set_property;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                                flags);
  properties[PROP_VALUE] = g_param_spec_string ("value", NULL, NULL, NULL,
                                                flags);
  properties[PROP_CHANGE] = g_param_spec_string ("change", NULL, NULL, NULL,
                                                 flags);
  properties[PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, NULL,
                                                 flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/org/hicov/Dashboard/hicov-kpi-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, HicovKpiTile, box);
  gtk_widget_class_bind_template_child (widget_class, HicovKpiTile,
                                        title_label);
  gtk_widget_class_bind_template_child (widget_class, HicovKpiTile,
                                        value_label);
  gtk_widget_class_bind_template_child (widget_class, HicovKpiTile,
                                        change_label);
  gtk_widget_class_bind_template_child (widget_class, HicovKpiTile,
                                        detail_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "kpitile");
  gtk_widget_class_set_accessible_role (widget_class,
                                        GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hicov_kpi_tile_init (HicovKpiTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->change_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), FALSE);
}

GtkWidget *
hicov_kpi_tile_new (void)
{
  return g_object_new (HICOV_TYPE_KPI_TILE, NULL);
}

/* hicov-unit-item.c - one administrative unit in the navigator's model. */
#include "config.h"

#include "hicov-unit-item.h"

struct _HicovUnitItem
{
  GObject parent_instance;

  char *code;
  char *name;
  int level;
};

G_DEFINE_FINAL_TYPE (HicovUnitItem, hicov_unit_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CODE,
  PROP_NAME,
  PROP_LEVEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hicov_unit_item_finalize (GObject *object)
{
  HicovUnitItem *self = HICOV_UNIT_ITEM (object);

  g_free (self->code);
  g_free (self->name);
  G_OBJECT_CLASS (hicov_unit_item_parent_class)->finalize (object);
}

static void
hicov_unit_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HicovUnitItem *self = HICOV_UNIT_ITEM (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_LEVEL:
      g_value_set_int (value, self->level);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hicov_unit_item_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HicovUnitItem *self = HICOV_UNIT_ITEM (object);

  /* Construct-only: set once. */
  switch (prop_id)
    {
    case PROP_CODE:
      self->code = g_value_dup_string (value);
      break;
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_LEVEL:
      self->level = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hicov_unit_item_class_init (HicovUnitItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hicov_unit_item_finalize;
  object_class->get_property = hicov_unit_item_get_property;
  object_class->set_property = hicov_unit_item_set_property;

  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_LEVEL] =
    g_param_spec_int ("level", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                      G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hicov_unit_item_init (HicovUnitItem *self)
{
}

HicovUnitItem *
hicov_unit_item_new (const char *code,
                     const char *name,
                     int         level)
{
  g_return_val_if_fail (code != NULL, NULL);

  return g_object_new (HICOV_TYPE_UNIT_ITEM,
                       "code", code,
                       "name", name != NULL ? name : code,
                       "level", level,
                       NULL);
}

const char *
hicov_unit_item_get_code (HicovUnitItem *self)
{
  g_return_val_if_fail (HICOV_IS_UNIT_ITEM (self), NULL);
  return self->code;
}

const char *
hicov_unit_item_get_name (HicovUnitItem *self)
{
  g_return_val_if_fail (HICOV_IS_UNIT_ITEM (self), NULL);
  return self->name;
}

int
hicov_unit_item_get_level (HicovUnitItem *self)
{
  g_return_val_if_fail (HICOV_IS_UNIT_ITEM (self), 0);
  return self->level;
}

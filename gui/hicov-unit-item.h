/* hicov-unit-item.h - one administrative unit in the navigator's model. */
#pragma once

#include <glib-object.h>

#include "hicov-types.h"

G_BEGIN_DECLS

#define HICOV_TYPE_UNIT_ITEM (hicov_unit_item_get_type ())
G_DECLARE_FINAL_TYPE (HicovUnitItem, hicov_unit_item, HICOV, UNIT_ITEM, GObject)

/* Copies code and name. level is a HicovLevel. */
HicovUnitItem *hicov_unit_item_new       (const char    *code,
                                          const char    *name,
                                          int            level);
const char    *hicov_unit_item_get_code  (HicovUnitItem *self);
const char    *hicov_unit_item_get_name  (HicovUnitItem *self);
int            hicov_unit_item_get_level (HicovUnitItem *self);

G_END_DECLS

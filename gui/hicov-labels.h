/* hicov-labels.h - display labels the dashboard's widgets share. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The translated name of a HicovLevel for display ("Province", "Tỉnh"),
 * or "" for an unknown level.  The one place the GUI takes level names
 * from (hicov_level_name() gives the untranslated identifiers); the
 * string belongs to the catalogue, do not free it. */
const char *hicov_labels_level (int level);

G_END_DECLS

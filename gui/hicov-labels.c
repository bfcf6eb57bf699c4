/* hicov-labels.c - display labels the dashboard's widgets share.
 *
 * Level names come from the core's one source (hicov_level_label), in the
 * dashboard's language: the English label is a msgid of the same
 * catalogue, which GTK's gettext translates like the rest of the window.
 * Used by the window's header and the navigator's rows. */
#include "config.h"

#include <glib/gi18n.h>

#include "hicov.h"
#include "hicov-labels.h"

const char *
hicov_labels_level (int level)
{
  const char *label = hicov_level_label (level, "en");

  return label != NULL ? _(label) : "";
}

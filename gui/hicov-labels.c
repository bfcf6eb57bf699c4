/* hicov-labels.c - display labels the dashboard's widgets share.
 *
 * The core names levels with English identifiers only; until its text
 * catalogue gives translated labels, this is the one GUI function that
 * does, used by the window's header and the navigator's rows. */
#include "config.h"

#include <glib/gi18n.h>

#include "hicov.h"
#include "hicov-labels.h"

const char *
hicov_labels_level (int level)
{
  switch (level)
    {
    case HICOV_LEVEL_COUNTRY: return _("Country");
    case HICOV_LEVEL_PROVINCE: return _("Province");
    case HICOV_LEVEL_DISTRICT: return _("District");
    case HICOV_LEVEL_COMMUNE: return _("Commune");
    case HICOV_LEVEL_FACILITY: return _("Facility");
    default: return "";
    }
}

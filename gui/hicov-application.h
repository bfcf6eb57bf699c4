/* hicov-application.h - the dashboard's GtkApplication. */
#pragma once

#include <gtk/gtk.h>

#include "hicov-types.h"

G_BEGIN_DECLS

#define HICOV_APPLICATION_ID "org.hicov.Dashboard"

#define HICOV_TYPE_APPLICATION (hicov_application_get_type ())
G_DECLARE_FINAL_TYPE (HicovApplication, hicov_application, HICOV, APPLICATION,
                      GtkApplication)

HicovApplication *hicov_application_new (void);

G_END_DECLS

/* hicov-navigator.h - tree of administrative units (country > province >
 * district > commune) valid during the selected period. */
#pragma once

#include <gtk/gtk.h>

#include "hicov.h"
#include "hicov-types.h"

G_BEGIN_DECLS

#define HICOV_TYPE_NAVIGATOR (hicov_navigator_get_type ())
G_DECLARE_FINAL_TYPE (HicovNavigator, hicov_navigator, HICOV, NAVIGATOR,
                      GtkWidget)

GtkWidget  *hicov_navigator_new               (void);
/* Rebuilds the tree from ds for units existing during period. The navigator
 * borrows ds: the caller keeps it alive until the next call or dispose, and
 * calls this again (or with NULL) before freeing it. */
void        hicov_navigator_set_dataset       (HicovNavigator    *self,
                                               HicovDataset      *ds,
                                               const HicovPeriod *period);
/* Expands the ancestors of code, selects it and scrolls to it, without
 * emitting unit-selected. Returns FALSE if the unit is not in the tree. */
gboolean    hicov_navigator_select            (HicovNavigator    *self,
                                               const char        *code);
const char *hicov_navigator_get_selected_code (HicovNavigator    *self);
/* Shows the units matching text (name, accents ignored, or code prefix)
 * as a flat list, or the tree again for "" or NULL; as typing in the
 * search entry does. */
void        hicov_navigator_set_search        (HicovNavigator    *self,
                                               const char        *text);
/* Names of the rows the tree shows now (expanded rows' children included),
 * top to bottom: the core's order (hicov_collate).  Free with g_strfreev. */
char      **hicov_navigator_dup_row_names     (HicovNavigator    *self);

G_END_DECLS

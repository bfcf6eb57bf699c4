/* hicov-table-view.h - the Table page: every unit below the selected one
 * for the selected period, from the core's table (hicov_table_new) and
 * the target's gap (hicov_target_gap); sortable, copied as tab-separated
 * text and saved through the exchange layer's writer (XLSX, ODS, CSV). */
#pragma once

#include <gtk/gtk.h>

#include "hicov-types.h"

G_BEGIN_DECLS

#define HICOV_TYPE_TABLE_VIEW (hicov_table_view_get_type ())
G_DECLARE_FINAL_TYPE (HicovTableView, hicov_table_view, HICOV, TABLE_VIEW,
                      GtkBox)

GtkWidget *hicov_table_view_new      (void);
/* Rebuilds the rows: the children of unit in period (the unit's own row
 * last, as totals), the gap to target (may be NULL) in lang ("vi" or
 * "en").  ds is borrowed until the next call or hicov_table_view_clear.
 * FALSE, with error, when the core refuses. */
gboolean   hicov_table_view_update   (HicovTableView    *self,
                                      HicovDataset      *ds,
                                      const char        *unit,
                                      HicovPeriod        period,
                                      const HicovTarget *target,
                                      const char        *lang,
                                      GError           **error);
void       hicov_table_view_clear    (HicovTableView    *self);
/* Sorts by the column with that id ("name", "population", ...);
 * FALSE for an unknown id. */
gboolean   hicov_table_view_sort     (HicovTableView    *self,
                                      const char        *column,
                                      gboolean           descending);
/* The rows as shown (sorted, totals last), tab-separated, a heading line
 * first; numbers as plain digits with '.' for decimals, no grouping, so
 * that a spreadsheet reads them as numbers. */
char      *hicov_table_view_dup_tsv  (HicovTableView    *self);
/* Puts dup_tsv on the clipboard. */
void       hicov_table_view_copy     (HicovTableView    *self);
/* The columns' titles as drawn: name, the values, the status (the cells
 * of dup_shown); "" for a column not shown (no target). */
char     **hicov_table_view_dup_titles (HicovTableView  *self);
/* Each shown row's cells as drawn, joined by tabs (for tests). */
char     **hicov_table_view_dup_shown (HicovTableView   *self);
/* Saves the shown rows to path (format from the extension: .xlsx, .ods,
 * .csv), with the table's information sheet. */
gboolean   hicov_table_view_save     (HicovTableView    *self,
                                      const char        *path,
                                      GError           **error);

G_END_DECLS

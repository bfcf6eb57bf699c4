/* hicov-kpi-tile.h - one key figure: title, value, change and detail. */
#pragma once

#include <gtk/gtk.h>

#include "hicov-types.h"

G_BEGIN_DECLS

#define HICOV_TYPE_KPI_TILE (hicov_kpi_tile_get_type ())
G_DECLARE_FINAL_TYPE (HicovKpiTile, hicov_kpi_tile, HICOV, KPI_TILE, GtkWidget)

GtkWidget  *hicov_kpi_tile_new        (void);
void        hicov_kpi_tile_set_title  (HicovKpiTile *self,
                                       const char   *title);
const char *hicov_kpi_tile_get_title  (HicovKpiTile *self);
void        hicov_kpi_tile_set_value  (HicovKpiTile *self,
                                       const char   *value);
const char *hicov_kpi_tile_get_value  (HicovKpiTile *self);
/* The change line under the value; trend colours it. */
void        hicov_kpi_tile_set_change (HicovKpiTile *self,
                                       const char   *change,
                                       HicovTrend    trend);
const char *hicov_kpi_tile_get_change (HicovKpiTile *self);
void        hicov_kpi_tile_set_detail (HicovKpiTile *self,
                                       const char   *detail);
const char *hicov_kpi_tile_get_detail (HicovKpiTile *self);
/* Shows an em dash as the value with a short translated label ("No data"
 * when label is NULL) and an optional translated detail line. reason is
 * the core's explanation (English free text, e.g. "no fund_revenue data
 * for 22"): it is not translated, so it goes to the tooltip and the
 * accessible description only. */
void        hicov_kpi_tile_set_missing (HicovKpiTile *self,
                                        const char   *label,
                                        const char   *detail,
                                        const char   *reason);
/* The reason given to set_missing, or NULL while the tile has a value. */
const char *hicov_kpi_tile_get_reason  (HicovKpiTile *self);
/* The basis of the change (the core's "on today's boundaries: with Hòa
 * Bình"), shown as the change line's tooltip and read with the tile;
 * NULL or "" for none. */
void        hicov_kpi_tile_set_note    (HicovKpiTile *self,
                                        const char   *note);
const char *hicov_kpi_tile_get_note    (HicovKpiTile *self);

/* TRUE if a shown label of the tile is cut off ("…") at its current
 * size. */
gboolean     hicov_kpi_tile_is_truncated (HicovKpiTile *self);

G_END_DECLS

/* hicov-map-view.h - the Map page: a choropleth of an indicator over the
 * units of a level, on boundaries read by the geo layer (hicov-geo.h,
 * GDAL/OGR) and joined on a unit-code attribute the user chooses (kept in
 * the settings).  The figure is the chart library's (hicov_chart_units_map,
 * kind HICOV_CHART_MAP) in a HicovChartView: hover shows the unit and its
 * value, a click emits "unit-activated" (drill down), the view's export
 * writes PNG, SVG and PDF.  Units without a shape and shapes without a unit
 * are listed under the map.  The demo gets a schematic map of its units
 * (gui/maps/demo-schematic.geojson, labelled as such on the map). */
#pragma once

#include <gtk/gtk.h>

#include "hicov-chart-view.h"
#include "hicov-types.h"

G_BEGIN_DECLS

#define HICOV_TYPE_MAP_VIEW (hicov_map_view_get_type ())
G_DECLARE_FINAL_TYPE (HicovMapView, hicov_map_view, HICOV, MAP_VIEW, GtkBox)

/* lang ("vi" or "en") names the indicators in the picker. */
GtkWidget      *hicov_map_view_new            (const char   *lang);
/* Redraws the map for ds (borrowed until the next call or clear) at
 * period, the selected unit outlined; "Against the target" colours the
 * target's indicator by its threshold (target may be NULL; copied). */
void            hicov_map_view_update         (HicovMapView      *self,
                                               HicovDataset      *ds,
                                               const char        *unit,
                                               HicovPeriod        period,
                                               const HicovTarget *target);
void            hicov_map_view_clear          (HicovMapView *self);
/* Reads a boundary file (any OGR format); FALSE with error, the map
 * keeping what it had. */
gboolean        hicov_map_view_load_boundaries (HicovMapView *self,
                                                const char   *path,
                                                GError      **error);
/* The built-in schematic map of the demo's units. */
gboolean        hicov_map_view_load_demo_map  (HicovMapView *self,
                                               GError      **error);
/* Forgets the schematic demo map if that is what is loaded. */
void            hicov_map_view_drop_demo_map  (HicovMapView *self);
/* TRUE once some boundaries are loaded. */
gboolean        hicov_map_view_has_boundaries (HicovMapView *self);
/* Choices, by id (automation and tests): level "province", "district",
 * "commune"; indicator name ("coverage_rate"); classes "quantile",
 * "equal", "target"; the attribute holding the unit code.  FALSE for an
 * unknown id. */
gboolean        hicov_map_view_set_level      (HicovMapView *self,
                                               const char   *level);
gboolean        hicov_map_view_set_indicator  (HicovMapView *self,
                                               const char   *indicator);
gboolean        hicov_map_view_set_classes    (HicovMapView *self,
                                               const char   *classes);
gboolean        hicov_map_view_set_property   (HicovMapView *self,
                                               const char   *property);
const char     *hicov_map_view_get_property   (HicovMapView *self);
HicovChartView *hicov_map_view_get_chart_view (HicovMapView *self);
/* Unit codes without a shape, keys of shapes without a unit (NULL-
 * terminated; caller frees with g_strfreev). */
char          **hicov_map_view_dup_missing    (HicovMapView *self);
char          **hicov_map_view_dup_orphans    (HicovMapView *self);
/* Milliseconds the last map build (join and figure) took. */
double          hicov_map_view_last_build_ms  (HicovMapView *self);

G_END_DECLS

/* hicov.h - the one header a front end includes: every public part of hicov.
 *
 * Each layer of csrc/ has its own public header, and a program that uses
 * only some layers may include just those:
 *   hicov-core.h    the core (libc + libm): units, periods, datasets,
 *                   indicators, targets, report model          csrc/core
 *   hicov-format.h  numbers and dates in the user's language    csrc/core
 *   hicov-data.h    units by name, merging values, saving a      csrc/core
 *                   dataset folder, tables of indicators
 *   hicov-claims.h  the claims reader (+ pthreads)              csrc/claims
 *   hicov-report.h  resolutions and reports: the model and its   csrc/core
 *                   sentences; XML, HTML and ADX (+ libxml2)    csrc/exchange
 *   hicov-exchange.h  workbooks in and out: XLSX, ODS, CSV       csrc/exchange
 *                   (+ libzip, libxlsxwriter, libxml2)
 *   hicov-dhis2.h   DHIS2: the mapping file, ADX and             csrc/exchange
 *                   dataValueSets JSON in and out (+ jansson)
 *   hicov-chart.h   figures and charts, the map (+ cairo, Pango) csrc/chart
 *   hicov-geo.h     boundary files joined to units (+ GDAL)     csrc/geo
 * hicov-chart.h includes <cairo.h>, so this header needs cairo's include
 * path. */
#ifndef HICOV_H
#define HICOV_H

#include "hicov-core.h"
#include "hicov-format.h"
#include "hicov-data.h"
#include "hicov-claims.h"
#include "hicov-report.h"
#include "hicov-exchange.h"
#include "hicov-dhis2.h"
#include "hicov-chart.h"
#include "hicov-geo.h"

#endif /* HICOV_H */

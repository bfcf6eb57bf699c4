/* hicov-private.h - the core's internals for the layers built on it
 * (claims, exchange, chart, cli) and for the tests.  Not API.
 *
 * Inside csrc/core the files are layered too, each layer using only the
 * ones below it (tests/python/test_core_layers.py checks the includes and
 * the calls):
 *
 *   base        alloc.c keys.c period.c format.c csv.c sha256.c formula.c
 *               text.c
 *               collate.c
 *               util-private.h csv-private.h formula-private.h
 *   dataset     dataset.c dataset-load.c dataset-totals.c
 *               dataset-private.h
 *   indicators  indicators.c quality.c
 *   targets     assess.c                           assess-private.h
 *   report      report.c report-text.c report-atomic.c demo.c
 *               dataset-copy.c dataset-state.c
 *               report-private.h (and this header)
 *
 * A core file includes the private headers of its layer and below, never
 * this umbrella (only the report layer may).
 */
#ifndef HICOV_PRIVATE_H
#define HICOV_PRIVATE_H

#include "util-private.h"
#include "csv-private.h"
#include "formula-private.h"
#include "dataset-private.h"
#include "assess-private.h"

#endif

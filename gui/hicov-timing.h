/* hicov-timing.h - start-up and redraw timestamps (HICOV_DASHBOARD_TIMING=1).
 *
 * Each mark prints one line to stdout:
 *   hicov-timing mark NAME monotonic_us=T cpu_us=C
 * T is CLOCK_MONOTONIC (the benchmark compares it with the time it spawned
 * the process) and C the process's CPU time, which stays meaningful on a
 * loaded machine where wall-clock time does not. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean hicov_timing_enabled (void);
void     hicov_timing_mark    (const char *name);

G_END_DECLS

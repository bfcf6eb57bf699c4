/* hicov-timing.c - start-up and redraw timestamps. */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "hicov-timing.h"

gboolean
hicov_timing_enabled (void)
{
  static int enabled = -1;

  if (enabled < 0)
    enabled = g_strcmp0 (g_getenv ("HICOV_DASHBOARD_TIMING"), "1") == 0;
  return enabled;
}

void
hicov_timing_mark (const char *name)
{
  struct timespec cpu;
  gint64 cpu_us = -1;

  if (!hicov_timing_enabled ())
    return;
  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0)
    cpu_us = (gint64) cpu.tv_sec * G_USEC_PER_SEC + cpu.tv_nsec / 1000;
  printf ("hicov-timing mark %s monotonic_us=%" G_GINT64_FORMAT
          " cpu_us=%" G_GINT64_FORMAT "\n", name, g_get_monotonic_time (),
          cpu_us);
  fflush (stdout);
}

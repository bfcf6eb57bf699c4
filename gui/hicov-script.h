/* hicov-script.h - automation scripts for tests and benchmarks.
 *
 * A script is a text file of commands, one per line, run after the window
 * has drawn its first frame; each command waits for the frame it causes.
 *   demo | open DIR            load the demo or a dataset folder
 *   unit CODE | period TEXT    select (through the window's actions)
 *   view NAME                  coverage | spending | checkin
 *   export CHART PATH          save a chart (.png, .svg, .pdf)
 *   hover CHART I              print what hovering point I shows
 *   click CHART I              click point I (drill down)
 *   screenshot PATH [SCALE]    render the window to a PNG
 *   print PATH                 print the dashboard to a PDF file
 *   export-report PATH         File > Export Congress Report (.pdf, .odt,
 *                              .docx, .xml, .html)
 *   issuer PATH|none           the export dialog's issuer profile
 *   dump PATH                  write the visible state as a key file
 *   resize W H | dark on|off | wait MS | quit
 * Failures are reported on stderr as "hicov-script: line N: ..." and make
 * the program exit with status 1. */
#pragma once

#include "hicov-types.h"

G_BEGIN_DECLS

void     hicov_script_run    (HicovWindow *window,
                              const char  *path);
gboolean hicov_script_failed (void);

G_END_DECLS

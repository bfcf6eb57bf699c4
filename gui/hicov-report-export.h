/* hicov-report-export.h - writing a congress report from the dashboard.
 *
 * The report itself is the core's (hicov-report.h): this file picks the
 * output format from the file name, suggests a file name, and renders or
 * saves a finished HicovReport in a worker thread. The report holds no
 * pointer into the dataset (hicov_report_new copies what it needs), so the
 * window keeps using its dataset while the worker writes. */
#pragma once

#include <gio/gio.h>

#include "hicov.h"
#include "hicov-report.h"

G_BEGIN_DECLS

typedef enum {
  HICOV_REPORT_FORMAT_UNKNOWN = 0,
  HICOV_REPORT_FORMAT_PDF,
  HICOV_REPORT_FORMAT_XML,
  HICOV_REPORT_FORMAT_HTML,
  HICOV_REPORT_FORMAT_ODT,
  HICOV_REPORT_FORMAT_DOCX
} HicovReportFormat;

/* From the extension of path (.pdf, .xml, .html or .htm, .odt, .docx; any
 * case). */
HicovReportFormat hicov_report_format_from_path (const char *path);

/* "report-lang-son-2025.pdf" ("bao-cao-lang-son-2025.pdf" in Vietnamese):
 * the translated word, the unit's name in ASCII and the year. Caller
 * frees. */
char *hicov_report_default_name (const char *unit_name,
                                 int         year,
                                 const char *extension);

/* The language of reports made from this UI: "vi" when the interface is
 * in Vietnamese, else "en". Static string. */
const char *hicov_report_ui_lang (void);

/* Writes rep to path in a worker thread, in the format of path's
 * extension (drawing the charts first for HTML, ODT and DOCX). Takes
 * ownership of rep (freed when the task is). Errors are G_IO_ERROR with
 * the core's message (hicov_report_errmsg). */
void     hicov_report_write_async  (HicovReport         *rep,
                                    const char          *path,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean hicov_report_write_finish (GAsyncResult        *result,
                                    GError             **error);

G_END_DECLS

/* hicov-report-export.c - writing a congress report from the dashboard. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hicov-format.h"
#include "hicov-report-export.h"

HicovReportFormat
hicov_report_format_from_path (const char *path)
{
  const char *dot;
  g_autofree char *ext = NULL;
  g_autofree char *base = NULL;

  if (path == NULL)
    return HICOV_REPORT_FORMAT_UNKNOWN;
  base = g_path_get_basename (path);
  if ((dot = strrchr (base, '.')) == NULL)
    return HICOV_REPORT_FORMAT_UNKNOWN;
  ext = g_ascii_strdown (dot + 1, -1);
  if (g_str_equal (ext, "pdf"))
    return HICOV_REPORT_FORMAT_PDF;
  if (g_str_equal (ext, "xml"))
    return HICOV_REPORT_FORMAT_XML;
  if (g_str_equal (ext, "html") || g_str_equal (ext, "htm"))
    return HICOV_REPORT_FORMAT_HTML;
  if (g_str_equal (ext, "odt"))
    return HICOV_REPORT_FORMAT_ODT;
  if (g_str_equal (ext, "docx"))
    return HICOV_REPORT_FORMAT_DOCX;
  return HICOV_REPORT_FORMAT_UNKNOWN;
}

/* "Lạng Sơn" -> "lang-son": ASCII letters and digits joined by dashes. */
static char *
slug (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text != NULL ? text : "", "C");
  GString *out = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (dash && out->len > 0)
            g_string_append_c (out, '-');
          g_string_append_c (out, g_ascii_tolower (*p));
          dash = FALSE;
        }
      else
        dash = TRUE;
    }
  return g_string_free (out, FALSE);
}

char *
hicov_report_default_name (const char *unit_name,
                           int         year,
                           const char *extension)
{
  /* TRANSLATORS: first word of a report's file name, ASCII only
   * ("report-lang-son-2025.pdf") */
  g_autofree char *word = slug (C_("file name", "report"));
  g_autofree char *unit = slug (unit_name);
  GString *name = g_string_new (word[0] != '\0' ? word : "report");

  if (unit[0] != '\0')
    g_string_append_printf (name, "-%s", unit);
  if (year > 0)
    g_string_append_printf (name, "-%d", year);
  g_string_append_printf (name, ".%s", extension);
  return g_string_free (name, FALSE);
}

const char *
hicov_report_ui_lang (void)
{
  /* TRANSLATORS: the language code reports are written in: "vi" for
   * Vietnamese; the core writes reports in "vi" and "en" only */
  const char *code = C_("report language", "en");

  return hicov_format_is_vi (code) ? "vi" : "en";
}

typedef struct {
  HicovReport *rep;
  char *path;
} WriteData;

static void
write_data_free (gpointer data)
{
  WriteData *d = data;

  hicov_report_free (d->rep);
  g_free (d->path);
  g_free (d);
}

static int write_report (GTask     *task,
                         WriteData *d);

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *d = task_data;
  int rc;
  /* The core writes the XML's numbers with snprintf/strtod, which follow
   * LC_NUMERIC: under vi_VN that gives "92,8", which the report's own
   * schema check then refuses. This thread alone uses the C conventions
   * for numbers (uselocale is per thread), the rest of the global locale
   * unchanged. */
  locale_t base = duplocale (LC_GLOBAL_LOCALE);
  locale_t c_numeric = base != (locale_t) 0
                         ? newlocale (LC_NUMERIC_MASK, "C", base)
                         : (locale_t) 0;
  locale_t previous = (locale_t) 0;

  if (c_numeric != (locale_t) 0)
    previous = uselocale (c_numeric);
  else if (base != (locale_t) 0)
    freelocale (base);
  rc = write_report (task, d);
  if (c_numeric != (locale_t) 0)
    {
      uselocale (previous);
      freelocale (c_numeric);
    }
  if (rc == HICOV_OK)
    g_task_return_boolean (task, TRUE);
}

/* Returns HICOV_OK, or the failure after returning it on task. */
static int
write_report (GTask     *task,
              WriteData *d)
{
  int rc;

  switch (hicov_report_format_from_path (d->path))
    {
    case HICOV_REPORT_FORMAT_PDF:
      rc = hicov_report_pdf (d->rep, d->path);
      break;
    case HICOV_REPORT_FORMAT_XML:
      rc = hicov_report_save (d->rep, d->path);
      break;
    case HICOV_REPORT_FORMAT_HTML:
      rc = hicov_report_draw_figures (d->rep);
      if (rc == HICOV_OK)
        rc = hicov_report_save_html (d->rep, d->path);
      break;
    case HICOV_REPORT_FORMAT_ODT:
    case HICOV_REPORT_FORMAT_DOCX:
      rc = hicov_report_draw_figures (d->rep);
      if (rc == HICOV_OK)
        rc = hicov_report_format_from_path (d->path) == HICOV_REPORT_FORMAT_ODT
               ? hicov_report_save_odt (d->rep, d->path)
               : hicov_report_save_docx (d->rep, d->path);
      break;
    case HICOV_REPORT_FORMAT_UNKNOWN:
    default:
      {
        g_autofree char *base = g_path_get_basename (d->path);
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                 _("“%s”: unknown report format; the name "
                                   "must end in .pdf, .odt, .docx, .xml or "
                                   ".html"), base);
        return HICOV_INVALID;
      }
    }
  if (rc != HICOV_OK)
    {
      const char *msg = hicov_report_errmsg (d->rep);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                               msg != NULL && msg[0] != '\0'
                                 ? msg : hicov_status_string (rc));
    }
  return rc;
}

void
hicov_report_write_async (HicovReport         *rep,
                          const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  WriteData *d;

  g_return_if_fail (rep != NULL && path != NULL);

  d = g_new0 (WriteData, 1);
  d->rep = rep;
  d->path = g_strdup (path);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hicov_report_write_async);
  g_task_set_task_data (task, d, write_data_free);
  g_task_run_in_thread (task, write_thread);
  g_object_unref (task);
}

gboolean
hicov_report_write_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* hicov-tooltip.c - tooltips set without a round trip to the display
 * (hicov-tooltip.h). */
#include "hicov-tooltip.h"

static GQuark
text_quark (void)
{
  static GQuark q;

  if (q == 0)
    q = g_quark_from_static_string ("hicov-tooltip");
  return q;
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const char *text = g_object_get_qdata (G_OBJECT (widget), text_quark ());

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
hicov_tooltip_set (GtkWidget  *widget,
                   const char *text)
{
  static GQuark hooked;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (hooked == 0)
    hooked = g_quark_from_static_string ("hicov-tooltip-hooked");
  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_object_get_qdata (G_OBJECT (widget), hooked) == NULL)
    {
      /* once: GTK's own tooltip (from a .ui file) would show when ours
         is NULL */
      if (gtk_widget_get_tooltip_text (widget) != NULL ||
          gtk_widget_get_tooltip_markup (widget) != NULL)
        gtk_widget_set_tooltip_text (widget, NULL);
      g_signal_connect (widget, "query-tooltip",
                        G_CALLBACK (on_query_tooltip), NULL);
      gtk_widget_set_has_tooltip (widget, TRUE);
      g_object_set_qdata (G_OBJECT (widget), hooked, GINT_TO_POINTER (1));
    }
  g_object_set_qdata_full (G_OBJECT (widget), text_quark (), g_strdup (text),
                           g_free);
}

const char *
hicov_tooltip_get (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  return g_object_get_qdata (G_OBJECT (widget), text_quark ());
}

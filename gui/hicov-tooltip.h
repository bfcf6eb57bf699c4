/* hicov-tooltip.h - tooltips that cost nothing to change.
 *
 * gtk_widget_set_tooltip_text asks the display where the pointer is each
 * time (gtk_tooltip_trigger_tooltip_query: two X round trips), and the
 * dashboard changes a few dozen tooltips on every selection (the KPI
 * tiles' full values, the header's subtitle).  hicov_tooltip_set keeps
 * the text on the widget and hands it over when GTK asks for it
 * (::query-tooltip), so changing it is a string copy.  A tooltip already
 * showing keeps its text until the pointer moves. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The widget's tooltip from now on; NULL or "" for none.  Use it for every
 * change of that widget's tooltip (not gtk_widget_set_tooltip_text). */
void        hicov_tooltip_set (GtkWidget  *widget,
                               const char *text);
/* What hicov_tooltip_set gave it last, or NULL. */
const char *hicov_tooltip_get (GtkWidget  *widget);

G_END_DECLS

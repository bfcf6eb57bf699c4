/* hicov-period-selector.h - choose a year, quarter, month or year to date
 * within the months a dataset covers. */
#pragma once

#include <gtk/gtk.h>

#include "hicov.h"
#include "hicov-types.h"

G_BEGIN_DECLS

typedef enum {
  HICOV_PERIOD_CHOICE_YEAR = 0,
  HICOV_PERIOD_CHOICE_QUARTER,
  HICOV_PERIOD_CHOICE_MONTH,
  HICOV_PERIOD_CHOICE_YEAR_TO_DATE
} HicovPeriodChoice;

#define HICOV_TYPE_PERIOD_SELECTOR (hicov_period_selector_get_type ())
G_DECLARE_FINAL_TYPE (HicovPeriodSelector, hicov_period_selector, HICOV,
                      PERIOD_SELECTOR, GtkWidget)

GtkWidget  *hicov_period_selector_new        (void);
/* Offers the years from first_month to last_month (months as in
 * HicovPeriod). Keeps the current choice when it is still inside. */
void        hicov_period_selector_set_span   (HicovPeriodSelector *self,
                                              int                  first_month,
                                              int                  last_month);
HicovPeriod hicov_period_selector_get_period (HicovPeriodSelector *self);
/* Selects p if the selector can express it (a year, quarter, month, or a
 * range from January to a month of the same year). Emits
 * "changed" once when the period changes. */
gboolean    hicov_period_selector_set_period (HicovPeriodSelector *self,
                                              HicovPeriod          p);

/* Chooses the year, then the kind, as a user would with the drop-downs
 * (the month or quarter follows as it does for a user). */
void        hicov_period_selector_choose     (HicovPeriodSelector *self,
                                              HicovPeriodChoice    kind,
                                              int                  year);
G_END_DECLS

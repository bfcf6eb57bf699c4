/* hicov-period-selector.c - kind, year and quarter/month drop-downs. */
#include "config.h"

#include <glib/gi18n.h>

#include "hicov-tooltip.h"
#include "hicov-period-selector.h"

struct _HicovPeriodSelector
{
  GtkWidget parent_instance;

  GtkBox *box;
  GtkDropDown *kind_dropdown;
  GtkDropDown *year_dropdown;
  GtkDropDown *sub_dropdown;

  GtkStringList *quarters;
  GtkStringList *months;

  int first_month;
  int last_month;
  HicovPeriod period;
  guint updating;
  guint shown_kind;  /* the kind and year sync_sub_model last saw */
  int shown_year;
};

G_DEFINE_FINAL_TYPE (HicovPeriodSelector, hicov_period_selector,
                     GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const month_names[] = {
  N_("January"), N_("February"), N_("March"), N_("April"), N_("May"),
  N_("June"), N_("July"), N_("August"), N_("September"), N_("October"),
  N_("November"), N_("December"),
};

static int
first_year (HicovPeriodSelector *self)
{
  return self->first_month / 12;
}

static int
last_year (HicovPeriodSelector *self)
{
  return self->last_month / 12;
}

/* Years are listed newest first. */
static int
selected_year (HicovPeriodSelector *self)
{
  guint pos = gtk_drop_down_get_selected (self->year_dropdown);

  if (pos == GTK_INVALID_LIST_POSITION)
    return last_year (self);
  return last_year (self) - (int) pos;
}

static HicovPeriod
compute_period (HicovPeriodSelector *self)
{
  int year = selected_year (self);
  guint sub = gtk_drop_down_get_selected (self->sub_dropdown);

  if (sub == GTK_INVALID_LIST_POSITION)
    sub = 0;
  switch (gtk_drop_down_get_selected (self->kind_dropdown))
    {
    case HICOV_PERIOD_CHOICE_QUARTER:
      return hicov_period_quarter (year, (int) MIN (sub, 3) + 1);
    case HICOV_PERIOD_CHOICE_MONTH:
      return hicov_period_month (year, (int) MIN (sub, 11) + 1);
    case HICOV_PERIOD_CHOICE_YEAR_TO_DATE:
      /* January to the chosen month. */
      return hicov_period_range (year * 12, year * 12 + (int) MIN (sub, 11));
    case HICOV_PERIOD_CHOICE_YEAR:
    default:
      return hicov_period_year (year);
    }
}

/* The last quarter or month of year with data: December (Q4) of a past
 * year, the data's last month in its last year. */
static guint
last_sub_in (HicovPeriodSelector *self,
             int                  year,
             gboolean             quarter)
{
  int m = year == last_year (self) ? self->last_month % 12 : 11;

  return (guint) (quarter ? m / 3 : m);
}

/* Whether year has data in quarter or month sub: the first and the last
 * year have data from the first month and up to the last. */
static gboolean
year_has_sub (HicovPeriodSelector *self,
              int                  year,
              gboolean             quarter,
              guint                sub)
{
  guint first = year == first_year (self)
                  ? (guint) (self->first_month % 12) / (quarter ? 3 : 1)
                  : 0;

  return sub >= first && sub <= last_sub_in (self, year, quarter);
}

static void
sync_sub_model (HicovPeriodSelector *self)
{
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);
  GListModel *want = NULL;

  if (kind == HICOV_PERIOD_CHOICE_QUARTER)
    want = G_LIST_MODEL (self->quarters);
  else if (kind == HICOV_PERIOD_CHOICE_MONTH ||
           kind == HICOV_PERIOD_CHOICE_YEAR_TO_DATE)
    want = G_LIST_MODEL (self->months);

  int year_now = selected_year (self);
  gboolean fresh = kind != self->shown_kind || year_now != self->shown_year;
  gboolean new_year = kind == self->shown_kind &&
                      year_now != self->shown_year;

  self->shown_kind = kind;
  self->shown_year = year_now;
  gtk_widget_set_visible (GTK_WIDGET (self->sub_dropdown), want != NULL);
  if (kind == HICOV_PERIOD_CHOICE_YEAR_TO_DATE && fresh &&
      gtk_drop_down_get_model (self->sub_dropdown) == want)
    {
      /* Year to date ends at the last month with data: December of a past
       * year, the data's last month in its last year. */
      self->updating++;
      gtk_drop_down_set_selected (self->sub_dropdown,
                                  year_now == last_year (self)
                                    ? (guint) (self->last_month % 12) : 11);
      self->updating--;
    }
  else if (new_year && kind != HICOV_PERIOD_CHOICE_YEAR_TO_DATE &&
           want != NULL && gtk_drop_down_get_model (self->sub_dropdown) == want)
    {
      /* Another year in month or quarter mode keeps the chosen month or
       * quarter if that year has data in it, else goes to the year's last
       * with data (as year to date does). */
      gboolean quarter = kind == HICOV_PERIOD_CHOICE_QUARTER;
      guint sub = gtk_drop_down_get_selected (self->sub_dropdown);

      if (sub == GTK_INVALID_LIST_POSITION ||
          !year_has_sub (self, year_now, quarter, sub))
        {
          self->updating++;
          gtk_drop_down_set_selected (self->sub_dropdown,
                                      last_sub_in (self, year_now, quarter));
          self->updating--;
        }
    }
  else if (want != NULL &&
           gtk_drop_down_get_model (self->sub_dropdown) != want)
    {
      guint sub = 0;
      int year = selected_year (self);
      /* Start at the latest quarter/month with data in that year. */
      if (year == last_year (self))
        sub = kind == HICOV_PERIOD_CHOICE_QUARTER
                ? (guint) (self->last_month % 12) / 3
                : (guint) (self->last_month % 12);
      else if (kind == HICOV_PERIOD_CHOICE_QUARTER)
        sub = 3;
      else
        sub = 11;
      gtk_drop_down_set_model (self->sub_dropdown, want);
      gtk_drop_down_set_selected (self->sub_dropdown, sub);
    }
  hicov_tooltip_set (GTK_WIDGET (self->sub_dropdown),
                               kind == HICOV_PERIOD_CHOICE_QUARTER
                                 ? _("Quarter")
                                 : kind == HICOV_PERIOD_CHOICE_MONTH
                                     ? _("Month") : _("Through the end of"));
}

static void
update_period (HicovPeriodSelector *self)
{
  HicovPeriod p;

  if (self->updating > 0)
    return;
  sync_sub_model (self);
  p = compute_period (self);
  if (p.kind == self->period.kind && p.first == self->period.first &&
      p.last == self->period.last)
    return;
  self->period = p;
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_dropdown_changed (GtkDropDown         *dropdown,
                     GParamSpec          *pspec,
                     HicovPeriodSelector *self)
{
  update_period (self);
}

void
hicov_period_selector_set_span (HicovPeriodSelector *self,
                                int                  first_month,
                                int                  last_month)
{
  g_autoptr (GtkStringList) years = NULL;
  int keep_year;

  g_return_if_fail (HICOV_IS_PERIOD_SELECTOR (self));
  g_return_if_fail (first_month <= last_month);

  keep_year = self->last_month > 0 ? selected_year (self) : last_month / 12;
  self->first_month = first_month;
  self->last_month = last_month;

  years = gtk_string_list_new (NULL);
  for (int y = last_year (self); y >= first_year (self); y--)
    {
      char buf[16];
      g_snprintf (buf, sizeof buf, "%d", y);
      gtk_string_list_append (years, buf);
    }

  self->updating++;
  gtk_drop_down_set_model (self->year_dropdown, G_LIST_MODEL (years));
  keep_year = CLAMP (keep_year, first_year (self), last_year (self));
  gtk_drop_down_set_selected (self->year_dropdown,
                              (guint) (last_year (self) - keep_year));
  self->updating--;
  update_period (self);
}

HicovPeriod
hicov_period_selector_get_period (HicovPeriodSelector *self)
{
  HicovPeriod none = { 0, 0, 0 };

  g_return_val_if_fail (HICOV_IS_PERIOD_SELECTOR (self), none);
  return self->period;
}

gboolean
hicov_period_selector_set_period (HicovPeriodSelector *self,
                                  HicovPeriod          p)
{
  int year = hicov_period_end_year (p);
  guint kind;
  guint sub = 0;

  g_return_val_if_fail (HICOV_IS_PERIOD_SELECTOR (self), FALSE);

  if (year < first_year (self) || year > last_year (self))
    return FALSE;
  switch (p.kind)
    {
    case HICOV_PERIOD_YEAR:
      kind = HICOV_PERIOD_CHOICE_YEAR;
      break;
    case HICOV_PERIOD_QUARTER:
      kind = HICOV_PERIOD_CHOICE_QUARTER;
      sub = (guint) (p.first % 12) / 3;
      break;
    case HICOV_PERIOD_MONTH:
      kind = HICOV_PERIOD_CHOICE_MONTH;
      sub = (guint) (p.first % 12);
      break;
    case HICOV_PERIOD_RANGE:
      if (p.first != year * 12 || p.last / 12 != year)
        return FALSE;
      kind = HICOV_PERIOD_CHOICE_YEAR_TO_DATE;
      sub = (guint) (p.last % 12);
      break;
    default:
      return FALSE;
    }

  self->updating++;
  gtk_drop_down_set_selected (self->year_dropdown,
                              (guint) (last_year (self) - year));
  gtk_drop_down_set_selected (self->kind_dropdown, kind);
  sync_sub_model (self);
  gtk_drop_down_set_selected (self->sub_dropdown, sub);
  self->updating--;
  update_period (self);
  return TRUE;
}

void
hicov_period_selector_choose (HicovPeriodSelector *self,
                              HicovPeriodChoice    kind,
                              int                  year)
{
  g_return_if_fail (HICOV_IS_PERIOD_SELECTOR (self));

  if (year >= first_year (self) && year <= last_year (self))
    gtk_drop_down_set_selected (self->year_dropdown,
                                (guint) (last_year (self) - year));
  gtk_drop_down_set_selected (self->kind_dropdown, kind);
}

static void
hicov_period_selector_dispose (GObject *object)
{
  HicovPeriodSelector *self = HICOV_PERIOD_SELECTOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self),
                               HICOV_TYPE_PERIOD_SELECTOR);
  g_clear_object (&self->quarters);
  g_clear_object (&self->months);
  G_OBJECT_CLASS (hicov_period_selector_parent_class)->dispose (object);
}

static void
hicov_period_selector_class_init (HicovPeriodSelectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hicov_period_selector_dispose;

  /* Emitted when the selected period changes. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/org/hicov/Dashboard/hicov-period-selector.ui");
  gtk_widget_class_bind_template_child (widget_class, HicovPeriodSelector,
                                        box);
  gtk_widget_class_bind_template_child (widget_class, HicovPeriodSelector,
                                        kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HicovPeriodSelector,
                                        year_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HicovPeriodSelector,
                                        sub_dropdown);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "periodselector");
}

static void
hicov_period_selector_init (HicovPeriodSelector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->quarters = gtk_string_list_new (NULL);
  for (int q = 1; q <= 4; q++)
    {
      /* TRANSLATORS: a quarter of the year, e.g. "Q3" */
      g_autofree char *s = g_strdup_printf (_("Q%d"), q);
      gtk_string_list_append (self->quarters, s);
    }
  self->months = gtk_string_list_new (NULL);
  for (guint m = 0; m < G_N_ELEMENTS (month_names); m++)
    gtk_string_list_append (self->months, _(month_names[m]));

  self->period = hicov_period_year (1900);
  g_signal_connect (self->kind_dropdown, "notify::selected",
                    G_CALLBACK (on_dropdown_changed), self);
  g_signal_connect (self->year_dropdown, "notify::selected",
                    G_CALLBACK (on_dropdown_changed), self);
  g_signal_connect (self->sub_dropdown, "notify::selected",
                    G_CALLBACK (on_dropdown_changed), self);
  gtk_widget_set_visible (GTK_WIDGET (self->sub_dropdown), FALSE);
}

GtkWidget *
hicov_period_selector_new (void)
{
  return g_object_new (HICOV_TYPE_PERIOD_SELECTOR, NULL);
}

/* workbook-words.c - the words the workbook reader recognises in headings,
 * as offices type them: the measures by their name, their English or
 * Vietnamese label or a common Vietnamese alias ("Số thẻ BHYT"), and the
 * headings of the unit, period, measure, value and group columns of a
 * long layout. Data, compared folded (hicov_text_fold): no text of its
 * own. */
#include <ctype.h>
#include <string.h>

#include "report-private.h"
#include "workbook-read-private.h"

/* A folded copy (hicov_text_fold) with a trailing "(...)" removed:
 * "Dân số (người)" is "dân số". Caller frees. */
char *wb_fold_heading(const char *s)
{
  char *f = hicov_text_fold(s);
  if (!f)
    return NULL;
  size_t n = strlen(f);
  if (n && f[n - 1] == ')') {
    char *open = strrchr(f, '(');
    if (open && open > f) {
      *open = '\0';
      n = strlen(f);
      while (n && f[n - 1] == ' ')
        f[--n] = '\0';
    }
  }
  return f;
}

static int in_list(const char *folded, const char *const *list)
{
  for (size_t i = 0; list[i]; i++)
    if (!strcmp(folded, list[i]))
      return 1;
  return 0;
}

/* ---- Measures by name or heading ---------------------------------------- */

static const struct { const char *name, *alias; } measure_aliases[] = {
  { "participants", "số người tham gia" }, { "participants", "người tham gia" },
  { "participants", "số người tham gia bảo hiểm y tế" },
  { "participants", "số người có thẻ bhyt" }, { "participants", "số thẻ bhyt" },
  { "visits", "lượt kcb" }, { "visits", "lượt khám chữa bệnh" },
  { "visits", "số lượt khám chữa bệnh" }, { "visits", "số lượt kcb" },
  { "visits", "lượt kcb bhyt" },
  { "inpatient_visits", "lượt nội trú" }, { "inpatient_visits", "số lượt điều trị nội trú" },
  { "inpatient_days", "số ngày điều trị nội trú" },
  { "total_cost", "tổng chi phí" }, { "total_cost", "chi phí kcb" },
  { "total_cost", "tổng chi phí kcb" }, { "total_cost", "chi phí khám chữa bệnh" },
  { "fund_paid", "bhyt chi trả" }, { "fund_paid", "quỹ chi trả" },
  { "fund_paid", "số chi quỹ bhyt" },
  { "copay", "cùng chi trả" }, { "copay", "người bệnh chi trả" },
  { "fund_revenue", "số thu" }, { "fund_revenue", "thu bhyt" },
  { "fund_revenue", "số thu bhyt" },
  { "card_checkins", "lượt tra cứu" }, { "card_checkins_ok", "lượt tra cứu thành công" },
  { "patients", "người bệnh" },
  { NULL, NULL }
};

/* The measure a text names: its name in values.csv (any case), its
 * English or Vietnamese heading, or a common Vietnamese alias; -1. */
int wb_find_measure(const char *text)
{
  char name[40];
  size_t n = strlen(text);
  while (n && isspace((unsigned char)text[n - 1]))
    n--;
  while (n && isspace((unsigned char)*text)) {
    text++;
    n--;
  }
  if (n < sizeof name) {
    for (size_t i = 0; i < n; i++)
      name[i] = (char)tolower((unsigned char)text[i]);
    name[n] = '\0';
    int m = hicov_measure_find(name);
    if (m >= 0)
      return m;
  }
  char *f = wb_fold_heading(text);
  if (!f)
    return -1;
  int found = -1;
  for (size_t i = 0; found < 0 && i < hicov_measure_count(); i++) {
    const HicovMeasureInfo *mi = hicov_measure_info(i);
    const HicovIndicatorInfo *ii = hicov_indicator_find(mi->name);
    const char *labels[3] = { mi->label, ii ? report_indicator_label(ii, LANG_VI)
                                            : NULL, NULL };
    for (int k = 0; labels[k] && found < 0; k++) {
      char *lf = wb_fold_heading(labels[k]);
      if (lf && !strcmp(lf, f))
        found = (int)i;
      hicov_free(lf);
    }
  }
  for (size_t i = 0; found < 0 && measure_aliases[i].name; i++)
    if (!strcmp(f, measure_aliases[i].alias))
      found = hicov_measure_find(measure_aliases[i].name);
  hicov_free(f);
  return found;
}

/* ---- Column headings ---------------------------------------------------- */

static const char *const unit_words[] = {
  "unit", "code", "unit code", "đơn vị", "mã", "mã đơn vị", "tên đơn vị",
  "mã đvhc", "tên", "địa bàn", "đơn vị hành chính", "tên địa bàn", "xã",
  "huyện", "tỉnh", "xã/phường", "xã, phường, thị trấn", NULL };
static const char *const period_words[] = {
  "period", "kỳ", "kỳ báo cáo", "thời gian", "thời kỳ", "năm", "tháng", "quý",
  NULL };
static const char *const measure_words[] = {
  "measure", "chỉ tiêu", "chỉ số", "loại số liệu", NULL };
static const char *const value_words[] = {
  "value", "giá trị", "số liệu", "số lượng", "trị số", NULL };
static const char *const group_words[] = {
  "group", "nhóm", "nhóm đối tượng", "đối tượng", "mã đối tượng", NULL };

int wb_heading_names(const char *folded, int role)
{
  const char *const *list = role == ROLE_UNIT ? unit_words
                          : role == ROLE_PERIOD ? period_words
                          : role == ROLE_MEASURE ? measure_words
                          : role == ROLE_VALUE ? value_words
                          : role == ROLE_GROUP ? group_words : NULL;
  return list && in_list(folded, list);
}

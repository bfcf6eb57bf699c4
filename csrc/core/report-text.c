/* report-text.c - the sentences of a report, in Vietnamese and English,
 * generated from the core's assessment, and the labels the printable
 * outputs use.  Numbers follow the language: vi "94,1%", "31.700";
 * en "94.1%", "31,700" (hicov-format.h).  libc only. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formula-private.h"
#include "report-private.h"

/* ---- Labels ------------------------------------------------------------ */

typedef struct {
  const char *key;
  const char *text[2]; /* [LANG_VI], [LANG_EN] */
} Msg;

static const Msg messages[] = {
  { "report_title", { "Báo cáo kết quả thực hiện chỉ tiêu bảo hiểm y tế",
                      "Report on the health-insurance targets" } },
  { "report_subtitle", { "theo nghị quyết", "of the resolution" } },
  { "issued_by", { "Cơ quan ban hành", "Issued by" } },
  { "number", { "Số", "Number" } },
  { "term", { "Nhiệm kỳ", "Term" } },
  { "subject", { "Địa bàn", "Area" } },
  { "data_through", { "Số liệu đến năm", "Data through" } },
  { "generated", { "Thời điểm lập báo cáo", "Generated" } },
  { "targets", { "Các chỉ tiêu và mức độ thực hiện", "Targets and progress" } },
  { "target", { "Chỉ tiêu", "Target" } },
  { "unit", { "Đơn vị", "Unit" } },
  { "threshold", { "Mục tiêu", "Target value" } },
  { "deadline", { "Năm đạt", "Deadline" } },
  { "baseline", { "Năm gốc", "Baseline" } },
  { "latest", { "Số liệu mới nhất", "Latest" } },
  { "gap", { "Còn thiếu", "Gap" } },
  { "needed", { "Số người cần thêm", "People still needed" } },
  { "required", { "Mức tăng cần thiết/năm", "Required per year" } },
  { "projection", { "Dự báo đến hạn", "Projected at deadline" } },
  { "status", { "Đánh giá", "Status" } },
  { "assessment", { "Nhận định", "Assessment" } },
  { "charts", { "Biểu đồ", "Charts" } },
  { "coverage-by-unit", { "Bao phủ BHYT theo đơn vị trực thuộc",
                          "Coverage by subordinate unit" } },
  { "spending-by-unit", { "Khám chữa bệnh và chi phí theo đơn vị trực thuộc",
                          "Visits and spending by subordinate unit" } },
  { "by-year", { "Diễn biến qua các năm", "Year by year" } },
  { "year", { "Năm", "Year" } },
  { "total", { "Toàn tỉnh", "Total" } },
  { "findings", { "Chất lượng số liệu", "Data quality" } },
  { "no_findings", { "Không phát hiện vấn đề về chất lượng số liệu.",
                     "The data-quality checks found no problem." } },
  { "severity_1", { "Cảnh báo", "Warning" } },
  { "severity_2", { "Lỗi", "Error" } },
  { "provenance", { "Nguồn gốc số liệu", "Provenance" } },
  { "source", { "Nguồn", "Source" } },
  { "inputs", { "Tệp đầu vào", "Input files" } },
  { "version", { "Phiên bản hicov", "hicov version" } },
  { "builtin_demo", { "Bộ số liệu minh họa có sẵn (built-in demo)",
                      "built-in demo" } },
  { "severity", { "Mức độ", "Severity" } },
  { "finding", { "Phát hiện", "Finding" } },
  { "tables", { "Số liệu chi tiết", "Tables" } },
  { "page", { "Trang", "Page" } },
  { "of", { "/", "of" } },
  { "missing", { "không có số liệu", "no data" } },
  { "points", { "điểm %", "points" } },
  { "people", { "người", "people" } },
  { "coverage_chart", { "Tỷ lệ bao phủ BHYT và dự báo",
                        "Health-insurance coverage and projection" } },
  { "projected", { "Dự báo", "Projection" } },
  { "actual", { "Thực tế", "Actual" } },
  { "unit_chart", { "Tỷ lệ bao phủ theo đơn vị", "Coverage by unit" } },
  { "spending_chart", { "Chi phí khám chữa bệnh BHYT",
                        "Insured medical spending" } },
  { "fit_note", { "Dự báo theo xu hướng", "Projection from the trend" } },
  { NULL, { NULL, NULL } }
};

const char *report_text(const char *key, int lang)
{
  for (const Msg *m = messages; m->key; m++)
    if (!strcmp(m->key, key))
      return m->text[lang == LANG_EN];
  return key;
}

typedef struct {
  const char *name;
  const char *label_vi;  /* as a heading */
  const char *phrase_vi; /* inside a sentence */
  const char *phrase_en;
} IndicatorText;

static const IndicatorText indicator_texts[] = {
  { "coverage_rate", "Tỷ lệ bao phủ BHYT", "tỷ lệ bao phủ",
    "health-insurance coverage" },
  { "participants", "Số người tham gia BHYT", "số người tham gia BHYT",
    "the number of participants" },
  { "population", "Dân số", "dân số", "the population" },
  { "visits", "Lượt khám chữa bệnh BHYT", "số lượt khám chữa bệnh BHYT",
    "insured visits" },
  { "inpatient_visits", "Lượt điều trị nội trú", "số lượt điều trị nội trú",
    "inpatient admissions" },
  { "inpatient_days", "Ngày điều trị nội trú", "số ngày điều trị nội trú",
    "inpatient days" },
  { "total_cost", "Chi phí KCB BHYT", "chi phí khám chữa bệnh BHYT",
    "insured medical cost" },
  { "fund_paid", "Quỹ BHYT chi trả", "số chi của quỹ BHYT",
    "fund payments" },
  { "copay", "Người bệnh cùng chi trả", "phần người bệnh cùng chi trả",
    "patient co-payments" },
  { "fund_revenue", "Thu quỹ BHYT", "số thu quỹ BHYT", "fund revenue" },
  { "cost_per_visit", "Chi phí bình quân/lượt KCB",
    "chi phí bình quân một lượt khám", "cost per visit" },
  { "cost_per_participant", "Chi phí bình quân/người tham gia",
    "chi phí bình quân một người tham gia", "cost per participant" },
  { "fund_balance", "Cân đối quỹ BHYT", "cân đối quỹ BHYT", "the fund balance" },
  { "fund_usage", "Tỷ lệ sử dụng quỹ", "tỷ lệ sử dụng quỹ", "fund usage" },
  { "inpatient_share", "Tỷ lệ điều trị nội trú", "tỷ lệ điều trị nội trú",
    "the inpatient share of visits" },
  { "avg_length_of_stay", "Số ngày điều trị bình quân",
    "số ngày điều trị bình quân", "the average length of stay" },
  { "commune_visit_share", "Tỷ lệ KCB tại trạm y tế xã",
    "tỷ lệ khám chữa bệnh tại trạm y tế xã",
    "the share of visits at commune health stations" },
  { "checkin_success_rate", "Tỷ lệ tra cứu thẻ bằng CCCD thành công",
    "tỷ lệ tra cứu thẻ bằng căn cước công dân thành công",
    "the chip-ID check-in success rate" },
  { "card_checkins", "Lượt tra cứu bằng CCCD", "số lượt tra cứu bằng CCCD",
    "card check-ins" },
  { "patients", "Số người bệnh", "số người bệnh", "distinct patients" },
  { NULL, NULL, NULL, NULL }
};

static const IndicatorText *indicator_text(const HicovIndicatorInfo *info)
{
  for (const IndicatorText *t = indicator_texts; info && t->name; t++)
    if (!strcmp(t->name, info->name))
      return t;
  return NULL;
}

const char *report_indicator_label(const HicovIndicatorInfo *info, int lang)
{
  if (!info)
    return "?";
  const IndicatorText *t = indicator_text(info);
  if (lang == LANG_VI && t)
    return t->label_vi;
  return info->label ? info->label : info->name;
}

static const char *indicator_phrase(const HicovIndicatorInfo *info, int lang)
{
  const IndicatorText *t = indicator_text(info);
  if (t)
    return lang == LANG_VI ? t->phrase_vi : t->phrase_en;
  return info ? (info->label ? info->label : info->name) : "?";
}

const char *report_status_label(int status, int lang)
{
  static const char *const vi[] = { "Chưa đủ số liệu", "Đã đạt",
                                    "Đúng tiến độ", "Có nguy cơ không đạt",
                                    "Không đạt" };
  static const char *const en[] = { "Not enough data", "Achieved",
                                    "On track", "At risk", "Not achieved" };
  if (status < 0 || status > 4)
    status = 0;
  return lang == LANG_VI ? vi[status] : en[status];
}

static const char *lang_tag(int lang)
{
  return lang == LANG_VI ? "vi" : "en";
}

static int is_rate(const HicovIndicatorInfo *info)
{
  return info && (info->is_rate || (info->unit && !strcmp(info->unit, "%")));
}

/* Fewest decimals (0..2) that show v exactly as given (98, 95.15). */
static int natural_decimals(double v)
{
  for (int d = 0; d < 2; d++) {
    double s = v * pow(10, d);
    if (fabs(s - nearbyint(s)) < 1e-9 * fmax(1, fabs(s)))
      return d;
  }
  return 2;
}

size_t report_format_value(const HicovIndicatorInfo *info, double v,
                           int lang, char *buf, size_t size)
{
  const char *l = lang_tag(lang);
  const char *unit = info && info->unit ? info->unit : "";
  buf[0] = '\0';
  if (is_rate(info)) {
    hicov_format_percent(v, 1, l, buf, size);
  } else if (!strcmp(unit, "VND") && isfinite(v) && fabs(v) < 9e16) {
    int scale = hicov_money_auto_scale(fabs(v));
    hicov_format_money_vnd((int64_t)llround(v * 100), scale,
                           scale >= HICOV_MONEY_MILLION ? 1 : 0, l, buf,
                           size);
  } else {
    char num[64];
    int dec = !strcmp(unit, "people") || !strcmp(unit, "visits") ||
              !strcmp(unit, "days") || !strcmp(unit, "cards") ? 0 : 2;
    if (dec == 2 && isfinite(v) && fabs(v) >= 1000)
      dec = 0;
    hicov_format_number(v, dec, l, num, sizeof num);
    const char *word = "";
    if (!strcmp(unit, "people"))
      word = lang == LANG_VI ? " người" : " people";
    else if (!strcmp(unit, "visits"))
      word = lang == LANG_VI ? " lượt" : " visits";
    else if (!strcmp(unit, "days"))
      word = lang == LANG_VI ? " ngày" : " days";
    else if (!strcmp(unit, "points"))
      word = lang == LANG_VI ? " điểm %" : " points";
    snprintf(buf, size, "%s%s", num, isfinite(v) ? word : "");
  }
  return strlen(buf);
}

/* ---- A growing string -------------------------------------------------- */

typedef struct {
  char *s;
  size_t len, cap;
  int failed;
} Str;

static void str_add(Str *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void str_add(Str *b, const char *fmt, ...)
{
  if (b->failed)
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->failed = 1;
    return;
  }
  if (hicov_grow((void **)&b->s, &b->cap, b->len + (size_t)n + 1, 1) !=
      HICOV_OK) {
    b->failed = 1;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

static char *str_finish(Str *b)
{
  if (b->failed || !b->s) {
    report_free(b->s);
    return NULL;
  }
  return b->s;
}

/* ---- Number phrases ---------------------------------------------------- */

typedef struct {
  char v[64];
} Num;

static Num pct(double v, int decimals, int lang)
{
  Num n;
  hicov_format_percent(v, decimals, lang_tag(lang), n.v, sizeof n.v);
  return n;
}

static Num number(double v, int decimals, int lang)
{
  Num n;
  hicov_format_number(v, decimals, lang_tag(lang), n.v, sizeof n.v);
  return n;
}

/* A target's threshold as written in a resolution: "98%", "95,15%". */
static Num threshold_text(const HicovIndicatorInfo *info, double t, int lang)
{
  if (is_rate(info))
    return pct(t, natural_decimals(t), lang);
  Num n;
  report_format_value(info, t, lang, n.v, sizeof n.v);
  return n;
}

static Num value_text(const HicovIndicatorInfo *info, double v, int lang)
{
  Num n;
  report_format_value(info, v, lang, n.v, sizeof n.v);
  return n;
}

/* A difference: points for rates, else the indicator's own unit. */
static Num diff_text(const HicovIndicatorInfo *info, double d, int lang)
{
  if (is_rate(info)) {
    Num n = number(fabs(d), 1, lang);
    strncat(n.v, lang == LANG_VI ? " điểm phần trăm" : " percentage points",
            sizeof n.v - strlen(n.v) - 1);
    return n;
  }
  return value_text(info, fabs(d), lang);
}

/* People to enrol, rounded as a report writer would: exact below 1,000,
 * to tens below 10,000, to hundreds above.  *approx says it was rounded. */
static Num people_text(double n, int lang, int *approx)
{
  double r = n;
  if (n >= 10000)
    r = nearbyint(n / 100) * 100;
  else if (n >= 1000)
    r = nearbyint(n / 10) * 10;
  *approx = r != n;
  return number(r, 0, lang);
}

/* ---- Sentences --------------------------------------------------------- */

static void add_main_sentence(Str *b, const HicovReport *rep, size_t i,
                              int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const ReportItem *it = &rep->items[i];
  const HicovTarget *t = hicov_resolution_target(rep->res, a->target_index);
  const HicovIndicatorInfo *info = it->info;
  int vi = lang == LANG_VI;
  int own = t && t->level < 0; /* the target's own unit: no name needed */
  const char *phrase = indicator_phrase(info, lang);
  Num thr = threshold_text(info, a->threshold, lang);

  if (!isfinite(a->latest_value)) {
    if (vi)
      str_add(b, "Chưa có số liệu về %s của %s để đánh giá mục tiêu %s đến "
              "năm %d", phrase, it->unit_name, thr.v, a->deadline_year);
    else
      str_add(b, "There are no figures on %s for %s to assess the target "
              "of %s by %d", phrase, it->unit_name, thr.v, a->deadline_year);
    if (a->reason[0])
      str_add(b, " (%s)", a->reason);
    str_add(b, ".");
    return;
  }

  Num val = value_text(info, a->latest_value, lang);
  /* Rounded as printed, so the sentence never says "short by 0,0". */
  double gap = a->gap;
  int rate = is_rate(info);
  if (rate && fabs(gap) < 0.05)
    gap = 0;
  if (vi) {
    str_add(b, "Đến hết năm %d%s, %s", a->latest_year,
            it->latest_estimated ? " (ước tính)" : "", phrase);
    if (!own)
      str_add(b, " của %s", it->unit_name);
    str_add(b, " đạt %s", val.v);
    if (gap > 0)
      str_add(b, ", còn thiếu %s so với mục tiêu %s",
              diff_text(info, gap, lang).v, thr.v);
    else if (gap < 0 && t && t->comparison == HICOV_CMP_AT_LEAST)
      str_add(b, ", vượt mục tiêu %s là %s", thr.v,
              diff_text(info, gap, lang).v);
    else
      str_add(b, ", đạt mục tiêu %s", thr.v);
  } else {
    str_add(b, "By the end of %d%s, %s", a->latest_year,
            it->latest_estimated ? " (estimate)" : "", phrase);
    if (!own)
      str_add(b, " in %s", it->unit_name);
    str_add(b, " %s %s", rate ? "reached" : "was", val.v);
    if (gap > 0)
      str_add(b, ", %s short of the %s target",
              diff_text(info, gap, lang).v, thr.v);
    else if (gap < 0 && t && t->comparison == HICOV_CMP_AT_LEAST)
      str_add(b, ", %s above the %s target", diff_text(info, gap, lang).v,
              thr.v);
    else
      str_add(b, ", meeting the %s target", thr.v);
  }
  if (gap > 0 && isfinite(a->participants_needed) &&
      a->participants_needed > 0) {
    int approx;
    Num n = people_text(a->participants_needed, lang, &approx);
    if (vi)
      str_add(b, "; cần thêm %s%s người tham gia", approx ? "khoảng " : "",
              n.v);
    else
      str_add(b, "; %s%s more people need to join", approx ? "about " : "",
              n.v);
  }
  str_add(b, ".");
}

static void add_baseline_sentence(Str *b, const HicovReport *rep, size_t i,
                                  int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const HicovIndicatorInfo *info = rep->items[i].info;
  if (a->baseline_year <= 0 || !isfinite(a->baseline_value) ||
      !isfinite(a->latest_value) || a->baseline_year == a->latest_year)
    return;
  int vi = lang == LANG_VI;
  Num base = value_text(info, a->baseline_value, lang);
  double d = hicov_change(a->baseline_value, a->latest_value);
  if (is_rate(info)) {
    if (fabs(d) < 0.05) {
      str_add(b, vi ? " So với năm %d (%s), không thay đổi." :
              " Compared with %d (%s), it is unchanged.",
              a->baseline_year, base.v);
      return;
    }
    str_add(b, vi ? " So với năm %d (%s), %s %s." :
            " Compared with %d (%s), that is %s %s.",
            a->baseline_year, base.v,
            vi ? (d > 0 ? "tăng" : "giảm") : diff_text(info, d, lang).v,
            vi ? diff_text(info, d, lang).v : (d > 0 ? "more" : "less"));
  } else if (a->baseline_value != 0) {
    /* the size of the growth, the direction of the change: from a negative
       baseline the growth's sign is not the direction */
    double g = hicov_growth_pct(a->baseline_value, a->latest_value);
    Num gp = pct(fabs(g), 1, lang);
    str_add(b, vi ? " So với năm %d (%s), %s %s." :
            " Compared with %d (%s), it %s by %s.",
            a->baseline_year, base.v,
            vi ? (d >= 0 ? "tăng" : "giảm") : (d >= 0 ? "rose" : "fell"),
            gp.v);
  }
}

static void add_status_sentence(Str *b, const HicovReport *rep, size_t i,
                                int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const HicovIndicatorInfo *info = rep->items[i].info;
  int vi = lang == LANG_VI;
  Num thr = threshold_text(info, a->threshold, lang);
  int rate = is_rate(info);
  int fit_first = a->fit_n > 0 ? a->fit_years[0] : 0;
  int fit_last = a->fit_n > 0 ? a->fit_years[a->fit_n - 1] : 0;

  switch (a->status) {
  case HICOV_TARGET_ACHIEVED:
    str_add(b, vi ? " Mục tiêu đã hoàn thành." : " The target has been met.");
    break;
  case HICOV_TARGET_NOT_ACHIEVED:
    str_add(b, vi ? " Mục tiêu %s đến năm %d không đạt." :
            " The target of %s by %d was not met.", thr.v, a->deadline_year);
    if (isfinite(a->projected_year) && a->fit_n >= 2) {
      if (vi)
        str_add(b, " Theo xu hướng giai đoạn %d–%d, mục tiêu sẽ đạt vào "
                "khoảng năm %d.", fit_first, fit_last,
                (int)a->projected_year);
      else
        str_add(b, " At the %d–%d trend, it would be reached around %d.",
                fit_first, fit_last, (int)a->projected_year);
    }
    break;
  case HICOV_TARGET_ON_TRACK:
  case HICOV_TARGET_AT_RISK: {
    if (isfinite(a->required_annual_change)) {
      Num c = rate ? number(a->required_annual_change, 2, lang) :
                     value_text(info, a->required_annual_change, lang);
      if (vi)
        str_add(b, " Để đạt mục tiêu vào năm %d, cần tăng bình quân %s%s "
                "mỗi năm", a->deadline_year, c.v,
                rate ? " điểm phần trăm" : "");
      else
        str_add(b, " To reach the target by %d, it must rise by %s%s a "
                "year on average", a->deadline_year, c.v,
                rate ? " percentage points" : "");
      if (isfinite(a->required_annual_growth))
        str_add(b, vi ? " (%s/năm)" : " (%s a year)",
                pct(a->required_annual_growth, 2, lang).v);
      str_add(b, ";");
    }
    if (isfinite(a->projected_value)) {
      Num p = value_text(info, a->projected_value, lang);
      if (a->status == HICOV_TARGET_ON_TRACK)
        str_add(b, vi ? " theo xu hướng hiện nay, dự kiến đạt %s vào năm %d, "
                "đúng tiến độ." : " at the current trend it is projected to "
                "reach %s in %d, on track.", p.v, a->deadline_year);
      else {
        str_add(b, vi ? " theo xu hướng hiện nay, dự kiến chỉ đạt %s vào năm "
                "%d, có nguy cơ không đạt mục tiêu" : " at the current trend "
                "it is projected to reach only %s in %d, so the target is at "
                "risk", p.v, a->deadline_year);
        if (isfinite(a->projected_year))
          str_add(b, vi ? " (theo xu hướng này, mục tiêu đạt vào khoảng năm "
                  "%d)" : " (at this trend it would be reached around %d)",
                  (int)a->projected_year);
        str_add(b, ".");
      }
    } else {
      str_add(b, vi ? " chưa đủ số liệu để dự báo." :
              " there are too few figures for a projection.");
    }
    break;
  }
  default:
    if (isfinite(a->latest_value)) {
      str_add(b, vi ? " Chưa đủ số liệu để đánh giá" :
              " There is not enough data for an assessment");
      if (a->reason[0])
        str_add(b, " (%s)", a->reason);
      str_add(b, ".");
    }
    break;
  }
}

char *report_assessment_text(const HicovReport *rep, size_t i, int lang)
{
  Str b = { 0 };
  add_main_sentence(&b, rep, i, lang);
  add_baseline_sentence(&b, rep, i, lang);
  add_status_sentence(&b, rep, i, lang);
  return str_finish(&b);
}

static const char *level_plural(int level, int lang)
{
  static const char *const vi[] = { "quốc gia", "tỉnh", "huyện", "xã",
                                    "cơ sở khám chữa bệnh" };
  static const char *const en[] = { "countries", "provinces", "districts",
                                    "communes", "facilities" };
  if (level < 0 || level > 4)
    return lang == LANG_VI ? "đơn vị" : "units";
  return lang == LANG_VI ? vi[level] : en[level];
}

char *report_target_summary_text(const HicovReport *rep, size_t t, int lang)
{
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  const ReportTargetSummary *s = &rep->targets[t];
  const HicovIndicatorInfo *info = hicov_indicator_find(tg->indicator);
  Num thr = threshold_text(info, tg->threshold, lang);
  Str b = { 0 };
  const char *what = level_plural(tg->level, lang);
  if (lang == LANG_VI) {
    str_add(&b, "Có %zu/%zu %s đã đạt mục tiêu %s (%s)",
            s->by_status[HICOV_TARGET_ACHIEVED], s->count, what, thr.v,
            indicator_phrase(info, lang));
    str_add(&b, "; %zu đúng tiến độ, %zu có nguy cơ không đạt, %zu không "
            "đạt, %zu chưa đủ số liệu.", s->by_status[HICOV_TARGET_ON_TRACK],
            s->by_status[HICOV_TARGET_AT_RISK],
            s->by_status[HICOV_TARGET_NOT_ACHIEVED],
            s->by_status[HICOV_TARGET_UNKNOWN]);
  } else {
    str_add(&b, "%zu of %zu %s have met the %s target (%s)",
            s->by_status[HICOV_TARGET_ACHIEVED], s->count, what, thr.v,
            indicator_phrase(info, lang));
    str_add(&b, "; %zu on track, %zu at risk, %zu not achieved, %zu without "
            "enough data.", s->by_status[HICOV_TARGET_ON_TRACK],
            s->by_status[HICOV_TARGET_AT_RISK],
            s->by_status[HICOV_TARGET_NOT_ACHIEVED],
            s->by_status[HICOV_TARGET_UNKNOWN]);
  }
  return str_finish(&b);
}

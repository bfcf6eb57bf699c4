/* The text catalogue: hicov_text in each language whatever the process
 * locale, the language NULL stands for, reasons and report sentences in
 * the language asked for, one source for labels, and thread safety. */
#include <pthread.h>
#include <stdlib.h>

#include "fixture.h"
#include "hicov-private.h"
#include "hicov-report.h"
#include "testutil.h"

/* The environment a test sets; NULL unsets. */
static void env(const char *language, const char *lc_all,
                const char *lc_messages, const char *lang)
{
  const char *names[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
  const char *values[] = { language, lc_all, lc_messages, lang };
  for (int i = 0; i < 4; i++) {
    if (values[i])
      setenv(names[i], values[i], 1);
    else
      unsetenv(names[i]);
  }
}

static void test_lookup(void)
{
  CHECK_STR(hicov_text("vi", "invalid period"), "kỳ không hợp lệ");
  CHECK_STR(hicov_text("vi_VN.UTF-8", "invalid period"), "kỳ không hợp lệ");
  CHECK_STR(hicov_text("en", "invalid period"), "invalid period");
  CHECK_STR(hicov_text("fr", "invalid period"), "invalid period");
  /* a context: Vietnamese from its entry, English without the context */
  CHECK_STR(hicov_text("vi", "report\004Total"), "Toàn tỉnh");
  CHECK_STR(hicov_text("en", "report\004Total"), "Total");
  /* no translation: the msgid, as gettext gives */
  CHECK_STR(hicov_text("vi", "no such message"), "no such message");
  CHECK_STR(hicov_text("vi", "nowhere\004no such message"), "no such message");
  CHECK(hicov_text("vi", NULL) == NULL);
  /* the table is in strcmp order without duplicates (bsearch needs it) */
  for (size_t i = 1; i < hicov_text_vi_count; i++)
    CHECK(strcmp(hicov_text_vi[i - 1].msgid, hicov_text_vi[i].msgid) < 0);
  CHECK(hicov_text_vi_count > 500);
}

/* Counted texts: Vietnamese has one form, msgstr[0] of the plural entry
 * (csrc/po/vi.po), for every n; English takes gettext's rule. */
static void test_plural(void)
{
  const char *one = "The %zu lowest of %zu unit";
  const char *many = "The %zu lowest of %zu units";
  const char *vi = "%zu đơn vị thấp nhất trong %zu đơn vị";
  CHECK_STR(hicov_ntext("vi", one, many, 1), vi);
  CHECK_STR(hicov_ntext("vi", one, many, 0), vi);
  CHECK_STR(hicov_ntext("vi_VN.UTF-8", one, many, 25), vi);
  CHECK_STR(hicov_ntext("en", one, many, 1), one);
  CHECK_STR(hicov_ntext("en", one, many, 0), many);
  CHECK_STR(hicov_ntext("en", one, many, 25), many);
  /* the singular is also the entry's key for hicov_text */
  CHECK_STR(hicov_text("vi", one), vi);
  CHECK_STR(hicov_ntext("vi", " and %zu more", " and %zu more", 2),
            " và %zu đơn vị khác");
  /* no translation: the English rule, in Vietnamese too; a context is
   * dropped from the singular */
  CHECK_STR(hicov_ntext("vi", "%zu thing", "%zu things", 1), "%zu thing");
  CHECK_STR(hicov_ntext("vi", "%zu thing", "%zu things", 2), "%zu things");
  CHECK_STR(hicov_ntext("en", "ctx\004%zu thing", "%zu things", 1),
            "%zu thing");
  CHECK_STR(hicov_ntext("en", "ctx\004%zu thing", "%zu things", 3),
            "%zu things");
  CHECK(hicov_ntext("vi", NULL, NULL, 1) == NULL);
}

static void test_process_language(void)
{
  /* This program never calls setlocale: the environment decides, whether
   * or not the locale it names is installed (vi_XX is not). */
  env(NULL, NULL, NULL, "vi_VN.UTF-8");
  CHECK_STR(hicov_text_lang(NULL), "vi");
  CHECK_STR(hicov_text(NULL, "invalid period"), "kỳ không hợp lệ");
  env(NULL, NULL, NULL, "vi_XX.UTF-8");
  CHECK_STR(hicov_text_lang(NULL), "vi");
  env(NULL, NULL, NULL, "en_US.UTF-8");
  CHECK_STR(hicov_text_lang(NULL), "en");
  env(NULL, NULL, NULL, NULL);
  CHECK_STR(hicov_text_lang(NULL), "en");
  /* LC_ALL before LC_MESSAGES before LANG */
  env(NULL, "en_US.UTF-8", "vi_VN.UTF-8", "vi_VN.UTF-8");
  CHECK_STR(hicov_text_lang(NULL), "en");
  env(NULL, NULL, "vi_VN.UTF-8", "en_US.UTF-8");
  CHECK_STR(hicov_text_lang(NULL), "vi");
  /* LANGUAGE, a list: the first language we have wins */
  env("fr:vi:en", NULL, NULL, "en_US.UTF-8");
  CHECK_STR(hicov_text_lang(NULL), "vi");
  env("en_GB:vi", NULL, NULL, "vi_VN.UTF-8");
  CHECK_STR(hicov_text_lang(NULL), "en");
  env("fr", NULL, NULL, "vi_VN.UTF-8");
  CHECK_STR(hicov_text_lang(NULL), "en");
  /* ... but not under the C locale, as gettext ignores it there */
  env("vi", "C.UTF-8", NULL, "vi_VN.UTF-8");
  CHECK_STR(hicov_text_lang(NULL), "en");
  env("vi", NULL, NULL, "C");
  CHECK_STR(hicov_text_lang(NULL), "en");
  /* a tag is never the environment's */
  CHECK_STR(hicov_text_lang("vi"), "vi");
  CHECK_STR(hicov_text_lang("en"), "en");
  CHECK_STR(hicov_text_lang("C"), "en");
}

static void test_reasons(void)
{
  HicovDataset *ds = fixture_load();
  CHECK(ds != NULL);
  if (!ds)
    return;
  HicovResult r;
  /* The process says English; the dataset speaks Vietnamese. */
  env(NULL, "C.UTF-8", NULL, "en_US.UTF-8");
  CHECK(hicov_dataset_lang(ds) == NULL);
  CHECK_INT(hicov_dataset_set_lang(ds, "vi_VN.UTF-8"), HICOV_OK);
  CHECK_STR(hicov_dataset_lang(ds), "vi");
  CHECK_INT(hicov_indicator_value(ds, "coverage_rate", "A",
                                  hicov_period_year(2026), NULL, &r), HICOV_OK);
  CHECK_INT(r.status, HICOV_MISSING);
  CHECK_STR(r.reason, "Xã A (A) đã sáp nhập vào Xã Mới (N) từ 2025-07");
  /* A reason built from another keeps one language. */
  CHECK_INT(hicov_indicator_value(ds, "visits_growth", "F1",
                                  hicov_period_year(2023), NULL, &r), HICOV_OK);
  CHECK_STR(r.reason, "không có giá trị so sánh của kỳ 2022: không có số "
            "liệu lượt khám chữa bệnh của Trạm y tế xã A (F1) trong kỳ 2022-01 (cần "
            "cho kỳ 2022)");
  CHECK_INT(hicov_indicator_value(ds, "nope", "A", hicov_period_year(2024),
                                  NULL, &r), HICOV_NOTFOUND);
  CHECK_STR(hicov_dataset_errmsg(ds), "không có chỉ số 'nope'");

  /* The process says Vietnamese; the dataset speaks English. */
  env(NULL, NULL, NULL, "vi_VN.UTF-8");
  CHECK_INT(hicov_dataset_set_lang(ds, "en"), HICOV_OK);
  CHECK_INT(hicov_indicator_value(ds, "coverage_rate", "A",
                                  hicov_period_year(2026), NULL, &r), HICOV_OK);
  CHECK_STR(r.reason, "Xã A (A) was merged into Xã Mới (N) from 2025-07");
  CHECK_INT(hicov_indicator_value(ds, "visits", "D1",
                                  hicov_period_month(2024, 2), NULL, &r),
            HICOV_OK);
  CHECK_STR(r.reason, "visits missing for 1 of 2 units below Huyện Một (D1) "
            "in 2024-02 (first: Bệnh viện huyện (F2))");

  /* NULL follows the process, looked up at each call. */
  CHECK_INT(hicov_dataset_set_lang(ds, NULL), HICOV_OK);
  CHECK(hicov_dataset_lang(ds) == NULL);
  CHECK_INT(hicov_indicator_value(ds, "visits", "D1",
                                  hicov_period_month(2024, 2), NULL, &r),
            HICOV_OK);
  CHECK_STR(r.reason, "thiếu lượt khám chữa bệnh của 1/2 đơn vị trực thuộc "
            "Huyện Một (D1) trong kỳ 2024-02 (đơn vị đầu tiên: Bệnh viện "
            "huyện (F2))");
  env(NULL, NULL, NULL, "C.UTF-8");
  CHECK_INT(hicov_indicator_value(ds, "visits", "D1",
                                  hicov_period_month(2024, 2), NULL, &r),
            HICOV_OK);
  CHECK_STR(r.reason, "visits missing for 1 of 2 units below Huyện Một (D1) "
            "in 2024-02 (first: Bệnh viện huyện (F2))");

  /* Findings and rejections too. */
  hicov_dataset_set_lang(ds, "vi");
  static const char bad[] = "unit,period,measure,value\nA,20x4,visits,1\n";
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "v.csv", bad, sizeof bad - 1,
                                             HICOV_LOAD_STRICT), HICOV_PARSE);
  CHECK_STR(hicov_dataset_errmsg(ds), "v.csv dòng 2, cột 2 (period): cần kỳ "
            "dạng 2024, 2024-Q3, 2024-10 hoặc 2025-01/2025-10, nhưng gặp "
            "'20x4'");
  hicov_dataset_free(ds);
}

/* A target the fixture cannot assess: the facility F2 has no population.
 * Each sentence gives the reason in its own language. */
static void test_report_reasons(void)
{
  HicovDataset *ds = fixture_load();
  HicovResolution *res = NULL;
  HicovTarget t = { "coverage_rate", "F2", -1, 95, HICOV_CMP_AT_LEAST, 2030,
                    0, NULL };
  CHECK(ds && hicov_resolution_new("HĐND", "01/NQ", "Thử", 2025, 2030,
                                   &res) == HICOV_OK);
  if (!ds || !res)
    return;
  CHECK_INT(hicov_resolution_add_target(res, &t), HICOV_OK);
  env(NULL, NULL, NULL, "C.UTF-8");
  HicovReport *rep = NULL;
  CHECK_INT(hicov_report_new(ds, res, "vi", &rep), HICOV_OK);
  CHECK_STR(hicov_report_sentence(rep, 0, "vi"),
            "Chưa có số liệu về tỷ lệ bao phủ của Bệnh viện huyện để đánh giá "
            "chỉ tiêu 95% đến năm 2030 (không có giá trị năm của coverage_rate "
            "cho Bệnh viện huyện (F2)).");
  CHECK_STR(hicov_report_sentence(rep, 0, "en"),
            "There are no figures on health-insurance coverage for Bệnh viện "
            "huyện to assess the target of 95% by 2030 (no annual value of "
            "coverage_rate for Bệnh viện huyện (F2)).");
  /* the dataset's own language is left as it was */
  CHECK(hicov_dataset_lang(ds) == NULL);
  hicov_report_free(rep);
  hicov_resolution_free(res);
  hicov_dataset_free(ds);
}

/* Labels: one source in the core, each translated. */
static void test_labels(void)
{
  for (size_t i = 0; i < hicov_indicator_count(); i++) {
    const HicovIndicatorInfo *info = hicov_indicator_info(i);
    const char *vi = hicov_indicator_label(info, "vi");
    CHECK_STR(hicov_indicator_label(info, "en"), info->label);
    if (!strcmp(vi, info->label))
      fprintf(stderr, "indicator %s: no Vietnamese label\n", info->name);
    CHECK(strcmp(vi, info->label) != 0);
  }
  for (size_t i = 0; i < hicov_measure_count(); i++) {
    const HicovMeasureInfo *m = hicov_measure_info(i);
    CHECK(strcmp(hicov_measure_label(m, "vi"), m->label) != 0);
  }
  CHECK_STR(hicov_indicator_label(hicov_indicator_find("coverage_rate"), "vi"),
            "Tỷ lệ bao phủ BHYT");
  CHECK_STR(hicov_indicator_label(hicov_indicator_find("visits_growth"), "vi"),
            "Tăng trưởng lượt khám chữa bệnh");
  static const char *const groups[] = {
    "DN", "HX", "CH", "NN", "TK", "HC", "XK", "HT", "TB", "NO", "CT", "XB",
    "TN", "CS", "QN", "CA", "CY", "XN", "MS", "CC", "CK", "CB", "KC", "HD",
    "TE", "BT", "HN", "DT", "DK", "XD", "TS", "TC", "TQ", "TA", "TY", "HG",
    "LS", "PV", "CN", "HS", "SV", "GB", "GD" };
  for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
    const char *en = hicov_group_label(groups[i]);
    CHECK(en != NULL);
    CHECK_STR(hicov_group_label_lang(groups[i], "en"), en);
    CHECK(en && strcmp(hicov_group_label_lang(groups[i], "vi"), en) != 0);
  }
  CHECK_STR(hicov_group_label_lang("HN", "vi"), "Hộ nghèo");
  CHECK_STR(hicov_group_label_lang("CN", "vi"), "Hộ cận nghèo");
  CHECK_STR(hicov_group_label_lang("HS", "en"), "Pupils");
  CHECK(hicov_group_label_lang("ZZ", "vi") == NULL);
  CHECK_STR(hicov_level_label(HICOV_LEVEL_PROVINCE, "vi"), "Tỉnh");
  CHECK_STR(hicov_level_label(HICOV_LEVEL_COMMUNE, "en"), "Commune");
  CHECK(hicov_level_label(9, "vi") == NULL);
  CHECK_STR(hicov_level_plural(HICOV_LEVEL_DISTRICT, "vi"), "huyện");
  CHECK_STR(hicov_level_plural(-1, "en"), "units");
  CHECK_STR(hicov_target_status_label(HICOV_TARGET_AT_RISK, "vi"),
            "Có nguy cơ không đạt");
  CHECK_STR(hicov_target_status_label(HICOV_TARGET_ON_TRACK, "en"),
            "On track");
  CHECK_STR(hicov_target_status_label(42, "en"), "Not enough data");
}

/* Reasons name a unit as "name (code)", a unit without a name by its code,
 * and a reason too long for HICOV_REASON_MAX is cut on a character
 * boundary. */
static void test_reason_names(void)
{
  /* "ỳ" is 3 bytes: a name of "x" and 100 of them is 301 bytes; its text
   * fits a HICOV_UNIT_TEXT_MAX (200) buffer as "x" and 66 of them (199
   * bytes), " (L)" cut off. */
  char lname[302] = "x";
  for (int i = 0; i < 100; i++)
    strcat(lname, "ỳ");
  HicovDataset *ds = NULL;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  if (!ds)
    return;
  HicovUnit p = { "P", "Tỉnh Thử", NULL, HICOV_LEVEL_PROVINCE, 0, 0, NULL,
                  0, 0 };
  HicovUnit x = { "X", "", "P", HICOV_LEVEL_COMMUNE, 0, 0, NULL, 0, 0 };
  HicovUnit l = { "L", lname, "P", HICOV_LEVEL_COMMUNE, 0, 0, NULL, 0, 0 };
  CHECK_INT(hicov_dataset_add_unit(ds, &p), HICOV_OK);
  CHECK_INT(hicov_dataset_add_unit(ds, &x), HICOV_OK);
  CHECK_INT(hicov_dataset_add_unit(ds, &l), HICOV_OK);
  CHECK_INT(hicov_dataset_add_value(ds, "X", "visits", NULL,
                                    hicov_period_month(2024, 1), 500, NULL),
            HICOV_OK);
  CHECK_INT(hicov_dataset_add_value(ds, "L", "visits", NULL,
                                    hicov_period_month(2023, 1), 700, NULL),
            HICOV_OK);
  CHECK_INT(hicov_dataset_set_lang(ds, "en"), HICOV_OK);
  HicovResult r;
  /* X has January only: no name, so its code alone */
  CHECK_INT(hicov_indicator_value(ds, "visits", "X", hicov_period_year(2024),
                                  NULL, &r), HICOV_OK);
  CHECK_INT(r.status, HICOV_MISSING);
  CHECK_STR(r.reason, "no visits data for X in 2024-02 (needed for 2024)");
  CHECK_INT(hicov_dataset_set_lang(ds, "vi"), HICOV_OK);
  CHECK_INT(hicov_indicator_value(ds, "visits", "X", hicov_period_year(2024),
                                  NULL, &r), HICOV_OK);
  CHECK_STR(r.reason, "không có số liệu lượt khám chữa bệnh của X trong kỳ "
            "2024-02 (cần cho kỳ 2024)");
  /* P: X has a value for 2024-01, L (which reports visits) none.  The
   * English prefix up to "(first: " is 74 bytes ("Tỉnh Thử" 12), L's text
   * 199, ")" 1: 274 in all, whole. */
  CHECK_INT(hicov_dataset_set_lang(ds, "en"), HICOV_OK);
  CHECK_INT(hicov_indicator_value(ds, "visits", "P",
                                  hicov_period_month(2024, 1), NULL, &r),
            HICOV_OK);
  char want[HICOV_REASON_MAX] = "visits missing for 1 of 2 units below "
                                "Tỉnh Thử (P) in 2024-01 (first: x";
  CHECK_INT((long)strlen(want), 75);
  for (int i = 0; i < 66; i++)
    strcat(want, "ỳ");
  strcat(want, ")");
  CHECK_STR(r.reason, want);
  /* In Vietnamese the prefix "thiếu lượt khám chữa bệnh của 1/2 đơn vị
   * trực thuộc Tỉnh Thử (P) trong kỳ 2024-01 (đơn vị đầu tiên: " is 134
   * bytes: of the 319 a reason holds, 185 are left after it, "x" and 61
   * "ỳ" (184 bytes) and 1 byte of the 62nd, which is dropped. */
  CHECK_INT(hicov_dataset_set_lang(ds, "vi"), HICOV_OK);
  CHECK_INT(hicov_indicator_value(ds, "visits", "P",
                                  hicov_period_month(2024, 1), NULL, &r),
            HICOV_OK);
  hicov_fmt(want, sizeof want, "%s", "thiếu lượt khám chữa bệnh của 1/2 đơn "
            "vị trực thuộc Tỉnh Thử (P) trong kỳ 2024-01 (đơn vị đầu tiên: x");
  CHECK_INT((long)strlen(want), 135);
  for (int i = 0; i < 61; i++)
    strcat(want, "ỳ");
  CHECK_INT((long)strlen(r.reason), 318);
  CHECK_STR(r.reason, want);
  hicov_dataset_free(ds);
}

/* Cut short on a character boundary: "kỳ" is 6b E1 BB B3. */
static void test_utf8_cut(void)
{
  char buf[4];
  hicov_fmt(buf, sizeof buf, "%s", "kỳ không");
  CHECK_STR(buf, "k");
  char buf2[5];
  hicov_fmt(buf2, sizeof buf2, "%s", "kỳ không");
  CHECK_STR(buf2, "kỳ");
  char buf3[3];
  hicov_fmt(buf3, sizeof buf3, "%s", "ab");
  CHECK_STR(buf3, "ab");
}

/* Lookups from several threads at once, in both languages. */
static void *lookups(void *arg)
{
  const char *lang = arg;
  long bad = 0;
  for (int i = 0; i < 20000; i++) {
    const char *s = hicov_text(lang, "invalid period");
    const char *want = lang[0] == 'v' ? "kỳ không hợp lệ" : "invalid period";
    bad += strcmp(s, want) != 0;
    bad += strcmp(hicov_group_label_lang("HN", lang),
                  lang[0] == 'v' ? "Hộ nghèo" : "Poor households") != 0;
  }
  return (void *)bad;
}

static void test_threads(void)
{
  pthread_t th[4];
  static char vi[] = "vi", en[] = "en";
  for (int i = 0; i < 4; i++)
    CHECK_INT(pthread_create(&th[i], NULL, lookups, i % 2 ? vi : en), 0);
  for (int i = 0; i < 4; i++) {
    void *bad;
    pthread_join(th[i], &bad);
    CHECK_INT((long)bad, 0);
  }
}

int main(void)
{
  test_lookup();
  test_plural();
  test_process_language();
  test_reasons();
  test_report_reasons();
  test_reason_names();
  test_labels();
  test_utf8_cut();
  test_threads();
  return test_finish("test-text");
}

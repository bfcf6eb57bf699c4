/* text.c - the text catalogue: user-visible text in Vietnamese or English.
 *
 * The English text is the message id; csrc/po/vi.po holds the Vietnamese,
 * compiled at build time (csrc/po/embed.py) into a table sorted by message
 * id (text-vi.c), so a lookup is a binary search and needs neither an
 * installed catalogue nor a generated vi_VN locale: glibc's gettext follows
 * the process locale and gives English when vi_VN is not installed.  The
 * dashboard reads the same vi.po through glibc's gettext (hicov.mo) for its
 * GtkBuilder files. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "util-private.h"
#include "hicov-format.h"

/* A language name that starts with lang followed by the end or a
 * separator: "vi", "vi_VN.UTF-8", "vi-VN", "vi@x". */
static int names_lang(const char *s, size_t len, const char *lang)
{
  size_t n = strlen(lang);
  return len >= n && !strncmp(s, lang, n) &&
         (len == n || s[n] == '_' || s[n] == '-' || s[n] == '.' ||
          s[n] == '@');
}

static int is_c_locale(const char *loc)
{
  return !strcmp(loc, "C") || !strcmp(loc, "POSIX") ||
         !strncmp(loc, "C.", 2) || !strncmp(loc, "C@", 2);
}

/* The message language gettext would pick: LANGUAGE (a list; we know vi
 * and en) unless the message locale is C, where gettext ignores it; else
 * the message locale.  The locale is the one the program set if it set one
 * (setlocale), else what the environment names (LC_ALL, LC_MESSAGES, LANG),
 * so that a program that never calls setlocale, or whose vi_VN locale is
 * not installed, still gets the language its environment asks for. */
static const char *process_lang(void)
{
  const char *loc = setlocale(LC_MESSAGES, NULL);
  if (!loc || is_c_locale(loc)) {
    static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
    loc = NULL;
    for (size_t i = 0; i < 3 && !loc; i++) {
      const char *v = getenv(vars[i]);
      if (v && v[0])
        loc = v;
    }
  }
  if (!loc || is_c_locale(loc))
    return "en";
  const char *list = getenv("LANGUAGE");
  if (list && list[0]) {
    for (const char *s = list; *s;) {
      size_t len = strcspn(s, ":");
      if (names_lang(s, len, "vi"))
        return "vi";
      if (names_lang(s, len, "en"))
        return "en";
      s += len;
      if (*s == ':')
        s++;
    }
    return "en"; /* no catalogue for any of them: gettext's msgid */
  }
  return names_lang(loc, strlen(loc), "vi") ? "vi" : "en";
}

/* Here rather than in format.c, which takes its words from the catalogue:
 * the catalogue needs nothing of the formatting. */
int hicov_format_is_vi(const char *lang)
{
  return lang && (lang[0] == 'v' || lang[0] == 'V') &&
         (lang[1] == 'i' || lang[1] == 'I') &&
         (lang[2] == '\0' || lang[2] == '_' || lang[2] == '-' ||
          lang[2] == '.');
}

const char *hicov_text_lang(const char *lang)
{
  if (!lang)
    return process_lang();
  return hicov_format_is_vi(lang) ? "vi" : "en";
}

static int entry_cmp(const void *key, const void *elem)
{
  return strcmp((const char *)key, ((const HicovTextEntry *)elem)->msgid);
}

/* The Vietnamese of msgid, NULL when lang is not Vietnamese or the
 * catalogue has no translation. */
static const char *lookup_vi(const char *lang, const char *msgid)
{
  if (strcmp(hicov_text_lang(lang), "vi"))
    return NULL;
  const HicovTextEntry *e = bsearch(msgid, hicov_text_vi, hicov_text_vi_count,
                                    sizeof *hicov_text_vi, entry_cmp);
  return e ? e->msgstr : NULL;
}

/* The English of a message id: without its context ("context\004text", as
 * gettext's pgettext keys it). */
static const char *english(const char *msgid)
{
  const char *eot = strchr(msgid, '\004');
  return eot ? eot + 1 : msgid;
}

const char *hicov_text(const char *lang, const char *msgid)
{
  if (!msgid)
    return NULL;
  const char *vi = lookup_vi(lang, msgid);
  return vi ? vi : english(msgid);
}

const char *hicov_ntext(const char *lang, const char *msgid,
                        const char *msgid_plural, unsigned long n)
{
  if (!msgid || !msgid_plural)
    return msgid ? hicov_text(lang, msgid) : msgid_plural;
  /* Vietnamese has one plural form (Plural-Forms: nplurals=1, which
   * embed.py checks): the entry's msgstr[0], keyed by the singular. */
  const char *vi = lookup_vi(lang, msgid);
  if (vi)
    return vi;
  /* English, or no translation: gettext's rule for the msgids */
  return n == 1 ? english(msgid) : msgid_plural;
}

/* ---- Labels with one source ---------------------------------------------- */

/* The labels of the growth indicators, which indicators.c builds as
 * "Growth of " + a noun (its GROWTH macro), spelled out for xgettext;
 * test-text.c checks that every indicator's label is translated. */
static const char *const growth_labels[] __attribute__((unused)) = {
  N_("Growth of population"), N_("Growth of participants"),
  N_("Growth of visits"), N_("Growth of inpatient visits"),
  N_("Growth of inpatient days"), N_("Growth of total cost"),
  N_("Growth of fund payments"), N_("Growth of co-payments"),
  N_("Growth of revenue"), N_("Growth of check-ins"),
  N_("Growth of successful check-ins"), N_("Growth of patients"),
  N_("Growth of high-cost patients"), N_("Growth of very high-cost patients"),
  N_("Growth of coverage rate"), N_("Growth of cost per visit"),
  N_("Growth of cost per participant"), N_("Growth of fund balance"),
  N_("Growth of fund usage"), N_("Growth of inpatient share"),
  N_("Growth of length of stay"), N_("Growth of commune visit share"),
  N_("Growth of check-in success"), N_("Growth of data-quality findings"),
};

const char *hicov_level_label(int level, const char *lang)
{
  static const char *const labels[] = { N_("Country"), N_("Province"),
                                        N_("District"), N_("Commune"),
                                        N_("Facility") };
  if (level < 0 || level > HICOV_LEVEL_FACILITY)
    return NULL;
  return hicov_text(lang, labels[level]);
}

const char *hicov_level_word(int level, const char *lang)
{
  static const char *const words[] = {
    NC_("level in a sentence", "country"),
    NC_("level in a sentence", "province"),
    NC_("level in a sentence", "district"),
    NC_("level in a sentence", "commune"),
    NC_("level in a sentence", "facility") };
  if (level < 0 || level > HICOV_LEVEL_FACILITY)
    return "?";
  return hicov_text(lang, words[level]);
}

const char *hicov_measure_word(const char *name, const char *lang)
{
  /* the msgid is the measure's name, so English stays the name itself */
  static const char *const words[] = {
    NC_("measure in a sentence", "population"),
    NC_("measure in a sentence", "participants"),
    NC_("measure in a sentence", "visits"),
    NC_("measure in a sentence", "inpatient_visits"),
    NC_("measure in a sentence", "inpatient_days"),
    NC_("measure in a sentence", "total_cost"),
    NC_("measure in a sentence", "fund_paid"),
    NC_("measure in a sentence", "copay"),
    NC_("measure in a sentence", "fund_revenue"),
    NC_("measure in a sentence", "card_checkins"),
    NC_("measure in a sentence", "card_checkins_ok"),
    NC_("measure in a sentence", "patients"),
    NC_("measure in a sentence", "patients_500m"),
    NC_("measure in a sentence", "patients_1b") };
  if (!name)
    return "?";
  size_t ctx = sizeof "measure in a sentence"; /* with its \004 */
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (!strcmp(words[i] + ctx, name))
      return hicov_text(lang, words[i]);
  return name;
}

const char *hicov_level_plural(int level, const char *lang)
{
  static const char *const labels[] = {
    NC_("level, plural", "countries"), NC_("level, plural", "provinces"),
    NC_("level, plural", "districts"), NC_("level, plural", "communes"),
    NC_("level, plural", "facilities") };
  if (level < 0 || level > HICOV_LEVEL_FACILITY)
    return hicov_text(lang, NC_("level, plural", "units"));
  return hicov_text(lang, labels[level]);
}

const char *hicov_target_status_label(int status, const char *lang)
{
  static const char *const labels[] = {
    NC_("target status", "Not enough data"), NC_("target status", "Achieved"),
    NC_("target status", "On track"), NC_("target status", "At risk"),
    NC_("target status", "Not achieved") };
  if (status < HICOV_TARGET_UNKNOWN || status > HICOV_TARGET_NOT_ACHIEVED)
    status = HICOV_TARGET_UNKNOWN;
  return hicov_text(lang, labels[status]);
}

const char *hicov_status_label_full(int status, int estimated,
                                    int achieved_late, const char *lang)
{
  if (status == HICOV_TARGET_NOT_ACHIEVED && achieved_late)
    return TC_(lang, "target status", "Achieved late");
  if (estimated && status == HICOV_TARGET_ACHIEVED)
    return TC_(lang, "target status", "Estimated achieved");
  if (estimated && status == HICOV_TARGET_NOT_ACHIEVED)
    return TC_(lang, "target status", "Estimated not achieved");
  return hicov_target_status_label(status, lang);
}

const char *hicov_indicator_label(const HicovIndicatorInfo *info,
                                  const char *lang)
{
  if (!info)
    return NULL;
  return hicov_text(lang, info->label ? info->label : info->name);
}

const char *hicov_measure_label(const HicovMeasureInfo *info,
                                const char *lang)
{
  if (!info)
    return NULL;
  return hicov_text(lang, info->label ? info->label : info->name);
}

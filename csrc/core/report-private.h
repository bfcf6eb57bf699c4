/* report-private.h - the report model shared by report.c (core),
 * report-xml.c (xml) and report-pdf.c (chart).  Not API. */
#ifndef HICOV_REPORT_PRIVATE_H
#define HICOV_REPORT_PRIVATE_H

#include <stdarg.h>
#include <stdio.h>

#include "hicov-private.h"
#include "hicov-report.h"
#include "hicov-format.h"

#define REPORT_MAX_COLS 8

/* Memory handed to callers ("caller frees with hicov_free") must come from
 * the core's allocator. */
#define report_malloc hicov_malloc
#define report_calloc hicov_calloc
#define report_realloc hicov_realloc
#define report_free hicov_free
#define report_strdup hicov_strdup

enum { LANG_VI = 0, LANG_EN = 1 };

/* A column of a table: a level indicator. */
typedef struct {
  const HicovIndicatorInfo *info; /* static, from the core */
} ReportColumn;

typedef struct {
  char *key;   /* unit code, or the period text ("2024") */
  char *label; /* unit name, or the period text */
  int is_total;                   /* the subject unit's own row */
  int synthetic;                  /* the unit is synthetic (demo data) */
  double values[REPORT_MAX_COLS]; /* NaN when missing */
  char *reasons[REPORT_MAX_COLS]; /* why missing, NULL when present */
  unsigned char estimate[REPORT_MAX_COLS]; /* rests on a crosswalk share */
} ReportRow;

typedef struct {
  const char *id;    /* "coverage-by-unit", "spending-by-unit", "by-year" */
  int by_year;       /* rows are years of the subject unit, on the
                        boundaries of the last (HicovReport.boundary_month) */
  HicovPeriod period;/* by-unit tables: the period of every row */
  size_t ncols;
  ReportColumn cols[REPORT_MAX_COLS];
  size_t nrows;
  ReportRow *rows;
} ReportTable;

typedef struct {
  char *path;
  char *role;
  char sha256[65];
  uint64_t bytes;
} ReportInput;

/* Per assessment: what the writers need besides HicovAssessment. */
typedef struct {
  char *unit_name;                 /* name of the assessed unit */
  const HicovIndicatorInfo *info;  /* the target's indicator */
  char *text[2];                   /* sentences, [LANG_VI], [LANG_EN] */
  char *reason[2];                 /* the assessment's reason in each
                                      language, NULL when it has none */
  int latest_estimated;            /* the latest value is an estimate */
  int synthetic;                   /* the unit is synthetic (demo data) */
} ReportItem;

/* A unit that joined the subject within the data's years (merged into it,
 * or a share of it split into it): the report's provenance names it. */
typedef struct {
  char *code, *name;
  char joined[16];   /* "2025-07-01" */
  double share;      /* 1 for a merger */
} ReportPredecessor;

/* Per target: tallies over its assessments, the verdict on the target as
 * a whole, what the subject's own figure is, and its texts. */
typedef struct {
  size_t first, count;   /* its assessments: [first, first + count) */
  size_t by_status[5];   /* count per HicovTargetStatus */
  char *summary[2];      /* sentence for level targets, else NULL */
  HicovTargetVerdict verdict;
  /* Targets over units: the target's measure for the target's unit itself
   * (the province's figure on a target for its communes), assessed as if
   * it were its own target; has_subject 0 when it could not be. */
  int has_subject;
  HicovAssessment subject;
  char *text[2];         /* the target in short: "Tỷ lệ bao phủ BHYT ≥ 98%
                            (2025)", "Mọi xã: ..." */
  char *headline[2];     /* the title page's line: the subject's figure,
                            x/N units, the verdict */
  /* Targets over units: how unequal the target's indicator is across
   * those units (hicov_equity) in the latest year it can be computed;
   * has_equity 0 when in none. */
  int has_equity;
  int equity_year;
  HicovEquity equity;    /* its unit codes point to equity_units (the
                            dataset is not kept), the exclusions' are NULL */
  char *equity_units[2]; /* copies of the high and low units' codes */
  char *equity_text[2];  /* "Chênh lệch giữa các xã (2025, 22 đơn vị): ..." */
} ReportTargetSummary;

/* Findings of one kind about one period, in one sentence. */
typedef struct {
  int kind;              /* HicovFindingKind */
  int severity;          /* the worst of them */
  size_t count;          /* findings */
  size_t nunits;         /* distinct units */
  char *text[2];         /* the group in each language */
} ReportFindingGroup;

/* A figure drawn as a PNG by the chart layer (hicov_report_draw_figures),
 * for the documents and the HTML page. */
typedef struct {
  char *id;              /* "trend-1", "ranking-2", ... */
  char *title;           /* its caption, in the report's language */
  size_t target;         /* the target it illustrates (0-based) */
  unsigned char *png;
  size_t len;
  int width, height;     /* pixels */
  double dpi;            /* pixels per inch it was drawn at */
} ReportFigure;

/* The issuer profile (hicov_report_set_issuer), copied. */
typedef struct {
  char *parent_agency, *agency, *number, *place, *signer_authority,
      *signer_title, *signer_name, *summary, *archive;
  char **recipients;
  size_t nrecipients;
} ReportIssuer;

/* A growing string; report_str_finish returns it (caller frees) or NULL
 * when an allocation failed on the way. */
typedef struct {
  char *s;
  size_t len, cap;
  int failed;
} ReportStr;
void report_str_add(ReportStr *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *report_str_finish(ReportStr *b);

/* A formatted number or value. */
typedef struct {
  char v[96];
} ReportNum;

struct HicovReport {
  int lang;
  const char *msg_lang;  /* of errmsg: the dataset's ("vi", "en", NULL) */
  int64_t generated;
  char errmsg[512];

  HicovResolution *res;
  char *subject_code;  /* unit of the first target */
  char *subject_name;
  int subject_level;
  int first_year, last_year; /* years with data in the dataset */

  HicovAssessment *assess;
  size_t nassess;
  ReportItem *items;     /* nassess */
  ReportTargetSummary *targets; /* one per resolution target */
  size_t ntargets;

  ReportTable tables[3];
  size_t ntables;

  HicovFinding *findings;
  size_t nfindings;
  ReportFindingGroup *groups;
  size_t ngroups;

  ReportFigure *figures;
  size_t nfigures;
  ReportIssuer issuer;
  int has_synthetic;     /* some unit shown is synthetic */

  char *source;          /* "built-in demo" etc., may be NULL */
  ReportInput *inputs;
  size_t ninputs;
  /* The dataset state a report loaded from a state was rebuilt from
   * (csrc/exchange/report-state.c), for serialising it again; NULL for a
   * report from hicov_report_new. */
  void *state_ds;
  size_t state_ds_len;

  /* The boundaries comparisons, the by-year table, the fit and the
   * baseline are on: the dataset's setting (HicovBoundaries) and the month
   * (the data's last: -1 as published); the units that joined the subject. */
  int boundaries;
  int boundary_month;
  ReportPredecessor *preds;
  size_t npreds;
  char *boundaries_text[2]; /* the basis stated, [LANG_VI], [LANG_EN] */
};

/* report.c */
void report_set_error(HicovReport *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* ISO 8601 UTC "2026-11-23T11:05:29Z" of t into buf (>= 21 bytes). */
void report_format_time(int64_t t, char *buf, size_t size);
/* Shortest decimal text that reads back as exactly v ("94.1"); never uses
 * an exponent, so it is a valid xs:decimal.  buf >= 400 bytes. */
void report_format_double(double v, char *buf, size_t size);
/* Frees rep's figures. */
void report_clear_figures(HicovReport *rep);
/* Status token used in XML ("not-achieved"). */
const char *report_status_token(int status);

/* report-text.c: labels, numbers and the small parts of sentences */
const char *report_lang_tag(int lang);
int report_is_rate(const HicovIndicatorInfo *info);
const char *report_indicator_phrase(const HicovIndicatorInfo *info,
                                    int lang);
ReportNum report_pct_num(double v, int decimals, int lang);
ReportNum report_number_num(double v, int decimals, int lang);
/* A threshold as a resolution writes it: "98%", "1,3 triệu đồng". */
ReportNum report_threshold_num(const HicovIndicatorInfo *info, double t,
                               int lang);
ReportNum report_value_num(const HicovIndicatorInfo *info, double v,
                           int lang);
/* |d| in points for rates, else in the indicator's unit. */
ReportNum report_diff_num(const HicovIndicatorInfo *info, double d,
                          int lang);
/* People to enrol, rounded as a report writer would: exact below 1,000,
 * to the ten below 10,000, to the hundred from there. */
double report_people_rounded(double n);
/* The same as a number; *approx says it was rounded. */
ReportNum report_people_num(double n, int lang, int *approx);

/* LANG_VI or LANG_EN for a language tag (anything but "vi..." is EN). */
int report_lang_index(const char *lang);
/* Localised UI strings for the printable outputs: key -> text (from the
 * catalogue, csrc/po/vi.po). */
const char *report_text(const char *key, int lang);
/* Localised label of an indicator (hicov_indicator_label). */
const char *report_indicator_label(const HicovIndicatorInfo *info, int lang);
/* Localised label of a target status. */
const char *report_status_label(int status, int lang);
/* Formats a value of an indicator with its unit ("94,1%", "812.720
 * người"); decimals chosen per unit. */
size_t report_format_value(const HicovIndicatorInfo *info, double v,
                           int lang, char *buf, size_t size);
/* The report's tables, the same in every document (PDF, ODT, DOCX): a
 * money column reaching a billion đồng is shown in tỷ đồng with one
 * decimal (full đồng took 15 digits, broken over two lines in a column
 * the width of a page's sixth); the heading names the unit, a cell holds
 * the number only ("–" when missing). */
int report_table_billions(const ReportTable *t, size_t c);
void report_table_head(const HicovIndicatorInfo *info, int billions,
                       int lang, char *buf, size_t size);
void report_table_cell(const HicovIndicatorInfo *info, double v,
                       int billions, int lang, char *buf, size_t size);
/* The gap to a target in a cell (a key figure, a unit's row), with its
 * unit: points with `decimals` for a rate or a growth target ("3,00
 * điểm %", "3.00 points"), else the indicator's own ("24.622 người"); 0
 * once met, "–" when missing. */
void report_table_gap(const HicovIndicatorInfo *info, int kind, double gap,
                      int decimals, int lang, char *buf, size_t size);

/* report-sentences.c: the sentences of the assessments and targets */
/* The sentences for one assessment; caller frees with hicov_free. */
char *report_assessment_text(const HicovReport *rep, size_t i, int lang);
/* Summary sentence of a level target; caller frees. */
char *report_target_summary_text(const HicovReport *rep, size_t t, int lang);
/* What the report's figures are on (HicovReport.boundaries, the
 * predecessors of the subject); caller frees. */
char *report_boundaries_text(const HicovReport *rep, int lang);

/* table.c: the word of a unit of measure ("people", "VND", "points") in
 * lang ("người", "đồng", "điểm %"); other units as they are. */
const char *report_unit_word(const char *unit, const char *lang);
/* The language of a table's messages: its dataset's (NULL: the
 * process's). */
struct HicovTable;
const char *report_table_lang(const struct HicovTable *t);

/* The target in short ("Tỷ lệ bao phủ BHYT ≥ 98% (2025)"); caller frees. */
char *report_target_text(const HicovReport *rep, size_t t, int lang);
/* The subject's figure on target t and, over units, "x/N ... have met
 * it"; caller frees. */
char *report_target_result(const HicovReport *rep, size_t t, int lang);
/* The title page's line for target t: the result and the verdict; caller
 * frees. */
char *report_target_headline(const HicovReport *rep, size_t t, int lang);
/* What target t still takes, for the document's tasks ("...: To reach
 * the target by 2030, it must rise by 0.52 percentage points a year on
 * average."); *out (caller frees) NULL when it is met or on track.
 * HICOV_OK or HICOV_NOMEM. */
int report_target_task(const HicovReport *rep, size_t t, int lang,
                       char **out);
/* The label of assessment i's status in lang, qualified ("Ước đạt"). */
const char *report_item_status_label(const HicovReport *rep, size_t i,
                                     int lang);
/* The label of target t's verdict in lang. */
const char *report_target_status_label(const HicovReport *rep, size_t t,
                                       int lang);

/* report-targets.c: the targets as wholes, the grouped findings, dates */
/* Verdicts, the subject's figures on targets over units, the targets'
 * texts. */
int report_build_targets(HicovReport *rep, HicovDataset *ds);
/* The name of a kind of finding (HicovFindingKind) in lang. */
const char *report_finding_kind_label(int kind, int lang);
/* rep->groups from rep->findings, with the units' names from ds. */
int report_build_finding_groups(HicovReport *rep, HicovDataset *ds);
/* "Lạng Sơn, ngày 07 tháng 12 năm 2026" (vi) or "Lạng Sơn, 7 December
 * 2026" (en): t in Viet Nam's time (UTC+7); place may be NULL or "". */
void report_format_place_date(int64_t t, const char *place, int lang,
                              char *buf, size_t size);
/* The date alone: "ngày 07 tháng 12 năm 2026", "7 December 2026". */
void report_format_date(int64_t t, int lang, char *buf, size_t size);
/* The document's trích yếu: the issuer's, else "Kết quả thực hiện các chỉ
 * tiêu về bảo hiểm y tế theo <title>"; caller frees. */
char *report_summary_title(const HicovReport *rep, int lang);
/* The time a report gets when none is set: $SOURCE_DATE_EPOCH when it is
 * a number of seconds, else now. */
int64_t report_default_time(void);
void report_issuer_clear(ReportIssuer *is);

/* report-atomic.c: writes len bytes to path through a temporary file in
 * the same folder, fsync, rename and fsync of the folder; follows a
 * symbolic link to the file it names; refuses a destination that is not a
 * regular file, and a read-only one unless flags has REPORT_WRITE_FORCE.
 * Honours hicov_report_debug_fail_write_after. On failure writes a
 * message in lang ("vi", "en", NULL: the process's language; NULL for
 * report_write_atomic) to err and leaves path untouched, with no
 * temporary file. */
#define REPORT_WRITE_FORCE 1u
int report_write_atomic(const char *path, const void *data, size_t len,
                        char *err, size_t err_size);
int report_write_atomic_flags(const char *path, const void *data,
                              size_t len, unsigned flags, const char *lang,
                              char *err, size_t err_size);
/* The same written in pieces, for output too large to hold in memory:
 * report_atomic_stream_open finds the file and opens its temporary file
 * (the checks and messages of report_write_atomic_flags; err must live
 * until the stream is closed, path too), report_atomic_stream_write appends,
 * report_atomic_stream_close(s, 1) syncs, names and renames it into place;
 * (s, 0), or any failure, leaves path untouched and no temporary file.
 * Close frees s whatever it returns. */
typedef struct ReportAtomicStream ReportAtomicStream;
int report_atomic_stream_open(ReportAtomicStream **out, const char *path,
                              unsigned flags, const char *lang, char *err,
                              size_t err_size);
int report_atomic_stream_write(ReportAtomicStream *s, const void *data,
                               size_t len);
int report_atomic_stream_close(ReportAtomicStream *s, int commit);
/* Lists a temporary file or folder for hicov_remove_temporary_files (a
 * fixed table of 32: -1 when full); the slot is freed with
 * report_temp_unregister (-1 is ignored). */
int report_temp_register(const char *path);
void report_temp_unregister(int slot);
/* Flags every report_write_atomic of the process adds (the hicov
 * command's --force: REPORT_WRITE_FORCE). */
void report_write_default_flags(unsigned flags);
/* Test hook: 1 makes report_write_atomic use named temporary files
 * (mkstemp), as on file systems without O_TMPFILE. */
void report_debug_no_tmpfile(int on);

#endif

/* hicov-report.h - resolution files, congress-resolution reports and ADX.
 *
 * A report states how far a unit has come on the targets of a resolution:
 * for each target the core's assessment (hicov_assess), sentences a report
 * writer would put in the document (Vietnamese and English), tables of
 * coverage and spending indicators by child unit and by year, the
 * data-quality findings (hicov_dataset_check) and provenance (every input
 * file with its SHA-256, the hicov version, the time of generation).
 *
 * The same conventions as hicov.h: opaque handles, int status codes
 * (HicovStatus), out-parameters, messages kept on the handle, "caller
 * frees" memory released with hicov_free().
 *
 * Which library part provides what (csrc/sources.list):
 *   core   hicov_sha256_*, hicov_report_new/free/errmsg/add_input/...,
 *          hicov_report_assessment, hicov_report_sentence,
 *          hicov_report_set_issuer, hicov_file_set_*
 *   xml    hicov_resolution_load_file/_buffer, hicov_resolution_write/save,
 *          hicov_report_xml/save/html, hicov_report_odt/docx,
 *          hicov_report_serialize/load_state,
 *          hicov_issuer_load_*, hicov_adx_export/import
 *          (libxml2, libxslt, libzip)
 *   chart  hicov_report_pdf, hicov_report_draw_figures (cairo, pango)
 *
 * Reproducible output: every format states the time of generation, which
 * is $SOURCE_DATE_EPOCH when set (seconds since 1970, as reproducible
 * builds define it), else the time of hicov_report_new, or what
 * hicov_report_set_time sets.  With the same inputs and time, every
 * format is byte-identical from run to run.
 */
#ifndef HICOV_REPORT_H
#define HICOV_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "hicov-core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* SHA-256 (FIPS 180-4)                                                      */

typedef struct {
  uint32_t state[8];
  uint64_t length;       /* bytes hashed so far */
  unsigned char buf[64];
  size_t used;           /* bytes in buf */
} HicovSha256;

HICOV_API void hicov_sha256_init(HicovSha256 *ctx);
HICOV_API void hicov_sha256_update(HicovSha256 *ctx, const void *data,
                                   size_t len);
/* Writes the 32-byte digest; ctx must be re-initialised before reuse. */
HICOV_API void hicov_sha256_final(HicovSha256 *ctx, unsigned char digest[32]);
/* Digest of a buffer as 64 lowercase hex digits plus NUL. */
HICOV_API void hicov_sha256_hex(const void *data, size_t len, char hex[65]);
/* Digest of a file's bytes; *size (may be NULL) gets its length.
 * HICOV_IO if it cannot be read. */
HICOV_API int hicov_sha256_file(const char *path, char hex[65],
                                uint64_t *size);

/* ------------------------------------------------------------------------ */
/* Resolution files (XML, schema reports/resolution.xsd)                     */

/* Limits on resolution files: larger or deeper documents are refused with
 * HICOV_LIMIT before or while parsing. */
#define HICOV_RESOLUTION_MAX_BYTES (1024 * 1024)
#define HICOV_RESOLUTION_MAX_DEPTH 8
#define HICOV_RESOLUTION_MAX_TARGETS 256

/* Reads a resolution file.  The parser never touches the network, refuses
 * any DTD (so no entity is ever expanded), validates against the built-in
 * resolution.xsd and checks every indicator against the core.  On failure
 * *out is NULL and, when err is not NULL, a message such as
 * "res.xml line 7: target: unknown indicator 'coverge_rate'" is written to
 * err (err_size bytes, NUL included; 256 suffice for most messages).
 * Returns HICOV_OK, HICOV_IO, HICOV_PARSE, HICOV_LIMIT, HICOV_NOMEM.
 * Caller frees *out with hicov_resolution_free. */
HICOV_API int hicov_resolution_load_file(const char *path,
                                         HicovResolution **out, char *err,
                                         size_t err_size);
/* The same from memory; name is used in messages. */
HICOV_API int hicov_resolution_load_buffer(const char *name, const char *data,
                                           size_t len, HicovResolution **out,
                                           char *err, size_t err_size);
/* Serialises res as a resolution file (UTF-8, indented, schema-valid).
 * *buf is NUL-terminated; caller frees with hicov_free. */
HICOV_API int hicov_resolution_write(const HicovResolution *res, char **buf,
                                     size_t *len);
/* Writes the file atomically (temporary file in the same folder, then
 * rename).  HICOV_IO with a message in err on failure. */
HICOV_API int hicov_resolution_save(const HicovResolution *res,
                                    const char *path, char *err,
                                    size_t err_size);

/* ------------------------------------------------------------------------ */
/* Reports                                                                   */

typedef struct HicovReport HicovReport;

/* Builds a report of res against ds in language lang ("vi" or "en"; NULL
 * means "vi"; the sentences are made in both, lang picks the one the
 * printable outputs use and the labels of HTML and PDF).  Runs
 * hicov_assess, the indicator tables and hicov_dataset_check now, so later
 * changes to ds do not change the report; neither ds nor res is kept.
 * When res is NULL the dataset's first resolution is used.
 * Returns HICOV_OK, HICOV_NOMEM, HICOV_INVALID, HICOV_MISSING (no
 * resolution), or the core's status.  Except for HICOV_NOMEM, *out is set
 * even on failure, so that hicov_report_errmsg can say why; the caller
 * frees it with hicov_report_free in every case. */
HICOV_API int hicov_report_new(HicovDataset *ds, const HicovResolution *res,
                               const char *lang, HicovReport **out);
HICOV_API void hicov_report_free(HicovReport *rep);
/* Message of the last failure on rep ("" if none); belongs to rep. */
HICOV_API const char *hicov_report_errmsg(const HicovReport *rep);

/* Provenance.  Records an input file (the dataset's CSVs, the resolution
 * file) with its size and SHA-256, read now; role is free text ("units",
 * "values", "resolution").  HICOV_IO if the file cannot be read. */
HICOV_API int hicov_report_add_input(HicovReport *rep, const char *path,
                                     const char *role);
/* Describes the data when it has no input file, e.g. "built-in demo". */
HICOV_API int hicov_report_set_source(HicovReport *rep, const char *text);
/* Time of generation (Unix seconds, UTC); defaults to $SOURCE_DATE_EPOCH
 * when it holds a number, else the time of hicov_report_new.  Dates are
 * written in Viet Nam's time (UTC+7): "ngày 07 tháng 12 năm 2026". */
HICOV_API void hicov_report_set_time(HicovReport *rep, int64_t unix_time);
HICOV_API int64_t hicov_report_time(const HicovReport *rep);

/* Who issues the report as an administrative document (Nghị định
 * 30/2020/NĐ-CP): the provincial Social Insurance or Health Department,
 * not the Party committee or People's Council that passed the
 * resolution.  Every field may be NULL; the documents then leave a marked
 * place for it. */
typedef struct {
  const char *parent_agency;    /* cơ quan chủ quản, "BẢO HIỂM XÃ HỘI VIỆT
                                   NAM" */
  const char *agency;           /* the issuing agency, "BẢO HIỂM XÃ HỘI TỈNH
                                   LẠNG SƠN" */
  const char *number;           /* số and ký hiệu, "15/BC-BHXH" */
  const char *place;            /* "Lạng Sơn"; NULL: the subject's name */
  const char *signer_authority; /* "KT. GIÁM ĐỐC", or NULL */
  const char *signer_title;     /* "PHÓ GIÁM ĐỐC" */
  const char *signer_name;      /* "Nguyễn Văn An" */
  const char *summary;          /* the trích yếu; NULL: "Kết quả thực hiện
                                   các chỉ tiêu về bảo hiểm y tế theo ..." */
  const char *const *recipients; /* nơi nhận, one each ("Tỉnh ủy Lạng Sơn
                                   (để b/c)"), without "- " and ";" */
  size_t n_recipients;
  const char *archive;          /* the last recipient line's "VT, KHTC":
                                   "- Lưu: VT, KHTC." */
} HicovIssuer;

/* Copies issuer (NULL clears it) into the report. */
HICOV_API int hicov_report_set_issuer(HicovReport *rep,
                                      const HicovIssuer *issuer);

/* Reads an issuer profile (XML, namespace urn:hicov:issuer:1, schema
 * reports/issuer.xsd, validated on load; refused past 64 KiB, with a DTD
 * or nested deeper than 4).  *out is caller-freed with hicov_issuer_free.
 * Errors name the file and line, as for resolution files. */
HICOV_API int hicov_issuer_load_file(const char *path, HicovIssuer **out,
                                     char *err, size_t err_size);
HICOV_API int hicov_issuer_load_buffer(const char *name, const char *data,
                                       size_t len, HicovIssuer **out,
                                       char *err, size_t err_size);
/* Frees an issuer from hicov_issuer_load_*. NULL ok. */
HICOV_API void hicov_issuer_free(HicovIssuer *issuer);

/* "vi" or "en". Static string. */
HICOV_API const char *hicov_report_lang(const HicovReport *rep);
/* The resolution the report is about; belongs to rep. */
HICOV_API const HicovResolution *hicov_report_resolution(
    const HicovReport *rep);
/* The assessments, exactly as hicov_assess returned them; belong to rep. */
HICOV_API size_t hicov_report_assessment_count(const HicovReport *rep);
HICOV_API const HicovAssessment *hicov_report_assessment(
    const HicovReport *rep, size_t i);
/* The generated sentences for assessment i in lang ("vi" or "en"; NULL:
 * the report's), e.g. "Đến hết năm 2024, tỷ lệ bao phủ đạt 94,1%, còn
 * thiếu 3,9 điểm phần trăm so với chỉ tiêu 98%; cần thêm khoảng 31.700
 * người tham gia."  Belongs to rep; NULL if i is out of range. */
HICOV_API const char *hicov_report_sentence(const HicovReport *rep, size_t i,
                                            const char *lang);

/* The report as XML (namespace urn:hicov:report:1, schema
 * reports/report.xsd), validated against the built-in schema.  *buf is
 * NUL-terminated; caller frees with hicov_free. */
HICOV_API int hicov_report_xml(HicovReport *rep, char **buf, size_t *len);
/* Validates and writes the XML atomically: a temporary file in the same
 * folder, fsync, then rename over path.  On any failure the temporary file
 * is removed and an existing file at path is left untouched. */
HICOV_API int hicov_report_save(HicovReport *rep, const char *path);
/* The report as a standalone HTML page (reports/report-html.xsl applied
 * with libxslt).  Caller frees *buf with hicov_free. */
HICOV_API int hicov_report_html(HicovReport *rep, char **buf, size_t *len);
/* The same report as one element, <div class="hicov-report" lang="..">,
 * holding a <style> whose every rule is scoped to that element: for a page
 * that has its own styles (a notebook), which the report leaves alone. */
HICOV_API int hicov_report_html_fragment(HicovReport *rep, char **buf,
                                         size_t *len);
/* Writes the HTML atomically to path. */
HICOV_API int hicov_report_save_html(HicovReport *rep, const char *path);
/* Draws the report as an A4 PDF (cairo + pango) in the typography of an
 * administrative document (Liberation Serif, Nghị định 30/2020's
 * margins): a title page that sums up every target, a section per target
 * with its statements, table of units and charts, the tables, the
 * data-quality findings and the provenance.  Nothing is left out without
 * saying how much and where the rest is.  Written atomically. */
HICOV_API int hicov_report_pdf(HicovReport *rep, const char *path);
/* The same PDF in memory; caller frees *buf with hicov_free. */
HICOV_API int hicov_report_pdf_buffer(HicovReport *rep, char **buf,
                                      size_t *len);

/* Draws the report's charts (each target's trend and, for a target over
 * units, the ranking of its units) as PNG images kept in the report, for
 * the documents (ODT, DOCX) and the HTML page, which embed them; without
 * it they say that the charts were not drawn.  Drawing again replaces
 * them. */
HICOV_API int hicov_report_draw_figures(HicovReport *rep);

/* The report as an editable administrative document in the layout of
 * Nghị định 30/2020/NĐ-CP (header with the issuer, quốc hiệu and tiêu
 * ngữ, số/ký hiệu, place and date; "BÁO CÁO" and the trích yếu; results
 * by target with the generated findings; shortcomings, causes, tasks and
 * recommendations with marked places for the writer's text; nơi nhận and
 * the signature block; Times New Roman, A4, margins 20/20/30/15 mm):
 * OpenDocument Text (ODT) or Office Open XML (DOCX), charts embedded when
 * hicov_report_draw_figures drew them.  Deterministic: zip entries in a
 * fixed order with the report's time.  Caller frees *buf. */
HICOV_API int hicov_report_odt(HicovReport *rep, char **buf, size_t *len);
HICOV_API int hicov_report_docx(HicovReport *rep, char **buf, size_t *len);
/* Written atomically. */
HICOV_API int hicov_report_save_odt(HicovReport *rep, const char *path);
HICOV_API int hicov_report_save_docx(HicovReport *rep, const char *path);

/* A report as bytes and back (pickling, sending to another process).  A
 * report holds what hicov_report_new computed, so its state is the recipe:
 * ds_state, the bytes of hicov_dataset_serialize of the dataset the report
 * was built from as it was then (not kept), the resolution file, the
 * language, source, time, issuer and the inputs as recorded (path, role,
 * size, SHA-256), plus the SHA-256 of the report's XML; all sealed with a
 * SHA-256 behind a tag and a version (csrc/exchange/report-state.c).
 * ds_state NULL with ds_len 0 takes, for a report from
 * hicov_report_load_state, the dataset it was rebuilt from (HICOV_INVALID
 * for one from hicov_report_new).  *out is caller-freed with hicov_free.
 * hicov_report_load_state rebuilds the report with hicov_report_new and
 * the settings, the inputs taken as recorded (the files are not read),
 * and refuses with HICOV_PARSE a state that is changed, cut, of another
 * version, or whose rebuilt XML differs from the one recorded (why in
 * err, in the process's language); the figures are drawn again when
 * needed.  *out is freed with hicov_report_free. */
HICOV_API int hicov_report_serialize(HicovReport *rep, const void *ds_state,
                                     size_t ds_len, void **out, size_t *len);
HICOV_API int hicov_report_load_state(const void *data, size_t len,
                                      HicovReport **out, char *err,
                                      size_t err_size);

/* ------------------------------------------------------------------------ */
/* A set of files written together                                           */
/*
 * The files one command writes (a report's XML, HTML, PDF, ODT, DOCX) as a
 * consistent set: each is written to a temporary file in its folder as it
 * is added; hicov_file_set_commit then renames them all into place with
 * the catchable signals blocked, so that a failure before or an interrupt
 * at any point leaves the previous set whole.  Temporary files are unnamed
 * where the file system allows (O_TMPFILE) and named only during the
 * commit; named ones are removed on failure, by hicov_file_set_free, and
 * by hicov_remove_temporary_files in a signal handler.
 */
typedef struct HicovFileSet HicovFileSet;

HICOV_API int hicov_file_set_new(HicovFileSet **out);
/* Writes data to a temporary file for path (len bytes; the data is not
 * kept).  HICOV_IO with a message (hicov_file_set_errmsg) on failure; a
 * path given twice is HICOV_INVALID. */
HICOV_API int hicov_file_set_add(HicovFileSet *set, const char *path,
                                 const void *data, size_t len);
/* Puts every file in place.  After a failure nothing was renamed. */
HICOV_API int hicov_file_set_commit(HicovFileSet *set);
HICOV_API const char *hicov_file_set_errmsg(const HicovFileSet *set);
/* Discards what was not committed. NULL ok. */
HICOV_API void hicov_file_set_free(HicovFileSet *set);

/* Test hook: make the next atomic writes fail (as a full disk would) once
 * `bytes` bytes of the temporary file have been written; -1 disables.
 * Process-wide; for tests only. */
HICOV_API void hicov_report_debug_fail_write_after(long bytes);

/* Removes the named temporary files of writes under way (every file hicov
 * writes goes through a temporary file in the destination's folder, named
 * only where the file system has no O_TMPFILE, and only until the final
 * rename). Async-signal-safe: for a program's SIGINT/SIGTERM handler, which
 * then ends the program (the writes under way are left unfinished). */
HICOV_API void hicov_remove_temporary_files(void);

/* Built-in copies of the files in reports/ (NUL-terminated, static):
 * "resolution.xsd", "report.xsd", "report-html.xsl", "issuer.xsd".  NULL
 * if unknown. */
HICOV_API const char *hicov_report_builtin_file(const char *name,
                                                size_t *len);

/* ------------------------------------------------------------------------ */
/* ADX (IHE QRPH Aggregate Data Exchange, urn:ihe:qrph:adx:2015)            */

typedef struct HicovDhis2Map HicovDhis2Map; /* hicov-dhis2.h */

/* Which units an export holds (hicov-dhis2.h describes each). */
typedef enum {
  HICOV_ADX_LEAVES = 0, /* the finest units holding each value: nothing
                           counted twice (the default) */
  HICOV_ADX_LEVEL = 1,  /* the units at `level` */
  HICOV_ADX_ALL = 2     /* every unit at every level */
} HicovAdxUnits;

/* Whether beneficiary groups are exported (hicov-dhis2.h). */
typedef enum {
  HICOV_ADX_GROUPS_AUTO = 0,
  HICOV_ADX_GROUPS_TOTALS = 1, /* totals only */
  HICOV_ADX_GROUPS_ONLY = 2,   /* a measure with group values by group */
  HICOV_ADX_GROUPS_BOTH = 3    /* totals and groups */
} HicovAdxGroups;

typedef struct {
  const char *unit;     /* export this unit and the units below it;
                           NULL: every unit */
  int first_year;       /* 0: the first year with data */
  int last_year;        /* 0: the last year with data */
  int measures;         /* 1: the measures (stocks and flows, importable) */
  int indicators;       /* 1: the level indicators (derived; skipped on
                           import) */
  int64_t exported;     /* Unix time for the `exported` attribute; 0: now */
  /* DHIS2 (hicov-dhis2.h); zero is the default of each */
  int units;            /* HicovAdxUnits */
  int level;            /* HicovLevel, with HICOV_ADX_LEVEL */
  int period_type;      /* HICOV_PERIOD_YEAR (0), _QUARTER or _MONTH */
  int groups;           /* HicovAdxGroups */
  const HicovDhis2Map *map; /* identifiers; NULL: hicov's own codes */
  int skip_unmapped;    /* 1: leave out what the map does not name */
  const char *data_set; /* the dataSet; NULL: the map's, or none */
  const char *complete_date; /* "YYYY-MM-DD": completeDate; NULL: none */
} HicovAdxExportOptions;

/* Exports values as an ADX document: one <group> per unit and period
 * (period "2024-01-01/P1Y"), one <dataValue> per measure (and group, and
 * indicator if asked) that has a value; the data element is the measure
 * or indicator name, or the map's.  Missing values are left out.  The
 * output validates against adx_loose.xsd.  opt may be NULL (the finest
 * units, every year, measures only).  Errors: see hicov_dhis2_export,
 * which says more.  Caller frees *buf with hicov_free. */
HICOV_API int hicov_adx_export(HicovDataset *ds,
                               const HicovAdxExportOptions *opt, char **buf,
                               size_t *len);

/* Exports to a file, atomically (temporary file, then rename); the
 * message of a failure goes to err (may be NULL). */
HICOV_API int hicov_adx_save(HicovDataset *ds,
                             const HicovAdxExportOptions *opt,
                             const char *path, char *err, size_t err_size);

typedef struct {
  long values_read;     /* <dataValue> elements seen */
  long values_imported; /* added to the dataset */
  long values_derived;  /* indicators: derived from measures, not imported */
  long values_rejected; /* unknown unit or data element, bad period, ... */
} HicovAdxImportStats;

/* Imports the measures of an ADX document into ds (whose units must
 * already exist; orgUnit is a unit code; a categoryOptionCombo is a
 * beneficiary-group code, DHIS2's "default" the total).  Data elements that
 * are measure names are added with hicov_dataset_add_value (source
 * "adx:<name>"); those
 * naming an indicator are counted as derived and skipped; anything else is
 * rejected with a message saying line, element and what was expected
 * ("sample.xml line 7: dataValue dataElement='MAL01': unknown data element,
 * expected a measure name such as 'participants'").
 * The document is validated against adx_loose.xsd's rules and read
 * completely and checked before anything is added to ds.
 * mode HICOV_LOAD_STRICT: the first rejection fails with HICOV_PARSE and
 * nothing is added; HICOV_LOAD_LENIENT: rejected values are counted and
 * described, the rest is imported.
 * stats may be NULL.  *rejections (may be NULL) gets the rejection messages,
 * one per line (at most 1000, then a count), or NULL when there are none;
 * caller frees with hicov_free.  A failure's message goes to err (may be
 * NULL). */
/* The largest ADX file read into memory (HICOV_LIMIT past it). */
#define HICOV_ADX_MAX_BYTES ((size_t)512 << 20)
HICOV_API int hicov_adx_import_file(HicovDataset *ds, const char *path,
                                    int mode, HicovAdxImportStats *stats,
                                    char **rejections, char *err,
                                    size_t err_size);
HICOV_API int hicov_adx_import_buffer(HicovDataset *ds, const char *name,
                                      const char *data, size_t len, int mode,
                                      HicovAdxImportStats *stats,
                                      char **rejections, char *err,
                                      size_t err_size);

#ifdef __cplusplus
}
#endif

#endif /* HICOV_REPORT_H */

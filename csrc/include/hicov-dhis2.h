/* hicov-dhis2.h - exchange with DHIS2: the mapping between hicov's codes
 * and DHIS2's, export as ADX or as DHIS2's dataValueSets JSON, and import
 * of either into a dataset's values.
 *
 * Part `exchange` (libxml2 for ADX, jansson for reading JSON), with the
 * conventions of hicov-core.h.  The ADX export options and the older
 * all-or-nothing ADX import are in hicov-report.h; this header adds what
 * DHIS2 needs: mapped identifiers, units that are never counted twice,
 * monthly, quarterly and yearly periods, beneficiary groups as category
 * option combinations, a data set and a completion date. */
#ifndef HICOV_DHIS2_H
#define HICOV_DHIS2_H

#include <stddef.h>
#include <stdint.h>

#include "hicov-core.h"
#include "hicov-data.h"
#include "hicov-report.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* The mapping file                                                          */
/*
 * A CSV file (UTF-8, RFC 4180 quoting, '#' lines are comments) with the
 * header kind,hicov,dhis2 and optionally idScheme (other columns, such as
 * a name, are ignored):
 *
 *   kind,hicov,dhis2,idScheme
 *   orgUnit,20,ImspTQPwCqd,uid          a unit code
 *   dataElement,participants,BHYT_PART  a measure or an indicator name
 *   categoryOptionCombo,HN,BHYT_HN      a beneficiary group; "*": the total
 *   attributeOptionCombo,*,BHXH         every value's attribute option combo
 *   dataSet,*,BHYT_YEAR                 "*", or a period type (yearly,
 *                                       quarterly, monthly) for its values
 *
 * idScheme says what the dhis2 column holds, as DHIS2 names it: code
 * (default) or uid (11 characters, a letter then letters and digits);
 * the rows of one kind share one scheme.  A kind without rows is not
 * mapped: hicov's own codes are used for it.  A hicov code or a DHIS2
 * identifier given twice for one kind is refused with both lines. */

typedef enum {
  HICOV_DHIS2_ORG_UNIT = 0,
  HICOV_DHIS2_DATA_ELEMENT = 1,
  HICOV_DHIS2_CATEGORY_OPTION_COMBO = 2,
  HICOV_DHIS2_ATTRIBUTE_OPTION_COMBO = 3,
  HICOV_DHIS2_DATA_SET = 4,
  HICOV_DHIS2_N_KINDS = 5
} HicovDhis2Kind;

typedef enum {
  HICOV_DHIS2_CODE = 0,
  HICOV_DHIS2_UID = 1
} HicovDhis2IdScheme;

/* "orgUnit", "dataElement", ...; NULL for an unknown kind. */
HICOV_API const char *hicov_dhis2_kind_name(int kind);
/* "CODE" or "UID": the value of DHIS2's idScheme parameters. */
HICOV_API const char *hicov_dhis2_scheme_name(int scheme);
/* DHIS2's import parameter for a kind's scheme: "orgUnitIdScheme",
 * "dataElementIdScheme", "categoryOptionComboIdScheme",
 * "attributeOptionComboIdScheme", "dataSetIdScheme". */
HICOV_API const char *hicov_dhis2_scheme_param(int kind);

typedef struct HicovDhis2Map HicovDhis2Map;

HICOV_API int hicov_dhis2_map_new(HicovDhis2Map **out);
HICOV_API void hicov_dhis2_map_free(HicovDhis2Map *m);
/* The scheme of the kinds whose rows give none (code by default); kind
 * -1: every kind.  HICOV_INVALID for a scheme that differs from rows
 * already added for the kind. */
HICOV_API int hicov_dhis2_map_set_scheme(HicovDhis2Map *m, int kind,
                                         int scheme);
HICOV_API int hicov_dhis2_map_scheme(const HicovDhis2Map *m, int kind);
/* Adds one row (strings copied), checked as in a file; where names it in
 * messages (may be NULL). */
HICOV_API int hicov_dhis2_map_add(HicovDhis2Map *m, int kind,
                                  const char *hicov, const char *dhis2,
                                  const char *where, char *err,
                                  size_t err_size);
/* Reads a mapping file's text; messages say "map.csv line 4, column 3
 * (dhis2): expected a UID ..., found '...'". */
HICOV_API int hicov_dhis2_map_parse(HicovDhis2Map *m, const char *name,
                                    const char *text, size_t len, char *err,
                                    size_t err_size);
HICOV_API int hicov_dhis2_map_load(HicovDhis2Map *m, const char *path,
                                   char *err, size_t err_size);
/* Rows of a kind (0: the kind is not mapped). */
HICOV_API size_t hicov_dhis2_map_count(const HicovDhis2Map *m, int kind);
/* The DHIS2 identifier of a hicov code, or NULL; belongs to m. */
HICOV_API const char *hicov_dhis2_map_to(const HicovDhis2Map *m, int kind,
                                         const char *hicov);
/* The hicov code of a DHIS2 identifier, or NULL; belongs to m. */
HICOV_API const char *hicov_dhis2_map_from(const HicovDhis2Map *m, int kind,
                                           const char *dhis2);

/* ------------------------------------------------------------------------ */
/* Export                                                                    */
/*
 * hicov_adx_export and hicov_adx_save (hicov-report.h) take the options
 * below through HicovAdxExportOptions; hicov_dhis2_export adds the format,
 * a message and the counts.
 *
 * Units (opt->units):
 *   HICOV_ADX_LEAVES (default)  for each period, measure and group, the
 *       finest units that hold the value, so that nothing is counted twice
 *       by a receiver that adds units up (DHIS2 does): starting at opt->unit
 *       (or the units without a parent), a unit whose children existing at
 *       the end of the period all hold the value is replaced by them, down
 *       to the leaves; a unit whose children hold none of it (a province's
 *       visits when only the province reports them), or only some (one
 *       province of four in a national figure), is exported itself, with
 *       its own total.  Abolished units and the units formed from them are
 *       never both exported for one period: only the units existing at its
 *       end are.  A note says where the units below hold only some of the
 *       values, or values whose sum is not the unit's own total.
 *   HICOV_ADX_LEVEL   the units at opt->level (below opt->unit) existing at
 *       the end of each period, each with its total.
 *   HICOV_ADX_ALL     every unit and its total, every level (a receiver
 *       that adds up units counts values again: not for DHIS2).
 *
 * Periods (opt->period_type): HICOV_PERIOD_YEAR (or 0), _QUARTER or _MONTH,
 * every period of that type in the years exported.  ADX writes them as
 * ISO 8601 start and duration (2024-01-01/P1Y, 2024-04-01/P3M,
 * 2024-10-01/P1M), dataValueSets JSON as DHIS2 does (2024, 2024Q2,
 * 202410).
 *
 * Groups (opt->groups): HICOV_ADX_GROUPS_AUTO (default) is
 * HICOV_ADX_GROUPS_BOTH without a map (a complete hicov document),
 * HICOV_ADX_GROUPS_ONLY with a map that has categoryOptionCombo rows (a
 * DHIS2 data element is disaggregated or not: a measure with any group
 * value is sent by group, its total left to DHIS2), and
 * HICOV_ADX_GROUPS_TOTALS otherwise.  A total carries no
 * categoryOptionCombo (DHIS2's default) unless the map names one for "*".
 *
 * With a map, every exported unit, measure, indicator and group must be
 * mapped (for the kinds the map has rows of): otherwise the export fails
 * with the list of what is missing, or, with opt->skip_unmapped, leaves
 * those values out and counts them. */

typedef enum {
  HICOV_DHIS2_ADX = 0,  /* IHE ADX, urn:ihe:qrph:adx:2015 */
  HICOV_DHIS2_JSON = 1  /* DHIS2's dataValueSets JSON */
} HicovDhis2Format;

typedef struct {
  long values;    /* dataValues written */
  long org_units; /* distinct units in them */
  long periods;   /* distinct periods in them */
  long unmapped;  /* values left out by skip_unmapped */
  long partial;   /* units whose children hold only some of their values
                     (the unit's total is exported) or values with another
                     sum (theirs are): each has a note */
} HicovDhis2ExportStats;

/* Exports ds in format under opt (NULL: the defaults of
 * HicovAdxExportOptions, measures only). Caller frees *buf with
 * hicov_free. *notes (may be NULL) gets the notes (what skip_unmapped
 * left out, partial totals), one a line, or NULL; caller frees. On failure
 * err gets the message ("the mapping names no orgUnit for 20D01C1, ...").
 * Returns HICOV_OK, HICOV_MISSING (nothing to export), HICOV_NOTFOUND
 * (unknown unit), HICOV_INVALID (options, or what the map lacks),
 * HICOV_NOMEM. */
HICOV_API int hicov_dhis2_export(HicovDataset *ds,
                                 const HicovAdxExportOptions *opt,
                                 int format, char **buf, size_t *len,
                                 HicovDhis2ExportStats *stats, char **notes,
                                 char *err, size_t err_size);
/* The format a file's name implies: HICOV_DHIS2_JSON for a name ending in
 * .json (any case), HICOV_DHIS2_ADX otherwise (NULL too).  The export and
 * the import decide so when no format is given. */
HICOV_API int hicov_dhis2_format_of_path(const char *path);
/* The same into a file, atomically. */
HICOV_API int hicov_dhis2_save(HicovDataset *ds,
                               const HicovAdxExportOptions *opt, int format,
                               const char *path, HicovDhis2ExportStats *stats,
                               char **notes, char *err, size_t err_size);

/* ------------------------------------------------------------------------ */
/* Import                                                                    */
/*
 * An ADX or dataValueSets JSON document (DHIS2's own exports included) is
 * read into values for hicov_dataset_merge_values: identifiers through the
 * map (or hicov's codes for the kinds it does not map), periods of whole
 * months (ADX: PnY and PnM durations from the 1st of a month; JSON:
 * 2024, 2024Q3, 2024S1, 202410 or 2024-10), categoryOptionCombo as a
 * beneficiary group (DHIS2's default, code "default" or UID HllvX50cXC0,
 * and the map's "*" are the total), attributeOptionCombo only when it is
 * the default or the map's "*".  Indicators are counted as derived and not
 * read.  Every rejected value is named by file and line (ADX) or by its
 * place in dataValues (JSON), with what was expected and what was found.
 * Nothing is added to ds here. */

/* JSON is read whole (jansson builds the tree): measured, a 50 MB
 * dataValueSets file of 540,000 values peaks at 590 MB, about 12 bytes of
 * memory a byte of JSON, so 64 MB stays under 800 MB.  ADX is streamed up
 * to HICOV_ADX_MAX_BYTES (the same 540,000 values: 41 MB, 196 MB peak). */
#define HICOV_DHIS2_JSON_MAX_BYTES ((size_t)64 << 20)

typedef struct HicovDhis2Read HicovDhis2Read;

typedef struct {
  long values_read;     /* data values seen */
  long values_accepted; /* ready to merge */
  long values_derived;  /* indicators: recomputed from the measures */
  long values_rejected;
} HicovDhis2Counts;

/* format: HICOV_DHIS2_ADX, HICOV_DHIS2_JSON, or -1 from the first byte
 * ('<' or '{').  map may be NULL.  mode HICOV_LOAD_STRICT: any rejection
 * fails with HICOV_PARSE; HICOV_LOAD_LENIENT: rejections are listed and
 * the rest read.  *out is set whenever a handle could be made (also on
 * failure, for its message and rejections); free it with
 * hicov_dhis2_read_free.  Returns HICOV_OK, HICOV_PARSE, HICOV_IO,
 * HICOV_LIMIT, HICOV_INVALID (the file's idScheme differs from the map's),
 * HICOV_NOMEM. */
HICOV_API int hicov_dhis2_read_file(HicovDataset *ds, const char *path,
                                    int format, const HicovDhis2Map *map,
                                    int mode, HicovDhis2Read **out);
HICOV_API int hicov_dhis2_read_buffer(HicovDataset *ds, const char *name,
                                      const char *data, size_t len,
                                      int format, const HicovDhis2Map *map,
                                      int mode, HicovDhis2Read **out);
HICOV_API void hicov_dhis2_read_free(HicovDhis2Read *r);
/* The format read (HicovDhis2Format). */
HICOV_API int hicov_dhis2_read_format(const HicovDhis2Read *r);
/* The message of a failed read ("" if none); belongs to r. */
HICOV_API const char *hicov_dhis2_read_errmsg(const HicovDhis2Read *r);
HICOV_API void hicov_dhis2_read_counts(const HicovDhis2Read *r,
                                       HicovDhis2Counts *out);
/* The rejections, one a line (at most 1000, then a count), or NULL;
 * belongs to r. */
HICOV_API const char *hicov_dhis2_read_rejections(const HicovDhis2Read *r);
/* The accepted values in document order (where: "f.xml line 7",
 * "f.json dataValues[3]"); belong to r. */
HICOV_API const HicovValue *hicov_dhis2_read_values(const HicovDhis2Read *r,
                                                    size_t *n);
/* hicov_dataset_merge_values with source "adx:<file name>" or
 * "dhis2:<file name>" when source is NULL. */
HICOV_API int hicov_dhis2_read_merge(const HicovDhis2Read *r,
                                     HicovDataset *ds, int policy,
                                     const char *source,
                                     HicovMergeStats *stats,
                                     char **conflicts);

#ifdef __cplusplus
}
#endif

#endif /* HICOV_DHIS2_H */

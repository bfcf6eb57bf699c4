/* hicov-claims.h - reading BHYT claims (XML1 "TONG_HOP" summaries) into
 * aggregated measures.
 *
 * Input forms (detected from the bytes, not from the file name):
 *  - envelope: GIAMDINHHS with base64 NOIDUNGFILE inner documents, one HOSO
 *    per visit; the XML1 inner document of each HOSO is read (QĐ 4210 and
 *    QĐ 130/4750/3176, told apart by their field names);
 *  - plain XML: TONG_HOP elements, either as the root or below a root;
 *  - CSV: a header row of XML1 field names, then one row per visit.
 *
 * XML is read by a streaming scanner that never loads a DTD, never expands
 * an entity other than the five predefined ones and character references,
 * and never touches the network: a DOCTYPE, an undeclared entity, nesting
 * deeper than 64 levels, bytes that are not UTF-8 or a declared encoding
 * other than UTF-8 refuse the document with a message saying where.
 *
 * Every record read is either accepted or rejected (read = accepted +
 * rejected), each rejection with its reason, file, record key (MA_LK) and
 * field.  Values real files contain but the standard does not allow
 * ("NaN" amounts, a comma decimal, a 14-character card number) are
 * tolerated and counted as flags.
 *
 * Money is exact: amounts are parsed as decimal đồng into int64 hundredths
 * ("centi"); no binary floating point is involved.
 *
 * Threads: a HicovClaims handle must not be used from two threads at once;
 * hicov_claims_read_paths runs its own worker threads internally.
 *
 * Memory is bounded although duplicates and distinct patients are exact
 * (no sketch):
 *  - duplicate detection: one 64-bit key (hash of facility + MA_LK) per
 *    accepted record, in a table of at most 2^20 slots (8 MB); when it is
 *    full its keys are sorted and written as a run to a file without a
 *    name in $TMPDIR (or /tmp; O_TMPFILE, else unlinked at once), eight runs
 *    of a size are merged into one, and a
 *    Bloom filter (10-12.5 bits a written key) sends only its ~1% false
 *    positives to the runs, one 2 KB read per run;
 *  - distinct patients: one 24-byte entry (patient, facility, settlement
 *    month, fund paid) a record, appended to a table of at most 2^16
 *    (1.5 MB); when it is full it is sorted, the copies of each triple
 *    summed, and written out as a run the same way; the runs are read
 *    back in patient order when counted, a window of patients at a time
 *    sorted in memory (a patient's fund past 64 bits is reported then,
 *    HICOV_OVERFLOW, not by the read);
 *  - cells, the result: at most 2^19 facility x month x group x visit type
 *    cells (21 MB, with a 4 MB index) in memory while reading, more than a
 *    province's year holds; past that the table is written out as it is
 *    and emptied (40 bytes a cell each time), and the copies are merged
 *    back when the cells are wanted whole (hicov_claims_sort_cells, the
 *    dataset and values.csv, hicov_claims_serialize) or a slice of
 *    facilities at a time (hicov_claims_values_csv_write), while the totals and
 *    the tier visits add them up from the disk;
 *  - input: never mapped (a mapped file that shrinks while it is read
 *    kills the process with SIGBUS); each thread reads with pread() into
 *    its own buffer, a file of up to 16 MB whole, a bigger one through a
 *    window of a little over 1 MB that moves on between records and grows
 *    in place for a record that does not fit, up to 256 MB (past that the
 *    file fails with HICOV_LIMIT); a big file read by several threads is
 *    parsed in 1 MB chunks (two in flight per thread), each chunk's first
 *    record searched for in the chunk alone, so that time stays
 *    proportional to the size whatever the records' spacing.  A file read
 *    short, or whose size or modification time changed by the end of its
 *    read, fails with HICOV_IO ("the file changed while it was read").
 * A full or missing temporary directory fails the file with HICOV_IO and
 * a message naming it; the rest of the file is still read and counted,
 * its records rejected with it.  The one part of the memory that still grows with
 * the input is the duplicate keys' Bloom filter, 1.25-1.6 bytes a
 * record; it is freed at the end of each read (the totals and the
 * distinct counts use the room) and built again from the written-out keys
 * by the next read or merge that checks a key.
 * With cells written out, a cell whose copies together pass a limit is
 * reported when they are merged (HICOV_OVERFLOW, naming the cell), not by
 * the read; the totals then fail too.
 * Temporary files: about 8 bytes per record, 24 per patient triple and,
 * past the cell budget, up to 40 per record for the cells (records in no
 * order; a facility's records together write its cells about once).
 */
#ifndef HICOV_CLAIMS_H
#define HICOV_CLAIMS_H

#include <stddef.h>
#include <stdint.h>

#include "hicov-core.h"
#include "hicov-data.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct HicovClaims HicovClaims;

/* Why a record was rejected. */
typedef enum {
  HICOV_CLAIMS_REJECT_MISSING = 0,  /* a required field is absent or empty */
  HICOV_CLAIMS_REJECT_MALFORMED,    /* a field's value cannot be read */
  HICOV_CLAIMS_REJECT_DUPLICATE,    /* same MA_LK at the same facility again */
  HICOV_CLAIMS_REJECT_INNER_XML,    /* the XML1 document is not acceptable XML */
  HICOV_CLAIMS_REJECT_BASE64,       /* NOIDUNGFILE is not valid base64 */
  HICOV_CLAIMS_REJECT_NO_XML1,      /* a HOSO without (or with two) XML1 */
  HICOV_CLAIMS_REJECT_CSV_ROW,      /* a CSV row with the wrong field count */
  HICOV_CLAIMS_REJECT_FILE,         /* read from a file refused later on */
  HICOV_CLAIMS_N_REJECT
} HicovClaimsReject;

/* What was tolerated in an accepted record (a record may have several). */
typedef enum {
  HICOV_CLAIMS_FLAG_AMOUNT_NAN = 0, /* "NaN" amount read as 0 */
  HICOV_CLAIMS_FLAG_AMOUNT_COMMA,   /* "145940,50" read as 145940.50 */
  HICOV_CLAIMS_FLAG_CARD_MISSING,   /* no card number: patient = MA_BN+facility */
  HICOV_CLAIMS_FLAG_CARD_MALFORMED, /* e.g. 14 characters: group from the
                                       first two letters if they are letters,
                                       patient = MA_BN+facility */
  HICOV_CLAIMS_FLAG_CARD_SI_ONLY,   /* only the 10-digit social-insurance
                                       number: patient known, group "UNK" */
  HICOV_CLAIMS_FLAG_CARD_MULTIPLE,  /* "card;card": the first card is used */
  HICOV_CLAIMS_FLAG_DAYS_COMPUTED,  /* SO_NGAY_DTRI absent: days from
                                       NGAY_VAO/NGAY_RA (rule §5) */
  HICOV_CLAIMS_FLAG_FACILITY_ENVELOPE, /* MA_CSKCB absent: envelope MACSKCB */
  HICOV_CLAIMS_FLAG_NO_PATIENT,     /* neither card nor MA_BN: the visit
                                       counts as its own patient */
  HICOV_CLAIMS_FLAG_HOSO_COUNT,     /* envelope SOLUONGHOSO differs from the
                                       HOSO found (counted per file) */
  HICOV_CLAIMS_N_FLAG
} HicovClaimsFlag;

/* Short names ("missing", "duplicate", "amount_nan", ...). Static strings;
 * NULL when out of range. */
HICOV_API const char *hicov_claims_reject_name(int reason);
HICOV_API const char *hicov_claims_flag_name(int flag);

/* Reconciliation counts: records_read = accepted + rejected, always. */
typedef struct {
  int64_t records_read;
  int64_t accepted;
  int64_t rejected;
  int64_t rejected_by[HICOV_CLAIMS_N_REJECT];
  int64_t flagged;                 /* accepted records with any flag */
  int64_t flagged_by[HICOV_CLAIMS_N_FLAG];
  int64_t records_4210;            /* accepted, by era of the field names */
  int64_t records_130;
  int64_t files_read;              /* files (or buffers) opened */
  int64_t files_failed;            /* files refused or cut short */
  int64_t bytes_read;
  int64_t merge_conflicts;         /* duplicates found by hicov_claims_merge
                                      between two accumulators: both copies
                                      stay counted (see hicov_claims_merge) */
} HicovClaimsCounts;

/* Creates an empty accumulator. Returns HICOV_OK or HICOV_NOMEM. */
HICOV_API int hicov_claims_new(HicovClaims **out);
HICOV_API void hicov_claims_free(HicovClaims *c);

/* Message of the last failing call on c ("" if none); belongs to c. */
HICOV_API const char *hicov_claims_errmsg(const HicovClaims *c);

/* The language of the text c writes from now on: the kept messages
 * (rejections, flags, file errors, notes) and hicov_claims_errmsg.  lang
 * is a tag as in "Text" (hicov-core.h: "vi", "en"), or NULL (the default)
 * for the process's language, looked up when a text is written (once per
 * read for the worker threads of hicov_claims_read_paths).  Text written
 * before keeps its language.  Only the sentences change: a message's kind,
 * code, file, record and field, the short names (hicov_claims_reject_name)
 * and the counts are the same in every language, so that states read in
 * different languages merge and group alike.  The language is a setting
 * of the handle, not part of its state (hicov_claims_serialize).
 * HICOV_INVALID when c is NULL. */
HICOV_API int hicov_claims_set_lang(HicovClaims *c, const char *lang);
/* "vi", "en", or NULL when c follows the process's language. */
HICOV_API const char *hicov_claims_lang(const HicovClaims *c);

/* How many messages (rejections, flags, file errors) are kept; further
 * ones are only counted. Default 1000. */
HICOV_API void hicov_claims_set_max_messages(HicovClaims *c, size_t n);

/* Reads one file (any of the three forms).  A file that cannot be read or
 * is refused (hostile or broken XML, an unreadable CSV header) returns
 * HICOV_IO / HICOV_PARSE / HICOV_LIMIT with the message on c; its records
 * are then counted as rejected (REJECT_FILE), except in files of more than
 * 1024 records, whose records before the last 1024 were already taken (the
 * message says how many).  Record-level problems are not failures: they are
 * counted and the call returns HICOV_OK. */
HICOV_API int hicov_claims_read_file(HicovClaims *c, const char *path);

/* The same from memory; name is used in messages. c keeps no pointer. */
HICOV_API int hicov_claims_read_buffer(HicovClaims *c, const char *name,
                                       const void *data, size_t len);

/* Progress of hicov_claims_read_paths, reported from the calling thread
 * about five times a second.  Return nonzero to cancel the run. */
typedef struct {
  int64_t bytes_done, bytes_total;
  int64_t files_done, files_total;
  int64_t records;
} HicovClaimsProgress;
typedef int (*HicovClaimsProgressFn)(const HicovClaimsProgress *p, void *user);

/* Reads files and folders (searched recursively, in name order, hidden
 * names skipped; each folder once, however many links lead to it: a link
 * back to a folder read already is skipped with a note; folders nested
 * more than 32 deep fail as a file does) with
 * `threads` worker threads (0: the number of online CPUs).  Only regular
 * files are read: a FIFO, a device or a socket fails without being waited
 * on.  No file is mapped: a file that changes while it is read (shorter,
 * longer, modified) fails with HICOV_IO.  Plain-XML and
 * CSV files of 32 MB and more come first, each read by all threads: they
 * parse 1 MB chunks in parallel and add them to c in file order.  Other
 * files are shared out whole, each read into its own accumulator that is
 * absorbed in file order.  The result, the duplicates counted and the
 * messages are the same with any number of threads.
 * Returns HICOV_OK when every file was read, else the status of the first
 * failing file (all files are still read; the messages list them) or
 * HICOV_ERROR when cancelled. */
HICOV_API int hicov_claims_read_paths(HicovClaims *c, const char *const *paths,
                                      size_t n, int threads,
                                      HicovClaimsProgressFn progress,
                                      void *user);

HICOV_API void hicov_claims_counts(const HicovClaims *c, HicovClaimsCounts *out);

/* A kept message.  Strings belong to c. */
typedef enum {
  HICOV_CLAIMS_MSG_REJECT = 1,
  HICOV_CLAIMS_MSG_FLAG = 2,
  HICOV_CLAIMS_MSG_FILE = 3, /* the file as a whole failed */
  HICOV_CLAIMS_MSG_NOTE = 4  /* not a failure: a folder skipped (read
                                already), a file with no XML1 record */
} HicovClaimsMessageKind;
typedef struct {
  int kind;            /* HicovClaimsMessageKind */
  int code;            /* HicovClaimsReject or HicovClaimsFlag; status for
                          FILE; 0 for NOTE */
  const char *file;
  const char *record;  /* MA_LK, or "" when unknown */
  const char *field;   /* field name, or "" */
  const char *message; /* full sentence: file, record, field, expected/found */
} HicovClaimsMessage;
HICOV_API size_t hicov_claims_message_count(const HicovClaims *c);
HICOV_API int hicov_claims_message(const HicovClaims *c, size_t i,
                                   HicovClaimsMessage *out);

/* Aggregated cells: facility x settlement month x card group x visit type.
 * Money in centi (hundredths of a đồng). */
typedef struct {
  const char *facility;  /* MA_CSKCB; belongs to c */
  int year, month;       /* settlement NAM_QT / THANG_QT */
  char group[4];         /* card's first two letters, or "UNK" */
  int visit_type;        /* MA_LOAI_KCB as a number, 1..16 */
  int64_t visits;
  int64_t inpatient_visits;
  int64_t inpatient_days;
  int64_t total_cost;    /* centi: T_TONGCHI_BV (130) or T_TONGCHI (4210) */
  int64_t fund_paid;     /* centi: T_BHTT */
  int64_t copay;         /* centi: T_BNCCT */
} HicovClaimsCell;
/* Cells are in a stable order (facility code, month, group, visit type)
 * after hicov_claims_sort_cells; the index is valid until c changes.
 * hicov_claims_sort_cells first brings back the cells a big read wrote
 * out (the whole result in memory; HICOV_IO, HICOV_NOMEM or HICOV_OVERFLOW
 * leave them where they were): call it before hicov_claims_cell_count,
 * which counts the cells in memory. */
HICOV_API size_t hicov_claims_cell_count(const HicovClaims *c);
HICOV_API int hicov_claims_cell(const HicovClaims *c, size_t i,
                                HicovClaimsCell *out);
HICOV_API int hicov_claims_sort_cells(HicovClaims *c);

/* Grand totals over every cell (counts plain, money in centi). */
typedef struct {
  int64_t visits, inpatient_visits, inpatient_days;
  int64_t total_cost, fund_paid, copay;
  int64_t patients;              /* distinct over everything read */
  int64_t facilities;
  int first_month, last_month;   /* year*12+month-1; 0 when empty */
} HicovClaimsTotals;
/* The distinct patients are read from the patient triples, unless a count
 * per unit and period (hicov_claims_distinct, the values) counted them
 * since the last triple came. */
HICOV_API int hicov_claims_totals(const HicovClaims *c, HicovClaimsTotals *out);

/* Distinct patients: one row per unit and period.  Units are the
 * facilities and, when ds is given, every unit above them (the facility
 * unit's parent chain: commune, district, province, country); periods are
 * each settlement month and each year.  Patient key: the card's 10-digit
 * social-insurance number (characters 6-15), or MA_BN + facility without a
 * usable card.  A patient counts in patients_500m / patients_1b when the
 * fund paid (T_BHTT) for them in that unit and period reaches 500 million /
 * 1 billion đồng. */
typedef struct {
  char unit[64];
  int level;             /* HicovLevel; FACILITY without a dataset */
  HicovPeriod period;    /* a month or a year */
  int64_t patients, patients_500m, patients_1b;
} HicovClaimsDistinct;
/* *out: caller frees with hicov_free, rows by unit (the dataset's order;
 * without one, the facilities' codes) and then period, a year before its
 * months.  Facilities unknown to ds (when given) fail with HICOV_NOTFOUND
 * and a message listing them. */
HICOV_API int hicov_claims_distinct(HicovClaims *c, const HicovDataset *ds,
                                    HicovClaimsDistinct **out, size_t *n);

/* Visits by the tier of their facility (index: HicovTier), for the
 * commune-tier share of visits.  Facilities unknown to ds count under
 * HICOV_TIER_NONE. */
HICOV_API int hicov_claims_tier_visits(const HicovClaims *c,
                                       const HicovDataset *ds,
                                       int64_t visits[5]);

/* Adds the aggregates to ds with hicov_dataset_add_value:
 *  visits, inpatient_visits, inpatient_days, total_cost, fund_paid, copay
 *    per facility x settlement month x group (groups summed over visit
 *    types; money in centi of đồng);
 *  patients, patients_500m, patients_1b per facility and every unit above
 *    it x month and year, for all groups.
 * Every facility must be a unit of ds: otherwise nothing is added and
 * HICOV_NOTFOUND names them (c's message).  Errors from ds (e.g. a value
 * already present) are copied to c's message and the values added before
 * the error are taken back: ds is left as it was. */
HICOV_API int hicov_claims_to_dataset(HicovClaims *c, HicovDataset *ds,
                                      const char *source);

/* Merges the values of hicov_claims_to_dataset into ds with
 * hicov_dataset_merge_values under policy (HICOV_CONFLICT_*), all or
 * nothing: what `hicov claims -o DIR` saves.  The values go straight to
 * the merge, without a second dataset to hold them first (at 1 GB of
 * claims, 4 million values: that copy, its index and its sort were a
 * third of the time).  stats and conflicts as for the merge; a failure's
 * message is c's (the dataset's copied there). */
HICOV_API int hicov_claims_merge_into(HicovClaims *c, HicovDataset *ds,
                                      const char *source, int policy,
                                      HicovMergeStats *stats,
                                      char **conflicts);

/* Writes the same values as hicov_claims_to_dataset in the values.csv
 * format the core loads (unit,period,measure,value,group,source), without
 * needing a dataset (distinct counts then only per facility).  *out:
 * caller frees with hicov_free. */
HICOV_API int hicov_claims_values_csv(HicovClaims *c, const HicovDataset *ds,
                                      const char *source, char **out,
                                      size_t *len);

/* The same CSV handed in pieces of about 64 KB to write(ctx, data, n),
 * for output too large to hold in memory (a 1 GB claims file gives about
 * 150 MB): a non-zero return of write stops and is returned.  *len (may
 * be NULL) gets the bytes written.  Cells written out during the read
 * stay there: they come back a slice of facilities at a time, in bounded
 * memory (hicov_claims_values_csv merges them all back into memory). */
typedef int (*HicovWriteFn)(void *ctx, const void *data, size_t n);
HICOV_API int hicov_claims_values_csv_write(HicovClaims *c,
                                            const HicovDataset *ds,
                                            const char *source,
                                            HicovWriteFn write, void *ctx,
                                            size_t *len);

/* Adds src into dst exactly (src is unchanged).  Duplicate records (same
 * facility and MA_LK) present in both cannot be taken out of the sums any
 * more: they are counted in merge_conflicts.  Split input by facility to
 * avoid them. */
HICOV_API int hicov_claims_merge(HicovClaims *dst, const HicovClaims *src);

/* Serialises the whole state (for pickling) into *out (caller frees with
 * hicov_free); hicov_claims_deserialize builds a new accumulator from it. */
HICOV_API int hicov_claims_serialize(const HicovClaims *c, void **out,
                                     size_t *len);
HICOV_API int hicov_claims_deserialize(const void *data, size_t len,
                                       HicovClaims **out);
/* hicov_claims_deserialize, with why bytes are refused in err (may be
 * NULL): not a state of this format, or one no read or merge gives
 * (negative counts, counts past 2^62, counts that do not add up: read !=
 * accepted + rejected, the reasons, the eras, the cells' visits; a table
 * larger than the bytes).  HICOV_PARSE then. */
HICOV_API int hicov_claims_load_state(const void *data, size_t len,
                                      HicovClaims **out, char *err,
                                      size_t err_size);
/* The same with err in lang (a tag as in hicov_claims_set_lang; NULL, as
 * hicov_claims_load_state, the process's language), and *out speaking
 * lang. */
HICOV_API int hicov_claims_load_state_lang(const void *data, size_t len,
                                           const char *lang,
                                           HicovClaims **out, char *err,
                                           size_t err_size);

#ifdef __cplusplus
}
#endif

#endif /* HICOV_CLAIMS_H */

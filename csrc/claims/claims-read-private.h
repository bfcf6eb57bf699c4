/* claims-read-private.h - internals shared by the files of the claims
 * reader: the fields of XML1 we read, a raw record, a part (one file or a
 * slice of one, read by one thread), the XML scanner and where each step
 * lives.  Not API. */
#ifndef HICOV_CLAIMS_READ_PRIVATE_H
#define HICOV_CLAIMS_READ_PRIVATE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "claims-private.h"

#define XML_MAX_DEPTH 64
#define WINDOW 1024              /* records held back before committing */
#define INNER_MAX (16u << 20)    /* decoded inner document limit */
#define ARENA_SIZE 65536         /* decoded text of one record's fields */
#define CHUNK_BYTES (1u << 20)   /* a big file is parsed in chunks this big */
/* The longest stretch of a file held at once: a record, or whatever lies
 * between two places where the window may slide (see claims-window.c).
 * A file needing more fails (HICOV_LIMIT). */
#define CLAIMS_SPAN_MAX ((size_t)256 << 20)
/* A region with no record start (claims_region_start). */
#define REGION_NONE ((size_t)-1)

/* ------------------------------------------------------------------------ */
/* Run context shared by the parts of one read_paths call                    */

typedef struct {
  _Atomic int64_t bytes_done;
  _Atomic int64_t records;
  _Atomic int64_t files_done;
  _Atomic int cancel;
} RunShared;

/* ------------------------------------------------------------------------ */
/* Fields of XML1 we read (claims-validate.c)                                */

enum {
  F_MA_LK, F_MA_BN, F_MA_THE_BHYT, F_MA_THE, F_SO_NGAY_DTRI, F_T_TONGCHI_BV,
  F_T_TONGCHI, F_T_BNCCT, F_T_BHTT, F_NAM_QT, F_THANG_QT, F_MA_LOAI_KCB,
  F_MA_CSKCB, F_NGAY_VAO, F_NGAY_RA, N_FIELDS
};

typedef struct {
  const char *name;
  size_t len;
} ClaimsFieldName;

extern const ClaimsFieldName claims_field_names[N_FIELDS];

/* Field dispatch: a perfect hash of (length, first and last two bytes)
 * into 64 slots, confirmed by one memcmp; the multiplier is chosen once
 * (the first that separates the names), so most of the ~40 XML1 fields we
 * skip cost a few instructions. */
#define FIELD_SLOTS 64
extern signed char claims_field_slot[FIELD_SLOTS];
extern uint32_t claims_field_mult;

/* Fills claims_field_slot and claims_field_mult (once; any thread). */
void claims_fields_init(void);

static inline unsigned field_hash(const char *n, size_t len, uint32_t mult)
{
  uint32_t k = (uint32_t)len | (uint32_t)(unsigned char)n[0] << 8 |
               (uint32_t)(unsigned char)n[len - 1] << 16 |
               (uint32_t)(unsigned char)n[len - 2] << 24;
  return (k * mult) >> 26;
}

/* a[0..n) == b[0..n), inline for the short names compared per field */
static inline int eq_bytes(const char *a, const char *b, size_t n)
{
  uint64_t x, y, u, v;
  if (n >= 8 && n <= 16) {
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    memcpy(&u, a + n - 8, 8);
    memcpy(&v, b + n - 8, 8);
    return ((x ^ y) | (u ^ v)) == 0;
  }
  if (n >= 4 && n < 8) {
    uint32_t x4, y4, u4, v4;
    memcpy(&x4, a, 4);
    memcpy(&y4, b, 4);
    memcpy(&u4, a + n - 4, 4);
    memcpy(&v4, b + n - 4, 4);
    return ((x4 ^ y4) | (u4 ^ v4)) == 0;
  }
  return !memcmp(a, b, n);
}

/* The field id of an element or column name, or -1 (after
 * claims_fields_init). */
static inline int field_lookup(const char *name, size_t len)
{
  if (len < 5 || len > 12)
    return -1; /* the shortest and longest names we read */
  int f = claims_field_slot[field_hash(name, len, claims_field_mult)];
  if (f >= 0 && claims_field_names[f].len == len &&
      eq_bytes(claims_field_names[f].name, name, len))
    return f;
  return -1;
}

/* Text of an input slice for a message: printable ASCII kept, others as
 * \xNN, at most 40 bytes; returns buf. */
const char *claims_quote_val(const char *s, size_t n, char *buf, size_t size);

static inline int is_ws(char ch)
{
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static inline void trim(const char **s, size_t *n)
{
  while (*n && is_ws(**s)) {
    (*s)++;
    (*n)--;
  }
  while (*n && is_ws((*s)[*n - 1]))
    (*n)--;
}

/* The fields of one record as read: slices of the input, or of the arena
 * when a field had to be decoded or gathered from several pieces. */
typedef struct {
  const char *v[N_FIELDS];
  size_t len[N_FIELDS];
  unsigned char present[N_FIELDS];
  unsigned char in_arena[N_FIELDS];
  unsigned char twice[N_FIELDS];
  unsigned char nested[N_FIELDS];
  unsigned char odd;  /* a twice[] or nested[] is set: look for it */
  char *arena; /* ARENA_SIZE bytes, owned by the part */
  size_t arena_len;
  int overflow; /* a field did not fit in the arena */
} RawRec;

static inline void raw_reset(RawRec *r, char *arena)
{
  memset(r, 0, offsetof(RawRec, arena));
  r->arena = arena;
  r->arena_len = 0;
  r->overflow = 0;
}

/* ------------------------------------------------------------------------ */
/* A part: one file, or one slice of a split file, read by one thread        */
/* (claims-part.c)                                                           */

/* The validated records of one chunk of a big file, kept until its turn to
 * be committed, with the places where a serial read would have committed a
 * window: after bnd_rec[i] records, when bnd_msg[i] messages were made. */
typedef struct {
  ClaimsRec *rec;
  size_t n, cap;
  size_t *bnd_rec, *bnd_msg;
  HicovClaimsCounts *bnd_counts; /* the parse's counts at each mark */
  size_t n_bnd, cap_bnd_rec, cap_bnd_msg, cap_bnd_counts;
  unsigned char *added;  /* the duplicate check's answers */
  size_t cap_added;
  int keys_rc;           /* the duplicate check's status (its first half) */
  int keys_rc_hi;        /* the second half's, until the chunk is added */
} ChunkBuf;

/* A chunk in flight, from its parse until its records are added. */
enum { SLOT_FREE, SLOT_PARSING, SLOT_PARSED, SLOT_CHECKING, SLOT_HALF_CHECKED,
       SLOT_CHECKING_HI, SLOT_CHECKED, SLOT_ADDING };
typedef struct ChunkSlot {
  ChunkBuf buf;
  struct HicovClaims *acc; /* the parse's counts and messages */
  size_t k;                /* chunk number */
  size_t from, stopped;    /* from: REGION_NONE for a chunk with no record
                              start (the chunk before reads across it) */
  int state;               /* SLOT_* (Run lock) */
  int prc;                 /* the parse's status */
  char err[480];           /* its message */
} ChunkSlot;

/* An input file, open: what fstat said when it was opened, to tell a file
 * that changes while it is read (claims-window.c). */
typedef struct {
  int fd;
  uint64_t size;
  uint64_t dev, ino;
  int64_t mtime_s, mtime_ns;
} Input;

/* A worker's buffer for the bytes of its inputs: address space reserved
 * for CLAIMS_SPAN_MAX and more, of which the first rw bytes are usable, so
 * that a window grows in place (what points into it stays valid). */
typedef struct {
  char *mem;
  size_t rw;
} WinBuf;

/* Where the next chunk start lies, found lazily (claims_region_start): in
 * region k or later; at is its place once resolved, else k * chunk size (a
 * lower bound).  Resolved with at = (size_t)-1: none before the end. */
typedef struct {
  size_t k, at;
  int resolved;
} Bound;

typedef struct {
  HicovClaims *c;       /* where records go */
  const char *file;     /* name in messages */
  /* the input held: bytes [off, off + avail) of it at base; all of it when
     eof and off == 0 (a buffer, or a small file read whole) */
  const char *base;
  size_t off, avail;
  size_t size;          /* the input's size */
  int eof;              /* off + avail == size */
  Input *in;            /* NULL: base is the caller's buffer */
  WinBuf *wb;           /* where base is, when in */
  char *pin;            /* open elements' names, kept when the window slides */
  size_t reported;      /* progress reported up to this offset */
  int64_t read_reported;
  RunShared *run;       /* NULL outside read_paths */
  ClaimsRec *win;
  size_t n_win;
  /* an envelope's record read from its XML1 but not yet pushed (its HOSO
     has not closed): rejected with the file if the envelope fails */
  int64_t pending;
  int64_t committed;    /* records of this part committed already */
  /* the accumulator failed (its temporary files, a limit: HICOV_IO,
     HICOV_LIMIT): the rest of the input is read and counted, its records
     dropped (rejected with the file at the end) */
  int dead;
  int64_t dropped;
  char dead_err[480];   /* its message (the file's, whatever came after) */
  int64_t read;         /* records of this part read */
  char *arena;
  unsigned char *inner; /* decoded base64 */
  size_t inner_cap;
  char *b64;            /* NOIDUNGFILE text when it had to be copied */
  size_t b64_len, b64_cap;
  char env_fac[CLAIMS_FAC_MAX + 1];
  int status;
  char err[480];
  char why[360];        /* why the window could not grow (claims_part_more) */
  /* chunk starts, of a CSV (csv) or plain XML file whose body starts at
     body: where a chunk's parse stops, and where a serial read commits */
  int bnd_csv;
  size_t bnd_body;
  Bound stop;           /* a chunk's parse stops at the first record */
  size_t stop_at;       /* boundary at/after stop (stop.at, a copy) */
  size_t stopped;       /* where the part stopped */
  /* CSV header map (shared by the parts of a CSV file) */
  const int *csv_map;
  size_t csv_ncols;
  ChunkBuf *chunk;      /* a chunk's parse: records kept here, not committed */
  Bound mark;           /* a serial read commits its window at the first */
  size_t next_flush;    /* boundary at/after mark (mark.at, a copy) */
  /* the chunk starts found so far (start + 1; (size_t)-1: none; 0: not
     known yet), shared by the threads reading the file in chunks, or the
     part's own (own_starts), or NULL; those of chunks before memo_k are
     known, or wanted by no bound */
  _Atomic size_t *starts;
  _Atomic size_t *own_starts;
  size_t memo_k;
} Part;

/* Files at least this big are split between threads (tests lower it). */
size_t claims_split_min(void);
/* A big file is parsed in chunks of this size. */
size_t claims_chunk_size(void);

/* A part reading into c (run: NULL outside read_paths), with no input yet
 * (claims_part_buffer, claims_part_input); claims_part_clear frees its
 * buffers. */
int claims_part_init(Part *pt, HicovClaims *c, const char *file,
                     RunShared *run);
void claims_part_clear(Part *pt);
/* The part reads data[0, size), the caller's. */
void claims_part_buffer(Part *pt, const char *data, size_t size);
/* The part reads the file in, into wb (nothing held yet:
 * claims_part_load). */
void claims_part_input(Part *pt, Input *in, WinBuf *wb);
/* A validated record into the window (committed when full), or into the
 * chunk's buffer. */
/* Where the next record may be validated, so that claims_part_push keeps
 * it without a copy (a record is some 300 bytes; the copy from the stack
 * was a few per cent of a read): the chunk's next record, or the window's
 * next (its spare when full).  NULL for memory. */
ClaimsRec *claims_part_slot(Part *pt);
int claims_part_push(Part *pt, const ClaimsRec *r);
/* Chunk starts: the form of the file for the bounds; a stop at the start
 * of chunk k (none past the last); a serial read's first mark. */
void claims_part_bounds(Part *pt, int csv, size_t body);
void claims_part_stop_at_chunk(Part *pt, size_t k);
void claims_part_marks(Part *pt);
/* Finds where b lies while its lower bound is at or before pos: after it,
 * b->at > pos or b is resolved.  Returns a status. */
int claims_bound_resolve(Part *pt, Bound *b, size_t pos);
/* At a record boundary pos at or past pt->stop_at: *stop = 1 when the
 * chunk's parse ends there.  Returns a status. */
int claims_part_stop(Part *pt, size_t pos, int *stop);
/* A serial read of a CSV or plain XML file commits its window at the
 * first record boundary at or after each chunk start: call at a boundary
 * pos at or past pt->next_flush. */
int claims_part_chunk_mark(Part *pt, size_t pos);
/* Where the first record start of chunk k lies in the input (k >= 1): the
 * start of the line after the first newline in [k * cb, (k + 1) * cb) for
 * CSV, the first "<TONG_HOP" followed by '>', '/' or a space starting in
 * it for XML, never before body; REGION_NONE when there is none.  The
 * window must hold the input from k * cb (or body) on; it grows as the
 * search needs.  Returns a status. */
int claims_region_start(Part *pt, size_t k, size_t *out);
/* Progress at a record boundary at offset pos. */
void claims_part_progress(Part *pt, size_t pos);
/* Ends a part: commits the window on success; on failure counts the held
 * records as rejected and records the file error.  Returns rc or the
 * commit's status. */
int claims_part_finish(Part *pt, int rc);

/* ---- The window (claims-window.c) ---- */

/* Opens path to read: a regular file only (a FIFO, a device or a socket is
 * refused without waiting on it).  err gets the message. */
int claims_input_open(const char *path, const char *lang, Input *in, char *err,
                      size_t esize);
void claims_input_close(Input *in);
/* Nonzero when the file is no longer as it was opened (size, time), with
 * the message in err (prefixed with name). */
int claims_input_changed(const Input *in, const char *lang, const char *name,
                         char *err, size_t esize);
void claims_winbuf_free(WinBuf *wb);
/* Files up to this size are read whole; bigger ones through a window. */
size_t claims_whole_max(void);
/* The window starts again at from, holding up to the window's size (all
 * of the input from there when whole).  Returns a status (pt->why). */
int claims_part_load(Part *pt, size_t from, int whole);
/* Makes the window hold the input up to need at least (its end when
 * shorter), growing it in place: pointers into it stay valid.  Returns a
 * status, with the reason in pt->why: HICOV_LIMIT past CLAIMS_SPAN_MAX,
 * HICOV_IO when the file cannot be read or changed (came back short). */
int claims_part_more(Part *pt, size_t need);
/* At a record boundary keep: drops what lies before it (pointers into the
 * window are then invalid) and reads on.  The chunk starts before keep
 * that are still wanted are found first. */
int claims_part_slide(Part *pt, size_t keep);
/* Line and column (1-based) of input offset off, read from the start of
 * the file when the window does not hold it. */
void claims_part_line_col(const Part *pt, size_t off, long *line, long *col);

extern size_t claims_win_low, claims_win_fill;
extern _Atomic uint64_t claims_bytes_read, claims_bytes_searched;

/* Whether the window should slide at a record boundary at offset pos: when
 * little is left ahead, or when more lies behind than a window's worth and
 * half of what it holds (after it grew for a long record: it would grow
 * again for the next one instead of moving on). */
static inline int part_low(const Part *pt, size_t pos)
{
  size_t behind = pos - pt->off;
  return !pt->eof && (pt->off + pt->avail - pos < claims_win_low ||
                      (behind > claims_win_fill && behind > pt->avail / 2));
}

static inline int part_cancelled(const Part *pt)
{
  return pt->run && atomic_load_explicit(&pt->run->cancel, memory_order_relaxed);
}

/* ------------------------------------------------------------------------ */
/* Validation (claims-validate.c)                                            */

/* Where a record is, for messages: "file, byte N" or "file, HOSO N". */
enum { WHERE_BYTE, WHERE_HOSO };
typedef struct {
  const char *file;
  int unit; /* WHERE_BYTE, WHERE_HOSO */
  int64_t pos;
} Where;

/* Validates a raw record.  Returns 1 with *out filled when accepted, 0 when
 * rejected (counted, message kept), or a negative status on failure. */
int claims_validate(Part *pt, RawRec *r, const Where *w, ClaimsRec *out);
/* Counts a rejected record and keeps its message (within the bound);
 * returns a status (HICOV_NOMEM). */
int claims_reject(Part *pt, const Where *w, int reason, const char *ma_lk,
                  const char *field, const char *fmt, ...) HICOV_PRINTF(6, 7);
/* Non-negative integer in [lo, hi]: 0 ok, 1 empty, 2 malformed. */
int claims_parse_int(const char *s, size_t n, long lo, long hi, long *out);

/* ------------------------------------------------------------------------ */
/* XML scanner (claims-xml.c)                                                */

enum { XT_START = 1, XT_END, XT_TEXT, XT_EOF, XT_ERR };
enum { TK_PLAIN = 0, TK_ENTITY = 1, TK_CDATA = 2 };

typedef struct {
  const char *doc, *p, *end;
  int depth;
  const char *sname[XML_MAX_DEPTH];
  uint32_t slen[XML_MAX_DEPTH];
  int pending_end;
  int seen_root, root_done;
  const char *name; /* local name of the START/END token */
  size_t nlen;
  const char *text;
  size_t tlen;
  int tkind;
  const char *err_at;
  const char *lang; /* of err: the part's handle's */
  char err[400];
  /* reading a part's window (NULL: the whole document is at doc): a token
     that reaches end before the input's end is read again once the window
     has grown (claims_xs_next) */
  Part *part;
  int eof;          /* end is the document's end */
  int at_end;       /* the last error came from reaching end */
  int err_status;   /* the status of an error not in the document (the
                       window could not grow: HICOV_LIMIT, HICOV_IO), or 0 */
} XScan;

/* Checks the prolog's start: encoding marks and the XML declaration;
 * returns 0 or XT_ERR.  Errors are written in lang. */
int claims_xs_init(XScan *x, const char *lang, const char *doc, size_t len);
/* Resumes inside the root element (a split part starting at a record). */
void claims_xs_resume(XScan *x, const char *lang, const char *doc, size_t len,
                      size_t at, const char *root, uint32_t root_len);
/* claims_xs_init on pt's input (from its start, which the window holds),
 * growing the window as the prolog needs. */
int claims_xs_init_part(XScan *x, Part *pt);
/* claims_xs_resume on pt's input at offset at (in the window). */
void claims_xs_resume_part(XScan *x, Part *pt, size_t at, const char *root,
                           uint32_t root_len);
/* Slides x's window to where x is (between tokens), the names of the open
 * elements kept; returns 0 or XT_ERR. */
int claims_xs_slide(XScan *x);
/* The next token: XT_START, XT_END, XT_TEXT, XT_EOF or XT_ERR (x->err,
 * x->err_at). */
int claims_xs_next(XScan *x);
/* Sets the scanner's error at `at`; returns XT_ERR. */
int claims_xs_fail(XScan *x, const char *at, const char *fmt, ...)
    HICOV_PRINTF(3, 4);
/* Decodes a text token into o (entities, CDATA as is); returns bytes. */
size_t claims_xs_decode(const char *s, size_t n, int kind, char *o);
/* Line and column (1-based) of offset in doc. */
void claims_line_col(const char *doc, size_t off, long *line, long *col);

/* Is the START/END token's local name n? */
static inline int is_name(const XScan *x, const char *n)
{
  size_t l = strlen(n);
  return x->nlen == l && !memcmp(x->name, n, l);
}

/* ------------------------------------------------------------------------ */
/* Plain XML records (claims-plain.c)                                        */

/* Reads the fields of a TONG_HOP element whose start tag was just read.
 * Returns XT_END when the record is complete, else XT_ERR. */
int claims_xml_record(XScan *x, RawRec *r);
/* Turns a scanner error into the part's error; returns its status. */
int claims_part_xml_error(Part *pt, XScan *x, const char *ctx);
/* Reads the records of a plain XML file (or the slice [from, stop_at) of
 * one, x resuming inside the root). */
int claims_read_plain(Part *pt, XScan *x);

/* ------------------------------------------------------------------------ */
/* Envelopes (claims-envelope.c, claims-base64.c)                            */

/* Reads the HOSO of a GIAMDINHHS envelope, x at its start. */
int claims_read_envelope(Part *pt, XScan *x);
/* Decodes base64 (whitespace allowed) into pt->inner. 0 ok; else writes
 * the problem into msg. */
int claims_b64_decode(Part *pt, const char *s, size_t n, size_t *out_len,
                      char *msg, size_t msize);

/* ------------------------------------------------------------------------ */
/* CSV (claims-csv.c)                                                        */

/* Parses the header at input offset *at; *map_out[col] = field id or -1
 * (caller frees), *ncols columns; *at moves to the first row. */
int claims_csv_header(Part *pt, size_t *at, int **map_out, size_t *ncols);
/* Reads the rows from input offset from with the part's header map (to
 * its stop, or the end). */
int claims_read_csv_rows(Part *pt, size_t from);

/* The row loop compiled a second time for x86-64-v3 (AVX2, BMI2) in
 * claims-csv-x86v3.c, which claims_read_csv_rows calls on a CPU that has
 * them; GCC on x86-64 only. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CLAIMS_HAVE_CSV_V3 1
int claims_read_csv_rows_v3(Part *pt, size_t from);
#endif

/* ------------------------------------------------------------------------ */
/* Forms and files (claims-files.c)                                          */

enum { FORM_CSV = 1, FORM_PLAIN, FORM_ENVELOPE, FORM_BAD };

typedef struct {
  int form;
  char root[1001];      /* XML: root element's qualified name */
  uint32_t root_len;
  size_t body;          /* XML: offset just after the root start tag;
                           CSV: offset of the first data row */
  int *csv_map;
  size_t csv_ncols;
} Probe;

/* Finds the form; for XML reads up to the root start tag.  pb->csv_map is
 * the caller's to free. */
int claims_probe(Part *pt, Probe *pb);
/* Notes in c that the file read to its end held no record, and what it
 * holds (an XML2 list of drugs, ...); returns a status (HICOV_NOMEM). */
int claims_note_empty(HicovClaims *c, const char *file, const Probe *pb);
/* About how many records a CSV or plain XML file holds, from the records
 * in its first megabyte (0: unknown, or an envelope); the window grows to
 * hold that megabyte. */
size_t claims_estimate_records(Part *pt, const Probe *pb);

/* Reads one input serially into c (its duplicate table): the caller's
 * buffer (in NULL), or the file in through wb. */
int claims_read_one(HicovClaims *c, const char *name, const char *data,
                    size_t size, Input *in, WinBuf *wb, RunShared *run);
/* Opens path and reads it with claims_read_one (a file that cannot be
 * opened counted as failed); name in messages. */
int claims_read_path(HicovClaims *c, const char *path, const char *name,
                     WinBuf *wb, RunShared *run);

typedef struct {
  char *path;
  int64_t size;
  int status;
} FileItem;

/* A folder entered by the walk (claims_expand). */
typedef struct {
  uint64_t dev, ino;
  char *path; /* the first path it was entered by */
} FolderSeen;

typedef struct {
  FileItem *v;
  size_t n, cap;
  FolderSeen *dirs;       /* each folder once */
  size_t n_dirs, cap_dirs;
  uint32_t *dir_hash;     /* index + 1 */
  size_t dir_hcap;
} FileList;

/* Folders nested deeper than this fail (HICOV_LIMIT). */
#define CLAIMS_FOLDER_DEPTH 32

/* Adds path to l, or the files under it when it is a folder (in name
 * order, hidden names skipped), entering each folder once: a folder met
 * again (through a link) is skipped with a note in c.  A path that cannot
 * be read is added, to fail when it is opened; a folder nested too deep is
 * added with the status HICOV_LIMIT, counted as failed in c.  Returns
 * HICOV_NOMEM or HICOV_OK. */
int claims_expand(HicovClaims *c, FileList *l, const char *path, int depth);
void claims_files_free(FileList *l);

/* ------------------------------------------------------------------------ */
/* Many files, many threads (claims-threads.c, claims-chunks.c)              */

typedef struct Run Run;

typedef struct {
  Run *run;
  int index;
  HicovClaims *acc;
  pthread_t th;
  /* chunks of a big file: the parse */
  Part part;
  /* the bytes of its inputs, reused from file to file */
  WinBuf wb;
} Worker;

struct Run {
  HicovClaims *c;
  FileList files;
  RunShared sh;
  Worker *w;
  int nw;
  _Atomic size_t next;        /* next small file */
  unsigned char *is_big;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int running;
  /* small files: each is read into its own provisional accumulator, and
     these are absorbed into c in the order of the list (under lock), so
     that threads give the same result as one: the copy of a record found
     in two files that is counted is the one in the earlier file */
  HicovClaims **slot;         /* a file's result, until absorbed */
  int *slot_rc;
  unsigned char *ready;
  size_t absorbed;            /* files absorbed: 0..absorbed-1 */
  pthread_cond_t slot_cond;   /* absorbed moved on */
  /* the big file being read in chunks */
  Input *split_in;
  size_t split_size;
  const char *split_name;
  Probe split_probe;
  _Atomic size_t *starts;     /* chunk starts found (Part.starts) */
  size_t chunk_bytes;
  size_t n_chunks;
  struct ChunkSlot *slots;    /* chunk k in slots[k % n_slots] */
  size_t n_slots;
  size_t next_chunk;          /* next chunk to parse (lock) */
  size_t turn_keys;           /* next chunk to check for duplicates (lock) */
  size_t turn_hi;             /* next chunk whose second half to check (lock) */
  size_t turn_data;           /* next chunk to add (lock) */
  size_t last_chunk;          /* the file failed here: none after (lock) */
  pthread_cond_t turn_cond;
  /* handed on with the turns */
  size_t at;                  /* where the checked records end */
  _Atomic int dead;           /* the file's accumulator failed (Part.dead):
                                 the chunks after are counted only */
  _Atomic size_t msg_room;    /* messages the file's accumulator can take */
  Part *file_part;            /* the file's part: counts for claims_part_finish */
  int file_rc;
  /* the caller's progress report, also while a big file is read */
  HicovClaimsProgressFn progress;
  void *user;
  int64_t bytes_total;
};

/* Starts n workers on fn; on a failure to start one, the workers started
 * run on and HICOV_ERROR is returned (wait for them all the same). */
int claims_start_workers(Run *r, void *(*fn)(void *), int n);
/* Waits for the workers, calling progress about five times a second;
 * returns 1 when progress cancelled the run. */
int claims_wait_workers(Run *r, HicovClaimsProgressFn progress, void *user,
                        int64_t bytes_total);
/* A worker's last act. */
void claims_worker_done(Run *r);
/* Reads one big file with every worker, in chunks (claims-chunks.c). */
int claims_read_split(Run *r, FileItem *f);

#endif

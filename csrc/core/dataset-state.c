/* dataset-state.c - a dataset as bytes and back (pickling, sending to
 * another process): hicov_dataset_serialize / hicov_dataset_load_state.
 *
 * HicovStateIn the report layer beside dataset-copy.c, and for the same reason: the
 * resolutions belong to the targets layer.  The units, values and splits
 * travel as the dataset folder's own CSV (hicov_dataset_units_csv, ...),
 * so they come back through the loaders that check every field, exactly
 * (values are exact decimals).
 *
 * Format, version 1 (integers little-endian):
 *   "HICOVDS\0"             8 bytes
 *   u32 version             1
 *   str units.csv, str values.csv, str crosswalk.csv ("" without splits)
 *   str lang                "", "vi" or "en"
 *   i32 fund share (basis points), i32 boundaries
 *   u32 resolutions, each:  str body, str number, str title,
 *                           i32 term start, i32 term end, u32 targets,
 *                           each: str indicator, str unit, i32 level,
 *                           u64 threshold (the double's bits), i32
 *                           comparison, i32 deadline, i32 baseline,
 *                           u8 has label, str label
 *   32 bytes                SHA-256 of everything before
 * where str is u32 length and that many bytes.  The digest makes a changed
 * or cut state an error rather than another dataset. */
#include <string.h>

#include "hicov-data.h"
#include "report-private.h"
#include "state-private.h"

#define STATE_MAGIC "HICOVDS"  /* and its NUL: 8 bytes */
_Static_assert(sizeof STATE_MAGIC == HICOV_STATE_TAG, "a state's tag is 8 bytes");
#define STATE_VERSION 1u

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */

/* One of the folder's CSV files, written by fn. */
static void put_csv(HicovStateOut *o, HicovDataset *ds,
                    int (*fn)(HicovDataset *, char **, size_t *))
{
  char *buf = NULL;
  size_t len = 0;
  if (o->rc)
    return;
  int rc = fn(ds, &buf, &len);
  if (rc)
    o->rc = rc;
  else
    hicov_state_put_str(o, buf, len);
  hicov_free(buf);
}

static void put_resolution(HicovStateOut *o, const HicovResolution *res)
{
  int start = 0, end = 0;
  hicov_state_put_cstr(o, hicov_resolution_body(res));
  hicov_state_put_cstr(o, hicov_resolution_number(res));
  hicov_state_put_cstr(o, hicov_resolution_title(res));
  hicov_resolution_term(res, &start, &end);
  hicov_state_put_i32(o, start);
  hicov_state_put_i32(o, end);
  size_t n = hicov_resolution_target_count(res);
  hicov_state_put_u32(o, (uint32_t)n);
  for (size_t i = 0; i < n; i++) {
    const HicovTarget *t = hicov_resolution_target(res, i);
    uint64_t bits;
    memcpy(&bits, &t->threshold, sizeof bits);
    hicov_state_put_cstr(o, t->indicator);
    hicov_state_put_cstr(o, t->unit);
    hicov_state_put_i32(o, t->level);
    hicov_state_put_u64(o, bits);
    hicov_state_put_i32(o, t->comparison);
    hicov_state_put_i32(o, t->deadline_year);
    hicov_state_put_i32(o, t->baseline_year);
    unsigned char has_label = t->label != NULL;
    hicov_state_put(o, &has_label, 1);
    hicov_state_put_cstr(o, t->label);
  }
}

int hicov_dataset_serialize(HicovDataset *ds, void **out, size_t *len)
{
  if (out)
    *out = NULL;
  if (len)
    *len = 0;
  if (!ds || !out || !len)
    return HICOV_INVALID;
  HicovStateOut o = { NULL, 0, 0, HICOV_OK };
  hicov_state_put_head(&o, STATE_MAGIC, STATE_VERSION);
  put_csv(&o, ds, hicov_dataset_units_csv);
  put_csv(&o, ds, hicov_dataset_values_csv);
  if (hicov_dataset_split_count(ds))
    put_csv(&o, ds, hicov_dataset_crosswalk_csv);
  else
    hicov_state_put_str(&o, "", 0);
  hicov_state_put_cstr(&o, ds->lang);
  hicov_state_put_i32(&o, ds->fund_share_bp);
  hicov_state_put_i32(&o, ds->boundaries);
  size_t n = hicov_dataset_resolution_count(ds);
  hicov_state_put_u32(&o, (uint32_t)n);
  for (size_t i = 0; i < n; i++)
    put_resolution(&o, hicov_dataset_resolution(ds, i));
  hicov_state_seal(&o);
  if (o.rc) {
    hicov_free(o.data);
    return o.rc;
  }
  *out = o.data;
  *len = o.len;
  return HICOV_OK;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

/* Messages are in the process's language: no dataset exists yet. */

/* A string as a NUL-terminated copy in buf (size STATE_TEXT). */
#define STATE_TEXT 4096
static const char *get_text(HicovStateIn *in, char *buf)
{
  size_t n;
  const char *s = (const char *)hicov_state_get_str(in, &n);
  if (!s)
    return "";
  if (n >= STATE_TEXT || memchr(s, '\0', n)) {
    hicov_state_refuse(in, T_(NULL, "a text field is too long or holds a NUL"));
    return "";
  }
  memcpy(buf, s, n);
  buf[n] = '\0';
  return buf;
}

/* Texts of one target or resolution, copied by the core's constructors. */
typedef struct {
  char body[STATE_TEXT], number[STATE_TEXT], title[STATE_TEXT];
  char indicator[STATE_TEXT], unit[STATE_TEXT], label[STATE_TEXT];
} Texts;

static int get_target(HicovStateIn *in, HicovResolution *res, Texts *tx)
{
  HicovTarget t;
  memset(&t, 0, sizeof t);
  uint64_t bits;
  unsigned char has_label = 0;
  t.indicator = get_text(in, tx->indicator);
  t.unit = get_text(in, tx->unit);
  t.level = hicov_state_get_i32(in);
  bits = hicov_state_get_u32(in);
  bits |= (uint64_t)hicov_state_get_u32(in) << 32;
  memcpy(&t.threshold, &bits, sizeof bits);
  t.comparison = hicov_state_get_i32(in);
  t.deadline_year = hicov_state_get_i32(in);
  t.baseline_year = hicov_state_get_i32(in);
  hicov_state_get(in, &has_label, 1);
  const char *label = get_text(in, tx->label);
  t.label = has_label ? label : NULL;
  if (in->failed)
    return HICOV_PARSE;
  int rc = hicov_resolution_add_target(res, &t);
  if (rc == HICOV_NOMEM)
    return rc;
  return rc ? hicov_state_refuse(in, T_(NULL, "a target the core refuses")) : HICOV_OK;
}

static int get_resolution(HicovStateIn *in, HicovDataset *ds, Texts *tx)
{
  const char *body = get_text(in, tx->body);
  const char *number = get_text(in, tx->number);
  const char *title = get_text(in, tx->title);
  int start = hicov_state_get_i32(in), end = hicov_state_get_i32(in);
  uint32_t n = hicov_state_get_u32(in);
  if (in->failed)
    return HICOV_PARSE;
  HicovResolution *res = NULL;
  int rc = hicov_resolution_new(body, number, title, start, end, &res);
  if (rc)
    return rc == HICOV_NOMEM ? rc : hicov_state_refuse(in, T_(NULL, "a resolution the core refuses"));
  for (uint32_t i = 0; !rc && i < n; i++)
    rc = get_target(in, res, tx);
  if (!rc)
    rc = hicov_dataset_add_resolution(ds, res);
  hicov_resolution_free(res);
  return rc;
}

/* One CSV section through its loader, strict: a row that does not load is
 * a state no dataset wrote. */
static int get_csv(HicovStateIn *in, HicovDataset *ds, const char *name,
                   int (*load)(HicovDataset *, const char *, const char *,
                               size_t, int))
{
  size_t n;
  const char *s = (const char *)hicov_state_get_str(in, &n);
  if (!s)
    return HICOV_PARSE;
  if (!n && load == hicov_dataset_load_crosswalk_buffer)
    return HICOV_OK; /* no splits */
  int rc = load(ds, name, s, n, HICOV_LOAD_STRICT);
  if (rc == HICOV_NOMEM)
    return rc;
  if (rc) {
    char what[600];
    hicov_fmt(what, sizeof what, T_(NULL, "%s does not load: %s"), name,
              hicov_dataset_errmsg(ds));
    return hicov_state_refuse(in, what);
  }
  return HICOV_OK;
}

static int load_body(HicovStateIn *in, HicovDataset *ds)
{
  int rc = get_csv(in, ds, "units.csv", hicov_dataset_load_units_buffer);
  if (!rc)
    rc = get_csv(in, ds, "values.csv", hicov_dataset_load_values_buffer);
  if (!rc)
    rc = get_csv(in, ds, "crosswalk.csv", hicov_dataset_load_crosswalk_buffer);
  if (rc)
    return rc;
  char lang[STATE_TEXT];
  get_text(in, lang);
  int bp = hicov_state_get_i32(in), boundaries = hicov_state_get_i32(in);
  uint32_t n = hicov_state_get_u32(in);
  if (in->failed)
    return HICOV_PARSE;
  if (lang[0] && strcmp(lang, "vi") && strcmp(lang, "en"))
    return hicov_state_refuse(in, T_(NULL, "an unknown language"));
  hicov_dataset_set_lang(ds, lang[0] ? lang : NULL);
  if (bp < 0 || bp > 10000
      || hicov_dataset_set_fund_share(ds, bp / 100.0) != HICOV_OK)
    return hicov_state_refuse(in, T_(NULL, "a fund share out of range"));
  if (hicov_dataset_set_boundaries(ds, boundaries) != HICOV_OK)
    return hicov_state_refuse(in, T_(NULL, "unknown boundaries"));
  Texts *tx = hicov_malloc(sizeof *tx);
  if (!tx)
    return HICOV_NOMEM;
  for (uint32_t i = 0; !rc && i < n; i++)
    rc = get_resolution(in, ds, tx);
  hicov_free(tx);
  if (!rc && in->p != in->end)
    rc = hicov_state_refuse(in, T_(NULL, "bytes after the end"));
  return rc;
}

int hicov_dataset_load_state(const void *data, size_t len, HicovDataset **out,
                             char *err, size_t err_size)
{
  if (out)
    *out = NULL;
  HicovStateIn in;
  int rc = hicov_state_open(&in, data, len, HICOV_STATE_DATASET, STATE_MAGIC,
                            STATE_VERSION, 0, out != NULL, err, err_size);
  if (rc)
    return rc;
  HicovDataset *ds = NULL;
  rc = hicov_dataset_new(&ds);
  if (!rc)
    rc = load_body(&in, ds);
  if (!rc)
    rc = hicov_dataset_prepare(ds);
  if (rc) {
    hicov_dataset_free(ds);
    return rc;
  }
  *out = ds;
  return HICOV_OK;
}

/* report-state.c - a report as bytes and back (pickling, sending to
 * another process): hicov_report_serialize / hicov_report_load_state.
 *
 * A report holds what hicov_report_new computed from a dataset (the
 * assessments, sentences, tables, findings), so it is not written out
 * field by field: the state is its recipe, the dataset's own state
 * (hicov_dataset_serialize) and the resolution file plus the settings made
 * after hicov_report_new, and loading rebuilds it with the core.  The
 * state carries the SHA-256 of the report's XML, and loading refuses a
 * rebuild whose XML differs, so a state never comes back as another
 * report.  HicovStateIn the exchange layer: the resolution file and the XML are.
 *
 * Format, version 1 (integers little-endian):
 *   "HICOVRP\0"             8 bytes
 *   u32 version             1
 *   str dataset state       hicov_dataset_serialize's bytes
 *   str resolution file     hicov_resolution_write's bytes
 *   str lang                "vi" or "en"
 *   u8 has source, str source
 *   u64 time                the int64 of hicov_report_time
 *   9 x (u8 has, str)       the issuer's parent_agency, agency, number,
 *                           place, signer_authority, signer_title,
 *                           signer_name, summary, archive
 *   u32 recipients, each str
 *   u32 inputs, each:       str path, str role, str SHA-256 (64 hex
 *                           digits), u64 size
 *   32 bytes                SHA-256 of the report's XML
 *   32 bytes                SHA-256 of everything before
 * where str is u32 length and that many bytes. */
#include <string.h>

#include "hicov-data.h"
#include "hicov-report.h"
#include "report-private.h"
#include "state-private.h"

#define STATE_MAGIC "HICOVRP"  /* and its NUL: 8 bytes */
_Static_assert(sizeof STATE_MAGIC == HICOV_STATE_TAG, "a state's tag is 8 bytes");
#define STATE_VERSION 1u
#define DIGEST_SIZE HICOV_STATE_DIGEST
#define ISSUER_FIELDS 9
#define MAX_RECIPIENTS 1000

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */

/* An optional text: a flag (NULL or not), then the text. */
static void put_opt(HicovStateOut *o, const char *s)
{
  unsigned char has = s != NULL;
  hicov_state_put(o, &has, 1);
  hicov_state_put_cstr(o, s);
}

static void put_issuer(HicovStateOut *o, const ReportIssuer *is)
{
  const char *f[ISSUER_FIELDS] = {
    is->parent_agency, is->agency, is->number, is->place,
    is->signer_authority, is->signer_title, is->signer_name, is->summary,
    is->archive };
  for (size_t i = 0; i < ISSUER_FIELDS; i++)
    put_opt(o, f[i]);
  hicov_state_put_u32(o, (uint32_t)is->nrecipients);
  for (size_t i = 0; i < is->nrecipients; i++)
    hicov_state_put_cstr(o, is->recipients[i]);
}

/* The SHA-256 of rep's XML. */
static int xml_digest(HicovReport *rep, unsigned char digest[DIGEST_SIZE])
{
  char *xml = NULL;
  size_t len = 0;
  int rc = hicov_report_xml(rep, &xml, &len);
  if (rc == HICOV_OK) {
    HicovSha256 ctx;
    hicov_sha256_init(&ctx);
    hicov_sha256_update(&ctx, xml, len);
    hicov_sha256_final(&ctx, digest);
  }
  hicov_free(xml);
  return rc;
}

int hicov_report_serialize(HicovReport *rep, const void *ds_state,
                           size_t ds_len, void **out, size_t *len)
{
  if (out)
    *out = NULL;
  if (len)
    *len = 0;
  if (!ds_state && !ds_len && rep) {
    /* a report that was loaded from a state: its own dataset */
    ds_state = rep->state_ds;
    ds_len = rep->state_ds_len;
  }
  if (!rep || !rep->res || !ds_state || !out || !len)
    return HICOV_INVALID;
  if (rep->ninputs > UINT32_MAX || rep->issuer.nrecipients > MAX_RECIPIENTS)
    return HICOV_LIMIT;
  unsigned char digest[DIGEST_SIZE];
  int rc = xml_digest(rep, digest);
  if (rc)
    return rc;
  char *res = NULL;
  size_t res_len = 0;
  if ((rc = hicov_resolution_write(rep->res, &res, &res_len)))
    return rc;
  HicovStateOut o = { .rc = HICOV_OK };
  hicov_state_put_head(&o, STATE_MAGIC, STATE_VERSION);
  hicov_state_put_str(&o, ds_state, ds_len);
  hicov_state_put_str(&o, res, res_len);
  hicov_free(res);
  hicov_state_put_cstr(&o, hicov_report_lang(rep));
  put_opt(&o, rep->source);
  hicov_state_put_u64(&o, (uint64_t)rep->generated);
  put_issuer(&o, &rep->issuer);
  hicov_state_put_u32(&o, (uint32_t)rep->ninputs);
  for (size_t i = 0; i < rep->ninputs; i++) {
    hicov_state_put_cstr(&o, rep->inputs[i].path);
    hicov_state_put_cstr(&o, rep->inputs[i].role);
    hicov_state_put_cstr(&o, rep->inputs[i].sha256);
    hicov_state_put_u64(&o, rep->inputs[i].bytes);
  }
  hicov_state_put(&o, digest, sizeof digest);
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

/* Messages are in the process's language: no report exists yet. */

/* A string as a new NUL-terminated copy (caller frees), NULL when the
 * state is refused or out of memory (*nomem set). */
static char *get_text(HicovStateIn *in, int *nomem)
{
  size_t n;
  const unsigned char *s = hicov_state_get_str(in, &n);
  if (!s)
    return NULL;
  if (memchr(s, '\0', n)) {
    hicov_state_refuse(in, T_(NULL, "a text field is too long or holds a NUL"));
    return NULL;
  }
  char *c = hicov_malloc(n + 1);
  if (!c) {
    *nomem = 1;
    in->failed = 1;
    return NULL;
  }
  memcpy(c, s, n);
  c[n] = '\0';
  return c;
}

/* An optional text: *out NULL when absent; -1 when refused. */
static int get_opt(HicovStateIn *in, char **out, int *nomem)
{
  unsigned char has = 0;
  *out = NULL;
  if (hicov_state_get(in, &has, 1))
    return -1;
  if (has > 1) {
    hicov_state_refuse(in, T_(NULL, "a flag is neither 0 nor 1"));
    return -1;
  }
  char *s = get_text(in, nomem);
  if (!s)
    return -1;
  if (has)
    *out = s;
  else
    hicov_free(s);
  return 0;
}

/* The pieces of the recipe, owned. */
typedef struct {
  const unsigned char *ds_state; /* in the state */
  size_t ds_len;
  HicovDataset *ds;
  HicovResolution *res;
  char *lang, *source;
  uint64_t time;
  char *issuer[ISSUER_FIELDS];
  char **recipients;
  size_t nrecipients;
  ReportInput *inputs;
  size_t ninputs;
  unsigned char xml_digest[DIGEST_SIZE];
} Recipe;

static void recipe_clear(Recipe *r)
{
  hicov_dataset_free(r->ds);
  hicov_resolution_free(r->res);
  hicov_free(r->lang);
  hicov_free(r->source);
  for (size_t i = 0; i < ISSUER_FIELDS; i++)
    hicov_free(r->issuer[i]);
  for (size_t i = 0; i < r->nrecipients; i++)
    hicov_free(r->recipients[i]);
  hicov_free(r->recipients);
  for (size_t i = 0; i < r->ninputs; i++) {
    hicov_free(r->inputs[i].path);
    hicov_free(r->inputs[i].role);
  }
  hicov_free(r->inputs);
}

/* The dataset and the resolution, each through its own loader; their
 * messages follow ours. */
static int get_sources(HicovStateIn *in, Recipe *r)
{
  size_t n;
  const unsigned char *s = hicov_state_get_str(in, &n);
  if (!s)
    return HICOV_PARSE;
  char why[512] = "";
  if (!n)
    return hicov_state_refuse(in, T_(NULL, "it ends early"));
  r->ds_state = s;
  r->ds_len = n;
  int rc = hicov_dataset_load_state(s, n, &r->ds, why, sizeof why);
  if (rc) {
    hicov_state_refuse(in, why);
    return rc;
  }
  if (!(s = hicov_state_get_str(in, &n)))
    return HICOV_PARSE;
  rc = hicov_resolution_load_buffer("<resolution>", (const char *)s, n,
                                    &r->res, why, sizeof why);
  if (rc)
    hicov_state_refuse(in, why);
  return rc;
}

static int get_inputs(HicovStateIn *in, Recipe *r, int *nomem)
{
  uint32_t n = hicov_state_get_u32(in);
  /* each input takes at least 4 + 4 + 4 + 8 bytes: a count the rest
     cannot hold is refused before anything is allocated */
  if (in->failed || n > (size_t)(in->end - in->p) / 20)
    return hicov_state_refuse(in, T_(NULL, "it ends early"));
  if (n && !(r->inputs = hicov_calloc(n, sizeof *r->inputs))) {
    *nomem = 1;
    return HICOV_NOMEM;
  }
  for (uint32_t i = 0; i < n && !in->failed; i++) {
    ReportInput *x = &r->inputs[r->ninputs++];
    x->path = get_text(in, nomem);
    x->role = get_text(in, nomem);
    char *sha = get_text(in, nomem);
    x->bytes = hicov_state_get_u64(in);
    if (sha && (strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64))
      hicov_state_refuse(in, T_(NULL, "an input's SHA-256 is not 64 hex digits"));
    else if (sha)
      memcpy(x->sha256, sha, 65);
    hicov_free(sha);
    if (!in->failed && !*x->path)
      hicov_state_refuse(in, T_(NULL, "an input has no path"));
  }
  return in->failed ? HICOV_PARSE : HICOV_OK;
}

static int get_recipe(HicovStateIn *in, Recipe *r)
{
  int nomem = 0;
  int rc = get_sources(in, r);
  if (rc)
    return rc;
  r->lang = get_text(in, &nomem);
  if (r->lang && strcmp(r->lang, "vi") && strcmp(r->lang, "en"))
    hicov_state_refuse(in, T_(NULL, "an unknown language"));
  get_opt(in, &r->source, &nomem);
  r->time = hicov_state_get_u64(in);
  for (size_t i = 0; i < ISSUER_FIELDS; i++)
    get_opt(in, &r->issuer[i], &nomem);
  uint32_t n = hicov_state_get_u32(in);
  if (!in->failed && n > MAX_RECIPIENTS)
    hicov_state_refuse(in, T_(NULL, "too many recipients"));
  if (!in->failed && n && !(r->recipients = hicov_calloc(n, sizeof(char *))))
    nomem = 1;
  for (uint32_t i = 0; i < n && !in->failed && !nomem; i++)
    if ((r->recipients[r->nrecipients] = get_text(in, &nomem)))
      r->nrecipients++;
  if (!in->failed && !nomem)
    get_inputs(in, r, &nomem);
  hicov_state_get(in, r->xml_digest, DIGEST_SIZE);
  if (nomem)
    return HICOV_NOMEM;
  if (!in->failed && in->p != in->end)
    hicov_state_refuse(in, T_(NULL, "bytes after the end"));
  return in->failed ? HICOV_PARSE : HICOV_OK;
}

/* hicov_report_new and the settings, as the recipe says; the inputs are
 * the recorded ones (the files need not exist here). */
static int rebuild(HicovStateIn *in, Recipe *r, HicovReport **out)
{
  HicovReport *rep = NULL;
  int rc = hicov_report_new(r->ds, r->res, r->lang, &rep);
  if (rc == HICOV_OK && r->source)
    rc = hicov_report_set_source(rep, r->source);
  if (rc == HICOV_OK) {
    hicov_report_set_time(rep, (int64_t)r->time);
    HicovIssuer is = {
      .parent_agency = r->issuer[0], .agency = r->issuer[1],
      .number = r->issuer[2], .place = r->issuer[3],
      .signer_authority = r->issuer[4], .signer_title = r->issuer[5],
      .signer_name = r->issuer[6], .summary = r->issuer[7],
      .archive = r->issuer[8],
      .recipients = (const char *const *)r->recipients,
      .n_recipients = r->nrecipients };
    rc = hicov_report_set_issuer(rep, &is);
  }
  if (rc == HICOV_OK && !(rep->state_ds = hicov_malloc(r->ds_len)))
    rc = HICOV_NOMEM;
  if (rc == HICOV_OK) {
    memcpy(rep->state_ds, r->ds_state, r->ds_len);
    rep->state_ds_len = r->ds_len;
    /* the report takes the recorded inputs over */
    rep->inputs = r->inputs;
    rep->ninputs = r->ninputs;
    r->inputs = NULL;
    r->ninputs = 0;
  }
  unsigned char digest[DIGEST_SIZE];
  if (rc == HICOV_OK && (rc = xml_digest(rep, digest)) == HICOV_OK &&
      memcmp(digest, r->xml_digest, DIGEST_SIZE))
    rc = hicov_state_refuse(in, T_(NULL, "the report rebuilt from it differs from the "
                       "one saved (the SHA-256 of its XML)"));
  else if (rc != HICOV_OK && rc != HICOV_NOMEM && !in->failed)
    hicov_state_refuse(in, rep ? hicov_report_errmsg(rep) : hicov_status_string(rc));
  if (rc) {
    hicov_report_free(rep);
    return rc == HICOV_NOMEM ? rc : HICOV_PARSE;
  }
  *out = rep;
  return HICOV_OK;
}

int hicov_report_load_state(const void *data, size_t len, HicovReport **out,
                            char *err, size_t err_size)
{
  if (out)
    *out = NULL;
  /* the report's state carries the XML's digest beside its own seal */
  HicovStateIn in;
  int rc = hicov_state_open(&in, data, len, HICOV_STATE_REPORT, STATE_MAGIC,
                            STATE_VERSION, DIGEST_SIZE, out != NULL, err,
                            err_size);
  if (rc)
    return rc;
  Recipe r;
  memset(&r, 0, sizeof r);
  rc = get_recipe(&in, &r);
  if (rc == HICOV_OK)
    rc = rebuild(&in, &r, out);
  recipe_clear(&r);
  return rc;
}

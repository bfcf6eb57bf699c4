/* Claims ingestion: the shared sample, both eras, the three forms,
 * rejections, tolerated values, duplicates, merge and serialisation, the
 * step into a dataset, and threads (files split between them). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "claims-private.h"
#include "hicov-claims.h"
#include "b64enc.h"
#include "testutil.h"

/* ---- helpers ---- */

static char *b64(const char *s)
{
  size_t n = strlen(s);
  char *out = malloc(TEST_B64_SIZE(n));
  test_b64_encode(s, n, out);
  return out;
}

typedef struct {
  char *s;
  size_t n, cap;
} Buf;

static void bput(Buf *b, const char *s)
{
  size_t l = strlen(s);
  if (b->n + l + 1 > b->cap) {
    b->cap = (b->n + l + 1) * 2;
    b->s = realloc(b->s, b->cap);
  }
  memcpy(b->s + b->n, s, l + 1);
  b->n += l;
}

/* Envelope with the given inner documents, one HOSO each. */
static char *envelope(const char *const *inner, size_t n, const char *fac)
{
  Buf b = { 0 };
  char tmp[256];
  bput(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<GIAMDINHHS "
           "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
           "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
           "<THONGTINDONVI><MACSKCB>");
  bput(&b, fac);
  snprintf(tmp, sizeof tmp, "</MACSKCB></THONGTINDONVI><THONGTINHOSO><NGAYLAP>"
           "20240310</NGAYLAP><SOLUONGHOSO>%zu</SOLUONGHOSO><DANHSACHHOSO>", n);
  bput(&b, tmp);
  for (size_t i = 0; i < n; i++) {
    char *e = b64(inner[i]);
    bput(&b, "<HOSO><FILEHOSO><LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>");
    bput(&b, e);
    bput(&b, "</NOIDUNGFILE></FILEHOSO><FILEHOSO><LOAIHOSO>XML2</LOAIHOSO>"
             "<NOIDUNGFILE>PENISVRJRVVfQ0hJVElFVF9USFVPQy8+</NOIDUNGFILE>"
             "</FILEHOSO></HOSO>");
    free(e);
  }
  bput(&b, "</DANHSACHHOSO></THONGTINHOSO><CHUKYDONVI/></GIAMDINHHS>\n");
  return b.s;
}

static int64_t measure(HicovDataset *ds, const char *m, const char *unit,
                       HicovPeriod p, const char *group)
{
  int64_t v = -1;
  char reason[160];
  int rc = hicov_dataset_measure(ds, m, unit, p, group, &v, reason, sizeof reason);
  if (rc) {
    fprintf(stderr, "measure %s %s: %s (%s)\n", m, unit, hicov_status_string(rc),
            reason);
    return -1;
  }
  return v;
}

static int has_message(HicovClaims *c, int kind, int code, const char *record,
                       const char *field, const char *needle)
{
  for (size_t i = 0; i < hicov_claims_message_count(c); i++) {
    HicovClaimsMessage m;
    hicov_claims_message(c, i, &m);
    if (m.kind == kind && m.code == code &&
        (!record || !strcmp(m.record, record)) &&
        (!field || !strcmp(m.field, field)) &&
        (!needle || strstr(m.message, needle)))
      return 1;
  }
  return 0;
}

static void check_balance(HicovClaims *c)
{
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.accepted + k.rejected, k.records_read);
  int64_t sum = 0;
  for (int i = 0; i < HICOV_CLAIMS_N_REJECT; i++)
    sum += k.rejected_by[i];
  CHECK_INT(sum, k.rejected);
}

/* ---- the shared sample ---- */

/* A dataset with ds's units and no values. */
static HicovDataset *units_of(const HicovDataset *ds)
{
  HicovDataset *d;
  if (hicov_dataset_new(&d))
    return NULL;
  for (size_t i = 0; i < hicov_dataset_unit_count(ds); i++) {
    HicovUnit u;
    hicov_dataset_unit(ds, i, &u);
    hicov_dataset_add_unit(d, &u);
  }
  return d;
}

/* hicov_claims_merge_into: the values of hicov_claims_to_dataset (ref, the
 * sample's values loaded back from values.csv), merged under a policy, all
 * or nothing, out of memory at every allocation too. */
static void merge_into_checks(HicovClaims *c, const HicovDataset *units,
                              HicovDataset *ref)
{
  HicovDataset *d = units_of(units);
  CHECK(d != NULL);
  if (!d)
    return;
  HicovMergeStats st;
  char *conflicts = NULL, *a = NULL, *b = NULL;
  CHECK_INT(hicov_claims_merge_into(c, d, "claims", HICOV_CONFLICT_ERROR, &st,
                                    &conflicts), HICOV_OK);
  CHECK(conflicts == NULL);
  CHECK_INT(hicov_dataset_values_csv(d, &a, NULL), HICOV_OK);
  CHECK_INT(hicov_dataset_values_csv(ref, &b, NULL), HICOV_OK);
  if (a && b)
    CHECK_STR(a, b);
  CHECK(st.added > 0 && st.replaced == 0 && st.unchanged == 0);
  long added = st.added;
  /* again: every value the same */
  CHECK_INT(hicov_claims_merge_into(c, d, "claims", HICOV_CONFLICT_ERROR, &st,
                                    NULL), HICOV_OK);
  CHECK_INT(st.unchanged, added);
  CHECK_INT(st.added, 0);
  hicov_free(a);
  hicov_free(b);
  hicov_dataset_free(d);

  /* a value that differs: refused with its message on c, then replaced */
  HicovPeriod mar = hicov_period_month(2024, 3);
  d = units_of(units);
  CHECK_INT(hicov_dataset_add_value(d, "01999", "visits", NULL, mar, 99900,
                                    "old"), HICOV_OK);
  CHECK_INT(hicov_claims_merge_into(c, d, "claims", HICOV_CONFLICT_ERROR, &st,
                                    &conflicts), HICOV_INVALID);
  CHECK_CONTAINS(hicov_claims_errmsg(c),
                 "visits of 01999 for 2024-03 is 999 in the dataset and 2 in "
                 "the import");
  CHECK(conflicts != NULL);
  hicov_free(conflicts);
  conflicts = NULL;
  CHECK_INT(measure(d, "visits", "01999", mar, NULL), 99900);
  CHECK_INT(measure(d, "patients", "P", mar, NULL), -1); /* nothing added */
  CHECK_INT(hicov_claims_merge_into(c, d, "claims", HICOV_CONFLICT_REPLACE, &st,
                                    NULL), HICOV_OK);
  CHECK_INT(st.replaced, 1);
  CHECK_INT(st.added, added - 1);
  CHECK_INT(measure(d, "visits", "01999", mar, NULL), 200);
  CHECK_INT(measure(d, "patients", "P", mar, NULL), 200);
  hicov_dataset_free(d);

  /* a facility the dataset lacks: refused, named */
  HicovDataset *none;
  CHECK_INT(hicov_dataset_new(&none), HICOV_OK);
  CHECK_INT(hicov_claims_merge_into(c, none, "claims", HICOV_CONFLICT_ERROR,
                                    &st, NULL), HICOV_NOTFOUND);
  CHECK_CONTAINS(hicov_claims_errmsg(c), "01999");
  hicov_dataset_free(none);

  /* memory running out at each allocation: HICOV_NOMEM and nothing merged,
     until the merge goes through */
  int done = 0;
  for (long k = 1; k < 5000 && !done; k++) {
    d = units_of(units);
    CHECK(d != NULL);
    if (!d)
      return;
    hicov_debug_fail_alloc_after(k);
    int rc = hicov_claims_merge_into(c, d, "claims", HICOV_CONFLICT_ERROR, &st,
                                     NULL);
    hicov_debug_fail_alloc_after(0);
    if (rc == HICOV_OK) {
      done = 1;
      CHECK_INT(measure(d, "visits", "P", mar, NULL), 200);
    } else {
      CHECK_INT(rc, HICOV_NOMEM);
      CHECK_INT(measure(d, "patients", "P", mar, NULL), -1);
    }
    hicov_dataset_free(d);
  }
  CHECK(done);
}

static void test_shared_sample(void)
{
  char path[1024];
  test_data_path("claims-sample-130.xml", path, sizeof path);
  HicovClaims *c;
  CHECK_INT(hicov_claims_new(&c), HICOV_OK);
  int rc = hicov_claims_read_file(c, path);
  if (rc)
    fprintf(stderr, "%s\n", hicov_claims_errmsg(c));
  CHECK_INT(rc, HICOV_OK);
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.records_read, 2);
  CHECK_INT(k.accepted, 2);
  CHECK_INT(k.rejected, 0);
  CHECK_INT(k.records_130, 2);
  CHECK_INT(k.flagged, 0);
  HicovClaimsTotals t;
  CHECK_INT(hicov_claims_totals(c, &t), HICOV_OK);
  CHECK_INT(t.visits, 2);
  CHECK_INT(t.inpatient_visits, 1);
  CHECK_INT(t.inpatient_days, 5);
  CHECK_INT(t.total_cost, (158000LL + 5250000LL) * 100);
  CHECK_INT(t.fund_paid, (158000LL + 4750000LL) * 100);
  CHECK_INT(t.copay, 250000LL * 100);
  CHECK_INT(t.patients, 2);
  CHECK_INT(t.facilities, 1);
  CHECK_INT(t.first_month, 2024 * 12 + 2);
  CHECK_INT(t.last_month, 2024 * 12 + 2);
  /* cells: TE outpatient, HT inpatient */
  CHECK_INT(hicov_claims_sort_cells(c), HICOV_OK);
  CHECK_INT(hicov_claims_cell_count(c), 2);
  HicovClaimsCell cell;
  CHECK_INT(hicov_claims_cell(c, 0, &cell), HICOV_OK);
  CHECK_STR(cell.facility, "01999");
  CHECK_STR(cell.group, "HT");
  CHECK_INT(cell.visit_type, 3);
  CHECK_INT(cell.year, 2024);
  CHECK_INT(cell.month, 3);
  CHECK_INT(cell.inpatient_days, 5);
  CHECK_INT(cell.fund_paid, 475000000LL);
  CHECK_INT(hicov_claims_cell(c, 1, &cell), HICOV_OK);
  CHECK_STR(cell.group, "TE");
  CHECK_INT(cell.visit_type, 1);
  CHECK_INT(cell.total_cost, 15800000LL);
  CHECK_INT(cell.copay, 0);

  /* into a dataset: facility 01999 under commune C1, district D1, province P */
  HicovDataset *ds;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  HicovUnit u = { 0 };
  u.code = "P"; u.name = "Province"; u.level = HICOV_LEVEL_PROVINCE;
  CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
  u.code = "D1"; u.name = "District"; u.parent = "P"; u.level = HICOV_LEVEL_DISTRICT;
  CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
  u.code = "C1"; u.name = "Commune"; u.parent = "D1"; u.level = HICOV_LEVEL_COMMUNE;
  CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
  /* before the facility exists: refused, nothing added */
  CHECK_INT(hicov_claims_to_dataset(c, ds, "claims"), HICOV_NOTFOUND);
  CHECK_CONTAINS(hicov_claims_errmsg(c), "01999");
  u.code = "01999"; u.name = "Station"; u.parent = "C1";
  u.level = HICOV_LEVEL_FACILITY; u.tier = HICOV_TIER_COMMUNE;
  CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
  rc = hicov_claims_to_dataset(c, ds, "claims-sample-130.xml");
  if (rc)
    fprintf(stderr, "%s\n", hicov_claims_errmsg(c));
  CHECK_INT(rc, HICOV_OK);
  HicovPeriod mar = hicov_period_month(2024, 3), y24 = hicov_period_year(2024);
  CHECK_INT(measure(ds, "visits", "01999", mar, NULL), 200);
  CHECK_INT(measure(ds, "visits", "P", mar, NULL), 200);
  CHECK_INT(measure(ds, "visits", "P", mar, "TE"), 100);
  CHECK_INT(measure(ds, "visits", "P", hicov_period_quarter(2024, 1), NULL), -1);
  CHECK_INT(measure(ds, "inpatient_days", "D1", mar, NULL), 500);
  CHECK_INT(measure(ds, "fund_paid", "C1", mar, NULL), 490800000LL);
  CHECK_INT(measure(ds, "fund_paid", "C1", mar, "HT"), 475000000LL);
  CHECK_INT(measure(ds, "copay", "P", mar, NULL), 25000000LL);
  CHECK_INT(measure(ds, "total_cost", "P", mar, NULL), 540800000LL);
  CHECK_INT(measure(ds, "patients", "P", y24, NULL), 200);
  CHECK_INT(measure(ds, "patients", "01999", mar, NULL), 200);
  CHECK_INT(measure(ds, "patients_500m", "P", y24, NULL), 0);
  int64_t tiers[5];
  CHECK_INT(hicov_claims_tier_visits(c, ds, tiers), HICOV_OK);
  CHECK_INT(tiers[HICOV_TIER_COMMUNE], 2);
  CHECK_INT(tiers[HICOV_TIER_NONE], 0);
  /* values.csv loads back into a dataset with the same numbers */
  char *csv;
  size_t len;
  CHECK_INT(hicov_claims_values_csv(c, ds, "claims", &csv, &len), HICOV_OK);
  CHECK_CONTAINS(csv, "unit,period,measure,value,group,source\n");
  CHECK_CONTAINS(csv, "01999,2024-03,fund_paid,4750000,HT,claims\n");
  CHECK_CONTAINS(csv, "P,2024,patients,2,,claims\n");
  HicovDataset *ds2;
  CHECK_INT(hicov_dataset_new(&ds2), HICOV_OK);
  for (size_t i = 0; i < hicov_dataset_unit_count(ds); i++) {
    HicovUnit uu;
    hicov_dataset_unit(ds, i, &uu);
    CHECK_INT(hicov_dataset_add_unit(ds2, &uu), HICOV_OK);
  }
  rc = hicov_dataset_load_values_buffer(ds2, "values.csv", csv, len,
                                        HICOV_LOAD_STRICT);
  if (rc)
    fprintf(stderr, "%s\n", hicov_dataset_errmsg(ds2));
  CHECK_INT(rc, HICOV_OK);
  CHECK_INT(measure(ds2, "fund_paid", "P", mar, NULL), 490800000LL);
  CHECK_INT(measure(ds2, "patients", "C1", mar, NULL), 200);
  hicov_free(csv);
  merge_into_checks(c, ds, ds2);
  hicov_dataset_free(ds2);
  hicov_dataset_free(ds);
  hicov_claims_free(c);
}

/* ---- inner-document variants, 4210, many HOSO ---- */

#define REC130(lk, extra) "<MA_LK>" lk "</MA_LK><MA_BN>B" lk "</MA_BN>" \
  "<MA_THE_BHYT>DN4010000000" lk "</MA_THE_BHYT>" extra \
  "<NAM_QT>2024</NAM_QT><THANG_QT>3</THANG_QT><MA_CSKCB>02001</MA_CSKCB>"

static void test_inner_variants(void)
{
  const char *docs[] = {
    /* no declaration, plain */
    "<TONG_HOP>" REC130("101", "<T_TONGCHI_BV>100.00</T_TONGCHI_BV><T_BHTT>80.00"
    "</T_BHTT><T_BNCCT>20.00</T_BNCCT><MA_LOAI_KCB>01</MA_LOAI_KCB>") "</TONG_HOP>",
    /* declaration, namespaces, CDATA, a comment and entity references */
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TONG_HOP xmlns:xsd=\"http://www."
    "w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
    "\n  " REC130("102", "<HO_TEN><![CDATA[L\xc3\x8a & <TH\xe1\xbb\x8a>]]></HO_TEN>"
    "<T_TONGCHI_BV><![CDATA[200.50]]></T_TONGCHI_BV><!-- note --><T_BHTT>1&#56;0.50"
    "</T_BHTT><T_BNCCT>2<![CDATA[0]]>.00</T_BNCCT><MA_LOAI_KCB> 1 </MA_LOAI_KCB>")
    "</TONG_HOP>",
    /* prefixed elements, self-closing empty fields, BOM */
    "\xef\xbb\xbf<x:TONG_HOP xmlns:x=\"urn:x\"><x:MA_LK>103</x:MA_LK><x:MA_BN/>"
    "<x:MA_THE_BHYT>TE1010000000103</x:MA_THE_BHYT><x:T_TONGCHI_BV>300</x:T_TONGCHI_BV>"
    "<x:T_BHTT>300</x:T_BHTT><x:T_BNCCT></x:T_BNCCT><x:T_BNCCT_X/><x:NAM_QT>2024"
    "</x:NAM_QT><x:THANG_QT>03</x:THANG_QT><x:MA_LOAI_KCB>3</x:MA_LOAI_KCB>"
    "<x:SO_NGAY_DTRI>2</x:SO_NGAY_DTRI><x:MA_CSKCB>02001</x:MA_CSKCB></x:TONG_HOP>",
  };
  char *env = envelope(docs, 3, "02001");
  HicovClaims *c;
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_buffer(c, "variants.xml", env, strlen(env)), HICOV_OK);
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.records_read, 3);
  /* the third has an empty T_BNCCT: rejected as missing */
  CHECK_INT(k.accepted, 2);
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_MISSING], 1);
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_MISSING,
                    "103", "T_BNCCT", "variants.xml, HOSO 3, record 103"));
  HicovClaimsTotals t;
  hicov_claims_totals(c, &t);
  CHECK_INT(t.total_cost, 10000 + 20050);
  CHECK_INT(t.fund_paid, 8000 + 18050);
  CHECK_INT(t.copay, 2000 + 2000);
  check_balance(c);
  free(env);
  hicov_claims_free(c);

  /* 4210: MA_THE / T_TONGCHI, numeric MA_LOAI_KCB, several records in a
   * plain file */
  const char *plain4210 =
    "<?xml version=\"1.0\"?>\n<DSACH>\n"
    "<TONG_HOP><MA_LK>A1</MA_LK><MA_BN>P1</MA_BN><MA_THE>HN2200000000011"
    "</MA_THE><T_TONGCHI>1000000</T_TONGCHI><T_BNCCT>0</T_BNCCT><T_BHTT>1000000"
    "</T_BHTT><NAM_QT>2023</NAM_QT><THANG_QT>12</THANG_QT><MA_LOAI_KCB>3"
    "</MA_LOAI_KCB><NGAY_VAO>202312010800</NGAY_VAO><NGAY_RA>202312041000"
    "</NGAY_RA><MA_CSKCB>03003</MA_CSKCB></TONG_HOP>\n"
    "<TONG_HOP><MA_LK>A2</MA_LK><MA_BN>P1</MA_BN><MA_THE>HN2200000000011"
    "</MA_THE><T_TONGCHI>50000.5</T_TONGCHI><T_BNCCT>0.0</T_BNCCT><T_BHTT>50000.5"
    "</T_BHTT><NAM_QT>2024</NAM_QT><THANG_QT>1</THANG_QT><MA_LOAI_KCB>1"
    "</MA_LOAI_KCB><MA_CSKCB>03003</MA_CSKCB></TONG_HOP>\n</DSACH>\n";
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_buffer(c, "4210.xml", plain4210, strlen(plain4210)),
            HICOV_OK);
  hicov_claims_counts(c, &k);
  CHECK_INT(k.records_read, 2);
  CHECK_INT(k.accepted, 2);
  CHECK_INT(k.records_4210, 2);
  CHECK_INT(k.flagged_by[HICOV_CLAIMS_FLAG_DAYS_COMPUTED], 1);
  hicov_claims_totals(c, &t);
  CHECK_INT(t.inpatient_days, 4); /* 1 to 4 December: 3 + 1 */
  CHECK_INT(t.total_cost, 100000000 + 5000050);
  CHECK_INT(t.patients, 1);
  CHECK_INT(t.first_month, 2023 * 12 + 11);
  hicov_claims_free(c);
}

/* ---- CSV, rejections, tolerated values, duplicates ---- */

static const char csv_text[] =
  "\xef\xbb\xbfMA_LK,STT,MA_BN,HO_TEN,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,"
  "NAM_QT,THANG_QT,MA_LOAI_KCB,SO_NGAY_DTRI,MA_CSKCB\r\n"
  "L1,1,B1,\"NGUYEN, VAN A\",GD4010000000001,100.00,80.00,20.00,2024,3,01,0,04004\r\n"
  "L2,2,B2,\"TRAN \"\"B\"\"\nline two\",HT3010000000002,500.00,475.00,25.00,2024,3,03,4,04004\r\n"
  "L3,3,B3,X,CN3010000000003,NaN,0,0,2024,3,01,0,04004\r\n"
  "L4,4,B4,X,TE101000000004,\"145940,50\",145940.50,0,2024,3,01,0,04004\r\n"
  "L5,5,B5,X,HN2010000000005,1.005,1,0,2024,3,01,0,04004\r\n"
  "L6,6,B6,X,HN2010000000006,10,10,0,2024,13,01,0,04004\r\n"
  "L7,7,B7,X,HN2010000000007,10,10,0,2024,3,01,0\r\n"
  ",8,B8,X,HN2010000000008,10,10,0,2024,3,01,0,04004\r\n"
  "L1,9,B1,X,GD4010000000001,100.00,80.00,20.00,2024,3,01,0,04004\r\n"
  "L9,10,B9,X,,10,10,0,2024,3,07,0,04004\r\n"
  "L10,11,,X,0000000010,10,10,0,2024,3,01,0,04004\r\n"
  "\r\n";

static void test_csv_and_rejections(void)
{
  HicovClaims *c;
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_buffer(c, "claims.csv", csv_text, sizeof csv_text - 1),
            HICOV_OK);
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.records_read, 11);
  CHECK_INT(k.accepted, 6); /* L1 L2 L3 L4 L9 L10 */
  CHECK_INT(k.rejected, 5);
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_MALFORMED], 2); /* L5, L6 */
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_CSV_ROW], 1);   /* L7 */
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_MISSING], 1);   /* row 8 */
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_DUPLICATE], 1); /* L1 again */
  CHECK_INT(k.flagged_by[HICOV_CLAIMS_FLAG_AMOUNT_NAN], 1);
  CHECK_INT(k.flagged_by[HICOV_CLAIMS_FLAG_AMOUNT_COMMA], 1);
  CHECK_INT(k.flagged_by[HICOV_CLAIMS_FLAG_CARD_MALFORMED], 1);
  CHECK_INT(k.flagged_by[HICOV_CLAIMS_FLAG_CARD_MISSING], 1);
  CHECK_INT(k.flagged_by[HICOV_CLAIMS_FLAG_CARD_SI_ONLY], 1);
  CHECK_INT(k.flagged, 4); /* L4 has two flags */
  check_balance(c);
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_MALFORMED,
                    "L5", "T_TONGCHI_BV", "found '1.005'"));
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_MALFORMED,
                    "L6", "THANG_QT", "expected the settlement month (1-12), found '13'"));
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_CSV_ROW,
                    "L7", "", "expected 13 fields as in the header, found 12"));
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_DUPLICATE,
                    "L1", "MA_LK", "facility 04004"));
  CHECK(has_message(c, HICOV_CLAIMS_MSG_FLAG, HICOV_CLAIMS_FLAG_CARD_MALFORMED,
                    "L4", "MA_THE_BHYT", "(14 characters)"));
  CHECK(has_message(c, HICOV_CLAIMS_MSG_FLAG, HICOV_CLAIMS_FLAG_AMOUNT_COMMA,
                    "L4", "T_TONGCHI_BV", "read as 145940.50"));
  HicovClaimsTotals t;
  hicov_claims_totals(c, &t);
  CHECK_INT(t.visits, 6);
  CHECK_INT(t.inpatient_visits, 1);
  CHECK_INT(t.inpatient_days, 4);
  CHECK_INT(t.total_cost, 10000 + 50000 + 0 + 14594050 + 1000 + 1000);
  CHECK_INT(t.fund_paid, 8000 + 47500 + 0 + 14594050 + 1000 + 1000);
  CHECK_INT(t.patients, 6);
  /* groups: TE from the 14-character card, UNK for L9 and L10 */
  hicov_claims_sort_cells(c);
  int te = 0, unk = 0;
  for (size_t i = 0; i < hicov_claims_cell_count(c); i++) {
    HicovClaimsCell cell;
    hicov_claims_cell(c, i, &cell);
    te += !strcmp(cell.group, "TE") ? (int)cell.visits : 0;
    unk += !strcmp(cell.group, "UNK") ? (int)cell.visits : 0;
  }
  CHECK_INT(te, 1);
  CHECK_INT(unk, 2);

  /* merge and serialisation are exact */
  void *blob;
  size_t blen;
  CHECK_INT(hicov_claims_serialize(c, &blob, &blen), HICOV_OK);
  HicovClaims *c2;
  CHECK_INT(hicov_claims_deserialize(blob, blen, &c2), HICOV_OK);
  HicovClaimsTotals t2;
  hicov_claims_totals(c2, &t2);
  CHECK(!memcmp(&t, &t2, sizeof t));
  HicovClaimsCounts k2;
  hicov_claims_counts(c2, &k2);
  CHECK(!memcmp(&k, &k2, sizeof k));
  CHECK_INT(hicov_claims_message_count(c2), hicov_claims_message_count(c));
  void *blob2;
  size_t blen2;
  CHECK_INT(hicov_claims_serialize(c2, &blob2, &blen2), HICOV_OK);
  CHECK_INT(blen2, blen);
  /* A cell whose inpatient visits are not its visits (inpatient type) or
   * 0 (other types) is refused: cells do not store them (ClaimsCell). */
  {
    HicovClaims *one;
    hicov_claims_new(&one);
    CHECK_INT(hicov_claims_read_buffer(one, "one.csv", csv_text,
                                       sizeof csv_text - 1), HICOV_OK);
    void *b1;
    size_t l1;
    CHECK_INT(hicov_claims_serialize(one, &b1, &l1), HICOV_OK);
    /* the cells follow the facilities and patient strings: find the first
       by its facility index, month and group as format 1 writes them */
    const ClaimsCell *e0 = &one->cells[0];
    unsigned char key[12];
    uint32_t f0 = e0->fac;
    int32_t m0 = e0->month;
    uint16_t g0 = e0->group;
    memcpy(key, &f0, 4);
    memcpy(key + 4, &m0, 4);
    memcpy(key + 8, &g0, 2);
    key[10] = (unsigned char)e0->type;
    key[11] = 0;
    unsigned char *at = NULL;
    for (size_t i = 0; i + 48 <= l1 && !at; i++)
      if (!memcmp((unsigned char *)b1 + i, key, 12))
        at = (unsigned char *)b1 + i;
    CHECK(at != NULL);
    if (at) {
      int32_t n[3];
      memcpy(n, at + 12, sizeof n);
      HicovClaims *back = NULL;
      n[1] = claims_type_inpatient(e0->type) ? 0 : 1; /* inconsistent */
      memcpy(at + 12, n, sizeof n);
      CHECK_INT(hicov_claims_deserialize(b1, l1, &back), HICOV_PARSE);
      CHECK(back == NULL);
      n[1] = claims_type_inpatient(e0->type) ? n[0] : 0; /* as written */
      memcpy(at + 12, n, sizeof n);
      CHECK_INT(hicov_claims_deserialize(b1, l1, &back), HICOV_OK);
      hicov_claims_free(back);
    }
    hicov_free(b1);
    hicov_claims_free(one);
  }
  /* a corrupted blob is refused, never crashes */
  for (size_t cut = 0; cut < blen; cut += blen / 50 + 1) {
    HicovClaims *bad = NULL;
    CHECK(hicov_claims_deserialize(blob, cut, &bad) != HICOV_OK);
    CHECK(bad == NULL);
  }
  /* reading the same file into c2 again: every record is a duplicate */
  CHECK_INT(hicov_claims_read_buffer(c2, "claims.csv", csv_text, sizeof csv_text - 1),
            HICOV_OK);
  hicov_claims_totals(c2, &t2);
  CHECK(!memcmp(&t, &t2, sizeof t));
  hicov_claims_counts(c2, &k2);
  CHECK_INT(k2.rejected_by[HICOV_CLAIMS_REJECT_DUPLICATE], 1 + 7);
  check_balance(c2);
  /* merge of two disjoint halves equals reading both */
  HicovClaims *m;
  hicov_claims_new(&m);
  HicovClaims *other;
  hicov_claims_new(&other);
  const char *more = "MA_LK,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,"
                     "THANG_QT,MA_LOAI_KCB,MA_CSKCB\nZ1,GD4010000000001,1,1,0,"
                     "2024,4,01,04004\n";
  CHECK_INT(hicov_claims_read_buffer(other, "more.csv", more, strlen(more)), HICOV_OK);
  CHECK_INT(hicov_claims_merge(m, c), HICOV_OK);
  CHECK_INT(hicov_claims_merge(m, other), HICOV_OK);
  HicovClaimsTotals tm;
  hicov_claims_totals(m, &tm);
  CHECK_INT(tm.visits, t.visits + 1);
  CHECK_INT(tm.fund_paid, t.fund_paid + 100);
  CHECK_INT(tm.patients, t.patients); /* the same card holder */
  hicov_claims_counts(m, &k2);
  CHECK_INT(k2.merge_conflicts, 0);
  CHECK_INT(hicov_claims_merge(m, other), HICOV_OK);
  hicov_claims_counts(m, &k2);
  CHECK_INT(k2.merge_conflicts, 1);
  hicov_claims_free(m);
  hicov_claims_free(other);
  hicov_free(blob);
  hicov_free(blob2);
  hicov_claims_free(c2);
  hicov_claims_free(c);
}

/* ---- amounts of the exports' shape "digits.dd", and what is not ---- */

/* CSV rows with MA_LK last: a short row after a full one keeps none of
 * its fields (its message names no record, not the row before's L1), and
 * the full row after it is read whole (the reader resets the fields a
 * short row leaves out, not every field of every row). */
static void test_csv_short_row_fields(void)
{
  static const char text[] =
    "STT,MA_BN,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,THANG_QT,"
    "MA_LOAI_KCB,SO_NGAY_DTRI,MA_CSKCB,MA_LK\n"
    "1,B1,GD4010000000001,100.00,80.00,20.00,2024,3,01,0,04004,L1\n"
    "2,B2,GD4010000000002,100.00,80.00,20.00,2024,3,01,0\n"
    "3,B3,GD4010000000003,300.00,240.00,60.00,2024,4,01,0,04004,L3\n"
    "4,B4\n";
  HicovClaims *c;
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_buffer(c, "short.csv", text, sizeof text - 1),
            HICOV_OK);
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.records_read, 4);
  CHECK_INT(k.accepted, 2);
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_CSV_ROW], 2);
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_CSV_ROW,
                    "", "", "expected 12 fields as in the header, found 10"));
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_CSV_ROW,
                    "", "", "expected 12 fields as in the header, found 2"));
  CHECK(!has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_CSV_ROW,
                     "L1", NULL, NULL));
  CHECK(!has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_CSV_ROW,
                     "L3", NULL, NULL));
  HicovClaimsTotals t;
  hicov_claims_totals(c, &t);
  CHECK_INT(t.visits, 2);
  CHECK_INT(t.total_cost, 10000 + 30000);
  CHECK_INT(t.fund_paid, 8000 + 24000);
  CHECK_INT(t.patients, 2);
  hicov_claims_free(c);
}

/* Runs of columns the header does not map are skipped in the reader's
 * delimiter masks: runs of every width at every offset in a 64-byte
 * block, some of their fields quoted (with commas, line breaks and ""),
 * a quote inside an unquoted field, bytes that are not UTF-8 (not
 * checked in a column not read), a run that ends the row, short and long
 * rows.  Row i pays i đồng of a cost of i + 1 and a co-payment of 1;
 * rows 24, 74, 124, 174 have a field too many and 49, 99, 149, 199 seven
 * too few: 192 accepted, fund 0 + ... + 199 less those eight rows
 * (19900 - 396 - 496 = 19008 đồng). */
static void test_csv_skipped_runs(void)
{
  Buf b = { 0 };
  bput(&b, "MA_LK,X1,X2,X3,MA_THE_BHYT,Y1,Y2,Y3,Y4,Y5,Y6,Y7,T_TONGCHI_BV,"
           "T_BHTT,T_BNCCT,NAM_QT,THANG_QT,MA_LOAI_KCB,Z1,Z2,MA_CSKCB,W\n");
  static const char pad[] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
  char r[1024];
  for (int i = 0; i < 200; i++) {
    char x2[64], y[7][64];
    if (i % 5 == 0)
      snprintf(x2, sizeof x2, "\"a, \"\"b\"\"\nc%.*s\"", i % 17, pad);
    else
      snprintf(x2, sizeof x2, "%.*s", i % 13, pad);
    for (int k = 0; k < 7; k++)
      snprintf(y[k], sizeof y[k], "%.*s", (i * (k + 3)) % 29, pad);
    if (i % 7 == 0)
      snprintf(y[3], sizeof y[3], "\"Lê, %d\"", i);
    if (i % 10 == 3)
      snprintf(y[5], sizeof y[5], "ab\"c\xff");
    snprintf(r, sizeof r, "R%d,%.*s,%s,%.*s,DN40100000%05d,%s,%s,%s,%s,%s,%s,"
             "%s,%d,%d,1,2024,%d,01,%.*s,,79001,%.*s%s\n", i, i % 11, pad,
             x2, i % 41, pad, i, y[0], y[1], y[2], y[3], y[4], y[5], y[6],
             i + 1, i, 1 + i % 12, i % 3, pad, i % 19, pad,
             i % 50 == 24 ? ",extra" : "");
    if (i % 50 == 49) /* seven fields short: ends after T_BNCCT's "1" */
      strcpy(strstr(r, ",2024,"), "\n");
    bput(&b, r);
  }
  HicovClaims *c;
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_buffer(c, "runs.csv", b.s, b.n), HICOV_OK);
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.records_read, 200);
  CHECK_INT(k.accepted, 192);
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_CSV_ROW], 8);
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_CSV_ROW,
                    "R24", "", "expected 22 fields as in the header, found 23"));
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_CSV_ROW,
                    "R49", "", "expected 22 fields as in the header, found 15"));
  HicovClaimsTotals t;
  CHECK_INT(hicov_claims_totals(c, &t), HICOV_OK);
  CHECK_INT(t.visits, 192);
  CHECK_INT(t.fund_paid, 1900800);
  CHECK_INT(t.total_cost, 1900800 + 19200);
  CHECK_INT(t.copay, 19200);
  CHECK_INT(t.patients, 192);
  check_balance(c);
  hicov_claims_free(c);
  free(b.s);
}

/* The duplicate key is claims_hash_bytes of facility, NUL, MA_LK, as in
 * the states saved before (a saved state's keys must meet a new read's):
 * claims_hash_zpad, which reads the last word whole, gives the same at
 * every length and alignment, and the key of one record read is pinned
 * (0x8a00cf6ff0315602 worked out by a separate implementation in Python
 * of the same function). */
static void test_dedup_key(void)
{
  unsigned char buf[160 + 8];
  uint64_t x = 88172645463325252ULL;
  for (size_t n = 0; n <= 130; n++)
    for (size_t at = 0; at < 8; at++) {
      for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf[at + i] = (unsigned char)x;
      }
      memset(buf + at + n, 0, 8);
      CHECK(claims_hash_zpad(buf + at, n, 0x5eed) ==
            claims_hash_bytes(buf + at, n, 0x5eed));
    }
  static const char row[] = "MA_LK,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,"
                            "NAM_QT,THANG_QT,MA_LOAI_KCB,MA_CSKCB\n"
                            "26318-000000000,DN4262856356142,10,8,2,2024,8,"
                            "01,26318\n";
  HicovClaims *c;
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_buffer(c, "one.csv", row, strlen(row)),
            HICOV_OK);
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.accepted, 1);
  CHECK(claims_hash_bytes("26318\0" "26318-000000000", 21, 0x5eed) ==
        0x8a00cf6ff0315602ULL);
  uint64_t key = 0x8a00cf6ff0315602ULL;
  int any = 0;
  if (c->dedup)
    CHECK_INT(claims_dedup_contains_any(c->dedup, &key, 1, &any), HICOV_OK);
  else
    CHECK_INT(claims_set_contains(c->local, key, &any), HICOV_OK);
  CHECK_INT(any, 1);
  hicov_claims_free(c);
}

/* CSV text is checked as UTF-8 in the columns read (MA_BN here) and not
 * in the others (X): MA_BN at every offset in a 64-byte block, begun in
 * one block and ended in the next, quoted or not; a byte 0xFF in rows
 * 1, 3, 5, ... (in quotes in 3, 7, 11, ...) refuses those 64 rows, a
 * valid "ê" (0xC3 0xAA) in rows 2, 6, 10, ... and 0xFF in X do not. */
static void test_csv_utf8_columns(void)
{
  Buf b = { 0 };
  bput(&b, "MA_LK,X,MA_BN,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,"
           "THANG_QT,MA_LOAI_KCB,MA_CSKCB\n");
  static const char pad[] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxx";
  char r[512];
  for (int i = 0; i < 128; i++) {
    const char *q = i % 4 == 3 ? "\"" : "";
    snprintf(r, sizeof r, "U%d,%.*s\xff,%sB%d%.*s%s%s,DN40100000%05d,2,1,1,"
             "2024,1,01,79001\n", i, i % 67, pad, q, i, i % 23, pad,
             i % 2 ? "\xff" : i % 4 == 2 ? "\xc3\xaa" : "", q, i);
    bput(&b, r);
  }
  HicovClaims *c;
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_buffer(c, "utf8.csv", b.s, b.n), HICOV_OK);
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.records_read, 128);
  CHECK_INT(k.accepted, 64);
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_MALFORMED], 64);
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_MALFORMED,
                    "U1", "MA_BN", "expected UTF-8 text"));
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_MALFORMED,
                    "U3", "MA_BN", "expected UTF-8 text"));
  CHECK(!has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_MALFORMED,
                     "U2", NULL, NULL));
  check_balance(c);
  hicov_claims_free(c);
  free(b.s);
}

static void test_amount_shapes(void)
{
  const char *s =
    "MA_LK,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,THANG_QT,MA_LOAI_KCB,"
    "MA_CSKCB\n"
    /* 16 digits before the point, the most read: 999...9.99 x 100 centi */
    "a1,DN4010000000001,9999999999999999.99,0.05,1.50,2024,1,01,F1\n"
    /* the same with a leading zero: 17 digits, too large */
    "a2,DN4010000000002,09999999999999999.99,0,0,2024,1,01,F1\n"
    /* a letter among the digits, before or after the point */
    "a3,DN4010000000003,12a4.00,0,0,2024,1,01,F1\n"
    "a4,DN4010000000004,1234.0x,0,0,2024,1,01,F1\n"
    /* spaces, one decimal, none, a point with no digit before it */
    "a5,DN4010000000005, 7.25 ,0.5,3,2024,1,01,F1\n"
    "a6,DN4010000000006,.75,000.10,0,2024,1,01,F1\n"
    /* below zero, in the same shape */
    "a7,DN4010000000007,-10.00,0,0,2024,1,01,F1\n";
  HicovClaims *c;
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_buffer(c, "amounts.csv", s, strlen(s)), HICOV_OK);
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.accepted, 3);
  CHECK_INT(k.rejected, 4);
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_MALFORMED], 4);
  HicovClaimsTotals t;
  CHECK_INT(hicov_claims_totals(c, &t), HICOV_OK);
  CHECK(t.total_cost == 999999999999999999LL + 725 + 75);
  CHECK_INT(t.fund_paid, 5 + 50 + 10);
  CHECK_INT(t.copay, 150 + 300);
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_MALFORMED, "a2",
                    "T_TONGCHI_BV", "is too large"));
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_MALFORMED, "a3",
                    "T_TONGCHI_BV", "expected an amount in đồng such as 145940.00, found '12a4.00'"));
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_MALFORMED, "a4",
                    "T_TONGCHI_BV", "found '1234.0x'"));
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_MALFORMED, "a7",
                    "T_TONGCHI_BV", "expected an amount of zero or more đồng, found '-10.00'"));
  check_balance(c);
  hicov_claims_free(c);
}

/* ---- a cell's sum past int64: the error names the cell and the sum ---- */

static void test_cell_overflow(void)
{
  /* ten records of the largest amount (16 digits, 10^18 centi) in one
   * facility x month x group x visit type: the tenth passes 2^63 */
  char s[2048] = "MA_LK,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,"
                 "THANG_QT,MA_LOAI_KCB,MA_CSKCB\n";
  for (int i = 0; i < 10; i++)
    snprintf(s + strlen(s), sizeof s - strlen(s),
             "r%d,DN40100000000%02d,9999999999999999,0,0,2024,1,01,F1\n", i, i);
  HicovClaims *c;
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_buffer(c, "big.csv", s, strlen(s)), HICOV_OVERFLOW);
  CHECK_CONTAINS(hicov_claims_errmsg(c), "big.csv: total cost (T_TONGCHI_BV) at "
                 "facility F1, 2024-01, group DN, visit type 01 would pass 64 bits");
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.accepted, 9);
  CHECK_INT(k.rejected, 1);
  check_balance(c);
  hicov_claims_free(c);

  /* The same ten with another cell between each, and a table of one cell:
   * each copy of the big cell is written out before the next arrives, so
   * no copy passes the limit and the read goes on; the merge of the
   * copies (sort_cells, serialize) names the cell, and the totals fail. */
  char t[4096] = "MA_LK,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,"
                 "THANG_QT,MA_LOAI_KCB,MA_CSKCB\n";
  for (int i = 0; i < 10; i++)
    snprintf(t + strlen(t), sizeof t - strlen(t),
             "r%d,DN40100000000%02d,9999999999999999,0,0,2024,1,01,F1\n"
             "s%d,DN40100000001%02d,1,0,0,2024,1,01,F2\n", i, i, i, i);
  claims_debug_cell_budget(1);
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_buffer(c, "spilled.csv", t, strlen(t)), HICOV_OK);
  CHECK(c->cspill.n >= 18 && c->n_cells <= 1);
  HicovClaimsTotals tot;
  CHECK_INT(hicov_claims_totals(c, &tot), HICOV_OVERFLOW);
  CHECK_CONTAINS(hicov_claims_errmsg(c), "the total of total cost overflows 64 bits");
  void *blob = NULL;
  size_t len;
  CHECK_INT(hicov_claims_serialize(c, &blob, &len), HICOV_OVERFLOW);
  CHECK_CONTAINS(hicov_claims_errmsg(c), "total cost (T_TONGCHI_BV) at facility F1, "
                 "2024-01, group DN, visit type 01 would pass 64 bits");
  CHECK_INT(hicov_claims_sort_cells(c), HICOV_OVERFLOW);
  CHECK_CONTAINS(hicov_claims_errmsg(c), "at facility F1, 2024-01");
  /* nothing was lost: the cells are still written out, F2's add up */
  CHECK(c->cspill.n >= 18);
  hicov_claims_free(c);
  claims_debug_cell_budget(0);
}

/* One patient's fund at one facility in one month past 2^63 centi, over
 * ten visit types (ten cells, none past its limit): every record is read
 * and accepted, and the sums that need that patient's total say so. */
static void patient_fund_overflow(int layout)
{
  char s[4096] = "MA_LK,MA_BN,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,"
                 "THANG_QT,MA_LOAI_KCB,SO_NGAY_DTRI,MA_CSKCB\n";
  for (int i = 0; i < 10; i++) {
    snprintf(s + strlen(s), sizeof s - strlen(s),
             "r%d,B1,DN4010000000001,0,9999999999999999,0,2024,1,%02d,1,F1\n",
             i, i + 1);
    /* other patients between the halves (a table of 16 is written out
       with five copies in it), or after all ten (written out with the
       ten: summing them when sorted must keep the last one apart) */
    for (int j = 0; i == (layout ? 9 : 4) && j < 20; j++)
      snprintf(s + strlen(s), sizeof s - strlen(s),
               "o%d,P%d,DN40100000001%02d,0,1,0,2024,1,01,0,F1\n", j, j, j);
  }
  for (int budget = 0; budget <= 16; budget += 16) {
    /* in the table, and split between a run and the table */
    claims_debug_trip_budget((size_t)budget);
    HicovClaims *c;
    hicov_claims_new(&c);
    CHECK_INT(hicov_claims_read_buffer(c, "fund.csv", s, strlen(s)), HICOV_OK);
    HicovClaimsCounts k;
    hicov_claims_counts(c, &k);
    CHECK_INT(k.accepted, 30);
    CHECK(budget ? c->spill.n_run > 0 : c->spill.n_run == 0);
    HicovClaimsDistinct *rows = NULL;
    size_t n = 0;
    CHECK_INT(hicov_claims_distinct(c, NULL, &rows, &n), HICOV_OVERFLOW);
    CHECK_CONTAINS(hicov_claims_errmsg(c), "fund paid per patient overflows 64 bits");
    hicov_free(rows);
    void *blob = NULL;
    size_t len;
    CHECK_INT(hicov_claims_serialize(c, &blob, &len), HICOV_OVERFLOW);
    hicov_claims_free(c);
  }
  claims_debug_trip_budget(0);
}

static void test_patient_fund_overflow(void)
{
  patient_fund_overflow(0);
  patient_fund_overflow(1);
}

/* One patient with 400,000 triples (a facility and month each, a hostile
 * file), past the table's budget: the runs come back in (patient,
 * facility, month) order, every triple once with its copies summed, a
 * bounded window at a time (bounded on the whole key, not the patient,
 * whose triples alone would be the whole window). */
static void test_trip_windows(void)
{
  enum { N = 400000 };
  claims_debug_trip_budget(4096);
  HicovClaims *c;
  CHECK_INT(hicov_claims_new(&c), HICOV_OK);
  uint64_t state = 7;
  int64_t fund = 0;
  for (uint32_t i = 0; i < N; i++) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    /* patient 5 (and a few triples of 3 and 9), facility and month drawn
       from 200,000 pairs in no order: many come more than once, copies
       to be summed */
    uint32_t k = (uint32_t)(state >> 33) % (N / 2);
    uint64_t patient = i % 50 == 0 ? (i % 100 == 0 ? 3 : 9) : 5;
    CHECK_INT(claims_trip_add(c, patient, k / 400, CLAIMS_MONTH_MIN + (int32_t)(k % 400),
                              (int64_t)i), HICOV_OK);
    fund += (int64_t)i;
  }
  claims_trip_settle(c);
  CHECK(c->spill.n_run > 50 && c->n_trip == 0);
  TripIter it;
  CHECK_INT(claims_trip_iter_open(c, &it), HICOV_OK);
  ClaimsTriple t, last = { 0 };
  int more, ordered = 1;
  size_t n = 0;
  int64_t sum = 0;
  while (!claims_trip_iter_next(&it, &t, &more) && more) {
    if (n)
      ordered &= last.patient < t.patient ||
                 (last.patient == t.patient &&
                  (last.fac < t.fac || (last.fac == t.fac && last.month < t.month)));
    last = t;
    sum += t.fund;
    n++;
  }
  CHECK(ordered);
  CHECK_INT(sum, fund);
  CHECK(n > N / 3 && n < N);
  /* the window's room: about half the runs' buffers, not 400,000 */
  CHECK(it.wcap <= 65536);
  claims_trip_iter_close(&it);
  hicov_claims_free(c);
  claims_debug_trip_budget(0);
}

/* ---- patients over the thresholds, per unit and period ---- */

static void test_thresholds(void)
{
  /* patient 1: 300m in January + 250m in February at facility F1 -> over
   * 500m for the year only; patient 2: 1.2 billion in one visit at F2. */
  const char *s =
    "MA_LK,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,THANG_QT,MA_LOAI_KCB,"
    "SO_NGAY_DTRI,MA_CSKCB\n"
    "a,DN4010000000001,300000000,300000000,0,2024,1,03,10,F1\n"
    "b,DN4010000000001,250000000,250000000,0,2024,2,03,10,F1\n"
    "c,HT3010000000002,1200000000,1200000000,0,2024,2,03,30,F2\n"
    "d,HT3010000000002,100,100,0,2025,1,01,0,F1\n";
  HicovClaims *c;
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_buffer(c, "big.csv", s, strlen(s)), HICOV_OK);
  HicovClaimsDistinct *rows;
  size_t n;
  CHECK_INT(hicov_claims_distinct(c, NULL, &rows, &n), HICOV_OK);
  int found = 0;
  for (size_t i = 0; i < n; i++) {
    char pt[24];
    hicov_period_format(rows[i].period, pt, sizeof pt);
    if (!strcmp(rows[i].unit, "F1") && !strcmp(pt, "2024")) {
      CHECK_INT(rows[i].patients, 1);
      CHECK_INT(rows[i].patients_500m, 1);
      CHECK_INT(rows[i].patients_1b, 0);
      found++;
    }
    if (!strcmp(rows[i].unit, "F1") && !strcmp(pt, "2024-02")) {
      CHECK_INT(rows[i].patients_500m, 0);
      found++;
    }
    if (!strcmp(rows[i].unit, "F2") && !strcmp(pt, "2024-02")) {
      CHECK_INT(rows[i].patients_1b, 1);
      CHECK_INT(rows[i].patients_500m, 1);
      found++;
    }
  }
  CHECK_INT(found, 3);
  hicov_free(rows);
  /* with a dataset: both facilities under one commune -> 2 patients in 2024,
   * both over 500m */
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  HicovUnit u = { 0 };
  u.code = "C"; u.name = "C"; u.level = HICOV_LEVEL_COMMUNE;
  hicov_dataset_add_unit(ds, &u);
  u.parent = "C"; u.level = HICOV_LEVEL_FACILITY; u.tier = HICOV_TIER_DISTRICT;
  u.code = "F1"; u.name = "F1";
  hicov_dataset_add_unit(ds, &u);
  u.code = "F2"; u.name = "F2";
  hicov_dataset_add_unit(ds, &u);
  CHECK_INT(hicov_claims_to_dataset(c, ds, NULL), HICOV_OK);
  HicovPeriod y = hicov_period_year(2024);
  CHECK_INT(measure(ds, "patients", "C", y, NULL), 200);
  CHECK_INT(measure(ds, "patients_500m", "C", y, NULL), 200);
  CHECK_INT(measure(ds, "patients_1b", "C", y, NULL), 100);
  CHECK_INT(measure(ds, "patients", "C", hicov_period_year(2025), NULL), 100);
  /* months without claims inside the span read as zero for the totals */
  CHECK_INT(measure(ds, "visits", "C", y, NULL), 300);
  CHECK_INT(measure(ds, "fund_paid", "F2", y, NULL), 120000000000LL);
  CHECK_INT(measure(ds, "visits", "F2", hicov_period_month(2024, 7), NULL), 0);
  CHECK_INT(measure(ds, "inpatient_days", "C", y, "DN"), -1); /* by group: months missing */
  CHECK_INT(measure(ds, "inpatient_days", "F2", hicov_period_month(2024, 2), "HT"), 3000);
  hicov_dataset_free(ds);
  /* the counts per unit counted the patients in all too: the totals take
     them without reading the triples, until a triple comes (a read, a
     merge) */
  HicovClaimsTotals t;
  CHECK(c->patients_valid);
  CHECK_INT(hicov_claims_totals(c, &t), HICOV_OK);
  CHECK_INT(t.patients, 2);
  const char *more =
    "MA_LK,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,THANG_QT,MA_LOAI_KCB,"
    "SO_NGAY_DTRI,MA_CSKCB\n"
    "e,DN4010000000003,100,100,0,2024,3,01,0,F1\n"
    "f,DN4010000000001,100,100,0,2024,3,01,0,F2\n";
  CHECK_INT(hicov_claims_read_buffer(c, "more.csv", more, strlen(more)), HICOV_OK);
  CHECK(!c->patients_valid);
  CHECK_INT(hicov_claims_totals(c, &t), HICOV_OK);
  CHECK_INT(t.patients, 3);
  CHECK_INT(hicov_claims_distinct(c, NULL, &rows, &n), HICOV_OK);
  hicov_free(rows);
  CHECK(c->patients_valid && c->patients_known == 3);
  /* a record already read (a duplicate) brings no triple: still valid */
  CHECK_INT(hicov_claims_read_buffer(c, "more.csv", more, strlen(more)), HICOV_OK);
  CHECK(c->patients_valid);
  HicovClaims *other;
  hicov_claims_new(&other);
  const char *fourth =
    "MA_LK,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,THANG_QT,MA_LOAI_KCB,"
    "SO_NGAY_DTRI,MA_CSKCB\n"
    "g,DN4010000000004,100,100,0,2024,4,01,0,F2\n";
  CHECK_INT(hicov_claims_read_buffer(other, "fourth.csv", fourth,
                                     strlen(fourth)), HICOV_OK);
  CHECK_INT(hicov_claims_merge(c, other), HICOV_OK);
  CHECK(!c->patients_valid);
  CHECK_INT(hicov_claims_totals(c, &t), HICOV_OK);
  CHECK_INT(t.patients, 4);
  hicov_claims_free(other);
  hicov_claims_free(c);
}

/* ---- threads: folders, and big files split between workers ---- */

static char tmpdir[256];

static void write_file(const char *name, const char *data, size_t len)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", tmpdir, name);
  FILE *f = fopen(path, "wb");
  fwrite(data, 1, len, f);
  fclose(f);
}

/* A plain XML file of n records; every 97th record has a comment or CDATA
 * around it so that some split points fall inside them. */
static char *plain_file(const char *prefix, int n, int dup_every)
{
  Buf b = { 0 };
  bput(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<DSACH_TONG_HOP>\n");
  char r[1024];
  for (int i = 0; i < n; i++) {
    int id = dup_every && i % dup_every == dup_every - 1 ? i - 1 : i;
    if (i % 97 == 5)
      bput(&b, "<!-- a comment with <TONG_HOP> inside -->\n");
    snprintf(r, sizeof r,
             "<TONG_HOP><MA_LK>%s%d</MA_LK><MA_BN>B%d</MA_BN><HO_TEN>%s</HO_TEN>"
             "<MA_THE_BHYT>%s4%02d%010d</MA_THE_BHYT><T_TONGCHI_BV>%d.%02d"
             "</T_TONGCHI_BV><T_BHTT>%d</T_BHTT><T_BNCCT>%d.%02d</T_BNCCT>"
             "<NAM_QT>2024</NAM_QT><THANG_QT>%d</THANG_QT><MA_LOAI_KCB>%s"
             "</MA_LOAI_KCB><SO_NGAY_DTRI>%d</SO_NGAY_DTRI><MA_CSKCB>%05d"
             "</MA_CSKCB></TONG_HOP>\n",
             prefix, id, id % 500, i % 89 == 3 ? "<![CDATA[<TONG_HOP>]]>" : "N",
             i % 3 ? "GD" : "TE", 20, id % 700, 1000 + id, id % 100, 800 + id,
             200, id % 100, 1 + id % 12, id % 5 ? "01" : "03", id % 5 ? 0 : 3,
             id % 40);
    bput(&b, r);
  }
  bput(&b, "</DSACH_TONG_HOP>\n");
  return b.s;
}

/* Rows of hicov_claims_distinct without a dataset come in the order of
 * the facilities' codes, whatever the order the threads met them in: the
 * same rows, in the same order. */
static int same_distinct(const HicovClaimsDistinct *a,
                         const HicovClaimsDistinct *b, size_t n)
{
  return !memcmp(a, b, n * sizeof *a);
}

static void same_results(HicovClaims *a, HicovClaims *b)
{
  HicovClaimsTotals ta, tb;
  hicov_claims_totals(a, &ta);
  hicov_claims_totals(b, &tb);
  CHECK(!memcmp(&ta, &tb, sizeof ta));
  HicovClaimsCounts ka, kb;
  hicov_claims_counts(a, &ka);
  hicov_claims_counts(b, &kb);
  CHECK_INT(ka.records_read, kb.records_read);
  CHECK_INT(ka.accepted, kb.accepted);
  CHECK_INT(ka.rejected, kb.rejected);
  CHECK_INT(ka.rejected_by[HICOV_CLAIMS_REJECT_DUPLICATE],
            kb.rejected_by[HICOV_CLAIMS_REJECT_DUPLICATE]);
  hicov_claims_sort_cells(a);
  hicov_claims_sort_cells(b);
  CHECK_INT(hicov_claims_cell_count(a), hicov_claims_cell_count(b));
  for (size_t i = 0; i < hicov_claims_cell_count(a) && i < hicov_claims_cell_count(b); i++) {
    HicovClaimsCell x, y;
    hicov_claims_cell(a, i, &x);
    hicov_claims_cell(b, i, &y);
    CHECK_STR(x.facility, y.facility);
    CHECK(x.month == y.month && x.visit_type == y.visit_type &&
          !strcmp(x.group, y.group) && x.visits == y.visits &&
          x.fund_paid == y.fund_paid && x.total_cost == y.total_cost &&
          x.inpatient_days == y.inpatient_days);
  }
}

/* a's and b's messages are the same, in the same order. */
static void same_messages(HicovClaims *a, HicovClaims *b)
{
  size_t nm = hicov_claims_message_count(a);
  CHECK_INT(hicov_claims_message_count(b), nm);
  for (size_t i = 0; i < nm && i < hicov_claims_message_count(b); i++) {
    HicovClaimsMessage x, y;
    hicov_claims_message(a, i, &x);
    hicov_claims_message(b, i, &y);
    CHECK_STR(y.message, x.message);
  }
}

static int progress_calls;
static int on_progress(const HicovClaimsProgress *p, void *user)
{
  (void)user;
  progress_calls++;
  CHECK(p->bytes_done <= p->bytes_total);
  return 0;
}

/* Reads tmpdir's files names[0..n) into c, one after the other. */
/* A growing text, and a sink of hicov_claims_values_csv_write into it. */
typedef struct {
  char *s;
  size_t n, cap;
} Text;

static int text_piece(void *ctx, const void *data, size_t n)
{
  Text *t = ctx;
  if (t->n + n > t->cap) {
    t->cap = 2 * (t->n + n);
    t->s = realloc(t->s, t->cap);
    CHECK(t->s != NULL);
  }
  memcpy(t->s + t->n, data, n);
  t->n += n;
  return HICOV_OK;
}

static void read_files(HicovClaims *c, const char *const *names, int n)
{
  for (int i = 0; i < n; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
    CHECK_INT(hicov_claims_read_file(c, path), HICOV_OK);
  }
}

static void test_threads(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/hicov-test-claims-%d", (int)getpid());
  mkdir(tmpdir, 0700);
  char *plain = plain_file("K", 20000, 0);
  char *dups = plain_file("D", 6000, 50);
  write_file("a-plain.xml", plain, strlen(plain));
  write_file("b-dups.xml", dups, strlen(dups));
  /* CSV with quoted line breaks */
  Buf b = { 0 };
  bput(&b, "MA_LK,HO_TEN,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,THANG_QT,"
           "MA_LOAI_KCB,MA_CSKCB\n");
  char r[256];
  for (int i = 0; i < 30000; i++) {
    /* every 97th row repeats the MA_LK of the row 50 before (the same
       facility): a duplicate; every 89th has a "NaN" co-payment (tolerated,
       with a message from the parse, where duplicates get theirs when the
       records are added) */
    snprintf(r, sizeof r, "C%d,%s,DN4010%09d,%d.50,%d,%s,2024,%d,01,%05d\n",
             i % 97 == 96 ? i - 50 : i,
             i % 7 == 0 ? "\"two\nlines, \"\"quoted\"\"\"" : "plain", i % 3000,
             i, i, i % 89 == 5 ? "NaN" : "0", 1 + i % 12, i % 50);
    bput(&b, r);
  }
  write_file("c.csv", b.s, b.n);
  const char *sub[] = { "<TONG_HOP><MA_LK>E1</MA_LK><MA_THE_BHYT>TE1010000000001"
    "</MA_THE_BHYT><T_TONGCHI_BV>1</T_TONGCHI_BV><T_BHTT>1</T_BHTT><T_BNCCT>0"
    "</T_BNCCT><NAM_QT>2024</NAM_QT><THANG_QT>5</THANG_QT><MA_LOAI_KCB>01"
    "</MA_LOAI_KCB></TONG_HOP>" };
  char *env = envelope(sub, 1, "09009");
  write_file("d-env.xml", env, strlen(env));

  /* serial reference: one file after the other */
  HicovClaims *ref;
  hicov_claims_new(&ref);
  const char *names[] = { "a-plain.xml", "b-dups.xml", "c.csv", "d-env.xml" };
  read_files(ref, names, 4);
  HicovClaimsCounts k;
  hicov_claims_counts(ref, &k);
  CHECK_INT(k.records_read, 20000 + 6000 + 30000 + 1);
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_DUPLICATE], 120 + 309);
  CHECK_INT(k.flagged_by[HICOV_CLAIMS_FLAG_AMOUNT_NAN], 338 - 4); /* 4 are dups */
  CHECK_INT(k.flagged_by[HICOV_CLAIMS_FLAG_FACILITY_ENVELOPE], 1);
  check_balance(ref);

  /* folder with 2 and 3 threads, files split at several sizes (a split
     file is parsed in chunks of min(split size, 1 MB), 4096 bytes at the
     smallest: quoted line breaks put some chunk starts inside a record) */
  size_t mins[] = { (size_t)1 << 40, 100000, 4096 };
  /* and through windows of a few records, or less than one: they slide
     between records, grow in place inside one, and a token cut at a
     window's end is read again (the reference read each file whole) */
  size_t wins[] = { 0, 4096, 97 };
  for (int wi = 0; wi < 3; wi++) {
   claims_debug_window(wins[wi]);
   for (int t = 2; t <= 3; t++) {
    for (int m = 0; m < 3; m++) {
      claims_debug_split_min(mins[m]);
      /* one thread reads each file whole, committing where chunks start:
         the same messages in the same order as with threads */
      HicovClaims *one;
      hicov_claims_new(&one);
      hicov_claims_set_max_messages(one, 100000);
      const char *dir[] = { tmpdir };
      CHECK_INT(hicov_claims_read_paths(one, dir, 1, 1, NULL, NULL), HICOV_OK);
      HicovClaims *c;
      hicov_claims_new(&c);
      hicov_claims_set_max_messages(c, 100000);
      const char *paths[] = { tmpdir };
      progress_calls = 0;
      int rc = hicov_claims_read_paths(c, paths, 1, t, on_progress, NULL);
      if (rc)
        fprintf(stderr, "%s\n", hicov_claims_errmsg(c));
      CHECK_INT(rc, HICOV_OK);
      CHECK(progress_calls >= 1);
      /* the totals sort the patient table in two halves on two threads */
      CHECK(c->threads == t && c->n_trip >= 4096);
      same_results(ref, c);
      same_results(one, c);
      size_t nm = hicov_claims_message_count(one);
      CHECK(nm >= 120); /* the duplicates at least */
      CHECK_INT(hicov_claims_message_count(c), nm);
      int msgs_same = hicov_claims_message_count(c) == nm;
      for (size_t i = 0; msgs_same && i < nm; i++) {
        HicovClaimsMessage x, y;
        hicov_claims_message(one, i, &x);
        hicov_claims_message(c, i, &y);
        msgs_same = x.kind == y.kind && !strcmp(x.message, y.message);
        if (!msgs_same)
          fprintf(stderr, "message %zu: one thread '%s', %d threads '%s'\n", i,
                  x.message, t, y.message);
      }
      CHECK(msgs_same);
      hicov_claims_free(one);
      check_balance(c);
      hicov_claims_free(c);
    }
   }
  }
  claims_debug_window(0);
  claims_debug_split_min(32u << 20);

  /* Patient triples and duplicate keys past a tiny table budget go to
   * sorted runs in temporary files: the same totals, duplicates, distinct
   * counts and serialised bytes as with everything in memory, serially,
   * with threads and split. */
  void *ref_blob;
  size_t ref_len;
  HicovClaimsDistinct *ref_rows;
  size_t ref_n;
  CHECK_INT(hicov_claims_serialize(ref, &ref_blob, &ref_len), HICOV_OK);
  CHECK_INT(hicov_claims_distinct(ref, NULL, &ref_rows, &ref_n), HICOV_OK);
  CHECK(ref_n > 300);
  size_t budgets[] = { 64, 4096 };
  for (int bi = 0; bi < 2; bi++) {
    claims_debug_trip_budget(budgets[bi]);
    claims_debug_key_budget(budgets[bi] * 64);
    claims_debug_cell_budget(budgets[bi]);
    HicovClaims *c;
    hicov_claims_new(&c);
    read_files(c, names, 4);
    /* the cell table stayed within its budget, the rest written out */
    CHECK(c->n_cells <= budgets[bi] && (bi > 0 || c->cspill.n > 0));
    {
      /* serialised, the cells written out merge back in the order they
         first appeared: the bytes of a handle that kept them in memory */
      claims_debug_cell_budget(0);
      HicovClaims *mem;
      hicov_claims_new(&mem);
      read_files(mem, names, 4);
      claims_debug_cell_budget(budgets[bi]);
      CHECK(mem->cspill.n == 0);
      void *sa, *sb;
      size_t la_, lb_;
      CHECK_INT(hicov_claims_serialize(mem, &sa, &la_), HICOV_OK);
      CHECK_INT(hicov_claims_serialize(c, &sb, &lb_), HICOV_OK);
      CHECK(la_ == lb_ && !memcmp(sa, sb, la_));
      hicov_free(sa);
      hicov_free(sb);
      hicov_claims_free(mem);
      /* totals and tier visits from the cells on disk and in memory */
      HicovClaimsTotals ta, tb;
      CHECK_INT(hicov_claims_totals(ref, &ta), HICOV_OK);
      CHECK_INT(hicov_claims_totals(c, &tb), HICOV_OK);
      CHECK(!memcmp(&ta, &tb, sizeof ta));
      int64_t va[5], vb[5];
      CHECK_INT(hicov_claims_tier_visits(ref, NULL, va), HICOV_OK);
      CHECK_INT(hicov_claims_tier_visits(c, NULL, vb), HICOV_OK);
      CHECK(!memcmp(va, vb, sizeof va));
      /* values.csv merges them back: the same text */
      char *ca, *cb;
      size_t la, lb;
      CHECK_INT(hicov_claims_values_csv(ref, NULL, "t", &ca, &la), HICOV_OK);
      CHECK_INT(hicov_claims_values_csv(c, NULL, "t", &cb, &lb), HICOV_OK);
      CHECK(la == lb && !memcmp(ca, cb, la));
      CHECK(c->cspill.n == 0); /* all in memory now */
      hicov_free(ca);
      hicov_free(cb);
    }
    same_results(ref, c);
    check_balance(c);
    /* the tables stayed within their budgets; the rest went to runs */
    CHECK(c->cap_trip <= budgets[bi] && c->spill.n_run > 0);
    size_t spilled = 0;
    for (int sh = 0; sh < CLAIMS_DEDUP_SHARDS; sh++) {
      CHECK(c->dedup->set[sh].cap <= budgets[bi]);
      spilled += c->dedup->set[sh].spilled;
    }
    CHECK(bi > 0 || spilled > 0); /* 56,000 keys pass 64 shards of 64 */
    HicovClaimsDistinct *rows;
    size_t n;
    CHECK_INT(hicov_claims_distinct(c, NULL, &rows, &n), HICOV_OK);
    CHECK_INT(n, ref_n);
    CHECK(n == ref_n && !memcmp(rows, ref_rows, n * sizeof *rows));
    hicov_free(rows);
    void *blob;
    size_t len;
    CHECK_INT(hicov_claims_serialize(c, &blob, &len), HICOV_OK);
    CHECK(len == ref_len && !memcmp(blob, ref_blob, len));
    /* the blob read back (into a budget as small) serialises the same */
    HicovClaims *back;
    CHECK_INT(hicov_claims_deserialize(blob, len, &back), HICOV_OK);
    hicov_free(blob);
    CHECK_INT(hicov_claims_serialize(back, &blob, &len), HICOV_OK);
    CHECK(len == ref_len && !memcmp(blob, ref_blob, len));
    hicov_free(blob);
    hicov_claims_free(back);
    /* the first file again: every record's key is in a run by now */
    HicovClaimsCounts k0, k1;
    hicov_claims_counts(c, &k0);
    char again[512];
    snprintf(again, sizeof again, "%s/%s", tmpdir, names[0]);
    CHECK_INT(hicov_claims_read_file(c, again), HICOV_OK);
    hicov_claims_counts(c, &k1);
    CHECK_INT(k1.accepted, k0.accepted);
    CHECK_INT(k1.rejected_by[HICOV_CLAIMS_REJECT_DUPLICATE] -
              k0.rejected_by[HICOV_CLAIMS_REJECT_DUPLICATE], 20000);
    check_balance(c);
    hicov_claims_free(c);
    /* hicov_claims_merge of two handles whose keys and triples are partly
       on disk: the files 0-1 and 2-3 read apart and merged give what one
       handle gives; the first file merged in again is all conflicts */
    HicovClaims *h[2];
    for (int part = 0; part < 2; part++) {
      hicov_claims_new(&h[part]);
      for (int i = 2 * part; i < 2 * part + 2; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
        CHECK_INT(hicov_claims_read_file(h[part], path), HICOV_OK);
      }
    }
    CHECK_INT(hicov_claims_merge(h[0], h[1]), HICOV_OK);
    same_results(ref, h[0]);
    CHECK_INT(hicov_claims_distinct(h[0], NULL, &rows, &n), HICOV_OK);
    CHECK(n == ref_n && !memcmp(rows, ref_rows, n * sizeof *rows));
    hicov_free(rows);
    HicovClaims *first;
    hicov_claims_new(&first);
    CHECK_INT(hicov_claims_read_file(first, again), HICOV_OK);
    HicovClaimsCounts km;
    CHECK_INT(hicov_claims_merge(h[0], first), HICOV_OK);
    hicov_claims_counts(h[0], &km);
    CHECK_INT(km.merge_conflicts, 20000);
    hicov_claims_free(first);
    hicov_claims_free(h[0]);
    hicov_claims_free(h[1]);
    for (int t = 2; t <= 3; t++) {
      claims_debug_split_min(t == 2 ? 100000 : (size_t)1 << 40);
      hicov_claims_new(&c);
      /* counted while empty: no patients, known; the read's states moved
         in make that unknown again (same_results below) */
      CHECK_INT(hicov_claims_distinct(c, NULL, &rows, &n), HICOV_OK);
      hicov_free(rows);
      CHECK(c->patients_valid && c->patients_known == 0);
      const char *paths[] = { tmpdir };
      CHECK_INT(hicov_claims_read_paths(c, paths, 1, t, NULL, NULL), HICOV_OK);
      CHECK(!c->patients_valid);
      /* with runs on disk, the end of the read writes the table out too
         and frees it and the spills' buffers (claims_trip_settle) */
      CHECK(c->spill.n_run > 0 && c->n_trip == 0 && !c->trip &&
            !c->trip_tmp && !c->trip_cnt);
      /* so the totals count the patients below and above a pivot on two
         threads (trip_pivot): the same count as the serial reference */
      CHECK(c->threads == t && c->spill.n_run >= 2);
      /* values.csv streamed: its distinct counts are made on threads of
         their own while the cells' values are written (two tables, as
         above): the reference's text; the cells stay on disk */
      CHECK(bi > 0 || c->cspill.n > 0);
      char *ca;
      size_t la, lb;
      CHECK_INT(hicov_claims_values_csv(ref, NULL, "t", &ca, &la), HICOV_OK);
      Text out = { 0 };
      CHECK_INT(hicov_claims_values_csv_write(c, NULL, "t", text_piece, &out,
                                              &lb), HICOV_OK);
      CHECK(lb == la && out.n == la && !memcmp(out.s, ca, la));
      CHECK(bi > 0 || c->cspill.n > 0);
      if (bi == 0 && t == 2) {
        /* memory running out at any point of it, on this thread or on
           those beside it: HICOV_NOMEM, nothing leaked (ASan), and the
           same bytes once memory is back */
        hicov_debug_fail_alloc_after(0);
        out.n = 0;
        CHECK_INT(hicov_claims_values_csv_write(c, NULL, "t", text_piece, &out,
                                                &lb), HICOV_OK);
        long made = hicov_debug_fail_alloc_after(0);
        CHECK(made > 100);
        int failed = 0;
        for (long at = 1; at <= made; at += at < 100 ? 1 : made / 200 + 1) {
          out.n = 0;
          hicov_debug_fail_alloc_after(at);
          int rc = hicov_claims_values_csv_write(c, NULL, "t", text_piece, &out,
                                                 &lb);
          hicov_debug_fail_alloc_after(0);
          CHECK(rc == HICOV_NOMEM || rc == HICOV_OK);
          failed += rc == HICOV_NOMEM;
        }
        CHECK(failed > 100);
        out.n = 0;
        CHECK_INT(hicov_claims_values_csv_write(c, NULL, "t", text_piece, &out,
                                                &lb), HICOV_OK);
        CHECK(lb == la && out.n == la && !memcmp(out.s, ca, la));
      }
      /* the patients' file unreadable: the values fail with its reason
         when the count starts (its pivot), before any cell is handed
         over */
      int keep_fd = c->spill.fd;
      c->spill.fd = open("/dev/null", O_WRONLY);
      CHECK(c->spill.fd >= 0);
      out.n = 0;
      CHECK_INT(hicov_claims_values_csv_write(c, NULL, "t", text_piece, &out,
                                              &lb), HICOV_IO);
      CHECK(strstr(hicov_claims_errmsg(c), "patient") != NULL);
      CHECK_INT(lb, 0);
      CHECK_INT(out.n, 0);
      close(c->spill.fd);
      c->spill.fd = keep_fd;
      free(out.s);
      hicov_free(ca);
      same_results(ref, c);
      /* and so do the counts per unit and period (two tables, added) */
      CHECK_INT(hicov_claims_distinct(c, NULL, &rows, &n), HICOV_OK);
      CHECK_INT(n, ref_n);
      CHECK(same_distinct(rows, ref_rows, n));
      hicov_free(rows);
      /* the end of the read freed the filters in front of the written-out
         keys; a second read of the same files builds them again from the
         runs and finds every record a duplicate */
      int shards_out = 0, filters = 0;
      for (int s = 0; s < CLAIMS_DEDUP_SHARDS; s++) {
        shards_out += c->dedup->set[s].spilled > 0;
        filters += c->dedup->set[s].bloom != NULL;
      }
      CHECK(filters == 0 && (bi > 0 || shards_out > 0));
      HicovClaimsCounts ka, kb;
      hicov_claims_counts(c, &ka);
      CHECK_INT(hicov_claims_read_paths(c, paths, 1, t, NULL, NULL), HICOV_OK);
      hicov_claims_counts(c, &kb);
      CHECK_INT(kb.accepted, ka.accepted);
      CHECK_INT(kb.records_read, 2 * ka.records_read);
      CHECK_INT(kb.rejected_by[HICOV_CLAIMS_REJECT_DUPLICATE],
                ka.accepted + 2 * ka.rejected_by[HICOV_CLAIMS_REJECT_DUPLICATE]);
      check_balance(c);
      /* and merged with another read of the same files (its filters freed
         too), every record of it is a conflict */
      HicovClaims *again_h;
      hicov_claims_new(&again_h);
      CHECK_INT(hicov_claims_read_paths(again_h, paths, 1, t, NULL, NULL),
                HICOV_OK);
      HicovClaimsCounts kc;
      CHECK_INT(hicov_claims_merge(c, again_h), HICOV_OK);
      hicov_claims_counts(c, &kc);
      CHECK_INT(kc.merge_conflicts, ka.accepted);
      filters = 0; /* the merge's checks built them again */
      for (int s = 0; s < CLAIMS_DEDUP_SHARDS; s++)
        filters += c->dedup->set[s].bloom != NULL;
      CHECK(bi > 0 || filters > 0);
      hicov_claims_free(again_h);
      /* the patients' file cut short past the middle of its last run: the
         pivot is read, the count beside the cells' values fails on the
         cut; the cells' values were handed over, the status and the
         message are the count's */
      const ClaimsRun *last = &c->spill.run[c->spill.n_run - 1];
      CHECK(last->n >= 4);
      CHECK(ftruncate(c->spill.fd, (off_t)(last->off + last->n * 3 / 4 *
                                           sizeof(ClaimsTriple))) == 0);
      Text cut = { 0 };
      size_t lc = 1;
      CHECK_INT(hicov_claims_values_csv_write(c, NULL, "t", text_piece, &cut,
                                              &lc), HICOV_IO);
      CHECK(strstr(hicov_claims_errmsg(c), "patient") != NULL);
      CHECK(cut.n > 0);
      CHECK_INT(lc, 0);
      free(cut.s);
      hicov_claims_free(c);
    }
    claims_debug_split_min(32u << 20);
  }
  /* nowhere to write the runs: a clear error, not a crash */
  const char *old_tmp = getenv("TMPDIR");
  char *saved = old_tmp ? strdup(old_tmp) : NULL;
  setenv("TMPDIR", "/nonexistent-hicov-dir", 1);
  claims_debug_trip_budget(16);
  {
    HicovClaims *c;
    hicov_claims_new(&c);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, names[0]);
    CHECK_INT(hicov_claims_read_file(c, path), HICOV_IO);
    CHECK(strstr(hicov_claims_errmsg(c), "/nonexistent-hicov-dir") != NULL);
    CHECK(strstr(hicov_claims_errmsg(c), "TMPDIR") != NULL);
    check_balance(c);
    hicov_claims_free(c);
  }
  if (saved) {
    setenv("TMPDIR", saved, 1);
    free(saved);
  } else {
    unsetenv("TMPDIR");
  }
  claims_debug_trip_budget(0);
  claims_debug_key_budget(0);
  claims_debug_cell_budget(0);
  hicov_free(ref_blob);
  hicov_free(ref_rows);
  hicov_claims_free(ref);
  for (int i = 0; i < 4; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
    unlink(path);
  }
  rmdir(tmpdir);
  free(plain);
  free(dups);
  free(b.s);
  free(env);
}

/* ---- Findings of the fuzzers (tests/fuzz/README.md), kept fixed ---- */

static void test_fuzz_findings(void)
{
  HicovClaims *c;
  HicovClaimsCounts k;

  /* a negative amount is rejected with the field and what was found */
  const char *neg = "<TONG_HOP>" REC130("201", "<T_TONGCHI_BV>100.00</T_TONGCHI_BV>"
    "<T_BHTT>105.00</T_BHTT><T_BNCCT>-5.00</T_BNCCT><MA_LOAI_KCB>01</MA_LOAI_KCB>")
    "</TONG_HOP>";
  CHECK_INT(hicov_claims_new(&c), HICOV_OK);
  CHECK_INT(hicov_claims_read_buffer(c, "neg.xml", neg, strlen(neg)), HICOV_OK);
  hicov_claims_counts(c, &k);
  CHECK_INT(k.records_read, 1);
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_MALFORMED], 1);
  CHECK(has_message(c, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_MALFORMED,
                    "201", "T_BNCCT", "zero or more"));
  /* nothing accepted: the empty state still serialises and reads back */
  void *blob = NULL;
  size_t blen = 0;
  CHECK_INT(hicov_claims_serialize(c, &blob, &blen), HICOV_OK);
  HicovClaims *back = NULL;
  CHECK_INT(hicov_claims_deserialize(blob, blen, &back), HICOV_OK);
  hicov_claims_free(back);
  hicov_free(blob);
  hicov_claims_free(c);

  /* an envelope refused after a HOSO's record was read but before the
   * HOSO closed: the record is rejected with the file, not lost */
  const char *docs[] = { "<TONG_HOP>" REC130("202", "<T_TONGCHI_BV>100.00"
    "</T_TONGCHI_BV><T_BHTT>80.00</T_BHTT><T_BNCCT>20.00</T_BNCCT><MA_LOAI_KCB>01"
    "</MA_LOAI_KCB>") "</TONG_HOP>" };
  char *env = envelope(docs, 1, "02001");
  char *cut = strstr(env, "</FILEHOSO><FILEHOSO>");
  CHECK(cut != NULL);
  strcpy(cut, "</FILEHOSO></DANHSACH></GIAMDINHHS>\n"); /* mismatched end tag */
  CHECK_INT(hicov_claims_new(&c), HICOV_OK);
  CHECK(hicov_claims_read_buffer(c, "cut.xml", env, strlen(env)) != HICOV_OK);
  hicov_claims_counts(c, &k);
  CHECK_INT(k.records_read, 1);
  CHECK_INT(k.accepted, 0);
  CHECK_INT(k.rejected, 1);
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_FILE], 1);
  CHECK_INT(k.files_failed, 1);
  CHECK_CONTAINS(hicov_claims_errmsg(c), "cut.xml");
  free(env);
  hicov_claims_free(c);

  /* into a dataset that already holds one of the values: refused as a
   * whole, nothing added */
  const char *ok = "<TONG_HOP>" REC130("203", "<T_TONGCHI_BV>100.00</T_TONGCHI_BV>"
    "<T_BHTT>80.00</T_BHTT><T_BNCCT>20.00</T_BNCCT><MA_LOAI_KCB>01</MA_LOAI_KCB>")
    "</TONG_HOP>";
  CHECK_INT(hicov_claims_new(&c), HICOV_OK);
  CHECK_INT(hicov_claims_read_buffer(c, "ok.xml", ok, strlen(ok)), HICOV_OK);
  HicovDataset *ds;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  HicovUnit u = { 0 };
  u.code = "P"; u.name = "Province"; u.level = HICOV_LEVEL_PROVINCE;
  CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
  u.code = "02001"; u.name = "Station"; u.parent = "P";
  u.level = HICOV_LEVEL_FACILITY; u.tier = HICOV_TIER_COMMUNE;
  CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
  HicovPeriod mar = hicov_period_month(2024, 3);
  CHECK_INT(hicov_dataset_add_value(ds, "02001", "copay", "DN", mar, 777, "old"),
            HICOV_OK);
  CHECK_INT(hicov_claims_to_dataset(c, ds, "claims"), HICOV_INVALID);
  CHECK_CONTAINS(hicov_claims_errmsg(c), "copay");
  CHECK_INT(measure(ds, "visits", "02001", mar, NULL), -1);
  CHECK_INT(measure(ds, "total_cost", "02001", mar, NULL), -1);
  CHECK_INT(measure(ds, "copay", "02001", mar, "DN"), 777);
  CHECK_INT(hicov_dataset_group_count(ds), 1);
  hicov_dataset_free(ds);
  hicov_claims_free(c);

  /* an envelope whose root name comes after the first 4 KB (a long
   * comment first): the threaded reader must not split it as plain XML */
  char *env2 = envelope(docs, 1, "02001");
  Buf big = { 0 };
  bput(&big, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- ");
  for (int i = 0; i < 100; i++)
    bput(&big, "a comment of fifty characters to push the root on ");
  bput(&big, "-->\n");
  bput(&big, strchr(env2, '\n') + 1);
  mkdir(tmpdir, 0700); /* test_threads made and removed it */
  write_file("late-root.xml", big.s, big.n);
  char path[400];
  snprintf(path, sizeof path, "%s/late-root.xml", tmpdir);
  const char *paths[] = { path };
  HicovClaims *serial, *split;
  CHECK_INT(hicov_claims_new(&serial), HICOV_OK);
  CHECK_INT(hicov_claims_read_paths(serial, paths, 1, 1, NULL, NULL), HICOV_OK);
  claims_debug_split_min(16);
  CHECK_INT(hicov_claims_new(&split), HICOV_OK);
  CHECK_INT(hicov_claims_read_paths(split, paths, 1, 2, NULL, NULL), HICOV_OK);
  claims_debug_split_min(32u << 20);
  HicovClaimsCounts ka, kb;
  hicov_claims_counts(serial, &ka);
  hicov_claims_counts(split, &kb);
  CHECK_INT(ka.accepted, 1);
  CHECK_INT(kb.records_read, ka.records_read);
  CHECK_INT(kb.accepted, ka.accepted);
  same_results(serial, split);
  hicov_claims_free(serial);
  hicov_claims_free(split);
  unlink(path);
  rmdir(tmpdir);
  free(big.s);
  free(env2);
}

/* The same record (facility, MA_LK) in two files with different amounts:
 * the copy in the earlier file of the list is counted, however the
 * threads are scheduled.  The earlier file is large, so the later one is
 * read first when two threads share them. */
static void test_file_order(void)
{
  mkdir(tmpdir, 0700);
  char *bigf = plain_file("Z", 20000, 0);
  /* the big file's last record, committed last, again with another total */
  const char *last = strstr(bigf, "<TONG_HOP><MA_LK>Z19999<");
  CHECK(last != NULL);
  Buf sb = { 0 };
  bput(&sb, "<?xml version=\"1.0\"?>\n<DSACH_TONG_HOP>\n");
  bput(&sb, last); /* up to the end: the record and the closing tag */
  char *small = sb.s;
  char *amount = strstr(small, "<T_TONGCHI_BV>20999.99<");
  CHECK(amount != NULL);
  memcpy(amount + strlen("<T_TONGCHI_BV>"), "10999", 5);
  write_file("o1-big.xml", bigf, strlen(bigf));
  write_file("o2-small.xml", small, strlen(small));
  char p1[400], p2[400];
  snprintf(p1, sizeof p1, "%s/o1-big.xml", tmpdir);
  snprintf(p2, sizeof p2, "%s/o2-small.xml", tmpdir);
  const char *paths[] = { p1, p2 };
  HicovClaims *serial;
  CHECK_INT(hicov_claims_new(&serial), HICOV_OK);
  CHECK_INT(hicov_claims_read_paths(serial, paths, 2, 1, NULL, NULL), HICOV_OK);
  HicovClaimsCounts k;
  hicov_claims_counts(serial, &k);
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_DUPLICATE], 1);
  CHECK(has_message(serial, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_DUPLICATE,
                    "Z19999", "MA_LK", "o2-small.xml"));
  for (int round = 0; round < 5; round++) {
    HicovClaims *threaded;
    CHECK_INT(hicov_claims_new(&threaded), HICOV_OK);
    CHECK_INT(hicov_claims_read_paths(threaded, paths, 2, 2, NULL, NULL), HICOV_OK);
    same_results(serial, threaded);
    hicov_claims_free(threaded);
  }
  hicov_claims_free(serial);
  unlink(p1);
  unlink(p2);
  rmdir(tmpdir);
  free(bigf);
  free(small);
}

/* A big file that fails part way (a cell sum passing 64 bits) counts the
 * same with threads as with one: read as far as a serial read reads,
 * accepted what it committed, the rest of the window rejected with the
 * file, and the same messages.  Chunks of 100 KB hold more than a window
 * of 1,024 records (the failure is in a window a later record commits);
 * chunks of 4 KB fewer (the window is the chunk's last). */
static void test_split_failure(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/hicov-test-claims-f%d", (int)getpid());
  mkdir(tmpdir, 0700);
  Buf b = { 0 };
  bput(&b, "MA_LK,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,THANG_QT,"
           "MA_LOAI_KCB,MA_CSKCB\n");
  char r[200];
  for (int i = 0; i < 5000; i++) {
    if (i >= 500 && i < 510)
      snprintf(r, sizeof r, "h%d,DN40100000000%02d,9999999999999999,0,0,2024,1,"
               "01,F1\n", i, i - 500);
    else
      snprintf(r, sizeof r, "r%d,HS40100%08d,%d.00,%d,%s,2024,%d,01,F%d\n", i,
               i % 700, 100 + i, 50 + i, i % 31 == 3 ? "NaN" : "0", 1 + i % 12,
               2 + i % 40);
    bput(&b, r);
  }
  write_file("o.csv", b.s, b.n);
  char path[512];
  snprintf(path, sizeof path, "%s/o.csv", tmpdir);
  const char *paths[] = { path };
  size_t mins[] = { 100000, 4096 };
  for (int m = 0; m < 2; m++) {
    claims_debug_split_min(mins[m]);
    HicovClaims *one;
    hicov_claims_new(&one);
    hicov_claims_set_max_messages(one, 100000);
    CHECK_INT(hicov_claims_read_paths(one, paths, 1, 1, NULL, NULL), HICOV_OVERFLOW);
    HicovClaimsCounts k1;
    hicov_claims_counts(one, &k1);
    CHECK(k1.records_read > 510 && k1.records_read < 5000);
    CHECK_INT(k1.files_failed, 1);
    check_balance(one);
    for (int t = 2; t <= 3; t++) {
      HicovClaims *c;
      hicov_claims_new(&c);
      hicov_claims_set_max_messages(c, 100000);
      CHECK_INT(hicov_claims_read_paths(c, paths, 1, t, NULL, NULL), HICOV_OVERFLOW);
      CHECK_STR(hicov_claims_errmsg(c), hicov_claims_errmsg(one));
      HicovClaimsCounts k;
      hicov_claims_counts(c, &k);
      CHECK(!memcmp(&k, &k1, sizeof k));
      if (memcmp(&k, &k1, sizeof k))
        fprintf(stderr, "split %zu, %d threads: read %lld accepted %lld rejected "
                "%lld; one thread %lld %lld %lld\n", mins[m], t,
                (long long)k.records_read, (long long)k.accepted,
                (long long)k.rejected, (long long)k1.records_read,
                (long long)k1.accepted, (long long)k1.rejected);
      check_balance(c);
      same_messages(one, c);
      same_results(one, c);
      hicov_claims_free(c);
    }
    hicov_claims_free(one);
  }
  claims_debug_split_min(32u << 20);
  unlink(path);
  rmdir(tmpdir);
  free(b.s);
}

/* A chunk's start is found without reading the byte before the chunk:
 * that byte is in the chunk before, whose pages may already be released,
 * and touching it maps its whole 2 MB folio again (10 GB of CSV on two
 * threads kept 110-180 MB of the file resident that way).  The page before
 * the chunk is made unreadable, so a read there fails the test. */
static void test_chunk_start_reads_ahead_only(void)
{
  size_t pg = (size_t)sysconf(_SC_PAGESIZE);
  char *m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(m != MAP_FAILED);
  if (m == MAP_FAILED)
    return;
  memset(m + pg, 'x', pg);
  memcpy(m + pg, "a,b\nc,d\n", 8);
  m[2 * pg - 1] = '\n';
  CHECK_INT(mprotect(m, pg, PROT_NONE), 0);
  /* a line starts at the chunk, but only the bytes from it on are read:
     the chunk starts at the next line */
  CHECK_INT(claims_debug_chunk_start(m, 2 * pg, 1, 0, pg, 1), pg + 4);
  CHECK_INT(claims_debug_chunk_start(m, 2 * pg, 1, 0, pg, 0), 0);
  CHECK_INT(claims_debug_chunk_start(m, 2 * pg, 1, 0, pg, 2), 2 * pg);
  memcpy(m + pg, "<TONG_HOP><MA_LK>", 17);
  CHECK_INT(claims_debug_chunk_start(m, 2 * pg, 0, 0, pg, 1), pg);
  memcpy(m + pg, " <TONG_HOPX><TONG_HOP ", 22);
  CHECK_INT(claims_debug_chunk_start(m, 2 * pg, 0, 0, pg, 1), pg + 12);
  munmap(m, 2 * pg);
}

/* ---- languages ---- */

/* The message of kind and code, or NULL. */
static const char *message_of(HicovClaims *c, int kind, int code)
{
  for (size_t i = 0; i < hicov_claims_message_count(c); i++) {
    HicovClaimsMessage m;
    hicov_claims_message(c, i, &m);
    if (m.kind == kind && m.code == code)
      return m.message;
  }
  return NULL;
}

/* The same input in Vietnamese and English: the sentences change, the
 * kinds, codes, records, fields and counts do not, so that states read in
 * either language merge and group alike. */
static void test_languages(void)
{
  /* the header is 83 bytes: row A1 starts at byte 83 */
  static const char csv[] =
      "MA_LK,MA_CSKCB,NAM_QT,THANG_QT,MA_LOAI_KCB,T_TONGCHI_BV,T_BHTT,T_BNCCT,"
      "MA_THE_BHYT\n"
      "A1,79001,2024,13,01,100.00,80.00,20.00,DN4797932123456\n"
      "A2,79001,2024,1,01,100.00,80.00,20.00,DN4797932123456\n";
  /* the document ends at byte 26, inside TONG_HOP: line 1, column 27 */
  static const char cut[] = "<TONG_HOP><MA_LK>1</MA_LK>";
  HicovClaims *vi, *en, *dflt;
  CHECK_INT(hicov_claims_new(&vi), HICOV_OK);
  CHECK_INT(hicov_claims_new(&en), HICOV_OK);
  CHECK_INT(hicov_claims_new(&dflt), HICOV_OK);
  CHECK(hicov_claims_lang(vi) == NULL);
  CHECK_INT(hicov_claims_set_lang(NULL, "vi"), HICOV_INVALID);
  CHECK_INT(hicov_claims_set_lang(vi, "vi_VN.UTF-8"), HICOV_OK);
  CHECK_STR(hicov_claims_lang(vi), "vi");
  CHECK_INT(hicov_claims_set_lang(en, "en"), HICOV_OK);
  CHECK_STR(hicov_claims_lang(en), "en");

  CHECK_INT(hicov_claims_read_buffer(vi, "rows.csv", csv, strlen(csv)),
            HICOV_OK);
  CHECK_INT(hicov_claims_read_buffer(en, "rows.csv", csv, strlen(csv)),
            HICOV_OK);
  CHECK_STR(message_of(vi, HICOV_CLAIMS_MSG_REJECT,
                       HICOV_CLAIMS_REJECT_MALFORMED),
            "rows.csv, byte 83, hồ sơ A1, trường THANG_QT: cần tháng quyết "
            "toán (1-12), nhưng gặp '13'");
  CHECK_STR(message_of(en, HICOV_CLAIMS_MSG_REJECT,
                       HICOV_CLAIMS_REJECT_MALFORMED),
            "rows.csv, byte 83, record A1, field THANG_QT: expected the "
            "settlement month (1-12), found '13'");
  CHECK(has_message(vi, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_MALFORMED,
                    "A1", "THANG_QT", NULL));

  /* a file refused: the status is the same, the message in the language */
  CHECK_INT(hicov_claims_read_buffer(vi, "bad.xml", cut, strlen(cut)),
            HICOV_PARSE);
  CHECK_STR(hicov_claims_errmsg(vi), "bad.xml: dòng 1, cột 27 (byte 26): tài "
            "liệu kết thúc bên trong <TONG_HOP> (bị cắt cụt?)");
  CHECK_STR(message_of(vi, HICOV_CLAIMS_MSG_FILE, HICOV_PARSE),
            hicov_claims_errmsg(vi));
  CHECK_INT(hicov_claims_read_buffer(en, "bad.xml", cut, strlen(cut)),
            HICOV_PARSE);
  CHECK_STR(hicov_claims_errmsg(en), "bad.xml: line 1, column 27 (byte 26): "
            "the document ends inside <TONG_HOP> (truncated?)");

  /* nesting past 64 levels is a limit in any language (not found by
     looking for English words in the message) */
  Buf deep = { 0 };
  for (int i = 0; i < 70; i++)
    bput(&deep, "<a>");
  CHECK_INT(hicov_claims_read_buffer(vi, "deep.xml", deep.s, deep.n),
            HICOV_LIMIT);
  CHECK_CONTAINS(hicov_claims_errmsg(vi), "lồng nhau sâu quá 64 cấp");
  free(deep.s);

  /* a language set later changes only the text written from then on */
  CHECK_INT(hicov_claims_set_lang(en, NULL), HICOV_OK);
  CHECK(hicov_claims_lang(en) == NULL);
  CHECK_CONTAINS(message_of(en, HICOV_CLAIMS_MSG_REJECT,
                            HICOV_CLAIMS_REJECT_MALFORMED), "record A1");

  /* both languages merged: one reason, counted twice; the state keeps no
     language, the handle it is loaded into has its own */
  HicovClaimsCounts kv, ke, km;
  hicov_claims_counts(vi, &kv);
  hicov_claims_counts(en, &ke);
  CHECK_INT(hicov_claims_merge(dflt, vi), HICOV_OK);
  CHECK_INT(hicov_claims_merge(dflt, en), HICOV_OK);
  hicov_claims_counts(dflt, &km);
  CHECK_INT(km.rejected_by[HICOV_CLAIMS_REJECT_MALFORMED],
            kv.rejected_by[HICOV_CLAIMS_REJECT_MALFORMED] +
                ke.rejected_by[HICOV_CLAIMS_REJECT_MALFORMED]);
  CHECK_INT(km.rejected_by[HICOV_CLAIMS_REJECT_MALFORMED], 2);
  size_t n_malformed = 0;
  for (size_t i = 0; i < hicov_claims_message_count(dflt); i++) {
    HicovClaimsMessage m;
    hicov_claims_message(dflt, i, &m);
    if (m.kind == HICOV_CLAIMS_MSG_REJECT &&
        m.code == HICOV_CLAIMS_REJECT_MALFORMED) {
      CHECK_STR(m.field, "THANG_QT");
      CHECK_STR(m.record, "A1");
      n_malformed++;
    }
  }
  CHECK_INT(n_malformed, 2);
  void *state;
  size_t len;
  CHECK_INT(hicov_claims_serialize(vi, &state, &len), HICOV_OK);
  HicovClaims *back;
  char err[400];
  CHECK_INT(hicov_claims_load_state_lang(state, len, "en", &back, err,
                                         sizeof err), HICOV_OK);
  CHECK_STR(hicov_claims_lang(back), "en");
  CHECK_STR(message_of(back, HICOV_CLAIMS_MSG_REJECT,
                       HICOV_CLAIMS_REJECT_MALFORMED),
            message_of(vi, HICOV_CLAIMS_MSG_REJECT,
                       HICOV_CLAIMS_REJECT_MALFORMED));
  hicov_claims_free(back);
  CHECK_INT(hicov_claims_load_state_lang(state, 4, "vi", &back, err,
                                         sizeof err), HICOV_PARSE);
  CHECK_STR(err, "không phải trạng thái dữ liệu hồ sơ do hicov tạo ra (không "
            "có dấu hiệu của định dạng hoặc của thứ tự byte của máy này, tại "
            "byte 0)");
  hicov_free(state);

  /* worker threads write the handle's language: two files, two threads */
  snprintf(tmpdir, sizeof tmpdir, "/tmp/hicov-test-claims-%d", (int)getpid());
  mkdir(tmpdir, 0700);
  write_file("rows.csv", csv, strlen(csv));
  write_file("rows2.csv", csv, strlen(csv));
  char p1[512], p2[512], p3[512];
  snprintf(p1, sizeof p1, "%s/rows.csv", tmpdir);
  snprintf(p2, sizeof p2, "%s/rows2.csv", tmpdir);
  snprintf(p3, sizeof p3, "%s/missing.csv", tmpdir);
  const char *paths[] = { p1, p2, p3 };
  HicovClaims *t;
  CHECK_INT(hicov_claims_new(&t), HICOV_OK);
  hicov_claims_set_lang(t, "vi");
  CHECK_INT(hicov_claims_read_paths(t, paths, 3, 2, NULL, NULL), HICOV_IO);
  CHECK_STR(hicov_claims_lang(t), "vi"); /* fixed for the read, as it was */
  /* the second file's rows are duplicates of the first's */
  CHECK(has_message(t, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_DUPLICATE,
                    "A2", "MA_LK", "trùng lặp: MA_LK 'A2' tại cơ sở khám chữa "
                    "bệnh 79001 đã được đọc; chỉ tính một lần"));
  CHECK(has_message(t, HICOV_CLAIMS_MSG_REJECT, HICOV_CLAIMS_REJECT_MALFORMED,
                    "A1", "THANG_QT", "cần tháng quyết toán (1-12)"));
  CHECK(has_message(t, HICOV_CLAIMS_MSG_FILE, HICOV_IO, NULL, NULL,
                    "missing.csv: không mở được: "));
  check_balance(t);
  hicov_claims_free(t);
  unlink(p1);
  unlink(p2);
  rmdir(tmpdir);

  hicov_claims_free(vi);
  hicov_claims_free(en);
  hicov_claims_free(dflt);
}

/* The CSV row loops agree: random files (header columns mapped and not,
 * in random order; fields empty, short, long, quoted with "" inside,
 * with commas, CR, LF and bytes past ASCII; rows short and long) read
 * with the baseline loop and with the one the CPU picks (on x86-64-v3,
 * claims-csv-x86v3.c: the libFuzzer builds, clang's, have only the
 * baseline) give the same counts, totals and messages. */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
  rnd_state ^= rnd_state << 13;
  rnd_state ^= rnd_state >> 7;
  rnd_state ^= rnd_state << 17;
  return (unsigned)(rnd_state % n);
}

static HicovClaims *read_loop(const Buf *b, int baseline)
{
  HicovClaims *c;
  hicov_claims_new(&c);
  claims_debug_csv_baseline(baseline);
  hicov_claims_read_buffer(c, "r.csv", b->s, b->n);
  claims_debug_csv_baseline(0);
  return c;
}

static void test_csv_loops_agree(void)
{
  static const char *const cols[] = {
    "MA_LK", "MA_BN", "MA_THE_BHYT", "T_TONGCHI_BV", "T_BHTT", "T_BNCCT",
    "NAM_QT", "THANG_QT", "MA_LOAI_KCB", "MA_CSKCB", "SO_NGAY_DTRI", "X1",
    "X2", "X3", "X4", "X5", "X6", "X7", "X8", "X9"
  };
  static const char *const bits[] = {
    "", "1", "12", "2024", "01", "10.50", "DN4010000012345", "79001", "\"",
    "\"a,b\"", "\"x\"\"y\"", ",", "\r\n", "\n", "Lê", "\xff", "  7 ",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
  };
  enum { NC = sizeof cols / sizeof *cols, NB = sizeof bits / sizeof *bits };
  int64_t accepted = 0, bad_rows = 0, malformed = 0;
  for (int round = 0; round < 300; round++) {
    Buf b = { 0 };
    /* the 11 columns read and some of the 9 others, shuffled */
    unsigned order[NC], nc = 11 + rnd(NC - 10);
    for (unsigned i = 0; i < NC; i++)
      order[i] = i;
    for (unsigned i = nc - 1; i > 0; i--) {
      unsigned j = rnd(i + 1), t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (unsigned i = 0; i < nc; i++) {
      bput(&b, cols[order[i]]);
      bput(&b, i + 1 < nc ? "," : "\n");
    }
    unsigned rows = 1 + rnd(60);
    for (unsigned r = 0; r < rows; r++) {
      unsigned n = nc - 1 + (rnd(8) == 0 ? rnd(3) : 1) - (rnd(8) == 0);
      for (unsigned i = 0; i < n; i++) {
        const char *cn = cols[order[i < nc ? i : 0]];
        char f[96];
        if (rnd(12) == 0)
          snprintf(f, sizeof f, "%s", bits[rnd(NB)]);
        else if (!strcmp(cn, "MA_LK"))
          snprintf(f, sizeof f, "K%u", rnd(4000)); /* a few twice */
        else if (!strcmp(cn, "MA_THE_BHYT"))
          snprintf(f, sizeof f, "DN40100000%05u", rnd(30));
        else if (!strncmp(cn, "T_", 2))
          snprintf(f, sizeof f, "%u.%02u", rnd(100000), rnd(100));
        else if (!strcmp(cn, "NAM_QT"))
          snprintf(f, sizeof f, "2024");
        else if (!strcmp(cn, "THANG_QT"))
          snprintf(f, sizeof f, "%u", 1 + rnd(12));
        else if (!strcmp(cn, "MA_LOAI_KCB"))
          snprintf(f, sizeof f, "0%u", 1 + rnd(9));
        else if (!strcmp(cn, "MA_CSKCB"))
          snprintf(f, sizeof f, "7900%u", rnd(3));
        else
          snprintf(f, sizeof f, "%.*s", (int)rnd(70), bits[NB - 1]);
        bput(&b, f);
        if (i + 1 < n)
          bput(&b, ",");
      }
      bput(&b, rnd(10) == 0 ? "\r\n" : "\n");
    }
    HicovClaims *x = read_loop(&b, 1), *y = read_loop(&b, 0);
    HicovClaimsCounts kx, ky;
    hicov_claims_counts(x, &kx);
    hicov_claims_counts(y, &ky);
    CHECK(!memcmp(&kx, &ky, sizeof kx));
    accepted += kx.accepted;
    bad_rows += kx.rejected_by[HICOV_CLAIMS_REJECT_CSV_ROW];
    malformed += kx.rejected_by[HICOV_CLAIMS_REJECT_MALFORMED];
    HicovClaimsTotals tx, ty;
    CHECK_INT(hicov_claims_totals(x, &tx), hicov_claims_totals(y, &ty));
    same_results(x, y); /* the totals and every cell */
    same_messages(x, y);
    hicov_claims_free(x);
    hicov_claims_free(y);
    free(b.s);
  }
  /* the files hold records of every kind */
  CHECK(accepted > 500 && bad_rows > 100 && malformed > 100);
}

/* Amounts of 1 to 12 digits before the point (16 in test_amount_shapes)
 * in the exports' shape, read by its fast path, with random digits, and
 * with one byte not a digit in place of one of them or of a decimal
 * (refused): the totals are the sums worked out here. */
static void test_amount_digits(void)
{
  static const char odd[] = "/:a.-\xff";
  Buf b = { 0 };
  bput(&b, "MA_LK,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,THANG_QT,"
           "MA_LOAI_KCB,MA_CSKCB\n");
  int64_t want = 0;
  int good = 0, bad = 0;
  for (int r = 0; r < 2000; r++) {
    unsigned len = 1 + rnd(12), wrong = rnd(4) == 0 ? rnd(len + 2) : 99;
    char amt[32];
    int64_t v = 0;
    for (unsigned i = 0; i < len; i++) {
      unsigned d = rnd(10);
      amt[i] = (char)('0' + d);
      v = v * 10 + d;
    }
    unsigned f = rnd(100);
    snprintf(amt + len, sizeof amt - len, ".%02u", f);
    if (wrong < len + 2) /* a digit before the point, or after it */
      amt[wrong < len ? wrong : wrong + 1] = odd[rnd(sizeof odd - 1)];
    char row[128];
    snprintf(row, sizeof row, "K%d,DN4010000000001,%s,0,0,2024,1,01,F1\n", r,
             amt);
    bput(&b, row);
    if (wrong < len + 2) {
      bad++;
    } else {
      good++;
      want += v * 100 + f;
    }
  }
  HicovClaims *c;
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_buffer(c, "digits.csv", b.s, b.n), HICOV_OK);
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.accepted, good);
  CHECK_INT(k.rejected, bad);
  CHECK(bad > 300 && good > 1000);
  HicovClaimsTotals t;
  CHECK_INT(hicov_claims_totals(c, &t), HICOV_OK);
  CHECK(t.total_cost == want);
  hicov_claims_free(c);
  free(b.s);
}

int main(void)
{
  test_amount_digits();
  test_csv_loops_agree();
  test_dedup_key();
  test_chunk_start_reads_ahead_only();
  test_shared_sample();
  test_inner_variants();
  test_csv_and_rejections();
  test_cell_overflow();
  test_amount_shapes();
  test_thresholds();
  test_threads();
  test_fuzz_findings();
  test_file_order();
  test_csv_short_row_fields();
  test_csv_skipped_runs();
  test_csv_utf8_columns();
  test_split_failure();
  test_patient_fund_overflow();
  test_trip_windows();
  test_languages();
  /* the CSV tests again on the baseline row loop: on a CPU with AVX2 and
     BMI2 the x86-64-v3 one (claims-csv-x86v3.c) read everything above */
  claims_debug_csv_baseline(1);
  test_csv_and_rejections();
  test_csv_short_row_fields();
  test_csv_skipped_runs();
  test_csv_utf8_columns();
  test_amount_shapes();
  test_threads();
  claims_debug_csv_baseline(0);
  return test_finish("test-claims");
}

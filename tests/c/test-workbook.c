/* Workbooks (hicov-exchange.h): hostile archives refused with a clear
 * message (zip bombs, path tricks, DTDs, huge shared-string tables),
 * Vietnamese numbers and periods read as documented, ambiguity settled by
 * the column or rejected, and tables written and read back. The hostile
 * XLSX files are built here with libzip, in memory. */
#include <stdlib.h>
#include <unistd.h>

#include <zip.h>

#include "hicov-data.h"
#include "hicov-exchange.h"
#include "testutil.h"

static HicovDataset *demo(void)
{
  HicovDataset *ds;
  if (hicov_dataset_new(&ds) || hicov_dataset_load_demo(ds))
    abort();
  return ds;
}

/* ---- Building zips ------------------------------------------------------ */

typedef struct {
  const char *name;
  const char *data;
  size_t len;
} Entry;

static char *make_zip(const Entry *e, size_t n, size_t *len)
{
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_source_keep(src);
  zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
  for (size_t i = 0; i < n; i++) {
    zip_source_t *s = zip_source_buffer(za, e[i].data, e[i].len, 0);
    zip_file_add(za, e[i].name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
  }
  zip_close(za);
  zip_stat_t st;
  zip_source_open(src);
  zip_source_stat(src, &st);
  char *out = malloc(st.size);
  zip_source_read(src, out, st.size);
  zip_source_close(src);
  zip_source_free(src);
  *len = st.size;
  return out;
}

static const char rels[] =
  "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
  "</Relationships>";
static const char workbook_xml[] =
  "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
  "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char workbook_rels[] =
  "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
  "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
  "</Relationships>";
static const char sheet_ok[] =
  "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
  "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>"
  "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>20D05</t></is></c><c r=\"B2\"><v>2024</v></c>"
  "<c r=\"C2\" t=\"inlineStr\"><is><t>visits</t></is></c><c r=\"D2\"><v>1500</v></c></row>"
  "</sheetData></worksheet>";
static const char shared_ok[] =
  "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
  "<si><t>unit</t></si><si><r><t>per</t></r><r><t>iod</t></r></si><si><t>measure</t><rPh><t>x</t></rPh></si><si><t>value</t></si></sst>";

/* An XLSX whose sheet and shared strings are given. */
static char *xlsx(const char *sheet, size_t sheet_len, const char *shared,
                  size_t shared_len, const char *extra_name, size_t *len)
{
  Entry e[6] = {
    { "_rels/.rels", rels, sizeof rels - 1 },
    { "xl/workbook.xml", workbook_xml, sizeof workbook_xml - 1 },
    { "xl/_rels/workbook.xml.rels", workbook_rels, sizeof workbook_rels - 1 },
    { "xl/worksheets/sheet1.xml", sheet, sheet_len },
    { "xl/sharedStrings.xml", shared, shared_len },
    { extra_name, "x", 1 },
  };
  return make_zip(e, extra_name ? 6 : 5, len);
}

static int read_xlsx(HicovDataset *ds, const char *data, size_t len,
                     HicovWorkbook **wb)
{
  return hicov_workbook_read_buffer(ds, "t.xlsx", data, len,
                                    HICOV_WORKBOOK_XLSX, NULL,
                                    HICOV_LOAD_STRICT, wb);
}

static void test_good_xlsx(HicovDataset *ds)
{
  size_t len;
  char *z = xlsx(sheet_ok, sizeof sheet_ok - 1, shared_ok, sizeof shared_ok - 1,
                 NULL, &len);
  HicovWorkbook *wb;
  CHECK_INT(read_xlsx(ds, z, len, &wb), HICOV_OK);
  size_t n;
  const HicovValue *v = hicov_workbook_values(wb, &n);
  CHECK_INT(n, 1);
  CHECK_STR(v[0].unit, "20D05");
  CHECK_STR(v[0].measure, "visits");
  CHECK_INT(v[0].centi, 150000);
  CHECK_STR(v[0].where, "S!D2");
  hicov_workbook_free(wb);
  free(z);
}

static void expect_refused(HicovDataset *ds, const char *data, size_t len,
                           int status, const char *message)
{
  HicovWorkbook *wb = NULL;
  CHECK_INT(read_xlsx(ds, data, len, &wb), status);
  CHECK_CONTAINS(hicov_workbook_errmsg(wb), message);
  size_t n = 1;
  hicov_workbook_values(wb, &n);
  CHECK_INT(n, 0);
  hicov_workbook_free(wb);
}

static void test_hostile(HicovDataset *ds)
{
  size_t len;
  char *z;
  /* a zip bomb: 64 MiB of spaces in the sheet compress about 1000 times */
  size_t big = (size_t)64 << 20;
  char *spaces = malloc(big + sizeof sheet_ok);
  memset(spaces, ' ', big);
  memcpy(spaces + big, sheet_ok, sizeof sheet_ok - 1);
  z = xlsx(spaces, big + sizeof sheet_ok - 1, shared_ok, sizeof shared_ok - 1,
           NULL, &len);
  CHECK(len < ((size_t)1 << 20));
  expect_refused(ds, z, len, HICOV_LIMIT, "xl/worksheets/sheet1.xml' declares");
  free(z);
  free(spaces);
  /* path tricks */
  z = xlsx(sheet_ok, sizeof sheet_ok - 1, shared_ok, sizeof shared_ok - 1,
           "../../etc/evil", &len);
  expect_refused(ds, z, len, HICOV_PARSE, "entry named '../../etc/evil', an "
                 "absolute path or one that climbs out");
  free(z);
  z = xlsx(sheet_ok, sizeof sheet_ok - 1, shared_ok, sizeof shared_ok - 1,
           "/tmp/evil", &len);
  expect_refused(ds, z, len, HICOV_PARSE, "entry named '/tmp/evil'");
  free(z);
  z = xlsx(sheet_ok, sizeof sheet_ok - 1, shared_ok, sizeof shared_ok - 1,
           "xl/..\\..\\evil", &len);
  expect_refused(ds, z, len, HICOV_PARSE, "climbs out");
  free(z);
  /* DTDs: an entity bomb in the sheet, an external entity in the shared
     strings (after a comment and a processing instruction) */
  static const char lol[] =
    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
    "<worksheet><sheetData><row r=\"1\"><c><v>&lol2;</v></c></row></sheetData></worksheet>";
  z = xlsx(lol, sizeof lol - 1, shared_ok, sizeof shared_ok - 1, NULL, &len);
  expect_refused(ds, z, len, HICOV_PARSE, "xl/worksheets/sheet1.xml' has a DTD");
  free(z);
  static const char xxe[] =
    "\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- a comment --><?pi x?>\n"
    "<!DOCTYPE sst [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
    "<sst><si><t>&x;</t></si></sst>";
  z = xlsx(sheet_ok, sizeof sheet_ok - 1, xxe, sizeof xxe - 1, NULL, &len);
  expect_refused(ds, z, len, HICOV_PARSE, "xl/sharedStrings.xml' has a DTD");
  free(z);
  /* a shared-string table over the limit (distinct strings, so the
     ratio check does not stop it first) */
  size_t cap = 32u * (HICOV_WORKBOOK_MAX_SHARED_STRINGS + 2) + 200, o = 0;
  char *sst = malloc(cap);
  o += (size_t)snprintf(sst + o, cap - o, "<sst>");
  for (long i = 0; i <= HICOV_WORKBOOK_MAX_SHARED_STRINGS; i++)
    o += (size_t)snprintf(sst + o, cap - o, "<si><t>%lx</t></si>",
                          (unsigned long)i * 2654435761u);
  o += (size_t)snprintf(sst + o, cap - o, "</sst>");
  z = xlsx(sheet_ok, sizeof sheet_ok - 1, sst, o, NULL, &len);
  expect_refused(ds, z, len, HICOV_LIMIT, "more than 1000000 shared strings");
  free(z);
  free(sst);
  /* not a zip; a truncated one */
  expect_refused(ds, "PK\3\4 not really", 16, HICOV_PARSE,
                 "not a readable zip archive");
  z = xlsx(sheet_ok, sizeof sheet_ok - 1, shared_ok, sizeof shared_ok - 1,
           NULL, &len);
  expect_refused(ds, z, len / 2, HICOV_PARSE, "not a readable zip archive");
  HicovWorkbook *wb = NULL;
  CHECK_INT(hicov_workbook_read_buffer(ds, "t.xlsx", "abc", 3,
                                       HICOV_WORKBOOK_XLSX, NULL,
                                       HICOV_LOAD_STRICT, &wb), HICOV_PARSE);
  CHECK_CONTAINS(hicov_workbook_errmsg(wb), "not an XLSX file");
  hicov_workbook_free(wb);
  free(z);
}

/* ---- Numbers and periods through CSV ----------------------------------- */

/* Reads a CSV of unit,period,measure,value; returns the status. */
static int read_csv(HicovDataset *ds, const char *text, const char *numbers,
                    int mode, HicovWorkbook **wb)
{
  HicovWorkbookMapping *m = NULL;
  if (numbers) {
    hicov_workbook_mapping_new(&m);
    hicov_workbook_mapping_set(m, "numbers", numbers, NULL, 0);
  }
  int rc = hicov_workbook_read_buffer(ds, "t.csv", text, strlen(text),
                                      HICOV_WORKBOOK_CSV, m, mode, wb);
  hicov_workbook_mapping_free(m);
  return rc;
}

/* The one value a CSV gives, in centi, or -1 with the first message in
 * msg. */
static int64_t one(HicovDataset *ds, const char *measure, const char *value,
                   const char *numbers, char *msg, size_t size)
{
  char text[300];
  snprintf(text, sizeof text, "unit,period,measure,value\n20D05,2024,%s,\"%s\"\n",
           measure, value);
  HicovWorkbook *wb;
  int rc = read_csv(ds, text, numbers, HICOV_LOAD_LENIENT, &wb);
  int64_t out = -1;
  msg[0] = '\0';
  size_t n;
  const HicovValue *v = hicov_workbook_values(wb, &n);
  if (rc == HICOV_OK && n == 1)
    out = v[0].centi;
  HicovWorkbookRejection r;
  if (hicov_workbook_rejection(wb, 0, &r) == HICOV_OK)
    snprintf(msg, size, "%s", r.message);
  HicovWorkbookCounts k;
  hicov_workbook_counts(wb, &k);
  CHECK_INT(k.values_read, k.values_accepted + k.values_rejected);
  hicov_workbook_free(wb);
  return out;
}

static void test_numbers(HicovDataset *ds)
{
  char msg[600];
  CHECK_INT(one(ds, "visits", "1.234.567", NULL, msg, sizeof msg), 123456700);
  CHECK_INT(one(ds, "visits", "1,234,567", NULL, msg, sizeof msg), 123456700);
  CHECK_INT(one(ds, "visits", "1 234 567", NULL, msg, sizeof msg), 123456700);
  CHECK_INT(one(ds, "visits", "1\xC2\xA0" "234", NULL, msg, sizeof msg), 123400);
  CHECK_INT(one(ds, "total_cost", "1.234.567,5", NULL, msg, sizeof msg), 123456750);
  CHECK_INT(one(ds, "total_cost", "1,234,567.25", NULL, msg, sizeof msg), 123456725);
  CHECK_INT(one(ds, "total_cost", "94,1", NULL, msg, sizeof msg), 9410);
  CHECK_INT(one(ds, "total_cost", "0.5", NULL, msg, sizeof msg), 50);
  CHECK_INT(one(ds, "visits", "764769", NULL, msg, sizeof msg), 76476900);
  /* "1.234" alone says nothing: rejected as ambiguous, unless told */
  CHECK_INT(one(ds, "visits", "1.234", NULL, msg, sizeof msg), -1);
  CHECK_CONTAINS(msg, "t.csv!D2: '1.234' is ambiguous");
  CHECK_CONTAINS(msg, "do not say which");
  CHECK_INT(one(ds, "visits", "1.234", "vi", msg, sizeof msg), 123400);
  CHECK_INT(one(ds, "visits", "1,234", "en", msg, sizeof msg), 123400);
  /* mistakes */
  CHECK_INT(one(ds, "visits", "12,5", NULL, msg, sizeof msg), -1);
  CHECK_CONTAINS(msg, "which is not a whole number");
  CHECK_INT(one(ds, "total_cost", "1,255", "vi", msg, sizeof msg), -1);
  CHECK_CONTAINS(msg, "at most 2 decimals");
  CHECK_INT(one(ds, "visits", "94,1%", NULL, msg, sizeof msg), -1);
  CHECK_CONTAINS(msg, "found a percentage ('94,1%')");
  CHECK_INT(one(ds, "visits", "1.23.4", NULL, msg, sizeof msg), -1);
  CHECK_CONTAINS(msg, "expected a whole number of visits (visits), found '1.23.4'");
  CHECK_INT(one(ds, "visits", "-", NULL, msg, sizeof msg), -1);
  CHECK_STR(msg, ""); /* missing, not rejected */

  /* the column decides: "1.234" with "2.345.678" below is a thousand */
  HicovWorkbook *wb;
  const char *col = "unit,period,measure,value\n"
                    "20D05,2024,visits,1.234\n"
                    "20D06,2024,visits,2.345.678\n";
  CHECK_INT(read_csv(ds, col, NULL, HICOV_LOAD_STRICT, &wb), HICOV_OK);
  size_t n;
  const HicovValue *v = hicov_workbook_values(wb, &n);
  CHECK_INT(n, 2);
  CHECK_INT(v[0].centi, 123400);
  hicov_workbook_free(wb);
  /* ... and a column that uses '.' both ways leaves it ambiguous */
  col = "unit;period;measure;value\n"
        "20D05;2024;total_cost;1.234\n"
        "20D06;2024;total_cost;2.345.678\n"
        "20D07;2024;total_cost;2.5\n";
  CHECK_INT(read_csv(ds, col, NULL, HICOV_LOAD_STRICT, &wb), HICOV_PARSE);
  CHECK_CONTAINS(hicov_workbook_errmsg(wb), "'1.234' is ambiguous");
  CHECK_CONTAINS(hicov_workbook_errmsg(wb), "use it both ways");
  hicov_workbook_free(wb);
}

static void test_periods(HicovDataset *ds)
{
  static const struct { const char *text, *period; } cases[] = {
    { "2024", "2024" }, { "Năm 2024", "2024" }, { "2024-Q3", "2024-Q3" },
    { "Q3/2024", "2024-Q3" }, { "Quý 3/2024", "2024-Q3" },
    { "quý III năm 2024", "2024-Q3" }, { "Q3-2024", "2024-Q3" },
    { "2024-10", "2024-10" }, { "10/2024", "2024-10" },
    { "Tháng 10/2024", "2024-10" }, { "T10/2024", "2024-10" },
    { "tháng 10 năm 2024", "2024-10" }, { "31/10/2024", "2024-10" },
    { "2025-01/2025-10", "2025-01/2025-10" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[200];
    snprintf(text, sizeof text, "unit,period,measure,value\n20D05,%s,visits,5\n",
             cases[i].text);
    HicovWorkbook *wb;
    CHECK_INT(read_csv(ds, text, NULL, HICOV_LOAD_STRICT, &wb), HICOV_OK);
    size_t n;
    const HicovValue *v = hicov_workbook_values(wb, &n);
    char got[24] = "";
    if (n == 1)
      hicov_period_format(v[0].period, got, sizeof got);
    if (strcmp(got, cases[i].period))
      fprintf(stderr, "period '%s' read as '%s'\n", cases[i].text, got);
    CHECK_STR(got, cases[i].period);
    hicov_workbook_free(wb);
  }
  HicovWorkbook *wb;
  CHECK_INT(read_csv(ds, "unit,period,measure,value\n20D05,Quý 5/2024,visits,5\n",
                     NULL, HICOV_LOAD_STRICT, &wb), HICOV_PARSE);
  CHECK_CONTAINS(hicov_workbook_errmsg(wb), "t.csv!B2: expected a period");
  hicov_workbook_free(wb);
}

/* ---- Mapping files ------------------------------------------------------ */

static void test_mapping(HicovDataset *ds)
{
  HicovWorkbookMapping *m;
  hicov_workbook_mapping_new(&m);
  char err[400];
  const char *text = "# the report sheet\n[sheet \"t.csv\"]\nlayout = wide\n"
                     "header_row = 2\nunit_column = A\nmeasure = visits\n"
                     "# offices here write 1.500 for a thousand five hundred\nnumbers = vi\n";
  CHECK_INT(hicov_workbook_mapping_parse(m, "m.ini", text, strlen(text), err,
                                         sizeof err), HICOV_OK);
  const char *csv = "Lượt KCB theo kỳ\nĐơn vị,2024,Quý 1/2025\n"
                    "Huyện Bình Gia,\"1.500\",\"2.000.000\"\n";
  HicovWorkbook *wb;
  CHECK_INT(hicov_workbook_read_buffer(ds, "t.csv", csv, strlen(csv),
                                       HICOV_WORKBOOK_CSV, m,
                                       HICOV_LOAD_STRICT, &wb), HICOV_OK);
  size_t n;
  const HicovValue *v = hicov_workbook_values(wb, &n);
  CHECK_INT(n, 2);
  CHECK_STR(v[0].unit, "20D05");
  CHECK_INT(v[0].centi, 150000);
  CHECK_INT(v[1].centi, 200000000);
  char p[24];
  hicov_period_format(v[1].period, p, sizeof p);
  CHECK_STR(p, "2025-Q1");
  hicov_workbook_free(wb);
  hicov_workbook_mapping_free(m);
  /* mistakes in a mapping file name their line */
  hicov_workbook_mapping_new(&m);
  text = "[sheet #1]\nlayout = tall\n";
  CHECK_INT(hicov_workbook_mapping_parse(m, "m.ini", text, strlen(text), err,
                                         sizeof err), HICOV_INVALID);
  CHECK_CONTAINS(err, "m.ini line 2: layout: expected long, wide or auto, "
                 "found 'tall'");
  text = "colour = blue\n";
  CHECK_INT(hicov_workbook_mapping_parse(m, "m.ini", text, strlen(text), err,
                                         sizeof err), HICOV_INVALID);
  CHECK_CONTAINS(err, "m.ini line 1: unknown mapping key 'colour'");
  hicov_workbook_mapping_free(m);
}

/* ---- Writing and reading back ------------------------------------------ */

static void test_write_read(HicovDataset *ds)
{
  char dir[] = "/tmp/hicov-test-wb-XXXXXX";
  if (!mkdtemp(dir)) {
    CHECK(0);
    return;
  }
  const char *ind[] = { "participants", "population" };
  HicovTableSpec spec = { ind, 2, { 0, 0, 0 }, HICOV_LEVEL_DISTRICT, "20",
                          NULL, 0 };
  hicov_period_parse("2024", &spec.period);
  HicovTable *t;
  CHECK_INT(hicov_table_new(ds, &spec, &t), HICOV_OK);
  const char *exts[] = { "xlsx", "ods", "csv" };
  for (int i = 0; i < 3; i++) {
    char path[300], err[400];
    snprintf(path, sizeof path, "%s/t.%s", dir, exts[i]);
    CHECK_INT(hicov_table_save(t, path, HICOV_WORKBOOK_AUTO, "en", err,
                               sizeof err), HICOV_OK);
    /* the written table reads back as values: participants and population
       of the 11 districts for 2024 */
    HicovWorkbookMapping *m;
    hicov_workbook_mapping_new(&m);
    hicov_workbook_mapping_set(m, "sheet", "#1", NULL, 0);
    hicov_workbook_mapping_set(m, "period", "2024", NULL, 0);
    hicov_workbook_mapping_set(m, "unit_column", "Code", NULL, 0);
    hicov_workbook_mapping_set(m, "ignore_columns", "B", NULL, 0);
    HicovWorkbook *wb;
    int rc = hicov_workbook_read_file(ds, path, m, HICOV_LOAD_STRICT, &wb);
    if (rc)
      fprintf(stderr, "%s: %s\n", path, hicov_workbook_errmsg(wb));
    CHECK_INT(rc, HICOV_OK);
    size_t n;
    const HicovValue *v = hicov_workbook_values(wb, &n);
    CHECK_INT(n, 22);
    int64_t sum = 0;
    for (size_t k = 0; k < n; k++)
      if (!strcmp(v[k].measure, "participants"))
        sum += v[k].centi;
    CHECK_INT(sum, 76476900); /* the districts add up to the province */
    hicov_workbook_free(wb);
    hicov_workbook_mapping_free(m);
  }
  hicov_table_free(t);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK_INT(system(cmd), 0);
}

/* Which names say which format: read, .xlsm is an XLSX and .txt a CSV;
 * written, only .xlsx, .ods and .csv (any case) are taken. */
static void test_format_from_path(void)
{
  CHECK_INT(hicov_workbook_format_from_path("a.XLSM"), HICOV_WORKBOOK_XLSX);
  CHECK_INT(hicov_workbook_format_from_path("a.txt"), HICOV_WORKBOOK_CSV);
  CHECK_INT(hicov_workbook_write_format_from_path("a.XLSX"),
            HICOV_WORKBOOK_XLSX);
  CHECK_INT(hicov_workbook_write_format_from_path("d.x/a.ods"),
            HICOV_WORKBOOK_ODS);
  CHECK_INT(hicov_workbook_write_format_from_path("a.csv"), HICOV_WORKBOOK_CSV);
  CHECK_INT(hicov_workbook_write_format_from_path("a.xlsm"),
            HICOV_WORKBOOK_AUTO);
  CHECK_INT(hicov_workbook_write_format_from_path("a.txt"), HICOV_WORKBOOK_AUTO);
  CHECK_INT(hicov_workbook_write_format_from_path("noext"),
            HICOV_WORKBOOK_AUTO);
  CHECK_INT(hicov_workbook_write_format_from_path(NULL), HICOV_WORKBOOK_AUTO);
}

int main(void)
{
  test_format_from_path();
  HicovDataset *ds = demo();
  test_good_xlsx(ds);
  test_hostile(ds);
  test_numbers(ds);
  test_periods(ds);
  test_mapping(ds);
  test_write_read(ds);
  hicov_dataset_free(ds);
  return test_finish("test-workbook");
}

/* The dataset CSV dialect: BOM, CRLF, quoting, exact decimals. */
#include "hicov-core.h"
#include "hicov-private.h"
#include "testutil.h"

int main(void)
{
  const char *text = "\xEF\xBB\xBF" "a,b,c\r\n"
                     "1,\"x, y\",\"he said \"\"hi\"\"\"\r\n"
                     "\r\n"
                     "2,\"multi\nline\",\r\n"
                     "3";
  HicovCsv csv;
  hicov_csv_init(&csv, text, strlen(text));
  CHECK_INT(hicov_csv_next(&csv), 1);
  CHECK_INT(csv.n_fields, 3);
  CHECK_STR(hicov_csv_field(&csv, 0), "a"); /* BOM skipped */
  CHECK_INT(csv.rec_line, 1);
  CHECK_INT(hicov_csv_next(&csv), 1);
  CHECK_STR(hicov_csv_field(&csv, 1), "x, y");
  CHECK_STR(hicov_csv_field(&csv, 2), "he said \"hi\"");
  CHECK_INT(csv.rec_line, 2);
  CHECK_INT(hicov_csv_next(&csv), 1);
  CHECK_INT(csv.rec_line, 4); /* blank line 3 skipped, lines counted */
  CHECK_STR(hicov_csv_field(&csv, 1), "multi\nline");
  CHECK_STR(hicov_csv_field(&csv, 2), "");
  CHECK_INT(csv.n_fields, 3);
  CHECK_INT(hicov_csv_next(&csv), 1);
  CHECK_INT(csv.rec_line, 6);
  CHECK_STR(hicov_csv_field(&csv, 0), "3");
  CHECK_INT(hicov_csv_next(&csv), 0);
  hicov_csv_clear(&csv);

  const char *bad = "a\n\"open,1\n2,3\n";
  hicov_csv_init(&csv, bad, strlen(bad));
  CHECK_INT(hicov_csv_next(&csv), 1);
  CHECK_INT(hicov_csv_next(&csv), -1);
  CHECK_CONTAINS(csv.err, "unterminated quoted field opened on line 2");
  hicov_csv_clear(&csv);

  /* the messages follow csv.lang (the loaders set the dataset's), whatever
     the process's language */
  hicov_csv_init(&csv, bad, strlen(bad));
  csv.lang = "vi";
  CHECK_INT(hicov_csv_next(&csv), 1);
  CHECK_INT(hicov_csv_next(&csv), -1);
  CHECK_STR(csv.err, "trường mở dấu ngoặc kép ở dòng 2 chưa được đóng");
  hicov_csv_clear(&csv);
  static const char nul[] = "a\nx\0y\n";
  const char *langs[] = { "en", "vi" };
  const char *nul_msgs[] = {
    "a NUL byte (0x00) in the text: the file is damaged or not a CSV text "
    "file",
    "văn bản có byte NUL (0x00): tệp bị hỏng hoặc không phải tệp văn bản "
    "CSV" };
  for (int i = 0; i < 2; i++) {
    hicov_csv_init(&csv, nul, sizeof nul - 1);
    csv.lang = langs[i];
    CHECK_INT(hicov_csv_next(&csv), 1);
    CHECK_INT(hicov_csv_next(&csv), -1);
    CHECK_INT(csv.err_col, 1);
    CHECK_STR(csv.err, nul_msgs[i]);
    hicov_csv_clear(&csv);
  }
  /* a file the loaders refuse to read, in the language asked */
  char err[300], *data;
  size_t len;
  CHECK_INT(hicov_read_file_lang(".", 100, "vi", &data, &len, err, sizeof err),
            HICOV_IO);
  CHECK_STR(err, ". là một thư mục: không đọc");
  CHECK_INT(hicov_read_file_lang(".", 100, "en", &data, &len, err, sizeof err),
            HICOV_IO);
  CHECK_STR(err, ". is a folder: refusing to read it");
  CHECK_INT(hicov_read_file_lang("", 100, "vi", &data, &len, err, sizeof err),
            HICOV_INVALID);
  CHECK_STR(err, "chưa có tên tệp");

  int64_t v;
  CHECK(hicov_parse_centi("764769", &v) && v == 76476900);
  CHECK(hicov_parse_centi("145940.00", &v) && v == 14594000);
  CHECK(hicov_parse_centi("0.5", &v) && v == 50);
  CHECK(hicov_parse_centi("12.34", &v) && v == 1234);
  CHECK(hicov_parse_centi("12.3400", &v) && v == 1234);
  CHECK(hicov_parse_centi("-3", &v) && v == -300);
  CHECK(!hicov_parse_centi("1,2", &v));
  CHECK(!hicov_parse_centi("1.234", &v)); /* a third decimal is not exact */
  CHECK(!hicov_parse_centi("", &v));
  CHECK(!hicov_parse_centi("1e5", &v));
  CHECK(!hicov_parse_centi("NaN", &v));
  CHECK(!hicov_parse_centi("99999999999999999999", &v));
  CHECK(!hicov_parse_centi("1.", &v));
  /* the largest whole part is (INT64_MAX / 100 - 9) / 10 * 10 + 9 =
   * 92233720368547749: 9223372036854774999 centi still fits in 64 bits */
  int big = -1;
  CHECK(hicov_parse_centi_checked("92233720368547749.99", &v, &big) &&
        v == 9223372036854774999 && big == 0);
  CHECK(!hicov_parse_centi_checked("92233720368547750", &v, &big) && big == 1);
  CHECK(!hicov_parse_centi_checked(" 99999999999999999999.5 ", &v, &big) &&
        big == 1);
  CHECK(!hicov_parse_centi_checked("-99999999999999999999", &v, &big) &&
        big == 1);
  /* too many digits but no number: malformed, not too large */
  CHECK(!hicov_parse_centi_checked("99999999999999999999x", &v, &big) &&
        big == 0);
  CHECK(!hicov_parse_centi_checked("99999999999999999999.123", &v, &big) &&
        big == 0);
  CHECK(!hicov_parse_centi_checked("1,2", &v, &big) && big == 0);
  return test_finish("test-csv");
}

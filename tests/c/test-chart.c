/* test-chart.c - the chart library: nice axes, number formatting, every
 * chart kind rendered to image, SVG and PDF surfaces, and checks of what was
 * drawn (geometry queries and pixels). PNGs go to ./test-output/. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "hicov-chart.h"
#include "hicov-report.h"
#include "testutil.h"

#define OUTDIR "test-output"
#define W 640
#define H 400

/* ---- helpers ----------------------------------------------------------- */

typedef struct {
  int r, g, b;
} Px;

static Px pixel(cairo_surface_t *s, int x, int y)
{
  cairo_surface_flush(s);
  unsigned char *data = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  uint32_t p = *(uint32_t *)(data + (size_t)y * (size_t)stride + (size_t)x * 4);
  Px px = { (int)((p >> 16) & 255), (int)((p >> 8) & 255), (int)(p & 255) };
  return px;
}

static int near_color(Px p, int r, int g, int b, int tol)
{
  return abs(p.r - r) <= tol && abs(p.g - g) <= tol && abs(p.b - b) <= tol;
}

/* Renders c into a fresh W x H image surface (raster flags). */
static cairo_surface_t *render_image(HicovChart *c, int w, int h, int flags)
{
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create(s);
  CHECK_INT(hicov_chart_render(c, cr, w, h, HICOV_CHART_RENDER_RASTER | flags),
            HICOV_OK);
  CHECK_INT(cairo_status(cr), CAIRO_STATUS_SUCCESS);
  cairo_destroy(cr);
  return s;
}

/* The pHYs chunk of the PNG at path: pixels per metre on each axis and
 * the unit (1: metre); 0 if the file has none.  Every chunk's CRC up to it
 * is checked against zlib's definition, computed here bit by bit. */
static int png_phys(const char *path, unsigned long *x, unsigned long *y,
                    int *unit)
{
  unsigned char buf[4096];
  FILE *f = fopen(path, "rb");
  size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
  if (f)
    fclose(f);
  CHECK(n > 8 && !memcmp(buf, "\x89PNG\r\n\x1a\n", 8));
  for (size_t at = 8; at + 12 <= n;) {
    unsigned long len = (unsigned long)buf[at] << 24 |
                        (unsigned long)buf[at + 1] << 16 |
                        (unsigned long)buf[at + 2] << 8 | buf[at + 3];
    if (at + 12 + len > n)
      break;
    unsigned long crc = 0xFFFFFFFFul;
    for (size_t i = at + 4; i < at + 8 + len; i++) {
      crc ^= buf[i];
      for (int k = 0; k < 8; k++)
        crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320ul : crc >> 1;
    }
    crc ^= 0xFFFFFFFFul;
    const unsigned char *c = buf + at + 8 + len;
    unsigned long stored = (unsigned long)c[0] << 24 |
                           (unsigned long)c[1] << 16 |
                           (unsigned long)c[2] << 8 | c[3];
    CHECK(crc == stored);
    if (!memcmp(buf + at + 4, "pHYs", 4) && len == 9) {
      const unsigned char *d = buf + at + 8;
      *x = (unsigned long)d[0] << 24 | (unsigned long)d[1] << 16 |
           (unsigned long)d[2] << 8 | d[3];
      *y = (unsigned long)d[4] << 24 | (unsigned long)d[5] << 16 |
           (unsigned long)d[6] << 8 | d[7];
      *unit = d[8];
      return 1;
    }
    at += 12 + len;
  }
  return 0;
}

/* Writes the chart as PNG (2x), SVG and PDF into OUTDIR and checks the
 * files look like what they claim to be.  Then renders it again onto
 * in-memory SVG and PDF surfaces. */
static void save_all(HicovChart *c, const char *name)
{
  char path[256];
  snprintf(path, sizeof path, OUTDIR "/%s.png", name);
  CHECK_INT(hicov_chart_save_png(c, path, W, H, 1.0), HICOV_OK);
  snprintf(path, sizeof path, OUTDIR "/%s@2x.png", name);
  CHECK_INT(hicov_chart_save_png(c, path, W, H, 2.0), HICOV_OK);
  cairo_surface_t *img = cairo_image_surface_create_from_png(path);
  CHECK_INT(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
  CHECK_INT(cairo_image_surface_get_width(img), 2 * W);
  cairo_surface_destroy(img);
  /* its resolution: 2 pixels a point, 144 dpi = 144 / 0.0254 = 5669.3
   * pixels a metre; at 300 dpi (the dashboard's exports) 11811.0 */
  unsigned long px = 0, py = 0;
  int unit = 0;
  CHECK(png_phys(path, &px, &py, &unit));
  CHECK(px == 5669 && py == 5669 && unit == 1);
  CHECK_INT(hicov_chart_save_png(c, path, W, H, 300.0 / 72.0), HICOV_OK);
  CHECK(png_phys(path, &px, &py, &unit));
  CHECK(px == 11811 && py == 11811 && unit == 1);
  img = cairo_image_surface_create_from_png(path); /* libpng checks CRCs */
  CHECK_INT(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy(img);

  static const char *const ext[] = { "svg", "pdf" };
  static const char *const magic[] = { "<?xml", "%PDF-" };
  for (int k = 0; k < 2; k++) {
    snprintf(path, sizeof path, OUTDIR "/%s.%s", name, ext[k]);
    int rc = k == 0 ? hicov_chart_save_svg(c, path, W, H)
                    : hicov_chart_save_pdf(c, path, W, H);
    CHECK_INT(rc, HICOV_OK);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (f) {
      char head[8] = { 0 };
      CHECK(fread(head, 1, 5, f) == 5);
      CHECK_STR(head, magic[k]);
      fseek(f, 0, SEEK_END);
      CHECK(ftell(f) > 1000);
      fclose(f);
    }
  }
  char *svg = NULL;
  size_t len = 0;
  CHECK_INT(hicov_chart_svg_to_buffer(c, W, H, &svg, &len), HICOV_OK);
  CHECK(svg && len > 1000 && strlen(svg) == len);
  CHECK(svg && strstr(svg, "<svg") != NULL);
  hicov_free(svg);

  /* the same drawing code onto a PDF surface the caller owns */
  snprintf(path, sizeof path, OUTDIR "/%s-direct.pdf", name);
  cairo_surface_t *pdf = cairo_pdf_surface_create(path, W, H);
  cairo_t *cr = cairo_create(pdf);
  CHECK_INT(hicov_chart_render(c, cr, W, H, 0), HICOV_OK);
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(pdf);
  CHECK_INT(cairo_surface_status(pdf), CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy(pdf);
}

/* ---- nice axes --------------------------------------------------------- */

static void test_nice(void)
{
  HicovAxisTicks t;
  /* 0..94.1 in at most 5 intervals: 10 needs 10, 20 needs 5 */
  CHECK_INT(hicov_axis_nice(0, 94.1, 5, 1, &t), HICOV_OK);
  CHECK_NEAR(t.step, 20, 0);
  CHECK_NEAR(t.min, 0, 0);
  CHECK_NEAR(t.max, 100, 0);
  CHECK_INT(t.count, 6);
  CHECK_INT(t.decimals, 0);
  /* allowing 10 intervals takes step 10 */
  CHECK_INT(hicov_axis_nice(0, 94.1, 10, 1, &t), HICOV_OK);
  CHECK_NEAR(t.step, 10, 0);
  CHECK_INT(t.count, 11);

  /* Quang Ninh visits Jan-Oct 2025: 2,293,971 -> 0..2,500,000 by 500,000 */
  CHECK_INT(hicov_axis_nice(0, 2293971, 5, 1, &t), HICOV_OK);
  CHECK_NEAR(t.step, 500000, 0);
  CHECK_NEAR(t.max, 2500000, 0);
  CHECK_INT(t.count, 6);

  /* a count axis keeps zero: 732,000..779,662 -> 0..800,000 by 200,000 */
  CHECK_INT(hicov_axis_nice(732000, 779662, 5, 1, &t), HICOV_OK);
  CHECK_NEAR(t.min, 0, 0);
  CHECK_NEAR(t.step, 200000, 0);
  CHECK_NEAR(t.max, 800000, 0);

  /* a rate axis need not: 92.8..95 -> 92.5..95 by 0.5 (1 decimal) */
  CHECK_INT(hicov_axis_nice(92.8, 95, 5, 0, &t), HICOV_OK);
  CHECK_NEAR(t.step, 0.5, 1e-15);
  CHECK_NEAR(t.min, 92.5, 1e-12);
  CHECK_NEAR(t.max, 95, 1e-12);
  CHECK_INT(t.count, 6);
  CHECK_INT(t.decimals, 1);
  /* every tick is index x step */
  for (int i = 0; i < t.count; i++)
    CHECK(hicov_axis_tick(&t, i) == (t.first_index + i) * t.step);

  /* one value: 94.1 +- 9.41 -> 80..105 by 5 */
  CHECK_INT(hicov_axis_nice(94.1, 94.1, 5, 0, &t), HICOV_OK);
  CHECK_NEAR(t.step, 5, 0);
  CHECK_NEAR(t.min, 80, 0);
  CHECK_NEAR(t.max, 105, 0);
  CHECK(t.min < 94.1 && t.max > 94.1);
  /* all zero on a count axis: 0..1 by 0.2 */
  CHECK_INT(hicov_axis_nice(0, 0, 5, 1, &t), HICOV_OK);
  CHECK_NEAR(t.min, 0, 0);
  CHECK_NEAR(t.max, 1, 1e-12);
  CHECK_NEAR(t.step, 0.2, 1e-15);
  /* negative values: -3..7 in 6 intervals -> -4..8 by 2 */
  CHECK_INT(hicov_axis_nice(-3, 7, 6, 1, &t), HICOV_OK);
  CHECK_NEAR(t.step, 2, 0);
  CHECK_NEAR(t.min, -4, 0);
  CHECK_NEAR(t.max, 8, 0);
  /* reversed input is accepted */
  CHECK_INT(hicov_axis_nice(7, -3, 6, 1, &t), HICOV_OK);
  CHECK_NEAR(t.min, -4, 0);
  /* huge range: finite, 1-2-5 step */
  CHECK_INT(hicov_axis_nice(-1e308, 1e308, 5, 0, &t), HICOV_OK);
  CHECK(isfinite(t.min) && isfinite(t.max) && isfinite(t.step));
  CHECK(t.min <= -1e308 && t.max >= 1e308);
  CHECK_NEAR(t.step / 5e307, 1, 1e-12);
  /* tiny range */
  CHECK_INT(hicov_axis_nice(1.0, 1.0 + 3e-12, 5, 0, &t), HICOV_OK);
  CHECK(t.step > 0 && t.step <= 1e-12 && t.count >= 2 && t.count <= 6);
  /* non-finite input is refused */
  CHECK_INT(hicov_axis_nice(NAN, 1, 5, 0, &t), HICOV_INVALID);
  CHECK_INT(hicov_axis_nice(0, INFINITY, 5, 0, &t), HICOV_INVALID);
  /* one interval allowed still gives two ticks */
  CHECK_INT(hicov_axis_nice(0, 94.1, 1, 1, &t), HICOV_OK);
  CHECK_INT(t.count, 2);
  CHECK_NEAR(t.max, 100, 0);
}

/* ---- formatting -------------------------------------------------------- */

static void test_format(void)
{
  char b[64];
  hicov_format_number(1281865, 0, "vi", b, sizeof b);
  CHECK_STR(b, "1.281.865");
  hicov_format_number(1281865, 0, "en", b, sizeof b);
  CHECK_STR(b, "1,281,865");
  hicov_format_number(1234.5, 2, "vi_VN", b, sizeof b);
  CHECK_STR(b, "1.234,50");
  hicov_format_number(764769, 0, NULL, b, sizeof b);
  CHECK_STR(b, "764,769");
  hicov_format_percent(94.1, 1, "vi", b, sizeof b);
  CHECK_STR(b, "94,1%");
  hicov_format_percent(94.1, 1, "en", b, sizeof b);
  CHECK_STR(b, "94.1%");
  hicov_format_percent(94.85, 2, "vi", b, sizeof b);
  CHECK_STR(b, "94,85%");
  /* decimal rounding: 94.85 is 94.8499999... in binary but reads 94.85 */
  hicov_format_percent(94.85, 1, "en", b, sizeof b);
  CHECK_STR(b, "94.9%");
  hicov_format_number(2.5, 0, "en", b, sizeof b);
  CHECK_STR(b, "3");
  hicov_format_number(-2.5, 0, "en", b, sizeof b);
  CHECK_STR(b, "-3");
  hicov_format_number(999999.5, 0, "en", b, sizeof b);
  CHECK_STR(b, "1,000,000");
  hicov_format_number(-0.04, 1, "en", b, sizeof b);
  CHECK_STR(b, "0.0");
  hicov_format_number(0.001234, 4, "vi", b, sizeof b);
  CHECK_STR(b, "0,0012");
  hicov_format_number(0.0, 0, "vi", b, sizeof b);
  CHECK_STR(b, "0");
  hicov_format_number(123, 0, "en", b, sizeof b);
  CHECK_STR(b, "123");
  hicov_format_number(-1234567.891, 2, "vi", b, sizeof b);
  CHECK_STR(b, "-1.234.567,89");
  hicov_format_number(NAN, 1, "vi", b, sizeof b);
  CHECK_STR(b, "\xe2\x80\x93");
  hicov_format_percent(NAN, 1, "vi", b, sizeof b);
  CHECK_STR(b, "\xe2\x80\x93");
  hicov_format_number(1.5e20, 1, "en", b, sizeof b);
  CHECK_STR(b, "1.5e+20");
  hicov_format_number(1.5e20, 1, "vi", b, sizeof b);
  CHECK_STR(b, "1,5e+20");
  /* too small a buffer: LIMIT and an empty string, never a cut number */
  CHECK_INT(hicov_format_number(1281865, 0, "vi", b, 9), HICOV_LIMIT);
  CHECK_STR(b, "");
  CHECK_INT(hicov_format_number(1281865, 0, "vi", b, 10), HICOV_OK);
  CHECK_INT(hicov_format_number(1, 10, "vi", b, sizeof b), HICOV_INVALID);
  CHECK_INT(hicov_format_number(1, 0, "vi", NULL, 10), HICOV_INVALID);

  /* money from exact centi: Quang Ninh Jan-Oct 2025, 2,237 billion đồng */
  int64_t qn = INT64_C(2237) * 1000000000 * 100;
  hicov_format_money_vnd(qn, HICOV_MONEY_BILLION, 0, "vi", b, sizeof b);
  CHECK_STR(b, "2.237 tỷ đồng");
  hicov_format_money_vnd(qn, HICOV_MONEY_BILLION, 0, "en", b, sizeof b);
  CHECK_STR(b, "VND 2,237 billion");
  hicov_format_money_vnd(qn, HICOV_MONEY_AUTO, 0, "vi", b, sizeof b);
  CHECK_STR(b, "2.237 tỷ đồng");
  hicov_format_money_vnd(INT64_C(69000000000000), HICOV_MONEY_AUTO, 0, "vi", b,
                         sizeof b);
  CHECK_STR(b, "690 tỷ đồng");
  hicov_format_money_vnd(-INT64_C(500000000000), HICOV_MONEY_BILLION, 0, "vi",
                         b, sizeof b);
  CHECK_STR(b, "-5 tỷ đồng");
  hicov_format_money_vnd(-INT64_C(500000000000), HICOV_MONEY_BILLION, 0, "en",
                         b, sizeof b);
  CHECK_STR(b, "-VND 5 billion");
  /* half away from zero, in integers: 1.5 million -> 2, -1.5 -> -2 */
  hicov_format_money_vnd(150000000, HICOV_MONEY_MILLION, 0, "vi", b, sizeof b);
  CHECK_STR(b, "2 triệu đồng");
  hicov_format_money_vnd(-150000000, HICOV_MONEY_MILLION, 0, "vi", b, sizeof b);
  CHECK_STR(b, "-2 triệu đồng");
  hicov_format_money_vnd(149999999, HICOV_MONEY_MILLION, 0, "vi", b, sizeof b);
  CHECK_STR(b, "1 triệu đồng");
  /* 2,237.49999999999 billion at 1 decimal */
  hicov_format_money_vnd(INT64_C(223749999999999), HICOV_MONEY_BILLION, 1,
                         "vi", b, sizeof b);
  CHECK_STR(b, "2.237,5 tỷ đồng");
  hicov_format_money_vnd(12345, HICOV_MONEY_DONG, 2, "en", b, sizeof b);
  CHECK_STR(b, "VND 123.45");
  hicov_format_money_vnd(12345, HICOV_MONEY_THOUSAND, 3, "vi", b, sizeof b);
  CHECK_STR(b, "0,123 nghìn đồng");
  /* the extremes of int64 are exact, no overflow */
  CHECK_INT(hicov_format_money_vnd(INT64_MIN, HICOV_MONEY_DONG, 2, "en", b,
                                   sizeof b), HICOV_OK);
  CHECK_STR(b, "-VND 92,233,720,368,547,758.08");
  CHECK_INT(hicov_format_money_vnd(INT64_MAX, HICOV_MONEY_BILLION, 0, "vi", b,
                                   sizeof b), HICOV_OK);
  CHECK_STR(b, "92.233.720 tỷ đồng");
  CHECK_INT(hicov_format_money_vnd(1, 7, 0, "vi", b, sizeof b), HICOV_INVALID);
  CHECK_STR(hicov_money_unit_name(HICOV_MONEY_BILLION, "vi"), "tỷ đồng");
  CHECK_STR(hicov_money_unit_name(HICOV_MONEY_BILLION, "en"), "billion VND");
  CHECK_INT(hicov_format_is_vi("vi"), 1);
  CHECK_INT(hicov_format_is_vi("vi-VN"), 1);
  CHECK_INT(hicov_format_is_vi("video"), 0);
  CHECK_INT(hicov_format_is_vi(NULL), 0);
}

/* ---- chart kinds ------------------------------------------------------- */

/* Lang Son coverage (published: 2020 92.8%, 2024 94.1%, 2025 estimate 95%),
 * the 98% resolution target and its 2025 deadline. */
static HicovChart *make_line(const char *lang)
{
  HicovChart *c = NULL;
  CHECK_INT(hicov_chart_new(HICOV_CHART_LINE, &c), HICOV_OK);
  int vi = !strcmp(lang, "vi");
  hicov_chart_set_lang(c, lang);
  hicov_chart_set_title(c, vi ? "Tỷ lệ bao phủ BHYT, tỉnh Lạng Sơn"
                              : "Health-insurance coverage, Lạng Sơn");
  hicov_chart_set_subtitle(c, vi ? "Số liệu công bố; 2025 là ước tính"
                                 : "Published figures; 2025 is an estimate");
  hicov_chart_set_format(c, HICOV_CHART_FORMAT_PERCENT, 1);
  const double x[] = { 2020, 2024, 2025 };
  CHECK_INT(hicov_chart_set_x_values(c, x, 3), HICOV_OK);
  const double actual[] = { 92.8, 94.1, NAN };
  const double est[] = { NAN, 94.1, 95.0 };
  CHECK_INT(hicov_chart_add_series(c, "Lạng Sơn", actual, 3, 0, NULL),
            HICOV_OK);
  CHECK_INT(hicov_chart_add_series(c, vi ? "Ước tính" : "Estimate", est, 3,
                                   HICOV_SERIES_PROJECTED, NULL), HICOV_OK);
  CHECK_INT(hicov_chart_set_target(c, 98, vi ? "Mục tiêu NQ" : "Target"),
            HICOV_OK);
  CHECK_INT(hicov_chart_set_marker(c, 2025, vi ? "Hạn 2025" : "Deadline 2025"),
            HICOV_OK);
  return c;
}

static void test_line(void)
{
  HicovChart *c = make_line("vi");
  cairo_surface_t *s = render_image(c, W, H, 0);
  cairo_surface_write_to_png(s, OUTDIR "/line-direct.png");

  double px, py, pw, ph;
  CHECK_INT(hicov_chart_plot_rect(c, &px, &py, &pw, &ph), HICOV_OK);
  CHECK(pw > W / 2 && ph > H / 3);
  double min, max, step;
  int count;
  CHECK_INT(hicov_chart_value_ticks(c, &min, &max, &step, &count), HICOV_OK);
  CHECK(min <= 92.8 && max >= 98 && max <= 100);
  CHECK(count >= 3 && count <= 7);

  /* the target line: its row has the target colour (vermillion) */
  double ty;
  CHECK_INT(hicov_chart_value_to_y(c, 98, &ty), HICOV_OK);
  CHECK(ty >= py - 1e-9 && ty < py + ph);
  int found = 0;
  for (int dy = -1; dy <= 1; dy++) {
    Px p = pixel(s, (int)(px + pw * 0.25), (int)floor(ty) + dy);
    if (near_color(p, 213, 94, 0, 30))
      found++;
  }
  CHECK(found >= 1);
  /* ... and nowhere a few pixels above or below */
  CHECK(!near_color(pixel(s, (int)(px + pw * 0.25), (int)ty - 6), 213, 94, 0,
                    60));
  /* the value axis maps linearly */
  double y0, y1;
  hicov_chart_value_to_y(c, min, &y0);
  hicov_chart_value_to_y(c, max, &y1);
  CHECK_NEAR(y0, py + ph, 1e-9);
  CHECK_NEAR(y1, py, 1e-9);

  /* the 2024 point is drawn in the first palette colour (blue) */
  double x24, y24;
  CHECK_INT(hicov_chart_x_to_pos(c, 2024, &x24), HICOV_OK);
  hicov_chart_value_to_y(c, 94.1, &y24);
  CHECK(near_color(pixel(s, (int)x24, (int)y24), 0, 114, 178, 40));
  /* the deadline marker sits right of 2024 */
  double x25;
  CHECK_INT(hicov_chart_x_to_pos(c, 2025, &x25), HICOV_OK);
  CHECK(x25 > x24 && x25 <= px + pw);

  /* the keyboard's cursor finds the 2024 point: a zero-size rectangle at
   * its centre; a line has no bars */
  double rx, ry, rw, rh;
  size_t i24 = SIZE_MAX;
  for (size_t i = 0; i < hicov_chart_point_count(c); i++)
    if (hicov_chart_point_rect(c, 0, i, &rx, &ry, &rw, &rh) == HICOV_OK &&
        fabs(rx + rw / 2 - x24) < 0.5)
      i24 = i;
  CHECK(i24 != SIZE_MAX);
  CHECK_INT(hicov_chart_point_rect(c, 0, i24, &rx, &ry, &rw, &rh), HICOV_OK);
  CHECK_NEAR(ry + rh / 2, y24, 0.5);
  CHECK(rw < 1 && rh < 1);
  CHECK_INT(hicov_chart_bar_rect(c, 0, i24, &rx, &ry, &rw, &rh),
            HICOV_NOTFOUND);

  /* hovering the 2024 point gives its exact value, formatted in vi */
  HicovChartHit hit;
  CHECK_INT(hicov_chart_hit(c, x24 + 2, y24 - 1, &hit), HICOV_OK);
  CHECK_INT(hit.kind, HICOV_CHART_HIT_POINT);
  CHECK_INT(hit.series, 0); /* the actual, not the projection from it */
  CHECK_INT(hit.projected, 0);
  CHECK_INT(hit.index, 1);
  CHECK_NEAR(hit.value, 94.1, 0);
  CHECK_STR(hit.label, "2024");
  CHECK_CONTAINS(hit.text, "94,1%");
  CHECK_CONTAINS(hit.text, "2024");
  /* the projected 2025 point says so */
  double y95;
  hicov_chart_value_to_y(c, 95.0, &y95);
  CHECK_INT(hicov_chart_hit(c, x25, y95, &hit), HICOV_OK);
  CHECK_INT(hit.series, 1);
  CHECK_INT(hit.projected, 1);
  CHECK_CONTAINS(hit.text, "95,0%");
  CHECK_CONTAINS(hit.text, "dự báo");
  /* far from everything: nothing */
  CHECK_INT(hicov_chart_hit(c, px + 3, py + 3, &hit), HICOV_NOTFOUND);
  CHECK_INT(hit.kind, HICOV_CHART_HIT_NONE);
  /* a vertical chart has no horizontal value axis */
  double dummy;
  CHECK_INT(hicov_chart_value_to_x(c, 98, &dummy), HICOV_INVALID);
  cairo_surface_destroy(s);
  save_all(c, "line-vi");
  hicov_chart_free(c);

  c = make_line("en");
  save_all(c, "line-en");
  /* dark theme: the background is dark, the target still vermillion-ish */
  hicov_chart_set_theme(c, HICOV_CHART_THEME_DARK);
  s = render_image(c, W, H, 0);
  Px bg = pixel(s, 2, 2);
  CHECK(bg.r < 60 && bg.g < 60 && bg.b < 60);
  cairo_surface_write_to_png(s, OUTDIR "/line-dark.png");
  cairo_surface_destroy(s);
  hicov_chart_free(c);
}

static const char *const communes[] = {
  "Xã Na Sầm", "Phường Hoàng Văn Thụ", "Xã Đồng Đăng", "Xã Chi Lăng",
  "Xã Quốc Khánh thuộc vùng biên giới huyện Tràng Định cũ (sáp nhập 2025)",
  "Phường Đông Kinh", "Xã Bắc Sơn", "Xã Hữu Lũng", "Xã Lộc Bình",
  "Xã Thất Khê", "Xã Văn Quan",
};
#define N_COMMUNES (sizeof communes / sizeof communes[0])
/* synthetic coverage (the chart says so in its subtitle) */
static const double commune_cov[N_COMMUNES] = {
  98.0, 93.4, 96.2, 91.7, 88.9, 95.1, NAN, 97.3, 92.6, 90.2, 94.4,
};

static HicovChart *make_ranked(const char *lang)
{
  HicovChart *c = NULL;
  int vi = !strcmp(lang, "vi");
  CHECK_INT(hicov_chart_new(HICOV_CHART_BAR_RANKED, &c), HICOV_OK);
  hicov_chart_set_lang(c, lang);
  hicov_chart_set_title(c, vi ? "Tỷ lệ bao phủ theo xã, 2024"
                              : "Coverage by commune, 2024");
  hicov_chart_set_subtitle(c, vi ? "Xã tổng hợp (dữ liệu minh họa)"
                                 : "Synthetic communes (illustrative data)");
  hicov_chart_set_axis_titles(c, vi ? "Xã/phường" : "Commune",
                              vi ? "Tỷ lệ bao phủ" : "Coverage rate");
  hicov_chart_set_format(c, HICOV_CHART_FORMAT_PERCENT, 1);
  CHECK_INT(hicov_chart_set_categories(c, communes, N_COMMUNES), HICOV_OK);
  CHECK_INT(hicov_chart_add_series(c, "2024", commune_cov, N_COMMUNES, 0, NULL),
            HICOV_OK);
  hicov_chart_set_target(c, 98, vi ? "Mục tiêu" : "Target");
  hicov_chart_set_highlight(c, 0, 1); /* Na Sam, the selected unit */
  return c;
}

static void test_ranked(void)
{
  HicovChart *c = make_ranked("vi");
  cairo_surface_t *s = render_image(c, W, H, 0);
  cairo_surface_write_to_png(s, OUTDIR "/ranked-direct.png");
  double px, py, pw, ph;
  CHECK_INT(hicov_chart_plot_rect(c, &px, &py, &pw, &ph), HICOV_OK);

  /* geometry: bars from top to bottom in descending value */
  size_t order[N_COMMUNES];
  size_t m = 0;
  for (size_t i = 0; i < N_COMMUNES; i++)
    if (isfinite(commune_cov[i]))
      order[m++] = i;
  for (size_t a = 0; a < m; a++) /* sort indexes by value, descending */
    for (size_t b = a + 1; b < m; b++)
      if (commune_cov[order[b]] > commune_cov[order[a]]) {
        size_t t = order[a];
        order[a] = order[b];
        order[b] = t;
      }
  double prev_y = -1, prev_w = INFINITY;
  for (size_t k = 0; k < m; k++) {
    double x, y, w, h;
    CHECK_INT(hicov_chart_bar_rect(c, 0, order[k], &x, &y, &w, &h), HICOV_OK);
    CHECK(y > prev_y);
    CHECK(w <= prev_w);
    CHECK(h > 2);
    prev_y = y;
    prev_w = w;

    /* pixels: measure the bar's drawn length along a row near its top
     * edge (the value label sits in the middle) */
    int row = (int)(y + 2);
    int len = 0;
    for (int xx = (int)ceil(x) + 1; xx < (int)(px + pw); xx++) {
      Px p = pixel(s, xx, row);
      int bar = near_color(p, 0, 114, 178, 20) ||
                near_color(p, 230, 159, 0, 20) || /* highlighted */
                near_color(p, 213, 94, 0, 30);    /* under the target line */
      if (!bar)
        break;
      len++;
    }
    CHECK(abs(len - (int)w) <= 3);
  }
  /* the missing commune has no bar, and lies below all the others */
  CHECK_INT(hicov_chart_bar_rect(c, 0, 6, NULL, NULL, NULL, NULL),
            HICOV_NOTFOUND);
  /* the highlighted bar (Na Sam) is orange, the others blue */
  double x, y, w, h;
  hicov_chart_bar_rect(c, 0, 0, &x, &y, &w, &h);
  CHECK(near_color(pixel(s, (int)(x + w / 3), (int)(y + h / 2)), 230, 159, 0,
                   20));
  hicov_chart_bar_rect(c, 0, 7, &x, &y, &w, &h);
  CHECK(near_color(pixel(s, (int)(x + w / 3), (int)(y + h / 2)), 0, 114, 178,
                   20));
  /* bar length is proportional to the value from zero */
  double x0, x98;
  CHECK_INT(hicov_chart_value_to_x(c, 0, &x0), HICOV_OK);
  CHECK_INT(hicov_chart_value_to_x(c, 98, &x98), HICOV_OK);
  hicov_chart_bar_rect(c, 0, 0, &x, &y, &w, &h);
  CHECK_NEAR(x, x0, 1.0);
  CHECK_NEAR(x + w, x98, 1.0);
  /* the target is a vertical vermillion line at 98% */
  int hits = 0;
  for (int yy = (int)py; yy < (int)(py + ph); yy += 7)
    for (int dx = -1; dx <= 1; dx++)
      if (near_color(pixel(s, (int)floor(x98) + dx, yy), 213, 94, 0, 30)) {
        hits++;
        break;
      }
  CHECK(hits > (int)(ph / 7) * 3 / 4);

  /* clicking a bar tells which unit it is */
  HicovChartHit hit;
  hicov_chart_bar_rect(c, 0, 2, &x, &y, &w, &h);
  CHECK_INT(hicov_chart_hit(c, x + w / 2, y + h / 2, &hit), HICOV_OK);
  CHECK_INT(hit.kind, HICOV_CHART_HIT_BAR);
  CHECK_INT(hit.index, 2);
  CHECK_STR(hit.label, "Xã Đồng Đăng");
  CHECK_STR(hit.text, "Xã Đồng Đăng: 96,2%");
  CHECK(hit.key == NULL); /* no keys set yet */
  const char *codes[N_COMMUNES];
  char codebuf[N_COMMUNES][8];
  for (size_t i = 0; i < N_COMMUNES; i++) {
    snprintf(codebuf[i], sizeof codebuf[i], "20%03zu", i);
    codes[i] = codebuf[i];
  }
  CHECK_INT(hicov_chart_set_keys(c, codes, 3), HICOV_INVALID);
  CHECK_INT(hicov_chart_set_keys(c, codes, N_COMMUNES), HICOV_OK);
  CHECK_INT(hicov_chart_hit(c, x + w / 2, y + h / 2, &hit), HICOV_OK);
  CHECK_STR(hit.key, "20002");
  CHECK_STR(hicov_chart_point_key(c, 10), "20010");
  CHECK(hicov_chart_point_key(c, N_COMMUNES) == NULL);
  double dummy;
  CHECK_INT(hicov_chart_value_to_y(c, 50, &dummy), HICOV_INVALID);
  cairo_surface_destroy(s);
  save_all(c, "ranked-vi");

  /* ascending order flips the geometry */
  hicov_chart_set_sort(c, HICOV_CHART_SORT_ASCENDING);
  s = render_image(c, W, H, 0);
  double ya, yb;
  hicov_chart_bar_rect(c, 0, 4, NULL, &ya, NULL, NULL); /* 88.9, lowest */
  hicov_chart_bar_rect(c, 0, 0, NULL, &yb, NULL, NULL); /* 98.0, highest */
  CHECK(ya < yb);
  cairo_surface_destroy(s);
  hicov_chart_free(c);

  c = make_ranked("en");
  save_all(c, "ranked-en");
  hicov_chart_free(c);

  /* 300 bars in a small chart: labels thinned, values hidden, no crash */
  HicovChart *big = NULL;
  hicov_chart_new(HICOV_CHART_BAR_RANKED, &big);
  char names[300][32];
  const char *ptrs[300];
  double vals[300];
  for (int i = 0; i < 300; i++) {
    snprintf(names[i], sizeof names[i], "Xã số %d", i + 1);
    ptrs[i] = names[i];
    vals[i] = 80 + (i * 37 % 200) / 10.0;
  }
  hicov_chart_set_format(big, HICOV_CHART_FORMAT_PERCENT, 1);
  hicov_chart_set_categories(big, ptrs, 300);
  hicov_chart_add_series(big, "", vals, 300, 0, NULL);
  s = render_image(big, 400, 300, 0);
  /* rank order equals value order: compare bars pairwise */
  int sorted = 1;
  for (int i = 0; i < 300; i++)
    for (int j = i + 1; j < 300; j += 29) {
      double yi, yj;
      hicov_chart_bar_rect(big, 0, (size_t)i, NULL, &yi, NULL, NULL);
      hicov_chart_bar_rect(big, 0, (size_t)j, NULL, &yj, NULL, NULL);
      if ((vals[i] > vals[j] && !(yi < yj)) ||
          (vals[i] < vals[j] && !(yi > yj)))
        sorted = 0;
    }
  CHECK(sorted);
  cairo_surface_write_to_png(s, OUTDIR "/ranked-300.png");
  cairo_surface_destroy(s);
  hicov_chart_free(big);
}

/* A title inset (a widget's button over the top right corner): the
 * title wraps before it, so the plot starts a line lower; the title ink
 * stays left of it. "Coverage by commune, 2024" is one line in 400 px
 * (about 200 px at 1.35 x 11 px) and two in the 130 px left of a 250 px
 * inset. */
static void test_title_inset(void)
{
  HicovChart *c = make_ranked("en");
  double y0, y1, y2;
  cairo_surface_t *s = render_image(c, 400, 500, 0);
  CHECK_INT(hicov_chart_plot_rect(c, NULL, &y0, NULL, NULL), HICOV_OK);
  cairo_surface_destroy(s);
  CHECK_INT(hicov_chart_set_title_inset(c, 250), HICOV_OK);
  s = render_image(c, 400, 500, 0);
  CHECK_INT(hicov_chart_plot_rect(c, NULL, &y1, NULL, NULL), HICOV_OK);
  CHECK(y1 > y0 + 11);
  /* nothing drawn right of the inset's edge in the title's rows (the
   * first 30 px: the title's two lines start at the padding) */
  Px bg = pixel(s, 399, 2);
  int ink = 0;
  for (int y = 0; y < 30; y++)
    for (int x = 400 - 250 + 2; x < 400; x++)
      ink += !near_color(pixel(s, x, y), bg.r, bg.g, bg.b, 8);
  CHECK_INT(ink, 0);
  cairo_surface_destroy(s);
  CHECK_INT(hicov_chart_set_title_inset(c, 0), HICOV_OK);
  s = render_image(c, 400, 500, 0);
  CHECK_INT(hicov_chart_plot_rect(c, NULL, &y2, NULL, NULL), HICOV_OK);
  CHECK(y2 == y0);
  cairo_surface_destroy(s);
  CHECK_INT(hicov_chart_set_title_inset(c, -1), HICOV_INVALID);
  CHECK_INT(hicov_chart_set_title_inset(c, NAN), HICOV_INVALID);
  CHECK_INT(hicov_chart_set_title_inset(NULL, 10), HICOV_INVALID);
  hicov_chart_free(c);
}

static void test_stacked(void)
{
  HicovChart *c = NULL;
  CHECK_INT(hicov_chart_new(HICOV_CHART_STACKED, &c), HICOV_OK);
  hicov_chart_set_lang(c, "vi");
  hicov_chart_set_title(c, "Người tham gia BHYT theo nhóm đối tượng");
  hicov_chart_set_subtitle(c, "Dữ liệu tổng hợp (minh họa)");
  hicov_chart_set_format(c, HICOV_CHART_FORMAT_COUNT, 0);
  const char *periods[] = { "2021", "2022", "2023", "2024" };
  hicov_chart_set_categories(c, periods, 4);
  /* synthetic split of a province's participants */
  const double dn[] = { 98000, 101000, 103500, 106200 };
  const double ns[] = { 402000, 398000, 391000, 388000 };
  const double hgd[] = { 160000, 171000, 183000, 190100 };
  const double hs[] = { 70000, 72500, 74000, 80469 };
  hicov_chart_add_series(c, "Người lao động và DN đóng", dn, 4, 0, NULL);
  hicov_chart_add_series(c, "Ngân sách nhà nước đóng", ns, 4, 0, NULL);
  hicov_chart_add_series(c, "Hộ gia đình", hgd, 4, 0, NULL);
  hicov_chart_add_series(c, "Học sinh, sinh viên", hs, 4, 0, NULL);
  hicov_chart_set_highlight(c, 3, 1);
  cairo_surface_t *s = render_image(c, W, H, 0);
  /* segments stack: each sits on the one below, heights proportional */
  for (size_t i = 0; i < 4; i++) {
    double prev_top = NAN;
    for (size_t k = 0; k < 4; k++) {
      double x, y, w, h;
      CHECK_INT(hicov_chart_bar_rect(c, k, i, &x, &y, &w, &h), HICOV_OK);
      if (!isnan(prev_top))
        CHECK_NEAR(y + h, prev_top, 1.01);
      prev_top = y;
    }
    double total = dn[i] + ns[i] + hgd[i] + hs[i], yt, y0;
    hicov_chart_value_to_y(c, total, &yt);
    hicov_chart_value_to_y(c, 0, &y0);
    CHECK_NEAR(prev_top, yt, 1.01);
  }
  double min, max, step;
  int count;
  hicov_chart_value_ticks(c, &min, &max, &step, &count);
  CHECK_NEAR(min, 0, 0);
  CHECK(max >= 764769);
  HicovChartHit hit;
  double x, y, w, h;
  hicov_chart_bar_rect(c, 2, 3, &x, &y, &w, &h);
  CHECK_INT(hicov_chart_hit(c, x + w / 2, y + h / 2, &hit), HICOV_OK);
  CHECK_INT(hit.series, 2);
  CHECK_INT(hit.index, 3);
  /* 190,100 of 764,769 is 24.857...% of the column */
  CHECK_STR(hit.text, "Hộ gia đình \xe2\x80\x94 2024: 190.100 (24,9%)");
  cairo_surface_destroy(s);
  save_all(c, "stacked-vi");
  hicov_chart_free(c);
}

static void test_column(void)
{
  HicovChart *c = NULL;
  CHECK_INT(hicov_chart_new(HICOV_CHART_COLUMN, &c), HICOV_OK);
  hicov_chart_set_lang(c, "en");
  hicov_chart_set_title(c, "Insured visits, Quang Ninh");
  hicov_chart_set_subtitle(c, "January-October; 2024 derived from +3.4%");
  hicov_chart_set_format(c, HICOV_CHART_FORMAT_COUNT, 0);
  const char *periods[] = { "Jan-Oct 2024", "Jan-Oct 2025" };
  hicov_chart_set_categories(c, periods, 2);
  /* published: 2,293,971 in 2025, +3.4%: 2024 = 2,293,971 / 1.034 */
  const double visits[] = { 2293971 / 1.034, 2293971 };
  hicov_chart_add_series(c, "Visits", visits, 2, 0, NULL);
  cairo_surface_t *s = render_image(c, W, H, 0);
  double min, max, step;
  int count;
  CHECK_INT(hicov_chart_value_ticks(c, &min, &max, &step, &count), HICOV_OK);
  CHECK_NEAR(min, 0, 0);
  CHECK_NEAR(step, 500000, 0);
  CHECK_NEAR(max, 2500000, 0);
  double h0, h1;
  hicov_chart_bar_rect(c, 0, 0, NULL, NULL, NULL, &h0);
  hicov_chart_bar_rect(c, 0, 1, NULL, NULL, NULL, &h1);
  CHECK_NEAR(h1 / h0, 1.034, 0.01);
  HicovChartHit hit;
  double x, y, w, h;
  hicov_chart_bar_rect(c, 0, 1, &x, &y, &w, &h);
  CHECK_INT(hicov_chart_hit(c, x + w / 2, y + 3, &hit), HICOV_OK);
  CHECK_STR(hit.text, "Visits \xe2\x80\x94 Jan-Oct 2025: 2,293,971");
  cairo_surface_destroy(s);
  save_all(c, "column-en");
  hicov_chart_free(c);

  /* negative values: the column hangs below the zero line */
  CHECK_INT(hicov_chart_new(HICOV_CHART_COLUMN, &c), HICOV_OK);
  const char *cats[] = { "A", "B", "C" };
  const double v[] = { -3, 7, 2 };
  hicov_chart_set_categories(c, cats, 3);
  hicov_chart_add_series(c, "change", v, 3, 0, NULL);
  s = render_image(c, 300, 200, 0);
  double yz, ya, ha, yb, hb;
  hicov_chart_value_to_y(c, 0, &yz);
  hicov_chart_bar_rect(c, 0, 0, NULL, &ya, NULL, &ha);
  hicov_chart_bar_rect(c, 0, 1, NULL, &yb, NULL, &hb);
  CHECK_NEAR(ya, yz, 1.0);
  CHECK_NEAR(yb + hb, yz, 1.0);
  CHECK(ha > 0 && hb > ha);
  cairo_surface_destroy(s);
  save_all(c, "column-negative");
  hicov_chart_free(c);
}

static void test_dual(void)
{
  HicovChart *c = NULL;
  CHECK_INT(hicov_chart_new(HICOV_CHART_DUAL, &c), HICOV_OK);
  hicov_chart_set_lang(c, "vi");
  hicov_chart_set_title(c, "Thu và chi quỹ BHYT");
  hicov_chart_set_subtitle(c, "Dữ liệu minh họa");
  hicov_chart_set_axis_titles(c, NULL, "Số tiền");
  hicov_chart_set_format(c, HICOV_CHART_FORMAT_MONEY, 0);
  const char *periods[] = { "2021", "2022", "2023", "2024" };
  hicov_chart_set_categories(c, periods, 4);
  const double revenue[] = { 720e9, 745e9, 790e9, 812e9 };
  const double spending[] = { 560e9, 588e9, 608e9, 690e9 };
  hicov_chart_add_series(c, "Thu", revenue, 4, 0, NULL);
  hicov_chart_add_series(c, "Chi KCB", spending, 4, 0, NULL);
  cairo_surface_t *s = render_image(c, W, H, 0);
  /* columns are the first series only; the second is a line */
  CHECK_INT(hicov_chart_bar_rect(c, 0, 3, NULL, NULL, NULL, NULL), HICOV_OK);
  CHECK_INT(hicov_chart_bar_rect(c, 1, 3, NULL, NULL, NULL, NULL),
            HICOV_NOTFOUND);
  double x, y;
  hicov_chart_x_to_pos(c, 3, &x);
  hicov_chart_value_to_y(c, 690e9, &y);
  HicovChartHit hit;
  CHECK_INT(hicov_chart_hit(c, x, y, &hit), HICOV_OK);
  CHECK_INT(hit.kind, HICOV_CHART_HIT_POINT);
  CHECK_STR(hit.text, "Chi KCB \xe2\x80\x94 2024: 690 tỷ đồng");
  double min, max, step;
  int count;
  hicov_chart_value_ticks(c, &min, &max, &step, &count);
  CHECK_NEAR(min, 0, 0);
  CHECK(max >= 812e9 && max <= 1000e9);
  cairo_surface_destroy(s);
  save_all(c, "dual-vi");
  hicov_chart_free(c);
}

static void test_edge_cases(void)
{
  /* empty: says so, and the API reports it */
  HicovChart *c = NULL;
  CHECK_INT(hicov_chart_new(HICOV_CHART_LINE, &c), HICOV_OK);
  hicov_chart_set_title(c, "Coverage");
  const char *cats[] = { "2023", "2024" };
  const double none[] = { NAN, NAN };
  hicov_chart_set_categories(c, cats, 2);
  hicov_chart_add_series(c, "x", none, 2, 0, NULL);
  CHECK_INT(hicov_chart_is_empty(c), 1);
  cairo_surface_t *s = render_image(c, 300, 200, 0);
  int ink = 0;
  for (int yy = 80; yy < 130; yy++)
    for (int xx = 90; xx < 210; xx++) {
      Px p = pixel(s, xx, yy);
      if (p.r < 200)
        ink++;
    }
  CHECK(ink > 30); /* "No data" drawn in the centre */
  int ink_corner = 0;
  for (int yy = 150; yy < 200; yy++)
    for (int xx = 0; xx < 60; xx++)
      ink_corner += pixel(s, xx, yy).r < 200;
  CHECK_INT(ink_corner, 0); /* no axes */
  double d;
  CHECK_INT(hicov_chart_value_to_y(c, 1, &d), HICOV_INVALID);
  HicovChartHit hit;
  CHECK_INT(hicov_chart_hit(c, 150, 100, &hit), HICOV_NOTFOUND);
  cairo_surface_write_to_png(s, OUTDIR "/empty.png");
  cairo_surface_destroy(s);
  save_all(c, "empty");
  hicov_chart_free(c);

  /* no categories at all, every kind: empty state, no crash */
  for (int kind = HICOV_CHART_LINE; kind <= HICOV_CHART_DUAL; kind++) {
    CHECK_INT(hicov_chart_new(kind, &c), HICOV_OK);
    hicov_chart_set_lang(c, "vi");
    CHECK_INT(hicov_chart_is_empty(c), 1);
    s = render_image(c, 200, 120, 0);
    cairo_surface_destroy(s);
    hicov_chart_free(c);
  }

  /* one point */
  CHECK_INT(hicov_chart_new(HICOV_CHART_LINE, &c), HICOV_OK);
  hicov_chart_set_format(c, HICOV_CHART_FORMAT_PERCENT, 1);
  const char *one[] = { "2024" };
  const double v1[] = { 94.1 };
  hicov_chart_set_categories(c, one, 1);
  hicov_chart_add_series(c, "Lạng Sơn", v1, 1, 0, NULL);
  CHECK_INT(hicov_chart_is_empty(c), 0);
  s = render_image(c, 300, 200, 0);
  double min, max, step;
  int count;
  CHECK_INT(hicov_chart_value_ticks(c, &min, &max, &step, &count), HICOV_OK);
  CHECK(isfinite(min) && isfinite(max) && min < 94.1 && max > 94.1);
  CHECK(max <= 100);
  CHECK(count >= 2 && count <= 7);
  double y;
  hicov_chart_value_to_y(c, 94.1, &y);
  CHECK_INT(hicov_chart_hit(c, 0, 0, &hit), HICOV_NOTFOUND);
  cairo_surface_write_to_png(s, OUTDIR "/one-point.png");
  cairo_surface_destroy(s);
  hicov_chart_free(c);

  /* one point on a numeric (year) x axis: its label is drawn under it */
  CHECK_INT(hicov_chart_new(HICOV_CHART_LINE, &c), HICOV_OK);
  hicov_chart_set_format(c, HICOV_CHART_FORMAT_PERCENT, 1);
  hicov_chart_set_categories(c, one, 1);
  const double x1[] = { 2024 };
  CHECK_INT(hicov_chart_set_x_values(c, x1, 1), HICOV_OK);
  hicov_chart_add_series(c, "Lạng Sơn", v1, 1, 0, NULL);
  s = render_image(c, 300, 200, 0);
  {
    /* ink below the plot area, around the centre: the "2024" label */
    double px, py, pw, ph;
    CHECK_INT(hicov_chart_plot_rect(c, &px, &py, &pw, &ph), HICOV_OK);
    int ink_label = 0;
    for (int yy = (int)(py + ph) + 3; yy < 200; yy++)
      for (int xx = (int)(px + pw / 2) - 20; xx < (int)(px + pw / 2) + 20; xx++)
        ink_label += pixel(s, xx, yy).r < 160;
    CHECK(ink_label > 20);
  }
  cairo_surface_write_to_png(s, OUTDIR "/one-year.png");
  cairo_surface_destroy(s);
  hicov_chart_free(c);

  /* all-equal counts keep zero: 0..5 */
  CHECK_INT(hicov_chart_new(HICOV_CHART_LINE, &c), HICOV_OK);
  hicov_chart_set_format(c, HICOV_CHART_FORMAT_COUNT, 0);
  const char *three[] = { "Q1", "Q2", "Q3" };
  const double eq[] = { 5, 5, 5 };
  hicov_chart_set_categories(c, three, 3);
  hicov_chart_add_series(c, "cases", eq, 3, 0, NULL);
  s = render_image(c, 300, 200, 0);
  hicov_chart_value_ticks(c, &min, &max, &step, &count);
  CHECK_NEAR(min, 0, 0);
  CHECK(max >= 5 && max <= 10);
  CHECK(step >= 1); /* no fractional people */
  cairo_surface_destroy(s);
  /* small counts: steps never below 1 */
  const double small[] = { 0, 1, 2 };
  hicov_chart_set_categories(c, three, 3);
  hicov_chart_add_series(c, "cases", small, 3, 0, NULL);
  s = render_image(c, 300, 400, 0);
  hicov_chart_value_ticks(c, &min, &max, &step, &count);
  CHECK(step >= 1 && step == floor(step));
  cairo_surface_destroy(s);
  hicov_chart_free(c);

  /* huge range */
  CHECK_INT(hicov_chart_new(HICOV_CHART_COLUMN, &c), HICOV_OK);
  const double huge[] = { -1e300, 1e300 };
  hicov_chart_set_categories(c, cats, 2);
  hicov_chart_add_series(c, "huge", huge, 2, 0, NULL);
  s = render_image(c, 300, 200, 0);
  CHECK_INT(hicov_chart_value_ticks(c, &min, &max, &step, &count), HICOV_OK);
  CHECK(isfinite(min) && isfinite(max) && isfinite(step) && step > 0);
  CHECK(min <= -1e300 && max >= 1e300);
  cairo_surface_write_to_png(s, OUTDIR "/huge-range.png");
  cairo_surface_destroy(s);
  hicov_chart_free(c);

  /* many points on a line: labels are thinned, not piled up */
  CHECK_INT(hicov_chart_new(HICOV_CHART_LINE, &c), HICOV_OK);
  char labels[120][16];
  const char *lp[120];
  double lv[120];
  for (int i = 0; i < 120; i++) {
    snprintf(labels[i], sizeof labels[i], "%d-%02d", 2015 + i / 12, i % 12 + 1);
    lp[i] = labels[i];
    lv[i] = 1000 + 300 * sin(i / 6.0) + i * 5;
  }
  hicov_chart_set_format(c, HICOV_CHART_FORMAT_COUNT, 0);
  hicov_chart_set_categories(c, lp, 120);
  hicov_chart_add_series(c, "monthly visits", lv, 120, 0, NULL);
  s = render_image(c, W, 300, 0);
  cairo_surface_write_to_png(s, OUTDIR "/line-120.png");
  cairo_surface_destroy(s);
  hicov_chart_free(c);

  /* zero and negative sizes draw nothing and say OK; tiny sizes work */
  CHECK_INT(hicov_chart_new(HICOV_CHART_BAR_RANKED, &c), HICOV_OK);
  hicov_chart_set_categories(c, communes, N_COMMUNES);
  hicov_chart_add_series(c, "", commune_cov, N_COMMUNES, 0, NULL);
  cairo_surface_t *tiny = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 8, 8);
  cairo_t *cr = cairo_create(tiny);
  CHECK_INT(hicov_chart_render(c, cr, 0, 100, 0), HICOV_OK);
  CHECK_INT(hicov_chart_hit(c, 1, 1, &hit), HICOV_INVALID);
  CHECK_INT(hicov_chart_render(c, cr, -5, 100, 0), HICOV_OK);
  CHECK_INT(hicov_chart_render(c, cr, 8, 8, HICOV_CHART_RENDER_RASTER),
            HICOV_OK);
  CHECK_INT(hicov_chart_render(NULL, cr, 8, 8, 0), HICOV_INVALID);
  cairo_destroy(cr);
  cairo_surface_destroy(tiny);
  s = render_image(c, 60, 40, 0);
  cairo_surface_destroy(s);

  /* argument errors say what is wrong */
  const double three_v[] = { 1, 2, 3 };
  CHECK_INT(hicov_chart_add_series(c, "short", three_v, 3, 0, NULL),
            HICOV_INVALID);
  CHECK_CONTAINS(hicov_chart_errmsg(c), "3 values for 11 points");
  CHECK_INT(hicov_chart_set_highlight(c, 99, 1), HICOV_INVALID);
  const double bad_x[] = { 2020, 2019 };
  CHECK_INT(hicov_chart_set_x_values(c, bad_x, 2), HICOV_INVALID);
  CHECK_INT(hicov_chart_set_format(c, 99, 0), HICOV_INVALID);
  hicov_chart_free(c);
  CHECK_INT(hicov_chart_new(99, &c), HICOV_INVALID);
  CHECK(c == NULL);
  hicov_chart_free(NULL);

  /* saving into a missing directory fails with the path in the message */
  CHECK_INT(hicov_chart_new(HICOV_CHART_LINE, &c), HICOV_OK);
  CHECK_INT(hicov_chart_save_png(c, OUTDIR "/no/such/dir/x.png", 100, 100, 1),
            HICOV_IO);
  CHECK_CONTAINS(hicov_chart_errmsg(c), "no/such/dir/x.png");
  CHECK_INT(hicov_chart_save_png(c, OUTDIR "/x.png", 0, 100, 1),
            HICOV_INVALID);
  hicov_chart_free(c);
}

/* Atomic save: overwriting replaces the file whole; a new chart is an
 * ordinary readable document (0644, not mkstemp's 0600); a write that
 * fails part way leaves the earlier file as it was. */
static void test_atomic_save(void)
{
  HicovChart *c = make_line("en");
  unlink(OUTDIR "/atomic.svg");
  CHECK_INT(hicov_chart_save_svg(c, OUTDIR "/atomic.svg", 300, 200), HICOV_OK);
  struct stat st;
  CHECK(stat(OUTDIR "/atomic.svg", &st) == 0 && (st.st_mode & 0777) == 0644);
  CHECK_INT(hicov_chart_save_svg(c, OUTDIR "/atomic.svg", 400, 200), HICOV_OK);
  hicov_report_debug_fail_write_after(100);
  CHECK_INT(hicov_chart_save_svg(c, OUTDIR "/atomic.svg", 500, 200), HICOV_IO);
  CHECK_CONTAINS(hicov_chart_errmsg(c), "atomic.svg");
  hicov_report_debug_fail_write_after(-1);
  FILE *f = fopen(OUTDIR "/atomic.svg", "rb");
  CHECK(f != NULL);
  if (f) {
    char buf[600] = { 0 };
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    CHECK(n > 100);
    CHECK_CONTAINS(buf, "width=\"400pt\"");
    fclose(f);
  }
  hicov_chart_free(c);
}

/* Builds, renders and serialises a chart; returns the first failure. */
static int build_render_serialise(int kind)
{
  HicovChart *c = NULL;
  int rc = hicov_chart_new(kind, &c);
  if (rc != HICOV_OK)
    return rc;
  rc = hicov_chart_set_title(c, "Tỷ lệ bao phủ");
  if (rc == HICOV_OK)
    rc = hicov_chart_set_categories(c, communes, N_COMMUNES);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_keys(c, communes, N_COMMUNES);
  if (rc == HICOV_OK)
    rc = hicov_chart_add_series(c, "2024", commune_cov, N_COMMUNES, 0, NULL);
  if (rc == HICOV_OK)
    rc = hicov_chart_add_series(c, "2025", commune_cov, N_COMMUNES,
                                HICOV_SERIES_PROJECTED, NULL);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_target(c, 98, "Mục tiêu");
  if (rc == HICOV_OK) {
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 300, 200);
    cairo_t *cr = cairo_create(s);
    rc = hicov_chart_render(c, cr, 300, 200, HICOV_CHART_RENDER_RASTER);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
  }
  if (rc == HICOV_OK) {
    char *svg = NULL;
    rc = hicov_chart_svg_to_buffer(c, 300, 200, &svg, NULL);
    CHECK((rc == HICOV_OK) == (svg != NULL));
    hicov_free(svg);
  }
  hicov_chart_free(c);
  return rc;
}

/* Every allocation the chart makes may fail: each failure is reported as
 * HICOV_NOMEM and frees what was made (ASan builds check the leaks). */
static void test_out_of_memory(void)
{
  const int kinds[] = { HICOV_CHART_BAR_RANKED, HICOV_CHART_LINE,
                        HICOV_CHART_STACKED };
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    hicov_debug_fail_alloc_after(0);
    CHECK_INT(build_render_serialise(kinds[k]), HICOV_OK);
    long count = hicov_debug_fail_alloc_after(0);
    CHECK(count > 20);
    int bad = 0;
    for (long n = 1; n <= count; n++) {
      hicov_debug_fail_alloc_after(n);
      int rc = build_render_serialise(kinds[k]);
      hicov_debug_fail_alloc_after(0);
      if (rc != HICOV_NOMEM) {
        fprintf(stderr, "kind %d: failing allocation %ld of %ld gave %d\n",
                kinds[k], n, count, rc);
        bad++;
      }
    }
    CHECK_INT(bad, 0);
  }
}

int main(void)
{
  if (mkdir(OUTDIR, 0777) != 0 && errno != EEXIST) {
    perror(OUTDIR);
    return 1;
  }
  test_nice();
  test_format();
  test_line();
  test_ranked();
  test_title_inset();
  test_stacked();
  test_column();
  test_dual();
  test_edge_cases();
  test_atomic_save();
  test_out_of_memory();
  return test_finish("test-chart");
}

/* test-geo.c - boundary files (csrc/geo) and the map figure (chart-map.c):
 * reading, reprojection, the join and its lists, errors, classes, colours
 * and hit testing, against values worked out by hand. */
#include <math.h>

#include <cairo.h>

#include "hicov-chart.h"
#include "hicov-geo.h"
#include "testutil.h"

/* Meridian arc from the equator to latitude phi (radians) on WGS 84, by
 * the usual series in e^2 (Snyder, Map Projections - A Working Manual,
 * eq. 3-21); good to a millimetre. */
static double meridian_arc(double phi)
{
  const double a = 6378137.0, f = 1 / 298.257223563;
  double e2 = f * (2 - f), e4 = e2 * e2, e6 = e4 * e2;
  return a * ((1 - e2 / 4 - 3 * e4 / 64 - 5 * e6 / 256) * phi -
              (3 * e2 / 8 + 3 * e4 / 32 + 45 * e6 / 1024) * sin(2 * phi) +
              (15 * e4 / 256 + 45 * e6 / 1024) * sin(4 * phi) -
              (35 * e6 / 3072) * sin(6 * phi));
}

/* Latitude (degrees) of a point on UTM's central meridian at northing n:
 * 0.9996 * M(phi) = n, solved by Newton's method. */
static double utm_central_lat(double n)
{
  double phi = n / 0.9996 / 6367449.0;
  for (int i = 0; i < 20; i++) {
    double h = 1e-7;
    double g = 0.9996 * meridian_arc(phi) - n;
    double d = 0.9996 * (meridian_arc(phi + h) - meridian_arc(phi - h)) /
               (2 * h);
    phi -= g / d;
  }
  return phi * 180 / M_PI;
}

static HicovDataset *dataset(void)
{
  HicovDataset *ds = NULL;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  HicovUnit u = { 0 };
  u.code = "P";
  u.name = "Province";
  u.level = HICOV_LEVEL_PROVINCE;
  CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
  const char *codes[] = { "01", "02", "03", "04" };
  const char *names[] = { "A", "B", "C", "D" };
  for (int i = 0; i < 4; i++) {
    HicovUnit c = { 0 };
    c.code = codes[i];
    c.name = names[i];
    c.parent = "P";
    c.level = HICOV_LEVEL_COMMUNE;
    if (i == 3)
      c.valid_to = 2020 * 12; /* gone before 2024 */
    CHECK_INT(hicov_dataset_add_unit(ds, &c), HICOV_OK);
  }
  return ds;
}

static void test_geojson(HicovDataset *ds)
{
  char path[1024];
  HicovGeo *g = NULL;
  CHECK_INT(hicov_geo_new(&g), HICOV_OK);
  CHECK_INT(hicov_geo_read(g, test_data_path("geo/units.geojson", path,
                                             sizeof path), NULL),
            HICOV_OK);
  CHECK_STR(hicov_geo_errmsg(g), "");
  /* six features, the point skipped */
  CHECK_INT(hicov_geo_feature_count(g), 5);
  CHECK_INT(hicov_geo_skipped_count(g), 1);
  CHECK_INT(hicov_geo_field_count(g), 2);
  CHECK_INT(hicov_geo_field_find(g, "CODE"), 0);
  CHECK_INT(hicov_geo_field_find(g, "nope"), -1);
  CHECK_STR(hicov_geo_feature_value(g, 1, 0), " 02 ");
  CHECK_INT(hicov_geo_is_schematic(g), 0);
  const double *xy;
  const size_t *rl;
  size_t np, nr;
  /* the polygon with a hole: two rings of five points, as written */
  CHECK_INT(hicov_geo_feature_rings(g, 0, &xy, &np, &rl, &nr), HICOV_OK);
  CHECK_INT(nr, 2);
  CHECK_INT(np, 10);
  CHECK_INT(rl[0], 5);
  CHECK_NEAR(xy[2], 106.0, 1e-12);
  CHECK_NEAR(xy[3], 21.0, 1e-12);
  CHECK_NEAR(xy[10], 105.4, 1e-12);
  double box[4];
  CHECK_INT(hicov_geo_bounds(g, box), HICOV_OK);
  CHECK_NEAR(box[0], 104.0, 1e-12);
  CHECK_NEAR(box[1], 109.0, 1e-12);
  CHECK_NEAR(box[2], 20.0, 1e-12);
  CHECK_NEAR(box[3], 23.0, 1e-12);

  /* the join at commune level in 2024 */
  HicovPeriod y24 = hicov_period_year(2024);
  HicovGeoJoin *j = NULL;
  CHECK_INT(hicov_geo_join(g, ds, "code", HICOV_LEVEL_COMMUNE, &y24, &j),
            HICOV_OK);
  CHECK_INT(hicov_geo_join_count(j), 3); /* A, B, C: D ended in 2020 */
  CHECK_STR(hicov_geo_join_unit(j, 0), "01");
  CHECK_STR(hicov_geo_join_unit(j, 1), "02");
  CHECK_STR(hicov_geo_join_unit(j, 2), "03");
  CHECK_INT(hicov_geo_join_rings(j, 0, &xy, &np, &rl, &nr), HICOV_OK);
  CHECK_INT(nr, 2);
  /* " 02 " (two parts) and "02" (an island): one unit of three rings */
  CHECK_INT(hicov_geo_join_rings(j, 1, &xy, &np, &rl, &nr), HICOV_OK);
  CHECK_INT(nr, 3);
  CHECK_INT(np, 12);
  CHECK_NEAR(xy[2 * 8], 108.5, 1e-12);
  CHECK_INT(hicov_geo_join_rings(j, 2, &xy, &np, &rl, &nr), HICOV_OK);
  CHECK_INT(nr, 0);
  /* listed, not dropped: C has no shape; "99" names no unit; "P" is a
   * province (another map) and is not listed */
  CHECK_INT(hicov_geo_join_missing_count(j), 1);
  CHECK_STR(hicov_geo_join_missing(j, 0), "03");
  CHECK_INT(hicov_geo_join_orphan_count(j), 1);
  size_t feature = 99;
  CHECK_STR(hicov_geo_join_orphan(j, 0, &feature), "99");
  CHECK_INT(feature, 3);
  hicov_geo_join_free(j);

  /* the province level: only P's shape */
  CHECK_INT(hicov_geo_join(g, ds, "code", HICOV_LEVEL_PROVINCE, NULL, &j),
            HICOV_OK);
  CHECK_INT(hicov_geo_join_count(j), 1);
  CHECK_INT(hicov_geo_join_missing_count(j), 0);
  CHECK_INT(hicov_geo_join_orphan_count(j), 1);
  hicov_geo_join_free(j);

  /* an unknown attribute */
  CHECK_INT(hicov_geo_join(g, ds, "ma", HICOV_LEVEL_COMMUNE, NULL, &j),
            HICOV_NOTFOUND);
  CHECK(j == NULL);
  CHECK_CONTAINS(hicov_geo_errmsg(g), "ma");
  hicov_geo_free(g);
}

static void test_shapefile_utm(HicovDataset *ds)
{
  char path[1024];
  HicovGeo *g = NULL;
  CHECK_INT(hicov_geo_new(&g), HICOV_OK);
  CHECK_INT(hicov_geo_read(g, test_data_path("geo/utm48n.shp", path,
                                             sizeof path), NULL),
            HICOV_OK);
  CHECK_INT(hicov_geo_feature_count(g), 2);
  const double *xy;
  const size_t *rl;
  size_t np, nr;
  CHECK_INT(hicov_geo_feature_rings(g, 0, &xy, &np, &rl, &nr), HICOV_OK);
  /* (500000, 2322000) is on the central meridian 105 E; its latitude
   * solves 0.9996 M(phi) = 2322000 (about 20.99 N) */
  double lat0 = utm_central_lat(2322000), lat1 = utm_central_lat(2332000);
  CHECK(lat0 > 20.9 && lat0 < 21.1);
  CHECK_NEAR(xy[0], 105.0, 1e-9);
  CHECK_NEAR(xy[1], lat0, 1e-7);
  /* (500000, 2332000) the same meridian, 10 km north (the Shapefile
   * writer turned the ring clockwise: it comes second) */
  CHECK_NEAR(xy[2], 105.0, 1e-9);
  CHECK_NEAR(xy[3], lat1, 1e-7);
  /* 10 km east at the same northing: east of 105 by about 10 km /
   * (111.3 km cos 21) = 0.0962 degrees, slightly south (the grid's
   * northings curve away from the parallels) */
  double lon_e = xy[6], lat_e = xy[7];
  CHECK_NEAR(lon_e, 105.0 + 10.0 / (111.32 * cos(21 * M_PI / 180)), 5e-4);
  CHECK(lat_e < lat0);
  /* 10 km west (the second feature's first point): the mirror image */
  CHECK_INT(hicov_geo_feature_rings(g, 1, &xy, &np, &rl, &nr), HICOV_OK);
  CHECK_NEAR(xy[0], 210.0 - lon_e, 1e-9);
  CHECK_NEAR(xy[1], lat_e, 1e-9);
  /* the integer field reads "1" and "3": they match "01" and "03" */
  CHECK_STR(hicov_geo_feature_value(g, 0, 0), "1");
  HicovGeoJoin *j = NULL;
  CHECK_INT(hicov_geo_join(g, ds, "code", HICOV_LEVEL_COMMUNE, NULL, &j),
            HICOV_OK);
  CHECK_INT(hicov_geo_join_count(j), 4); /* ever: D too */
  CHECK_INT(hicov_geo_join_missing_count(j), 2);
  CHECK_STR(hicov_geo_join_missing(j, 0), "02");
  CHECK_STR(hicov_geo_join_missing(j, 1), "04");
  CHECK_INT(hicov_geo_join_orphan_count(j), 0);
  CHECK_INT(hicov_geo_join_rings(j, 2, &xy, &np, &rl, &nr), HICOV_OK);
  CHECK_INT(nr, 1);
  CHECK_INT(np, 4);
  hicov_geo_join_free(j);
  hicov_geo_free(g);
}

static void test_errors(void)
{
  HicovGeo *g = NULL;
  CHECK_INT(hicov_geo_new(&g), HICOV_OK);
  CHECK_INT(hicov_geo_read(g, "/nonexistent/map.geojson", NULL), HICOV_IO);
  CHECK_CONTAINS(hicov_geo_errmsg(g), "/nonexistent/map.geojson");
  CHECK_INT(hicov_geo_feature_count(g), 0);

  const char junk[] = "this is not a map";
  CHECK_INT(hicov_geo_read_buffer(g, junk, sizeof junk - 1, "junk.geojson",
                                  NULL),
            HICOV_PARSE);
  CHECK_CONTAINS(hicov_geo_errmsg(g), "junk.geojson");

  const char points[] =
      "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
      "\"properties\":{\"ma\":\"1\"},\"geometry\":{\"type\":\"Point\","
      "\"coordinates\":[105,21]}}]}";
  CHECK_INT(hicov_geo_read_buffer(g, points, sizeof points - 1, "pts.geojson",
                                  NULL),
            HICOV_PARSE);
  CHECK_CONTAINS(hicov_geo_errmsg(g), "pts.geojson");
  CHECK_CONTAINS(hicov_geo_errmsg(g), "no polygon");

  CHECK_INT(hicov_geo_read_buffer(g, points, sizeof points - 1, "pts.geojson",
                                  "other"),
            HICOV_PARSE);
  CHECK_CONTAINS(hicov_geo_errmsg(g), "no layer other");

  /* a latitude past the pole */
  const char pole[] =
      "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
      "\"properties\":{\"ma\":\"1\"},\"geometry\":{\"type\":\"Polygon\","
      "\"coordinates\":[[[105,21],[106,21],[106,95],[105,21]]]}}]}";
  CHECK_INT(hicov_geo_read_buffer(g, pole, sizeof pole - 1, "pole.geojson",
                                  NULL),
            HICOV_PARSE);
  CHECK_CONTAINS(hicov_geo_errmsg(g), "pole.geojson");
  CHECK_CONTAINS(hicov_geo_errmsg(g), "point 3");

  /* schematic drawings say so */
  const char schem[] =
      "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
      "\"properties\":{\"ma\":\"1\",\"schematic\":true},\"geometry\":{\"type\""
      ":\"Polygon\",\"coordinates\":[[[105,21],[106,21],[106,22],[105,21]]]}}"
      "]}";
  CHECK_INT(hicov_geo_read_buffer(g, schem, sizeof schem - 1, "s.geojson",
                                  NULL),
            HICOV_OK);
  CHECK_INT(hicov_geo_is_schematic(g), 1);
  CHECK_INT(hicov_geo_set_lang(g, "vi"), HICOV_OK);
  CHECK_INT(hicov_geo_read(g, "/nonexistent/map.geojson", NULL), HICOV_IO);
  CHECK_CONTAINS(hicov_geo_errmsg(g), "/nonexistent/map.geojson");
  hicov_geo_free(g);
}

/* A map of n unit squares in a row with values v. */
static HicovChart *square_map(const double *v, size_t n)
{
  HicovChart *c = NULL;
  CHECK_INT(hicov_chart_new(HICOV_CHART_MAP, &c), HICOV_OK);
  const char *labels[16], *keys[16];
  char lb[16][24]; /* "U" and up to 20 digits */
  for (size_t i = 0; i < n; i++) {
    snprintf(lb[i], sizeof lb[i], "U%zu", i);
    labels[i] = keys[i] = lb[i];
  }
  CHECK_INT(hicov_chart_set_categories(c, labels, n), HICOV_OK);
  CHECK_INT(hicov_chart_set_keys(c, keys, n), HICOV_OK);
  CHECK_INT(hicov_chart_add_series(c, "", v, n, 0, NULL), HICOV_OK);
  for (size_t i = 0; i < n; i++) {
    double x0 = 105.0 + 0.1 * (double)i, x1 = x0 + 0.1;
    double sq[10] = { x0, 21.0, x1, 21.0, x1, 21.1, x0, 21.1, x0, 21.0 };
    size_t len = 5;
    CHECK_INT(hicov_chart_set_shape(c, i, sq, 5, &len, 1), HICOV_OK);
  }
  return c;
}

static void test_map_classes(void)
{
  double v[10];
  for (int i = 0; i < 10; i++)
    v[i] = i + 1; /* 1..10 */
  HicovChart *c = square_map(v, 10);
  /* quantiles of 10 values in 5 classes: the values at ranks 0, 2, 4, 6, 8
   * (1, 3, 5, 7, 9) and the maximum 10 */
  CHECK_INT(hicov_chart_map_class_count(c), 5);
  double lo, hi, rgba[4];
  CHECK_INT(hicov_chart_map_class_info(c, 1, &lo, &hi, rgba), HICOV_OK);
  CHECK_NEAR(lo, 3, 0);
  CHECK_NEAR(hi, 5, 0);
  CHECK_INT(hicov_chart_map_class(c, 1), 0); /* 2 */
  CHECK_INT(hicov_chart_map_class(c, 2), 1); /* 3 */
  CHECK_INT(hicov_chart_map_class(c, 9), 4); /* 10 */
  /* the lowest class is the lightest blue, the highest the darkest */
  double first[4], last[4];
  hicov_chart_map_class_info(c, 0, NULL, NULL, first);
  hicov_chart_map_class_info(c, 4, NULL, NULL, last);
  CHECK_NEAR(first[0], 0.937, 1e-9);
  CHECK_NEAR(last[2], 0.612, 1e-9);

  /* equal classes over [1, 10]: width 1.8, bounds 1, 2.8, 4.6, 6.4, 8.2 */
  CHECK_INT(hicov_chart_set_map_classes(c, HICOV_MAP_CLASSES_EQUAL, 5),
            HICOV_OK);
  CHECK_INT(hicov_chart_map_class_info(c, 2, &lo, &hi, NULL), HICOV_OK);
  CHECK_NEAR(lo, 4.6, 1e-12);
  CHECK_NEAR(hi, 6.4, 1e-12);
  CHECK_INT(hicov_chart_map_class(c, 1), 0); /* 2 < 2.8 */
  CHECK_INT(hicov_chart_map_class(c, 2), 1); /* 3 */
  CHECK_INT(hicov_chart_map_class(c, 8), 4); /* 9 >= 8.2 */

  /* against a target of 5: below (1..4), at or above (5..10) */
  CHECK_INT(hicov_chart_set_target(c, 5, "target"), HICOV_OK);
  CHECK_INT(hicov_chart_set_map_classes(c, HICOV_MAP_CLASSES_TARGET, 2),
            HICOV_OK);
  CHECK_INT(hicov_chart_map_class_count(c), 2);
  CHECK_INT(hicov_chart_map_class(c, 3), 0);
  CHECK_INT(hicov_chart_map_class(c, 4), 1);
  CHECK_INT(hicov_chart_set_map_classes(c, 9, 2), HICOV_INVALID);
  CHECK_INT(hicov_chart_set_map_classes(c, HICOV_MAP_CLASSES_EQUAL, 8),
            HICOV_INVALID);
  hicov_chart_free(c);

  /* ties: quantile bounds that coincide merge (1, 1, 1, 1, 2: classes
   * from 1 and 2) */
  double t[5] = { 1, 1, 1, 1, 2 };
  c = square_map(t, 5);
  CHECK_INT(hicov_chart_map_class_count(c), 2);
  CHECK_INT(hicov_chart_map_class(c, 4), 1);
  hicov_chart_free(c);
}

static void test_map_render(void)
{
  double v[3] = { 90.0, NAN, 97.5 };
  HicovChart *c = square_map(v, 3);
  CHECK_INT(hicov_chart_set_format(c, HICOV_CHART_FORMAT_PERCENT, 1),
            HICOV_OK);
  CHECK_INT(hicov_chart_set_lang(c, "vi"), HICOV_OK);
  CHECK_INT(hicov_chart_set_title(c, "Tỷ lệ bao phủ"), HICOV_OK);
  CHECK_INT(hicov_chart_set_map_note(c, "Sơ đồ minh hoạ"), HICOV_OK);
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 600,
                                                  400);
  cairo_t *cr = cairo_create(s);
  CHECK_INT(hicov_chart_render(c, cr, 600, 400, HICOV_CHART_RENDER_RASTER),
            HICOV_OK);
  cairo_surface_flush(s);
  unsigned char *px = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  for (size_t i = 0; i < 3; i++) {
    double x, y, want[4];
    CHECK_INT(hicov_chart_map_shape_point(c, i, &x, &y), HICOV_OK);
    int k = hicov_chart_map_class(c, i);
    if (k < 0)
      hicov_chart_map_missing_color(want);
    else
      hicov_chart_map_class_info(c, k, NULL, NULL, want);
    const unsigned char *p = px + (int)y * stride + 4 * (int)x;
    /* ARGB32 in native (little-endian) order: B, G, R */
    CHECK_NEAR(p[2] / 255.0, want[0], 0.01);
    CHECK_NEAR(p[1] / 255.0, want[1], 0.01);
    CHECK_NEAR(p[0] / 255.0, want[2], 0.01);
    HicovChartHit hit;
    CHECK_INT(hicov_chart_hit(c, x, y, &hit), HICOV_OK);
    CHECK_INT(hit.kind, HICOV_CHART_HIT_SHAPE);
    CHECK_INT(hit.index, i);
  }
  HicovChartHit hit;
  double x, y;
  hicov_chart_map_shape_point(c, 2, &x, &y);
  hicov_chart_hit(c, x, y, &hit);
  CHECK_STR(hit.text, "U2: 97,5%");
  CHECK_STR(hit.key, "U2");
  hicov_chart_map_shape_point(c, 1, &x, &y);
  hicov_chart_hit(c, x, y, &hit);
  CHECK_STR(hit.text, "U1: không có dữ liệu");
  CHECK_INT(hicov_chart_hit(c, 2, 2, &hit), HICOV_NOTFOUND);
  /* equirectangular about 21.05 N: the squares of 0.1 x 0.1 degrees are
   * cos(21.05) = 0.933 as wide as they are tall */
  double x0, y0, x1, y1;
  hicov_chart_map_shape_point(c, 0, &x0, &y0);
  hicov_chart_map_shape_point(c, 1, &x1, &y1);
  CHECK_NEAR(y0, y1, 1e-9);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  hicov_chart_free(c);
}

/* The map builder on the demo: units, keys, values as the core computes
 * them, texts, the note and target classes. */
static void test_units_map(void)
{
  HicovDataset *demo = NULL;
  CHECK_INT(hicov_dataset_new(&demo), HICOV_OK);
  CHECK_INT(hicov_dataset_load_demo(demo), HICOV_OK);
  HicovPeriod y24 = hicov_period_year(2024);
  HicovChart *c = NULL;
  CHECK_INT(hicov_chart_units_map(demo, "coverage_rate", HICOV_LEVEL_COMMUNE,
                                  y24, NAN, "a.geojson", 1, "en", &c),
            HICOV_OK);
  CHECK_INT(hicov_chart_kind(c), HICOV_CHART_MAP);
  CHECK_INT(hicov_chart_point_count(c), 44); /* the communes before 2025 */
  CHECK_STR(hicov_chart_title(c), "Coverage rate by communes, 2024");
  CHECK_CONTAINS(hicov_chart_subtitle(c), "Boundaries: a.geojson");
  CHECK_CONTAINS(hicov_chart_subtitle(c), "Synthetic");
  CHECK_STR(hicov_chart_map_note(c), "Schematic, not real boundaries");
  size_t checked = 0;
  for (size_t i = 0; i < hicov_chart_point_count(c); i++) {
    HicovResult res;
    const char *key = hicov_chart_point_key(c, i);
    CHECK(key != NULL);
    CHECK_INT(hicov_indicator_value(demo, "coverage_rate", key, y24, NULL,
                                    &res),
              HICOV_OK);
    /* no shape yet: no class, whatever the value */
    CHECK_INT(hicov_chart_map_class(c, i), -1);
    checked += isfinite(res.value) != 0;
  }
  CHECK_INT(checked, 44);
  hicov_chart_free(c);

  /* against 96%: two classes; in Vietnamese */
  CHECK_INT(hicov_chart_units_map(demo, "coverage_rate", HICOV_LEVEL_COMMUNE,
                                  y24, 96.0, NULL, 0, "vi", &c),
            HICOV_OK);
  CHECK(hicov_chart_map_note(c) == NULL);
  CHECK_CONTAINS(hicov_chart_title(c), " theo xã, 2024");
  for (size_t i = 0; i < hicov_chart_point_count(c); i++) {
    double sq[8] = { 105, 21, 105.1, 21, 105.1, 21.1, 105, 21 };
    size_t len = 4;
    CHECK_INT(hicov_chart_set_shape(c, i, sq, 4, &len, 1), HICOV_OK);
  }
  CHECK_INT(hicov_chart_map_class_count(c), 2);
  for (size_t i = 0; i < hicov_chart_point_count(c); i++) {
    HicovResult res;
    hicov_indicator_value(demo, "coverage_rate", hicov_chart_point_key(c, i),
                          y24, NULL, &res);
    CHECK_INT(hicov_chart_map_class(c, i), res.value >= 96.0 ? 1 : 0);
  }
  /* a shape's rings must add up to its points */
  double sq[8] = { 105, 21, 105.1, 21, 105.1, 21.1, 105, 21 };
  size_t bad = 3;
  CHECK_INT(hicov_chart_set_shape(c, 0, sq, 4, &bad, 1), HICOV_INVALID);
  hicov_chart_free(c);
  CHECK_INT(hicov_chart_units_map(demo, "nope", HICOV_LEVEL_COMMUNE, y24, NAN,
                                  NULL, 0, "en", &c),
            HICOV_NOTFOUND);
  CHECK(c == NULL);
  hicov_dataset_free(demo);
}

int main(void)
{
  HicovDataset *ds = dataset();
  test_geojson(ds);
  test_shapefile_utm(ds);
  test_errors();
  test_map_classes();
  test_map_render();
  test_units_map();
  hicov_dataset_free(ds);
  return test_finish("test-geo");
}

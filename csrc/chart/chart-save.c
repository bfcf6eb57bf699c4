/* chart-save.c - PNG, SVG and PDF output, rendered in memory and written
 * atomically by report_write_atomic, and SVG in memory. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "chart-private.h"
#include "report-private.h"

/* Largest PNG side in pixels: keeps a typo from allocating gigabytes. */
#define MAX_PIXELS 20000.0

typedef struct {
  char *data;
  size_t len, cap;
} MemSink;

static cairo_status_t write_mem(void *closure, const unsigned char *data,
                                unsigned int length)
{
  MemSink *m = closure;
  if (m->len + length + 1 > m->cap) {
    size_t cap = m->cap ? m->cap : 16384;
    while (m->len + length + 1 > cap)
      cap *= 2;
    char *p = hicov_realloc(m->data, cap);
    if (!p)
      return CAIRO_STATUS_NO_MEMORY;
    m->data = p;
    m->cap = cap;
  }
  memcpy(m->data + m->len, data, length);
  m->len += length;
  m->data[m->len] = '\0';
  return CAIRO_STATUS_SUCCESS;
}

enum { OUT_PNG, OUT_SVG, OUT_PDF };

/* ---- Stable SVG ids -------------------------------------------------------- */

/* cairo names a document's surfaces and images after counters of the
 * process (<g id="surface6">), so the same chart drawn twice differed.
 * Every id is renamed after its place in the document, "<prefix>-<kind><n>"
 * ("c3f09a...-glyph12"), and every reference to it (url(#..),
 * xlink:href="#..") with it.  The prefix hashes the document as renamed
 * under a fixed one: the same chart gives the same bytes, and the SVGs of
 * different charts inlined in one HTML page (a notebook's outputs) keep
 * their ids apart. */

typedef struct {
  const char *name;
  size_t len, ordinal;
} SvgId;

/* Where an id is defined (" id=\"") or referred to; the name that follows
 * ends at '"' or ')'. */
static size_t svg_mark_at(const char *p, const char *end, int *is_def)
{
  static const char *const marks[] = { " id=\"", "url(#", "href=\"#" };
  if (*p != ' ' && *p != 'u' && *p != 'h') /* every byte comes here */
    return 0;
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
    size_t n = strlen(marks[i]);
    if ((size_t)(end - p) >= n && !memcmp(p, marks[i], n)) {
      *is_def = i == 0;
      return n;
    }
  }
  return 0;
}

static const char *svg_name_end(const char *p, const char *end)
{
  while (p < end && *p != '"' && *p != ')')
    p++;
  return p;
}

static int svg_id_cmp(const void *a, const void *b)
{
  const SvgId *x = a, *y = b;
  int c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The ids defined in svg, numbered from 1 in order, sorted by name. */
static int svg_collect_ids(const char *svg, size_t len, SvgId **out,
                           size_t *n)
{
  size_t cap = 0;
  const char *end = svg + len;
  *out = NULL;
  *n = 0;
  for (const char *p = svg; p < end; p++) {
    int is_def;
    size_t m = svg_mark_at(p, end, &is_def);
    if (!m || !is_def)
      continue;
    if (hicov_grow((void **)out, &cap, *n + 1, sizeof **out))
      return HICOV_NOMEM;
    const char *name = p + m, *stop = svg_name_end(name, end);
    (*out)[*n] = (SvgId){ name, (size_t)(stop - name), *n + 1 };
    ++*n;
    p = stop;
  }
  if (*n)
    qsort(*out, *n, sizeof **out, svg_id_cmp);
  return HICOV_OK;
}

/* The new name of id: the prefix, its kind (the name less its numbers:
 * "glyph" of "glyph0-3") and its number. */
static int svg_new_name(const SvgId *id, const char *prefix, char *buf,
                        size_t size)
{
  size_t stem = id->len;
  while (stem && (id->name[stem - 1] == '-' ||
                  (id->name[stem - 1] >= '0' && id->name[stem - 1] <= '9')))
    stem--;
  int k = snprintf(buf, size, "%s-%.*s%zu", prefix, (int)(stem ? stem : 2),
                   stem ? id->name : "id", id->ordinal);
  return k < (int)size ? k : (int)size - 1; /* cairo's names are short */
}

/* svg with ids renamed under prefix, through sink (cairo's signature). */
static cairo_status_t svg_rewrite(const char *svg, size_t len,
                                  const SvgId *ids, size_t n,
                                  const char *prefix, cairo_write_func_t sink,
                                  void *closure)
{
  const char *end = svg + len, *run = svg;
  cairo_status_t st = CAIRO_STATUS_SUCCESS;
  for (const char *p = svg; p < end && !st;) {
    int is_def;
    size_t m = svg_mark_at(p, end, &is_def);
    if (!m) {
      p++;
      continue;
    }
    const char *name = p + m, *stop = svg_name_end(name, end);
    SvgId key = { name, (size_t)(stop - name), 0 };
    const SvgId *id = n ? bsearch(&key, ids, n, sizeof *ids, svg_id_cmp)
                        : NULL;
    if (id) {
      char buf[160];
      int k = svg_new_name(id, prefix, buf, sizeof buf);
      st = sink(closure, (const unsigned char *)run,
                (unsigned int)(name - run));
      if (!st)
        st = sink(closure, (const unsigned char *)buf, (unsigned int)k);
      run = stop;
    }
    p = stop;
  }
  if (!st)
    st = sink(closure, (const unsigned char *)run, (unsigned int)(end - run));
  return st;
}

/* FNV-1a, 64 bits, as a cairo write function. */
static cairo_status_t write_hash(void *closure, const unsigned char *data,
                                 unsigned int length)
{
  uint64_t *h = closure;
  for (unsigned int i = 0; i < length; i++)
    *h = (*h ^ data[i]) * 0x100000001b3u;
  return CAIRO_STATUS_SUCCESS;
}

/* Renames m's ids (above), in place. */
static int svg_stable_ids(MemSink *m)
{
  SvgId *ids;
  size_t n;
  if (!m->data)
    return HICOV_OK;
  if (svg_collect_ids(m->data, m->len, &ids, &n)) {
    hicov_free(ids);
    return HICOV_NOMEM;
  }
  uint64_t h = 0xcbf29ce484222325u;
  svg_rewrite(m->data, m->len, ids, n, "c", write_hash, &h);
  char prefix[24];
  snprintf(prefix, sizeof prefix, "c%016llx", (unsigned long long)h);
  MemSink out = { 0 };
  cairo_status_t st = svg_rewrite(m->data, m->len, ids, n, prefix, write_mem,
                                  &out);
  hicov_free(ids);
  if (st) {
    hicov_free(out.data);
    return HICOV_NOMEM;
  }
  hicov_free(m->data);
  *m = out;
  return HICOV_OK;
}

/* ---- The PNG's resolution ------------------------------------------------- */

/* CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320), over
 * the chunk's type and data. */
static uint32_t png_crc(const unsigned char *p, size_t n)
{
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++)
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc ^ 0xFFFFFFFFu;
}

static void put_be32(unsigned char *p, uint32_t v)
{
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

/* Inserts a pHYs chunk (pixels per metre, both axes) right after the
 * IHDR chunk that cairo writes first (signature 8 bytes, IHDR 25), so that
 * a viewer or a word processor places the image at its stated dpi; cairo
 * writes no pHYs of its own.  HICOV_NOMEM, or HICOV_ERROR if the stream
 * does not start as a PNG does. */
static int png_add_phys(MemSink *m, double dpi)
{
  static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                        0x1a, '\n' };
  const size_t at = 8 + 25, size = 21; /* length, type, 9 bytes, CRC */
  if (m->len < at || memcmp(m->data, sig, 8) ||
      memcmp(m->data + 12, "IHDR", 4))
    return HICOV_ERROR;
  if (m->len + size + 1 > m->cap) {
    char *p = hicov_realloc(m->data, m->len + size + 1);
    if (!p)
      return HICOV_NOMEM;
    m->data = p;
    m->cap = m->len + size + 1;
  }
  unsigned char chunk[21];
  uint32_t ppm = (uint32_t)lround(dpi / 0.0254);
  put_be32(chunk, 9);
  memcpy(chunk + 4, "pHYs", 4);
  put_be32(chunk + 8, ppm);
  put_be32(chunk + 12, ppm);
  chunk[16] = 1; /* the unit is the metre */
  put_be32(chunk + 17, png_crc(chunk + 4, 13));
  memmove(m->data + at + size, m->data + at, m->len - at + 1);
  memcpy(m->data + at, chunk, size);
  m->len += size;
  return HICOV_OK;
}

static int check_size(HicovChart *c, double w, double h, double scale)
{
  if (!(w > 0) || !(h > 0) || !(scale > 0) || w * scale > MAX_PIXELS ||
      h * scale > MAX_PIXELS) {
    chart_set_error(c, T_(c->lang, "invalid size %g x %g at scale %g (each "
                                   "side must be positive and at most %g "
                                   "pixels)"),
                    w, h, scale, MAX_PIXELS);
    return HICOV_INVALID;
  }
  return HICOV_OK;
}

static int status_of(cairo_status_t st)
{
  return st == CAIRO_STATUS_NO_MEMORY ? HICOV_NOMEM : HICOV_IO;
}

/* Renders c onto a vector surface; finishes it. */
static int render_vector(HicovChart *c, cairo_surface_t *surf, double w,
                         double h)
{
  cairo_status_t st = cairo_surface_status(surf);
  if (st != CAIRO_STATUS_SUCCESS) {
    chart_set_error(c, T_(c->lang, "cairo: %s"), cairo_status_to_string(st));
    return status_of(st);
  }
  cairo_t *cr = cairo_create(surf);
  int rc = hicov_chart_render(c, cr, w, h, HICOV_CHART_RENDER_CAPTION);
  cairo_destroy(cr);
  cairo_surface_finish(surf);
  st = cairo_surface_status(surf);
  if (rc == HICOV_OK && st != CAIRO_STATUS_SUCCESS) {
    chart_set_error(c, T_(c->lang, "cairo: %s"), cairo_status_to_string(st));
    rc = status_of(st);
  }
  return rc;
}

/* Renders into memory, then hands the bytes to report_write_atomic (a
 * temporary file beside the target, fsync, rename; the mode of the file it
 * replaces, else 0644): a failure leaves any earlier file untouched. */
static int save(HicovChart *c, const char *path, double w, double h,
                double scale, int type)
{
  if (!c || !path || !*path)
    return HICOV_INVALID;
  int rc = check_size(c, w, h, type == OUT_PNG ? scale : 1.0);
  if (rc != HICOV_OK)
    return rc;

  MemSink m = { 0 };
  cairo_surface_t *surf = NULL;
  if (type == OUT_PNG) {
    int pw = (int)ceil(w * scale), ph = (int)ceil(h * scale);
    surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pw, ph);
    cairo_status_t st = cairo_surface_status(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
      chart_set_error(c, T_(c->lang, "%s: cannot create a %d x %d image: %s"),
                      path, pw, ph, cairo_status_to_string(st));
      rc = status_of(st);
    } else {
      cairo_t *cr = cairo_create(surf);
      cairo_scale(cr, scale, scale);
      rc = hicov_chart_render(c, cr, w, h,
                              HICOV_CHART_RENDER_RASTER |
                                  HICOV_CHART_RENDER_CAPTION);
      cairo_destroy(cr);
      if (rc == HICOV_OK) {
        st = cairo_surface_write_to_png_stream(surf, write_mem, &m);
        if (st != CAIRO_STATUS_SUCCESS) {
          chart_set_error(c, T_(c->lang, "%s: cannot encode the PNG: %s"),
                          path, cairo_status_to_string(st));
          rc = HICOV_NOMEM; /* the only way a memory sink fails */
        } else {
          /* scale pixels per point: 72 x scale dots per inch */
          rc = png_add_phys(&m, 72.0 * scale);
        }
      }
    }
  } else if (type == OUT_SVG) {
    surf = cairo_svg_surface_create_for_stream(write_mem, &m, w, h);
    if (cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS)
      cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_PT);
    rc = render_vector(c, surf, w, h);
    if (rc == HICOV_OK)
      rc = svg_stable_ids(&m);
  } else {
    surf = cairo_pdf_surface_create_for_stream(write_mem, &m, w, h);
    if (cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS) {
      cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR,
                                     "hicov " HICOV_VERSION_STRING);
      if (c->title)
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE,
                                       c->title);
    }
    rc = render_vector(c, surf, w, h);
  }
  if (surf)
    cairo_surface_destroy(surf);
  if (rc == HICOV_OK) {
    char err[600];
    rc = report_write_atomic(path, m.data, m.len, err, sizeof err);
    if (rc != HICOV_OK)
      chart_set_error(c, "%s", err);
  }
  hicov_free(m.data);
  return rc;
}

int hicov_chart_save_png(HicovChart *c, const char *path, double width_pt,
                         double height_pt, double scale)
{
  return save(c, path, width_pt, height_pt, scale, OUT_PNG);
}

int hicov_chart_save_svg(HicovChart *c, const char *path, double width_pt,
                         double height_pt)
{
  return save(c, path, width_pt, height_pt, 1.0, OUT_SVG);
}

int hicov_chart_save_pdf(HicovChart *c, const char *path, double width_pt,
                         double height_pt)
{
  return save(c, path, width_pt, height_pt, 1.0, OUT_PDF);
}

int hicov_chart_svg_to_buffer(HicovChart *c, double width_pt,
                              double height_pt, char **out, size_t *len)
{
  if (!c || !out)
    return HICOV_INVALID;
  *out = NULL;
  if (len)
    *len = 0;
  int rc = check_size(c, width_pt, height_pt, 1.0);
  if (rc != HICOV_OK)
    return rc;
  MemSink m = { 0 };
  cairo_surface_t *surf =
      cairo_svg_surface_create_for_stream(write_mem, &m, width_pt, height_pt);
  if (cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS)
    cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_PT);
  rc = render_vector(c, surf, width_pt, height_pt);
  cairo_surface_destroy(surf);
  if (rc == HICOV_OK)
    rc = svg_stable_ids(&m);
  if (rc == HICOV_OK && !m.data)
    rc = HICOV_ERROR;
  if (rc != HICOV_OK) {
    if (rc == HICOV_IO)
      rc = HICOV_NOMEM; /* the only way a memory sink fails */
    hicov_free(m.data);
    return rc;
  }
  *out = m.data;
  if (len)
    *len = m.len;
  return HICOV_OK;
}

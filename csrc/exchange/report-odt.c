/* report-odt.c - the report as an OpenDocument Text file (ODF 1.2), laid
 * out as Nghị định 30/2020/NĐ-CP asks: A4, margins 20/20/30/15 mm, Times
 * New Roman, the header in two columns, page numbers centred at the top
 * from the second page (the first page has its own master page without a
 * header), the signature block, the appendix after a page break.
 *
 * The paragraph styles are named (hicov-body, hicov-heading-1, ...) so
 * that an office editing the report in Writer keeps the layout; the
 * places for its own text use the highlighted hicov-writer style.  Written
 * with libxml2's text writer, packed by doc_zip (mimetype first, stored). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report-doc-private.h"

#define W(call) do { if ((call) < 0) return -1; } while (0)

#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_DRAW "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
#define NS_FO "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define NS_XLINK "http://www.w3.org/1999/xlink"
#define NS_SVG "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
#define NS_META "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

static int start(xmlTextWriterPtr w, const char *name)
{
  return xmlTextWriterStartElement(w, BAD_CAST name);
}

static int end(xmlTextWriterPtr w)
{
  return xmlTextWriterEndElement(w);
}

static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
  return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST value);
}

static int attrf(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
    HICOV_PRINTF(3, 4);
static int attrf(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
{
  char buf[128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return attr(w, name, buf);
}

/* Namespaces on a root element. */
static int namespaces(xmlTextWriterPtr w)
{
  static const char *const ns[][2] = {
    { "xmlns:office", NS_OFFICE }, { "xmlns:style", NS_STYLE },
    { "xmlns:text", NS_TEXT }, { "xmlns:table", NS_TABLE },
    { "xmlns:draw", NS_DRAW }, { "xmlns:fo", NS_FO },
    { "xmlns:xlink", NS_XLINK }, { "xmlns:svg", NS_SVG },
    { "xmlns:meta", NS_META }, { "xmlns:dc", NS_DC },
  };
  for (size_t i = 0; i < sizeof ns / sizeof *ns; i++)
    W(attr(w, ns[i][0], ns[i][1]));
  W(attr(w, "office:version", "1.2"));
  return 0;
}

/* ---- Styles ------------------------------------------------------------- */

static int para_style(xmlTextWriterPtr w, const DocStyle *s)
{
  W(start(w, "style:style"));
  W(attr(w, "style:name", s->name));
  W(attr(w, "style:display-name", s->display));
  W(attr(w, "style:family", "paragraph"));
  W(start(w, "style:paragraph-properties"));
  W(attr(w, "fo:text-align", s->align));
  W(attrf(w, "fo:text-indent", "%.2fcm", s->indent_cm));
  W(attrf(w, "fo:margin-left", "%.2fcm", s->margin_cm));
  W(attrf(w, "fo:margin-right", "%.2fcm", s->margin_cm));
  /* a rule keeps its distance from the dots under ạ, ệ above it */
  W(attr(w, "fo:margin-top", s->border_top ? "3pt" : "0pt"));
  W(attrf(w, "fo:margin-bottom", "%.0fpt", s->after_pt));
  W(attr(w, "fo:line-height", "115%"));
  if (s->border_top)
    W(attr(w, "fo:border-top", s->border_top));
  if (s->page_break)
    W(attr(w, "fo:break-before", "page"));
  if (s->background)
    W(attr(w, "fo:background-color", s->background));
  W(end(w));
  W(start(w, "style:text-properties"));
  W(attrf(w, "fo:font-size", "%gpt", s->size));
  W(attr(w, "fo:font-weight", s->bold ? "bold" : "normal"));
  W(attr(w, "fo:font-style", s->italic ? "italic" : "normal"));
  if (s->upper)
    W(attr(w, "fo:text-transform", "uppercase"));
  W(end(w));
  W(end(w));
  return 0;
}

static int font_decls(xmlTextWriterPtr w)
{
  W(start(w, "office:font-face-decls"));
  W(start(w, "style:font-face"));
  W(attr(w, "style:name", DOC_FONT));
  W(attr(w, "svg:font-family", "'" DOC_FONT "'"));
  W(attr(w, "style:font-family-generic", "roman"));
  W(attr(w, "style:font-pitch", "variable"));
  W(end(w));
  W(end(w));
  return 0;
}

static int default_style(xmlTextWriterPtr w, const char *lang)
{
  W(start(w, "style:default-style"));
  W(attr(w, "style:family", "paragraph"));
  W(start(w, "style:text-properties"));
  W(attr(w, "style:font-name", DOC_FONT));
  W(attr(w, "fo:font-size", "13pt"));
  W(attr(w, "fo:language", lang));
  W(attr(w, "fo:country", strcmp(lang, "vi") ? "GB" : "VN"));
  W(attr(w, "fo:color", "#000000"));
  W(end(w));
  W(end(w));
  return 0;
}

static int page_layout(xmlTextWriterPtr w, const char *name, int header)
{
  W(start(w, "style:page-layout"));
  W(attr(w, "style:name", name));
  W(start(w, "style:page-layout-properties"));
  W(attr(w, "fo:page-width", "21cm"));
  W(attr(w, "fo:page-height", "29.7cm"));
  W(attr(w, "style:print-orientation", "portrait"));
  W(attrf(w, "fo:margin-top", "%dmm", header ? 8 : DOC_MARGIN_TOP));
  W(attrf(w, "fo:margin-bottom", "%dmm", DOC_MARGIN_BOTTOM));
  W(attrf(w, "fo:margin-left", "%dmm", DOC_MARGIN_LEFT));
  W(attrf(w, "fo:margin-right", "%dmm", DOC_MARGIN_RIGHT));
  W(end(w));
  if (header) {
    /* the page number sits in the top margin: 8 mm + 12 mm = 20 mm */
    W(start(w, "style:header-style"));
    W(start(w, "style:header-footer-properties"));
    W(attr(w, "fo:min-height", "7mm"));
    W(attr(w, "fo:margin-bottom", "5mm"));
    W(end(w));
    W(end(w));
  }
  W(end(w));
  return 0;
}

static int odt_styles(xmlTextWriterPtr w, const Doc *d)
{
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
  W(start(w, "office:document-styles"));
  W(namespaces(w));
  W(font_decls(w));
  W(start(w, "office:styles"));
  W(default_style(w, d->lang == LANG_VI ? "vi" : "en"));
  for (size_t i = 0; i < doc_nstyles; i++)
    W(para_style(w, &doc_styles[i]));
  W(start(w, "style:style"));
  W(attr(w, "style:name", "hicov-bold"));
  W(attr(w, "style:family", "text"));
  W(start(w, "style:text-properties"));
  W(attr(w, "fo:font-weight", "bold"));
  W(end(w));
  W(end(w));
  W(end(w));
  W(start(w, "office:automatic-styles"));
  W(page_layout(w, "hicov-first-layout", 0));
  W(page_layout(w, "hicov-page-layout", 1));
  W(end(w));
  W(start(w, "office:master-styles"));
  /* the first page: no page number; then the others */
  W(start(w, "style:master-page"));
  W(attr(w, "style:name", "hicov-first"));
  W(attr(w, "style:display-name", "hicov: first page"));
  W(attr(w, "style:page-layout-name", "hicov-first-layout"));
  W(attr(w, "style:next-style-name", "Standard"));
  W(end(w));
  W(start(w, "style:master-page"));
  W(attr(w, "style:name", "Standard"));
  W(attr(w, "style:page-layout-name", "hicov-page-layout"));
  W(start(w, "style:header"));
  W(start(w, "text:p"));
  W(attr(w, "text:style-name", "hicov-page-number"));
  W(start(w, "text:page-number"));
  W(attr(w, "text:select-page", "current"));
  W(xmlTextWriterWriteString(w, BAD_CAST "2"));
  W(end(w));
  W(end(w));
  W(end(w));
  W(end(w));
  W(end(w));
  W(end(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

/* ---- Content ------------------------------------------------------------ */

static int para(xmlTextWriterPtr w, const char *style, const char *text)
{
  W(start(w, "text:p"));
  W(attr(w, "text:style-name", style));
  if (text && *text)
    W(xmlTextWriterWriteString(w, BAD_CAST text));
  W(end(w));
  return 0;
}

/* Automatic styles of content.xml: the first paragraph's master page,
 * the layout tables (no borders), the data tables' cells and columns. */
static int content_styles(xmlTextWriterPtr w, const Doc *d)
{
  W(start(w, "office:automatic-styles"));
  static const char *const cells[][2] = {
    { "hicov-frame-cell", "none" }, { "hicov-data-cell", "0.5pt solid #000000" } };
  for (int i = 0; i < 2; i++) {
    W(start(w, "style:style"));
    W(attr(w, "style:name", cells[i][0]));
    W(attr(w, "style:family", "table-cell"));
    W(start(w, "style:table-cell-properties"));
    W(attr(w, "fo:border", cells[i][1]));
    /* data cells: 1 mm, as Word's, so that no figure touches a rule */
    W(attr(w, "fo:padding", i ? "0.1cm" : "0cm"));
    W(end(w));
    W(end(w));
  }
  for (size_t t = 0; t < d->ntables + 2; t++) {
    /* tables 0 and 1 are the header and the signature block */
    const DocTable *tb = t >= 2 ? &d->tables[t - 2] : NULL;
    size_t ncols = tb ? tb->ncols : 2;
    W(start(w, "style:style"));
    W(attrf(w, "style:name", "hicov-table-%zu", t));
    W(attr(w, "style:family", "table"));
    if (t == 0) /* the document's first element: the first page's master */
      W(attr(w, "style:master-page-name", "hicov-first"));
    W(start(w, "style:table-properties"));
    W(attrf(w, "style:width", "%dmm", DOC_TEXT_MM));
    W(attr(w, "table:align", "left"));
    W(end(w));
    W(end(w));
    for (size_t c = 0; c < ncols; c++) {
      double frac = tb ? tb->width[c] : (t == 0 ? (c ? 0.6 : 0.4) : 0.5);
      W(start(w, "style:style"));
      W(attrf(w, "style:name", "hicov-table-%zu-col-%zu", t, c));
      W(attr(w, "style:family", "table-column"));
      W(start(w, "style:table-column-properties"));
      W(attrf(w, "style:column-width", "%.1fmm", frac * DOC_TEXT_MM));
      W(end(w));
      W(end(w));
    }
  }
  W(end(w));
  return 0;
}

static int table_start(xmlTextWriterPtr w, size_t t, size_t ncols)
{
  W(start(w, "table:table"));
  W(attrf(w, "table:name", "hicov-table-%zu", t));
  W(attrf(w, "table:style-name", "hicov-table-%zu", t));
  for (size_t c = 0; c < ncols; c++) {
    W(start(w, "table:table-column"));
    W(attrf(w, "table:style-name", "hicov-table-%zu-col-%zu", t, c));
    W(end(w));
  }
  return 0;
}

static int cell_start(xmlTextWriterPtr w, int frame)
{
  W(start(w, "table:table-cell"));
  W(attr(w, "table:style-name", frame ? "hicov-frame-cell"
                                      : "hicov-data-cell"));
  W(attr(w, "office:value-type", "string"));
  return 0;
}

/* The header: agency and số on the left, quốc hiệu, tiêu ngữ, place and
 * date on the right. */
static int header(xmlTextWriterPtr w, const Doc *d)
{
  const ReportIssuer *is = &d->rep->issuer;
  char buf[400];
  W(table_start(w, 0, 2));
  W(start(w, "table:table-row"));
  W(cell_start(w, 1));
  W(para(w, "hicov-parent", is->parent_agency ? is->parent_agency
                                                  : doc_text(d, "no_parent")));
  W(para(w, "hicov-agency", is->agency ? is->agency
                                       : doc_text(d, "no_agency")));
  W(para(w, "hicov-agency-rule", NULL));
  snprintf(buf, sizeof buf, "%s %s", doc_text(d, "number_label"),
           is->number ? is->number : doc_text(d, "no_number"));
  W(para(w, "hicov-number", buf));
  W(end(w));
  W(cell_start(w, 1));
  W(para(w, "hicov-motto-country", doc_text(d, "motto_country")));
  W(para(w, "hicov-motto", doc_text(d, "motto")));
  W(para(w, "hicov-motto-rule", NULL));
  doc_place_date(d, buf, sizeof buf);
  W(para(w, "hicov-date", buf));
  W(end(w));
  W(end(w));
  W(end(w));
  W(para(w, "hicov-number", NULL));
  W(para(w, "hicov-doc-type", doc_text(d, "doc_type")));
  char *summary = report_summary_title(d->rep, d->lang);
  int bad = !summary || para(w, "hicov-summary", summary) < 0;
  hicov_free(summary);
  if (bad)
    return -1;
  W(para(w, "hicov-summary-rule", NULL));
  return 0;
}

/* Nơi nhận on the left, the signer on the right. */
static int signature(xmlTextWriterPtr w, const Doc *d)
{
  const ReportIssuer *is = &d->rep->issuer;
  char buf[400];
  W(table_start(w, 1, 2));
  W(start(w, "table:table-row"));
  W(cell_start(w, 1));
  W(para(w, "hicov-recipients-head", doc_text(d, "recipients")));
  for (size_t i = 0; i < is->nrecipients; i++) {
    snprintf(buf, sizeof buf, "- %s;", is->recipients[i]);
    W(para(w, "hicov-recipient", buf));
  }
  if (!is->nrecipients)
    W(para(w, "hicov-recipient", "- ....;"));
  snprintf(buf, sizeof buf, "- %s %s.", doc_text(d, "archive"),
           is->archive ? is->archive : "VT");
  W(para(w, "hicov-recipient", buf));
  W(end(w));
  W(cell_start(w, 1));
  if (is->signer_authority)
    W(para(w, "hicov-signer", is->signer_authority));
  W(para(w, "hicov-signer", is->signer_title ? is->signer_title
                                            : doc_text(d, "no_signer_title")));
  W(para(w, "hicov-signature", doc_text(d, "signature")));
  W(para(w, "hicov-signer-name", is->signer_name ? is->signer_name
                                                : doc_text(d, "no_signer")));
  W(end(w));
  W(end(w));
  W(end(w));
  return 0;
}

static int data_table(xmlTextWriterPtr w, const Doc *d, size_t t)
{
  const DocTable *tb = &d->tables[t];
  W(table_start(w, t + 2, tb->ncols));
  W(start(w, "table:table-header-rows"));
  W(start(w, "table:table-row"));
  for (size_t c = 0; c < tb->ncols; c++) {
    W(cell_start(w, 0));
    W(para(w, "hicov-cell-head", tb->head[c]));
    W(end(w));
  }
  W(end(w));
  W(end(w));
  for (size_t r = 0; r < tb->nrows; r++) {
    W(start(w, "table:table-row"));
    for (size_t c = 0; c < tb->ncols; c++) {
      W(cell_start(w, 0));
      W(start(w, "text:p"));
      W(attr(w, "text:style-name", tb->right[c] ? "hicov-cell-num"
                                                : "hicov-cell"));
      if (tb->bold[r]) {
        W(start(w, "text:span"));
        W(attr(w, "text:style-name", "hicov-bold"));
      }
      W(xmlTextWriterWriteString(w, BAD_CAST tb->cells[r * tb->ncols + c]));
      if (tb->bold[r])
        W(end(w));
      W(end(w));
      W(end(w));
    }
    W(end(w));
  }
  W(end(w));
  return 0;
}

static int figure(xmlTextWriterPtr w, const Doc *d, size_t f)
{
  const ReportFigure *fig = &d->rep->figures[f];
  double wmm = 160, hmm = wmm * fig->height / fig->width;
  W(start(w, "text:p"));
  W(attr(w, "text:style-name", "hicov-figure"));
  W(start(w, "draw:frame"));
  W(attrf(w, "draw:name", "%s", fig->id));
  W(attr(w, "text:anchor-type", "as-char"));
  W(attrf(w, "svg:width", "%.1fmm", wmm));
  W(attrf(w, "svg:height", "%.1fmm", hmm));
  W(start(w, "draw:image"));
  W(attrf(w, "xlink:href", "Pictures/%s.png", fig->id));
  W(attr(w, "xlink:type", "simple"));
  W(attr(w, "xlink:show", "embed"));
  W(attr(w, "xlink:actuate", "onLoad"));
  W(end(w));
  W(end(w));
  W(end(w));
  return 0;
}

static const char *block_style(int kind)
{
  switch (kind) {
  case DOC_HEADING1: return "hicov-heading-1";
  case DOC_HEADING2: return "hicov-heading-2";
  case DOC_STRONG: return "hicov-strong";
  case DOC_QUOTE: return "hicov-quote";
  case DOC_BULLET: return "hicov-bullet";
  case DOC_PLACEHOLDER: return "hicov-writer";
  case DOC_NOTE: return "hicov-note";
  case DOC_CAPTION: return "hicov-caption";
  case DOC_APPENDIX: return "hicov-appendix";
  default: return "hicov-body";
  }
}

static int body(xmlTextWriterPtr w, const Doc *d)
{
  W(header(w, d));
  for (size_t i = 0; i < d->n; i++) {
    const DocBlock *b = &d->blocks[i];
    if (b->kind == DOC_APPENDIX)
      W(signature(w, d));
    if (b->kind == DOC_FIGURE)
      W(figure(w, d, b->ref));
    else if (b->kind == DOC_TABLE)
      W(data_table(w, d, b->ref));
    else if (b->kind != DOC_PAGE_BREAK)
      W(para(w, block_style(b->kind), b->text));
  }
  return 0;
}

static int odt_content(xmlTextWriterPtr w, const Doc *d)
{
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
  W(start(w, "office:document-content"));
  W(namespaces(w));
  W(font_decls(w));
  W(content_styles(w, d));
  W(start(w, "office:body"));
  W(start(w, "office:text"));
  W(body(w, d));
  W(end(w));
  W(end(w));
  W(end(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

static int odt_meta(xmlTextWriterPtr w, const Doc *d)
{
  char when[32];
  report_format_time(d->rep->generated, when, sizeof when);
  when[strlen(when) - 1] = '\0'; /* ODF dates carry no zone */
  char *summary = report_summary_title(d->rep, d->lang);
  if (!summary)
    return -1;
  int bad = xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
            start(w, "office:document-meta") < 0 || namespaces(w) < 0 ||
            start(w, "office:meta") < 0 ||
            xmlTextWriterWriteElement(w, BAD_CAST "meta:generator",
                                      BAD_CAST "hicov") < 0 ||
            xmlTextWriterWriteElement(w, BAD_CAST "dc:title",
                                      BAD_CAST summary) < 0 ||
            xmlTextWriterWriteElement(w, BAD_CAST "dc:language",
                                      BAD_CAST(d->lang == LANG_VI ? "vi-VN"
                                                                  : "en")) < 0 ||
            xmlTextWriterWriteElement(w, BAD_CAST "meta:creation-date",
                                      BAD_CAST when) < 0 ||
            xmlTextWriterWriteElement(w, BAD_CAST "dc:date",
                                      BAD_CAST when) < 0 ||
            end(w) < 0 || end(w) < 0 || xmlTextWriterEndDocument(w) < 0;
  hicov_free(summary);
  return bad ? -1 : 0;
}

static int manifest_entry(xmlTextWriterPtr w, const char *path,
                          const char *type)
{
  W(start(w, "manifest:file-entry"));
  W(attr(w, "manifest:full-path", path));
  W(attr(w, "manifest:media-type", type));
  W(end(w));
  return 0;
}

static int odt_manifest(xmlTextWriterPtr w, const Doc *d)
{
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
  W(start(w, "manifest:manifest"));
  W(attr(w, "xmlns:manifest", NS_MANIFEST));
  W(attr(w, "manifest:version", "1.2"));
  W(manifest_entry(w, "/", "application/vnd.oasis.opendocument.text"));
  W(manifest_entry(w, "content.xml", "text/xml"));
  W(manifest_entry(w, "styles.xml", "text/xml"));
  W(manifest_entry(w, "meta.xml", "text/xml"));
  for (size_t f = 0; f < d->rep->nfigures; f++) {
    char path[96];
    snprintf(path, sizeof path, "Pictures/%s.png", d->rep->figures[f].id);
    W(manifest_entry(w, path, "image/png"));
  }
  W(end(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

int doc_odt(const Doc *d, char **out, size_t *len)
{
  static const char mime[] = "application/vnd.oasis.opendocument.text";
  static const char *const names[] = { "content.xml", "styles.xml",
                                       "meta.xml", "META-INF/manifest.xml" };
  DocPartFn fns[] = { odt_content, odt_styles, odt_meta, odt_manifest };
  xmlBufferPtr bufs[4] = { NULL };
  size_t nfig = d->rep->nfigures, nparts = 5 + nfig;
  DocPart *parts = hicov_calloc(nparts, sizeof *parts);
  char (*paths)[96] = hicov_calloc(nfig ? nfig : 1, sizeof *paths);
  int rc = parts && paths ? HICOV_OK : HICOV_NOMEM;
  for (int i = 0; i < 4 && rc == HICOV_OK; i++)
    if (doc_write_part(fns[i], d, &bufs[i]) < 0)
      rc = HICOV_NOMEM;
  if (rc == HICOV_OK) {
    parts[0] = (DocPart){ "mimetype", mime, sizeof mime - 1, 1 };
    for (int i = 0; i < 4; i++)
      parts[1 + i] = (DocPart){ names[i], xmlBufferContent(bufs[i]),
                                (size_t)xmlBufferLength(bufs[i]), 0 };
    for (size_t f = 0; f < nfig; f++) {
      snprintf(paths[f], sizeof paths[f], "Pictures/%s.png",
               d->rep->figures[f].id);
      /* PNG is compressed already */
      parts[5 + f] = (DocPart){ paths[f], d->rep->figures[f].png,
                                d->rep->figures[f].len, 1 };
    }
    rc = doc_zip(parts, nparts, d->rep->generated, out, len);
  }
  for (int i = 0; i < 4; i++)
    if (bufs[i])
      xmlBufferFree(bufs[i]);
  hicov_free(parts);
  hicov_free(paths);
  return rc;
}

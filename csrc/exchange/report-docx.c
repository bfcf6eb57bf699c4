/* report-docx.c - the report as an Office Open XML document (DOCX,
 * ECMA-376), laid out as Nghị định 30/2020/NĐ-CP asks: A4, margins
 * 20/20/30/15 mm, Times New Roman, the header in two columns, page
 * numbers centred at the top from the second page (a "title page" section
 * with no first-page header), the signature block, the appendix on a new
 * page.  The same body and styles as the ODT (report-doc.c); charts are
 * inline PNG pictures.  Written with libxml2's text writer, packed by
 * doc_zip. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report-doc-private.h"

#define W(call) do { if ((call) < 0) return -1; } while (0)

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R \
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_WP \
  "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
#define NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_PIC "http://schemas.openxmlformats.org/drawingml/2006/picture"
#define NS_PKG_REL \
  "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_TYPE \
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

/* Twips (1/20 pt) per mm; EMU per mm. */
#define TWIPS_MM 56.6929
#define EMU_MM 36000

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

static int attrl(xmlTextWriterPtr w, const char *name, long v)
{
  return xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "%ld", v);
}

/* <name w:val="v"/> */
static int val(xmlTextWriterPtr w, const char *name, const char *v)
{
  W(start(w, name));
  W(attr(w, "w:val", v));
  W(end(w));
  return 0;
}

static int empty(xmlTextWriterPtr w, const char *name)
{
  W(start(w, name));
  W(end(w));
  return 0;
}

static long twips(double mm)
{
  return lround(mm * TWIPS_MM);
}

/* "hicov-body" -> "hicovbody": Word's style ids are plain words. */
static void style_id(const char *name, char *id, size_t size)
{
  size_t k = 0;
  for (const char *p = name; *p && k + 1 < size; p++)
    if (*p != '-')
      id[k++] = *p;
  id[k] = '\0';
}

/* ---- Styles ------------------------------------------------------------- */

static int run_props(xmlTextWriterPtr w, double pt, int bold, int italic,
                     int caps)
{
  W(start(w, "w:rPr"));
  if (bold)
    W(empty(w, "w:b"));
  if (italic)
    W(empty(w, "w:i"));
  if (caps)
    W(empty(w, "w:caps"));
  W(start(w, "w:sz"));
  W(attrl(w, "w:val", lround(pt * 2)));
  W(end(w));
  W(start(w, "w:szCs"));
  W(attrl(w, "w:val", lround(pt * 2)));
  W(end(w));
  W(end(w));
  return 0;
}

static int docx_style(xmlTextWriterPtr w, const DocStyle *s)
{
  char id[64];
  style_id(s->name, id, sizeof id);
  W(start(w, "w:style"));
  W(attr(w, "w:type", "paragraph"));
  W(attr(w, "w:customStyle", "1"));
  W(attr(w, "w:styleId", id));
  W(val(w, "w:name", s->display));
  W(val(w, "w:basedOn", "Normal"));
  W(empty(w, "w:qFormat"));
  W(start(w, "w:pPr"));
  if (s->page_break)
    W(empty(w, "w:pageBreakBefore"));
  if (s->border_top) {
    W(start(w, "w:pBdr"));
    W(start(w, "w:top"));
    W(attr(w, "w:val", "single"));
    W(attr(w, "w:sz", "4"));
    W(attr(w, "w:space", "1"));
    W(attr(w, "w:color", "000000"));
    W(end(w));
    W(end(w));
  }
  if (s->background) {
    W(start(w, "w:shd"));
    W(attr(w, "w:val", "clear"));
    W(attr(w, "w:color", "auto"));
    W(attr(w, "w:fill", s->background + 1));
    W(end(w));
  }
  W(start(w, "w:spacing"));
  /* 3 pt: a rule keeps its distance from the dots under ạ, ệ above it */
  W(attr(w, "w:before", s->border_top ? "60" : "0"));
  W(attrl(w, "w:after", lround(s->after_pt * 20)));
  W(attr(w, "w:line", "276"));
  W(attr(w, "w:lineRule", "auto"));
  W(end(w));
  W(start(w, "w:ind"));
  W(attrl(w, "w:left", twips(s->margin_cm * 10)));
  W(attrl(w, "w:right", twips(s->margin_cm * 10)));
  W(attrl(w, "w:firstLine", twips(s->indent_cm * 10)));
  W(end(w));
  W(val(w, "w:jc", !strcmp(s->align, "justify") ? "both"
                   : !strcmp(s->align, "end") ? "right"
                   : !strcmp(s->align, "start") ? "left" : "center"));
  W(end(w));
  W(run_props(w, s->size, s->bold, s->italic, s->upper));
  W(end(w));
  return 0;
}

static int docx_styles(xmlTextWriterPtr w, const Doc *d)
{
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", "yes"));
  W(start(w, "w:styles"));
  W(attr(w, "xmlns:w", NS_W));
  W(start(w, "w:docDefaults"));
  W(start(w, "w:rPrDefault"));
  W(start(w, "w:rPr"));
  W(start(w, "w:rFonts"));
  W(attr(w, "w:ascii", DOC_FONT));
  W(attr(w, "w:hAnsi", DOC_FONT));
  W(attr(w, "w:cs", DOC_FONT));
  W(attr(w, "w:eastAsia", DOC_FONT));
  W(end(w));
  W(start(w, "w:sz"));
  W(attrl(w, "w:val", DOC_BODY_PT * 2));
  W(end(w));
  W(start(w, "w:lang"));
  W(attr(w, "w:val", d->lang == LANG_VI ? "vi-VN" : "en-GB"));
  W(end(w));
  W(end(w));
  W(end(w));
  W(end(w));
  W(start(w, "w:style"));
  W(attr(w, "w:type", "paragraph"));
  W(attr(w, "w:default", "1"));
  W(attr(w, "w:styleId", "Normal"));
  W(val(w, "w:name", "Normal"));
  W(end(w));
  for (size_t i = 0; i < doc_nstyles; i++)
    W(docx_style(w, &doc_styles[i]));
  W(start(w, "w:style"));
  W(attr(w, "w:type", "table"));
  W(attr(w, "w:styleId", "hicovgrid"));
  W(val(w, "w:name", "hicov grid"));
  W(start(w, "w:tblPr"));
  W(start(w, "w:tblBorders"));
  static const char *const sides[] = { "w:top", "w:left", "w:bottom",
                                       "w:right", "w:insideH", "w:insideV" };
  for (int i = 0; i < 6; i++) {
    W(start(w, sides[i]));
    W(attr(w, "w:val", "single"));
    W(attr(w, "w:sz", "4"));
    W(attr(w, "w:space", "0"));
    W(attr(w, "w:color", "000000"));
    W(end(w));
  }
  W(end(w));
  W(end(w));
  W(end(w));
  W(end(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

/* ---- Document ----------------------------------------------------------- */

static int para(xmlTextWriterPtr w, const char *style, const char *text)
{
  char id[64];
  style_id(style, id, sizeof id);
  W(start(w, "w:p"));
  W(start(w, "w:pPr"));
  W(val(w, "w:pStyle", id));
  W(end(w));
  if (text && *text) {
    W(start(w, "w:r"));
    W(start(w, "w:t"));
    W(attr(w, "xml:space", "preserve"));
    W(xmlTextWriterWriteString(w, BAD_CAST text));
    W(end(w));
    W(end(w));
  }
  W(end(w));
  return 0;
}

/* A table: columns as fractions of the text width; grid lines or none. */
static int table_start(xmlTextWriterPtr w, const double *frac, size_t n,
                       int grid)
{
  W(start(w, "w:tbl"));
  W(start(w, "w:tblPr"));
  if (grid)
    W(val(w, "w:tblStyle", "hicovgrid"));
  W(start(w, "w:tblW"));
  W(attrl(w, "w:w", twips(DOC_TEXT_MM)));
  W(attr(w, "w:type", "dxa"));
  W(end(w));
  W(start(w, "w:tblLayout"));
  W(attr(w, "w:type", "fixed"));
  W(end(w));
  if (!grid) { /* the header and the signature: the columns' full width */
    W(start(w, "w:tblCellMar"));
    static const char *const sides[] = { "w:left", "w:right" };
    for (int i = 0; i < 2; i++) {
      W(start(w, sides[i]));
      W(attr(w, "w:w", "0"));
      W(attr(w, "w:type", "dxa"));
      W(end(w));
    }
    W(end(w));
  }
  W(end(w));
  W(start(w, "w:tblGrid"));
  for (size_t c = 0; c < n; c++) {
    W(start(w, "w:gridCol"));
    W(attrl(w, "w:w", twips(frac[c] * DOC_TEXT_MM)));
    W(end(w));
  }
  W(end(w));
  return 0;
}

static int cell_start(xmlTextWriterPtr w, double frac)
{
  W(start(w, "w:tc"));
  W(start(w, "w:tcPr"));
  W(start(w, "w:tcW"));
  W(attrl(w, "w:w", twips(frac * DOC_TEXT_MM)));
  W(attr(w, "w:type", "dxa"));
  W(end(w));
  W(end(w));
  return 0;
}

static int header(xmlTextWriterPtr w, const Doc *d)
{
  static const double frac[] = { 0.4, 0.6 };
  const ReportIssuer *is = &d->rep->issuer;
  char buf[400];
  W(table_start(w, frac, 2, 0));
  W(start(w, "w:tr"));
  W(cell_start(w, frac[0]));
  W(para(w, "hicov-parent", is->parent_agency ? is->parent_agency
                                              : doc_text(d, "no_parent")));
  W(para(w, "hicov-agency", is->agency ? is->agency
                                       : doc_text(d, "no_agency")));
  W(para(w, "hicov-agency-rule", NULL));
  snprintf(buf, sizeof buf, "%s %s", doc_text(d, "number_label"),
           is->number ? is->number : doc_text(d, "no_number"));
  W(para(w, "hicov-number", buf));
  W(end(w));
  W(cell_start(w, frac[1]));
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

static int signature(xmlTextWriterPtr w, const Doc *d)
{
  static const double frac[] = { 0.5, 0.5 };
  const ReportIssuer *is = &d->rep->issuer;
  char buf[400];
  W(table_start(w, frac, 2, 0));
  W(start(w, "w:tr"));
  W(cell_start(w, frac[0]));
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
  W(cell_start(w, frac[1]));
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

static int table_cell(xmlTextWriterPtr w, double frac, const char *style,
                      const char *text, int bold)
{
  char id[64];
  style_id(style, id, sizeof id);
  W(cell_start(w, frac));
  W(start(w, "w:p"));
  W(start(w, "w:pPr"));
  W(val(w, "w:pStyle", id));
  W(end(w));
  W(start(w, "w:r"));
  if (bold) {
    W(start(w, "w:rPr"));
    W(empty(w, "w:b"));
    W(end(w));
  }
  W(start(w, "w:t"));
  W(attr(w, "xml:space", "preserve"));
  W(xmlTextWriterWriteString(w, BAD_CAST text));
  W(end(w));
  W(end(w));
  W(end(w));
  W(end(w));
  return 0;
}

static int data_table(xmlTextWriterPtr w, const Doc *d, size_t t)
{
  const DocTable *tb = &d->tables[t];
  W(table_start(w, tb->width, tb->ncols, 1));
  W(start(w, "w:tr"));
  W(start(w, "w:trPr"));
  W(empty(w, "w:tblHeader"));
  W(end(w));
  for (size_t c = 0; c < tb->ncols; c++)
    W(table_cell(w, tb->width[c], "hicov-cell-head", tb->head[c], 0));
  W(end(w));
  for (size_t r = 0; r < tb->nrows; r++) {
    W(start(w, "w:tr"));
    for (size_t c = 0; c < tb->ncols; c++)
      W(table_cell(w, tb->width[c], tb->right[c] ? "hicov-cell-num"
                                                 : "hicov-cell",
                   tb->cells[r * tb->ncols + c], tb->bold[r]));
    W(end(w));
  }
  W(end(w));
  return 0;
}

static int extent(xmlTextWriterPtr w, const char *name, long cx, long cy)
{
  W(start(w, name));
  W(attrl(w, "cx", cx));
  W(attrl(w, "cy", cy));
  W(end(w));
  return 0;
}

/* An inline picture, 160 mm wide, relationship rIdFig<f>. */
static int figure(xmlTextWriterPtr w, const Doc *d, size_t f)
{
  const ReportFigure *fig = &d->rep->figures[f];
  long cx = 160L * EMU_MM, cy = lround((double)cx * fig->height / fig->width);
  char rid[32], name[96];
  snprintf(rid, sizeof rid, "rIdFig%zu", f + 1);
  snprintf(name, sizeof name, "%s.png", fig->id);
  W(start(w, "w:p"));
  W(start(w, "w:pPr"));
  W(val(w, "w:pStyle", "hicovfigure"));
  W(end(w));
  W(start(w, "w:r"));
  W(start(w, "w:drawing"));
  W(start(w, "wp:inline"));
  W(extent(w, "wp:extent", cx, cy));
  W(start(w, "wp:docPr"));
  W(attrl(w, "id", (long)f + 1));
  W(attr(w, "name", fig->title));
  W(end(w));
  W(start(w, "a:graphic"));
  W(attr(w, "xmlns:a", NS_A));
  W(start(w, "a:graphicData"));
  W(attr(w, "uri", NS_PIC));
  W(start(w, "pic:pic"));
  W(attr(w, "xmlns:pic", NS_PIC));
  W(start(w, "pic:nvPicPr"));
  W(start(w, "pic:cNvPr"));
  W(attrl(w, "id", (long)f + 1));
  W(attr(w, "name", name));
  W(end(w));
  W(empty(w, "pic:cNvPicPr"));
  W(end(w));
  W(start(w, "pic:blipFill"));
  W(start(w, "a:blip"));
  W(attr(w, "r:embed", rid));
  W(end(w));
  W(start(w, "a:stretch"));
  W(empty(w, "a:fillRect"));
  W(end(w));
  W(end(w));
  W(start(w, "pic:spPr"));
  W(start(w, "a:xfrm"));
  W(extent(w, "a:off", 0, 0));
  W(extent(w, "a:ext", cx, cy));
  W(end(w));
  W(start(w, "a:prstGeom"));
  W(attr(w, "prst", "rect"));
  W(empty(w, "a:avLst"));
  W(end(w));
  W(end(w));
  W(end(w));
  W(end(w));
  W(end(w));
  W(end(w));
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

/* A4, margins, the page number's header from the second page. */
static int section(xmlTextWriterPtr w)
{
  W(start(w, "w:sectPr"));
  W(start(w, "w:headerReference"));
  W(attr(w, "w:type", "default"));
  W(attr(w, "r:id", "rIdHeader"));
  W(end(w));
  W(start(w, "w:pgSz"));
  W(attr(w, "w:w", "11906"));
  W(attr(w, "w:h", "16838"));
  W(end(w));
  W(start(w, "w:pgMar"));
  W(attrl(w, "w:top", twips(DOC_MARGIN_TOP)));
  W(attrl(w, "w:right", twips(DOC_MARGIN_RIGHT)));
  W(attrl(w, "w:bottom", twips(DOC_MARGIN_BOTTOM)));
  W(attrl(w, "w:left", twips(DOC_MARGIN_LEFT)));
  W(attrl(w, "w:header", twips(8)));
  W(attrl(w, "w:footer", twips(10)));
  W(attr(w, "w:gutter", "0"));
  W(end(w));
  W(empty(w, "w:titlePg"));
  W(end(w));
  return 0;
}

static int docx_document(xmlTextWriterPtr w, const Doc *d)
{
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", "yes"));
  W(start(w, "w:document"));
  W(attr(w, "xmlns:w", NS_W));
  W(attr(w, "xmlns:r", NS_R));
  W(attr(w, "xmlns:wp", NS_WP));
  W(start(w, "w:body"));
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
  W(section(w));
  W(end(w));
  W(end(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

static int docx_header(xmlTextWriterPtr w, const Doc *d)
{
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", "yes"));
  W(start(w, "w:hdr"));
  W(attr(w, "xmlns:w", NS_W));
  W(start(w, "w:p"));
  W(start(w, "w:pPr"));
  W(val(w, "w:pStyle", "hicovpagenumber"));
  W(end(w));
  W(start(w, "w:fldSimple"));
  W(attr(w, "w:instr", " PAGE "));
  W(start(w, "w:r"));
  W(xmlTextWriterWriteElement(w, BAD_CAST "w:t", BAD_CAST "2"));
  W(end(w));
  W(end(w));
  W(end(w));
  W(end(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

static int docx_settings(xmlTextWriterPtr w, const Doc *d)
{
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", "yes"));
  W(start(w, "w:settings"));
  W(attr(w, "xmlns:w", NS_W));
  W(val(w, "w:defaultTabStop", "720"));
  W(start(w, "w:compat"));
  W(start(w, "w:compatSetting"));
  W(attr(w, "w:name", "compatibilityMode"));
  W(attr(w, "w:uri", "http://schemas.microsoft.com/office/word"));
  W(attr(w, "w:val", "15"));
  W(end(w));
  W(end(w));
  W(end(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

/* ---- Package parts ------------------------------------------------------ */

static int rel(xmlTextWriterPtr w, const char *id, const char *type,
               const char *target)
{
  W(start(w, "Relationship"));
  W(attr(w, "Id", id));
  W(attr(w, "Type", type));
  W(attr(w, "Target", target));
  W(end(w));
  return 0;
}

static int docx_rels(xmlTextWriterPtr w, const Doc *d)
{
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", "yes"));
  W(start(w, "Relationships"));
  W(attr(w, "xmlns", NS_PKG_REL));
  W(rel(w, "rId1", REL_TYPE "officeDocument", "word/document.xml"));
  W(rel(w, "rId2", "http://schemas.openxmlformats.org/package/2006/"
                   "relationships/metadata/core-properties",
        "docProps/core.xml"));
  W(rel(w, "rId3", REL_TYPE "extended-properties", "docProps/app.xml"));
  W(end(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

static int docx_document_rels(xmlTextWriterPtr w, const Doc *d)
{
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", "yes"));
  W(start(w, "Relationships"));
  W(attr(w, "xmlns", NS_PKG_REL));
  W(rel(w, "rIdStyles", REL_TYPE "styles", "styles.xml"));
  W(rel(w, "rIdSettings", REL_TYPE "settings", "settings.xml"));
  W(rel(w, "rIdHeader", REL_TYPE "header", "header1.xml"));
  for (size_t f = 0; f < d->rep->nfigures; f++) {
    char id[32], target[96];
    snprintf(id, sizeof id, "rIdFig%zu", f + 1);
    snprintf(target, sizeof target, "media/%s.png", d->rep->figures[f].id);
    W(rel(w, id, REL_TYPE "image", target));
  }
  W(end(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

static int override(xmlTextWriterPtr w, const char *part, const char *type)
{
  W(start(w, "Override"));
  W(attr(w, "PartName", part));
  W(attr(w, "ContentType", type));
  W(end(w));
  return 0;
}

static int docx_types(xmlTextWriterPtr w, const Doc *d)
{
  static const char *const defaults[][2] = {
    { "rels", "application/vnd.openxmlformats-package.relationships+xml" },
    { "xml", "application/xml" }, { "png", "image/png" } };
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", "yes"));
  W(start(w, "Types"));
  W(attr(w, "xmlns", "http://schemas.openxmlformats.org/package/2006/"
                     "content-types"));
  for (int i = 0; i < 3; i++) {
    W(start(w, "Default"));
    W(attr(w, "Extension", defaults[i][0]));
    W(attr(w, "ContentType", defaults[i][1]));
    W(end(w));
  }
#define WML "application/vnd.openxmlformats-officedocument.wordprocessingml."
  W(override(w, "/word/document.xml", WML "document.main+xml"));
  W(override(w, "/word/styles.xml", WML "styles+xml"));
  W(override(w, "/word/settings.xml", WML "settings+xml"));
  W(override(w, "/word/header1.xml", WML "header+xml"));
#undef WML
  W(override(w, "/docProps/core.xml",
             "application/vnd.openxmlformats-package.core-properties+xml"));
  W(override(w, "/docProps/app.xml", "application/vnd.openxmlformats-"
                                     "officedocument.extended-properties+xml"));
  W(end(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

static int docx_core(xmlTextWriterPtr w, const Doc *d)
{
  char when[32];
  report_format_time(d->rep->generated, when, sizeof when);
  char *summary = report_summary_title(d->rep, d->lang);
  if (!summary)
    return -1;
  int bad =
      xmlTextWriterStartDocument(w, NULL, "UTF-8", "yes") < 0 ||
      start(w, "cp:coreProperties") < 0 ||
      attr(w, "xmlns:cp", "http://schemas.openxmlformats.org/package/2006/"
                          "metadata/core-properties") < 0 ||
      attr(w, "xmlns:dc", "http://purl.org/dc/elements/1.1/") < 0 ||
      attr(w, "xmlns:dcterms", "http://purl.org/dc/terms/") < 0 ||
      attr(w, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance") < 0 ||
      xmlTextWriterWriteElement(w, BAD_CAST "dc:title", BAD_CAST summary) < 0 ||
      xmlTextWriterWriteElement(w, BAD_CAST "dc:creator",
                                BAD_CAST(d->rep->issuer.agency
                                             ? d->rep->issuer.agency
                                             : "hicov")) < 0 ||
      xmlTextWriterWriteElement(w, BAD_CAST "dc:language",
                                BAD_CAST(d->lang == LANG_VI ? "vi-VN"
                                                            : "en-GB")) < 0 ||
      start(w, "dcterms:created") < 0 ||
      attr(w, "xsi:type", "dcterms:W3CDTF") < 0 ||
      xmlTextWriterWriteString(w, BAD_CAST when) < 0 || end(w) < 0 ||
      start(w, "dcterms:modified") < 0 ||
      attr(w, "xsi:type", "dcterms:W3CDTF") < 0 ||
      xmlTextWriterWriteString(w, BAD_CAST when) < 0 || end(w) < 0 ||
      end(w) < 0 || xmlTextWriterEndDocument(w) < 0;
  hicov_free(summary);
  return bad ? -1 : 0;
}

static int docx_app(xmlTextWriterPtr w, const Doc *d)
{
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", "yes"));
  W(start(w, "Properties"));
  W(attr(w, "xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/"
                     "extended-properties"));
  W(xmlTextWriterWriteElement(w, BAD_CAST "Application", BAD_CAST "hicov"));
  W(end(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

int doc_docx(const Doc *d, char **out, size_t *len)
{
  enum { NXML = 9 };
  static const char *const names[NXML] = {
    "[Content_Types].xml", "_rels/.rels", "word/document.xml",
    "word/_rels/document.xml.rels", "word/styles.xml", "word/settings.xml",
    "word/header1.xml", "docProps/core.xml", "docProps/app.xml" };
  DocPartFn fns[NXML] = { docx_types, docx_rels, docx_document,
                          docx_document_rels, docx_styles, docx_settings,
                          docx_header, docx_core, docx_app };
  xmlBufferPtr bufs[NXML] = { NULL };
  size_t nfig = d->rep->nfigures, nparts = NXML + nfig;
  DocPart *parts = hicov_calloc(nparts, sizeof *parts);
  char (*paths)[96] = hicov_calloc(nfig ? nfig : 1, sizeof *paths);
  int rc = parts && paths ? HICOV_OK : HICOV_NOMEM;
  for (int i = 0; i < NXML && rc == HICOV_OK; i++)
    if (doc_write_part(fns[i], d, &bufs[i]) < 0)
      rc = HICOV_NOMEM;
  if (rc == HICOV_OK) {
    for (int i = 0; i < NXML; i++)
      parts[i] = (DocPart){ names[i], xmlBufferContent(bufs[i]),
                            (size_t)xmlBufferLength(bufs[i]), 0 };
    for (size_t f = 0; f < nfig; f++) {
      snprintf(paths[f], sizeof paths[f], "word/media/%s.png",
               d->rep->figures[f].id);
      parts[NXML + f] = (DocPart){ paths[f], d->rep->figures[f].png,
                                   d->rep->figures[f].len, 1 };
    }
    rc = doc_zip(parts, nparts, d->rep->generated, out, len);
  }
  for (int i = 0; i < NXML; i++)
    if (bufs[i])
      xmlBufferFree(bufs[i]);
  hicov_free(parts);
  hicov_free(paths);
  return rc;
}

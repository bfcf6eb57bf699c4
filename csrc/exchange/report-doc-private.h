/* report-doc-private.h - the report as an administrative document: one
 * model of its body (report-doc.c), written as ODT (report-odt.c) and
 * DOCX (report-docx.c), and the deterministic zip both are packed in.
 * Not API. */
#ifndef HICOV_REPORT_DOC_PRIVATE_H
#define HICOV_REPORT_DOC_PRIVATE_H

#include <libxml/xmlwriter.h>

#include "report-private.h"

/* Page (Nghị định 30/2020/NĐ-CP, Phụ lục I): A4, margins in mm. */
#define DOC_MARGIN_TOP 20
#define DOC_MARGIN_BOTTOM 20
#define DOC_MARGIN_LEFT 30
#define DOC_MARGIN_RIGHT 15
#define DOC_FONT "Times New Roman"
#define DOC_BODY_PT 13
/* Text width in mm: 210 - 30 - 15. */
#define DOC_TEXT_MM 165

typedef enum {
  DOC_HEADING1,    /* "I. KẾT QUẢ ...": bold */
  DOC_HEADING2,    /* "1. ...": bold */
  DOC_BODY,        /* justified, first line indented */
  DOC_STRONG,      /* the same in bold */
  DOC_QUOTE,       /* the same in italics */
  DOC_BULLET,      /* "- ...", indented */
  DOC_PLACEHOLDER, /* the writer's text goes here: italic, highlighted */
  DOC_NOTE,        /* 11 pt, italic */
  DOC_CAPTION,     /* a figure's or table's title: bold, centred */
  DOC_FIGURE,      /* rep->figures[ref] */
  DOC_TABLE,       /* doc->tables[ref] */
  DOC_PAGE_BREAK,
  DOC_APPENDIX     /* the appendix's title: bold, centred, after a break */
} DocKind;

typedef struct {
  int kind;        /* DocKind */
  char *text;
  size_t ref;
} DocBlock;

typedef struct {
  size_t ncols, nrows;
  char **head;     /* ncols */
  int *right;      /* ncols: numbers right-aligned */
  double *width;   /* ncols, fractions of the text width */
  char **cells;    /* nrows x ncols */
  int *bold;       /* nrows */
} DocTable;

typedef struct {
  const HicovReport *rep;
  int lang;
  DocBlock *blocks;
  size_t n, cap;
  DocTable *tables;
  size_t ntables;
  int nomem;
} Doc;

/* A paragraph style of the documents, the same in ODT and DOCX. */
typedef struct {
  const char *name, *display;
  double size;           /* pt */
  int bold, italic, upper;
  const char *align;     /* "justify", "center", "start", "end" */
  double indent_cm;      /* first line */
  double margin_cm;      /* left and right (a short rule) */
  double after_pt;
  const char *border_top;
  int page_break;
  const char *background;
} DocStyle;
extern const DocStyle doc_styles[];
extern const size_t doc_nstyles;

/* report-doc.c */
/* The body of rep's document (results, shortcomings, causes, tasks,
 * recommendations, the appendix); HICOV_NOMEM. */
int doc_build(Doc *d, const HicovReport *rep);
void doc_free(Doc *d);
/* A label in the document's language. */
const char *doc_text(const Doc *d, const char *key);
/* "Lạng Sơn, ngày 07 tháng 12 năm 2026". */
void doc_place_date(const Doc *d, char *buf, size_t size);

/* A part of a zip package. */
typedef struct {
  const char *name;
  const void *data;
  size_t len;
  int store;       /* 1: no compression (an ODF mimetype) */
} DocPart;
/* Packs parts in the order given, each dated `when` (the report's time in
 * Viet Nam, whatever the machine's time zone) and deflated at one level:
 * the same parts make the same bytes.  *out: caller frees with hicov_free. */
int doc_zip(const DocPart *parts, size_t n, int64_t when, char **out,
            size_t *len);

/* An XML part written into a memory buffer by fn(w, d). */
typedef int (*DocPartFn)(xmlTextWriterPtr w, const Doc *d);
/* Runs fn into *buf (caller frees with xmlBufferFree). -1 on failure. */
int doc_write_part(DocPartFn fn, const Doc *d, xmlBufferPtr *buf);

/* report-odt.c, report-docx.c: the package in memory. */
int doc_odt(const Doc *d, char **out, size_t *len);
int doc_docx(const Doc *d, char **out, size_t *len);

#endif

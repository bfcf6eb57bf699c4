/* claims-claims_validate.c - the fields of XML1 we read and the validation of a
 * record: amounts, months, visit types, days, cards and patients, each
 * rejection and tolerated value with a message saying where. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "claims-read-private.h"

/* ------------------------------------------------------------------------ */
/* Fields of XML1 we read                                                    */

const ClaimsFieldName claims_field_names[N_FIELDS] = {
#define FN(s) { s, sizeof s - 1 }
  FN("MA_LK"), FN("MA_BN"), FN("MA_THE_BHYT"), FN("MA_THE"),
  FN("SO_NGAY_DTRI"), FN("T_TONGCHI_BV"), FN("T_TONGCHI"), FN("T_BNCCT"),
  FN("T_BHTT"), FN("NAM_QT"), FN("THANG_QT"), FN("MA_LOAI_KCB"),
  FN("MA_CSKCB"), FN("NGAY_VAO"), FN("NGAY_RA"),
#undef FN
};

signed char claims_field_slot[FIELD_SLOTS];
uint32_t claims_field_mult;

static void init_fields(void)
{
  for (uint32_t m = 0x9e3779b1u;; m += 0x6a09e668u) {
    memset(claims_field_slot, -1, sizeof claims_field_slot);
    int ok = 1;
    for (int f = 0; f < N_FIELDS && ok; f++) {
      unsigned h = field_hash(claims_field_names[f].name,
                              claims_field_names[f].len, m);
      if (claims_field_slot[h] >= 0)
        ok = 0;
      else
        claims_field_slot[h] = (signed char)f;
    }
    if (ok) {
      claims_field_mult = m;
      return;
    }
  }
}

static pthread_once_t fields_once = PTHREAD_ONCE_INIT;

void claims_fields_init(void)
{
  pthread_once(&fields_once, init_fields);
}

/* Text of an input slice for a message: printable ASCII kept, others as
 * \xNN, at most 40 bytes. */
const char *claims_quote_val(const char *s, size_t n, char *buf, size_t size)
{
  size_t o = 0;
  for (size_t i = 0; i < n && o + 6 < size; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (i >= 40) {
      memcpy(buf + o, "...", 3);
      o += 3;
      break;
    }
    if (ch >= 0x20 && ch < 0x7f && ch != '\'') {
      buf[o++] = (char)ch;
    } else if (ch >= 0x80) {
      buf[o++] = (char)ch; /* UTF-8 was validated for XML; CSV may not be */
    } else {
      o += (size_t)snprintf(buf + o, size - o, "\\x%02X", ch);
    }
  }
  buf[o] = 0;
  return buf;
}

/* ------------------------------------------------------------------------ */
/* Values                                                                    */

/* Amounts have at most this many digits before the decimal point: in
 * centi, 10^18 fits in 64 bits. */
#define MONEY_DIGITS 16

/* Parses an amount into centi. 0 ok; 1 empty; 2 malformed; 3 a number
 * with more than MONEY_DIGITS digits before the point. */
static int parse_money(const char *s, size_t n, int64_t *out, uint32_t *flags)
{
  /* The exports' own shape, "235900.00": digits, a point, two digits.
   * Read here with one test a byte; what the loop below would make of it
   * is the same (no space, sign, comma or third decimal to look at). */
  if (n >= 4 && n <= MONEY_DIGITS + 3 && s[n - 3] == '.') {
    uint64_t v = 0;
    unsigned bad = 0;
    for (size_t i = 0; i < n - 3; i++) {
      unsigned d = (unsigned)(unsigned char)s[i] - '0';
      bad |= d > 9;
      v = v * 10 + d;
    }
    unsigned d1 = (unsigned)(unsigned char)s[n - 2] - '0',
             d2 = (unsigned)(unsigned char)s[n - 1] - '0';
    if (!bad && d1 <= 9 && d2 <= 9) {
      *out = (int64_t)(v * 100 + d1 * 10 + d2);
      return 0;
    }
  }
  trim(&s, &n);
  if (!n)
    return 1;
  if (n == 3 && !strncasecmp(s, "NaN", 3)) {
    *out = 0;
    *flags |= 1u << HICOV_CLAIMS_FLAG_AMOUNT_NAN;
    return 0;
  }
  size_t i = 0;
  int neg = 0;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i++;
  }
  int64_t v = 0;
  size_t digits = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') {
    if (++digits > MONEY_DIGITS) {
      /* too large, if the rest is a number too */
      while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
      if (i < n && (s[i] == '.' || s[i] == ','))
        i++;
      while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
      return i == n ? 3 : 2;
    }
    v = v * 10 + (s[i] - '0');
    i++;
  }
  int64_t frac = 0;
  if (i < n && (s[i] == '.' || s[i] == ',')) {
    if (s[i] == ',')
      *flags |= 1u << HICOV_CLAIMS_FLAG_AMOUNT_COMMA;
    i++;
    size_t fd = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
      if (fd < 2)
        frac = frac * 10 + (s[i] - '0');
      else if (s[i] != '0')
        return 2; /* a fraction of a hundredth: not an amount in đồng */
      fd++;
      digits++;
      i++;
    }
    if (fd == 1)
      frac *= 10;
  } else {
    frac = 0;
  }
  if (i != n || !digits)
    return 2;
  v = v * 100 + frac;
  *out = neg ? -v : v;
  return 0;
}

/* Non-negative integer in [lo, hi]: 0 ok, 1 empty, 2 malformed. */
static int parse_int(const char *s, size_t n, long lo, long hi, long *out)
{
  trim(&s, &n);
  if (!n)
    return 1;
  if (n > 9)
    return 2;
  long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return 2;
    v = v * 10 + (s[i] - '0');
  }
  if (v < lo || v > hi)
    return 2;
  *out = v;
  return 0;
}

int claims_parse_int(const char *s, size_t n, long lo, long hi, long *out)
{
  return parse_int(s, n, lo, hi, out);
}

static long days_from_civil(long y, long m, long d)
{
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe;
}

/* yyyyMMdd[HHmm] -> day number; 0 on failure. */
static int parse_day(const char *s, size_t n, long *day)
{
  trim(&s, &n);
  if (n != 8 && n != 12)
    return 0;
  long y, m, d;
  if (parse_int(s, 4, 1900, 2200, &y) || parse_int(s + 4, 2, 1, 12, &m) ||
      parse_int(s + 6, 2, 1, 31, &d))
    return 0;
  *day = days_from_civil(y, m, d);
  return 1;
}

/* "file, byte 1234" or "file, HOSO 12": where a record is. */
static void where_text(const char *lang, const Where *w, char *buf,
                       size_t size)
{
  if (w->unit == WHERE_HOSO)
    hicov_fmt(buf, size, T_(lang, "%s, HOSO %lld"), w->file, (long long)w->pos);
  else
    hicov_fmt(buf, size, T_(lang, "%s, byte %lld"), w->file, (long long)w->pos);
}

int claims_reject(Part *pt, const Where *w, int reason, const char *ma_lk,
                  const char *field, const char *fmt, ...)
{
  HicovClaims *c = pt->c;
  c->counts.rejected++;
  c->counts.rejected_by[reason]++;
  if (c->n_msgs >= c->max_msgs)
    return HICOV_OK;
  char what[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  char at[300], rec[CLAIMS_LK_MAX + 64], fld[96];
  where_text(c->lang, w, at, sizeof at);
  rec[0] = fld[0] = 0;
  if (ma_lk && ma_lk[0])
    hicov_fmt(rec, sizeof rec, T_(c->lang, ", record %s"), ma_lk);
  if (field && field[0])
    hicov_fmt(fld, sizeof fld, T_(c->lang, ", field %s"), field);
  return claims_message(c, HICOV_CLAIMS_MSG_REJECT, reason, w->file, ma_lk,
                        field, "%s%s%s: %s", at, rec, fld, what);
}

static void flag_msg(Part *pt, const Where *w, int flag, const char *ma_lk,
                     const char *field, const char *what)
{
  HicovClaims *c = pt->c;
  if (c->n_msgs >= c->max_msgs)
    return;
  char at[300];
  where_text(c->lang, w, at, sizeof at);
  claims_message(c, HICOV_CLAIMS_MSG_FLAG, flag, w->file, ma_lk, field,
                 T_(c->lang, "%s, record %s, field %s: %s"), at, ma_lk, field,
                 what);
}

/* 8 bytes that are all ASCII digits: each byte b has b - '0' < 10, i.e.
 * neither b < 0x30 (b - 0x30 borrows into bit 7) nor b > 0x39 (b + 0x46
 * carries into bit 7); bytes are < 0x80 first. */
static inline int swar_digits8(uint64_t w)
{
  return !((w | (w - 0x3030303030303030ULL) |
            (w + 0x4646464646464646ULL)) & 0x8080808080808080ULL);
}

/* The value of 8 ASCII digits (first byte most significant; little
 * endian): pairs, then fours, then the eight, in three multiplies. */
static inline uint64_t swar_value8(uint64_t w)
{
  w -= 0x3030303030303030ULL;
  w = (w * 10 + (w >> 8)) & 0x00FF00FF00FF00FFULL;
  w = (w * 100 + (w >> 16)) & 0x0000FFFF0000FFFFULL;
  return (w * 10000 + (w >> 32)) & 0xFFFFFFFFULL;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CARD_SWAR 1
#endif

/* A 15-character card (GG L PP NNNNNNNNNN, the 12 last digits) and its
 * 10-digit social-insurance number, the patient, in *si. */
static int card_ok(const char *s, size_t n, uint64_t *si)
{
  if (n != 15)
    return 0;
  if (s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' || s[2] < '1' ||
      s[2] > '5')
    return 0;
#ifdef CARD_SWAR
  /* s[3..10] and s[7..14], both inside the 15 bytes */
  uint64_t a, b;
  memcpy(&a, s + 3, 8);
  memcpy(&b, s + 7, 8);
  if (!swar_digits8(a) || !swar_digits8(b))
    return 0;
  /* s[5..6] then s[7..14] */
  unsigned hi = (unsigned)(s[5] - '0') * 10u + (unsigned)(s[6] - '0');
  *si = (uint64_t)hi * 100000000ULL + swar_value8(b);
#else
  for (int i = 3; i < 15; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  uint64_t v = 0;
  for (int i = 5; i < 15; i++)
    v = v * 10 + (uint64_t)(s[i] - '0');
  *si = v;
#endif
  return 1;
}

static uint64_t digits_u64(const char *s, size_t n)
{
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++)
    v = v * 10 + (uint64_t)(s[i] - '0');
  return v;
}

static int all_digits(const char *s, size_t n)
{
  if (!n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

/* The steps of claims_validate: each returns 1 when the record may go on,
 * else what claims_validate returns (0 rejected, or a negative status). */
#define REJ(reason, field, ...) do { int rc_ = claims_reject(pt, w, reason, \
    out->ma_lk, field, __VA_ARGS__); return rc_ ? -rc_ : 0; } while (0)
/* the language of the part's messages */
#define LANG (pt->c->lang)

/* MA_LK first: every later message names it; then the record's shape. */
static int check_key(Part *pt, const RawRec *r, const Where *w, ClaimsRec *out)
{
  char q[96];
  const char *s = r->v[F_MA_LK];
  size_t n = r->len[F_MA_LK];
  trim(&s, &n);
  if (!n)
    REJ(HICOV_CLAIMS_REJECT_MISSING, "MA_LK", "%s", r->present[F_MA_LK]
        ? T_(LANG, "expected the episode key, found an empty field")
        : T_(LANG, "expected the episode key, found no MA_LK field"));
  if (n > CLAIMS_LK_MAX)
    REJ(HICOV_CLAIMS_REJECT_MALFORMED, "MA_LK", T_(LANG, "expected at most %d "
        "bytes, found %zu"), CLAIMS_LK_MAX, n);
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20) {
      REJ(HICOV_CLAIMS_REJECT_MALFORMED, "MA_LK", T_(LANG, "control character "
          "in the key '%s'"), claims_quote_val(s, n, q, sizeof q));
    }
  memcpy(out->ma_lk, s, n);
  out->ma_lk[n] = 0;
  if (r->overflow)
    REJ(HICOV_CLAIMS_REJECT_MALFORMED, "", T_(LANG, "the record's fields hold "
        "more than %d bytes of text"), ARENA_SIZE);
  for (int f = 0; r->odd && f < N_FIELDS; f++) {
    if (r->twice[f])
      REJ(HICOV_CLAIMS_REJECT_MALFORMED, claims_field_names[f].name,
          "%s", T_(LANG, "the field appears twice in the record"));
    if (r->nested[f])
      REJ(HICOV_CLAIMS_REJECT_MALFORMED, claims_field_names[f].name,
          "%s", T_(LANG, "expected text, found child elements"));
  }
  return 1;
}

/* QĐ 4210 or QĐ 130 field names (out->era), not both. */
static int check_era(Part *pt, const RawRec *r, const Where *w, ClaimsRec *out)
{
  int has130 = r->present[F_MA_THE_BHYT] || r->present[F_T_TONGCHI_BV];
  int has4210 = r->present[F_MA_THE] || r->present[F_T_TONGCHI];
  if (has130 && has4210)
    REJ(HICOV_CLAIMS_REJECT_MALFORMED, has130 && r->present[F_T_TONGCHI]
        ? "T_TONGCHI" : "MA_THE", "%s", T_(LANG, "the record mixes QĐ 4210 "
        "field names (MA_THE, T_TONGCHI) with QĐ 130 ones (MA_THE_BHYT, "
        "T_TONGCHI_BV)"));
  if (!has130 && !has4210)
    REJ(HICOV_CLAIMS_REJECT_MISSING, "T_TONGCHI_BV", "%s", T_(LANG, "expected "
        "the total cost (T_TONGCHI_BV, or T_TONGCHI in QĐ 4210 files), found "
        "neither"));
  out->era = has130 ? 2 : 1;
  return 1;
}

/* MA_CSKCB, or the envelope's MACSKCB when the record has none. */
static int check_facility(Part *pt, const RawRec *r, const Where *w,
                          ClaimsRec *out)
{
  char q[96];
  const char *s = r->v[F_MA_CSKCB];
  size_t n = r->len[F_MA_CSKCB];
  trim(&s, &n);
  if (!n && pt->env_fac[0]) {
    s = pt->env_fac;
    n = strlen(s);
    out->flags |= 1u << HICOV_CLAIMS_FLAG_FACILITY_ENVELOPE;
  }
  if (!n)
    REJ(HICOV_CLAIMS_REJECT_MISSING, "MA_CSKCB", "%s", r->present[F_MA_CSKCB]
        ? T_(LANG, "expected the facility code, found an empty field")
        : T_(LANG, "expected the facility code, found no field"));
  if (n > CLAIMS_FAC_MAX)
    REJ(HICOV_CLAIMS_REJECT_MALFORMED, "MA_CSKCB", T_(LANG, "expected a "
        "facility code of at most %d characters, found '%s'"), CLAIMS_FAC_MAX,
        claims_quote_val(s, n, q, sizeof q));
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') ||
          (ch >= 'a' && ch <= 'z') || ch == '_' || ch == '-' || ch == '.'))
      REJ(HICOV_CLAIMS_REJECT_MALFORMED, "MA_CSKCB", T_(LANG, "expected "
          "letters and digits, found '%s'"),
          claims_quote_val(s, n, q, sizeof q));
  }
  memcpy(out->fac, s, n);
  out->fac[n] = 0;
  return 1;
}

/* The settlement month (NAM_QT, THANG_QT) and the visit type. */
static int check_month_type(Part *pt, const RawRec *r, const Where *w,
                            ClaimsRec *out)
{
  char q[96];
  long year, month, type;
  int pr = parse_int(r->v[F_NAM_QT], r->len[F_NAM_QT], 1900, 2200, &year);
  if (pr)
    REJ(pr == 1 ? HICOV_CLAIMS_REJECT_MISSING : HICOV_CLAIMS_REJECT_MALFORMED,
        "NAM_QT", T_(LANG, "expected the settlement year (1900-2200), found "
        "'%s'"),
        claims_quote_val(r->v[F_NAM_QT], r->len[F_NAM_QT], q, sizeof q));
  pr = parse_int(r->v[F_THANG_QT], r->len[F_THANG_QT], 1, 12, &month);
  if (pr)
    REJ(pr == 1 ? HICOV_CLAIMS_REJECT_MISSING : HICOV_CLAIMS_REJECT_MALFORMED,
        "THANG_QT", T_(LANG, "expected the settlement month (1-12), found "
        "'%s'"),
        claims_quote_val(r->v[F_THANG_QT], r->len[F_THANG_QT], q, sizeof q));
  out->month = (int32_t)(year * 12 + month - 1);
  pr = parse_int(r->v[F_MA_LOAI_KCB], r->len[F_MA_LOAI_KCB], 1, CLAIMS_MAX_TYPE,
                 &type);
  if (!pr) {
    const char *t = r->v[F_MA_LOAI_KCB];
    size_t tn = r->len[F_MA_LOAI_KCB];
    trim(&t, &tn);
    if (tn > 2)
      pr = 2;
  }
  if (pr)
    REJ(pr == 1 ? HICOV_CLAIMS_REJECT_MISSING : HICOV_CLAIMS_REJECT_MALFORMED,
        "MA_LOAI_KCB", T_(LANG, "expected a visit type 01-16, found '%s'"),
        claims_quote_val(r->v[F_MA_LOAI_KCB], r->len[F_MA_LOAI_KCB], q,
                         sizeof q));
  out->type = (uint8_t)type;
  out->inpatient = (uint8_t)claims_type_inpatient((unsigned)type);
  return 1;
}

/* Total cost, fund paid and co-payment: exact, not negative; a "NaN" or a
 * comma decimal is read and flagged. */
static int check_money(Part *pt, const RawRec *r, const Where *w,
                       ClaimsRec *out)
{
  static const char *const money_names[2][3] = {
    { "T_TONGCHI", "T_BHTT", "T_BNCCT" },
    { "T_TONGCHI_BV", "T_BHTT", "T_BNCCT" },
  };
  char q[96];
  int mf[3] = { out->era == 2 ? F_T_TONGCHI_BV : F_T_TONGCHI, F_T_BHTT,
                F_T_BNCCT };
  int64_t *mv[3] = { &out->total, &out->fund, &out->copay };
  for (int k = 0; k < 3; k++) {
    uint32_t before = out->flags;
    int pr = parse_money(r->v[mf[k]], r->len[mf[k]], mv[k], &out->flags);
    const char *fname = money_names[out->era - 1][k];
    if (pr == 3)
      REJ(HICOV_CLAIMS_REJECT_MALFORMED, fname, T_(LANG, "the amount '%s' is "
          "too large: amounts are read up to 9999999999999999.99 đồng (%d "
          "digits before the decimal point, so that sums stay within 64 "
          "bits)"),
          claims_quote_val(r->v[mf[k]], r->len[mf[k]], q, sizeof q),
          MONEY_DIGITS);
    if (pr)
      REJ(pr == 1 ? HICOV_CLAIMS_REJECT_MISSING : HICOV_CLAIMS_REJECT_MALFORMED,
          fname, T_(LANG, "expected an amount in đồng such as 145940.00, "
          "found '%s'"),
          claims_quote_val(r->v[mf[k]], r->len[mf[k]], q, sizeof q));
    /* Claims carry no refunds: a negative amount is an error in the file,
     * and a negative flow would make the province's totals unloadable. */
    if (*mv[k] < 0)
      REJ(HICOV_CLAIMS_REJECT_MALFORMED, fname, T_(LANG, "expected an amount "
          "of zero or more đồng, found '%s'"),
          claims_quote_val(r->v[mf[k]], r->len[mf[k]], q, sizeof q));
    if (out->flags != before) {
      char what[200];
      hicov_fmt(what, sizeof what, T_(LANG, "'%s' read as %lld.%02lld"),
                claims_quote_val(r->v[mf[k]], r->len[mf[k]], q, sizeof q),
                (long long)(*mv[k] / 100), (long long)llabs(*mv[k] % 100));
      flag_msg(pt, w, (out->flags & ~before) & (1u << HICOV_CLAIMS_FLAG_AMOUNT_NAN)
               ? HICOV_CLAIMS_FLAG_AMOUNT_NAN : HICOV_CLAIMS_FLAG_AMOUNT_COMMA,
               out->ma_lk, fname, what);
    }
  }
  return 1;
}

/* Inpatient days (rule §5): SO_NGAY_DTRI, else counted from NGAY_VAO and
 * NGAY_RA (flagged); none for other visit types. */
static int check_days(Part *pt, const RawRec *r, const Where *w,
                      ClaimsRec *out)
{
  if (!out->inpatient)
    return 1;
  char q[96];
  long days;
  int pr = parse_int(r->v[F_SO_NGAY_DTRI], r->len[F_SO_NGAY_DTRI], 0, 9999,
                     &days);
  if (pr == 2)
    REJ(HICOV_CLAIMS_REJECT_MALFORMED, "SO_NGAY_DTRI", T_(LANG, "expected a "
        "number of days from 0 to 9999, found '%s'"),
        claims_quote_val(r->v[F_SO_NGAY_DTRI], r->len[F_SO_NGAY_DTRI], q,
                         sizeof q));
  if (pr == 1) {
    long d0, d1;
    if (out->type == 9) {
      days = 0;
    } else if (parse_day(r->v[F_NGAY_VAO], r->len[F_NGAY_VAO], &d0) &&
               parse_day(r->v[F_NGAY_RA], r->len[F_NGAY_RA], &d1) && d1 >= d0) {
      days = d1 - d0 + 1;
    } else {
      REJ(HICOV_CLAIMS_REJECT_MISSING, "SO_NGAY_DTRI", "%s", T_(LANG,
          "expected treatment days for an inpatient visit, found none (nor "
          "NGAY_VAO/NGAY_RA to count them from)"));
    }
    out->flags |= 1u << HICOV_CLAIMS_FLAG_DAYS_COMPUTED;
    char what[160];
    hicov_fmt(what, sizeof what, T_(LANG, "absent; %ld days counted from "
              "NGAY_VAO and NGAY_RA"), days);
    flag_msg(pt, w, HICOV_CLAIMS_FLAG_DAYS_COMPUTED, out->ma_lk,
             "SO_NGAY_DTRI", what);
  }
  out->days = days;
  return 1;
}

#undef REJ
#undef LANG

/* The card (MA_THE_BHYT, or MA_THE in QĐ 4210): its group and the
 * patient's number; a card that is not one is tolerated and flagged. */
static void read_card(Part *pt, const RawRec *r, const Where *w,
                      ClaimsRec *out)
{
  char q[96];
  int f_card = out->era == 2 ? F_MA_THE_BHYT : F_MA_THE;
  const char *card = r->v[f_card];
  size_t cn = r->len[f_card];
  trim(&card, &cn);
  const char *semi = cn ? memchr(card, ';', cn) : NULL; /* card is NULL if absent */
  const char *fcard = claims_field_names[f_card].name;
  if (semi) {
    out->flags |= 1u << HICOV_CLAIMS_FLAG_CARD_MULTIPLE;
    cn = (size_t)(semi - card);
    trim(&card, &cn);
  }
  out->group = CLAIMS_GROUP_UNKNOWN;
  out->patient = 0;
  uint64_t si;
  if (card_ok(card, cn, &si)) {
    out->group = (uint16_t)((card[0] - 'A') * 26 + (card[1] - 'A'));
    out->patient = si + 1; /* +1: 0 means "no number" */
  } else if (cn == 10 && all_digits(card, cn)) {
    out->patient = digits_u64(card, 10) + 1;
    out->flags |= 1u << HICOV_CLAIMS_FLAG_CARD_SI_ONLY;
    flag_msg(pt, w, HICOV_CLAIMS_FLAG_CARD_SI_ONLY, out->ma_lk, fcard,
             T_(pt->c->lang, "only the 10-digit social-insurance number: "
             "group counted as UNK"));
  } else {
    int flag = cn ? HICOV_CLAIMS_FLAG_CARD_MALFORMED : HICOV_CLAIMS_FLAG_CARD_MISSING;
    out->flags |= 1u << flag;
    if (cn >= 2 && card[0] >= 'A' && card[0] <= 'Z' && card[1] >= 'A' &&
        card[1] <= 'Z')
      out->group = (uint16_t)((card[0] - 'A') * 26 + (card[1] - 'A'));
    char what[320];
    if (cn && out->group == CLAIMS_GROUP_UNKNOWN)
      hicov_fmt(what, sizeof what, T_(pt->c->lang, "expected a 15-character "
                "card number (GG L PP NNNNNNNNNN), found '%s' (%zu "
                "characters): group UNK, patient counted by MA_BN"),
                claims_quote_val(card, cn, q, sizeof q), cn);
    else if (cn)
      hicov_fmt(what, sizeof what, T_(pt->c->lang, "expected a 15-character "
                "card number (GG L PP NNNNNNNNNN), found '%s' (%zu "
                "characters): group from its first letters, patient counted "
                "by MA_BN"), claims_quote_val(card, cn, q, sizeof q), cn);
    else
      hicov_fmt(what, sizeof what, "%s", T_(pt->c->lang, "no card number: "
                "group UNK, patient counted by MA_BN"));
    flag_msg(pt, w, flag, out->ma_lk, fcard, what);
  }
}

/* Without a card number, the patient is MA_BN at the facility; without
 * MA_BN either, the visit is its own patient. */
static void patient_key(const RawRec *r, ClaimsRec *out)
{
  const char *bn = r->v[F_MA_BN];
  size_t bl = r->len[F_MA_BN];
  trim(&bn, &bl);
  if (bl > CLAIMS_BN_MAX)
    bl = CLAIMS_BN_MAX;
  if (bl) {
    memcpy(out->pkey, bn, bl);
    out->pkey[bl] = 0x1f;
    memcpy(out->pkey + bl + 1, out->fac, strlen(out->fac) + 1);
  } else {
    /* no way to tell patients apart: the visit is its own patient */
    out->flags |= 1u << HICOV_CLAIMS_FLAG_NO_PATIENT;
    hicov_fmt(out->pkey, sizeof out->pkey, "\x1e%s\x1f%.*s", out->fac,
              (int)(sizeof out->pkey - CLAIMS_FAC_MAX - 4), out->ma_lk);
  }
}

/* The duplicate key: a hash of facility, NUL, MA_LK (claims_hash_bytes:
 * the keys of states saved before stay the same).  Copies of fixed size,
 * whatever follows each text's end, then zeros past the key's. */
static uint64_t dedup_key(const ClaimsRec *out)
{
  size_t fl = strlen(out->fac), n = fl + 1 + strlen(out->ma_lk);
  char key[sizeof out->fac + sizeof out->ma_lk + 8];
  memcpy(key, out->fac, sizeof out->fac);     /* zero-padded: key[fl] = 0 */
  memcpy(key + fl + 1, out->ma_lk, sizeof out->ma_lk);
  memset(key + n, 0, 8);
  return claims_hash_zpad(key, n, 0x5eed);
}

/* Validates a raw record.  Returns 1 with *out filled when accepted, 0 when
 * rejected (counted, message kept), or a negative status on failure. */
int claims_validate(Part *pt, RawRec *r, const Where *w, ClaimsRec *out)
{
  int v;
  /* Not the whole record (its 304 bytes, most of them room for long keys,
     were cleared for every row): the numbers, the facility's 16 bytes
     (compared as two words) and the other texts' first bytes. */
  memset(out, 0, offsetof(ClaimsRec, ma_lk));
  out->ma_lk[0] = 0;
  out->pkey[0] = 0;
  if ((v = check_key(pt, r, w, out)) != 1 ||
      (v = check_era(pt, r, w, out)) != 1 ||
      (v = check_facility(pt, r, w, out)) != 1 ||
      (v = check_month_type(pt, r, w, out)) != 1 ||
      (v = check_money(pt, r, w, out)) != 1 ||
      (v = check_days(pt, r, w, out)) != 1)
    return v;
  read_card(pt, r, w, out);
  if (!out->patient)
    patient_key(r, out);
  out->dedup = dedup_key(out);
  return 1;
}

/* The order of names (csrc/core/collate.c) against ICU's "vi" collator
 * with numeric collation on, the oracle: the demo's unit names, the names
 * of the published figures, crafted strings for every letter, tone, mark,
 * case, number form and punctuation character hicov knows, and a few
 * thousand random names of Vietnamese syllables (seed printed; set
 * HICOV_TEST_SEED to replay).  hicov's order is total (strcmp breaks ties),
 * ICU's is not: where ICU says equal, hicov's first three levels must be
 * equal too, and the other way round.  Then the rules by hand, the key
 * API, and timings of sorting 10,000 names. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/ucol.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uchar.h>

#include "hicov-core.h"
#include "testutil.h"

/* ---- the list of names ---- */

static char **names;
static size_t n_names, cap_names;

static void add(const char *s)
{
  if (n_names == cap_names) {
    cap_names = cap_names ? 2 * cap_names : 1024;
    names = realloc(names, cap_names * sizeof *names);
    if (!names)
      abort();
  }
  names[n_names++] = strdup(s);
}

static const UNormalizer2 *nfc, *nfd;

/* UTF-16 -> UTF-8, into a static buffer. */
static const char *utf8(const UChar *u, int32_t len)
{
  static char out[1024];
  UErrorCode e = U_ZERO_ERROR;
  u_strToUTF8(out, sizeof out, NULL, u, len, &e);
  if (U_FAILURE(e))
    abort();
  return out;
}

/* s, plus its NFC and NFD forms when they differ. */
static void add_forms(const char *s)
{
  UChar u[1024], v[2048];
  int32_t len;
  UErrorCode e = U_ZERO_ERROR;
  add(s);
  u_strFromUTF8(u, 1024, &len, s, -1, &e);
  if (U_FAILURE(e))
    abort();
  for (int k = 0; k < 2; k++) {
    e = U_ZERO_ERROR;
    int32_t n = unorm2_normalize(k ? nfd : nfc, u, len, v, 2048, &e);
    if (U_FAILURE(e))
      abort();
    const char *t = utf8(v, n);
    if (strcmp(t, s))
      add(t);
  }
}

static void add_cp(const char *before, uint32_t cp, const char *after)
{
  char buf[4200];
  UChar u[2];
  int32_t len = 0;
  U16_APPEND_UNSAFE(u, len, cp);
  snprintf(buf, sizeof buf, "%s%s%s", before, utf8(u, len), after);
  add_forms(buf);
}

/* The names the published figures speak of, copied here from the reference
 * notes (the tests read nothing outside the checkout): Lang Son, Quang Ninh, Hoa Binh, Phu Tho, Luong Son, Na Sam, Viet Nam,
 * with and without their diacritics. */
static const char *const published[] = {
  "Lạng Sơn", "Lang Son", "Quảng Ninh", "Quang Ninh", "Hòa Bình", "Hoà Bình",
  "Hoa Binh", "Phú Thọ", "Phu Tho", "Lương Sơn", "Luong Son",
  "Huyện Lương Sơn", "Trung tâm Y tế huyện Lương Sơn", "Na Sầm", "Na Sam",
  "Xã Na Sầm", "Việt Nam", "Viet Nam", "Tỉnh Lạng Sơn", "Tỉnh Quảng Ninh",
  "Tỉnh Hòa Bình", "Tỉnh Phú Thọ",
};

/* Names a reader would try first: the examples and the prefixes
 * of administrative units. */
static const char *const crafted[] = {
  "Bắc Sơn", "Bình Gia", "Đình Lập", "Dương", "Duy Tiên", "Dĩ An", "Đà Nẵng",
  "Đắk Lắk", "Đồng Tháp", "Ea Súp", "Ê Đê", "Hòa", "Hoà", "Hoàng", "Hòa Bình",
  "Hòa An", "Hoa", "hoa", "HOA", "hOa", "Hóa", "Hỏa", "Hõa", "Họa", "Hoá",
  "Hoả", "Hoã", "Hoạ", "Phường 2", "Phường 10", "Phường 1", "Phường 02",
  "Phường 20", "Phường 100", "Phường Đông Kinh", "Phường Tân Thanh",
  "Xã 2", "Xã 10", "Xã 02", "Xã 002", "Xã 1", "Xã 01", "Xã 0", "Xã 00",
  "Xã A", "Xã a", "Xã Ă", "Xã Â", "Huyện Bắc Sơn", "Huyện Cao Lộc",
  "Huyện Đình Lập", "Thị xã Sơn Tây", "Thị xã", "Thị trấn", "Thành phố",
  "Thành phố Lạng Sơn", "Thành phố Hồ Chí Minh", "Thành Phố", "TT. Đồng Mỏ",
  "TT. Na Sầm", "TT Na Sầm", "TT.Na Sầm", "Thị trấn Na Sầm", "Quận 1",
  "Quận 3", "Quận 10", "Quận 12", "Quận Ba Đình", "Ấp 3", "Ấp 3A", "Ấp 3B",
  "Khu phố 5", "Tổ 12", "Tổ 2", "Bệnh viện Đa khoa tỉnh",
  "Trạm Y tế xã Tân Lập", "Trạm y tế xã Tân Lập", "Trung tâm Y tế",
  "Cù Lao Dung", "Chợ Mới", "Chợ Gạo", "Cư M'gar", "Krông Bông",
  "Đăk Glong", "Ia Grai", "Kbang", "Ngọc Hồi", "Nghĩa Lộ", "Nhơn Trạch",
  "Gia Nghĩa", "Giồng Riềng", "Gò Vấp", "Ghềnh Ráng", "Quy Nhơn", "Qui Nhơn",
  "Ứng Hòa", "Ưng Hòa", "Uông Bí", "Ương", "Ơn", "Ôn", "On", "Ăn", "Ân",
  "An", "Anh", "Ânh", "Thủy", "Thuỷ", "Thụy", "Thùy", "Thuý", "Thúy",
  "Mường Tè", "Mường Nhé", "Mù Cang Chải", "Mỹ Tho", "Mĩ Tho", "Mỹ Hào",
  "Lộc Bình", "Lộc Ninh", "Lộc Hà", "Lục Nam", "Lục Ngạn", "Lục Yên",
  "Yên Bái", "Yên Châu", "Vân Đồn", "Văn Lãng", "Văn Quan", "Van", "Vạn",
  "Xuân Lộc", "Xuân Trường", "Đoan Hùng", "Đoàn", "Doãn", "Đồn",
  "Sơn La", "Sơn Động", "Sơn", "Son", "Sờn", "Sởn", "Sỡn", "Sớn", "Sợn",
  "Thái Nguyên", "Thái Bình", "Tây Ninh", "Tây Ninh ", " Tây Ninh",
  "Tây  Ninh", "Tây-Ninh", "Tây_Ninh", "Tây,Ninh", "Tây.Ninh", "Tây(Ninh)",
  "Tây/Ninh", "Tây'Ninh", "Tây\tNinh", "Tây\xc2\xa0Ninh", "Tây–Ninh",
  "Tây—Ninh", "Tây’Ninh", "Tây“Ninh”", "Tây«Ninh»", "Tây·Ninh", "Tây×Ninh",
  "a\x01" "b", "a\x7f" "b", "a\xc2\x80" "b", "a\xc2\x85" "b", "ab", "a b",
  "", " ", "0", "00", "000", "1", "01", "001", "9", "10", "09", "99", "100",
  "a1b", "a01b", "a1", "a01", "a1a", "a10", "a2", "a 1", "a 10", "1a", "10a",
  "1 a", "1.5", "1,5", "1-5", "12", "1\xcc\x81" "2", "1\xcc\x81",
  "\xcc\x81" "a", "\xcc\x80", "\xcc\x81", " \xcc\x81", "a\xcc\x81", "\xcc\x81 ",
  "a\xcd\x8f\xcc\x82", "a\xcc\x82", "a\xcd\x8f" "b",
  "o\xcc\x9b\xcc\x82", "o\xcc\x82\xcc\x9b", "a\xcc\x81\xcc\x82",
  "a\xcc\x82\xcc\x81", "a\xcc\xa3\xcc\x86", "a\xcc\x86\xcc\xa3",
  "e\xcc\xa3\xcc\x82", "u\xcc\xa3\xcc\x9b", "\xc3\xb4\xcc\x9b",
  "\xc6\xa1\xcc\x82", "a\xcc\x86\xcc\x82", "a\xcc\x82\xcc\x86",
  "A\xcc\x82\xcc\x81", "\xe1\xba\xa1\xcc\x82", "\xe1\xba\xa1\xcc\x86",
  "o\xcc\x88\xcc\x9b", "u\xcc\x9b\xcc\x9b", "u\xcc\x9b\xcc\x9b" "a",
  "b\xcd\x84", "b\xcc\x88\xcc\x81", "b\xcc\x88\xcc\x88",
};

/* The letters of the alphabet (with f j w z) and the vowels that take
 * tones, as NFC strings. */
static const char *const letters[] = {
  "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k",
  "l", "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w",
  "x", "y", "z",
};
static const char *const vowels[] = {
  "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
};
/* no tone, huyền, hỏi, ngã, sắc, nặng */
static const uint32_t tones[] = { 0, 0x300, 0x309, 0x303, 0x301, 0x323 };

static int is_mark(UChar32 c) { return c >= 0x300 && c <= 0x362; }

/* Builds one UTF-16 string: s, with its first code point upper-cased when
 * upper, and a tone mark after code point `at` (0: none). */
static int32_t syllable(UChar *out, const char *s, int upper, uint32_t tone,
                        int at)
{
  UChar u[64];
  int32_t len, n = 0;
  UErrorCode e = U_ZERO_ERROR;
  u_strFromUTF8(u, 64, &len, s, -1, &e);
  for (int32_t i = 0, k = 0; i < len; k++) { /* all in the BMP */
    UChar c = u[i++];
    if (upper && k == 0)
      c = (UChar)u_toupper(c);
    out[n++] = c;
    if (tone && k == at)
      out[n++] = (UChar)tone;
  }
  return n;
}

static void add_letters(void)
{
  UChar u[64];
  for (size_t i = 0; i < sizeof letters / sizeof *letters; i++)
    for (int up = 0; up < 2; up++) {
      int32_t n = syllable(u, letters[i], up, 0, 0);
      const char *s = utf8(u, n);
      char buf[4200];
      add_forms(s);
      snprintf(buf, sizeof buf, "%sa", s);
      add_forms(buf);
      snprintf(buf, sizeof buf, "a%s", s);
      add_forms(buf);
      snprintf(buf, sizeof buf, "%s %s", s, s);
      add_forms(buf);
    }
  for (size_t i = 0; i < sizeof vowels / sizeof *vowels; i++)
    for (size_t t = 0; t < 6; t++)
      for (int up = 0; up < 2; up++) {
        char buf[4200];
        int32_t n = syllable(u, vowels[i], up, tones[t], 0);
        const char *v = utf8(u, n);
        add_forms(v);
        snprintf(buf, sizeof buf, "h%sn", v);
        add_forms(buf);
        snprintf(buf, sizeof buf, "%sa", v);
        add_forms(buf);
      }
}

/* Every punctuation character hicov places, alone and between letters. */
static void add_punctuation(void)
{
  static const uint32_t extra[] = { 0x9, 0xA, 0xB, 0xC, 0xD, 0x85, 0xA0, 0xAB,
                                    0xB7, 0xBB, 0xD7, 0x2013, 0x2014, 0x2018,
                                    0x2019, 0x201C, 0x201D };
  for (uint32_t c = 0x20; c < 0x7F; c++)
    if (!u_isalnum((UChar32)c)) {
      add_cp("", c, "");
      add_cp("a", c, "b");
      add_cp("a", c, "");
      add_cp("1", c, "2");
    }
  for (size_t i = 0; i < sizeof extra / sizeof *extra; i++) {
    add_cp("", extra[i], "");
    add_cp("a", extra[i], "b");
    add_cp("1", extra[i], "2");
  }
}

/* The precomposed Latin letters that decompose into an ASCII letter and
 * marks of U+0300-U+0362 (the others are outside what hicov follows ICU
 * on), with every combining mark after b and after the letters that
 * compose. */
static void add_latin_and_marks(void)
{
  static const uint32_t ranges[][2] = { { 0xC0, 0x250 }, { 0x1E00, 0x1F00 } };
  for (size_t r = 0; r < 2; r++)
    for (uint32_t c = ranges[r][0]; c < ranges[r][1]; c++) {
      UChar u[2], d[8];
      int32_t len = 0;
      UErrorCode e = U_ZERO_ERROR;
      U16_APPEND_UNSAFE(u, len, c);
      int32_t n = unorm2_normalize(nfd, u, len, d, 8, &e);
      int ok = U_SUCCESS(e) && n > 1 && d[0] < 0x80 && u_isalpha(d[0]);
      for (int32_t i = 1; ok && i < n; i++)
        ok = is_mark(d[i]);
      if (!ok && c != 0x110 && c != 0x111)
        continue;
      add_cp("", c, "");
      add_cp("x", c, "a");
      add_cp("", c, "\xcc\x81"); /* + acute */
    }
  for (uint32_t m = 0x300; m <= 0x362; m++) {
    add_cp("b", m, "");
    add_cp("b", m, "a");
    add_cp("a", m, "");
    add_cp("o", m, "");
    add_cp("U", m, "");
    add_cp("e", m, "b");
    add_cp("", m, "");
    add_cp("o\xcc\x9b", m, ""); /* after a horn */
    add_cp("a\xcc\x81", m, ""); /* after an acute */
    add_cp("a\xcc\xa3", m, ""); /* after a dot below */
  }
}

/* Runs of digits at and around ICU's segments of 254. */
static void add_numbers(void)
{
  char buf[700];
  size_t lens[] = { 253, 254, 255, 300, 508, 509 };
  for (size_t i = 0; i < sizeof lens / sizeof *lens; i++)
    for (int v = 0; v < 4; v++) {
      memset(buf, '0', lens[i]);
      buf[lens[i]] = 0;
      buf[0] = '1';
      if (v == 1)
        buf[lens[i] - 1] = '7';
      if (v == 2 && lens[i] > 254)
        buf[254] = '3';
      if (v == 3)
        buf[0] = '0', buf[1] = '9';
      add(buf);
      char with[720];
      snprintf(with, sizeof with, "Xã %s", buf);
      add(with);
    }
}

/* ---- random names ---- */

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng % n);
}

static const char *const onsets[] = {
  "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n",
  "ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
};
static const char *const nuclei[] = {
  "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ia", "iê", "ua",
  "uô", "ươ", "oa", "oă", "oe", "uy", "uyê", "ai", "ao", "au", "ay", "ây",
  "âu", "eo", "êu", "iu", "oi", "ôi", "ơi", "ui", "ưi", "ưu", "yê",
};
static const char *const codas[] = { "", "c", "ch", "m", "n", "ng", "nh", "p", "t" };
static const char *const prefixes[] = {
  "", "", "", "Xã ", "Phường ", "Huyện ", "Thị xã ", "Thành phố ", "TT. ",
  "Thị trấn ", "Quận ", "Tỉnh ", "Trạm Y tế xã ",
};
/* odd marks in random places: breve, circumflex, horn, diaeresis, cedilla */
static const uint32_t odd_marks[] = { 0x306, 0x302, 0x31B, 0x308, 0x327, 0x301, 0x323 };

static void add_random(size_t count)
{
  for (size_t k = 0; k < count; k++) {
    UChar u[512], v[1024];
    int32_t n = 0;
    char pre[64];
    snprintf(pre, sizeof pre, "%s", prefixes[rnd(sizeof prefixes / sizeof *prefixes)]);
    UErrorCode e = U_ZERO_ERROR;
    int32_t plen;
    u_strFromUTF8(u, 512, &plen, pre, -1, &e);
    n = plen;
    int words = 1 + (int)rnd(3), upper_all = rnd(20) == 0;
    for (int w = 0; w < words; w++) {
      char syl[32];
      const char *nuc = nuclei[rnd(sizeof nuclei / sizeof *nuclei)];
      const char *on = onsets[rnd(sizeof onsets / sizeof *onsets)];
      snprintf(syl, sizeof syl, "%s%s%s", on, nuc,
               codas[rnd(sizeof codas / sizeof *codas)]);
      /* the tone on the nucleus' first or last vowel */
      int32_t on_len = 0, nuc_len = 0;
      e = U_ZERO_ERROR;
      u_strFromUTF8(NULL, 0, &on_len, on, -1, &e);
      e = U_ZERO_ERROR;
      u_strFromUTF8(NULL, 0, &nuc_len, nuc, -1, &e);
      int at = on_len + (rnd(2) ? nuc_len - 1 : 0);
      n += syllable(u + n, syl, upper_all || rnd(3) > 0, tones[rnd(6)], at);
      if (rnd(40) == 0)
        u[n++] = (UChar)odd_marks[rnd(sizeof odd_marks / sizeof *odd_marks)];
      if (w + 1 < words)
        u[n++] = ' ';
    }
    if (rnd(6) == 0) {
      char num[16];
      int32_t len;
      snprintf(num, sizeof num, rnd(4) ? " %u" : " 0%u", rnd(rnd(2) ? 30 : 2000));
      e = U_ZERO_ERROR;
      u_strFromUTF8(u + n, 512 - n, &len, num, -1, &e);
      n += len;
    }
    if (upper_all)
      for (int32_t i = plen; i < n; i++)
        u[i] = (UChar)u_toupper(u[i]);
    /* a third NFC, a third NFD, a third as built (mixed) */
    uint32_t form = rnd(3);
    e = U_ZERO_ERROR;
    if (form < 2) {
      int32_t m = unorm2_normalize(form ? nfd : nfc, u, n, v, 1024, &e);
      if (U_FAILURE(e))
        abort();
      add(utf8(v, m));
    } else {
      add(utf8(u, n));
    }
  }
}

/* ---- the comparison ---- */

static UCollator *coll;

static int icu_cmp(const char *a, const char *b)
{
  UErrorCode e = U_ZERO_ERROR;
  int r = ucol_strcollUTF8(coll, a, -1, b, -1, &e);
  if (U_FAILURE(e))
    abort();
  return r;
}

static int icu_cmp_q(const void *a, const void *b)
{
  return icu_cmp(*(char *const *)a, *(char *const *)b);
}

static int hicov_cmp_q(const void *a, const void *b)
{
  return hicov_collate(*(char *const *)a, *(char *const *)b);
}

typedef struct {
  unsigned char *key;
  size_t len;    /* whole key */
  size_t levels; /* the first three levels, their separators included */
  const char *name;
} Key;

static Key make_key(const char *s)
{
  Key k = { NULL, 0, 0, s };
  k.len = hicov_collate_key(s, NULL, 0);
  k.key = malloc(k.len + 1);
  if (!k.key)
    abort();
  size_t again = hicov_collate_key(s, k.key, k.len + 1);
  CHECK_INT(again, k.len);
  CHECK_INT(k.key[k.len], 0);
  CHECK_INT(strlen((char *)k.key), k.len); /* no NUL inside */
  /* levels 1-3 each end with 0x01; their weights are >= 0x02 */
  for (int seps = 0; k.levels < k.len && seps < 3; k.levels++)
    seps += k.key[k.levels] == 0x01;
  return k;
}

static int sign(int r) { return (r > 0) - (r < 0); }

static int key_cmp(const Key *x, const Key *y, int levels_only)
{
  size_t lx = levels_only ? x->levels : x->len, ly = levels_only ? y->levels : y->len;
  int r = memcmp(x->key, y->key, lx < ly ? lx : ly);
  return r ? sign(r) : (lx > ly) - (lx < ly);
}

static int key_cmp_q(const void *a, const void *b)
{
  return key_cmp(a, b, 0);
}

static size_t disagreements, quirks;

/* ICU 72 reads a precomposed ơ or ợ (U+01A0, U+01A1, U+1EE2, U+1EE3)
 * followed by a combining circumflex as ô with a horn, while it reads the
 * canonically equivalent NFD (o, horn, circumflex) as ơ with a
 * circumflex: "ơ" + U+0302 is FCD, so ICU does not normalise it, and its
 * canonical closure of the contraction "o" + U+0302 (ô) wins.  ICU's
 * normalisation should make the two equal; hicov keeps canonically
 * equivalent strings equal and follows ICU's reading of the NFD.  No
 * Vietnamese word has such a letter. */
static int icu_quirk(const char *s)
{
  return (strstr(s, "\xc6\xa0") || strstr(s, "\xc6\xa1") ||
          strstr(s, "\xe1\xbb\xa2") || strstr(s, "\xe1\xbb\xa3")) &&
         strstr(s, "\xcc\x82");
}

/* ICU on the NFD forms. */
static int icu_cmp_nfd(const char *a, const char *b)
{
  char x[4096];
  UChar u[1024], v[2048];
  int32_t len;
  UErrorCode e = U_ZERO_ERROR;
  u_strFromUTF8(u, 1024, &len, a, -1, &e);
  len = unorm2_normalize(nfd, u, len, v, 2048, &e);
  snprintf(x, sizeof x, "%s", utf8(v, len));
  u_strFromUTF8(u, 1024, &len, b, -1, &e);
  len = unorm2_normalize(nfd, u, len, v, 2048, &e);
  if (U_FAILURE(e))
    abort();
  return icu_cmp(x, utf8(v, len));
}

static void print_name(const char *s)
{
  putc('"', stderr);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7F)
      fprintf(stderr, "\\x%02x", *p);
    else
      putc(*p, stderr);
  putc('"', stderr);
}

/* hicov's first three levels and ICU agree on a pair; the whole order
 * agrees with hicov_collate; the key orders as the comparison. */
static void check_pair(const Key *x, const Key *y)
{
  int h = hicov_collate(x->name, y->name);
  int levels = key_cmp(x, y, 1), icu = sign(icu_cmp(x->name, y->name));
  test_checks++;
  if (levels != icu && (icu_quirk(x->name) || icu_quirk(y->name)) &&
      levels == sign(icu_cmp_nfd(x->name, y->name))) {
    quirks++;
  } else if (levels != icu) {
    if (disagreements++ < 20) {
      fprintf(stderr, "disagreement: ");
      print_name(x->name);
      fprintf(stderr, " vs ");
      print_name(y->name);
      fprintf(stderr, ": hicov levels 1-3 %d, ICU %d\n", levels, icu);
    }
    test_failures++;
  }
  CHECK_INT(key_cmp(x, y, 0), h);
  CHECK_INT(hicov_collate(y->name, x->name), -h);
  if (levels)
    CHECK_INT(h, levels);
  else
    CHECK_INT(h, sign(strcmp(x->name, y->name)));
}

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* the VM is shared */
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int strcmp_q(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void oracle(void)
{
  HicovDataset *ds = NULL;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  CHECK_INT(hicov_dataset_load_demo(ds), HICOV_OK);
  size_t n_demo = hicov_dataset_unit_count(ds);
  for (size_t i = 0; i < n_demo; i++) {
    HicovUnit u;
    CHECK_INT(hicov_dataset_unit(ds, i, &u), HICOV_OK);
    add_forms(u.name);
  }
  hicov_dataset_free(ds);
  size_t n_real = n_demo;
  for (size_t i = 0; i < sizeof published / sizeof *published; i++, n_real++)
    add_forms(published[i]);
  for (size_t i = 0; i < sizeof crafted / sizeof *crafted; i++)
    add_forms(crafted[i]);
  add_letters();
  add_punctuation();
  add_latin_and_marks();
  add_numbers();
  size_t n_fixed = n_names;
  add_random(4000);

  /* hicov's order, by comparison and by keys */
  char **sorted = malloc(n_names * sizeof *sorted);
  Key *keys = malloc(n_names * sizeof *keys);
  if (!sorted || !keys)
    abort();
  memcpy(sorted, names, n_names * sizeof *sorted);
  qsort(sorted, n_names, sizeof *sorted, hicov_cmp_q);
  for (size_t i = 0; i < n_names; i++)
    keys[i] = make_key(names[i]);
  qsort(keys, n_names, sizeof *keys, key_cmp_q);
  size_t same = 0;
  for (size_t i = 0; i < n_names; i++)
    same += strcmp(keys[i].name, sorted[i]) == 0;
  CHECK_INT(same, n_names);

  /* every neighbour in hicov's order, then random pairs */
  size_t pairs = 0, icu_equal = 0;
  for (size_t i = 0; i + 1 < n_names; i++, pairs++) {
    check_pair(&keys[i], &keys[i + 1]);
    icu_equal += icu_cmp(keys[i].name, keys[i + 1].name) == 0;
  }
  for (size_t k = 0; k < 300000; k++, pairs++)
    check_pair(&keys[rnd((uint32_t)n_names)], &keys[rnd((uint32_t)n_names)]);
  printf("oracle: %zu names (%zu demo and published forms, %zu crafted, "
         "%zu random), %zu pairs compared, %zu neighbours ICU calls equal, "
         "%zu disagreements, %zu pairs ICU orders only on NFD (ơ + U+0302)\n",
         n_names, n_real, n_fixed - n_real, n_names - n_fixed, pairs,
         icu_equal, disagreements, quirks);
  CHECK(quirks > 0); /* the crafted strings have them: still ICU's way? */
  for (size_t i = 0; i < n_names; i++)
    free(keys[i].key);
  free(keys);
  free(sorted);
}

/* ---- the rules by hand ---- */

static void before(const char *a, const char *b)
{
  test_checks++;
  if (hicov_collate(a, b) >= 0 || hicov_collate(b, a) <= 0) {
    test_failures++;
    fprintf(stderr, "expected \"%s\" before \"%s\"\n", a, b);
  }
}

static void rules(void)
{
  /* the examples */
  before("Bắc Sơn", "Bình Gia");
  before("Hòa", "Hoàng");
  before("Phường 2", "Phường 10");
  before("Xã 2", "Xã 10");
  static const char *const d_words[] = { "D", "d", "Dương", "Dzũ", "DƯƠNG", "Dỹ" };
  static const char *const e_words[] = { "E", "e", "Ea Súp", "Ê", "ê", "Êa" };
  for (size_t i = 0; i < 6; i++) {
    before(d_words[i], "Đình Lập");
    before("Đình Lập", e_words[i]);
  }
  /* the alphabet, a letter at a time and inside words */
  for (size_t i = 0; i + 1 < sizeof letters / sizeof *letters; i++) {
    before(letters[i], letters[i + 1]);
    char a[16], b[16];
    snprintf(a, sizeof a, "T%sz", letters[i]);
    snprintf(b, sizeof b, "T%sa", letters[i + 1]);
    before(a, b);
  }
  /* tones: none, huyền, hỏi, ngã, sắc, nặng; weaker than any letter */
  static const char *const tone_a[] = { "a", "à", "ả", "ã", "á", "ạ" };
  static const char *const tone_u[] = { "ư", "ừ", "ử", "ữ", "ứ", "ự" };
  for (size_t i = 0; i + 1 < 6; i++) {
    before(tone_a[i], tone_a[i + 1]);
    before(tone_u[i], tone_u[i + 1]);
  }
  before("ạ", "ă");
  before("ạz", "ăa");
  before("Lường", "Lương Sơn"); /* more letters outweigh a tone */
  /* a tone on an earlier letter weighs more (ICU, forward accents) */
  before("hoà", "hòa");
  before("Hoà Bình", "Hòa Bình");
  /* case after tones: hoa < Hoa < HOA < hoà */
  before("hoa", "Hoa");
  before("Hoa", "HOA");
  before("HOA", "hoà");
  before("đa", "Đa");
  before("Đa", "đà");
  /* numbers by value, then the digits as written */
  before("Xã 1", "Xã 2");
  before("Xã 9", "Xã 10");
  before("Xã 10", "Xã 100");
  before("Xã 02", "Xã 2");   /* equal values: bytes decide, '0' < '2' */
  before("Xã 2", "Xã 3");
  before("Xã 002", "Xã 3");
  before("Ấp 3", "Ấp 3A");
  before("Ấp 3B", "Ấp 4");
  before("Tổ 2", "Tổ 12");
  /* space and punctuation, numbers, letters, then other characters */
  before("Tây Ninh", "Tây-Ninh");
  before("Tây-Ninh", "Tây.Ninh");
  before("Tây Ninh", "Tây1");
  before("Tây1", "TâyA");
  before("a 1", "a1");
  before("Quận 12", "Quận Ba Đình");
  before("z", "\xce\xb1");         /* Greek alpha after the letters */
  before("\xce\xb1", "\xe4\xb8\x80"); /* then CJK, by code point */
  before("a\xe4\xb8\x80", "a\xff"); /* invalid bytes after every character */
  before("\xe4\xb8\x80", "\xff");
  before("a\xc3", "a\xc3\x28");     /* a truncated sequence, then "(" */
  /* NFC and NFD: equal but for the bytes */
  static const char *const nfc_nfd[][2] = {
    { "Hòa Bình", "Ho\xcc\x80" "a Bi\xcc\x80" "nh" },
    { "Đắk Lắk", "\xc4\x90" "a\xcc\x86\xcc\x81" "k La\xcc\x86\xcc\x81" "k" },
    { "Nghệ An", "Nghe\xcc\xa3\xcc\x82 An" },
    { "Ngọc Hồi", "Ngo\xcc\xa3" "c Ho\xcc\x82\xcc\x80" "i" },
    { "Lường", "Lu\xcc\x9bo\xcc\x9b\xcc\x80" "ng" },
  };
  for (size_t i = 0; i < 5; i++) {
    const char *a = nfc_nfd[i][0], *b = nfc_nfd[i][1];
    CHECK_INT(hicov_collate(a, b), sign(strcmp(a, b)));
    Key x = make_key(a), y = make_key(b);
    CHECK_INT(key_cmp(&x, &y, 1), 0);
    free(x.key);
    free(y.key);
  }
  before("Ho\xcc\x80" "a", "Hoàng");
  /* marks out of canonical order: o + circumflex + horn is ơ + circumflex */
  before("\xc6\xa1", "o\xcc\x82\xcc\x9b");
  before("\xc3\xb4z", "o\xcc\x82\xcc\x9b");
  CHECK_INT(hicov_collate("x", "x"), 0);
  CHECK_INT(hicov_collate("", ""), 0);
  CHECK_INT(hicov_collate(NULL, NULL), 0);
  before(NULL, "");
}

static void key_api(void)
{
  unsigned char buf[64];
  size_t n = hicov_collate_key("Bắc Sơn", NULL, 0);
  /* 6 letters and a space on level 1 (ắ is ă, ơ a letter), 7 commons and
   * the acute on level 2, 7 cases on level 3, three separators, then the
   * 10 bytes */
  CHECK_INT(n, 7 + 8 + 7 + 3 + strlen("Bắc Sơn"));
  memset(buf, 0xEE, sizeof buf);
  CHECK_INT(hicov_collate_key("Bắc Sơn", buf, n), n); /* no room for the NUL */
  CHECK_INT(buf[n], 0xEE);
  CHECK_INT(buf[n - 1], 'n');
  memset(buf, 0xEE, sizeof buf);
  CHECK_INT(hicov_collate_key("Bắc Sơn", buf, 5), n); /* truncated: 5 bytes */
  CHECK_INT(buf[5], 0xEE);
  CHECK_INT(hicov_collate_key(NULL, buf, sizeof buf), 3);
  CHECK_INT(hicov_collate_key("", buf, sizeof buf), 3);
  CHECK_INT(buf[0], 1);
  CHECK_INT(buf[2], 1);
  CHECK_INT(buf[3], 0);
}

/* Sorting 10,000 names: keys made once, as the dataset does. */
static void timings(void)
{
  size_t n = 10000, first = n_names;
  add_random(n);
  char **v = names + first;
  char **w = malloc(n * sizeof *w);
  Key *keys = malloc(n * sizeof *keys);
  if (!w || !keys)
    abort();
  double best_keys = 1e9, best_cmp = 1e9, best_strcmp = 1e9, best_icu = 1e9,
         best_ds = 1e9;
  for (int rep = 0; rep < 5; rep++) {
    double t0 = now_ms();
    for (size_t i = 0; i < n; i++) {
      keys[i].name = v[i];
      keys[i].len = hicov_collate_key(v[i], NULL, 0);
    }
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
      total += keys[i].len + 1;
    unsigned char *arena = malloc(total), *p = arena;
    for (size_t i = 0; i < n; i++) {
      keys[i].key = p;
      p += hicov_collate_key(v[i], p, keys[i].len + 1) + 1;
    }
    qsort(keys, n, sizeof *keys, key_cmp_q);
    double t1 = now_ms();
    free(arena);
    memcpy(w, v, n * sizeof *w);
    qsort(w, n, sizeof *w, hicov_cmp_q);
    double t2 = now_ms();
    memcpy(w, v, n * sizeof *w);
    qsort(w, n, sizeof *w, strcmp_q);
    double t3 = now_ms();
    memcpy(w, v, n * sizeof *w);
    qsort(w, n, sizeof *w, icu_cmp_q);
    double t4 = now_ms();
    /* the dataset: 10,000 communes under one province */
    HicovDataset *ds = NULL;
    hicov_dataset_new(&ds);
    HicovUnit u = { 0 };
    u.code = "P";
    u.name = "Tỉnh";
    u.level = HICOV_LEVEL_PROVINCE;
    hicov_dataset_add_unit(ds, &u);
    for (size_t i = 0; i < n; i++) {
      char code[16];
      snprintf(code, sizeof code, "C%zu", i);
      u.code = code;
      u.name = v[i];
      u.parent = "P";
      u.level = HICOV_LEVEL_COMMUNE;
      CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
    }
    size_t *idx = NULL, cnt = 0;
    double t5 = now_ms();
    CHECK_INT(hicov_dataset_children(ds, "P", NULL, &idx, &cnt), HICOV_OK);
    double t6 = now_ms();
    CHECK_INT(cnt, n);
    for (size_t i = 0; i + 1 < cnt; i++) {
      HicovUnit a, b;
      hicov_dataset_unit(ds, idx[i], &a);
      hicov_dataset_unit(ds, idx[i + 1], &b);
      int c = hicov_collate(a.name, b.name);
      if (c > 0 || (c == 0 && strcmp(a.code, b.code) > 0)) {
        CHECK(0 && "children in collation order");
        break;
      }
    }
    hicov_free(idx);
    hicov_dataset_free(ds);
    best_keys = t1 - t0 < best_keys ? t1 - t0 : best_keys;
    best_cmp = t2 - t1 < best_cmp ? t2 - t1 : best_cmp;
    best_strcmp = t3 - t2 < best_strcmp ? t3 - t2 : best_strcmp;
    best_icu = t4 - t3 < best_icu ? t4 - t3 : best_icu;
    best_ds = t6 - t5 < best_ds ? t6 - t5 : best_ds;
  }
  printf("sorting %zu names (CPU time, best of 5): keys + qsort %.2f ms, qsort with "
         "hicov_collate %.2f ms, qsort with strcmp %.2f ms; the dataset's "
         "first children() (tree and sort) %.2f ms; qsort with ICU's "
         "ucol_strcollUTF8 %.2f ms\n", n, best_keys, best_cmp, best_strcmp,
         best_ds, best_icu);
  free(keys);
  free(w);
}

int main(void)
{
  UErrorCode e = U_ZERO_ERROR;
  coll = ucol_open("vi", &e);
  ucol_setAttribute(coll, UCOL_NUMERIC_COLLATION, UCOL_ON, &e);
  nfc = unorm2_getNFCInstance(&e);
  nfd = unorm2_getNFDInstance(&e);
  if (U_FAILURE(e)) {
    fprintf(stderr, "ICU: %s\n", u_errorName(e));
    return 1;
  }
  const char *seed = getenv("HICOV_TEST_SEED");
  rng = seed ? strtoull(seed, NULL, 0) : (uint64_t)time(NULL) * 2654435761u;
  if (!rng)
    rng = 1;
  printf("seed %llu (HICOV_TEST_SEED=%llu to replay)\n",
         (unsigned long long)rng, (unsigned long long)rng);
  rules();
  key_api();
  oracle();
  timings();
  for (size_t i = 0; i < n_names; i++)
    free(names[i]);
  free(names);
  ucol_close(coll);
  return test_finish("test-collate");
}

/* vi-text.c - Vietnamese text: NFC composition and folding, for matching
 * unit names typed in spreadsheets (the order of names is collate.c's).
 *
 * The composition table below was generated with Python's unicodedata
 * (unicodedata.normalize('NFC', base + modifier + tone) for each of the 12
 * Vietnamese vowels, 6 tones and both cases); every entry is a single
 * precomposed code point. */
#include <string.h>

#include "util-private.h"
#include "vi-text.h"

enum { V_A, V_AW, V_AA, V_E, V_EE, V_I, V_O, V_OO, V_OW, V_U, V_UW, V_Y,
       N_VOWELS };
enum { T_NONE, T_GRAVE, T_HOOK, T_TILDE, T_ACUTE, T_DOT, N_TONES };

/* [vowel][upper][tone]: tones in collation order (ngang, huyền, hỏi, ngã,
 * sắc, nặng). */
static const uint16_t vowels[N_VOWELS][2][N_TONES] = {
  /* a */ {{0x0061, 0x00E0, 0x1EA3, 0x00E3, 0x00E1, 0x1EA1},
           {0x0041, 0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0}},
  /* ă */ {{0x0103, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB7},
           {0x0102, 0x1EB0, 0x1EB2, 0x1EB4, 0x1EAE, 0x1EB6}},
  /* â */ {{0x00E2, 0x1EA7, 0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD},
           {0x00C2, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EAC}},
  /* e */ {{0x0065, 0x00E8, 0x1EBB, 0x1EBD, 0x00E9, 0x1EB9},
           {0x0045, 0x00C8, 0x1EBA, 0x1EBC, 0x00C9, 0x1EB8}},
  /* ê */ {{0x00EA, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7},
           {0x00CA, 0x1EC0, 0x1EC2, 0x1EC4, 0x1EBE, 0x1EC6}},
  /* i */ {{0x0069, 0x00EC, 0x1EC9, 0x0129, 0x00ED, 0x1ECB},
           {0x0049, 0x00CC, 0x1EC8, 0x0128, 0x00CD, 0x1ECA}},
  /* o */ {{0x006F, 0x00F2, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD},
           {0x004F, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC}},
  /* ô */ {{0x00F4, 0x1ED3, 0x1ED5, 0x1ED7, 0x1ED1, 0x1ED9},
           {0x00D4, 0x1ED2, 0x1ED4, 0x1ED6, 0x1ED0, 0x1ED8}},
  /* ơ */ {{0x01A1, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3},
           {0x01A0, 0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2}},
  /* u */ {{0x0075, 0x00F9, 0x1EE7, 0x0169, 0x00FA, 0x1EE5},
           {0x0055, 0x00D9, 0x1EE6, 0x0168, 0x00DA, 0x1EE4}},
  /* ư */ {{0x01B0, 0x1EEB, 0x1EED, 0x1EEF, 0x1EE9, 0x1EF1},
           {0x01AF, 0x1EEA, 0x1EEC, 0x1EEE, 0x1EE8, 0x1EF0}},
  /* y */ {{0x0079, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5},
           {0x0059, 0x1EF2, 0x1EF6, 0x1EF8, 0x00DD, 0x1EF4}},
};

/* A decomposed letter: vowel index, tone and case; vowel -1 if cp is not a
 * Vietnamese vowel. Found by a scan of 144 entries: names are short. */
typedef struct {
  int vowel, tone, upper;
} Letter;

static Letter letter_of(uint32_t cp)
{
  Letter l = { -1, 0, 0 };
  if (cp < 0x41 || cp > 0x1EF9)
    return l;
  for (int v = 0; v < N_VOWELS; v++)
    for (int u = 0; u < 2; u++)
      for (int t = 0; t < N_TONES; t++)
        if (vowels[v][u][t] == cp) {
          l.vowel = v;
          l.tone = t;
          l.upper = u;
          return l;
        }
  return l;
}

static int tone_mark(uint32_t cp)
{
  switch (cp) {
  case 0x0300: case 0x0340: return T_GRAVE; /* U+0340: deprecated grave */
  case 0x0301: case 0x0341: return T_ACUTE;
  case 0x0303: return T_TILDE;
  case 0x0309: return T_HOOK;
  case 0x0323: return T_DOT;
  default: return -1;
  }
}

/* The vowel a modifier (breve, circumflex, horn) makes of v, or -1. */
static int modified(int v, uint32_t cp)
{
  switch (cp) {
  case 0x0306: return v == V_A ? V_AW : -1;
  case 0x0302: return v == V_A ? V_AA : v == V_E ? V_EE : v == V_O ? V_OO : -1;
  case 0x031B: return v == V_O ? V_OW : v == V_U ? V_UW : -1;
  default: return -1;
  }
}

static int is_space(uint32_t cp)
{
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' ||
         cp == '\f' || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0x1680;
}

static int is_invisible(uint32_t cp)
{
  return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF ||
         cp == 0x00AD; /* soft hyphen */
}

/* Decodes one UTF-8 sequence; a byte that starts no valid sequence is
 * returned as U+FFFD and consumes one byte. */
static uint32_t next_cp(const unsigned char *s, size_t len, size_t *i)
{
  unsigned char c = s[*i];
  if (c < 0x80) {
    (*i)++;
    return c;
  }
  size_t n = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 && c < 0xF0 ? 2 :
             c >= 0xC2 && c < 0xE0 ? 1 : 0;
  if (n == 0 || *i + n >= len) {
    (*i)++;
    return 0xFFFD;
  }
  uint32_t cp = c & (n == 1 ? 0x1F : n == 2 ? 0x0F : 0x07);
  for (size_t k = 1; k <= n; k++) {
    if ((s[*i + k] & 0xC0) != 0x80) {
      (*i)++;
      return 0xFFFD;
    }
    cp = cp << 6 | (s[*i + k] & 0x3F);
  }
  if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    (*i)++;
    return 0xFFFD;
  }
  *i += n + 1;
  return cp;
}

typedef struct {
  char *out;
  size_t size, len;
} Sink;

static void put_cp(Sink *k, uint32_t cp)
{
  char b[4];
  size_t n;
  if (cp < 0x80) {
    b[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    b[0] = (char)(0xC0 | cp >> 6);
    b[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    b[0] = (char)(0xE0 | cp >> 12);
    b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    b[0] = (char)(0xF0 | cp >> 18);
    b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  /* the returned length counts every byte; only whole characters that
     fit are written */
  if (k->size && k->len + n < k->size)
    memcpy(k->out + k->len, b, n);
  else if (k->size && k->len < k->size)
    k->size = k->len + 1; /* stop writing: no half character */
  k->len += n;
}

static uint32_t lower_cp(uint32_t cp)
{
  if (cp >= 'A' && cp <= 'Z')
    return cp + 32;
  if (cp == 0x0110 || cp == 0x00D0 || cp == 0x0189) /* Đ, and Ð Ɖ typed for it */
    return 0x0111;
  if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
    return cp + 32;
  return cp;
}

/* The common walk: composes Vietnamese vowels, then writes each code point
 * through `fold` rules when asked. */
static size_t transform(const char *s, size_t len, char *out, size_t size,
                        int fold)
{
  Sink k = { out, size, 0 };
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  Letter cur = { -1, 0, 0 };
  int space = 0; /* a space is pending (folding) */
#define FLUSH() do { \
    if (cur.vowel >= 0) { \
      put_cp(&k, vowels[cur.vowel][fold ? 0 : cur.upper][cur.tone]); \
      cur.vowel = -1; \
    } \
  } while (0)
  while (i < len) {
    uint32_t cp = next_cp(p, len, &i);
    if (cur.vowel >= 0) {
      int t = tone_mark(cp);
      if (t >= 0 && cur.tone == T_NONE) {
        cur.tone = t;
        continue;
      }
      int v = modified(cur.vowel, cp);
      if (v >= 0) {
        cur.vowel = v;
        continue;
      }
    }
    FLUSH();
    if (fold && is_invisible(cp))
      continue;
    if (fold && is_space(cp)) {
      space = k.len > 0;
      continue;
    }
    if (space) {
      put_cp(&k, ' ');
      space = 0;
    }
    Letter l = letter_of(cp);
    if (l.vowel >= 0) {
      cur = l;
      continue;
    }
    put_cp(&k, fold ? lower_cp(cp) : cp);
  }
  FLUSH();
#undef FLUSH
  if (k.size) {
    size_t end = k.len < k.size ? k.len : k.size - 1;
    k.out[end] = '\0';
  }
  return k.len;
}

size_t hicov_vi_fold(const char *s, size_t len, char *out, size_t size)
{
  return transform(s, len, out, size, 1);
}

size_t hicov_vi_nfc(const char *s, size_t len, char *out, size_t size)
{
  return transform(s, len, out, size, 0);
}

size_t hicov_vi_prefix(const char *folded, const char **canonical)
{
  static const struct { const char *text, *canon; } prefixes[] = {
    { "thành phố ", "thành phố" }, { "tp. ", "thành phố" },
    { "tp.", "thành phố" }, { "tp ", "thành phố" },
    { "thị xã ", "thị xã" }, { "tx. ", "thị xã" }, { "tx.", "thị xã" },
    { "tx ", "thị xã" },
    { "thị trấn ", "thị trấn" }, { "tt. ", "thị trấn" },
    { "tt.", "thị trấn" }, { "tt ", "thị trấn" },
    { "phường ", "phường" }, { "xã ", "xã" }, { "huyện ", "huyện" },
    { "quận ", "quận" }, { "tỉnh ", "tỉnh" },
  };
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
    size_t n = strlen(prefixes[i].text);
    if (!strncmp(folded, prefixes[i].text, n) && folded[n] && folded[n] != ' ') {
      if (canonical)
        *canonical = prefixes[i].canon;
      return n;
    }
  }
  if (canonical)
    *canonical = NULL;
  return 0;
}


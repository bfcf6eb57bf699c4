/* collate.c - the order of names: Vietnamese alphabet, tones, case and
 * natural numbers, the same on every machine (no locale, no ICU).
 *
 * The order is that of ICU's "vi" collator (CLDR tailoring, normalisation
 * on, strength tertiary) with numeric collation on; tests/c/test-collate.c
 * compares the two on real and generated names.  Four levels, each
 * consulted only when the ones before it are equal:
 *
 *  1. primary: letters in the Vietnamese alphabet
 *       a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v (w) x y (z)
 *     with no digraphs (ch, ng, th... are two letters, as in CLDR); a run
 *     of ASCII digits is a number: "Xã 2" < "Xã 10", and "Xã 010" weighs
 *     as "Xã 10" (leading zeros ignored; level 4 puts it first), in ICU's
 *     segments of at most 254 digits; whitespace and punctuation come
 *     first in ICU's order, then numbers, then letters, then every other
 *     character by code point;
 *  2. secondary: tones and other diacritics, position by position in the
 *     string: none < huyền (grave) < hỏi (hook) < ngã (tilde) < sắc (acute)
 *     < nặng (dot below); other marks after them in ICU's order.  As in
 *     ICU (no French accents) a tone on an earlier letter weighs more:
 *     "hoà" < "hòa";
 *  3. tertiary: lower case before upper case (and a space before a
 *     no-break space);
 *  4. the bytes (strcmp), so that only equal strings compare equal.
 *
 * The letters are taken apart as NFD would: the precomposed Latin letters
 * of U+00C0-U+024F and U+1E00-U+1EFF become an ASCII letter and marks,
 * combining marks (U+0300-U+036F) that follow are added and put in
 * canonical order, and a breve, circumflex or horn that NFC would compose
 * with a, e, o or u makes the Vietnamese letter (ă â ê ô ơ ư); đ is its
 * own letter.  So NFC, NFD and anything between sort alike.
 *
 * Where this differs from ICU, by design, for characters that are not
 * Vietnamese: digits other than ASCII are not numbers; symbols and
 * punctuation outside ASCII (but for a few listed below) and letters
 * without a canonical decomposition (ø, æ, ß, ł, Greek, CJK...) sort after
 * z by code point, where ICU has an order for each script; the combining
 * Latin letters U+0363-U+036F are diacritics here, letters in ICU; marks
 * outside U+0300-U+036F are characters of their own; after 30 marks in a
 * row a new character starts (see MAX_MARKS).  Invalid UTF-8 bytes sort
 * after every character.  And one on purpose: ICU 72 reads a precomposed
 * ơ or ợ followed by a combining circumflex as ô with a horn but its NFD
 * as ơ with a circumflex; hicov keeps the two equal, as the NFD reads.
 *
 * The key concatenates the weights of levels 1-3, each level ended by 0x01,
 * and then the string's bytes: comparing keys with memcmp (the shorter
 * first) or strcmp is comparing the strings.  Every weight byte is at least
 * 0x02.  hicov_collate() walks the same weights, level by level, without
 * building keys; a key is made in one pass over the string (for names up to
 * KEY_ONE_PASS bytes) or one per level. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util-private.h"

enum {
  KEY_SEP = 0x01,
  /* primary: punctuation 0x02-0x32 (punct_ascii), then these lead bytes */
  P_NUMBER = 0x38, /* then the digit count + 1, then the digits */
  P_LETTER = 0x40, /* + the letter's rank, 0x40-0x60 */
  P_OTHER = 0x70,  /* then the code point in three 7-bit groups + 2 */
  S_COMMON = 0x02, /* secondary: no mark; a mark is 0x02 + its rank */
  T_LOWER = 0x02,  /* tertiary */
  T_UPPER = 0x03,
  T_VARIANT = 0x04
};

/* Primary weights of whitespace and punctuation, in ICU's root order
 * (0 = completely ignorable, as ICU treats control characters). */
enum {
  P_TAB = 0x02, P_LF, P_VT, P_FF, P_CR, P_NEL, P_SPACE, P_LOW_LINE, P_HYPHEN,
  P_EN_DASH, P_EM_DASH, P_COMMA, P_SEMICOLON, P_COLON, P_EXCLAMATION,
  P_QUESTION, P_FULL_STOP, P_MIDDLE_DOT, P_APOSTROPHE, P_LEFT_SINGLE,
  P_RIGHT_SINGLE, P_QUOTE, P_LEFT_DOUBLE, P_RIGHT_DOUBLE, P_LEFT_GUILLEMET,
  P_RIGHT_GUILLEMET, P_LEFT_PAREN, P_RIGHT_PAREN, P_LEFT_BRACKET,
  P_RIGHT_BRACKET, P_LEFT_BRACE, P_RIGHT_BRACE, P_AT, P_ASTERISK, P_SLASH,
  P_BACKSLASH, P_AMPERSAND, P_NUMBER_SIGN, P_PERCENT, P_GRAVE, P_CIRCUMFLEX,
  P_PLUS, P_TIMES, P_LESS, P_EQUALS, P_GREATER, P_VERTICAL_LINE, P_TILDE,
  P_DOLLAR
};

static const unsigned char punct_ascii[128] = {
  ['\t'] = P_TAB, ['\n'] = P_LF, ['\v'] = P_VT, ['\f'] = P_FF, ['\r'] = P_CR,
  [' '] = P_SPACE, ['_'] = P_LOW_LINE, ['-'] = P_HYPHEN, [','] = P_COMMA,
  [';'] = P_SEMICOLON, [':'] = P_COLON, ['!'] = P_EXCLAMATION,
  ['?'] = P_QUESTION, ['.'] = P_FULL_STOP, ['\''] = P_APOSTROPHE,
  ['"'] = P_QUOTE, ['('] = P_LEFT_PAREN, [')'] = P_RIGHT_PAREN,
  ['['] = P_LEFT_BRACKET, [']'] = P_RIGHT_BRACKET, ['{'] = P_LEFT_BRACE,
  ['}'] = P_RIGHT_BRACE, ['@'] = P_AT, ['*'] = P_ASTERISK, ['/'] = P_SLASH,
  ['\\'] = P_BACKSLASH, ['&'] = P_AMPERSAND, ['#'] = P_NUMBER_SIGN,
  ['%'] = P_PERCENT, ['`'] = P_GRAVE, ['^'] = P_CIRCUMFLEX, ['+'] = P_PLUS,
  ['<'] = P_LESS, ['='] = P_EQUALS, ['>'] = P_GREATER,
  ['|'] = P_VERTICAL_LINE, ['~'] = P_TILDE, ['$'] = P_DOLLAR,
};

/* Rank of each ASCII letter in the Vietnamese alphabet (with f j w z where
 * CLDR puts them); the letters with a breve, circumflex, horn or stroke
 * sit between them. */
enum {
  L_A = 0, L_A_BREVE = 1, L_A_CIRCUMFLEX = 2, L_D_STROKE = 6,
  L_E_CIRCUMFLEX = 8, L_O_CIRCUMFLEX = 19, L_O_HORN = 20, L_U_HORN = 27
};
static const unsigned char letter_rank[26] = {
  0, 3, 4, 5, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, /* a b c d e f g h i j k l m n */
  18, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31, 32    /* o p q r s t u v w x y z */
};

/* The combining marks U+0300-U+036F: canonical combining class (Unicode
 * 14) and secondary rank, the order of "b" + mark in ICU 72's "vi"
 * collator (equal ranks are equal there); the five tones are 4-8, between
 * the grave and the dot below.  U+034F (combining grapheme joiner) is
 * ignorable and, with class 0, not a mark here. */
#define MARK_FIRST 0x300
#define MARK_COUNT 0x70
#define MARK_CGJ 0x34F
#define MARK_DIALYTIKA_TONOS 0x344 /* = U+0308 U+0301 */
static const unsigned char mark_ccc[112] = {
  230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230,
  230, 230, 230, 230, 230, 230, 230, 232, 220, 220, 220, 220, 232, 216,
  220, 220, 220, 220, 220, 202, 202, 220, 220, 220, 220, 202, 202, 220,
  220, 220, 220, 220, 220, 220, 220, 220, 220, 220,   1,   1,   1,   1,
    1, 220, 220, 220, 220, 230, 230, 230, 230, 230, 230, 230, 230, 240,
  230, 220, 220, 220, 230, 230, 230, 220, 220,   0, 230, 230, 230, 220,
  220, 220, 220, 230, 232, 220, 220, 230, 233, 234, 234, 233, 234, 234,
  233, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230,
};

static const unsigned char mark_rank[112] = {
   4,  7, 10,  6, 21, 26,  9, 17, 14,  5, 12, 16, 11, 22,
  22, 27, 28, 29, 22,  2,  3, 22, 23, 23, 23, 23, 22, 30,
  23, 23, 23, 23, 23, 31, 32,  8, 33, 34, 35, 19, 20, 23,
  23, 23, 23, 36, 37, 23, 38, 39,  1, 23, 40, 25, 24, 24,
  18, 41, 23, 23, 23, 22, 22, 22,  4,  7, 13,  2, 15, 42,
  22, 23, 23, 23, 22, 22, 22, 23, 23,  0, 22, 22, 22, 23,
  23, 23, 23, 22, 43, 23, 23, 22, 23, 22, 22, 23, 44, 45,
  23, 46, 49, 51, 53, 56, 47, 48, 50, 52, 54, 55, 57, 58,
};

/* Canonical decompositions of the precomposed Latin letters whose NFD starts
 * with an ASCII letter: the letter and up to two marks (code point - 0x2FF,
 * 0 for none), from Python 3.11's unicodedata (Unicode 14); {0} for the
 * others, which sort by code point. */
static const unsigned char dec_latin[400][3] = {
  /* 00C0 */ {'A', 1, 0}, {'A', 2, 0}, {'A', 3, 0}, {'A', 4, 0}, {'A', 9, 0}, {'A', 11, 0},
  /* 00C6 */ {0, 0, 0}, {'C', 40, 0}, {'E', 1, 0}, {'E', 2, 0}, {'E', 3, 0}, {'E', 9, 0},
  /* 00CC */ {'I', 1, 0}, {'I', 2, 0}, {'I', 3, 0}, {'I', 9, 0}, {0, 0, 0}, {'N', 4, 0},
  /* 00D2 */ {'O', 1, 0}, {'O', 2, 0}, {'O', 3, 0}, {'O', 4, 0}, {'O', 9, 0}, {0, 0, 0},
  /* 00D8 */ {0, 0, 0}, {'U', 1, 0}, {'U', 2, 0}, {'U', 3, 0}, {'U', 9, 0}, {'Y', 2, 0},
  /* 00DE */ {0, 0, 0}, {0, 0, 0}, {'a', 1, 0}, {'a', 2, 0}, {'a', 3, 0}, {'a', 4, 0},
  /* 00E4 */ {'a', 9, 0}, {'a', 11, 0}, {0, 0, 0}, {'c', 40, 0}, {'e', 1, 0}, {'e', 2, 0},
  /* 00EA */ {'e', 3, 0}, {'e', 9, 0}, {'i', 1, 0}, {'i', 2, 0}, {'i', 3, 0}, {'i', 9, 0},
  /* 00F0 */ {0, 0, 0}, {'n', 4, 0}, {'o', 1, 0}, {'o', 2, 0}, {'o', 3, 0}, {'o', 4, 0},
  /* 00F6 */ {'o', 9, 0}, {0, 0, 0}, {0, 0, 0}, {'u', 1, 0}, {'u', 2, 0}, {'u', 3, 0},
  /* 00FC */ {'u', 9, 0}, {'y', 2, 0}, {0, 0, 0}, {'y', 9, 0}, {'A', 5, 0}, {'a', 5, 0},
  /* 0102 */ {'A', 7, 0}, {'a', 7, 0}, {'A', 41, 0}, {'a', 41, 0}, {'C', 2, 0}, {'c', 2, 0},
  /* 0108 */ {'C', 3, 0}, {'c', 3, 0}, {'C', 8, 0}, {'c', 8, 0}, {'C', 13, 0}, {'c', 13, 0},
  /* 010E */ {'D', 13, 0}, {'d', 13, 0}, {0, 0, 0}, {0, 0, 0}, {'E', 5, 0}, {'e', 5, 0},
  /* 0114 */ {'E', 7, 0}, {'e', 7, 0}, {'E', 8, 0}, {'e', 8, 0}, {'E', 41, 0}, {'e', 41, 0},
  /* 011A */ {'E', 13, 0}, {'e', 13, 0}, {'G', 3, 0}, {'g', 3, 0}, {'G', 7, 0}, {'g', 7, 0},
  /* 0120 */ {'G', 8, 0}, {'g', 8, 0}, {'G', 40, 0}, {'g', 40, 0}, {'H', 3, 0}, {'h', 3, 0},
  /* 0126 */ {0, 0, 0}, {0, 0, 0}, {'I', 4, 0}, {'i', 4, 0}, {'I', 5, 0}, {'i', 5, 0},
  /* 012C */ {'I', 7, 0}, {'i', 7, 0}, {'I', 41, 0}, {'i', 41, 0}, {'I', 8, 0}, {0, 0, 0},
  /* 0132 */ {0, 0, 0}, {0, 0, 0}, {'J', 3, 0}, {'j', 3, 0}, {'K', 40, 0}, {'k', 40, 0},
  /* 0138 */ {0, 0, 0}, {'L', 2, 0}, {'l', 2, 0}, {'L', 40, 0}, {'l', 40, 0}, {'L', 13, 0},
  /* 013E */ {'l', 13, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {'N', 2, 0},
  /* 0144 */ {'n', 2, 0}, {'N', 40, 0}, {'n', 40, 0}, {'N', 13, 0}, {'n', 13, 0}, {0, 0, 0},
  /* 014A */ {0, 0, 0}, {0, 0, 0}, {'O', 5, 0}, {'o', 5, 0}, {'O', 7, 0}, {'o', 7, 0},
  /* 0150 */ {'O', 12, 0}, {'o', 12, 0}, {0, 0, 0}, {0, 0, 0}, {'R', 2, 0}, {'r', 2, 0},
  /* 0156 */ {'R', 40, 0}, {'r', 40, 0}, {'R', 13, 0}, {'r', 13, 0}, {'S', 2, 0}, {'s', 2, 0},
  /* 015C */ {'S', 3, 0}, {'s', 3, 0}, {'S', 40, 0}, {'s', 40, 0}, {'S', 13, 0}, {'s', 13, 0},
  /* 0162 */ {'T', 40, 0}, {'t', 40, 0}, {'T', 13, 0}, {'t', 13, 0}, {0, 0, 0}, {0, 0, 0},
  /* 0168 */ {'U', 4, 0}, {'u', 4, 0}, {'U', 5, 0}, {'u', 5, 0}, {'U', 7, 0}, {'u', 7, 0},
  /* 016E */ {'U', 11, 0}, {'u', 11, 0}, {'U', 12, 0}, {'u', 12, 0}, {'U', 41, 0}, {'u', 41, 0},
  /* 0174 */ {'W', 3, 0}, {'w', 3, 0}, {'Y', 3, 0}, {'y', 3, 0}, {'Y', 9, 0}, {'Z', 2, 0},
  /* 017A */ {'z', 2, 0}, {'Z', 8, 0}, {'z', 8, 0}, {'Z', 13, 0}, {'z', 13, 0}, {0, 0, 0},
  /* 0180 */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 0186 */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 018C */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 0192 */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 0198 */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 019E */ {0, 0, 0}, {0, 0, 0}, {'O', 28, 0}, {'o', 28, 0}, {0, 0, 0}, {0, 0, 0},
  /* 01A4 */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 01AA */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {'U', 28, 0},
  /* 01B0 */ {'u', 28, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 01B6 */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 01BC */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 01C2 */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 01C8 */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {'A', 13, 0},
  /* 01CE */ {'a', 13, 0}, {'I', 13, 0}, {'i', 13, 0}, {'O', 13, 0}, {'o', 13, 0}, {'U', 13, 0},
  /* 01D4 */ {'u', 13, 0}, {'U', 9, 5}, {'u', 9, 5}, {'U', 9, 2}, {'u', 9, 2}, {'U', 9, 13},
  /* 01DA */ {'u', 9, 13}, {'U', 9, 1}, {'u', 9, 1}, {0, 0, 0}, {'A', 9, 5}, {'a', 9, 5},
  /* 01E0 */ {'A', 8, 5}, {'a', 8, 5}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 01E6 */ {'G', 13, 0}, {'g', 13, 0}, {'K', 13, 0}, {'k', 13, 0}, {'O', 41, 0}, {'o', 41, 0},
  /* 01EC */ {'O', 41, 5}, {'o', 41, 5}, {0, 0, 0}, {0, 0, 0}, {'j', 13, 0}, {0, 0, 0},
  /* 01F2 */ {0, 0, 0}, {0, 0, 0}, {'G', 2, 0}, {'g', 2, 0}, {0, 0, 0}, {0, 0, 0},
  /* 01F8 */ {'N', 1, 0}, {'n', 1, 0}, {'A', 11, 2}, {'a', 11, 2}, {0, 0, 0}, {0, 0, 0},
  /* 01FE */ {0, 0, 0}, {0, 0, 0}, {'A', 16, 0}, {'a', 16, 0}, {'A', 18, 0}, {'a', 18, 0},
  /* 0204 */ {'E', 16, 0}, {'e', 16, 0}, {'E', 18, 0}, {'e', 18, 0}, {'I', 16, 0}, {'i', 16, 0},
  /* 020A */ {'I', 18, 0}, {'i', 18, 0}, {'O', 16, 0}, {'o', 16, 0}, {'O', 18, 0}, {'o', 18, 0},
  /* 0210 */ {'R', 16, 0}, {'r', 16, 0}, {'R', 18, 0}, {'r', 18, 0}, {'U', 16, 0}, {'u', 16, 0},
  /* 0216 */ {'U', 18, 0}, {'u', 18, 0}, {'S', 39, 0}, {'s', 39, 0}, {'T', 39, 0}, {'t', 39, 0},
  /* 021C */ {0, 0, 0}, {0, 0, 0}, {'H', 13, 0}, {'h', 13, 0}, {0, 0, 0}, {0, 0, 0},
  /* 0222 */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {'A', 8, 0}, {'a', 8, 0},
  /* 0228 */ {'E', 40, 0}, {'e', 40, 0}, {'O', 9, 5}, {'o', 9, 5}, {'O', 4, 5}, {'o', 4, 5},
  /* 022E */ {'O', 8, 0}, {'o', 8, 0}, {'O', 8, 5}, {'o', 8, 5}, {'Y', 5, 0}, {'y', 5, 0},
  /* 0234 */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 023A */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 0240 */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 0246 */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
  /* 024C */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
};

static const unsigned char dec_extended[256][3] = {
  /* 1E00 */ {'A', 38, 0}, {'a', 38, 0}, {'B', 8, 0}, {'b', 8, 0}, {'B', 36, 0}, {'b', 36, 0},
  /* 1E06 */ {'B', 50, 0}, {'b', 50, 0}, {'C', 40, 2}, {'c', 40, 2}, {'D', 8, 0}, {'d', 8, 0},
  /* 1E0C */ {'D', 36, 0}, {'d', 36, 0}, {'D', 50, 0}, {'d', 50, 0}, {'D', 40, 0}, {'d', 40, 0},
  /* 1E12 */ {'D', 46, 0}, {'d', 46, 0}, {'E', 5, 1}, {'e', 5, 1}, {'E', 5, 2}, {'e', 5, 2},
  /* 1E18 */ {'E', 46, 0}, {'e', 46, 0}, {'E', 49, 0}, {'e', 49, 0}, {'E', 40, 7}, {'e', 40, 7},
  /* 1E1E */ {'F', 8, 0}, {'f', 8, 0}, {'G', 5, 0}, {'g', 5, 0}, {'H', 8, 0}, {'h', 8, 0},
  /* 1E24 */ {'H', 36, 0}, {'h', 36, 0}, {'H', 9, 0}, {'h', 9, 0}, {'H', 40, 0}, {'h', 40, 0},
  /* 1E2A */ {'H', 47, 0}, {'h', 47, 0}, {'I', 49, 0}, {'i', 49, 0}, {'I', 9, 2}, {'i', 9, 2},
  /* 1E30 */ {'K', 2, 0}, {'k', 2, 0}, {'K', 36, 0}, {'k', 36, 0}, {'K', 50, 0}, {'k', 50, 0},
  /* 1E36 */ {'L', 36, 0}, {'l', 36, 0}, {'L', 36, 5}, {'l', 36, 5}, {'L', 50, 0}, {'l', 50, 0},
  /* 1E3C */ {'L', 46, 0}, {'l', 46, 0}, {'M', 2, 0}, {'m', 2, 0}, {'M', 8, 0}, {'m', 8, 0},
  /* 1E42 */ {'M', 36, 0}, {'m', 36, 0}, {'N', 8, 0}, {'n', 8, 0}, {'N', 36, 0}, {'n', 36, 0},
  /* 1E48 */ {'N', 50, 0}, {'n', 50, 0}, {'N', 46, 0}, {'n', 46, 0}, {'O', 4, 2}, {'o', 4, 2},
  /* 1E4E */ {'O', 4, 9}, {'o', 4, 9}, {'O', 5, 1}, {'o', 5, 1}, {'O', 5, 2}, {'o', 5, 2},
  /* 1E54 */ {'P', 2, 0}, {'p', 2, 0}, {'P', 8, 0}, {'p', 8, 0}, {'R', 8, 0}, {'r', 8, 0},
  /* 1E5A */ {'R', 36, 0}, {'r', 36, 0}, {'R', 36, 5}, {'r', 36, 5}, {'R', 50, 0}, {'r', 50, 0},
  /* 1E60 */ {'S', 8, 0}, {'s', 8, 0}, {'S', 36, 0}, {'s', 36, 0}, {'S', 2, 8}, {'s', 2, 8},
  /* 1E66 */ {'S', 13, 8}, {'s', 13, 8}, {'S', 36, 8}, {'s', 36, 8}, {'T', 8, 0}, {'t', 8, 0},
  /* 1E6C */ {'T', 36, 0}, {'t', 36, 0}, {'T', 50, 0}, {'t', 50, 0}, {'T', 46, 0}, {'t', 46, 0},
  /* 1E72 */ {'U', 37, 0}, {'u', 37, 0}, {'U', 49, 0}, {'u', 49, 0}, {'U', 46, 0}, {'u', 46, 0},
  /* 1E78 */ {'U', 4, 2}, {'u', 4, 2}, {'U', 5, 9}, {'u', 5, 9}, {'V', 4, 0}, {'v', 4, 0},
  /* 1E7E */ {'V', 36, 0}, {'v', 36, 0}, {'W', 1, 0}, {'w', 1, 0}, {'W', 2, 0}, {'w', 2, 0},
  /* 1E84 */ {'W', 9, 0}, {'w', 9, 0}, {'W', 8, 0}, {'w', 8, 0}, {'W', 36, 0}, {'w', 36, 0},
  /* 1E8A */ {'X', 8, 0}, {'x', 8, 0}, {'X', 9, 0}, {'x', 9, 0}, {'Y', 8, 0}, {'y', 8, 0},
  /* 1E90 */ {'Z', 3, 0}, {'z', 3, 0}, {'Z', 36, 0}, {'z', 36, 0}, {'Z', 50, 0}, {'z', 50, 0},
  /* 1E96 */ {'h', 50, 0}, {'t', 9, 0}, {'w', 11, 0}, {'y', 11, 0}, {0, 0, 0}, {0, 0, 0},
  /* 1E9C */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {'A', 36, 0}, {'a', 36, 0},
  /* 1EA2 */ {'A', 10, 0}, {'a', 10, 0}, {'A', 3, 2}, {'a', 3, 2}, {'A', 3, 1}, {'a', 3, 1},
  /* 1EA8 */ {'A', 3, 10}, {'a', 3, 10}, {'A', 3, 4}, {'a', 3, 4}, {'A', 36, 3}, {'a', 36, 3},
  /* 1EAE */ {'A', 7, 2}, {'a', 7, 2}, {'A', 7, 1}, {'a', 7, 1}, {'A', 7, 10}, {'a', 7, 10},
  /* 1EB4 */ {'A', 7, 4}, {'a', 7, 4}, {'A', 36, 7}, {'a', 36, 7}, {'E', 36, 0}, {'e', 36, 0},
  /* 1EBA */ {'E', 10, 0}, {'e', 10, 0}, {'E', 4, 0}, {'e', 4, 0}, {'E', 3, 2}, {'e', 3, 2},
  /* 1EC0 */ {'E', 3, 1}, {'e', 3, 1}, {'E', 3, 10}, {'e', 3, 10}, {'E', 3, 4}, {'e', 3, 4},
  /* 1EC6 */ {'E', 36, 3}, {'e', 36, 3}, {'I', 10, 0}, {'i', 10, 0}, {'I', 36, 0}, {'i', 36, 0},
  /* 1ECC */ {'O', 36, 0}, {'o', 36, 0}, {'O', 10, 0}, {'o', 10, 0}, {'O', 3, 2}, {'o', 3, 2},
  /* 1ED2 */ {'O', 3, 1}, {'o', 3, 1}, {'O', 3, 10}, {'o', 3, 10}, {'O', 3, 4}, {'o', 3, 4},
  /* 1ED8 */ {'O', 36, 3}, {'o', 36, 3}, {'O', 28, 2}, {'o', 28, 2}, {'O', 28, 1}, {'o', 28, 1},
  /* 1EDE */ {'O', 28, 10}, {'o', 28, 10}, {'O', 28, 4}, {'o', 28, 4}, {'O', 28, 36}, {'o', 28, 36},
  /* 1EE4 */ {'U', 36, 0}, {'u', 36, 0}, {'U', 10, 0}, {'u', 10, 0}, {'U', 28, 2}, {'u', 28, 2},
  /* 1EEA */ {'U', 28, 1}, {'u', 28, 1}, {'U', 28, 10}, {'u', 28, 10}, {'U', 28, 4}, {'u', 28, 4},
  /* 1EF0 */ {'U', 28, 36}, {'u', 28, 36}, {'Y', 1, 0}, {'y', 1, 0}, {'Y', 36, 0}, {'y', 36, 0},
  /* 1EF6 */ {'Y', 10, 0}, {'y', 10, 0}, {'Y', 4, 0}, {'y', 4, 0}, {0, 0, 0}, {0, 0, 0},
  /* 1EFC */ {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
};

/* A cluster: one character that carries weights (or an ignorable one, or
 * none at the start of the string) and the combining marks after it.  A
 * run of digits makes a cluster per number segment.  After 30 marks a new
 * cluster starts, as if U+034F were there (UAX #15's stream-safe format),
 * which bounds what a cluster weighs; ICU has no such limit. */
#define MAX_MARKS 30
#define NUMBER_SEGMENT 254 /* ICU's longest number */
/* The most bytes a cluster gives a level: a number segment on level 1. */
#define CLUSTER_MAX (NUMBER_SEGMENT + 2)

enum { CL_NONE, CL_SIMPLE, CL_NUMBER };

typedef struct {
  const unsigned char *next;   /* first byte after the cluster */
  int kind;
  unsigned char prim[4];       /* CL_SIMPLE: primary weight bytes */
  int nprim;
  unsigned char tert;          /* CL_SIMPLE: tertiary weight */
  const unsigned char *digits; /* CL_NUMBER: the segment, without leading zeros */
  size_t ndigits;
  unsigned char dec[2];        /* marks of a precomposed letter, cp - 0x2FF */
  size_t ndec;
  const unsigned char *marks;  /* the marks that follow, two bytes each */
  size_t nmarks;
  size_t composed;             /* mark index that made ă â ê ô ơ ư, or SIZE_MAX */
} Cluster;

/* Strict UTF-8: an invalid byte decodes alone as 0x110000 + its value.
 * Reads no further than the first byte that is not a continuation, so
 * never past the terminating NUL. */
static uint32_t decode(const unsigned char *p, size_t *len)
{
  unsigned char c = p[0];
  uint32_t cp;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, cp = c & 0x1Fu;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, cp = c & 0x0Fu;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F; /* no surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, cp = c & 0x07u;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    *len = 1;
    return c < 0x80 ? c : 0x110000u + c;
  }
  for (size_t i = 1; i < n; i++) {
    unsigned char b = p[i];
    if (b < lo || b > hi) {
      *len = 1;
      return 0x110000u + c;
    }
    cp = cp << 6 | (b & 0x3Fu);
    lo = 0x80, hi = 0xBF;
  }
  *len = n;
  return cp;
}

/* Whether a combining mark (U+0300-U+036F but U+034F, two bytes in UTF-8)
 * starts at p. */
static int mark_at(const unsigned char *p)
{
  if (p[0] == 0xCC)
    return p[1] >= 0x80 && p[1] <= 0xBF;
  if (p[0] == 0xCD)
    return p[1] >= 0x80 && p[1] <= 0xAF && p[1] != 0x8F;
  return 0;
}

/* The i-th mark of a cluster (the letter's own first), as cp - 0x300. */
static unsigned mark_index(const Cluster *c, size_t i)
{
  if (i < c->ndec)
    return c->dec[i] - 1u;
  const unsigned char *p = c->marks + 2 * (i - c->ndec);
  return ((p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu)) - MARK_FIRST;
}

static void simple(Cluster *c, unsigned char prim, unsigned char tert)
{
  c->kind = CL_SIMPLE;
  c->prim[0] = prim;
  c->nprim = 1;
  c->tert = tert;
}

/* An ASCII letter's weights; returns it in lower case. */
static int base_letter(Cluster *c, unsigned char ascii)
{
  int upper = ascii <= 'Z';
  int lower = upper ? ascii - 'A' + 'a' : ascii;
  simple(c, (unsigned char)(P_LETTER + letter_rank[lower - 'a']),
         upper ? T_UPPER : T_LOWER);
  return lower;
}

/* The Vietnamese letter that a, e, o or u makes with a breve (U+0306),
 * circumflex (U+0302) or horn (U+031B), or -1. */
static int compose(int base, unsigned mark)
{
  switch (mark + MARK_FIRST) {
  case 0x306: return base == 'a' ? L_A_BREVE : -1;
  case 0x302:
    return base == 'a' ? L_A_CIRCUMFLEX : base == 'e' ? L_E_CIRCUMFLEX :
           base == 'o' ? L_O_CIRCUMFLEX : -1;
  case 0x31B: return base == 'o' ? L_O_HORN : base == 'u' ? L_U_HORN : -1;
  default: return -1;
  }
}

/* Composes as NFC would: in canonical order, only the first mark of each
 * class is not blocked, and the one of the lowest class that composes wins
 * (o + horn + circumflex is ơ with a circumflex, in any input order). */
static void compose_letter(Cluster *c, int base)
{
  uint8_t seen[32] = { 0 };
  size_t n = c->ndec + c->nmarks;
  unsigned best_ccc = 256;
  int letter = -1;
  for (size_t i = 0; i < n; i++) {
    unsigned m = mark_index(c, i), k = mark_ccc[m];
    if (seen[k >> 3] & (1u << (k & 7)))
      continue;
    seen[k >> 3] = (uint8_t)(seen[k >> 3] | (1u << (k & 7)));
    int l = compose(base, m);
    if (l >= 0 && k < best_ccc) {
      best_ccc = k;
      letter = l;
      c->composed = i;
    }
  }
  if (letter >= 0)
    c->prim[0] = (unsigned char)(P_LETTER + letter);
}

/* Punctuation outside ASCII that ICU puts among the ASCII one. */
static unsigned char punct_other(uint32_t cp)
{
  switch (cp) {
  case 0x85: return P_NEL;
  case 0xA0: return P_SPACE; /* a tertiary variant of the space */
  case 0xAB: return P_LEFT_GUILLEMET;
  case 0xB7: return P_MIDDLE_DOT;
  case 0xBB: return P_RIGHT_GUILLEMET;
  case 0xD7: return P_TIMES;
  case 0x2013: return P_EN_DASH;
  case 0x2014: return P_EM_DASH;
  case 0x2018: return P_LEFT_SINGLE;
  case 0x2019: return P_RIGHT_SINGLE;
  case 0x201C: return P_LEFT_DOUBLE;
  case 0x201D: return P_RIGHT_DOUBLE;
  default: return 0;
  }
}

/* Parses the cluster at p (not at the end of the string). */
static void parse_cluster(const unsigned char *p, Cluster *c)
{
  size_t len;
  uint32_t cp = decode(p, &len);
  int base = 0;
  c->kind = CL_NONE;
  c->ndec = 0;
  c->nmarks = 0;
  c->composed = SIZE_MAX;
  if (cp < 0x80) {
    if (cp >= '0' && cp <= '9') {
      /* ICU: leading zeros are dropped but the run's last digit */
      while (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
        p++;
      c->kind = CL_NUMBER;
      c->digits = p;
      for (len = 1; len < NUMBER_SEGMENT && p[len] >= '0' && p[len] <= '9'; )
        len++;
      c->ndigits = len;
      if (p[len] >= '0' && p[len] <= '9') { /* the next segment follows */
        c->next = p + len;
        return;
      }
    } else if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') {
      base = base_letter(c, (unsigned char)cp);
    } else if (punct_ascii[cp]) {
      simple(c, punct_ascii[cp], T_LOWER);
    } /* else a control character: ignorable */
  } else if (cp >= MARK_FIRST && cp < MARK_FIRST + MARK_COUNT) {
    /* a mark with nothing before it to carry it: only the marks' weights
     * (U+034F weighs nothing and keeps the marks after it apart) */
    if (cp != MARK_CGJ)
      len = 0;
  } else {
    unsigned char punct = punct_other(cp);
    const unsigned char *d = NULL;
    if (cp >= 0xC0 && cp < 0x250)
      d = dec_latin[cp - 0xC0];
    else if (cp >= 0x1E00 && cp < 0x1F00)
      d = dec_extended[cp - 0x1E00];
    if (punct) {
      simple(c, punct, cp == 0xA0 ? T_VARIANT : T_LOWER);
    } else if (cp == 0x110 || cp == 0x111) { /* Đ đ */
      simple(c, P_LETTER + L_D_STROKE, cp == 0x110 ? T_UPPER : T_LOWER);
    } else if (d && d[0]) {
      base = base_letter(c, d[0]);
      c->dec[0] = d[1];
      c->dec[1] = d[2];
      c->ndec = d[2] ? 2 : 1;
    } else if (cp >= 0xA0) {
      simple(c, P_OTHER, T_LOWER);
      c->prim[1] = (unsigned char)((cp >> 14) + 2);
      c->prim[2] = (unsigned char)(((cp >> 7) & 0x7F) + 2);
      c->prim[3] = (unsigned char)((cp & 0x7F) + 2);
      c->nprim = 4;
    } /* else a C1 control: ignorable */
  }
  p += len;
  c->marks = p;
  while (c->nmarks < MAX_MARKS && mark_at(p)) {
    p += 2;
    c->nmarks++;
  }
  c->next = p;
  if ((base == 'a' || base == 'e' || base == 'o' || base == 'u') &&
      c->ndec + c->nmarks)
    compose_letter(c, base);
}

/* The secondary weights of the cluster's marks, in canonical order (by
 * combining class, stably), but the one composed into the letter. */
static size_t mark_weights(const Cluster *c, unsigned char *out)
{
  size_t n = c->ndec + c->nmarks, k = 0;
  unsigned ccc = 0;
  for (;;) {
    unsigned next = 256;
    for (size_t i = 0; i < n; i++) {
      unsigned m = mark_ccc[mark_index(c, i)];
      if (m > ccc && m < next)
        next = m;
    }
    if (next == 256)
      return k;
    ccc = next;
    for (size_t i = 0; i < n; i++) {
      unsigned m = mark_index(c, i);
      if (mark_ccc[m] != ccc || i == c->composed)
        continue;
      if (m + MARK_FIRST == MARK_DIALYTIKA_TONOS) { /* two marks */
        out[k++] = S_COMMON + mark_rank[0x308 - MARK_FIRST];
        out[k++] = S_COMMON + mark_rank[0x301 - MARK_FIRST];
      } else {
        out[k++] = (unsigned char)(S_COMMON + mark_rank[m]);
      }
    }
  }
}

/* The cluster's weights on one level (at most CLUSTER_MAX bytes). */
static size_t cluster_weights(const Cluster *c, int level, unsigned char *out)
{
  size_t k = 0;
  if (c->kind == CL_NUMBER) {
    if (level == 1) {
      out[k++] = P_NUMBER;
      out[k++] = (unsigned char)(c->ndigits + 1);
      memcpy(out + k, c->digits, c->ndigits);
      k += c->ndigits;
    } else {
      out[k++] = level == 2 ? S_COMMON : T_LOWER;
    }
  } else if (c->kind == CL_SIMPLE) {
    if (level == 1) {
      memcpy(out, c->prim, (size_t)c->nprim);
      k = (size_t)c->nprim;
    } else {
      out[k++] = level == 2 ? S_COMMON : c->tert;
    }
  }
  if (level == 2 && c->ndec + c->nmarks)
    k += mark_weights(c, out + k);
  return k;
}

/* The common case, without parse_cluster: an ASCII letter or punctuation
 * mark with no combining mark after it weighs one byte on each level. */
static inline int ascii_simple(const unsigned char *p, unsigned char *prim,
                               unsigned char *tert)
{
  unsigned char ch = p[0], lower = ch | 0x20;
  if (ch >= 0x80 || p[1] == 0xCC || p[1] == 0xCD)
    return 0;
  if (lower >= 'a' && lower <= 'z') {
    *prim = (unsigned char)(P_LETTER + letter_rank[lower - 'a']);
    *tert = ch <= 'Z' ? T_UPPER : T_LOWER;
    return 1;
  }
  *prim = punct_ascii[ch];
  *tert = T_LOWER;
  return *prim != 0;
}

/* The weights of one level, a cluster at a time. */
typedef struct {
  const unsigned char *p; /* start of the next cluster */
  int level;
  size_t i, n;
  unsigned char buf[CLUSTER_MAX];
} Stream;

/* Next weight byte of the level, 0 at its end. */
static unsigned char stream_next(Stream *s)
{
  while (s->i == s->n) {
    unsigned char prim, tert;
    if (!*s->p)
      return 0;
    if (ascii_simple(s->p, &prim, &tert)) {
      s->p++;
      return s->level == 1 ? prim : s->level == 2 ? S_COMMON : tert;
    }
    Cluster c;
    parse_cluster(s->p, &c);
    s->p = c.next;
    s->i = 0;
    s->n = cluster_weights(&c, s->level, s->buf);
  }
  return s->buf[s->i++];
}

int hicov_collate(const char *a, const char *b)
{
  if (!a || !b)
    return !a && !b ? 0 : a ? 1 : -1;
  for (int level = 1; level <= 3; level++) {
    Stream x, y;
    x.p = (const unsigned char *)a;
    y.p = (const unsigned char *)b;
    x.level = y.level = level;
    x.i = x.n = y.i = y.n = 0;
    for (;;) {
      unsigned char p = stream_next(&x), q = stream_next(&y);
      if (p != q)
        return p < q ? -1 : 1;
      if (!p)
        break;
    }
  }
  int r = strcmp(a, b);
  return (r > 0) - (r < 0);
}

static void put(unsigned char *buf, size_t size, size_t *n,
                const unsigned char *w, size_t k)
{
  if (*n < size)
    memcpy(buf + *n, w, k < size - *n ? k : size - *n);
  *n += k;
}

/* Names up to this length make their key in one pass over the clusters,
 * the secondary and tertiary weights waiting on the stack (at most 2 and 1
 * bytes per input byte); longer ones in a pass per level. */
#define KEY_ONE_PASS 256

size_t hicov_collate_key(const char *s, unsigned char *buf, size_t size)
{
  const unsigned char *str = (const unsigned char *)(s ? s : "");
  static const unsigned char sep = KEY_SEP;
  unsigned char w[CLUSTER_MAX];
  size_t n = 0, len = strlen((const char *)str);
  if (!buf)
    size = 0;
  if (len <= KEY_ONE_PASS) {
    unsigned char sec[2 * KEY_ONE_PASS + CLUSTER_MAX], ter[KEY_ONE_PASS + CLUSTER_MAX];
    size_t ns = 0, nt = 0;
    for (const unsigned char *p = str; *p;) {
      if (ascii_simple(p, w, ter + nt)) {
        put(buf, size, &n, w, 1);
        sec[ns++] = S_COMMON;
        nt++;
        p++;
        continue;
      }
      Cluster c;
      parse_cluster(p, &c);
      p = c.next;
      put(buf, size, &n, w, cluster_weights(&c, 1, w));
      ns += cluster_weights(&c, 2, sec + ns);
      nt += cluster_weights(&c, 3, ter + nt);
    }
    put(buf, size, &n, &sep, 1);
    put(buf, size, &n, sec, ns);
    put(buf, size, &n, &sep, 1);
    put(buf, size, &n, ter, nt);
    put(buf, size, &n, &sep, 1);
  } else {
    for (int level = 1; level <= 3; level++) {
      for (const unsigned char *p = str; *p;) {
        Cluster c;
        parse_cluster(p, &c);
        p = c.next;
        put(buf, size, &n, w, cluster_weights(&c, level, w));
      }
      put(buf, size, &n, &sep, 1);
    }
  }
  put(buf, size, &n, str, len);
  if (n < size)
    buf[n] = 0;
  return n;
}

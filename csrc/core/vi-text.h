/* vi-text.h - Vietnamese text for matching and sorting (vi-text.c).
 * Private to hicov (the core and the layers above it). Not API.
 *
 * The core uses libc only, so it carries the small part of Unicode that
 * Vietnamese names need: the 134 precomposed vowels (12 vowels x 6 tones,
 * upper and lower case) and đ/Đ, their decomposed forms (NFD, as macOS and
 * some input methods write them: "a" + U+0302 + U+0301), and the
 * "composite" form of Unikey (a precomposed "â" + U+0301). Everything else
 * passes through unchanged. */
#ifndef HICOV_VI_TEXT_H
#define HICOV_VI_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* The matching key of a name: NFC, lower case (đ for Đ, and for the
 * look-alike Ð U+00D0), runs of white space (tab, newline, no-break and
 * other Unicode spaces) made one space, trimmed; zero-width spaces and
 * byte-order marks dropped. Writes at most size bytes, NUL included, and
 * returns the length of the key (which was cut short when >= size). */
size_t hicov_vi_fold(const char *s, size_t len, char *out, size_t size);

/* The same text in NFC with case and spacing kept (for display). */
size_t hicov_vi_nfc(const char *s, size_t len, char *out, size_t size);

/* An administrative prefix at the start of a folded key: "xã ", "phường ",
 * "thị trấn " / "tt " / "tt. ", "huyện ", "quận ", "thị xã " / "tx ",
 * "thành phố " / "tp " / "tp. ", "tỉnh ". Returns the number of bytes it
 * takes (0 if none) and its canonical folded form in *canonical ("thành
 * phố" for "tp."), a static string. A prefix alone is no prefix ("xã" is a
 * name). */
size_t hicov_vi_prefix(const char *folded, const char **canonical);


#endif

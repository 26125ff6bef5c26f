/* UTF-8 validation: text from outside is checked once, where it enters. */
#ifndef JICENG_UTF8_H
#define JICENG_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (no overlong forms, surrogates, or code points over
 * U+10FFFF) and holds no NUL. */
bool utf8_valid(const char *s, size_t len);

/* The number of code points in well-formed UTF-8. */
size_t utf8_length(const char *s, size_t len);

/* The longest prefix of the valid UTF-8 text s[0..len) that has at most max bytes and ends
 * on a character boundary: for cutting free text to a column's size. */
size_t utf8_fit(const char *s, size_t len, size_t max);

#endif

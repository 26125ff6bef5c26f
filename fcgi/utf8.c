/* UTF-8 validation following the table of well-formed byte sequences in Unicode 15, §3.9. */
#include "utf8.h"

bool utf8_valid(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text, *end = s + len;
    while (s < end) {
        unsigned char c = *s++;
        if (c == 0)
            return false;
        if (c < 0x80)
            continue;
        int more;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            if (c == 0xED)
                hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            if (c == 0xF4)
                hi = 0x8F; /* over U+10FFFF */
        } else {
            return false;
        }
        if (end - s < more || *s < lo || *s > hi)
            return false;
        s++;
        for (int i = 1; i < more; i++, s++)
            if (*s < 0x80 || *s > 0xBF)
                return false;
    }
    return true;
}

size_t utf8_length(const char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n;
}

size_t utf8_fit(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--; /* s[max] continues the character that starts before it */
    return max;
}

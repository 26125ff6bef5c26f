/* base64url without padding (RFC 4648 section 5), for tokens and cursors that travel in
 * cookies and URLs as they are. nettle does the coding; this only handles the padding. */
#ifndef JICENG_BASE64URL_H
#define JICENG_BASE64URL_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* The text of len bytes of data, NUL-terminated, in arena memory. */
char *base64url_encode(struct arena *a, const void *data, size_t len);

/* Decodes text (only the base64url alphabet, at most max_len characters) into arena memory,
 * NUL-terminated; *len is the number of bytes. NULL when text is not base64url. */
unsigned char *base64url_decode(struct arena *a, const char *text, size_t max_len, size_t *len);

#endif

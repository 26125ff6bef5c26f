/* base64url without padding, on nettle. */
#include "base64url.h"

#include <nettle/base64.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"

static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *base64url_encode(struct arena *a, const void *data, size_t len)
{
    char *out = arena_alloc(a, BASE64_ENCODE_LENGTH(len) + BASE64_ENCODE_FINAL_LENGTH + 1);
    struct base64_encode_ctx ctx;
    base64url_encode_init(&ctx);
    size_t n = base64_encode_update(&ctx, out, len, data);
    n += base64_encode_final(&ctx, out + n);
    out[n] = '\0';
    out[strcspn(out, "=")] = '\0';
    return out;
}

unsigned char *base64url_decode(struct arena *a, const char *text, size_t max_len, size_t *len)
{
    size_t text_len = strlen(text);
    if (text_len == 0 || text_len > max_len || strspn(text, ALPHABET) != text_len)
        return NULL;
    /* nettle wants the padding back. */
    char *padded = arena_printf(a, "%s%.*s", text, (int)((4 - text_len % 4) % 4), "===");
    size_t padded_len = strlen(padded);
    uint8_t *out = arena_alloc(a, BASE64_DECODE_LENGTH(padded_len) + 1);
    struct base64_decode_ctx ctx;
    base64url_decode_init(&ctx);
    *len = 0;
    if (!base64_decode_update(&ctx, len, out, padded_len, padded) || !base64_decode_final(&ctx))
        return NULL;
    out[*len] = '\0';
    return out;
}

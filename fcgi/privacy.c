/* Masking personal data; see privacy.h. */
#include "privacy.h"

#include <string.h>

#include "config.h"

bool privacy_allowed(const struct config *cfg, unsigned roles)
{
    return (cfg->personal_data_roles & roles) != 0;
}

/* Keeps the first head and the last tail characters of value and puts stars stars between;
 * a value too short to keep anything becomes as many stars as it is long. Plain copies: this
 * runs for every row of a roster page. */
static void mask(const char *value, size_t head, size_t stars, size_t tail, char *out,
                 size_t cap)
{
    if (cap == 0)
        return;
    size_t len = strlen(value), n = 0;
    bool keep = len >= head + tail;
    size_t total = keep ? head + stars + tail : len;
    for (size_t i = 0; i < total && n < cap - 1; i++, n++) {
        if (keep && i < head)
            out[n] = value[i];
        else if (keep && i >= head + stars)
            out[n] = value[len - tail + (i - head - stars)];
        else
            out[n] = '*';
    }
    out[n] = '\0';
}

void privacy_mask_id_number(const char *id_number, char *out, size_t cap)
{
    mask(id_number, 6, 8, 4, out, cap);
}

void privacy_mask_mobile(const char *mobile, char *out, size_t cap)
{
    mask(mobile, 3, 4, 4, out, cap);
}

json_t *privacy_id_number_json(const char *id_number, bool allowed)
{
    if (!id_number)
        return json_null();
    if (allowed)
        return json_string(id_number);
    char masked[64];
    privacy_mask_id_number(id_number, masked, sizeof masked);
    return json_string(masked);
}

json_t *privacy_mobile_json(const char *mobile, bool allowed)
{
    if (!mobile)
        return json_null();
    if (allowed)
        return json_string(mobile);
    char masked[64];
    privacy_mask_mobile(mobile, masked, sizeof masked);
    return json_string(masked);
}

/* Masking personal data; see privacy.h. */
#include "privacy.h"

#include <stdio.h>
#include <string.h>

#include "config.h"

bool privacy_allowed(const struct config *cfg, unsigned roles)
{
    return (cfg->personal_data_roles & roles) != 0;
}

/* Keeps the first head and the last tail characters of value and puts stars stars between;
 * a value too short to keep anything becomes as many stars as it is long. */
static void mask(const char *value, size_t head, size_t stars, size_t tail, char *out,
                 size_t cap)
{
    size_t len = strlen(value);
    if (len < head + tail) {
        char all[64];
        size_t n = len < sizeof all - 1 ? len : sizeof all - 1;
        memset(all, '*', n);
        all[n] = '\0';
        snprintf(out, cap, "%s", all);
        return;
    }
    snprintf(out, cap, "%.*s%.*s%s", (int)head, value, (int)stars, "****************",
             value + len - tail);
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

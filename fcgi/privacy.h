/* Personal data of cadres (resident ID numbers, mobile numbers): shown in full only to the roles
 * the [roles] personal_data setting names, masked for everyone else. */
#ifndef JICENG_PRIVACY_H
#define JICENG_PRIVACY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct config;

/* True when a user with these roles (enum role bits) may see personal data unmasked. */
bool privacy_allowed(const struct config *cfg, unsigned roles);

/* An ID number as its first 6 and last 4 characters with 8 asterisks between
 * ("210102********0025"); anything shorter than 10 characters is all asterisks. Writes at most
 * cap bytes into out, always NUL-terminated. */
void privacy_mask_id_number(const char *id_number, char *out, size_t cap);

/* A mobile number as its first 3 and last 4 digits with 4 asterisks between ("138****5678");
 * anything shorter than 7 characters is all asterisks. */
void privacy_mask_mobile(const char *mobile, char *out, size_t cap);

/* The value as a new JSON string, masked unless allowed; JSON null for NULL. */
json_t *privacy_id_number_json(const char *id_number, bool allowed);
json_t *privacy_mobile_json(const char *mobile, bool allowed);

#endif

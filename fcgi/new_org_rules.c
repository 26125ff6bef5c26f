/* The credit code check and the recommendation rules of new organisations; see new_org_rules.h. */
#include "new_org_rules.h"

#include <ctype.h>
#include <string.h>

/* GB 32100-2015, table of code characters: digits and the capitals but I, O, Z, S, V. */
static const char ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

const char *const recommendation_names[] = {"committee", "committee_conditions_unmet",
                                            "liaison_officer", NULL};

static int value_of(char c)
{
    const char *p = c ? strchr(ALPHABET, c) : NULL;
    return p ? (int)(p - ALPHABET) : -1;
}

char credit_code_check_char(const char *code17)
{
    int sum = 0, weight = 1;
    for (int i = 0; i < 17; i++) {
        int v = value_of(code17[i]);
        if (v < 0)
            return '\0';
        sum += v * weight;
        weight = weight * 3 % 31;
    }
    return ALPHABET[(31 - sum % 31) % 31];
}

enum credit_code_problem credit_code_check(const char *text)
{
    if (strlen(text) != CREDIT_CODE_LENGTH)
        return CREDIT_CODE_SHAPE;
    for (int i = 0; i < CREDIT_CODE_LENGTH; i++)
        if (value_of(text[i]) < 0)
            return CREDIT_CODE_SHAPE;
    /* Characters 3 to 8 are the division code of the registering authority's region. */
    for (int i = 2; i < 8; i++)
        if (!isdigit((unsigned char)text[i]))
            return CREDIT_CODE_REGION;
    if (memcmp(text + 2, "00", 2) == 0)
        return CREDIT_CODE_REGION;
    return credit_code_check_char(text) == text[17] ? CREDIT_CODE_OK : CREDIT_CODE_CHECK;
}

void credit_code_normalise(char *text)
{
    for (char *p = text; *p; p++)
        *p = (char)toupper((unsigned char)*p);
}

const char *credit_code_problem_text(enum credit_code_problem p)
{
    switch (p) {
    case CREDIT_CODE_OK:
        return "";
    case CREDIT_CODE_SHAPE:
        return "must be 18 characters of digits and capital letters other than I, O, Z, S and V";
    case CREDIT_CODE_REGION:
        return "holds no division code in characters 3 to 8";
    case CREDIT_CODE_CHECK:
        return "has a wrong check character";
    }
    return "is not a unified social credit code";
}

enum recommendation new_org_recommend(long long female_employees,
                                      const struct new_org_conditions *c)
{
    if (female_employees < COMMITTEE_THRESHOLD)
        return RECOMMEND_LIAISON_OFFICER;
    if (c->stable_operation && c->stable_female_workforce && c->suitable_chair)
        return RECOMMEND_COMMITTEE;
    return RECOMMEND_COMMITTEE_CONDITIONS;
}

int new_org_failing_conditions(const struct new_org_conditions *c, const char *out[4])
{
    int n = 0;
    if (!c->stable_operation)
        out[n++] = "stable_operation";
    if (!c->stable_female_workforce)
        out[n++] = "stable_female_workforce";
    if (!c->suitable_chair)
        out[n++] = "suitable_chair";
    out[n] = NULL;
    return n;
}

int new_org_rating_rank(const char *rating)
{
    static const char *const ranks[] = {"excellent", "up_to_standard", "none"};
    for (int i = 0; i < 3; i++)
        if (strcmp(rating, ranks[i]) == 0)
            return i;
    return 2;
}

int new_org_work_order(const char *rating, enum recommendation r)
{
    /* migration 008 uses FIELD(), which counts from 1 */
    return (new_org_rating_rank(rating) + 1) * 3 + (int)r;
}

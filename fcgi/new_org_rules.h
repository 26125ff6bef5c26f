/* The rules of new economic and social organisations (两新组织) that need no database: the
 * unified social credit code (GB 32100-2015) and the recommendation DOMAIN.md's rules give for
 * an organisation. Kept apart from the handlers so they can be unit-tested. */
#ifndef JICENG_NEW_ORG_RULES_H
#define JICENG_NEW_ORG_RULES_H

#include <stdbool.h>

enum { CREDIT_CODE_LENGTH = 18, COMMITTEE_THRESHOLD = 30 };

enum credit_code_problem {
    CREDIT_CODE_OK,
    CREDIT_CODE_SHAPE,  /* not 18 characters of the code's alphabet */
    CREDIT_CODE_REGION, /* characters 3 to 8 are not the 6 digits of a division code */
    CREDIT_CODE_CHECK,  /* the last character is not the check character */
};

/* The check character of the first 17 characters of a code (all in the alphabet
 * 0-9 A-H J-N P-R T U W-Y, which leaves out I, O, Z, S and V): 31 minus the weighted sum modulo
 * 31, with weights 3^i mod 31. '\0' when a character is not in the alphabet. */
char credit_code_check_char(const char *code17);

/* Checks text (upper case; see credit_code_normalise). */
enum credit_code_problem credit_code_check(const char *text);

/* Turns lower-case letters into upper case, as people type either. Changes text in place. */
void credit_code_normalise(char *text);

/* What is wrong, in a few words for an error message; "" for CREDIT_CODE_OK. Static text. */
const char *credit_code_problem_text(enum credit_code_problem p);

/* The three conditions of "two stable, one suitable" (两稳一适). */
struct new_org_conditions {
    bool stable_operation, stable_female_workforce, suitable_chair;
};

enum recommendation {
    RECOMMEND_COMMITTEE,            /* 30 or more women and all three conditions hold */
    RECOMMEND_COMMITTEE_CONDITIONS, /* 30 or more women, a condition fails */
    RECOMMEND_LIAISON_OFFICER,      /* fewer than 30 women */
};

/* The API's names of the recommendations, in enum order. */
extern const char *const recommendation_names[];

/* What the rules recommend for an organisation with female_employees female fixed employees. */
enum recommendation new_org_recommend(long long female_employees,
                                      const struct new_org_conditions *c);

/* The names of the conditions that fail ("stable_operation", ...), NULL-terminated, in out
 * (room for 4). Returns how many. */
int new_org_failing_conditions(const struct new_org_conditions *c, const char *out[4]);

/* The rank of a Party organisation rating in the work list: excellent 0, up_to_standard 1,
 * none 2 (unknown names rank last). */
int new_org_rating_rank(const char *rating);

/* An organisation's place in a work list: by rating rank, then by recommendation. The same as
 * new_org.work_order in migration 008. */
int new_org_work_order(const char *rating, enum recommendation r);

#endif

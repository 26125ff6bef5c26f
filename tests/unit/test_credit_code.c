/* Unified social credit codes (GB 32100-2015) and the recommendation rules of new organisations. */
#include "check.h"
#include "new_org_rules.h"

int main(void)
{
    /* The example of the standard and codes of real enterprises, as published. */
    static const char *const valid[] = {
        "91350100M000100Y43", "914403001922038216", "91330100716105852F",
        "91110000802100433B", "9144030071526726XG", "91310000MA1FL3LH1J",
        "91110108551385082Q", "91110000710935732K", "91440300708461136T",
    };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        CHECK_INT(credit_code_check(valid[i]), CREDIT_CODE_OK);
        CHECK_INT(credit_code_check_char(valid[i]), valid[i][17]);
    }

    /* Wrong check characters: off by one in the alphabet, a digit for a letter, two characters
     * swapped (the commonest typing error), one character changed elsewhere. */
    CHECK_INT(credit_code_check("91350100M000100Y44"), CREDIT_CODE_CHECK);
    CHECK_INT(credit_code_check("91330100716105852G"), CREDIT_CODE_CHECK);
    CHECK_INT(credit_code_check("9144030071526726X0"), CREDIT_CODE_CHECK);
    CHECK_INT(credit_code_check("914403009122038216"), CREDIT_CODE_CHECK);
    CHECK_INT(credit_code_check("914403001922038226"), CREDIT_CODE_CHECK);

    /* Characters outside the alphabet, also as the check character; lengths. */
    CHECK_INT(credit_code_check("91350100M000100I43"), CREDIT_CODE_SHAPE);
    CHECK_INT(credit_code_check("91350100M000100O43"), CREDIT_CODE_SHAPE);
    CHECK_INT(credit_code_check("91350100M000100Y4S"), CREDIT_CODE_SHAPE);
    CHECK_INT(credit_code_check("91350100M000100Y4V"), CREDIT_CODE_SHAPE);
    CHECK_INT(credit_code_check("91350100M000100Y4Z"), CREDIT_CODE_SHAPE);
    CHECK_INT(credit_code_check("91350100m000100Y43"), CREDIT_CODE_SHAPE);
    CHECK_INT(credit_code_check("91350100M000100Y4"), CREDIT_CODE_SHAPE);
    CHECK_INT(credit_code_check("91350100M000100Y433"), CREDIT_CODE_SHAPE);
    CHECK_INT(credit_code_check(""), CREDIT_CODE_SHAPE);
    CHECK_INT(credit_code_check_char("91350100M000100I4"), '\0');

    /* The division code: six digits, not starting 00. */
    char letters[] = "9135A100M000100Y43";
    letters[17] = credit_code_check_char(letters);
    CHECK_INT(credit_code_check(letters), CREDIT_CODE_REGION);
    char zeros[] = "910001000000100Y43";
    zeros[17] = credit_code_check_char(zeros);
    CHECK_INT(credit_code_check(zeros), CREDIT_CODE_REGION);

    /* Lower case typed is accepted once normalised. */
    char typed[] = "91310000ma1fl3lh1j";
    credit_code_normalise(typed);
    CHECK_STR(typed, "91310000MA1FL3LH1J");
    CHECK_INT(credit_code_check(typed), CREDIT_CODE_OK);
    CHECK_STR(credit_code_problem_text(CREDIT_CODE_CHECK), "has a wrong check character");

    /* Recommendations: the threshold of 30 women, and the three conditions. */
    struct new_org_conditions all = {true, true, true}, none = {false, false, false};
    struct new_org_conditions no_chair = {true, true, false};
    CHECK_INT(new_org_recommend(30, &all), RECOMMEND_COMMITTEE);
    CHECK_INT(new_org_recommend(500, &all), RECOMMEND_COMMITTEE);
    CHECK_INT(new_org_recommend(29, &all), RECOMMEND_LIAISON_OFFICER);
    CHECK_INT(new_org_recommend(0, &none), RECOMMEND_LIAISON_OFFICER);
    CHECK_INT(new_org_recommend(30, &no_chair), RECOMMEND_COMMITTEE_CONDITIONS);
    CHECK_INT(new_org_recommend(31, &none), RECOMMEND_COMMITTEE_CONDITIONS);
    const char *failing[4];
    CHECK_INT(new_org_failing_conditions(&no_chair, failing), 1);
    CHECK_STR(failing[0], "suitable_chair");
    CHECK(failing[1] == NULL);
    CHECK_INT(new_org_failing_conditions(&none, failing), 3);
    CHECK_STR(failing[0], "stable_operation");
    CHECK_STR(failing[1], "stable_female_workforce");
    CHECK_STR(failing[2], "suitable_chair");
    CHECK_INT(new_org_failing_conditions(&all, failing), 0);
    CHECK_STR(recommendation_names[RECOMMEND_COMMITTEE_CONDITIONS], "committee_conditions_unmet");

    /* The work list: rating first, then recommendation. */
    CHECK(new_org_work_order("excellent", RECOMMEND_LIAISON_OFFICER) <
          new_org_work_order("up_to_standard", RECOMMEND_COMMITTEE));
    CHECK(new_org_work_order("up_to_standard", RECOMMEND_LIAISON_OFFICER) <
          new_org_work_order("none", RECOMMEND_COMMITTEE));
    CHECK(new_org_work_order("none", RECOMMEND_COMMITTEE) <
          new_org_work_order("none", RECOMMEND_COMMITTEE_CONDITIONS));
    CHECK_INT(new_org_work_order("excellent", RECOMMEND_COMMITTEE), 3);
    CHECK_INT(new_org_work_order("none", RECOMMEND_LIAISON_OFFICER), 11);
    return check_report();
}

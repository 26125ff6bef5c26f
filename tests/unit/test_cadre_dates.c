/* The date arithmetic of the cadre files: ages, "n years before", and when training is due. */
#include "cadres.h"
#include "check.h"

int main(void)
{
    CHECK_INT(cadre_age("1985-06-15", "2026-06-14"), 40);
    CHECK_INT(cadre_age("1985-06-15", "2026-06-15"), 41); /* her birthday */
    CHECK_INT(cadre_age("1985-06-15", "2026-12-02"), 41);
    CHECK_INT(cadre_age("2000-02-29", "2025-02-28"), 24); /* a leap day's birthday: 1 March */
    CHECK_INT(cadre_age("2000-02-29", "2025-03-01"), 25);
    CHECK_INT(cadre_age("2026-12-02", "2026-12-02"), 0);
    CHECK_INT(cadre_age("junk", "2026-12-02"), 0);

    char out[11];
    cadre_years_before("2026-12-02", 2, out);
    CHECK_STR(out, "2024-12-02");
    cadre_years_before("2024-02-29", 1, out);
    CHECK_STR(out, "2023-02-28");
    cadre_years_before("2024-02-29", 4, out);
    CHECK_STR(out, "2020-02-29");
    cadre_years_before("2026-01-01", 151, out);
    CHECK_STR(out, "1875-01-01");

    /* Due: never trained, or not since the later of the term's start and two years ago. */
    CHECK(cadre_training_due(NULL, "2025-01-01", "2024-12-02"));
    CHECK(cadre_training_due("2024-12-01", NULL, "2024-12-02"));
    CHECK(!cadre_training_due("2024-12-02", NULL, "2024-12-02"));
    CHECK(cadre_training_due("2024-12-31", "2025-01-01", "2024-12-02")); /* before this term */
    CHECK(!cadre_training_due("2025-01-01", "2025-01-01", "2024-12-02"));
    CHECK(!cadre_training_due("2024-12-05", "2020-01-01", "2024-12-02")); /* a long term */
    return check_report();
}

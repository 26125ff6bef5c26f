/* Resident ID numbers (GB 11643-1999): check characters, X, birth dates, area codes, shapes. */
#include "check.h"
#include "id_number.h"

/* id_number_check's answer, and the birth date it found ("" when none). */
static enum id_number_problem check(const char *text, char birth[11])
{
    birth[0] = '\0';
    return id_number_check(text, birth);
}

int main(void)
{
    char birth[11];

    /* The example of the standard and numbers whose check character is X. */
    CHECK_INT(check("11010519491231002X", birth), ID_NUMBER_OK);
    CHECK_STR(birth, "1949-12-31");
    CHECK_INT(id_number_check_char("11010519491231002"), 'X');
    CHECK_INT(check("210102198002290026", birth), ID_NUMBER_OK); /* a leap day */
    CHECK_STR(birth, "1980-02-29");
    CHECK_INT(check("210102200001010029", birth), ID_NUMBER_OK);
    CHECK_STR(birth, "2000-01-01");
    CHECK_INT(id_number_check_char("21010219850615004"), '3');

    /* Wrong check characters: a digit off by one, X where a digit belongs, a digit for X. */
    CHECK_INT(check("210102198002290027", birth), ID_NUMBER_CHECK);
    CHECK_STR(birth, "");
    CHECK_INT(check("21010219800229002X", birth), ID_NUMBER_CHECK);
    CHECK_INT(check("110105194912310021", birth), ID_NUMBER_CHECK);
    /* Two digits swapped, the commonest typing error, change the check character. */
    CHECK_INT(check("210102198002290206", birth), ID_NUMBER_CHECK);

    /* Birth dates that are no dates, even with a correct check character. */
    CHECK_INT(check("21010219990230001X", birth), ID_NUMBER_BIRTH_DATE); /* 30 February */
    CHECK_INT(check("210102190002290011", birth), ID_NUMBER_BIRTH_DATE); /* 1900 is not leap */
    CHECK_INT(check("210102198013010018", birth), ID_NUMBER_BIRTH_DATE); /* month 13 */
    CHECK_INT(check("210102198001000015", birth), ID_NUMBER_BIRTH_DATE); /* day 0 */
    CHECK_INT(check("21010218991231001X", birth), ID_NUMBER_BIRTH_DATE); /* before 1900 */

    /* Area codes: an unknown province, a province without city and county. */
    CHECK_INT(check("990102198001010010", birth), ID_NUMBER_AREA);
    CHECK_INT(check("201102198002290025", birth), ID_NUMBER_AREA);
    CHECK_INT(check("210000198001010012", birth), ID_NUMBER_AREA);

    /* Shapes: length, letters, a lower-case x (normalised first, it passes). */
    CHECK_INT(check("", birth), ID_NUMBER_SHAPE);
    CHECK_INT(check("21010219800229002", birth), ID_NUMBER_SHAPE);
    CHECK_INT(check("2101021980022900260", birth), ID_NUMBER_SHAPE);
    CHECK_INT(check("21010219800229002A", birth), ID_NUMBER_SHAPE);
    CHECK_INT(check("2101021980O2290026", birth), ID_NUMBER_SHAPE);
    CHECK_INT(check("11010519491231002x", birth), ID_NUMBER_SHAPE);
    char typed[] = "11010519491231002x";
    id_number_normalise(typed);
    CHECK_STR(typed, "11010519491231002X");
    CHECK_INT(check(typed, birth), ID_NUMBER_OK);
    char other[] = "x";
    id_number_normalise(other);
    CHECK_STR(other, "x");

    CHECK_STR(id_number_problem_text(ID_NUMBER_CHECK), "has a wrong check character");
    CHECK_STR(id_number_problem_text(ID_NUMBER_OK), "");
    return check_report();
}

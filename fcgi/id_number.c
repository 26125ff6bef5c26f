/* Checking resident ID numbers (GB 11643-1999); see id_number.h. */
#include "id_number.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fields.h"

/* The first two digits of every area code are a province-level code. These are the ones
 * GB/T 2260 gives out, with 71 (台湾), 81 (香港), 82 (澳门) and 83 (residence permits of
 * Taiwan residents). Counties are not checked against the division table: numbers keep the
 * area code of birth, and many of those codes have been retired since. */
static const char PROVINCES[][3] = {"11", "12", "13", "14", "15", "21", "22", "23", "31",
                                    "32", "33", "34", "35", "36", "37", "41", "42", "43",
                                    "44", "45", "46", "50", "51", "52", "53", "54", "61",
                                    "62", "63", "64", "65", "71", "81", "82", "83"};

char id_number_check_char(const char *digits17)
{
    /* ISO 7064 MOD 11-2: weight of position i (from the left, 0-based) is 2^(17-i) mod 11. */
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (digits17[i] - '0') * weights[i];
    return "10X98765432"[sum % 11];
}

static bool province_known(const char *text)
{
    for (size_t i = 0; i < sizeof PROVINCES / sizeof PROVINCES[0]; i++)
        if (text[0] == PROVINCES[i][0] && text[1] == PROVINCES[i][1])
            return true;
    return false;
}

enum id_number_problem id_number_check(const char *text, char birth_date[11])
{
    if (strlen(text) != ID_NUMBER_LENGTH)
        return ID_NUMBER_SHAPE;
    for (int i = 0; i < 17; i++)
        if (!isdigit((unsigned char)text[i]))
            return ID_NUMBER_SHAPE;
    if (!isdigit((unsigned char)text[17]) && text[17] != 'X')
        return ID_NUMBER_SHAPE;
    /* The city and county digits are 01 and up: 00 would be the province itself. */
    if (!province_known(text) || memcmp(text + 2, "0000", 4) == 0)
        return ID_NUMBER_AREA;
    char date[11];
    snprintf(date, sizeof date, "%.4s-%.2s-%.2s", text + 6, text + 10, text + 12);
    if (!date_valid(date) || strcmp(date, "1900-01-01") < 0)
        return ID_NUMBER_BIRTH_DATE;
    if (id_number_check_char(text) != text[17])
        return ID_NUMBER_CHECK;
    if (birth_date)
        memcpy(birth_date, date, sizeof date);
    return ID_NUMBER_OK;
}

void id_number_normalise(char *text)
{
    size_t len = strlen(text);
    if (len == ID_NUMBER_LENGTH && text[len - 1] == 'x')
        text[len - 1] = 'X';
}

const char *id_number_problem_text(enum id_number_problem p)
{
    switch (p) {
    case ID_NUMBER_OK:
        return "";
    case ID_NUMBER_SHAPE:
        return "must be 17 digits followed by a digit or X";
    case ID_NUMBER_AREA:
        return "does not start with an area code";
    case ID_NUMBER_BIRTH_DATE:
        return "holds no valid birth date (digits 7 to 14)";
    case ID_NUMBER_CHECK:
        return "has a wrong check character";
    }
    return "is not a resident ID number";
}

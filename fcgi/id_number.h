/* Resident ID numbers (居民身份证号) per GB 11643-1999: a 6-digit area code, the birth date as
 * 8 digits, a 3-digit sequence number, and a check character computed with ISO 7064 MOD 11-2. */
#ifndef JICENG_ID_NUMBER_H
#define JICENG_ID_NUMBER_H

enum { ID_NUMBER_LENGTH = 18 };

enum id_number_problem {
    ID_NUMBER_OK,
    ID_NUMBER_SHAPE,      /* not 17 digits followed by a digit or X */
    ID_NUMBER_AREA,       /* the first 6 digits cannot be an area code */
    ID_NUMBER_BIRTH_DATE, /* digits 7 to 14 are no calendar date from 1900 on */
    ID_NUMBER_CHECK,      /* the last character is not the check character */
};

/* The check character, '0' to '9' or 'X', of 17 digits. */
char id_number_check_char(const char *digits17);

/* Checks text (upper-case X only; see id_number_normalise). When the answer is ID_NUMBER_OK and
 * birth_date is not NULL, writes the birth date in it as "YYYY-MM-DD". */
enum id_number_problem id_number_check(const char *text, char birth_date[11]);

/* Turns a final lower-case x into X, as people type it either way. Changes text in place. */
void id_number_normalise(char *text);

/* What is wrong, in a few words for an error message; "" for ID_NUMBER_OK. Static text. */
const char *id_number_problem_text(enum id_number_problem p);

#endif

# shellcheck shell=bash
# Helpers of the import tests (import.sh, jurisdiction.sh), sourced after lib.sh and
# cadre_helpers.bash. Not a test itself (ctest runs *.sh).

# The header of the cadre import file, as the template has it.
IMPORT_HEADER='区划代码,组织名称,姓名,性别,出生日期,民族,文化程度,政治面貌,身份证号,手机号,职业,职务,专职,进两委,任职日期'

# import_row REGION ORGANISATION NAME BIRTH_DATE [ID_NUMBER] [ROLE]: one line of a cadre file,
# a new ID number for the birth date unless one is given, role 执委 unless given.
import_row() {
    local id=${5:-}
    [[ -n $id ]] || id=$(new_id_number "$4")
    printf '%s,%s,%s,女,%s,,本科,群众,%s,13900001111,教师,%s,否,是,2024-01-15\n' \
        "$1" "$2" "$3" "$4" "$id" "${6:-执委}"
}

# upload USER FILE [QUERY]: POSTs FILE as the cadre import, e.g. upload heping-clerk f.csv
# '?dry_run=true'.
upload() {
    as "$1" POST "/api/v1/imports/cadres${3-}" -H 'Content-Type: text/csv' --data-binary "@$2"
}

# refused_import STATUS CODE USER FILE [QUERY]: the import answers STATUS with the error CODE
# and changes nothing in WATCHED_TABLES or the audit log.
refused_import() {
    local status=$1 code=$2 user=$3 file=$4 query=${5-} before
    before=$(state)
    upload "$user" "$file" "$query"
    expect_error "$status" "$code"
    expect_eq "$(state)" "$before" "$user imports $(basename "$file")$query: nothing written"
}

# row_errors: the errors of the last answer as "line:column:field:code" lines joined with |.
row_errors() {
    jq -r '[.errors[] | "\(.line):\(.column):\(.field):\(.code)"] | join("|")' <<<"$HTTP_BODY"
}

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

# make_xlsx OUT CSV: a minimal Excel workbook at OUT whose first sheet holds the rows of CSV
# (plain cells, no quoted commas), each cell a shared string, except cells written "#nNUMBER",
# which become number cells (as Excel stores dates: 45306 is 2024-01-15).
make_xlsx() {
    local out=$1 csv=$2 dir
    dir=$(mktemp -d "$TEST_TMP/xlsx.XXXXXX")
    mkdir -p "$dir/_rels" "$dir/xl/_rels" "$dir/xl/worksheets"
    cat >"$dir/[Content_Types].xml" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>
XML
    cat >"$dir/_rels/.rels" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
XML
    cat >"$dir/xl/workbook.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="干部" sheetId="1" r:id="rId1"/></sheets></workbook>
XML
    cat >"$dir/xl/_rels/workbook.xml.rels" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>
XML
    awk -F, -v sheet="$dir/xl/worksheets/sheet1.xml" -v strings="$dir/xl/sharedStrings.xml" '
        function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
        function col(i,   s) { s = ""; while (i > 0) { s = sprintf("%c", 65 + (i - 1) % 26) s; i = int((i - 1) / 26) } return s }
        BEGIN {
            printf "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" >sheet
        }
        {
            sub(/\r$/, "")
            printf "<row r=\"%d\">", NR >sheet
            for (i = 1; i <= NF; i++) {
                if ($i == "") continue
                if ($i ~ /^#n/) { printf "<c r=\"%s%d\"><v>%s</v></c>", col(i), NR, substr($i, 3) >sheet; continue }
                if (!($i in index_of)) { index_of[$i] = n++; order[n] = $i }
                printf "<c r=\"%s%d\" t=\"s\"><v>%d</v></c>", col(i), NR, index_of[$i] >sheet
            }
            printf "</row>" >sheet
        }
        END {
            printf "</sheetData></worksheet>\n" >sheet
            printf "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"%d\" uniqueCount=\"%d\">", n, n >strings
            for (i = 1; i <= n; i++) printf "<si><t>%s</t></si>", esc(order[i]) >strings
            printf "</sst>\n" >strings
        }' "$csv"
    rm -f "$out"
    (cd "$dir" && zip -qrX "$out" '[Content_Types].xml' _rels xl)
}

# The header of the organisation import file, as the template has it.
ORG_HEADER='区划代码,组织类型,依托单位类型,组织名称,本届开始日期,任期年数,村（社区）委员会换届日期,会改联日期'

# org_state: the audit log's size and the organisation table's rows as one line, like lib.sh's
# state. Not CHECKSUM TABLE: on this table (stored generated columns) MariaDB's checksum
# changes after a rolled-back insert through the view and changes back after a SELECT * while
# the rows stay the same, so the columns themselves are summed instead.
org_state() {
    sql "SELECT COUNT(*) FROM audit_log;
         SELECT COUNT(*), COALESCE(BIT_XOR(CRC32(CONCAT_WS('|', id, region, level, kind,
             IFNULL(host_kind, '-'), name, IFNULL(converted_on, '-'), IFNULL(term_start, '-'),
             IFNULL(term_years, '-'), IFNULL(village_committee_election, '-'), version,
             updated_at))), 0) FROM organisation" | tr '\n' ' '
}

# upload_orgs USER FILE [QUERY]: POSTs FILE as the organisation import.
upload_orgs() {
    as "$1" POST "/api/v1/imports/organisations${3-}" -H 'Content-Type: text/csv' --data-binary "@$2"
}

# refused_org_import STATUS CODE USER FILE [QUERY]: as refused_import, for organisations, with
# org_state.
refused_org_import() {
    local status=$1 code=$2 user=$3 file=$4 query=${5-} before
    before=$(org_state)
    upload_orgs "$user" "$file" "$query"
    expect_error "$status" "$code"
    expect_eq "$(org_state)" "$before" \
        "$user imports organisations $(basename "$file")$query: nothing written"
}

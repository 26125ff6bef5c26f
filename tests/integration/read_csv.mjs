// Reads a CSV file as a spreadsheet would (RFC 4180: quoted cells, doubled quotes, CRLF rows)
// and prints its rows as one JSON array of arrays of strings, for export.sh to check with jq.
// A leading UTF-8 BOM is reported, not kept: {"bom": true, "rows": [...]}.
// Not a test itself (ctest runs *.sh).
import { readFileSync } from 'node:fs';

let text = readFileSync(process.argv[2], 'utf8');
const bom = text.charCodeAt(0) === 0xfeff;
if (bom) text = text.slice(1);

const rows = [];
let row = [], cell = '', quoted = false, i = 0;
while (i < text.length) {
  const c = text[i];
  if (quoted) {
    if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
    if (c === '"') { quoted = false; i++; continue; }
    cell += c; i++; continue;
  }
  if (c === '"') { quoted = true; i++; continue; }
  if (c === ',') { row.push(cell); cell = ''; i++; continue; }
  if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
  cell += c; i++;
}
if (quoted) { console.error('unterminated quoted cell'); process.exit(1); }
if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
process.stdout.write(JSON.stringify({ bom, rows }));

/** One data record of a CSV file: its cells, and the line it starts on (the header is line 1). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

export class BadCsv extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** The separators spreadsheets write: comma, semicolon (locales with a decimal comma), tab. */
const SEPARATORS = [',', ';', '\t'];

/** The header line's separator: the first of SEPARATORS it holds outside quotes (comma when it holds none). */
function separatorOf(text: string): string {
  let quoted = false;
  const counts = new Map<string, number>();
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && SEPARATORS.includes(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  return SEPARATORS.find((separator) => counts.has(separator)) ?? ',';
}

/**
 * A CSV file as RFC 4180 writes it, and as spreadsheets export it: a UTF-8 byte order mark is dropped, lines
 * end in CRLF or LF, a quoted cell may hold separators, quotes (doubled) and line breaks, the separator is
 * the header's (comma, semicolon or tab), blank lines are skipped. The first line is the header. Stops after
 * `maxRecords` + 1 records, so that an oversized file is known as one without reading it all.
 */
export function parseCsv(input: string, maxRecords: number): CsvTable {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const separator = separatorOf(text);
  const rows: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let startLine = 1;
  let at = 0;
  let quotedCell = false;
  const endCell = () => {
    cells.push(cell);
    cell = '';
    quotedCell = false;
  };
  const endRecord = () => {
    endCell();
    if (cells.length > 1 || cells[0] !== '') rows.push({ line: startLine, cells });
    cells = [];
  };
  const full = () => rows.length > maxRecords + 1;
  while (at < text.length && !full()) {
    const char = text[at];
    if (char === '"' && cell === '' && !quotedCell) {
      // A quoted cell: up to the closing quote, "" standing for one quote.
      quotedCell = true;
      at++;
      for (;;) {
        if (at >= text.length) throw new BadCsv(startLine, 'a quoted cell is never closed');
        if (text[at] === '"') {
          if (text[at + 1] === '"') {
            cell += '"';
            at += 2;
            continue;
          }
          at++;
          break;
        }
        if (text[at] === '\n') line++;
        cell += text[at++];
      }
      const next = text[at];
      if (next !== undefined && next !== separator && next !== '\r' && next !== '\n') {
        throw new BadCsv(line, 'a quoted cell is followed by more than a separator or the end of the line');
      }
    } else if (char === separator) {
      endCell();
      at++;
    } else if (char === '\r' || char === '\n') {
      endRecord();
      at += char === '\r' && text[at + 1] === '\n' ? 2 : 1;
      line++;
      startLine = line;
    } else if (char === '"') {
      throw new BadCsv(line, 'a quote inside an unquoted cell (quote the whole cell and double the quote)');
    } else {
      cell += char;
      at++;
    }
  }
  if (!full() && (cell !== '' || cells.length > 0 || quotedCell)) endRecord();
  const [header, ...records] = rows;
  if (!header) throw new BadCsv(1, 'the file is empty: its first line must name the columns');
  return { header: header.cells.map((name) => name.trim()), records };
}

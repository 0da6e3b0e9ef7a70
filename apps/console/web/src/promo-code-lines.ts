/** A promo code as typed on one line of the codes box: the line's number (from 1) and the code, trimmed. */
export interface CodeLine {
  line: number;
  code: string;
}

/** What the API refused of a request to create codes; `line` and `code` when it named one of them. */
export interface RefusedLine {
  line?: number;
  code?: string;
  reason: string;
}

const LINE_FIELD = /^codes\[(\d+)\]$/;

/** The codes of the box, one a line; blank lines are skipped (the API would refuse an empty code). */
export function codeLines(text: string): CodeLine[] {
  return text
    .split('\n')
    .map((raw, index) => ({ line: index + 1, code: raw.trim() }))
    .filter((entry) => entry.code !== '');
}

/**
 * The API's refusals on the lines they are about. The API names a code by
 * its place in the request (`codes[i]`, or `code` when only one was sent),
 * and blank lines were never sent, so `i` is turned back into the line the
 * user sees, in the reason too ("repeats codes[0]" → "repeats line 1").
 */
export function refusedLines(lines: CodeLine[], errors: Array<{ field: string; reason: string }>): RefusedLine[] {
  const readable = (reason: string) => reason.replace(/codes\[(\d+)\]/g, (named, index: string) => (lines[Number(index)] ? `line ${lines[Number(index)].line}` : named));
  const refused: RefusedLine[] = [];
  for (const { field, reason } of errors) {
    const index = field === 'code' ? '0' : LINE_FIELD.exec(field)?.[1];
    const entry = index === undefined ? undefined : lines[Number(index)];
    if (entry) refused.push({ line: entry.line, code: entry.code, reason: readable(reason) });
    else if (field === 'codes' || index !== undefined) refused.push({ reason: `${field}: ${readable(reason)}` });
  }
  return refused.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

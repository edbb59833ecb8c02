import { parse } from 'csv-parse/sync';

/**
 * The rows of an ingest job's CSV upload, as csv-parse reads them with the options the job
 * uses (a leading byte order mark dropped, empty lines skipped, every row as long as the
 * first). An upload with no quote and no carriage return (what connectors write when no value
 * needs quoting, as the Pryzm_ID__c write-back does) is split on its line feeds and delimiter
 * directly, which gives the same rows several times faster; anything else, and any row of
 * another length (so that the error is csv-parse's own), goes through csv-parse.
 */
export function parseUpload(text: string, delimiter: string): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.includes('"') || body.includes('\r')) return parseWithLibrary(text, delimiter);
  const rows: string[][] = [];
  let width = -1;
  for (const line of body.split('\n')) {
    if (line === '') continue;
    const row = line.split(delimiter);
    if (width === -1) width = row.length;
    else if (row.length !== width) return parseWithLibrary(text, delimiter);
    rows.push(row);
  }
  return rows;
}

function parseWithLibrary(text: string, delimiter: string): string[][] {
  return parse(text, {
    delimiter,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: false,
  }) as string[][];
}

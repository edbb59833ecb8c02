import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvRecords, parseCsvText, readCsvRecords } from './csv-records.ts';

/** A body delivered in the given pieces (as a network would, cut anywhere). */
function body(...pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

describe('csvRecords', () => {
  it('reads Bulk API 2.0 CSV: header paths as keys, empty cells as null', async () => {
    const records = await readCsvRecords(
      body('"Id","Name","Account.Name","Description"\n"001A","Acme","","say ""hi""\nthere"\n'),
    );
    expect(records).toEqual([
      { Id: '001A', Name: 'Acme', 'Account.Name': null, Description: 'say "hi"\nthere' },
    ]);
  });

  it('parses a body cut mid-field and mid-character, CRLF line endings and a BOM', async () => {
    const text = '\uFEFF"Id","Name"\r\n"001A","Zürich, CH"\r\n"001B",\r\n';
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    expect(await readCsvRecords(stream)).toEqual([
      { Id: '001A', Name: 'Zürich, CH' },
      { Id: '001B', Name: null },
    ]);
  });

  it('parses a whole decoded text as it parses the same text streamed', async () => {
    const text =
      '\uFEFF"Id","Name","Description"\r\n"001A","Zürich, CH","say ""hi""\nthere"\r\n"001B",,\r\n';
    const streamed = await readCsvRecords(body(text));
    expect(streamed).toHaveLength(2);
    expect(parseCsvText(text)).toEqual(streamed);
    expect(parseCsvText('')).toEqual([]);
    expect(() => parseCsvText('"Id","Name"\n"001A","x","extra"\n')).toThrow(
      'expected 2 fields, found 3 on line 2',
    );
  });

  it('answers no records for an empty body, a null body or a header alone', async () => {
    expect(await readCsvRecords(body(''))).toEqual([]);
    expect(await readCsvRecords(null)).toEqual([]);
    expect(await readCsvRecords(body('"Id","Name"\n'))).toEqual([]);
  });

  it('fails on malformed CSV', async () => {
    await expect(readCsvRecords(body('"Id","Name"\n"001A","x","extra"\n'))).rejects.toThrow(
      'expected 2 fields, found 3 on line 2',
    );
    await expect(readCsvRecords(body('"Id","Name"\n"001A"\n'))).rejects.toThrow(
      'expected 2 fields, found 1',
    );
    await expect(readCsvRecords(body('"Id"\n"unterminated\n'))).rejects.toThrow('never closed');
    await expect(readCsvRecords(body('"Id"\n"001A"x\n'))).rejects.toThrow('after a closing quote');
    await expect(readCsvRecords(body('"Id"\n00"1A\n'))).rejects.toThrow('unquoted field');
  });

  it('reads the last record without a line ending, unquoted cells and empty lines', async () => {
    expect(
      await readCsvRecords(body('Id,Name,Rank\n\n001A,Acme,1\n\n001B,"",\n001C,x,"3"')),
    ).toEqual([
      { Id: '001A', Name: 'Acme', Rank: '1' },
      { Id: '001B', Name: null, Rank: null },
      { Id: '001C', Name: 'x', Rank: '3' },
    ]);
  });

  it('reads what a general CSV parser reads, wherever the body is cut', async () => {
    // Cells with every character Bulk API 2.0 quotes, and a page's worth of them.
    const cells = [
      '',
      'plain',
      'a,b',
      'say ""hi""',
      'two\nlines',
      'crlf\r\nline',
      'Zürich 日本 😀',
      '""',
    ];
    const lines = ['"Id","Name","Description","Account.Name"'];
    for (let row = 0; row < 120; row++) {
      const cell = (column: number) => cells[(row * 3 + column * 5) % cells.length]!;
      lines.push(`"001${row}","${cell(0)}","${cell(1)}","${cell(2)}"`);
    }
    const text = `${lines.join('\r\n')}\r\n`;
    const expected = (parse(text, { columns: true, bom: true }) as Record<string, string>[]).map(
      (record) =>
        Object.fromEntries(
          Object.entries(record).map(([key, value]) => [key, value === '' ? null : value]),
        ),
    );
    const bytes = new TextEncoder().encode(text);
    for (const size of [1, 2, 3, 7, 64, 1000, bytes.length]) {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += size) {
            controller.enqueue(bytes.slice(at, at + size));
          }
          controller.close();
        },
      });
      expect(await readCsvRecords(stream)).toEqual(expected);
    }
    const streamed = [];
    for await (const record of csvRecords(body(text.slice(0, 5000), text.slice(5000)))) {
      streamed.push(record);
    }
    expect(streamed).toEqual(expected);
  });

  it('stops reading when the consumer stops', async () => {
    let pulled = 0;
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(encoder.encode(pulled === 1 ? '"Id"\n' : `"${pulled}"\n`.repeat(1000)));
        if (pulled > 10_000) controller.close();
      },
    });
    for await (const record of csvRecords(stream)) {
      expect(record['Id']).toBe('2');
      break;
    }
    expect(pulled).toBeLessThan(100);
  });
});

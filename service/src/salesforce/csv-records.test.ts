import { describe, expect, it } from 'vitest';
import { csvRecords, readCsvRecords } from './csv-records.ts';

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

  it('answers no records for an empty body, a null body or a header alone', async () => {
    expect(await readCsvRecords(body(''))).toEqual([]);
    expect(await readCsvRecords(null)).toEqual([]);
    expect(await readCsvRecords(body('"Id","Name"\n'))).toEqual([]);
  });

  it('fails on malformed CSV', async () => {
    await expect(readCsvRecords(body('"Id","Name"\n"001A","x","extra"\n'))).rejects.toThrow();
    await expect(readCsvRecords(body('"Id"\n"unterminated\n'))).rejects.toThrow();
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

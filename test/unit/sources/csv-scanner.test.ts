import { describe, expect, it } from 'vitest';
import {
  CsvRecordScanner,
  decodeField,
  NEED_MORE,
  recordedFields,
} from '../../../src/sources/csv-scanner.js';

/** Every record of `text` as decoded fields, scanning the whole input at once. */
function records(text: string, width = 8): string[][] {
  const buf = Buffer.from(text, 'utf8');
  const scanner = new CsvRecordScanner(Array.from({ length: width }, (_, i) => i));
  const out: string[][] = [];
  let pos = 0;
  while (pos < buf.length) {
    const next = scanner.scanRecord(buf, pos, buf.length, true);
    expect(next).toBeGreaterThan(pos);
    out.push(recordedFields(scanner, buf));
    pos = next;
  }
  return out;
}

describe('CsvRecordScanner', () => {
  it('splits plain fields and LF lines', () => {
    expect(records('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('handles quotes, doubled quotes and commas inside quotes', () => {
    expect(records('"a,b","say ""hi""",""\n')).toEqual([['a,b', 'say "hi"', '']]);
  });

  it('strips the CR of CRLF line ends, after plain and quoted fields', () => {
    expect(records('a,b\r\n"x","y"\r\n1,\r\n')).toEqual([
      ['a', 'b'],
      ['x', 'y'],
      ['1', ''],
    ]);
  });

  it('keeps newlines inside quoted fields and counts them', () => {
    const buf = Buffer.from('"line1\nline2\r\nline3",b\nnext,row\n');
    const scanner = new CsvRecordScanner([0, 1]);
    const next = scanner.scanRecord(buf, 0, buf.length, true);
    expect(recordedFields(scanner, buf)).toEqual(['line1\nline2\r\nline3', 'b']);
    expect(scanner.newlines).toBe(3);
    scanner.scanRecord(buf, next, buf.length, true);
    expect(recordedFields(scanner, buf)).toEqual(['next', 'row']);
    expect(scanner.newlines).toBe(1);
  });

  it('accepts a last line without a line end, and an empty last field', () => {
    expect(records('a,b\n1,')).toEqual([
      ['a', 'b'],
      ['1', ''],
    ]);
    expect(records('x')).toEqual([['x']]);
  });

  it('counts fields beyond the wanted ones and records only wanted columns', () => {
    const buf = Buffer.from('a,b,c,d,e\n');
    const scanner = new CsvRecordScanner([3, 1]);
    scanner.scanRecord(buf, 0, buf.length, true);
    expect(scanner.fieldCount).toBe(5);
    expect(decodeField(buf, scanner.starts[0] as number, scanner.ends[0] as number)).toBe('d');
    expect(decodeField(buf, scanner.starts[1] as number, scanner.ends[1] as number)).toBe('b');
  });

  it('treats a quote inside an unquoted field as a literal', () => {
    expect(records('ab"c,d\n')).toEqual([['ab"c', 'd']]);
  });

  it('flags a character after a closing quote but stays aligned', () => {
    const buf = Buffer.from('"ab"x,c\n1,2\n');
    const scanner = new CsvRecordScanner([0, 1]);
    const next = scanner.scanRecord(buf, 0, buf.length, true);
    expect(scanner.strayAfterQuote).toBe(true);
    expect(scanner.fieldCount).toBe(2);
    scanner.scanRecord(buf, next, buf.length, true);
    expect(scanner.strayAfterQuote).toBe(false);
    expect(recordedFields(scanner, buf)).toEqual(['1', '2']);
  });

  it('reports an open quote at the end of the data as unterminated', () => {
    const buf = Buffer.from('a,"open\nmore\n');
    const scanner = new CsvRecordScanner([0, 1]);
    expect(scanner.scanRecord(buf, 0, buf.length, false)).toBe(NEED_MORE);
    expect(scanner.scanRecord(buf, 0, buf.length, true)).toBe(buf.length);
    expect(scanner.unterminated).toBe(true);
  });

  it('asks for more data whenever a record may continue past the limit', () => {
    const text = 'ab,"c""d"\r\n';
    const buf = Buffer.from(text);
    const scanner = new CsvRecordScanner([0, 1]);
    for (let limit = 0; limit < buf.length; limit++) {
      expect(scanner.scanRecord(buf, 0, limit, false)).toBe(NEED_MORE);
    }
    expect(scanner.scanRecord(buf, 0, buf.length, false)).toBe(buf.length);
    expect(recordedFields(scanner, buf)).toEqual(['ab', 'c"d']);
  });

  it('decodes multi-byte UTF-8', () => {
    expect(records('café,"β ""x""",日本\n')).toEqual([['café', 'β "x"', '日本']]);
  });
});

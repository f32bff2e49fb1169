import { describe, expect, it } from 'vitest';
import { pocFromTags, TagsFormatError, tagKeyVariants } from '../../../src/sources/focus-tags.js';

const keys = tagKeyVariants('poc');

describe('pocFromTags', () => {
  it('accepts the key with or without the user: prefix', () => {
    expect(pocFromTags('{"user:poc":"alpha","user:env":"dev"}', keys)).toBe('alpha');
    expect(pocFromTags('{"poc":"bravo"}', keys)).toBe('bravo');
    expect(tagKeyVariants('user:poc')).toEqual(['poc', 'user:poc']);
  });

  it('prefers the bare key, skipping empty values', () => {
    expect(pocFromTags('{"poc":"a","user:poc":"b"}', keys)).toBe('a');
    expect(pocFromTags('{"poc":"","user:poc":"b"}', keys)).toBe('b');
  });

  it('returns null for untagged rows', () => {
    for (const text of [
      '',
      'NULL',
      '{}',
      ' {} ',
      '{"user:env":"dev"}',
      '{"user:poc":""}',
      '{"user:poc":null}',
    ]) {
      expect(pocFromTags(text, keys), text).toBeNull();
    }
  });

  it('is case-sensitive on keys and keeps values verbatim (UTF-8 included)', () => {
    expect(pocFromTags('{"user:POC":"x"}', keys)).toBeNull();
    expect(pocFromTags('{"user:poc":" café β "}', keys)).toBe(' café β ');
  });

  it('stringifies scalar values', () => {
    expect(pocFromTags('{"poc":42}', keys)).toBe('42');
  });

  it('throws on broken JSON or non-objects', () => {
    for (const text of ['{"user:poc":"alpha"', 'alpha', '[1]', '"x"', '{user:poc:alpha}']) {
      expect(() => pocFromTags(text, keys), text).toThrow(TagsFormatError);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { cleanText } from '../../../src/report/clean-text.js';
import {
  displayWidth,
  padEndDisplay,
  padStartDisplay,
  stripAnsi,
  truncateDisplay,
} from '../../../src/report/text-width.js';

describe('displayWidth', () => {
  it('counts ASCII, accented and block characters as one column', () => {
    expect(displayWidth('checkout')).toBe(8);
    expect(displayWidth('données-clients')).toBe(15);
    expect(displayWidth('██████████▶ 131%')).toBe(16);
    expect(displayWidth('▁▂▃▄▅▆▇█')).toBe(8);
  });

  it('counts a decomposed accent (e + combining acute) as one column', () => {
    expect('donne\u0301es').toHaveLength(8);
    expect(displayWidth('donne\u0301es')).toBe(7);
  });

  it('counts East Asian wide characters and emoji as two columns', () => {
    expect(displayWidth('検索')).toBe(4);
    expect(displayWidth('🔴')).toBe(2);
    expect(displayWidth('👩‍💻')).toBe(2);
  });

  it('ignores ANSI colour codes', () => {
    expect(displayWidth('\u001b[1m\u001b[31mover budget\u001b[39m\u001b[22m')).toBe(11);
    expect(stripAnsi('\u001b[2mdim\u001b[22m')).toBe('dim');
  });
});

describe('padding and truncation', () => {
  it('pads by display width', () => {
    expect(padEndDisplay('検索', 6)).toBe('検索  ');
    expect(padStartDisplay('é', 3)).toBe('  é');
    expect(padEndDisplay('too long', 3)).toBe('too long');
  });

  it('truncates with an ellipsis without splitting a wide character', () => {
    expect(truncateDisplay('checkout-redesign', 10)).toBe('checkout-…');
    expect(displayWidth(truncateDisplay('検索検索検索', 6))).toBeLessThanOrEqual(6);
    expect(truncateDisplay('short', 10)).toBe('short');
  });
});

describe('cleanText', () => {
  it('turns line breaks into spaces and control or bidi-override characters into U+FFFD', () => {
    expect(cleanText('a\nb\tc')).toBe('a b c');
    expect(cleanText('\u001b[31mred')).toBe('\uFFFD[31mred');
    expect(cleanText('abc\u202Egnp.exe')).toBe('abc\uFFFDgnp.exe');
    expect(cleanText('données')).toBe('données');
  });
});

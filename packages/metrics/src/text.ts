/**
 * Python `str.split()` (no argument): split on runs of Unicode whitespace as CPython defines it
 * (bidi class WS/B/S or category Zs), dropping empty strings. Differs from JS `\s`: no U+FEFF, plus U+001C-U+001F
 * and U+0085. The n-gram scorers of pycocoevalcap (BLEU, CIDEr) tokenize with it.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+001C-U+001F are whitespace to Python
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

export function pySplit(s: string): string[] {
  const parts = s.split(PY_WHITESPACE);
  let start = 0;
  let end = parts.length;
  if (end > 0 && parts[0] === "") start = 1;
  if (end > start && parts[end - 1] === "") end -= 1;
  return start === 0 && end === parts.length ? parts : parts.slice(start, end);
}

/** Java `String.trim()`: strips every char <= U+0020 at both ends (not Unicode spaces). */
export function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Java `new StringTokenizer(s)`: tokens separated by runs of " \t\n\r\f". */
export function javaTokenize(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const delim = c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c;
    if (delim) {
      if (start >= 0) {
        out.push(s.slice(start, i));
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}

/** Java `String.hashCode()` over UTF-16 code units (Meteor compares words and stems by this key). */
export function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

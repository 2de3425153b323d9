/**
 * Meteor 1.5's `-norm` text normalization for English (edu.cmu.meteor.util.Normalizer.normalizeLine with
 * punctuation kept): Moses-style tokenization with Meteor's additions (quote and dash normalization, dashes
 * between words split, dotted abbreviations such as U.S. collapsed). Regular expressions follow Java's
 * semantics: `\s` is [ \t\n\x0B\f\r], `\p{Digit}` is [0-9], `\p{Lower}` is [a-z]; matching is by code point.
 */

const ALPHA =
  "A-Za-z\u0160\u017d\u0161\u017e\u0178\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017e\u0400-\u04ff\u0500-\u0527\ua640-\ua66e\ua67e-\ua697\u1d00-\u1d7f";
const ALNUM = `0-9${ALPHA}`;
const JAVA_SPACE = " \\t\\n\\x0B\\f\\r";

const R_SEP_OTHER = new RegExp(`([^${ALNUM}${JAVA_SPACE}.'\`,\\-\u2018\u2019])`, "gu");
const R_MULTI_DOT = /\.(\.+)/gu;
const R_MULTI_DOT2 = /DOTMULTI\.([^.])/gu;
const R_COMMA = /([^0-9]),([^0-9])/gu;
const R_COMMA2 = /([0-9]),([^0-9])/gu;
const R_COMMA3 = /([^0-9]),([0-9])/gu;
const R_QUOTE_NORM = /([`\u2018\u2019])/gu;
const R_QUOTE_NORM2 = /([\u201c\u201d]|'')/gu;
const R_RM_DASH = new RegExp(`([${ALNUM}.])-([${ALNUM}])`, "gu");
const R_CONT_EN = new RegExp(`([^${ALPHA}])'([^${ALPHA}])`, "gu");
const R_CONT_EN2 = new RegExp(`([^${ALPHA}0-9])'([${ALPHA}])`, "gu");
const R_CONT_EN3 = new RegExp(`([${ALPHA}])'([^${ALPHA}])`, "gu");
const R_CONT_EN4 = new RegExp(`([${ALPHA}])'([${ALPHA}])`, "gu");
const R_CONT_EN5 = /([0-9])'(s)/gu;
const R_NBP1 = new RegExp(`[${ALPHA}]`, "u");
const R_NBP2 = /^[a-z]/u;
const R_NBP3 = /^[0-9]+/u;
const PLAIN = /^[A-Za-z0-9 ]*$/;
const R_WHITE = /[ \u2000-\u200a\u202f\u205f\u3000\u00a0]+/gu;

/** Nonbreaking prefixes for English (Meteor's resources/nonbreaking/english.prefixes, from Moses). */
const NBP_ANY = 1;
const NBP_NUM_ONLY = 2;
const NONBREAKING_EN: ReadonlyMap<string, number> = new Map<string, number>([
  ..."A B C D E F G H I J K L M N O P Q R S T U V W X Y Z Adj Adm Adv Asst Bart Bldg Brig Bros Capt Cmdr Col Comdr Con Corp Cpl DR Dr Drs Ens Gen Gov Hon Hr Hosp Insp Lt MM MR MRS MS Maj Messrs Mlle Mme Mr Mrs Ms Msgr Op Ord Pfc Ph Prof Pvt Rep Reps Res Rev Rt Sen Sens Sfc Sgt Sr St Supt Surg v vs i.e rev e.g Nos Nr"
    .split(" ")
    .map((p) => [p, NBP_ANY] as [string, number]),
  ["No", NBP_NUM_ONLY],
  ["Art", NBP_NUM_ONLY],
  ["pp", NBP_NUM_ONLY],
]);

import { javaTokenize, javaTrim } from "../text";

/** True when `normalizeEnglish(line)` only collapses spaces: letters, digits and spaces only. */
export function isPlainLine(line: string): boolean {
  return PLAIN.test(line) && !line.includes("DOTMULTI");
}

/**
 * Normalize one line as `Normalizer.normalizeLine(line, LANG_EN, keepPunctuation = true)`.
 *
 * @param line - One caption.
 * @returns The line with punctuation split off as Meteor's normaliser does, its tokens joined by single spaces.
 */
export function normalizeEnglish(line: string): string {
  // Fast path: letters, digits and spaces only; every rule below then only collapses the spaces.
  if (isPlainLine(line)) return javaTokenize(line).join(" ");
  let s = ` ${line} `;
  s = s.replace(R_SEP_OTHER, " $1 ");
  s = s.replace(R_MULTI_DOT, " DOTMULTI$1");
  while (s.includes("DOTMULTI.")) {
    s = s.replace(R_MULTI_DOT2, "DOTDOTMULTI $1");
    s = s.replaceAll("DOTMULTI.", "DOTDOTMULTI");
  }
  s = s.replace(R_COMMA, "$1 , $2");
  s = s.replace(R_COMMA2, "$1 , $2");
  s = s.replace(R_COMMA3, "$1 , $2");
  s = s.replace(R_QUOTE_NORM, "'");
  s = s.replace(R_QUOTE_NORM2, ' " ');
  s = s.replaceAll("\u2013", "-");
  s = s.replaceAll("--", "-");
  s = s.replace(R_RM_DASH, "$1 $2");
  s = s.replace(R_CONT_EN, "$1 ' $2");
  s = s.replace(R_CONT_EN2, "$1 ' $2");
  s = s.replace(R_CONT_EN3, "$1 ' $2");
  s = s.replace(R_CONT_EN4, "$1 '$2");
  s = s.replace(R_CONT_EN5, "$1 '$2");
  const words = javaTokenize(s);
  let out = "";
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.length > 1 && w.endsWith(".")) {
      const pre = w.slice(0, -1);
      const type = NONBREAKING_EN.get(pre);
      const next = i < words.length - 1 ? words[i + 1]! : undefined;
      if (pre.includes(".") && R_NBP1.test(pre)) out += w.replaceAll(".", "");
      else if (type === NBP_ANY || (next !== undefined && R_NBP2.test(next))) out += w;
      else if (type === NBP_NUM_ONLY && next !== undefined && R_NBP3.test(next)) out += w;
      else out += `${pre} .`;
    } else {
      out += w;
    }
    out += " ";
  }
  s = out;
  while (s.includes("DOTDOTMULTI")) s = s.replaceAll("DOTDOTMULTI", "DOTMULTI.");
  s = s.replaceAll("DOTMULTI", ".");
  return javaTrim(s.replace(R_WHITE, " "));
}

// src/text.ts
var PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
function pySplit(s2) {
  const parts = s2.split(PY_WHITESPACE);
  let start = 0;
  let end = parts.length;
  if (end > 0 && parts[0] === "") start = 1;
  if (end > start && parts[end - 1] === "") end -= 1;
  return start === 0 && end === parts.length ? parts : parts.slice(start, end);
}
function javaTrim(s2) {
  let a = 0;
  let b = s2.length;
  while (a < b && s2.charCodeAt(a) <= 32) a++;
  while (b > a && s2.charCodeAt(b - 1) <= 32) b--;
  return a === 0 && b === s2.length ? s2 : s2.slice(a, b);
}
function javaTokenize(s2) {
  const out = [];
  let start = -1;
  for (let i = 0; i < s2.length; i++) {
    const c = s2.charCodeAt(i);
    const delim = c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
    if (delim) {
      if (start >= 0) {
        out.push(s2.slice(start, i));
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) out.push(s2.slice(start));
  return out;
}
function javaHash(s2) {
  let h = 0;
  for (let i = 0; i < s2.length; i++) h = (Math.imul(h, 31) + s2.charCodeAt(i)) | 0;
  return h;
}

// src/ngrams.ts
var NgramIndex = class {
  words = /* @__PURE__ */ new Map();
  /** Open-addressing table (prefix id, word id) -> n-gram id; -1 marks an empty slot. */
  keys = new Int32Array(2 * (1 << 18)).fill(-1);
  values = new Int32Array(1 << 18);
  used = 0;
  /** n of each n-gram id. */
  order = [];
  /** Per-id scratch counts for `precook` (always zero between calls). */
  scratch = new Int32Array(1 << 16);
  get size() {
    return this.order.length;
  }
  word(w) {
    let id = this.words.get(w);
    if (id === void 0) {
      id = this.order.length;
      this.order.push(1);
      this.words.set(w, id);
    }
    return id;
  }
  slot(prefix, word) {
    const mask = this.values.length - 1;
    let h = (Math.imul(prefix, 2654435761) ^ Math.imul(word, 2246822519)) & mask;
    const keys = this.keys;
    while (keys[2 * h] !== -1 && (keys[2 * h] !== prefix || keys[2 * h + 1] !== word)) h = (h + 1) & mask;
    return h;
  }
  grow() {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Int32Array(oldKeys.length * 2).fill(-1);
    this.values = new Int32Array(oldValues.length * 2);
    for (let i = 0; i < oldValues.length; i++) {
      if (oldKeys[2 * i] === -1) continue;
      const h = this.slot(oldKeys[2 * i], oldKeys[2 * i + 1]);
      this.keys[2 * h] = oldKeys[2 * i];
      this.keys[2 * h + 1] = oldKeys[2 * i + 1];
      this.values[h] = oldValues[i];
    }
  }
  extend(prefix, word) {
    let h = this.slot(prefix, word);
    if (this.keys[2 * h] !== -1) return this.values[h];
    if (2 * (this.used + 1) > this.values.length) {
      this.grow();
      h = this.slot(prefix, word);
    }
    const id = this.order.length;
    this.order.push(this.order[prefix] + 1);
    this.keys[2 * h] = prefix;
    this.keys[2 * h + 1] = word;
    this.values[h] = id;
    this.used++;
    return id;
  }
};
function precook(s2, index, n = 4) {
  const words = pySplit(s2);
  const len = words.length;
  const ids2 = [];
  let prev = [];
  for (let i = 0; i < len; i++) prev.push(index.word(words[i]));
  const unigrams = prev;
  for (let k = 0; k < n && prev.length > 0; k++) {
    if (k > 0) {
      const next = [];
      for (let i = 0; i + k < len; i++) next.push(index.extend(prev[i], unigrams[i + k]));
      prev = next;
    }
    for (const id of prev) ids2.push(id);
  }
  if (index.size > index.scratch.length) {
    const grown = new Int32Array(Math.max(index.size, 2 * index.scratch.length));
    index.scratch = grown;
  }
  const scratch = index.scratch;
  const distinct = [];
  for (const id of ids2) if (scratch[id]++ === 0) distinct.push(id);
  const out = Int32Array.from(distinct);
  const counts = new Int32Array(out.length);
  for (let g = 0; g < out.length; g++) {
    counts[g] = scratch[out[g]];
    scratch[out[g]] = 0;
  }
  return { length: len, ids: out, counts };
}

// src/bleu.ts
var SMALL = 1e-9;
var TINY = 1e-15;
function bleu(refs2, cands2, n = 4) {
  if (n !== 4) throw new RangeError("bleu: only n = 4 is supported (BLEU-1..4)");
  const index = new NgramIndex();
  const items = [[], [], [], []];
  const totalCorrect = [0, 0, 0, 0];
  const totalGuess = [0, 0, 0, 0];
  let totalTest = 0;
  let totalRef = 0;
  let maxCounts = new Int32Array(1024);
  for (let idx = 0; idx < cands2.length; idx++) {
    const refLens = [];
    const touched = [];
    for (const ref of refs2[idx]) {
      const { length, ids: ids2, counts } = precook(ref, index, n);
      refLens.push(length);
      if (index.size > maxCounts.length) {
        const grown = new Int32Array(Math.max(index.size, maxCounts.length * 2));
        grown.set(maxCounts);
        maxCounts = grown;
      }
      for (let g = 0; g < ids2.length; g++) {
        const id = ids2[g];
        if (maxCounts[id] === 0) touched.push(id);
        if (counts[g] > maxCounts[id]) maxCounts[id] = counts[g];
      }
    }
    const test = precook(cands2[idx], index, n);
    const testLen = test.length;
    let refLen = refLens[0];
    let best = Math.abs(refLen - testLen);
    for (let r = 1; r < refLens.length; r++) {
      const l = refLens[r];
      const d = Math.abs(l - testLen);
      if (d < best || (d === best && l < refLen)) {
        best = d;
        refLen = l;
      }
    }
    const correct = [0, 0, 0, 0];
    for (let g = 0; g < test.ids.length; g++) {
      const id = test.ids[g];
      const m2 = id < maxCounts.length ? maxCounts[id] : 0;
      if (m2 > 0) correct[index.order[id] - 1] += Math.min(m2, test.counts[g]);
    }
    for (const id of touched) maxCounts[id] = 0;
    const guess = [0, 1, 2, 3].map((k) => Math.max(0, testLen - k));
    totalTest += testLen;
    totalRef += refLen;
    let b2 = 1;
    for (let k = 0; k < n; k++) {
      totalCorrect[k] += correct[k];
      totalGuess[k] += guess[k];
      b2 *= (correct[k] + TINY) / (guess[k] + SMALL);
      items[k].push(b2 ** (1 / (k + 1)));
    }
    const ratio2 = (testLen + TINY) / (refLen + SMALL);
    if (ratio2 < 1) {
      const bp = Math.exp(1 - 1 / ratio2);
      for (let k = 0; k < n; k++) items[k][idx] *= bp;
    }
  }
  const corpus = [0, 0, 0, 0];
  let b = 1;
  for (let k = 0; k < n; k++) {
    b *= (totalCorrect[k] + TINY) / (totalGuess[k] + SMALL);
    corpus[k] = b ** (1 / (k + 1));
  }
  const ratio = (totalTest + TINY) / (totalRef + SMALL);
  if (ratio < 1) {
    const bp = Math.exp(1 - 1 / ratio);
    for (let k = 0; k < n; k++) corpus[k] *= bp;
  }
  return { corpus, items };
}

// src/cider.ts
function ciderD(refs2, cands2, options = {}) {
  const n = options.n ?? 4;
  const sigma = options.sigma ?? 6;
  const index = new NgramIndex();
  const crefs = refs2.map((rs) => rs.map((r) => precook(r, index, n)));
  const ctest = cands2.map((c) => precook(c, index, n));
  const order = index.order;
  const df = new Float64Array(index.size);
  const seenIn = new Int32Array(index.size).fill(-1);
  crefs.forEach((rs, item) => {
    for (const { ids: ids2 } of rs)
      for (let g = 0; g < ids2.length; g++) {
        const id = ids2[g];
        if (seenIn[id] !== item) {
          seenIn[id] = item;
          df[id]++;
        }
      }
  });
  const refLen = Math.log(crefs.length);
  const idf = new Float64Array(index.size);
  for (let id = 0; id < idf.length; id++) idf[id] = refLen - Math.log(Math.max(1, df[id]));
  const counts2vec = ({ ids: ids2, counts }) => {
    const weights = new Float64Array(ids2.length);
    const norm = new Array(n).fill(0);
    let length = 0;
    for (let g = 0; g < ids2.length; g++) {
      const id = ids2[g];
      const k = order[id] - 1;
      const w = counts[g] * idf[id];
      weights[g] = w;
      norm[k] += w ** 2;
      if (k === 1) length += counts[g];
    }
    for (let k = 0; k < n; k++) norm[k] = Math.sqrt(norm[k]);
    return { ids: ids2, weights, norm, length };
  };
  const penaltyDen = 2 * sigma ** 2;
  const items = [];
  const val = new Array(n);
  const dense = new Float64Array(index.size);
  for (let i = 0; i < ctest.length; i++) {
    const hyp = counts2vec(ctest[i]);
    const score = new Array(n).fill(0);
    for (const r of crefs[i]) {
      const ref = counts2vec(r);
      const delta = hyp.length - ref.length;
      const penalty = Math.E ** (-(delta ** 2) / penaltyDen);
      val.fill(0);
      for (let g = 0; g < ref.ids.length; g++) dense[ref.ids[g]] = ref.weights[g];
      for (let g = 0; g < hyp.ids.length; g++) {
        const id = hyp.ids[g];
        const rw = dense[id];
        val[order[id] - 1] += Math.min(hyp.weights[g], rw) * rw;
      }
      for (let g = 0; g < ref.ids.length; g++) dense[ref.ids[g]] = 0;
      for (let k = 0; k < n; k++) {
        let v = val[k];
        if (hyp.norm[k] !== 0 && ref.norm[k] !== 0) v /= hyp.norm[k] * ref.norm[k];
        score[k] += v * penalty;
      }
    }
    let mean = 0;
    for (let k = 0; k < n; k++) mean += score[k];
    mean /= n;
    items.push((mean / crefs[i].length) * 10);
  }
  let sum = 0;
  for (const s2 of items) sum += s2;
  return { corpus: items.length ? sum / items.length : Number.NaN, items };
}

// src/meteor/aligner.ts
var Path = class _Path {
  matches;
  matches1 = 0;
  matches2 = 0;
  allMatches1 = 0;
  allMatches2 = 0;
  chunks = 0;
  idx = 0;
  lastMatchEnd = -1;
  distance = 0;
  used1;
  used2;
  constructor(matches, used1, used2) {
    this.matches = matches.slice();
    this.used1 = used1.slice();
    this.used2 = used2.slice();
  }
  static copy(p) {
    const q = new _Path(p.matches, p.used1, p.used2);
    q.matches1 = p.matches1;
    q.matches2 = p.matches2;
    q.allMatches1 = p.allMatches1;
    q.allMatches2 = p.allMatches2;
    q.chunks = p.chunks;
    q.idx = p.idx;
    q.lastMatchEnd = p.lastMatchEnd;
    q.distance = p.distance;
    return q;
  }
  isUsed(m2) {
    for (let i = 0; i < m2.length; i++) if (this.used2[m2.start + i]) return true;
    for (let i = 0; i < m2.matchLength; i++) if (this.used1[m2.matchStart + i]) return true;
    return false;
  }
  setUsed(m2) {
    for (let i = 0; i < m2.length; i++) this.used2[m2.start + i] = 1;
    for (let i = 0; i < m2.matchLength; i++) this.used1[m2.matchStart + i] = 1;
  }
};
function comparePaths(x, y) {
  const matchDiff = y.matches1 + y.matches2 - (x.matches1 + x.matches2);
  if (matchDiff > 0) return 1;
  if (matchDiff < 0) return -1;
  const chunkDiff = x.chunks - y.chunks;
  if (chunkDiff !== 0) return chunkDiff;
  return x.distance - y.distance;
}
function searchWeight(module) {
  return module === "exact" ? 1 : 0.5;
}
function align(test, ref, config) {
  const n1 = test.words.length;
  const n2 = ref.words.length;
  const { modules } = config;
  const weights = modules.map(searchWeight);
  const matches = [];
  for (let j = 0; j < n2; j++) matches.push([]);
  const cov1 = new Int32Array(n1);
  const cov2 = new Int32Array(n2);
  const add = (m2) => {
    matches[m2.start].push(m2);
    for (let k = 0; k < m2.matchLength; k++) cov1[m2.matchStart + k]++;
    for (let k = 0; k < m2.length; k++) cov2[m2.start + k]++;
  };
  const k1 = test.keys;
  const k2 = ref.keys;
  let identical = n1 === n2;
  for (let i = 0; identical && i < n1; i++) if (k1[i] !== k2[i]) identical = false;
  const modsUsed = identical ? Math.min(1, modules.length) : modules.length;
  for (let mod = 0; mod < modsUsed; mod++) {
    const kind = modules[mod];
    if (kind === "exact") {
      for (let j = 0; j < n2; j++)
        for (let i = 0; i < n1; i++)
          if (k1[i] === k2[j]) add({ start: j, length: 1, matchStart: i, matchLength: 1, module: mod });
    } else if (kind === "stem") {
      const s1 = test.stemKeys;
      const s2 = ref.stemKeys;
      for (let j = 0; j < n2; j++)
        for (let i = 0; i < n1; i++)
          if (s1[i] === s2[j] && k1[i] !== k2[j])
            add({ start: j, length: 1, matchStart: i, matchLength: 1, module: mod });
    } else if (kind === "synonym") {
      const index1 = synsetIndex(test);
      const y2 = ref.synsets;
      const shared = new Uint8Array(n1 * n2);
      for (let j = 0; j < n2; j++) {
        for (const id of y2[j]) {
          const is = index1.get(id);
          if (is) for (const i of is) shared[i * n2 + j] = 1;
        }
      }
      for (let j = 0; j < n2; j++)
        for (let i = 0; i < n1; i++)
          if (shared[i * n2 + j] && k1[i] !== k2[j])
            add({ start: j, length: 1, matchStart: i, matchLength: 1, module: mod });
    } else {
      paraphraseMatches(test.paraIds, ref.paraIds, config.paraphrase, mod, add);
    }
  }
  const initial = new Path(new Array(n2).fill(null), new Uint8Array(n1), new Uint8Array(n2));
  for (let j = 0; j < n2; j++) {
    const list = matches[j];
    if (list.length !== 1) continue;
    const m2 = list[0];
    let overlap = false;
    for (let k = 0; k < m2.length; k++) if (cov2[j + k] !== 1) overlap = true;
    for (let k = 0; k < m2.matchLength; k++) if (cov1[m2.matchStart + k] !== 1) overlap = true;
    if (!overlap) {
      initial.matches[j] = m2;
      initial.setUsed(m2);
    }
  }
  const best = resolve(matches, initial, weights, config.beamSize);
  const testContent = new Array(modules.length).fill(0);
  const referenceContent = new Array(modules.length).fill(0);
  const testFunction = new Array(modules.length).fill(0);
  const referenceFunction = new Array(modules.length).fill(0);
  for (const m2 of best.matches) {
    if (m2 === null) continue;
    for (let k = 0; k < m2.matchLength; k++) {
      if (test.isFunction[m2.matchStart + k]) testFunction[m2.module]++;
      else testContent[m2.module]++;
    }
    for (let k = 0; k < m2.length; k++) {
      if (ref.isFunction[m2.start + k]) referenceFunction[m2.module]++;
      else referenceContent[m2.module]++;
    }
  }
  let testFunctionWords = 0;
  for (let i = 0; i < n1; i++) testFunctionWords += test.isFunction[i];
  let referenceFunctionWords = 0;
  for (let j = 0; j < n2; j++) referenceFunctionWords += ref.isFunction[j];
  return {
    testLength: n1,
    referenceLength: n2,
    testFunctionWords,
    referenceFunctionWords,
    testContent,
    referenceContent,
    testFunction,
    referenceFunction,
    chunks: countChunks(best.matches),
  };
}
function synsetIndex(s2) {
  if (s2.synsetIndex) return s2.synsetIndex;
  const index = /* @__PURE__ */ new Map();
  s2.synsets.forEach((ids2, i) => {
    for (const id of ids2) {
      const is = index.get(id);
      if (is === void 0) index.set(id, [i]);
      else if (is[is.length - 1] !== i) is.push(i);
    }
  });
  s2.synsetIndex = index;
  return index;
}
function paraphraseMatches(line1, line2, pt, mod, add) {
  for (let j = 0; j < line2.length; j++) {
    const pars = pt.referencePaths(line2, j);
    for (let p = 0; p < pars.length; p += 2) {
      const len = pars[p];
      const words = pt.paraphrase(pars[p + 1]);
      for (let i = 0; i < line1.length; i++) {
        if (phraseAt(line1, i, words))
          add({ start: j, length: len, matchStart: i, matchLength: words.length, module: mod });
      }
    }
  }
  for (let i = 0; i < line1.length; i++) {
    const pars = pt.referencePaths(line1, i);
    for (let p = 0; p < pars.length; p += 2) {
      const len = pars[p];
      const words = pt.paraphrase(pars[p + 1]);
      for (let j = 0; j < line2.length; j++) {
        if (phraseAt(line2, j, words))
          add({ start: j, length: words.length, matchStart: i, matchLength: len, module: mod });
      }
    }
  }
}
function phraseAt(line, at, words) {
  for (let k = 0; k < words.length; k++) if (at + k === line.length || line[at + k] !== words[k]) return false;
  return true;
}
function resolve(matches, start, weights, beamSize) {
  let nextPaths = [start];
  const n = matches.length;
  for (let current = 0; current <= n; current++) {
    const paths = nextPaths;
    nextPaths = [];
    paths.sort(comparePaths);
    for (let rank = 0; rank < beamSize && rank < paths.length; rank++) {
      const path = paths[rank];
      if (current === n) {
        if (path.lastMatchEnd !== -1) path.chunks++;
        nextPaths.push(path);
        continue;
      }
      if (path.used2[current]) {
        if (current < path.idx) {
          nextPaths.push(path);
        } else if (path.matches[path.idx] != null) {
          const m2 = path.matches[path.idx];
          const w = weights[m2.module];
          path.matches1 = Math.trunc(path.matches1 + m2.matchLength * w);
          path.matches2 = Math.trunc(path.matches2 + m2.length * w);
          path.allMatches1 += m2.matchLength;
          path.allMatches2 += m2.length;
          if (path.lastMatchEnd !== -1 && m2.matchStart !== path.lastMatchEnd) path.chunks++;
          path.idx = m2.start + m2.length;
          path.lastMatchEnd = m2.matchStart + m2.matchLength;
          path.distance += Math.abs(m2.start - m2.matchStart);
          nextPaths.push(path);
        }
        continue;
      }
      for (const m2 of matches[current]) {
        if (path.isUsed(m2)) continue;
        const next = Path.copy(path);
        next.setUsed(m2);
        next.matches[current] = m2;
        const w = weights[m2.module];
        next.matches1 = Math.trunc(next.matches1 + m2.matchLength * w);
        next.matches2 = Math.trunc(next.matches2 + m2.length * w);
        next.allMatches1 += m2.matchLength;
        next.allMatches2 += m2.length;
        if (next.lastMatchEnd !== -1 && m2.matchStart !== next.lastMatchEnd) next.chunks++;
        next.idx = m2.start + m2.length;
        next.lastMatchEnd = m2.matchStart + m2.matchLength;
        path.distance += Math.abs(m2.start - m2.matchStart);
        nextPaths.push(next);
      }
      if (path.lastMatchEnd !== -1) {
        path.chunks++;
        path.lastMatchEnd = -1;
      }
      path.idx++;
      nextPaths.push(path);
    }
    if (nextPaths.length === 0) nextPaths.push(paths[0]);
  }
  nextPaths.sort(comparePaths);
  return nextPaths[0];
}
function countChunks(matches) {
  let chunks = 0;
  let idx = 0;
  let lastMatchEnd = -1;
  while (idx < matches.length) {
    const m2 = matches[idx];
    if (m2 == null) {
      if (lastMatchEnd !== -1) {
        chunks++;
        lastMatchEnd = -1;
      }
      idx++;
    } else {
      if (lastMatchEnd !== -1 && m2.matchStart !== lastMatchEnd) chunks++;
      idx = m2.start + m2.length;
      lastMatchEnd = m2.matchStart + m2.matchLength;
    }
  }
  if (lastMatchEnd !== -1) chunks++;
  return chunks;
}

// src/meteor/normalizer.ts
var ALPHA =
  "A-Za-z\u0160\u017D\u0161\u017E\u0178\xC0-\xD6\xD8-\xF6\xF8-\u017E\u0400-\u04FF\u0500-\u0527\uA640-\uA66E\uA67E-\uA697\u1D00-\u1D7F";
var ALNUM = `0-9${ALPHA}`;
var JAVA_SPACE = " \\t\\n\\x0B\\f\\r";
var R_SEP_OTHER = new RegExp(`([^${ALNUM}${JAVA_SPACE}.'\`,\\-\u2018\u2019])`, "gu");
var R_MULTI_DOT = /\.(\.+)/gu;
var R_MULTI_DOT2 = /DOTMULTI\.([^.])/gu;
var R_COMMA = /([^0-9]),([^0-9])/gu;
var R_COMMA2 = /([0-9]),([^0-9])/gu;
var R_COMMA3 = /([^0-9]),([0-9])/gu;
var R_QUOTE_NORM = /([`\u2018\u2019])/gu;
var R_QUOTE_NORM2 = /([\u201c\u201d]|'')/gu;
var R_RM_DASH = new RegExp(`([${ALNUM}.])-([${ALNUM}])`, "gu");
var R_CONT_EN = new RegExp(`([^${ALPHA}])'([^${ALPHA}])`, "gu");
var R_CONT_EN2 = new RegExp(`([^${ALPHA}0-9])'([${ALPHA}])`, "gu");
var R_CONT_EN3 = new RegExp(`([${ALPHA}])'([^${ALPHA}])`, "gu");
var R_CONT_EN4 = new RegExp(`([${ALPHA}])'([${ALPHA}])`, "gu");
var R_CONT_EN5 = /([0-9])'(s)/gu;
var R_NBP1 = new RegExp(`[${ALPHA}]`, "u");
var R_NBP2 = /^[a-z]/u;
var R_NBP3 = /^[0-9]+/u;
var PLAIN = /^[A-Za-z0-9 ]*$/;
var R_WHITE = /[ \u2000-\u200a\u202f\u205f\u3000\u00a0]+/gu;
var NBP_ANY = 1;
var NBP_NUM_ONLY = 2;
var NONBREAKING_EN = new Map([
  ..."A B C D E F G H I J K L M N O P Q R S T U V W X Y Z Adj Adm Adv Asst Bart Bldg Brig Bros Capt Cmdr Col Comdr Con Corp Cpl DR Dr Drs Ens Gen Gov Hon Hr Hosp Insp Lt MM MR MRS MS Maj Messrs Mlle Mme Mr Mrs Ms Msgr Op Ord Pfc Ph Prof Pvt Rep Reps Res Rev Rt Sen Sens Sfc Sgt Sr St Supt Surg v vs i.e rev e.g Nos Nr"
    .split(" ")
    .map((p) => [p, NBP_ANY]),
  ["No", NBP_NUM_ONLY],
  ["Art", NBP_NUM_ONLY],
  ["pp", NBP_NUM_ONLY],
]);
function normalizeEnglish(line) {
  if (PLAIN.test(line) && !line.includes("DOTMULTI")) return javaTokenize(line).join(" ");
  let s2 = ` ${line} `;
  s2 = s2.replace(R_SEP_OTHER, " $1 ");
  s2 = s2.replace(R_MULTI_DOT, " DOTMULTI$1");
  while (s2.includes("DOTMULTI.")) {
    s2 = s2.replace(R_MULTI_DOT2, "DOTDOTMULTI $1");
    s2 = s2.replaceAll("DOTMULTI.", "DOTDOTMULTI");
  }
  s2 = s2.replace(R_COMMA, "$1 , $2");
  s2 = s2.replace(R_COMMA2, "$1 , $2");
  s2 = s2.replace(R_COMMA3, "$1 , $2");
  s2 = s2.replace(R_QUOTE_NORM, "'");
  s2 = s2.replace(R_QUOTE_NORM2, ' " ');
  s2 = s2.replaceAll("\u2013", "-");
  s2 = s2.replaceAll("--", "-");
  s2 = s2.replace(R_RM_DASH, "$1 $2");
  s2 = s2.replace(R_CONT_EN, "$1 ' $2");
  s2 = s2.replace(R_CONT_EN2, "$1 ' $2");
  s2 = s2.replace(R_CONT_EN3, "$1 ' $2");
  s2 = s2.replace(R_CONT_EN4, "$1 '$2");
  s2 = s2.replace(R_CONT_EN5, "$1 '$2");
  const words = javaTokenize(s2);
  let out = "";
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.length > 1 && w.endsWith(".")) {
      const pre = w.slice(0, -1);
      const type = NONBREAKING_EN.get(pre);
      const next = i < words.length - 1 ? words[i + 1] : void 0;
      if (pre.includes(".") && R_NBP1.test(pre)) out += w.replaceAll(".", "");
      else if (type === NBP_ANY || (next !== void 0 && R_NBP2.test(next))) out += w;
      else if (type === NBP_NUM_ONLY && next !== void 0 && R_NBP3.test(next)) out += w;
      else out += `${pre} .`;
    } else {
      out += w;
    }
    out += " ";
  }
  s2 = out;
  while (s2.includes("DOTDOTMULTI")) s2 = s2.replaceAll("DOTDOTMULTI", "DOTMULTI.");
  s2 = s2.replaceAll("DOTMULTI", ".");
  return javaTrim(s2.replace(R_WHITE, " "));
}

// src/meteor/paraphrase.ts
// src/meteor/resources.ts
import { existsSync, readFileSync, readFileSync as readFileSync2 } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gunzipSync as gunzipSync2 } from "node:zlib";

var FUNCTION_WORDS_EN = /* @__PURE__ */ new Set([
  ...`the , . to of and a in that for " is on 's it with was as said at he by be from have has are his but an this not i will \u2019 they ) -rrb- ( -lrb- who their had we which were been more or s its would about new one after you : also up when there than $ all out her people she year two - can if last first \u201C over other \u201D into some what so -- no time years could ? 't \u2014 '`.split(
    " ",
  ),
]);
function packageDataDir() {
  const here2 = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here2, "..", "data"), join(here2, "..", "..", "data")]) {
    if (existsSync(join(candidate, "english.synsets.gz"))) return candidate;
  }
  throw new Error(`@tavt/metrics: METEOR resources (english.synsets.gz) not found near ${here2}`);
}
function readResource(dir, name) {
  const plain = join(dir, name);
  if (existsSync(plain)) return readFileSync(plain, "utf8");
  const gz = `${plain}.gz`;
  if (existsSync(gz)) return gunzipSync(readFileSync(gz)).toString("utf8");
  throw new Error(`@tavt/metrics: METEOR resource ${name} not found in ${dir}`);
}
function readLines(text) {
  const lines = text.includes("\r") ? text.split(/\r\n|\r|\n/) : text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

// src/meteor/paraphrase.ts
var ParaphraseTable = class _ParaphraseTable {
  root = { trans: /* @__PURE__ */ new Map(), emit: [] };
  paraphrases = [];
  vocab = /* @__PURE__ */ new Map();
  constructor(text) {
    const lines = readLines(text);
    for (let i = 0; i + 2 < lines.length; i += 3) {
      const ref = javaTokenize(lines[i + 1]).map((w) => this.map(w));
      const par = javaTokenize(lines[i + 2]).map((w) => this.map(w));
      let s2 = this.root;
      for (const w of ref) {
        let next = s2.trans.get(w);
        if (!next) {
          next = { trans: /* @__PURE__ */ new Map(), emit: [] };
          s2.trans.set(w, next);
        }
        s2 = next;
      }
      s2.emit.push(this.paraphrases.length);
      this.paraphrases.push(par);
    }
  }
  /** Read a table from a file; gzip is detected by its magic bytes. */
  static load(path) {
    const raw = readFileSync2(path);
    const text = raw[0] === 31 && raw[1] === 139 ? gunzipSync2(raw).toString("utf8") : raw.toString("utf8");
    return new _ParaphraseTable(text);
  }
  map(word) {
    let id = this.vocab.get(word);
    if (id === void 0) {
      id = this.vocab.size;
      this.vocab.set(word, id);
    }
    return id;
  }
  /** Word id, or -1 for a word the table does not know. */
  translate(word) {
    return this.vocab.get(word) ?? -1;
  }
  /** [length, paraphrase index] pairs of the reference phrases starting at `start`, shortest first. */
  referencePaths(words, start) {
    const out = [];
    let s2 = this.root;
    for (let i = 0; i < words.length - start; i++) {
      s2 = s2.trans.get(words[start + i]);
      if (!s2) break;
      for (const e of s2.emit) out.push(i + 1, e);
    }
    return out;
  }
  paraphrase(index) {
    return this.paraphrases[index];
  }
};

// src/meteor/stats.ts
function statsOfAlignment(a) {
  let testTotalMatches = 0;
  let referenceTotalMatches = 0;
  for (let i = 0; i < a.testContent.length; i++) {
    testTotalMatches += a.testContent[i] + a.testFunction[i];
    referenceTotalMatches += a.referenceContent[i] + a.referenceFunction[i];
  }
  return {
    testLength: a.testLength,
    referenceLength: a.referenceLength,
    testFunctionWords: a.testFunctionWords,
    referenceFunctionWords: a.referenceFunctionWords,
    testTotalMatches,
    referenceTotalMatches,
    testContent: a.testContent.slice(),
    referenceContent: a.referenceContent.slice(),
    testFunction: a.testFunction.slice(),
    referenceFunction: a.referenceFunction.slice(),
    chunks: a.chunks,
    testWordMatches: testTotalMatches,
    referenceWordMatches: referenceTotalMatches,
  };
}
function emptyStats(modules) {
  const z = () => new Array(modules).fill(0);
  return {
    testLength: 0,
    referenceLength: 0,
    testFunctionWords: 0,
    referenceFunctionWords: 0,
    testTotalMatches: 0,
    referenceTotalMatches: 0,
    testContent: z(),
    referenceContent: z(),
    testFunction: z(),
    referenceFunction: z(),
    chunks: 0,
    testWordMatches: 0,
    referenceWordMatches: 0,
  };
}
function addStats(agg, s2) {
  agg.testLength += s2.testLength;
  agg.referenceLength += s2.referenceLength;
  agg.testFunctionWords += s2.testFunctionWords;
  agg.referenceFunctionWords += s2.referenceFunctionWords;
  agg.testTotalMatches += s2.testTotalMatches;
  agg.referenceTotalMatches += s2.referenceTotalMatches;
  for (let i = 0; i < s2.testContent.length; i++) {
    agg.testContent[i] += s2.testContent[i];
    agg.referenceContent[i] += s2.referenceContent[i];
    agg.testFunction[i] += s2.testFunction[i];
    agg.referenceFunction[i] += s2.referenceFunction[i];
  }
  if (!(s2.testTotalMatches === s2.testLength && s2.referenceTotalMatches === s2.referenceLength && s2.chunks === 1))
    agg.chunks += s2.chunks;
  agg.testWordMatches += s2.testWordMatches;
  agg.referenceWordMatches += s2.referenceWordMatches;
}
function computeMetrics(s2, p, weights) {
  const { alpha, beta, gamma, delta } = p;
  const testWeightedLength = delta * (s2.testLength - s2.testFunctionWords) + (1 - delta) * s2.testFunctionWords;
  const referenceWeightedLength =
    delta * (s2.referenceLength - s2.referenceFunctionWords) + (1 - delta) * s2.referenceFunctionWords;
  let testWeightedMatches = 0;
  let referenceWeightedMatches = 0;
  for (let i = 0; i < weights.length; i++) testWeightedMatches += s2.testContent[i] * weights[i] * delta;
  for (let i = 0; i < weights.length; i++) referenceWeightedMatches += s2.referenceContent[i] * weights[i] * delta;
  for (let i = 0; i < weights.length; i++) testWeightedMatches += s2.testFunction[i] * weights[i] * (1 - delta);
  for (let i = 0; i < weights.length; i++)
    referenceWeightedMatches += s2.referenceFunction[i] * weights[i] * (1 - delta);
  const precision = testWeightedMatches / testWeightedLength;
  const recall = referenceWeightedMatches / referenceWeightedLength;
  const fMean = 1 / ((1 - alpha) / precision + alpha / recall);
  let frag;
  if (s2.testTotalMatches === s2.testLength && s2.referenceTotalMatches === s2.referenceLength && s2.chunks === 1)
    frag = 0;
  else frag = s2.chunks / ((s2.testWordMatches + s2.referenceWordMatches) / 2);
  const fragPenalty = gamma * frag ** beta;
  const raw = fMean * (1 - fragPenalty);
  const score = Number.isNaN(raw) ? 0 : Math.max(raw, 0);
  return { precision, recall, fMean, fragPenalty, score };
}

// src/meteor/stemmer.ts
var EXCEPTION1 = /* @__PURE__ */ new Map([
  ["skis", "ski"],
  ["skies", "sky"],
  ["dying", "die"],
  ["lying", "lie"],
  ["tying", "tie"],
  ["idly", "idl"],
  ["gently", "gentl"],
  ["ugly", "ugli"],
  ["early", "earli"],
  ["only", "onli"],
  ["singly", "singl"],
  ["sky", "sky"],
  ["news", "news"],
  ["howe", "howe"],
  ["atlas", "atlas"],
  ["cosmos", "cosmos"],
  ["bias", "bias"],
  ["andes", "andes"],
]);
var EXCEPTION2 = /* @__PURE__ */ new Set([
  "inning",
  "outing",
  "canning",
  "herring",
  "earring",
  "proceed",
  "exceed",
  "succeed",
]);
var byLength = (t) => [...t].sort((a, b) => b[0].length - a[0].length);
var STEP1A = byLength([
  ["sses", 1],
  ["ied", 2],
  ["ies", 2],
  ["s", 3],
  ["ss", 0],
  ["us", 0],
]);
var STEP1B = byLength([
  ["eed", 1],
  ["eedly", 1],
  ["ed", 2],
  ["edly", 2],
  ["ing", 2],
  ["ingly", 2],
]);
var STEP1B_END = byLength([
  ["at", 1],
  ["bl", 1],
  ["iz", 1],
  ["bb", 2],
  ["dd", 2],
  ["ff", 2],
  ["gg", 2],
  ["mm", 2],
  ["nn", 2],
  ["pp", 2],
  ["rr", 2],
  ["tt", 2],
]);
var STEP2 = byLength([
  ["tional", 1],
  ["enci", 2],
  ["anci", 3],
  ["abli", 4],
  ["entli", 5],
  ["izer", 6],
  ["ization", 6],
  ["ational", 7],
  ["ation", 7],
  ["ator", 7],
  ["alism", 8],
  ["aliti", 8],
  ["alli", 8],
  ["fulness", 9],
  ["ousli", 10],
  ["ousness", 10],
  ["iveness", 11],
  ["iviti", 11],
  ["biliti", 12],
  ["bli", 12],
  ["ogi", 13],
  ["fulli", 14],
  ["lessli", 15],
  ["li", 16],
]);
var STEP2_REPL = {
  1: "tion",
  2: "ence",
  3: "ance",
  4: "able",
  5: "ent",
  6: "ize",
  7: "ate",
  8: "al",
  9: "ful",
  10: "ous",
  11: "ive",
  12: "ble",
  14: "ful",
  15: "less",
};
var STEP3 = byLength([
  ["tional", 1],
  ["ational", 2],
  ["alize", 3],
  ["icate", 4],
  ["iciti", 4],
  ["ical", 4],
  ["ful", 5],
  ["ness", 5],
  ["ative", 6],
]);
var STEP3_REPL = { 1: "tion", 2: "ate", 3: "al", 4: "ic" };
var STEP4 = byLength([
  ...[
    "al",
    "ance",
    "ence",
    "er",
    "ic",
    "able",
    "ible",
    "ant",
    "ement",
    "ment",
    "ent",
    "ism",
    "ate",
    "iti",
    "ous",
    "ive",
    "ize",
  ].map((s2) => [s2, 1]),
  ["ion", 2],
]);
function findSuffix(w, table) {
  for (const e of table) if (w.endsWith(e[0])) return e;
  return void 0;
}
function isVowel(c) {
  return c === 97 || c === 101 || c === 105 || c === 111 || c === 117 || c === 121;
}
function isVowelWXY(c) {
  return isVowel(c) || c === 119 || c === 120 || c === 89;
}
function hasVowel(w, end) {
  for (let i = 0; i < end; i++) if (isVowel(w.charCodeAt(i))) return true;
  return false;
}
function regionAfter(w, start) {
  let i = start;
  while (i < w.length && !isVowel(w.charCodeAt(i))) i++;
  if (i >= w.length) return -1;
  i++;
  while (i < w.length && isVowel(w.charCodeAt(i))) i++;
  if (i >= w.length) return -1;
  return i + 1;
}
function shortSyllable(w, end) {
  if (end >= 3) {
    const c3 = w.charCodeAt(end - 1);
    const c2 = w.charCodeAt(end - 2);
    const c1 = w.charCodeAt(end - 3);
    if (!isVowelWXY(c3) && isVowel(c2) && !isVowel(c1)) return true;
  }
  return end === 2 && !isVowel(w.charCodeAt(1)) && isVowel(w.charCodeAt(0));
}
function stemEnglish(word) {
  const exc = EXCEPTION1.get(word);
  if (exc !== void 0) return exc;
  if (word.length < 3) return word;
  let w = word.charCodeAt(0) === 39 ? word.slice(1) : word;
  let yFound = false;
  if (w.length > 0 && (w.charCodeAt(0) === 121 || w.includes("y"))) {
    const chars = w.split("");
    if (chars[0] === "y") {
      chars[0] = "Y";
      yFound = true;
    }
    for (let i = 0; i + 1 < chars.length; i++) {
      if (chars[i + 1] === "y" && isVowel(chars[i].charCodeAt(0))) {
        chars[i + 1] = "Y";
        yFound = true;
      }
    }
    w = chars.join("");
  }
  let p1 = w.length;
  let p2 = w.length;
  let r1Start = -1;
  for (const pre of ["gener", "commun", "arsen"]) if (w.startsWith(pre)) r1Start = pre.length;
  if (r1Start < 0) r1Start = regionAfter(w, 0);
  if (r1Start >= 0) {
    p1 = r1Start;
    const r2 = regionAfter(w, p1);
    if (r2 >= 0) p2 = r2;
  }
  if (w.endsWith("'s'")) w = w.slice(0, -3);
  else if (w.endsWith("'s")) w = w.slice(0, -2);
  else if (w.endsWith("'")) w = w.slice(0, -1);
  const s1a = findSuffix(w, STEP1A);
  if (s1a) {
    const start = w.length - s1a[0].length;
    if (s1a[1] === 1) w = `${w.slice(0, start)}ss`;
    else if (s1a[1] === 2) w = w.slice(0, start) + (start >= 2 ? "i" : "ie");
    else if (s1a[1] === 3 && start >= 1 && hasVowel(w, start - 1)) w = w.slice(0, start);
  }
  if (!EXCEPTION2.has(w)) {
    const s1b = findSuffix(w, STEP1B);
    if (s1b) {
      const start = w.length - s1b[0].length;
      if (s1b[1] === 1) {
        if (p1 <= start) w = `${w.slice(0, start)}ee`;
      } else if (hasVowel(w, start)) {
        w = w.slice(0, start);
        const end = findSuffix(w, STEP1B_END);
        if (end?.[1] === 1) w += "e";
        else if (end?.[1] === 2) w = w.slice(0, -1);
        else if (!end && w.length === p1 && shortSyllable(w, w.length)) w += "e";
      }
    }
    const n1c = w.length;
    if (n1c >= 3) {
      const last = w.charCodeAt(n1c - 1);
      if ((last === 121 || last === 89) && !isVowel(w.charCodeAt(n1c - 2))) w = `${w.slice(0, -1)}i`;
    }
    const s2 = findSuffix(w, STEP2);
    if (s2) {
      const start = w.length - s2[0].length;
      if (p1 <= start) {
        const act = s2[1];
        if (act === 13) {
          if (start >= 1 && w.charCodeAt(start - 1) === 108) w = `${w.slice(0, start)}og`;
        } else if (act === 16) {
          if (start >= 1 && "cdeghkmnrt".includes(w[start - 1])) w = w.slice(0, start);
        } else {
          w = w.slice(0, start) + STEP2_REPL[act];
        }
      }
    }
    const s3 = findSuffix(w, STEP3);
    if (s3) {
      const start = w.length - s3[0].length;
      if (p1 <= start) {
        const act = s3[1];
        if (act === 5) w = w.slice(0, start);
        else if (act === 6) {
          if (p2 <= start) w = w.slice(0, start);
        } else w = w.slice(0, start) + STEP3_REPL[act];
      }
    }
    const s4 = findSuffix(w, STEP4);
    if (s4) {
      const start = w.length - s4[0].length;
      if (p2 <= start) {
        if (s4[1] === 1) w = w.slice(0, start);
        else if (start >= 1 && (w[start - 1] === "s" || w[start - 1] === "t")) w = w.slice(0, start);
      }
    }
    const n5 = w.length;
    if (n5 >= 1) {
      const last = w.charCodeAt(n5 - 1);
      const start = n5 - 1;
      if (last === 101) {
        if (p2 <= start || (p1 <= start && !shortSyllable(w, start))) w = w.slice(0, start);
      } else if (last === 108) {
        if (p2 <= start && start >= 1 && w.charCodeAt(start - 1) === 108) w = w.slice(0, start);
      }
    }
  }
  return yFound ? w.replaceAll("Y", "y") : w;
}

// src/meteor/synonyms.ts
var SUFFIX = [
  "s",
  "ses",
  "xes",
  "zes",
  "ches",
  "shes",
  "men",
  "ies",
  "s",
  "ies",
  "es",
  "es",
  "ed",
  "ed",
  "ing",
  "ing",
  "er",
  "est",
  "er",
  "est",
];
var ENDING = ["", "s", "x", "z", "ch", "sh", "man", "y", "", "y", "e", "", "e", "", "e", "", "", "", "e", "e"];
var EMPTY = [];
var SynonymDictionary = class _SynonymDictionary {
  /** word -> its synset line, parsed on first use (most of the 147k words are never looked up). */
  wordToSynsets = /* @__PURE__ */ new Map();
  wordToBases = /* @__PURE__ */ new Map();
  cache = /* @__PURE__ */ new Map();
  constructor(synsetsText, exceptionsText) {
    const exc = readLines(exceptionsText);
    for (let i = 0; i + 1 < exc.length; i += 2) {
      const base = exc[i];
      for (const form of javaTokenize(exc[i + 1])) {
        const bases = this.wordToBases.get(form);
        if (bases) bases.push(base);
        else this.wordToBases.set(form, [base]);
      }
    }
    const syn = readLines(synsetsText);
    for (let i = 0; i + 1 < syn.length; i += 2) {
      this.wordToSynsets.set(syn[i], syn[i + 1]);
    }
  }
  /** Load english.synsets(.gz) and english.exceptions(.gz) from a folder. */
  static load(dir) {
    return new _SynonymDictionary(readResource(dir, "english.synsets"), readResource(dir, "english.exceptions"));
  }
  synsets(word) {
    const v = this.wordToSynsets.get(word);
    if (v === void 0) return EMPTY;
    if (typeof v !== "string") return v;
    const ids2 = javaTokenize(v).map((t) => Number.parseInt(t, 10));
    this.wordToSynsets.set(word, ids2);
    return ids2;
  }
  /** Synsets of the word's base forms: listed exceptions, else the first suffix rule that gives a WordNet word. */
  stemSynsets(word) {
    const bases = this.wordToBases.get(word);
    if (bases) return bases.flatMap((b) => this.synsets(b));
    return this.synsets(this.morph(word));
  }
  morph(word) {
    if (word.endsWith("ss") || word.length <= 2) return word;
    for (let i = 0; i < SUFFIX.length; i++) {
      const suffix = SUFFIX[i];
      if (word.endsWith(suffix)) {
        const base = word.slice(0, word.length - suffix.length) + ENDING[i];
        if (this.wordToSynsets.has(base)) return base;
      }
    }
    return "";
  }
  /** All synsets of a word and of its base forms, without repeats (cached). */
  allSynsets(word) {
    let ids2 = this.cache.get(word);
    if (!ids2) {
      ids2 = [.../* @__PURE__ */ new Set([...this.synsets(word), ...this.stemSynsets(word)])];
      this.cache.set(word, ids2);
    }
    return ids2;
  }
};

// src/meteor/meteor.ts
var METEOR_DEFAULT_PARAMETERS = {
  alpha: 0.85,
  beta: 0.2,
  gamma: 0.6,
  delta: 0.75,
};
var DEFAULT_WEIGHT = { exact: 1, stem: 0.6, synonym: 0.8, paraphrase: 0.6 };
var MeteorScorer = class {
  modules;
  weights;
  parameters;
  normalize;
  config;
  synonyms;
  words = /* @__PURE__ */ new Map();
  constructor(options = {}) {
    const modules =
      options.modules ??
      (options.paraphraseTable ? ["exact", "stem", "synonym", "paraphrase"] : ["exact", "stem", "synonym"]);
    if (modules.length === 0 || modules.length > 4) throw new RangeError("meteor: give 1 to 4 modules");
    for (const m2 of modules) if (!(m2 in DEFAULT_WEIGHT)) throw new RangeError(`meteor: unknown module "${m2}"`);
    this.modules = [...modules];
    this.weights = options.weights ? [...options.weights] : modules.map((m2) => DEFAULT_WEIGHT[m2]);
    if (this.weights.length !== modules.length) throw new RangeError("meteor: give one weight per module");
    this.parameters = { ...METEOR_DEFAULT_PARAMETERS, ...options.parameters };
    this.normalize = options.normalize ?? true;
    let paraphrase;
    if (modules.includes("paraphrase")) {
      if (!options.paraphraseTable) throw new RangeError("meteor: the paraphrase module needs `paraphraseTable`");
      paraphrase = ParaphraseTable.load(options.paraphraseTable);
    }
    if (modules.includes("synonym")) this.synonyms = SynonymDictionary.load(options.wordnetDir ?? packageDataDir());
    this.config = { modules: this.modules, beamSize: options.beamSize ?? 40, paraphrase };
  }
  /** Everything the modules need about one word, computed once per distinct word. */
  wordInfo(word) {
    let info = this.words.get(word);
    if (info === void 0) {
      info = {
        key: javaHash(word),
        stemKey: this.modules.includes("stem") ? javaHash(stemEnglish(word)) : 0,
        isFunction: FUNCTION_WORDS_EN.has(word.toLowerCase()) ? 1 : 0,
        synsets: this.synonyms ? this.synonyms.allSynsets(word) : [],
        paraId: this.config.paraphrase ? this.config.paraphrase.translate(word) : -1,
      };
      this.words.set(word, info);
    }
    return info;
  }
  /** Normalize, lowercase and tokenize one line, and look up the keys every module needs. */
  prepare(line) {
    let s2 = this.normalize ? normalizeEnglish(line) : line;
    if (this.normalize) s2 = s2.toLowerCase();
    const words = javaTokenize(s2);
    const n = words.length;
    const keys = new Int32Array(n);
    const stemKeys = new Int32Array(n);
    const isFunction = new Uint8Array(n);
    const synsets = [];
    const paraIds = [];
    for (let i = 0; i < n; i++) {
      const info = this.wordInfo(words[i]);
      keys[i] = info.key;
      stemKeys[i] = info.stemKey;
      isFunction[i] = info.isFunction;
      synsets.push(info.synsets);
      paraIds.push(info.paraId);
    }
    return { words, keys, stemKeys, isFunction, synsets, paraIds };
  }
  /** Sufficient statistics of a test line against its best reference (highest METEOR; first on ties). */
  segmentStats(test, references) {
    const t = this.prepare(test);
    let best;
    let bestScore = -1;
    for (const ref of references) {
      const stats = statsOfAlignment(align(t, this.prepare(ref), this.config));
      const score = computeMetrics(stats, this.parameters, this.weights).score;
      if (score > bestScore) {
        best = stats;
        bestScore = score;
      }
    }
    return best ?? emptyStats(this.modules.length);
  }
  /** METEOR of one set of statistics (segment or summed). */
  scoreStats(stats) {
    return computeMetrics(stats, this.parameters, this.weights).score;
  }
  /**
   * Score a corpus as coco-caption does: its wrapper strips "|||" and collapses double spaces in each hypothesis,
   * sends "SCORE ||| ref1 ||| ... ||| hyp" (Meteor splits on "|||" and trims), then scores every segment and the
   * summed statistics. Newlines inside captions are treated as spaces.
   */
  score(refs2, cands2) {
    const agg = emptyStats(this.modules.length);
    const items = [];
    for (let i = 0; i < cands2.length; i++) {
      const hyp = cands2[i].replaceAll("|||", "").replaceAll("  ", " ");
      const line = `SCORE ||| ${refs2[i].join(" ||| ")} ||| ${hyp}`.replace(/\r\n|\r|\n/g, " ");
      const parts = line.split("|||");
      while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
      const test = javaTrim(parts[parts.length - 1]);
      const references = parts.slice(1, -1).map(javaTrim);
      const stats = this.segmentStats(test, references);
      items.push(this.scoreStats(stats));
      addStats(agg, stats);
    }
    return { corpus: this.scoreStats(agg), items };
  }
};

// src/rouge.ts
var BETA = 1.2;
function lcsLength(a, b) {
  const [long, short] = a.length < b.length ? [b, a] : [a, b];
  const m2 = short.length;
  let prev = new Int32Array(m2 + 1);
  let cur = new Int32Array(m2 + 1);
  for (let i = 1; i <= long.length; i++) {
    const w = long[i - 1];
    for (let j = 1; j <= m2; j++) {
      if (w === short[j - 1]) cur[j] = prev[j - 1] + 1;
      else cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m2];
}
function rougeLItem(candidate, refs2) {
  const c = candidate.split(" ");
  let precMax = 0;
  let recMax = 0;
  for (const ref of refs2) {
    const r = ref.split(" ");
    const lcs = lcsLength(r, c);
    const prec = lcs / c.length;
    const rec = lcs / r.length;
    if (prec > precMax) precMax = prec;
    if (rec > recMax) recMax = rec;
  }
  if (precMax === 0 || recMax === 0) return 0;
  return ((1 + BETA ** 2) * precMax * recMax) / (recMax + BETA ** 2 * precMax);
}
function rougeL(refs2, cands2) {
  const items = cands2.map((c, i) => rougeLItem(c, refs2[i]));
  let sum = 0;
  for (const s2 of items) sum += s2;
  return { corpus: items.length ? sum / items.length : Number.NaN, items };
}

// test/fixtures.ts
import { existsSync as existsSync2, readFileSync as readFileSync3 } from "node:fs";
import { dirname as dirname2, join as join2 } from "node:path";
import { fileURLToPath as fileURLToPath2 } from "node:url";

var here = dirname2(fileURLToPath2(import.meta.url));
var FIXTURES = join2(here, "..", "..", "..", "tools", "fixtures", "metrics");
var SHARED_DATA = join2(here, "..", "..", "..", "..", "shared", "data");
function msrvttTestSplit() {
  const file = join2(SHARED_DATA, "msrvtt", "test_videodatainfo.json");
  if (!existsSync2(file)) return void 0;
  const info = JSON.parse(readFileSync3(file, "utf8"));
  const byVideo = /* @__PURE__ */ new Map();
  for (const s2 of info.sentences) {
    const list = byVideo.get(s2.video_id) ?? [];
    list.push(s2);
    byVideo.set(s2.video_id, list);
  }
  const ids2 = [...byVideo.keys()].sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  const refs2 = {};
  const cands2 = {};
  for (const id of ids2) {
    const caps = byVideo
      .get(id)
      .sort((a, b) => a.sen_id - b.sen_id)
      .map((s2) => s2.caption);
    cands2[id] = caps[0];
    refs2[id] = caps.slice(1);
  }
  return { refs: refs2, cands: cands2 };
}

// full.tmp.ts
var s = msrvttTestSplit();
var ids = Object.keys(s.cands);
var refs = ids.map((i) => s.refs[i]);
var cands = ids.map((i) => s.cands[i]);
function time(name, f) {
  const c = process.cpuUsage();
  const t = performance.now();
  f();
  const u = process.cpuUsage(c);
  console.log(
    name.padEnd(12),
    "wall",
    (performance.now() - t).toFixed(0),
    "cpu",
    ((u.user + u.system) / 1e3).toFixed(0),
  );
}
var m;
for (let rep = 0; rep < 2; rep++) {
  time("bleu", () => bleu(refs, cands));
  time("rouge", () => rougeL(refs, cands));
  time("cider", () => ciderD(refs, cands));
  time("meteor-load", () => {
    m = new MeteorScorer();
  });
  time("meteor", () => m.score(refs, cands));
}

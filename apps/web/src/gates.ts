import type { VideoCaption } from "./caption";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * The modality gates of one caption, word by word (paper Figure 11): alpha_av (audio attended by vision) and
 * alpha_va (vision attended by audio), each the mean over the hidden dimension of the last decoder block's gate at
 * the step that generated the word.
 */
export function gatesSvg(c: VideoCaption): string {
  const n = c.words.length;
  if (n === 0 || c.alphaAv.length === 0) {
    return `<p class="muted">No gates to draw: ${n === 0 ? "the caption is empty" : "this model has no modality gates (a single-stream baseline)"}.</p>`;
  }
  const step = Math.max(44, Math.min(90, 760 / n));
  const left = 46;
  const top = 26;
  const h = 180;
  const w = left + step * n + 20;
  const values = [...c.alphaAv, ...c.alphaVa];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const pad = Math.max(0.02, (hi - lo) * 0.15);
  lo = Math.max(0, lo - pad);
  hi = Math.min(1, hi + pad);
  const y = (v: number) => top + h - ((v - lo) / (hi - lo || 1)) * h;
  const x = (i: number) => left + step * (i + 0.5);
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    parts.push(
      `<line x1="${left}" x2="${w - 10}" y1="${y(v)}" y2="${y(v)}" class="grid"/>`,
      `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" class="tick">${v.toFixed(2)}</text>`,
    );
  }
  const series = (vals: number[], cls: string, label: string) => {
    const pts = vals.map((v, i) => `${x(i)},${y(v)}`).join(" ");
    parts.push(`<polyline points="${pts}" class="line ${cls}"/>`);
    vals.forEach((v, i) => {
      parts.push(
        `<circle cx="${x(i)}" cy="${y(v)}" r="3.5" class="dot ${cls}"><title>${label} = ${v.toFixed(5)}</title></circle>`,
      );
    });
  };
  series(c.alphaAv, "av", "alpha_av");
  series(c.alphaVa, "va", "alpha_va");
  c.words.forEach((word, i) => {
    parts.push(
      `<text x="${x(i)}" y="${top + h + 18}" text-anchor="middle" class="word">${esc(word)}</text>`,
      `<text x="${x(i)}" y="${top + h + 32}" text-anchor="middle" class="tick">${(c.alphaAv[i]! / c.alphaVa[i]!).toFixed(2)}</text>`,
    );
  });
  parts.push(
    `<text x="${left}" y="14" class="legend"><tspan class="av-text">&#9679; alpha_av</tspan>  <tspan class="va-text" dx="12">&#9679; alpha_va</tspan>  <tspan class="tick" dx="12">below each word: psi = alpha_av / alpha_va</tspan></text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" class="gates" viewBox="0 0 ${w} ${top + h + 40}" width="${w}" height="${top + h + 40}" role="img" aria-label="modality gates of ${esc(c.id)}">${parts.join("")}</svg>`;
}

import { MeteorScorer, readReferences, score } from "@tavt/metrics";
import exceptionsUrl from "../../../packages/metrics/data/english.exceptions.gz?url";
import synsetsUrl from "../../../packages/metrics/data/english.synsets.gz?url";
import type { VideoCaption } from "./caption";

/** The paper's metrics, x100 (as `tavt eval` prints them). */
export interface CaptionScores {
  scored: number;
  BLEU1: number;
  BLEU4: number;
  METEOR: number;
  ROUGE_L: number;
  CIDEr: number;
}

function push(out: Record<string, string[]>, id: string, caption: string): void {
  const list = out[id];
  if (list) list.push(caption);
  else out[id] = [caption];
}

/**
 * References from a file: `{"id": ["caption", ...]}` (what `tavt score --refs` reads), MSR-VTT's
 * `{"sentences": [{"video_id", "caption"}]}`, or text lines `id<TAB>caption` (one reference a line).
 */
export function parseReferences(name: string, text: string): Record<string, string[]> {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw Object.assign(new Error(`${name}: not valid JSON (${(e as Error).message})`), { code: "BAD_INPUT" });
    }
    const sentences = (json as { sentences?: unknown }).sentences;
    if (Array.isArray(sentences)) {
      const out: Record<string, string[]> = {};
      for (const s of sentences as { video_id?: unknown; caption?: unknown }[]) {
        if (typeof s?.video_id !== "string" || typeof s.caption !== "string") continue;
        push(out, s.video_id, s.caption);
      }
      return out;
    }
    return readReferences(json, name);
  }
  const out: Record<string, string[]> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const tab = line.indexOf("\t");
    if (tab < 0) {
      throw Object.assign(new Error(`${name}: expected "id<TAB>caption" lines, got ${JSON.stringify(line)}`), {
        code: "BAD_INPUT",
      });
    }
    push(out, line.slice(0, tab), line.slice(tab + 1));
  }
  return out;
}

async function gunzipped(url: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  // A static host may already have decoded a .gz (Content-Encoding: gzip): use the bytes as they came then.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

let meteor: Promise<MeteorScorer> | null = null;

/** METEOR 1.5 with the package's WordNet, fetched (1.5 MB) on first use. */
function meteorScorer(): Promise<MeteorScorer> {
  meteor ??= Promise.all([gunzipped(synsetsUrl), gunzipped(exceptionsUrl)]).then(
    ([synsets, exceptions]) =>
      new MeteorScorer({ wordnet: { synsets, exceptions: new TextDecoder().decode(exceptions) } }),
  );
  return meteor;
}

/** Score the captions that have references (coco-caption's definitions, @tavt/metrics), x100. */
export async function scoreCaptions(
  captions: readonly VideoCaption[],
  refs: Record<string, string[]>,
  refsFile: string,
): Promise<CaptionScores> {
  const cands: Record<string, string> = {};
  for (const c of captions) if (refs[c.id]?.length) cands[c.id] = c.caption;
  const s = score(refs, cands, { meteor: await meteorScorer(), files: { refsFile, candsFile: "the captions" } });
  return {
    scored: Object.keys(cands).length,
    BLEU1: 100 * s.Bleu_1,
    BLEU4: 100 * s.Bleu_4,
    METEOR: 100 * s.METEOR,
    ROUGE_L: 100 * s.ROUGE_L,
    CIDEr: 100 * s.CIDEr,
  };
}

import { type FeatureStore, NpyBytesStore, openFeatureBytes } from "@tavt/datasets";
import { chooseBackend, type PageBackend, type PageBackendReport } from "./backend";
import { captionStores, type VideoCaption } from "./caption";
import { gatesSvg } from "./gates";
import { type LoadedRun, loadRun, type ReadRunFile } from "./run";
import { type CaptionScores, parseReferences, scoreCaptions } from "./score";

interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/** What the page holds. Feature files stay bytes until captioning, when they are opened with the run's dims. */
const state: {
  run: LoadedRun | null;
  visual: NamedBytes[] | null;
  audio: NamedBytes[] | null;
  refs: { name: string; map: Record<string, string[]> } | null;
  captions: VideoCaption[];
  scores: CaptionScores | null;
  backend: PageBackendReport | null;
  error: string | null;
  busy: boolean;
} = {
  run: null,
  visual: null,
  audio: null,
  refs: null,
  captions: [],
  scores: null,
  backend: null,
  error: null,
  busy: false,
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

/** The one line `tavt` prints for an error (errorLine in @tavt/cli), shown in the page. */
function showError(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  state.error = message;
  const box = $("error");
  box.textContent = `tavt: ${message.replace(/\s*\n\s*/g, "; ").trim()}`;
  box.hidden = false;
}

function clearError(): void {
  state.error = null;
  $("error").hidden = true;
}

/** Runs an action with the page's error handling: never a blank screen, always the message. */
async function guarded<T>(f: () => Promise<T>): Promise<T | undefined> {
  clearError();
  try {
    return await f();
  } catch (e) {
    showError(e);
    return undefined;
  }
}

const paint = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function bytesOf(file: File): Promise<NamedBytes> {
  return { name: file.webkitRelativePath || file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

async function fetchBytes(url: string): Promise<Uint8Array | null> {
  const res = await fetch(url);
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

// ---- backend

async function useBackend(): Promise<PageBackendReport> {
  const wanted = ($("backend-choice") as HTMLSelectElement).value as PageBackend | "auto";
  if (state.backend && (wanted === "auto" || wanted === state.backend.backend)) return state.backend;
  $("backend").textContent = "starting…";
  try {
    state.backend = await chooseBackend(wanted);
  } finally {
    const b = state.backend;
    $("backend").textContent = b ? b.backend : "none";
    $("backend-detail").textContent = b
      ? `(${b.detail}${b.skipped.length ? `; skipped ${b.skipped.map((s) => `${s.backend}: ${s.reason}`).join("; ")}` : ""})`
      : "";
  }
  return state.backend;
}

// ---- run

function runStatus(): void {
  const r = state.run;
  if (!r) return;
  const c = r.modelConfig;
  const search = r.settings.greedy ? "greedy" : `beam ${r.settings.beam}`;
  $("run-status").innerHTML =
    `Loaded <strong>${esc(r.dir || "run")}</strong>: ${r.captioner.kind}, width ${c.dim}, ${c.heads} heads, visual ${c.visualDim}-d, audio ${c.audioDim}-d, vocabulary ${r.vocab.size} words; its config searches ${search}.`;
  updateButtons();
}

async function setRun(dir: string, read: ReadRunFile): Promise<void> {
  await useBackend();
  $("run-status").textContent = "Loading…";
  try {
    const run = await loadRun(dir, read);
    state.run?.dispose();
    state.run = run;
    runStatus();
  } catch (e) {
    $("run-status").textContent = state.run ? `Still using ${state.run.dir || "the previous run"}.` : "No run loaded.";
    throw e;
  }
}

function runFromFiles(files: File[]): Promise<void> {
  const byName = new Map(files.map((f) => [f.name, f]));
  const first = files[0]?.webkitRelativePath ?? "";
  const dir = first.includes("/") ? first.slice(0, first.lastIndexOf("/")) : "";
  return setRun(dir, async (name) => {
    const f = byName.get(name);
    return f ? new Uint8Array(await f.arrayBuffer()) : null;
  });
}

function runFromUrl(base: string): Promise<void> {
  const root = new URL(base.endsWith("/") ? base : `${base}/`, location.href);
  // A run under this page is named by its path from the page (example/model.safetensors), others by their URL.
  const page = new URL(".", location.href).href;
  const shown = (root.href.startsWith(page) ? root.href.slice(page.length) : root.href).replace(/\/$/, "");
  return setRun(shown, (name) => fetchBytes(new URL(name, root).href));
}

// ---- features

/** Open a feature selection: one .npz (or .npy) file, or .npy files named by video id. */
async function openFeatures(files: NamedBytes[], dim?: number): Promise<FeatureStore> {
  const npys = files.filter((f) => f.name.toLowerCase().endsWith(".npy"));
  if (files.length > 1 || (npys.length === 1 && files.length === 1 && files[0]!.name.includes("/"))) {
    if (npys.length !== files.length) {
      throw new Error(
        `${files.map((f) => f.name).join(", ")}: pick one .npz archive, or .npy files (one per video id)`,
      );
    }
    const first = npys[0]!.name;
    const dir = first.includes("/") ? first.slice(0, first.lastIndexOf("/")) : ".";
    return new NpyBytesStore(dir, npys, { dim });
  }
  const f = files[0]!;
  return openFeatureBytes(f.name, f.bytes, { dim });
}

const featNotes: { visual?: string; audio?: string; refs?: string } = {};

function featStatus(): void {
  const parts = [featNotes.visual, featNotes.audio, featNotes.refs].filter(Boolean);
  $("feat-status").textContent = parts.length ? `${parts.join("; ")}.` : "No features loaded.";
}

async function setFeatures(kind: "visual" | "audio", files: NamedBytes[]): Promise<void> {
  const store = await openFeatures(files); // fails now on a file that is not features at all
  const ids = store.ids();
  if (ids.length === 0) throw new Error(`${store.path}: no videos (expected one <id>.npy entry per video)`);
  const [frames, dim] = store.shape(ids[0]!);
  store.close();
  state[kind] = files;
  featNotes[kind] = `${kind}: ${store.path.split("/").pop()}, ${ids.length} videos of ${frames}x${dim}`;
  featStatus();
  updateButtons();
}

async function setRefs(name: string, text: string): Promise<void> {
  state.refs = { name, map: parseReferences(name, text) };
  featNotes.refs = `references: ${name.split("/").pop()}, ${Object.keys(state.refs.map).length} videos`;
  featStatus();
}

// ---- caption

function updateButtons(): void {
  ($("caption") as HTMLButtonElement).disabled = state.busy || !state.run || !state.visual;
}

function searchOptions(): { greedy?: boolean; beam?: number } {
  const mode = ($("search") as HTMLSelectElement).value;
  const beam = Number(($("beam") as HTMLInputElement).value) || 5;
  if (mode === "greedy") return { greedy: true };
  if (mode === "beam") return { greedy: false, beam };
  return {};
}

async function openBoth(run: LoadedRun): Promise<{ visual: FeatureStore; audio: FeatureStore | null }> {
  // As `tavt caption`: visual features checked against the model's dim, audio (where given) against its audio dim.
  const visual = await openFeatures(state.visual!, run.modelConfig.visualDim);
  const audio = state.audio ? await openFeatures(state.audio, run.modelConfig.audioDim) : null;
  return { visual, audio };
}

async function captionAll(): Promise<VideoCaption[]> {
  const run = state.run;
  if (!run || !state.visual) throw new Error("load a run and visual features first");
  state.busy = true;
  updateButtons();
  const progress = $("progress") as HTMLProgressElement;
  const text = $("progress-text");
  try {
    const backend = await useBackend();
    const { visual, audio } = await openBoth(run);
    const t0 = performance.now();
    progress.value = 0;
    text.textContent = `captioning ${visual.ids().length} videos on ${backend.backend}…`;
    await paint();
    const captions = await captionStores(run, visual, audio, {
      ...searchOptions(),
      onProgress: (done, total) => {
        progress.value = done / total;
        text.textContent = `${done}/${total} videos`;
      },
      pause: paint,
    });
    const s = (performance.now() - t0) / 1000;
    text.textContent = `${captions.length} videos in ${s.toFixed(2)} s on ${backend.backend} (${(captions.length / s).toFixed(1)} captions/s)`;
    visual.close();
    audio?.close();
    state.scores = state.refs ? await scoreCaptions(captions, state.refs.map, state.refs.name) : null;
    state.captions = captions;
    render();
    return captions;
  } finally {
    state.busy = false;
    updateButtons();
  }
}

// ---- results

let sortKey: "id" | "caption" | "length" | "av" | "va" = "id";
let sortDir = 1;
let selected: string | null = null;

function render(): void {
  $("results").hidden = state.captions.length === 0;
  const scores = state.scores;
  $("scores").innerHTML = scores
    ? `<table><tr><th>videos scored</th><th>BLEU-1</th><th>BLEU-4</th><th>METEOR</th><th>ROUGE-L</th><th>CIDEr</th></tr><tr><td class="num">${scores.scored}</td>${[scores.BLEU1, scores.BLEU4, scores.METEOR, scores.ROUGE_L, scores.CIDEr].map((v) => `<td class="num">${v.toFixed(2)}</td>`).join("")}</tr></table><p class="muted">Scores x100 against ${esc(state.refs!.name)}, as coco-caption computes them (@tavt/metrics).</p>`
    : "";
  const rows = state.captions.map((c) => ({ c, length: c.words.length, av: mean(c.alphaAv), va: mean(c.alphaVa) }));
  rows.sort((a, b) => {
    const x = sortKey === "id" || sortKey === "caption" ? a.c[sortKey] : a[sortKey];
    const y = sortKey === "id" || sortKey === "caption" ? b.c[sortKey] : b[sortKey];
    return (x < y ? -1 : x > y ? 1 : 0) * sortDir;
  });
  const fmt = (v: number) => (Number.isNaN(v) ? "" : v.toFixed(4));
  $("table").querySelector("tbody")!.innerHTML = rows
    .map(
      (r) =>
        `<tr data-id="${esc(r.c.id)}"${r.c.id === selected ? ' class="selected"' : ""}><td>${esc(r.c.id)}</td><td>${esc(r.c.caption)}</td><td class="num">${r.length}</td><td class="num">${fmt(r.av)}</td><td class="num">${fmt(r.va)}</td></tr>`,
    )
    .join("");
  for (const th of $("table").querySelectorAll("th")) {
    th.classList.toggle("sorted-asc", th.dataset.key === sortKey && sortDir === 1);
    th.classList.toggle("sorted-desc", th.dataset.key === sortKey && sortDir === -1);
  }
  const one = state.captions.find((c) => c.id === selected) ?? state.captions[0];
  if (one) {
    const refs = state.refs?.map[one.id];
    $("single").innerHTML =
      `<h3>${esc(one.id)}</h3><p class="caption" data-testid="single-caption">${esc(one.caption)}</p>${gatesSvg(one)}${refs?.length ? `<p class="muted">References: ${refs.map(esc).join(" · ")}</p>` : ""}`;
  }
}

// ---- wiring

function onFiles(input: string, f: (files: File[]) => Promise<void>): void {
  const el = $(input) as HTMLInputElement;
  el.addEventListener("change", () => {
    const files = [...(el.files ?? [])];
    el.value = "";
    if (files.length > 0) void guarded(() => f(files));
  });
}

async function loadExample(): Promise<void> {
  const base = new URL("example/", location.href);
  await runFromUrl(base.href);
  const get = async (name: string) => {
    const bytes = await fetchBytes(new URL(name, base).href);
    if (!bytes) throw new Error(`example/${name}: not found`);
    return { name: `example/${name}`, bytes };
  };
  state.visual = state.audio = null;
  for (const k of ["visual", "audio", "refs"] as const) delete featNotes[k];
  await setFeatures("visual", [await get("visual.npz")]);
  await setFeatures("audio", [await get("audio.npz")]);
  const refs = await get("references.json");
  await setRefs(refs.name, new TextDecoder().decode(refs.bytes));
}

/** Captions/s on the active backend: `repeats` passes over every video, after one untimed pass. */
async function bench(
  repeats = 3,
): Promise<{ backend: string; videos: number; seconds: number; captionsPerSecond: number }> {
  const run = state.run!;
  const backend = await useBackend();
  const { visual, audio } = await openBoth(run);
  await captionStores(run, visual, audio, searchOptions());
  const t0 = performance.now();
  let videos = 0;
  for (let i = 0; i < repeats; i++) videos += (await captionStores(run, visual, audio, searchOptions())).length;
  const seconds = (performance.now() - t0) / 1000;
  return { backend: backend.backend, videos, seconds, captionsPerSecond: videos / seconds };
}

function wire(): void {
  $("load-example").addEventListener("click", () => void guarded(loadExample));
  onFiles("run-dir", runFromFiles);
  onFiles("run-files", runFromFiles);
  $("run-url-go").addEventListener(
    "click",
    () => void guarded(() => runFromUrl(($("run-url") as HTMLInputElement).value)),
  );
  onFiles("visual-file", async (files) => setFeatures("visual", await Promise.all(files.map(bytesOf))));
  onFiles("audio-file", async (files) => setFeatures("audio", await Promise.all(files.map(bytesOf))));
  onFiles("refs-file", async ([f]) => setRefs(f!.name, await f!.text()));
  $("feat-url-go").addEventListener(
    "click",
    () =>
      void guarded(async () => {
        for (const [kind, id] of [
          ["visual", "feat-url"],
          ["audio", "audio-url"],
        ] as const) {
          const url = ($(id) as HTMLInputElement).value.trim();
          if (!url) continue;
          const bytes = await fetchBytes(url);
          if (!bytes) throw new Error(`${url}: not found (HTTP 404)`);
          await setFeatures(kind, [{ name: url, bytes }]);
        }
      }),
  );
  $("caption").addEventListener("click", () => void guarded(captionAll));
  $("backend-choice").addEventListener("change", () => void guarded(async () => void (await useBackend())));
  $("table").addEventListener("click", (ev) => {
    const th = (ev.target as HTMLElement).closest("th");
    if (th?.dataset.key) {
      const key = th.dataset.key as typeof sortKey;
      sortDir = key === sortKey ? -sortDir : 1;
      sortKey = key;
      render();
      return;
    }
    const tr = (ev.target as HTMLElement).closest("tr[data-id]") as HTMLElement | null;
    if (tr) {
      selected = tr.dataset.id!;
      render();
    }
  });
  // Drop a run folder and feature files: sorted by name (model.safetensors, vocab.json, ... ; *audio* is audio).
  document.addEventListener("dragover", (e) => {
    e.preventDefault();
    document.body.classList.add("dragging");
  });
  document.addEventListener("dragleave", () => document.body.classList.remove("dragging"));
  document.addEventListener("drop", (e) => {
    e.preventDefault();
    document.body.classList.remove("dragging");
    void guarded(() => dropped(e.dataTransfer));
  });
}

async function filesOfEntry(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile) {
    return [await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej))];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const out: File[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
    if (batch.length === 0) return out;
    for (const e of batch) out.push(...(await filesOfEntry(e)));
  }
}

async function dropped(dt: DataTransfer | null): Promise<void> {
  if (!dt) return;
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  const files = (await Promise.all(entries.map((e) => filesOfEntry(e)))).flat();
  const runNames = new Set(["model.safetensors", "vocab.json", "config.yaml", "space.safetensors"]);
  const run = files.filter((f) => runNames.has(f.name));
  if (run.length > 0) await runFromFiles(run);
  const feats = files.filter((f) => /\.(npz|npy|h5|hdf5)$/i.test(f.name));
  const audio = feats.filter((f) => /audio/i.test(f.name));
  const visual = feats.filter((f) => !/audio/i.test(f.name));
  if (visual.length > 0) await setFeatures("visual", await Promise.all(visual.map(bytesOf)));
  if (audio.length > 0) await setFeatures("audio", await Promise.all(audio.map(bytesOf)));
  const refs = files.find((f) => /\.(json|tsv|txt)$/i.test(f.name) && !runNames.has(f.name));
  if (refs) await setRefs(refs.name, await refs.text());
}

/** What the browser test and the speed benchmark drive (window.__tavt). */
const api = {
  state,
  loadExample: () => guarded(loadExample),
  caption: () => guarded(captionAll),
  bench,
  backend: useBackend,
};
declare global {
  interface Window {
    __tavt: typeof api & { ready: boolean };
  }
}

wire();
const params = new URLSearchParams(location.search);
const forced = params.get("backend");
if (forced) ($("backend-choice") as HTMLSelectElement).value = forced;
window.__tavt = { ...api, ready: false };
void guarded(useBackend).then(() => {
  window.__tavt.ready = true;
  // The page does something on first open: the example run captions the example features (?example=0: not).
  if (params.get("example") !== "0") {
    void guarded(async () => {
      await loadExample();
      await captionAll();
    });
  }
});

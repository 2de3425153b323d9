import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openFeatureStore, writeFeatureStore } from "@tavt/datasets";
import puppeteer, { type Browser, type ElementHandle, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium, serveStatic } from "./serve";

// The built site in a real headless Chromium (Debian's package, no browser download): the example run's captions
// must be exactly what `tavt caption` prints for the same run and features on the wasm backend, and a damaged file
// must give the CLI's message in the page. Skipped (not passed) where chromium is absent; under CI=true it fails.
const here = dirname(fileURLToPath(import.meta.url));
const app = join(here, "..");
const root = join(app, "..", "..");
const dist = join(app, "dist");
const example = join(app, "public", "example");
const cli = join(root, "packages", "cli", "dist", "bin.js");
const chromium = findChromium();
const ci = process.env.CI === "true";

interface CliCaption {
  id: string;
  caption: string;
  words: string[];
  alphaAv: number[];
  alphaVa: number[];
}

/** `tavt caption` on the wasm backend: its JSON, or the one error line it printed. */
function tavtCaption(
  run: string,
  visual: string,
  audio: string,
  sets: string[] = [],
): { out: CliCaption[] | null; error: string } {
  const r = spawnSync(
    process.execPath,
    [
      cli,
      "caption",
      "--run",
      run,
      "--features",
      visual,
      "--audio-features",
      audio,
      "--json",
      "-q",
      ...sets.flatMap((x) => ["--set", x]),
    ],
    { encoding: "utf8", env: { ...process.env, TAVT_BACKEND: "wasm" } },
  );
  if (r.status === 0) return { out: JSON.parse(r.stdout) as CliCaption[], error: "" };
  return { out: null, error: r.stderr.trim().split("\n").pop() ?? "" };
}

it.runIf(ci && !chromium)("CI has Debian's chromium (.ci/run installs it)", () => {
  expect(chromium, "chromium not found at /usr/bin/chromium (set CHROMIUM_PATH)").not.toBeNull();
});

describe.skipIf(!chromium)("the web app in headless Chromium", () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  const pageErrors: string[] = [];
  const tmp = mkdtempSync(join(tmpdir(), "tavt-web-"));

  beforeAll(async () => {
    server = await serveStatic(dist);
    browser = await puppeteer.launch({
      executablePath: chromium!,
      headless: true,
      args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function open(query: string): Promise<Page> {
    const page = await browser.newPage();
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(`${server.url}?${query}`);
    await page.waitForFunction(() => window.__tavt?.ready === true, { timeout: 60_000 });
    return page;
  }

  it("captions the example run as `tavt caption` does on wasm: the same words, alphas within 1e-5", async () => {
    const cliRun = tavtCaption(example, join(example, "visual.npz"), join(example, "audio.npz"));
    expect(cliRun.error).toBe("");
    const want = cliRun.out!;
    const page = await open("backend=wasm");
    // The page loads the example and captions it on first open.
    await page.waitForFunction(() => window.__tavt.state.captions.length > 0 || window.__tavt.state.error, {
      timeout: 90_000,
    });
    const got = await page.evaluate(() => ({
      error: window.__tavt.state.error,
      backend: window.__tavt.state.backend?.backend,
      captions: window.__tavt.state.captions,
      scores: window.__tavt.state.scores,
      shown: document.querySelector("[data-testid=backend]")?.textContent,
    }));
    expect(got.error).toBeNull();
    expect(got.backend).toBe("wasm");
    expect(got.shown).toBe("wasm");
    expect(got.captions.map((c) => c.id)).toEqual(want.map((c) => c.id));
    let worst = 0;
    for (const [i, c] of got.captions.entries()) {
      const w = want[i]!;
      expect(c.words, c.id).toEqual(w.words);
      expect(c.caption, c.id).toBe(w.caption);
      for (const k of ["alphaAv", "alphaVa"] as const) {
        expect(c[k].length).toBe(w[k].length);
        c[k].forEach((v, j) => {
          worst = Math.max(worst, Math.abs(v - w[k][j]!));
        });
      }
    }
    expect(worst).toBeLessThanOrEqual(1e-5);
    expect(got.scores?.scored).toBe(want.length);
    // The page shows the first video's caption and its gates, and a row per video.
    expect(await page.$eval("[data-testid=single-caption]", (e) => e.textContent)).toBe(want[0]!.caption);
    expect(await page.$$eval("[data-testid=table] tbody tr", (rows) => rows.length)).toBe(want.length);
    // The gates chart has a point per word and gate; the table sorts by a clicked column, and reverses on a second.
    expect(await page.$$eval("svg.gates circle", (c) => c.length)).toBe(2 * want[0]!.words.length);
    await page.click("th[data-key=caption]");
    const sorted = await page.$$eval("[data-testid=table] tbody tr td:nth-child(2)", (td) =>
      td.map((t) => t.textContent),
    );
    expect(sorted).toEqual(want.map((c) => c.caption).sort());
    await page.click("th[data-key=caption]");
    const reversed = await page.$$eval("[data-testid=table] tbody tr td:nth-child(2)", (td) =>
      td.map((t) => t.textContent),
    );
    expect(reversed).toEqual(
      want
        .map((c) => c.caption)
        .sort()
        .reverse(),
    );
    await page.click("th[data-key=id]");
    mkdirSync(join(app, "test-output"), { recursive: true });
    await page.screenshot({ path: join(app, "test-output", "page.png"), fullPage: true });
    writeFileSync(join(app, "test-output", "max-alpha-difference.txt"), `${worst}\n`);
    await page.close();
  });

  it("beam search of width 3 gives the CLI's beam search captions", async () => {
    const want = tavtCaption(example, join(example, "visual.npz"), join(example, "audio.npz"), [
      "eval.greedy=false",
      "eval.beam=3",
    ]).out!;
    const page = await open("backend=wasm&example=0");
    await page.evaluate(() => window.__tavt.loadExample());
    await page.select("#search", "beam");
    await page.$eval("#beam", (e) => {
      (e as HTMLInputElement).value = "3";
    });
    const got = await page.evaluate(async () => {
      await window.__tavt.caption();
      return { error: window.__tavt.state.error, captions: window.__tavt.state.captions };
    });
    expect(got.error).toBeNull();
    expect(got.captions.map((c) => c.words)).toEqual(want.map((c) => c.words));
    const worst = Math.max(
      ...got.captions.flatMap((c, i) => c.alphaAv.map((v, j) => Math.abs(v - want[i]!.alphaAv[j]!))),
      ...got.captions.flatMap((c, i) => c.alphaVa.map((v, j) => Math.abs(v - want[i]!.alphaVa[j]!))),
    );
    expect(worst).toBeLessThanOrEqual(1e-5);
    await page.close();
  });

  it("reads the same features from an HDF5 file (h5wasm in the page) and captions them alike", async () => {
    const want = tavtCaption(example, join(example, "visual.npz"), join(example, "audio.npz")).out!;
    const npz = await openFeatureStore(join(example, "visual.npz"));
    const h5 = join(tmp, "visual.h5");
    await writeFeatureStore(
      h5,
      "hdf5",
      npz.ids().map((id) => ({ id, data: npz.read(id), shape: npz.shape(id) })),
    );
    npz.close();
    const page = await open("backend=wasm&example=0");
    await page.evaluate(() => window.__tavt.loadExample());
    const input = (await page.$("input[data-testid=visual-file]")) as ElementHandle<HTMLInputElement> | null;
    await input!.uploadFile(h5);
    await page.waitForFunction(
      () => document.querySelector("[data-testid=feat-status]")?.textContent?.includes("visual.h5"),
      {
        timeout: 60_000,
      },
    );
    const got = await page.evaluate(async () => {
      await window.__tavt.caption();
      return { error: window.__tavt.state.error, captions: window.__tavt.state.captions };
    });
    expect(got.error).toBeNull();
    expect(got.captions.map((c) => c.caption)).toEqual(want.map((c) => c.caption));
    await page.close();
  });

  it("a damaged model file gives the CLI's message in the page", async () => {
    const run = join(tmp, "run");
    mkdirSync(run);
    for (const f of ["config.yaml", "vocab.json", "space.safetensors", "model.safetensors"]) {
      copyFileSync(join(example, f), join(run, f));
    }
    const model = readFileSync(join(run, "model.safetensors"));
    writeFileSync(join(run, "model.safetensors"), model.subarray(0, model.length - 1000)); // cut short
    const cliError = tavtCaption(run, join(example, "visual.npz"), join(example, "audio.npz")).error;
    expect(cliError).toMatch(/^tavt: .*model\.safetensors: not a valid safetensors file/);
    const page = await open("backend=wasm&example=0");
    const input = (await page.$("input[data-testid=run-files]")) as ElementHandle<HTMLInputElement> | null;
    await input!.uploadFile(
      ...["config.yaml", "vocab.json", "space.safetensors", "model.safetensors"].map((f) => join(run, f)),
    );
    await page.waitForFunction(() => window.__tavt.state.error !== null, { timeout: 30_000 });
    const shown = await page.$eval("[data-testid=error]", (e) => e.textContent);
    // The CLI names the file by its path, the page by its name; the rest of the line is the same.
    expect(shown).toBe(cliError.replace(`${run}/`, ""));
    await page.close();
  });

  it("a damaged feature file gives the CLI's message in the page", async () => {
    const npz = join(tmp, "visual.npz");
    const bytes = readFileSync(join(example, "visual.npz"));
    writeFileSync(npz, bytes.subarray(0, 4000)); // the archive's directory is gone
    const cliError = tavtCaption(example, npz, join(example, "audio.npz")).error;
    expect(cliError).toContain("not a zip/.npz archive");
    const page = await open("backend=wasm&example=0");
    const input = (await page.$("input[data-testid=visual-file]")) as ElementHandle<HTMLInputElement> | null;
    await input!.uploadFile(npz);
    await page.waitForFunction(() => window.__tavt.state.error !== null, { timeout: 30_000 });
    expect(await page.$eval("[data-testid=error]", (e) => e.textContent)).toBe(cliError.replace(`${tmp}/`, ""));
    await page.close();
  });

  it("raised no uncaught errors in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});

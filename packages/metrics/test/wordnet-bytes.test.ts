import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { MeteorScorer } from "../src";

// A browser has no files: METEOR takes WordNet's contents as bytes and must score exactly as from the folder.
const data = join(dirname(fileURLToPath(import.meta.url)), "..", "data");

describe("MeteorScorer({ wordnet })", () => {
  it("scores as the scorer that reads the package's WordNet files", () => {
    const wordnet = {
      synsets: new Uint8Array(gunzipSync(readFileSync(join(data, "english.synsets.gz")))),
      exceptions: gunzipSync(readFileSync(join(data, "english.exceptions.gz"))).toString("utf8"),
    };
    const refs = [["a man is driving a car down the road", "a person drives a vehicle"], ["kids sing a song"]];
    const cands = ["a guy drives an automobile on a street", "children are singing songs"];
    const fromBytes = new MeteorScorer({ wordnet }).score(refs, cands);
    const fromFiles = new MeteorScorer().score(refs, cands);
    expect(fromBytes).toEqual(fromFiles);
    expect(fromBytes.corpus).toBeGreaterThan(0);
  });
});

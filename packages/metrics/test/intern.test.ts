import { describe, expect, it } from "vitest";
import { rougeL, rougeLItem } from "../src/index";
import { WordTable } from "../src/intern";

describe("WordTable", () => {
  it("gives equal ids exactly to equal words, the empty word included", () => {
    const t = new WordTable();
    const words = ["", "a", "car", "", "a", "ca", "r", "car", "\u00e9t\u00e9", "", "\u00e9t\u00e9"];
    const ids = words.map((w) => t.word(w));
    for (let i = 0; i < words.length; i++)
      for (let j = 0; j < words.length; j++)
        expect(ids[i] === ids[j], `${words[i]} ${words[j]}`).toBe(words[i] === words[j]);
    // Found inside a longer string without slicing.
    const s = "a  car";
    expect([t.wordAt(s, 0, 1), t.wordAt(s, 2, 2), t.wordAt(s, 3, 6)]).toEqual([t.word("a"), t.word(""), t.word("car")]);
    expect(t.strings[t.word("car")]).toBe("car");
  });

  it("keeps working as it grows past its first table", () => {
    const t = new WordTable();
    const n = 70_000;
    const first: number[] = [];
    for (let i = 0; i < n; i++) first.push(t.word(`w${i}`));
    const again: number[] = [];
    for (let i = 0; i < n; i++) again.push(t.word(`w${i}`));
    expect(first).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(again).toEqual(first);
    expect(t.size).toBe(n);
  });
});

describe("rougeL", () => {
  it("equals rougeLItem on captions with empty tokens (double, leading and trailing spaces, empty caption)", () => {
    const refs = [
      ["a car describing  the features of a car", "a car"],
      [" a man  is singing ", "a man is singing", ""],
      ["", "x"],
    ];
    const cands = ["a car describing  the features of a car", "a man  is singing ", ""];
    const res = rougeL(refs, cands);
    cands.forEach((c, i) => {
      expect(res.items[i]).toBe(rougeLItem(c, refs[i]!));
    });
    expect(res.items[0]).toBe(1);
  });
});

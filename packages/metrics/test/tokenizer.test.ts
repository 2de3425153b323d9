import { describe, expect, it } from "vitest";
import { COCO_PUNCTUATIONS, ptbTokens, tokenize } from "../src/index";

// Penn Treebank tokenization conventions (Treebank tokenization guidelines; Stanford PTBTokenizer behaviour),
// then coco-caption's lower-casing and punctuation list. These are the documented rules checked case by case: the
// Stanford CoreNLP 3.4.1 jar that coco-caption runs is not available here, so no test compares with its output.
const PTB: [string, string][] = [
  ["Don't do it.", "Do n't do it ."],
  ["It's a man's world.", "It 's a man 's world ."],
  ["I cannot go, I'm gonna stay!", "I can not go , I 'm gon na stay !"],
  ["can't won't", "ca n't wo n't"],
  ["they'll we've you're I'd", "they 'll we 've you 're I 'd"],
  ["the boys' toys", "the boys ' toys"],
  ['He said "hello" (loudly).', "He said `` hello '' -LRB- loudly -RRB- ."],
  ["[x] {y}", "-LSB- x -RSB- -LCB- y -RCB-"],
  ["Mr. Smith met the U.S. team.", "Mr. Smith met the U.S. team ."],
  ["3,000 people and 2.5 tanks...", "3,000 people and 2.5 tanks ..."],
  ["A well-known singer -- sings; dances: yes?", "A well-known singer -- sings ; dances : yes ?"],
  ["a man. a woman.", "a man . a woman ."],
  ["'Tis the season", "'T is the season"],
  ["a café owner", "a café owner"],
  // The other pseudo-contractions and the symbol splits of the Penn Treebank tokenizer's documented rules
  // (tokenizer.sed, R. MacIntyre 1995: "gimme" "gonna" "gotta" "lemme" "wanna" "'tis" "'twas"; ,;:@#$%& split).
  ["gimme that", "gim me that"],
  ["I gotta go", "I got ta go"],
  ["lemme see", "lem me see"],
  ["I wanna go", "I wan na go"],
  ["'Twas night", "'T was night"],
  ["I paid $5 for 10% of #1", "I paid $ 5 for 10 % of # 1"],
];

describe("PTB tokenizer (coco-caption's PTBTokenizer path)", () => {
  it.each(PTB)("%s", (text, want) => {
    expect(ptbTokens(text).join(" ")).toBe(want);
  });

  it("lower-cases and drops coco-caption's punctuation tokens", () => {
    expect(tokenize('A man, who\'s "famous", plays... the guitar!')).toBe("a man who 's famous plays the guitar");
    expect(tokenize("Don't stop.")).toBe("do n't stop");
    expect(tokenize("")).toBe("");
    expect(tokenize(" . , ! ")).toBe("");
    expect(COCO_PUNCTUATIONS).toContain("...");
  });

  it("keeps lower-cased bracket tokens, as CoreNLP -lowerCase output does against coco-caption's upper-case list", () => {
    expect(tokenize("a (small) dog")).toBe("a -lrb- small -rrb- dog");
  });

  it("treats newlines as spaces, as coco-caption does before tokenizing", () => {
    expect(tokenize("a man\nsings")).toBe("a man sings");
  });
});

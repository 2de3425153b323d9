/** The paper's 10 MSR-VTT domains (Table 1), sources first, each in Table 1's order. */
export const PAPER_DOMAINS = [
  "News",
  "Movie",
  "Sports",
  "Cooking",
  "Traffic",
  "Animation",
  "Music",
  "Animal",
  "Kids",
  "Beauty",
] as const;

/** One of the paper's 10 MSR-VTT domains. */
export type PaperDomain = (typeof PAPER_DOMAINS)[number];

/** D_meta-train of Table 1. */
export const SOURCE_DOMAINS: readonly PaperDomain[] = ["News", "Movie", "Sports", "Cooking", "Traffic"];

/** D_meta-test of Table 1 (Appendix B: "Animation", "Music", "Animal", "Kids" and "Beauty"). */
export const TARGET_DOMAINS: readonly PaperDomain[] = ["Animation", "Music", "Animal", "Kids", "Beauty"];

/** Videos per domain in Table 1 (they sum to MSR-VTT's 10,000). */
export const TABLE1_COUNTS: Readonly<Record<PaperDomain, number>> = {
  News: 1727,
  Movie: 1652,
  Sports: 1623,
  Cooking: 985,
  Traffic: 815,
  Animation: 816,
  Music: 733,
  Animal: 613,
  Kids: 558,
  Beauty: 478,
};

/**
 * Table 6: MSR-VTT category ids (as numbered in the release's `category.txt`) grouped into the 10 domains.
 * The names beside each id are the release's; the paper abbreviates them (e.g. "doc", "ads").
 */
export const MSRVTT_DOMAIN_CATEGORIES: Readonly<Record<PaperDomain, readonly number[]>> = {
  News: [10, 5, 12, 4], // howto, education, science/technology, news/events/politics
  Movie: [6, 7, 15, 19], // tv shows, movie/comedy, documentary, advertisement
  Sports: [1, 3, 11], // people, sports/actions, travel
  Cooking: [16, 17], // food/drink, cooking
  Traffic: [9], // vehicles/autos
  Animation: [2, 8], // gaming, animation
  Music: [0], // music
  Animal: [13], // animals/pets
  Kids: [14], // kids/family
  Beauty: [18], // beauty/fashion
};

/** The category names `category.txt` gives for the ids above, to check a release's numbering before trusting it. */
export const MSRVTT_CATEGORY_NAMES: Readonly<Record<number, string>> = {
  0: "music",
  1: "people",
  2: "gaming",
  3: "sports/actions",
  4: "news/events/politics",
  5: "education",
  6: "tv shows",
  7: "movie/comedy",
  8: "animation",
  9: "vehicles/autos",
  10: "howto",
  11: "travel",
  12: "science/technology",
  13: "animals/pets",
  14: "kids/family",
  15: "documentary",
  16: "food/drink",
  17: "cooking",
  18: "beauty/fashion",
  19: "advertisement",
};

/**
 * Category id -> domain name (Table 6, inverted).
 *
 * @param category - An MSR-VTT category id (0-19).
 * @returns The paper domain that holds it, or undefined for an unknown id.
 */
export function msrvttCategoryDomain(category: number): PaperDomain | undefined {
  for (const d of PAPER_DOMAINS) if (MSRVTT_DOMAIN_CATEGORIES[d].includes(category)) return d;
  return undefined;
}

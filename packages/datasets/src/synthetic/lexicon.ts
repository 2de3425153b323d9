import type { PaperDomain } from "../domains";

/** What a domain looks like in the synthetic benchmark: its own visible objects and a place phrase. */
export interface DomainLexicon {
  /** Nouns of the objects that appear only in this domain (what is seen). */
  objects: readonly string[];
  /** Where its videos happen (seen; domain-specific). */
  place: string;
}

/** The 10 paper domains' object sets: disjoint, so a target domain's nouns are never seen in meta-training. */
export const DOMAIN_LEXICON: Readonly<Record<PaperDomain, DomainLexicon>> = {
  News: { objects: ["reporter", "anchor", "podium", "newspaper", "politician", "desk"], place: "in a studio" },
  Movie: { objects: ["actor", "actress", "couch", "detective", "villain", "curtain"], place: "on a film set" },
  Sports: { objects: ["player", "ball", "referee", "runner", "racket", "goal"], place: "on a field" },
  Cooking: { objects: ["chef", "pan", "knife", "onion", "oven", "bowl"], place: "in a kitchen" },
  Traffic: { objects: ["car", "truck", "driver", "bus", "motorcycle", "bridge"], place: "on a highway" },
  Animation: { objects: ["cartoon", "robot", "dragon", "castle", "hero", "monster"], place: "in a game world" },
  Music: { objects: ["singer", "guitar", "drummer", "piano", "band", "violin"], place: "at a concert" },
  Animal: { objects: ["dog", "cat", "horse", "parrot", "puppy", "kitten"], place: "in a yard" },
  Kids: { objects: ["child", "toy", "baby", "doll", "toddler", "crayon"], place: "in a playroom" },
  Beauty: { objects: ["model", "lipstick", "mirror", "dress", "makeup", "hairbrush"], place: "in a salon" },
};

/** A sound event: heard in every domain alike. `verb` is seen and heard (someone does it); `sound` is only heard. */
export interface SoundEvent {
  verb: string;
  sound: string;
}

/** The shared sound events (the universal auditory space: one audio prototype each). */
export const SOUND_EVENTS: readonly SoundEvent[] = [
  { verb: "talking", sound: "speech" },
  { verb: "singing", sound: "a song" },
  { verb: "laughing", sound: "laughter" },
  { verb: "clapping", sound: "applause" },
  { verb: "shouting", sound: "yelling" },
  { verb: "whistling", sound: "a whistle" },
  { verb: "crying", sound: "sobbing" },
  { verb: "knocking", sound: "knocks" },
  { verb: "typing", sound: "keyboard clicks" },
  { verb: "ringing a bell", sound: "a bell" },
  { verb: "playing drums", sound: "drumbeats" },
  { verb: "splashing water", sound: "splashes" },
  { verb: "honking", sound: "a horn" },
  { verb: "revving an engine", sound: "engine noise" },
  { verb: "barking", sound: "barks" },
  { verb: "walking", sound: "footsteps" },
  { verb: "cheering", sound: "a cheering crowd" },
  { verb: "humming", sound: "a soft hum" },
  { verb: "hammering", sound: "hammer blows" },
  { verb: "snoring", sound: "snores" },
];

/**
 * The caption grammar. Slots: {obj1} {obj2} (seen objects), {place} (seen, domain-specific), {verb1} {verb2}
 * (the events: seen and heard), {sound1} {sound2} (the events: heard only). Each reference picks one template.
 */
export const CAPTION_TEMPLATES: readonly string[] = [
  "a {obj1} is {verb1} {place}",
  "a {obj1} and a {obj2} {place} while {sound1} can be heard",
  "someone is {verb1} next to a {obj2}",
  "there is {sound1} and then {sound2} {place}",
  "a {obj2} is shown while a person is {verb2}",
  "a {obj1} {place} with {sound2}",
  "people are {verb1} and {verb2} near a {obj1}",
];

import { MetricsInputError } from "./errors";

/** Reference captions per id: `{ id: [caption, ...] }`. */
export type References = Record<string, string[]>;
/** One candidate caption per id: `{ id: caption }`. */
export type Candidates = Record<string, string>;

const where = (file: string | undefined) => (file ? `${file}: ` : "");

/**
 * Read candidates from parsed JSON in either form coco-caption users have: `{ "id": "caption" }` or the COCO
 * results list `[{ "image_id" | "video_id": id, "caption": "..." }]` (numeric ids become strings). Throws
 * MetricsInputError naming `file` and the entry for anything else (non-string caption, missing id, an id twice).
 *
 * @param json - The parsed JSON of a candidates file.
 * @param file - The file's name, for messages.
 * @returns One candidate caption per id.
 * @throws {@link MetricsInputError} for anything but the two accepted forms.
 */
export function readCandidates(json: unknown, file?: string): Candidates {
  const out: Candidates = {};
  if (Array.isArray(json)) {
    json.forEach((entry, index) => {
      if (entry === null || typeof entry !== "object" || Array.isArray(entry))
        throw new MetricsInputError(
          `${where(file)}entry ${index} is not an object {"image_id"|"video_id", "caption"}`,
          {
            file,
            index,
          },
        );
      const e = entry as Record<string, unknown>;
      const rawId = e.image_id ?? e.video_id ?? e.id;
      if (typeof rawId !== "string" && typeof rawId !== "number")
        throw new MetricsInputError(`${where(file)}entry ${index} has no "image_id" or "video_id"`, { file, index });
      const id = String(rawId);
      if (typeof e.caption !== "string")
        throw new MetricsInputError(`${where(file)}id ${id}: "caption" must be a string`, {
          file,
          id,
          field: "caption",
        });
      if (Object.hasOwn(out, id))
        throw new MetricsInputError(`${where(file)}id ${id} has more than one candidate caption`, { file, id });
      out[id] = e.caption;
    });
    return out;
  }
  if (json === null || typeof json !== "object")
    throw new MetricsInputError(`${where(file)}expected {"id": "caption"} or [{"image_id", "caption"}, ...]`, { file });
  for (const [id, caption] of Object.entries(json as Record<string, unknown>)) {
    if (typeof caption !== "string")
      throw new MetricsInputError(`${where(file)}id ${id}: the candidate caption must be a string`, { file, id });
    out[id] = caption;
  }
  return out;
}

/**
 * Read references from parsed JSON `{ "id": ["caption", ...] }`, checking every caption is a string.
 *
 * @param json - The parsed JSON of a references file.
 * @param file - The file's name, for messages.
 * @returns The references per id.
 * @throws {@link MetricsInputError} naming the file and the id for anything else.
 */
export function readReferences(json: unknown, file?: string): References {
  if (json === null || typeof json !== "object" || Array.isArray(json))
    throw new MetricsInputError(`${where(file)}expected {"id": ["caption", ...]}`, { file });
  const out: References = {};
  for (const [id, refs] of Object.entries(json as Record<string, unknown>)) {
    if (!Array.isArray(refs))
      throw new MetricsInputError(`${where(file)}id ${id}: references must be a list of strings`, { file, id });
    refs.forEach((r, k) => {
      if (typeof r !== "string")
        throw new MetricsInputError(`${where(file)}id ${id}: reference ${k} is not a string`, { file, id, index: k });
    });
    out[id] = refs as string[];
  }
  return out;
}

/** The names of the input files, used in error messages. */
export interface InputFiles {
  /** Name of the references file, used in messages. */
  refsFile?: string;
  /** Name of the candidates file, used in messages. */
  candsFile?: string;
}

/**
 * Check references and candidates before scoring: at least one candidate, every caption a string, every
 * candidate id with a non-empty reference list. Throws MetricsInputError naming the file and the id.
 * (References without a candidate are allowed and ignored, as coco-caption evaluates the result ids.)
 *
 * @param refs - References, `{ id: [caption, ...] }`.
 * @param cands - Candidates, `{ id: caption }`.
 * @param files - The files' names, for messages.
 * @throws {@link MetricsInputError} for the first problem found.
 */
export function validateInputs(refs: unknown, cands: unknown, files: InputFiles = {}): void {
  const r = readReferences(refs, files.refsFile);
  const c = readCandidates(cands, files.candsFile);
  const ids = Object.keys(c);
  if (ids.length === 0)
    throw new MetricsInputError(`${where(files.candsFile)}no candidate captions`, { file: files.candsFile });
  for (const id of ids) {
    const list = r[id];
    if (list === undefined)
      throw new MetricsInputError(`${where(files.refsFile)}no references for candidate id ${id}`, {
        file: files.refsFile,
        id,
      });
    if (list.length === 0)
      throw new MetricsInputError(`${where(files.refsFile)}id ${id}: the reference list is empty`, {
        file: files.refsFile,
        id,
      });
  }
}

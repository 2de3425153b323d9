import { type AvmmConfig, resolveAvmmConfig } from "./config";

/** The prefix a composed model gives the AVMM's parameters ("avmm.mapper.proj.weight", "avmm.phi.bias", ...). */
export const AVMM_PREFIX = "avmm.";

const linear = (n: string) => [`${n}.weight`, `${n}.bias`];

/**
 * The dotted names of every AVMM parameter for `config`, each with `prefix` (default "avmm."), sorted: the
 * parameters to freeze on an audio-absent target (Algorithm 1, line 16). Computed from the config alone.
 *
 * @param config - The AVMM's configuration (only `blocks` changes the names).
 * @param prefix - Put before every name ("avmm." by default).
 * @returns The sorted dotted names.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an invalid configuration.
 */
export function avmmParamNames(config: AvmmConfig, prefix = AVMM_PREFIX): string[] {
  const c = resolveAvmmConfig(config);
  const names = [...linear("mapper.proj"), ...linear("mapper.lnOut"), ...linear("phi")];
  for (let i = 0; i < c.blocks; i++) {
    const b = `mapper.blocks.${i}`;
    names.push(...linear(`${b}.ln1`), ...linear(`${b}.ln2`), ...linear(`${b}.ffn.fc1`), ...linear(`${b}.ffn.fc2`));
    for (const h of ["q", "k", "v", "o"]) names.push(...linear(`${b}.attn.${h}`));
  }
  return names.map((n) => `${prefix}${n}`).sort();
}

/**
 * True for a dotted parameter name of the AVMM inside a composed model (starts with `prefix`, default "avmm.").
 *
 * @param name - A dotted parameter name.
 * @param prefix - The AVMM's prefix ("avmm." by default).
 * @returns Whether `name` starts with `prefix`.
 */
export function isAvmmParam(name: string, prefix = AVMM_PREFIX): boolean {
  return name.startsWith(prefix);
}

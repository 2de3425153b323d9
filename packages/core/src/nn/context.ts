import type { Key } from "../rng";

/** Run-time context of an `apply`: dropout is active only when `training` is true and a `key` is given. */
export interface ApplyContext {
  training?: boolean;
  key?: Key;
}

export { type Case, FAMILIES, Gen, type GenOptions, type Input, Rand, type Result, type TF } from "./cases";
export {
  differ,
  type Env,
  type FamilyCount,
  generate,
  type Mismatch,
  runSuite,
  type SuiteOptions,
  type SuiteReport,
  stress,
  summary,
} from "./run";

// Rewrite the API block of every package README from its src/index.ts (see api.mjs).
//   node tools/docs/readme-api.mjs          # rewrite
//   node tools/docs/readme-api.mjs --check  # exit 1 when a README is stale
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, readApis, readmeWithApi } from "./api.mjs";

const check = process.argv.includes("--check");
const apis = readApis();
let stale = 0;
for (const [pkg, entries] of Object.entries(apis)) {
  const file = join(ROOT, "packages", pkg, "README.md");
  const now = readFileSync(file, "utf8");
  const next = readmeWithApi(now, entries);
  if (next === now) continue;
  if (check) {
    stale++;
    process.stderr.write(`packages/${pkg}/README.md: its API block is stale: run pnpm docs:readme-api\n`);
  } else {
    writeFileSync(file, next);
    process.stderr.write(`wrote packages/${pkg}/README.md (${entries.length} exports)\n`);
  }
}
if (stale) process.exitCode = 1;

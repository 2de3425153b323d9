#!/usr/bin/env node
import { main } from "./program";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`tavt: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);

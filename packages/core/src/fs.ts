/** The file-system calls core makes, in one place so that the browser build swaps them (fs.browser.ts). */
export { existsSync, readFileSync } from "node:fs";

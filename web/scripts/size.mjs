// Prints the gzipped size of the production build's main chunk (the entry and the chunks it imports statically,
// everything the browser loads before the first screen) and fails above the 500 KB budget.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 500 * 1024;
const dist = join(import.meta.dirname, "..", "dist");
const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));
const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entry) throw new Error("the build's manifest names no entry chunk");

const gzipped = (file) => gzipSync(readFileSync(join(dist, file))).length;
const initial = new Set();
const visit = (key) => {
  if (initial.has(key)) return;
  initial.add(key);
  for (const imported of manifest[key].imports ?? []) visit(imported);
};
visit(entry);

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let total = 0;
for (const key of initial) {
  const size = gzipped(manifest[key].file);
  total += size;
  console.log(`${manifest[key].file}: ${kb(size)} gzipped`);
}
console.log(`main chunk (entry and its static imports): ${kb(total)} gzipped, budget ${kb(BUDGET_BYTES)}`);
if (total > BUDGET_BYTES) process.exit(1);

// A check by hand (not a unit test: it writes 4.6 GB): an .npz past 4 GiB written by writeFeatureStore is read back by openFeatureStore
// and by Python's zipfile (testzip: every CRC) and numpy.
//   node tools/datasets/zip64-large.mjs      (after building @tavt/datasets; needs python3, numpy optional)

import { execFileSync } from "node:child_process";
import { rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../", import.meta.url);
const ds = await import(new URL("packages/datasets/dist/index.js", root).href);
const file = join(process.env.TMPDIR ?? tmpdir(), `tavt-zip64-${process.pid}.npz`);
const frames = 65536,
  dim = 1024,
  n = 17; // 17 x 256 MiB = 4.25 GiB of data
const buf = new Float32Array(frames * dim);
function* entries() {
  for (let v = 0; v < n; v++) {
    buf.fill(v + 0.5);
    buf[buf.length - 1] = -v;
    yield { id: `video${String(v).padStart(2, "0")}`, data: buf, shape: [frames, dim] };
  }
}
let t = performance.now();
await ds.writeFeatureStore(file, "npz", entries());
console.log(`wrote ${file}: ${statSync(file).size} bytes in ${((performance.now() - t) / 1000).toFixed(1)} s`);
t = performance.now();
const store = await ds.openFeatureStore(file);
const last = store.read("video16");
console.log(
  `openFeatureStore: ${store.ids().length} ids; video16 shape ${store.shape("video16")}, first ${last[0]}, last ${last[last.length - 1]} (${((performance.now() - t) / 1000).toFixed(1)} s)`,
);
store.close();
console.log(
  execFileSync(
    "/usr/bin/python3",
    [
      "-c",
      `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
last = z.infolist()[-1]
print(f"python zipfile: {len(z.infolist())} members, testzip -> {bad}, last member {last.filename} at offset {last.header_offset} size {last.file_size}")
try:
    import numpy as np
    a = np.load(sys.argv[1])["video16"]
    print(f"numpy: video16 {a.shape} {a.dtype} first {a[0,0]} last {a[-1,-1]}")
except ImportError:
    print("numpy: not installed")
`,
      file,
    ],
    { encoding: "utf8" },
  ).trim(),
);
rmSync(file);

// What every page's build.mjs shares: where it writes (OUT_DIR, which
// build.sh --check sets to a temporary folder, else the committed one),
// esbuild's options for a production bundle, and SHA256SUMS over the
// output, which the Go tests check.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

// outDir empties and returns the folder a build writes: OUT_DIR, or the
// committed one (a URL relative to the build script).
export function outDir(committed) {
  const out = process.env.OUT_DIR || committed.pathname;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  return out;
}

// production are esbuild's options for a minified ES module bundle with
// no source maps or licence comments.
export const production = {
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

// writeSums writes SHA256SUMS over every file of a built page and prints
// the sizes.
export function writeSums(out) {
  const files = readdirSync(out).filter((f) => f !== 'SHA256SUMS').sort();
  const sums = files.map((f) => createHash('sha256').update(readFileSync(join(out, f))).digest('hex') + '  ' + f);
  writeFileSync(join(out, 'SHA256SUMS'), sums.join('\n') + '\n');
  for (const f of files) console.log(String(readFileSync(join(out, f)).length).padStart(9), f);
}

// Builds the browser tests' libraries into ../../internal/e2e/testdata/libs:
// one minified ES module (d3, d3-org-chart, Cytoscape.js) that the test
// pages import, and SHA256SUMS. The pages themselves are written by hand
// in internal/e2e/testdata; the binary embeds none of this.
import { build } from 'esbuild';
import { rmSync, mkdirSync } from 'node:fs';
import process from 'node:process';
import { writeSums } from '../sums.mjs';

const out = process.env.OUT_DIR || new URL('../../internal/e2e/testdata/libs/', import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  entryPoints: { libs: 'libs.mjs' },
  outdir: out,
});
writeSums(out);

// Builds the /chart page into ../../internal/web/chart: one minified
// bundle (Cytoscape.js, dagre, the SVG exporter and main.js), its
// stylesheet, the page, and SHA256SUMS.
import { build } from 'esbuild';
import { readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { writeSums } from '../sums.mjs';

const out = process.env.OUT_DIR || new URL('../../internal/web/chart/', import.meta.url).pathname;
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
  entryPoints: { chart: 'main.js' },
  outdir: out,
});
for (const f of ['index.html', 'chart.css']) writeFileSync(join(out, f), readFileSync(new URL(f, import.meta.url)));
writeSums(out);

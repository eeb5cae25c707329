// Builds the /chart page into ../../internal/web/chart: one minified
// bundle (Cytoscape.js, dagre, the SVG exporter and main.js), its
// stylesheet, the page, and SHA256SUMS.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outDir, production, writeSums } from '../page.mjs';

const out = outDir(new URL('../../internal/web/chart/', import.meta.url));
await build({ ...production, entryPoints: { chart: 'main.js' }, outdir: out });
for (const f of ['index.html', 'chart.css']) writeFileSync(join(out, f), readFileSync(new URL(f, import.meta.url)));
writeSums(out);

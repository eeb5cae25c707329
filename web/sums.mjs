// Writes SHA256SUMS over every file of a built page, which internal/web
// checks at start, and prints the sizes.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeSums(out) {
  const files = readdirSync(out).filter((f) => f !== 'SHA256SUMS').sort();
  const sums = files.map((f) => createHash('sha256').update(readFileSync(join(out, f))).digest('hex') + '  ' + f);
  writeFileSync(join(out, 'SHA256SUMS'), sums.join('\n') + '\n');
  for (const f of files) console.log(String(readFileSync(join(out, f)).length).padStart(9), f);
}

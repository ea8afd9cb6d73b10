// Transpiles src/**/*.ts to dist/ with esbuild (file by file, so services stay lazily
// loadable). Type checking is `tsc --noEmit` (part of npm test).
// --if-stale: skip when dist/ is newer than every source file.
import { build } from 'esbuild';
import { readdirSync, statSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');
const out = join(root, 'dist');

function walk(dir, acc = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, acc);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) acc.push(p);
  }
  return acc;
}

const files = walk(src);
if (process.argv.includes('--if-stale') && existsSync(join(out, 'main.js'))) {
  const built = statSync(join(out, 'main.js')).mtimeMs;
  if (files.every((f) => statSync(f).mtimeMs < built)) process.exit(0);
}
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: files,
  outdir: out,
  outbase: src,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});

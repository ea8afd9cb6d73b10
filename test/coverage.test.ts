// docs/coverage.md is generated from the models, the registered handlers and the `// covers:`
// lines of the tests; this fails when it was not regenerated (npm run coverage).
import { expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ROOT = new URL('..', import.meta.url).pathname;

test('docs/coverage.md is current', () => {
  if (!existsSync(ROOT + 'dist/gateway/runtime.js')) spawnSync('node', [ROOT + 'tools/build.mjs']);
  const r = spawnSync('node', [ROOT + 'tools/coverage.mjs', '--check'], { encoding: 'utf8' });
  expect(r.stderr + r.stdout).toContain('docs/coverage.md is current');
  expect(r.status).toBe(0);
});

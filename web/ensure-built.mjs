// Called by the server's MSBuild target (and usable by hand): installs the pinned packages
// when node_modules is missing or older than package-lock.json (npm ci), then bundles.
// Several builds may run at once (test projects, engineers): a lock folder serialises them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const lock = path.join(here, '.build.lock');
const deadline = Date.now() + 5 * 60_000;

for (;;) {
  try {
    fs.mkdirSync(lock);
    break;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    // A lock older than the deadline's span belongs to a build that died.
    const age = Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
    if (age > 5 * 60_000) { fs.rmSync(lock, { recursive: true, force: true }); continue; }
    if (Date.now() > deadline) throw new Error(`web: ${lock} is held by another build for too long.`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
try {
  const installed = path.join(here, 'node_modules', '.package-lock.json');
  const lockFile = path.join(here, 'package-lock.json');
  if (!fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lockFile).mtimeMs) {
    console.log('web: npm ci');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit', shell: process.platform === 'win32' });
  }
  execFileSync(process.execPath, [path.join(here, 'build.mjs')], { cwd: here, stdio: 'inherit' });
} finally {
  fs.rmSync(lock, { recursive: true, force: true });
}

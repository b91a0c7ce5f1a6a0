import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

/**
 * A describe() for suites that run system tools (systemd-analyze, udevadm, shellcheck, …). Without one
 * of them it skips with the install line on a developer's machine, and fails under CI=true, where a
 * silent skip would pass while proving nothing (.ci/run installs them).
 */
export function describeWithTools(
  name: string,
  tools: Record<string, string>,
  install: string,
  body: () => void,
): void {
  const missing = Object.entries(tools)
    .filter(([, path]) => !existsSync(path))
    .map(([tool, path]) => `${tool} (${path})`);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const message = `${missing.join(', ')} not installed; install with: ${install}`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs its tools', () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`SKIPPED ${name}: ${message}`);
  describe.skip(name, body);
}

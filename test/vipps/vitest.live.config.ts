import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:vipps-live`: the client contract against the real Vipps MobilePay test environment. It
// needs a sales unit's test keys and the internet, which CI has neither of, so it is not part of
// `npm test` (the default config only takes *.test.ts; this suite is *.live.ts).
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/vipps/*.live.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

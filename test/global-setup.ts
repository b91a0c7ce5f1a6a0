import { buildPos, buildUi } from '../ui/build.mjs';

/**
 * Tests that open the kiosk screen serve dist/ui, and those that open the cashier page dist/pos; build
 * both fresh so they never test a stale bundle.
 */
export default async function setup(): Promise<void> {
  await Promise.all([buildUi(), buildPos()]);
}

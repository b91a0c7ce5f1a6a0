import { buildUi } from '../ui/build.mjs';

/** Tests that open the kiosk screen serve dist/ui; build it fresh so they never test a stale bundle. */
export default async function setup(): Promise<void> {
  await buildUi();
}

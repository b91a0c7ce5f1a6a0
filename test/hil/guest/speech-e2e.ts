import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { ContractCase } from '../../hardware/scanner-contract.js';
import { KioskUnderTest, ScreenSocket } from '../../support/kiosk-under-test.js';
import { PATIENCE_MS, until } from './printer-e2e.js';
import { buttonsOn, logger, SHORT_PRESS_MS, SimulatedGpioChip } from './rigs.js';

// Issue 19's hardware check: the whole daemon with its tactile keys on gpio-sim input lines
// (hardware.keys.driver "gpio", read through the real onoff adapter) and speech mode on. A press of the
// speech key must turn speech mode on in the model the screen is sent, and a press of `next` must reach
// the page as the key it moves its focus on. The guest has no espeak-ng or aplay: the engine's spawn
// errors are logged, and speech mode's state is what is checked. Every step waits for its event.

export const speechEndToEnd: ContractCase = {
  name: 'a press of the speech key on a gpio-sim line turns speech mode on in the daemon, and next reaches the page',
  async run() {
    const sim = new SimulatedGpioChip('speech-e2e', ['key-speech', 'key-next']);
    const chip = sim.create();
    const buttons = buttonsOn(chip, { speech: 0, next: 1 });
    const claimed = () => [0, 1].every((offset) => existsSync(`/sys/class/gpio/gpio${chip.base + offset}`));
    const kiosk = new KioskUnderTest();
    let stopped = false;
    try {
      await kiosk.start({
        demo: false,
        logger,
        env: { VK_HARDWARE__SCANNER__DRIVER: 'none' },
        settings: {
          hardware: {
            keys: {
              driver: 'gpio',
              chip: chip.label,
              // One key by its number on the chip, one by its line name, as a field tech may write them.
              lines: { speech: '0', next: 'key-next' },
              debounceMs: 50,
              longPressMs: 1000,
            },
          },
          speech: { enabled: true },
        },
      });
      // The daemon goes on without keys it cannot claim (it logs "tactile keys off"): here that is a fault.
      assert.ok(claimed(), 'the daemon did not claim the key lines (see "tactile keys off" in the console)');
      const socket = await new ScreenSocket().open(kiosk);
      await socket.next((model) => model.speech?.on === false, PATIENCE_MS);

      await buttons.press('speech', SHORT_PRESS_MS);
      await socket.next((model) => model.speech?.on === true, PATIENCE_MS);

      await buttons.press('next', SHORT_PRESS_MS);
      await until(
        'the next key on the screen socket',
        () => socket.keys.length > 0,
        () => socket.keys,
      );
      // The speech key is the daemon's own; only navigation goes to the page.
      assert.deepEqual(socket.keys, [{ key: 'next', long: false }]);
      socket.close();
      await kiosk.stop();
      stopped = true;
      assert.ok(!claimed(), 'the daemon kept the key lines after it stopped');
    } finally {
      if (!stopped) await kiosk.stop();
      sim.remove();
    }
  },
};

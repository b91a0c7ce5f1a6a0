import type { Gpio } from 'onoff';
import type { Logger } from '../../common/log/logger.js';
import { sysfsGpioNumber } from './gpio-numbering.js';
import { HardwareError } from './hardware-error.js';
import { KeyDebouncer, type KeyTimers } from './key-debouncer.js';
import type { KeyListener, KeyPort, TactileKey } from './key-port.js';

export interface OnoffKeysOptions {
  /** Per key: a SoC GPIO number (offset on the chip) or a line name. */
  pins: Partial<Record<TactileKey, number | string>>;
  /** Label of the GPIO chip the numbers are on; the Pi's SoC chip when absent. */
  chip?: string | undefined;
  /** How long a level must hold before it counts (contact bounce is shorter). */
  debounceMs: number;
  /** A key held this long or longer is a long press. */
  longPressMs: number;
  logger?: Logger;
  /** Tests and the HIL: where sysfs and the debug listing are, and the debouncer's clock. */
  sysfsGpio?: string;
  debugGpio?: string;
  timers?: KeyTimers;
}

/**
 * Tactile keys on GPIO inputs through onoff (sysfs GPIO, edge interrupts on both edges). Each key is a
 * momentary switch from its pin to ground with the pin pulled up, so a line reads low while its key is
 * down: the lines are active-low. The kernel's sysfs cannot set a pull-up; the Pi's firmware does
 * (docs/field-tech.md). Every line is unexported on stop, so the next start finds it free.
 */
export class OnoffKeys implements KeyPort {
  private readonly gpios = new Map<TactileKey, Gpio>();
  private readonly listeners = new Set<KeyListener>();
  private readonly debouncer: KeyDebouncer;

  constructor(private readonly options: OnoffKeysOptions) {
    this.debouncer = new KeyDebouncer({
      debounceMs: options.debounceMs,
      longPressMs: options.longPressMs,
      emit: (press) => {
        for (const listener of this.listeners) listener(press);
      },
      ...(options.timers ? { timers: options.timers } : {}),
    });
  }

  async start(): Promise<void> {
    const { Gpio } = await import('onoff');
    if (!Gpio.accessible) {
      throw new HardwareError(
        'GPIO is not accessible (/sys/class/gpio): is this a Raspberry Pi, and is the kiosk user in the gpio group?',
      );
    }
    try {
      for (const [key, pin] of Object.entries(this.options.pins) as Array<[TactileKey, number | string]>) {
        const gpio = new Gpio(sysfsGpioNumber(pin, this.options), 'in', 'both', { activeLow: true });
        this.gpios.set(key, gpio);
        this.debouncer.initial(key, gpio.readSync() === 1);
        gpio.watch((error, value) => {
          if (error) this.options.logger?.warn(`cannot read the ${key} key: ${error.message}`);
          else this.debouncer.edge(key, value === 1);
        });
      }
    } catch (error) {
      await this.stop();
      if (error instanceof HardwareError) throw error;
      throw new HardwareError(
        `cannot claim the tactile keys' GPIO lines: ${(error as Error).message} (another program may hold them)`,
      );
    }
  }

  async stop(): Promise<void> {
    for (const gpio of this.gpios.values()) {
      gpio.unwatchAll();
      gpio.unexport();
    }
    this.gpios.clear();
    this.debouncer.reset();
  }

  keys(): readonly TactileKey[] {
    return [...this.gpios.keys()];
  }

  subscribe(listener: KeyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

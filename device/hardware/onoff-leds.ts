import type { Gpio } from 'onoff';
import { sysfsGpioNumber } from './gpio-numbering.js';
import { HardwareError } from './hardware-error.js';
import { type LedLine, type LedPattern, type LedPort, SoftwarePattern } from './led-port.js';

export interface OnoffLedsOptions {
  /** Per line: a SoC GPIO number (offset on the chip) or a line name. */
  pins: Partial<Record<LedLine, number | string>>;
  /** Label of the GPIO chip the numbers are on; the Pi's SoC chip when absent. */
  chip?: string | undefined;
  /** The LED lights when the line is low (wired to 3V3 through the LED). */
  activeLow: boolean;
  /** Tests and the HIL: where sysfs and the debug listing are. */
  sysfsGpio?: string;
  debugGpio?: string;
}

/**
 * LEDs on GPIO lines through onoff (sysfs GPIO). Numbers are resolved when started, from the chips
 * the running kernel has; patterns run on our own timers; every line is switched off and unexported
 * on stop, so the next start (or another program) finds it free.
 */
export class OnoffLeds implements LedPort {
  private readonly gpios = new Map<LedLine, { gpio: Gpio; pattern: SoftwarePattern }>();
  private readonly options: OnoffLedsOptions;

  constructor(options: OnoffLedsOptions) {
    this.options = options;
  }

  async start(): Promise<void> {
    const { Gpio } = await import('onoff');
    if (!Gpio.accessible) {
      throw new HardwareError(
        'GPIO is not accessible (/sys/class/gpio): is this a Raspberry Pi, and is the kiosk user in the gpio group?',
      );
    }
    try {
      for (const [line, pin] of Object.entries(this.options.pins) as Array<[LedLine, number | string]>) {
        const number = sysfsGpioNumber(pin, this.options);
        const gpio = new Gpio(number, 'out', 'none', { activeLow: this.options.activeLow });
        gpio.writeSync(0);
        this.gpios.set(line, { gpio, pattern: new SoftwarePattern((on) => gpio.writeSync(on ? 1 : 0)) });
      }
    } catch (error) {
      await this.stop();
      if (error instanceof HardwareError) throw error;
      throw new HardwareError(
        `cannot claim the LED GPIO lines: ${(error as Error).message} (another program may hold them)`,
      );
    }
  }

  async stop(): Promise<void> {
    for (const { gpio, pattern } of this.gpios.values()) {
      pattern.set('off');
      gpio.unexport();
    }
    this.gpios.clear();
  }

  lines(): readonly LedLine[] {
    return [...this.gpios.keys()];
  }

  show(line: LedLine, pattern: LedPattern): void {
    this.gpios.get(line)?.pattern.set(pattern);
  }

  state(): Partial<Record<LedLine, LedPattern>> {
    return Object.fromEntries([...this.gpios].map(([line, { pattern }]) => [line, pattern.current]));
  }
}

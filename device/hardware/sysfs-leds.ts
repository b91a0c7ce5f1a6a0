import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HardwareError } from './hardware-error.js';
import { type LedLine, type LedPattern, type LedPort, PATTERN_TIMING } from './led-port.js';

/**
 * LEDs the kernel drives (/sys/class/leds, e.g. the Pi's `gpio-led` overlay): stable names, no GPIO
 * numbering, and blinking done by the kernel's `timer` trigger, so a busy or stopped daemon still
 * leaves the LED showing what it last said.
 */
export class SysfsLeds implements LedPort {
  private readonly shown = new Map<LedLine, LedPattern>();
  private running = false;
  private readonly names: Partial<Record<LedLine, string>>;
  private readonly root: string;

  constructor(names: Partial<Record<LedLine, string>>, root = '/sys/class/leds') {
    this.names = names;
    this.root = root;
  }

  async start(): Promise<void> {
    for (const [line, name] of Object.entries(this.names) as Array<[LedLine, string]>) {
      const dir = join(this.root, name);
      if (!existsSync(join(dir, 'brightness'))) {
        const present = existsSync(this.root) ? ' (ls /sys/class/leds shows the names this kernel has)' : '';
        throw new HardwareError(
          `no LED "${name}" in ${this.root}${present}: check the gpio-led overlay's label`,
        );
      }
      if (!/\btimer\b/.test(readFileSync(join(dir, 'trigger'), 'utf8'))) {
        throw new HardwareError(`LED "${name}" has no "timer" trigger: load the ledtrig-timer module`);
      }
      this.write(line, 'off');
    }
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const line of this.shown.keys()) this.write(line, 'off');
    this.shown.clear();
  }

  lines(): readonly LedLine[] {
    return Object.keys(this.names) as LedLine[];
  }

  show(line: LedLine, pattern: LedPattern): void {
    if (!this.running || this.names[line] === undefined || this.shown.get(line) === pattern) return;
    this.write(line, pattern);
  }

  state(): Partial<Record<LedLine, LedPattern>> {
    return Object.fromEntries(this.shown);
  }

  private write(line: LedLine, pattern: LedPattern): void {
    const dir = join(this.root, this.names[line]!);
    const put = (file: string, value: string | number) => writeFileSync(join(dir, file), String(value));
    if (pattern === 'off' || pattern === 'on') {
      put('trigger', 'none');
      put('brightness', pattern === 'on' ? readFileSync(join(dir, 'max_brightness'), 'utf8').trim() : 0);
    } else {
      // Choosing the timer trigger makes the kernel create delay_on and delay_off.
      put('trigger', 'timer');
      put('delay_on', PATTERN_TIMING[pattern].onMs);
      put('delay_off', PATTERN_TIMING[pattern].offMs);
    }
    this.shown.set(line, pattern);
  }
}

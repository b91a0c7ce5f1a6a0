import { describe, expect, it } from 'vitest';
import { type Component, component, startInOrder } from '../../common/lifecycle.js';

function recorder() {
  const seen: string[] = [];
  const errors: string[] = [];
  const part = (name: string, failOn?: 'start' | 'stop'): Component =>
    component(
      name,
      async () => {
        if (failOn === 'start') throw new RangeError(`${name} cannot start`);
        seen.push(`start ${name}`);
      },
      async () => {
        seen.push(`stop ${name}`);
        if (failOn === 'stop') throw new Error(`${name} cannot stop`);
      },
    );
  const log = {
    error: (message: string, fields?: Record<string, string>) =>
      errors.push(`${message} ${fields?.component}`),
  };
  return { seen, errors, part, log };
}

describe('startInOrder', () => {
  it('starts in order, leaves out absent parts, and stops in reverse once', async () => {
    const { seen, part, log } = recorder();
    const running = await startInOrder(
      [part('journal'), undefined, part('checkout'), false, part('server')],
      log,
    );
    await Promise.all([running.stop(), running.stop()]);
    await running.stop();
    expect(seen).toEqual([
      'start journal',
      'start checkout',
      'start server',
      'stop server',
      'stop checkout',
      'stop journal',
    ]);
  });

  it('stops what had started when a later part fails, and rethrows the same error', async () => {
    const { seen, errors, part, log } = recorder();
    const failure = startInOrder(
      [part('journal'), part('checkout'), part('server', 'start'), part('never')],
      log,
    );
    await expect(failure).rejects.toBeInstanceOf(RangeError);
    expect(seen).toEqual(['start journal', 'start checkout', 'stop checkout', 'stop journal']);
    expect(errors).toEqual(['a part did not start; stopping the parts started before it server']);
  });

  it('keeps stopping the others when one part fails to stop', async () => {
    const { seen, errors, part, log } = recorder();
    const running = await startInOrder([part('journal'), part('broker', 'stop'), part('server')], log);
    await running.stop();
    expect(seen).toEqual([
      'start journal',
      'start broker',
      'start server',
      'stop server',
      'stop broker',
      'stop journal',
    ]);
    expect(errors).toEqual(['a part did not stop cleanly broker']);
  });
});

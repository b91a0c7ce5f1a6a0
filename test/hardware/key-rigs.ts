import { FakeKeys } from '../../device/hardware/fake-keys.js';
import type { KeyRigFactory } from './key-contract.js';

export const fakeKeyRig: KeyRigFactory = {
  name: 'fake keys',
  patienceMs: 1000,
  contacts: false,
  async create() {
    const port = new FakeKeys(['speech', 'next', 'select']);
    return {
      port,
      wired: ['speech', 'next', 'select'],
      press: async (key, long) => port.press(key, long),
      bouncyPress: null,
      released: async () => port.keys().length === 0,
      dispose: async () => {},
    };
  },
};

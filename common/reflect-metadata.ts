// The three functions of the Reflect metadata API that tsyringe (which @peculiar/x509 v2 resolves its
// algorithms with) calls, and refuses to load without. The library's classes take no constructor
// arguments and carry no `design:` metadata, so this store only ever holds tsyringe's injection tokens.
// Imported by common/x509.ts before the library; the `reflect-metadata` package would do the same.

type Target = object;
const store = new WeakMap<Target, Map<unknown, unknown>>();

interface ReflectMetadata {
  getMetadata(key: unknown, target: Target): unknown;
  getOwnMetadata(key: unknown, target: Target): unknown;
  defineMetadata(key: unknown, value: unknown, target: Target): void;
}

const reflect = Reflect as unknown as Partial<ReflectMetadata>;
if (!reflect.getMetadata) {
  const api: ReflectMetadata = {
    getOwnMetadata: (key, target) => store.get(target)?.get(key),
    getMetadata(key, target) {
      for (let at: Target | null = target; at; at = Object.getPrototypeOf(at) as Target | null) {
        const own = store.get(at);
        if (own?.has(key)) return own.get(key);
      }
      return undefined;
    },
    defineMetadata(key, value, target) {
      const own = store.get(target) ?? new Map<unknown, unknown>();
      own.set(key, value);
      store.set(target, own);
    },
  };
  Object.assign(Reflect, api);
}

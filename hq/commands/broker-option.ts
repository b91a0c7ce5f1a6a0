import { UsageError } from '../../common/cli/args.js';

/** HQ's `--broker URL` (`hq watch`, `hq command`): an MQTT URL without a password in it. */
export function brokerOption(value: string | undefined): URL {
  if (value === undefined)
    throw new UsageError('--broker URL is required (for example mqtts://hq.example:8883)');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--broker must be a URL like mqtt://host:1883, not "${value}"`);
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:', 'tls:'].includes(url.protocol)) {
    throw new UsageError(`--broker must be an mqtt://, mqtts://, ws:// or wss:// URL, not "${url.protocol}"`);
  }
  if (url.password !== '') {
    throw new UsageError(
      '--broker must not contain a password (it would show in the process list and shell history); ' +
        'set VK_HQ_PASSWORD instead',
    );
  }
  return url;
}

import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { HQ_ROLES, readFleetFile } from '../fleet/fleet-file.js';
import { renderAcl, renderConfig } from '../fleet/mosquitto-files.js';

export const ACL_FILE = 'vk-fleet.acl';
export const CONFIG_FILE = 'vk-fleet.conf';

export const brokerConfigUsage = `vipps-kiosk hq broker-config --fleet FILE --out DIR
  Writes the MQTT broker's files for the fleet in FILE (JSON: every kiosk with its merchant serial
  number, every HQ identity with its role (${HQ_ROLES.join(', ')}), the broker's listeners):
  DIR/${ACL_FILE}, Mosquitto's acl_file, and DIR/${CONFIG_FILE}, the config for /etc/mosquitto/conf.d/
  whose listeners make each client's id its username, so no client can knock another off. Both 0640,
  replaced whole. Then reload Mosquitto (systemctl reload mosquitto); a changed listener needs a restart.`;

export async function brokerConfigCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    fleet: { type: 'string' },
    out: { type: 'string' },
  });
  const [extra] = positionals.slice(1); // positionals[0] is "broker-config"
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (values.fleet === undefined) throw new UsageError('--fleet FILE is required (the fleet file, JSON)');
  if (values.out === undefined) throw new UsageError('--out DIR is required (where the files are written)');
  const source = resolve(values.fleet);
  const fleet = await readFleetFile(source);
  const out = resolve(values.out);
  const aclFile = fleet.broker.aclFile ?? join(out, ACL_FILE);
  await mkdir(out, { recursive: true, mode: 0o750 });
  await writeWhole(join(out, ACL_FILE), renderAcl(fleet, source));
  await writeWhole(join(out, CONFIG_FILE), renderConfig(fleet, source, aclFile));
  const roles = HQ_ROLES.map((role) => `${fleet.hq.filter((h) => h.role === role).length} ${role}`);
  const passwords = fleet.broker.listeners.some((l) => l.auth === 'password')
    ? [
        `  HQ passwords      each HQ identity needs one in ${fleet.broker.passwordFile}:`,
        `                    mosquitto_passwd ${fleet.broker.passwordFile} IDENTITY (it asks for the password)`,
      ]
    : [];
  process.stdout.write(
    [
      `wrote ${join(out, ACL_FILE)} and ${join(out, CONFIG_FILE)}`,
      `  kiosks            ${fleet.kiosks.length}`,
      `  HQ identities     ${roles.join(', ')}`,
      `  acl_file          ${aclFile}${aclFile === join(out, ACL_FILE) ? '' : ` (copy ${ACL_FILE} there)`}`,
      ...passwords,
      '  next              copy the config to /etc/mosquitto/conf.d/, then systemctl reload mosquitto',
      '',
    ].join('\n'),
  );
}

/** A temporary file created 0640, synced, then renamed: the broker never reads half a file. */
async function writeWhole(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  const handle = await open(temporary, 'wx', 0o640);
  try {
    await handle.chmod(0o640); // the umask may have taken bits away
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

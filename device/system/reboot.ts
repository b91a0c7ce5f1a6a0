import { execFile } from 'node:child_process';

/** The machine could not be rebooted; the message says what the system answered. */
export class RebootFailedError extends Error {
  override readonly name = 'RebootFailedError';
}

/**
 * Asks systemd-logind to reboot the machine, as the kiosk user. polkit allows exactly that for the
 * kiosk user (systemd/vipps-kiosk.polkit.rules, installed by install.sh); the daemon's own system-call
 * filter keeps it from rebooting any other way.
 */
export function requestSystemReboot(command: readonly string[] = ['systemctl', 'reboot']): Promise<void> {
  const [file, ...args] = command;
  return new Promise((resolve, reject) => {
    execFile(file!, args, { timeout: 30_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const said = stderr.toString().trim() || error.message;
      reject(
        new RebootFailedError(
          `${command.join(' ')} failed: ${said} (is systemd/vipps-kiosk.polkit.rules installed in /etc/polkit-1/rules.d?)`,
        ),
      );
    });
  });
}

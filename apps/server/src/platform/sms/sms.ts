import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.ts';
import { maskPhone } from '../pii/mask.ts';

/** The SMS gateway boundary. Production plugs in a carrier/cloud SMS client behind this interface. */
export interface SmsSender {
  readonly name: string;
  send(phone: string, text: string): Promise<void>;
}

/**
 * Development sender: nothing leaves the machine. The message is logged (phone masked) and appended
 * in full to `<dataDir>/sms-outbox.jsonl`, which developers and browser tests read to get the code.
 */
export class DevSmsSender implements SmsSender {
  readonly name = 'development-log';
  constructor(
    private readonly dataDir: string,
    private readonly log: Logger,
  ) {}

  async send(phone: string, text: string): Promise<void> {
    this.log.info({ sms: { to: maskPhone(phone), text } }, 'SMS (development sender, not sent)');
    const line = JSON.stringify({ at: new Date().toISOString(), to: phone, text });
    await appendFile(path.join(this.dataDir, 'sms-outbox.jsonl'), `${line}\n`, { mode: 0o600 });
  }
}

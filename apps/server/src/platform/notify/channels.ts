import { createHmac } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config.ts';
import type { Logger } from '../log.ts';
import type { SmsSender } from '../sms/sms.ts';
import { maskWebhookUrl } from './webhook-url.ts';

export const DELIVERY_CHANNELS = ['sms', 'wecom', 'dingtalk'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export type WebhookChannel = Exclude<DeliveryChannel, 'sms'>;

export interface ChannelTarget {
  phone?: string;
  url?: string;
  /** DingTalk's signing secret (加签). */
  secret?: string;
}

/** One external channel. `send` resolves when the channel accepted the message and throws otherwise. */
export interface ChannelSender {
  channel: DeliveryChannel;
  send(target: ChannelTarget, text: string): Promise<void>;
}

/** The senders the outbox delivers through (`ctx.channels`), chosen by WENMING_NOTIFY_MODE. */
export interface NotifyChannels {
  readonly mode: 'dev' | 'live';
  readonly senders: Record<DeliveryChannel, ChannelSender>;
  /** Where background delivery reports what it cannot record on a delivery row. */
  readonly log: Logger;
}

/** A failure worth no retry (no phone any more, robot deleted): the delivery fails at once. */
export class PermanentDeliveryError extends Error {}

/** SMS goes through the installation's SMS gateway (`ctx.sms`). */
export class SmsChannelSender implements ChannelSender {
  readonly channel = 'sms';
  constructor(private readonly sms: SmsSender) {}
  async send(target: ChannelTarget, text: string): Promise<void> {
    if (!target.phone) throw new PermanentDeliveryError('no phone number');
    await this.sms.send(target.phone, text);
  }
}

/**
 * Development group robot: nothing leaves the machine. The message is logged and appended to
 * `<dataDir>/notify-outbox.jsonl` with the robot's URL masked (its key is a secret).
 */
export class DevWebhookSender implements ChannelSender {
  constructor(
    readonly channel: WebhookChannel,
    private readonly dataDir: string,
    private readonly log: Logger,
  ) {}

  async send(target: ChannelTarget, text: string): Promise<void> {
    if (!target.url) throw new PermanentDeliveryError('no robot URL');
    const to = maskWebhookUrl(target.url);
    this.log.info(
      { robot: { channel: this.channel, to, text } },
      'group robot (development sender, not sent)',
    );
    const line = JSON.stringify({ at: new Date().toISOString(), channel: this.channel, to, text });
    await appendFile(path.join(this.dataDir, 'notify-outbox.jsonl'), `${line}\n`, { mode: 0o600 });
  }
}

/** DingTalk's signature: HMAC-SHA256 of `${timestamp}\n${secret}` keyed by the secret, base64. */
export function dingtalkSign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/** Cuts text to at most `max` UTF-8 bytes without splitting a character (WeCom allows 2048 bytes). */
export function truncateUtf8(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > max - 3) break;
    out += ch;
    bytes += n;
  }
  return `${out}…`;
}

const TIMEOUT_MS = 10_000;

/** Posts a text message to a robot and checks `errcode` in the reply (both platforms answer alike). */
async function postRobot(url: string, content: string): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ msgtype: 'text', text: { content } }),
    // a robot URL never redirects; following one could leave the allowed hosts
    redirect: 'error',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const raw = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  let reply: { errcode?: unknown; errmsg?: unknown };
  try {
    reply = JSON.parse(raw) as typeof reply;
  } catch {
    throw new Error('the robot did not answer with JSON');
  }
  if (reply.errcode !== 0) throw new Error(`errcode ${String(reply.errcode)}: ${String(reply.errmsg ?? '')}`);
}

/** WeCom (企业微信) group robot. */
export class WecomSender implements ChannelSender {
  readonly channel = 'wecom';
  async send(target: ChannelTarget, text: string): Promise<void> {
    if (!target.url) throw new PermanentDeliveryError('no robot URL');
    await postRobot(target.url, truncateUtf8(text, 2048));
  }
}

/** DingTalk (钉钉) group robot; signs the request when the robot has a secret. */
export class DingtalkSender implements ChannelSender {
  readonly channel = 'dingtalk';
  async send(target: ChannelTarget, text: string): Promise<void> {
    if (!target.url) throw new PermanentDeliveryError('no robot URL');
    const url = new URL(target.url);
    if (target.secret) {
      // the signature proves the time to DingTalk's servers: real time, not the business clock
      const timestamp = Date.now();
      url.searchParams.set('timestamp', String(timestamp));
      url.searchParams.set('sign', dingtalkSign(target.secret, timestamp));
    }
    await postRobot(url.toString(), truncateUtf8(text, 20_000));
  }
}

export function createChannels(
  config: Pick<Config, 'notifyMode' | 'dataDir'>,
  log: Logger,
  sms: SmsSender,
): NotifyChannels {
  const live = config.notifyMode === 'live';
  return {
    mode: config.notifyMode,
    log,
    senders: {
      sms: new SmsChannelSender(sms),
      wecom: live ? new WecomSender() : new DevWebhookSender('wecom', config.dataDir, log),
      dingtalk: live ? new DingtalkSender() : new DevWebhookSender('dingtalk', config.dataDir, log),
    },
  };
}

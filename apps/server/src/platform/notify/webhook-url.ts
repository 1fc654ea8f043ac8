/**
 * Group-robot URLs. Only the platforms' own robot endpoints are accepted, over https — the server posts
 * to these URLs, so an arbitrary one would let an administrator make it call anything — plus the hosts
 * an operator lists in WENMING_WEBHOOK_HOSTS (e.g. a relay inside the government network), over http
 * or https with any path.
 */
const OFFICIAL = {
  wecom: { host: 'qyapi.weixin.qq.com', path: '/cgi-bin/webhook/send', key: 'key' },
  dingtalk: { host: 'oapi.dingtalk.com', path: '/robot/send', key: 'access_token' },
} as const;

export type WebhookUrlProblem = 'field.wecomUrl' | 'field.dingtalkUrl';

/** The URL to store (normalised by the URL parser), or the field message code explaining what is wrong. */
export function checkWebhookUrl(
  channel: 'wecom' | 'dingtalk',
  raw: string,
  extraHosts: readonly string[],
): { url: string } | { problem: WebhookUrlProblem } {
  const problem = channel === 'wecom' ? 'field.wecomUrl' : 'field.dingtalkUrl';
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return { problem };
  }
  if (u.username || u.password || u.hash) return { problem };
  if (extraHosts.includes(u.hostname)) {
    return u.protocol === 'https:' || u.protocol === 'http:' ? { url: u.toString() } : { problem };
  }
  const o = OFFICIAL[channel];
  const ok =
    u.protocol === 'https:' &&
    u.hostname === o.host &&
    u.port === '' &&
    u.pathname === o.path &&
    /^[\w-]{8,128}$/.test(u.searchParams.get(o.key) ?? '');
  return ok ? { url: u.toString() } : { problem };
}

function maskPart(s: string): string {
  return s.length >= 12 ? `${s.slice(0, 4)}****${s.slice(-4)}` : '****';
}

/** The URL as shown to people and written to logs: every query value and long path segment masked. */
export function maskWebhookUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return '****';
  }
  const pathname = u.pathname
    .split('/')
    .map((seg) => (seg.length >= 16 ? maskPart(seg) : seg))
    .join('/');
  const query = [...u.searchParams].map(([k, v]) => `${k}=${maskPart(v)}`).join('&');
  return `${u.protocol}//${u.host}${pathname}${query ? `?${query}` : ''}`;
}

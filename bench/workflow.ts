// Workflow throughput (issue #3): assign a matter, then acknowledge it, over HTTP on loopback.
// Each autocannon connection repeats the pair: the office's POST /api/matters, then the unit
// liaison's POST /api/matters/:id/transitions {action: 'acknowledge'} on the matter just created.
// Both are real writes: deadlines, history, notifications and audit rows in one transaction each.
import autocannon from 'autocannon';
import { HOST, http } from './harness.ts';

export interface Session {
  cookie: string;
  csrf: string;
}

export async function signIn(port: number, username: string, password: string): Promise<Session> {
  const r = await http(port, 'POST', '/api/auth/login', { json: { username, password } });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.body}`);
  const set = r.headers['set-cookie'];
  const cookies = Array.isArray(set) ? set : set ? [set] : [];
  const cookie = cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('wm_session='));
  if (!cookie) throw new Error(`login ${username}: no wm_session cookie`);
  return { cookie, csrf: (JSON.parse(r.body) as { csrfToken: string }).csrfToken };
}

export interface TransitionResult {
  /** Requests per second (assign and acknowledge each count as one). */
  requestsPerSec: number;
  /** Completed assign → acknowledge pairs per second. */
  pairsPerSec: number;
  p50: number;
  p975: number;
  p99: number;
  non2xx: number;
  errors: number;
  requests: number;
}

export async function measureTransitions(opts: {
  port: number;
  office: Session;
  liaison: Session;
  assigneeUnitId: string;
  duration: number;
  connections: number;
}): Promise<TransitionResult> {
  const headers = (s: Session) => ({
    cookie: s.cookie,
    'x-csrf-token': s.csrf,
    'content-type': 'application/json',
  });
  const assign = JSON.stringify({
    title: '基准测试交办事项',
    content: '吞吐量测试：交办后立即签收。',
    level: 'ordinary',
    assigneeUnitId: opts.assigneeUnitId,
  });
  const acknowledge = JSON.stringify({ action: 'acknowledge', version: 1 });
  const result = await autocannon({
    url: `http://${HOST}:${opts.port}`,
    connections: opts.connections,
    duration: opts.duration,
    requests: [
      {
        method: 'POST',
        path: '/api/matters',
        headers: headers(opts.office),
        body: assign,
        onResponse: (status, body, context) => {
          // autocannon's per-connection context is typed as a plain object.
          if (status === 201)
            (context as { matterId?: string }).matterId = (JSON.parse(body) as { id: string }).id;
        },
      },
      {
        method: 'POST',
        setupRequest: (req, context) => ({
          ...req,
          path: `/api/matters/${String((context as { matterId?: string }).matterId)}/transitions`,
          headers: headers(opts.liaison),
          body: acknowledge,
        }),
      },
    ],
  });
  return {
    requestsPerSec: result.requests.average,
    pairsPerSec: result.requests.average / 2,
    p50: result.latency.p50,
    p975: result.latency.p97_5,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requests: result.requests.total,
  };
}

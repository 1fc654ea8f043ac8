import type { Client } from './app.ts';

/** A multipart/form-data body with one file, as a browser sends it. */
export function multipartBody(filename: string, bytes: Buffer, field = 'file') {
  const boundary = `----wenming${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  return {
    payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Uploads one file as the client's user and returns its id (fails the test on any other answer). */
export async function uploadFile(c: Client, filename: string, bytes: Buffer): Promise<string> {
  const body = multipartBody(filename, bytes);
  const res = await c.request('POST', '/api/files', body.payload, body.headers);
  if (res.statusCode !== 201 && res.statusCode !== 200) {
    throw new Error(`upload ${filename} failed: ${res.statusCode} ${res.body}`);
  }
  return res.json().id as string;
}

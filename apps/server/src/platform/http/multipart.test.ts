import { describe, expect, it } from 'vitest';
import {
  boundaryOf,
  type FormLimits,
  FormRefused,
  formBodyLimit,
  formError,
  parseForm,
} from './multipart.ts';

const B = 'XyZ-boundary';
const LIMITS: FormLimits = { files: 3, fileBytes: 1024 };

function part(head: string, content: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from(`--${B}\r\n${head}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')]);
}
const field = (name: string, value: string) => part(`Content-Disposition: form-data; name="${name}"`, value);
const file = (name: string, filename: string, content: string | Buffer, type = 'image/jpeg') =>
  part(
    `Content-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}`,
    content,
  );
const close = Buffer.from(`--${B}--\r\n`);
const body = (...parts: Buffer[]) => Buffer.concat([...parts, close]);

function refusal(run: () => unknown) {
  try {
    run();
  } catch (e) {
    if (e instanceof FormRefused) return e.problem;
    throw e;
  }
  throw new Error('the form was accepted');
}

describe('multipart forms', () => {
  it('splits fields and files in order; files are views of the body, byte for byte', () => {
    const bytes = Buffer.from([0xff, 0xd8, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff, 0xd9]);
    const raw = body(
      field('description', '路口垃圾堆放\r\n两天了'),
      file('photos', 'IMG_0001.jpg', bytes),
      field('kind', 'report'),
      file('photos', '照片 二.jpg', 'second', 'application/octet-stream'),
    );
    const form = parseForm(raw, B, LIMITS);
    expect(form.fields).toEqual({ description: '路口垃圾堆放\r\n两天了', kind: 'report' });
    expect(form.files.map((f) => [f.field, f.filename, f.bytes.toString('hex')])).toEqual([
      ['photos', 'IMG_0001.jpg', bytes.toString('hex')],
      ['photos', '照片 二.jpg', Buffer.from('second').toString('hex')],
    ]);
    expect(form.files[0].bytes.buffer).toBe(raw.buffer);
  });

  it('keeps content that holds the boundary not at the start of a line', () => {
    const tricky = `a--${B}b\r\n-${B} --${B}--\r\n`;
    const form = parseForm(body(file('file', 'a.txt', tricky)), B, LIMITS);
    expect(form.files[0].bytes.toString()).toBe(tricky);
  });

  it('skips a preamble and padding after a delimiter; the last value of a repeated field wins', () => {
    const raw = Buffer.concat([
      Buffer.from('This is the preamble.\r\n'),
      Buffer.from(`--${B}  \r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n`),
      field('a', '2'),
      close,
    ]);
    expect(parseForm(raw, B, LIMITS).fields).toEqual({ a: '2' });
  });

  it('reads quoted, escaped, unquoted and RFC 5987 names; an empty file name is still a file', () => {
    const raw = body(
      part('content-disposition: form-data; name=plain; filename="a \\"quoted\\" C:\\dir\\b.jpg"', 'x'),
      part(
        `Content-Disposition: form-data; name="x"; filename="fallback.jpg"; filename*=UTF-8''%E7%85%A7.jpg`,
        'y',
      ),
      part('Content-Disposition: form-data; name="empty"; filename=""', ''),
      part('Content-Disposition: form-data; name="browser"; filename="%22a%22.jpg"', 'w'),
      part('Content-Disposition: form-data; name = "latin"; filename*=iso-8859-1\'\'%E9.jpg', 'z'),
      part('Content-Disposition: form-data; name=""', 'a part no route asks for'),
    );
    const form = parseForm(raw, B, { ...LIMITS, files: 5 });
    expect(form.files.map((f) => [f.field, f.filename, f.bytes.length])).toEqual([
      ['plain', 'a "quoted" C:\\dir\\b.jpg', 1],
      ['x', '照.jpg', 1],
      ['empty', '', 0],
      ['browser', '"a".jpg', 1],
      ['latin', '', 1],
    ]);
    expect(form.fields).toEqual({});
  });

  it('refuses what is not a complete form', () => {
    const malformed = { reason: 'malformed' };
    const whole = body(field('a', '1'), file('f', 'a.jpg', 'x'));
    expect(refusal(() => parseForm(Buffer.from('hello'), B, LIMITS))).toEqual(malformed);
    expect(refusal(() => parseForm(Buffer.from(`x--${B}\r\n`), B, LIMITS))).toEqual(malformed);
    expect(refusal(() => parseForm(whole.subarray(0, whole.length - 12), B, LIMITS))).toEqual(malformed);
    expect(refusal(() => parseForm(whole.subarray(0, 40), B, LIMITS))).toEqual(malformed);
    // a part without its blank line, without a name, not form-data, with a header line without a colon
    const parts = [
      Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="a"\r\n1\r\n--${B}--\r\n`),
      body(part('Content-Disposition: form-data; filename="a.jpg"', 'x')),
      body(part('Content-Disposition: attachment; name="a"', 'x')),
      body(part('Content-Disposition: form-data; name="a"\r\nnonsense', 'x')),
      body(part(`Content-Disposition: form-data; name="a"; x="${'y'.repeat(9000)}"`, 'x')),
      Buffer.from(`--${B}garbage\r\n`),
      // a header block that never ends: refused without reading the rest of the body for it
      Buffer.concat([
        Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="a"\r\n`),
        Buffer.alloc(64 * 1024, 13),
      ]),
    ];
    for (const raw of parts) expect(refusal(() => parseForm(raw, B, LIMITS))).toEqual(malformed);
  });

  it('refuses the part that goes over a limit, naming its field', () => {
    const limits: FormLimits = { files: 1, fileBytes: 4, fields: 2, fieldBytes: 3 };
    expect(refusal(() => parseForm(body(file('f', 'a', '12345')), B, limits))).toEqual({
      reason: 'fileTooLarge',
      field: 'f',
      limit: 4,
    });
    expect(parseForm(body(file('f', 'a', '1234')), B, limits).files).toHaveLength(1);
    expect(refusal(() => parseForm(body(file('f', 'a', '1'), file('g', 'b', '2')), B, limits))).toEqual({
      reason: 'tooManyFiles',
      field: 'g',
      limit: 1,
    });
    expect(
      refusal(() => parseForm(body(field('a', '1'), field('b', '2'), field('c', '3')), B, limits)),
    ).toEqual({
      reason: 'tooManyFields',
      field: 'c',
      limit: 2,
    });
    expect(refusal(() => parseForm(body(field('a', '1234')), B, limits))).toEqual({
      reason: 'fieldTooLarge',
      field: 'a',
      limit: 3,
    });
  });

  it('finds the boundary in the Content-Type', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/form-data; charset=utf-8; BOUNDARY="a b;c"')).toBe('a b;c');
    expect(boundaryOf('multipart/form-data')).toBeNull();
    expect(boundaryOf('multipart/form-data; boundary=')).toBeNull();
    expect(boundaryOf(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toBeNull();
    expect(boundaryOf(undefined)).toBeNull();
  });

  it('bounds the body by the limits and answers each problem with a status and the field at fault', () => {
    expect(formBodyLimit({ files: 2, fileBytes: 1000, fields: 1, fieldBytes: 10 })).toBe(2010 + 4 * 1024);
    expect(formError({ reason: 'malformed' }).status).toBe(400);
    const big = formError({ reason: 'fileTooLarge', field: 'photos', limit: 10 * 1024 * 1024 });
    expect([big.status, big.fields]).toEqual([
      413,
      [{ field: 'photos', code: 'form.fileTooLarge', params: { limit: 10 } }],
    ]);
    expect(formError({ reason: 'tooManyFiles', field: 'file', limit: 1 }).fields[0].code).toBe(
      'form.tooManyFiles',
    );
  });
});

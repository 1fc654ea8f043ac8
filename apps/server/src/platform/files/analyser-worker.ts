import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { analyseImage } from './images.ts';

/** One picture to analyse; `bytes` is transferred, not copied. */
export interface AnalyseRequest {
  job: number;
  bytes: Uint8Array;
  decoderOptional: boolean;
}

/** What the worker sends back: the facts (the thumbnail transferred), or why the picture could not be read. */
export type AnalyseReply =
  | {
      job: number;
      ok: true;
      width: number | null;
      height: number | null;
      takenAt: string | null;
      gps: { lat: number; lng: number } | null;
      dhash: string | null;
      thumb: Uint8Array | null;
    }
  | { job: number; ok: false; error: string };

// The image analysis of platform/files/analyser.ts, in a worker thread: sharp's decoding and resizing
// and the EXIF parsing run here, off the server's event loop. One libvips thread per picture (a
// process-wide setting): the pool has a thread per core but one, and a picture must not take the
// core the requests are served on.
sharp.concurrency(1);
const port = parentPort;
if (port) {
  port.on('message', async (m: AnalyseRequest) => {
    try {
      const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
      const f = await analyseImage(bytes, m.decoderOptional);
      // A copy with its own ArrayBuffer: sharp's output may share memory that cannot be transferred.
      const thumb = f.thumb ? new Uint8Array(f.thumb) : null;
      const reply: AnalyseReply = {
        job: m.job,
        ok: true,
        width: f.width,
        height: f.height,
        takenAt: f.takenAt,
        gps: f.gps,
        dhash: f.dhash,
        thumb,
      };
      port.postMessage(reply, thumb ? [thumb.buffer] : []);
    } catch (e) {
      const reply: AnalyseReply = {
        job: m.job,
        ok: false,
        error: e instanceof Error ? e.message : String(e),
      };
      port.postMessage(reply);
    }
  });
}

import sharp from 'sharp';
import { analyseImage } from './images.ts';

/** One picture to analyse. */
export interface AnalyseRequest {
  job: number;
  bytes: Uint8Array;
  decoderOptional: boolean;
}

/** What the analyser sends back: the facts, or why the picture could not be read. */
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

// The image analysis of platform/files/analyser.ts, in a child process at a low priority: sharp's decoding
// and resizing and the EXIF parsing run here, off the server's event loop and its thread pool. One libvips
// thread per picture: there is a process per core but one, and a picture must not take the core the
// requests are served on.
sharp.concurrency(1);
const send = process.send?.bind(process);
if (send) {
  process.on('message', async (m: AnalyseRequest) => {
    let reply: AnalyseReply;
    try {
      const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
      const f = await analyseImage(bytes, m.decoderOptional);
      reply = {
        job: m.job,
        ok: true,
        width: f.width,
        height: f.height,
        takenAt: f.takenAt,
        gps: f.gps,
        dhash: f.dhash,
        thumb: f.thumb,
      };
    } catch (e) {
      reply = { job: m.job, ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    send(reply);
  });
  // the server went away: nothing left to analyse for
  process.on('disconnect', () => process.exit(0));
}

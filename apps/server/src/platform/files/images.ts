import exifReader from 'exif-reader';
import sharp, { type SharpOptions } from 'sharp';

/** Thumbnails fit in this square, keep their aspect ratio and are never enlarged. */
export const THUMB_MAX = 320;
export const THUMB_MIME = 'image/jpeg';
/**
 * Refuse images larger than this many pixels before decoding (a small PNG can expand to gigabytes).
 * 100 megapixels is above any phone camera's default output.
 */
export const MAX_PIXELS = 100_000_000;

const INPUT: SharpOptions = { failOn: 'error', limitInputPixels: MAX_PIXELS };

export interface Gps {
  lat: number;
  lng: number;
}

export interface ImageFacts {
  /** As displayed, i.e. after the EXIF orientation is applied. */
  width: number | null;
  height: number | null;
  /** EXIF DateTimeOriginal as the camera recorded it: `YYYY-MM-DDTHH:mm:ss`, plus the offset when the camera wrote one. */
  takenAt: string | null;
  gps: Gps | null;
  /** Null when this machine cannot decode the image (e.g. HEIC without a HEVC decoder). */
  thumb: Buffer | null;
  dhash: string | null;
}

const pad = (n: number) => String(n).padStart(2, '0');

function capturedAt(raw: unknown, offset: unknown): string | null {
  let local: string | null = null;
  if (raw instanceof Date && !Number.isNaN(raw.getTime())) {
    // exif-reader reads the zone-less camera time as if it were UTC: take its fields back as they were.
    local =
      `${raw.getUTCFullYear()}-${pad(raw.getUTCMonth() + 1)}-${pad(raw.getUTCDate())}` +
      `T${pad(raw.getUTCHours())}:${pad(raw.getUTCMinutes())}:${pad(raw.getUTCSeconds())}`;
  } else if (typeof raw === 'string') {
    const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(raw);
    if (m) local = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  }
  if (!local || local.startsWith('0000')) return null;
  return typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset) ? `${local}${offset}` : local;
}

function degrees(dms: unknown, ref: unknown, max: number): number | null {
  if (
    !Array.isArray(dms) ||
    dms.length !== 3 ||
    !dms.every((x) => typeof x === 'number' && Number.isFinite(x))
  )
    return null;
  const [d, m, s] = dms as number[];
  const value = d + m / 60 + s / 3600;
  if (value > max) return null;
  const sign = typeof ref === 'string' && /^[SW]/i.test(ref.trim()) ? -1 : 1;
  return Math.round(sign * value * 1e7) / 1e7;
}

/** Capture time and position from a raw EXIF block (as sharp's metadata returns it); unreadable EXIF gives nulls. */
export function exifFacts(exif: Buffer | undefined): { takenAt: string | null; gps: Gps | null } {
  if (!exif || exif.length === 0) return { takenAt: null, gps: null };
  let tags: ReturnType<typeof exifReader>;
  try {
    tags = exifReader(exif);
  } catch {
    return { takenAt: null, gps: null };
  }
  const takenAt = capturedAt(tags.Photo?.DateTimeOriginal, tags.Photo?.OffsetTimeOriginal);
  const lat = degrees(tags.GPSInfo?.GPSLatitude, tags.GPSInfo?.GPSLatitudeRef, 90);
  const lng = degrees(tags.GPSInfo?.GPSLongitude, tags.GPSInfo?.GPSLongitudeRef, 180);
  // 0,0 is what receivers without a fix write: it is "no position", not a point in the Gulf of Guinea.
  const gps = lat !== null && lng !== null && !(lat === 0 && lng === 0) ? { lat, lng } : null;
  return { takenAt, gps };
}

/** A JPEG at most THUMB_MAX pixels on its longer side, turned upright, with no metadata. */
export async function makeThumbnail(bytes: Buffer): Promise<Buffer> {
  return sharp(bytes, INPUT)
    .rotate()
    .resize(THUMB_MAX, THUMB_MAX, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/**
 * 64-bit difference hash as 16 hex digits: upright, grey, squeezed to 9×8 pixels whatever the aspect,
 * one bit per pair of horizontal neighbours (1 when the left one is brighter). Re-encoded or resized
 * copies of a picture land a few bits apart; different pictures about 32.
 */
export async function dhash(bytes: Buffer): Promise<string> {
  const { data, info } = await sharp(bytes, INPUT)
    .rotate()
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(9, 8, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const c = info.channels;
  let hex = '';
  let nibble = 0;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      const left = data[(y * 9 + x) * c];
      const right = data[(y * 9 + x + 1) * c];
      nibble = (nibble << 1) | (left > right ? 1 : 0);
      if (x % 4 === 3) {
        hex += nibble.toString(16);
        nibble = 0;
      }
    }
  }
  return hex;
}

const DHASH = /^[0-9a-f]{16}$/;

/** Number of differing bits between two dHashes. */
export function hamming(a: string, b: string): number {
  if (!DHASH.test(a) || !DHASH.test(b)) throw new Error('a dHash is 16 lower-case hex digits');
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let n = 0;
  while (x) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
}

/**
 * Reads what an image says about itself. With `decoderOptional` (HEIC: the bundled libvips may lack a
 * HEVC decoder) a failure to decode leaves the facts it could not get null; otherwise it throws.
 */
export async function analyseImage(bytes: Buffer, decoderOptional = false): Promise<ImageFacts> {
  const facts: ImageFacts = { width: null, height: null, takenAt: null, gps: null, thumb: null, dhash: null };
  try {
    const meta = await sharp(bytes, INPUT).metadata();
    facts.width = meta.autoOrient?.width ?? meta.width ?? null;
    facts.height = meta.autoOrient?.height ?? meta.height ?? null;
    Object.assign(facts, exifFacts(meta.exif));
    facts.thumb = await makeThumbnail(bytes);
    // From the thumbnail: the same picture at 320 px, and far cheaper to decode than the original.
    facts.dhash = await dhash(facts.thumb);
  } catch (e) {
    if (!decoderOptional) throw e;
    facts.thumb = null;
    facts.dhash = null;
  }
  return facts;
}

/** The MIME type of the public copy of an image of this type (formats a browser may not show become JPEG). */
export function publicMimeOf(mime: string): string {
  return mime === 'image/png' || mime === 'image/webp' ? mime : 'image/jpeg';
}

/**
 * The copy shown on public boards: turned upright and re-encoded from pixels, so nothing of the
 * original's metadata (EXIF with GPS and camera serials, XMP, IPTC, ICC, comments) survives.
 */
export async function publicCopy(bytes: Buffer, mime: string): Promise<Buffer> {
  const img = sharp(bytes, INPUT).rotate();
  switch (publicMimeOf(mime)) {
    case 'image/png':
      return img.png().toBuffer();
    case 'image/webp':
      return img.webp({ quality: 90 }).toBuffer();
    default:
      return img.flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
  }
}

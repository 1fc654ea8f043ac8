import { CameraOutlined, CloseOutlined, PictureOutlined } from '@ant-design/icons';
import { Image, ImageViewer, Toast } from 'antd-mobile';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** A photo picked on the phone, not uploaded yet: it goes up with the report in one request. */
export interface PickedPhoto {
  key: string;
  file: File;
  preview: string;
}

/** Photos larger than this (bytes) or wider than LONG_EDGE are re-encoded on the phone before upload. */
const SHRINK_ABOVE = 1.5 * 1024 * 1024;
const LONG_EDGE = 2560;

/**
 * A smaller JPEG of a large photo (long edge ≤ 2560 px), or the file itself when it is already small, when the
 * browser cannot decode it (HEIC on most browsers) or when the re-encoded copy would not be smaller.
 */
export async function downscale(file: File): Promise<File> {
  if (file.size <= SHRINK_ABOVE || typeof createImageBitmap !== 'function') return file;
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const scale = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', 0.85));
    if (!blob || blob.size >= file.size) return file;
    return new File([blob], `${file.name.replace(/\.[^.]*$/, '')}.jpg`, { type: 'image/jpeg' });
  } catch {
    return file;
  }
}

let seq = 0;

/**
 * 1–9 photos from the camera (`capture`) or the album, shown as previews that can be enlarged or removed.
 * The files stay on the phone until the report is sent.
 */
export function PhotoPicker({
  value,
  onChange,
  max,
}: {
  value: PickedPhoto[];
  onChange: (next: PickedPhoto[]) => void;
  max: number;
}) {
  const { t } = useTranslation();
  const camera = useRef<HTMLInputElement>(null);
  const album = useRef<HTMLInputElement>(null);
  const latest = useRef(value);
  latest.current = value;

  // the previews' object URLs are released when the picker goes away
  useEffect(
    () => () => {
      for (const p of latest.current) URL.revokeObjectURL(p.preview);
    },
    [],
  );

  const add = async (list: FileList | null) => {
    const files = [...(list ?? [])].filter((f) => f.type.startsWith('image/') || /\.hei[cf]$/i.test(f.name));
    if (!files.length) return;
    const room = max - latest.current.length;
    if (files.length > room) Toast.show(t('cases.report.tooManyPhotos', { max }));
    const picked = await Promise.all(
      files.slice(0, Math.max(0, room)).map(async (f) => {
        const file = await downscale(f);
        seq += 1;
        return { key: `p${seq}`, file, preview: URL.createObjectURL(file) };
      }),
    );
    onChange([...latest.current, ...picked]);
  };

  const remove = (key: string) => {
    const gone = value.find((p) => p.key === key);
    if (gone) URL.revokeObjectURL(gone.preview);
    onChange(value.filter((p) => p.key !== key));
  };

  const full = value.length >= max;
  return (
    <div data-testid="case-photos">
      <div className="case-photo-grid">
        {value.map((p, i) => (
          <div key={p.key} className="case-photo" data-testid="case-photo-preview">
            <Image
              src={p.preview}
              width="100%"
              height="100%"
              fit="cover"
              alt={p.file.name}
              onClick={() => ImageViewer.Multi.show({ images: value.map((x) => x.preview), defaultIndex: i })}
            />
            <button
              type="button"
              className="case-photo-remove"
              aria-label={t('cases.report.removePhoto')}
              onClick={() => remove(p.key)}
              data-testid={`case-photo-remove-${i}`}
            >
              <CloseOutlined />
            </button>
          </div>
        ))}
        {!full && (
          <>
            <button
              type="button"
              className="case-photo-add"
              onClick={() => camera.current?.click()}
              data-testid="case-photo-camera"
            >
              <CameraOutlined style={{ fontSize: 22 }} />
              <span>{t('cases.report.camera')}</span>
            </button>
            <button
              type="button"
              className="case-photo-add"
              onClick={() => album.current?.click()}
              data-testid="case-photo-album"
            >
              <PictureOutlined style={{ fontSize: 22 }} />
              <span>{t('cases.report.album')}</span>
            </button>
          </>
        )}
      </div>
      <input
        ref={camera}
        type="file"
        accept="image/*"
        capture="environment"
        hidden
        onChange={(e) => {
          void add(e.target.files);
          e.target.value = '';
        }}
        data-testid="case-photo-camera-input"
      />
      <input
        ref={album}
        type="file"
        accept="image/*"
        multiple
        hidden
        onChange={(e) => {
          void add(e.target.files);
          e.target.value = '';
        }}
        data-testid="case-photo-input"
      />
      <div className="h5-muted" style={{ marginTop: 6 }}>
        {t('cases.report.photoCount', { count: value.length, max })}
      </div>
    </div>
  );
}

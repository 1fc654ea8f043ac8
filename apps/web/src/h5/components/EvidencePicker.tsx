import { ImageUploader, type ImageUploadItem, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../shared/errors.ts';
import { contentUrl, type FileMeta, PHOTO_ACCEPT, thumbUrl, uploadFile } from '../../shared/files.ts';

export interface EvidencePickerProps {
  /** Called with the ids of the photos stored so far. */
  onChange?: (ids: string[]) => void;
  maxCount?: number;
  /**
   * `environment` opens the rear camera straight away (a photo taken on the spot); without it the phone
   * offers camera or album.
   */
  capture?: 'environment' | 'user';
}

/** Photos for a report on the H5: taken with the camera or picked from the album, uploaded one by one. */
export function EvidencePicker({ onChange, maxCount = 9, capture }: EvidencePickerProps) {
  const { t } = useTranslation();
  const [items, setItems] = useState<ImageUploadItem[]>([]);

  const upload = async (file: File): Promise<ImageUploadItem> => {
    try {
      const meta: FileMeta = await uploadFile(file);
      return {
        key: meta.id,
        url: contentUrl(meta.id),
        thumbnailUrl: meta.hasThumb ? thumbUrl(meta.id) : undefined,
        extra: meta,
      };
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e, t) });
      throw e;
    }
  };

  return (
    <div data-testid="evidence-picker">
      <ImageUploader
        value={items}
        onChange={(next) => {
          setItems(next);
          onChange?.(next.map((i) => String(i.key)));
        }}
        upload={upload}
        accept={PHOTO_ACCEPT}
        multiple={!capture}
        capture={capture}
        maxCount={maxCount}
        showFailed={false}
        onCountExceed={(n) => Toast.show(t('files.picker.tooMany', { count: n }))}
      />
    </div>
  );
}

import {
  CameraOutlined,
  DownloadOutlined,
  EnvironmentOutlined,
  FileExcelOutlined,
  FileImageOutlined,
  FileOutlined,
  FilePdfOutlined,
  FilePptOutlined,
  FileWordOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import { Image, List, Space, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  contentUrl,
  type FileMeta,
  formatGps,
  formatSize,
  formatTakenAt,
  thumbUrl,
} from '../../shared/files.ts';
import { formatTime } from '../../shared/format.ts';

const ICON_STYLE = { fontSize: 32, color: '#8c8c8c' };

function kindIcon(f: FileMeta): ReactNode {
  if (f.kind === 'image') return <FileImageOutlined style={ICON_STYLE} />;
  if (f.kind === 'video') return <VideoCameraOutlined style={ICON_STYLE} />;
  if (f.kind === 'pdf') return <FilePdfOutlined style={{ ...ICON_STYLE, color: '#cf1322' }} />;
  if (/word/.test(f.mime)) return <FileWordOutlined style={{ ...ICON_STYLE, color: '#1677ff' }} />;
  if (/excel|spreadsheet/.test(f.mime))
    return <FileExcelOutlined style={{ ...ICON_STYLE, color: '#389e0d' }} />;
  if (/powerpoint|presentation/.test(f.mime))
    return <FilePptOutlined style={{ ...ICON_STYLE, color: '#d46b08' }} />;
  return <FileOutlined style={ICON_STYLE} />;
}

/**
 * Evidence files: thumbnail (click to preview the original), name, size, upload time, and for photos
 * the camera's capture time and position when the EXIF had them; each with a download link.
 */
export function EvidenceList({
  files,
  loading,
  footer,
}: {
  files: FileMeta[];
  loading?: boolean;
  footer?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Image.PreviewGroup>
      <List<FileMeta>
        data-testid="evidence-list"
        loading={loading}
        dataSource={files}
        footer={footer}
        locale={{ emptyText: t('files.empty') }}
        renderItem={(f) => (
          <List.Item
            key={f.id}
            data-testid="evidence-item"
            actions={[
              <Typography.Link
                key="download"
                href={contentUrl(f.id)}
                download={f.name}
                data-testid="evidence-download"
              >
                <DownloadOutlined /> {t('files.download')}
              </Typography.Link>,
            ]}
          >
            <List.Item.Meta
              avatar={
                <div style={{ width: 72, height: 72, display: 'grid', placeItems: 'center' }}>
                  {f.hasThumb ? (
                    <Image
                      src={thumbUrl(f.id)}
                      preview={{ src: contentUrl(f.id) }}
                      width={72}
                      height={72}
                      style={{ objectFit: 'cover', borderRadius: 4 }}
                      alt={f.name}
                      data-testid="evidence-thumb"
                    />
                  ) : (
                    kindIcon(f)
                  )}
                </div>
              }
              title={
                <Typography.Text ellipsis={{ tooltip: f.name }} style={{ maxWidth: 480 }}>
                  {f.name}
                </Typography.Text>
              }
              description={
                <Space size={[16, 4]} wrap>
                  <span>{formatSize(f.size)}</span>
                  {f.width && f.height ? <span>{`${f.width} × ${f.height}`}</span> : null}
                  <span>{t('files.uploadedAt', { time: formatTime(f.uploadedAt) })}</span>
                  {f.takenAt && (
                    <Tooltip title={t('files.takenAtHint')}>
                      <span data-testid="evidence-taken-at">
                        <CameraOutlined /> {t('files.takenAt', { time: formatTakenAt(f.takenAt) })}
                      </span>
                    </Tooltip>
                  )}
                  {f.gps && (
                    <span data-testid="evidence-gps">
                      <EnvironmentOutlined /> {formatGps(f.gps)}
                    </span>
                  )}
                </Space>
              }
            />
          </List.Item>
        )}
      />
    </Image.PreviewGroup>
  );
}

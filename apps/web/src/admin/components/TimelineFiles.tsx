import { PaperClipOutlined } from '@ant-design/icons';
import { Image, Space, Typography } from 'antd';
import { contentUrl, type FileMeta, thumbUrl } from '../../shared/files.ts';

/** The files of a timeline entry: photos as square thumbnails that open the original, other files as links. */
export function TimelineFiles({ files, size }: { files: FileMeta[]; size: number }) {
  if (!files.length) return null;
  return (
    <Image.PreviewGroup>
      <Space size={8} wrap style={{ marginTop: 8 }}>
        {files.map((f) =>
          f.hasThumb ? (
            <Image
              key={f.id}
              src={thumbUrl(f.id)}
              preview={{ src: contentUrl(f.id) }}
              width={size}
              height={size}
              alt={f.name}
              style={{ objectFit: 'cover', borderRadius: 4 }}
              data-testid="timeline-thumb"
            />
          ) : (
            <Typography.Link
              key={f.id}
              href={contentUrl(f.id)}
              target="_blank"
              rel="noreferrer"
              data-testid="timeline-file"
            >
              <PaperClipOutlined /> {f.name}
            </Typography.Link>
          ),
        )}
      </Space>
    </Image.PreviewGroup>
  );
}

import { Alert, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { colorWord } from '../../../../../../packages/contracts/src/index.ts';
import { currentLanguage } from '../../../shared/i18n.ts';
import { COLOR_HEX, LEGEND, NO_COLOR, type TownshipMapData } from './model.ts';

/** ECharts is loaded only here, on first use: the rest of the console never downloads it. */
const loadEcharts = () => import('echarts');

/**
 * The townships coloured by their worst instance. The map is drawn with ECharts from the GeoJSON the API
 * sends; a schematic says so on the map.
 */
export function TownshipMap({
  data,
  height,
  onPick,
}: {
  data: TownshipMapData;
  height: number;
  /** A click on a township (e.g. to open its column of the matrix). */
  onPick?: (unitId: string) => void;
}) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const lang = currentLanguage() === 'en-US' ? 'en-US' : 'zh-CN';

  useEffect(() => {
    let disposed = false;
    let chart: { dispose(): void; resize(): void } | null = null;
    const onResize = () => chart?.resize();
    loadEcharts().then((echarts) => {
      if (disposed || !box.current) return;
      const mapName = `townships-${data.campaign.id}`;
      // The GeoJSON comes from our own API; echarts types it loosely.
      echarts.registerMap(mapName, data.geojson as Parameters<typeof echarts.registerMap>[1]);
      const c = echarts.init(box.current);
      chart = c;
      const byName = new Map(data.townships.map((x) => [x.name, x]));
      c.setOption({
        tooltip: {
          trigger: 'item',
          formatter: (p: { name: string }) => {
            const s = byName.get(p.name);
            if (!s) return p.name;
            const counts = LEGEND.filter((k) => s.counts[k] > 0)
              .map((k) => `${colorWord(k, lang)} ${s.counts[k]}`)
              .join(' · ');
            return `<b>${p.name}</b><br/>${
              s.color
                ? `${colorWord(s.color, lang)} · ${counts}<br/>${t('battlemap.progressOf', { progress: s.progress, count: s.instances })}`
                : t('battlemap.noInstances')
            }`;
          },
        },
        series: [
          {
            type: 'map',
            map: mapName,
            roam: false,
            selectedMode: false,
            label: {
              show: true,
              fontSize: 11,
              lineHeight: 14,
              color: '#262626',
              // Long names (霸州经济技术开发区) on two lines, so that the small central cells stay readable.
              formatter: (p: { name: string }) => {
                const half = Math.ceil(p.name.length / 2);
                return p.name.length > 5 ? `${p.name.slice(0, half)}\n${p.name.slice(half)}` : p.name;
              },
            },
            emphasis: { label: { show: true }, itemStyle: { areaColor: undefined, borderWidth: 2 } },
            itemStyle: { borderColor: '#fff', borderWidth: 1.5 },
            data: data.townships.map((x) => ({
              name: x.name,
              value: x.instances,
              itemStyle: { areaColor: x.color ? COLOR_HEX[x.color] : NO_COLOR },
            })),
          },
        ],
      });
      c.on('click', (p) => {
        const unitId = byName.get(p.name)?.unitId;
        if (unitId && onPick) onPick(unitId);
      });
      window.addEventListener('resize', onResize);
      setReady(true);
    });
    return () => {
      disposed = true;
      window.removeEventListener('resize', onResize);
      chart?.dispose();
    };
  }, [data, lang, t, onPick]);

  const missing = data.townships.filter((x) => !x.onMap);
  return (
    <div data-testid="bm-township-map">
      <div style={{ position: 'relative' }}>
        {data.schematic && (
          <Tag
            color="default"
            data-testid="bm-schematic"
            style={{ position: 'absolute', top: 4, left: 4, zIndex: 1 }}
          >
            {t('battlemap.schematic')}
          </Tag>
        )}
        {!ready && <Spin style={{ position: 'absolute', top: '45%', left: '48%' }} />}
        <div ref={box} style={{ height, width: '100%' }} />
      </div>
      <Space size={4} wrap style={{ marginTop: 4 }}>
        {LEGEND.filter((c) => c !== 'orange' || data.townships.some((x) => x.color === 'orange')).map((c) => (
          <Tag key={c} color={COLOR_HEX[c]} style={{ color: c === 'yellow' ? '#614700' : '#fff' }}>
            {colorWord(c, lang)} {data.townships.filter((x) => x.color === c).length}
          </Tag>
        ))}
        <Tag>
          {t('battlemap.noInstances')} {data.townships.filter((x) => !x.color).length}
        </Tag>
      </Space>
      {missing.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 8 }}
          message={t('battlemap.notOnMap', { names: missing.map((x) => x.name).join('、') })}
        />
      )}
      {data.schematic && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 6, marginBottom: 0 }}>
          {t('battlemap.schematicNote')}
        </Typography.Paragraph>
      )}
    </div>
  );
}

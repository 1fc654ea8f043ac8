import { AimOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { Button, List, NavBar, Popup, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseArea } from '../model.ts';

export interface CaseLocation {
  gps: { lat: number; lng: number; accuracy: number } | null;
  /** [townshipId] or [townshipId, villageId]; the last one is the case's area. */
  area: string[];
  address: string;
}

/** The chosen area as text: "城关镇 · 东关村", or the township alone. */
export function areaLabel(areas: CaseArea[], path: string[]): string {
  const town = areas.find((a) => a.id === path[0]);
  if (!town) return '';
  const village = town.villages.find((v) => v.id === path[1]);
  return village ? `${town.name} · ${village.name}` : town.name;
}

/**
 * Where it happened: the phone's position (navigator.geolocation; a refusal or a timeout only says so), or a
 * township → village pick, and an address line.
 */
export function LocationField({
  areas,
  value,
  onChange,
  errors,
}: {
  areas: CaseArea[];
  value: CaseLocation;
  onChange: (next: CaseLocation) => void;
  errors: { area?: string; address?: string; gps?: string };
}) {
  const { t } = useTranslation();
  const [picking, setPicking] = useState(false);
  const [locating, setLocating] = useState(false);

  const locate = () => {
    if (!('geolocation' in navigator)) {
      Toast.show({ content: t('cases.report.gpsUnsupported') });
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        onChange({
          ...value,
          gps: {
            lat: Number(pos.coords.latitude.toFixed(6)),
            lng: Number(pos.coords.longitude.toFixed(6)),
            accuracy: Math.round(pos.coords.accuracy),
          },
        });
      },
      (err) => {
        setLocating(false);
        const why =
          err.code === err.PERMISSION_DENIED
            ? 'cases.report.gpsDenied'
            : err.code === err.TIMEOUT
              ? 'cases.report.gpsTimeout'
              : 'cases.report.gpsUnavailable';
        Toast.show({ content: t(why), duration: 3000 });
      },
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  };

  const label = areaLabel(areas, value.area);
  return (
    <div className="case-field" data-testid="case-location">
      <div className="case-field-label">
        <span>
          {t('cases.report.location')}
          <span style={{ color: 'var(--adm-color-danger)' }}> *</span>
        </span>
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: 8 }}>
        <Button
          size="small"
          fill="outline"
          color={value.gps ? 'success' : 'default'}
          loading={locating}
          onClick={locate}
          data-testid="case-gps"
        >
          <AimOutlined /> {value.gps ? t('cases.report.located') : t('cases.report.useLocation')}
        </Button>
        <Button
          size="small"
          fill="outline"
          color={label ? 'primary' : 'default'}
          onClick={() => setPicking(true)}
          data-testid="case-area"
          style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
        >
          <EnvironmentOutlined /> {label || t('cases.report.pickArea')}
        </Button>
      </div>
      {value.gps && (
        <div className="h5-muted" style={{ marginTop: 6 }} data-testid="case-gps-value">
          {t('cases.report.gpsValue', {
            lat: value.gps.lat.toFixed(5),
            lng: value.gps.lng.toFixed(5),
            accuracy: value.gps.accuracy,
          })}{' '}
          <button
            type="button"
            className="h5-lang-plain"
            style={{ padding: '0 8px', fontSize: 12 }}
            onClick={() => onChange({ ...value, gps: null })}
          >
            {t('cases.report.clearGps')}
          </button>
        </div>
      )}
      {errors.gps && <div className="case-field-error">{errors.gps}</div>}
      {errors.area && (
        <div className="case-field-error" data-testid="case-error-areaUnitId">
          {errors.area}
        </div>
      )}
      <div className="case-box" style={{ marginTop: 8 }}>
        <input
          className="h5-input"
          value={value.address}
          onChange={(e) => onChange({ ...value, address: e.target.value })}
          placeholder={t('cases.report.addressPlaceholder')}
          maxLength={200}
          data-testid="case-address"
          autoComplete="street-address"
        />
      </div>
      {errors.address && <div className="case-field-error">{errors.address}</div>}
      <AreaPicker
        areas={areas}
        visible={picking}
        onClose={() => setPicking(false)}
        onPick={(area) => {
          setPicking(false);
          onChange({ ...value, area });
        }}
      />
    </div>
  );
}

/**
 * Township, then village (or the whole township), as two tappable lists in a bottom sheet: long village
 * names stay readable, and one tap each is enough.
 */
function AreaPicker({
  areas,
  visible,
  onClose,
  onPick,
}: {
  areas: CaseArea[];
  visible: boolean;
  onClose: () => void;
  onPick: (area: string[]) => void;
}) {
  const { t } = useTranslation();
  const [town, setTown] = useState<CaseArea | null>(null);
  return (
    <Popup
      visible={visible}
      onMaskClick={onClose}
      onClose={onClose}
      afterClose={() => setTown(null)}
      bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, height: '70vh', overflowY: 'auto' }}
    >
      <div data-testid="case-area-sheet">
        <NavBar
          backIcon={town ? undefined : false}
          back={town ? t('cases.report.townships') : null}
          onBack={() => setTown(null)}
          right={
            <button type="button" className="h5-lang-plain" onClick={onClose}>
              {t('common.cancel')}
            </button>
          }
        >
          {town ? town.name : t('cases.report.pickTownship')}
        </NavBar>
        {town ? (
          <List>
            <List.Item onClick={() => onPick([town.id])} data-testid="case-area-whole">
              {t('cases.report.wholeTownship')}
            </List.Item>
            {town.villages.map((v) => (
              <List.Item key={v.id} onClick={() => onPick([town.id, v.id])} data-testid="case-area-village">
                {v.name}
              </List.Item>
            ))}
          </List>
        ) : (
          <List>
            {areas.map((a) => (
              <List.Item
                key={a.id}
                arrowIcon
                onClick={() => setTown(a)}
                extra={a.villages.length || undefined}
                data-testid="case-area-township"
              >
                {a.name}
              </List.Item>
            ))}
          </List>
        )}
      </div>
    </Popup>
  );
}

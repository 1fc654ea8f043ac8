import {
  Button,
  DotLoading,
  ErrorBlock,
  NavBar,
  NoticeBar,
  Result,
  Selector,
  Switch,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import {
  CASE_LEVELS,
  CASE_MAX_PHOTOS,
  type CaseKind,
  type CaseLevel,
} from '../../../../../../packages/contracts/src/index.ts';
import { ApiClientError, fieldPath } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { useSession } from '../../../shared/session.tsx';
import { CategoryGrid } from './components/CategoryGrid.tsx';
import { type CaseLocation, LocationField } from './components/LocationField.tsx';
import { PhotoPicker, type PickedPhoto } from './components/PhotoPicker.tsx';
import {
  type CaseArea,
  type CaseCategory,
  type IntakeReply,
  listAreas,
  listCategories,
  submitCase,
} from './model.ts';
import './cases.css';

const PHONE_RE = /^1[3-9]\d{9}$/;
const DESCRIPTION_MIN = 5;
const DESCRIPTION_MAX = 2000;

/** The server's field names → where the form shows them. */
const FIELD_OF: Record<string, string> = {
  kind: 'kind',
  level: 'level',
  categoryId: 'categoryId',
  title: 'description',
  description: 'description',
  photos: 'photos',
  photoIds: 'photos',
  areaUnitId: 'area',
  address: 'address',
  lat: 'gps',
  lng: 'gps',
  anonymous: 'anonymous',
  contactPhone: 'contactPhone',
  contactName: 'contactPhone',
};

function Required() {
  return <span style={{ color: 'var(--adm-color-danger)' }}> *</span>;
}

function FieldError({ name, errors }: { name: string; errors: Record<string, string> }) {
  if (!errors[name]) return null;
  return (
    <div className="case-field-error" data-testid={`case-error-${name}`}>
      {errors[name]}
    </div>
  );
}

/** 文明随手拍 / 群众说事: what, where, photos, then one request; the reply says the number and who has it. */
export function H5CaseReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { user } = useSession();
  const [categories, setCategories] = useState<CaseCategory[] | null>(null);
  const [areas, setAreas] = useState<CaseArea[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [kind, setKind] = useState<CaseKind>('snapshot');
  const [level, setLevel] = useState<CaseLevel>('village');
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [location, setLocation] = useState<CaseLocation>({ gps: null, area: [], address: '' });
  const [anonymous, setAnonymous] = useState(false);
  const [editPhone, setEditPhone] = useState(!user?.phone);
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [waitMinutes, setWaitMinutes] = useState<number | null>(null);
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState<IntakeReply | null>(null);
  const honeypot = useRef<HTMLInputElement>(null);

  useEffect(() => {
    Promise.all([listCategories(), listAreas()])
      .then(([c, a]) => {
        setCategories(c);
        setAreas(a);
      })
      .catch((e) => setLoadError(errorMessage(e, t)));
  }, [t]);

  const clear = (...names: string[]) =>
    setErrors((old) => Object.fromEntries(Object.entries(old).filter(([k]) => !names.includes(k))));

  const category = categories?.find((c) => c.id === categoryId) ?? null;

  const validate = (): Record<string, string> => {
    const local: Record<string, string> = {};
    if (!categoryId) local.categoryId = t('cases.report.categoryRequired');
    const len = description.trim().length;
    if (len < DESCRIPTION_MIN)
      local.description = t('cases.report.descriptionShort', { min: DESCRIPTION_MIN });
    if (kind === 'talk' && level !== 'county') {
      if (!location.area.length) local.area = t('cases.report.areaForLevel');
    } else if (kind === 'snapshot' && !location.gps && !location.area.length) {
      local.area = t('cases.report.locationRequired');
    }
    if (editPhone && phone.trim() && !PHONE_RE.test(phone.trim()))
      local.contactPhone = t('cases.report.phoneRule');
    return local;
  };

  const showErrors = (next: Record<string, string>) => {
    setErrors(next);
    // the first marked field comes into view once it is drawn
    window.requestAnimationFrame(() =>
      document.querySelector('.case-field-error')?.scrollIntoView({ block: 'center', behavior: 'smooth' }),
    );
  };

  const submit = async () => {
    const local = validate();
    if (Object.keys(local).length) {
      showErrors(local);
      Toast.show({ icon: 'fail', content: t('cases.report.fixErrors') });
      return;
    }
    setErrors({});
    // text fields first, files last: the server reads the multipart stream in order
    const form = new FormData();
    form.append('kind', kind);
    if (kind === 'talk') form.append('level', level);
    form.append('categoryId', categoryId ?? '');
    form.append('description', description.trim());
    const area = location.area[location.area.length - 1];
    if (area) form.append('areaUnitId', area);
    form.append('address', location.address.trim());
    if (location.gps) {
      form.append('lat', String(location.gps.lat));
      form.append('lng', String(location.gps.lng));
    }
    form.append('anonymous', String(anonymous));
    if (editPhone && phone.trim()) form.append('contactPhone', phone.trim());
    form.append('website', honeypot.current?.value ?? '');
    for (const p of photos) form.append('photos', p.file, p.file.name);

    setSending(true);
    setWaitMinutes(null);
    try {
      const reply = await submitCase(form);
      Toast.clear();
      setDone(reply);
    } catch (e) {
      if (e instanceof ApiClientError && e.status === 429) {
        setWaitMinutes(Math.max(1, Math.ceil((e.retryAfter ?? 60) / 60)));
        // the notice is at the top of a long form
        window.scrollTo({ top: 0, behavior: 'smooth' });
      } else if (e instanceof ApiClientError && e.fields.length) {
        const next: Record<string, string> = {};
        for (const f of e.fields) {
          const name = FIELD_OF[String(fieldPath(f.field)[0] ?? '')] ?? 'form';
          next[name] = next[name] ? `${next[name]} ${f.message}` : f.message;
        }
        showErrors(next);
        Toast.show({ icon: 'fail', content: e.message });
      } else {
        Toast.show({ icon: 'fail', content: errorMessage(e, t) });
      }
    } finally {
      setSending(false);
    }
  };

  const back = () => navigate('/');
  const title = t(kind === 'talk' ? 'cases.report.titleTalk' : 'cases.report.title');

  if (done) {
    return (
      <div className="h5-page">
        <NavBar onBack={back}>{title}</NavBar>
        <Result
          status="success"
          title={t('cases.report.sent')}
          description={
            <div data-testid="case-sent">
              <div style={{ fontSize: 17, color: '#333', margin: '4px 0' }} data-testid="case-sent-no">
                {done.no}
              </div>
              <div data-testid="case-sent-unit">
                {done.unitName
                  ? t('cases.report.sentTo', { unit: done.unitName })
                  : t('cases.report.sentToOffice')}
              </div>
            </div>
          }
        />
        <div className="h5-form-footer" style={{ display: 'grid', gap: 10 }}>
          <Button
            block
            color="primary"
            size="large"
            onClick={() => navigate(`/cases/${done.id}`, { replace: true })}
            data-testid="case-sent-detail"
          >
            {t('cases.report.viewCase')}
          </Button>
          <Button block onClick={() => navigate('/cases', { replace: true })} data-testid="case-sent-mine">
            {t('cases.mine.title')}
          </Button>
        </div>
      </div>
    );
  }

  if (loadError || !categories) {
    return (
      <div className="h5-page">
        <NavBar onBack={back}>{title}</NavBar>
        {loadError ? (
          <ErrorBlock status="default" title={loadError} description="" />
        ) : (
          <div style={{ padding: 40, textAlign: 'center', color: 'var(--adm-color-primary)' }}>
            <DotLoading color="currentColor" />
          </div>
        )}
      </div>
    );
  }

  return (
    <div className="h5-page" style={{ paddingBottom: 84 }} data-testid="case-report">
      <NavBar onBack={back} right={<Link to="/cases">{t('cases.mine.short')}</Link>}>
        {title}
      </NavBar>
      {waitMinutes !== null && (
        <NoticeBar
          color="alert"
          wrap
          content={t('cases.report.tooMany', { minutes: waitMinutes })}
          data-testid="case-rate-limited"
        />
      )}
      {errors.form && <NoticeBar color="alert" wrap content={errors.form} data-testid="case-error-form" />}

      <div className="case-field">
        <Selector
          columns={2}
          value={[kind]}
          onChange={(v) => {
            if (v[0]) setKind(v[0]);
            clear('kind', 'level', 'area');
          }}
          options={[
            { label: t('cases.kind.snapshot'), value: 'snapshot' as CaseKind },
            { label: t('cases.kind.talk'), value: 'talk' as CaseKind },
          ]}
          showCheckMark={false}
          data-testid="case-kind"
        />
        <div className="h5-muted" style={{ marginTop: 6 }}>
          {t(kind === 'talk' ? 'cases.report.talkHint' : 'cases.report.snapshotHint')}
        </div>
        {kind === 'talk' && (
          <div style={{ marginTop: 10 }} data-testid="case-level">
            <div style={{ fontSize: 14, marginBottom: 6 }}>{t('cases.report.levelLabel')}</div>
            <Selector
              columns={3}
              value={[level]}
              onChange={(v) => {
                if (v[0]) setLevel(v[0]);
                clear('level', 'area');
              }}
              options={CASE_LEVELS.map((l) => ({ label: t(`cases.level.${l}`), value: l }))}
            />
          </div>
        )}
        <FieldError name="kind" errors={errors} />
        <FieldError name="level" errors={errors} />
      </div>

      <div className="case-field">
        <div className="case-field-label">
          <span>
            {t('cases.report.category')}
            <Required />
          </span>
        </div>
        <CategoryGrid
          categories={categories}
          value={categoryId}
          onChange={(id) => {
            setCategoryId(id);
            clear('categoryId', 'photos');
          }}
        />
        {category?.description && (
          <div className="h5-muted" style={{ marginTop: 6 }}>
            {category.description}
          </div>
        )}
        <FieldError name="categoryId" errors={errors} />
      </div>

      <div className="case-field">
        <div className="case-field-label">
          <span>
            {t('cases.report.description')}
            <Required />
          </span>
        </div>
        <div className="case-box">
          <TextArea
            value={description}
            onChange={(v) => {
              setDescription(v);
              clear('description');
            }}
            placeholder={t('cases.report.descriptionPlaceholder')}
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={DESCRIPTION_MAX}
            showCount
            data-testid="case-description"
          />
        </div>
        <FieldError name="description" errors={errors} />
      </div>

      <div className="case-field">
        <div className="case-field-label">
          <span>
            {t('cases.report.photos')}
            {category?.photoRequired && <Required />}
          </span>
          <span className="h5-muted" style={{ fontWeight: 400 }}>
            {category?.photoRequired ? t('cases.report.photosRequired') : t('cases.report.photosOptional')}
          </span>
        </div>
        <PhotoPicker
          value={photos}
          onChange={(next) => {
            setPhotos(next);
            clear('photos');
          }}
          max={CASE_MAX_PHOTOS}
        />
        <FieldError name="photos" errors={errors} />
      </div>

      <LocationField
        areas={areas}
        value={location}
        onChange={(next) => {
          setLocation(next);
          clear('area', 'address', 'gps');
        }}
        errors={{ area: errors.area, address: errors.address, gps: errors.gps }}
      />

      <div className="case-field">
        <div className="case-field-label">
          <span>{t('cases.report.anonymous')}</span>
          <Switch
            checked={anonymous}
            onChange={(v) => {
              setAnonymous(v);
              clear('anonymous');
            }}
            data-testid="case-anonymous"
          />
        </div>
        <div className="h5-muted">{t('cases.report.anonymousHint')}</div>
        <FieldError name="anonymous" errors={errors} />
      </div>

      <div className="case-field">
        <div className="case-field-label">
          <span>{t('cases.report.contactPhone')}</span>
          {!editPhone && (
            <button
              type="button"
              className="h5-lang-plain"
              onClick={() => setEditPhone(true)}
              data-testid="case-phone-edit"
            >
              {t('cases.report.changePhone')}
            </button>
          )}
        </div>
        {editPhone ? (
          <div className="case-box">
            <input
              className="h5-input"
              type="tel"
              inputMode="tel"
              maxLength={11}
              value={phone}
              onChange={(e) => {
                setPhone(e.target.value);
                clear('contactPhone');
              }}
              placeholder={user?.phone ?? t('cases.report.phonePlaceholder')}
              autoComplete="tel"
              data-testid="case-phone"
            />
          </div>
        ) : (
          <div style={{ fontSize: 16 }} data-testid="case-phone-masked">
            {user?.phone}
          </div>
        )}
        <div className="h5-muted" style={{ marginTop: 6 }}>
          {t('cases.report.phoneHint')}
        </div>
        <FieldError name="contactPhone" errors={errors} />
      </div>

      {/* a trap for form-filling robots: people never see or reach it */}
      <div className="case-honeypot" aria-hidden="true">
        <label>
          Website
          <input ref={honeypot} type="text" name="website" tabIndex={-1} autoComplete="off" defaultValue="" />
        </label>
      </div>

      <div className="h5-action-bar">
        <Button
          block
          color="primary"
          size="large"
          loading={sending}
          disabled={sending}
          onClick={() => void submit()}
          data-testid="case-submit"
        >
          {t('cases.report.submit')}
        </Button>
      </div>
    </div>
  );
}

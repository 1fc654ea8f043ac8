import type { Lang } from '../http/messages.ts';

/**
 * Notification texts by kind. The inbox stores a kind and its parameters, never the text: the text is
 * rendered from the kind's template in the reader's language each time it is read. A kind is
 * `<group>.<name>` (e.g. `deadline.overdue`, `matter.assigned`); the group is what the preferences
 * page shows as one section. Titles should carry no parameters: they double as the kind's label there.
 */
export interface TemplateText {
  title: string;
  body: string;
}

export interface TemplateDef {
  'zh-CN': TemplateText;
  'en-US': TemplateText;
  /** SMS is on for this kind unless the user turns it off (default: off). */
  sms?: boolean;
  /** Also post to the group robots of the units notified (default: no). */
  group?: boolean;
  /** Not a choice on the preferences page (e.g. robot test messages, which never reach users). */
  hidden?: boolean;
}

/** A parameter in both languages (e.g. a state's or a deadline's name): the reader's is shown. */
export type LocalizedParam = Record<Lang, string>;

export type TemplateParams = Record<string, string | number | LocalizedParam>;

function paramText(value: string | number | LocalizedParam, lang: Lang): string {
  return typeof value === 'object' ? (value[lang] ?? value['zh-CN']) : String(value);
}

const KIND = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9_]*)+$/;
const templates = new Map<string, TemplateDef>();
const groupLabels = new Map<string, Record<Lang, string>>();

/** Registers kinds at module load. A kind registered twice is a programming error and throws. */
export function registerTemplates(defs: Record<string, TemplateDef>): void {
  for (const [kind, def] of Object.entries(defs)) {
    if (!KIND.test(kind)) throw new Error(`notification kind "${kind}" must look like group.name`);
    if (templates.has(kind)) throw new Error(`notification kind "${kind}" is registered twice`);
    templates.set(kind, def);
  }
}

/** The name of a kind group (`deadline` → 办理时限) on the preferences page; without one, the group key shows. */
export function registerKindGroup(group: string, labels: Record<Lang, string>): void {
  groupLabels.set(group, labels);
}

export function templateOf(kind: string): TemplateDef | undefined {
  return templates.get(kind);
}

/** The kinds users choose about on the preferences page, in registration order. */
export function listedKinds(): string[] {
  return [...templates].filter(([, def]) => !def.hidden).map(([kind]) => kind);
}

export function groupOf(kind: string): string {
  return kind.split('.')[0] ?? kind;
}

export function groupLabel(group: string, lang: Lang): string {
  return groupLabels.get(group)?.[lang] ?? group;
}

function interpolate(text: string, params: TemplateParams, lang: Lang): string {
  return text.replace(/\{(\w+)\}/g, (whole, k: string) => {
    const value = Object.hasOwn(params, k) ? params[k] : undefined;
    return value === undefined ? whole : paramText(value, lang);
  });
}

/**
 * The text of a notification in a language. A missing parameter leaves its `{name}` in place; an
 * unknown kind (e.g. one whose module was removed) renders as a generic notice listing its parameters.
 * Never throws.
 */
export function render(kind: string, params: TemplateParams, lang: Lang): TemplateText {
  const def = templates.get(kind);
  if (!def) {
    const list = Object.entries(params)
      .map(([k, v]) => `${k}: ${paramText(v, lang)}`)
      .join(lang === 'zh-CN' ? '；' : '; ');
    return { title: lang === 'zh-CN' ? '通知' : 'Notice', body: list || kind };
  }
  const t = def[lang];
  return { title: interpolate(t.title, params, lang), body: interpolate(t.body, params, lang) };
}

registerKindGroup('deadline', { 'zh-CN': '办理时限', 'en-US': 'Deadlines' });
registerKindGroup('notice', { 'zh-CN': '通知公告', 'en-US': 'Notices' });

/**
 * The kinds the platform sends itself. Deadline parameters: label (what is due, e.g. the matter's
 * number and title), due (the due date as shown), daysLate (working days), unit (the unit that must act).
 */
registerTemplates({
  'deadline.reminder': {
    'zh-CN': { title: '办理时限提醒', body: '“{label}”将于 {due} 到期，请{unit}抓紧办理。' },
    'en-US': {
      title: 'Deadline reminder',
      body: '"{label}" is due on {due}; {unit}, please act on it in time.',
    },
    sms: true,
  },
  'deadline.overdue': {
    'zh-CN': {
      title: '已超期',
      body: '“{label}”已超过办理时限（{due}）{daysLate} 个工作日，请{unit}立即办理。',
    },
    'en-US': {
      title: 'Overdue',
      body: '"{label}" is {daysLate} working days past its deadline ({due}); {unit}, please act on it now.',
    },
    sms: true,
    group: true,
  },
  'deadline.escalated': {
    'zh-CN': {
      title: '超期升级',
      body: '{unit}办理的“{label}”已超期 {daysLate} 个工作日（时限 {due}），已提请上级督促。',
    },
    'en-US': {
      title: 'Escalated',
      body: '"{label}", handled by {unit}, is {daysLate} working days overdue (due {due}) and has been escalated.',
    },
    sms: true,
    group: true,
  },
  'deadline.supervision': {
    'zh-CN': {
      title: '督办单',
      body: '“{label}”已超期 {daysLate} 个工作日（时限 {due}），现予督办，请{unit}立即办理并反馈结果。',
    },
    'en-US': {
      title: 'Supervision order',
      body: '"{label}" is {daysLate} working days overdue (due {due}); {unit} is ordered to act and report back at once.',
    },
    sms: true,
    group: true,
  },
  'deadline.circular': {
    'zh-CN': {
      title: '超期通报',
      body: '{unit}办理的“{label}”超期 {daysLate} 个工作日（时限 {due}），予以通报。',
    },
    'en-US': {
      title: 'Circular on an overdue item',
      body: '"{label}", handled by {unit}, is {daysLate} working days overdue (due {due}); this is circulated.',
    },
    group: true,
  },
  'notice.received': {
    'zh-CN': { title: '新通知', body: '{sender}发来通知“{title}”，请及时查阅。' },
    'en-US': { title: 'New notice', body: '{sender} sent the notice "{title}"; please read it.' },
    group: true,
  },
  'notify.test': {
    hidden: true,
    'zh-CN': { title: '测试消息', body: '这是文明办工作平台发给“{name}”的测试消息，收到即表示配置正确。' },
    'en-US': {
      title: 'Test message',
      body: 'A test message from the civilization office platform to "{name}": if you see it, the robot works.',
    },
  },
});

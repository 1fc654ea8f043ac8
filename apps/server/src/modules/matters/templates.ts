import { registerKindGroup, registerTemplates } from '../../platform/notify/templates.ts';

/** Notifications of the assigned-matter workflow. Parameters: label (number and title), actor, note, due. */
registerKindGroup('matter', { 'zh-CN': '交办事项', 'en-US': 'Assigned matters' });

registerTemplates({
  'matter.assigned': {
    'zh-CN': { title: '新的交办事项', body: '“{label}”已交办给本单位，请在 1 个工作日内签收。' },
    'en-US': {
      title: 'New assigned matter',
      body: '"{label}" was assigned to your unit: acknowledge it within 1 working day.',
    },
    sms: true,
    group: true,
  },
  'matter.urged': {
    'zh-CN': { title: '交办事项催办', body: '{actor}催办“{label}”：{note}' },
    'en-US': { title: 'Matter urged', body: '{actor} urges "{label}": {note}' },
    sms: true,
  },
  'matter.declined': {
    'zh-CN': { title: '交办事项被退回', body: '“{label}”被承办单位退回：{note}' },
    'en-US': { title: 'Matter declined', body: '"{label}" was declined by the unit: {note}' },
  },
  'matter.feedback': {
    'zh-CN': { title: '交办事项进展', body: '“{label}”有新的进展反馈：{note}' },
    'en-US': { title: 'Progress on a matter', body: '"{label}" has new progress: {note}' },
  },
  'matter.extension_requested': {
    'zh-CN': { title: '延期申请待审批', body: '“{label}”申请延期至 {due}：{note}' },
    'en-US': { title: 'Extension requested', body: '"{label}" asks for an extension to {due}: {note}' },
  },
  'matter.extension_approved': {
    'zh-CN': { title: '延期申请已批准', body: '“{label}”的办结时限延至 {due}。' },
    'en-US': { title: 'Extension approved', body: 'The deadline of "{label}" is now {due}.' },
  },
  'matter.extension_rejected': {
    'zh-CN': { title: '延期申请被驳回', body: '“{label}”的延期申请被驳回：{note}' },
    'en-US': { title: 'Extension rejected', body: 'The extension of "{label}" was rejected: {note}' },
  },
  'matter.resolved': {
    'zh-CN': { title: '交办事项待验收', body: '“{label}”已报请办结，请验收：{note}' },
    'en-US': {
      title: 'Matter awaiting acceptance',
      body: '"{label}" is reported resolved; please check it: {note}',
    },
  },
  'matter.returned': {
    'zh-CN': { title: '交办事项退回重办', body: '“{label}”验收未通过，请在 3 个工作日内重办：{note}' },
    'en-US': {
      title: 'Matter returned for rework',
      body: '"{label}" was not accepted; rework it within 3 working days: {note}',
    },
    sms: true,
  },
  'matter.closed': {
    'zh-CN': { title: '交办事项已办结', body: '“{label}”已验收办结。' },
    'en-US': { title: 'Matter closed', body: '"{label}" was accepted and closed.' },
  },
  'matter.cancelled': {
    'zh-CN': { title: '交办事项已撤销', body: '“{label}”已撤销：{note}' },
    'en-US': { title: 'Matter cancelled', body: '"{label}" was cancelled: {note}' },
  },
});

import { registerKindGroup, registerTemplates } from '../../../platform/notify/templates.ts';

/** Notifications of the half-year report workflow. Parameters: label (campaign, period, unit), actor, note. */
registerKindGroup('halfYear', { 'zh-CN': '半年报告', 'en-US': 'Half-year reports' });

registerTemplates({
  'halfYear.submitted': {
    'zh-CN': { title: '半年报告待审核', body: '{actor}提交了“{label}”半年报告。' },
    'en-US': {
      title: 'Half-year report to review',
      body: '{actor} submitted the half-year report "{label}".',
    },
  },
  'halfYear.accepted': {
    'zh-CN': { title: '半年报告已通过', body: '“{label}”半年报告已审核通过。' },
    'en-US': { title: 'Half-year report accepted', body: 'The half-year report "{label}" was accepted.' },
  },
  'halfYear.returned': {
    'zh-CN': { title: '半年报告被退回', body: '“{label}”半年报告被退回：{note}' },
    'en-US': {
      title: 'Half-year report returned',
      body: 'The half-year report "{label}" was returned: {note}',
    },
    sms: true,
  },
});

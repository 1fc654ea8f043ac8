import { registerKindGroup, registerTemplates } from '../../../platform/notify/templates.ts';

/** Notifications of the progress ledger. Parameters: label (unit and summary), actor, note, campaign. */
registerKindGroup('ledger', { 'zh-CN': '工作台账', 'en-US': 'Progress ledger' });

registerTemplates({
  'ledger.submitted': {
    'zh-CN': { title: '台账报告待审核', body: '{actor}提交了“{label}”（{campaign}），请审核。' },
    'en-US': {
      title: 'Ledger report to review',
      body: '{actor} submitted "{label}" ({campaign}); please review it.',
    },
  },
  'ledger.awaitingApproval': {
    'zh-CN': { title: '台账报告待单位审核', body: '{actor}提交了“{label}”（{campaign}），请审核后报送。' },
    'en-US': {
      title: 'Ledger report awaiting your approval',
      body: '{actor} submitted "{label}" ({campaign}); approve it before it goes to the office.',
    },
  },
  'ledger.returned': {
    'zh-CN': { title: '台账报告被退回', body: '“{label}”（{campaign}）被退回：{note}。请修改后重新提交。' },
    'en-US': {
      title: 'Ledger report returned',
      body: '"{label}" ({campaign}) was returned: {note}. Edit it and submit it again.',
    },
    sms: true,
  },
  'ledger.accepted': {
    'zh-CN': { title: '台账报告已通过', body: '“{label}”（{campaign}）已审核通过。' },
    'en-US': { title: 'Ledger report accepted', body: '"{label}" ({campaign}) was accepted.' },
  },
});

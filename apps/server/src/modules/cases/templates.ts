import { registerKindGroup, registerTemplates } from '../../platform/notify/templates.ts';

/**
 * Notifications of citizen cases. Parameters: label (number and title), actor, note, unit, state (the
 * new state's name), due, original (a merged case's original number).
 */
registerKindGroup('case', { 'zh-CN': '群众诉求', 'en-US': 'Citizen cases' });

registerTemplates({
  'case.assigned': {
    'zh-CN': { title: '新的群众诉求', body: '诉求“{label}”已派至本单位，请及时签收办理。' },
    'en-US': {
      title: 'New citizen case',
      body: 'The case "{label}" was dispatched to your unit: sign for it.',
    },
    sms: true,
    group: true,
  },
  'case.pending': {
    'zh-CN': { title: '诉求待派单', body: '诉求“{label}”等待派单。{note}' },
    'en-US': { title: 'Case awaiting dispatch', body: 'The case "{label}" waits to be dispatched. {note}' },
  },
  'case.returned': {
    'zh-CN': { title: '诉求被退回', body: '{unit}退回诉求“{label}”：{note}' },
    'en-US': { title: 'Case returned', body: '{unit} returned the case "{label}": {note}' },
  },
  'case.escalated': {
    'zh-CN': { title: '诉求上报', body: '诉求“{label}”已上报：{note}' },
    'en-US': { title: 'Case escalated', body: 'The case "{label}" was escalated: {note}' },
  },
  'case.urged': {
    'zh-CN': { title: '诉求催办', body: '{actor}催办诉求“{label}”：{note}' },
    'en-US': { title: 'Case urged', body: '{actor} urges the case "{label}": {note}' },
    sms: true,
  },
  'case.progress': {
    'zh-CN': { title: '诉求办理进展', body: '诉求“{label}”有新的进展：{note}' },
    'en-US': { title: 'Progress on a case', body: 'The case "{label}" has news: {note}' },
  },
  'case.answer_review': {
    'zh-CN': { title: '诉求答复待审核', body: '诉求“{label}”已答复，请审核：{note}' },
    'en-US': {
      title: 'Answer awaiting review',
      body: 'The case "{label}" was answered; please check: {note}',
    },
  },
  'case.answer_returned': {
    'zh-CN': { title: '诉求退回重办', body: '诉求“{label}”的答复未通过审核，请重办：{note}' },
    'en-US': {
      title: 'Case returned for redo',
      body: 'The answer to "{label}" was not accepted; redo it: {note}',
    },
    sms: true,
  },
  'case.redo': {
    'zh-CN': { title: '诉求重办', body: '诉求“{label}”需重新办理：{note}' },
    'en-US': { title: 'Case to redo', body: 'The case "{label}" must be handled again: {note}' },
    sms: true,
  },
  'case.unsatisfied': {
    'zh-CN': { title: '群众不满意', body: '诉求“{label}”评价为不满意（{note}），请决定重办或办结。' },
    'en-US': {
      title: 'Citizen unsatisfied',
      body: 'The case "{label}" was rated unsatisfactory ({note}); decide: redo or close.',
    },
  },
  'case.extension_requested': {
    'zh-CN': { title: '诉求延期待审批', body: '诉求“{label}”申请延期至 {due}：{note}' },
    'en-US': {
      title: 'Extension requested',
      body: 'The case "{label}" asks for an extension to {due}: {note}',
    },
  },
  'case.extension_approved': {
    'zh-CN': { title: '诉求延期已批准', body: '诉求“{label}”的时限延至 {due}。' },
    'en-US': { title: 'Extension approved', body: 'The deadline of the case "{label}" is now {due}.' },
  },
  'case.extension_rejected': {
    'zh-CN': { title: '诉求延期被驳回', body: '诉求“{label}”的延期申请被驳回：{note}' },
    'en-US': {
      title: 'Extension rejected',
      body: 'The extension of the case "{label}" was rejected: {note}',
    },
  },
  'case.update': {
    'zh-CN': { title: '您的诉求有新进展', body: '您的诉求“{label}”：{state}。' },
    'en-US': { title: 'News on your case', body: 'Your case "{label}": {state}.' },
  },
  'case.followed_update': {
    'zh-CN': { title: '关注的诉求有新进展', body: '您关注的诉求“{label}”：{state}。' },
    'en-US': { title: 'News on a case you follow', body: 'The case "{label}" you follow: {state}.' },
  },
  'case.merged': {
    'zh-CN': {
      title: '诉求已合并',
      body: '诉求“{label}”与 {original} 重复，已合并；您将收到 {original} 的进展。',
    },
    'en-US': {
      title: 'Case merged',
      body: 'The case "{label}" duplicates {original} and was merged; you now follow {original}.',
    },
  },
});

import { registerKindGroup, registerTemplates } from '../../../platform/notify/templates.ts';

/**
 * Notifications of campaign supervision. Parameters: campaign, count, tasks / tasksEn (the tasks with
 * their reason sentences, in each language), number (督办单), deadline, note, when, place.
 */
registerKindGroup('supervision', { 'zh-CN': '督导', 'en-US': 'Supervision' });

registerTemplates({
  'supervision.reminder': {
    'zh-CN': { title: '催办提醒', body: '“{campaign}”中本单位有{count}项任务需加快推进：{tasks}{note}' },
    'en-US': {
      title: 'Reminder to speed up',
      body: 'In "{campaign}", {count} task(s) of your unit need to speed up: {tasksEn}{noteEn}',
    },
    sms: true,
  },
  'supervision.order': {
    'zh-CN': {
      title: '督办单',
      body: '督办单{number}：“{campaign}”中本单位有{count}项任务需限期整改：{tasks}{note}',
    },
    'en-US': {
      title: 'Supervision notice',
      body: 'Supervision notice {number}: in "{campaign}", {count} task(s) of your unit must be put right: {tasksEn}{noteEn}',
    },
    sms: true,
    group: true,
  },
  'supervision.interview': {
    'zh-CN': { title: '约谈记录', body: '“{campaign}”约谈已记录：{when}，{place}。' },
    'en-US': {
      title: 'Interview recorded',
      body: 'An interview on "{campaign}" was recorded: {when}, {place}.',
    },
  },
  'supervision.circular': {
    'zh-CN': { title: '工作通报', body: '“{campaign}”发布通报{number}：{title}' },
    'en-US': { title: 'Circular', body: '"{campaign}": circular {number} issued: {title}' },
  },
});

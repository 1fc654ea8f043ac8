/** Server-side messages in both languages. Every error code a client may see is listed here. */
export type Lang = 'zh-CN' | 'en-US';

const MESSAGES = {
  INVALID_JSON: { 'zh-CN': '请求体不是有效的 JSON', 'en-US': 'The request body is not valid JSON' },
  VALIDATION_FAILED: { 'zh-CN': '提交的内容有误，请检查标出的字段', 'en-US': 'Some fields are invalid' },
  UNSUPPORTED_MEDIA_TYPE: { 'zh-CN': '不支持的内容类型', 'en-US': 'Unsupported content type' },
  PAYLOAD_TOO_LARGE: { 'zh-CN': '提交的内容过大', 'en-US': 'The request is too large' },
  NOT_FOUND: { 'zh-CN': '未找到该记录或无权访问', 'en-US': 'Not found, or outside your data scope' },
  ROUTE_NOT_FOUND: { 'zh-CN': '接口不存在', 'en-US': 'No such endpoint' },
  UNAUTHENTICATED: { 'zh-CN': '请先登录', 'en-US': 'Please sign in' },
  SESSION_EXPIRED: {
    'zh-CN': '登录已超时，请重新登录',
    'en-US': 'Your session has expired, please sign in again',
  },
  FORBIDDEN: { 'zh-CN': '没有权限执行此操作', 'en-US': 'You do not have permission to do this' },
  PASSWORD_CHANGE_REQUIRED: {
    'zh-CN': '请先修改初始密码',
    'en-US': 'Please change your initial password first',
  },
  CSRF_INVALID: {
    'zh-CN': '页面已过期，请刷新后重试',
    'en-US': 'The page is stale, please reload and retry',
  },
  INVALID_CREDENTIALS: { 'zh-CN': '用户名或密码错误', 'en-US': 'Wrong username or password' },
  ACCOUNT_LOCKED: {
    'zh-CN': '连续登录失败次数过多，账号已锁定至 {until}',
    'en-US': 'Too many failed sign-ins: the account is locked until {until}',
  },
  ACCOUNT_DISABLED: { 'zh-CN': '账号已停用', 'en-US': 'This account is disabled' },
  TOTP_REQUIRED: { 'zh-CN': '请输入动态验证码', 'en-US': 'Enter the code from your authenticator app' },
  TOTP_INVALID: { 'zh-CN': '动态验证码错误', 'en-US': 'The authenticator code is wrong' },
  TOTP_NOT_SET_UP: { 'zh-CN': '尚未设置动态验证码', 'en-US': 'Two-factor authentication is not set up' },
  TOTP_ALREADY_ENABLED: {
    'zh-CN': '动态验证码已开启；如需更换，请先用当前验证码关闭',
    'en-US': 'Two-factor authentication is on; turn it off with a current code before setting it up again',
  },
  TOTP_NOT_FOR_CITIZENS: {
    'zh-CN': '仅工作人员账号可设置动态验证码',
    'en-US': 'Only staff accounts can use two-factor authentication',
  },
  WEAK_PASSWORD: {
    'zh-CN': '密码至少 8 位，且包含大写字母、小写字母、数字、符号中的至少 3 类',
    'en-US': 'At least 8 characters, with 3 of: upper-case, lower-case, digit, symbol',
  },
  PASSWORD_REUSED: {
    'zh-CN': '新密码不能与原密码相同',
    'en-US': 'The new password must differ from the old one',
  },
  WRONG_PASSWORD: { 'zh-CN': '原密码错误', 'en-US': 'The current password is wrong' },
  NO_PASSWORD: { 'zh-CN': '该账号使用手机验证码登录', 'en-US': 'This account signs in with a phone code' },
  RATE_LIMITED: {
    'zh-CN': '操作太频繁，请 {seconds} 秒后再试',
    'en-US': 'Too many attempts, try again in {seconds} seconds',
  },
  CODE_INVALID: { 'zh-CN': '验证码错误或已过期', 'en-US': 'The code is wrong or has expired' },
  INVALID_PHONE: { 'zh-CN': '请输入正确的 11 位手机号', 'en-US': 'Enter a valid 11-digit mobile number' },
  INVALID_ID_CARD: { 'zh-CN': '身份证号码格式或校验位不正确', 'en-US': 'The ID card number is not valid' },
  USERNAME_TAKEN: { 'zh-CN': '用户名已被使用', 'en-US': 'This username is already taken' },
  PHONE_TAKEN: { 'zh-CN': '该手机号已绑定其他账号', 'en-US': 'This phone number belongs to another account' },
  UNIT_NOT_EMPTY: {
    'zh-CN': '该单位下还有下级单位或人员，不能删除',
    'en-US': 'This unit still has sub-units or people and cannot be deleted',
  },
  MOVE_INTO_DESCENDANT: {
    'zh-CN': '不能把单位移动到它自己或它的下级单位之下',
    'en-US': 'A unit cannot be moved under itself or one of its descendants',
  },
  UNIT_NAME_TAKEN: {
    'zh-CN': '同一上级单位下已有同名单位',
    'en-US': 'A unit with this name already exists under the same parent',
  },
  ROOT_UNIT: { 'zh-CN': '根单位不能移动或删除', 'en-US': 'The root unit cannot be moved or deleted' },
  ALIAS_TAKEN: { 'zh-CN': '该简称已指向 {unit}', 'en-US': 'This alias already points to {unit}' },
  GROUP_NAME_TAKEN: { 'zh-CN': '单位组名称已存在', 'en-US': 'A group with this name already exists' },
  IMPORT_FAILED: {
    'zh-CN': '导入未执行：{count} 行有错误，请修正后重新导入',
    'en-US': 'Nothing was imported: {count} rows have errors; fix them and import again',
  },
  IMPORT_FILE_INVALID: {
    'zh-CN': '无法读取文件，请上传 .xlsx 或 .csv 文件',
    'en-US': 'The file could not be read; upload an .xlsx or .csv file',
  },
  SCOPE_EXCEEDED: {
    'zh-CN': '不能授予超出自己权限的角色或数据范围',
    'en-US': 'You cannot grant roles or a data scope beyond your own',
  },
  CANNOT_CHANGE_SELF: {
    'zh-CN': '不能停用或降低自己的账号权限',
    'en-US': 'You cannot disable yourself or reduce your own rights',
  },
  // working-day calendar (platform/calendar, modules/calendar)
  CALENDAR_YEAR_SHIPPED: {
    'zh-CN': '{year} 年是系统内置的国务院放假安排，不能删除；如需调整，请编辑后保存',
    'en-US': 'The {year} arrangement ships with the system and cannot be deleted; edit and save it instead',
  },
  CALENDAR_YEAR_MISSING: {
    'zh-CN': '尚未录入 {year} 年的放假安排，该年按周末双休计算',
    'en-US': 'No holiday arrangement has been entered for {year}: only weekends count as rest days there',
  },
  'calendar.dateInvalid': {
    'zh-CN': '不是有效的日期（格式 YYYY-MM-DD）',
    'en-US': 'is not a real date (YYYY-MM-DD)',
  },
  'calendar.dateOutsideYear': { 'zh-CN': '日期不在 {year} 年内', 'en-US': 'is not in {year}' },
  'calendar.dateDuplicate': {
    'zh-CN': '与第 {other} 行的日期重复',
    'en-US': 'repeats the date of row {other}',
  },
  'calendar.workdayNotWeekend': {
    'zh-CN': '调休上班日应为周六或周日',
    'en-US': 'a make-up working day (调休) must be a Saturday or Sunday',
  },
  'calendar.holidayNotWeekday': {
    'zh-CN': '放假日应为周一至周五（周末本来就休息，无需录入）',
    'en-US': 'a holiday must fall on a weekday (weekends are rest days already)',
  },
  'calendar.durationOne': {
    'zh-CN': '请填写且只填写一种期限：工作日、自然日、小时或月',
    'en-US': 'give exactly one of workingDays, days, hours or months',
  },
  'calendar.instantRange': {
    'zh-CN': '时间应在 2000 年至 2100 年之间',
    'en-US': 'must be between the years 2000 and 2100',
  },
  'import.nameRequired': { 'zh-CN': '缺少单位名称', 'en-US': 'the unit name is missing' },
  'import.nameTooLong': {
    'zh-CN': '单位名称超过 100 个字符',
    'en-US': 'the unit name is longer than 100 characters',
  },
  'import.parentRequired': { 'zh-CN': '缺少上级单位', 'en-US': 'the parent unit is missing' },
  'import.parentUnknown': {
    'zh-CN': '上级单位“{parent}”不存在或不在您的管理范围内',
    'en-US': 'parent unit "{parent}" is unknown or outside your scope',
  },
  'import.parentAmbiguous': {
    'zh-CN': '上级单位“{parent}”有多个同名单位，请改填单位 ID',
    'en-US': 'several units are named "{parent}"; use the unit id instead',
  },
  'import.typeUnknown': {
    'zh-CN': '单位类型“{type}”无法识别',
    'en-US': 'unit type "{type}" is not recognised',
  },
  'import.regionCode': {
    'zh-CN': '区划代码应为 6、9 或 12 位数字',
    'en-US': 'the region code must have 6, 9 or 12 digits',
  },
  'import.duplicate': {
    'zh-CN': '同一上级单位下已有“{name}”',
    'en-US': '"{name}" already exists under the same parent',
  },
  'import.sort': {
    'zh-CN': '排序应为 -100000 到 100000 之间的整数',
    'en-US': 'sort must be a whole number from -100000 to 100000',
  },
  'import.shortNameTooLong': {
    'zh-CN': '简称超过 50 个字符',
    'en-US': 'the short name is longer than 50 characters',
  },
  'import.noRows': { 'zh-CN': '文件中没有数据行', 'en-US': 'the file has no data rows' },
  'import.missingColumn': {
    'zh-CN': '缺少必需的列：{column}',
    'en-US': 'a required column is missing: {column}',
  },
  GROUP_OUTSIDE_SCOPE: {
    'zh-CN': '该单位组包含您管理范围以外的单位，不能修改或删除',
    'en-US': 'This group contains units outside your scope; you cannot change or delete it',
  },
  CONFLICT: {
    'zh-CN': '该记录已存在或刚被他人修改，请刷新后重试',
    'en-US': 'This record already exists or was just changed by someone else; reload and retry',
  },
  INTERNAL: { 'zh-CN': '服务器内部错误，已记录', 'en-US': 'Internal server error (logged)' },
  // workflow engine and deadlines (platform/workflow)
  WORKFLOW_UNKNOWN_ACTION: {
    'zh-CN': '没有这个操作；您现在可以：{allowed}',
    'en-US': 'No such action; you may now: {allowed}',
  },
  WORKFLOW_ILLEGAL_ACTION: {
    'zh-CN': '当前状态为“{state}”，不能执行“{action}”；您现在可以：{allowed}',
    'en-US': 'The record is “{state}”: “{action}” is not possible now; you may: {allowed}',
  },
  WORKFLOW_NOT_YOURS: {
    'zh-CN': '您不能对此记录执行“{action}”；您现在可以：{allowed}',
    'en-US': 'You may not “{action}” this record; you may: {allowed}',
  },
  STALE_VERSION: {
    'zh-CN': '该记录刚被他人处理（当前版本 {current}），请刷新后再操作',
    'en-US': 'Someone else has just acted on this record (now version {current}); reload and retry',
  },
  WORKFLOW_NOTE_REQUIRED: { 'zh-CN': '请填写理由或说明', 'en-US': 'A reason or note is required' },
  WORKFLOW_EVIDENCE_REQUIRED: {
    'zh-CN': '请上传至少一份佐证材料',
    'en-US': 'Attach at least one piece of evidence',
  },
  WORKFLOW_NO_ATTACHMENTS: {
    'zh-CN': '此操作不接受附件',
    'en-US': 'This action takes no attachments',
  },
  EXTENSION_NO_DEADLINE: {
    'zh-CN': '没有可以延期的期限',
    'en-US': 'There is no running deadline to extend',
  },
  EXTENSION_TOO_LATE: {
    'zh-CN': '期限已过，延期须在到期前申请',
    'en-US': 'The deadline has passed: extensions must be requested before it',
  },
  EXTENSION_NOT_LATER: {
    'zh-CN': '新期限须晚于当前期限（{due}）',
    'en-US': 'The new deadline must be later than the current one ({due})',
  },
  EXTENSION_PENDING: {
    'zh-CN': '已有一项延期申请待审批',
    'en-US': 'An extension request is already waiting for a decision',
  },
  EXTENSION_NONE_PENDING: {
    'zh-CN': '没有待审批的延期申请',
    'en-US': 'There is no pending extension request',
  },
  // notices with read receipts (modules/notices)
  NOTICE_ACK_ROLE: {
    'zh-CN': '只有本单位的联络员或单位负责人可以签收',
    'en-US': 'Only the unit’s liaison or unit head can acknowledge',
  },
  NOTICE_ACK_NOT_REQUIRED: {
    'zh-CN': '该通知无需签收',
    'en-US': 'This notice does not ask for acknowledgement',
  },
  NOTICE_ALREADY_ACKED: {
    'zh-CN': '本单位已由 {name} 于 {at} 签收，无需重复签收',
    'en-US': 'Your unit already acknowledged this notice ({name}, {at})',
  },
  'notice.noRecipients': { 'zh-CN': '请至少选择一个接收单位', 'en-US': 'choose at least one recipient unit' },
  'notice.unknownGroup': {
    'zh-CN': '单位组不存在',
    'en-US': 'unknown group',
  },
  'notice.dueInPast': { 'zh-CN': '签收截止时间须晚于现在', 'en-US': 'must be later than now' },
  'notice.dueWithoutAck': {
    'zh-CN': '不要求签收时不能设置签收截止时间',
    'en-US': 'can only be set when acknowledgement is required',
  },
  // evidence store (platform/files)
  FILE_EMPTY: { 'zh-CN': '文件为空', 'en-US': 'The file is empty' },
  FILE_TYPE_UNSUPPORTED: {
    'zh-CN':
      '不支持此类文件。可上传照片（JPG、PNG、WebP、HEIC）、视频（MP4、MOV）、PDF 和 Office 文档（Word、Excel、PowerPoint）',
    'en-US':
      'This kind of file is not accepted. Upload photos (JPG, PNG, WebP, HEIC), videos (MP4, MOV), PDF or Office documents (Word, Excel, PowerPoint)',
  },
  FILE_NAME_EXTENSION: {
    'zh-CN': '文件名缺少扩展名（应为 {expected}）',
    'en-US': 'The file name has no extension (expected {expected})',
  },
  FILE_TYPE_MISMATCH: {
    'zh-CN': '文件内容是 {actual}，与扩展名 .{ext} 不符',
    'en-US': 'The file contains {actual}, which does not match its extension .{ext}',
  },
  FILE_TOO_LARGE: {
    'zh-CN': '文件过大：{type} 文件不能超过 {limit} MB',
    'en-US': 'The file is too large: {type} files may be at most {limit} MB',
  },
  UPLOAD_TOO_LARGE: {
    'zh-CN': '文件过大：单个文件不能超过 {limit} MB',
    'en-US': 'The file is too large: at most {limit} MB per file',
  },
  FILE_UNREADABLE: {
    'zh-CN': '无法按 {type} 读取该文件，文件可能已损坏',
    'en-US': 'The file cannot be read as {type}; it may be damaged',
  },
  FILE_NOT_READY: {
    'zh-CN': '图片正在处理，请稍后再试',
    'en-US': 'The picture is still being processed; try again shortly',
  },
  'field.unknownFile': {
    'zh-CN': '文件不存在，或不是您上传的',
    'en-US': 'unknown file, or not uploaded by you',
  },
  // notifications: inbox preferences and group robots (platform/notify, modules/notifications)
  'notify.unknownKind': { 'zh-CN': '没有这种消息类型', 'en-US': 'is not a notification kind' },
  'notify.noPhone': {
    'zh-CN': '您的账号未绑定手机号，不能接收短信',
    'en-US': 'your account has no phone number, so it cannot receive SMS',
  },
  'notify.officeGroup': {
    'zh-CN': '只有数据范围为“全部”的管理员可以设置文明办自己的群机器人',
    'en-US': 'only administrators whose data scope is "all" can set up the office’s own group robot',
  },
  'notify.secretDingtalkOnly': {
    'zh-CN': '只有钉钉机器人使用加签密钥',
    'en-US': 'only DingTalk robots use a signing secret',
  },
  'field.wecomUrl': {
    'zh-CN': '应为企业微信群机器人的 Webhook 地址（https://qyapi.weixin.qq.com/…?key=…）',
    'en-US': 'must be a WeCom group robot webhook URL (https://qyapi.weixin.qq.com/…?key=…)',
  },
  'field.dingtalkUrl': {
    'zh-CN': '应为钉钉群机器人的 Webhook 地址（https://oapi.dingtalk.com/…?access_token=…）',
    'en-US': 'must be a DingTalk group robot webhook URL (https://oapi.dingtalk.com/…?access_token=…)',
  },
  // assigned matters (modules/matters)
  MATTER_SAME_UNIT: {
    'zh-CN': '改派的单位与当前承办单位相同',
    'en-US': 'The matter is already assigned to this unit',
  },
  MATTER_EXTENSION_TOO_FAR: {
    'zh-CN': '延期不能超过一年',
    'en-US': 'An extension cannot reach more than a year ahead',
  },
  // citizen cases: intake, workflow, categories, routing, follows (modules/cases core)
  CASE_REOPEN_LIMIT: {
    'zh-CN': '该诉求重办次数已达上限',
    'en-US': 'This case has been sent for a redo as often as allowed',
  },
  CASE_REOPEN_EXPIRED: {
    'zh-CN': '办结超过 {days} 天的诉求不能申请重办',
    'en-US': 'A case closed more than {days} days ago cannot be reopened',
  },
  CASE_NOT_PUBLIC: {
    'zh-CN': '只能关注公开的诉求',
    'en-US': 'Only public cases can be followed',
  },
  CASE_EXTENSION_TOO_FAR: {
    'zh-CN': '延期不能超过一年',
    'en-US': 'An extension cannot reach more than a year ahead',
  },
  CASE_PHOTO_TOO_LARGE: {
    'zh-CN': '照片过大：每张不能超过 {limit} MB',
    'en-US': 'A photo is too large: at most {limit} MB each',
  },
  'case.mergeTarget': {
    'zh-CN': '原诉求不存在、已被合并或就是本诉求',
    'en-US': 'unknown original case, already merged, or this case itself',
  },
  'case.sameUnit': { 'zh-CN': '与当前承办单位相同', 'en-US': 'is already the responsible unit' },
  'case.photoRequired': { 'zh-CN': '此类诉求须上传照片', 'en-US': 'this kind of report needs a photo' },
  'case.tooManyPhotos': { 'zh-CN': '最多 {limit} 张照片', 'en-US': 'at most {limit} photos' },
  'case.notImage': { 'zh-CN': '只能上传照片', 'en-US': 'must be a photo' },
  'case.unknownArea': {
    'zh-CN': '请选择本辖区的乡镇或村（社区）',
    'en-US': 'must be a township or village of this region',
  },
  'case.latLngPair': {
    'zh-CN': '经度和纬度须同时填写',
    'en-US': 'latitude and longitude go together',
  },
  'case.unknownCategory': { 'zh-CN': '类别不存在或已停用', 'en-US': 'unknown or inactive category' },
  'case.levelForTalk': {
    'zh-CN': '说事须选择向村、乡镇还是县反映',
    'en-US': 'a talk names its level: village, township or county',
  },
  'case.categoryCodeTaken': { 'zh-CN': '该代码已被其他类别使用', 'en-US': 'is used by another category' },
  'case.ruleExists': {
    'zh-CN': '已有相同类别和区域的分拨规则',
    'en-US': 'a rule for this category and area already exists',
  },
  'case.honeypot': { 'zh-CN': '此项须留空', 'en-US': 'must be empty' },
  // campaigns and plan import (modules/campaigns)
  PLAN_NO_ACTIVITIES: {
    'zh-CN': '未能从文本中识别出编号的活动（如“一、……”“1.……”），请检查是否为实施方案全文',
    'en-US': 'No numbered activities (一、… / 1. …) were found: is this the full text of a plan?',
  },
  PLAN_FILE_UNSUPPORTED: {
    'zh-CN': '无法读取该文件：请上传 .txt 或 .docx 文件（旧版 .doc 请另存为 .docx）',
    'en-US': 'This file cannot be read: upload a .txt or .docx file (save a legacy .doc as .docx)',
  },
  CAMPAIGN_UNITS_UNRESOLVED: {
    'zh-CN': '以下单位名称未能对应到组织机构，请先指定对应单位：{names}',
    'en-US': 'These unit names match no org unit; map them first: {names}',
  },
  CAMPAIGN_ALIAS_TAKEN: {
    'zh-CN': '该名称已是另一单位的别名',
    'en-US': 'This name is already an alias of another unit',
  },
  CAMPAIGN_DUPLICATE: {
    'zh-CN': '{year} 年已有同名活动“{name}”',
    'en-US': 'A campaign named “{name}” already exists for {year}',
  },
  CAMPAIGN_NOT_DRAFT: {
    'zh-CN': '该活动已不是草稿状态，不能执行此操作',
    'en-US': 'The campaign is no longer a draft: this is not possible',
  },
  // campaign lifecycle, settings, tasks and instances (modules/campaigns service + tasks/)
  CAMPAIGN_NOT_ACTIVE: {
    'zh-CN': '只有进行中的活动可以关闭',
    'en-US': 'Only an active campaign can be closed',
  },
  CAMPAIGN_CLOSED: {
    'zh-CN': '该活动已关闭，不能再修改',
    'en-US': 'The campaign is closed and can no longer be changed',
  },
  CAMPAIGN_ACTIVITIES_WITHOUT_UNITS: {
    'zh-CN': '以下活动没有责任单位，请先指定：{numerals}',
    'en-US': 'These activities have no responsible unit; assign one first: {numerals}',
  },
  CAMPAIGN_INSTANCES_HAVE_REPORTS: {
    'zh-CN': '有 {count} 个任务实例已有进度报告，不能删除：请保留这些周期和责任单位',
    'en-US':
      '{count} task instances already have progress reports and cannot be removed: keep their cycles and units',
  },
  CAMPAIGN_WINDOW_EXCLUDES_TASKS: {
    'zh-CN': '有 {count} 项任务的期限超出新的活动期限，请先调整任务',
    'en-US': '{count} tasks lie outside the new window; change them first',
  },
  CAMPAIGN_TASK_DUE_BEFORE_START: {
    'zh-CN': '截止日期不能早于开始日期',
    'en-US': 'must not be before the start date',
  },
  CAMPAIGN_TASK_OUTSIDE_WINDOW: {
    'zh-CN': '应在活动期限 {from} 至 {to} 之内',
    'en-US': 'must lie within the campaign’s window, {from} to {to}',
  },
  CAMPAIGN_TARGET_QUANTITY: { 'zh-CN': '数量应大于 0', 'en-US': 'must be greater than 0' },
  CAMPAIGN_TARGET_WHOLE: {
    'zh-CN': '以“{measure}”计的数量应为整数',
    'en-US': 'a count in “{measure}” must be a whole number',
  },
  CAMPAIGN_TARGET_PERCENT: { 'zh-CN': '百分比不能超过 100', 'en-US': 'a percentage cannot exceed 100' },
  CAMPAIGN_RULE_FRACTION: {
    'zh-CN': '应为 0 与 1 之间的小数（不含 0 和 1）',
    'en-US': 'must be a fraction strictly between 0 and 1',
  },
  CAMPAIGN_RULE_ORANGE_ORDER: {
    'zh-CN': '橙色的剩余时间比例应小于黄色的',
    'en-US': 'must be less than the yellow time-left fraction',
  },
  CAMPAIGN_RULE_POINTS: { 'zh-CN': '应为 1 至 99 的整数', 'en-US': 'must be a whole number from 1 to 99' },
  CAMPAIGN_RULE_LAG_ORDER: {
    'zh-CN': '红色的落后点数应大于黄色的',
    'en-US': 'must be greater than the yellow lag',
  },
  CAMPAIGN_RULE_DAYS: { 'zh-CN': '应为不小于 0 的整数', 'en-US': 'must be a whole number, 0 or more' },
  CAMPAIGN_UNITS_EMPTY: { 'zh-CN': '请至少指定一个责任单位', 'en-US': 'choose at least one unit' },
  CAMPAIGN_UNIT_TWICE: {
    'zh-CN': '同一单位不能既牵头又配合',
    'en-US': 'a unit cannot be both lead and co-unit',
  },
  // half-year reports and exports (modules/campaigns/halfyear, modules/campaigns/exports)
  HALF_YEAR_DUPLICATE: {
    'zh-CN': '{unit}{period}的半年报告已存在',
    'en-US': 'The half-year report of {unit} for {period} already exists',
  },
  HALF_YEAR_CAMPAIGN_NOT_ACTIVE: {
    'zh-CN': '活动未在进行中，不能填报半年报告',
    'en-US': 'The campaign is not active: half-year reports cannot be written',
  },
  HALF_YEAR_NOT_EDITABLE: {
    'zh-CN': '只能修改草稿或被退回的报告',
    'en-US': 'Only a draft or returned report can be edited',
  },
  HALF_YEAR_PERIOD_OUTSIDE: {
    'zh-CN': '不在活动的起止时间内',
    'en-US': 'is outside the campaign’s dates',
  },
  HALF_YEAR_PERIOD_FUTURE: {
    'zh-CN': '该半年尚未开始',
    'en-US': 'has not begun yet',
  },
  HALF_YEAR_UNIT_NOT_IN_CAMPAIGN: {
    'zh-CN': '该单位不是本活动的责任单位',
    'en-US': 'is not a responsible unit of this campaign',
  },
  // progress ledger: reports, review, near-duplicate evidence (modules/campaigns/ledger)
  LEDGER_NO_UNIT: {
    'zh-CN': '您的账号未归属任何单位，不能填报台账',
    'en-US': 'Your account belongs to no unit, so it cannot file ledger reports',
  },
  LEDGER_INSTANCE_NOT_FOUND: {
    'zh-CN': '所选任务不存在或不属于本单位',
    'en-US': 'A chosen task does not exist or is not your unit’s',
  },
  LEDGER_NOT_YOUR_REPORT: {
    'zh-CN': '只有报告所属单位的填报人员可以修改报告',
    'en-US': 'Only the reporters of the report’s unit may edit it',
  },
  LEDGER_NOT_EDITABLE: {
    'zh-CN': '报告当前为“{state}”，不能修改',
    'en-US': 'The report is “{state}” and cannot be edited',
  },
  LEDGER_NO_UNIT_APPROVAL: {
    'zh-CN': '本活动的报告无需单位负责人审核',
    'en-US': 'This campaign’s reports need no unit-head approval',
  },
  LEDGER_AWAITING_UNIT_APPROVAL: {
    'zh-CN': '报告尚待单位负责人审核，审核后方可审定',
    'en-US': 'The report still awaits its unit head’s approval',
  },
  LEDGER_CAMPAIGN_UNKNOWN: {
    'zh-CN': '活动不存在或不在您的范围内',
    'en-US': 'unknown campaign, or outside your scope',
  },
  LEDGER_INSTANCE_UNKNOWN: {
    'zh-CN': '任务不存在或不属于本单位',
    'en-US': 'unknown task, or not your unit’s',
  },
  LEDGER_INSTANCE_TWICE: { 'zh-CN': '同一任务只能选一次', 'en-US': 'this task is chosen twice' },
  LEDGER_INSTANCE_OTHER_CAMPAIGN: {
    'zh-CN': '该任务属于其他活动',
    'en-US': 'this task belongs to another campaign',
  },
  LEDGER_AMOUNTS_LENGTH: {
    'zh-CN': '应为每项目标填写一个数，共 {count} 个',
    'en-US': 'give one number per target: {count} in all',
  },
  LEDGER_AMOUNT_NEGATIVE: { 'zh-CN': '不能为负数', 'en-US': 'must not be negative' },
  LEDGER_AMOUNT_PERCENT: { 'zh-CN': '百分比不能超过 100', 'en-US': 'a percentage cannot exceed 100' },
  LEDGER_AMOUNT_WHOLE: {
    'zh-CN': '以“{measure}”计，应为整数',
    'en-US': 'counted in “{measure}”: must be a whole number',
  },
  LEDGER_AMOUNT_TOO_LARGE: { 'zh-CN': '不能超过 {max}', 'en-US': 'must be at most {max}' },
  // campaign supervision: 催办 / 督办单 / 约谈 / 通报 (modules/campaigns/supervision)
  SUPERVISION_CAMPAIGN_NOT_ACTIVE: {
    'zh-CN': '只能对进行中的活动催办、督办或约谈',
    'en-US': 'Reminders, supervision notices and interviews are for active campaigns only',
  },
  SUPERVISION_CAMPAIGN_DRAFT: {
    'zh-CN': '活动尚未部署，没有可通报的任务',
    'en-US': 'The campaign has not been deployed yet: there is nothing to report on',
  },
  'supervision.targetRequired': {
    'zh-CN': '请选择任务或单位（二选一）',
    'en-US': 'choose either tasks or units',
  },
  'supervision.unknownInstance': {
    'zh-CN': '任务不存在或不属于本活动',
    'en-US': 'unknown task, or not of this campaign',
  },
  'supervision.instanceOtherUnit': {
    'zh-CN': '任务不属于所选单位',
    'en-US': 'this task is not the chosen unit’s',
  },
  'supervision.unitNotInCampaign': {
    'zh-CN': '该单位在本活动中没有任务',
    'en-US': 'this unit has no task in this campaign',
  },
  'supervision.dateInPast': { 'zh-CN': '不能早于今天', 'en-US': 'must not be before today' },
  'supervision.dateInFuture': { 'zh-CN': '不能晚于今天', 'en-US': 'must not be after today' },
  'supervision.blank': { 'zh-CN': '不能为空白', 'en-US': 'must not be blank' },
  // case abuse/moderation: intake checks, hidden cases and photos, ban list (modules/cases/abuse, moderation)
  CASE_BANNED: {
    'zh-CN': '暂时无法受理您提交的诉求，如有疑问请联系文明办',
    'en-US': 'We cannot accept reports from you at the moment; please contact the civilization office',
  },
  CASE_REJECTED: {
    'zh-CN': '提交未成功，请刷新页面后重新填写',
    'en-US': 'The report could not be submitted; reload the page and fill it in again',
  },
  CASE_OUT_OF_AREA: {
    'zh-CN': '该位置不在本辖区范围内',
    'en-US': 'this place lies outside our jurisdiction',
  },
  CASE_BAN_EXISTS: {
    'zh-CN': '该手机号或 IP 地址已在禁止名单中',
    'en-US': 'This phone number or IP address is already banned',
  },
  CASE_BAN_NOT_ACTIVE: {
    'zh-CN': '该禁止已解除或已到期',
    'en-US': 'This ban has already been lifted or has ended',
  },
  'caseBan.phoneOrIp': {
    'zh-CN': '请填写手机号或 IP 地址（二选一）',
    'en-US': 'give either a phone number or an IP address',
  },
  'caseBan.ipInvalid': { 'zh-CN': '不是有效的 IP 地址', 'en-US': 'is not a valid IP address' },
  'caseBan.untilPast': { 'zh-CN': '应晚于现在', 'en-US': 'must be in the future' },
  // case statistics, circulars and the public board (modules/cases/stats)
  'caseStats.periodOrder': {
    'zh-CN': '结束日期不能早于开始日期',
    'en-US': 'must not be before the start date',
  },
  // 12345 hotline import, Open311 GeoReport v2 and API keys (modules/cases/hotline, modules/cases/open311, modules/apikeys)
  CASE_IMPORT_EMPTY: { 'zh-CN': '文件中没有数据行', 'en-US': 'The file has no data rows' },
  CASE_IMPORT_TOO_MANY_ROWS: {
    'zh-CN': '文件有 {count} 行，一次最多导入 {limit} 行，请拆分后导入',
    'en-US': 'The file has {count} rows; at most {limit} rows per import, split it',
  },
  CASE_IMPORT_HEADERS_MISSING: {
    'zh-CN': '表头与字段映射不符，缺少列：{headers}',
    'en-US': 'The header row does not match the mapping; missing columns: {headers}',
  },
  OPEN311_API_KEY: {
    'zh-CN': 'api_key 缺失、无效或已吊销',
    'en-US': 'The api_key is missing, invalid or revoked',
  },
  OPEN311_FORMAT: {
    'zh-CN': '不支持格式“{format}”，仅支持 .json',
    'en-US': 'Format "{format}" is not supported; use .json',
  },
  OPEN311_IDEMPOTENCY_KEY_REUSED: {
    'zh-CN': '该 Idempotency-Key 已用于内容不同的一次提交，请为新的诉求使用新的键',
    'en-US': 'This Idempotency-Key was used for a request with other fields; use a new key for a new request',
  },
  OPEN311_SERVICE_UNKNOWN: { 'zh-CN': '服务代码 {code} 不存在', 'en-US': 'No service with code {code}' },
  OPEN311_REQUEST_UNKNOWN: {
    'zh-CN': '诉求 {id} 不存在或未公开',
    'en-US': 'Service request {id} does not exist or is not public',
  },
  'open311.serviceCode': { 'zh-CN': '服务代码 {code} 不存在', 'en-US': 'no service with code {code}' },
  'open311.location': {
    'zh-CN': '请提供 lat/long 或 address_string',
    'en-US': 'give lat/long or address_string',
  },
  'open311.phone': {
    'zh-CN': '请填写 11 位手机号或带区号的固定电话',
    'en-US': 'must be an 11-digit mobile number or a landline with its area code',
  },
  'open311.noticeReceived': {
    'zh-CN': '已受理，编号 {no}，等待派单',
    'en-US': 'Received as {no}, waiting to be dispatched',
  },
  'open311.noticeDispatched': {
    'zh-CN': '已受理，编号 {no}，已派至{unit}',
    'en-US': 'Received as {no} and dispatched to {unit}',
  },
  'hotline.noRows': { 'zh-CN': '表头下没有数据', 'en-US': 'no rows under the header' },
  'hotline.missingHeaders': { 'zh-CN': '缺少列：{headers}', 'en-US': 'missing columns: {headers}' },
  'hotline.orderNo': {
    'zh-CN': '工单编号只能包含字母、数字和 - _ / .，最多 64 位',
    'en-US': 'letters, digits and - _ / . only, at most 64 characters',
  },
  'hotline.time': {
    'zh-CN': '无法识别的时间“{value}”（示例：2026-03-01 09:30）',
    'en-US': 'unreadable time "{value}" (e.g. 2026-03-01 09:30)',
  },
  'hotline.timeInFuture': { 'zh-CN': '时间晚于当前时间', 'en-US': 'is in the future' },
  'hotline.category': {
    'zh-CN': '诉求类型“{value}”不在映射表中，且未设置默认类别',
    'en-US': 'category "{value}" is not in the value table and there is no default',
  },
  'hotline.categoryCode': { 'zh-CN': '类别代码 {code} 不存在', 'en-US': 'no category with code {code}' },
  'hotline.township': {
    'zh-CN': '乡镇“{value}”不存在（可在组织机构中添加别名）',
    'en-US': 'unknown township "{value}" (add an alias in the organisation)',
  },
  'hotline.townshipAmbiguous': {
    'zh-CN': '“{value}”对应多个单位，请写全称',
    'en-US': '"{value}" matches several units; use the full name',
  },
  'hotline.phone': {
    'zh-CN': '不是有效的电话号码（11 位手机号，或带区号的固定电话）',
    'en-US': 'not a valid phone number (an 11-digit mobile number, or a landline with its area code)',
  },
  'hotline.duplicate': {
    'zh-CN': '与第 {row} 行的工单编号重复',
    'en-US': 'the same order number as row {row}',
  },
  'hotline.concurrent': {
    'zh-CN': '该工单正被另一次导入处理，请稍后重试',
    'en-US': 'another import is handling this order; retry later',
  },
  // field-level validation messages
  'field.required': { 'zh-CN': '必填', 'en-US': 'is required' },
  'field.type': { 'zh-CN': '类型应为 {type}', 'en-US': 'must be of type {type}' },
  'field.minLength': { 'zh-CN': '至少 {limit} 个字符', 'en-US': 'must have at least {limit} characters' },
  'field.maxLength': { 'zh-CN': '最多 {limit} 个字符', 'en-US': 'must have at most {limit} characters' },
  'field.minimum': { 'zh-CN': '不能小于 {limit}', 'en-US': 'must be at least {limit}' },
  'field.maximum': { 'zh-CN': '不能大于 {limit}', 'en-US': 'must be at most {limit}' },
  'field.pattern': { 'zh-CN': '格式不正确', 'en-US': 'has the wrong format' },
  'field.format': { 'zh-CN': '格式不正确（{format}）', 'en-US': 'must be a valid {format}' },
  'field.enum': { 'zh-CN': '取值应为：{values}', 'en-US': 'must be one of: {values}' },
  'field.minItems': { 'zh-CN': '至少 {limit} 项', 'en-US': 'must have at least {limit} items' },
  'field.maxItems': { 'zh-CN': '最多 {limit} 项', 'en-US': 'must have at most {limit} items' },
  'field.uniqueItems': { 'zh-CN': '不能有重复项', 'en-US': 'must not contain duplicates' },
  'field.invalid': { 'zh-CN': '取值无效', 'en-US': 'is invalid' },
  'form.malformed': {
    'zh-CN': '表单格式不正确或不完整',
    'en-US': 'is not a complete multipart form',
  },
  'form.fileTooLarge': { 'zh-CN': '文件不能超过 {limit} MB', 'en-US': 'must be at most {limit} MB' },
  'form.tooManyFiles': { 'zh-CN': '最多 {limit} 个文件', 'en-US': 'takes at most {limit} files' },
  'form.tooManyFields': {
    'zh-CN': '表单最多 {limit} 个字段',
    'en-US': 'the form takes at most {limit} fields',
  },
  'form.fieldTooLarge': { 'zh-CN': '不能超过 {limit} 字节', 'en-US': 'must be at most {limit} bytes' },
  'field.unknownUnit': {
    'zh-CN': '单位不存在或不在您的管理范围内',
    'en-US': 'unknown unit, or outside your scope',
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageCode = keyof typeof MESSAGES;

export function hasMessage(code: string): code is MessageCode {
  return Object.hasOwn(MESSAGES, code);
}

/** A parameter that reads differently per language (e.g. a workflow state's name). */
export type Localized = Record<Lang, string>;

function isLocalized(v: unknown): v is Localized {
  return typeof v === 'object' && v !== null && 'zh-CN' in v && 'en-US' in v;
}

export function message(code: MessageCode, lang: Lang, params: Record<string, unknown> = {}): string {
  const template: string = MESSAGES[code][lang];
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (!(k in params)) return `{${k}}`;
    const v = params[k];
    return isLocalized(v) ? v[lang] : String(v);
  });
}

/** The caller's language: the `lang` cookie set by the UI, else Accept-Language, else Chinese. */
export function pickLang(cookieLang: string | undefined, acceptLanguage: string | undefined): Lang {
  if (cookieLang === 'en-US' || cookieLang === 'zh-CN') return cookieLang;
  if (acceptLanguage) {
    const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
    if (first.startsWith('en')) return 'en-US';
  }
  return 'zh-CN';
}

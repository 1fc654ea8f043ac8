/** Column types as stored: ids are UUIDv7 text, timestamps UTC ISO text, JSON as text, booleans 0/1 or bool. */
export type Bool = boolean | number;

export interface OrgUnitTable {
  id: string;
  parent_id: string | null;
  /** Materialised path of ids, '/root/child/self/', for subtree scoping with one LIKE. */
  path: string;
  depth: number;
  name: string;
  short_name: string | null;
  type: string;
  region_code: string | null;
  sort: number;
  created_at: string;
  updated_at: string;
}

export interface OrgAliasTable {
  alias: string;
  unit_id: string;
  created_at: string;
}

export interface OrgGroupTable {
  id: string;
  name: string;
  description: string | null;
  /** Other spellings of the group name used in plans, JSON array of strings. */
  aliases: string;
  created_at: string;
  updated_at: string;
}

export interface OrgGroupMemberTable {
  group_id: string;
  unit_id: string;
}

export interface UserTable {
  id: string;
  username: string | null;
  display_name: string;
  /** Position (职务), e.g. 组长, 联络员. */
  title: string | null;
  unit_id: string | null;
  kind: string;
  data_scope: string;
  status: string;
  password_hash: string | null;
  must_change_password: Bool;
  failed_logins: number;
  locked_until: string | null;
  phone_enc: string | null;
  phone_hash: string | null;
  id_card_enc: string | null;
  id_card_hash: string | null;
  totp_secret_enc: string | null;
  totp_enabled: Bool;
  /** The last accepted TOTP time step: a code is never accepted twice. */
  totp_last_step: number | null;
  password_changed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserRoleTable {
  user_id: string;
  role: string;
}

export interface SessionTable {
  /** sha256 of the cookie token: a stolen database does not yield live sessions. */
  id: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface OtpCodeTable {
  id: string;
  phone_hash: string;
  code_hash: string;
  ip: string | null;
  attempts: number;
  used: Bool;
  created_at: string;
  expires_at: string;
}

export interface AuditLogTable {
  seq: number;
  id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

export interface CalendarYearTable {
  year: number;
  /** Where the arrangement comes from, e.g. the State Council notice number. */
  source: string | null;
  updated_at: string;
}

export interface CalendarDayTable {
  /** YYYY-MM-DD in Asia/Shanghai. */
  date: string;
  /** 'holiday' (a day off that would be a working day) or 'workday' (调休: a weekend day worked). */
  kind: string;
  name: string;
  updated_at: string;
}

export interface FileTable {
  id: string;
  /** Content address of the original bytes (hex). */
  sha256: string;
  size: number;
  mime: string;
  /** 'image' | 'video' | 'pdf' | 'office' */
  kind: string;
  original_name: string;
  uploaded_by: string | null;
  uploaded_at: string;
  width: number | null;
  height: number | null;
  /** EXIF capture time as recorded by the camera (ISO, no zone when the camera gave none). */
  taken_at: string | null;
  gps_lat: number | null;
  gps_lng: number | null;
  /** 64-bit difference hash, 16 hex digits (images only). */
  dhash: string | null;
  thumb_sha256: string | null;
  /** The EXIF-stripped copy served on public boards. */
  public_sha256: string | null;
  /** 'done' (thumbnail, dHash, EXIF read) | 'pending' (a worker will analyse it) | 'failed' (not decodable). */
  analysis: string;
}

export interface FileLinkTable {
  file_id: string;
  record_type: string;
  record_id: string;
  linked_by: string | null;
  linked_at: string;
}

export interface WorkflowHistoryTable {
  id: string;
  record_type: string;
  record_id: string;
  /** 1, 2, 3 … per record; unique, so two racing transitions cannot both write step n. */
  seq: number;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_unit_id: string | null;
  from_state: string | null;
  action: string;
  to_state: string;
  note: string | null;
  /** JSON object: the action's payload. */
  payload: string;
  /** JSON array of file ids. */
  attachments: string;
}

export interface DeadlineTable {
  id: string;
  record_type: string;
  record_id: string;
  /** The SLA policy name, e.g. '13710'. */
  policy: string;
  /** The policy's deadline, e.g. 'acknowledge', 'feedback', 'resolve'. */
  kind: string;
  /** The unit that must act: reminders go to it, escalation to its parent. */
  unit_id: string | null;
  /** 'open' | 'met' | 'cancelled' */
  status: string;
  starts_at: string;
  due_at: string;
  original_due_at: string;
  /** Incremented when an approved extension moves the deadline; stages fire again for the new date. */
  round: number;
  /** Index of the next escalation stage to fire. */
  stage: number;
  next_fire_at: string | null;
  met_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeadlineEventTable {
  id: string;
  deadline_id: string;
  record_type: string;
  record_id: string;
  unit_id: string | null;
  /** 'reminder' | 'overdue' | 'escalation' | 'supervision' | 'circular' */
  kind: string;
  round: number;
  stage: number;
  at: string;
  due_at: string;
  working_days_late: number;
  details: string;
}

export interface DeadlineExtensionTable {
  id: string;
  deadline_id: string;
  record_type: string;
  record_id: string;
  /** 'pending' | 'approved' | 'rejected' */
  status: string;
  old_due_at: string;
  requested_due_at: string;
  reason: string;
  requested_by: string | null;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

export interface SchedulerJobTable {
  name: string;
  next_run_at: string;
  /** The process holding the job's lease, and until when: a job runs in one process at a time. */
  lease_owner: string | null;
  lease_until: string | null;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_status: string | null;
  last_error: string | null;
  updated_at: string;
}

export interface SchedulerRunTable {
  id: string;
  job: string;
  owner: string;
  started_at: string;
  finished_at: string | null;
  /** 'running' | 'ok' | 'failed' */
  status: string;
  details: string;
  error: string | null;
}

export interface NotificationTable {
  id: string;
  user_id: string;
  /** Selects the message template (rendered in the reader's language). */
  kind: string;
  /** JSON object: the template's parameters (e.g. the matter's number and title). */
  params: string;
  record_type: string | null;
  record_id: string | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPrefTable {
  user_id: string;
  /** A notification kind, or '*' for all kinds. */
  kind: string;
  /** 'sms' | 'wecom' | 'dingtalk' (the in-app inbox is always on). */
  channel: string;
  enabled: Bool;
}

export interface NotifyWebhookTable {
  id: string;
  name: string;
  /** 'wecom' | 'dingtalk' */
  channel: string;
  /** The unit whose group the robot posts to; null: the office's own group. */
  unit_id: string | null;
  /** The webhook URL carries its key: encrypted like personal data. */
  url_enc: string;
  /** DingTalk's signing secret (加签), encrypted like the URL; null when the robot does not sign. */
  secret_enc: string | null;
  enabled: Bool;
  created_at: string;
  updated_at: string;
}

/** The outbox of external channels: written in the transaction, sent after it commits. */
export interface NotificationDeliveryTable {
  id: string;
  notification_id: string | null;
  /** 'sms' | 'wecom' | 'dingtalk' */
  channel: string;
  user_id: string | null;
  webhook_id: string | null;
  /** Masked phone number or webhook name: never the secret itself. */
  target: string;
  /** The rendered message (zh-CN). */
  text: string;
  /** 'pending' | 'sending' (claimed by a sender until next_attempt_at) | 'sent' | 'failed' (gave up) */
  status: string;
  attempts: number;
  error: string | null;
  created_at: string;
  sent_at: string | null;
  /** pending: not before this instant (retry backoff); sending: the claim's lease ends; else null. */
  next_attempt_at: string | null;
}

export interface NoticeTable {
  id: string;
  title: string;
  body: string;
  sender_id: string | null;
  sender_unit_id: string | null;
  require_ack: Bool;
  ack_due_at: string | null;
  /** The record the notice belongs to (e.g. a campaign deployment), if any. */
  record_type: string | null;
  record_id: string | null;
  created_at: string;
}

export interface NoticeRecipientTable {
  notice_id: string;
  unit_id: string;
  first_read_at: string | null;
  first_read_by: string | null;
  acked_at: string | null;
  acked_by: string | null;
  ack_note: string | null;
}

export interface MatterTable {
  id: string;
  /** Human reference, e.g. JB-2026-0007. */
  no: string;
  title: string;
  content: string;
  /** 'ordinary' (7 working days) | 'major' (1 month) */
  level: string;
  source: string | null;
  assignee_unit_id: string;
  assigner_unit_id: string | null;
  created_by: string | null;
  state: string;
  /** Optimistic lock for workflow transitions. */
  version: number;
  /** 'green' | 'yellow' | 'red' from the open deadlines. */
  sla_color: string;
  due_at: string | null;
  acknowledged_at: string | null;
  first_feedback_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Version counters of the in-process caches, bumped by triggers (migration 003, decision 0006). */
export interface CacheVersionTable {
  name: string;
  /** bigint on PostgreSQL (read as a string there): read it through normalize.int. */
  version: number;
}

/** Campaigns (issue #4, migration 004): a plan saved with its phases, sections and activities. */
export interface CampaignTable {
  id: string;
  name: string;
  year: number;
  doc_no: string | null;
  issued_on: string | null;
  /** The plan's text as imported (the activities' source_lines index its lines). */
  source_text: string;
  /** 'draft' | 'active' | 'closed' */
  status: string;
  /** The campaign's window (tasks default to it); null until set (import takes the phases' range). */
  starts_on: string | null;
  ends_on: string | null;
  /** JSON of the campaign's colour rules (modules/campaigns/colors/rules.ts); null = the default set. */
  color_rules: string | null;
  /** Reports go to the unit head before the office. bool: 0/1 on SQLite. */
  requires_unit_approval: Bool;
  /** The campaign this one was copied from (copy to next year). */
  copied_from: string | null;
  activated_at: string | null;
  closed_at: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface CampaignPhaseTable {
  id: string;
  campaign_id: string;
  seq: number;
  name: string;
  starts_on: string | null;
  ends_on: string | null;
}

export interface CampaignSectionTable {
  id: string;
  campaign_id: string;
  seq: number;
  numeral: string;
  title: string;
}

export interface CampaignActivityTable {
  id: string;
  campaign_id: string;
  section_id: string;
  parent_id: string | null;
  /** Order within the campaign (document order, children after their parent). */
  seq: number;
  numeral: string;
  name: string;
  description: string;
  /** The parser's cadence kind (monthly, quarterly …), null for once. */
  cadence: string | null;
  deadline_text: string | null;
  deadline_on: string | null;
  weight: number;
  /** JSON array of the parser's targets. */
  targets: string;
  /** JSON array of 1-based source line numbers. */
  source_lines: string;
}

export interface CampaignActivityUnitTable {
  activity_id: string;
  unit_id: string;
  /** 'lead' | 'co' */
  role: string;
}

/** A task under an activity (migration 005). The activity's lead/co units are its responsible units. */
export interface CampaignTaskTable {
  id: string;
  campaign_id: string;
  activity_id: string;
  seq: number;
  title: string;
  description: string;
  /** 'once' | 'monthly' | 'quarterly' | 'half_yearly' | 'yearly' */
  cadence: string;
  starts_on: string;
  /** Last day of the task (once) or of its last cycle. */
  due_on: string;
  weight: number;
  /** JSON array of { label, quantity, measure }: quantified targets per cycle and unit. */
  targets: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One task for one responsible unit in one cycle: the cell of the ledger that gets a colour. */
export interface TaskInstanceTable {
  id: string;
  campaign_id: string;
  task_id: string;
  activity_id: string;
  unit_id: string;
  /** 'lead' | 'co' */
  role: string;
  /** 'once', '2026', '2026-H1', '2026-Q3', '2026-07' */
  cycle: string;
  starts_on: string;
  due_on: string;
  /** 'green' | 'blue' | 'yellow' | 'orange' | 'red' */
  color: string;
  /** JSON { code, params }: rendered as a sentence in the reader's language. */
  color_reason: string;
  color_at: string;
  /** Percent of the targets met by accepted reports (0–100, capped). */
  progress: number;
  /** JSON array: accepted amounts per target index. */
  amounts: string;
  accepted_reports: number;
  /** Reports submitted (or unit-approved) and waiting for review. */
  pending_reports: number;
  /** When a report was last returned and not yet resubmitted. */
  returned_at: string | null;
  /** The day the instance was completed (accepted reports met the targets). */
  done_on: string | null;
  version: number;
}

export interface TaskInstanceColorTable {
  id: string;
  instance_id: string;
  at: string;
  previous: string | null;
  color: string;
  /** JSON { code, params } */
  reason: string;
  /** 'review' | 'sweep' | 'edit' | 'create' */
  cause: string;
  /** 1 while the colour hooks (supervision) have not run for this change: set by the sweep, see recolor.ts. */
  hooks_pending: number | null;
}

/** A progress report of one unit; it counts toward every instance it is linked to (items). */
export interface LedgerReportTable {
  id: string;
  campaign_id: string;
  unit_id: string;
  author_id: string | null;
  /** 'draft' | 'submitted' | 'unit_approved' | 'accepted' | 'returned' */
  state: string;
  /** The workflow engine's SLA colour (no deadlines are kept: always 'green'). */
  sla_color: string;
  summary: string;
  /** Evidence images that nearly match images of other reports. */
  similar_flags: number;
  submitted_at: string | null;
  approved_by: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  return_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface LedgerReportItemTable {
  report_id: string;
  instance_id: string;
  /** JSON array of numbers, one per target of the instance's task. */
  amounts: string;
}

export interface LedgerReportFlagTable {
  report_id: string;
  file_id: string;
  other_report_id: string;
  other_file_id: string;
  /** Hamming distance of the dHashes (0 = the same picture). */
  distance: number;
}

/** 催办 (reminder), 督办单 (order), 约谈 (interview), 通报 (circular) of a campaign. */
export interface SupervisionRecordTable {
  id: string;
  campaign_id: string;
  instance_id: string | null;
  unit_id: string | null;
  /** 'reminder' | 'order' | 'interview' | 'circular' */
  kind: string;
  /** DB-YYYY-NNNN for orders, TB-YYYY-NNNN for circulars. */
  number: string | null;
  body: string;
  /** JSON: interview (when, who, attendees, notes), circular (counts), automatic trigger (color, reason). */
  details: string;
  /** The generated document (circular .docx). */
  file_id: string | null;
  /** null when the sweep created it. */
  created_by: string | null;
  created_at: string;
}

/** 每半年报告: 进展成效 / 经验做法 / 存在问题 / 下步打算, pre-filled with ledger statistics. */
export interface HalfYearReportTable {
  id: string;
  campaign_id: string;
  unit_id: string;
  /** '2026-H1' | '2026-H2' */
  period: string;
  /** 'draft' | 'submitted' | 'accepted' | 'returned' */
  state: string;
  /** The workflow engine's SLA colour (no deadlines are kept: always 'green'). */
  sla_color: string;
  progress_text: string;
  practices: string;
  problems: string;
  plans: string;
  /** JSON of the ledger statistics at the time of writing. */
  stats: string;
  author_id: string | null;
  submitted_at: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  return_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** Named counters for document numbers, e.g. 'case:SP:2026' (migration 006). */
export interface SequenceTable {
  name: string;
  value: number;
}

/** Citizen case categories (issue #5, migration 006), each with an SLA class. */
export interface CaseCategoryTable {
  id: string;
  /** Stable code, also the Open311 service_code, e.g. 'traffic'. */
  code: string;
  name_zh: string;
  name_en: string;
  description: string;
  /** 'emergency' (2 hours) | 'ordinary' (7 working days) | 'complex' (15 working days) */
  sla_class: string;
  photo_required: boolean | number;
  /** Answers are checked by the office (已答复) before the citizen rates them (待评价). */
  answer_review: boolean | number;
  /** Cases of this category may be shown on the public board and followed. */
  public: boolean | number;
  active: boolean | number;
  sort: number;
  created_at: string;
  updated_at: string;
}

/** Category + area → responsible unit. Null category or area: any. The most specific rule wins. */
export interface CaseRoutingRuleTable {
  id: string;
  category_id: string | null;
  area_unit_id: string | null;
  unit_id: string;
  note: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** 文明随手拍 / 群众说事 / 12345 order / Open311 request: one closed loop on the workflow engine. */
export interface CaseTable {
  id: string;
  /** SP-2026-000001 (随手拍), SS-… (说事), RX-… (12345), OP-… (Open311). */
  no: string;
  /** 'snapshot' (随手拍) | 'talk' (说事) */
  kind: string;
  /** 'h5' | 'console' | 'hotline' | 'open311' */
  channel: string;
  /** Who the citizen addressed: 'village' | 'township' | 'county'; raised by escalation. */
  level: string;
  category_id: string;
  sla_class: string;
  answer_review: boolean | number;
  title: string;
  description: string;
  address: string;
  lat: number | null;
  lng: number | null;
  /** Township or village where it happened. */
  area_unit_id: string | null;
  reporter_id: string | null;
  /** The reporter's name is shown to nobody but the office. */
  anonymous: boolean | number;
  contact_name: string | null;
  contact_phone_enc: string | null;
  contact_phone_hash: string | null;
  ip: string | null;
  /** 首接负责: the first unit that received the case. */
  first_unit_id: string | null;
  /** The unit responsible now; null while only the office holds it. */
  unit_id: string | null;
  /** The unit that sent it back to dispatch (退回), until the office decides. */
  returned_by_unit_id: string | null;
  state: string;
  version: number;
  sla_color: string;
  due_at: string | null;
  /** The latest answer to the citizen. */
  answer: string | null;
  rating: number | null;
  rating_comment: string | null;
  reopen_count: number;
  duplicate_of: string | null;
  public: boolean | number;
  hidden: boolean | number;
  hidden_reason: string | null;
  /** The office's verdict on the report (valid → points event); null until judged. */
  valid: boolean | number | null;
  follower_count: number;
  /** '12345' for hotline orders, the API key's id for Open311; with external_no unique. */
  external_source: string | null;
  external_no: string | null;
  /** Hash of the imported row's mapped values: an unchanged re-import changes nothing. */
  external_hash: string | null;
  dispatched_at: string | null;
  signed_at: string | null;
  answered_at: string | null;
  rated_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CaseRatingTable {
  id: string;
  case_id: string;
  /** 1 for the first answer, 2 after the first redo… */
  round: number;
  /** The unit whose answer was rated. */
  unit_id: string | null;
  score: number;
  comment: string;
  /** The citizen, or the office recording a hotline callback (回访). */
  rated_by: string | null;
  created_at: string;
}

export interface CaseFollowTable {
  case_id: string;
  user_id: string;
  created_at: string;
}

export interface CaseHiddenFileTable {
  case_id: string;
  file_id: string;
  reason: string;
  hidden_by: string | null;
  created_at: string;
}

export interface CaseBanTable {
  id: string;
  phone_hash: string | null;
  phone_masked: string | null;
  ip: string | null;
  reason: string;
  /** Null: until lifted. */
  until: string | null;
  created_by: string | null;
  created_at: string;
  lifted_at: string | null;
}

/** The column mapping of an import source ('12345'), saved once. */
export interface CaseImportMappingTable {
  source: string;
  /** JSON: field → column header. */
  mapping: string;
  updated_by: string | null;
  updated_at: string;
}

export interface CaseImportTable {
  id: string;
  source: string;
  file_id: string | null;
  filename: string;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** JSON: per row { row, orderNo, outcome, caseId?, errors? }. */
  rows: string;
  imported_by: string | null;
  created_at: string;
}

/** Keys for other systems (Open311 writers). Only the hash is stored; the key is shown once. */
export interface ApiKeyTable {
  id: string;
  name: string;
  /** The first characters, to recognise a key in lists. */
  prefix: string;
  key_hash: string;
  /** JSON array, e.g. ["open311:write"]. */
  scopes: string;
  /** The unit the key's cases are attributed to (reported via), if any. */
  unit_id: string | null;
  /** The service account the key acts as (kind 'service'): history and audit name it. */
  user_id: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Facts recorded for consumers that may come later (e.g. 'case.valid' → the points ledger). */
export interface DomainEventTable {
  id: string;
  type: string;
  subject_type: string;
  subject_id: string;
  /** The person the event is about (e.g. the reporter to credit). */
  user_id: string | null;
  payload: string;
  created_at: string;
  consumed_at: string | null;
}

export interface DB {
  org_units: OrgUnitTable;
  org_aliases: OrgAliasTable;
  org_groups: OrgGroupTable;
  org_group_members: OrgGroupMemberTable;
  users: UserTable;
  user_roles: UserRoleTable;
  sessions: SessionTable;
  otp_codes: OtpCodeTable;
  audit_log: AuditLogTable;
  calendar_years: CalendarYearTable;
  calendar_days: CalendarDayTable;
  files: FileTable;
  file_links: FileLinkTable;
  workflow_history: WorkflowHistoryTable;
  deadlines: DeadlineTable;
  deadline_events: DeadlineEventTable;
  deadline_extensions: DeadlineExtensionTable;
  scheduler_jobs: SchedulerJobTable;
  scheduler_runs: SchedulerRunTable;
  notifications: NotificationTable;
  notification_prefs: NotificationPrefTable;
  notify_webhooks: NotifyWebhookTable;
  notification_deliveries: NotificationDeliveryTable;
  notices: NoticeTable;
  notice_recipients: NoticeRecipientTable;
  matters: MatterTable;
  cache_versions: CacheVersionTable;
  campaigns: CampaignTable;
  campaign_phases: CampaignPhaseTable;
  campaign_sections: CampaignSectionTable;
  campaign_activities: CampaignActivityTable;
  campaign_activity_units: CampaignActivityUnitTable;
  campaign_tasks: CampaignTaskTable;
  task_instances: TaskInstanceTable;
  task_instance_colors: TaskInstanceColorTable;
  ledger_reports: LedgerReportTable;
  ledger_report_items: LedgerReportItemTable;
  ledger_report_flags: LedgerReportFlagTable;
  supervision_records: SupervisionRecordTable;
  half_year_reports: HalfYearReportTable;
  sequences: SequenceTable;
  case_categories: CaseCategoryTable;
  case_routing_rules: CaseRoutingRuleTable;
  cases: CaseTable;
  case_ratings: CaseRatingTable;
  case_follows: CaseFollowTable;
  case_hidden_files: CaseHiddenFileTable;
  case_bans: CaseBanTable;
  case_import_mappings: CaseImportMappingTable;
  case_imports: CaseImportTable;
  api_keys: ApiKeyTable;
  domain_events: DomainEventTable;
}

/**
 * Tables in dependency order (parents first): used by export/import and test cleanup. Not
 * cache_versions: it holds no data, and every database keeps its own counters.
 */
export const TABLES: (keyof DB)[] = [
  'org_units',
  'org_aliases',
  'org_groups',
  'org_group_members',
  'users',
  'user_roles',
  'sessions',
  'otp_codes',
  'audit_log',
  'calendar_years',
  'calendar_days',
  'files',
  'file_links',
  'workflow_history',
  'deadlines',
  'deadline_events',
  'deadline_extensions',
  'scheduler_jobs',
  'scheduler_runs',
  'notifications',
  'notification_prefs',
  'notify_webhooks',
  'notification_deliveries',
  'notices',
  'notice_recipients',
  'matters',
  'campaigns',
  'campaign_phases',
  'campaign_sections',
  'campaign_activities',
  'campaign_activity_units',
  'campaign_tasks',
  'task_instances',
  'task_instance_colors',
  'ledger_reports',
  'ledger_report_items',
  'ledger_report_flags',
  'supervision_records',
  'half_year_reports',
  'sequences',
  'case_categories',
  'case_routing_rules',
  'cases',
  'case_ratings',
  'case_follows',
  'case_hidden_files',
  'case_bans',
  'case_import_mappings',
  'case_imports',
  'api_keys',
  'domain_events',
];

/** Primary key columns per table, for deterministic ordering in export and checksums. */
export const PRIMARY_KEYS: Record<keyof DB, string[]> = {
  org_units: ['id'],
  org_aliases: ['alias'],
  org_groups: ['id'],
  org_group_members: ['group_id', 'unit_id'],
  users: ['id'],
  user_roles: ['user_id', 'role'],
  sessions: ['id'],
  otp_codes: ['id'],
  audit_log: ['seq'],
  calendar_years: ['year'],
  calendar_days: ['date'],
  files: ['id'],
  file_links: ['file_id', 'record_type', 'record_id'],
  workflow_history: ['id'],
  deadlines: ['id'],
  deadline_events: ['id'],
  deadline_extensions: ['id'],
  scheduler_jobs: ['name'],
  scheduler_runs: ['id'],
  notifications: ['id'],
  notification_prefs: ['user_id', 'kind', 'channel'],
  notify_webhooks: ['id'],
  notification_deliveries: ['id'],
  notices: ['id'],
  notice_recipients: ['notice_id', 'unit_id'],
  matters: ['id'],
  cache_versions: ['name'],
  campaigns: ['id'],
  campaign_phases: ['id'],
  campaign_sections: ['id'],
  campaign_activities: ['id'],
  campaign_activity_units: ['activity_id', 'unit_id', 'role'],
  campaign_tasks: ['id'],
  task_instances: ['id'],
  task_instance_colors: ['id'],
  ledger_reports: ['id'],
  ledger_report_items: ['report_id', 'instance_id'],
  ledger_report_flags: ['report_id', 'file_id', 'other_report_id'],
  supervision_records: ['id'],
  half_year_reports: ['id'],
  sequences: ['name'],
  case_categories: ['id'],
  case_routing_rules: ['id'],
  cases: ['id'],
  case_ratings: ['id'],
  case_follows: ['case_id', 'user_id'],
  case_hidden_files: ['case_id', 'file_id'],
  case_bans: ['id'],
  case_import_mappings: ['source'],
  case_imports: ['id'],
  api_keys: ['id'],
  domain_events: ['id'],
};

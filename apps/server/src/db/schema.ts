/** Column types as stored: ids are UUIDv7 text, timestamps UTC ISO text, JSON as text, booleans 0/1 or bool. */
type Bool = boolean | number;

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
}

/** Tables in dependency order (parents first): used by export/import and test cleanup. */
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
};

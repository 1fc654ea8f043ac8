import type { DataScope, Role } from './roles.ts';

/** Every error reply has this shape; `fields` names the offending input fields (JSON pointer-ish paths). */
export interface ApiError {
  error: {
    code: string;
    message: string;
    fields?: { field: string; message: string }[];
  };
}

export interface SessionUser {
  id: string;
  username: string | null;
  displayName: string;
  unitId: string | null;
  unitName: string | null;
  roles: Role[];
  permissions: string[];
  dataScope: DataScope;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  phone: string | null;
}

export interface LoginReply {
  user: SessionUser;
  csrfToken: string;
}

export interface UserView {
  id: string;
  username: string | null;
  displayName: string;
  /** Position (职务), e.g. 组长, 联络员. */
  title: string | null;
  unitId: string | null;
  unitName: string | null;
  roles: Role[];
  dataScope: DataScope;
  phone: string | null;
  idCard: string | null;
  status: 'active' | 'disabled';
  lockedUntil: string | null;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  hash: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

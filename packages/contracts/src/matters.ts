/** The assigned-matter (交办事项) workflow's states and actions. Shared by server (the machine) and web. */

export const MATTER_STATES = [
  'assigned',
  'in_progress',
  'resolved',
  'closed',
  'returned',
  'cancelled',
] as const;
export type MatterState = (typeof MATTER_STATES)[number];

/** Every action, in the order the web shows its buttons (the main one of each side first). */
export const MATTER_ACTIONS = [
  'acknowledge',
  'resolve',
  'feedback',
  'request_extension',
  'decline',
  'accept',
  'return',
  'approve_extension',
  'reject_extension',
  'reassign',
  'urge',
  'cancel',
] as const;
export type MatterAction = (typeof MATTER_ACTIONS)[number];

/** Deadline colors (green: on time, yellow: due soon, red: overdue). */
export const SLA_COLORS = ['green', 'yellow', 'red'] as const;
export type SlaColor = (typeof SLA_COLORS)[number];

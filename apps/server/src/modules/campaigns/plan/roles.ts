/** The attachment's leadership group and working groups (组长：… 成员：… 主要职责：…). */
import { type Heading, headingOf, type SourceLine } from './outline.ts';
import { firstSentence, nameKey } from './text.ts';
import type { RoleGroup, RoleMember, Roles } from './types.ts';
import type { UnitIndex } from './units.ts';

const POSITION = /^([组副常务执行第一成员秘书长主任召集人联络员办公室\s]{2,16}?)\s*[：:]\s*(.*)$/;
const POSITIONS = new Set([
  '组长',
  '第一组长',
  '执行组长',
  '常务副组长',
  '副组长',
  '成员',
  '秘书长',
  '副秘书长',
  '主任',
  '副主任',
  '办公室主任',
  '办公室副主任',
  '召集人',
  '副召集人',
  '联络员',
]);
const DUTIES = /^(?:主要职责|工作职责|职责|职责分工)\s*[：:]\s*(.*)$/;
/** Words of a post (市发改局党组书记) rather than a person's name. */
const POST_WORDS = /[市县区局部委办院所站镇乡处科]|书记|主任|主席|中心|公司/;
const NAME = /^[\u4e00-\u9fa5·]{2,4}$/;

/**
 * Parses the attachment lines (from the 附件 marker on). Lines it does not understand are returned as
 * unparsed; prose between groups goes to `notes` once at least one group has been recognised.
 */
export function parseRoles(
  lines: SourceLine[],
  index: UnitIndex,
): { roles: Roles | null; unparsed: SourceLine[] } {
  const roles: Roles = { title: null, leadershipGroup: null, workingGroups: [], notes: [], sourceLines: [] };
  const unparsed: SourceLine[] = [];
  const loose: SourceLine[] = [];
  let current: RoleGroup | null = null;
  let position: string | null = null;
  let dutiesOpen = false;
  let [marker, ...rest] = lines;
  if (!marker) return { roles: null, unparsed };
  roles.sourceLines.push(marker.no);
  const afterColon = marker.text.replace(/^附\s*件\s*[0-9一二三四五六七八九十]*\s*[：:]?\s*/, '');
  if (afterColon) roles.title = afterColon;
  else if (rest[0] && !headingOf(rest[0].text)) {
    roles.title = rest[0].text;
    roles.sourceLines.push(rest[0].no);
    [, ...rest] = rest;
  }

  const leadership = (): RoleGroup => {
    if (!roles.leadershipGroup) {
      const source = roles.title ?? '';
      const at = source.indexOf('领导小组');
      roles.leadershipGroup = {
        numeral: null,
        name: at >= 0 ? source.slice(0, at + 4) : '领导小组',
        members: [],
        duties: null,
        sourceLines: [],
      };
    }
    return roles.leadershipGroup;
  };

  for (const line of rest) {
    const h = headingOf(line.text);
    if (h) {
      const kind = headingKind(h);
      dutiesOpen = false;
      position = null;
      if (kind === 'working_group') {
        current = {
          numeral: h.numeral,
          name: firstSentence(h.rest).head,
          members: [],
          duties: null,
          sourceLines: [line.no],
        };
        roles.workingGroups.push(current);
        continue;
      }
      if (kind === 'leadership') {
        current = leadership();
        if (current.numeral === null) current.numeral = h.numeral;
        current.sourceLines.push(line.no);
        continue;
      }
      if (kind === 'groups_heading') {
        current = null;
        roles.sourceLines.push(line.no);
        continue;
      }
      unparsed.push(line);
      current = null;
      continue;
    }
    const pos = POSITION.exec(line.text);
    const label = pos ? nameKey(pos[1]) : '';
    if (pos && POSITIONS.has(label)) {
      current ??= leadership();
      position = label;
      dutiesOpen = false;
      current.members.push(...members(pos[2], position, line.no, index));
      current.sourceLines.push(line.no);
      continue;
    }
    const duties = DUTIES.exec(line.text);
    if (duties && current) {
      current.duties = duties[1];
      current.sourceLines.push(line.no);
      dutiesOpen = !/[。]$/.test(duties[1]);
      position = null;
      continue;
    }
    if (current && current.duties !== null && (dutiesOpen || /^[，,、；;]/.test(line.text))) {
      // A wrapped line of the duties (it did not end with 。, or this one starts with a comma).
      current.duties += line.text;
      current.sourceLines.push(line.no);
      dutiesOpen = !/[。]$/.test(line.text);
      continue;
    }
    if (current && position && !/[。；]/.test(line.text)) {
      const more = members(line.text, position, line.no, index);
      if (more.length) {
        current.members.push(...more);
        current.sourceLines.push(line.no);
        continue;
      }
    }
    loose.push(line);
  }

  const recognised = roles.leadershipGroup !== null || roles.workingGroups.length > 0;
  if (!recognised) return { roles: null, unparsed: lines };
  for (const l of loose) roles.notes.push({ line: l.no, text: l.text });
  return { roles, unparsed };
}

function headingKind(h: Heading): 'working_group' | 'leadership' | 'groups_heading' | null {
  const title = firstSentence(h.rest).head;
  if (/(组|专班)$/.test(title) && !/领导小组$/.test(title) && title.length <= 20) return 'working_group';
  if (/领导小组|委员会|指挥部/.test(title) && /名单|组成|成员/.test(title)) return 'leadership';
  if (/工作组|职责|分工/.test(title)) return 'groups_heading';
  if (/领导小组/.test(title)) return 'leadership';
  return null;
}

/**
 * The people on a line: "吴全通<TAB>市委副书记" (a name and a post in cells), or names only separated by
 * spaces, where a two-character name is often padded ("赵 巍").
 */
function members(text: string, position: string, line: number, index: UnitIndex): RoleMember[] {
  const cells = text
    .split(/\t+|\s{2,}|\u3000+/)
    .map((c) => c.trim())
    .filter(Boolean);
  if (cells.length === 0) return [];
  const member = (person: string, title: string | null): RoleMember => ({
    position,
    person,
    title,
    unit: title ? index.unitAtStart(title) : null,
    line,
  });
  if (cells.length >= 2 && POST_WORDS.test(cells[1]) && NAME.test(nameKey(cells[0])))
    return [member(nameKey(cells[0]), cells.slice(1).join(' '))];
  const tokens = cells.flatMap((c) => c.split(/\s+/));
  const people: RoleMember[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (t.length === 1 && next?.length === 1) {
      people.push(member(t + next, null));
      i++;
    } else if (NAME.test(t) && !/书记|主任|主席|[市局部委]/.test(t)) people.push(member(t, null));
    else if (people.length && people.at(-1)?.title === null) {
      const last = people.pop() as RoleMember;
      people.push(member(last.person, t));
    } else return [];
  }
  return people;
}

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import { exportDump, importDump } from './db/portable.ts';
import { loadUnitDirectory } from './modules/campaigns/plan/load-directory.ts';
import { parsePlan } from './modules/campaigns/plan/parse.ts';
import { planTextFromBytes } from './modules/campaigns/plan/source.ts';
import { SYSTEM_ACTOR, verifyAuditChain } from './platform/audit/audit.ts';
import { hashPassword, temporaryPassword } from './platform/auth/password.ts';
import { createContext } from './platform/bootstrap.ts';
import type { AppContext } from './platform/context.ts';
import { createLogger } from './platform/log.ts';
import { writeTx } from './platform/tx.ts';
import { isEmpty, seedDemo } from './seed/demo.ts';
import { seedDemoCampaign } from './seed/demo-campaign.ts';
import { seedDemoCases } from './seed/demo-cases.ts';

const USAGE = `wenming — the Wenming command line

  wenming migrate                    apply database migrations
  wenming seed --demo                seed the Bazhou demo organisation and accounts (empty database only)
  wenming backup FILE                consistent online backup of the SQLite database
  wenming export FILE                portable dump of the whole installation (SQLite or PostgreSQL)
  wenming import FILE                load a dump into an empty database; verifies counts and checksums
  wenming audit verify               check the audit log's hash chain; reports the first tampered row
  wenming user reset-password NAME   give NAME a temporary password (must be changed at next sign-in)
  wenming plan parse FILE            parse a plan (.txt in UTF-8/GB18030, or .docx) against the org tree
                                     and print its structure as JSON: phases, sections, activities with
                                     units resolved or flagged, deadlines, cadences, targets, warnings

Configuration comes from the environment (DATABASE_URL, WENMING_DATA_DIR, …): see README.md.`;

type Command = (ctx: AppContext, args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  async migrate() {
    console.log('migrations up to date');
    return 0;
  },
  async seed(ctx, args) {
    if (!args.includes('--demo')) {
      console.error('usage: wenming seed --demo');
      return 2;
    }
    if (!(await isEmpty(ctx))) {
      console.error('the database already has an organisation; the demo seeds only an empty database');
      return 1;
    }
    const seeded = await seedDemo(ctx);
    const campaign = ctx.config.seedDemoCampaign ? await seedDemoCampaign(ctx) : null;
    const cases = ctx.config.seedDemoCases ? await seedDemoCases(ctx) : null;
    console.log(JSON.stringify({ ...seeded, campaign, cases }));
    return 0;
  },
  async backup(ctx, [file]) {
    if (!file) return usage();
    if (ctx.database.engine !== 'sqlite' || !ctx.database.sqlite) {
      console.error(
        'backup is for the embedded SQLite database. For PostgreSQL use its own tools, e.g.\n' +
          '  pg_dump --format=custom --file=wenming.pgdump "$DATABASE_URL"\n' +
          'or `wenming export FILE` for an engine-neutral dump. Copy the uploaded files in\n' +
          `  ${path.join(ctx.config.dataDir, 'files')} as well (see docs/operations.md).`,
      );
      return 2;
    }
    await ctx.database.sqlite.backup(file);
    console.log(`backup written to ${file}`);
    // Blobs never change, so copying them after the database copy captures every file it refers to.
    console.log(
      `uploaded files are not in it: copy ${path.join(ctx.config.dataDir, 'files')} as well, e.g. ` +
        `rsync -a --ignore-existing ${path.join(ctx.config.dataDir, 'files')}/ BACKUP_DIR/files/`,
    );
    return 0;
  },
  async export(ctx, [file]) {
    if (!file) return usage();
    const summary = await exportDump(ctx.database, file);
    console.log(JSON.stringify({ file, engine: ctx.database.engine, summary }, null, 2));
    return 0;
  },
  async import(ctx, [file]) {
    if (!file) return usage();
    const summary = await importDump(ctx.database, file);
    console.log(JSON.stringify({ file, engine: ctx.database.engine, verified: true, summary }, null, 2));
    return 0;
  },
  async audit(ctx, [sub]) {
    if (sub !== 'verify') return usage();
    const r = await verifyAuditChain(ctx.database.db);
    if (r.ok) console.log(`audit log intact: ${r.checked} rows checked`);
    else
      console.error(
        `audit log TAMPERED at row ${r.firstBadSeq}: ${r.reason} (${r.checked} rows before it are intact)`,
      );
    return r.ok ? 0 : 1;
  },
  async user(ctx, [sub, username]) {
    if (sub !== 'reset-password' || !username) return usage();
    const user = await ctx.database.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst();
    if (!user) {
      console.error(`no user named ${username}`);
      return 1;
    }
    const password = temporaryPassword(randomBytes);
    const hash = await hashPassword(password);
    await writeTx(ctx, { ...SYSTEM_ACTOR, name: 'cli' }, async (tx) => {
      await tx.db
        .updateTable('users')
        .set({ password_hash: hash, must_change_password: true, failed_logins: 0, locked_until: null })
        .where('id', '=', user.id)
        .execute();
      await tx.db.deleteFrom('sessions').where('user_id', '=', user.id).execute();
      await tx.audit({
        action: 'user.password.reset',
        entity: 'user',
        entityId: user.id,
        after: { via: 'cli' },
      });
    });
    console.log(`temporary password for ${username}: ${password}\n(it must be changed at the next sign-in)`);
    return 0;
  },
  async plan(ctx, [sub, file]) {
    if (sub !== 'parse' || !file) return usage();
    const { text } = planTextFromBytes(readFileSync(file));
    if (!text.trim()) {
      console.error(`${file} is empty`);
      return 1;
    }
    const directory = await loadUnitDirectory(ctx.database.db);
    const plan = parsePlan(text, directory);
    console.log(JSON.stringify(plan, null, 2));
    if (directory.units.length === 0)
      console.error('the database has no org units, so no unit could be resolved (wenming seed --demo?)');
    if (plan.stats.activities === 0) {
      console.error(`no numbered activities found in ${file}: see the warnings and unparsed lines`);
      return 1;
    }
    return 0;
  },
};

function usage(): number {
  console.error(USAGE);
  return 2;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    if (name && name !== 'help' && name !== '--help') console.error(`unknown command: ${name}\n`);
    return usage();
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 78;
    }
    throw e;
  }
  const ctx = await createContext(config, createLogger(config.logLevel));
  try {
    return await command(ctx, args);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return 1;
  } finally {
    await ctx.database.close();
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}

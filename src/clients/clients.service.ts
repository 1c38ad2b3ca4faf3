import { asc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { clients, doNotCall, userClients } from '../db/schema.js';
import type { SessionUser } from '../http/context.js';
import { forgetSessions } from '../auth/sessions.js';
import { AppError, badRequest, forbidden, notFound } from '../http/errors.js';
import { audit } from '../audit/audit.js';
import { normalisePhone } from '../lists/import/normalise.js';
import { schedulingSettingsSchema, type SchedulingSettings } from '../scheduling/settings.js';
import type { ClientCreate, ClientPatch, ClientView } from './clients.schemas.js';

const SETTINGS_KEYS = Object.keys(schedulingSettingsSchema.shape) as Array<keyof SchedulingSettings>;

export async function listClients(db: Db, user: SessionUser): Promise<ClientView[]> {
  const scope = user.role === 'admin' ? undefined : inArray(clients.id, user.clientIds.length ? user.clientIds : ['00000000-0000-0000-0000-000000000000']);
  const rows = await db.select().from(clients).where(scope).orderBy(asc(clients.code));
  return Promise.all(rows.map(async (row) => view(row, await dncOf(db, row.id))));
}

export async function getClient(db: Db, id: string): Promise<ClientView> {
  const [row] = await db.select().from(clients).where(eq(clients.id, id));
  if (!row) throw notFound('Client');
  return view(row, await dncOf(db, id));
}

/** Where result lists — customer data — are mailed is for admins to say (and is audited). */
const onlyAdminsRedirect = () => forbidden('Only an administrator may set where result lists are mailed (resultEmail)');

export async function createClient(db: Db, input: ClientCreate, by: SessionUser, now = new Date()): Promise<ClientView> {
  if (input.resultEmail && by.role !== 'admin') throw onlyAdminsRedirect();
  const settings = validSettings(pickSettings(input));
  const id = await db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: clients.id }).from(clients).where(eq(clients.code, input.code));
    if (taken) throw codeTaken(input.code);
    const [row] = await tx
      .insert(clients)
      .values({ code: input.code, name: input.name, resultEmail: input.resultEmail, resultEmailSince: input.resultEmail ? now : null, active: input.active, settings })
      .returning({ id: clients.id });
    await replaceDoNotCall(tx, row!.id, input.doNotCall, settings.defaultCountry);
    if (input.resultEmail) await audit(tx, { at: now, actorId: by.id, action: 'client.resultEmail', entityType: 'client', entityId: row!.id, details: { from: null, to: input.resultEmail } });
    // A lead who creates a client works for it; otherwise they could not see what they made.
    if (by.role === 'lead') await tx.insert(userClients).values({ userId: by.id, clientId: row!.id });
    return row!.id;
  }).catch((err: unknown) => {
    if (isUniqueViolation(err, 'clients_code_unique')) throw codeTaken(input.code);
    throw err;
  });
  if (by.role === 'lead') forgetSessions(); // the lead's scope grew
  return getClient(db, id);
}

export async function updateClient(db: Db, id: string, patch: ClientPatch, now: Date, by: SessionUser): Promise<ClientView> {
  const activeChanged = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(clients).where(eq(clients.id, id)).for('update');
    if (!row) throw notFound('Client');
    const redirected = patch.resultEmail !== undefined && patch.resultEmail !== row.resultEmail;
    if (redirected && by.role !== 'admin') throw onlyAdminsRedirect();
    if (redirected) await audit(tx, { at: now, actorId: by.id, action: 'client.resultEmail', entityType: 'client', entityId: id, details: { from: row.resultEmail, to: patch.resultEmail } });
    if (patch.code && patch.code !== row.code) {
      const [taken] = await tx.select({ id: clients.id }).from(clients).where(eq(clients.code, patch.code));
      if (taken) throw codeTaken(patch.code);
    }
    // Merge, then validate the whole: cross-field rules (windows inside calling hours) need all of it.
    // Calling hours by day: a PATCH of Saturday alone keeps the other days as they are.
    const { callingHours, ...rest } = patch;
    const hours = callingHours && { ...row.settings.callingHours, ...Object.fromEntries(Object.entries(callingHours).filter(([, v]) => v !== undefined)) };
    const settings = validSettings({ ...row.settings, ...pickSettings(rest), ...(hours ? { callingHours: hours } : {}) });
    await tx
      .update(clients)
      .set({ code: patch.code, name: patch.name, resultEmail: patch.resultEmail, resultEmailSince: resultEmailSince(row, patch.resultEmail, now), active: patch.active, settings, updatedAt: now })
      .where(eq(clients.id, id));
    if (patch.doNotCall) await replaceDoNotCall(tx, id, patch.doNotCall, settings.defaultCountry);
    return patch.active !== undefined && patch.active !== row.active;
  }).catch((err: unknown) => {
    // Two renames to the same code at once: the index decides, the loser gets the same 409.
    if (patch.code && isUniqueViolation(err, 'clients_code_unique')) throw codeTaken(patch.code);
    throw err;
  });
  if (activeChanged) forgetSessions(); // agents' sessions carry the active clients they are handed cases of
  return getClient(db, id);
}

export async function loadSettings(db: Db | Tx, clientId: string): Promise<SchedulingSettings> {
  const [row] = await db.select({ settings: clients.settings }).from(clients).where(eq(clients.id, clientId));
  if (!row) throw notFound('Client');
  return row.settings;
}

/** A first address starts the time from which lists are mailed; another address keeps it; none ends it. */
function resultEmailSince(row: { resultEmail: string | null; resultEmailSince: Date | null }, next: string | null | undefined, now: Date): Date | null | undefined {
  if (next === undefined) return undefined;
  if (next === null) return null;
  return row.resultEmail ? row.resultEmailSince : now;
}

const codeTaken = (code: string) => new AppError(409, 'code_taken', `A client with the code "${code}" exists already`);

function pickSettings(input: Partial<ClientCreate>): Partial<SchedulingSettings> {
  const out: Record<string, unknown> = {};
  for (const key of SETTINGS_KEYS) if (input[key] !== undefined) out[key] = input[key];
  return out as Partial<SchedulingSettings>;
}

function validSettings(candidate: Partial<SchedulingSettings>): SchedulingSettings {
  const parsed = schedulingSettingsSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new AppError(400, 'validation', `Invalid client settings: ${details[0]?.path}: ${details[0]?.message}`, details);
}

async function replaceDoNotCall(tx: Tx, clientId: string, numbers: string[], country: string): Promise<void> {
  const normalised = new Set<string>();
  const invalid: string[] = [];
  for (const raw of numbers) {
    const phone = normalisePhone(raw, country);
    if (phone.ok) normalised.add(phone.e164);
    else invalid.push(raw);
  }
  if (invalid.length) throw badRequest(`doNotCall: not a valid phone number: ${invalid.slice(0, 5).join(', ')}`, { invalid });
  await tx.delete(doNotCall).where(eq(doNotCall.clientId, clientId));
  const rows = [...normalised].map((phoneE164) => ({ clientId, phoneE164 }));
  for (let i = 0; i < rows.length; i += 5000) await tx.insert(doNotCall).values(rows.slice(i, i + 5000));
}

async function dncOf(db: Db, clientId: string): Promise<string[]> {
  const rows = await db.select({ p: doNotCall.phoneE164 }).from(doNotCall).where(eq(doNotCall.clientId, clientId)).orderBy(asc(doNotCall.phoneE164));
  return rows.map((r) => r.p);
}

function view(row: typeof clients.$inferSelect, dnc: string[]): ClientView {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    resultEmail: row.resultEmail,
    resultEmailSince: row.resultEmailSince?.toISOString() ?? null,
    active: row.active,
    doNotCall: dnc,
    ...row.settings,
    // Settings stored before language routing existed mean its defaults.
    languageRouting: row.settings.languageRouting ?? 'prefer',
    languageFallbackMinutes: row.settings.languageFallbackMinutes ?? 60,
    createdAt: row.createdAt.toISOString(),
  };
}

import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ImportReport, Rejection } from '../lists/import/parse-list.js';
import type { SourceCell } from '../lists/import/source-cells.js';
import type { CasePhone } from '../lists/import/row-phones.js';
import type { OutcomeJob } from '../queues/registry.js';
import type { RetryChoice } from '../scheduling/learned-retry.js';
import type { PreferredWindow, SchedulingSettings } from '../scheduling/settings.js';

/**
 * The system of record. Glossary (DESIGN.md section 2): client = Mandant, dunning list =
 * Mahnliste, case = Fall, attempt = Anruf(-versuch), assignment = Zuweisung.
 * Money is integer cents; times are timestamptz.
 */

// PGlite hands bytea back as a plain Uint8Array, postgres.js as a Buffer: always give a Buffer.
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();

export const roleEnum = pgEnum('role', ['agent', 'lead', 'admin']);
export const listStatusEnum = pgEnum('list_status', ['importing', 'active', 'completed', 'failed', 'cancelled', 'paused']);
export const caseStatusEnum = pgEnum('case_status', ['open', 'closed']);
export const assignmentEndEnum = pgEnum('assignment_end', ['outcome', 'released', 'expired', 'dropped', 'freed']);
/**
 * pending: waiting to be sent · sending: claimed by a worker · retrying: the last try failed,
 * another follows · sent · failed: gave up · unknown: a worker died while sending, the mail may
 * or may not have left (never re-sent silently; the lead decides).
 */
export const deliveryStatusEnum = pgEnum('delivery_status', ['pending', 'sent', 'failed', 'sending', 'retrying', 'unknown']);

export const clients = pgTable('clients', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  resultEmail: text('result_email'),
  /**
   * Since when the client has a result address (kept when it changes to another): only lists
   * completed since are mailed by the sweep. Those completed before were the lead's to download,
   * as the screen said; an address set later must not mail them all at once.
   */
  resultEmailSince: timestamp('result_email_since', { withTimezone: true }),
  /** Scheduling and outcome settings of DESIGN.md sections 5–6, validated by `schedulingSettingsSchema`. */
  settings: jsonb('settings').$type<SchedulingSettings>().notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Per-client do-not-call numbers (E.164); checked at import and again at every assignment. */
export const doNotCall = pgTable(
  'do_not_call',
  {
    clientId: uuid('client_id').notNull().references(() => clients.id, { onDelete: 'cascade' }),
    phoneE164: text('phone_e164').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.phoneE164] })],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull(),
    role: roleEnum('role').notNull(),
    languages: text('languages').array().notNull().default(sql`'{de}'::text[]`),
    /** The agent's phone extension for click-to-dial (`{extension}` in the CTI templates). */
    extension: text('extension'),
    /** Last `next` or heartbeat (to the minute): who counts as active for the language figures. */
    lastActiveAt: ts('last_active_at'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_username_lower').on(sql`lower(${t.username})`)],
);

/** Client scope of agents and leads; admins see every client regardless. */
export const userClients = pgTable(
  'user_clients',
  {
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    clientId: uuid('client_id').notNull().references(() => clients.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.clientId] }), index('user_clients_client').on(t.clientId)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie token: a leaked table does not leak usable sessions. */
    id: text('id').primaryKey(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const dunningLists = pgTable(
  'dunning_lists',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientId: uuid('client_id').notNull().references(() => clients.id),
    name: text('name').notNull(),
    status: listStatusEnum('status').notNull().default('importing'),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    fileBytes: integer('file_bytes').notNull(),
    importProgress: jsonb('import_progress').$type<{ percent: number; rows: number }>(),
    /** Import report: accepted count and rejected rows (row, column, value, reason). */
    report: jsonb('report').$type<ImportReport>(),
    /** The client's own extra column headers, in file order, for the result list. */
    extraColumns: jsonb('extra_columns').$type<string[]>().notNull().default([]),
    /** Why the import failed (English, names columns, sheets and limits exactly). */
    error: text('error'),
    /** What kind of failure that was, for the lead's German text (`ImportFailureCode`). */
    errorCode: text('error_code'),
    importedBy: uuid('imported_by').references(() => users.id),
    createdAt: createdAt(),
    activatedAt: ts('activated_at'),
    completedAt: ts('completed_at'),
    /** While `paused`: since when (`pause.ts`). */
    pausedAt: ts('paused_at'),
    /** Set when personal data was deleted by retention; counts stay for billing. */
    purgedAt: ts('purged_at'),
  },
  (t) => [index('lists_client').on(t.clientId, t.status), index('lists_sha').on(t.clientId, t.fileSha256)],
);

/** The uploaded file, kept in Postgres so any worker host can read it; deleted after the import. */
export const importFiles = pgTable('import_files', {
  listId: uuid('list_id').primaryKey().references(() => dunningLists.id, { onDelete: 'cascade' }),
  content: bytea('content').notNull(),
  createdAt: createdAt(),
});

/** A case's number: `wrong` after "Falsche Nummer", `do_not_call` when on the client's do-not-call list. */
export interface StoredPhone extends CasePhone {
  status: 'active' | 'wrong' | 'do_not_call';
}

export interface PendingCallback {
  /** Agent who promised it (owner "me"), or null for anyone. */
  agentId: string | null;
  at: string;
  window: string | null;
}

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listId: uuid('list_id').notNull().references(() => dunningLists.id, { onDelete: 'cascade' }),
    clientId: uuid('client_id').notNull().references(() => clients.id),
    rowNumber: integer('row_number').notNull(),
    customerNo: text('customer_no').notNull(),
    name: text('name').notNull(),
    /** The number to dial now (the first of `phones` not marked wrong or blocked), raw and E.164. */
    phoneRaw: text('phone_raw').notNull(),
    phoneE164: text('phone_e164').notNull(),
    /** Every number of the row in order, with its kind and state; a case has at least one. */
    phones: jsonb('phones').$type<StoredPhone[]>().notNull().default([]),
    address: text('address').notNull().default(''),
    postalCode: text('postal_code'),
    country: text('country').notNull(),
    language: text('language').notNull().default('de'),
    /** The other language of a bilingual postcode (Biel/Bienne: `de` + `fr`): speakers of either get the case. */
    secondLanguage: text('second_language'),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    currency: text('currency').notNull().default('EUR'),
    extra: jsonb('extra').$type<Record<string, string>>().notNull().default({}),
    /** The row's cells as delivered, in file order (`report.sourceColumns`), for the result list. */
    source: jsonb('source').$type<SourceCell[]>(),
    status: caseStatusEnum('status').notNull().default('open'),
    /** Recorded attempts so far; the attempt being made is `attemptsMade + 1`. */
    attemptsMade: integer('attempts_made').notNull().default(0),
    finalOutcome: text('final_outcome'),
    /** When the current call job becomes due, and why it waits until then (a `ScheduleReason`). */
    nextDueAt: ts('next_due_at'),
    waitReason: text('wait_reason'),
    lastWindow: text('last_window'),
    preferredWindows: jsonb('preferred_windows').$type<PreferredWindow[]>(),
    callback: jsonb('callback').$type<PendingCallback>(),
    /** Why the pending retry went to its window (learned strategy), for the agent's card; else null. */
    retryChoice: jsonb('retry_choice').$type<RetryChoice>(),
    promiseAmountCents: bigint('promise_amount_cents', { mode: 'number' }),
    promiseDate: date('promise_date'),
    closedAt: ts('closed_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('cases_list_status').on(t.listId, t.status),
    // The result list reads a list's cases in file order, page by page.
    index('cases_list_row').on(t.listId, t.rowNumber),
    // A customer may be open in one list of a client at a time (DESIGN.md section 7).
    uniqueIndex('cases_open_customer').on(t.clientId, t.customerNo).where(sql`${t.status} = 'open'`),
    // The queues open cases can be in, found by a loose scan (workers/open-case-queues.ts).
    index('cases_open_routing').on(t.clientId, t.language, sql`coalesce(${t.secondLanguage}, '')`).where(sql`${t.status} = 'open'`),
  ],
);

export const attempts = pgTable(
  'attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
    clientId: uuid('client_id').notNull().references(() => clients.id),
    attemptNo: integer('attempt_no').notNull(),
    agentId: uuid('agent_id').references(() => users.id),
    assignmentId: uuid('assignment_id'),
    /** The number dialled (E.164). */
    phoneE164: text('phone_e164'),
    outcome: text('outcome').notNull(),
    rightParty: boolean('right_party'),
    note: text('note'),
    callback: jsonb('callback').$type<Record<string, unknown>>(),
    promiseAmountCents: bigint('promise_amount_cents', { mode: 'number' }),
    promiseDate: date('promise_date'),
    recordedAt: ts('recorded_at').notNull(),
    /** When the call began (the case handed out); the reach rates file the attempt under it. Null: recorded before 0015. */
    calledAt: ts('called_at'),
  },
  (t) => [
    uniqueIndex('attempts_case_no').on(t.caseId, t.attemptNo),
    // Billing (LE per client and period) reads by client and time.
    index('attempts_client_time').on(t.clientId, t.recordedAt),
  ],
);

export const assignments = pgTable(
  'assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id').notNull().references(() => users.id),
    attemptNo: integer('attempt_no').notNull(),
    queue: text('queue').notNull(),
    jobId: text('job_id').notNull(),
    lockToken: text('lock_token').notNull(),
    assignedAt: ts('assigned_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    endedAt: ts('ended_at'),
    endReason: assignmentEndEnum('end_reason'),
    /**
     * The outbox of an outcome: the `outcomes` job's payload, written in the statement that
     * ends the assignment with reason `outcome`, cleared when the attempt is recorded. Whatever
     * happens to Redis or the API process in between, the outcome is recovered from here.
     */
    outcome: jsonb('outcome').$type<OutcomeJob>(),
  },
  (t) => [
    // The database itself guarantees one live assignment per agent and per case.
    uniqueIndex('assignments_live_agent').on(t.agentId).where(sql`${t.endedAt} is null`),
    uniqueIndex('assignments_live_case').on(t.caseId).where(sql`${t.endedAt} is null`),
    // And one hand-out per attempt that is live or ended with its outcome: a pull whose check of
    // the case ran before another agent's whole call (pull and outcome) must not hand the same
    // attempt out again — the customer would be called twice and one outcome lost.
    uniqueIndex('assignments_attempt_taken').on(t.caseId, t.attemptNo).where(sql`${t.endedAt} is null or ${t.endReason} = 'outcome'`),
    index('assignments_case').on(t.caseId),
    index('assignments_pending_outcome').on(t.id).where(sql`${t.outcome} is not null`),
    // `/metrics` counts the expired ones at every scrape: a few per cent of a table that grows
    // with every call, read through this index instead of a scan of all of it.
    index('assignments_expired').on(t.endedAt).where(sql`${t.endReason} = 'expired'`),
  ],
);

/** Rows refused at import, as delivered: the result list's sheet "Nicht importiert". */
export const rejectedRows = pgTable(
  'rejected_rows',
  {
    listId: uuid('list_id').notNull().references(() => dunningLists.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    problems: jsonb('problems').$type<Rejection[]>().notNull(),
    source: jsonb('source').$type<SourceCell[]>(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.rowNumber] })],
);

/**
 * Result-list mails, numbered per list in the order they were made: the automatic delivery of a
 * completed list and each manual send alike. A worker claims a round (`sending`) before it sends
 * and records the message id after, so no round is sent twice.
 */
export const deliveries = pgTable(
  'deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listId: uuid('list_id').notNull().references(() => dunningLists.id, { onDelete: 'cascade' }),
    round: integer('round').notNull(),
    status: deliveryStatusEnum('status').notNull().default('pending'),
    tries: integer('tries').notNull().default(0),
    recipient: text('recipient').notNull(),
    /** Who asked for a manual re-send; null for the automatic delivery. */
    requestedBy: uuid('requested_by').references(() => users.id),
    /**
     * The client's delivery of the list: the automatic round, or a manual one to the client's
     * result address as it was when sent, after the list completed. A list with one is not
     * mailed by itself (again).
     */
    toClient: boolean('to_client').notNull().default(false),
    lastError: text('last_error'),
    messageId: text('message_id'),
    createdAt: createdAt(),
    claimedAt: ts('claimed_at'),
    sentAt: ts('sent_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('deliveries_list_round').on(t.listId, t.round)],
);

/** Who did what to which record; `details` never holds customer data. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().defaultNow(),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_entity').on(t.entityType, t.entityId), index('audit_at').on(t.at)],
);

/**
 * Reach rates per client, weekday type and window, from the attempts of the client's last
 * `learningDays`; rebuilt as a whole by the `reach-rates` maintenance task (src/reach/).
 */
export const reachRates = pgTable(
  'reach_rates',
  {
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    /** `weekday` (Mon–Fri) or `weekend`. */
    dayType: text('day_type').notNull(),
    window: text('window').notNull(),
    attempts: integer('attempts').notNull(),
    reached: integer('reached').notNull(),
    rightParty: integer('right_party').notNull(),
    refreshedAt: ts('refreshed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.dayType, t.window] })],
);

/**
 * Every click-to-dial request, with the phone system's answer (`ok`, `timeout`, `unreachable`,
 * `rejected`, `unexpected`; `pending` until it answers), and every followed `tel:` link (`link`).
 */
export const dials = pgTable(
  'dials',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    assignmentId: uuid('assignment_id').notNull().references(() => assignments.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id').notNull().references(() => users.id),
    at: ts('at').notNull(),
    /** `link`, `http` or `ari`: the adapter that dialled. */
    mode: text('mode').notNull(),
    /** The number dialled (a case has several): blanked with the case's data by retention; null for dials recorded before it was kept. */
    phoneE164: text('phone_e164'),
    result: text('result').notNull(),
    /** The phone system's HTTP status, if it answered. */
    httpStatus: integer('http_status'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('dials_assignment').on(t.assignmentId)],
);

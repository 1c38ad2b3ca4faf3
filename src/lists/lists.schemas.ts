import { z } from '@hono/zod-openapi';
import { DeliverySchema } from '../results/results.schemas.js';
import { FailedJobSchema } from '../ops/failed-jobs.schemas.js';

const flag = z
  .enum(['true', 'false', '1', '0', 'on', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'on');

/**
 * `dryRun` and `force` are query parameters; form fields of the same name are accepted too, with
 * the same values. Both strict: a misspelt `dryrun=true` or a `dryRun=True` must not import the
 * list for real (its customers would be called).
 */
export const UploadQuerySchema = z.object({ dryRun: flag, force: flag, name: z.string().max(200).optional() }).strict();

export const UploadFormSchema = z
  .object({
    file: z.any().openapi({ type: 'string', format: 'binary', description: '.xlsx or .csv' }),
    dryRun: flag,
    force: flag,
    name: z.string().max(200).optional(),
  })
  .strict()
  .openapi('ListUpload');

const RejectionSchema = z.object({
  row: z.number().int(),
  column: z.string(),
  value: z.string(),
  reason: z.string().openapi({ description: 'English, stable' }),
  reasonDe: z.string().openapi({ description: 'The reason in German, as the UI and the result list show it' }),
});

export const ReportSchema = z
  .object({
    accepted: z.number().int(),
    rejected: z.array(RejectionSchema),
    rejectedRows: z.number().int(),
    rejectedTruncated: z.boolean(),
    dataRows: z.number().int(),
    headerRow: z.number().int(),
    columns: z.record(z.string(), z.string()),
    extraColumns: z.array(z.string()),
    sourceColumns: z.array(z.object({ header: z.string(), numFmt: z.string().optional() })),
    countries: z
      .record(z.string(), z.object({ rows: z.number().int(), by: z.record(z.string(), z.number().int()) }))
      .openapi({ description: 'Accepted rows per customer country and how it was found: column, postalPrefix, address, postcode (5 digits), postcodeTown (Swiss directory), phone, postcodeWithoutZero (a 4-digit postcode read as German without its leading 0: check), default' }),
    sheet: z
      .object({
        name: z.string(),
        skipped: z.array(z.object({ name: z.string(), code: z.enum(['no_header', 'missing_columns', 'fewer_rows']), rows: z.number().int().optional() })),
      })
      .nullable()
      .openapi({ description: 'xlsx: the sheet the list was read from, and the sheets skipped (no header, missing columns, fewer data rows)' }),
  })
  .openapi('ImportReport');

export const ListSchema = z
  .object({
    id: z.uuid(),
    clientId: z.uuid(),
    name: z.string(),
    status: z.enum(['importing', 'active', 'paused', 'completed', 'failed', 'cancelled']).openapi({ description: 'paused: a lead stopped its calls for now (POST /api/lists/{id}/pause, /resume)' }),
    fileName: z.string(),
    importProgress: z.object({ percent: z.number(), rows: z.number() }).nullable(),
    report: ReportSchema.nullable().openapi({
      description: 'The import report (null while importing or when the import failed before it); in the overview (GET /api/lists) without the rejected rows: `rejected` empty, `rejectedTruncated` when there were some',
    }),
    error: z.string().nullable().openapi({ description: 'Why the import failed, in English (names columns, sheets and limits exactly)' }),
    errorCode: z.string().nullable().openapi({
      description:
        'What kind of failure: a refused file (`corrupt`, `missing_columns`, … as the upload refuses them; `none_accepted`: every row refused, see the report), `file_missing`, `interrupted`, `stalled`, `internal`; null for lists failed before it was kept',
    }),
    createdAt: z.string(),
    activatedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    pausedAt: z.string().nullable().openapi({ description: 'While paused: since when' }),
    purgedAt: z.string().nullable().openapi({ description: 'When retention deleted the personal data; the result list is gone then' }),
    counts: z.object({ total: z.number().int(), closed: z.number().int() }),
    delivery: DeliverySchema.nullable().openapi({ description: 'The newest result-list mail' }),
  })
  .openapi('DunningList');

export const ListQuerySchema = z.object({ clientId: z.uuid().optional() });

const counts = z.record(z.string(), z.number().int());

export const LanguageGapSchema = z
  .object({
    language: z.string(),
    cases: z.number().int(),
    routing: z.enum(['prefer', 'strict']),
    fallbackMinutes: z.number().int(),
    fallback: z.boolean().openapi({
      description: "Whether agents who do not speak it get these cases after fallbackMinutes (prefer, except for the client's own language); false: they wait until an agent who speaks it is at work",
    }),
  })
  .openapi('LanguageGap');

export const ListFailedJobSchema = FailedJobSchema.extend({
  customerNo: z.string().nullable().openapi({ description: "An outcome's case: its customer number (null for the import)" }),
  customerName: z.string().nullable().openapi({ description: "An outcome's case: the customer's name (null for the import)" }),
}).openapi('ListFailedJob');

export const ProgressSchema = z
  .object({
    total: z.number().int(),
    callableNow: z.number().int(),
    scheduled: z.number().int(),
    inCall: z.number().int(),
    closed: z.number().int(),
    byOutcome: counts,
    attemptsHistogram: counts,
    inCallBy: z.array(z.object({ assignmentId: z.uuid().openapi({ description: 'Free it with POST /api/assignments/{id}/free' }), agent: z.string(), caseId: z.uuid(), since: z.string() })),
    nextDueAt: z.string().nullable(),
    throughputLastHour: z.number().int(),
    etaAt: z.string().nullable().openapi({ description: "At the last hour's pace, one more attempt per open case, worked within the client's calling hours" }),
    clientActive: z.boolean().openapi({ description: 'False while the client is paused: its due cases are not handed out, and there is no ETA' }),
    callingHoursNow: z.boolean().openapi({ description: "Whether the client's calling hours allow calls now (callableNow counts due cases, which wait for them otherwise); holidays are the customers', by postcode, and keep those cases from being due" }),
    callingResumesAt: z.string().nullable().openapi({ description: 'When calls are allowed again, while they are not' }),
    languageGaps: z.array(LanguageGapSchema).openapi({
      description: 'Due cases waiting for a language that none of the client\'s agents at work (active in the last hour) speaks, by language; none while nobody of the client is at work',
    }),
    failedJobs: z.array(ListFailedJobSchema).openapi({ description: 'Outcomes and the import of this list that failed for good (see GET /api/admin/failed-jobs)' }),
  })
  .openapi('ListProgress');

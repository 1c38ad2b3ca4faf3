// Shapes of the API answers the UI reads (DESIGN.md section 10; src/**/*.schemas.ts).

/**
 * @typedef {{ id: string, username: string, displayName: string, role: 'agent' | 'lead' | 'admin',
 *   clientIds: string[], languages: string[] }} Me
 * @typedef {{ code: string, label: string, effect: 'close' | 'retry' | 'callback' | 'wrong_number' | string, retryDelaySeconds?: number }} Outcome
 * @typedef {{ days: string[], from: string, to: string }} PreferredWindow
 * @typedef {{ id: string, listId: string, clientId: string, clientName: string, customerNo: string,
 *   name: string, phone: string, phoneE164: string, phoneInternational: string, ctiLink: string, phones: CasePhone[], address: string,
 *   amountCents: number, currency: string, language: string, secondLanguage: string | null,
 *   languageNote: string | null, dial: boolean, callableUntil: string | null, attemptNo: number, maxAttempts: number,
 *   preferredWindows: PreferredWindow[], extra: Record<string, string>, outcomes: Outcome[],
 *   windows: Record<string, [string, string]>, timezone: string, retryChoice: RetryChoice | null }} AgentCase
 * @typedef {{ basis: 'rates' | 'customer' | 'exploration', window: string, dayType: 'weekday' | 'weekend',
 *   rate: number, others: Array<{ window: string, rate: number }> }} RetryChoice
 * @typedef {{ dayType: 'weekday' | 'weekend', window: string, attempts: number, reached: number, rightParty: number,
 *   rate: number, observedRate: number | null, callable: boolean }} ReachCell
 * @typedef {{ clientId: string, retryStrategy: string, effectiveStrategy: 'rotation' | 'learned', learnedFromAttempts: number,
 *   learningDays: number, refreshedAt: string | null, windows: Array<{ name: string, from: string, to: string }>,
 *   prior: { attempts: number, reached: number, rightParty: number, rate: number, weight: number },
 *   clientAttempts: number, cells: ReachCell[] }} ReachRates
 * @typedef {{ attemptNo: number, at: string, agent: string | null, outcome: string,
 *   rightParty: boolean | null, note: string | null, phone: string | null }} HistoryEntry
 * @typedef {{ e164: string, raw: string, international: string, kind: string, status: 'active' | 'wrong' | 'do_not_call', ctiLink: string }} CasePhone
 * @typedef {{ id: string, expiresAt: string }} Assignment
 * @typedef {{ callbackWindow: number, retryDelay: number, callingHours: number, holiday: number,
 *   perDayCap: number, preferredWindow: number, language: number, personalCallback: number, listPaused?: number }} Waiting
 * @typedef {{ assignment: Assignment, case: AgentCase, history: HistoryEntry[] }
 *   | { assignment: null, nextDueAt: string | null, waiting: Waiting, languageGaps: LanguageGap[],
 *       clients: { assigned: number, active: number } }} NextResponse
 * @typedef {{ language: string, cases: number, routing: 'prefer' | 'strict', fallbackMinutes: number, fallback: boolean }} LanguageGap
 * @typedef {{ mon: [string, string][], tue: [string, string][], wed: [string, string][], thu: [string, string][],
 *   fri: [string, string][], sat: [string, string][], sun: [string, string][] }} CallingHours `HH:MM` intervals per day
 * @typedef {{ country: string, state?: string }} HolidayRegion
 * @typedef {{ id: string, code: string, name: string, resultEmail: string | null, resultEmailSince: string | null, active: boolean,
 *   doNotCall: string[], timezone: string, holidays: HolidayRegion | null, callingHours: CallingHours,
 *   windows: Record<string, [string, string]>, maxAttempts: number, maxAttemptsPerDay: number,
 *   retryDelaySeconds: number, personalCallbackGraceMinutes: number, retryStrategy: 'auto' | 'rotation' | 'learned',
 *   learningDays: number, defaultCountry: string,
 *   defaultLanguage: string, languageRouting: 'prefer' | 'strict' | 'off', languageFallbackMinutes: number,
 *   outcomes: Outcome[], createdAt: string }} Client every setting of
 *   src/scheduling/settings.ts plus the identity fields of src/clients/clients.schemas.ts
 * @typedef {{ row: number, column: string, value: string, reason: string, reasonDe?: string }} Rejection
 * @typedef {{ accepted: number, rejected: Rejection[], rejectedRows: number, rejectedTruncated: boolean,
 *   dataRows: number, headerRow: number, columns: Record<string, string>, extraColumns: string[],
 *   countries?: Record<string, { rows: number, by: Record<string, number> }>,
 *   sheet?: { name: string, skipped: { name: string, code: string, rows?: number }[] } | null }} Report
 * @typedef {{ id: string, clientId: string, name: string,
 *   status: 'importing' | 'active' | 'paused' | 'completed' | 'failed' | 'cancelled', fileName: string,
 *   importProgress: { percent: number, rows: number } | null, report: Report | null, error: string | null, errorCode: string | null,
 *   createdAt: string, activatedAt: string | null, completedAt: string | null, pausedAt?: string | null, purgedAt: string | null,
 *   counts: { total: number, closed: number }, delivery: Delivery | null }} DunningList
 * @typedef {{ id: string, listId: string, round: number,
 *   status: 'pending' | 'sending' | 'retrying' | 'sent' | 'failed' | 'unknown', recipient: string, tries: number,
 *   manual: boolean, lastError: string | null, messageId: string | null, createdAt: string, sentAt: string | null }} Delivery
 * @typedef {{ id: string, username: string, displayName: string, state: 'in_call' | 'at_work' | 'away', lastActiveAt: string | null,
 *   call: { assignmentId: string, since: string, clientName: string, listId: string, listName: string } | null,
 *   today: { attempts: number, reached: number, rightParty: number, promises: number, lastAt: string | null } }} TeamMember
 * @typedef {{ total: number, callableNow: number, scheduled: number, inCall: number, closed: number,
 *   byOutcome: Record<string, number>, attemptsHistogram: Record<string, number>,
 *   inCallBy: { assignmentId: string, agent: string, caseId: string, since?: string }[], nextDueAt: string | null,
 *   throughputLastHour: number, etaAt: string | null,
 *   clientActive: boolean, callingHoursNow: boolean, callingResumesAt: string | null, languageGaps: LanguageGap[], failedJobs: ListFailedJob[] }} Progress
 * @typedef {{ queue: 'outcomes' | 'imports' | 'delivery', jobId: string, failedAt: string | null, tries: number,
 *   permanent: boolean, reason: string, listId: string | null, caseId: string | null }} FailedJob
 * @typedef {FailedJob & { customerNo: string | null, customerName: string | null }} ListFailedJob a list's own, with its case's customer
 * @typedef {{ id: string, username: string, displayName: string, role: 'agent' | 'lead' | 'admin',
 *   clientIds: string[], languages: string[], extension: string | null, active: boolean, createdAt: string }} User
 * @typedef {{ attempts: number, reached: number, rightParty: number, promises: number,
 *   promiseAmountsCents: Record<string, number>, byOutcome: Record<string, number> }} LeCounts
 * @typedef {LeCounts & { date: string | null,
 *   agent: { id: string, username: string, displayName: string } | null }} LeRow
 * @typedef {{ code: string, label: string, effect: 'close' | 'retry' | 'callback' | 'wrong_number' | null }} LeOutcome
 * @typedef {{ clientId: string, code: string, name: string, timezone: string, outcomes: LeOutcome[],
 *   rows: LeRow[], totals: LeCounts }} LeClient
 * @typedef {{ from: string, to: string, groupBy: 'day' | 'agent', clients: LeClient[], totals: LeCounts }} LeReport
 * @typedef {{ el: HTMLElement, stop?: () => void, leave?: () => Promise<void>, holdsCase?: () => boolean,
 *   unsaved?: () => boolean }} View a mounted screen;
 *   `stop` ends its timers, `leave` gives back what the user holds (on logout), `unsaved` says
 *   edits would be lost by leaving (app.js asks first)
 */

export {};

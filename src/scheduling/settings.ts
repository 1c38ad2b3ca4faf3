import { IANAZone } from 'luxon';
import { z } from 'zod';
import { holidayStatesOf, isKnownHolidayCountry } from './holidays.js';
import {
  TIME_OF_DAY_PATTERN,
  WEEKDAYS,
  coveredBy,
  formatInterval,
  normalizeIntervals,
  parseTimeOfDay,
  type MinuteInterval,
  type Weekday,
} from './time-of-day.js';

/**
 * The scheduling part of a client's settings (DESIGN.md sections 5 and 6), every field with
 * its default. Messages name what is wrong and what is allowed; the path of the field is in
 * the issue's `path` (the API prints it as `windows.evening: …`, see `formatSettingsIssues`).
 */

const timeOfDay = z.string().regex(TIME_OF_DAY_PATTERN, {
  error: (iss) => `${JSON.stringify(iss.input)} is not a time of day; use HH:MM from 00:00 to 24:00`,
});

const minutesOf = (text: unknown): number | null =>
  typeof text === 'string' && TIME_OF_DAY_PATTERN.test(text) ? parseTimeOfDay(text) : null;

/** `["HH:MM","HH:MM"]`, start before end; `"24:00"` is a valid end. */
const interval = z.tuple([timeOfDay, timeOfDay]).superRefine(([from, to], ctx) => {
  const s = minutesOf(from);
  const e = minutesOf(to);
  if (s === null || e === null) return; // already reported by the element
  if (s >= e) {
    ctx.addIssue({
      code: 'custom',
      message: `start ${from} is not before end ${to}; an interval cannot cross midnight (use 24:00 as the end of the day)`,
    });
  }
});

/** A day's calling hours as minute intervals, or null when any entry is malformed. */
const toMinuteIntervals = (pairs: readonly (readonly [string, string])[]): MinuteInterval[] | null => {
  const out: MinuteInterval[] = [];
  for (const [from, to] of pairs) {
    const s = minutesOf(from);
    const e = minutesOf(to);
    if (s === null || e === null || s >= e) return null;
    out.push([s, e]);
  }
  return out;
};

const dayHours = z
  .array(interval)
  .max(12, { error: 'at most 12 intervals per day' })
  .superRefine((pairs, ctx) => {
    const intervals = toMinuteIntervals(pairs);
    if (!intervals) return;
    intervals.forEach((a, i) => {
      intervals.slice(0, i).forEach((b) => {
        if (a[0] < b[1] && b[0] < a[1]) {
          ctx.addIssue({ code: 'custom', path: [i], message: `${formatInterval(a)} overlaps ${formatInterval(b)}; merge them` });
        }
      });
    });
  });

type DayHours = [string, string][];
const weekdayHours = (hours: DayHours) => Object.fromEntries(WEEKDAYS.map((d) => [d, hours])) as Record<Weekday, DayHours>;
const DEFAULT_CALLING_HOURS: Record<Weekday, DayHours> = {
  ...weekdayHours([['08:00', '20:00']]),
  sat: [['09:00', '14:00']],
  sun: [],
};

const clone = <T>(value: T): T => structuredClone(value);

/** luxon builds an `Intl.DateTimeFormat` per check; settings are parsed often, zones are few. */
const zoneValidity = new Map<string, boolean>();
function isValidZone(tz: string): boolean {
  let valid = zoneValidity.get(tz);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(tz);
    if (zoneValidity.size < 1000) zoneValidity.set(tz, valid);
  }
  return valid;
}

const unknownDay = {
  error: (iss: { code: string; keys?: string[] }) =>
    iss.code === 'unrecognized_keys' ? `unknown day ${(iss.keys ?? []).map((k) => JSON.stringify(k)).join(', ')}; days are ${WEEKDAYS.join(', ')}` : undefined,
};

/**
 * Weekly calling hours in the client's zone. A missing day takes its default (Mon–Fri
 * 08:00–20:00, Sat 09:00–14:00, Sun none); `[]` means no calls that day.
 */
const callingHours = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((d) => [d, dayHours.default(() => clone(DEFAULT_CALLING_HOURS[d]))])) as Record<Weekday, z.ZodDefault<typeof dayHours>>,
  unknownDay,
);

/** Calling hours in a PATCH: only the days named change (a missing day keeps the client's, not the default). */
export const callingHoursPatch = z.strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, dayHours.optional()])) as Record<Weekday, z.ZodOptional<typeof dayHours>>, unknownDay);

const DEFAULT_WINDOWS: Record<string, [string, string]> = {
  morning: ['08:00', '12:00'],
  midday: ['12:00', '14:00'],
  afternoon: ['14:00', '17:00'],
  evening: ['17:00', '20:00'],
};

/** Window names are free ("ganztags"), but must be usable in URLs and job data. */
export const WINDOW_NAME_PATTERN = /^[\p{L}\p{N}_-]{1,40}$/u;

const holidaysSetting = z
  .strictObject({
    country: z.string().regex(/^[A-Z]{2}$/, { error: 'must be an upper-case ISO 3166 country code such as "DE"' }),
    state: z
      .string()
      .regex(/^[A-Z0-9]{1,3}$/, { error: 'must be an upper-case state code such as "BW" (ISO 3166-2 without the country)' })
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (!/^[A-Z]{2}$/.test(value.country)) return;
    if (!isKnownHolidayCountry(value.country)) {
      ctx.addIssue({ code: 'custom', path: ['country'], message: `no public-holiday calendar for country "${value.country}"` });
      return;
    }
    if (value.state === undefined) return;
    const states = holidayStatesOf(value.country);
    if (!states.includes(value.state)) {
      ctx.addIssue({
        code: 'custom',
        path: ['state'],
        message: states.length
          ? `"${value.state}" is not a state of ${value.country}; known: ${states.join(', ')}`
          : `${value.country} has no states in the holiday calendar; leave "state" out`,
      });
    }
  });

/**
 * What an outcome does to the case: `close` finishes it, `retry` calls again after the retry
 * delay, `callback` at the time or window given, `wrong_number` marks the number dialled as
 * wrong and goes on with the case's next number (closing the case when none is left).
 */
export type OutcomeEffect = 'close' | 'retry' | 'callback' | 'wrong_number';
const OUTCOME_EFFECTS = ['close', 'retry', 'callback', 'wrong_number'] as const satisfies readonly OutcomeEffect[];
/** Effects every client needs an outcome for. */
const REQUIRED_EFFECTS = ['close', 'retry', 'callback'] as const satisfies readonly OutcomeEffect[];

const outcome = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, {
    error: 'must be lower-case letters, digits and _ (starting with a letter, at most 40), e.g. "promise_to_pay"',
  }),
  label: z.string().trim().min(1, { error: 'must not be empty' }).max(80, { error: 'at most 80 characters' }),
  effect: z.enum(OUTCOME_EFFECTS, { error: 'must be "close", "retry", "callback" or "wrong_number"' }),
  /**
   * A `retry` outcome's own delay, instead of the client's `retryDelaySeconds` and without
   * day-part rotation: „Besetzt“ after 15 minutes (the customer is there now), „Anrufbeantworter“
   * after the usual delay. 5 minutes to 7 days.
   */
  retryDelaySeconds: z
    .number({ error: 'must be a number of seconds' })
    .int({ error: 'must be whole seconds' })
    .min(300, { error: 'at least 300 seconds (5 minutes)' })
    .max(604_800, { error: 'at most 604800 seconds (7 days)' })
    .optional(),
});

export type OutcomeDefinition = z.infer<typeof outcome>;

/** The default outcomes of DESIGN.md section 6, with their German labels. */
export const defaultOutcomes: readonly OutcomeDefinition[] = Object.freeze([
  { code: 'paid', label: 'Erledigt – bezahlt', effect: 'close' },
  { code: 'promise_to_pay', label: 'Zahlungszusage', effect: 'close' },
  { code: 'dispute', label: 'Forderung bestritten', effect: 'close' },
  { code: 'wrong_number', label: 'Falsche Nummer', effect: 'wrong_number' },
  { code: 'refused', label: 'Gespräch verweigert', effect: 'close' },
  { code: 'not_reached', label: 'Kunde nicht erreicht', effect: 'retry' },
  { code: 'callback', label: 'Später noch mal anrufen', effect: 'callback' },
] as const);

export const LANGUAGE_ROUTING_MODES = ['prefer', 'strict', 'off'] as const;
export type LanguageRouting = (typeof LANGUAGE_ROUTING_MODES)[number];

/** Final states the system sets itself; a client outcome may not take these codes. */
export const RESERVED_OUTCOME_CODES = ['max_attempts', 'cancelled', 'do_not_call', 'no_callable_time', 'open'] as const;

/** How retries after "not reached" are placed; see `retryStrategy`. */
export const RETRY_STRATEGIES = ['auto', 'rotation', 'learned'] as const;
export type RetryStrategy = (typeof RETRY_STRATEGIES)[number];

const int = (what: string, min: number, max: number) => {
  const error = `must be a whole number of ${what} from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

/**
 * The fields without the cross-field checks. zod refuses `.partial()`/`.pick()` on a refined
 * object, so code that needs those (a PATCH body) starts here and adds
 * `.superRefine(checkSchedulingSettings)` itself.
 */
export const schedulingSettingsObject = z.object({
  /** IANA zone the calling hours and windows are read in. Default `Europe/Berlin`. */
  timezone: z
    .string()
    .refine(isValidZone, {
      error: (iss) => `${JSON.stringify(iss.input)} is not an IANA time zone such as "Europe/Berlin" or "Europe/Zurich"`,
    })
    .default('Europe/Berlin'),
  /** Whose public holidays block calls; null: none. Swiss and German customers with a readable postcode use their canton's or Land's instead. */
  holidays: holidaysSetting.nullable().default(() => ({ country: 'DE' })),
  callingHours: callingHours.default(() => clone(DEFAULT_CALLING_HOURS)),
  /** Named windows for callbacks and day-part rotation. Default morning/midday/afternoon/evening. */
  windows: z.record(z.string(), interval).default(() => clone(DEFAULT_WINDOWS)),
  /** Recorded attempts after which a case closes as `max_attempts`. Default 3. */
  maxAttempts: int('attempts', 1, 20).default(3),
  /** Attempts per case and local day; more move to the next day. Default 2. */
  maxAttemptsPerDay: int('attempts', 1, 20).default(2),
  /** Delay after a `retry` outcome without a delay of its own (`outcomes[].retryDelaySeconds`), counted from recording. Default 7200 (2 h). */
  retryDelaySeconds: int('seconds', 1, 30 * 86_400).default(7200),
  /** How long a personal callback waits for its agent before anyone may take it. Default 30. */
  personalCallbackGraceMinutes: int('minutes', 0, 7 * 1440).default(30),
  /**
   * How a retry after "not reached" picks its time: `rotation` (day-part rotation), `learned`
   * (the window where this client's customers are reached most often), `auto` (default:
   * `learned` once the client has at least 200 recorded attempts within `learningDays`).
   */
  retryStrategy: z.enum(RETRY_STRATEGIES, { error: 'must be "auto", "rotation" or "learned"' }).default('auto'),
  /** How many days of recorded attempts the reach rates are learned from. Default 90. */
  learningDays: int('days', 7, 730).default(90),
  defaultCountry: z.string().regex(/^[A-Z]{2}$/, { error: 'must be an upper-case ISO 3166 country code such as "DE"' }).default('DE'),
  defaultLanguage: z.string().regex(/^[a-z]{2}$/, { error: 'must be a lower-case ISO 639-1 language code such as "de"' }).default('de'),
  /**
   * Who gets a case in another language than the agent's (DESIGN.md section 4): `prefer`
   * (default) speakers first, anyone of the client after `languageFallbackMinutes`; `strict`
   * speakers only; `off` anyone, the language is only shown.
   */
  languageRouting: z.enum(LANGUAGE_ROUTING_MODES, { error: 'must be "prefer", "strict" or "off"' }).default('prefer'),
  /** Under `prefer`: minutes a case waits callable for a speaker before any agent may take it. Default 60. */
  languageFallbackMinutes: int('minutes', 0, 7 * 1440).default(60),
  outcomes: z
    .array(outcome)
    .min(1, { error: 'at least one outcome is needed' })
    .max(50, { error: 'at most 50 outcomes' })
    .default(() => clone([...defaultOutcomes])),
});

type RawSettings = z.output<typeof schedulingSettingsObject>;

/** The cross-field checks of the settings (windows vs calling hours, outcome codes). */
export function checkSchedulingSettings(settings: Partial<RawSettings>, ctx: z.RefinementCtx): void {
  const weekly = settings.callingHours ? normalizedWeek(settings.callingHours) : null;
  if (weekly && WEEKDAYS.every((d) => weekly[d].length === 0)) {
    ctx.addIssue({ code: 'custom', path: ['callingHours'], message: 'no day has calling hours, so no case could ever be called' });
  } else if (settings.windows) checkWindows(settings.windows, weekly, ctx);
  if (settings.outcomes) checkOutcomes(settings.outcomes, ctx);
}

function normalizedWeek(hours: Record<Weekday, DayHours>): Record<Weekday, MinuteInterval[]> | null {
  const week = {} as Record<Weekday, MinuteInterval[]>;
  for (const d of WEEKDAYS) {
    const intervals = toMinuteIntervals(hours[d] ?? []);
    if (!intervals) return null;
    week[d] = normalizeIntervals(intervals);
  }
  return week;
}

function checkWindows(
  windows: Record<string, [string, string]>,
  week: Record<Weekday, MinuteInterval[]> | null,
  ctx: z.RefinementCtx,
): void {
  const names = Object.keys(windows);
  if (names.length === 0) ctx.addIssue({ code: 'custom', path: ['windows'], message: 'at least one window is needed' });
  if (names.length > 24) ctx.addIssue({ code: 'custom', path: ['windows'], message: 'at most 24 windows' });
  for (const name of names) {
    if (!WINDOW_NAME_PATTERN.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['windows', name],
        message: `window name ${JSON.stringify(name)} may only hold letters, digits, _ and - (at most 40)`,
      });
      continue;
    }
    const [window] = toMinuteIntervals([windows[name]!]) ?? [];
    if (!window || !week) continue;
    const problem = windowOutsideCallingHours(window, week);
    if (problem) ctx.addIssue({ code: 'custom', path: ['windows', name], message: problem });
  }
}

/** Why a window fits no day's calling hours, or null when it fits at least one day. */
function windowOutsideCallingHours(window: MinuteInterval, week: Record<Weekday, MinuteInterval[]>): string | null {
  if (WEEKDAYS.some((d) => coveredBy(window, week[d]))) return null;
  const [start, end] = window;
  const startFits = WEEKDAYS.some((d) => week[d].some(([s, e]) => s <= start && start < e));
  const endFits = WEEKDAYS.some((d) => week[d].some(([s, e]) => s < end && end <= e));
  const text = formatInterval(window);
  const [from, to] = text.split('–');
  if (startFits && !endFits) return `end ${to} lies outside every calling-hours interval`;
  if (!startFits && endFits) return `start ${from} lies outside every calling-hours interval`;
  if (!startFits && !endFits) return `${text} lies outside the calling hours of every day`;
  return `${text} does not fit inside one calling-hours interval on any day`;
}

function checkOutcomes(outcomes: OutcomeDefinition[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  outcomes.forEach((o, i) => {
    const first = seen.get(o.code);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['outcomes', i, 'code'], message: `"${o.code}" is used twice (also outcomes[${first}])` });
    } else seen.set(o.code, i);
    // Codes are keys of the counts by outcome (progress, LE report): none every object has (`constructor`).
    if ((RESERVED_OUTCOME_CODES as readonly string[]).includes(o.code) || o.code in Object.prototype) {
      ctx.addIssue({ code: 'custom', path: ['outcomes', i, 'code'], message: `"${o.code}" is reserved for the system` });
    }
    if (o.retryDelaySeconds !== undefined && o.effect !== 'retry') {
      ctx.addIssue({ code: 'custom', path: ['outcomes', i, 'retryDelaySeconds'], message: `only an outcome with effect "retry" has its own delay; "${o.code}" is "${o.effect}"` });
    }
  });
  for (const effect of REQUIRED_EFFECTS) {
    if (!outcomes.some((o) => o.effect === effect)) {
      ctx.addIssue({
        code: 'custom',
        path: ['outcomes'],
        message: `at least one outcome with effect "${effect}" is needed (${EFFECT_PURPOSE[effect]})`,
      });
    }
  }
}

const EFFECT_PURPOSE: Record<(typeof REQUIRED_EFFECTS)[number], string> = {
  close: 'to finish a case',
  retry: 'for "not reached"',
  callback: 'for "call back later"',
};

/**
 * Client scheduling settings, every field with the default of DESIGN.md sections 5/6.
 * Parse with it wherever settings come in (API body, database row) — the scheduling
 * functions trust their input.
 */
export const schedulingSettingsSchema = schedulingSettingsObject.superRefine(checkSchedulingSettings);

export type SchedulingSettings = z.infer<typeof schedulingSettingsSchema>;

export const defaultSchedulingSettings: SchedulingSettings = schedulingSettingsSchema.parse({});

/** `path: message` lines of a failed settings parse, as a team lead reads them. */
export function formatSettingsIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message));
}

/** A customer-stated window stored on the case: "only weekdays after 17:00". */
export const preferredWindowSchema = z
  .strictObject({
    days: z
      .array(z.enum(WEEKDAYS, { error: `days are ${WEEKDAYS.join(', ')}` }))
      .min(1, { error: 'name at least one day' })
      .refine((days) => new Set(days).size === days.length, { error: 'a day is listed twice' }),
    from: timeOfDay,
    to: timeOfDay,
  })
  .superRefine((w, ctx) => {
    const s = minutesOf(w.from);
    const e = minutesOf(w.to);
    if (s !== null && e !== null && s >= e) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `${w.to} is not after ${w.from}; a window cannot cross midnight` });
    }
  });

export type PreferredWindow = z.infer<typeof preferredWindowSchema>;

/** A case's list of customer-stated windows; empty or null means "no restriction". */
export const preferredWindowsSchema = z.array(preferredWindowSchema).max(14, { error: 'at most 14 windows' });

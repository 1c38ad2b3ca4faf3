/**
 * The scheduling core: when a case may be called. Pure functions over client settings, case
 * state and `now`; no clock, no I/O. DESIGN.md section 5, docs/scheduling.md.
 */
export {
  schedulingSettingsSchema,
  schedulingSettingsObject,
  checkSchedulingSettings,
  defaultSchedulingSettings,
  defaultOutcomes,
  formatSettingsIssues,
  preferredWindowSchema,
  preferredWindowsSchema,
  RESERVED_OUTCOME_CODES,
  RETRY_STRATEGIES,
  type RetryStrategy,
  WINDOW_NAME_PATTERN,
  LANGUAGE_ROUTING_MODES,
  type LanguageRouting,
  type SchedulingSettings,
  type OutcomeEffect,
  type OutcomeDefinition,
  type PreferredWindow,
} from './settings.js';
export {
  nextCallableAt,
  isCallableNow,
  callableUntil,
  windowAt,
  windowOccurrence,
  type ScheduledSlot,
  type NotCallableReason,
  type CallableCheck,
} from './next-callable.js';
export {
  waitingKeyFor,
  type ScheduleRequest,
  type ScheduleReason,
  type NeverCause,
  type NextCallable,
  type Scheduled,
  type NeverCallable,
  type WaitingKey,
} from './result.js';
export { holidayRegionFor, type CaseSchedulingState } from './calendar.js';
export { retryDueAt, ROTATION_MAX_EXTRA_MS } from './retry.js';
export { personalCallbackOpensToAllAt, callbackGapMs, CALLBACK_MIN_GAP_MS } from './callback.js';
export { germanStatesForPostcode } from './german-postcodes.js';
export { type HolidayRegion } from './holidays.js';
export {
  normalizeSwissPostcode,
  swissPostcodeInfo,
  swissCantonForPostcode,
  swissLanguageForPostcode,
  type SwissPostcodeInfo,
} from './swiss-postcodes.js';
export { WEEKDAYS, type Weekday } from './time-of-day.js';
export {
  DAY_TYPES,
  dayTypeOf,
  expectedReach,
  effectiveStrategy,
  foldAttempts,
  priorRate,
  addCounts,
  emptyCounts,
  clientAttempts,
  cellOf,
  PRIOR_ATTEMPTS,
  AUTO_LEARNED_MIN_ATTEMPTS,
  type DayType,
  type ReachCounts,
  type ReachCell,
  type ReachRates,
  type ReachContext,
  type AttemptGroup,
} from './reach-rates.js';
export { LEARNED_MAX_EXTRA_MS, EXPLORATION_RATE, type RetryChoice } from './learned-retry.js';

/** Error codes shared by core and the server's error mapper (see ARCHITECTURE.md, "Requests"). */
export type CoreErrorCode = 'INVALID_INPUT' | 'CALENDAR_UNKNOWN_YEAR';

/** A date string that is not a real calendar date in `YYYY-MM-DD` form, or is out of range. */
export class InvalidDateError extends Error {
  readonly code = 'INVALID_INPUT' as const;
  constructor(
    message: string,
    readonly value?: unknown,
  ) {
    super(message);
    this.name = 'InvalidDateError';
  }
}

/**
 * A date falls in a year whose State Council holiday notice is not in the calendar. Never guessed:
 * import the year (`npx zizhi calendar import FILE`) or ask for a provisional answer.
 */
export class CalendarUnknownYearError extends Error {
  readonly code = 'CALENDAR_UNKNOWN_YEAR' as const;
  constructor(readonly year: number) {
    super(
      `The holiday notice for ${year} is not published in the calendar: import the year file ` +
        `(npx zizhi calendar import FILE) or compute provisionally (weekday rule).`,
    );
    this.name = 'CalendarUnknownYearError';
  }
}

/** An imported calendar year file that fails validation; `problems` lists every finding. */
export class InvalidCalendarYearError extends Error {
  readonly code = 'INVALID_INPUT' as const;
  constructor(readonly problems: readonly string[]) {
    super(`Invalid calendar year file: ${problems.join('; ')}`);
    this.name = 'InvalidCalendarYearError';
  }
}

/** Events or certificate data given to the obligation engine that cannot be used as they are. */
export class InvalidEventError extends Error {
  readonly code = 'INVALID_INPUT' as const;
  constructor(
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

export { addCalendarDays, addMonths, isValidDate, MIN_YEAR, MAX_YEAR } from './days.js';
export {
  NEXT_NOTICE_FROM_DECEMBER,
  awaitedNoticeYear,
  calendarRevision,
  isDateSettled,
  isYearPublished,
  noticeDay,
  publishedYears,
  registerCalendarYear,
  replaceImportedYears,
  resetCalendarYears,
  validateCalendarYear,
  type CalendarDay,
  type CalendarYearFile,
  type CalendarYearSource,
  type PublishedYear,
} from './registry.js';
export {
  addDays,
  addWorkdays,
  countWorkdays,
  isWorkday,
  type CalendarOptions,
  type ProvisionalResult,
} from './workdays.js';

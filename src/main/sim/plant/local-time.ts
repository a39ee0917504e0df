/**
 * Local clock time of the site, for things people do by the clock (cooking, laundry): hour of day,
 * day index and weekday in an IANA zone, DST included, from the one implementation in src/shared/zone.ts.
 */
export { ZoneClock as LocalClock } from '../../../shared/zone.js';

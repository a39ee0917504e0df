/**
 * Local calendar arithmetic for the store (energy per hour, day and month in the configured zone):
 * the one implementation in src/shared/zone.ts.
 */
export { isValidTimeZone, ZoneClock, type LocalParts, type Period } from '../../shared/zone.js';

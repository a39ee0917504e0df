/** mbmd HTTP API bodies (protocols.md §4) and the legacy SDM230 table mapping: pure codec. */
export { decodeMbmdBody } from './decode.js';
export { SDM230_LEGACY_FIELDS, sdm230LegacyColumns } from './legacy.js';

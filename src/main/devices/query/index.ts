/** One-shot device queries for `voltmon query`. */
export { queryOnce, planQuery, QUERY_PROTOCOLS, type QueryOptions, type QueryOutcome, type QueryProtocol } from './query-once.js';
export { queryMbmdOnce, type MbmdQueryOptions } from './mbmd-once.js';

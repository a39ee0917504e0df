/** The Daly BMS driver and its defaults. */
export { BmsDriver, DEFAULT_BMS_DATA_IDS, DEFAULT_BMS_RULES, type BmsDriverOptions, type MosReply } from './bms-driver.js';

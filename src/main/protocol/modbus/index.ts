/** Modbus RTU (function 0x04) and the Eastron SDM230 register map (protocols.md §3): pure codec. */
export { ModbusRtuResponseAssembler, type ExpectedModbusResponse } from './assembler.js';
export { crc16Modbus, withCrc } from './crc.js';
export {
  MODBUS_EXCEPTION_NAMES,
  decodeModbusException,
  describeModbusException,
  encodeExceptionResponse,
  type ModbusException,
} from './exception.js';
export { float32ToRegisters, registersToFloat32 } from './float.js';
export {
  MAX_READ_REGISTERS,
  READ_INPUT_REGISTERS,
  decodeReadInputRegistersResponse,
  encodeReadInputRegisters,
  encodeReadInputRegistersResponse,
  parseReadInputRegistersRequest,
  type ReadInputRegistersResponse,
  type ReadResponseOptions,
} from './read-input-registers.js';
export { SDM230_REGISTERS, sdm230Fields, sdm230FieldsInRange, sdm230RegisterAt, type Sdm230Register } from './sdm230.js';

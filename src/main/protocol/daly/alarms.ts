/** 0x98 failure status: bytes 0-6 are alarm bit maps (protocols.md §2.10), bit 0 first. */

/** Names per byte, bit 0 first; null marks a reserved bit. L1 = warning, L2 = protection. */
export const DALY_ALARM_BITS: readonly (readonly (string | null)[])[] = [
  ['cellVoltHighL1', 'cellVoltHighL2', 'cellVoltLowL1', 'cellVoltLowL2', 'sumVoltHighL1', 'sumVoltHighL2', 'sumVoltLowL1', 'sumVoltLowL2'],
  ['chargeTempHighL1', 'chargeTempHighL2', 'chargeTempLowL1', 'chargeTempLowL2', 'dischargeTempHighL1', 'dischargeTempHighL2', 'dischargeTempLowL1', 'dischargeTempLowL2'],
  ['chargeOverCurrentL1', 'chargeOverCurrentL2', 'dischargeOverCurrentL1', 'dischargeOverCurrentL2', 'socHighL1', 'socHighL2', 'socLowL1', 'socLowL2'],
  ['cellVoltDiffL1', 'cellVoltDiffL2', 'tempDiffL1', 'tempDiffL2', null, null, null, null],
  ['chargeMosTempHigh', 'dischargeMosTempHigh', 'chargeMosTempSensorError', 'dischargeMosTempSensorError', 'chargeMosAdhesion', 'dischargeMosAdhesion', 'chargeMosOpenCircuit', 'dischargeMosOpenCircuit'],
  ['afeChipError', 'cellCollectDropped', 'cellTempSensorError', 'eepromError', 'rtcError', 'prechargeFailure', 'communicationFailure', 'internalCommunicationFailure'],
  ['currentModuleFault', 'sumVoltDetectFault', 'shortCircuitProtect', 'lowVoltChargeForbidden', null, null, null, null],
];

/** Every set bit of the 7 alarm bytes by name, in byte then bit order; reserved bits as `reservedByte<b>Bit<n>`. */
export function dalyActiveAlarms(alarmBytes: Uint8Array): string[] {
  const active: string[] = [];
  DALY_ALARM_BITS.forEach((names, byteIndex) => {
    const value = alarmBytes[byteIndex] ?? 0;
    names.forEach((name, bit) => {
      if ((value >> bit) & 1) active.push(name ?? `reservedByte${byteIndex}Bit${bit}`);
    });
  });
  return active;
}

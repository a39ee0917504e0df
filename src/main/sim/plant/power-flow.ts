/**
 * Where the power goes during one step, given the inverter's mode and priorities: PV to the load and
 * the battery, the grid to the load and the AC charger, the battery covering the rest. Pure; the
 * plant applies the result. Signs: battery power and current are positive when charging.
 */

/** Conversion efficiencies and self-consumption of a 5 kW Axpert-class unit. */
export const EFFICIENCY = {
  /** PV (MPPT) to the DC bus. */
  solarCharger: 0.96,
  /** DC bus to AC output. */
  inverter: 0.93,
  /** AC input to the DC bus (utility charger). */
  acCharger: 0.9,
  /** Own consumption while the output is on, drawn from the DC bus (battery mode) or the grid (line mode). */
  selfConsumptionW: 45,
  /** Own consumption with the output off (controller, display). */
  standbyConsumptionW: 8,
} as const;

export type FlowMode = 'L' | 'B' | 'S' | 'F';

export interface FlowInput {
  mode: FlowMode;
  /** 0 utility first, 1 solar first, 2 SBU. */
  outputSourcePriority: number;
  /** 0 utility first, 1 solar first, 2 solar + utility, 3 solar only. */
  chargerSourcePriority: number;
  gridAtInput: boolean;
  /** Most the PV array can deliver now (DC, at the maximum power point). */
  pvAvailableW: number;
  loadDemandW: number;
  /** Battery as a Thévenin source: terminal volts = openCircuitV + current × resistanceOhm. */
  openCircuitV: number;
  resistanceOhm: number;
  /** Constant-voltage target of the current charge stage; null when the charger must not charge. */
  chargeTargetV: number | null;
  maxChargingCurrentA: number;
  maxAcChargingCurrentA: number;
  /** The BMS's charge / discharge MOSFETs. */
  chargeAllowed: boolean;
  dischargeAllowed: boolean;
  /** Most the AC input may draw, W. */
  gridLimitW: number;
}

export interface FlowResult {
  loadServedW: number;
  pvUsedW: number;
  gridW: number;
  batteryPowerW: number;
  batteryCurrentA: number;
  pvChargeW: number;
  acChargeW: number;
  /** Everything lost in conversion and self-consumption, W. */
  conversionLossW: number;
  /** Battery mode needed the battery but the BMS had it switched off: the output must shut down. */
  batteryUnavailable: boolean;
}

/** Current for a given terminal power: solves P = I·(E + I·R). */
export function currentForPower(powerW: number, openCircuitV: number, resistanceOhm: number): number {
  if (powerW === 0) return 0;
  const discriminant = openCircuitV * openCircuitV + 4 * resistanceOhm * powerW;
  if (discriminant <= 0) return -openCircuitV / (2 * resistanceOhm);
  return (-openCircuitV + Math.sqrt(discriminant)) / (2 * resistanceOhm);
}

const powerForCurrent = (currentA: number, openCircuitV: number, resistanceOhm: number): number =>
  currentA * (openCircuitV + currentA * resistanceOhm);

/** Largest charge current the constant-voltage stage allows (taper as the battery approaches the target). */
function chargeCapA(input: FlowInput): number {
  if (input.chargeTargetV === null || !input.chargeAllowed) return 0;
  const cv = (input.chargeTargetV - input.openCircuitV) / input.resistanceOhm;
  return Math.max(0, Math.min(input.maxChargingCurrentA, cv));
}

export function computeFlow(input: FlowInput): FlowResult {
  if (input.mode === 'L' && !input.gridAtInput) return computeFlow({ ...input, mode: 'B' });
  const { openCircuitV: e, resistanceOhm: r } = input;
  const pvBusMaxW = Math.max(0, input.pvAvailableW) * EFFICIENCY.solarCharger;
  const capA = chargeCapA(input);
  const capW = powerForCurrent(capA, e, r);
  const outputOn = input.mode === 'L' || input.mode === 'B';
  const loadServedW = outputOn ? Math.max(0, input.loadDemandW) : 0;

  let pvToLoadBusW = 0;
  let gridToLoadW = 0;
  let dcDemandW = 0;
  let inverterLossW = 0;
  let selfGridW = 0;
  let selfDcW = 0;

  if (input.mode === 'L') {
    const solarFeedsLoad = input.outputSourcePriority !== 0;
    const pvToLoadAcW = solarFeedsLoad ? Math.min(loadServedW, pvBusMaxW * EFFICIENCY.inverter) : 0;
    pvToLoadBusW = pvToLoadAcW / EFFICIENCY.inverter;
    inverterLossW = pvToLoadBusW - pvToLoadAcW;
    gridToLoadW = loadServedW - pvToLoadAcW;
    selfGridW = EFFICIENCY.selfConsumptionW;
  } else if (input.mode === 'B') {
    dcDemandW = loadServedW / EFFICIENCY.inverter;
    inverterLossW = dcDemandW - loadServedW;
    selfDcW = EFFICIENCY.selfConsumptionW;
  } else {
    selfDcW = EFFICIENCY.standbyConsumptionW;
  }

  // Battery mode and standby: PV covers the DC demand first, the battery the rest.
  const pvToDemandW = Math.min(pvBusMaxW, dcDemandW + selfDcW);
  let deficitW = dcDemandW + selfDcW - pvToDemandW;
  if (deficitW > 0 && !input.dischargeAllowed) {
    if (input.mode === 'B') return { ...computeFlow({ ...input, mode: 'S' }), batteryUnavailable: true };
    // Output already off and no battery: the controller runs on whatever PV gives, or not at all.
    selfDcW -= deficitW;
    deficitW = 0;
  }
  pvToLoadBusW += pvToDemandW;
  const pvSurplusBusW = Math.max(0, pvBusMaxW - pvToLoadBusW);

  const utilityInUse = input.mode === 'L' && input.gridAtInput;
  const solarMayCharge = !(utilityInUse && input.chargerSourcePriority === 0) && input.mode !== 'F';
  const acMayCharge =
    utilityInUse &&
    (input.chargerSourcePriority === 0 ||
      input.chargerSourcePriority === 2 ||
      (input.chargerSourcePriority === 1 && input.pvAvailableW < 30));

  let pvChargeW = 0;
  let acChargeDcW = 0;
  if (deficitW <= 0) {
    if (solarMayCharge) pvChargeW = Math.min(pvSurplusBusW, capW);
    if (acMayCharge) {
      const acCapW = powerForCurrent(Math.min(capA, input.maxAcChargingCurrentA), e, r);
      acChargeDcW = Math.max(0, Math.min(capW - pvChargeW, acCapW));
      const headroomW = input.gridLimitW - gridToLoadW - selfGridW;
      acChargeDcW = Math.max(0, Math.min(acChargeDcW, headroomW * EFFICIENCY.acCharger));
    }
  }

  const batteryPowerW = deficitW > 0 ? -deficitW : pvChargeW + acChargeDcW;
  const pvBusUsedW = pvToLoadBusW + pvChargeW;
  const pvUsedW = pvBusUsedW / EFFICIENCY.solarCharger;
  const acChargeAcW = acChargeDcW / EFFICIENCY.acCharger;
  const gridW = utilityInUse ? gridToLoadW + selfGridW + acChargeAcW : 0;
  const conversionLossW =
    pvUsedW - pvBusUsedW + inverterLossW + (acChargeAcW - acChargeDcW) + selfGridW * (utilityInUse ? 1 : 0) + selfDcW;

  return {
    loadServedW,
    pvUsedW,
    gridW,
    batteryPowerW,
    batteryCurrentA: currentForPower(batteryPowerW, e, r),
    pvChargeW,
    acChargeW: acChargeDcW,
    conversionLossW,
    batteryUnavailable: false,
  };
}

/** Simulators: the plant model and devices that speak the real wire protocols (see docs/simulator.md). */
export * from './plant/index.js';
export { DeviceSimulator, type RequestAssembler, type SimEndpoint, type SimExchange, type SimulatorOptions, type SimulatorStats } from './devices/device-simulator.js';
export { FAULT_KINDS, type FaultKind, type FaultSpec } from './devices/faults.js';
export { InverterSimulator, type InverterSimulatorOptions } from './devices/inverter-simulator.js';
export { BmsSimulator, type BmsSimulatorOptions } from './devices/bms-simulator.js';
export { MeterSimulator, type MeterSimulatorOptions } from './devices/meter-simulator.js';
export { serveTcp, type TcpSimulatorServer } from './devices/tcp-server.js';
export { exposeOnPty, openPtyPair, type PtyAttachment, type PtyOptions, type PtyPair } from './devices/pty.js';
export { startPlantClock, type PlantClock } from './plant-clock.js';
export { createSimulatedInstallation, type InstallationOptions, type SimulatedInstallation } from './installation.js';

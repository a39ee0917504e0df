-- QPIGS as the original installation stored it (protocols.md §5): one row per QPIGS reply.
-- `created` is the UTC DATETIME (to the second) of the reply.
CREATE OR REPLACE ALGORITHM = MERGE VIEW QPIGS AS
SELECT
  created,
  grid_voltage_v AS var1,
  grid_frequency_hz AS var2,
  ac_output_voltage_v AS var3,
  ac_output_frequency_hz AS var4,
  ac_output_apparent_power_va AS var5,
  ac_output_active_power_w AS var6,
  output_load_pct AS var7,
  bus_voltage_v AS var8,
  battery_voltage_v AS var9,
  battery_charging_current_a AS var10,
  battery_capacity_pct AS var11,
  heat_sink_temperature_c AS var12,
  pv_input_current_a AS var13,
  pv_input_voltage_v AS var14,
  battery_voltage_from_scc_v AS var15,
  battery_discharge_current_a AS var16
FROM inverter_samples
WHERE source = 'QPIGS';

-- SDM230 as the original stored it from mbmd (protocols.md §5): the 13 values in mbmd's alphabetical
-- order. Rows of the same second are joined (a Modbus driver may read the registers in several requests).
CREATE OR REPLACE VIEW SDM230 AS
SELECT
  created,
  MAX(apparent_power_va) AS var1,
  MAX(power_factor) AS var2,
  MAX(current_a) AS var3,
  MAX(export_active_energy_kwh) AS var4,
  MAX(frequency_hz) AS var5,
  MAX(import_active_energy_kwh) AS var6,
  MAX(phase_angle_deg) AS var7,
  MAX(active_power_w) AS var8,
  MAX(export_reactive_energy_kvarh) AS var9,
  MAX(import_reactive_energy_kvarh) AS var10,
  MAX(reactive_power_var) AS var11,
  MAX(total_active_energy_kwh) AS var12,
  MAX(voltage_v) AS var13
FROM meter_samples
GROUP BY site, created;

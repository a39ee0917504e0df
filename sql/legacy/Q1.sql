-- Q1: var1-var27 = Q1 fields 0-26 (var17 inverterChargeStatus, var18-var27 the equalisation fields,
-- NULL on firmware that sends 17 fields).
CREATE OR REPLACE ALGORITHM = MERGE VIEW Q1 AS
SELECT
  created,
  time_until_absorb_end_s AS var1,
  time_until_float_end_s AS var2,
  scc_ok_flag AS var3,
  allow_scc_on_flag AS var4,
  charge_average_current_a AS var5,
  scc_pwm_temperature_c AS var6,
  inverter_temperature_c AS var7,
  battery_temperature_c AS var8,
  transformer_temperature_c AS var9,
  parallel_mode AS var10,
  fan_lock_status AS var11,
  fan_pwm_duty AS var12,
  fan_speed_pct AS var13,
  scc_charge_power_w AS var14,
  CASE WHEN parallel_warning REGEXP '^[0-9]+$' THEN CAST(parallel_warning AS UNSIGNED) END AS var15,
  sync_frequency_hz AS var16,
  COALESCE(inverter_charge_status_code,
    CASE WHEN inverter_charge_status REGEXP '^[0-9]+$' THEN CAST(inverter_charge_status AS UNSIGNED)
      ELSE NULLIF(FIELD(inverter_charge_status, 'noCharging', 'bulk', 'absorb', 'float'), 0) + 9
    END) AS var17,
  equalization_enabled AS var18,
  equalization_time_min AS var19,
  equalization_period_days AS var20,
  equalization_max_current_a AS var21,
  equalization_reserved1 AS var22,
  equalization_voltage_v AS var23,
  equalization_reserved2 AS var24,
  equalization_over_time_min AS var25,
  equalization_active AS var26,
  equalization_elapsed_h AS var27
FROM inverter_samples
WHERE source = 'Q1';

-- QPIRI as the original stored it: var1-var25 = QPIRI fields 0-24, var26 = field 25.
-- Enumerations: the device's code (`*_code`, sent by the drivers beside the name); failing that the
-- field itself, a code such as '2' (raw codec output) or a name such as 'sbu' turned back into its code.
CREATE OR REPLACE ALGORITHM = MERGE VIEW QPIRI AS
SELECT
  created,
  grid_rating_voltage_v AS var1,
  grid_rating_current_a AS var2,
  ac_output_rating_voltage_v AS var3,
  ac_output_rating_frequency_hz AS var4,
  ac_output_rating_current_a AS var5,
  ac_output_rating_apparent_power_va AS var6,
  ac_output_rating_active_power_w AS var7,
  battery_rating_voltage_v AS var8,
  battery_recharge_voltage_v AS var9,
  battery_under_voltage_v AS var10,
  battery_bulk_voltage_v AS var11,
  battery_float_voltage_v AS var12,
  COALESCE(battery_type_code,
    CASE WHEN battery_type REGEXP '^[0-9]+$' THEN CAST(battery_type AS UNSIGNED)
      ELSE NULLIF(FIELD(battery_type, 'agm', 'flooded', 'user', 'pylontech', 'shinheung', 'weco', 'soltaro', 'tbd', 'libProtocol', 'thirdPartyLithium'), 0) - 1
    END) AS var13,
  max_ac_charging_current_a AS var14,
  max_charging_current_a AS var15,
  input_voltage_range AS var16,
  COALESCE(output_source_priority_code,
    CASE WHEN output_source_priority REGEXP '^[0-9]+$' THEN CAST(output_source_priority AS UNSIGNED)
      ELSE NULLIF(FIELD(output_source_priority, 'utilityFirst', 'solarFirst', 'sbu'), 0) - 1
    END) AS var17,
  COALESCE(charger_source_priority_code,
    CASE WHEN charger_source_priority REGEXP '^[0-9]+$' THEN CAST(charger_source_priority AS UNSIGNED)
      ELSE NULLIF(FIELD(charger_source_priority, 'utilityFirst', 'solarFirst', 'solarAndUtility', 'solarOnly'), 0) - 1
    END) AS var18,
  parallel_max_number AS var19,
  CASE WHEN machine_type REGEXP '^[0-9]+$' THEN CAST(machine_type AS UNSIGNED) END AS var20,
  topology AS var21,
  output_mode AS var22,
  battery_redischarge_voltage_v AS var23,
  pv_ok_condition AS var24,
  pv_power_balance AS var25,
  max_charging_time_at_cv_min AS var26
FROM inverter_samples
WHERE source = 'QPIRI';

-- VIEW2: inverter per UTC hour `h` from QPIGS. var1 = mean load power + 60 W self-consumption (var6 + 60),
-- var2 = mean PV power (var13 * var14), both in W, i.e. Wh for that hour.
CREATE OR REPLACE VIEW VIEW2 AS
SELECT
  created_hour AS h,
  AVG(ac_output_active_power_w + 60) AS var1,
  AVG(pv_input_current_a * pv_input_voltage_v) AS var2
FROM inverter_samples
WHERE source = 'QPIGS'
GROUP BY site, created_hour;

-- VIEW1: grid per UTC hour `h` from the meter. var1 = mean import power (W, negative readings count as
-- 0), var2 = mean export power (W, negative; positive readings count as 0). A mean power over one hour
-- is that hour's energy in Wh, which is how the STATS dashboard sums them per day. One row per site
-- and hour, so summing over rows adds the sites up.
CREATE OR REPLACE VIEW VIEW1 AS
SELECT
  created_hour AS h,
  AVG(GREATEST(active_power_w, 0)) AS var1,
  AVG(LEAST(active_power_w, 0)) AS var2
FROM meter_samples
WHERE active_power_w IS NOT NULL
GROUP BY site, created_hour;

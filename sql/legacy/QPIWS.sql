-- QPIWS: var1 = the warning bit string (bit 0 first), var2 = FAULT!!! / WARNING! / OK by the original's
-- classification (protocols.md §1.5): faults at bits 1-4, 7, 8, 18-24; warnings at 5, 6, 9-12, 14-17,
-- 25-29; bits 0, 13 and 30+ ignored. The driver's own legacyStatus wins when it sent one.
CREATE OR REPLACE ALGORITHM = MERGE VIEW QPIWS AS
SELECT
  created,
  warning_bits AS var1,
  COALESCE(legacy_status,
    CASE
      WHEN warning_bits IS NULL THEN NULL
      WHEN SUBSTRING(warning_bits, 2, 4) REGEXP '1' OR SUBSTRING(warning_bits, 8, 2) REGEXP '1'
        OR SUBSTRING(warning_bits, 19, 7) REGEXP '1' THEN 'FAULT!!!'
      WHEN SUBSTRING(warning_bits, 6, 2) REGEXP '1' OR SUBSTRING(warning_bits, 10, 4) REGEXP '1'
        OR SUBSTRING(warning_bits, 15, 4) REGEXP '1' OR SUBSTRING(warning_bits, 26, 5) REGEXP '1' THEN 'WARNING!'
      ELSE 'OK'
    END) AS var2
FROM inverter_samples
WHERE source = 'QPIWS';

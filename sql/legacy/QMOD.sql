-- QMOD: var1 = the mode letter (P S L B F H D C Y E), also when the driver stored the mode by name.
CREATE OR REPLACE ALGORITHM = MERGE VIEW QMOD AS
SELECT
  created,
  CAST(
    CASE WHEN CHAR_LENGTH(mode) = 1 THEN mode
      ELSE ELT(FIELD(COALESCE(mode_name, mode), 'powerOn', 'standby', 'line', 'battery', 'fault', 'powerSaving', 'shutdown', 'charge', 'bypass', 'eco'),
        'P', 'S', 'L', 'B', 'F', 'H', 'D', 'C', 'Y', 'E')
    END AS CHAR(1)) AS var1
FROM inverter_samples
WHERE source = 'QMOD';

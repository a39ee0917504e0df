-- QMOD: var1 = the mode letter (P S L B F H D C Y E): `mode_code` as the driver sends it beside the
-- mode's name, or the letter back from the name.
CREATE OR REPLACE ALGORITHM = MERGE VIEW QMOD AS
SELECT
  created,
  CAST(
    COALESCE(mode_code,
      CASE WHEN CHAR_LENGTH(mode) = 1 THEN mode
        ELSE ELT(FIELD(mode, 'powerOn', 'standby', 'line', 'battery', 'fault', 'powerSaving', 'shutdown', 'charge', 'bypass', 'eco'),
          'P', 'S', 'L', 'B', 'F', 'H', 'D', 'C', 'Y', 'E')
      END) AS CHAR(1)) AS var1
FROM inverter_samples
WHERE source = 'QMOD';

/**
 * Clear-sky output of a fixed, south-facing PV array from the sun's position. Textbook approximations
 * (Cooper's declination, Spencer-style equation of time, Meinel's air-mass attenuation) are accurate to
 * a few percent, which is all a simulated installation needs.
 */

export interface PvArray {
  latitudeDeg: number;
  longitudeDeg: number;
  /** Panel tilt from horizontal; the array faces due south. */
  tiltDeg: number;
  /** Nameplate power at 1000 W/m². */
  nominalPowerW: number;
  /** Wiring, soiling, MPPT and temperature losses lumped together. */
  systemDerate: number;
}

const DEG = Math.PI / 180;
const DAY_MS = 86_400_000;
const SOLAR_CONSTANT_W_M2 = 1353;

interface DayGeometry {
  dayIndex: number;
  sinDecl: number;
  cosDecl: number;
  equationOfTimeH: number;
}

/** Sun position and the resulting plane-of-array irradiance, with per-day quantities cached. */
export class SunModel {
  private day: DayGeometry = { dayIndex: Number.NaN, sinDecl: 0, cosDecl: 1, equationOfTimeH: 0 };
  private readonly sinLat: number;
  private readonly cosLat: number;
  private readonly sinLatMinusTilt: number;
  private readonly cosLatMinusTilt: number;
  private readonly diffuseViewFactor: number;

  constructor(readonly array: PvArray) {
    this.sinLat = Math.sin(array.latitudeDeg * DEG);
    this.cosLat = Math.cos(array.latitudeDeg * DEG);
    this.sinLatMinusTilt = Math.sin((array.latitudeDeg - array.tiltDeg) * DEG);
    this.cosLatMinusTilt = Math.cos((array.latitudeDeg - array.tiltDeg) * DEG);
    this.diffuseViewFactor = (1 + Math.cos(array.tiltDeg * DEG)) / 2;
  }

  /** Sine of the sun's elevation; negative at night. */
  sinElevation(tsMs: number): number {
    const { sinDecl, cosDecl } = this.geometry(tsMs);
    return this.sinLat * sinDecl + this.cosLat * cosDecl * Math.cos(this.hourAngle(tsMs));
  }

  /** DC power the array would deliver under a clear sky at this instant (0 at night). */
  clearSkyPowerW(tsMs: number): number {
    const { sinDecl, cosDecl } = this.geometry(tsMs);
    const cosHour = Math.cos(this.hourAngle(tsMs));
    const sinElev = this.sinLat * sinDecl + this.cosLat * cosDecl * cosHour;
    if (sinElev <= 0.01) return 0;
    const airMass = 1 / sinElev;
    const directNormal = SOLAR_CONSTANT_W_M2 * Math.pow(0.7, Math.pow(airMass, 0.678));
    // Incidence on a south-facing plane tilted by β equals incidence on a horizontal plane at latitude φ−β.
    const cosIncidence = this.sinLatMinusTilt * sinDecl + this.cosLatMinusTilt * cosDecl * cosHour;
    const diffuse = 0.1 * directNormal * this.diffuseViewFactor;
    const planeOfArray = directNormal * Math.max(0, cosIncidence) + diffuse;
    return (this.array.nominalPowerW * planeOfArray * this.array.systemDerate) / 1000;
  }

  private hourAngle(tsMs: number): number {
    const utcHours = (((tsMs % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
    const solarHours = utcHours + this.array.longitudeDeg / 15 + this.geometry(tsMs).equationOfTimeH;
    return (solarHours - 12) * 15 * DEG;
  }

  private geometry(tsMs: number): DayGeometry {
    const dayIndex = Math.floor(tsMs / DAY_MS);
    if (dayIndex !== this.day.dayIndex) {
      const dayOfYear = dayOfYearUtc(tsMs);
      const decl = 23.44 * DEG * Math.sin((2 * Math.PI * (284 + dayOfYear)) / 365);
      const b = (2 * Math.PI * (dayOfYear - 81)) / 364;
      const eotMin = 9.87 * Math.sin(2 * b) - 7.53 * Math.cos(b) - 1.5 * Math.sin(b);
      this.day = { dayIndex, sinDecl: Math.sin(decl), cosDecl: Math.cos(decl), equationOfTimeH: eotMin / 60 };
    }
    return this.day;
  }
}

function dayOfYearUtc(tsMs: number): number {
  const date = new Date(tsMs);
  return Math.floor((tsMs - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
}

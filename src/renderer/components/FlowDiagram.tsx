/**
 * The energy-flow picture: PV above the inverter, grid left, house right, battery below. Dashes run in
 * the direction the energy flows, faster for more power; a line that carries nothing is drawn faint.
 */
import type { CSSProperties } from 'react';
import { computeFlow, type FlowEdge } from '../lib/flow';
import { formatPower, formatQuantity, formatSeriesValue } from '../lib/format';
import { useLiveLookup } from '../state/hooks';

interface Point {
  x: number;
  y: number;
}

function Edge({ from, to, edge, color, label }: { from: Point; to: Point; edge: FlowEdge; color: string; label: string }) {
  const style = { '--cycle': `${edge.cycleS || 1}s`, stroke: `var(${color})` } as CSSProperties;
  const mid = { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 };
  const angle = (Math.atan2(to.y - from.y, to.x - from.x) * 180) / Math.PI + (edge.direction === 'reverse' ? 180 : 0);
  const moving = edge.direction === 'forward' || edge.direction === 'reverse';
  return (
    <g aria-label={label}>
      <line className="line" x1={from.x} y1={from.y} x2={to.x} y2={to.y} />
      <line className={`dash ${edge.direction}`} x1={from.x} y1={from.y} x2={to.x} y2={to.y} style={style} />
      {moving && <path className="arrow" d="M -9 -8 L 9 0 L -9 8 z" transform={`translate(${mid.x} ${mid.y}) rotate(${angle})`} style={{ fill: `var(${color})` }} />}
    </g>
  );
}

function Node({ x, y, w, h, title, lines, stale }: { x: number; y: number; w: number; h: number; title: string; lines: string[]; stale: boolean }) {
  const top = y - h / 2;
  return (
    <g className={stale ? 'node stale' : 'node'}>
      <rect x={x - w / 2} y={top} width={w} height={h} rx={10} />
      <text className="caption" x={x} y={top + 18}>
        {title}
      </text>
      {lines.map((text, i) => (
        <text key={i} className={i === 0 ? 'watts' : 'caption'} x={x} y={top + 40 + i * 18}>
          {text}
        </text>
      ))}
    </g>
  );
}

const directionWord = (edge: FlowEdge, forward: string, reverse: string): string => (edge.direction === 'forward' ? forward : edge.direction === 'reverse' ? reverse : 'idle');

export function FlowDiagram() {
  const live = useLiveLookup();
  const flow = computeFlow(live.value);
  const soc = live.value('bms.socPct');
  const volts = live.value('inverter.batteryVoltageV') ?? live.value('bms.totalVoltageV');
  const mode = live.value('inverter.mode');
  const load = live.value('inverter.outputLoadPct');
  const invStale = live.isStale('inverter.pvPowerW');
  const gridText = flow.grid.disconnected ? 'Disconnected' : flow.grid.direction === 'unknown' ? 'No meter' : formatPower(flow.grid.watts);
  const gridLabel = flow.grid.disconnected ? 'relay open' : flow.grid.direction === 'unknown' ? '' : directionWord(flow.grid, 'import', 'export');
  return (
    <div className="flow">
      <svg viewBox="0 0 640 372" role="img" aria-label="Energy flow between PV, grid, inverter, house and battery">
        <Edge from={{ x: 320, y: 78 }} to={{ x: 320, y: 146 }} edge={flow.pv} color="--pv" label="PV to inverter" />
        <Edge from={{ x: 160, y: 186 }} to={{ x: 240, y: 186 }} edge={flow.grid} color="--grid" label="Grid and inverter" />
        <Edge from={{ x: 400, y: 186 }} to={{ x: 480, y: 186 }} edge={flow.load} color="--load" label="Inverter to house" />
        <Edge from={{ x: 320, y: 226 }} to={{ x: 320, y: 281 }} edge={flow.battery} color={flow.battery.direction === 'reverse' ? '--discharge' : '--battery'} label="Inverter and battery" />
        <Node x={320} y={46} w={170} h={64} title="PV" lines={[formatPower(flow.pv.watts)]} stale={invStale} />
        <Node x={85} y={186} w={150} h={80} title="Grid" lines={[gridText, gridLabel]} stale={live.isStale('meter.activePowerW') && flow.grid.direction !== 'unknown'} />
        <Node
          x={320}
          y={186}
          w={160}
          h={80}
          title="Inverter"
          lines={[typeof mode === 'string' ? formatSeriesValue('inverter.mode', mode) : '—', typeof load === 'number' ? `load ${formatQuantity(load, '%')}` : '']}
          stale={invStale}
        />
        <Node x={555} y={186} w={150} h={80} title="House" lines={[formatPower(flow.load.watts), 'AC output']} stale={invStale} />
        <Node
          x={320}
          y={326}
          w={200}
          h={90}
          title={`Battery ${typeof soc === 'number' ? formatQuantity(soc, '%') : ''}`}
          lines={[formatQuantity(volts, 'V'), `${formatPower(flow.battery.watts)} ${directionWord(flow.battery, 'charging', 'discharging')}`]}
          stale={live.isStale('bms.socPct')}
        />
      </svg>
    </div>
  );
}

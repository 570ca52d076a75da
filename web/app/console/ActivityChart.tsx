import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ActivityPoint } from './activity';

/** Attempts and solves over time (recharts; loaded by the stats page only, after hydration). */
export default function ActivityChart({
  points,
  labels,
  formatTick,
}: {
  points: ActivityPoint[];
  labels: { attempts: string; solves: string };
  formatTick: (at: number) => string;
}) {
  return (
    <ResponsiveContainer width="100%" height={280}>
      <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#d6d3cf" />
        <XAxis
          dataKey="at"
          type="number"
          scale="time"
          domain={['dataMin', 'dataMax']}
          tickFormatter={formatTick}
          stroke="#4b4641"
        />
        <YAxis allowDecimals={false} stroke="#4b4641" />
        <Tooltip labelFormatter={(at) => formatTick(Number(at))} />
        <Legend />
        <Line
          type="monotone"
          dataKey="attempts"
          name={labels.attempts}
          stroke="#1d4ed8"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          type="monotone"
          dataKey="solves"
          name={labels.solves}
          stroke="#b45309"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}

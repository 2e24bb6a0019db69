// The 4-year timeline of each certificate (ECharts, only the parts it needs; loaded lazily).
import { CustomChart, ScatterChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { CustomSeriesRenderItemAPI } from 'echarts';
import type { CertificateState } from '@zizhi/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DashboardTimeline, ObligationStatus } from '../../api/types';
import { stateLabel } from '../../components/domain';
import { currentLanguage } from '../../i18n';

echarts.use([CustomChart, ScatterChart, GridComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

const STATE_HEX: Readonly<Record<CertificateState, string>> = {
  active: '#52c41a',
  suspended: '#fa8c16',
  downgraded: '#faad14',
  revoked: '#f5222d',
  abandoned: '#fa541c',
  expired: '#bfbfbf',
  superseded: '#1677ff',
  invalidated: '#eb2f96',
};

/** A calendar date as UTC midnight (the chart runs in UTC, so no time zone shifts a day). */
function ms(date: string): number {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

interface SegmentDatum {
  value: [number, number, number, CertificateState, string, string];
}

export default function TimelineChart({ timelines, asOf }: { timelines: DashboardTimeline[]; asOf: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const en = currentLanguage() === 'en';

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, null, { renderer: 'canvas' });
    const categories = timelines.map((tl) => `${tl.number}\n${tl.orgName}`);
    const segments: SegmentDatum[] = [];
    const windows: { value: [number, number, number, string] }[] = [];
    const milestones: { value: [number, number]; name: string; itemStyle: { color: string }; tip: string }[] = [];
    timelines.forEach((tl, i) => {
      for (const s of tl.segments) {
        const end = s.to ?? (tl.expiresOn > asOf ? tl.expiresOn : asOf);
        segments.push({ value: [i, ms(s.from), ms(end) + 86_400_000, s.state, s.from, s.to ?? ''] });
      }
      for (const m of tl.milestones) {
        const title = en ? m.titleEn : m.titleZh;
        const closed = m.status === 'done' || m.status === 'waived';
        const color = m.status === 'cancelled' ? '#bfbfbf' : closed ? '#52c41a' : m.overdue ? '#f5222d' : '#1f5fbf';
        if (m.windowStart) windows.push({ value: [i, ms(m.windowStart), ms(m.dueDate) + 86_400_000, title] });
        milestones.push({
          value: [ms(m.dueDate), i],
          name: title,
          itemStyle: { color },
          tip: `${title}<br/>${m.windowStart ? `${m.windowStart} … ` : ''}${m.dueDate} · ${t(`obligations.statuses.${m.status as ObligationStatus}`)}`,
        });
      }
    });

    chart.setOption({
      useUTC: true,
      animation: false,
      grid: { left: 8, right: 24, top: 24, bottom: 24, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (p: unknown) => {
          const param = p as { seriesId?: string; data?: unknown };
          if (param.seriesId === 'milestones') return (param.data as { tip: string }).tip;
          if (param.seriesId === 'windows') {
            const [, from, to, title] = (param.data as { value: [number, number, number, string] }).value;
            return `${title}<br/>${t('dashboard.window')}: ${new Date(from).toISOString().slice(0, 10)} … ${new Date(to - 86_400_000).toISOString().slice(0, 10)}`;
          }
          const [, , , state, from, to] = (param.data as SegmentDatum).value;
          return `${stateLabel(state)}<br/>${from} ~ ${to}`;
        },
      },
      xAxis: { type: 'time', splitLine: { show: true, lineStyle: { type: 'dashed' } } },
      yAxis: {
        type: 'category',
        data: categories,
        inverse: true,
        axisTick: { show: false },
        axisLabel: { fontSize: 11 },
      },
      series: [
        {
          id: 'segments',
          type: 'custom',
          encode: { x: [1, 2], y: 0 },
          data: segments,
          renderItem: (_params: unknown, api: CustomSeriesRenderItemAPI) => {
            const y = api.value(0);
            const start = api.coord([api.value(1), y]);
            const end = api.coord([api.value(2), y]);
            const height = (api.size?.([0, 1]) as number[])[1]! * 0.36;
            const state = api.value(3) as CertificateState;
            return {
              type: 'rect',
              shape: { x: start[0]!, y: start[1]! - height / 2, width: Math.max(end[0]! - start[0]!, 1), height },
              style: { fill: STATE_HEX[state] ?? '#999', opacity: 0.85 },
            };
          },
        },
        {
          id: 'windows',
          type: 'custom',
          encode: { x: [1, 2], y: 0 },
          data: windows,
          renderItem: (_params: unknown, api: CustomSeriesRenderItemAPI) => {
            const y = api.value(0);
            const start = api.coord([api.value(1), y]);
            const end = api.coord([api.value(2), y]);
            const band = (api.size?.([0, 1]) as number[])[1]!;
            return {
              type: 'rect',
              shape: { x: start[0]!, y: start[1]! - band * 0.34, width: Math.max(end[0]! - start[0]!, 1), height: 5 },
              style: { fill: '#1f5fbf', opacity: 0.45 },
            };
          },
        },
        {
          id: 'milestones',
          type: 'scatter',
          symbol: 'diamond',
          symbolSize: 11,
          data: milestones,
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { color: '#f5222d', type: 'solid' },
            label: { formatter: t('dashboard.today'), position: 'end' },
            data: [{ xAxis: ms(asOf) }],
          },
        },
      ],
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [timelines, asOf, en, t]);

  return (
    <div
      ref={ref}
      role="img"
      aria-label={t('dashboard.timelineAria', { count: timelines.length })}
      style={{ width: '100%', height: Math.max(160, timelines.length * 56 + 60) }}
    />
  );
}

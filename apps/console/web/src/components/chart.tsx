import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface Line {
  name: string;
  values: number[];
  dashed?: boolean;
}

/**
 * A time series chart (Apache ECharts, canvas): the current period and the
 * one it is compared with, over the same buckets. Large series are thinned
 * for drawing (LTTB sampling), never for the numbers shown elsewhere.
 */
export function TimeChart({ title, labels, lines }: { title: string; labels: string[]; lines: Line[] }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts>(undefined);

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        animation: false,
        grid: { left: 48, right: 16, top: 32, bottom: 32 },
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        xAxis: { type: 'category', data: labels, boundaryGap: false },
        yAxis: { type: 'value', minInterval: 1 },
        series: lines.map((line) => ({
          name: line.name,
          type: 'line',
          data: line.values,
          showSymbol: false,
          sampling: 'lttb',
          lineStyle: line.dashed ? { type: 'dashed', opacity: 0.6 } : undefined,
        })),
      },
      { notMerge: true },
    );
  }, [labels, lines]);

  return <div ref={element} className="chart" role="img" aria-label={title} />;
}

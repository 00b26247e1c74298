import { useEffect, useRef } from "preact/hooks";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { ItemMetrics } from "../../../shared/api/metrics";
import { duration } from "../format";

type Sample = ItemMetrics["samples"][number];

function chartData(samples: Sample[]): uPlot.AlignedData {
  return [
    samples.map((s) => Date.parse(s.time) / 1000),
    samples.map((s) => s.rpoSeconds ?? null),
    samples.map((s) => s.lagSeconds ?? null),
  ];
}

function options(width: number): uPlot.Options {
  return {
    width,
    height: 220,
    series: [
      {},
      { label: "RPO", stroke: "#0f6cbd", width: 2, value: (_u, v) => (v === null ? "—" : duration(v)) },
      { label: "Lag", stroke: "#c4314b", width: 2, value: (_u, v) => (v === null ? "—" : duration(v)) },
    ],
    axes: [{}, { label: "seconds", size: 60 }],
    scales: { y: { range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] } },
  };
}

/** RPO and lag over time: a chart to look at, and the newest figures in words for those who cannot. */
export function RpoChart(props: { samples: Sample[] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const latest = useRef(props.samples);
  latest.current = props.samples;
  useEffect(() => {
    let gone = false;
    // The charting library loads with the first chart: the other blades never download it.
    void import("uplot").then(({ default: UPlot }) => {
      const element = box.current;
      if (gone || !element) return;
      plot.current = new UPlot(options(Math.max(320, element.clientWidth)), chartData(latest.current), element);
    });
    return () => {
      gone = true;
      plot.current?.destroy();
    };
  }, []);
  useEffect(() => plot.current?.setData(chartData(props.samples)), [props.samples]);
  const last = props.samples.at(-1);
  return (
    <figure class="chart">
      <div ref={box} aria-hidden="true" />
      <figcaption>
        RPO and lag over the last {props.samples.length} samples
        {last ? `: now RPO ${duration(last.rpoSeconds)}, lag ${duration(last.lagSeconds)}.` : ": no samples yet."}
      </figcaption>
    </figure>
  );
}

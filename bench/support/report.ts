/** One figure, optionally compared with a baseline measured in the same run. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
}

function formatValue(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toPrecision(3);
}

/** `name: value unit (ratio× baseline)`, the one line format every bench prints. */
export function formatFigure(figure: Figure): string {
  const line = `${figure.name}: ${formatValue(figure.value)} ${figure.unit}`;
  if (!figure.baseline) return line;
  return `${line} (${(figure.value / figure.baseline.value).toFixed(2)}× ${figure.baseline.name})`;
}

export function report(figure: Figure): void {
  console.log(formatFigure(figure));
}

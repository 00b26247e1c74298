/**
 * Azure VM sizes Ferry can pick as targets: facts from the public Azure size tables
 * (vCPUs, memory GiB, max data disks, premium storage support). Add sizes freely; keep them true.
 */
export interface VmSize {
  readonly name: string;
  readonly series: string;
  readonly vCpus: number;
  readonly memoryGiB: number;
  readonly maxDataDisks: number;
  readonly premiumStorage: boolean;
}

type Row = readonly [name: string, vCpus: number, memoryGiB: number, maxDataDisks: number];

function series(seriesName: string, premiumStorage: boolean, rows: readonly Row[]): VmSize[] {
  return rows.map(([name, vCpus, memoryGiB, maxDataDisks]) => ({
    name,
    series: seriesName,
    vCpus,
    memoryGiB,
    maxDataDisks,
    premiumStorage,
  }));
}

export const vmSizeCatalog: readonly VmSize[] = [
  ...series("Bs", true, [
    ["Standard_B1s", 1, 1, 2],
    ["Standard_B1ms", 1, 2, 2],
    ["Standard_B2s", 2, 4, 4],
    ["Standard_B2ms", 2, 8, 4],
    ["Standard_B4ms", 4, 16, 8],
    ["Standard_B8ms", 8, 32, 16],
    ["Standard_B12ms", 12, 48, 16],
    ["Standard_B16ms", 16, 64, 32],
    ["Standard_B20ms", 20, 80, 32],
  ]),
  ...series("Dv5", false, [
    ["Standard_D2_v5", 2, 8, 4],
    ["Standard_D4_v5", 4, 16, 8],
    ["Standard_D8_v5", 8, 32, 16],
    ["Standard_D16_v5", 16, 64, 32],
    ["Standard_D32_v5", 32, 128, 32],
  ]),
  ...series("Dsv5", true, [
    ["Standard_D2s_v5", 2, 8, 4],
    ["Standard_D4s_v5", 4, 16, 8],
    ["Standard_D8s_v5", 8, 32, 16],
    ["Standard_D16s_v5", 16, 64, 32],
    ["Standard_D32s_v5", 32, 128, 32],
    ["Standard_D48s_v5", 48, 192, 32],
    ["Standard_D64s_v5", 64, 256, 32],
    ["Standard_D96s_v5", 96, 384, 32],
  ]),
  ...series("Ddsv5", true, [
    ["Standard_D2ds_v5", 2, 8, 4],
    ["Standard_D4ds_v5", 4, 16, 8],
    ["Standard_D8ds_v5", 8, 32, 16],
    ["Standard_D16ds_v5", 16, 64, 32],
    ["Standard_D32ds_v5", 32, 128, 32],
  ]),
  ...series("Esv5", true, [
    ["Standard_E2s_v5", 2, 16, 4],
    ["Standard_E4s_v5", 4, 32, 8],
    ["Standard_E8s_v5", 8, 64, 16],
    ["Standard_E16s_v5", 16, 128, 32],
    ["Standard_E20s_v5", 20, 160, 32],
    ["Standard_E32s_v5", 32, 256, 32],
    ["Standard_E48s_v5", 48, 384, 32],
    ["Standard_E64s_v5", 64, 512, 32],
  ]),
  ...series("Fsv2", true, [
    ["Standard_F2s_v2", 2, 4, 4],
    ["Standard_F4s_v2", 4, 8, 8],
    ["Standard_F8s_v2", 8, 16, 16],
    ["Standard_F16s_v2", 16, 32, 32],
    ["Standard_F32s_v2", 32, 64, 32],
    ["Standard_F48s_v2", 48, 96, 32],
    ["Standard_F64s_v2", 64, 128, 32],
    ["Standard_F72s_v2", 72, 144, 32],
  ]),
  ...series("Av2", false, [
    ["Standard_A1_v2", 1, 2, 2],
    ["Standard_A2_v2", 2, 4, 4],
    ["Standard_A4_v2", 4, 8, 8],
    ["Standard_A8_v2", 8, 16, 16],
    ["Standard_A2m_v2", 2, 16, 4],
    ["Standard_A4m_v2", 4, 32, 8],
    ["Standard_A8m_v2", 8, 64, 16],
  ]),
];

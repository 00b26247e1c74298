/** The Functions host version this local host stands in for (HTTP streaming needs ≥ 4.28). */
export const hostVersion = "4.1040.0";
export const devhostVersion = "0.1.0";

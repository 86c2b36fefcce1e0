// The LPA's pieces as the SM-DS's tests drive them step by step (ES10b on the card, the ES11 client), and the
// card type; tests reach lpa-core and euicc-sim here (ARCHITECTURE.md, dependency rules).
export { es10b, RspServerClient, authenticateServerRequest, buildDeviceInfo } from '@zkesim/lpa-core';
export type { EuiccCard } from '@zkesim/euicc-sim';

// ES2+ (operator ↔ SM-DP+, mutual TLS), SGP.22 v2.2.2 §5.3. Requests carry `header`.
import { eidPattern, mandatory, optional } from '../fields.js';
import { rspFunction } from './rspFunction.js';

const base = '/gsma/rsp2/es2plus';

/** §5.3.1 ES2+.DownloadOrder: iccid or profileType must be given (checked by the SM-DP+). */
export const downloadOrder = rspFunction({
  name: 'downloadOrder',
  interface: 'es2plus',
  path: `${base}/downloadOrder`,
  section: 'SGP.22 §5.3.1',
  requestHeader: true,
  request: {
    eid: optional('string', { pattern: eidPattern }),
    iccid: optional('string'),
    profileType: optional('string'),
  },
  response: { iccid: mandatory('string') },
});

/** §5.3.2 ES2+.ConfirmOrder. */
export const confirmOrder = rspFunction({
  name: 'confirmOrder',
  interface: 'es2plus',
  path: `${base}/confirmOrder`,
  section: 'SGP.22 §5.3.2',
  requestHeader: true,
  request: {
    iccid: mandatory('string'),
    eid: optional('string', { pattern: eidPattern }),
    matchingId: optional('string'),
    confirmationCode: optional('string'),
    smdsAddress: optional('string'),
    releaseFlag: mandatory('boolean'),
  },
  response: {
    eid: optional('string', { pattern: eidPattern }),
    matchingId: mandatory('string'),
    smdpAddress: optional('string'),
  },
});

/** §5.3.3 ES2+.CancelOrder. */
export const cancelOrder = rspFunction({
  name: 'cancelOrder',
  interface: 'es2plus',
  path: `${base}/cancelOrder`,
  section: 'SGP.22 §5.3.3',
  requestHeader: true,
  request: {
    iccid: mandatory('string'),
    eid: optional('string', { pattern: eidPattern }),
    matchingId: optional('string'),
    finalProfileStatusIndicator: mandatory('string', { values: ['Available', 'Unavailable'] }),
  },
  response: {},
});

/** §5.3.4 ES2+.ReleaseProfile. */
export const releaseProfile = rspFunction({
  name: 'releaseProfile',
  interface: 'es2plus',
  path: `${base}/releaseProfile`,
  section: 'SGP.22 §5.3.4',
  requestHeader: true,
  request: { iccid: mandatory('string') },
  response: {},
});

/** §5.3.5 ES2+.HandleDownloadProgressInfo (SM-DP+ → operator). */
export const handleDownloadProgressInfo = rspFunction({
  name: 'handleDownloadProgressInfo',
  interface: 'es2plus',
  path: `${base}/handleDownloadProgressInfo`,
  section: 'SGP.22 §5.3.5',
  requestHeader: true,
  request: {
    eid: optional('string', { pattern: eidPattern }),
    iccid: mandatory('string'),
    profileType: mandatory('string'),
    timestamp: mandatory('string'),
    notificationPointId: mandatory('number'),
    notificationPointStatus: mandatory('executionStatus'),
    resultData: optional('base64'),
  },
  response: {},
});

export const es2plusFunctions = {
  downloadOrder,
  confirmOrder,
  cancelOrder,
  releaseProfile,
  handleDownloadProgressInfo,
} as const;

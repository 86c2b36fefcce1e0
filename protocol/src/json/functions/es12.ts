// ES12 (SM-DP+ → SM-DS, mutual TLS), SGP.22 v2.2.2 §5.9. Requests carry `header`.
import { eidPattern, mandatory, optional } from '../fields.js';
import { rspFunction } from './rspFunction.js';

const base = '/gsma/rsp2/es12';

/**
 * §5.9.1 ES12.RegisterEvent.
 * SPEC-AMBIGUITY: forwardingIndicator is read as optional (absent = do not cascade to the Root SM-DS).
 */
export const registerEvent = rspFunction({
  name: 'registerEvent',
  interface: 'es12',
  path: `${base}/registerEvent`,
  section: 'SGP.22 §5.9.1',
  requestHeader: true,
  request: {
    eid: mandatory('string', { pattern: eidPattern }),
    rspServerAddress: mandatory('string'),
    eventId: mandatory('string'),
    forwardingIndicator: optional('boolean'),
  },
  response: {},
});

/** §5.9.2 ES12.DeleteEvent. */
export const deleteEvent = rspFunction({
  name: 'deleteEvent',
  interface: 'es12',
  path: `${base}/deleteEvent`,
  section: 'SGP.22 §5.9.2',
  requestHeader: true,
  request: {
    eid: mandatory('string', { pattern: eidPattern }),
    eventId: mandatory('string'),
  },
  response: {},
});

export const es12Functions = { registerEvent, deleteEvent } as const;

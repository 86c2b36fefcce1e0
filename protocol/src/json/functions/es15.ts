// ES15 (Alternative SM-DS → Root SM-DS, mutual TLS), SGP.22 v2.2.2 §3.6.1 and §3.6.3: the cascade of an event
// registration (a pointer event naming the Alternative SM-DS) and of its deletion.
// SPEC-AMBIGUITY: v2.2.2 describes the cascade in §3.6 without a JSON binding of its own; we use the fields of
// ES12.RegisterEvent and ES12.DeleteEvent (§5.9) on paths under /gsma/rsp2/es15/.
import { registerEvent as es12RegisterEvent, deleteEvent as es12DeleteEvent } from './es12.js';
import { rspFunction } from './rspFunction.js';

const base = '/gsma/rsp2/es15';

export const registerEvent = rspFunction({
  name: 'registerEvent',
  interface: 'es15',
  path: `${base}/registerEvent`,
  section: 'SGP.22 §3.6.1',
  requestHeader: true,
  request: es12RegisterEvent.request,
  response: {},
});

export const deleteEvent = rspFunction({
  name: 'deleteEvent',
  interface: 'es15',
  path: `${base}/deleteEvent`,
  section: 'SGP.22 §3.6.3',
  requestHeader: true,
  request: es12DeleteEvent.request,
  response: {},
});

export const es15Functions = { registerEvent, deleteEvent } as const;

// ES2+ over HTTPS (SGP.22 v2.2.2 §5.3, binding §6.5): `/gsma/rsp2/es2plus/<function>`, JSON with a
// request header carrying functionRequesterIdentifier and functionCallIdentifier (§6.5.1.3).
import { Codes, RspError } from '@zkesim/protocol';
import type { CoreDeps, OrderPolicy } from '../../core/deps.js';
import { cancelOrder } from '../../es2plus/cancelOrder.js';
import { confirmOrder } from '../../es2plus/confirmOrder.js';
import { downloadOrder } from '../../es2plus/downloadOrder.js';
import type { OperatorIdentity } from '../../es2plus/operator.js';
import { releaseProfile } from '../../es2plus/releaseProfile.js';
import {
  optionalBoolean,
  optionalObject,
  optionalString,
  parseJsonObject,
  requiredString,
  successBody,
  type JsonObject,
} from './jsonBinding.js';
import type { HttpRoute, RouteInput, RouteResult } from './requestListener.js';

type Es2Handler = (request: JsonObject, operator: OperatorIdentity) => Promise<JsonObject>;

export function es2plusRoutes(deps: CoreDeps, policy: OrderPolicy): Map<string, HttpRoute> {
  const handlers: Record<string, Es2Handler> = {
    downloadOrder: async (request, operator) => {
      const out = await downloadOrder(deps, policy, operator, {
        ...defined('eid', optionalString(request, 'eid')),
        ...defined('iccid', optionalString(request, 'iccid')),
        ...defined('profileType', optionalString(request, 'profileType')),
      });
      return { iccid: out.iccid };
    },
    confirmOrder: async (request, operator) => {
      const out = await confirmOrder(deps, policy, operator, {
        ...defined('iccid', optionalString(request, 'iccid')),
        ...defined('eid', optionalString(request, 'eid')),
        ...defined('matchingId', optionalString(request, 'matchingId')),
        ...defined('confirmationCode', optionalString(request, 'confirmationCode')),
        ...defined('smdsAddress', optionalString(request, 'smdsAddress')),
        ...defined('releaseFlag', optionalBoolean(request, 'releaseFlag')),
      });
      return { ...defined('eid', out.eid), matchingId: out.matchingId, smdpAddress: out.smdpAddress };
    },
    cancelOrder: async (request, operator) => {
      await cancelOrder(deps, operator, {
        ...defined('iccid', optionalString(request, 'iccid')),
        ...defined('eid', optionalString(request, 'eid')),
        ...defined('matchingId', optionalString(request, 'matchingId')),
        ...defined('finalProfileStatusIndicator', optionalString(request, 'finalProfileStatusIndicator')),
      });
      return {};
    },
    releaseProfile: async (request, operator) => {
      await releaseProfile(deps, operator, { ...defined('iccid', optionalString(request, 'iccid')) });
      return {};
    },
  };
  const routes = new Map<string, HttpRoute>();
  for (const [name, handler] of Object.entries(handlers)) {
    routes.set(`/gsma/rsp2/es2plus/${name}`, {
      interface: 'es2plus',
      function: name,
      requiresOperator: true,
      handle: (input) => runEs2(handler, input),
    });
  }
  return routes;
}

async function runEs2(handler: Es2Handler, input: RouteInput): Promise<RouteResult> {
  const operator = input.operator;
  if (operator === undefined) throw new RspError(Codes.unknownFunctionRequester, 'no operator identity');
  const request = parseJsonObject(input.body);
  const header = optionalObject(request, 'header');
  if (header === undefined) throw new RspError(Codes.missingRequestField, 'header: mandatory field missing', { subjectIdentifier: 'header' });
  const requester = requiredString(header, 'functionRequesterIdentifier');
  requiredString(header, 'functionCallIdentifier');
  // §6.5.1.3: the requester named in the header must be the one the client certificate authenticated.
  if (requester !== operator.operatorId) {
    throw new RspError(Codes.functionRequesterNotAllowed, 'functionRequesterIdentifier does not match the client certificate', {
      subjectIdentifier: 'functionRequesterIdentifier',
    });
  }
  return { status: 200, body: successBody(await handler(request, operator)) };
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

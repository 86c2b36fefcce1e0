// ES2+ over HTTPS (SGP.22 v2.2.2 §5.3, binding §6.5) on top of protocol's function declarations; the
// request header's functionRequesterIdentifier must name the operator the client certificate identified.
import { Codes, RspError, es2plusFunctions, type RequestHeader } from '@zkesim/protocol';
import type { CoreDeps, OrderPolicy } from '../../core/deps.js';
import { cancelOrder } from '../../es2plus/cancelOrder.js';
import { confirmOrder } from '../../es2plus/confirmOrder.js';
import { downloadOrder } from '../../es2plus/downloadOrder.js';
import type { OperatorIdentity } from '../../es2plus/operator.js';
import { releaseProfile } from '../../es2plus/releaseProfile.js';
import { jsonRoute } from '@zkesim/rsp-server';
import type { HttpRoute, RouteInput } from '@zkesim/rsp-server';

/** §6.5.1.3: the requester named in the header must be the one the client certificate authenticated. */
function operatorOf(input: RouteInput<OperatorIdentity>, header: RequestHeader): OperatorIdentity {
  const operator = input.client;
  if (operator === undefined) throw new RspError(Codes.unknownFunctionRequester, 'no operator identity');
  if (header.functionRequesterIdentifier !== operator.operatorId) {
    throw new RspError(Codes.functionRequesterNotAllowed, 'functionRequesterIdentifier does not match the client certificate', {
      subjectIdentifier: 'functionRequesterIdentifier',
    });
  }
  return operator;
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function es2plusRoutes(deps: CoreDeps, policy: OrderPolicy): Map<string, HttpRoute<OperatorIdentity>> {
  const fns = es2plusFunctions;
  const routes: [string, HttpRoute<OperatorIdentity>][] = [
    [fns.downloadOrder.path, jsonRoute(fns.downloadOrder, true, async (request, input) => {
      const out = await downloadOrder(deps, policy, operatorOf(input, request.header), {
        ...defined('eid', request.eid),
        ...defined('iccid', request.iccid),
        ...defined('profileType', request.profileType),
      });
      return { iccid: out.iccid };
    })],
    [fns.confirmOrder.path, jsonRoute(fns.confirmOrder, true, async (request, input) => {
      const out = await confirmOrder(deps, policy, operatorOf(input, request.header), {
        iccid: request.iccid,
        releaseFlag: request.releaseFlag,
        ...defined('eid', request.eid),
        ...defined('matchingId', request.matchingId),
        ...defined('confirmationCode', request.confirmationCode),
        ...defined('smdsAddress', request.smdsAddress),
      });
      return { ...defined('eid', out.eid), matchingId: out.matchingId, smdpAddress: out.smdpAddress };
    })],
    [fns.cancelOrder.path, jsonRoute(fns.cancelOrder, true, async (request, input) => {
      await cancelOrder(deps, operatorOf(input, request.header), {
        iccid: request.iccid,
        finalProfileStatusIndicator: request.finalProfileStatusIndicator,
        ...defined('eid', request.eid),
        ...defined('matchingId', request.matchingId),
      });
      return {};
    })],
    [fns.releaseProfile.path, jsonRoute(fns.releaseProfile, true, async (request, input) => {
      await releaseProfile(deps, operatorOf(input, request.header), { iccid: request.iccid });
      return {};
    })],
  ];
  return new Map(routes);
}

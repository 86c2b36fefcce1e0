// Every SM-DP+ case, in the order they run.
import { bindingCases } from './bindingCases.js';
import { authenticateClientCases, cancelSessionCases, getBoundProfilePackageCases, handleNotificationCases, initiateAuthenticationCases } from './functionCases.js';
import type { SmdpCase } from './env.js';

export function smdpCases(): SmdpCase[] {
  return [...initiateAuthenticationCases(), ...authenticateClientCases(), ...getBoundProfilePackageCases(), ...cancelSessionCases(), ...handleNotificationCases(), ...bindingCases()];
}

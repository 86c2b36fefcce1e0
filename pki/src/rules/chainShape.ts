import { id_rspRole_ci, id_rspRole_eum } from '@zkesim/protocol';
import { policiesOf } from '../certificate/extensions.js';
import { roleProfiles } from '../roles.js';
import { at, ciIndex, fail, type ChainRule } from './context.js';

/**
 * Rule `chain-shape`: the path has the shape of the role (SGP.22 v2.2.2 §4.5.2): the top
 * is a CI (policy id-rspRole-ci); an eUICC certificate is signed by exactly one EUM (policy
 * id-rspRole-eum) below the CI; any other role's certificate is not signed by an EUM.
 */
export const chainShapeRule: ChainRule = {
  name: 'chain-shape',
  check(context) {
    const top = ciIndex(context);
    if (!policiesOf(at(context, top)).includes(id_rspRole_ci)) fail(context, 'chain-shape', top, 'the trust anchor is not a CI (no id-rspRole-ci policy)');
    const intermediates = context.path.slice(1, top);
    if (roleProfiles[context.role].issuedBy === 'eum') {
      if (intermediates.length !== 1 || !policiesOf(at(context, 1)).includes(id_rspRole_eum)) {
        fail(context, 'chain-shape', Math.min(1, top), 'an eUICC certificate must be issued by one EUM certificate under the CI');
      }
      return;
    }
    intermediates.forEach((certificate, offset) => {
      if (policiesOf(certificate).includes(id_rspRole_eum)) fail(context, 'chain-shape', offset + 1, `an EUM cannot issue a ${context.role} certificate`);
    });
  },
};

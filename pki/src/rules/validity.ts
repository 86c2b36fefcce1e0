import { at, fail, type ChainRule } from './context.js';

/**
 * Rule `validity`: every certificate of the path, CI included, is within notBefore..notAfter at the
 * injected time (RFC 5280 §6.1.3 (a)(2)); SGP.22 reports an expired certificate with reason 6.3.
 */
export const validityRule: ChainRule = {
  name: 'validity',
  check(context) {
    const time = context.at.getTime();
    context.path.forEach((_certificate, index) => {
      const certificate = at(context, index);
      if (time < certificate.notBefore.getTime()) {
        fail(context, 'validity', index, `certificate ${index} is not valid before ${certificate.notBefore.toISOString()}`);
      }
      if (time > certificate.notAfter.getTime()) {
        fail(context, 'validity', index, `certificate ${index} expired at ${certificate.notAfter.toISOString()}`);
      }
    });
  },
};

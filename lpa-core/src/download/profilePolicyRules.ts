// Profile Policy Rules before a download (SGP.22 v2.2.2 §2.9.2 and §3.1.3.2): the profile's PPRs are checked
// against the eUICC's Rules Authorisation Table (ES10b.GetRAT) with protocol's authoriseProfilePolicyRules,
// the same check the eUICC makes. A PPR that no rule allows ends the download with CancelSession reason
// pprNotAllowed.
import { ReasonCodes, RspError, SubjectCodes } from '@zkesim/protocol';

/** The profile's PPRs are not allowed on this eUICC for this profile owner. */
export class PprNotAllowed extends RspError {
  constructor(pprs: readonly string[]) {
    super({ subjectCode: SubjectCodes.profile.code, reasonCode: ReasonCodes.notAllowed.code }, `the eUICC's rules authorisation table does not allow ${pprs.join(', ')} for this profile owner`);
  }
}

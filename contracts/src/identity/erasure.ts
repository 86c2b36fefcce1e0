// Right to erasure (GDPR art. 17), our side. The operator asks us (sm-dp-plus's onboarding API, which finds the
// link by the keyed hash of the operator's reference) to forget the subscriber, and deletes the KYC record from its
// own store: the SM-DP+ drops what links its profiles to the identity, the registry removes the commitment from
// the subscriber group, and the onboarding forgets its link last (it is what finds the rest, so a failure half-way can be retried with the same request).
//
// What stays, and why it no longer points at the person: the chain's MemberAdded/MemberRemoved logs hold the
// commitment for ever, but no store joins it to a person any more; the anchored records hold activity tags,
// which only the identity secret (on the subscriber's eUICC) links to the commitment; the SM-DP+ keeps its
// profiles and orders (EID, ICCID: the operator's records, without KYC once the operator erased it).

/**
 * One onboarding as erasure sees it. The onboarding's store (sm-dp-plus/src/onboarding/onboardingStore.ts)
 * implements `SubscriberLinks` structurally: this package may not import the RSP packages.
 */
export interface SubscriberLink {
  /**
   * The key the onboarding keeps the subscriber under: the keyed hash of the operator's id and KYC reference in
   * our store (never the reference in clear; the operator holds no commitment).
   */
  reference: string;
  commitment: bigint;
  /** The profiles (ICCID digits) whose orders the onboarding gave the identity to. */
  iccids: readonly string[];
}

/** The onboarding's link store, as erasure needs it. */
export interface SubscriberLinks {
  findLink(key: { reference: string } | { commitment: bigint }): Promise<SubscriberLink | undefined>;
  /** Deletes the link and everything the store keeps for it; false if there was none. */
  deleteLink(reference: string): Promise<boolean>;
}

/** The SM-DP+'s side (sm-dp-plus `smdpSubscriberEraser`). */
export interface SubscriberLinkEraser {
  /** Drops the profiles' unused activity tags and any open order's identity token. */
  eraseSubscriberLinks(iccids: readonly string[]): Promise<{ activityTagsErased: number; identityTokensDropped: number }>;
}

/** The subscriber group (SubscriberRegistry). */
export interface SubscriberGroup {
  isMember(commitment: bigint): Promise<boolean>;
  revoke(commitment: bigint): Promise<void>;
}

export interface ErasureReport {
  found: boolean;
  revoked: boolean;
  activityTagsErased: number;
  identityTokensDropped: number;
  linkDeleted: boolean;
}

/** Forgets the subscriber on our side; running it again for an erased subscriber reports `found: false`. */
export async function eraseSubscriber(
  key: { reference: string } | { commitment: bigint },
  stores: { links: SubscriberLinks; smdp: SubscriberLinkEraser; group: SubscriberGroup },
): Promise<ErasureReport> {
  const link = await stores.links.findLink(key);
  if (link === undefined) return { found: false, revoked: false, activityTagsErased: 0, identityTokensDropped: 0, linkDeleted: false };
  const smdp = await stores.smdp.eraseSubscriberLinks(link.iccids);
  const member = await stores.group.isMember(link.commitment);
  if (member) await stores.group.revoke(link.commitment);
  const linkDeleted = await stores.links.deleteLink(link.reference);
  return { found: true, revoked: member, ...smdp, linkDeleted };
}

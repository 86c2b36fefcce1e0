// Rows to records with their sealed columns opened, for every engine (the row shapes and the mapping are in
// sqlite/rows.ts, which both engines share): Ki and OPc of a profile (read only by getProfileSecrets), and the
// sealed order columns.
import type { OrderRecord, OrderWithProfile, ProfileSecrets } from '../core/repository.js';
import { sealedColumn, type SecretSealer } from '../core/secretSealer.js';
import {
  orderFromRow, profileFromRow, profileRowOf, templateOf, type OrderRow, type OrderWithProfileRow, type ProfileSecretsRow, type SealedOrderColumn,
} from './sqlite/rows.js';

/** Ki and OPc opened; an erased profile (installed) has empty ones. */
export async function openProfileSecrets(sealer: SecretSealer, row: ProfileSecretsRow): Promise<ProfileSecrets> {
  const open = (column: 'ki' | 'opc'): Promise<Uint8Array> =>
    row[column].length === 0 ? Promise.resolve(new Uint8Array(0)) : sealer.open(new Uint8Array(row[column]), sealedColumn('profiles', column, row.iccid));
  const [ki, opc] = await Promise.all([open('ki'), open('opc')]);
  return { ki, opc };
}

/** The order of an OrderWithProfileRow (its sealed columns opened), its profile and the parts read with them. */
export async function openOrderWithProfileRow(sealer: SecretSealer, row: OrderWithProfileRow): Promise<OrderWithProfile> {
  const found: OrderWithProfile = { order: await openOrderRow(sealer, row), profile: profileFromRow(profileRowOf(row)) };
  const template = templateOf(row);
  if (template !== undefined) found.template = template;
  const { p_ki: ki, p_opc: opc } = row;
  if (ki !== undefined && opc !== undefined) found.openSecrets = () => openProfileSecrets(sealer, { iccid: row.iccid, ki, opc });
  return found;
}

/** The order with its confirmation-code digest, bound package and subscriber identity opened. */
export async function openOrderRow(sealer: SecretSealer, row: OrderRow): Promise<OrderRecord> {
  const open = async (column: SealedOrderColumn): Promise<Uint8Array | undefined> => {
    const value = row[column];
    return value === null || value === undefined ? undefined : sealer.open(new Uint8Array(value), sealedColumn('orders', column, row.order_id));
  };
  const order = orderFromRow(row, await open('confirmation_code_hash'), await open('bound_profile_package'));
  const subscriberIdentityToken = await open('subscriber_identity_token');
  return subscriberIdentityToken === undefined ? order : { ...order, subscriberIdentityToken };
}

// The counter's KYC form: what the clerk types, checked field by field with a message that says what to fix.
// Nothing is stored unless every field passes (the route calls the operator component only with a valid form).
import { InvalidWalletAddress, walletAddress } from '@zkesim/contracts';

export const documentTypes = [
  { value: 'passport', label: 'Passport' },
  { value: 'national-id', label: 'National identity card' },
  { value: 'driving-licence', label: 'Driving licence' },
  { value: 'residence-permit', label: 'Residence permit' },
] as const;

export interface KycFormValues {
  name: string;
  documentType: string;
  documentNumber: string;
  dateOfBirth: string;
  address: string;
  wallet: string;
  profileType: string;
}

export interface ValidKyc {
  name: string;
  /** `type:NUMBER`, the form the KYC store keeps documents in. */
  document: string;
  dateOfBirth: string;
  address: string;
  wallet?: string;
  profileType: string;
}

export type KycFormResult = { ok: true; value: ValidKyc } | { ok: false; errors: Map<string, string> };

/** Unicode general category Cc (control characters); in an address only the line feed is allowed. */
const CONTROL = /\p{Cc}/u;
const CONTROL_BUT_NEWLINE = /(?!\n)\p{Cc}/u;
const MAX_AGE_YEARS = 130;

export function formValues(body: Record<string, unknown>): KycFormValues {
  const text = (key: string): string => (typeof body[key] === 'string' ? (body[key] as string) : '');
  return {
    name: text('name').trim(),
    documentType: text('documentType'),
    documentNumber: text('documentNumber').trim().toUpperCase().replace(/\s+/g, ''),
    dateOfBirth: text('dateOfBirth').trim(),
    // Browsers send a textarea's line breaks as CR LF (HTML §4.10.11).
    address: text('address').replace(/\r\n?/g, '\n').trim(),
    wallet: text('wallet').trim(),
    profileType: text('profileType'),
  };
}

function checkDateOfBirth(value: string, today: Date): string | undefined {
  if (value === '') return 'Enter the date of birth';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match === null ? undefined : new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (match === null || date === undefined || date.toISOString().slice(0, 10) !== value) return 'Date of birth must be a real date, as YYYY-MM-DD';
  if (date.getTime() > today.getTime()) return 'Date of birth must be in the past';
  if (today.getUTCFullYear() - date.getUTCFullYear() > MAX_AGE_YEARS) return `Date of birth must be within the last ${MAX_AGE_YEARS} years`;
  return undefined;
}

export function validateKyc(values: KycFormValues, profileTypes: readonly string[], today: Date): KycFormResult {
  const errors = new Map<string, string>();
  if (values.name.length < 2 || values.name.length > 100 || CONTROL.test(values.name)) errors.set('name', 'Enter the full name as on the document (2 to 100 characters)');
  if (!documentTypes.some((type) => type.value === values.documentType)) errors.set('documentType', 'Choose the type of identity document');
  if (!/^[A-Z0-9-]{4,20}$/.test(values.documentNumber)) errors.set('documentNumber', 'Document number must be 4 to 20 letters, digits or dashes');
  const birth = checkDateOfBirth(values.dateOfBirth, today);
  if (birth !== undefined) errors.set('dateOfBirth', birth);
  if (values.address.length < 5 || values.address.length > 300 || CONTROL_BUT_NEWLINE.test(values.address)) {
    errors.set('address', 'Enter the postal address (5 to 300 characters)');
  }
  let wallet: string | undefined;
  if (values.wallet !== '') {
    try {
      wallet = walletAddress(values.wallet);
    } catch (error) {
      if (!(error instanceof InvalidWalletAddress)) throw error;
      errors.set('wallet', `Wallet address: ${error.message.replace(/^wallet: /, '')}`);
    }
  }
  if (!profileTypes.includes(values.profileType)) errors.set('profileType', 'Choose a profile type');
  if (errors.size > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name: values.name,
      document: `${values.documentType}:${values.documentNumber}`,
      dateOfBirth: values.dateOfBirth,
      address: values.address,
      ...(wallet === undefined ? {} : { wallet }),
      profileType: values.profileType,
    },
  };
}

import * as v from 'valibot';
import { IdOrZero } from '../ids.ts';

/** Exact decimal as text (money never travels as a float): up to 14 integer and 6 fraction digits. */
export const Decimal = v.pipe(v.string(), v.regex(/^[+-]?(\d{1,14}(\.\d{0,6})?|\.\d{1,6})$/, 'a decimal number'));
const Id = IdOrZero;
const OptionalId = v.optional(v.nullable(Id));
const Text = (max = 255) => v.optional(v.pipe(v.string(), v.maxLength(max)));
const Bool = v.optional(v.boolean());
const IsoDate = v.pipe(v.string(), v.isoDate());

/** The user types an API can create or assign (admin and partner are not among them). */
export const AssignableUsertype = v.picklist(['user', 'reseller', 'accountant']);

/** Registration / personal address (addresses row). */
export const AddressFields = v.object({
  firstName: Text(),
  lastName: Text(),
  address: Text(),
  city: Text(),
  postcode: Text(),
  state: Text(),
  county: Text(),
  directionId: OptionalId,
  phone: Text(),
  mobPhone: Text(),
  fax: Text(),
  email: v.optional(v.union([v.literal(''), v.pipe(v.string(), v.email(), v.maxLength(255))])),
});

/** Multi-Tax definition (taxes row). */
export const TaxFields = v.object({
  tax1Name: Text(),
  tax1Value: v.optional(Decimal),
  tax2Enabled: Bool,
  tax2Name: Text(),
  tax2Value: v.optional(Decimal),
  tax3Enabled: Bool,
  tax3Name: Text(),
  tax3Value: v.optional(Decimal),
  tax4Enabled: Bool,
  tax4Name: Text(),
  tax4Value: v.optional(Decimal),
  totalTaxName: Text(),
  compoundTax: Bool,
});

/** Invoice types the user receives (MOR i1 PDF = 2, i2 CSV = 4, i3 = 8, i4 detailed CSV = 16). */
export const InvoiceTypes = v.object({ pdf: Bool, csv: Bool, i3: Bool, detailedCsv: Bool });
export const INVOICE_BITS = { pdf: 2, csv: 4, i3: 8, detailedCsv: 16 } as const;

/**
 * Every editable field of a user (camelCase, _users-model.md). Absent = unchanged. Shared by
 * users.create / users.update (tRPC) and user_details_update (XML, after coercion of its u0…a9).
 */
export const UserFieldEntries = {
  username: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
  password: v.optional(v.pipe(v.string(), v.maxLength(255))),
  usertype: v.optional(AssignableUsertype),
  accGroupId: OptionalId,
  responsibleAccountantId: OptionalId,
  lcrId: OptionalId,
  tariffId: OptionalId,
  currencyId: v.optional(Id),
  language: Text(10),
  warningEmailHour: v.optional(v.pipe(v.number(), v.integer(), v.minValue(-1), v.maxValue(23))),
  hideDestinationEnd: v.optional(v.pipe(v.number(), v.integer(), v.minValue(-1), v.maxValue(30))),
  warningEmailBalance: v.optional(Decimal),
  spyDeviceId: OptionalId,
  warningBalanceCall: Bool,
  generateInvoice: Bool,
  taxationCountry: OptionalId,
  blocked: Bool,
  quickforwardsRuleId: OptionalId,
  callLimit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000))),
  clientid: Text(),
  recordingHddQuota: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  cyberplatActive: Bool,
  recordingsEmail: v.optional(v.union([v.literal(''), v.pipe(v.string(), v.email(), v.maxLength(255))])),
  warningBalanceSoundFileId: OptionalId,
  postpaid: Bool,
  accountingNumber: Text(),
  agreementNumber: Text(),
  hidden: Bool,
  pbxPoolId: OptionalId,
  hideNonAnsweredCalls: Bool,
  dailyCreditLimit: v.optional(Decimal),
  comment: Text(10_000),
  agreementDate: v.optional(v.nullable(IsoDate)),
  blockAt: v.optional(v.nullable(IsoDate)),
  hideGui: Bool,
  hideCsv: Bool,
  hidePdf: Bool,
  recordingForcedEnabled: Bool,
  recordingEnabled: Bool,
  blockAtConditional: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(31))),
  invoiceZeroCalls: Bool,
  warningEmailActive: Bool,
  allowLossCalls: Bool,
  /** -1 = unlimited. */
  credit: v.optional(
    v.pipe(
      Decimal,
      v.check((s) => !s.startsWith('-') || Number(s) === -1, 'credit >= 0 or -1'),
    ),
  ),
  ignoreGlobalMonitorings: Bool,
  ownProviders: Bool,
  vatNumber: Text(),
  timeZone: Text(100),
  invoiceTypes: v.optional(InvoiceTypes),
  address: v.optional(AddressFields),
  taxes: v.optional(TaxFields),
};

export const UserFields = v.object(UserFieldEntries);
export type UserFields = v.InferOutput<typeof UserFields>;

/** Fields only the admin may change (MOR: groups, user type, responsible accountant, own providers). */
export const ADMIN_ONLY_FIELDS = ['usertype', 'accGroupId', 'responsibleAccountantId', 'ownProviders'] as const;

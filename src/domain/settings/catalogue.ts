/**
 * The API settings of docs/pipeline.md §5, by their camelCase name (tRPC) and conflines name (storage).
 * Booleans are stored as '0'/'1' like MOR's conflines.
 */
export const API_SETTINGS = {
  allowApi: 'allow_api',
  allowGetApi: 'allow_get_api',
  disableHashChecking: 'disable_hash_checking',
  apiSecretKey: 'api_secret_key',
  allowBalanceOverHttp: 'allow_balance_over_http',
  allowRateOverHttp: 'allow_rate_over_http',
  showRatesForUsers: 'show_rates_for_users',
  allowResellersAdminTariffs: 'allow_resellers_admin_tariffs',
  allowApiRegistration: 'allow_api_registration',
  restrictApiByIp: 'restrict_api_by_ip',
  xmlApiExtension: 'xml_api_extension',
  allowApiLoginRedirect: 'allow_api_login_redirect',
  allowLoginByEmail: 'allow_login_by_email',
  /** "API allow Payments": payment_create (and card_payment_add) may be used. */
  allowApiPayments: 'allow_api_payments',
  /** "API Payment Confirmation": payments made by payment_create wait for the admin's confirmation. */
  apiPaymentConfirmation: 'api_payment_confirmation',
  /** "Vouchers enabled" (Settings → Payments → Vouchers): voucher_use answers `Vouchers Disabled` when off. */
  vouchersEnabled: 'vouchers_enabled',
  hideDeviceUsernameForUsers: 'hide_device_username_for_users',
  /** active_calls_get answers simple users (their own calls); off = `Access Denied`. Admin's setting. */
  showActiveCallsForUsers: 'show_active_calls_for_users',
  /** tariff_retail_import rejects a whole document with any problem; off (default) = MOR's partial import. */
  tariffImportAllOrNothing: 'tariff_import_all_or_nothing',
  /**
   * Beyond MOR, per key owner: hash-checked methods must carry an HMAC-SHA256 signature with a timestamp
   * and a single-use nonce instead of MOR's SHA-1 `hash` (README, "Signed requests"). Off = MOR's hash.
   */
  requireApiSignature: 'require_api_signature',
} as const;

export type ApiSettingKey = keyof typeof API_SETTINGS;
export type ApiSettings = { [K in ApiSettingKey]: K extends 'apiSecretKey' ? string : boolean };

/** Settings a reseller keeps for its own scope (its "API Configuration" tab). */
export const RESELLER_API_SETTINGS = [
  'allowApi',
  'apiSecretKey',
  'disableHashChecking',
  'requireApiSignature',
] as const;

/** Reads the typed API settings out of a conflines name → value map (absent → off / empty). */
export function apiSettingsFrom(lines: Record<string, string | undefined>): ApiSettings {
  const out = {} as Record<string, string | boolean>;
  for (const [key, name] of Object.entries(API_SETTINGS)) {
    const raw = lines[name] ?? '';
    out[key] = key === 'apiSecretKey' ? raw : raw === '1';
  }
  return out as ApiSettings;
}

/** Inverse of apiSettingsFrom for the keys present in `patch`. */
export function conflinesFrom(patch: Partial<ApiSettings>): [name: string, value: string][] {
  return Object.entries(patch)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [
      API_SETTINGS[key as ApiSettingKey],
      typeof value === 'boolean' ? (value ? '1' : '0') : String(value),
    ]);
}

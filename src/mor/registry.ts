import type { MethodDef } from './method.ts';
import { activeCallsGet } from './methods/activeCalls.ts';
import {
  autodialerChangeCampaignStatus,
  autodialerGetCampaignIvrPollResults,
  autodialerUploadNumbers,
} from './methods/autodialer.ts';
import {
  userBalanceGet,
  userBalanceGetByPsw,
  userBalanceGetByUsername,
  userSimpleBalanceGet,
} from './methods/balance.ts';
import { userBalanceUpdate } from './methods/balanceUpdate.ts';
import { callbackInitMethod, maActivateMethod, spyCallMethod } from './methods/callControl.ts';
import { userCallsGet } from './methods/callHistory.ts';
import { aggregateGet, quickstatsGet } from './methods/callStats.ts';
import { cardGroupGet, ccGroupCreate, ccGroupsGet, ccGroupUpdate } from './methods/cardGroups.ts';
import { cardBalanceGet, cardByCliUpdate, cardFromGroupSell, cardPaymentAdd } from './methods/cardMoney.ts';
import { callingCardsCreate, callingCardsGet, callingCardUpdate } from './methods/cards.ts';
import { cliAdd, cliDelete, cliInfoGet, deviceClisGet } from './methods/clis.ts';
import { conflinesUpdate } from './methods/conflines.ts';
import { creditNoteCreate, creditNoteDelete, creditNotesGet, creditNoteUpdate } from './methods/creditNotes.ts';
import { exchangeRateUpdate } from './methods/currencies.ts';
import {
  deviceCallflowGet,
  deviceCallflowUpdate,
  deviceCreate,
  deviceDelete,
  deviceDetailsGet,
  deviceRuleCreate,
  deviceRuleDelete,
  deviceRulesGet,
  devicesGet,
  deviceUpdate,
} from './methods/devices.ts';
import {
  didCreate,
  didDelete,
  didDetailsUpdate,
  didDeviceAssign,
  didDeviceUnassign,
  didSubscriptionStop,
  didsGet,
  didTerminate,
} from './methods/dids.ts';
import { financialStatementsGet } from './methods/financialStatements.ts';
import { invoicesGet } from './methods/invoices.ts';
import { ivrDialPlanUpdate, ivrTimePeriodUpdate, pbxPoolCreate } from './methods/ivr.ts';
import { lcrAddProvider, lcrCreate, lcrDelete, lcrDeleteProvider, lcrsGet, lcrUpdate } from './methods/lcrs.ts';
import { localCallsGet } from './methods/localCalls.ts';
import {
  locationRuleCopy,
  locationRuleCreate,
  locationRuleDelete,
  locationRuleGet,
  locationRulesGet,
  locationRuleUpdate,
} from './methods/locationRules.ts';
import { userLogin, userLogout } from './methods/login.ts';
import { emailSendMethod, smsSendMethod, userSmsServiceSubscribeMethod } from './methods/messaging.ts';
import {
  numberPoolCreate,
  numberPoolDelete,
  numberPoolNumbersCreate,
  numberPoolNumbersDelete,
  numberPoolsGet,
  numberPoolUpdate,
} from './methods/numberPools.ts';
import { paymentCreate, paymentsGet } from './methods/payments.ts';
import { phonebookEdit, phonebookRecordCreate, phonebooksGet } from './methods/phonebooks.ts';
import { providerRuleCreate, providerRuleDelete, providerRulesGet } from './methods/providerRules.ts';
import { providerCreate, providerDelete, providersGet, providerUpdate } from './methods/providers.ts';
import { queueLogGet } from './methods/queues.ts';
import { quickforwardsDidDelete, quickforwardsDidsGet, quickforwardsDidUpdate } from './methods/quickforwards.ts';
import { rateGet } from './methods/rating.ts';
import { recordingsDelete, recordingsGet } from './methods/recordings.ts';
import { resellerGroupCreate, resellerGroupsGet } from './methods/resellers.ts';
import { serviceCreate, serviceDelete, servicesGet, serviceUpdate } from './methods/services.ts';
import {
  subscriptionCreate,
  subscriptionDelete,
  subscriptionsGet,
  subscriptionUpdate,
} from './methods/subscriptions.ts';
import { tariffRatesGet } from './methods/tariffRatesGet.ts';
import { tariffRetailImport } from './methods/tariffRetailImport.ts';
import { tariffsGet } from './methods/tariffsGet.ts';
import { tariffWholesaleUpdate } from './methods/tariffWholesaleUpdate.ts';
import { userDelete, userDetailsGet, userDetailsUpdate, userRegister, usersGet } from './methods/users.ts';
import { systemVersionGet } from './methods/version.ts';
import { voucherUse } from './methods/vouchers.ts';

/** Every XML API method. Routing, aliases, hash orders and the catalogue all read this list. */
export const METHODS: readonly MethodDef[] = [
  systemVersionGet,
  conflinesUpdate,
  userLogin,
  userLogout,
  userBalanceGet,
  userSimpleBalanceGet,
  userBalanceGetByPsw,
  userBalanceGetByUsername,
  rateGet,
  tariffRatesGet,
  tariffsGet,
  tariffWholesaleUpdate,
  tariffRetailImport,
  exchangeRateUpdate,
  userRegister,
  userDetailsGet,
  userDetailsUpdate,
  usersGet,
  userDelete,
  userBalanceUpdate,
  resellerGroupCreate,
  resellerGroupsGet,
  deviceCreate,
  deviceDelete,
  devicesGet,
  deviceDetailsGet,
  deviceUpdate,
  deviceCallflowGet,
  deviceCallflowUpdate,
  deviceRulesGet,
  deviceRuleCreate,
  deviceRuleDelete,
  cliAdd,
  cliDelete,
  cliInfoGet,
  deviceClisGet,
  didsGet,
  didCreate,
  didDeviceAssign,
  didDeviceUnassign,
  didDetailsUpdate,
  didSubscriptionStop,
  didDelete,
  didTerminate,
  quickforwardsDidsGet,
  queueLogGet,
  quickforwardsDidUpdate,
  quickforwardsDidDelete,
  phonebooksGet,
  phonebookEdit,
  phonebookRecordCreate,
  providersGet,
  emailSendMethod,
  smsSendMethod,
  userSmsServiceSubscribeMethod,
  spyCallMethod,
  callbackInitMethod,
  maActivateMethod,
  providerCreate,
  providerUpdate,
  providerDelete,
  lcrsGet,
  lcrCreate,
  lcrUpdate,
  lcrDelete,
  lcrAddProvider,
  lcrDeleteProvider,
  providerRulesGet,
  providerRuleCreate,
  providerRuleDelete,
  locationRulesGet,
  locationRuleGet,
  locationRuleCreate,
  locationRuleUpdate,
  locationRuleDelete,
  locationRuleCopy,
  numberPoolsGet,
  numberPoolCreate,
  numberPoolUpdate,
  numberPoolDelete,
  numberPoolNumbersCreate,
  numberPoolNumbersDelete,
  voucherUse,
  recordingsGet,
  recordingsDelete,
  autodialerChangeCampaignStatus,
  autodialerUploadNumbers,
  autodialerGetCampaignIvrPollResults,
  ivrTimePeriodUpdate,
  ivrDialPlanUpdate,
  pbxPoolCreate,
  ccGroupCreate,
  ccGroupUpdate,
  ccGroupsGet,
  cardGroupGet,
  callingCardsCreate,
  callingCardUpdate,
  callingCardsGet,
  cardBalanceGet,
  cardPaymentAdd,
  cardFromGroupSell,
  cardByCliUpdate,
  paymentCreate,
  paymentsGet,
  creditNoteCreate,
  creditNoteUpdate,
  creditNoteDelete,
  creditNotesGet,
  invoicesGet,
  financialStatementsGet,
  userCallsGet,
  localCallsGet,
  quickstatsGet,
  aggregateGet,
  serviceCreate,
  serviceUpdate,
  serviceDelete,
  servicesGet,
  subscriptionCreate,
  subscriptionUpdate,
  subscriptionDelete,
  subscriptionsGet,
  activeCallsGet,
];

const byName = new Map<string, MethodDef>();
for (const method of METHODS) {
  for (const name of [method.name, ...(method.aliases ?? [])]) {
    if (byName.has(name)) throw new Error(`duplicate XML API method name: ${name}`);
    byName.set(name, method);
  }
}

/** The method a path names (current name or old alias), or undefined. */
export const findMethod = (name: string): MethodDef | undefined => byName.get(name);

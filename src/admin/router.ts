import { accountantGroupsRouter, accountantsRouter } from './routers/accountantGroups.ts';
import { actionsRouter } from './routers/actions.ts';
import { apiPermissionGroupsRouter } from './routers/apiPermissionGroups.ts';
import { autodialerRouter } from './routers/autodialer.ts';
import { calculatorRouter } from './routers/calculator.ts';
import { callStatsRouter } from './routers/callStats.ts';
import { activeCallsRouter, callsRouter } from './routers/calls.ts';
import { cardGroupsRouter } from './routers/cardGroups.ts';
import { cardsRouter } from './routers/cards.ts';
import { clisRouter } from './routers/clis.ts';
import { creditNotesRouter } from './routers/creditNotes.ts';
import { currenciesRouter } from './routers/currencies.ts';
import { customRatesRouter } from './routers/customRates.ts';
import { destinationGroupsRouter } from './routers/destinationGroups.ts';
import { destinationsRouter } from './routers/destinations.ts';
import { devicesRouter } from './routers/devices.ts';
import { dialplansRouter } from './routers/dialplans.ts';
import { didsRouter } from './routers/dids.ts';
import { hashRouter } from './routers/hash.ts';
import { integrityRouter } from './routers/integrity.ts';
import { invoicesRouter } from './routers/invoices.ts';
import { ivrRouter, pbxPoolsRouter } from './routers/ivr.ts';
import { jobsRouter } from './routers/jobs.ts';
import { lcrsRouter } from './routers/lcrs.ts';
import { ledgerRouter } from './routers/ledger.ts';
import { locationGroupsRouter } from './routers/locationGroups.ts';
import { locationRulesRouter } from './routers/locationRules.ts';
import { locationsRouter } from './routers/locations.ts';
import { messagesRouter } from './routers/messages.ts';
import { monitoringsRouter } from './routers/monitorings.ts';
import { numberPoolsRouter } from './routers/numberPools.ts';
import { paymentsRouter } from './routers/payments.ts';
import { phonebooksRouter } from './routers/phonebooks.ts';
import { providerRulesRouter } from './routers/providerRules.ts';
import { providersRouter } from './routers/providers.ts';
import { quickforwardsRouter } from './routers/quickforwards.ts';
import { quickforwardsRulesRouter } from './routers/quickforwardsRules.ts';
import { ratesRouter } from './routers/rates.ts';
import { resellerGroupsRouter, resellersRouter } from './routers/resellerGroups.ts';
import { servicesRouter } from './routers/services.ts';
import { settingsRouter } from './routers/settings.ts';
import { smsGatewayRouter, smsLcrsRouter, smsTariffsRouter } from './routers/sms.ts';
import { subscriptionsRouter } from './routers/subscriptions.ts';
import { tariffsRouter } from './routers/tariffs.ts';
import { tokensRouter } from './routers/tokens.ts';
import { usersRouter } from './routers/users.ts';
import { vouchersRouter } from './routers/vouchers.ts';
import { webhooksRouter } from './routers/webhooks.ts';
import { whitelistedIpsRouter } from './routers/whitelistedIps.ts';
import { router } from './trpc.ts';

/** The typed admin API at /trpc. Import `AppRouter` in clients for full inference. */
export const appRouter = router({
  settings: settingsRouter,
  hash: hashRouter,
  tokens: tokensRouter,
  whitelistedIps: whitelistedIpsRouter,
  apiPermissionGroups: apiPermissionGroupsRouter,
  users: usersRouter,
  resellers: resellersRouter,
  accountants: accountantsRouter,
  resellerGroups: resellerGroupsRouter,
  accountantGroups: accountantGroupsRouter,
  integrity: integrityRouter,
  actions: actionsRouter,
  clis: clisRouter,
  devices: devicesRouter,
  dids: didsRouter,
  phonebooks: phonebooksRouter,
  providers: providersRouter,
  lcrs: lcrsRouter,
  providerRules: providerRulesRouter,
  locationGroups: locationGroupsRouter,
  locationRules: locationRulesRouter,
  locations: locationsRouter,
  numberPools: numberPoolsRouter,
  vouchers: vouchersRouter,
  autodialer: autodialerRouter,
  ivr: ivrRouter,
  pbxPools: pbxPoolsRouter,
  quickforwards: quickforwardsRouter,
  quickforwardsRules: quickforwardsRulesRouter,
  dialplans: dialplansRouter,
  tariffs: tariffsRouter,
  rates: ratesRouter,
  destinations: destinationsRouter,
  destinationGroups: destinationGroupsRouter,
  customRates: customRatesRouter,
  currencies: currenciesRouter,
  calculator: calculatorRouter,
  callStats: callStatsRouter,
  cardGroups: cardGroupsRouter,
  cards: cardsRouter,
  ledger: ledgerRouter,
  jobs: jobsRouter,
  payments: paymentsRouter,
  creditNotes: creditNotesRouter,
  invoices: invoicesRouter,
  services: servicesRouter,
  subscriptions: subscriptionsRouter,
  calls: callsRouter,
  activeCalls: activeCallsRouter,
  webhooks: webhooksRouter,
  messages: messagesRouter,
  smsTariffs: smsTariffsRouter,
  smsLcrs: smsLcrsRouter,
  smsGateway: smsGatewayRouter,
  monitorings: monitoringsRouter,
});

export type AppRouter = typeof appRouter;

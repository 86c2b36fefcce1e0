// Public API of @zkesim/apps: the whole-stack launcher behind `npm start` and `npm run demo`, and the
// operator's ES2+ client the demo uses. Applications wire the libraries together; no library imports this.
export { startStack, lpaCommandFor, type RunningStack, type StackOverrides } from './stack/startStack.js';
export { stackConfigFromEnvironment, type StackConfig } from './stack/stackConfig.js';
export { placeOrder, cancelOrder, type Es2ClientOptions, type PlacedOrder } from './stack/es2Client.js';
export { runDemo, readStackFile, type StackFile } from './stack/demo.js';
export { openSimCard, openSimTransport, appTransports } from './transports/simTransport.js';
export { postAsOperator } from './stack/es2Client.js';
export {
  openOperatorComponent, checkOperatorConfig, callOnboardingApi, callErasureApi, OperatorConfigError, OnboardingApiError,
  type OperatorComponent, type OperatorComponentConfig,
} from './operator/operatorComponent.js';
export { DEMO_CUSTOMER } from './stack/startStack.js';
export { onboardingFiles } from './stack/smdp.js';
export { startLui, type LuiOptions, type RunningLui } from './lui/luiServer.js';
export { startOperatorPlans, DEMO_SUBSCRIBER_PLAN, type OperatorPlans } from './operator/plans/operatorPlans.js';
export { openPlansStore, DEMO_PLANS, type Plan, type ActivePlan, type PlansStore } from './operator/plans/plansStore.js';
export { MAX_FAILURES, MAX_SOURCE_FAILURES, type StaffRole } from './operator/portal/staffStore.js';
export { DEMO_ADMIN, DEMO_ADMIN_PASSWORD_FILE, type RunningOperatorService } from './operator/portal/operatorService.js';
export { ensureOperatorServerTls } from './operator/serverTls.js';

/**
 * @module workflows
 * The one `workflowsPath` the Worker bundles. Sandbox-pure: only
 * @temporalio/workflow, message/type modules and activity *types* may be
 * imported below this folder (docs/architecture.md#layer-rules; lint enforces it).
 */
export { conversationWorkflow } from './conversation/workflow.js';
export { inboxAssignerWorkflow } from './inbox-assigner/workflow.js';
export { deliveryWorkflow } from './delivery/workflow.js';
export { gmailSyncWorkflow } from './gmail-sync/workflow.js';
export { housekeepingWorkflow, outboxSweepWorkflow } from './housekeeping/workflow.js';
export { accountEmailWorkflow } from './account-email/workflow.js';
export { csatSurveyWorkflow } from './csat/workflow.js';

export { FeedbackLog } from './feedbackLog.ts';
export type { FeedbackEvent } from './feedbackLog.ts';
